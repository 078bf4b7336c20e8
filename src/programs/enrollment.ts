/**
 * Enrollment: who a program's rules take in, enrolling and ending, keeping enrollments current as
 * people change, and the enrollment lists of pages and the API.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { enrollmentRules, enrollments, programs, teams, type Department, type Role } from '../../db/schema';
import { writeTransaction, type Db } from '../db';
import { systemClock, type Clock } from '../lib/clock';
import { conflict, notFound } from '../lib/errors';
import { recordAudit, systemActor, type Actor } from '../audit/audit';
import { cycleOn, localDateAt } from './schedule';
import { chunked, endOpenCompletions, idList, reopenCompletions, syncCompletions } from './tracking';
import type { RuleInput } from './program-inputs';
import { type Enrollment, type EnrollmentRule, type Program, getProgram } from './program-rows';

// ── enrollment ──

type PersonForRules = { id: number; department: Department; teamId: number | null; role: Role; hireDate: string; timeZone: string; active: boolean };

export function ruleMatches(
  rule: Pick<EnrollmentRule, 'department' | 'teamId' | 'role' | 'hiredOnOrAfter' | 'hiredOnOrBefore'>,
  person: PersonForRules,
): boolean {
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
export function enrollmentStartDate(
  program: Pick<Program, 'kind' | 'rrule' | 'anchorDate'>,
  person: { hireDate: string; timeZone: string },
  now: Date,
): string {
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
    rows.push(
      ...db
        .select()
        .from(enrollments)
        .where(sql`${enrollments.personId} IN (${idList(ids)})`)
        .all(),
    );
  }
  return rows;
}

type EnrollOptions = { source: 'rule' | 'manual'; ruleId?: number | null; startDate?: string };

/**
 * Enrolls people (creating enrollments, or reopening ended ones) inside the caller's transaction.
 * Returns the ids of enrollments that became active.
 */
function enrollWithin(tx: Db, now: Date, actor: Actor, program: Program, people: PersonForRules[], options: EnrollOptions) {
  const existing = new Map(
    enrollmentsOf(
      tx,
      people.map((p) => p.id),
    )
      .filter((e) => e.programId === program.id)
      .map((e) => [e.personId, e]),
  );
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
      created.push(
        Number(
          insert.run(program.id, person.id, startDate, person.teamId, options.source, options.ruleId ?? null, actor.personId, now.getTime()).lastInsertRowid,
        ),
      );
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
    const result = matching.length
      ? enrollWithin(tx, clock.now(), actor, program, matching, { source: 'rule', ruleId: rule.id })
      : { enrolled: 0, reopened: 0, alreadyEnrolled: 0 };
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
    const rule = tx
      .select()
      .from(enrollmentRules)
      .where(and(eq(enrollmentRules.id, ruleId), eq(enrollmentRules.programId, programId)))
      .get();
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

export function activeMembersOf(db: Db, teamId: number): number[] {
  return db.all<{ id: number }>(sql`SELECT id FROM people WHERE team_id = ${teamId} AND active = 1`).map((r) => r.id);
}
