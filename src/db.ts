import Database from 'better-sqlite3';
import { fillPlaceholders, getTableColumns, Placeholder, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { SQLiteSyncDialect, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import * as schema from '../db/schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** How long a statement (and a write transaction's start) waits for another connection's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../db/migrations');

/** Opens (creating if needed) and migrates the SQLite file at `path`. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  // A page read through the default 2 MB page cache is a system call and a copy; mapped, the file's
  // pages are read in place (the operating system keeps them once for every connection and process).
  sqlite.pragma('mmap_size = 1073741824');
  sqlite.pragma('cache_size = -32768');
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder });
  return db;
}

/**
 * A read-only connection of its own holding one snapshot of the database (a deferred transaction, begun at its first
 * read), for work spread over many turns of the event loop, such as a long export read a part at a time: the app's
 * connection stays free for other requests meanwhile, and every part sees the same moment. Null for an in-memory
 * database, which no second connection can see. `close` ends it; it ends anyway after `maxMs` (`open` turns false), as
 * the WAL cannot start over behind a snapshot: one held open by a slow reader would let it grow with every write.
 */
export function openReadSnapshot(db: Db, maxMs = 60_000): { db: Db; close: () => void; open: () => boolean } | null {
  if (db.$client.memory) return null;
  const sqlite = new Database(db.$client.name, { readonly: true, fileMustExist: true });
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('mmap_size = 1073741824');
  sqlite.exec('BEGIN');
  const close = () => {
    clearTimeout(timer);
    if (!sqlite.open) return;
    if (sqlite.inTransaction) sqlite.exec('COMMIT');
    sqlite.close();
  };
  const timer = setTimeout(close, maxMs);
  timer.unref();
  return { db: drizzle(sqlite, { schema }) as Db, close, open: () => sqlite.open };
}

/**
 * A response body sent a part at a time, each part read when the reader asks for more (a CSV export of the whole
 * company), so a long file neither holds the server between parts nor sits in memory. The parts come from one
 * snapshot (openReadSnapshot), so the file shows one moment, unless the reader takes longer than the snapshot may
 * stay open: the rest is then read as it stands. `parts(read)` runs at once, so what it checks and throws comes
 * before the response; it answers the parts in order, each read from `read()` when its turn comes.
 */
export function streamedParts(db: Db, parts: (read: () => Db) => Iterator<string>): ReadableStream<Uint8Array> {
  const snapshot = openReadSnapshot(db);
  const close = () => snapshot?.close();
  let iterator: Iterator<string>;
  try {
    iterator = parts(() => (snapshot?.open() ? snapshot.db : db));
  } catch (err) {
    close();
    throw err;
  }
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      try {
        const part = iterator.next();
        if (part.done) {
          close();
          controller.close();
        } else controller.enqueue(encoder.encode(part.value));
      } catch (err) {
        close();
        controller.error(err);
      }
    },
    cancel: close,
  });
}

/**
 * How large the WAL may grow (in 4 KB pages, 64 MB) in a server process before its own COMMIT
 * copies it back into the database file: the bound that holds should the checkpointer not run.
 */
const SERVER_WAL_PAGES = 16_384;

/**
 * For server processes: a COMMIT no longer copies the WAL back into the database file every
 * 1,000 pages (SQLite's default, which lands that work and its wait inside whichever request
 * crosses the limit); `startWalCheckpointer` does it beside the requests. Tests, scripts and the
 * CLI keep the default, so their WAL stays small without a checkpointer.
 */
export function leaveCheckpointsToCheckpointer(db: Db): void {
  db.$client.pragma(`wal_autocheckpoint = ${SERVER_WAL_PAGES}`);
}

/** WAL pages past which the checkpointer also starts the WAL over (16 MB; a quarter of SERVER_WAL_PAGES). */
const RESTART_WAL_PAGES = 4_096;

/** How long the restart waits in all, sleeping in SQLite's busy handler, for the write lock and then for readers of the old pages. */
const RESTART_WAIT_MS = 3;

/** A copy that took longer than this left enough new pages behind to copy once more before the one made under the write lock. */
const SHORT_COPY_MS = 3;

/**
 * Copies the WAL back into the database file every `intervalMs` from a thread of its own, with a
 * connection of its own (PASSIVE: it never waits for and never blocks readers or writers, and a
 * request's event loop never waits for it). Runs with the background jobs, in one process for all
 * of them: the WAL is the file's, shared by every process. Answers how to stop it.
 *
 * Under a steady stream of writes a passive copy never catches up with the last commit, so the WAL
 * is never started over: it grew to SERVER_WAL_PAGES, after which every COMMIT ran a checkpoint of
 * its own, with an fsync, in the request (about every other write of a server process at 40
 * connections, each a millisecond or more of a stopped event loop). So once the WAL holds
 * `restartAtPages`, the checkpointer copies the last pages holding the write lock (RESTART) and the
 * next write starts the WAL over. Every writer of every process waits while it holds the lock, so it
 * holds it briefly: passive copies first, again while one took long (a seat claim adds about 25 pages,
 * so a copy of 30 ms left 1,000 new pages at 1,500 writes a second), so the copy under the lock is of
 * the last few commits; and it waits at most RESTART_WAIT_MS for the lock and for readers of the old
 * pages, then tries again on its next turn. It used to wait up to 50 ms, sleeping in SQLite's busy
 * handler 1, 2, 5, 10, 15 ms while holding the lock: every write of both processes stopped 35 to
 * 120 ms at a time, several times a second, which set the writes' p99 at 40 connections.
 */
export function startWalCheckpointer(path: string, intervalMs = 100, restartAtPages = RESTART_WAL_PAGES): () => void {
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const Database = require(workerData.driver);
     const db = new Database(workerData.path);
     db.pragma('busy_timeout = ' + workerData.restartWaitMs);
     const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
     const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
     const copy = () => {
       const t0 = performance.now();
       const { log } = passive.get();
       return { log, ms: performance.now() - t0 };
     };
     setInterval(() => {
       try {
         let last = copy();
         if (last.log < workerData.restartAtPages) return;
         for (let pass = 0; pass < 4 && last.ms > workerData.shortCopyMs; pass++) last = copy();
         restart.get();
       } catch (err) { console.error('WAL checkpoint:', err.message); }
     }, workerData.intervalMs);`,
    {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        path: resolve(path),
        intervalMs,
        restartAtPages,
        restartWaitMs: RESTART_WAIT_MS,
        shortCopyMs: SHORT_COPY_MS,
      },
    },
  );
  worker.unref();
  worker.on('error', (err) => console.error('WAL checkpointer:', err.message));
  return () => void worker.terminate();
}

/** Work every write transaction does last, before COMMIT (see beforeEveryCommit). */
type CommitStep = (tx: Db) => void;
const commitSteps: CommitStep[] = [];

/**
 * Registers a step every writeTransaction runs just before it commits, whatever it wrote: a
 * feature keeping rows derived from others current (src/events/occurrences.ts brings the stored
 * occurrences up to date with what the transaction changed) registers it when its module loads,
 * so the database layer runs it without depending on the feature. Registering twice has no effect.
 */
export function beforeEveryCommit(step: CommitStep): void {
  if (!commitSteps.includes(step)) commitSteps.push(step);
}

/**
 * Runs `fn` in a transaction that takes the write lock up front. A deferred transaction that
 * upgrades to a write fails with SQLITE_BUSY at once instead of waiting for the busy timeout.
 */
export function writeTransaction<T>(db: Db, fn: (tx: Db) => T): T {
  let transaction = immediateTransactions.get(db.$client);
  if (!transaction) {
    transaction = {
      run: db.$client.transaction((work: () => unknown) => work()).immediate,
      noWait: db.$client.prepare('PRAGMA busy_timeout = 0'),
      wait: db.$client.prepare(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`),
    };
    immediateTransactions.set(db.$client, transaction);
  }
  const work = () => {
    const result = fn(db);
    for (const step of commitSteps) step(db);
    return result;
  };
  // Nested, it is a savepoint of a transaction that holds the lock already.
  return (db.$client.inTransaction ? transaction.run(work) : withWriteLock(transaction, work)) as T;
}

/**
 * Runs `read` in one read transaction (BEGIN … COMMIT): its statements see one snapshot, and SQLite's
 * file locks are taken once, where each statement outside a transaction takes and drops them (system
 * calls every time). For reads only: a write inside would have to upgrade the lock, which fails at once
 * when another connection committed since the snapshot began. Within a transaction, part of that one.
 * (openReadSnapshot: a snapshot kept over many turns of the event loop, on a connection of its own.)
 */
export function readTransaction<T>(db: Db, read: () => T): T {
  if (db.$client.inTransaction) return read();
  let statements = readTransactionStatements.get(db.$client);
  if (!statements) {
    statements = { begin: db.$client.prepare('BEGIN'), commit: db.$client.prepare('COMMIT'), rollback: db.$client.prepare('ROLLBACK') };
    readTransactionStatements.set(db.$client, statements);
  }
  statements.begin.run();
  try {
    const result = read();
    statements.commit.run();
    return result;
  } catch (err) {
    if (db.$client.inTransaction) statements.rollback.run();
    throw err;
  }
}

const readTransactionStatements = new WeakMap<Database.Database, { begin: Database.Statement; commit: Database.Statement; rollback: Database.Statement }>();

/**
 * better-sqlite3's own transaction function per connection (BEGIN IMMEDIATE … COMMIT, a savepoint
 * when nested), made once, with the statements that set how BEGIN waits. The work runs on the
 * database object itself: drizzle's db.transaction builds a transaction object per call whose
 * constructor sets up the relational query builders of every table, which cost more than the
 * statements of a small write.
 */
type ImmediateTransaction = { run: (work: () => unknown) => unknown; noWait: Database.Statement; wait: Database.Statement };
const immediateTransactions = new WeakMap<Database.Database, ImmediateTransaction>();

const pauses = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `work` in a transaction begun with BEGIN IMMEDIATE, tried again after 50 µs, 100 µs … 1 ms
 * while another process holds the write lock, until the busy timeout. SQLite's own busy handler
 * sleeps 1, 2, 5, 10, 15, 20, 25 … ms between tries: with the server's processes writing back to
 * back, the one that found the lock taken slept through the gaps in which it was free (its event
 * loop stopped all the while), and a few writes in a hundred waited 100-200 ms for a lock held
 * about a millisecond at a time. Only BEGIN waits this way; the statements inside hold the lock.
 */
function withWriteLock(transaction: ImmediateTransaction, work: () => unknown): unknown {
  let begun = false;
  const afterBegin = () => {
    begun = true;
    transaction.wait.run();
    return work();
  };
  const deadline = performance.now() + BUSY_TIMEOUT_MS;
  transaction.noWait.run();
  try {
    for (let pause = 0.05; ; pause = Math.min(pause * 2, 1)) {
      try {
        return transaction.run(afterBegin);
      } catch (err) {
        const busy = String((err as { code?: unknown }).code).startsWith('SQLITE_BUSY');
        if (begun || !busy || performance.now() >= deadline) throw err;
      }
      Atomics.wait(pauses, 0, 0, pause);
    }
  } finally {
    if (!begun) transaction.wait.run();
  }
}

/**
 * A query built and prepared once per database connection instead of on every call (building and
 * compiling the SQL of a join costs more than running it). `build` gets the database and returns
 * its drizzle `.prepare()`d query (with placeholders) or a better-sqlite3 statement. Keyed by the
 * connection, so the transactions of one database share it and two databases never do.
 */
export function preparedQuery<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<object, T>();
  return (db) => {
    let query = built.get(db.$client);
    if (query === undefined) built.set(db.$client, (query = build(db)));
    return query;
  };
}

/**
 * Whole rows of `table` read as arrays (a statement's `.raw()`), decoded as drizzle's select decodes them
 * (dates, booleans, JSON by the column). `columns` lists them for the SELECT under `alias`; `decode` reads
 * the row starting at `offset`. Drizzle's own mapping of a joined select walks every column's path and
 * type checks on every row: for the wide rows of a list page it cost more than the SQL.
 */
export function tableRows<T extends SQLiteTable>(table: T, alias: string) {
  const entries = Object.entries(getTableColumns(table));
  const keys = entries.map(([key]) => key);
  const decoders = entries.map(([, column]) => column);
  return {
    columns: entries.map(([, column]) => `${alias}."${column.name}"`).join(', '),
    width: entries.length,
    decode(values: unknown[], offset = 0): T['$inferSelect'] {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const value = values[offset + i];
        row[keys[i]!] = value === null ? null : decoders[i]!.mapFromDriverValue(value);
      }
      return row as T['$inferSelect'];
    },
  };
}

/**
 * `column = +value`: a comparison whose statement keeps the plan it was prepared with. Once ANALYZE has
 * sampled an index (sqlite_stat4), SQLite recompiles a statement on every run that compares a bound value
 * with that index's column, to plan for the value; for a write's lookups the recompiling costs many times
 * the lookup. The unary plus keeps the value out of planning; the index is used all the same. Raw SQL
 * writes the same `= +?` (or `= +@name`) itself.
 */
export const eqPlanned = (column: SQLWrapper, value: unknown): SQL => sql`${column} = +${value}`;

/**
 * A LIMIT or OFFSET for drizzle's .limit() and .offset() that keeps the statement's plan: drizzle binds even a constant
 * limit as `?`, and a bound limit, like `= ?` (eqPlanned), makes SQLite compile the statement again on every run once
 * ANALYZE has sampled an index (an open-seats count 0.16 -> 0.085 ms). A name is bound as `+?`; a number is written in.
 */
export function plannedLimit(value: string | number): Placeholder {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`Not a limit: ${value}`);
  return (typeof value === 'string' ? sql`+${sql.placeholder(value)}` : sql.raw(String(value))) as unknown as Placeholder;
}

/** Which columns a write sets (and which of them to NULL): the key of its prepared statement. */
export type WriteShape = { key: string; columns: Record<string, SQL | Placeholder>; params: Record<string, unknown> };

/**
 * The shape of the values of an insert or update: each column set becomes a placeholder named after
 * it (drizzle encodes dates, booleans and JSON by the column), NULL is written in the SQL (a null
 * placeholder would go through the column's encoder), undefined leaves the column out as drizzle does.
 */
export function writeShape(values: Record<string, unknown>): WriteShape {
  const columns: WriteShape['columns'] = {};
  const params: WriteShape['params'] = {};
  let key = '';
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (value === null) {
      columns[name] = sql`null`;
      key += `${name}=null,`;
    } else {
      columns[name] = sql.placeholder(name);
      params[name] = value;
      key += `${name},`;
    }
  }
  return { key, columns, params };
}

/** Distinct shapes kept per database; a caller with more (none today) builds the rest per call. */
const MAX_SHAPES = 64;

/**
 * preparedQuery for a query whose shape depends on options (which filters are set, which columns a
 * write sets): one prepared statement per shape and database, the values bound as placeholders.
 * `shape` names the shape (never anything someone typed); `arg` is what building it needs.
 */
export function preparedQueries<K extends string, T, A = undefined>(build: (db: Db, shape: K, arg: A) => T): (db: Db, shape: K, arg?: A) => T {
  const built = new WeakMap<object, Map<K, T>>();
  return (db, shape, arg) => {
    let byShape = built.get(db.$client);
    if (!byShape) built.set(db.$client, (byShape = new Map()));
    let query = byShape.get(shape);
    if (query === undefined) {
      query = build(db, shape, arg as A);
      if (byShape.size < MAX_SHAPES) byShape.set(shape, query);
    }
    return query;
  };
}

const dialect = new SQLiteSyncDialect();

/** A read written as raw SQL, prepared: its values are the sql.placeholder()s of the SQL it was built from. */
export type PreparedSql<T> = { all(values: Record<string, unknown>): T[]; get(values: Record<string, unknown>): T | undefined };

/**
 * preparedQueries for a read written as raw SQL (aggregates, CTEs): `build` returns the SQL of a
 * shape with every value a sql.placeholder(), compiled once per shape and database; a value written
 * into the SQL itself would be frozen into the statement, so builders must not do that.
 */
export function preparedSql<T, K extends string = string, A = undefined>(build: (shape: K, arg: A) => SQL): (db: Db, shape: K, arg?: A) => PreparedSql<T> {
  return preparedQueries((db: Db, shape: K, arg: A) => {
    const query = dialect.sqlToQuery(build(shape, arg));
    if (query.params.some((p) => !(p instanceof Placeholder))) throw new Error(`A value was written into a prepared statement: ${query.sql}`);
    const statement = db.$client.prepare(query.sql);
    return {
      all: (values) => statement.all(...fillPlaceholders(query.params, values)) as T[],
      get: (values) => statement.get(...fillPlaceholders(query.params, values)) as T | undefined,
    };
  });
}

/** preparedQueries for writes whose set of columns varies by caller (writeShape). */
export function preparedPerShape<T>(build: (db: Db, columns: WriteShape['columns']) => T): (db: Db, shape: WriteShape) => T {
  const byKey = preparedQueries((db: Db, _key: string, columns: WriteShape['columns']) => build(db, columns));
  return (db, shape) => byKey(db, shape.key, shape.columns);
}

const versionQueries = new WeakMap<Database.Database, { own: Database.Statement; others: Database.Statement }>();

function versionQueriesOf(db: Db) {
  let queries = versionQueries.get(db.$client);
  if (!queries) {
    queries = { own: db.$client.prepare('SELECT total_changes() AS n'), others: db.$client.prepare('PRAGMA data_version') };
    versionQueries.set(db.$client, queries);
  }
  return queries;
}

/** Rows this connection has inserted, updated or deleted so far; cheap, it reads nothing from the file. */
export function ownChanges(db: Db): number {
  return (versionQueriesOf(db).own.get() as { n: number }).n;
}

/**
 * Changes whenever the data may have: total_changes() counts the rows this connection wrote,
 * PRAGMA data_version moves when another connection (process, backup restore, shell) commits.
 * Equal strings mean nothing was written in between, so what was read then still holds.
 */
export function dataVersion(db: Db): string {
  return `${ownChanges(db)}:${(versionQueriesOf(db).others.get() as { data_version: number }).data_version}`;
}

/** `text` for a LIKE pattern with ESCAPE '\': its own %, _ and \ match themselves. */
export const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (m) => `\\${m}`);
