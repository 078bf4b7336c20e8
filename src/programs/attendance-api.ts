/**
 * Attendance of an occurrence: the sheet, marks and corrections, everyone present. Mounted at /attendance of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { forbidden } from '../lib/errors';
import { idSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { canManageEvent } from '../events';
import { apiValidator } from '../web';
import { attendanceMarkSchema, attendanceSheet, markAttendance, markEveryonePresent } from './attendance';
import { occurrenceIdSchema, resolveOccurrence } from './sessions';
import { tags } from './api-schemas';

const attendanceBody = z
  .object({
    occurrenceId: occurrenceIdSchema,
    marks: z.array(attendanceMarkSchema.strict()).max(2000).default([]),
    remove: z.array(idSchema).max(2000).default([]).describe('People whose mark is removed (a mistake corrected)'),
  })
  .strict()
  .refine((b) => b.marks.length + b.remove.length > 0, { message: 'Mark or remove at least one person.', path: ['marks'] });
const everyonePresentBody = z.object({ occurrenceId: occurrenceIdSchema }).strict();
const attendanceResultSchema = z.object({ marked: z.number().int(), attended: z.number().int(), walkIns: z.number().int(), removed: z.number().int() });
const attendanceQuery = z.object({ occurrenceId: occurrenceIdSchema });
const sheetSchema = z.object({
  occurrenceId: z.string(),
  data: z.array(
    z.object({
      personId: z.number().int(),
      name: z.string(),
      invitation: z.string().nullable(),
      checkedInAt: z.string().nullable(),
      attendance: z.enum(['attended', 'no_show']).nullable(),
      heldPlace: z.boolean(),
      walkIn: z.boolean(),
    }),
  ),
});

export const attendanceApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/attendance',
    summary: 'The attendance sheet of one occurrence',
    tags,
    roles: 'host, their manager, hr',
    query: attendanceQuery,
    response: sheetSchema,
  },
  {
    method: 'post',
    path: '/api/v1/attendance',
    summary:
      'Record or correct attendance of an occurrence that has started, also long after: attended / no_show, `remove` to take marks back; someone who held no place there is marked attended only with `walkIn: true` (409 walk_in_required otherwise); completion follows in the same transaction',
    tags,
    roles: 'host, their manager, hr',
    body: attendanceBody,
    response: attendanceResultSchema,
  },
  {
    method: 'post',
    path: '/api/v1/attendance/everyone-present',
    summary: 'Mark everyone who held a place at an occurrence that has started as attended',
    tags,
    roles: 'host, their manager, hr',
    body: everyonePresentBody,
    response: attendanceResultSchema,
  },
];

export function attendanceApi() {
  const app = new Hono<AppEnv>();

  app.get('/', apiValidator('query', attendanceQuery), (c) => {
    const { occurrenceId } = c.req.valid('query');
    const { db } = c.var.deps;
    const { event, occurrence } = resolveOccurrence(db, occurrenceId);
    if (!canManageEvent(db, viewerOf(c).person, event)) throw forbidden('Only the host, their manager or HR can see attendance.');
    const data = attendanceSheet(db, event, occurrence).map((r) => ({
      personId: r.personId,
      name: r.name,
      invitation: r.invitation,
      checkedInAt: r.checkedInAt?.toISOString() ?? null,
      attendance: r.attendance,
      heldPlace: r.invitation !== null,
      walkIn: r.walkIn,
    }));
    return c.json({ occurrenceId: occurrence.key, data });
  });
  app.post('/', apiValidator('json', attendanceBody), (c) => {
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const { event, occurrence } = resolveOccurrence(db, body.occurrenceId);
    return c.json(
      markAttendance(
        db,
        clock,
        actorOf(c.var.viewer),
        viewerOf(c).person,
        { eventId: event.id, originalStart: occurrence.originalStart },
        body.marks,
        body.remove,
      ),
    );
  });
  app.post('/everyone-present', apiValidator('json', everyonePresentBody), (c) => {
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const { event, occurrence } = resolveOccurrence(db, body.occurrenceId);
    return c.json(markEveryonePresent(db, clock, actorOf(c.var.viewer), viewerOf(c).person, { eventId: event.id, originalStart: occurrence.originalStart }));
  });

  return app;
}
