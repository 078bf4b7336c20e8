import type { SQLiteSelect } from 'drizzle-orm/sqlite-core';

/** Which page of a list, counted from 1, and how many rows a page holds. */
type Paging = { page: number; pageSize: number };

/** Limits a list query (made `$dynamic()`) to the rows of one page. */
export function onPage<Q extends SQLiteSelect>(query: Q, paging: Paging): Q {
  return query.limit(paging.pageSize).offset((paging.page - 1) * paging.pageSize);
}
