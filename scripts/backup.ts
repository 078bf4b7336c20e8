/*
 * A consistent copy of the live database, taken while the service keeps running:
 *
 *   npm run backup -- backups/crosstrain-2026-03-02.db      (DATABASE_PATH names the source, as for npm start)
 *
 * It uses SQLite's online backup API through better-sqlite3. The copy is made in one step, so it
 * is one snapshot of the database: every transaction committed before the backup started is in it,
 * nothing half-written is, and the service's writers are not blocked (WAL mode). The copy is
 * written next to the target under a temporary name, checked with PRAGMA integrity_check and only
 * then renamed to the target, so a failed or interrupted backup never leaves a truncated file
 * under the name you asked for. The calendar feed key (<database>.calendar-key) is copied beside it.
 *
 * Restore: stop the service; remove the old <database>, <database>-wal and <database>-shm; copy the
 * backup to <database> (and <backup>.calendar-key to <database>.calendar-key); start the service.
 */
import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type BackupResult = { source: string; target: string; pages: number; bytes: number; ms: number; copiedKey: boolean };

/** Where src/calendar/feeds.ts keeps the feed key: next to the database file. */
const FEED_KEY_SUFFIX = '.calendar-key';

/** Copies the SQLite database at `source` to `target` (replacing it) while other processes keep writing. */
export async function backupDatabase(source: string, target: string): Promise<BackupResult> {
  const started = Date.now();
  const from = resolve(source);
  const to = resolve(target);
  if (!existsSync(from)) throw new Error(`No database at ${from} (set DATABASE_PATH).`);
  if (from === to) throw new Error('The backup must go to another file than the database itself.');
  mkdirSync(dirname(to), { recursive: true });
  const partial = `${to}.partial-${process.pid}`;
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(partial + suffix, { force: true });
  const db = new Database(from, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    // Every page in one step: the copy is a single read snapshot. Smaller steps would restart
    // from the first page whenever the service commits in between, possibly forever under load.
    const progress = await db.backup(partial, { progress: () => 0x7fffffff });
    const copy = new Database(partial);
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`The copy failed its integrity check: ${String(check)}`);
      // The copy is a standalone file: fold any WAL content into it and leave it in rollback mode
      // so it travels as a single file.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    renameSync(partial, to);
    // Calendar feed addresses are derived with a key kept beside the database (not inside it, so a
    // stolen database alone opens no calendar): without it a restore would change every address.
    let copiedKey = false;
    if (existsSync(`${from}${FEED_KEY_SUFFIX}`)) {
      copyFileSync(`${from}${FEED_KEY_SUFFIX}`, `${to}${FEED_KEY_SUFFIX}`);
      chmodSync(`${to}${FEED_KEY_SUFFIX}`, 0o600);
      copiedKey = true;
    }
    return { source: from, target: to, pages: progress.totalPages, bytes: statSync(to).size, ms: Date.now() - started, copiedKey };
  } catch (err) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(partial + suffix, { force: true });
    throw err;
  } finally {
    db.close();
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const target = process.argv[2];
  if (!target) {
    console.error('Usage: npm run backup -- <file>   (DATABASE_PATH names the live database; default data/crosstrain.db)');
    process.exit(2);
  }
  const source = process.env.DATABASE_PATH || 'data/crosstrain.db';
  try {
    const result = await backupDatabase(source, target);
    console.log(
      `Backed up ${result.source} to ${result.target}: ${result.pages} pages, ${(result.bytes / 1048576).toFixed(1)} MB in ${result.ms} ms; integrity check ok.`,
    );
    if (result.copiedKey)
      console.log(`Copied the calendar feed key to ${result.target}${FEED_KEY_SUFFIX} (restore it beside the database, or every feed address changes).`);
  } catch (err) {
    console.error(`Backup failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
