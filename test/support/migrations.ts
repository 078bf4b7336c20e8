/**
 * Takes a test database back to how it looked before a migration, so that reopening it (as the app
 * does at start) runs that migration and every later one on old-shape data. Each migration names
 * what undoes its schema changes; a migration without an entry here stops the test with a message.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db';

const UNDO: Record<string, string[]> = {
  '0000_init': [],
  '0001_completion_counts': ['DROP TABLE completion_counts'],
  '0002_effective_from_walk_in': ['ALTER TABLE attendance DROP COLUMN walk_in', 'ALTER TABLE invitations DROP COLUMN effective_from'],
  '0003_answers_change_future_only': [],
};

type Journal = { entries: { tag: string; when: number }[] };

export function rewindMigrations(db: Db, tag: string) {
  const journal = JSON.parse(readFileSync(new URL('../../db/migrations/meta/_journal.json', import.meta.url), 'utf8')) as Journal;
  const index = journal.entries.findIndex((e) => e.tag === tag);
  if (index === -1) throw new Error(`No migration ${tag}.`);
  const undone = journal.entries.slice(index).reverse();
  for (const entry of undone) {
    const statements = UNDO[entry.tag];
    if (!statements) throw new Error(`test/support/migrations.ts does not know how to undo migration ${entry.tag}; add it to UNDO.`);
    for (const statement of statements) db.run(sql.raw(statement));
  }
  db.run(sql`DELETE FROM __drizzle_migrations WHERE created_at >= ${journal.entries[index]!.when}`);
}
