import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { blankToUndefined, dateSchema, pageQuery } from '../lib/validation';
import { requireRole, requireSignedIn } from '../guards';
import { html, layoutProps, queryValidator } from '../web';
import { AuditPage } from '../../views/admin/pages';
import { auditEntityTypes, listAudit } from './audit';

const auditQuery = z.object({
  entityType: z.preprocess(blankToUndefined, z.string().max(60).optional()),
  entityId: z.preprocess(blankToUndefined, z.string().max(60).optional()),
  action: z.preprocess(blankToUndefined, z.string().max(80).optional()),
  actor: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()),
  from: z.preprocess(blankToUndefined, dateSchema.optional()),
  to: z.preprocess(blankToUndefined, dateSchema.optional()),
  ...pageQuery,
});

export function auditRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/audit', requireSignedIn, requireRole('hr'), queryValidator(auditQuery), (c) => {
    const q = c.req.valid('query');
    const { db } = c.var.deps;
    const toExclusive = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) : undefined;
    const result = listAudit(db, {
      entityType: q.entityType,
      entityId: q.entityId,
      action: q.action,
      actorId: q.actor,
      from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
      to: toExclusive,
      page: q.page,
      pageSize: q.pageSize,
    });
    return html(
      c,
      AuditPage({ layout: layoutProps(c, 'Audit log'), ...result, page: q.page, pageSize: q.pageSize, filters: q, entityTypes: auditEntityTypes(db) }),
    );
  });
  return app;
}
