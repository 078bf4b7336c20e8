// Programs, their requirements, enrollment rules and enrollments.
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  countedEventKinds,
  departments,
  enrollmentRules,
  enrollments,
  programKinds,
  programRequirements,
  programs,
  requirementKinds,
  roles,
  signOffs,
  teams,
  trainingTopics,
  type Department,
  type Role,
} from '../../db/schema';
import type { Viewer } from '../context';
import { writeTransaction, type Db } from '../db';
import { systemClock, type Clock } from '../lib/clock';
import { badRequest, conflict, forbidden, notFound } from '../lib/errors';
import { blankToUndefined, dateSchema, idSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { actorOf, recordAudit, systemActor, type Actor } from '../audit/audit';
import { canViewPerson } from '../people/people';
import { cycleOn, localDateAt, reviewRuleProblem } from './schedule';
import { chunked, endOpenCompletions, idList, reopenCompletions, syncCompletions } from './tracking';

export type Program = typeof programs.$inferSelect;
export type ProgramRequirement = typeof programRequirements.$inferSelect;
type EnrollmentRule = typeof enrollmentRules.$inferSelect;
type Enrollment = typeof enrollments.$inferSelect;

// ── input schemas (forms and API share them) ──

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

export const topicInputSchema = z.object({
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a topic name.').max(120),
  description: z.preprocess((v) => v ?? '', z.string().trim().max(2000)),
});
type TopicInput = z.infer<typeof topicInputSchema>;

const programFields = z.object({
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a program name.').max(160),
  kind: z.enum(programKinds, { message: 'Kind must be onboarding or review.' }),
  description: z.preprocess((v) => v ?? '', z.string().trim().max(4000)),
  rrule: optional(z.string().trim().max(300)),
  anchorDate: optional(dateSchema),
  dueSoonDays: z.preprocess(blankToUndefined, z.coerce.number().int().min(0, 'Use 0 to 90 days.').max(90, 'Use 0 to 90 days.').default(7)),
});

function checkReviewFields(input: { kind: string; rrule?: string; anchorDate?: string }, ctx: z.RefinementCtx) {
  if (input.kind !== 'review') return;
  if (!input.rrule) ctx.addIssue({ code: 'custom', path: ['rrule'], message: 'A review program needs a rhythm, e.g. every 3 months (as a rule: FREQ=MONTHLY;INTERVAL=3).' });
  else {
    const problem = reviewRuleProblem(input.rrule);
    if (problem) ctx.addIssue({ code: 'custom', path: ['rrule'], message: `The rhythm is not usable: ${problem}.` });
  }
  if (!input.anchorDate) ctx.addIssue({ code: 'custom', path: ['anchorDate'], message: 'A review program needs the date its first cycle starts.' });
}

export const programInputSchema = programFields.superRefine(checkReviewFields);
type ProgramInput = z.infer<typeof programInputSchema>;

export const programPatchSchema = z.object({
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a program name.').max(160).optional(),
  description: z.string().trim().max(4000).optional(),
  dueSoonDays: z.coerce.number().int().min(0).max(90).optional(),
  active: z.boolean().optional(),
});
type ProgramPatch = z.infer<typeof programPatchSchema>;

const requirementFields = z.object({
  title: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter what is required.').max(200),
  kind: z.enum(requirementKinds, { message: 'Kind must be training, events, sign_off or survey.' }),
  topicId: optional(idSchema),
  eventKind: optional(z.enum(countedEventKinds, { message: 'Event kind must be sales_call, marketing_meeting or alignment_meeting.' })),
  count: z.preprocess(blankToUndefined, z.coerce.number().int().min(1, 'At least 1.').max(100, 'At most 100.').default(1)),
  dueOffsetDays: z.coerce.number({ message: 'Enter the number of days.' }).int('Whole days only.').min(0, 'Zero or more days.').max(3650, 'At most 3650 days.'),
});

function checkRequirementFields(input: { kind: string; topicId?: number; eventKind?: string }, ctx: z.RefinementCtx) {
  if (input.kind === 'training' && !input.topicId) ctx.addIssue({ code: 'custom', path: ['topicId'], message: 'Choose the training topic.' });
  if (input.kind === 'events' && !input.eventKind) ctx.addIssue({ code: 'custom', path: ['eventKind'], message: 'Choose the kind of event.' });
}

export const requirementInputSchema = requirementFields.superRefine(checkRequirementFields);
/** The API refuses unknown fields. */
export const requirementBodySchema = requirementFields.strict().superRefine(checkRequirementFields);
type RequirementInput = z.infer<typeof requirementInputSchema>;

const ruleFields = z.object({
  department: optional(z.enum(departments, { message: 'Department must be sales, marketing or other.' })),
  teamId: optional(idSchema),
  role: optional(z.enum(roles, { message: 'Role must be hr, manager or employee.' })),
  hiredOnOrAfter: optional(dateSchema),
  hiredOnOrBefore: optional(dateSchema),
});

function checkRuleFields(r: z.infer<typeof ruleFields>, ctx: z.RefinementCtx) {
  if (!r.department && !r.teamId && !r.role && !r.hiredOnOrAfter && !r.hiredOnOrBefore) {
    ctx.addIssue({ code: 'custom', path: ['_form'], message: 'Set at least one criterion (department, team, role or hire dates).' });
  }
  if (r.hiredOnOrAfter && r.hiredOnOrBefore && r.hiredOnOrAfter > r.hiredOnOrBefore) {
    ctx.addIssue({ code: 'custom', path: ['hiredOnOrBefore'], message: 'The first hire date must not be after the last.' });
  }
}

export const ruleInputSchema = ruleFields.superRefine(checkRuleFields);
export const ruleBodySchema = ruleFields.strict().superRefine(checkRuleFields);

/** POST /api/v1/programs: a program with its requirements and rules, written together. */
export const programBodySchema = programFields
  .extend({ requirements: z.array(requirementBodySchema).max(50).optional(), rules: z.array(ruleBodySchema).max(50).optional() })
  .strict()
  .superRefine(checkReviewFields);
type RuleInput = z.infer<typeof ruleInputSchema>;

// ── topics ──

export function listTopics(db: Db) {
  return db.select().from(trainingTopics).orderBy(asc(trainingTopics.name)).all();
}

export function createTopic(db: Db, clock: Clock, actor: Actor, input: TopicInput) {
  return writeTransaction(db, (tx) => {
    const taken = tx.get<{ id: number }>(sql`SELECT id FROM training_topics WHERE lower(name) = ${input.name.toLowerCase()}`);
    if (taken) throw conflict('topic_name_taken', `A topic named ${input.name} exists already.`);
    const topic = tx.insert(trainingTopics).values(input).returning().get();
    recordAudit(tx, clock.now(), actor, 'training_topic.create', 'training_topic', topic.id, null, topic);
    return topic;
  });
}

function requireTopic(db: Db, id: number) {
  const topic = db.select().from(trainingTopics).where(eq(trainingTopics.id, id)).get();
  if (!topic) throw conflict('invalid_reference', 'The chosen training topic does not exist.');
  return topic;
}

// ── programs ──

export function getProgram(db: Db, id: number): Program {
  const program = db.select().from(programs).where(eq(programs.id, id)).get();
  if (!program) throw notFound('No program with this id.');
  return program;
}

export type ProgramListRow = Pick<Program, 'id' | 'name' | 'kind' | 'description' | 'rrule' | 'anchorDate' | 'dueSoonDays' | 'active'> & { requirementCount: number; enrolledCount: number };

export function listPrograms(db: Db): ProgramListRow[] {
  return db.all<ProgramListRow>(sql`
    SELECT pr.id, pr.name, pr.kind, pr.description, pr.rrule, pr.anchor_date AS anchorDate, pr.due_soon_days AS dueSoonDays, pr.active,
      (SELECT count(*) FROM program_requirements r WHERE r.program_id = pr.id) AS requirementCount,
      (SELECT count(*) FROM enrollments e WHERE e.program_id = pr.id AND e.ended_at IS NULL) AS enrolledCount
    FROM programs pr ORDER BY pr.active DESC, lower(pr.name)`).map((p) => ({ ...p, active: Boolean(p.active) }));
}

export function createProgram(db: Db, clock: Clock, actor: Actor, input: ProgramInput): Program {
  return writeTransaction(db, (tx) => {
    const taken = tx.get<{ id: number }>(sql`SELECT id FROM programs WHERE lower(name) = ${input.name.toLowerCase()}`);
    if (taken) throw conflict('program_name_taken', `A program named ${input.name} exists already.`);
    const review = input.kind === 'review';
    const program = tx
      .insert(programs)
      .values({
        name: input.name,
        kind: input.kind,
        description: input.description,
        rrule: review ? input.rrule!.replace(/^RRULE:/i, '') : null,
        anchorDate: review ? input.anchorDate! : null,
        dueSoonDays: input.dueSoonDays,
        updatedAt: clock.now(),
      })
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'program.create', 'program', program.id, null, program);
    return program;
  });
}

/** A program with its requirements and rules in one transaction (all or nothing). */
export function writeProgramWithParts(db: Db, clock: Clock, actor: Actor, input: ProgramInput, requirements: RequirementInput[], rules: RuleInput[]): Program {
  return writeTransaction(db, (tx) => {
    const program = createProgram(tx, clock, actor, input);
    for (const requirement of requirements) addRequirement(tx, clock, actor, program.id, requirement);
    for (const rule of rules) addEnrollmentRule(tx, clock, actor, program.id, rule);
    return program;
  });
}

export function updateProgram(db: Db, clock: Clock, actor: Actor, id: number, patch: ProgramPatch): Program {
  return writeTransaction(db, (tx) => {
    const before = getProgram(tx, id);
    if (patch.name && tx.get(sql`SELECT id FROM programs WHERE lower(name) = ${patch.name.toLowerCase()} AND id <> ${id}`)) {
      throw conflict('program_name_taken', `A program named ${patch.name} exists already.`);
    }
    const after = tx.update(programs).set({ ...patch, updatedAt: clock.now() }).where(eq(programs.id, id)).returning().get();
    recordAudit(tx, clock.now(), actor, 'program.update', 'program', id, before, after);
    if (patch.dueSoonDays !== undefined && patch.dueSoonDays !== before.dueSoonDays) syncCompletions(tx, clock.now(), { programIds: [id] });
    return after;
  });
}

export function programDetails(db: Db, id: number) {
  const program = getProgram(db, id);
  const requirements = db
    .select({
      id: programRequirements.id,
      programId: programRequirements.programId,
      position: programRequirements.position,
      title: programRequirements.title,
      kind: programRequirements.kind,
      topicId: programRequirements.topicId,
      topicName: trainingTopics.name,
      eventKind: programRequirements.eventKind,
      count: programRequirements.count,
      dueOffsetDays: programRequirements.dueOffsetDays,
    })
    .from(programRequirements)
    .leftJoin(trainingTopics, eq(trainingTopics.id, programRequirements.topicId))
    .where(eq(programRequirements.programId, id))
    .orderBy(asc(programRequirements.position), asc(programRequirements.id))
    .all();
  const rules = db
    .select({
      id: enrollmentRules.id,
      department: enrollmentRules.department,
      teamId: enrollmentRules.teamId,
      teamName: teams.name,
      role: enrollmentRules.role,
      hiredOnOrAfter: enrollmentRules.hiredOnOrAfter,
      hiredOnOrBefore: enrollmentRules.hiredOnOrBefore,
    })
    .from(enrollmentRules)
    .leftJoin(teams, eq(teams.id, enrollmentRules.teamId))
    .where(eq(enrollmentRules.programId, id))
    .orderBy(asc(enrollmentRules.id))
    .all();
  return { program, requirements, rules };
}
export type ProgramDetails = ReturnType<typeof programDetails>;

/** A rule in words, e.g. "department sales, hired on or after 2026-01-01". */
export function describeRule(rule: { department: string | null; teamName?: string | null; teamId: number | null; role: string | null; hiredOnOrAfter: string | null; hiredOnOrBefore: string | null }) {
  const parts: string[] = [];
  if (rule.department) parts.push(`department ${rule.department}`);
  if (rule.teamId) parts.push(`team ${rule.teamName ?? `#${rule.teamId}`}`);
  if (rule.role) parts.push(`role ${rule.role}`);
  if (rule.hiredOnOrAfter && rule.hiredOnOrBefore) parts.push(`hired ${rule.hiredOnOrAfter} to ${rule.hiredOnOrBefore}`);
  else if (rule.hiredOnOrAfter) parts.push(`hired on or after ${rule.hiredOnOrAfter}`);
  else if (rule.hiredOnOrBefore) parts.push(`hired on or before ${rule.hiredOnOrBefore}`);
  return parts.join(', ');
}

// ── requirements ──

export function addRequirement(db: Db, clock: Clock, actor: Actor, programId: number, input: RequirementInput): ProgramRequirement {
  return writeTransaction(db, (tx) => {
    getProgram(tx, programId);
    if (input.kind === 'training') requireTopic(tx, input.topicId!);
    const position = tx.get<{ next: number }>(sql`SELECT coalesce(max(position), -1) + 1 AS next FROM program_requirements WHERE program_id = ${programId}`)!.next;
    const requirement = tx
      .insert(programRequirements)
      .values({
        programId,
        position,
        title: input.title,
        kind: input.kind,
        topicId: input.kind === 'training' ? input.topicId! : null,
        eventKind: input.kind === 'events' ? input.eventKind! : null,
        count: input.kind === 'events' ? input.count : 1,
        dueOffsetDays: input.dueOffsetDays,
      })
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'requirement.create', 'program', programId, null, requirement);
    syncCompletions(tx, clock.now(), { programIds: [programId] });
    return requirement;
  });
}

/** Removes a requirement and its completion rows (the audit log keeps what it was). */
export function removeRequirement(db: Db, clock: Clock, actor: Actor, programId: number, requirementId: number) {
  writeTransaction(db, (tx) => {
    const requirement = tx
      .select()
      .from(programRequirements)
      .where(and(eq(programRequirements.id, requirementId), eq(programRequirements.programId, programId)))
      .get();
    if (!requirement) throw notFound('No such requirement in this program.');
    tx.delete(programRequirements).where(eq(programRequirements.id, requirementId)).run();
    recordAudit(tx, clock.now(), actor, 'requirement.delete', 'program', programId, requirement, null);
  });
}

// ── enrollment ──

type PersonForRules = { id: number; department: Department; teamId: number | null; role: Role; hireDate: string; timeZone: string; active: boolean };

function ruleMatches(rule: Pick<EnrollmentRule, 'department' | 'teamId' | 'role' | 'hiredOnOrAfter' | 'hiredOnOrBefore'>, person: PersonForRules): boolean {
  if (rule.department && rule.department !== person.department) return false;
  if (rule.teamId && rule.teamId !== person.teamId) return false;
  if (rule.role && rule.role !== person.role) return false;
  if (rule.hiredOnOrAfter && person.hireDate < rule.hiredOnOrAfter) return false;
  if (rule.hiredOnOrBefore && person.hireDate > rule.hiredOnOrBefore) return false;
  return true;
}

/**
 * Where a person's enrollment starts counting. Onboarding always counts from the hire date.
 * A review counts from the cycle running today (existing staff are measured this cycle), but a
 * new hire only from cycles that start after they joined.
 */
function enrollmentStartDate(program: Pick<Program, 'kind' | 'rrule' | 'anchorDate'>, person: { hireDate: string; timeZone: string }, now: Date): string {
  if (program.kind === 'onboarding') return person.hireDate;
  const today = localDateAt(now, person.timeZone);
  const current = cycleOn(program.rrule!, program.anchorDate!, today)?.start ?? (today < program.anchorDate! ? program.anchorDate! : today);
  return person.hireDate > current ? person.hireDate : current;
}

function loadPeopleForRules(db: Db, personIds: readonly number[]): PersonForRules[] {
  const rows: PersonForRules[] = [];
  for (const ids of chunked(personIds)) {
    rows.push(
      ...db
        .all<Omit<PersonForRules, 'active'> & { active: number }>(sql`
          SELECT id, department, team_id AS teamId, role, hire_date AS hireDate, time_zone AS timeZone, active
          FROM people WHERE id IN (${idList(ids)})`)
        .map((p) => ({ ...p, active: Boolean(p.active) })),
    );
  }
  return rows;
}

function enrollmentsOf(db: Db, personIds: readonly number[]): Enrollment[] {
  const rows: Enrollment[] = [];
  for (const ids of chunked(personIds)) {
    rows.push(...db.select().from(enrollments).where(sql`${enrollments.personId} IN (${idList(ids)})`).all());
  }
  return rows;
}

type EnrollOptions = { source: 'rule' | 'manual'; ruleId?: number | null; startDate?: string };

/**
 * Enrolls people (creating enrollments, or reopening ended ones) inside the caller's transaction.
 * Returns the ids of enrollments that became active.
 */
function enrollWithin(tx: Db, now: Date, actor: Actor, program: Program, people: PersonForRules[], options: EnrollOptions) {
  const existing = new Map(enrollmentsOf(tx, people.map((p) => p.id)).filter((e) => e.programId === program.id).map((e) => [e.personId, e]));
  const insert = tx.$client.prepare(
    'INSERT INTO enrollments (program_id, person_id, start_date, team_id, source, rule_id, enrolled_by_id, enrolled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const reopen = tx.$client.prepare('UPDATE enrollments SET ended_at = NULL, end_reason = NULL, team_id = ?, start_date = ? WHERE id = ?');
  const created: number[] = [];
  const reopened: number[] = [];
  let alreadyEnrolled = 0;
  for (const person of people) {
    const startDate = options.startDate && program.kind === 'review' ? options.startDate : enrollmentStartDate(program, person, now);
    const current = existing.get(person.id);
    if (!current) {
      created.push(Number(insert.run(program.id, person.id, startDate, person.teamId, options.source, options.ruleId ?? null, actor.personId, now.getTime()).lastInsertRowid));
    } else if (current.endedAt) {
      // A rule never overrides a person HR or a manager took out by hand.
      if (options.source === 'rule' && current.endReason === 'manual') continue;
      reopen.run(person.teamId, program.kind === 'onboarding' ? person.hireDate : current.startDate, current.id);
      reopened.push(current.id);
    } else alreadyEnrolled++;
  }
  if (reopened.length) reopenCompletions(tx, reopened);
  if (created.length || reopened.length) {
    recordAudit(tx, now, actor, 'enrollment.create', 'program', program.id, null, {
      source: options.source,
      ruleId: options.ruleId ?? null,
      personIds: people.filter((p) => !existing.get(p.id) || existing.get(p.id)!.endedAt).map((p) => p.id),
    });
  }
  const activated = [...created, ...reopened];
  if (activated.length) syncCompletions(tx, now, { enrollmentIds: activated });
  return { enrolled: created.length, reopened: reopened.length, alreadyEnrolled };
}

export type EnrollResult = { enrolled: number; reopened: number; alreadyEnrolled: number; skipped: number };

/**
 * Enrolls people in a program by hand (HR, a manager, or another feature such as the survey's
 * "enroll everyone below threshold"). Inactive people are skipped. Runs in its own transaction,
 * or joins the caller's when called with a transaction.
 */
export function enrollPeople(
  db: Db,
  programId: number,
  personIds: readonly number[],
  by: Actor,
  clock: Clock = systemClock,
  options: { startDate?: string } = {},
): EnrollResult {
  return writeTransaction(db, (tx) => {
    const program = getProgram(tx, programId);
    if (!program.active) throw conflict('program_inactive', `${program.name} is archived; reactivate it before enrolling people.`);
    const found = loadPeopleForRules(tx, [...new Set(personIds)]);
    const active = found.filter((p) => p.active);
    const result = enrollWithin(tx, clock.now(), by, program, active, { source: 'manual', startDate: options.startDate });
    return { ...result, skipped: new Set(personIds).size - active.length };
  });
}

/** Ends an enrollment: open requirements stop counting, completed ones stay as history. */
export function endEnrollment(db: Db, clock: Clock, actor: Actor, enrollmentId: number, reason = 'manual') {
  return writeTransaction(db, (tx) => {
    const enrollment = tx.select().from(enrollments).where(eq(enrollments.id, enrollmentId)).get();
    if (!enrollment) throw notFound('No such enrollment.');
    if (enrollment.endedAt) return enrollment;
    const now = clock.now();
    const after = tx.update(enrollments).set({ endedAt: now, endReason: reason }).where(eq(enrollments.id, enrollmentId)).returning().get();
    endOpenCompletions(tx, now, [enrollmentId]);
    recordAudit(tx, now, actor, 'enrollment.end', 'enrollment', enrollmentId, enrollment, after);
    return after;
  });
}

export function getEnrollment(db: Db, id: number): Enrollment {
  const enrollment = db.select().from(enrollments).where(eq(enrollments.id, id)).get();
  if (!enrollment) throw notFound('No such enrollment.');
  return enrollment;
}

// ── rules ──

export function addEnrollmentRule(db: Db, clock: Clock, actor: Actor, programId: number, input: RuleInput) {
  return writeTransaction(db, (tx) => {
    const program = getProgram(tx, programId);
    if (input.teamId && !tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId)).get()) {
      throw conflict('invalid_reference', 'The chosen team does not exist.');
    }
    const rule = tx
      .insert(enrollmentRules)
      .values({
        programId,
        department: input.department ?? null,
        teamId: input.teamId ?? null,
        role: input.role ?? null,
        hiredOnOrAfter: input.hiredOnOrAfter ?? null,
        hiredOnOrBefore: input.hiredOnOrBefore ?? null,
      })
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'enrollment_rule.create', 'program', programId, null, rule);
    const matching = program.active ? matchingActivePeople(tx, rule) : [];
    const result = matching.length ? enrollWithin(tx, clock.now(), actor, program, matching, { source: 'rule', ruleId: rule.id }) : { enrolled: 0, reopened: 0, alreadyEnrolled: 0 };
    return { rule, ...result };
  });
}

function matchingActivePeople(db: Db, rule: EnrollmentRule): PersonForRules[] {
  return db
    .all<Omit<PersonForRules, 'active'> & { active: number }>(sql`
      SELECT id, department, team_id AS teamId, role, hire_date AS hireDate, time_zone AS timeZone, active FROM people
      WHERE active = 1
        ${rule.department ? sql`AND department = ${rule.department}` : sql``}
        ${rule.teamId ? sql`AND team_id = ${rule.teamId}` : sql``}
        ${rule.role ? sql`AND role = ${rule.role}` : sql``}
        ${rule.hiredOnOrAfter ? sql`AND hire_date >= ${rule.hiredOnOrAfter}` : sql``}
        ${rule.hiredOnOrBefore ? sql`AND hire_date <= ${rule.hiredOnOrBefore}` : sql``}`)
    .map((p) => ({ ...p, active: true }));
}

/** Deleting a rule enrolls nobody new; people it enrolled stay enrolled until they leave. */
export function removeEnrollmentRule(db: Db, clock: Clock, actor: Actor, programId: number, ruleId: number) {
  writeTransaction(db, (tx) => {
    const rule = tx.select().from(enrollmentRules).where(and(eq(enrollmentRules.id, ruleId), eq(enrollmentRules.programId, programId))).get();
    if (!rule) throw notFound('No such rule in this program.');
    tx.delete(enrollmentRules).where(eq(enrollmentRules.id, ruleId)).run();
    recordAudit(tx, clock.now(), actor, 'enrollment_rule.delete', 'program', programId, rule, null);
  });
}

/** The fields of a person that rules, enrollments and due dates depend on. */
const ENROLLMENT_FIELDS = new Set(['department', 'teamId', 'role', 'hireDate', 'timeZone', 'active', 'managerId']);

/**
 * Reacts to people being created or changed (form, API, CSV import), inside that transaction:
 * rules enroll whom they match at once; deactivation or leaving the team one was enrolled with
 * ends open requirements; hire date or time zone changes move due dates.
 */
export function syncEnrollmentsForPeople(db: Db, clock: Clock, personIds: readonly number[], changed?: ReadonlySet<string>): void {
  if (personIds.length === 0) return;
  // A new name, title or address changes no enrollment and no due date.
  if (changed && ![...changed].some((field) => ENROLLMENT_FIELDS.has(field))) return;
  const now = clock.now();
  const rules = db
    .select({ rule: enrollmentRules, program: programs })
    .from(enrollmentRules)
    .innerJoin(programs, eq(programs.id, enrollmentRules.programId))
    .where(eq(programs.active, true))
    .orderBy(asc(enrollmentRules.id))
    .all();
  const people = loadPeopleForRules(db, personIds);
  const kindOfProgram = new Map(db.all<{ id: number; kind: string }>(sql`SELECT id, kind FROM programs`).map((p) => [p.id, p.kind]));
  const enrollmentsByPerson = new Map<number, Enrollment[]>();
  for (const e of enrollmentsOf(db, personIds)) enrollmentsByPerson.set(e.personId, [...(enrollmentsByPerson.get(e.personId) ?? []), e]);

  const toEnd = new Map<string, number[]>();
  const toEnroll = new Map<string, { program: Program; ruleId: number; people: PersonForRules[] }>();
  const keepTeam = db.$client.prepare('UPDATE enrollments SET team_id = ? WHERE id = ?');
  const moveStart = db.$client.prepare('UPDATE enrollments SET start_date = ? WHERE id = ?');
  const endOne = db.$client.prepare('UPDATE enrollments SET ended_at = ?, end_reason = ? WHERE id = ?');

  for (const person of people) {
    const matched = new Map<number, { program: Program; ruleId: number }>();
    if (person.active) {
      for (const { rule, program } of rules) if (!matched.has(program.id) && ruleMatches(rule, person)) matched.set(program.id, { program, ruleId: rule.id });
    }
    const mine = enrollmentsByPerson.get(person.id) ?? [];
    for (const enrollment of mine.filter((e) => !e.endedAt)) {
      let reason: string | null = null;
      if (!person.active) reason = 'deactivated';
      else if (enrollment.teamId !== null && enrollment.teamId !== person.teamId) {
        // Still covered by a rule of the program (say, the whole department): the enrollment moves along.
        if (enrollment.source === 'rule' && matched.has(enrollment.programId)) keepTeam.run(person.teamId, enrollment.id);
        else reason = 'left_team';
      } else if (enrollment.source === 'rule' && !matched.has(enrollment.programId)) reason = 'no_longer_matches';
      else if (enrollment.teamId === null && person.teamId !== null) keepTeam.run(person.teamId, enrollment.id);
      if (reason) {
        endOne.run(now.getTime(), reason, enrollment.id);
        toEnd.set(reason, [...(toEnd.get(reason) ?? []), enrollment.id]);
        continue;
      }
      if (enrollment.startDate !== person.hireDate && kindOfProgram.get(enrollment.programId) === 'onboarding') moveStart.run(person.hireDate, enrollment.id);
    }
    for (const [programId, { program, ruleId }] of matched) {
      const existing = mine.find((e) => e.programId === programId);
      if (existing && !existing.endedAt) continue;
      const key = `${programId}:${ruleId}`;
      const group = toEnroll.get(key) ?? { program, ruleId, people: [] };
      group.people.push(person);
      toEnroll.set(key, group);
    }
  }
  for (const [reason, ids] of toEnd) {
    endOpenCompletions(db, now, ids);
    recordAudit(db, now, systemActor, 'enrollment.end', 'enrollment', null, null, { reason, enrollmentIds: ids });
  }
  for (const { program, ruleId, people: group } of toEnroll.values()) enrollWithin(db, now, systemActor, program, group, { source: 'rule', ruleId });
  // Hire dates and zones may have changed: due instants follow.
  syncCompletions(db, now, { personIds });
}

// ── sign-offs ──

/** Whether the viewer may act as this person's manager for programs (HR, or someone they report to). */
export function canManagePerson(db: Db, viewer: Viewer, personId: number) {
  if (viewer.person.role === 'hr') return true;
  return viewer.person.role === 'manager' && viewer.person.id !== personId && canViewPerson(db, viewer, personId);
}

export function signOff(db: Db, clock: Clock, viewer: Viewer, personId: number, requirementId: number, note: string) {
  if (!canManagePerson(db, viewer, personId)) throw forbidden('Only HR or the person’s manager can sign off.');
  return writeTransaction(db, (tx) => {
    const requirement = tx.select().from(programRequirements).where(eq(programRequirements.id, requirementId)).get();
    if (!requirement) throw notFound('No such requirement.');
    if (requirement.kind !== 'sign_off') throw badRequest('This requirement is not met by a sign-off.');
    const enrollment = tx
      .select()
      .from(enrollments)
      .where(and(eq(enrollments.programId, requirement.programId), eq(enrollments.personId, personId)))
      .get();
    if (!enrollment || enrollment.endedAt) throw conflict('not_enrolled', 'This person is not enrolled in the program.');
    const now = clock.now();
    const row = tx.insert(signOffs).values({ requirementId, personId, byPersonId: viewer.person.id, at: now, note }).returning().get();
    recordAudit(tx, now, actorOf(viewer), 'requirement.sign_off', 'person', personId, null, row);
    syncCompletions(tx, now, { enrollmentIds: [enrollment.id] });
    return row;
  });
}

// ── listings for pages and the API ──

export type EnrollmentListRow = {
  id: number;
  programId: number;
  personId: number;
  name: string;
  email: string;
  teamName: string | null;
  source: 'rule' | 'manual';
  startDate: string;
  enrolledAt: Date;
  endedAt: Date | null;
  endReason: string | null;
};

/** Enrollments of a program (or of a person), newest first; `onlyPersonIds` limits them to what the viewer may see. */
type EnrollmentFilter = { programId?: number; personId?: number; onlyPersonIds?: readonly number[] | null; includeEnded?: boolean };

function enrollmentWhere(filter: EnrollmentFilter) {
  const where: ReturnType<typeof sql>[] = [sql`1 = 1`];
  if (filter.programId) where.push(sql`en.program_id = ${filter.programId}`);
  if (filter.personId) where.push(sql`en.person_id = ${filter.personId}`);
  if (!filter.includeEnded) where.push(sql`en.ended_at IS NULL`);
  if (filter.onlyPersonIds) where.push(filter.onlyPersonIds.length ? sql`en.person_id IN (${idList(filter.onlyPersonIds)})` : sql`0`);
  return sql.join(where, sql` AND `);
}

export function listEnrollments(db: Db, filter: EnrollmentFilter, limit = 1000, offset = 0): EnrollmentListRow[] {
  return db
    .all<Omit<EnrollmentListRow, 'enrolledAt' | 'endedAt'> & { enrolledAt: number; endedAt: number | null }>(sql`
      SELECT en.id, en.program_id AS programId, en.person_id AS personId, p.name, p.email, t.name AS teamName, en.source, en.start_date AS startDate,
        en.enrolled_at AS enrolledAt, en.ended_at AS endedAt, en.end_reason AS endReason
      FROM enrollments en JOIN people p ON p.id = en.person_id LEFT JOIN teams t ON t.id = p.team_id
      WHERE ${enrollmentWhere(filter)}
      ORDER BY en.ended_at IS NOT NULL, p.name, en.id
      LIMIT ${limit} OFFSET ${offset}`)
    .map((r) => ({ ...r, enrolledAt: new Date(r.enrolledAt), endedAt: r.endedAt === null ? null : new Date(r.endedAt) }));
}

/** One page of the enrollments matching a filter, in list order, and how many there are in all. */
export function pageOfEnrollments(db: Db, filter: EnrollmentFilter, page: number, pageSize: number): { rows: EnrollmentListRow[]; total: number } {
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM enrollments en WHERE ${enrollmentWhere(filter)}`)?.n ?? 0;
  return { rows: listEnrollments(db, filter, pageSize, (page - 1) * pageSize), total };
}

/** Active people a viewer may enroll (HR: everyone; managers: their reports), not yet enrolled in the program. */
export function enrollmentCandidates(db: Db, programId: number, onlyPersonIds: readonly number[] | null) {
  return db.all<{ id: number; name: string; teamName: string | null }>(sql`
    SELECT p.id, p.name, t.name AS teamName FROM people p LEFT JOIN teams t ON t.id = p.team_id
    WHERE p.active = 1
      AND NOT EXISTS (SELECT 1 FROM enrollments en WHERE en.program_id = ${programId} AND en.person_id = p.id AND en.ended_at IS NULL)
      ${onlyPersonIds ? (onlyPersonIds.length ? sql`AND p.id IN (${idList(onlyPersonIds)})` : sql`AND 0`) : sql``}
    ORDER BY p.name LIMIT 2000`);
}
