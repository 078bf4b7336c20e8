/**
 * Programs, their topics and requirements.
 */
import { and, asc, eq, sql, getTableColumns } from 'drizzle-orm';
import { enrollmentRules, programRequirements, programs, teams, trainingTopics } from '../../db/schema';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { conflict, notFound } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { syncCompletions } from './tracking';
import type { ProgramInput, ProgramPatch, RequirementInput, RuleInput, TopicInput } from './program-inputs';
import { addEnrollmentRule } from './enrollment';
import { getProgram, type Program, type ProgramRequirement } from './program-rows';

export type { Enrollment, EnrollmentRule, Program, ProgramRequirement } from './program-rows';
export { getProgram } from './program-rows';

// ── topics ──

const topicsQuery = preparedQuery((db) => db.select().from(trainingTopics).orderBy(asc(trainingTopics.name)).prepare());

export function listTopics(db: Db) {
  return topicsQuery(db).all();
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

export type ProgramListRow = Pick<Program, 'id' | 'name' | 'kind' | 'description' | 'rrule' | 'anchorDate' | 'dueSoonDays' | 'active'> & {
  requirementCount: number;
  enrolledCount: number;
};

/**
 * Every program with its number of requirements and of people enrolled now. The enrolled come from
 * enrolled_program_people (kept by triggers: a program's running enrollments, one per person), a row
 * per program, not a count of every enrollment.
 */
const programListQuery = preparedQuery((db) =>
  db.$client.prepare<[], Omit<ProgramListRow, 'active'> & { active: number }>(`
    SELECT pr.id, pr.name, pr.kind, pr.description, pr.rrule, pr.anchor_date AS anchorDate, pr.due_soon_days AS dueSoonDays, pr.active,
      (SELECT count(*) FROM program_requirements r WHERE r.program_id = pr.id) AS requirementCount,
      coalesce((SELECT n.people FROM enrolled_program_people n WHERE n.program_key = pr.id), 0) AS enrolledCount
    FROM programs pr ORDER BY pr.active DESC, lower(pr.name)`),
);

export function listPrograms(db: Db): ProgramListRow[] {
  return programListQuery(db)
    .all()
    .map((p) => ({ ...p, active: Boolean(p.active) }));
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
    const after = tx
      .update(programs)
      .set({ ...patch, updatedAt: clock.now() })
      .where(eq(programs.id, id))
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'program.update', 'program', id, before, after);
    if (patch.dueSoonDays !== undefined && patch.dueSoonDays !== before.dueSoonDays) syncCompletions(tx, clock.now(), { programIds: [id] });
    return after;
  });
}

const programDetailQueries = preparedQuery((db) => ({
  requirements: db
    .select({ ...getTableColumns(programRequirements), topicName: trainingTopics.name })
    .from(programRequirements)
    .leftJoin(trainingTopics, eq(trainingTopics.id, programRequirements.topicId))
    .where(eq(programRequirements.programId, sql.placeholder('id')))
    .orderBy(asc(programRequirements.position), asc(programRequirements.id))
    .prepare(),
  rules: db
    .select({ ...getTableColumns(enrollmentRules), teamName: teams.name })
    .from(enrollmentRules)
    .leftJoin(teams, eq(teams.id, enrollmentRules.teamId))
    .where(eq(enrollmentRules.programId, sql.placeholder('id')))
    .orderBy(asc(enrollmentRules.id))
    .prepare(),
}));

export function programDetails(db: Db, id: number) {
  const program = getProgram(db, id);
  const queries = programDetailQueries(db);
  return { program, requirements: queries.requirements.all({ id }), rules: queries.rules.all({ id }) };
}
export type ProgramDetails = ReturnType<typeof programDetails>;

/** A rule in words, e.g. "department sales, hired on or after 2026-01-01". */
export function describeRule(rule: {
  department: string | null;
  teamName?: string | null;
  teamId: number | null;
  role: string | null;
  hiredOnOrAfter: string | null;
  hiredOnOrBefore: string | null;
}) {
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
    const position = tx.get<{ next: number }>(
      sql`SELECT coalesce(max(position), -1) + 1 AS next FROM program_requirements WHERE program_id = ${programId}`,
    )!.next;
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
