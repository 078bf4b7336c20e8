/**
 * Upgrades an old-shape test database the way the app does at start: a migration's schema changes
 * are undone (with the data left as it is), then drizzle's migrator runs that migration (and those
 * up to `through`) again from its own SQL file. Later migrations stay applied, so each test keeps
 * working as more migrations land. Each migration re-run here names what undoes its schema changes.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { openDatabase, type Db } from '../../src/db';

const UNDO: Record<string, string[]> = {
  '0001_completion_counts': ['DROP TABLE completion_counts'],
  '0003_effective_from_walk_in': ['ALTER TABLE attendance DROP COLUMN walk_in', 'ALTER TABLE invitations DROP COLUMN effective_from'],
  '0004_answers_change_future_only': [],
  '0008_occurrences': ['DROP TABLE occurrences', 'DROP TABLE occurrence_horizon', 'DROP TABLE occurrence_changes'],
  '0009_occurrence_triggers': [
    'DROP TRIGGER occurrences_event_inserted',
    'DROP TRIGGER occurrences_event_retimed',
    'DROP TRIGGER occurrences_exception_inserted',
    'DROP TRIGGER occurrences_exception_updated',
    'DROP TRIGGER occurrences_exception_deleted',
    'DROP TRIGGER occurrences_invitation_inserted',
    'DROP TRIGGER occurrences_invitation_updated',
    'DROP TRIGGER occurrences_invitation_deleted',
  ],
  '0012_cancelled_series_keep_past': [],
  '0019_training_sessions_follow_splits': ['DROP TRIGGER training_sessions_follow_splits'],
  '0049_completion_totals': [
    'DROP TABLE completion_totals',
    'DROP TABLE completion_totals_at',
    'DROP INDEX completion_counts_window_from_idx',
    'DROP INDEX completion_counts_window_until_idx',
    'DROP INDEX completion_counts_due_idx',
    'DROP INDEX completion_counts_due_soon_idx',
  ],
  '0050_completion_totals_kept': [
    'DROP TRIGGER completion_totals_group_added',
    'DROP TRIGGER completion_totals_group_removed',
    'DROP TRIGGER completion_totals_group_changed',
    'DROP TRIGGER completion_totals_program_activity',
    'DROP INDEX completion_totals_rank',
    'DELETE FROM completion_totals',
    'DELETE FROM completion_totals_at',
  ],
};

type Journal = { version: string; dialect: string; entries: { idx: number; tag: string; when: number }[] };
const folder = fileURLToPath(new URL('../../db/migrations/', import.meta.url));

/** Undoes migrations `from`..`through` on the file behind `db`, runs them again, and opens the file as the app does. */
export function reopenAfterRerunning(db: Db, path: string, from: string, through = from): Db {
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as Journal;
  const first = journal.entries.findIndex((e) => e.tag === from);
  const last = journal.entries.findIndex((e) => e.tag === through);
  if (first === -1 || last < first) throw new Error(`No migrations ${from}..${through}.`);
  // SQLite refuses to drop a column a trigger names: triggers of later migrations naming a dropped
  // column step aside while it is undone and redone, and come back as they were.
  const undo = journal.entries.slice(first, last + 1).reverse();
  const dropped = undo.flatMap((e) => UNDO[e.tag] ?? []).flatMap((s) => /DROP COLUMN (\w+)/.exec(s)?.[1] ?? []);
  const stashed = db
    .all<{ name: string; sql: string }>(sql`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`)
    .filter((t) => dropped.some((column) => new RegExp(`\\b${column}\\b`).test(t.sql)));
  for (const trigger of stashed) db.run(sql.raw(`DROP TRIGGER \`${trigger.name}\``));
  for (const entry of undo) {
    const statements = UNDO[entry.tag];
    if (!statements) throw new Error(`test/support/migrations.ts does not know how to undo migration ${entry.tag}; add it to UNDO.`);
    for (const statement of statements) db.run(sql.raw(statement));
  }
  const later = db.all<{ hash: string; created_at: number }>(
    sql`SELECT hash, created_at FROM __drizzle_migrations WHERE created_at > ${journal.entries[last]!.when}`,
  );
  db.run(sql`DELETE FROM __drizzle_migrations WHERE created_at >= ${journal.entries[first]!.when}`);
  // The migrator sees the migrations up to `through` only, as an older version of the app would ship them.
  const dir = mkdtempSync(join(tmpdir(), 'crosstrain-migrations-'));
  try {
    mkdirSync(join(dir, 'meta'));
    const entries = journal.entries.slice(0, last + 1);
    writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
    for (const entry of entries) copyFileSync(join(folder, `${entry.tag}.sql`), join(dir, `${entry.tag}.sql`));
    migrate(db, { migrationsFolder: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const row of later) db.run(sql`INSERT INTO __drizzle_migrations (hash, created_at) VALUES (${row.hash}, ${row.created_at})`);
  for (const trigger of stashed) {
    const exists = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name = ${trigger.name}`);
    if (!exists?.n) db.run(sql.raw(trigger.sql));
  }
  return openDatabase(path);
}
