import { and, count, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { auditLog, people } from '../../db/schema';
import { plannedLimit, preparedQueries, preparedQuery, type Db } from '../db';
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

// Every write records one: a statement compiled once per database, not per change.
const insertAudit = preparedQuery((db) =>
  db.$client.prepare(
    `INSERT INTO audit_log (at, actor_id, actor_token_id, action, entity_type, entity_id, before, after)
     VALUES (@at, @actorId, @actorTokenId, @action, @entityType, @entityId, @before, @after)`,
  ),
);

type AuditFilter = {
  entityType?: string;
  entityId?: string;
  actorId?: number;
  action?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
};

const AUDIT_FILTERS = ['entityType', 'entityId', 'actorId', 'action', 'from', 'to'] as const;

/** The audit list and its count, one statement each per set of filters used and database; the filters' values are placeholders. */
const auditQueries = preparedQueries((db: Db, shape: string) => {
  const used = (name: (typeof AUDIT_FILTERS)[number]) => shape.includes(`${name},`);
  const value = (name: (typeof AUDIT_FILTERS)[number]) => sql.placeholder(name);
  const where = and(
    used('entityType') ? eq(auditLog.entityType, value('entityType')) : undefined,
    used('entityId') ? eq(auditLog.entityId, value('entityId')) : undefined,
    used('actorId') ? eq(auditLog.actorId, value('actorId')) : undefined,
    used('action') ? eq(auditLog.action, value('action')) : undefined,
    used('from') ? gte(auditLog.at, value('from')) : undefined,
    used('to') ? lt(auditLog.at, value('to')) : undefined,
  );
  return {
    rows: db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        actorId: auditLog.actorId,
        actorName: people.name,
        actorTokenId: auditLog.actorTokenId,
        action: auditLog.action,
        entityType: auditLog.entityType,
        entityId: auditLog.entityId,
        before: auditLog.before,
        after: auditLog.after,
      })
      .from(auditLog)
      .leftJoin(people, eq(people.id, auditLog.actorId))
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(plannedLimit('limit'))
      .offset(plannedLimit('offset'))
      .prepare(),
    total: db.select({ total: count() }).from(auditLog).where(where).prepare(),
  };
});

export function listAudit(db: Db, filter: AuditFilter) {
  const values: Record<string, unknown> = {};
  let shape = '';
  for (const name of AUDIT_FILTERS) {
    const v = filter[name];
    if (v === undefined || v === '' || v === 0) continue;
    shape += `${name},`;
    values[name] = v instanceof Date ? v.getTime() : v;
  }
  const queries = auditQueries(db, shape);
  const rows = queries.rows.all({ ...values, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize });
  const [{ total }] = queries.total.all(values);
  return { rows, total };
}

const entityTypesQuery = preparedQuery((db) => db.selectDistinct({ t: auditLog.entityType }).from(auditLog).orderBy(sql`1`).prepare());

export function auditEntityTypes(db: Db): string[] {
  return entityTypesQuery(db)
    .all()
    .map((r) => r.t);
}
