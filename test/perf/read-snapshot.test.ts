import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, openReadSnapshot } from '../../src/db';
import { createTestDb } from '../support/app';

/** A long read (an export) sees one moment through a connection of its own, and lets go of it in time. */
describe('read snapshots', () => {
  let t: ReturnType<typeof createTestDb>;
  afterEach(() => t.cleanup());

  const count = (db: typeof t.db) => db.$client.prepare('SELECT count(*) AS n FROM teams').get() as { n: number };

  it('see the database as it was at their first read, whatever is written after, until closed', () => {
    t = createTestDb();
    const snapshot = openReadSnapshot(t.db)!;
    const before = count(snapshot.db).n;
    t.db.$client.prepare("INSERT INTO teams (name, department) VALUES ('Later', 'sales')").run();
    expect(count(t.db).n).toBe(before + 1);
    expect(count(snapshot.db).n).toBe(before);
    expect(snapshot.open()).toBe(true);
    snapshot.close();
    expect(snapshot.open()).toBe(false);
    snapshot.close();
  });

  it('end by themselves after their time, so the WAL can start over', async () => {
    t = createTestDb();
    const snapshot = openReadSnapshot(t.db, 20)!;
    count(snapshot.db);
    await new Promise((r) => setTimeout(r, 60));
    expect(snapshot.open()).toBe(false);
    t.db.$client.prepare("INSERT INTO teams (name, department) VALUES ('Later', 'sales')").run();
    expect(t.db.$client.pragma('wal_checkpoint(TRUNCATE)', { simple: true })).toBe(0);
  });

  it('are not offered for an in-memory database, which no other connection sees', () => {
    const memory = openDatabase(':memory:');
    expect(openReadSnapshot(memory)).toBeNull();
    memory.$client.close();
    t = createTestDb();
  });
});
