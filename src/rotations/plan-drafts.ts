/**
 * Plans under review, held in the database: the planner's proposal is written once, HR reads and edits
 * it a page at a time, a check re-reads the whole plan (the user's explicit action), and the commit
 * writes every rotation of it in one transaction. A page costs its rows, not the size of the plan.
 */
import { writeTransaction, preparedQuery, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, notFound } from '../lib/errors';
import { nextMondayOnOrAfter, toDayNumber } from '../lib/time';
import type { Actor } from '../audit/audit';
import { type Plan, type PlanStats, suggestPlanItemFixes, validatePlan } from './planner';
import { commitPlan, PlanRejected, planningSetup, type PlanItem, type PlanningSetup, type PlanRequest } from './planning';
import type { RotationRow } from './lifecycle';
import type { RuleViolation } from './rules';
import { capacityRows, type TimelineCapacityRow } from './timeline';

/** Rows of a plan a review page shows. */
export const DRAFT_PAGE_SIZE = 20;
/** People left out of a plan that its review lists; more are counted. */
const UNPLACED_SHOWN = 20;
/** Broken rows of a plan that get fix suggestions at a check (each costs a bounded search). */
const SUGGESTED_ROWS = 25;
/** A plan nobody committed is dropped after this many days (when someone proposes the next one). */
const DRAFT_DAYS = 2;

/** The planner's figures a review shows (the rest of PlanStats is the size of the plan). */
export type DraftStats = Pick<PlanStats, 'withPreferences' | 'preferencesMet' | 'placedByDirection'>;
export type DraftFix = { start: string; end: string; hostTeamId: number; mentorId: number | null };
export type DraftItem = PlanItem & { position: number; violations: RuleViolation[]; fixes: { starts: DraftFix[]; hosts: DraftFix[] } | null };
export type PlanDraft = {
  id: number;
  programId: number;
  request: PlanRequest;
  stats: DraftStats | null;
  alreadyPlanned: { personId: number; name: string; startDate: string; endDate: string }[];
  alreadyPlannedCount: number;
  capacity: TimelineCapacityRow[];
  items: number;
  broken: number;
  unplaced: number;
};

const draftQuery = preparedQuery((db) =>
  db.$client.prepare<[number], Record<string, unknown>>(
    `SELECT id, program_id AS programId, request, stats, already_planned AS alreadyPlanned, already_planned_count AS alreadyPlannedCount,
       capacity, items, broken, unplaced FROM rotation_plan_drafts WHERE id = +?`,
  ),
);

export function getPlanDraft(db: Db, id: number): PlanDraft {
  const row = draftQuery(db).get(id);
  if (!row) throw notFound('This plan is no longer under review: it was committed or dropped. Propose it again.');
  return {
    ...(row as Omit<PlanDraft, 'request' | 'stats' | 'alreadyPlanned' | 'capacity'>),
    request: JSON.parse(row.request as string),
    stats: row.stats === null ? null : JSON.parse(row.stats as string),
    alreadyPlanned: JSON.parse(row.alreadyPlanned as string),
    capacity: JSON.parse(row.capacity as string),
  };
}

type ItemRow = {
  position: number;
  personId: number;
  hostTeamId: number;
  mentorId: number | null;
  start: string;
  end: string;
  violations: string | null;
  fixes: string | null;
};
const itemColumns = `position, person_id AS personId, host_team_id AS hostTeamId, mentor_id AS mentorId, start_date AS start, end_date AS end, violations, fixes`;
const pageQuery = preparedQuery((db) => ({
  all: db.$client.prepare<[number, number, number], ItemRow>(
    `SELECT ${itemColumns} FROM rotation_plan_draft_items WHERE draft_id = +? ORDER BY position LIMIT ? OFFSET ?`,
  ),
  broken: db.$client.prepare<[number, number, number], ItemRow>(
    `SELECT ${itemColumns} FROM rotation_plan_draft_items WHERE draft_id = ? AND violations IS NOT NULL ORDER BY position LIMIT ? OFFSET ?`,
  ),
  every: db.$client.prepare<[number], ItemRow>(`SELECT ${itemColumns} FROM rotation_plan_draft_items WHERE draft_id = +? ORDER BY position`),
}));

const toItem = (r: ItemRow): DraftItem => ({
  position: r.position,
  personId: r.personId,
  hostTeamId: r.hostTeamId,
  mentorId: r.mentorId,
  start: r.start,
  end: r.end,
  violations: r.violations === null ? [] : JSON.parse(r.violations),
  fixes: r.fixes === null ? null : JSON.parse(r.fixes),
});

/** One page of a plan's rotations in plan order, or of those that break a rule. */
export function pageOfPlanDraft(db: Db, draftId: number, page: number, onlyBroken: boolean): DraftItem[] {
  const q = pageQuery(db);
  return (onlyBroken ? q.broken : q.all).all(draftId, DRAFT_PAGE_SIZE, (page - 1) * DRAFT_PAGE_SIZE).map(toItem);
}

/** Every rotation of a plan, for a check of the whole of it or its commit. */
function itemsOfDraft(db: Db, draftId: number): DraftItem[] {
  return pageQuery(db).every.all(draftId).map(toItem);
}

const unplacedQuery = preparedQuery((db) =>
  db.$client.prepare<[number, number], { personId: number; name: string; rule: string; message: string }>(
    `SELECT u.person_id AS personId, coalesce(p.name, 'Person ' || u.person_id) AS name, u.rule, u.message
     FROM rotation_plan_draft_unplaced u LEFT JOIN people p ON p.id = u.person_id WHERE u.draft_id = +? ORDER BY u.rowid LIMIT ?`,
  ),
);

/** The first people a plan leaves out, with the rule that kept each out (or "removed" by HR). */
export function unplacedOfPlanDraft(db: Db, draftId: number) {
  return unplacedQuery(db).all(draftId, UNPLACED_SHOWN);
}

/** Capacity of the program's host teams by week, the plan's rotations with those already kept. */
function capacityOf(setup: PlanningSetup, request: PlanRequest, items: readonly PlanItem[]): TimelineCapacityRow[] {
  const { program } = setup;
  const span = (hostTeamId: number, start: string, end: string) => ({
    programId: program.id,
    hostTeamId,
    days: [toDayNumber(start), toDayNumber(end)] as [number, number],
  });
  const existing = setup.input.context.rotations.filter((r) => r.programId === program.id).map((r) => span(Number(r.hostTeamId), r.start, r.end));
  return capacityRows(
    [program],
    [...existing, ...items.map((i) => span(i.hostTeamId, i.start, i.end))],
    nextMondayOnOrAfter(request.horizonStart),
    request.weeks,
  );
}

const insertItem = preparedQuery((db) =>
  db.$client.prepare(
    `INSERT INTO rotation_plan_draft_items (draft_id, position, person_id, host_team_id, mentor_id, start_date, end_date, violations, fixes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
);
const insertUnplaced = preparedQuery((db) =>
  db.$client.prepare('INSERT OR REPLACE INTO rotation_plan_draft_unplaced (draft_id, person_id, rule, message) VALUES (?, ?, ?, ?)'),
);

/**
 * Keeps a proposal for review: its request, figures and rotations (which keep every rule, as the planner placed them).
 * Plans older than DRAFT_DAYS that nobody committed are dropped here.
 */
export function savePlanDraft(db: Db, clock: Clock, actor: Actor, request: PlanRequest, setup: PlanningSetup, plan: Plan, items: PlanItem[]): number {
  return writeTransaction(db, (tx) => {
    const now = clock.now().getTime();
    tx.$client.prepare('DELETE FROM rotation_plan_drafts WHERE created_at < ?').run(now - DRAFT_DAYS * 86_400_000);
    const stats: DraftStats = {
      withPreferences: plan.stats.withPreferences,
      preferencesMet: plan.stats.preferencesMet,
      placedByDirection: plan.stats.placedByDirection,
    };
    const placed = new Set(items.map((i) => i.personId));
    const unplaced = plan.unplaced.filter((u) => !placed.has(Number(u.personId)));
    const { id } = tx.$client
      .prepare(
        `INSERT INTO rotation_plan_drafts (program_id, request, stats, already_planned, already_planned_count, capacity, items, broken, unplaced, created_by_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id`,
      )
      .get(
        setup.program.id,
        JSON.stringify(request),
        JSON.stringify(stats),
        JSON.stringify(setup.alreadyPlanned.slice(0, UNPLACED_SHOWN)),
        setup.alreadyPlanned.length,
        JSON.stringify(capacityOf(setup, request, items)),
        items.length,
        unplaced.length,
        actor.personId,
        now,
      ) as { id: number };
    const item = insertItem(tx);
    items.forEach((i, position) => item.run(id, position, i.personId, i.hostTeamId, i.mentorId, i.start, i.end, null, null));
    const out = insertUnplaced(tx);
    for (const u of unplaced) out.run(id, Number(u.personId), u.rule, u.message);
    return id;
  });
}

/** Writes a page's edits and a removal (the person is then listed as removed) to a plan under review. */
function editPlanDraft(tx: Db, draftId: number, edits: DraftEdit[], removePosition: number | null) {
  const update = tx.$client.prepare(
    'UPDATE rotation_plan_draft_items SET host_team_id = ?, mentor_id = ?, start_date = ?, end_date = ? WHERE draft_id = ? AND position = ?',
  );
  for (const e of edits) update.run(e.hostTeamId, e.mentorId, e.start, e.end, draftId, e.position);
  if (removePosition === null) return;
  const removed = tx.$client
    .prepare('DELETE FROM rotation_plan_draft_items WHERE draft_id = ? AND position = ? RETURNING person_id AS personId')
    .get(draftId, removePosition) as { personId: number } | undefined;
  if (!removed) return;
  const name = (tx.$client.prepare('SELECT name FROM people WHERE id = ?').get(removed.personId) as { name: string } | undefined)?.name;
  insertUnplaced(tx).run(draftId, removed.personId, 'removed', `${name ?? `Person ${removed.personId}`} was removed from the plan.`);
}

/** A change HR made to one row of a page: its new values, or its removal from the plan. */
export type DraftEdit = { position: number; hostTeamId: number; mentorId: number | null; start: string; end: string };

/**
 * Applies a page's edits (and a removal), then checks the whole plan against the company state and itself:
 * every row's broken rules and the first broken rows' fixes are kept. Nothing of the company is written.
 */
export function checkPlanDraft(db: Db, draftId: number, edits: DraftEdit[], removePosition: number | null): PlanDraft {
  return writeTransaction(db, (tx) => {
    const draft = getPlanDraft(tx, draftId);
    editPlanDraft(tx, draftId, edits, removePosition);
    const rows = itemsOfDraft(tx, draftId);
    const setup = planningSetup(tx, draft.request);
    assertKnown(setup, rows);
    const checks = validatePlan(setup.input, rows);
    const setViolations = tx.$client.prepare('UPDATE rotation_plan_draft_items SET violations = ?, fixes = ? WHERE draft_id = ? AND position = ?');
    let broken = 0;
    rows.forEach((row, i) => {
      const violations = checks[i]?.violations ?? [];
      const fixes = violations.length > 0 && broken++ < SUGGESTED_ROWS ? suggestPlanItemFixes(setup.input, rows, i) : null;
      // Only rows whose answer changes are written: a plan that keeps every rule writes nothing here.
      if (violations.length > 0 || row.violations.length > 0 || row.fixes !== null)
        setViolations.run(
          violations.length ? JSON.stringify(violations) : null,
          fixes ? JSON.stringify({ starts: fixes.starts.map(fixOf), hosts: fixes.hosts.map(fixOf) }) : null,
          draftId,
          row.position,
        );
    });
    const unplaced = (tx.$client.prepare('SELECT count(*) AS n FROM rotation_plan_draft_unplaced WHERE draft_id = ?').get(draftId) as { n: number }).n;
    tx.$client
      .prepare('UPDATE rotation_plan_drafts SET items = ?, broken = ?, unplaced = ?, capacity = ?, stats = NULL WHERE id = ?')
      .run(rows.length, broken, unplaced, JSON.stringify(capacityOf(setup, draft.request, rows)), draftId);
    return getPlanDraft(tx, draftId);
  });
}

const fixOf = (f: { start: string; end: string; hostTeamId: number | string; mentorId: number | string | null }): DraftFix => ({
  start: f.start,
  end: f.end,
  hostTeamId: Number(f.hostTeamId),
  mentorId: f.mentorId === null ? null : Number(f.mentorId),
});

function assertKnown(setup: PlanningSetup, items: readonly PlanItem[]) {
  const hostIds = new Set(setup.program.hostTeams.map((h) => h.teamId));
  for (const item of items)
    if (!hostIds.has(item.hostTeamId)) throw new AppError(400, 'invalid', `Team ${item.hostTeamId} is not a host team of ${setup.program.name}.`);
}

/**
 * Commits every rotation of a plan under review (not only the page shown) in one transaction, re-checked against the
 * company state at that moment; the plan is dropped with it. If any rotation breaks a rule nothing is written and
 * the plan keeps each row's broken rules for the review.
 */
export function commitPlanDraft(db: Db, clock: Clock, actor: Actor, draftId: number, edits: DraftEdit[]): { planId: string; rotations: RotationRow[] } {
  // The page's edits are kept first: a refused commit shows the plan as HR left it.
  writeTransaction(db, (tx) => editPlanDraft(tx, draftId, edits, null));
  try {
    return writeTransaction(db, (tx) => {
      const draft = getPlanDraft(tx, draftId);
      const committed = commitPlan(tx, clock, actor, draft.request, itemsOfDraft(tx, draftId));
      tx.$client.prepare('DELETE FROM rotation_plan_drafts WHERE id = ?').run(draftId);
      return committed;
    });
  } catch (err) {
    if (err instanceof PlanRejected) checkPlanDraft(db, draftId, [], null);
    throw err;
  }
}

/** How many rows of a plan under review a page filter has: the whole plan or its broken rows. */
export const draftRows = (draft: PlanDraft, onlyBroken: boolean) => (onlyBroken ? draft.broken : draft.items);
