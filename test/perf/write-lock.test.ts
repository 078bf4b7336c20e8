import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '../../src/db';
import { createTestDb } from '../support/app';

/**
 * A write that finds another process's write transaction holding the lock takes it as soon as that one
 * commits (tried again every 50 µs to 1 ms, not after SQLite's sleeps of 1, 2, 5, 10 … ms), and what it
 * runs inside keeps the busy timeout.
 */
describe('the write lock', () => {
  let t: ReturnType<typeof createTestDb>;
  let holder: Worker | null = null;
  afterEach(async () => {
    await holder?.terminate();
    holder = null;
    t.cleanup();
  });

  /** Another connection (a thread of its own, as another process would be) holds the write lock for `ms`, then commits a row. */
  const holdLock = (path: string, ms: number) =>
    new Promise<void>((locked) => {
      holder = new Worker(
        `const { parentPort, workerData } = require('node:worker_threads');
         const Database = require(workerData.driver);
         const db = new Database(workerData.path);
         db.exec('BEGIN IMMEDIATE');
         db.prepare("INSERT INTO lock_probe (who) VALUES ('other')").run();
         parentPort.postMessage('locked');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
         db.exec('COMMIT');
         db.close();`,
        { eval: true, workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path, ms } },
      );
      holder.once('message', () => locked());
    });

  it('waits for another connection’s write and goes through once it commits, with the busy timeout restored', async () => {
    t = createTestDb();
    t.db.$client.exec('CREATE TABLE lock_probe (id INTEGER PRIMARY KEY, who TEXT NOT NULL)');
    const timeout = () => t.db.$client.pragma('busy_timeout', { simple: true });
    expect(timeout()).toBe(5000);
    await holdLock(t.path, 60);

    const started = performance.now();
    let inside: unknown = null;
    writeTransaction(t.db, (tx) => {
      inside = timeout();
      tx.$client.prepare("INSERT INTO lock_probe (who) VALUES ('us')").run();
    });
    const waited = performance.now() - started;

    // It waited for the other write (held 60 ms from before we asked), then wrote after it.
    expect(waited).toBeGreaterThan(30);
    expect(t.db.$client.prepare('SELECT who FROM lock_probe ORDER BY id').pluck().all()).toEqual(['other', 'us']);
    expect(inside).toBe(5000);
    expect(timeout()).toBe(5000);
  });

  it('a write inside a write transaction is a savepoint of it: rolled back with it, no second lock', () => {
    t = createTestDb();
    t.db.$client.exec('CREATE TABLE lock_probe (id INTEGER PRIMARY KEY, who TEXT NOT NULL)');
    expect(() =>
      writeTransaction(t.db, (tx) => {
        writeTransaction(tx, (inner) => inner.$client.prepare("INSERT INTO lock_probe (who) VALUES ('inner')").run());
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(t.db.$client.prepare('SELECT count(*) FROM lock_probe').pluck().get()).toBe(0);
    expect(t.db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});
