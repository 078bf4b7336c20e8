/** Anything that reaches one database connection: the app's database, or a transaction on it. */
export type Connected = { $client: object };

/**
 * A query built and prepared once per database connection instead of on every call (building and
 * compiling the SQL of a join costs more than running it). `build` gets the database and returns
 * its drizzle `.prepare()`d query (with placeholders). Keyed by the connection, so the transactions
 * of one database share it and two databases never do.
 */
export function preparedOnConnection<C extends Connected, T>(build: (db: C) => T): (db: C) => T {
  const built = new WeakMap<object, T>();
  return (db) => {
    let query = built.get(db.$client);
    if (query === undefined) built.set(db.$client, (query = build(db)));
    return query;
  };
}
