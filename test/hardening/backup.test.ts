import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db';
import { exitOf, sleep, spawnTs, watchOutput } from './support/processes';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstrain-backup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run backup', () => {
  it('takes a consistent online copy while another process keeps writing', async () => {
    const live = join(dir, 'live.db');
    openDatabase(live).$client.close();
    writeFileSync(`${live}.calendar-key`, 'a-feed-key-of-the-live-database\n');
    const writer = spawnTs('test/hardening/support/writer.ts', [live, 'w']);
    const out = watchOutput(writer);
    try {
      await out.waitFor((line) => line === 'w300@example.com');
      const acknowledgedBefore = [...out.lines];
      const target = join(dir, 'copies', 'backup.db');
      const backup = spawnTs('scripts/backup.ts', [target], { DATABASE_PATH: live });
      const backupOut = watchOutput(backup);
      const { code } = await exitOf(backup);
      expect(code, backupOut.stderr()).toBe(0);
      expect(backupOut.lines.join('\n')).toMatch(/integrity check ok/);
      // The writer kept going during the backup: the copy really was taken under load.
      await sleep(50);
      expect(out.lines.length).toBeGreaterThan(acknowledgedBefore.length);
      expect(writer.exitCode, out.stderr()).toBeNull();

      const copy = new Database(target, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
        const emails = new Set(copy.prepare("SELECT email FROM people WHERE email LIKE 'w%@example.com'").pluck().all() as string[]);
        const missing = acknowledgedBefore.filter((e) => !emails.has(e));
        expect(missing).toEqual([]);
        // Each person was written with its audit entry in one transaction: the snapshot has both or neither.
        const orphans = copy
          .prepare(
            "SELECT count(*) FROM people p WHERE p.email LIKE 'w%' AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_type = 'person' AND a.entity_id = CAST(p.id AS TEXT))",
          )
          .pluck()
          .get();
        expect(orphans).toBe(0);
      } finally {
        copy.close();
      }
      expect(existsSync(`${target}-wal`)).toBe(false);
      expect(readFileSync(`${target}.calendar-key`, 'utf8')).toBe('a-feed-key-of-the-live-database\n');
      // Restoring is copying the file into place: the app opens and migrates it as it is.
      const restored = openDatabase(target);
      expect(restored.$client.prepare('SELECT count(*) FROM people').pluck().get()).toBeGreaterThanOrEqual(acknowledgedBefore.length);
      restored.$client.close();
    } finally {
      writer.kill('SIGKILL');
      await exitOf(writer);
    }
  });

  it('refuses to run without a target or onto the live file, and leaves no partial copy on failure', async () => {
    const live = join(dir, 'live2.db');
    openDatabase(live).$client.close();
    const noTarget = spawnTs('scripts/backup.ts', [], { DATABASE_PATH: live });
    const noTargetOut = watchOutput(noTarget);
    expect((await exitOf(noTarget)).code).toBe(2);
    expect(noTargetOut.stderr()).toMatch(/Usage/);
    const same = spawnTs('scripts/backup.ts', [live], { DATABASE_PATH: live });
    const sameOut = watchOutput(same);
    expect((await exitOf(same)).code).toBe(1);
    expect(sameOut.stderr()).toMatch(/another file/);
    const missing = spawnTs('scripts/backup.ts', [join(dir, 'x.db')], { DATABASE_PATH: join(dir, 'nope.db') });
    expect((await exitOf(missing)).code).toBe(1);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });
});
