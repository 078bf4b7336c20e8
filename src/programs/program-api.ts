/**
 * Programs with their requirements and enrollment rules. Mounted at /programs of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { countedEventKinds, departments, programKinds, requirementKinds, roles } from '../../db/schema';
import type { AppEnv } from '../context';
import { pathIdSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator, requireFound } from '../web';
import { describeRhythm } from './rhythm';
import { addEnrollmentRule, removeEnrollmentRule } from './enrollment';
import { addRequirement, getProgram, listPrograms, programDetails, removeRequirement, updateProgram, writeProgramWithParts } from './programs';
import { programBodySchema, programPatchSchema, requirementBodySchema, ruleBodySchema } from './program-inputs';
import { idParam, tags } from './api-schemas';

const requirementParam = z.object({ id: pathIdSchema, requirementId: pathIdSchema });
const ruleParam = z.object({ id: pathIdSchema, ruleId: pathIdSchema });

const requirementSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  kind: z.enum(requirementKinds),
  topicId: z.number().int().nullable(),
  topicName: z.string().nullable(),
  eventKind: z.enum(countedEventKinds).nullable(),
  count: z.number().int(),
  dueOffsetDays: z.number().int(),
});
const ruleSchema = z.object({
  id: z.number().int(),
  department: z.enum(departments).nullable(),
  teamId: z.number().int().nullable(),
  role: z.enum(roles).nullable(),
  hiredOnOrAfter: z.string().nullable(),
  hiredOnOrBefore: z.string().nullable(),
  enrolling: z.boolean().describe('People the rule matches are still being enrolled in the background'),
});
const programSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(programKinds),
  description: z.string(),
  rrule: z.string().nullable().describe('Review programs: the rhythm of cycles (RRULE)'),
  rhythm: z.string().nullable().describe('Review programs: the rhythm in words, e.g. "every 3 months, on the 1st"'),
  anchorDate: z.string().nullable().describe('Review programs: the local date the first cycle starts'),
  dueSoonDays: z.number().int(),
  active: z.boolean(),
  requirements: z.array(requirementSchema),
  rules: z.array(ruleSchema),
});

const createProgramBody = programBodySchema;

export const programApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/programs',
    summary: 'List programs',
    tags,
    roles: 'hr, manager',
    response: z.object({ data: z.array(programSchema.omit({ requirements: true, rules: true })) }),
  },
  {
    method: 'post',
    path: '/api/v1/programs',
    summary: 'Create a program, optionally with its requirements and enrollment rules (rules enroll matching people at once)',
    tags,
    roles: 'hr',
    body: createProgramBody,
    response: programSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/v1/programs/{id}',
    summary: 'One program with requirements and rules',
    tags,
    roles: 'hr, manager',
    response: programSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/programs/{id}',
    summary: 'Rename, describe, set the due-soon days, archive or reactivate',
    tags,
    roles: 'hr',
    body: programPatchSchema.strict(),
    response: programSchema,
  },
  {
    method: 'post',
    path: '/api/v1/programs/{id}/requirements',
    summary: 'Add a requirement; enrolled people get it at once',
    tags,
    roles: 'hr',
    body: requirementBodySchema,
    response: requirementSchema,
    status: 201,
  },
  {
    method: 'delete',
    path: '/api/v1/programs/{id}/requirements/{requirementId}',
    summary: 'Remove a requirement and its completion records',
    tags,
    roles: 'hr',
  },
  {
    method: 'post',
    path: '/api/v1/programs/{id}/rules',
    summary: 'Add an enrollment rule; matching active people are enrolled at once (past 200, the rest in the background: pending)',
    tags,
    roles: 'hr',
    body: ruleBodySchema,
    response: z.object({
      rule: ruleSchema,
      enrolled: z.number().int(),
      reopened: z.number().int(),
      pending: z.number().int().describe('Matching people not enrolled yet: the background job enrolls them within a minute'),
    }),
    status: 201,
  },
  {
    method: 'delete',
    path: '/api/v1/programs/{id}/rules/{ruleId}',
    summary: 'Remove an enrollment rule (people it enrolled stay enrolled)',
    tags,
    roles: 'hr',
  },
];

function programJson(details: ReturnType<typeof programDetails>) {
  const { program, requirements, rules } = details;
  return {
    id: program.id,
    name: program.name,
    kind: program.kind,
    description: program.description,
    rrule: program.rrule,
    rhythm: program.kind === 'review' ? describeRhythm(program.rrule, program.anchorDate) : null,
    anchorDate: program.anchorDate,
    dueSoonDays: program.dueSoonDays,
    active: program.active,
    requirements: requirements.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      topicId: r.topicId,
      topicName: r.topicName,
      eventKind: r.eventKind,
      count: r.count,
      dueOffsetDays: r.dueOffsetDays,
    })),
    rules: rules.map((r) => ({
      id: r.id,
      department: r.department,
      teamId: r.teamId,
      role: r.role,
      hiredOnOrAfter: r.hiredOnOrAfter,
      hiredOnOrBefore: r.hiredOnOrBefore,
      enrolling: r.pendingSince !== null,
    })),
  };
}

/** Adding a part (requirement or rule) to a program: HR only, the program must exist before the body is read. */
const addingTo = <T extends z.ZodType>(body: T) =>
  [requireRole('hr'), apiValidator('param', idParam), requireFound((c, id) => getProgram(c.var.deps.db, id)), apiValidator('json', body)] as const;

export function programApi() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('hr', 'manager'), (c) => {
    const data = listPrograms(c.var.deps.db).map(({ requirementCount: _r, enrolledCount: _e, ...p }) => p);
    return c.json({ data });
  });
  app.post('/', requireRole('hr'), apiValidator('json', createProgramBody), (c) => {
    const { requirements, rules, ...input } = c.req.valid('json');
    const program = writeProgramWithParts(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), input, requirements ?? [], rules ?? []);
    return c.json(programJson(programDetails(c.var.deps.db, program.id)), 201);
  });
  app.get('/:id', requireRole('hr', 'manager'), apiValidator('param', idParam), (c) =>
    c.json(programJson(programDetails(c.var.deps.db, c.req.valid('param').id))),
  );
  app.patch('/:id', requireRole('hr'), apiValidator('param', idParam), apiValidator('json', programPatchSchema.strict()), (c) => {
    const { id } = c.req.valid('param');
    updateProgram(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, c.req.valid('json'));
    return c.json(programJson(programDetails(c.var.deps.db, id)));
  });
  app.post('/:id/requirements', ...addingTo(requirementBodySchema), (c) => {
    const { id } = c.req.valid('param');
    const requirement = addRequirement(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, c.req.valid('json'));
    return c.json(
      programJson(programDetails(c.var.deps.db, id)).requirements.find((r) => r.id === requirement.id),
      201,
    );
  });
  app.delete('/:id/requirements/:requirementId', requireRole('hr'), apiValidator('param', requirementParam), (c) => {
    const { id, requirementId } = c.req.valid('param');
    removeRequirement(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, requirementId);
    return c.body(null, 204);
  });
  app.post('/:id/rules', ...addingTo(ruleBodySchema), (c) => {
    const { id } = c.req.valid('param');
    const { rule, enrolled, reopened, pending } = addEnrollmentRule(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, c.req.valid('json'));
    const { programId: _p, createdAt: _c, pendingSince, ...ruleJson } = rule;
    return c.json({ rule: { ...ruleJson, enrolling: pendingSince !== null }, enrolled, reopened, pending }, 201);
  });
  app.delete('/:id/rules/:ruleId', requireRole('hr'), apiValidator('param', ruleParam), (c) => {
    const { id, ruleId } = c.req.valid('param');
    removeEnrollmentRule(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, ruleId);
    return c.body(null, 204);
  });

  return app;
}
