/**
 * Enrollments: listing (managers their reports, employees their own), enrolling by hand, ending one. Mounted at /enrollments of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { forbidden } from '../lib/errors';
import { apiPageQuery, blankToUndefined, dateSchema, idSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { canViewPerson } from '../people/people';
import { apiValidator } from '../web';
import { type EnrollmentListRow, endEnrollment, enrollmentListRow, enrollPeople, getEnrollment, pageOfEnrollments, viewerEnrollmentScope } from './enrollment';
import { getProgram } from './programs';
import { canManagePerson } from './sign-offs';
import { idParam, tags } from './api-schemas';

const enrollmentSchema = z.object({
  id: z.number().int(),
  programId: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  startDate: z.string(),
  source: z.enum(['rule', 'manual']),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
});
const enrollmentQuery = z.object({
  program: z.preprocess(blankToUndefined, idSchema.optional()),
  person: z.preprocess(blankToUndefined, idSchema.optional()),
  includeEnded: z.enum(['true', 'false']).default('false'),
  ...apiPageQuery,
});
const enrollBody = z.object({ programId: idSchema, personIds: z.array(idSchema).min(1).max(10_000), startDate: dateSchema.optional() }).strict();
const enrollResultSchema = z.object({ enrolled: z.number().int(), reopened: z.number().int(), alreadyEnrolled: z.number().int(), skipped: z.number().int() });

export const enrollmentApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/enrollments',
    summary: 'Enrollments (managers: their reports; employees: their own): running ones, then with includeEnded ended ones, each in name order',
    tags,
    roles: 'any',
    query: enrollmentQuery,
    response: z.object({ data: z.array(enrollmentSchema), page: z.number(), pageSize: z.number(), total: z.number() }),
  },
  {
    method: 'post',
    path: '/api/v1/enrollments',
    summary: 'Enroll people by hand',
    tags,
    roles: 'hr, manager (their reports)',
    body: enrollBody,
    response: enrollResultSchema,
    status: 201,
  },
  {
    method: 'post',
    path: '/api/v1/enrollments/{id}/end',
    summary: 'End an enrollment: open requirements stop counting, completed ones stay',
    tags,
    roles: 'hr, manager (their reports)',
    response: enrollmentSchema,
  },
];

function presentEnrollment(row: EnrollmentListRow) {
  return {
    id: row.id,
    programId: row.programId,
    personId: row.personId,
    name: row.name,
    startDate: row.startDate,
    source: row.source,
    endedAt: row.endedAt?.toISOString() ?? null,
    endReason: row.endReason,
  };
}

export function enrollmentApi() {
  const app = new Hono<AppEnv>();

  app.get('/', apiValidator('query', enrollmentQuery), (c) => {
    const q = c.req.valid('query');
    const scope = { programId: q.program, personId: q.person, ...viewerEnrollmentScope(c.var.deps.db, viewerOf(c)) };
    const { rows, total } = pageOfEnrollments(c.var.deps.db, scope, q.includeEnded === 'true', q.page, q.pageSize);
    return c.json({
      data: rows.map(presentEnrollment),
      page: q.page,
      pageSize: q.pageSize,
      total,
    });
  });
  app.post('/', requireRole('hr', 'manager'), apiValidator('json', enrollBody), (c) => {
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    if (body.personIds.some((id) => !canViewPerson(db, viewer, id))) throw forbidden('Managers can enroll only the people who report to them.');
    getProgram(db, body.programId);
    return c.json(enrollPeople(db, body.programId, body.personIds, actorOf(c.var.viewer), clock, { startDate: body.startDate }), 201);
  });
  app.post('/:id/end', requireRole('hr', 'manager'), apiValidator('param', idParam), (c) => {
    const { db, clock } = c.var.deps;
    const enrollment = getEnrollment(db, c.req.valid('param').id);
    if (!canManagePerson(db, viewerOf(c), enrollment.personId)) throw forbidden('Only HR or the person’s manager can end this enrollment.');
    return c.json(presentEnrollment(enrollmentListRow(db, endEnrollment(db, clock, actorOf(c.var.viewer), enrollment.id))));
  });

  return app;
}
