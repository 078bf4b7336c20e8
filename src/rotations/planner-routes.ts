/**
 * The planner (HR): propose a plan, review and edit it a page at a time, commit the whole of it in one
 * transaction. Mounted at /rotations/planner. A proposal is kept in the database (plan-drafts.ts) from the
 * moment HR asks for it, so a review page shows and sends one page of rows whatever the size of the plan.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { idSchema, pathIdSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole } from '../guards';
import { fieldErrors, html, layoutProps, paramValidator, queryValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues, Option } from '../../views/components';
import { PeopleDatalist, PlannerPage, PlanReviewPage, MentorSelect, type FixView, type ReviewItem } from '../../views/rotations/planner';
import { addDaysToLocalDate, nextMondayOnOrAfter } from '../lib/time';
import { ruleTitle } from './rules';
import { PlanRejected, itemsOfPlan, planItemSchema, planRequestSchema, proposePlan } from './planning';
import {
  DRAFT_PAGE_SIZE,
  checkPlanDraft,
  commitPlanDraft,
  draftRows,
  getPlanDraft,
  pageOfPlanDraft,
  savePlanDraft,
  unplacedOfPlanDraft,
  type DraftEdit,
  type DraftFix,
  type PlanDraft,
} from './plan-drafts';
import { listBlackouts } from './blackouts';
import { todayOf } from './lifecycle';
import { getRotationProgram, type RotationProgramDetails } from './programs';
import { blackoutScope, buildTimeline, type TimelineItem } from './timeline';
import { MENTOR_CHOICES, mentorChoices, peopleNamed, plannerPeople, programOptions, teamOptions } from './route-helpers';

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Above this many rotations on a page the review's chart shows host teams instead of people. */
const PEOPLE_CHART_LIMIT = 60;
const mentorQuery = z.object({
  row: z.coerce.number().int().min(0).max(1_000_000),
  personId: idSchema,
  programId: idSchema.optional(),
  itemHost: z.string().trim().min(1).max(200),
});
const peopleQuery = z.object({
  q: z.string().trim().max(200).optional(),
  excludeSearch: z.string().trim().max(200).optional(),
  personSearch: z.string().trim().max(200).optional(),
});
const draftParam = z.object({ id: pathIdSchema });
const reviewQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  broken: z.enum(['1']).optional(),
});

/**
 * A page's rows from the review form's parallel columns (each row names its place in the plan), and the row
 * a "Remove" or a suggestion button names.
 */
function editsFromForm(body: Record<string, unknown>, program: RotationProgramDetails): { edits: DraftEdit[]; remove: number | null } {
  const lengthWeeks = program.lengthWeeks;
  const positions = asList(body.itemPosition);
  const hosts = asList(body.itemHost);
  const mentors = asList(body.itemMentor);
  const starts = asList(body.itemStart);
  if (positions.length > DRAFT_PAGE_SIZE || hosts.length !== positions.length || mentors.length !== positions.length || starts.length !== positions.length)
    throw new AppError(400, 'invalid', 'The review form is not complete. Open the plan again.');
  const position = (v: unknown) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new AppError(400, 'invalid', 'The review form names no row of the plan.');
    return n;
  };
  const remove = body.remove === undefined ? null : position(body.remove);
  // A suggestion button sends "position|start|host team|mentor": that row takes the suggested values.
  const apply = typeof body.apply === 'string' ? body.apply.split('|') : null;
  const applyAt = apply && apply.length === 4 ? position(apply[0]) : -1;
  const edits = positions.map((p, i) => {
    const at = position(p);
    const start = at === applyAt ? apply![1]! : (starts[i] ?? '');
    const raw = {
      personId: 1,
      hostTeamId: at === applyAt ? apply![2] : hostIdOf(program, hosts[i] ?? ''),
      mentorId: (at === applyAt ? apply![3] : mentors[i]) || null,
      start,
      end: /^\d{4}-\d{2}-\d{2}$/.test(start) ? addDaysToLocalDate(start, lengthWeeks * 7 - 1) : start,
    };
    const parsed = planItemSchema.safeParse(raw);
    if (!parsed.success) throw new AppError(400, 'invalid', `Row ${at + 1} of the plan is not valid: ${parsed.error.issues[0].message}`);
    const { personId: _, ...values } = parsed.data;
    return { position: at, ...values };
  });
  return { edits, remove };
}

/** A host team as a row sends it: its id (from a select) or its name (typed from the list of a program with many). */
function hostIdOf(program: RotationProgramDetails, value: string): string {
  const named = program.hostTeams.find((h) => h.teamName.toLowerCase() === value.trim().toLowerCase());
  if (named) return String(named.teamId);
  if (/^\d+$/.test(value)) return value;
  throw new AppError(400, 'invalid', `${value || 'An empty host team'} is not a host team of ${program.name}: pick one from the list.`);
}

/** One page of a plan under review: its rows with their broken rules, a chart of them, who is missing and why. */
function renderReview(
  c: AppContext,
  draft: PlanDraft,
  view: { page: number; onlyBroken: boolean; message?: string | null; committedError?: string; status?: 200 | 400 | 409 },
) {
  const { db } = c.var.deps;
  const program = getRotationProgram(db, draft.programId);
  const request = draft.request;
  const total = draftRows(draft, view.onlyBroken);
  const pages = Math.max(1, Math.ceil(total / DRAFT_PAGE_SIZE));
  const page = Math.min(view.page, pages);
  const rows = pageOfPlanDraft(db, draft.id, page, view.onlyBroken);
  const teamNames = new Map(program.hostTeams.map((h) => [h.teamId, h.teamName]));
  const mentors = mentorChoices(
    c,
    rows.map((r) => r.hostTeamId),
  );
  const named = peopleNamed(c, [
    ...rows.map((r) => r.personId),
    ...rows.flatMap((r) => (r.mentorId === null ? [] : [r.mentorId])),
    ...rows.flatMap((r) => [...(r.fixes?.starts ?? []), ...(r.fixes?.hosts ?? [])].flatMap((f) => (f.mentorId === null ? [] : [f.mentorId]))),
  ]);
  const fixView = (f: DraftFix): FixView => ({
    value: `${f.start}|${f.hostTeamId}|${f.mentorId ?? ''}`,
    start: f.start,
    hostTeamName: teamNames.get(f.hostTeamId) ?? `Team ${f.hostTeamId}`,
    mentorName: f.mentorId === null ? null : (named.get(f.mentorId)?.name ?? `Person ${f.mentorId}`),
  });
  const reviewItems: ReviewItem[] = rows.map((row) => {
    const person = named.get(row.personId);
    const mentor = row.mentorId === null ? null : named.get(row.mentorId);
    const listed = mentors[row.hostTeamId] ?? [];
    // The row's own mentor is offered even when the host team is too big to list everyone.
    const options: Option[] = [
      ...(mentor && !listed.some((o) => Number(o.value) === mentor.id) ? [{ value: mentor.id, label: mentor.name }] : []),
      ...listed.filter((o) => Number(o.value) !== row.personId),
    ];
    return {
      position: row.position,
      fixes: row.fixes ? { starts: row.fixes.starts.map(fixView), hosts: row.fixes.hosts.map(fixView) } : undefined,
      personId: row.personId,
      personName: person?.name ?? `Person ${row.personId}`,
      homeTeamName: person?.teamName ?? null,
      hostTeamId: row.hostTeamId,
      mentorId: row.mentorId,
      mentorOptions: options,
      start: row.start,
      end: row.end,
      violations: row.violations,
    };
  });
  const timelineItems: TimelineItem[] = reviewItems.map((item) => ({
    key: `draft${item.position}`,
    rotationId: null,
    personId: item.personId,
    personName: item.personName,
    department: named.get(item.personId)?.department ?? 'other',
    homeTeamName: item.homeTeamName,
    hostTeamId: item.hostTeamId,
    hostTeamName: teamNames.get(item.hostTeamId) ?? `Team ${item.hostTeamId}`,
    programId: program.id,
    programName: program.name,
    mentorName: item.mentorId ? (named.get(item.mentorId)?.name ?? null) : null,
    start: item.start,
    end: item.end,
    status: 'planned',
    conflicts: [...new Set(item.violations.map((v) => ruleTitle(v.code)))],
  }));
  const pageHosts = new Set(reviewItems.map((i) => `${teamNames.get(i.hostTeamId)} · ${program.name}`));
  const from = nextMondayOnOrAfter(request.horizonStart);
  const horizonEnd = addDaysToLocalDate(from, request.weeks * 7 - 1);
  const timeline = buildTimeline({
    from,
    weeks: request.weeks,
    today: todayOf(c.var.deps.clock),
    group: timelineItems.length > PEOPLE_CHART_LIMIT ? 'teams' : 'people',
    items: timelineItems,
    blackouts: listBlackouts(db, from, horizonEnd).map((b) => ({ name: b.name, scope: blackoutScope(b), start: b.startDate, end: b.endDate })),
    // The capacity of the host teams this page's rows go to (the plan's whole load on each, as last checked).
    capacity: draft.capacity.filter((row) => pageHosts.has(row.label)),
  });
  return html(
    c,
    PlanReviewPage({
      layout: layoutProps(c, `Plan: ${program.name}`),
      draftId: draft.id,
      programId: program.id,
      programName: program.name,
      lengthWeeks: program.lengthWeeks,
      items: reviewItems,
      total: draft.items,
      broken: draft.broken,
      shown: { page, pages, pageSize: DRAFT_PAGE_SIZE, rows: total, onlyBroken: view.onlyBroken },
      unplaced: unplacedOfPlanDraft(db, draft.id),
      unplacedCount: draft.unplaced,
      alreadyPlanned: draft.alreadyPlanned,
      alreadyPlannedCount: draft.alreadyPlannedCount,
      stats: draft.stats,
      timeline,
      hostTeams: program.hostTeams.map((h) => ({ value: h.teamId, label: h.teamName })),
      mentorsListed: MENTOR_CHOICES,
      firstStart: from,
      lastStart: addDaysToLocalDate(from, (request.weeks - program.lengthWeeks) * 7),
      message: view.message,
      committedError: view.committedError,
    }),
    view.status ?? 200,
  );
}

/** Which page of the review a form came from (kept across a check), and whether it showed only broken rows. */
const pageOfForm = (body: Record<string, unknown>) => ({
  page: Math.max(1, Math.min(100_000, Number.parseInt(String(body.page ?? '1'), 10) || 1)),
  onlyBroken: body.broken === '1',
});

export function plannerRoutes() {
  const app = new Hono<AppEnv>();
  app.use(requireRole('hr'));

  const renderPlanner = (c: AppContext, values: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200, matches: Option[] = []) => {
    // Only the people HR chose or left out are named (their ids come with the form), and the few a search found.
    const chosen = peopleNamed(
      c,
      [...asList(values.personIds), ...asList(values.excludeIds)].map(Number).filter((n) => Number.isInteger(n) && n > 0),
    );
    const option = (id: string) => {
      const p = chosen.get(Number(id));
      return p ? { value: p.id, label: p.label } : null;
    };
    return html(
      c,
      PlannerPage({
        layout: layoutProps(c, 'Plan rotations'),
        values,
        errors,
        programs: programOptions(c),
        teams: teamOptions(c),
        chosen: asList(values.personIds).flatMap((id) => option(id) ?? []),
        excluded: asList(values.excludeIds).flatMap((id) => option(id) ?? []),
        matches,
      }),
      status,
    );
  };
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
  // The names the search boxes offer as HR types (htmx): a few matches, never the whole directory.
  app.get('/people', queryValidator(peopleQuery), (c) => {
    const q = c.req.valid('query');
    return html(c, PeopleDatalist({ options: plannerPeople(c, q.q ?? q.personSearch ?? q.excludeSearch ?? '') }));
  });
  app.post('/', async (c) => {
    const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    const adding = body.addPerson !== undefined ? 'personSearch' : body.addExclude !== undefined ? 'excludeSearch' : null;
    if (adding) {
      // "Add" or "Leave out": find the person typed in that search box and keep them in its list.
      const search = typeof body[adding] === 'string' ? (body[adding] as string).trim().slice(0, 200) : '';
      const found = search ? plannerPeople(c, search) : [];
      const exact = found.filter((o) => o.label.toLowerCase() === search.toLowerCase());
      const match = exact.length === 1 ? exact[0] : found.length === 1 ? found[0] : null;
      const listName = adding === 'personSearch' ? 'personIds' : 'excludeIds';
      const values = {
        ...(body as FormValues),
        [listName]: [...asList(body[listName]), ...(match ? [String(match.value)] : [])],
        [adding]: match ? '' : search,
        ...(adding === 'personSearch' && match ? { selection: 'people' } : {}),
        includeManagers: body.includeManagers === 'true',
        strictReciprocity: body.strictReciprocity === 'true',
      };
      if (!match)
        return renderPlanner(
          c,
          values,
          { [adding]: search ? `No single person matches “${search}”; pick a name from the list.` : 'Type a name first.' },
          400,
          found,
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
    const { db, clock } = c.var.deps;
    try {
      // The planner runs here, on HR's request, once: the review pages read what it proposed.
      const { setup, plan } = proposePlan(db, request);
      const id = savePlanDraft(db, clock, actorOf(c.var.viewer), request, setup, plan, itemsOfPlan(plan));
      return c.redirect(`/rotations/planner/plans/${id}`, 303);
    } catch (err) {
      if (err instanceof AppError && (err.status === 404 || err.status === 409)) return renderPlanner(c, body as FormValues, { programId: err.message }, 400);
      throw err;
    }
  });
  app.get('/plans/:id', paramValidator(draftParam), queryValidator(reviewQuery), (c) => {
    const q = c.req.valid('query');
    return renderReview(c, getPlanDraft(c.var.deps.db, c.req.valid('param').id), { page: q.page, onlyBroken: q.broken === '1' });
  });
  // "Check again", "Remove" and a suggestion: the page's edits are kept and the whole plan is checked.
  app.post('/plans/:id', paramValidator(draftParam), async (c) => {
    const id = c.req.valid('param').id;
    const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    const { db } = c.var.deps;
    const draft = getPlanDraft(db, id);
    const { edits, remove } = editsFromForm(body, getRotationProgram(db, draft.programId));
    const checked = checkPlanDraft(db, id, edits, remove);
    return renderReview(c, checked, {
      ...pageOfForm(body),
      message:
        remove !== null ? 'Removed from the plan (nothing is written until you commit).' : checked.broken ? null : 'Checked: every rotation keeps every rule.',
    });
  });
  app.post('/plans/:id/commit', paramValidator(draftParam), async (c) => {
    const id = c.req.valid('param').id;
    const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    const { db, clock } = c.var.deps;
    const draft = getPlanDraft(db, id);
    const program = getRotationProgram(db, draft.programId);
    const { edits } = editsFromForm(body, program);
    try {
      const { rotations } = commitPlanDraft(db, clock, actorOf(c.var.viewer), id, edits);
      const from = nextMondayOnOrAfter(draft.request.horizonStart);
      return redirectWithMessage(
        c,
        `/rotations/timeline?from=${from}&weeks=${draft.request.weeks}&program=${program.id}`,
        `Plan committed: ${rotations.length} rotations of ${program.name}.`,
      );
    } catch (err) {
      if (err instanceof PlanRejected || (err instanceof AppError && err.status === 400))
        return renderReview(c, getPlanDraft(db, id), {
          page: 1,
          onlyBroken: err instanceof PlanRejected,
          committedError: err.message,
          status: err instanceof PlanRejected ? 409 : 400,
        });
      throw err;
    }
  });
  app.get('/mentors', queryValidator(mentorQuery), (c) => {
    const { row, personId, programId, itemHost } = c.req.valid('query');
    const person = peopleNamed(c, [personId]).get(personId);
    if (!person) throw new AppError(404, 'not_found', 'There is no such person.');
    const hostId = Number(programId ? hostIdOf(getRotationProgram(c.var.deps.db, programId), itemHost) : itemHost);
    if (!Number.isInteger(hostId) || hostId <= 0) throw new AppError(400, 'invalid', 'Choose a host team.');
    const options = (mentorChoices(c, [hostId])[hostId] ?? []).filter((o) => Number(o.value) !== personId);
    return html(c, MentorSelect({ index: row, personName: person.name, mentorId: null, options }));
  });

  return app;
}
