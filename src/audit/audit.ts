import { preparedQueries, preparedQuery, type Db } from '../db';
import type { Viewer } from '../context';

export type Actor = { personId: number | null; tokenId?: number | null };

export const actorOf = (viewer: Viewer | null): Actor => ({ personId: viewer?.person.id ?? null, tokenId: viewer?.tokenId ?? null });
export const systemActor: Actor = { personId: null, tokenId: null };

/** Records a change; call it inside the transaction that makes the change. */
export function recordAudit(
  db: Db,
  at: Date,
  actor: Actor,
  action: string,
  entityType: string,
  entityId: string | number | null,
  before: unknown,
  after: unknown,
) {
  insertAudit(db).run({
    at: at.getTime(),
    actorId: actor.personId,
    actorTokenId: actor.tokenId ?? null,
    action,
    entityType,
    entityId: entityId == null ? null : String(entityId),
    // As the json column stores them: JSON text, SQL NULL for nothing.
    before: before == null ? null : JSON.stringify(before),
    after: after == null ? null : JSON.stringify(after),
  });
}

// Every write records one: a statement compiled once per database, not per change. The heads and lengths go in with
// the values (the triggers of migration audit_heads would otherwise rewrite the row to add them).
const insertAudit = preparedQuery((db) =>
  db.$client.prepare(
    `INSERT INTO audit_log (at, actor_id, actor_token_id, action, entity_type, entity_id, before_chars, after_chars, before_head, after_head, before, after)
     VALUES (@at, @actorId, @actorTokenId, @action, @entityType, @entityId, length(@before), length(@after),
             substr(@before, 1, ${AUDIT_HEAD}), substr(@after, 1, ${AUDIT_HEAD}), @before, @after)`,
  ),
);

/** Characters of before and after the list shows of each entry (kept in before_head and after_head, see db/migrations). */
export const AUDIT_HEAD = 160;
/** Entries a page of the list shows. */
export const AUDIT_PAGE_ROWS = 25;
/**
 * Entries a page reads at most along the index of one filter while the others are checked row by row: rare
 * combinations of filters page on through the log this many entries at a time instead of reading all of it.
 */
export const AUDIT_SCAN_ROWS = 2000;
/** Characters of a value an entry's page shows at once; longer ones come in parts of this size. */
export const AUDIT_PART = 10_000;

/** A place in the log, newest first: an entry's instant and id. */
export type AuditCursor = { at: number; id: number };

export type AuditFilter = {
  entityType?: string;
  entityId?: string;
  actorId?: number;
  action?: string;
  from?: Date;
  to?: Date;
};

export type AuditPosition = { before?: AuditCursor; after?: AuditCursor };

type AuditListRow = {
  id: number;
  at: number;
  actorId: number | null;
  actorName: string | null;
  actorTokenId: number | null;
  action: string;
  entityType: string;
  entityId: string | null;
  beforeChars: number | null;
  afterChars: number | null;
  beforeHead: string | null;
  afterHead: string | null;
};

const EQUALITY = { entityType: 'entity_type', entityId: 'entity_id', actorId: 'actor_id', action: 'action' } as const;
type EqualityFilter = keyof typeof EQUALITY;

/** The index a page walks newest first: the most selective filter's, else the time's. */
function drivingIndex(filter: AuditFilter): { index: string; uses: EqualityFilter[] } {
  if (filter.entityType !== undefined && filter.entityId !== undefined) return { index: 'audit_entity_idx', uses: ['entityType', 'entityId'] };
  if (filter.actorId !== undefined) return { index: 'audit_actor_idx', uses: ['actorId'] };
  if (filter.action !== undefined) return { index: 'audit_action_idx', uses: ['action'] };
  return { index: 'audit_at_idx', uses: [] };
}

const LIST_COLUMNS = `a.id, a.at, a.actor_id AS actorId, p.name AS actorName, a.actor_token_id AS actorTokenId, a.action,
  a.entity_type AS entityType, a.entity_id AS entityId, a.before_chars AS beforeChars, a.after_chars AS afterChars,
  a.before_head AS beforeHead, a.after_head AS afterHead`;

/**
 * One page's statements for a set of filters and a direction (older: newest first from a place, newer: oldest first).
 * `rows` reads up to a page and one more of matching entries; `frontier` the last entry the walk may read, when other
 * filters than the driving index's are checked row by row.
 */
const auditPageQueries = preparedQueries((db: Db, shape: string) => {
  const [used, direction, cursor] = shape.split('|') as [string, 'older' | 'newer', string];
  const filters = new Set(used.split(','));
  const { index, uses } = drivingIndex(Object.fromEntries([...filters].map((f) => [f, 1])) as AuditFilter);
  const order = direction === 'older' ? 'DESC' : 'ASC';
  const walkWhere = (t: string) => {
    const conditions = [
      ...uses.map((f) => `${t}${EQUALITY[f]} = +@${f}`),
      filters.has('from') ? `${t}at >= +@from` : '',
      filters.has('to') ? `${t}at < +@to` : '',
      cursor ? `(${t}at, ${t}id) ${direction === 'older' ? '<' : '>'} (@cursorAt, @cursorId)` : '',
    ].filter(Boolean);
    return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  };
  const checked = (Object.keys(EQUALITY) as EqualityFilter[]).filter((f) => filters.has(f) && !uses.includes(f));
  const limit = AUDIT_PAGE_ROWS + 1;
  if (!checked.length) {
    return {
      rows: db.$client.prepare<Record<string, unknown>, AuditListRow>(
        `SELECT ${LIST_COLUMNS} FROM audit_log a INDEXED BY ${index} LEFT JOIN people p ON p.id = a.actor_id
          ${walkWhere('a.')} ORDER BY a.at ${order}, a.id ${order} LIMIT ${limit}`,
      ),
      frontier: null,
    };
  }
  const walked = `SELECT id, at FROM audit_log INDEXED BY ${index} ${walkWhere('')} ORDER BY at ${order}, id ${order}`;
  return {
    rows: db.$client.prepare<Record<string, unknown>, AuditListRow>(
      `WITH walked AS (${walked} LIMIT ${AUDIT_SCAN_ROWS})
       SELECT ${LIST_COLUMNS} FROM walked w JOIN audit_log a ON a.id = w.id LEFT JOIN people p ON p.id = a.actor_id
        WHERE ${checked.map((f) => `a.${EQUALITY[f]} = +@${f}`).join(' AND ')}
        ORDER BY w.at ${order}, w.id ${order} LIMIT ${limit}`,
    ),
    frontier: db.$client.prepare<Record<string, unknown>, AuditCursor>(`${walked} LIMIT 1 OFFSET ${AUDIT_SCAN_ROWS - 1}`),
  };
});

const cursorOf = (row: { at: number; id: number }): AuditCursor => ({ at: row.at, id: row.id });

/**
 * A page of the audit log, newest first: at most AUDIT_PAGE_ROWS entries before a place (older) or after it (newer),
 * with the places of the pages on either side (none at an end). Each entry brings the first AUDIT_HEAD characters of
 * its before and after and their lengths, never the values, so a page costs the same whatever the entries hold.
 * `searchedTo` is set when the filters matched fewer entries than a page among the AUDIT_SCAN_ROWS read: the page then
 * ends there and `older` goes on from it.
 */
export function listAudit(db: Db, filter: AuditFilter, position: AuditPosition = {}) {
  const values: Record<string, unknown> = {};
  const used: string[] = [];
  for (const name of ['entityType', 'entityId', 'actorId', 'action', 'from', 'to'] as const) {
    const v = filter[name];
    if (v === undefined || v === '') continue;
    used.push(name);
    values[name] = v instanceof Date ? v.getTime() : v;
  }
  const direction = position.after ? 'newer' : 'older';
  const cursor = position.after ?? position.before;
  if (cursor) Object.assign(values, { cursorAt: cursor.at, cursorId: cursor.id });
  const queries = auditPageQueries(db, `${used.join(',')}|${direction}|${cursor ? 'cursor' : ''}`);
  let rows = queries.rows.all(values);
  const more = rows.length > AUDIT_PAGE_ROWS;
  if (more) rows = rows.slice(0, AUDIT_PAGE_ROWS);
  const frontier = !more && queries.frontier ? queries.frontier.get(values) : undefined;
  const beyond = more ? cursorOf(rows.at(-1)!) : frontier;
  if (direction === 'newer') {
    // Nothing newer than this page: the newest page itself, full.
    if (!beyond) return listAudit(db, filter);
    rows.reverse();
    return { rows, newer: beyond, older: cursorOf(rows.at(-1) ?? cursor!), searchedTo: frontier?.at };
  }
  return { rows, newer: cursor ? cursorOf(rows[0] ?? cursor) : undefined, older: beyond, searchedTo: frontier?.at };
}

/** One entry with a part of its before and after (1 = the first AUDIT_PART characters), whatever their length. */
const auditEntryQuery = preparedQuery((db) =>
  db.$client.prepare<Record<string, unknown>, AuditListRow & { beforePart: string | null; afterPart: string | null }>(
    `SELECT ${LIST_COLUMNS}, substr(a.before, @beforeStart, ${AUDIT_PART}) AS beforePart, substr(a.after, @afterStart, ${AUDIT_PART}) AS afterPart
       FROM audit_log a LEFT JOIN people p ON p.id = a.actor_id WHERE a.id = +@id`,
  ),
);

export function getAuditEntry(db: Db, id: number, parts: { before: number; after: number }) {
  return auditEntryQuery(db).get({ id, beforeStart: (parts.before - 1) * AUDIT_PART + 1, afterStart: (parts.after - 1) * AUDIT_PART + 1 });
}

/**
 * The kinds of thing the log names, for the filter: a hop along audit_entity_idx from one kind to the next, so the
 * list costs a few seeks per kind, not a read of every entry.
 */
const entityTypesQuery = preparedQuery((db) =>
  db.$client
    .prepare<[], string>(
      `WITH RECURSIVE kinds(t) AS (
         SELECT min(entity_type) FROM audit_log
         UNION ALL
         SELECT (SELECT min(entity_type) FROM audit_log WHERE entity_type > kinds.t) FROM kinds WHERE kinds.t IS NOT NULL
       )
       SELECT t FROM kinds WHERE t IS NOT NULL`,
    )
    .pluck(),
);

export function auditEntityTypes(db: Db): string[] {
  return entityTypesQuery(db).all();
}
