/**
 * The planner (HR): propose a plan, review and edit it, commit it in one transaction. Mounted at /rotations/planner.
 */
import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { people } from '../../db/schema';
import type { AppContext, AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { idSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole } from '../guards';
import { fieldErrors, html, layoutProps, queryValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { PlannerPage, PlanReviewPage, MentorSelect, type FixView, type PlanRequestFields, type ReviewItem } from '../../views/rotations/planner';
import { addDaysToLocalDate, nextMondayOnOrAfter, toDayNumber } from '../lib/time';
import { planRotations, suggestPlanItemFixes, type FixSuggestion, type PlanStats, type UnplacedPerson } from './planner';
import { ruleTitle, type RuleViolation } from './rules';
import {
  PlanRejected,
  checkPlanItems,
  commitPlan,
  itemsOfPlan,
  planItemSchema,
  planRequestSchema,
  proposePlan,
  type PlanItem,
  type PlanRequest,
  type PlanningSetup,
} from './planning';
import { listBlackouts } from './blackouts';
import { todayOf } from './lifecycle';
import { getRotationProgram } from './programs';
import { blackoutScope, buildTimeline, capacityRows, type TimelineItem } from './timeline';
import { mentorOptions, peopleOptions, programOptions, teamOptions } from './route-helpers';

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
  const parsed = planRequestSchema.safeParse({
    ...body,
    strictReciprocity: body.strictReciprocity === 'true' || body.strictReciprocity === true,
    includeManagers: body.includeManagers === 'true',
  });
  if (!parsed.success)
    throw new AppError(
      400,
      'invalid',
      'The plan request is not valid. Start again from the planner.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
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
    const raw = {
      personId,
      hostTeamId: host,
      mentorId: mentor ? mentor : null,
      start,
      end: /^\d{4}-\d{2}-\d{2}$/.test(start) ? addDaysToLocalDate(start, lengthWeeks * 7 - 1) : start,
    };
    const parsed = planItemSchema.safeParse(raw);
    if (!parsed.success) throw new AppError(400, 'invalid', `Row ${i + 1} of the plan is not valid: ${parsed.error.issues[0].message}`);
    items.push(parsed.data);
  });
  return items;
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
      homeTeamName: person?.homeTeamId ? (teamNames.get(Number(person.homeTeamId)) ?? null) : null,
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
    mentorName: item.mentorId ? (names.get(item.mentorId)?.name ?? null) : null,
    start: item.start,
    end: item.end,
    status: 'planned',
    conflicts: [...new Set(item.violations.map((v) => ruleTitle(v.code)))],
  }));
  const from = nextMondayOnOrAfter(request.horizonStart);
  const span = (hostTeamId: number, start: string, end: string) => ({
    programId: program.id,
    hostTeamId,
    days: [toDayNumber(start), toDayNumber(end)],
  });
  const existingOfProgram = setup.input.context.rotations.filter((r) => r.programId === program.id).map((r) => span(Number(r.hostTeamId), r.start, r.end));
  const timeline = buildTimeline({
    from,
    weeks: request.weeks,
    today: todayOf(c.var.deps.clock),
    // Hundreds of people would make a chart nobody can read (and a page of megabytes): group by host team.
    group: timelineItems.length > PEOPLE_CHART_LIMIT ? 'teams' : 'people',
    items: timelineItems,
    blackouts: listBlackouts(c.var.deps.db, from, setup.horizonEnd).map((b) => ({ name: b.name, scope: blackoutScope(b), start: b.startDate, end: b.endDate })),
    capacity: capacityRows([program], [...existingOfProgram, ...items.map((i) => span(i.hostTeamId, i.start, i.end))], from, request.weeks),
  });
  const placed = new Set(items.map((i) => i.personId));
  const unplaced = options.unplaced
    .filter((u) => !placed.has(Number(u.personId)))
    .map((u) => ({ ...u, name: names.get(Number(u.personId))?.name ?? `Person ${u.personId}` }));
  // People HR removed from the proposal: not placed, and the planner had placed them.
  const listed = new Set(unplaced.map((u) => Number(u.personId)));
  for (const person of setup.input.people) {
    const id = Number(person.id);
    if (!placed.has(id) && !listed.has(id))
      unplaced.push({ personId: id, rule: 'removed' as never, message: `${person.name} was removed from the plan.`, name: person.name });
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
      mentorsByTeam: mentorOptions(
        c,
        program.hostTeams.map((h) => h.teamId),
      ),
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

export function plannerRoutes() {
  const app = new Hono<AppEnv>();
  app.use(requireRole('hr'));

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
  app.get('/', (c) => {
    const day = todayOf(c.var.deps.clock);
    return renderPlanner(c, {
      selection: 'team',
      horizonStart: nextMondayOnOrAfter(day),
      weeks: 52,
      strictReciprocity: true,
      programId: c.req.query('programId'),
    });
  });
  app.post('/', async (c) => {
    const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    if (body.addExclude !== undefined) {
      // "Leave out": find the person typed in the search box and keep them in the excluded list.
      const search = typeof body.excludeSearch === 'string' ? body.excludeSearch.trim().slice(0, 200) : '';
      const found = search
        ? (peopleOptions(c).find((o) => o.label.toLowerCase() === search.toLowerCase()) ??
          peopleOptions(c).filter((o) => o.label.toLowerCase().includes(search.toLowerCase())))
        : [];
      const match = Array.isArray(found) ? (found.length === 1 ? found[0] : null) : found;
      const excludeIds = [...asList(body.excludeIds), ...(match ? [String(match.value)] : [])];
      const values = {
        ...(body as FormValues),
        excludeIds,
        excludeSearch: match ? '' : search,
        includeManagers: body.includeManagers === 'true',
        strictReciprocity: body.strictReciprocity === 'true',
      };
      if (!match)
        return renderPlanner(
          c,
          values,
          { excludeSearch: search ? `No single person matches “${search}”; pick a name from the list.` : 'Type a name to leave out.' },
          400,
        );
      return renderPlanner(c, values);
    }
    const parsed = planRequestSchema.safeParse({
      ...body,
      strictReciprocity: body.strictReciprocity === 'true',
      includeManagers: body.includeManagers === 'true',
    });
    if (!parsed.success) return renderPlanner(c, body as FormValues, fieldErrors(parsed.error), 400);
    const request = parsed.data;
    try {
      const { setup, plan } = proposePlan(c.var.deps.db, request);
      const items = itemsOfPlan(plan);
      return renderReview(
        c,
        request,
        setup,
        items,
        items.map(() => []),
        { stats: plan.stats, unplaced: plan.unplaced },
      );
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
        return redirectWithMessage(
          c,
          `/rotations/timeline?from=${from}&weeks=${request.weeks}&program=${program.id}`,
          `Plan committed: ${rotations.length} rotations of ${program.name}.`,
        );
      } catch (err) {
        if (err instanceof PlanRejected) {
          const { setup, checks } = checkPlanItems(db, request, items);
          return renderReview(
            c,
            request,
            setup,
            items,
            checks.map((ch) => ch.violations),
            { stats: null, unplaced: unplacedFor(setup), committedError: err.message, status: 409 },
          );
        }
        if (err instanceof AppError && err.status === 400) {
          const { setup } = checkPlanItems(db, request, []);
          return renderReview(
            c,
            request,
            setup,
            items,
            items.map(() => []),
            { stats: null, unplaced: unplacedFor(setup), committedError: err.message, status: 400 },
          );
        }
        throw err;
      }
    }
    const { setup, checks } = checkPlanItems(db, request, items);
    const broken = checks.filter((ch) => ch.violations.length).length;
    return renderReview(
      c,
      request,
      setup,
      items,
      checks.map((ch) => ch.violations),
      {
        stats: null,
        unplaced: unplacedFor(setup),
        message:
          body.remove !== undefined
            ? 'Removed from the plan (nothing is written until you commit).'
            : broken
              ? null!
              : 'Checked: every rotation keeps every rule.',
      },
    );
  };
  app.get('/mentors', queryValidator(mentorQuery), (c) => {
    const { row, personId, itemHost } = c.req.valid('query');
    const person = c.var.deps.db.select({ name: people.name }).from(people).where(eq(people.id, personId)).get();
    if (!person) throw new AppError(404, 'not_found', 'There is no such person.');
    const options = (mentorOptions(c, [itemHost])[itemHost] ?? []).filter((o) => Number(o.value) !== personId);
    return html(c, MentorSelect({ index: row, personName: person.name, mentorId: null, options }));
  });
  app.post('/review', reviewOrCommit(false));
  app.post('/commit', reviewOrCommit(true));

  return app;
}
