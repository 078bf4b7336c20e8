import { Hono } from 'hono';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { people, teams } from '../../db/schema';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { idSchema, pathIdSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../guards';
import { canViewPerson, requirePerson, teamOptions as teamRows, visiblePersonIds } from '../people/people';
import { fieldErrors, formValidator, html, isHtmx, layoutProps, paramValidator, queryValidator, redirectWithMessage } from '../web';
import { queryString, type FieldErrors, type FormValues, type Option } from '../../views/components';
import { BlackoutsPage, PeriodsPage } from '../../views/rotations/blackouts';
import { RotationsHomePage } from '../../views/rotations/home';
import { PlannerPage, PlanReviewPage, MentorSelect, type FixView, type PlanRequestFields, type ReviewItem } from '../../views/rotations/planner';
import { ProgramFormPage, ProgramsPage } from '../../views/rotations/programs';
import { ChangeRotationPage, ChecklistPartial, RotationPage, ScheduleFormPage } from '../../views/rotations/rotation';
import { TimelinePage, TimelineResults } from '../../views/rotations/timeline';
import { addDaysToLocalDate, isoWeekStart, nextMondayOnOrAfter } from '../lib/time';
import { planRotations, suggestPlanItemFixes, type FixSuggestion, type PlanStats, type UnplacedPerson } from './planner';
import { ruleTitle } from './rules';
import type { RuleViolation } from './rules';
import { PlanRejected, checkPlanItems, commitPlan, itemsOfPlan, planItemSchema, planRequestSchema, proposePlan, type PlanItem, type PlanRequest, type PlanningSetup } from './planning';
import { addPeriod, blackoutInputSchema, createBlackout, deleteBlackout, listBlackouts, listPeriods, periodInputSchema, removePeriod } from './blackouts';
import { awayPeople, canViewRotation, listRotations, rotationCounts, rotationDetails, rotationsForPerson } from './reads';
import { cancelRotation, changeRotation, rotationChangeSchema, rotationInputSchema, scheduleRotation } from './scheduling';
import { requireRotation, syncRotationStatuses, todayOf } from './lifecycle';
import { checkInInputSchema, checkInOpensOn, setChecklistItem, submitCheckIn } from './check-ins';
import { createRotationProgram, getRotationProgram, listRotationPrograms, rotationProgramInputSchema, updateRotationProgram, type RotationProgramDetails } from './programs';
import { blackoutScope, buildTimeline, capacityRows, loadTimeline, timelineQuerySchema, type TimelineItem } from './timeline';
import { departmentLabel, withDepartment } from '../../views/labels';

const idParam = z.object({ id: pathIdSchema });
const itemParam = z.object({ id: pathIdSchema, itemId: pathIdSchema });

const today = (c: AppContext) => {
  const day = todayOf(c.var.deps.clock);
  syncRotationStatuses(c.var.deps.db, day);
  return day;
};

function teamOptions(c: AppContext): Option[] {
  return teamRows(c.var.deps.db, ['sales', 'marketing']).map((t) => ({ value: t.id, label: withDepartment(t) }));
}

function peopleOptions(c: AppContext): Option[] {
  return c.var.deps.db
    .select({ id: people.id, name: people.name, department: people.department, team: teams.name })
    .from(people)
    .leftJoin(teams, eq(teams.id, people.teamId))
    .where(and(eq(people.active, true), inArray(people.department, ['sales', 'marketing'])))
    .orderBy(asc(people.name))
    .all()
    .map((p) => ({ value: p.id, label: `${p.name} — ${p.team ?? 'no team'} (${departmentLabel(p.department)})` }));
}

function programOptions(c: AppContext): Option[] {
  return listRotationPrograms(c.var.deps.db, true).map((p) => ({ value: p.id, label: `${p.name} (${p.lengthWeeks} weeks)` }));
}

/** The program form's fields → the program input (host teams from capacity_<teamId>, checklist lines). */
function programFromForm(body: Record<string, unknown>) {
  const hostTeams: { teamId: number; capacity: number }[] = [];
  for (const [key, value] of Object.entries(body)) {
    const match = /^capacity_(\d+)$/.exec(key);
    if (match && typeof value === 'string' && value.trim() !== '' && Number(value) !== 0) hostTeams.push({ teamId: Number(match[1]), capacity: Number(value) });
  }
  const checklist = String(body.checklist ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return {
    name: body.name,
    direction: body.direction,
    lengthWeeks: body.lengthWeeks,
    coveragePercent: body.coveragePercent,
    learningGoals: body.learningGoals ?? '',
    hostTeams,
    checklist,
    active: body.active === 'true',
  };
}

function programFormValues(program: RotationProgramDetails): FormValues {
  const values: FormValues = {
    name: program.name,
    direction: program.direction,
    lengthWeeks: program.lengthWeeks,
    coveragePercent: program.coveragePercent,
    learningGoals: program.learningGoals,
    checklist: program.checklist.map((c) => c.title).join('\n'),
    active: program.active,
  };
  for (const h of program.hostTeams) values[`capacity_${h.teamId}`] = h.capacity;
  return values;
}

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** The plan request as hidden fields, so every review and commit rebuilds the same planning input. */
function requestFields(request: PlanRequest): PlanRequestFields {
  const fields: PlanRequestFields = {
    programId: String(request.programId),
    selection: request.selection,
    horizonStart: request.horizonStart,
    weeks: String(request.weeks),
    strictReciprocity: String(request.strictReciprocity),
  };
  if (request.teamId) fields.teamId = String(request.teamId);
  if (request.department) fields.department = request.department;
  if (request.personIds.length) fields.personIds = request.personIds.map(String);
  if (request.excludeIds?.length) fields.excludeIds = request.excludeIds.map(String);
  fields.includeManagers = String(request.includeManagers ?? false);
  return fields;
}

function parsePlanRequest(body: Record<string, unknown>): PlanRequest {
  const parsed = planRequestSchema.safeParse({ ...body, strictReciprocity: body.strictReciprocity === 'true' || body.strictReciprocity === true, includeManagers: body.includeManagers === 'true' });
  if (!parsed.success) throw new AppError(400, 'invalid', 'The plan request is not valid. Start again from the planner.', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return parsed.data;
}

/** Plan items from the review form's parallel columns; an item removed with "Remove" is left out. */
function itemsFromForm(body: Record<string, unknown>, lengthWeeks: number): PlanItem[] {
  const persons = asList(body.itemPerson);
  const hosts = asList(body.itemHost);
  const mentors = asList(body.itemMentor);
  const starts = asList(body.itemStart);
  const remove = body.remove === undefined ? -1 : Number(body.remove);
  // A suggestion button sends "row|start|host team|mentor": that row takes the suggested values.
  const apply = typeof body.apply === 'string' ? body.apply.split('|') : null;
  const applyRow = apply && apply.length === 4 ? Number(apply[0]) : -1;
  const items: PlanItem[] = [];
  persons.forEach((personId, i) => {
    if (i === remove) return;
    const start = i === applyRow ? apply![1]! : (starts[i] ?? '');
    const host = i === applyRow ? apply![2] : hosts[i];
    const mentor = i === applyRow ? apply![3] : mentors[i];
    const raw = { personId, hostTeamId: host, mentorId: mentor ? mentor : null, start, end: /^\d{4}-\d{2}-\d{2}$/.test(start) ? addDaysToLocalDate(start, lengthWeeks * 7 - 1) : start };
    const parsed = planItemSchema.safeParse(raw);
    if (!parsed.success) throw new AppError(400, 'invalid', `Row ${i + 1} of the plan is not valid: ${parsed.error.issues[0].message}`);
    items.push(parsed.data);
  });
  return items;
}

function mentorOptions(c: AppContext, teamIds: number[]): Record<number, Option[]> {
  if (!teamIds.length) return {};
  const rows = c.var.deps.db
    .select({ id: people.id, name: people.name, teamId: people.teamId })
    .from(people)
    .where(and(eq(people.active, true), inArray(people.teamId, teamIds)))
    .orderBy(asc(people.name))
    .all();
  const byTeam: Record<number, Option[]> = {};
  for (const r of rows) (byTeam[r.teamId!] ??= []).push({ value: r.id, label: r.name });
  return byTeam;
}

/** The review page for a plan: its items with their broken rules, a Gantt of them, who is missing and why. */
function renderReview(
  c: AppContext,
  request: PlanRequest,
  setup: PlanningSetup,
  items: PlanItem[],
  checks: RuleViolation[][],
  options: { stats: PlanStats | null; unplaced: UnplacedPerson[]; message?: string; committedError?: string; status?: 200 | 400 | 409 },
) {
  const { program } = setup;
  const names = new Map(setup.input.context.people.map((p) => [Number(p.id), p]));
  const teamNames = new Map(setup.input.context.teams.map((t) => [Number(t.id), t.name]));
  // Suggestions for the first broken rows only: each costs a bounded search, and a page stays small.
  let suggested = 0;
  const mentorNames = new Map(setup.input.context.people.map((p) => [Number(p.id), p.name]));
  const fixView = (f: FixSuggestion): FixView => ({
    value: `${f.start}|${f.hostTeamId}|${f.mentorId ?? ''}`,
    start: f.start,
    hostTeamName: teamNames.get(Number(f.hostTeamId)) ?? `Team ${f.hostTeamId}`,
    mentorName: f.mentorId === null ? null : (mentorNames.get(Number(f.mentorId)) ?? `Person ${f.mentorId}`),
  });
  const reviewItems: ReviewItem[] = items.map((item, i) => {
    const person = names.get(item.personId);
    const broken = (checks[i] ?? []).length > 0;
    const fixes = broken && suggested++ < SUGGESTED_ROWS ? suggestPlanItemFixes(setup.input, items, i) : null;
    return {
      fixes: fixes ? { starts: fixes.starts.map(fixView), hosts: fixes.hosts.map(fixView) } : undefined,
      personId: item.personId,
      personName: person?.name ?? `Person ${item.personId}`,
      homeTeamName: person?.homeTeamId ? teamNames.get(Number(person.homeTeamId)) ?? null : null,
      hostTeamId: item.hostTeamId,
      mentorId: item.mentorId,
      start: item.start,
      end: item.end,
      violations: checks[i] ?? [],
    };
  });
  const timelineItems: TimelineItem[] = reviewItems.map((item, i) => ({
    key: `draft${i}`,
    rotationId: null,
    personId: item.personId,
    personName: item.personName,
    department: names.get(item.personId)?.department ?? 'other',
    homeTeamName: item.homeTeamName,
    hostTeamId: item.hostTeamId,
    hostTeamName: teamNames.get(item.hostTeamId) ?? `Team ${item.hostTeamId}`,
    programId: program.id,
    programName: program.name,
    mentorName: item.mentorId ? names.get(item.mentorId)?.name ?? null : null,
    start: item.start,
    end: item.end,
    status: 'planned',
    conflicts: [...new Set(item.violations.map((v) => ruleTitle(v.code)))],
  }));
  const from = nextMondayOnOrAfter(request.horizonStart);
  const existingOfProgram = setup.input.context.rotations
    .filter((r) => r.programId === program.id)
    .map((r) => ({ programId: program.id, hostTeamId: Number(r.hostTeamId), start: r.start, end: r.end }));
  const timeline = buildTimeline({
    from,
    weeks: request.weeks,
    today: todayOf(c.var.deps.clock),
    // Hundreds of people would make a chart nobody can read (and a page of megabytes): group by host team.
    group: timelineItems.length > PEOPLE_CHART_LIMIT ? 'teams' : 'people',
    items: timelineItems,
    blackouts: listBlackouts(c.var.deps.db, from, setup.horizonEnd).map((b) => ({ name: b.name, scope: blackoutScope(b), start: b.startDate, end: b.endDate })),
    capacity: capacityRows([program], [...existingOfProgram, ...items.map((i) => ({ programId: program.id, hostTeamId: i.hostTeamId, start: i.start, end: i.end }))], from, request.weeks),
  });
  const placed = new Set(items.map((i) => i.personId));
  const unplaced = options.unplaced
    .filter((u) => !placed.has(Number(u.personId)))
    .map((u) => ({ ...u, name: names.get(Number(u.personId))?.name ?? `Person ${u.personId}` }));
  // People HR removed from the proposal: not placed, and the planner had placed them.
  const listed = new Set(unplaced.map((u) => Number(u.personId)));
  for (const person of setup.input.people) {
    const id = Number(person.id);
    if (!placed.has(id) && !listed.has(id)) unplaced.push({ personId: id, rule: 'removed' as never, message: `${person.name} was removed from the plan.`, name: person.name });
  }
  const lastStart = addDaysToLocalDate(from, (request.weeks - program.lengthWeeks) * 7);
  return html(
    c,
    PlanReviewPage({
      layout: layoutProps(c, `Plan: ${program.name}`),
      programName: program.name,
      lengthWeeks: program.lengthWeeks,
      request: requestFields(request),
      items: reviewItems,
      unplaced,
      alreadyPlanned: setup.alreadyPlanned,
      stats: options.stats,
      timeline,
      hostTeams: program.hostTeams.map((h) => ({ value: h.teamId, label: h.teamName })),
      mentorsByTeam: mentorOptions(c, program.hostTeams.map((h) => h.teamId)),
      firstStart: from,
      lastStart,
      message: options.message,
      committedError: options.committedError,
    }),
    options.status ?? 200,
  );
}

/** Rows of a plan review that get fix suggestions; more broken rows show their rule breaks only. */
const SUGGESTED_ROWS = 25;
/** Above this many rotations the review's chart shows host teams instead of people. */
const PEOPLE_CHART_LIMIT = 60;
const mentorQuery = z.object({ row: z.coerce.number().int().min(0).max(20_000), personId: idSchema, itemHost: idSchema });

export function rotationsRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/rotations', requireSignedIn);
  app.use('/rotations/*', requireSignedIn);

  // ── overview ──
  app.get('/rotations', (c) => {
    const viewer = viewerOf(c);
    const { db } = c.var.deps;
    const day = today(c);
    const role = viewer.person.role;
    const awayUntil = addDaysToLocalDate(day, 8 * 7);
    let away = null;
    if (role !== 'employee') {
      const visible = visiblePersonIds(db, viewer);
      away = awayPeople(db, day, awayUntil, visible ? visible.filter((id) => id !== viewer.person.id) : null);
    }
    return html(
      c,
      RotationsHomePage({
        layout: layoutProps(c, 'Rotations'),
        role,
        today: day,
        mine: rotationsForPerson(db, viewer.person.id, addDaysToLocalDate(day, -180), addDaysToLocalDate(day, 400)),
        away,
        awayUntil,
        counts: role === 'hr' ? rotationCounts(db) : null,
        programs: role === 'hr' ? listRotationPrograms(db) : null,
      }),
    );
  });

  // ── timeline ──
  app.get('/rotations/timeline', requireRole('hr', 'manager'), queryValidator(timelineQuerySchema), (c) => {
    const query = c.req.valid('query');
    const viewer = viewerOf(c);
    const { db } = c.var.deps;
    const day = today(c);
    const data = loadTimeline(db, query, day, visiblePersonIds(db, viewer));
    const from = isoWeekStart(query.from ?? day);
    const pageHref = (page: number) =>
      `/rotations/timeline${queryString({ from, weeks: query.weeks, program: query.program, team: query.team, department: query.department, group: query.group, conflicts: query.conflicts, page: page > 1 ? page : undefined })}`;
    if (isHtmx(c)) return html(c, TimelineResults({ data, from, weeks: query.weeks, pageHref }));
    return html(
      c,
      TimelinePage({
        layout: layoutProps(c, 'Rotation timeline'),
        role: viewer.person.role,
        values: { ...query, from },
        programs: listRotationPrograms(db).map((p) => ({ value: p.id, label: p.name })),
        teams: teamOptions(c),
        data,
        from,
        weeks: query.weeks,
        pageHref,
      }),
    );
  });

  // ── programs (HR) ──
  app.use('/rotations/programs', requireRole('hr'));
  app.use('/rotations/programs/*', requireRole('hr'));
  const allTeams = (c: AppContext) =>
    c.var.deps.db.select({ id: teams.id, name: teams.name, department: teams.department }).from(teams).where(inArray(teams.department, ['sales', 'marketing'])).orderBy(asc(teams.department), asc(teams.name)).all();
  const renderProgramForm = (c: AppContext, values: FormValues, errors?: FieldErrors, programId?: number, status: 200 | 400 | 409 = 200) =>
    html(c, ProgramFormPage({ layout: layoutProps(c, programId ? 'Edit program' : 'New program'), programId, values, errors, teams: allTeams(c) }), status);

  app.get('/rotations/programs', (c) => html(c, ProgramsPage({ layout: layoutProps(c, 'Rotation programs'), programs: listRotationPrograms(c.var.deps.db) })));
  app.get('/rotations/programs/new', (c) => renderProgramForm(c, { direction: 'marketing_to_sales', lengthWeeks: 4, coveragePercent: 25, active: true }));

  const saveProgram = async (c: AppContext, programId?: number) => {
    const body = (await c.req.parseBody()) as Record<string, unknown>;
    const parsed = rotationProgramInputSchema.safeParse(programFromForm(body));
    const values = { ...body } as FormValues;
    if (!parsed.success) return renderProgramForm(c, values, fieldErrors(parsed.error), programId, 400);
    const { db, clock } = c.var.deps;
    try {
      const program = programId ? updateRotationProgram(db, clock, actorOf(c.var.viewer), programId, parsed.data) : createRotationProgram(db, clock, actorOf(c.var.viewer), parsed.data);
      return redirectWithMessage(c, `/rotations/programs`, `${program.name} saved.`);
    } catch (err) {
      if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
        const field = err.code === 'program_name_taken' ? 'name' : err.issues?.[0]?.path ?? '_form';
        return renderProgramForm(c, values, { [field]: err.message }, programId, err.status as 400 | 409);
      }
      throw err;
    }
  };
  app.post('/rotations/programs', (c) => saveProgram(c));
  app.get('/rotations/programs/:id', paramValidator(idParam), (c) => {
    const program = getRotationProgram(c.var.deps.db, c.req.valid('param').id);
    return renderProgramForm(c, programFormValues(program), undefined, program.id);
  });
  app.post('/rotations/programs/:id', paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    getRotationProgram(c.var.deps.db, id);
    return saveProgram(c, id);
  });

  // ── schedule one rotation (HR) ──
  const renderSchedule = (c: AppContext, values: FormValues, errors?: FieldErrors, violations: RuleViolation[] = [], status: 200 | 400 | 409 = 200) =>
    html(
      c,
      ScheduleFormPage({
        layout: layoutProps(c, 'Schedule a rotation'),
        values,
        errors,
        violations,
        programs: programOptions(c),
        people: peopleOptions(c),
        teams: teamOptions(c),
        mentors: peopleOptions(c),
      }),
      status,
    );
  app.get('/rotations/new', requireRole('hr'), (c) => renderSchedule(c, { programId: c.req.query('programId'), personId: c.req.query('personId') }));
  app.post(
    '/rotations',
    requireRole('hr'),
    formValidator(rotationInputSchema, (c, errors, values) => renderSchedule(c, values, errors, [], 400)),
    (c) => {
      const input = c.req.valid('form');
      const { db, clock } = c.var.deps;
      try {
        const row = scheduleRotation(db, clock, actorOf(c.var.viewer), input);
        return redirectWithMessage(c, `/rotations/${row.id}`, 'Rotation scheduled.');
      } catch (err) {
        if (err instanceof AppError && err.status === 409 && Array.isArray(err.details?.violations)) {
          const violations = err.details.violations as RuleViolation[];
          const errors: FieldErrors = { _form: `This rotation breaks ${violations.length === 1 ? 'a rule' : `${violations.length} rules`}; change it or override with a reason.` };
          return renderSchedule(c, { ...input, overrideReason: input.overrideReason ?? '' }, errors, violations, 409);
        }
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) return renderSchedule(c, input, { [err.issues?.[0]?.path ?? '_form']: err.message }, [], err.status as 400 | 409);
        throw err;
      }
    },
  );

  // ── planner (HR) ──
  app.use('/rotations/planner', requireRole('hr'));
  app.use('/rotations/planner/*', requireRole('hr'));
  const renderPlanner = (c: AppContext, values: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200) =>
    html(
      c,
      PlannerPage({
        layout: layoutProps(c, 'Plan rotations'),
        values,
        errors,
        programs: programOptions(c),
        teams: teamOptions(c),
        people: peopleOptions(c),
      }),
      status,
    );
  app.get('/rotations/planner', (c) => {
    const day = todayOf(c.var.deps.clock);
    return renderPlanner(c, { selection: 'team', horizonStart: nextMondayOnOrAfter(day), weeks: 52, strictReciprocity: true, programId: c.req.query('programId') });
  });
  app.post('/rotations/planner', async (c) => {
    const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    if (body.addExclude !== undefined) {
      // "Leave out": find the person typed in the search box and keep them in the excluded list.
      const search = typeof body.excludeSearch === 'string' ? body.excludeSearch.trim().slice(0, 200) : '';
      const found = search ? peopleOptions(c).find((o) => o.label.toLowerCase() === search.toLowerCase()) ?? peopleOptions(c).filter((o) => o.label.toLowerCase().includes(search.toLowerCase())) : [];
      const match = Array.isArray(found) ? (found.length === 1 ? found[0] : null) : found;
      const excludeIds = [...asList(body.excludeIds), ...(match ? [String(match.value)] : [])];
      const values = { ...(body as FormValues), excludeIds, excludeSearch: match ? '' : search, includeManagers: body.includeManagers === 'true', strictReciprocity: body.strictReciprocity === 'true' };
      if (!match) return renderPlanner(c, values, { excludeSearch: search ? `No single person matches “${search}”; pick a name from the list.` : 'Type a name to leave out.' }, 400);
      return renderPlanner(c, values);
    }
    const parsed = planRequestSchema.safeParse({ ...body, strictReciprocity: body.strictReciprocity === 'true', includeManagers: body.includeManagers === 'true' });
    if (!parsed.success) return renderPlanner(c, body as FormValues, fieldErrors(parsed.error), 400);
    const request = parsed.data;
    try {
      const { setup, plan } = proposePlan(c.var.deps.db, request);
      const items = itemsOfPlan(plan);
      return renderReview(c, request, setup, items, items.map(() => []), { stats: plan.stats, unplaced: plan.unplaced });
    } catch (err) {
      if (err instanceof AppError && (err.status === 404 || err.status === 409)) return renderPlanner(c, body as FormValues, { programId: err.message }, 400);
      throw err;
    }
  });
  const reviewOrCommit = (commit: boolean) => async (c: AppContext) => {
    const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    const request = parsePlanRequest(body);
    const { db, clock } = c.var.deps;
    const program = getRotationProgram(db, request.programId);
    const items = itemsFromForm(body, program.lengthWeeks);
    const unplacedFor = (setup: PlanningSetup) => planRotations(setup.input).unplaced;
    if (commit && body.remove === undefined) {
      try {
        const { rotations } = commitPlan(db, clock, actorOf(c.var.viewer), request, items);
        const from = nextMondayOnOrAfter(request.horizonStart);
        return redirectWithMessage(c, `/rotations/timeline?from=${from}&weeks=${request.weeks}&program=${program.id}`, `Plan committed: ${rotations.length} rotations of ${program.name}.`);
      } catch (err) {
        if (err instanceof PlanRejected) {
          const { setup, checks } = checkPlanItems(db, request, items);
          return renderReview(c, request, setup, items, checks.map((ch) => ch.violations), { stats: null, unplaced: unplacedFor(setup), committedError: err.message, status: 409 });
        }
        if (err instanceof AppError && err.status === 400) {
          const { setup } = checkPlanItems(db, request, []);
          return renderReview(c, request, setup, items, items.map(() => []), { stats: null, unplaced: unplacedFor(setup), committedError: err.message, status: 400 });
        }
        throw err;
      }
    }
    const { setup, checks } = checkPlanItems(db, request, items);
    const broken = checks.filter((ch) => ch.violations.length).length;
    return renderReview(c, request, setup, items, checks.map((ch) => ch.violations), {
      stats: null,
      unplaced: unplacedFor(setup),
      message: body.remove !== undefined ? 'Removed from the plan (nothing is written until you commit).' : broken ? null! : 'Checked: every rotation keeps every rule.',
    });
  };
  app.get('/rotations/planner/mentors', queryValidator(mentorQuery), (c) => {
    const { row, personId, itemHost } = c.req.valid('query');
    const person = c.var.deps.db.select({ name: people.name }).from(people).where(eq(people.id, personId)).get();
    if (!person) throw new AppError(404, 'not_found', 'There is no such person.');
    const options = (mentorOptions(c, [itemHost])[itemHost] ?? []).filter((o) => Number(o.value) !== personId);
    return html(c, MentorSelect({ index: row, personName: person.name, mentorId: null, options }));
  });
  app.post('/rotations/planner/review', reviewOrCommit(false));
  app.post('/rotations/planner/commit', reviewOrCommit(true));

  // ── blackouts (HR) ──
  app.use('/rotations/blackouts', requireRole('hr'));
  app.use('/rotations/blackouts/*', requireRole('hr'));
  const renderBlackouts = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 = 200) =>
    html(c, BlackoutsPage({ layout: layoutProps(c, 'Blackouts'), blackouts: listBlackouts(c.var.deps.db), teams: teamOptions(c), values: values ?? { scope: 'department' }, errors }), status);
  app.get('/rotations/blackouts', (c) => renderBlackouts(c));
  app.post('/rotations/blackouts', formValidator(blackoutInputSchema, (c, errors, values) => renderBlackouts(c, values, errors, 400)), (c) => {
    const input = c.req.valid('form');
    try {
      createBlackout(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), input);
    } catch (err) {
      if (err instanceof AppError && err.status === 400) return renderBlackouts(c, input, { teamId: err.message }, 400);
      throw err;
    }
    return redirectWithMessage(c, `/rotations/blackouts`, `Blackout ${input.name} added.`);
  });
  app.post('/rotations/blackouts/:id/delete', paramValidator(idParam), (c) => {
    deleteBlackout(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('param').id);
    return redirectWithMessage(c, `/rotations/blackouts`, 'Blackout deleted.');
  });

  // ── preferred and unavailable periods ──
  /** Whose periods: one's own, or (HR, or a manager for a report) ?person=. */
  const periodsOwner = (c: AppContext) => {
    const viewer = viewerOf(c);
    const param = c.req.query('person');
    if (!param) return viewer.person;
    const id = Number(param);
    if (!Number.isInteger(id) || id <= 0) throw new AppError(404, 'not_found', 'No such person.');
    const person = requirePerson(c.var.deps.db, id);
    if (person.id !== viewer.person.id && (viewer.person.role === 'employee' || !canViewPerson(c.var.deps.db, viewer, id))) throw forbidden('You can only change your own availability and that of people you look after.');
    return person;
  };
  const renderPeriods = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 = 200) => {
    const owner = periodsOwner(c);
    const viewer = viewerOf(c);
    return html(
      c,
      PeriodsPage({
        layout: layoutProps(c, 'Availability'),
        role: viewer.person.role,
        person: { id: owner.id, name: owner.name },
        isSelf: owner.id === viewer.person.id,
        periods: listPeriods(c.var.deps.db, owner.id),
        values: values ?? { kind: 'preferred' },
        errors,
      }),
      status,
    );
  };
  const periodsHref = (c: AppContext, ownerId: number) => (ownerId === viewerOf(c).person.id ? '/rotations/periods' : `/rotations/periods?person=${ownerId}`);
  app.get('/rotations/periods', (c) => renderPeriods(c));
  app.post('/rotations/periods', formValidator(periodInputSchema, (c, errors, values) => renderPeriods(c, values, errors, 400)), (c) => {
    const owner = periodsOwner(c);
    addPeriod(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), owner.id, c.req.valid('form'));
    const href = periodsHref(c, owner.id);
    return redirectWithMessage(c, href, 'Period added.');
  });
  app.post('/rotations/periods/:id/delete', paramValidator(idParam), (c) => {
    const owner = periodsOwner(c);
    removePeriod(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), owner.id, c.req.valid('param').id);
    const href = periodsHref(c, owner.id);
    return redirectWithMessage(c, href, 'Period removed.');
  });

  // ── one rotation ──
  const loadVisible = (c: AppContext, id: number) => {
    const { db } = c.var.deps;
    today(c);
    const details = rotationDetails(db, id);
    if (!canViewRotation(db, viewerOf(c), details)) throw forbidden('You can only see rotations you take part in or look after.');
    return details;
  };
  const renderRotation = (c: AppContext, id: number, checkInValues?: { kind: 'midpoint' | 'end'; values: FormValues; errors: FieldErrors }, status: 200 | 400 | 409 = 200) => {
    const details = loadVisible(c, id);
    const viewer = viewerOf(c);
    const viewerRole = viewer.person.id === details.personId ? 'guest' : viewer.person.id === details.mentorId ? 'mentor' : null;
    return html(
      c,
      RotationPage({
        layout: layoutProps(c, `Rotation of ${details.personName}`),
        rotation: details,
        viewerRole,
        isHr: viewer.person.role === 'hr',
        today: todayOf(c.var.deps.clock),
        checkInOpens: { midpoint: checkInOpensOn('midpoint', details.startDate, details.endDate), end: checkInOpensOn('end', details.startDate, details.endDate) },
        checkInValues,
      }),
      status,
    );
  };
  app.get('/rotations/:id', paramValidator(idParam), (c) => renderRotation(c, c.req.valid('param').id));
  const renderChange = (c: AppContext, id: number, values: FormValues, errors?: FieldErrors, violations: RuleViolation[] = [], status: 200 | 400 | 409 = 200) => {
    const details = loadVisible(c, id);
    const hostIds = details.program.hostTeams.map((h) => h.teamId);
    const mentors = mentorOptions(c, hostIds);
    return html(
      c,
      ChangeRotationPage({
        layout: layoutProps(c, `Move ${details.personName}'s rotation`),
        rotationId: id,
        personName: details.personName,
        values,
        errors,
        violations,
        hostTeams: details.program.hostTeams.map((h) => ({ value: h.teamId, label: h.teamName })),
        mentors: details.program.hostTeams.flatMap((h) => (mentors[h.teamId] ?? []).map((m) => ({ value: m.value, label: `${m.label} (${h.teamName})` }))),
      }),
      status,
    );
  };
  app.get('/rotations/:id/edit', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const r = requireRotation(c.var.deps.db, id);
    return renderChange(c, id, { hostTeamId: r.hostTeamId, mentorId: r.mentorId ?? '', startDate: r.startDate, endDate: r.endDate });
  });
  app.post(
    '/rotations/:id',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(rotationChangeSchema, (c, errors, values) => renderChange(c, Number(c.req.param('id')), values, errors, [], 400)),
    (c) => {
      const { id } = c.req.valid('param');
      const change = c.req.valid('form');
      const { db, clock } = c.var.deps;
      try {
        changeRotation(db, clock, actorOf(c.var.viewer), id, change);
      } catch (err) {
        if (err instanceof AppError && err.status === 409 && Array.isArray(err.details?.violations)) {
          const violations = err.details.violations as RuleViolation[];
          return renderChange(c, id, { ...change, overrideReason: change.overrideReason ?? '' }, { _form: `The change breaks ${violations.length === 1 ? 'a rule' : `${violations.length} rules`}; adjust it or override with a reason.` }, violations, 409);
        }
        if (err instanceof AppError && err.status === 409) return renderChange(c, id, change, { _form: err.message }, [], 409);
        throw err;
      }
      return redirectWithMessage(c, `/rotations/${id}`, 'Rotation changed.');
    },
  );
  app.post('/rotations/:id/cancel', requireRole('hr'), paramValidator(idParam), formValidator(z.object({ reason: z.string().trim().min(3, 'Give a reason.').max(500) }), (c) => {
    // An unknown rotation is not found, whatever the form says.
    requireRotation(c.var.deps.db, Number(c.req.param('id')));
    throw new AppError(400, 'invalid', 'Give a reason for cancelling.', [{ path: 'reason', message: 'Give a reason.' }]);
  }), (c) => {
    const { id } = c.req.valid('param');
    cancelRotation(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, c.req.valid('form').reason);
    return redirectWithMessage(c, `/rotations/${id}`, 'Rotation cancelled.');
  });
  app.post('/rotations/:id/checklist/:itemId', paramValidator(itemParam), async (c) => {
    const { id, itemId } = c.req.valid('param');
    const body = await c.req.parseBody();
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    loadVisible(c, id);
    setChecklistItem(db, clock, actorOf(c.var.viewer), viewer.person, id, itemId, body.done !== 'false');
    if (isHtmx(c)) {
      const details = rotationDetails(db, id);
      return html(c, ChecklistPartial({ rotation: details, canTick: true, csrfToken: viewer.csrfToken ?? null }));
    }
    return redirectWithMessage(c, `/rotations/${id}`, 'Checklist updated.');
  });
  app.post(
    '/rotations/:id/check-ins',
    paramValidator(idParam),
    formValidator(checkInInputSchema, (c, errors, values) => {
      const kind = values.kind === 'end' ? 'end' : 'midpoint';
      return renderRotation(c, Number(c.req.param('id')), { kind, values, errors }, 400);
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('form');
      const { db, clock } = c.var.deps;
      loadVisible(c, id);
      try {
        submitCheckIn(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, input);
      } catch (err) {
        if (err instanceof AppError && err.status === 409) return renderRotation(c, id, { kind: input.kind, values: input, errors: { learned: err.message } }, 409);
        throw err;
      }
      return redirectWithMessage(c, `/rotations/${id}`, 'Check-in saved.');
    },
  );

  return app;
}

export { listRotations };
