/** How many ids one `IN (...)` list carries: well under SQLite's limit on bound parameters. */
const CHUNK = 500;

/** Runs `read` over `items` in slices of at most CHUNK and joins what it returns, so a long id list never overflows one statement. */
export function readInChunks<T, R>(items: readonly T[], read: (chunk: T[]) => R[]): R[] {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...read(items.slice(i, i + CHUNK)));
  return out;
}
