import { Hono } from 'hono';
import { withRhythmRule } from './rhythm';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden, notFound } from '../lib/errors';
import { blankToUndefined, idSchema, pathIdSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../guards';
import { canManageEvent, requireEvent } from '../events';
import { canViewPerson, personDetails, requirePerson, teamOptions as teamRows, visiblePersonIds } from '../people/people';
import { fieldErrors, formValidator, html, isHtmx, layoutProps, paramValidator, queryValidator, redirectWithMessage } from '../web';
import { queryString, type FieldErrors, type FormValues } from '../../views/components';
import { ProgramFormPage, ProgramPage, ProgramsPage } from '../../views/programs/admin';
import { CompletionChart } from '../../views/programs/charts';
import type { DashboardFilters } from '../../views/programs/components';
import { ChartPage, DashboardPage, DashboardResults, TeamsCompared, TeamsPage } from '../../views/programs/dashboard';
import { OverviewPage } from '../../views/programs/overview';
import { PersonProgressPage } from '../../views/programs/progress';
import { AttendancePage, AttendanceSheet } from '../../views/programs/attendance';
import { BookingCell, MyLearningPage, StatusMessage } from '../../views/programs/learning';
import { SessionFormPage, SessionPage, SessionsList, SessionsPage, type SessionsListProps } from '../../views/programs/sessions';
import { COMPLETION_STATES, summariseCompletion } from './completion';
import {
  addEnrollmentRule,
  addRequirement,
  canManagePerson,
  createProgram,
  createTopic,
  endEnrollment,
  enrollmentCandidates,
  enrollPeople,
  getEnrollment,
  getProgram,
  listEnrollments,
  listPrograms,
  listTopics,
  programDetails,
  programInputSchema,
  removeEnrollmentRule,
  removeRequirement,
  requirementInputSchema,
  ruleInputSchema,
  signOff,
  topicInputSchema,
  updateProgram,
} from './programs';
import {
  completionHistory,
  completionReport,
  listProgramChoices,
  listTeamChoices,
  peopleProgress,
  personCompletionDetail,
  remindOverdue,
  requirementGrid,
  sumCounts,
  type Counts,
  type ReportFilter,
} from './reports';
import {
  attendanceSheet,
  bookSession,
  checkIn,
  checkInCodeOf,
  attendanceOfPerson,
  findPersonForWalkIn,
  inviteWhoNeedsIt,
  listSessions,
  markAttendance,
  markEveryonePresent,
  openCheckIn,
  SESSIONS_PAGE_SIZE,
  sessionsQuerySchema,
  type AttendanceMark,
  peopleNeedingTopic,
  resolveOccurrence,
  scheduleTrainingSession,
  sessionFormSchema,
  sessionInputOf,
  topicOfSession,
  topicsWithoutUpcomingSessions,
  upcomingSessions,
  type SessionOccurrence,
} from './sessions';

const idParam = z.object({ id: pathIdSchema });
const childParam = z.object({ id: pathIdSchema, childId: pathIdSchema });
const occurrenceParam = z.object({ occurrenceId: z.string().regex(/^\d+_\d{8}T\d{6}Z$/) });
/** People per dashboard page: enough to scan, few enough that the page stays light. */
const PAGE_SIZE = 20;

const dashboardQuery = z.object({
  program: z.preprocess(blankToUndefined, idSchema.optional()),
  team: z.preprocess(blankToUndefined, idSchema.optional()),
  state: z.preprocess(blankToUndefined, z.enum(COMPLETION_STATES).optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
});

const teamsQuery = dashboardQuery.extend({ show: z.preprocess(blankToUndefined, z.enum(['weakest', 'all']).default('all')) });

const toArray = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]);
const enrollForm = z.object({
  personIds: z.preprocess(toArray, z.array(idSchema).min(1, 'Choose at least one person.').max(5000)),
  startDate: z.preprocess(blankToUndefined, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-04-01.').optional()),
});
const settingsForm = z.object({
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a program name.').max(160),
  description: z.preprocess((v) => v ?? '', z.string().trim().max(4000)),
  dueSoonDays: z.coerce.number().int().min(0).max(90),
  active: z.enum(['true', 'false']).transform((v) => v === 'true'),
});
const signOffForm = z.object({ requirementId: idSchema, note: z.preprocess((v) => v ?? '', z.string().trim().max(500)) });

/** Teams a viewer may filter by: all for HR, the teams of their reports for a manager. */
function teamOptions(c: AppContext, visible: number[] | null) {
  return listTeamChoices(c.var.deps.db, visible).map((t) => ({ value: t.id, label: t.name }));
}

function programOptions(c: AppContext) {
  return listProgramChoices(c.var.deps.db).map((p) => ({ value: p.id, label: p.active ? p.name : `${p.name} (archived)` }));
}

function renderProgramPage(c: AppContext, id: number, extra: { requirementValues?: FormValues; requirementErrors?: FieldErrors; ruleValues?: FormValues; ruleErrors?: FieldErrors; enrollErrors?: FieldErrors } = {}, status: 200 | 400 | 409 = 200) {
  const { db } = c.var.deps;
  const viewer = viewerOf(c);
  const details = programDetails(db, id);
  const visible = visiblePersonIds(db, viewer);
  return html(
    c,
    ProgramPage({
      layout: layoutProps(c, details.program.name),
      details,
      canEdit: viewer.person.role === 'hr',
      topics: listTopics(db).map((t) => ({ value: t.id, label: t.name })),
      teams: teamRows(db).map((t) => ({ value: t.id, label: t.name })),
      enrollments: listEnrollments(db, { programId: id, onlyPersonIds: visible, includeEnded: true }),
      candidates: enrollmentCandidates(db, id, visible).map((p) => ({ value: p.id, label: p.teamName ? `${p.name} (${p.teamName})` : p.name })),
      ...extra,
    }),
    status,
  );
}

/** A domain error about one field, shown on the form that sent it. */
function fieldErrorsOf(err: unknown, fallbackField = '_form'): FieldErrors | null {
  if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) return null;
  const errors: FieldErrors = {};
  for (const issue of err.issues ?? []) errors[issue.path || fallbackField] ??= issue.message;
  if (Object.keys(errors).length === 0) errors[fallbackField] = err.message;
  return errors;
}

function sessionFormOptions(c: AppContext) {
  const { db } = c.var.deps;
  return {
    topics: listTopics(db).map((t) => ({ value: t.id, label: t.name })),
    hosts: db.all<{ id: number; name: string }>(sql`SELECT id, name FROM people WHERE active = 1 ORDER BY name LIMIT 3000`).map((p) => ({ value: p.id, label: p.name })),
  };
}

function sessionAt(c: AppContext, occurrenceKey: string, personId: number): SessionOccurrence | undefined {
  const { event } = resolveOccurrence(c.var.deps.db, occurrenceKey);
  const topic = topicOfSession(c.var.deps.db, event.id);
  return upcomingSessions(c.var.deps.db, c.var.deps.clock.now(), { topicIds: topic ? [topic.topicId] : [], forPersonId: personId }).find((s) => s.occurrence.key === occurrenceKey);
}

/** The form names the rhythm in words ("every 3 months, on the 1st"); the rule it stands for is what is stored. */
const programFormSchema = z.preprocess(withRhythmRule, programInputSchema);

export function programsRoutes() {
  const app = new Hono<AppEnv>();
  for (const path of ['/programs', '/programs/*', '/learning', '/learning/*']) app.use(path, requireSignedIn);

  // ── HR: programs ──
  app.get('/programs', requireRole('hr', 'manager'), (c) =>
    html(c, ProgramsPage({ layout: layoutProps(c, 'Programs'), programs: listPrograms(c.var.deps.db), canEdit: viewerOf(c).person.role === 'hr' })),
  );
  app.get('/programs/new', requireRole('hr'), (c) => html(c, ProgramFormPage({ layout: layoutProps(c, 'New program'), values: { kind: 'onboarding', dueSoonDays: 7 } })));
  app.post(
    '/programs',
    requireRole('hr'),
    formValidator(programFormSchema, (c, errors, values) => html(c, ProgramFormPage({ layout: layoutProps(c, 'New program'), values, errors }), 400)),
    (c) => {
      const input = c.req.valid('form');
      try {
        const program = createProgram(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), input);
        return redirectWithMessage(c, `/programs/${program.id}`, `${program.name} was created. Add its requirements and rules.`);
      } catch (err) {
        const errors = fieldErrorsOf(err, 'name');
        if (errors) return html(c, ProgramFormPage({ layout: layoutProps(c, 'New program'), values: input, errors }), 409);
        throw err;
      }
    },
  );

  // ── dashboards ──
  app.get('/programs/dashboard', requireRole('hr', 'manager'), queryValidator(dashboardQuery), (c) => {
    const q = c.req.valid('query');
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const now = clock.now();
    const visible = visiblePersonIds(db, viewer);
    const filter: ReportFilter = { programId: q.program, teamId: q.team, state: q.state, personIds: visible };
    const filters: DashboardFilters = { program: q.program, team: q.team, state: q.state, page: q.page };
    const report = completionReport(db, now, filter);
    const people = peopleProgress(db, now, filter, PAGE_SIZE, (q.page - 1) * PAGE_SIZE);
    const requirements = q.program ? report.byRequirement.filter((r) => r.programId === q.program) : [];
    const cells = q.program ? requirementGrid(db, now, people.rows.map((p) => p.personId), { programId: q.program }) : [];
    const results = { filters, people: { ...people, pageSize: PAGE_SIZE }, requirements, cells };
    if (isHtmx(c)) return html(c, DashboardResults(results));
    return html(
      c,
      DashboardPage({
        layout: layoutProps(c, 'Team progress'),
        title: viewer.person.role === 'hr' ? 'Progress of everyone' : 'My teams’ progress',
        filters,
        programs: programOptions(c),
        teams: teamOptions(c, visible),
        report,
        results,
      }),
    );
  });

  // Teams compared, all of them or the weakest few: the dashboard's "show all" control (htmx) and its page without scripts.
  app.get('/programs/dashboard/teams', requireRole('hr', 'manager'), queryValidator(teamsQuery), (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const report = completionReport(db, clock.now(), { programId: q.program, teamId: q.team, state: q.state, personIds: visiblePersonIds(db, viewerOf(c)) });
    const filters: DashboardFilters = { program: q.program, team: q.team, state: q.state, page: 1 };
    if (isHtmx(c)) return html(c, TeamsCompared({ teams: report.byTeam, show: q.show, filters }));
    return html(c, TeamsPage({ layout: layoutProps(c, 'Teams compared'), teams: report.byTeam, filters }));
  });

  app.get('/programs/dashboard/chart', requireRole('hr', 'manager'), queryValidator(dashboardQuery), (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const points = completionHistory(db, clock.now(), { programId: q.program, teamId: q.team, personIds: visiblePersonIds(db, viewerOf(c)) });
    if (isHtmx(c)) return html(c, CompletionChart({ points }));
    return html(c, ChartPage({ layout: layoutProps(c, 'Completion over time'), points, back: '/programs/dashboard' + queryString({ program: q.program, team: q.team }) }));
  });

  app.post('/programs/dashboard/remind', requireRole('hr', 'manager'), queryValidator(dashboardQuery), (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const visible = visiblePersonIds(db, viewerOf(c));
    const result = remindOverdue(db, clock, actorOf(c.var.viewer), { programId: q.program, teamId: q.team, personIds: visible }, new URL(c.req.url).origin);
    const message = result.people === 0 ? 'Nobody new to remind: everyone overdue was already reminded today.' : `Reminded ${result.people} ${result.people === 1 ? 'person' : 'people'} of ${result.requirements} overdue requirements.`;
    const back = new URLSearchParams();
    if (q.program) back.set('program', String(q.program));
    if (q.team) back.set('team', String(q.team));
    return redirectWithMessage(c, `/programs/dashboard${back.size ? `?${back}` : ''}`, message);
  });

  app.get('/programs/overview', requireRole('hr'), (c) => {
    const { db, clock } = c.var.deps;
    const now = clock.now();
    const report = completionReport(db, now, {});
    const byProgram = new Map<number, { programId: number; programName: string; counts: Counts }>();
    for (const r of report.byRequirement) {
      const entry = byProgram.get(r.programId) ?? { programId: r.programId, programName: r.programName, counts: sumCounts([]) };
      entry.counts = sumCounts([entry.counts, r]);
      byProgram.set(r.programId, entry);
    }
    const emptySeats = upcomingSessions(db, now, { days: 30 })
      .filter((s) => s.seatsFree > 0)
      .slice(0, 50)
      .map((s) => ({ key: s.occurrence.key, eventId: s.event.id, title: s.event.title, topicName: s.topicName, start: s.occurrence.start, seats: s.event.seats, seatsFree: s.seatsFree, timeZone: s.event.timeZone }));
    return html(
      c,
      OverviewPage({
        layout: layoutProps(c, 'Learning overview'),
        report,
        programs: [...byProgram.values()],
        emptySeats,
        uncoveredTopics: topicsWithoutUpcomingSessions(db, now),
      }),
    );
  });

  // ── training sessions ──
  const sessionsList = (c: AppContext): { list: SessionsListProps; status: 200 | 400 } => {
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const raw = c.req.queries();
    const query: FormValues = {};
    for (const key of ['when', 'from', 'to', 'program', 'topic', 'page']) if (raw[key]?.length) query[key] = raw[key]![0]!;
    const options = {
      programs: listPrograms(db).map((p) => ({ value: p.id, label: p.name })),
      topics: listTopics(db).map((t) => ({ value: t.id, label: t.name })),
      timeZone: viewer.person.timeZone,
    };
    const parsed = sessionsQuerySchema.safeParse(query);
    if (!parsed.success) return { list: { sessions: [], total: 0, page: 1, pageSize: SESSIONS_PAGE_SIZE, query, errors: fieldErrors(parsed.error), ...options }, status: 400 };
    const result = listSessions(db, clock.now(), parsed.data, viewer.person.timeZone);
    return { list: { ...result, query, ...options }, status: 200 };
  };
  const renderSessions = (c: AppContext, topicValues?: FormValues, topicErrors?: FieldErrors, status: 200 | 400 | 409 = 200) => {
    const { db } = c.var.deps;
    const { list, status: listStatus } = sessionsList(c);
    return html(c, SessionsPage({ layout: layoutProps(c, 'Training sessions'), list, topics: listTopics(db), topicValues, topicErrors }), status === 200 ? listStatus : status);
  };
  app.get('/programs/sessions', requireRole('hr'), (c) => {
    if (isHtmx(c)) {
      const { list, status } = sessionsList(c);
      return html(c, SessionsList(list), status);
    }
    return renderSessions(c);
  });

  app.post(
    '/programs/topics',
    requireRole('hr'),
    formValidator(topicInputSchema, (c, errors, values) => renderSessions(c, values, errors, 400)),
    (c) => {
      const input = c.req.valid('form');
      try {
        createTopic(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), input);
      } catch (err) {
        const errors = fieldErrorsOf(err, 'name');
        if (errors) return renderSessions(c, input, errors, 409);
        throw err;
      }
      return redirectWithMessage(c, `/programs/sessions#topics`, `Topic ${input.name} added.`);
    },
  );


  const renderSessionForm = (c: AppContext, values: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200) =>
    html(c, SessionFormPage({ layout: layoutProps(c, 'Schedule a training session'), ...sessionFormOptions(c), values, errors }), status);
  app.get('/programs/sessions/new', requireRole('hr'), (c) => {
    const viewer = viewerOf(c);
    return renderSessionForm(c, { topicId: c.req.query('topic'), hostId: viewer.person.id, timeZone: viewer.person.timeZone, durationMinutes: 60, seats: 12, repeat: 'none', count: 4, invite: 'yes' });
  });
  app.post(
    '/programs/sessions',
    requireRole('hr'),
    formValidator(sessionFormSchema, (c, errors, values) => renderSessionForm(c, values, errors, 400)),
    (c) => {
      const input = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const viewer = viewerOf(c);
      try {
        const event = scheduleTrainingSession(db, clock, actorOf(c.var.viewer), viewer.person, sessionInputOf(input));
        let message = `${event.title} is scheduled.`;
        if (input.invite) {
          const first = upcomingSessions(db, clock.now(), { topicIds: [input.topicId], days: 400 }).find((s) => s.event.id === event.id);
          if (first) {
            const invited = inviteWhoNeedsIt(db, clock, actorOf(c.var.viewer), viewer.person, event.id, first.occurrence.originalStart);
            message += ` ${invited.invited} ${invited.invited === 1 ? 'person who needs' : 'people who need'} the topic ${invited.invited === 1 ? 'was' : 'were'} invited.`;
          }
        }
        return redirectWithMessage(c, `/programs/sessions/${event.id}`, message);
      } catch (err) {
        const errors = fieldErrorsOf(err);
        if (errors) return renderSessionForm(c, input, errors, 400);
        throw err;
      }
    },
  );

  app.get('/programs/sessions/:id', paramValidator(idParam), (c) => {
    const { db, clock } = c.var.deps;
    const event = requireEvent(db, c.req.valid('param').id);
    const topic = topicOfSession(db, event.id);
    if (!topic) throw notFound('This event is not a training session.');
    const viewer = viewerOf(c);
    const now = clock.now();
    const occurrences = upcomingSessions(db, now, { topicIds: [topic.topicId], days: 120, includePast: true }).filter((s) => s.event.id === event.id);
    const host = personDetails(db, event.hostId).person;
    const canManage = canManageEvent(db, viewer.person, event);
    return html(
      c,
      SessionPage({
        layout: layoutProps(c, event.title),
        title: event.title,
        topicName: topic.topicName,
        hostName: host.name,
        timeZone: viewer.person.timeZone,
        location: event.location,
        occurrences,
        canManage,
        needing: canManage ? peopleNeedingTopic(db, now, topic.topicId).length : 0,
        now,
      }),
    );
  });

  // ── attendance and check-in (host, their manager, HR), also long after the occurrence ──
  const loadOccurrence = (c: AppContext, occurrenceId: string) => {
    const { db } = c.var.deps;
    const found = resolveOccurrence(db, occurrenceId);
    if (!canManageEvent(db, viewerOf(c).person, found.event)) throw forbidden('Only the host, their manager or HR can take attendance.');
    return found;
  };
  type SheetNotice = { message?: string; error?: boolean; walkInValue?: string; walkInError?: string };
  const sheetProps = (c: AppContext, occurrenceId: string, notice: SheetNotice = {}) => {
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    return {
      occurrenceId,
      rows: attendanceSheet(c.var.deps.db, event, occurrence),
      csrf: c.var.viewer?.csrfToken ?? null,
      started: occurrence.start.getTime() <= c.var.deps.clock.now().getTime(),
      cancelled: occurrence.cancelled,
      ...notice,
    };
  };
  const renderAttendance = (c: AppContext, occurrenceId: string, notice: SheetNotice = {}, status: 200 | 400 | 409 = 200) => {
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    if (isHtmx(c)) return html(c, AttendanceSheet(sheetProps(c, occurrenceId, notice)), status);
    const now = c.var.deps.clock.now();
    const code = checkInCodeOf(c.var.deps.db, event.id, occurrence.originalStart);
    const live = code && code.expiresAt.getTime() > now.getTime() ? code : null;
    const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: event.timeZone }).format(occurrence.start) + ` (${event.timeZone})`;
    return html(
      c,
      AttendancePage({
        layout: layoutProps(c, `${event.title}: attendance`),
        occurrenceId,
        backHref: event.kind === 'training' ? `/programs/sessions/${event.id}` : `/events/${event.id}`,
        title: event.title,
        when,
        code: live,
        canOpenCheckIn: !occurrence.cancelled && occurrence.end.getTime() + 2 * 3_600_000 > now.getTime(),
        sheet: sheetProps(c, occurrenceId, notice),
      }),
      status,
    );
  };
  /** Runs an attendance change; a refusal is shown on the sheet (never an error page), success answers the sheet or a redirect. */
  const attendanceAction = (c: AppContext, occurrenceId: string, run: () => string, onError: (err: AppError) => SheetNotice = (err) => ({ message: err.message, error: true })) => {
    let message: string;
    try {
      message = run();
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
      return renderAttendance(c, occurrenceId, onError(err), err.status as 400 | 409);
    }
    if (isHtmx(c)) return renderAttendance(c, occurrenceId, { message });
    return redirectWithMessage(c, `/programs/attendance/${occurrenceId}`, message);
  };
  const savedMessage = (r: { marked: number; attended: number; walkIns: number; removed: number }) =>
    `Attendance saved: ${r.attended} attended${r.walkIns ? ` (${r.walkIns} walk-in${r.walkIns === 1 ? '' : 's'})` : ''}, ${r.marked - r.attended} no-show${r.removed ? `, ${r.removed} mark${r.removed === 1 ? '' : 's'} removed` : ''}.`;

  app.get('/programs/attendance/:occurrenceId', paramValidator(occurrenceParam), (c) => renderAttendance(c, c.req.valid('param').occurrenceId));
  app.post('/programs/attendance/:occurrenceId', paramValidator(occurrenceParam), async (c) => {
    const { occurrenceId } = c.req.valid('param');
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    const body = await c.req.parseBody({ all: true });
    const ids = [...new Set(toArray(body.personId).map((v) => Number(v)).filter((id) => Number.isInteger(id) && id > 0))].slice(0, 2000);
    const marks: AttendanceMark[] = [];
    const remove: number[] = [];
    for (const personId of ids) {
      const status = body[`status_${personId}`];
      if (status === 'attended' || status === 'no_show') marks.push({ personId, status, walkIn: body[`walkIn_${personId}`] === 'yes' });
      else if (status === 'none') remove.push(personId);
    }
    const { db, clock } = c.var.deps;
    return attendanceAction(c, occurrenceId, () => savedMessage(markAttendance(db, clock, actorOf(c.var.viewer), viewerOf(c).person, event.id, occurrence.originalStart, marks, remove)));
  });
  app.post('/programs/attendance/:occurrenceId/everyone-present', paramValidator(occurrenceParam), (c) => {
    const { occurrenceId } = c.req.valid('param');
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    const { db, clock } = c.var.deps;
    return attendanceAction(c, occurrenceId, () => {
      const result = markEveryonePresent(db, clock, actorOf(c.var.viewer), viewerOf(c).person, event.id, occurrence.originalStart);
      return `Everyone with a place is marked present (${result.attended}).`;
    });
  });
  app.post('/programs/attendance/:occurrenceId/walk-in', paramValidator(occurrenceParam), async (c) => {
    const { occurrenceId } = c.req.valid('param');
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    const body = await c.req.parseBody();
    const text = typeof body.person === 'string' ? body.person.slice(0, 300) : '';
    const { db, clock } = c.var.deps;
    return attendanceAction(
      c,
      occurrenceId,
      () => {
        const person = findPersonForWalkIn(db, text);
        markAttendance(db, clock, actorOf(c.var.viewer), viewerOf(c).person, event.id, occurrence.originalStart, [{ personId: person.id, status: 'attended', walkIn: true }]);
        return `${person.name} is recorded as a walk-in who attended.`;
      },
      (err) => ({ walkInValue: text, walkInError: err.issues?.[0]?.message ?? err.message }),
    );
  });
  app.post('/programs/attendance/:occurrenceId/code', paramValidator(occurrenceParam), (c) => {
    const { occurrenceId } = c.req.valid('param');
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    openCheckIn(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), viewerOf(c).person, event.id, occurrence.originalStart);
    return c.redirect(`/programs/attendance/${occurrenceId}`, 303);
  });
  app.post('/programs/attendance/:occurrenceId/invite', paramValidator(occurrenceParam), (c) => {
    const { occurrenceId } = c.req.valid('param');
    const { event, occurrence } = loadOccurrence(c, occurrenceId);
    const back = (message: string) => redirectWithMessage(c, `/programs/sessions/${event.id}`, message);
    try {
      const result = inviteWhoNeedsIt(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), viewerOf(c).person, event.id, occurrence.originalStart);
      return back(`${result.invited} invited; ${result.unchanged} had been invited already.`);
    } catch (err) {
      // Refused (the session started, was cancelled…): said on the session page, not an error page.
      if (err instanceof AppError && (err.status === 400 || err.status === 409)) return back(err.message);
      throw err;
    }
  });

  // ── a person's progress (their managers, HR, themselves) ──
  app.get('/programs/people/:id', paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    if (!canViewPerson(db, viewer, id)) throw forbidden('You can only see your own progress and that of the people who report to you.');
    const details = personDetails(db, id);
    const rows = personCompletionDetail(db, clock.now(), id);
    const current = rows.filter((r) => !r.closed);
    return html(
      c,
      PersonProgressPage({
        layout: layoutProps(c, details.person.name),
        person: { id, name: details.person.name, teamName: details.teamName, hireDate: details.person.hireDate, timeZone: details.person.timeZone },
        counts: summariseCompletion(current),
        current,
        history: rows.filter((r) => r.closed),
        canSignOff: canManagePerson(db, viewer, id),
        attendance: attendanceOfPerson(db, id, 30),
      }),
    );
  });
  app.post('/programs/people/:id/sign-off', paramValidator(idParam), formValidator(signOffForm, (c) => {
    requirePerson(c.var.deps.db, Number(c.req.param('id')));
    throw new AppError(400, 'invalid', 'Choose the requirement to sign off.');
  }), (c) => {
    const { id } = c.req.valid('param');
    const form = c.req.valid('form');
    signOff(c.var.deps.db, c.var.deps.clock, viewerOf(c), id, form.requirementId, form.note);
    return redirectWithMessage(c, `/programs/people/${id}`, 'Signed off.');
  });

  app.post('/programs/enrollments/:id/end', requireRole('hr', 'manager'), paramValidator(idParam), (c) => {
    const { db, clock } = c.var.deps;
    const enrollment = getEnrollment(db, c.req.valid('param').id);
    if (!canManagePerson(db, viewerOf(c), enrollment.personId)) throw forbidden('Only HR or the person’s manager can end this enrollment.');
    endEnrollment(db, clock, actorOf(c.var.viewer), enrollment.id);
    return redirectWithMessage(c, `/programs/${enrollment.programId}#enrollments`, 'Enrollment ended; completed requirements stay on record.');
  });

  // ── one program (after the fixed paths above) ──
  app.get('/programs/:id', requireRole('hr', 'manager'), paramValidator(idParam), (c) => renderProgramPage(c, c.req.valid('param').id));
  app.post(
    '/programs/:id',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(settingsForm, (c) => renderProgramPage(c, Number(c.req.param('id')), {}, 400)),
    (c) => {
      const { id } = c.req.valid('param');
      updateProgram(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, c.req.valid('form'));
      return redirectWithMessage(c, `/programs/${id}`, 'Settings saved.');
    },
  );
  app.post(
    '/programs/:id/requirements',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(requirementInputSchema, (c, errors, values) => renderProgramPage(c, Number(c.req.param('id')), { requirementValues: values, requirementErrors: errors }, 400)),
    (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('form');
      try {
        addRequirement(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, input);
      } catch (err) {
        const errors = fieldErrorsOf(err, 'topicId');
        if (errors) return renderProgramPage(c, id, { requirementValues: input, requirementErrors: errors }, 409);
        throw err;
      }
      return redirectWithMessage(c, `/programs/${id}#requirements`, `Requirement “${input.title}” added.`);
    },
  );
  app.post('/programs/:id/requirements/:childId/delete', requireRole('hr'), paramValidator(childParam), (c) => {
    const { id, childId } = c.req.valid('param');
    removeRequirement(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, childId);
    return redirectWithMessage(c, `/programs/${id}#requirements`, 'Requirement removed.');
  });
  app.post(
    '/programs/:id/rules',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(ruleInputSchema, (c, errors, values) => renderProgramPage(c, Number(c.req.param('id')), { ruleValues: values, ruleErrors: errors }, 400)),
    (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('form');
      try {
        const result = addEnrollmentRule(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, input);
        const message = `Rule added: ${result.enrolled + result.reopened} ${result.enrolled + result.reopened === 1 ? 'person' : 'people'} enrolled now.`;
        return redirectWithMessage(c, `/programs/${id}#rules`, message);
      } catch (err) {
        const errors = fieldErrorsOf(err, 'teamId');
        if (errors) return renderProgramPage(c, id, { ruleValues: input, ruleErrors: errors }, 409);
        throw err;
      }
    },
  );
  app.post('/programs/:id/rules/:childId/delete', requireRole('hr'), paramValidator(childParam), (c) => {
    const { id, childId } = c.req.valid('param');
    removeEnrollmentRule(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, childId);
    return redirectWithMessage(c, `/programs/${id}#rules`, 'Rule removed; the people it enrolled stay enrolled.');
  });
  app.post(
    '/programs/:id/enrollments',
    requireRole('hr', 'manager'),
    paramValidator(idParam),
    formValidator(enrollForm, (c, errors) => renderProgramPage(c, Number(c.req.param('id')), { enrollErrors: errors }, 400)),
    (c) => {
      const { id } = c.req.valid('param');
      const { personIds, startDate } = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const visible = visiblePersonIds(db, viewerOf(c));
      if (visible && personIds.some((p) => !visible.includes(p))) throw forbidden('Managers can enroll only the people who report to them.');
      getProgram(db, id);
      const result = enrollPeople(db, id, personIds, actorOf(c.var.viewer), clock, { startDate });
      const message = `${result.enrolled + result.reopened} enrolled${result.alreadyEnrolled ? `, ${result.alreadyEnrolled} already were` : ''}${result.skipped ? `, ${result.skipped} inactive skipped` : ''}.`;
      return redirectWithMessage(c, `/programs/${id}#enrollments`, message);
    },
  );

  // ── my learning (everyone) ──
  const renderMyLearning = (c: AppContext, checkInError?: string, status: 200 | 400 | 409 = 200) => {
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const now = clock.now();
    const rows = personCompletionDetail(db, now, viewer.person.id);
    const current = rows.filter((r) => !r.closed);
    const open = current.filter((r) => r.state !== 'done');
    const neededTopics = [...new Set(open.filter((r) => r.kind === 'training' && r.topicId !== null).map((r) => r.topicId!))];
    return html(
      c,
      MyLearningPage({
        layout: layoutProps(c, 'My learning'),
        timeZone: viewer.person.timeZone,
        counts: summariseCompletion(current),
        open,
        done: rows.filter((r) => r.state === 'done').sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0)),
        needsTraining: neededTopics.length > 0,
        sessions: upcomingSessions(db, now, { topicIds: neededTopics, days: 90, forPersonId: viewer.person.id }).filter((s) => s.event.hostId !== viewer.person.id).slice(0, 30),
        hosting: upcomingSessions(db, now, { days: 30, includePast: true }).filter((s) => s.event.hostId === viewer.person.id),
        checkInError,
      }),
      status,
    );
  };
  app.get('/learning', (c) => renderMyLearning(c));
  app.post('/learning/book', formValidator(z.object({ occurrenceId: z.string().regex(/^\d+_\d{8}T\d{6}Z$/, 'Choose a session.') }), () => {
    throw new AppError(400, 'invalid', 'Choose a session to book.');
  }), (c) => {
    const { occurrenceId } = c.req.valid('form');
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const { event, occurrence } = resolveOccurrence(db, occurrenceId);
    let message: string;
    let status: 200 | 409 = 200;
    try {
      const result = bookSession(db, clock, actorOf(c.var.viewer), viewer.person, event.id, occurrence.originalStart);
      message = result.outcome === 'accepted' ? 'Booked.' : result.outcome === 'waitlisted' ? `Full: you are number ${result.waitlistPosition} on the waitlist.` : result.outcome === 'pending_approval' ? 'Waiting for your manager’s approval.' : 'Saved.';
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      if (!isHtmx(c)) throw err;
      message = err.message;
      status = 409;
    }
    if (isHtmx(c)) {
      const session = sessionAt(c, occurrenceId, viewer.person.id);
      if (session) return html(c, BookingCell({ s: session, csrf: viewer.csrfToken ?? null, message }), status);
      return html(c, StatusMessage({ message }), status);
    }
    return redirectWithMessage(c, `/learning`, `${event.title}: ${message}`);
  });
  app.post('/learning/check-in', async (c) => {
    const body = await c.req.parseBody();
    const code = typeof body.code === 'string' ? body.code.trim() : '';
    if (!/^\d{6}$/.test(code)) return renderMyLearning(c, 'Enter the six digits shown in the room.', 400);
    try {
      const { event } = checkIn(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), viewerOf(c).person, code);
      return redirectWithMessage(c, `/learning`, `Checked in to ${event.title}. The host confirms your attendance.`);
    } catch (err) {
      if (err instanceof AppError && (err.status === 400 || err.status === 409)) return renderMyLearning(c, err.message, err.status as 400 | 409);
      throw err;
    }
  });

  return app;
}

