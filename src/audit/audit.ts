import { and, count, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { auditLog, people } from '../../db/schema';
import { preparedQuery, type Db } from '../db';
import type { Viewer } from '../context';
import { onPage } from '../lib/paging';

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

export function listAudit(db: Db, filter: AuditFilter) {
  const where = and(
    filter.entityType ? eq(auditLog.entityType, filter.entityType) : undefined,
    filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
    filter.actorId ? eq(auditLog.actorId, filter.actorId) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.from ? gte(auditLog.at, filter.from) : undefined,
    filter.to ? lt(auditLog.at, filter.to) : undefined,
  );
  const rows = onPage(
    db
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
      .$dynamic(),
    filter,
  ).all();
  const [{ total }] = db.select({ total: count() }).from(auditLog).where(where).all();
  return { rows, total };
}

export function auditEntityTypes(db: Db): string[] {
  return db
    .selectDistinct({ t: auditLog.entityType })
    .from(auditLog)
    .orderBy(sql`1`)
    .all()
    .map((r) => r.t);
}
