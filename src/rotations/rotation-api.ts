/**
 * Rotations: list, schedule, who is away, read, move, cancel, check-ins. Mounted at /rotations of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { rotationStatuses } from '../../db/schema';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { apiPageQuery, dateSchema } from '../lib/validation';
import { addDaysToLocalDate, daysBetween } from '../lib/time';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator, requireFound } from '../web';
import { awayPeople, awayScopeOf, canViewRotation, pageOfRotations, rotationDetails, visibleRotations } from './reads';
import { cancelRotation, changeRotation, rotationChangeSchema, rotationInputSchema, scheduleRotation } from './scheduling';
import { checkInInputSchema, submitCheckIn } from './check-ins';
import { asOf, requireRotation, todayOf } from './lifecycle';
import { idParam, publicRotation, rotationSchema, tags } from './api-helpers';

const listQuery = z.object({
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  personId: z.coerce.number().int().positive().optional(),
  programId: z.coerce.number().int().positive().optional(),
  hostTeamId: z.coerce.number().int().positive().optional(),
  status: z.enum(rotationStatuses).optional(),
  ...apiPageQuery,
});
const AWAY_MAX_DAYS = 366;
const awayQuery = z
  .object({ from: dateSchema.optional(), to: dateSchema.optional(), ...apiPageQuery })
  // The window is what the caller sizes: without a bound, 1900–2199 would list every rotation ever kept.
  .refine((q) => !q.from || !q.to || (q.to >= q.from && daysBetween(q.from, q.to) <= AWAY_MAX_DAYS), {
    path: ['to'],
    message: `Ask for a window of at most ${AWAY_MAX_DAYS} days, ending on or after from.`,
  });

const createBody = rotationInputSchema;
const changeBody = rotationChangeSchema;
const cancelBody = z.object({ reason: z.string().trim().min(3).max(500) }).strict();

export const rotationApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/rotations',
    summary: 'Rotations overlapping a window (HR: all; managers: their people; employees: their own)',
    tags,
    roles: 'any',
    query: listQuery,
    response: z.object({
      data: z.array(rotationSchema),
      page: z.number(),
      pageSize: z.number(),
      total: z.number().describe('How many rotations match; with totalExact false, counted no further than this (there are more)'),
      totalExact: z.boolean().describe('false when more than 1000 rotations match (or more than the pages up to this one hold): the pages go on past total'),
    }),
  },
  {
    method: 'post',
    path: '/api/v1/rotations',
    summary:
      'Schedule a rotation. A broken rule answers 409 with the rule code (overlap, host_capacity, home_coverage, new_hire_period, mentor_away, mentor_not_in_host_team, blackout, unavailable, direction) and every violation; send overrideRules and overrideReason to override.',
    tags,
    roles: 'hr',
    body: createBody,
    response: rotationSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/v1/rotations/away',
    summary:
      'Who is away on rotation in a window (HR: everyone; managers: their people), by start date, a page at a time; a manager’s total is counted no further than 1,000 (or the pages asked for), totalExact false past it',
    tags,
    roles: 'hr, manager',
    query: awayQuery,
  },
  {
    method: 'get',
    path: '/api/v1/rotations/{id}',
    summary: 'One rotation',
    tags,
    roles: 'hr, the person on the rotation, mentor, their managers',
    response: rotationSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/rotations/{id}',
    summary: 'Move a rotation (dates, host team, mentor) under the same rules (409 with the rule code)',
    tags,
    roles: 'hr',
    body: changeBody,
    response: rotationSchema,
  },
  {
    method: 'post',
    path: '/api/v1/rotations/{id}/cancel',
    summary: 'Cancel a rotation with a reason',
    tags,
    roles: 'hr',
    body: cancelBody,
    response: rotationSchema,
  },
  {
    method: 'post',
    path: '/api/v1/rotations/{id}/check-ins',
    summary: 'Write the mid-point or end check-in (the person on the rotation or the mentor)',
    tags,
    roles: 'the person on the rotation, mentor',
    body: checkInInputSchema,
  },
];

/** HR changing a rotation: the rotation must exist before the body is read. */
const hrChanging = <T extends z.ZodType>(body: T) =>
  [requireRole('hr'), apiValidator('param', idParam), requireFound((c, id) => requireRotation(c.var.deps.db, id)), apiValidator('json', body)] as const;

export function rotationApi() {
  const app = new Hono<AppEnv>();

  app.get('/', apiValidator('query', listQuery), (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const { page, pageSize, ...filter } = q;
    const { rows, total, more } = pageOfRotations(
      db,
      { ...filter, today: todayOf(clock), includeCancelled: !q.status, ...visibleRotations(db, viewerOf(c)) },
      page,
      pageSize,
    );
    return c.json({ data: rows.map(publicRotation), page, pageSize, total, totalExact: !more });
  });
  app.post('/', requireRole('hr'), apiValidator('json', createBody), (c) => {
    const { db, clock } = c.var.deps;
    const row = scheduleRotation(db, clock, actorOf(c.var.viewer), c.req.valid('json'));
    return c.json(publicRotation(rotationDetails(db, row.id, todayOf(clock))), 201);
  });
  app.get('/away', requireRole('hr', 'manager'), apiValidator('query', awayQuery), (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const from = q.from ?? todayOf(clock);
    const to = q.to ?? addDaysToLocalDate(from, 27);
    if (daysBetween(from, to) > AWAY_MAX_DAYS || to < from)
      throw new AppError(400, 'invalid', `Ask for a window of at most ${AWAY_MAX_DAYS} days.`, [
        { path: 'to', message: `At most ${AWAY_MAX_DAYS} days after from.` },
      ]);
    const { page, pageSize } = q;
    const { rows, total, more } = awayPeople(db, from, to, awayScopeOf(db, viewerOf(c)), { page, pageSize });
    return c.json({ from, to, data: rows.map((a) => asOf(todayOf(clock), a)), page, pageSize, total, totalExact: !more });
  });

  const visibleDetails = (c: AppContext, id: number) => {
    const details = rotationDetails(c.var.deps.db, id, todayOf(c.var.deps.clock));
    if (!canViewRotation(c.var.deps.db, viewerOf(c), details)) throw forbidden();
    return details;
  };
  app.get('/:id', apiValidator('param', idParam), (c) => {
    const details = visibleDetails(c as unknown as AppContext, c.req.valid('param').id);
    return c.json({
      ...publicRotation(details),
      overrides: details.overrides.map((o) => ({ rule: o.rule, message: o.message, reason: o.reason, by: o.byName, at: o.at.toISOString() })),
      checklist: details.checklist.map((i) => ({ id: i.id, title: i.title, doneAt: i.doneAt?.toISOString() ?? null })),
      checkIns: details.checkIns.map((ci) => ({
        kind: ci.kind,
        authorId: ci.authorId,
        authorRole: ci.authorRole,
        learned: ci.learned,
        otherDepartmentShouldChange: ci.otherDepartmentShouldChange,
        submittedAt: ci.submittedAt.toISOString(),
      })),
    });
  });
  app.patch('/:id', ...hrChanging(changeBody), (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    changeRotation(db, clock, actorOf(c.var.viewer), id, c.req.valid('json'));
    return c.json(publicRotation(rotationDetails(db, id, todayOf(clock))));
  });
  app.post('/:id/cancel', ...hrChanging(cancelBody), (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    cancelRotation(db, clock, actorOf(c.var.viewer), id, c.req.valid('json').reason);
    return c.json(publicRotation(rotationDetails(db, id, todayOf(clock))));
  });
  app.post(
    '/:id/check-ins',
    apiValidator('param', idParam),
    requireFound((c, id) => visibleDetails(c, id)),
    apiValidator('json', checkInInputSchema),
    (c) => {
      const { id } = c.req.valid('param');
      visibleDetails(c as unknown as AppContext, id);
      const { db, clock } = c.var.deps;
      const saved = submitCheckIn(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, c.req.valid('json'));
      return c.json(
        {
          id: saved.id,
          kind: saved.kind,
          authorRole: saved.authorRole,
          learned: saved.learned,
          otherDepartmentShouldChange: saved.otherDepartmentShouldChange,
        },
        201,
      );
    },
  );

  return app;
}
