import { Hono } from 'hono';
import { describeRhythm } from './rhythm';
import { z } from 'zod';
import { countedEventKinds, departments, programKinds, requirementKinds, roles } from '../../db/schema';
import type { AppEnv } from '../context';
import { forbidden } from '../lib/errors';
import { apiPageQuery, blankToUndefined, dateSchema, idSchema, pathIdSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { canManageEvent } from '../events';
import { visiblePersonIds } from '../people/people';
import { apiValidator, requireFound } from '../web';
import { COMPLETION_STATES } from './completion';
import { addEnrollmentRule, endEnrollment, enrollPeople, getEnrollment, listEnrollments, pageOfEnrollments, removeEnrollmentRule } from './enrollment';
import {
  addRequirement,
  createTopic,
  getProgram,
  listPrograms,
  listTopics,
  programDetails,
  removeRequirement,
  updateProgram,
  writeProgramWithParts,
} from './programs';
import { canManagePerson, signOff } from './sign-offs';
import { programBodySchema, programPatchSchema, requirementBodySchema, ruleBodySchema, topicInputSchema } from './program-inputs';
import { completionCsv, completionReport, personCompletionDetail } from './reports';
import { attendanceMarkSchema, attendanceSheet, markAttendance, markEveryonePresent } from './attendance';
import {
  inviteWhoNeedsIt,
  listSessions,
  occurrenceIdSchema,
  resolveOccurrence,
  scheduleTrainingSession,
  sessionFormSchema,
  sessionInputOf,
  sessionsQuerySchema,
  upcomingSessions,
} from './sessions';

const idParam = z.object({ id: pathIdSchema });
const requirementParam = z.object({ id: pathIdSchema, requirementId: pathIdSchema });
const ruleParam = z.object({ id: pathIdSchema, ruleId: pathIdSchema });

const countsSchema = z.object({
  total: z.number().int(),
  done: z.number().int(),
  due: z.number().int(),
  due_soon: z.number().int(),
  overdue: z.number().int(),
  late: z.number().int(),
  percentDone: z.number().int().nullable(),
});

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
const listedSessionSchema = z.object({
  occurrenceId: z.string(),
  eventId: z.number().int(),
  title: z.string(),
  topicId: z.number().int(),
  topic: z.string(),
  hostName: z.string(),
  start: z.string(),
  end: z.string(),
  seats: z.number().int(),
  seatsTaken: z.number().int(),
  started: z.boolean(),
  attended: z.number().int(),
  noShows: z.number().int(),
  walkIns: z.number().int(),
});
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

const reportQuery = z.object({
  program: z.preprocess(blankToUndefined, idSchema.optional()),
  team: z.preprocess(blankToUndefined, idSchema.optional()),
  department: z.preprocess(blankToUndefined, z.enum(departments).optional()),
  state: z.preprocess(blankToUndefined, z.enum(COMPLETION_STATES).optional()).describe('Only people with at least one requirement in this state'),
  format: z.enum(['json', 'csv']).default('json'),
});
const reportSchema = z.object({
  asOf: z.string(),
  totals: countsSchema.extend({ people: z.number().int() }),
  byTeam: z.array(
    countsSchema.extend({ teamId: z.number().int().nullable(), teamName: z.string(), department: z.string().nullable(), people: z.number().int() }),
  ),
  byDepartment: z.array(countsSchema.extend({ department: z.string() })),
  byRequirement: z.array(
    countsSchema.extend({ requirementId: z.number().int(), programId: z.number().int(), programName: z.string(), title: z.string(), kind: z.string() }),
  ),
});

const signOffBody = z.object({ personId: idSchema, requirementId: idSchema, note: z.string().trim().max(500).default('') }).strict();
const topicSchema = z.object({ id: z.number().int(), name: z.string(), description: z.string() });
const sessionBody = sessionFormSchema.strict();
const learningSchema = z.object({
  data: z.array(
    z.object({
      programId: z.number().int(),
      programName: z.string(),
      requirementId: z.number().int(),
      title: z.string(),
      cycle: z.number().int(),
      dueDate: z.string(),
      state: z.enum(COMPLETION_STATES),
      completedAt: z.string().nullable(),
      late: z.boolean(),
      have: z.number().int(),
      need: z.number().int(),
      closed: z.boolean(),
    }),
  ),
});

export const programsApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/programs',
    summary: 'List programs',
    tags: ['programs'],
    roles: 'hr, manager',
    response: z.object({ data: z.array(programSchema.omit({ requirements: true, rules: true })) }),
  },
  {
    method: 'post',
    path: '/api/v1/programs',
    summary: 'Create a program, optionally with its requirements and enrollment rules (rules enroll matching people at once)',
    tags: ['programs'],
    roles: 'hr',
    body: createProgramBody,
    response: programSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/v1/programs/{id}',
    summary: 'One program with requirements and rules',
    tags: ['programs'],
    roles: 'hr, manager',
    response: programSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/programs/{id}',
    summary: 'Rename, describe, set the due-soon days, archive or reactivate',
    tags: ['programs'],
    roles: 'hr',
    body: programPatchSchema.strict(),
    response: programSchema,
  },
  {
    method: 'post',
    path: '/api/v1/programs/{id}/requirements',
    summary: 'Add a requirement; enrolled people get it at once',
    tags: ['programs'],
    roles: 'hr',
    body: requirementBodySchema,
    response: requirementSchema,
    status: 201,
  },
  {
    method: 'delete',
    path: '/api/v1/programs/{id}/requirements/{requirementId}',
    summary: 'Remove a requirement and its completion records',
    tags: ['programs'],
    roles: 'hr',
  },
  {
    method: 'post',
    path: '/api/v1/programs/{id}/rules',
    summary: 'Add an enrollment rule; matching active people are enrolled at once',
    tags: ['programs'],
    roles: 'hr',
    body: ruleBodySchema,
    response: z.object({ rule: ruleSchema, enrolled: z.number().int(), reopened: z.number().int() }),
    status: 201,
  },
  {
    method: 'delete',
    path: '/api/v1/programs/{id}/rules/{ruleId}',
    summary: 'Remove an enrollment rule (people it enrolled stay enrolled)',
    tags: ['programs'],
    roles: 'hr',
  },
  {
    method: 'get',
    path: '/api/v1/enrollments',
    summary: 'Enrollments (managers: their reports; employees: their own)',
    tags: ['programs'],
    roles: 'any',
    query: enrollmentQuery,
    response: z.object({ data: z.array(enrollmentSchema), page: z.number(), pageSize: z.number(), total: z.number() }),
  },
  {
    method: 'post',
    path: '/api/v1/enrollments',
    summary: 'Enroll people by hand',
    tags: ['programs'],
    roles: 'hr, manager (their reports)',
    body: enrollBody,
    response: enrollResultSchema,
    status: 201,
  },
  {
    method: 'post',
    path: '/api/v1/enrollments/{id}/end',
    summary: 'End an enrollment: open requirements stop counting, completed ones stay',
    tags: ['programs'],
    roles: 'hr, manager (their reports)',
    response: enrollmentSchema,
  },
  {
    method: 'get',
    path: '/api/v1/attendance',
    summary: 'The attendance sheet of one occurrence',
    tags: ['programs'],
    roles: 'host, their manager, hr',
    query: attendanceQuery,
    response: sheetSchema,
  },
  {
    method: 'post',
    path: '/api/v1/attendance',
    summary:
      'Record or correct attendance of an occurrence that has started, also long after: attended / no_show, `remove` to take marks back; someone who held no place there is marked attended only with `walkIn: true` (409 walk_in_required otherwise); completion follows in the same transaction',
    tags: ['programs'],
    roles: 'host, their manager, hr',
    body: attendanceBody,
    response: attendanceResultSchema,
  },
  {
    method: 'post',
    path: '/api/v1/attendance/everyone-present',
    summary: 'Mark everyone who held a place at an occurrence that has started as attended',
    tags: ['programs'],
    roles: 'host, their manager, hr',
    body: everyonePresentBody,
    response: attendanceResultSchema,
  },
  {
    method: 'get',
    path: '/api/v1/training-sessions',
    summary: 'Training session occurrences: coming up, past or between dates, by program or topic, 25 a page, with recorded attendance',
    tags: ['programs'],
    roles: 'hr',
    query: sessionsQuerySchema,
    response: z.object({ data: z.array(listedSessionSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }),
  },
  {
    method: 'get',
    path: '/api/v1/reports/completion',
    summary: 'Completion report: totals, per team, department and requirement (JSON), or one line per person and requirement (CSV)',
    tags: ['programs'],
    roles: 'hr, manager (their reports)',
    query: reportQuery,
    response: reportSchema,
  },
  {
    method: 'post',
    path: '/api/v1/sign-offs',
    summary: 'A manager signs off a requirement for a person',
    tags: ['programs'],
    roles: 'hr, manager (their reports)',
    body: signOffBody,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/v1/training-topics',
    summary: 'Training topics',
    tags: ['programs'],
    roles: 'any',
    response: z.object({ data: z.array(topicSchema) }),
  },
  {
    method: 'post',
    path: '/api/v1/training-topics',
    summary: 'Add a training topic',
    tags: ['programs'],
    roles: 'hr',
    body: topicInputSchema.strict(),
    response: topicSchema,
    status: 201,
  },
  {
    method: 'post',
    path: '/api/v1/training-sessions',
    summary: 'Schedule a training session (an event of kind training); `invite` invites everyone who still needs the topic to its first occurrence',
    tags: ['programs'],
    roles: 'hr',
    body: sessionBody,
    response: z.object({ eventId: z.number().int(), invited: z.number().int() }),
    status: 201,
  },
  {
    method: 'get',
    path: '/api/v1/learning',
    summary: 'What is required of me: every requirement with its state',
    tags: ['programs'],
    roles: 'any',
    response: learningSchema,
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
    })),
  };
}

export function programsApi() {
  const app = new Hono<AppEnv>();
  app.use('*', requireSignedIn);

  app.get('/programs', requireRole('hr', 'manager'), (c) => {
    const data = listPrograms(c.var.deps.db).map(({ requirementCount: _r, enrolledCount: _e, ...p }) => p);
    return c.json({ data });
  });
  app.post('/programs', requireRole('hr'), apiValidator('json', createProgramBody), (c) => {
    const { requirements, rules, ...input } = c.req.valid('json');
    const program = writeProgramWithParts(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), input, requirements ?? [], rules ?? []);
    return c.json(programJson(programDetails(c.var.deps.db, program.id)), 201);
  });
  app.get('/programs/:id', requireRole('hr', 'manager'), apiValidator('param', idParam), (c) =>
    c.json(programJson(programDetails(c.var.deps.db, c.req.valid('param').id))),
  );
  app.patch('/programs/:id', requireRole('hr'), apiValidator('param', idParam), apiValidator('json', programPatchSchema.strict()), (c) => {
    const { id } = c.req.valid('param');
    updateProgram(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, c.req.valid('json'));
    return c.json(programJson(programDetails(c.var.deps.db, id)));
  });
  app.post(
    '/programs/:id/requirements',
    requireRole('hr'),
    apiValidator('param', idParam),
    requireFound((c, id) => getProgram(c.var.deps.db, id)),
    apiValidator('json', requirementBodySchema),
    (c) => {
      const { id } = c.req.valid('param');
      const requirement = addRequirement(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, c.req.valid('json'));
      return c.json(
        programJson(programDetails(c.var.deps.db, id)).requirements.find((r) => r.id === requirement.id),
        201,
      );
    },
  );
  app.delete('/programs/:id/requirements/:requirementId', requireRole('hr'), apiValidator('param', requirementParam), (c) => {
    const { id, requirementId } = c.req.valid('param');
    removeRequirement(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, requirementId);
    return c.body(null, 204);
  });
  app.post(
    '/programs/:id/rules',
    requireRole('hr'),
    apiValidator('param', idParam),
    requireFound((c, id) => getProgram(c.var.deps.db, id)),
    apiValidator('json', ruleBodySchema),
    (c) => {
      const { id } = c.req.valid('param');
      const { rule, enrolled, reopened } = addEnrollmentRule(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, c.req.valid('json'));
      const { programId: _p, createdAt: _c, ...ruleJson } = rule;
      return c.json({ rule: ruleJson, enrolled, reopened }, 201);
    },
  );
  app.delete('/programs/:id/rules/:ruleId', requireRole('hr'), apiValidator('param', ruleParam), (c) => {
    const { id, ruleId } = c.req.valid('param');
    removeEnrollmentRule(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, ruleId);
    return c.body(null, 204);
  });

  app.get('/enrollments', apiValidator('query', enrollmentQuery), (c) => {
    const q = c.req.valid('query');
    const filter = {
      programId: q.program,
      personId: q.person,
      onlyPersonIds: visiblePersonIds(c.var.deps.db, viewerOf(c)),
      includeEnded: q.includeEnded === 'true',
    };
    const { rows, total } = pageOfEnrollments(c.var.deps.db, filter, q.page, q.pageSize);
    return c.json({
      data: rows.map((r) => ({
        id: r.id,
        programId: r.programId,
        personId: r.personId,
        name: r.name,
        startDate: r.startDate,
        source: r.source,
        endedAt: r.endedAt?.toISOString() ?? null,
        endReason: r.endReason,
      })),
      page: q.page,
      pageSize: q.pageSize,
      total,
    });
  });
  app.post('/enrollments', requireRole('hr', 'manager'), apiValidator('json', enrollBody), (c) => {
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const visible = visiblePersonIds(db, viewerOf(c));
    if (visible && body.personIds.some((id) => !visible.includes(id))) throw forbidden('Managers can enroll only the people who report to them.');
    getProgram(db, body.programId);
    return c.json(enrollPeople(db, body.programId, body.personIds, actorOf(c.var.viewer), clock, { startDate: body.startDate }), 201);
  });
  app.post('/enrollments/:id/end', requireRole('hr', 'manager'), apiValidator('param', idParam), (c) => {
    const { db, clock } = c.var.deps;
    const enrollment = getEnrollment(db, c.req.valid('param').id);
    if (!canManagePerson(db, viewerOf(c), enrollment.personId)) throw forbidden('Only HR or the person’s manager can end this enrollment.');
    endEnrollment(db, clock, actorOf(c.var.viewer), enrollment.id);
    const row = listEnrollments(db, { personId: enrollment.personId, programId: enrollment.programId, includeEnded: true })[0];
    return c.json({
      id: row.id,
      programId: enrollment.programId,
      personId: row.personId,
      name: row.name,
      startDate: row.startDate,
      source: row.source,
      endedAt: row.endedAt?.toISOString() ?? null,
      endReason: row.endReason,
    });
  });

  app.get('/attendance', apiValidator('query', attendanceQuery), (c) => {
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
  app.post('/attendance', apiValidator('json', attendanceBody), (c) => {
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const { event, occurrence } = resolveOccurrence(db, body.occurrenceId);
    return c.json(markAttendance(db, clock, actorOf(c.var.viewer), viewerOf(c).person, event.id, occurrence.originalStart, body.marks, body.remove));
  });
  app.post('/attendance/everyone-present', apiValidator('json', everyonePresentBody), (c) => {
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const { event, occurrence } = resolveOccurrence(db, body.occurrenceId);
    return c.json(markEveryonePresent(db, clock, actorOf(c.var.viewer), viewerOf(c).person, event.id, occurrence.originalStart));
  });
  app.get('/training-sessions', requireRole('hr'), apiValidator('query', sessionsQuerySchema), (c) => {
    const { db, clock } = c.var.deps;
    const result = listSessions(db, clock.now(), c.req.valid('query'), viewerOf(c).person.timeZone);
    return c.json({
      data: result.sessions.map((s) => ({
        occurrenceId: s.occurrence.key,
        eventId: s.event.id,
        title: s.event.title,
        topicId: s.topicId,
        topic: s.topicName,
        hostName: s.event.hostName,
        start: s.occurrence.start.toISOString(),
        end: s.occurrence.end.toISOString(),
        seats: s.event.seats,
        seatsTaken: s.seatsTaken,
        started: s.started,
        attended: s.attended,
        noShows: s.noShows,
        walkIns: s.walkIns,
      })),
      total: result.total,
      page: result.page,
      pageSize: result.pageSize,
    });
  });

  app.get('/reports/completion', requireRole('hr', 'manager'), apiValidator('query', reportQuery), (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const filter = { programId: q.program, teamId: q.team, department: q.department, state: q.state, personIds: visiblePersonIds(db, viewerOf(c)) };
    if (q.format === 'csv') {
      const name = `completion-${clock.now().toISOString().slice(0, 10)}.csv`;
      return c.body(completionCsv(db, clock.now(), filter), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
      });
    }
    return c.json(completionReport(db, clock.now(), filter));
  });

  app.post('/sign-offs', requireRole('hr', 'manager'), apiValidator('json', signOffBody), (c) => {
    const body = c.req.valid('json');
    const row = signOff(c.var.deps.db, c.var.deps.clock, viewerOf(c), body.personId, body.requirementId, body.note);
    return c.json({ id: row.id, personId: row.personId, requirementId: row.requirementId, at: row.at.toISOString(), note: row.note }, 201);
  });

  app.get('/training-topics', (c) => c.json({ data: listTopics(c.var.deps.db).map((t) => ({ id: t.id, name: t.name, description: t.description })) }));
  app.post('/training-topics', requireRole('hr'), apiValidator('json', topicInputSchema.strict()), (c) => {
    const topic = createTopic(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('json'));
    return c.json({ id: topic.id, name: topic.name, description: topic.description }, 201);
  });
  app.post('/training-sessions', requireRole('hr'), apiValidator('json', sessionBody), (c) => {
    const form = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const event = scheduleTrainingSession(db, clock, actorOf(c.var.viewer), viewer.person, sessionInputOf(form));
    let invited = 0;
    if (form.invite) {
      const first = upcomingSessions(db, clock.now(), { topicIds: [form.topicId], days: 400 }).find((s) => s.event.id === event.id);
      if (first) invited = inviteWhoNeedsIt(db, clock, actorOf(c.var.viewer), viewer.person, event.id, first.occurrence.originalStart).invited;
    }
    return c.json({ eventId: event.id, invited }, 201);
  });

  app.get('/learning', (c) => {
    const rows = personCompletionDetail(c.var.deps.db, c.var.deps.clock.now(), viewerOf(c).person.id);
    return c.json({
      data: rows.map((r) => ({
        programId: r.programId,
        programName: r.programName,
        requirementId: r.requirementId,
        title: r.title,
        cycle: r.cycleIndex,
        dueDate: r.dueDate,
        state: r.state,
        completedAt: r.completedAt?.toISOString() ?? null,
        late: r.late,
        have: r.have,
        need: r.need,
        closed: r.closed,
      })),
    });
  });

  return app;
}
