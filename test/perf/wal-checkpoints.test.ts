import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { leaveCheckpointsToCheckpointer, startWalCheckpointer } from '../../src/db';
import { createTestDb } from '../support/app';

/**
 * The WAL goes back into the database file beside the requests (a thread of the background jobs),
 * not inside the COMMIT of whichever request crosses SQLite's limit; without the checkpointer it
 * stays bounded all the same.
 */
describe('WAL checkpoints', () => {
  let t: ReturnType<typeof createTestDb>;
  let stop = () => {};
  afterEach(() => {
    stop();
    t.cleanup();
  });

  /** Writes about 8 MB (2,000 pages) in small transactions, as requests do. */
  const writeMuch = () => {
    t.db.$client.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, body BLOB)');
    const insert = t.db.$client.prepare('INSERT INTO filler (body) VALUES (randomblob(4000))');
    for (let i = 0; i < 2000; i++) insert.run();
  };
  const settingOf = () => t.db.$client.pragma('wal_autocheckpoint', { simple: true });
  const sizeOf = (path: string) => statSync(path).size;

  it('in a server process, a COMMIT leaves the WAL to the checkpointer up to a bound; the checkpointer copies it back', async () => {
    t = createTestDb();
    // Tests, scripts and the CLI keep SQLite's own checkpoints; WAL mode commits with synchronous NORMAL.
    expect(settingOf()).toBe(1000);
    expect(t.db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(t.db.$client.pragma('synchronous', { simple: true })).toBe(1);
    leaveCheckpointsToCheckpointer(t.db);
    expect(settingOf()).toBe(16_384);

    const before = sizeOf(t.path);
    writeMuch();
    // 2,000 pages crossed SQLite's default of 1,000, yet no COMMIT copied them into the database file.
    expect(sizeOf(`${t.path}-wal`)).toBeGreaterThan(8_000_000);
    expect(sizeOf(t.path)).toBeLessThan(before + 1_000_000);

    stop = startWalCheckpointer(t.path, 20);
    const deadline = Date.now() + 5000;
    while (sizeOf(t.path) < before + 7_000_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(sizeOf(t.path)).toBeGreaterThan(before + 7_000_000);
    expect(t.db.$client.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 2000 });
  });

  it('under a steady stream of writes, starts the WAL over once it holds the restart bound, so no COMMIT has to copy it back', async () => {
    t = createTestDb();
    leaveCheckpointsToCheckpointer(t.db);
    t.db.$client.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, body BLOB)');
    const insert = t.db.$client.prepare('INSERT INTO filler (body) VALUES (randomblob(4000))');
    // Another process reading (or writing) between the writes, as under load: a passive copy can never start the WAL over.
    const reader = new Database(t.path);
    const read = reader.prepare('SELECT count(*) AS n FROM filler');
    stop = startWalCheckpointer(t.path, 10, 256);
    let largest = 0;
    for (let burst = 0; burst < 500; burst++) {
      for (let i = 0; i < 10; i++) insert.run();
      largest = Math.max(largest, sizeOf(`${t.path}-wal`));
      reader.exec('BEGIN');
      read.get();
      await new Promise((resolve) => setTimeout(resolve, 1));
      reader.exec('COMMIT');
    }
    reader.close();
    // 5,000 pages (20 MB) written: the WAL was started over soon after 256 pages (1 MB) instead of growing to the server bound.
    expect(largest).toBeLessThan(8_000_000);
    expect(t.db.$client.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 5000 });
  });
});
