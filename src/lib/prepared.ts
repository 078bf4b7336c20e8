import type { Db } from '../db';

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
