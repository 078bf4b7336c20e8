import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { notFound } from '../lib/errors';
import { blankToUndefined, dateSchema, pathIdSchema } from '../lib/validation';
import { requireRole, requireSignedIn } from '../guards';
import { html, layoutProps, paramValidator, queryValidator } from '../web';
import { AuditEntryPage, AuditPage } from '../../views/audit/pages';
import { AUDIT_PART, type AuditCursor, auditEntityTypes, getAuditEntry, listAudit } from './audit';

/** A place in the log as links carry it: `<instant in ms>-<id>`. */
const cursorSchema = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^\d{1,15}-\d{1,15}$/, 'Not a place in the log.')
    .transform((v): AuditCursor => {
      const [at, id] = v.split('-').map(Number) as [number, number];
      return { at, id };
    })
    .optional(),
);

const auditQuery = z
  .object({
    entityType: z.preprocess(blankToUndefined, z.string().max(60).optional()),
    entityId: z.preprocess(blankToUndefined, z.string().max(60).optional()),
    action: z.preprocess(blankToUndefined, z.string().max(80).optional()),
    actor: z.preprocess(blankToUndefined, z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional()),
    from: z.preprocess(blankToUndefined, dateSchema.optional()),
    to: z.preprocess(blankToUndefined, dateSchema.optional()),
    // Older entries than this place (the "Older" link), or newer ones ("Newer"); a page has a fixed number of rows.
    before: cursorSchema,
    after: cursorSchema,
  })
  .refine((q) => !(q.before && q.after), { message: 'Ask for entries before a place or after one, not both.', path: ['after'] });

const partSchema = z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1));
const entryQuery = z.object({ beforePart: partSchema, afterPart: partSchema });

const partsOf = (chars: number | null) => Math.max(1, Math.ceil((chars ?? 0) / AUDIT_PART));

export function auditRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/audit', requireSignedIn, requireRole('hr'), queryValidator(auditQuery), (c) => {
    const q = c.req.valid('query');
    const { db } = c.var.deps;
    const toExclusive = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) : undefined;
    const page = listAudit(
      db,
      {
        entityType: q.entityType,
        entityId: q.entityId,
        action: q.action,
        actorId: q.actor,
        from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
        to: toExclusive,
      },
      { before: q.before, after: q.after },
    );
    const { before: _before, after: _after, ...filters } = q;
    return html(c, AuditPage({ layout: layoutProps(c, 'Audit log'), ...page, filters, entityTypes: auditEntityTypes(db) }));
  });
  app.get('/audit/:id', requireSignedIn, requireRole('hr'), paramValidator(z.object({ id: pathIdSchema })), queryValidator(entryQuery), (c) => {
    const { id } = c.req.valid('param');
    const parts = c.req.valid('query');
    const entry = getAuditEntry(c.var.deps.db, id, { before: parts.beforePart, after: parts.afterPart });
    if (!entry || parts.beforePart > partsOf(entry.beforeChars) || parts.afterPart > partsOf(entry.afterChars)) {
      throw notFound('There is no such audit entry, or no such part of it.');
    }
    return html(c, AuditEntryPage({ layout: layoutProps(c, 'Audit entry'), entry, parts: { before: parts.beforePart, after: parts.afterPart } }));
  });
  return app;
}
