/*
 * readTransaction: a page's reads see one moment of the database, whatever another process commits
 * while they run, and leave no transaction open behind them.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTransaction, writeTransaction, type Db } from '../../src/db';
import { createTestDb } from '../support/app';

let db: Db;
let other: Database.Database;
let cleanup: () => void;
beforeEach(() => {
  ({ db, cleanup } = createTestDb());
  db.$client.exec('CREATE TABLE tally (n INTEGER)');
  db.$client.exec('INSERT INTO tally VALUES (1)');
  // Another process's connection to the same file.
  other = new Database(db.$client.name);
});
afterEach(() => {
  other.close();
  cleanup();
});

const count = () => (db.$client.prepare('SELECT count(*) AS n FROM tally').get() as { n: number }).n;

describe('readTransaction', () => {
  it('reads one snapshot: a commit by another connection in between is not seen until it ends', () => {
    const seen = readTransaction(db, () => {
      const before = count();
      other.exec('INSERT INTO tally VALUES (2)');
      return [before, count()];
    });
    expect(seen).toEqual([1, 1]);
    expect(count()).toBe(2);
    expect(db.$client.inTransaction).toBe(false);
  });

  it('ends its transaction when the reads throw, and the error reaches the caller', () => {
    expect(() =>
      readTransaction(db, () => {
        count();
        throw new Error('bad page');
      }),
    ).toThrow('bad page');
    expect(db.$client.inTransaction).toBe(false);
    other.exec('INSERT INTO tally VALUES (2)');
    expect(count()).toBe(2);
  });

  it('inside a write transaction is part of it, and sees its writes', () => {
    const seen = writeTransaction(db, (tx) => {
      tx.$client.exec('INSERT INTO tally VALUES (3)');
      return readTransaction(tx, count);
    });
    expect(seen).toBe(2);
    expect(count()).toBe(2);
  });
});
