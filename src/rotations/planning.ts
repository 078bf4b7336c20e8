/**
 * Planning in the database: the planner's input from the company state, proposals, re-checks and
 * the one-transaction commit. The algorithm itself is pure (planner.ts).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { people } from '../../db/schema';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, conflict } from '../lib/errors';
import { blankToUndefined, dateSchema, idSchema } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { addDaysToLocalDate, isoWeekday, nextMondayOnOrAfter } from '../lib/time';
import {
  MAX_HORIZON_WEEKS,
  planRotations,
  validatePlan,
  type Plan,
  type PlanInput,
  type PlanItemCheck,
  type PlanPerson,
  type PlannedRotation,
} from './planner';
import { type RotationRow, statusOn, todayOf } from './lifecycle';
import { type RotationProgramDetails, getRotationProgram, ruleProgramOf } from './programs';
import { loadRuleContext } from './rule-context';
import { RULE_TITLES } from './rules';

export const planRequestSchema = z
  .object({
    programId: idSchema,
    /** Whom to place: a team, a department, or a list of people. */
    selection: z.enum(['team', 'department', 'people'], { message: 'Choose a team, a department or people.' }),
    teamId: z.preprocess(blankToUndefined, idSchema.optional()),
    department: z.preprocess(blankToUndefined, z.enum(['sales', 'marketing']).optional()),
    personIds: z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(idSchema).max(20_000)).default([]),
    horizonStart: dateSchema,
    weeks: z.coerce.number().int().min(1, 'At least 1 week.').max(Math.min(MAX_HORIZON_WEEKS, 104), 'At most 104 weeks.'),
    strictReciprocity: z.preprocess((v) => (v === 'false' ? false : v === 'true' || v === 'on' ? true : v), z.boolean().default(true)),
    /** Managers, HR and anyone with reports stay home unless this is set: teams need their leads. */
    includeManagers: z.preprocess((v) => (v === 'false' ? false : v === 'true' || v === 'on' ? true : v), z.boolean().default(false)),
    /** People left out of the selection by hand. */
    excludeIds: z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(idSchema).max(20_000)).default([]),
  })
  .refine((v) => (v.selection === 'team' ? !!v.teamId : v.selection === 'department' ? !!v.department : v.personIds.length > 0), {
    path: ['selection'],
    message: 'Choose the team, the department or at least one person to place.',
  });
/** Programs calling the planner directly may leave out the selection's refinements: nobody excluded, leads left home. */
export type PlanRequest = Omit<z.infer<typeof planRequestSchema>, 'includeManagers' | 'excludeIds'> & { includeManagers?: boolean; excludeIds?: number[] };

export const planItemSchema = z.object({
  personId: idSchema,
  hostTeamId: idSchema,
  mentorId: idSchema.nullable(),
  start: dateSchema,
  end: dateSchema,
});
export type PlanItem = z.infer<typeof planItemSchema>;

export type PlanningSetup = {
  program: RotationProgramDetails;
  input: PlanInput;
  horizonEnd: string;
  /** People of the selection who already have a rotation of this program in the horizon: left out. */
  alreadyPlanned: { personId: number; name: string; startDate: string; endDate: string }[];
};

/** The planner's input from the database: the selected active people, the company state, the horizon. */
export function planningSetup(db: Db, request: PlanRequest): PlanningSetup {
  const program = getRotationProgram(db, request.programId);
  if (!program.active) throw conflict('program_inactive', `${program.name} is archived; reactivate it to plan.`);
  const firstMonday = nextMondayOnOrAfter(request.horizonStart);
  const horizonEnd = addDaysToLocalDate(firstMonday, request.weeks * 7 - 1);
  const selected = db
    .select({ id: people.id })
    .from(people)
    .where(
      and(
        eq(people.active, true),
        request.selection === 'team' ? eq(people.teamId, request.teamId!) : undefined,
        request.selection === 'department' ? eq(people.department, request.department!) : undefined,
        request.selection === 'people' ? inArray(people.id, request.personIds) : undefined,
        request.excludeIds?.length ? notInArray(people.id, request.excludeIds) : undefined,
        // A team or department selection leaves out its leads unless asked; people picked by name are kept.
        request.selection !== 'people' && !request.includeManagers
          ? and(notInArray(people.role, ['manager', 'hr']), sql`NOT EXISTS (SELECT 1 FROM people r WHERE r.manager_id = ${people.id} AND r.active = 1)`)
          : undefined,
      ),
    )
    .all()
    .map((r) => r.id);
  // Mentors: active members of each host team.
  const hostIds = program.hostTeams.map((h) => h.teamId);
  const mentorRows = hostIds.length
    ? db
        .select({ id: people.id, teamId: people.teamId })
        .from(people)
        .where(and(eq(people.active, true), inArray(people.teamId, hostIds)))
        .all()
    : [];
  const mentorPools = program.hostTeams.map((h) => ({ teamId: h.teamId, mentorIds: mentorRows.filter((m) => m.teamId === h.teamId).map((m) => m.id) }));
  const context = loadRuleContext(db, firstMonday, horizonEnd, program.coveragePercent / 100, { personIds: [...selected, ...mentorRows.map((m) => m.id)] });
  const placedAlready = new Map<number, { startDate: string; endDate: string }>();
  for (const r of context.rotations)
    if (r.programId === program.id && !placedAlready.has(Number(r.personId))) placedAlready.set(Number(r.personId), { startDate: r.start, endDate: r.end });
  const byId = new Map(context.people.map((p) => [p.id as number, p]));
  const toPlace: PlanPerson[] = [];
  const alreadyPlanned: PlanningSetup['alreadyPlanned'] = [];
  for (const id of selected) {
    const person = byId.get(id)!;
    const existing = placedAlready.get(id);
    if (existing) alreadyPlanned.push({ personId: id, name: person.name, ...existing });
    else toPlace.push({ ...person, preferred: context.preferred.get(id) ?? [] });
  }
  const { preferred: _preferred, ...ruleContext } = context;
  return {
    program,
    horizonEnd,
    alreadyPlanned: alreadyPlanned.sort((a, b) => a.name.localeCompare(b.name)),
    input: {
      program: ruleProgramOf(program),
      people: toPlace,
      context: { ...ruleContext, mentorPools },
      horizon: { start: request.horizonStart, weeks: request.weeks },
      strictReciprocity: request.strictReciprocity,
    },
  };
}

/** A proposal: nothing is written. */
export function proposePlan(db: Db, request: PlanRequest): { setup: PlanningSetup; plan: Plan } {
  const setup = planningSetup(db, request);
  return { setup, plan: planRotations(setup.input) };
}

/** Re-checks a (possibly edited) plan against the current company state. */
export function checkPlanItems(db: Db, request: PlanRequest, items: PlanItem[]): { setup: PlanningSetup; checks: PlanItemCheck[] } {
  const setup = planningSetup(db, request);
  assertPlanItemsKnown(setup, items);
  return { setup, checks: validatePlan(setup.input, items) };
}

function assertPlanItemsKnown(setup: PlanningSetup, items: PlanItem[]) {
  const directory = new Set(setup.input.context.people.map((p) => p.id));
  const hostIds = new Set(setup.program.hostTeams.map((h) => h.teamId));
  items.forEach((item, index) => {
    const issue = (path: string, message: string) => new AppError(400, 'invalid', message, [{ path: `items.${index}.${path}`, message }]);
    if (!directory.has(item.personId)) throw issue('personId', `Person ${item.personId} is not among the people this plan places.`);
    if (item.mentorId !== null && !directory.has(item.mentorId)) throw issue('mentorId', `There is no person ${item.mentorId}.`);
    if (!hostIds.has(item.hostTeamId)) throw issue('hostTeamId', `Team ${item.hostTeamId} is not a host team of ${setup.program.name}.`);
    if (item.end < item.start) throw issue('end', 'A rotation must end on or after its start.');
  });
}

export class PlanRejected extends AppError {
  constructor(readonly checks: PlanItemCheck[]) {
    const broken = checks.filter((c) => c.violations.length > 0);
    const first = broken[0].violations[0];
    super(
      409,
      first.code,
      `Nothing was committed: ${broken.length} rotation${broken.length === 1 ? '' : 's'} of the plan break${broken.length === 1 ? 's' : ''} a rule. First: ${first.message}`,
      undefined,
      {
        items: broken.map((c) => ({ index: c.index, personId: c.personId, violations: c.violations })),
      },
    );
  }
}

/**
 * Writes a reviewed plan in one transaction: every item is re-checked against the company state
 * at that moment (and the other items); if any breaks a rule, nothing is written.
 */
export function commitPlan(db: Db, clock: Clock, actor: Actor, request: PlanRequest, items: PlanItem[]): { planId: string; rotations: RotationRow[] } {
  if (items.length === 0) throw new AppError(400, 'invalid', 'The plan has no rotations to commit.', [{ path: 'items', message: 'Nothing to commit.' }]);
  return writeTransaction(db, (tx) => {
    const { setup, checks } = checkPlanItems(tx, request, items);
    if (checks.some((c) => c.violations.length > 0)) throw new PlanRejected(checks);
    const today = todayOf(clock);
    const planId = `plan-${setup.program.id}-${randomUUID()}`;
    const written: RotationRow[] = [];
    const insert = tx.$client.prepare(
      `INSERT INTO rotations (program_id, person_id, host_team_id, mentor_id, start_date, end_date, status, plan_id, created_by_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    const now = clock.now();
    for (const item of items) {
      const status = statusOn(today, { startDate: item.start, endDate: item.end, status: 'planned' });
      const { id } = insert.get(
        setup.program.id,
        item.personId,
        item.hostTeamId,
        item.mentorId,
        item.start,
        item.end,
        status,
        planId,
        actor.personId,
        now.getTime(),
      ) as { id: number };
      written.push({
        id,
        programId: setup.program.id,
        personId: item.personId,
        hostTeamId: item.hostTeamId,
        mentorId: item.mentorId,
        startDate: item.start,
        endDate: item.end,
        status,
        planId,
        createdById: actor.personId,
        cancelledAt: null,
        cancelReason: null,
        createdAt: now,
        updatedAt: now,
      });
    }
    recordAudit(tx, now, actor, 'rotation.plan_commit', 'rotation_plan', planId, null, {
      programId: setup.program.id,
      horizon: { start: request.horizonStart, weeks: request.weeks },
      rotations: written.map((r) => ({ id: r.id, personId: r.personId, hostTeamId: r.hostTeamId, mentorId: r.mentorId, start: r.startDate, end: r.endDate })),
    });
    return { planId, rotations: written };
  });
}

/** Plan items from the planner's output. */
export const itemsOfPlan = (plan: Plan): PlanItem[] =>
  plan.rotations.map((r: PlannedRotation) => ({
    personId: Number(r.personId),
    hostTeamId: Number(r.hostTeamId),
    mentorId: Number(r.mentorId),
    start: r.start,
    end: r.end,
  }));

/** The Monday-aligned start dates a plan item may be moved to within the horizon. */
export function startWeeksOf(setup: PlanningSetup): string[] {
  const first = nextMondayOnOrAfter(setup.input.horizon.start);
  const count = setup.input.horizon.weeks - setup.program.lengthWeeks + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) => addDaysToLocalDate(first, i * 7));
}

export const isMonday = (date: string) => isoWeekday(date) === 1;

export const RULE_LABELS: Record<string, string> = { ...RULE_TITLES, reciprocity: 'Reciprocity', horizon: 'Horizon too short' };
