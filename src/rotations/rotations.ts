/**
 * Rotations in the database: programs, scheduling with rule checks and HR overrides, the
 * planner's proposals and their one-transaction commit, the lifecycle (status, checklist,
 * check-ins), and the queries other features read (rotationsForPerson, awayPeople).
 * The rules themselves are pure (rules.ts, planner.ts); this module loads their context.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gte, inArray, lte, ne, notInArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  people,
  rotationBlackouts,
  rotationCheckIns,
  rotationChecklistItems,
  rotationChecklistTicks,
  rotationDirections,
  rotationOverrides,
  rotationPeriods,
  rotationProgramHostTeams,
  rotationPrograms,
  rotations,
  rotationStatuses,
  teams,
  departments,
  type Department,
  type RotationStatusName,
} from '../../db/schema';
import type { Person, Viewer } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, conflict, forbidden, notFound } from '../lib/errors';
import { blankToUndefined, dateSchema, idSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { visiblePersonIds } from '../people/people';
import { placeSuggestion, suggestionTitleOf } from '../liaisons/liaisons';
import { addDaysToLocalDate, daysBetween, isoWeekday, nextMondayOnOrAfter } from '../lib/time';
import {
  RULE_CODES,
  RULE_TITLES,
  createRuleChecker,
  departmentsOfDirection,
  type Blackout,
  type ExistingRotation,
  type RuleCode,
  type RuleContext,
  type RulePerson,
  type RuleProgram,
  type RuleTeam,
  type RuleViolation,
} from './rules';
import { MAX_HORIZON_WEEKS, planRotations, validatePlan, type Plan, type PlanInput, type PlanItemCheck, type PlanPerson, type PlannedRotation } from './planner';

export type RotationRow = typeof rotations.$inferSelect;
export type RotationProgramRow = typeof rotationPrograms.$inferSelect;

export const DIRECTION_LABELS: Record<(typeof rotationDirections)[number], string> = {
  marketing_to_sales: 'Marketing → sales',
  sales_to_marketing: 'Sales → marketing',
  both: 'Both ways',
};

/** Today's calendar date for rotation status: rotations are company-wide all-day spans, read in UTC. */
export const todayOf = (clock: Clock) => clock.now().toISOString().slice(0, 10);

/** The status a rotation has on `today`; cancelled stays cancelled. */
export function statusOn(today: string, row: { startDate: string; endDate: string; status: RotationStatusName }): RotationStatusName {
  if (row.status === 'cancelled') return 'cancelled';
  if (today < row.startDate) return 'planned';
  if (today <= row.endDate) return 'active';
  return 'completed';
}

/** Moves stored statuses along the calendar (planned → active → completed); cheap, runs before reads. */
export function syncRotationStatuses(db: Db, today: string) {
  db.run(sql`UPDATE rotations SET status = 'completed' WHERE status IN ('planned', 'active') AND end_date < ${today}`);
  db.run(sql`UPDATE rotations SET status = 'active' WHERE status IN ('planned', 'completed') AND start_date <= ${today} AND end_date >= ${today}`);
  db.run(sql`UPDATE rotations SET status = 'planned' WHERE status IN ('active', 'completed') AND start_date > ${today}`);
}

// ── programs ────────────────────────────────────────────────────────────────

export const rotationProgramInputSchema = z.object({
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a name.').max(120),
  direction: z.enum(rotationDirections, { message: 'Choose a direction.' }),
  lengthWeeks: z.coerce.number().int('Use whole weeks.').min(1, 'At least 1 week.').max(52, 'At most 52 weeks.'),
  coveragePercent: z.coerce.number().int().min(1, 'At least 1%.').max(100, 'At most 100%.').default(25),
  learningGoals: z.string().trim().max(4000).default(''),
  hostTeams: z
    .array(z.object({ teamId: idSchema, capacity: z.coerce.number().int().min(1, 'A host team takes at least 1 guest.').max(50) }))
    .min(1, 'Choose at least one host team.')
    .max(200),
  checklist: z.array(z.string().trim().min(1).max(300)).max(50).default([]),
  active: z.boolean().default(true),
});
export type RotationProgramInput = z.infer<typeof rotationProgramInputSchema>;

export type RotationProgramDetails = RotationProgramRow & {
  hostTeams: { teamId: number; teamName: string; department: Department; capacity: number }[];
  checklist: { id: number; position: number; title: string }[];
};

export function listRotationPrograms(db: Db, onlyActive = false) {
  return db
    .select({
      id: rotationPrograms.id,
      name: rotationPrograms.name,
      direction: rotationPrograms.direction,
      lengthWeeks: rotationPrograms.lengthWeeks,
      coveragePercent: rotationPrograms.coveragePercent,
      active: rotationPrograms.active,
      hostTeamCount: sql<number>`(SELECT count(*) FROM rotation_program_host_teams h WHERE h.program_id = "rotation_programs"."id")`,
      rotationCount: sql<number>`(SELECT count(*) FROM rotations r WHERE r.program_id = "rotation_programs"."id" AND r.status <> 'cancelled')`,
    })
    .from(rotationPrograms)
    .where(onlyActive ? eq(rotationPrograms.active, true) : undefined)
    .orderBy(asc(rotationPrograms.name))
    .all();
}
export type RotationProgramSummary = ReturnType<typeof listRotationPrograms>[number];

export function getRotationProgram(db: Db, id: number): RotationProgramDetails {
  const program = db.select().from(rotationPrograms).where(eq(rotationPrograms.id, id)).get();
  if (!program) throw notFound('No rotation program with this id.');
  const hostTeams = db
    .select({ teamId: rotationProgramHostTeams.teamId, teamName: teams.name, department: teams.department, capacity: rotationProgramHostTeams.capacity })
    .from(rotationProgramHostTeams)
    .innerJoin(teams, eq(teams.id, rotationProgramHostTeams.teamId))
    .where(eq(rotationProgramHostTeams.programId, id))
    .orderBy(asc(teams.name))
    .all();
  const checklist = db
    .select({ id: rotationChecklistItems.id, position: rotationChecklistItems.position, title: rotationChecklistItems.title })
    .from(rotationChecklistItems)
    .where(eq(rotationChecklistItems.programId, id))
    .orderBy(asc(rotationChecklistItems.position), asc(rotationChecklistItems.id))
    .all();
  return { ...program, hostTeams, checklist };
}

/** Host teams must exist and sit on the receiving side of the program's direction. */
function assertHostTeams(db: Db, input: RotationProgramInput) {
  const ids = input.hostTeams.map((h) => h.teamId);
  if (new Set(ids).size !== ids.length) throw new AppError(400, 'invalid', 'A host team is listed twice.', [{ path: 'hostTeams', message: 'A host team is listed twice.' }]);
  const found = db.select({ id: teams.id, name: teams.name, department: teams.department }).from(teams).where(inArray(teams.id, ids)).all();
  for (const id of ids) {
    const team = found.find((t) => t.id === id);
    if (!team) throw new AppError(400, 'invalid', `There is no team ${id}.`, [{ path: 'hostTeams', message: `There is no team ${id}.` }]);
    const allowed: Department[] = input.direction === 'both' ? ['sales', 'marketing'] : [departmentsOfDirection(input.direction).host];
    if (!allowed.includes(team.department)) {
      const message = `${team.name} is a ${team.department} team; ${DIRECTION_LABELS[input.direction].toLowerCase()} programs are hosted by ${allowed.join(' or ')} teams.`;
      throw new AppError(400, 'invalid', message, [{ path: 'hostTeams', message }]);
    }
  }
}

function programNameTaken(db: Db, name: string, exceptId?: number) {
  return !!db
    .select({ id: rotationPrograms.id })
    .from(rotationPrograms)
    .where(and(sql`lower(${rotationPrograms.name}) = ${name.toLowerCase()}`, exceptId ? ne(rotationPrograms.id, exceptId) : undefined))
    .get();
}

function writeProgramParts(tx: Db, programId: number, input: RotationProgramInput) {
  tx.delete(rotationProgramHostTeams).where(eq(rotationProgramHostTeams.programId, programId)).run();
  for (const h of input.hostTeams) tx.insert(rotationProgramHostTeams).values({ programId, teamId: h.teamId, capacity: h.capacity }).run();
  // Checklist items keep their ids by position, so guests' ticks survive a reworded item.
  const existing = tx
    .select({ id: rotationChecklistItems.id })
    .from(rotationChecklistItems)
    .where(eq(rotationChecklistItems.programId, programId))
    .orderBy(asc(rotationChecklistItems.position), asc(rotationChecklistItems.id))
    .all();
  input.checklist.forEach((title, position) => {
    const row = existing[position];
    if (row) tx.update(rotationChecklistItems).set({ title, position }).where(eq(rotationChecklistItems.id, row.id)).run();
    else tx.insert(rotationChecklistItems).values({ programId, title, position }).run();
  });
  const extra = existing.slice(input.checklist.length).map((r) => r.id);
  if (extra.length) tx.delete(rotationChecklistItems).where(inArray(rotationChecklistItems.id, extra)).run();
}

export function createRotationProgram(db: Db, clock: Clock, actor: Actor, input: RotationProgramInput): RotationProgramDetails {
  return writeTransaction(db, (tx) => {
    if (programNameTaken(tx, input.name)) throw conflict('program_name_taken', `A rotation program named ${input.name} exists already.`);
    assertHostTeams(tx, input);
    const row = tx
      .insert(rotationPrograms)
      .values({ name: input.name, direction: input.direction, lengthWeeks: input.lengthWeeks, coveragePercent: input.coveragePercent, learningGoals: input.learningGoals, active: input.active, updatedAt: clock.now() })
      .returning()
      .get();
    writeProgramParts(tx, row.id, input);
    const details = getRotationProgram(tx, row.id);
    recordAudit(tx, clock.now(), actor, 'rotation_program.create', 'rotation_program', row.id, null, details);
    return details;
  });
}

export function updateRotationProgram(db: Db, clock: Clock, actor: Actor, id: number, input: RotationProgramInput): RotationProgramDetails {
  return writeTransaction(db, (tx) => {
    const before = getRotationProgram(tx, id);
    if (programNameTaken(tx, input.name, id)) throw conflict('program_name_taken', `A rotation program named ${input.name} exists already.`);
    assertHostTeams(tx, input);
    tx.update(rotationPrograms)
      .set({ name: input.name, direction: input.direction, lengthWeeks: input.lengthWeeks, coveragePercent: input.coveragePercent, learningGoals: input.learningGoals, active: input.active, updatedAt: clock.now() })
      .where(eq(rotationPrograms.id, id))
      .run();
    writeProgramParts(tx, id, input);
    const after = getRotationProgram(tx, id);
    recordAudit(tx, clock.now(), actor, 'rotation_program.update', 'rotation_program', id, before, after);
    return after;
  });
}

export function ruleProgramOf(program: RotationProgramDetails): RuleProgram {
  return {
    id: program.id,
    name: program.name,
    direction: program.direction,
    lengthWeeks: program.lengthWeeks,
    hostTeams: program.hostTeams.map((h) => ({ teamId: h.teamId, capacity: h.capacity })),
  };
}

// ── the rules' view of the company ──────────────────────────────────────────

/**
 * Everything the rules need about the company for rotations overlapping [from, to]: the people
 * involved (names, teams, hire dates, unavailable periods), teams with their active head count,
 * live rotations and blackouts in the window. `personIds` limits the directory to those people
 * plus everyone on a rotation in the window (guest or mentor); without it, everyone is loaded.
 * Raw statements: this runs on every check and every timeline view.
 */
export function loadRuleContext(
  db: Db,
  from: string,
  to: string,
  coverageShare: number,
  options: { exceptRotationId?: number; personIds?: Iterable<number> } = {},
): RuleContext & { preferred: Map<number, { start: string; end: string }[]> } {
  const client = db.$client;
  const live = client
    .prepare(
      `SELECT id, person_id AS personId, program_id AS programId, host_team_id AS hostTeamId, mentor_id AS mentorId, start_date AS start, end_date AS end, status
       FROM rotations WHERE status <> 'cancelled' AND start_date <= ? AND end_date >= ? AND id <> ?`,
    )
    .all(to, from, options.exceptRotationId ?? 0) as ExistingRotation[];
  let directory: { id: number; name: string; department: Department; teamId: number | null; hireDate: string }[];
  let periods: { personId: number; kind: 'preferred' | 'unavailable'; start: string; end: string; note: string }[];
  const periodSql = `SELECT person_id AS personId, kind, start_date AS start, end_date AS end, note FROM rotation_periods WHERE start_date <= ? AND end_date >= ?`;
  const personSql = `SELECT id, name, department, team_id AS teamId, hire_date AS hireDate FROM people`;
  if (options.personIds) {
    const ids = new Set<number>(options.personIds);
    for (const r of live) {
      ids.add(Number(r.personId));
      if (r.mentorId !== null) ids.add(Number(r.mentorId));
    }
    const list = JSON.stringify([...ids]);
    // Driving the join from the id list is several times faster than `id IN (SELECT … json_each)` here.
    directory = client
      .prepare(`SELECT p.id, p.name, p.department, p.team_id AS teamId, p.hire_date AS hireDate FROM json_each(?) j JOIN people p ON p.id = j.value`)
      .all(list) as typeof directory;
    periods = client
      .prepare(
        `SELECT rp.person_id AS personId, rp.kind, rp.start_date AS start, rp.end_date AS end, rp.note FROM json_each(?) j
         JOIN rotation_periods rp ON rp.person_id = j.value WHERE rp.start_date <= ? AND rp.end_date >= ?`,
      )
      .all(list, to, from) as typeof periods;
  } else {
    directory = client.prepare(personSql).all() as typeof directory;
    periods = client.prepare(periodSql).all(to, from) as typeof periods;
  }
  const unavailable = new Map<number, { start: string; end: string; reason?: string }[]>();
  const preferred = new Map<number, { start: string; end: string }[]>();
  for (const p of periods) {
    const map = p.kind === 'unavailable' ? unavailable : preferred;
    const list = map.get(p.personId) ?? [];
    list.push({ start: p.start, end: p.end, ...(p.kind === 'unavailable' && p.note ? { reason: p.note } : {}) });
    map.set(p.personId, list);
  }
  const personList: RulePerson[] = directory.map((p) => ({
    id: p.id,
    name: p.name,
    department: p.department,
    homeTeamId: p.teamId,
    hireDate: p.hireDate,
    unavailable: unavailable.get(p.id) ?? [],
  }));
  const teamRows = client
    .prepare(
      `SELECT t.id, t.name, t.department, COALESCE(c.n, 0) AS memberCount FROM teams t
       LEFT JOIN (SELECT team_id, count(*) AS n FROM people WHERE active = 1 AND team_id IS NOT NULL GROUP BY team_id) c ON c.team_id = t.id`,
    )
    .all() as RuleTeam[];
  const blackouts = client
    .prepare(`SELECT id, name, team_id AS teamId, department, start_date AS start, end_date AS end FROM rotation_blackouts WHERE start_date <= ? AND end_date >= ?`)
    .all(to, from) as Blackout[];
  return { people: personList, teams: teamRows, rotations: live, blackouts, coverageShare, preferred };
}

// ── scheduling one rotation ─────────────────────────────────────────────────

/** A form's blank choice ('') and a JSON null both mean "none". */
const nullableId = z.preprocess((v) => (v === '' || v === undefined ? null : v), idSchema.nullable());

const overrideRulesField = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.enum(RULE_CODES)).max(RULE_CODES.length),
);

export const rotationInputSchema = z
  .object({
    programId: idSchema,
    personId: idSchema,
    hostTeamId: idSchema,
    mentorId: nullableId,
    startDate: dateSchema,
    endDate: dateSchema,
    overrideRules: overrideRulesField.default([]),
    overrideReason: z.preprocess(blankToUndefined, z.string().trim().min(10, 'Write a reason of at least 10 characters.').max(2000).optional()),
  })
  .refine((v) => v.endDate >= v.startDate, { path: ['endDate'], message: 'The rotation must end on or after its start.' })
  .refine((v) => daysBetween(v.startDate, v.endDate) <= 366, { path: ['endDate'], message: 'A rotation lasts at most a year.' });
export type RotationInput = z.infer<typeof rotationInputSchema>;

/** The rule violations of a proposed rotation against the current company state. */
export function checkProposedRotation(db: Db, program: RotationProgramDetails, input: Pick<RotationInput, 'personId' | 'hostTeamId' | 'mentorId' | 'startDate' | 'endDate'>, exceptRotationId?: number): RuleViolation[] {
  const involved = input.mentorId === null ? [input.personId] : [input.personId, input.mentorId];
  const context = loadRuleContext(db, input.startDate, input.endDate, program.coveragePercent / 100, { exceptRotationId, personIds: involved });
  const checker = createRuleChecker(context);
  return checker.check(
    { personId: input.personId, hostTeamId: input.hostTeamId, mentorId: input.mentorId, start: input.startDate, end: input.endDate },
    ruleProgramOf(program),
  );
}

/** The 409 a broken rule answers with: the first rule's code, every violation in details. */
export function ruleConflict(violations: RuleViolation[]): AppError {
  const first = violations[0];
  const message = violations.length === 1 ? first.message : `${first.message} (and ${violations.length - 1} more broken rule${violations.length === 2 ? '' : 's'})`;
  return conflict(first.code, message, { violations });
}

function assertActivePerson(db: Db, id: number, what: string): Person {
  const person = db.select().from(people).where(eq(people.id, id)).get();
  if (!person) throw new AppError(400, 'invalid', `There is no ${what} with id ${id}.`, [{ path: what === 'mentor' ? 'mentorId' : 'personId', message: `No such ${what}.` }]);
  if (!person.active) throw conflict('inactive_person', `${person.name} is no longer active.`);
  return person;
}

/**
 * Schedules one rotation. Every broken rule stops it with 409 (the rule's code) unless HR
 * overrides exactly those rules with a written reason; the reason is kept per rule.
 */
export function scheduleRotation(db: Db, clock: Clock, actor: Actor, input: RotationInput): RotationRow {
  return writeTransaction(db, (tx) => {
    const program = getRotationProgram(tx, input.programId);
    assertActivePerson(tx, input.personId, 'person');
    if (input.mentorId !== null) assertActivePerson(tx, input.mentorId, 'mentor');
    if (!tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.hostTeamId)).get()) {
      throw new AppError(400, 'invalid', 'There is no such host team.', [{ path: 'hostTeamId', message: 'No such team.' }]);
    }
    const violations = checkProposedRotation(tx, program, input);
    assertOverridden(violations, input);
    const row = tx
      .insert(rotations)
      .values({
        programId: program.id,
        personId: input.personId,
        hostTeamId: input.hostTeamId,
        mentorId: input.mentorId,
        startDate: input.startDate,
        endDate: input.endDate,
        status: statusOn(todayOf(clock), { startDate: input.startDate, endDate: input.endDate, status: 'planned' }),
        createdById: actor.personId,
        updatedAt: clock.now(),
      })
      .returning()
      .get();
    writeOverrides(tx, clock, actor, row.id, violations, input.overrideReason);
    recordAudit(tx, clock.now(), actor, 'rotation.create', 'rotation', row.id, null, { ...row, overrides: violations.map((v) => v.code), overrideReason: input.overrideReason ?? null });
    return row;
  });
}

function assertOverridden(violations: RuleViolation[], input: { overrideRules: RuleCode[]; overrideReason?: string }) {
  if (violations.length === 0) return;
  const notOverridden = violations.filter((v) => !input.overrideRules.includes(v.code));
  if (notOverridden.length > 0 || !input.overrideReason) throw ruleConflict(notOverridden.length > 0 ? notOverridden : violations);
}

function writeOverrides(tx: Db, clock: Clock, actor: Actor, rotationId: number, violations: RuleViolation[], reason: string | undefined) {
  for (const v of violations) {
    tx.insert(rotationOverrides).values({ rotationId, rule: v.code, message: v.message, reason: reason ?? '', overriddenById: actor.personId, at: clock.now() }).run();
  }
}

export const rotationChangeSchema = z
  .object({
    hostTeamId: idSchema,
    mentorId: nullableId,
    startDate: dateSchema,
    endDate: dateSchema,
    overrideRules: overrideRulesField.default([]),
    overrideReason: z.preprocess(blankToUndefined, z.string().trim().min(10, 'Write a reason of at least 10 characters.').max(2000).optional()),
  })
  .refine((v) => v.endDate >= v.startDate, { path: ['endDate'], message: 'The rotation must end on or after its start.' })
  .refine((v) => daysBetween(v.startDate, v.endDate) <= 366, { path: ['endDate'], message: 'A rotation lasts at most a year.' });
export type RotationChange = z.infer<typeof rotationChangeSchema>;

/** Moves a rotation (dates, host team, mentor) under the same rules; earlier overrides are replaced. */
export function changeRotation(db: Db, clock: Clock, actor: Actor, id: number, change: RotationChange): RotationRow {
  return writeTransaction(db, (tx) => {
    const before = requireRotation(tx, id);
    if (before.status === 'cancelled') throw conflict('cancelled', 'This rotation was cancelled; schedule a new one instead.');
    const program = getRotationProgram(tx, before.programId);
    if (change.mentorId !== null) assertActivePerson(tx, change.mentorId, 'mentor');
    const violations = checkProposedRotation(tx, program, { personId: before.personId, ...change }, id);
    assertOverridden(violations, change);
    const after = tx
      .update(rotations)
      .set({
        hostTeamId: change.hostTeamId,
        mentorId: change.mentorId,
        startDate: change.startDate,
        endDate: change.endDate,
        status: statusOn(todayOf(clock), { startDate: change.startDate, endDate: change.endDate, status: 'planned' }),
        updatedAt: clock.now(),
      })
      .where(eq(rotations.id, id))
      .returning()
      .get();
    tx.delete(rotationOverrides).where(eq(rotationOverrides.rotationId, id)).run();
    writeOverrides(tx, clock, actor, id, violations, change.overrideReason);
    recordAudit(tx, clock.now(), actor, 'rotation.change', 'rotation', id, before, { ...after, overrides: violations.map((v) => v.code), overrideReason: change.overrideReason ?? null });
    return after;
  });
}

export function cancelRotation(db: Db, clock: Clock, actor: Actor, id: number, reason: string): RotationRow {
  return writeTransaction(db, (tx) => {
    const before = requireRotation(tx, id);
    if (before.status === 'cancelled') return before;
    if (before.status === 'completed') throw conflict('completed', 'A completed rotation cannot be cancelled.');
    const after = tx.update(rotations).set({ status: 'cancelled', cancelledAt: clock.now(), cancelReason: reason, updatedAt: clock.now() }).where(eq(rotations.id, id)).returning().get();
    recordAudit(tx, clock.now(), actor, 'rotation.cancel', 'rotation', id, before, after);
    return after;
  });
}

export function requireRotation(db: Db, id: number): RotationRow {
  const row = db.select().from(rotations).where(eq(rotations.id, id)).get();
  if (!row) throw notFound('No rotation with this id.');
  return row;
}

// ── reading rotations ───────────────────────────────────────────────────────

const mentorPerson = sql`(SELECT name FROM people m WHERE m.id = "rotations"."mentor_id")`;
const homeTeamName = sql`(SELECT t.name FROM teams t WHERE t.id = "people"."team_id")`;

function rotationListSelect() {
  return {
    id: rotations.id,
    programId: rotations.programId,
    programName: rotationPrograms.name,
    personId: rotations.personId,
    personName: people.name,
    personDepartment: people.department,
    homeTeamId: people.teamId,
    homeTeamName: homeTeamName.mapWith(String),
    hostTeamId: rotations.hostTeamId,
    hostTeamName: teams.name,
    mentorId: rotations.mentorId,
    mentorName: mentorPerson.mapWith((v) => (v === null ? null : String(v))),
    startDate: rotations.startDate,
    endDate: rotations.endDate,
    status: rotations.status,
    planId: rotations.planId,
    overrideCount: sql<number>`(SELECT count(*) FROM rotation_overrides o WHERE o.rotation_id = "rotations"."id")`,
  };
}

export type RotationListRow = {
  id: number;
  programId: number;
  programName: string;
  personId: number;
  personName: string;
  personDepartment: Department;
  homeTeamId: number | null;
  homeTeamName: string | null;
  hostTeamId: number;
  hostTeamName: string;
  mentorId: number | null;
  mentorName: string | null;
  startDate: string;
  endDate: string;
  status: RotationStatusName;
  planId: string | null;
  overrideCount: number;
};

export type RotationFilter = {
  from?: string;
  to?: string;
  programId?: number;
  personId?: number;
  /** Only rotations of these guests. */
  guestIds?: number[];
  hostTeamId?: number;
  homeTeamId?: number;
  department?: Department;
  status?: RotationStatusName;
  includeCancelled?: boolean;
  /** Only rotations whose guest or mentor is one of these (null: everyone). */
  visibleIds?: number[] | null;
  limit?: number;
};

const LIST_COLUMNS = `r.id, r.program_id AS programId, rp.name AS programName, r.person_id AS personId, p.name AS personName,
  p.department AS personDepartment, p.team_id AS homeTeamId, (SELECT t.name FROM teams t WHERE t.id = p.team_id) AS homeTeamName,
  r.host_team_id AS hostTeamId, ht.name AS hostTeamName, r.mentor_id AS mentorId, (SELECT m.name FROM people m WHERE m.id = r.mentor_id) AS mentorName,
  r.start_date AS startDate, r.end_date AS endDate, r.status, r.plan_id AS planId,
  (SELECT count(*) FROM rotation_overrides o WHERE o.rotation_id = r.id) AS overrideCount`;

const LIST_FROM = `FROM rotations r
  JOIN people p ON p.id = r.person_id JOIN teams ht ON ht.id = r.host_team_id JOIN rotation_programs rp ON rp.id = r.program_id`;

/** The WHERE clause of a rotation filter, with its parameters. */
function rotationWhere(filter: RotationFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (filter.to) add('r.start_date <= ?', filter.to);
  if (filter.from) add('r.end_date >= ?', filter.from);
  if (filter.programId) add('r.program_id = ?', filter.programId);
  if (filter.personId) add('(r.person_id = ? OR r.mentor_id = ?)', filter.personId, filter.personId);
  if (filter.guestIds) add('r.person_id IN (SELECT value FROM json_each(?))', JSON.stringify(filter.guestIds));
  if (filter.hostTeamId) add('r.host_team_id = ?', filter.hostTeamId);
  if (filter.homeTeamId) add('p.team_id = ?', filter.homeTeamId);
  if (filter.department) add('p.department = ?', filter.department);
  if (filter.status) add('r.status = ?', filter.status);
  else if (!filter.includeCancelled) add("r.status <> 'cancelled'");
  if (filter.visibleIds) {
    const list = JSON.stringify(filter.visibleIds);
    add('(r.person_id IN (SELECT value FROM json_each(?)) OR r.mentor_id IN (SELECT value FROM json_each(?)))', list, list);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Rotations with names, for lists, the timeline and the API (raw statement: the timeline reads hundreds). */
export function listRotations(db: Db, filter: RotationFilter = {}): RotationListRow[] {
  const { where, params } = rotationWhere(filter);
  const statement = db.$client.prepare(`SELECT ${LIST_COLUMNS} ${LIST_FROM} ${where} ORDER BY r.start_date, p.name, r.id LIMIT ?`);
  return statement.all(...params, filter.limit ?? 10_000) as RotationListRow[];
}

/** One page of the guests with rotations matching a filter, by name, and how many there are in all. */
export function pageOfGuests(db: Db, filter: RotationFilter, page: number, pageSize: number): { ids: number[]; total: number } {
  const { where, params } = rotationWhere(filter);
  const rows = db.$client
    .prepare(`SELECT r.person_id AS id, count(*) OVER () AS total ${LIST_FROM} ${where} GROUP BY r.person_id ORDER BY min(p.name) COLLATE NOCASE, r.person_id LIMIT ? OFFSET ?`)
    .all(...params, pageSize, (page - 1) * pageSize) as { id: number; total: number }[];
  if (rows.length === 0 && page > 1) return { ids: [], total: pageOfGuests(db, filter, 1, 1).total };
  return { ids: rows.map((r) => r.id), total: rows[0]?.total ?? 0 };
}

/** Spans of live rotations of some programs in a window: what host capacity counts. */
export function capacitySpans(db: Db, programIds: number[], from: string, to: string) {
  return db.$client
    .prepare(
      `SELECT program_id AS programId, host_team_id AS hostTeamId, start_date AS start, end_date AS end FROM rotations
       WHERE status <> 'cancelled' AND start_date <= ? AND end_date >= ? AND program_id IN (SELECT value FROM json_each(?))`,
    )
    .all(to, from, JSON.stringify(programIds)) as { programId: number; hostTeamId: number; start: string; end: string }[];
}

export type RotationDetails = RotationListRow & {
  program: RotationProgramDetails;
  cancelReason: string | null;
  overrides: { rule: string; message: string; reason: string; byName: string | null; at: Date }[];
  checklist: { id: number; title: string; doneAt: Date | null }[];
  checkIns: { id: number; authorId: number; authorName: string; authorRole: 'guest' | 'mentor'; kind: 'midpoint' | 'end'; learned: string; otherDepartmentShouldChange: string; submittedAt: Date }[];
  midpoint: string;
};

export function rotationDetails(db: Db, id: number): RotationDetails {
  const row = db
    .select({ ...rotationListSelect(), cancelReason: rotations.cancelReason })
    .from(rotations)
    .innerJoin(people, eq(people.id, rotations.personId))
    .innerJoin(teams, eq(teams.id, rotations.hostTeamId))
    .innerJoin(rotationPrograms, eq(rotationPrograms.id, rotations.programId))
    .where(eq(rotations.id, id))
    .get();
  if (!row) throw notFound('No rotation with this id.');
  const program = getRotationProgram(db, row.programId);
  const overrides = db
    .select({ rule: rotationOverrides.rule, message: rotationOverrides.message, reason: rotationOverrides.reason, byName: people.name, at: rotationOverrides.at })
    .from(rotationOverrides)
    .leftJoin(people, eq(people.id, rotationOverrides.overriddenById))
    .where(eq(rotationOverrides.rotationId, id))
    .orderBy(asc(rotationOverrides.id))
    .all();
  const ticks = db.select().from(rotationChecklistTicks).where(eq(rotationChecklistTicks.rotationId, id)).all();
  const checklist = program.checklist.map((item) => ({ id: item.id, title: item.title, doneAt: ticks.find((t) => t.itemId === item.id)?.doneAt ?? null }));
  const checkIns = db
    .select({
      id: rotationCheckIns.id,
      authorId: rotationCheckIns.authorId,
      authorName: people.name,
      authorRole: rotationCheckIns.authorRole,
      kind: rotationCheckIns.kind,
      learned: rotationCheckIns.learned,
      otherDepartmentShouldChange: rotationCheckIns.otherDepartmentShouldChange,
      submittedAt: rotationCheckIns.submittedAt,
    })
    .from(rotationCheckIns)
    .innerJoin(people, eq(people.id, rotationCheckIns.authorId))
    .where(eq(rotationCheckIns.rotationId, id))
    .orderBy(asc(rotationCheckIns.kind), asc(rotationCheckIns.authorRole))
    .all();
  return { ...(row as RotationListRow), cancelReason: row.cancelReason, program, overrides, checklist, checkIns, midpoint: midpointOf(row.startDate, row.endDate) };
}

/** The day of a rotation's mid-point check-in. */
export function midpointOf(start: string, end: string): string {
  return addDaysToLocalDate(start, Math.floor(daysBetween(start, end) / 2));
}

/** Who may see a rotation: HR; its guest and mentor; managers of either; managers of the host team. */
export function canViewRotation(db: Db, viewer: Viewer, row: { personId: number; mentorId: number | null; hostTeamId: number }): boolean {
  const visible = visiblePersonIds(db, viewer);
  if (visible === null) return true;
  if (visible.includes(row.personId) || (row.mentorId !== null && visible.includes(row.mentorId))) return true;
  if (viewer.person.role === 'manager') {
    return !!db.select({ id: teams.id }).from(teams).where(and(eq(teams.id, row.hostTeamId), eq(teams.managerId, viewer.person.id))).get();
  }
  return false;
}

// ── queries for other features (schedules, calendars, who is away) ─────────

export type PersonRotation = {
  rotationId: number;
  /** 'guest': the person rotates; 'mentor': the person mentors the guest. */
  role: 'guest' | 'mentor';
  programId: number;
  programName: string;
  guestId: number;
  guestName: string;
  hostTeamId: number;
  hostTeamName: string;
  mentorId: number | null;
  mentorName: string | null;
  /** All-day span of local dates, both inclusive ('YYYY-MM-DD'). */
  startDate: string;
  endDate: string;
  status: RotationStatusName;
};

/**
 * The person's rotations (as guest or as mentor) overlapping the calendar dates [from, to]
 * (inclusive, 'YYYY-MM-DD'), cancelled ones left out, earliest first. For schedules and calendar
 * feeds: each is an all-day span from startDate to endDate inclusive (in iCalendar: DTSTART;VALUE=DATE
 * = startDate, DTEND = endDate + 1 day).
 */
export function rotationsForPerson(db: Db, personId: number, from: string, to: string): PersonRotation[] {
  const rows = listRotations(db, { personId, from, to });
  return rows.map((r) => ({
    rotationId: r.id,
    role: r.personId === personId ? 'guest' : 'mentor',
    programId: r.programId,
    programName: r.programName,
    guestId: r.personId,
    guestName: r.personName,
    hostTeamId: r.hostTeamId,
    hostTeamName: r.hostTeamName,
    mentorId: r.mentorId,
    mentorName: r.mentorName,
    startDate: r.startDate,
    endDate: r.endDate,
    status: r.status,
  }));
}

export type AwayPerson = {
  personId: number;
  name: string;
  department: Department;
  homeTeamId: number | null;
  homeTeamName: string | null;
  rotationId: number;
  programName: string;
  hostTeamId: number;
  hostTeamName: string;
  startDate: string;
  endDate: string;
  status: RotationStatusName;
};

/**
 * Everyone away on a (not cancelled) rotation on any day of [from, to] (inclusive 'YYYY-MM-DD'),
 * by start date: who is missing from their home team when. Pass `onlyIds` to restrict to people
 * a viewer may see (visiblePersonIds).
 */
export function awayPeople(db: Db, from: string, to: string, onlyIds: number[] | null = null): AwayPerson[] {
  const rows = db
    .select(rotationListSelect())
    .from(rotations)
    .innerJoin(people, eq(people.id, rotations.personId))
    .innerJoin(teams, eq(teams.id, rotations.hostTeamId))
    .innerJoin(rotationPrograms, eq(rotationPrograms.id, rotations.programId))
    .where(
      and(
        ne(rotations.status, 'cancelled'),
        lte(rotations.startDate, to),
        gte(rotations.endDate, from),
        onlyIds ? (onlyIds.length ? inArray(rotations.personId, onlyIds) : sql`0`) : undefined,
      ),
    )
    .orderBy(asc(rotations.startDate), asc(people.name))
    .all() as RotationListRow[];
  return rows.map((r) => ({
    personId: r.personId,
    name: r.personName,
    department: r.personDepartment,
    homeTeamId: r.homeTeamId,
    homeTeamName: r.homeTeamName,
    rotationId: r.id,
    programName: r.programName,
    hostTeamId: r.hostTeamId,
    hostTeamName: r.hostTeamName,
    startDate: r.startDate,
    endDate: r.endDate,
    status: r.status,
  }));
}

// ── checklist and check-ins ────────────────────────────────────────────────

/** The guest ticks (or unticks) a checklist item; HR may too. */
export function setChecklistItem(db: Db, clock: Clock, actor: Actor, actorPerson: Person, rotationId: number, itemId: number, done: boolean) {
  return writeTransaction(db, (tx) => {
    const row = requireRotation(tx, rotationId);
    if (actorPerson.role !== 'hr' && actorPerson.id !== row.personId) throw forbidden('Only the guest (or HR) ticks off the checklist.');
    if (row.status === 'cancelled') throw conflict('cancelled', 'This rotation was cancelled.');
    const item = tx.select().from(rotationChecklistItems).where(and(eq(rotationChecklistItems.id, itemId), eq(rotationChecklistItems.programId, row.programId))).get();
    if (!item) throw notFound('No such checklist item in this rotation.');
    const existing = tx.select().from(rotationChecklistTicks).where(and(eq(rotationChecklistTicks.rotationId, rotationId), eq(rotationChecklistTicks.itemId, itemId))).get();
    if (done && !existing) tx.insert(rotationChecklistTicks).values({ rotationId, itemId, doneAt: clock.now(), doneById: actorPerson.id }).run();
    if (!done && existing) tx.delete(rotationChecklistTicks).where(eq(rotationChecklistTicks.id, existing.id)).run();
    if (done !== !!existing) recordAudit(tx, clock.now(), actor, done ? 'rotation.checklist_tick' : 'rotation.checklist_untick', 'rotation', rotationId, null, { itemId, title: item.title });
  });
}

export const checkInInputSchema = z.object({
  kind: z.enum(['midpoint', 'end'], { message: 'Choose mid-point or end.' }),
  learned: z.string().trim().min(1, 'Write what you learned.').max(4000),
  otherDepartmentShouldChange: z.string().trim().max(4000).default(''),
});
export type CheckInInput = z.infer<typeof checkInInputSchema>;

/** When a check-in may be written: the mid-point one from the mid-point on, the end one in the last week. */
export function checkInOpensOn(kind: 'midpoint' | 'end', start: string, end: string): string {
  return kind === 'midpoint' ? midpointOf(start, end) : addDaysToLocalDate(end, -Math.min(6, daysBetween(start, end)));
}

/**
 * The guest or the mentor writes (or rewrites) their mid-point or end check-in. What the other
 * department should change goes to that side's liaison backlog as a suggestion (source 'check_in',
 * through the liaisons module), where field insights pick it up.
 */
export function submitCheckIn(db: Db, clock: Clock, actor: Actor, actorPerson: Person, rotationId: number, input: CheckInInput) {
  return writeTransaction(db, (tx) => {
    const row = requireRotation(tx, rotationId);
    const role = actorPerson.id === row.personId ? 'guest' : actorPerson.id === row.mentorId ? 'mentor' : null;
    if (!role) throw forbidden('Only the guest and the mentor write check-ins.');
    if (row.status === 'cancelled') throw conflict('cancelled', 'This rotation was cancelled.');
    const opens = checkInOpensOn(input.kind, row.startDate, row.endDate);
    if (todayOf(clock) < opens) throw conflict('too_early', `The ${input.kind === 'midpoint' ? 'mid-point' : 'end'} check-in opens on ${opens}.`);
    const guest = tx.select({ teamId: people.teamId, name: people.name }).from(people).where(eq(people.id, row.personId)).get();
    // The guest speaks about the host team's side; the mentor about the guest's home side.
    const suggestionTeamId = role === 'guest' ? row.hostTeamId : guest?.teamId ?? null;
    const existing = tx
      .select()
      .from(rotationCheckIns)
      .where(and(eq(rotationCheckIns.rotationId, rotationId), eq(rotationCheckIns.authorId, actorPerson.id), eq(rotationCheckIns.kind, input.kind)))
      .get();
    const values = { learned: input.learned, otherDepartmentShouldChange: input.otherDepartmentShouldChange, suggestionTeamId, updatedAt: clock.now() };
    const saved = existing
      ? tx.update(rotationCheckIns).set(values).where(eq(rotationCheckIns.id, existing.id)).returning().get()
      : tx.insert(rotationCheckIns).values({ rotationId, authorId: actorPerson.id, authorRole: role, kind: input.kind, submittedAt: clock.now(), ...values }).returning().get();
    if (suggestionTeamId !== null && input.otherDepartmentShouldChange) {
      const whose = role === 'guest' ? 'their own rotation' : `${guest?.name ?? 'a guest'}'s rotation`;
      const detail = `From ${actorPerson.name}'s ${input.kind === 'midpoint' ? 'mid-point' : 'end'} check-in as ${role === 'guest' ? 'guest' : 'mentor'}, on ${whose} (${row.startDate} to ${row.endDate}).\n\n${input.otherDepartmentShouldChange}`;
      placeSuggestion(tx, clock, actor, { teamId: suggestionTeamId, title: suggestionTitleOf(input.otherDepartmentShouldChange), detail, source: 'check_in', sourceRef: `check_in:${saved.id}` });
    }
    recordAudit(tx, clock.now(), actor, existing ? 'rotation.check_in_update' : 'rotation.check_in', 'rotation', rotationId, existing ?? null, saved);
    return saved;
  });
}

/** Check-ins with something the other department should change, for field insights. */
export function checkInSuggestions(db: Db, from: Date, to: Date) {
  return db
    .select({
      checkInId: rotationCheckIns.id,
      rotationId: rotationCheckIns.rotationId,
      authorId: rotationCheckIns.authorId,
      authorRole: rotationCheckIns.authorRole,
      kind: rotationCheckIns.kind,
      teamId: rotationCheckIns.suggestionTeamId,
      learned: rotationCheckIns.learned,
      otherDepartmentShouldChange: rotationCheckIns.otherDepartmentShouldChange,
      submittedAt: rotationCheckIns.submittedAt,
    })
    .from(rotationCheckIns)
    .where(and(gte(rotationCheckIns.submittedAt, from), lte(rotationCheckIns.submittedAt, to), ne(rotationCheckIns.otherDepartmentShouldChange, '')))
    .orderBy(asc(rotationCheckIns.submittedAt))
    .all();
}

// ── blackouts and personal periods ─────────────────────────────────────────

export const blackoutInputSchema = z
  .object({
    name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Name the blackout, e.g. Q3 close.').max(120),
    scope: z.enum(['department', 'team'], { message: 'Choose a department or a team.' }),
    department: z.preprocess(blankToUndefined, z.enum(departments).optional()),
    teamId: z.preprocess(blankToUndefined, idSchema.optional()),
    startDate: dateSchema,
    endDate: dateSchema,
  })
  .refine((v) => v.endDate >= v.startDate, { path: ['endDate'], message: 'The blackout must end on or after its start.' })
  .refine((v) => (v.scope === 'department' ? !!v.department : !!v.teamId), { path: ['scope'], message: 'Choose the department or the team the blackout is for.' });
export type BlackoutInput = z.infer<typeof blackoutInputSchema>;

export function listBlackouts(db: Db, from?: string, to?: string) {
  return db
    .select({ id: rotationBlackouts.id, name: rotationBlackouts.name, teamId: rotationBlackouts.teamId, teamName: teams.name, department: rotationBlackouts.department, startDate: rotationBlackouts.startDate, endDate: rotationBlackouts.endDate })
    .from(rotationBlackouts)
    .leftJoin(teams, eq(teams.id, rotationBlackouts.teamId))
    .where(and(to ? lte(rotationBlackouts.startDate, to) : undefined, from ? gte(rotationBlackouts.endDate, from) : undefined))
    .orderBy(asc(rotationBlackouts.startDate), asc(rotationBlackouts.id))
    .all();
}
export type BlackoutRow = ReturnType<typeof listBlackouts>[number];

export function createBlackout(db: Db, clock: Clock, actor: Actor, input: BlackoutInput) {
  return writeTransaction(db, (tx) => {
    if (input.scope === 'team' && !tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId!)).get()) {
      throw new AppError(400, 'invalid', 'There is no such team.', [{ path: 'teamId', message: 'No such team.' }]);
    }
    const row = tx
      .insert(rotationBlackouts)
      .values({ name: input.name, teamId: input.scope === 'team' ? input.teamId! : null, department: input.scope === 'department' ? input.department! : null, startDate: input.startDate, endDate: input.endDate, createdById: actor.personId })
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'rotation_blackout.create', 'rotation_blackout', row.id, null, row);
    return row;
  });
}

export function deleteBlackout(db: Db, clock: Clock, actor: Actor, id: number) {
  writeTransaction(db, (tx) => {
    const row = tx.select().from(rotationBlackouts).where(eq(rotationBlackouts.id, id)).get();
    if (!row) throw notFound('No blackout with this id.');
    tx.delete(rotationBlackouts).where(eq(rotationBlackouts.id, id)).run();
    recordAudit(tx, clock.now(), actor, 'rotation_blackout.delete', 'rotation_blackout', id, row, null);
  });
}

export const periodInputSchema = z
  .object({
    kind: z.enum(['preferred', 'unavailable'], { message: 'Choose preferred or unavailable.' }),
    startDate: dateSchema,
    endDate: dateSchema,
    note: z.string().trim().max(300).default(''),
  })
  .refine((v) => v.endDate >= v.startDate, { path: ['endDate'], message: 'The period must end on or after its start.' });
export type PeriodInput = z.infer<typeof periodInputSchema>;

export function listPeriods(db: Db, personId: number) {
  return db.select().from(rotationPeriods).where(eq(rotationPeriods.personId, personId)).orderBy(asc(rotationPeriods.startDate)).all();
}

export function addPeriod(db: Db, clock: Clock, actor: Actor, personId: number, input: PeriodInput) {
  return writeTransaction(db, (tx) => {
    const row = tx.insert(rotationPeriods).values({ personId, ...input }).returning().get();
    recordAudit(tx, clock.now(), actor, 'rotation_period.create', 'rotation_period', row.id, null, row);
    return row;
  });
}

export function removePeriod(db: Db, clock: Clock, actor: Actor, personId: number, id: number) {
  writeTransaction(db, (tx) => {
    const row = tx.select().from(rotationPeriods).where(and(eq(rotationPeriods.id, id), eq(rotationPeriods.personId, personId))).get();
    if (!row) throw notFound('No such period.');
    tx.delete(rotationPeriods).where(eq(rotationPeriods.id, id)).run();
    recordAudit(tx, clock.now(), actor, 'rotation_period.delete', 'rotation_period', id, row, null);
  });
}

// ── planning ────────────────────────────────────────────────────────────────

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
    ? db.select({ id: people.id, teamId: people.teamId }).from(people).where(and(eq(people.active, true), inArray(people.teamId, hostIds))).all()
    : [];
  const mentorPools = program.hostTeams.map((h) => ({ teamId: h.teamId, mentorIds: mentorRows.filter((m) => m.teamId === h.teamId).map((m) => m.id) }));
  const context = loadRuleContext(db, firstMonday, horizonEnd, program.coveragePercent / 100, { personIds: [...selected, ...mentorRows.map((m) => m.id)] });
  const placedAlready = new Map<number, { startDate: string; endDate: string }>();
  for (const r of context.rotations) if (r.programId === program.id && !placedAlready.has(Number(r.personId))) placedAlready.set(Number(r.personId), { startDate: r.start, endDate: r.end });
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
    super(409, first.code, `Nothing was committed: ${broken.length} rotation${broken.length === 1 ? '' : 's'} of the plan break${broken.length === 1 ? 's' : ''} a rule. First: ${first.message}`, undefined, {
      items: broken.map((c) => ({ index: c.index, personId: c.personId, violations: c.violations })),
    });
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
      const { id } = insert.get(setup.program.id, item.personId, item.hostTeamId, item.mentorId, item.start, item.end, status, planId, actor.personId, now.getTime()) as { id: number };
      written.push({ id, programId: setup.program.id, personId: item.personId, hostTeamId: item.hostTeamId, mentorId: item.mentorId, startDate: item.start, endDate: item.end, status, planId, createdById: actor.personId, cancelledAt: null, cancelReason: null, createdAt: now, updatedAt: now });
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
  plan.rotations.map((r: PlannedRotation) => ({ personId: Number(r.personId), hostTeamId: Number(r.hostTeamId), mentorId: Number(r.mentorId), start: r.start, end: r.end }));

/** The Monday-aligned start dates a plan item may be moved to within the horizon. */
export function startWeeksOf(setup: PlanningSetup): string[] {
  const first = nextMondayOnOrAfter(setup.input.horizon.start);
  const count = setup.input.horizon.weeks - setup.program.lengthWeeks + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) => addDaysToLocalDate(first, i * 7));
}

export const isMonday = (date: string) => isoWeekday(date) === 1;

export const RULE_LABELS: Record<string, string> = { ...RULE_TITLES, reciprocity: 'Reciprocity', horizon: 'Horizon too short' };

/** Counts for the overview: how many rotations per status. */
export function rotationCounts(db: Db) {
  const rows = db.select({ status: rotations.status, n: count() }).from(rotations).groupBy(rotations.status).all();
  return Object.fromEntries(rotationStatuses.map((s) => [s, rows.find((r) => r.status === s)?.n ?? 0])) as Record<RotationStatusName, number>;
}
