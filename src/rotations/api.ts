import { Hono } from 'hono';
import { z } from 'zod';
import { departments, rotationDirections, rotationStatuses } from '../../db/schema';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { apiPageQuery, dateSchema, pathIdSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../guards';
import { visiblePersonIds } from '../people/people';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator, requireFound } from '../web';
import { addDaysToLocalDate, daysBetween } from '../lib/time';
import { RULE_CODES } from './rules';
import { awayPeople, canViewRotation, pageOfRotations, rotationDetails, type RotationListRow } from './reads';
import { cancelRotation, changeRotation, rotationChangeSchema, rotationInputSchema, scheduleRotation } from './scheduling';
import { checkInInputSchema, submitCheckIn } from './check-ins';
import { commitPlan, planItemSchema, planRequestSchema, proposePlan } from './planning';
import {
  createRotationProgram,
  getRotationProgram,
  listRotationPrograms,
  rotationProgramInputSchema,
  updateRotationProgram,
  type RotationProgramDetails,
} from './programs';
import { requireRotation, syncRotationStatuses, todayOf } from './lifecycle';

const idParam = z.object({ id: pathIdSchema });

const programSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  direction: z.enum(rotationDirections),
  lengthWeeks: z.number().int(),
  coveragePercent: z.number().int(),
  learningGoals: z.string(),
  active: z.boolean(),
  hostTeams: z.array(z.object({ teamId: z.number().int(), teamName: z.string(), department: z.enum(departments), capacity: z.number().int() })),
  checklist: z.array(z.object({ id: z.number().int(), position: z.number().int(), title: z.string() })),
});

const rotationSchema = z.object({
  id: z.number().int(),
  programId: z.number().int(),
  programName: z.string(),
  personId: z.number().int(),
  personName: z.string(),
  homeTeamId: z.number().int().nullable(),
  hostTeamId: z.number().int(),
  hostTeamName: z.string(),
  mentorId: z.number().int().nullable(),
  mentorName: z.string().nullable(),
  startDate: z.string().describe('First day, inclusive (YYYY-MM-DD)'),
  endDate: z.string().describe('Last day, inclusive (YYYY-MM-DD)'),
  status: z.enum(rotationStatuses),
  planId: z.string().nullable(),
  overrideCount: z.number().int(),
});

const _violationSchema = z.object({ code: z.enum(RULE_CODES), message: z.string(), people: z.array(z.number()).optional() });

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
  .object({ from: dateSchema.optional(), to: dateSchema.optional() })
  // The window is what the caller sizes: without a bound, 1900–2199 would list every rotation ever kept.
  .refine((q) => !q.from || !q.to || (q.to >= q.from && daysBetween(q.from, q.to) <= AWAY_MAX_DAYS), {
    path: ['to'],
    message: `Ask for a window of at most ${AWAY_MAX_DAYS} days, ending on or after from.`,
  });

const programBody = rotationProgramInputSchema.strict();
const programPatch = rotationProgramInputSchema
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');
const createBody = rotationInputSchema;
const changeBody = rotationChangeSchema;
const cancelBody = z.object({ reason: z.string().trim().min(3).max(500) }).strict();
const commitBody = z.object({ request: planRequestSchema, items: z.array(planItemSchema).min(1).max(20_000) }).strict();

const planResponse = z.object({
  rotations: z.array(z.object({ personId: z.number(), hostTeamId: z.number(), mentorId: z.number(), start: z.string(), end: z.string() })),
  unplaced: z.array(z.object({ personId: z.number(), rule: z.string(), message: z.string() })),
  alreadyPlanned: z.array(z.object({ personId: z.number(), name: z.string(), startDate: z.string(), endDate: z.string() })),
  stats: z.record(z.string(), z.unknown()),
});

export const rotationsApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/rotation-programs',
    summary: 'Rotation programs',
    tags: ['rotations'],
    roles: 'any',
    response: z.object({ data: z.array(programSchema) }),
  },
  {
    method: 'post',
    path: '/api/v1/rotation-programs',
    summary: 'Create a rotation program (direction, length, host teams with capacity, checklist)',
    tags: ['rotations'],
    roles: 'hr',
    body: programBody,
    response: programSchema,
    status: 201,
  },
  { method: 'get', path: '/api/v1/rotation-programs/{id}', summary: 'One rotation program', tags: ['rotations'], roles: 'any', response: programSchema },
  {
    method: 'patch',
    path: '/api/v1/rotation-programs/{id}',
    summary: 'Change a rotation program (host teams and checklist are replaced when sent)',
    tags: ['rotations'],
    roles: 'hr',
    body: programPatch,
    response: programSchema,
  },
  {
    method: 'get',
    path: '/api/v1/rotations',
    summary: 'Rotations overlapping a window (HR: all; managers: their people; employees: their own)',
    tags: ['rotations'],
    roles: 'any',
    query: listQuery,
    response: z.object({ data: z.array(rotationSchema), page: z.number(), pageSize: z.number(), total: z.number() }),
  },
  {
    method: 'post',
    path: '/api/v1/rotations',
    summary:
      'Schedule a rotation. A broken rule answers 409 with the rule code (overlap, host_capacity, home_coverage, new_hire_period, mentor_away, mentor_not_in_host_team, blackout, unavailable, direction) and every violation; send overrideRules and overrideReason to override.',
    tags: ['rotations'],
    roles: 'hr',
    body: createBody,
    response: rotationSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/v1/rotations/away',
    summary: 'Who is away on rotation in a window (HR: everyone; managers: their people)',
    tags: ['rotations'],
    roles: 'hr, manager',
    query: awayQuery,
  },
  {
    method: 'get',
    path: '/api/v1/rotations/{id}',
    summary: 'One rotation',
    tags: ['rotations'],
    roles: 'hr, the person on the rotation, mentor, their managers',
    response: rotationSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/rotations/{id}',
    summary: 'Move a rotation (dates, host team, mentor) under the same rules (409 with the rule code)',
    tags: ['rotations'],
    roles: 'hr',
    body: changeBody,
    response: rotationSchema,
  },
  {
    method: 'post',
    path: '/api/v1/rotations/{id}/cancel',
    summary: 'Cancel a rotation with a reason',
    tags: ['rotations'],
    roles: 'hr',
    body: cancelBody,
    response: rotationSchema,
  },
  {
    method: 'post',
    path: '/api/v1/rotations/{id}/check-ins',
    summary: 'Write the mid-point or end check-in (the person on the rotation or the mentor)',
    tags: ['rotations'],
    roles: 'the person on the rotation, mentor',
    body: checkInInputSchema,
  },
  {
    method: 'post',
    path: '/api/v1/rotations/plan',
    summary: 'Propose a plan for a program, people and horizon; nothing is written',
    tags: ['rotations'],
    roles: 'hr',
    body: planRequestSchema,
    response: planResponse,
  },
  {
    method: 'post',
    path: '/api/v1/rotations/plan/commit',
    summary:
      'Commit a (reviewed) plan in one transaction: every item is re-checked; if any breaks a rule nothing is written (409 with the items and their violations)',
    tags: ['rotations'],
    roles: 'hr',
    body: commitBody,
    status: 201,
  },
];

const publicProgram = (p: RotationProgramDetails) => ({
  id: p.id,
  name: p.name,
  direction: p.direction,
  lengthWeeks: p.lengthWeeks,
  coveragePercent: p.coveragePercent,
  learningGoals: p.learningGoals,
  active: p.active,
  hostTeams: p.hostTeams,
  checklist: p.checklist,
});

const publicRotation = (r: RotationListRow) => ({
  id: r.id,
  programId: r.programId,
  programName: r.programName,
  personId: r.personId,
  personName: r.personName,
  homeTeamId: r.homeTeamId,
  hostTeamId: r.hostTeamId,
  hostTeamName: r.hostTeamName,
  mentorId: r.mentorId,
  mentorName: r.mentorName,
  startDate: r.startDate,
  endDate: r.endDate,
  status: r.status,
  planId: r.planId,
  overrideCount: r.overrideCount,
});

export function rotationsApi() {
  const app = new Hono<AppEnv>();
  app.use('/rotation-programs', requireSignedIn);
  app.use('/rotation-programs/*', requireSignedIn);
  app.use('/rotations', requireSignedIn);
  app.use('/rotations/*', requireSignedIn);
  app.use('/rotations/*', async (c, next) => {
    syncRotationStatuses(c.var.deps.db, todayOf(c.var.deps.clock));
    await next();
  });

  app.get('/rotation-programs', (c) => {
    const { db } = c.var.deps;
    return c.json({ data: listRotationPrograms(db).map((p) => publicProgram(getRotationProgram(db, p.id))) });
  });
  app.post('/rotation-programs', requireRole('hr'), apiValidator('json', programBody), (c) => {
    const program = createRotationProgram(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('json'));
    return c.json(publicProgram(program), 201);
  });
  app.get('/rotation-programs/:id', apiValidator('param', idParam), (c) => c.json(publicProgram(getRotationProgram(c.var.deps.db, c.req.valid('param').id))));
  app.patch('/rotation-programs/:id', requireRole('hr'), apiValidator('param', idParam), apiValidator('json', programPatch), (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    const current = getRotationProgram(db, id);
    const merged = rotationProgramInputSchema.parse({
      name: current.name,
      direction: current.direction,
      lengthWeeks: current.lengthWeeks,
      coveragePercent: current.coveragePercent,
      learningGoals: current.learningGoals,
      active: current.active,
      hostTeams: current.hostTeams.map((h) => ({ teamId: h.teamId, capacity: h.capacity })),
      checklist: current.checklist.map((i) => i.title),
      ...c.req.valid('json'),
    });
    return c.json(publicProgram(updateRotationProgram(db, clock, actorOf(c.var.viewer), id, merged)));
  });

  app.get('/rotations', apiValidator('query', listQuery), (c) => {
    const q = c.req.valid('query');
    const { db } = c.var.deps;
    const { page, pageSize, ...filter } = q;
    const { rows, total } = pageOfRotations(db, { ...filter, includeCancelled: !q.status, visibleIds: visiblePersonIds(db, viewerOf(c)) }, page, pageSize);
    return c.json({ data: rows.map(publicRotation), page, pageSize, total });
  });
  app.post('/rotations', requireRole('hr'), apiValidator('json', createBody), (c) => {
    const { db, clock } = c.var.deps;
    const row = scheduleRotation(db, clock, actorOf(c.var.viewer), c.req.valid('json'));
    return c.json(publicRotation(rotationDetails(db, row.id)), 201);
  });
  app.get('/rotations/away', requireRole('hr', 'manager'), apiValidator('query', awayQuery), (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const from = q.from ?? todayOf(clock);
    const to = q.to ?? addDaysToLocalDate(from, 27);
    if (daysBetween(from, to) > AWAY_MAX_DAYS || to < from)
      throw new AppError(400, 'invalid', `Ask for a window of at most ${AWAY_MAX_DAYS} days.`, [
        { path: 'to', message: `At most ${AWAY_MAX_DAYS} days after from.` },
      ]);
    return c.json({ from, to, data: awayPeople(db, from, to, visiblePersonIds(db, viewerOf(c))) });
  });
  app.post('/rotations/plan', requireRole('hr'), apiValidator('json', planRequestSchema), (c) => {
    const { setup, plan } = proposePlan(c.var.deps.db, c.req.valid('json'));
    return c.json({ rotations: plan.rotations, unplaced: plan.unplaced, alreadyPlanned: setup.alreadyPlanned, stats: plan.stats });
  });
  app.post('/rotations/plan/commit', requireRole('hr'), apiValidator('json', commitBody), (c) => {
    const { request, items } = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const { planId, rotations } = commitPlan(db, clock, actorOf(c.var.viewer), request, items);
    return c.json(
      {
        planId,
        data: rotations.map((r) => ({
          id: r.id,
          personId: r.personId,
          hostTeamId: r.hostTeamId,
          mentorId: r.mentorId,
          startDate: r.startDate,
          endDate: r.endDate,
          status: r.status,
        })),
      },
      201,
    );
  });

  const visibleDetails = (c: AppContext, id: number) => {
    const details = rotationDetails(c.var.deps.db, id);
    if (!canViewRotation(c.var.deps.db, viewerOf(c), details)) throw forbidden();
    return details;
  };
  app.get('/rotations/:id', apiValidator('param', idParam), (c) => {
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
  app.patch(
    '/rotations/:id',
    requireRole('hr'),
    apiValidator('param', idParam),
    requireFound((c, id) => requireRotation(c.var.deps.db, id)),
    apiValidator('json', changeBody),
    (c) => {
      const { id } = c.req.valid('param');
      const { db, clock } = c.var.deps;
      changeRotation(db, clock, actorOf(c.var.viewer), id, c.req.valid('json'));
      return c.json(publicRotation(rotationDetails(db, id)));
    },
  );
  app.post(
    '/rotations/:id/cancel',
    requireRole('hr'),
    apiValidator('param', idParam),
    requireFound((c, id) => requireRotation(c.var.deps.db, id)),
    apiValidator('json', cancelBody),
    (c) => {
      const { id } = c.req.valid('param');
      const { db, clock } = c.var.deps;
      cancelRotation(db, clock, actorOf(c.var.viewer), id, c.req.valid('json').reason);
      return c.json(publicRotation(rotationDetails(db, id)));
    },
  );
  app.post(
    '/rotations/:id/check-ins',
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
