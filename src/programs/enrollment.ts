/**
 * Enrollment: who a program's rules take in, enrolling and ending, keeping enrollments current as
 * people change, and the enrollment lists of pages and the API.
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { enrollmentRules, enrollments, programs, teams, type Department, type Role } from '../../db/schema';
import { preparedSql, writeTransaction, type Db } from '../db';
import type { Viewer } from '../context';
import { fewVisiblePersonIds, wholeDepartmentsBelow } from '../people/people';
import { managerScope } from '../people/scope';
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

/**
 * People a new rule enrolls within its own request. A rule matching more (a department of a large company) leaves the
 * rest to the rules job (applyPendingRules), which enrolls them a part at a time: one transaction enrolling tens of
 * thousands held every other writer back for seconds, long enough for their writes to fail.
 */
export const RULE_PEOPLE_AT_ONCE = 200;

/**
 * Adds a rule and enrolls the active people it matches: up to `atOnce` now, the rest (`pending`, counted) by the
 * rules job within seconds; the rule says so meanwhile (pendingSince).
 */
export function addEnrollmentRule(db: Db, clock: Clock, actor: Actor, programId: number, input: RuleInput, atOnce = RULE_PEOPLE_AT_ONCE) {
  return writeTransaction(db, (tx) => {
    const program = getProgram(tx, programId);
    if (input.teamId && !tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId)).get()) {
      throw conflict('invalid_reference', 'The chosen team does not exist.');
    }
    const now = clock.now();
    let rule = tx
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
    recordAudit(tx, now, actor, 'enrollment_rule.create', 'program', programId, null, rule);
    const matching = program.active ? peopleToEnrollByRule(tx, rule, atOnce + 1) : [];
    const result = matching.length
      ? enrollWithin(tx, now, actor, program, matching.slice(0, atOnce), { source: 'rule', ruleId: rule.id })
      : { enrolled: 0, reopened: 0, alreadyEnrolled: 0 };
    let pending = 0;
    if (matching.length > atOnce) {
      pending = countPeopleToEnrollByRule(tx, rule);
      rule = tx.update(enrollmentRules).set({ pendingSince: now }).where(eq(enrollmentRules.id, rule.id)).returning().get()!;
    }
    return { rule, ...result, pending };
  });
}

/**
 * Active people a rule matches who are not in its program: never enrolled, or ended otherwise than by hand (a rule
 * never overrides a person HR or a manager took out), as the rules applied to a changed person see them.
 */
function toEnrollByRuleSql(rule: EnrollmentRule) {
  return sql`FROM people p
      WHERE p.active = 1
        ${rule.department ? sql`AND p.department = ${rule.department}` : sql``}
        ${rule.teamId ? sql`AND p.team_id = ${rule.teamId}` : sql``}
        ${rule.role ? sql`AND p.role = ${rule.role}` : sql``}
        ${rule.hiredOnOrAfter ? sql`AND p.hire_date >= ${rule.hiredOnOrAfter}` : sql``}
        ${rule.hiredOnOrBefore ? sql`AND p.hire_date <= ${rule.hiredOnOrBefore}` : sql``}
        AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.person_id = p.id AND e.program_id = ${rule.programId}
                          AND (e.ended_at IS NULL OR e.end_reason = 'manual'))`;
}

/** The first `limit` people (by id, after `afterId`) a rule would enroll now. */
function peopleToEnrollByRule(db: Db, rule: EnrollmentRule, limit: number, afterId = 0): PersonForRules[] {
  return db
    .all<Omit<PersonForRules, 'active'>>(
      sql`SELECT p.id, p.department, p.team_id AS teamId, p.role, p.hire_date AS hireDate, p.time_zone AS timeZone ${toEnrollByRuleSql(rule)}
          AND p.id > ${afterId} ORDER BY p.id LIMIT ${limit}`,
    )
    .map((p) => ({ ...p, active: true }));
}

function countPeopleToEnrollByRule(db: Db, rule: EnrollmentRule): number {
  return db.get<{ n: number }>(sql`SELECT count(*) AS n ${toEnrollByRuleSql(rule)}`)!.n;
}

/** People the rules job enrolls per transaction: each holds the write lock some 20 ms. */
const RULE_PEOPLE_PER_PART = 100;

/**
 * The rules job: enrolls the people pending rules still match, a part per transaction with other work served between
 * the parts, and clears each rule's pendingSince once none is left (or its program was archived meanwhile). Also
 * finishes what a restart cut short. Answers how many it enrolled.
 */
export async function applyPendingRules(db: Db, clock: Clock, perPart = RULE_PEOPLE_PER_PART): Promise<number> {
  let enrolled = 0;
  const pending = db.select({ id: enrollmentRules.id }).from(enrollmentRules).where(sql`${enrollmentRules.pendingSince} IS NOT NULL`).all();
  for (const { id } of pending) {
    // Each part goes on from the last person the one before read (people are read by id), not from the start.
    let afterId = 0;
    for (let part = 0; ; part++) {
      if (part > 0) await new Promise((resolve) => setImmediate(resolve));
      const finished = writeTransaction(db, (tx) => {
        const rule = tx.select().from(enrollmentRules).where(eq(enrollmentRules.id, id)).get();
        // Removed meanwhile, or finished by another run.
        if (!rule?.pendingSince) return true;
        const program = getProgram(tx, rule.programId);
        const people = program.active ? peopleToEnrollByRule(tx, rule, perPart, afterId) : [];
        afterId = people.at(-1)?.id ?? afterId;
        const result = people.length ? enrollWithin(tx, clock.now(), systemActor, program, people, { source: 'rule', ruleId: rule.id }) : null;
        const done = result ? result.enrolled + result.reopened : 0;
        enrolled += done;
        // The last part, or one that could enroll nobody: nothing is left to do.
        if (people.length < perPart || done === 0) {
          tx.update(enrollmentRules).set({ pendingSince: null }).where(eq(enrollmentRules.id, rule.id)).run();
          return true;
        }
        return false;
      });
      if (finished) break;
    }
  }
  return enrolled;
}

/** Runs the rules job every `intervalMs` (and at once, for what a restart left), one run at a time. */
export function startEnrollmentRulesJob(db: Db, clock: Clock, intervalMs = 2_000): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    applyPendingRules(db, clock)
      .catch((err) => console.error('Enrollment rules job failed:', err))
      .finally(() => {
        running = false;
      });
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
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

/**
 * Which enrollments a list holds: one program's or one person's, of the people now in one team, whose name starts
 * with `namePrefix` (any case), and of the people a viewer may see (`onlyPersonIds`; null: everyone).
 */
export type EnrollmentScope = {
  programId?: number;
  personId?: number;
  teamId?: number;
  namePrefix?: string;
  onlyPersonIds?: readonly number[] | null;
  /** The people below this manager and themselves, asked of the kept chain: a manager with too many to list (a department's head). */
  belowId?: number;
  /**
   * With belowId: the departments whose people are exactly those below the manager (wholeDepartmentsBelow), so a
   * person's row is asked instead of the chain.
   */
  departments?: readonly Department[];
};
export type EnrollmentStatus = 'running' | 'ended';

/** Up to this many people below, a manager's enrollments are found from their people listed; past it, through the chain. */
const LISTED_PEOPLE = 2_000;

/** The part of an enrollment scope that says whose enrollments a viewer may see: everyone's (HR), a manager's people, their own. */
export function viewerEnrollmentScope(db: Db, viewer: Viewer): Pick<EnrollmentScope, 'onlyPersonIds' | 'belowId' | 'departments'> {
  if (viewer.person.role === 'hr') return {};
  const few = fewVisiblePersonIds(db, viewer, LISTED_PEOPLE);
  if (few) return { onlyPersonIds: few };
  const departments = wholeDepartmentsBelow(db, viewer.person.id);
  return departments ? { belowId: viewer.person.id, departments } : { belowId: viewer.person.id };
}

/**
 * Up to this many matching enrollments a list reads and sorts them all; past it there are enough of them that walking
 * people in name order meets a page's worth soon, and the walk stops at the page's end.
 */
const SORTED_AT_MOST = 2000;

type ListValues = Record<string, string | number | null>;

function scopeValues(scope: EnrollmentScope): ListValues {
  return {
    program: scope.programId ?? null,
    person: scope.personId ?? null,
    team: scope.teamId ?? null,
    only: scope.onlyPersonIds ? JSON.stringify(scope.onlyPersonIds) : null,
    below: scope.belowId ?? null,
    departments: scope.departments ? JSON.stringify(scope.departments) : null,
    prefixFrom: scope.namePrefix ?? null,
    // NOCASE folds ASCII letters only, so the prefix's range ends before the prefix followed by the highest character.
    prefixTo: scope.namePrefix === undefined ? null : `${scope.namePrefix}\u{10FFFF}`,
  };
}

/** A statement's shape: which filters it has (never a value). */
function scopeShape(scope: EnrollmentScope, status: EnrollmentStatus): string {
  return [
    status,
    scope.programId ? 'program' : '',
    scope.personId ? 'person' : '',
    scope.teamId ? 'team' : '',
    scope.namePrefix !== undefined ? 'prefix' : '',
    scope.onlyPersonIds ? 'only' : '',
    scope.belowId !== undefined ? (scope.departments ? 'departments' : 'below') : '',
  ].join(':');
}

const has = (shape: string, part: string) => shape.split(':').includes(part);

function whereOf(shape: string) {
  const where = [shape.startsWith('running') ? sql`en.ended_at IS NULL` : sql`en.ended_at IS NOT NULL`];
  if (has(shape, 'program')) where.push(sql`en.program_id = +${sql.placeholder('program')}`);
  if (has(shape, 'person')) where.push(sql`p.id = +${sql.placeholder('person')}`);
  if (has(shape, 'team')) where.push(sql`p.team_id = +${sql.placeholder('team')}`);
  if (has(shape, 'only')) where.push(sql`p.id IN (SELECT value FROM json_each(${sql.placeholder('only')}))`);
  if (has(shape, 'below'))
    where.push(sql`EXISTS (SELECT 1 FROM reporting_chain WHERE ancestor_id = +${sql.placeholder('below')} AND descendant_id = en.person_id)`);
  if (has(shape, 'departments')) where.push(inDepartments(sql`p.department`));
  if (has(shape, 'prefix'))
    where.push(sql`p.name COLLATE NOCASE >= ${sql.placeholder('prefixFrom')} AND p.name COLLATE NOCASE < ${sql.placeholder('prefixTo')}`);
  if (has(shape, 'after'))
    where.push(
      sql`p.name COLLATE NOCASE >= ${sql.placeholder('afterName')} AND (p.name COLLATE NOCASE > ${sql.placeholder('afterName')} OR p.id > +${sql.placeholder('afterPerson')}
        OR (p.id = +${sql.placeholder('afterPerson')} AND en.id > +${sql.placeholder('afterEnrollment')}))`,
    );
  return sql.join(where, sql` AND `);
}

/** A manager's people as whole departments (EnrollmentScope.departments): the person's own column. */
const inDepartments = (column: SQL) => sql`${column} IN (SELECT value FROM json_each(${sql.placeholder('departments')}))`;

/** People named in the scope (one person, a team, a viewer's people) lead: their enrollments are few; otherwise the enrollments do. */
const peopleLead = (shape: string) => has(shape, 'person') || has(shape, 'team') || has(shape, 'only');

/** Where enrollments lead: ended ones of every program are read from their own index, not among the running ones. */
const enrollmentsLead = (shape: string) =>
  shape.startsWith('ended') && !has(shape, 'program') ? sql`enrollments en INDEXED BY enrollments_ended_idx` : sql`enrollments en`;

const LIST_COLUMNS = sql.raw(`en.id, en.program_id AS programId, en.person_id AS personId, p.name, p.email, t.name AS teamName, en.source,
  en.start_date AS startDate, en.enrolled_at AS enrolledAt, en.ended_at AS endedAt, en.end_reason AS endReason`);

type RawListRow = Omit<EnrollmentListRow, 'enrolledAt' | 'endedAt'> & { enrolledAt: number; endedAt: number | null };

// Shapes: `sorted|walk` and the scope's shape (scopeShape), plus `after` when a page starts after a person.
const listQuery = preparedSql<RawListRow>((shape) => {
  const walk = shape.startsWith('walk');
  const rest = shape.slice(shape.indexOf(':') + 1);
  // The walk reads people in name order (their NOCASE index, or a team's) and each one's enrollment through an index,
  // so it stops at the page's last row; sorting reads every match first, which the caller allows only when they are few.
  const from = walk
    ? sql`people p INDEXED BY ${sql.raw(has(rest, 'team') ? 'people_team_name_idx' : 'people_name_nocase_idx')} CROSS JOIN enrollments en ON en.person_id = p.id`
    : peopleLead(rest)
      ? sql`people p CROSS JOIN enrollments en ON en.person_id = p.id`
      : sql`${enrollmentsLead(rest)} CROSS JOIN people p ON p.id = en.person_id`;
  return sql`
    SELECT ${LIST_COLUMNS}
    FROM ${from} LEFT JOIN teams t ON t.id = p.team_id
    WHERE ${whereOf(rest)}
    ORDER BY p.name COLLATE NOCASE, p.id, en.id
    LIMIT ${sql.placeholder('limit')} OFFSET ${sql.placeholder('offset')}`;
});

const countQuery = preparedSql<{ n: number }>((shape) => {
  const from =
    peopleLead(shape) || has(shape, 'prefix')
      ? sql`people p CROSS JOIN enrollments en ON en.person_id = p.id`
      : has(shape, 'departments')
        ? sql`${enrollmentsLead(shape)} CROSS JOIN people p ON p.id = en.person_id`
        : enrollmentsLead(shape);
  return sql`SELECT count(*) AS n FROM ${from} WHERE ${whereOf(shape)}`;
});

// Running enrollments of everyone (or of a team) are kept counted per program (enrolled_program_people) and per
// program and team (enrolled_people) by triggers.
const keptCountQuery = preparedSql<{ n: number }>(
  (shape) => sql`
    SELECT coalesce(sum(people), 0) AS n FROM ${has(shape, 'team') ? sql`enrolled_people` : sql`enrolled_program_people`}
    WHERE ${has(shape, 'program') ? sql`program_key = +${sql.placeholder('program')}` : sql`program_key <> 0`}
      ${has(shape, 'team') ? sql`AND team_key = +${sql.placeholder('team')}` : sql``}`,
);

// The same for the teams of a manager's scope (a department head's hundreds of teams), summed.
const keptTeamsCountQuery = preparedSql<{ n: number }>(
  (shape) => sql`
    SELECT coalesce(sum(people), 0) AS n FROM enrolled_people
    WHERE ${has(shape, 'program') ? sql`program_key = +${sql.placeholder('program')}` : sql`program_key <> 0`}
      AND team_key IN (SELECT value FROM json_each(${sql.placeholder('teams')}))`,
);

/**
 * How many enrollments of a status the scope holds. Running ones of everyone come from the kept counts, and so do
 * those of a manager with many people below (their whole teams, and the few below them outside those teams counted
 * themselves); the rest are counted from the rows the scope names (a person's, a team's, a viewer's people, or a
 * program's ended ones, which their own index holds).
 */
export function countEnrollments(db: Db, scope: EnrollmentScope, status: EnrollmentStatus): number {
  const plain = status === 'running' && !scope.personId && scope.namePrefix === undefined;
  if (plain && scope.belowId !== undefined && scope.teamId === undefined) {
    const { teamIds, personIds } = managerScope(db, scope.belowId);
    const { belowId: _below, ...rest } = scope;
    const inTeams = keptTeamsCountQuery(db, scopeShape(rest, status)).get({ ...scopeValues(rest), teams: JSON.stringify(teamIds) })?.n ?? 0;
    const outside = personIds.length ? countEnrollments(db, { ...rest, onlyPersonIds: personIds }, status) : 0;
    return inTeams + outside;
  }
  const shape = scopeShape(scope, status);
  const kept = plain && !scope.onlyPersonIds && scope.belowId === undefined;
  return ((kept ? keptCountQuery : countQuery)(db, shape).get(scopeValues(scope))?.n ?? 0) as number;
}

/**
 * Enrollments of a status in name order (any case), then person and enrollment id: `limit` of them from `offset`,
 * or after a row (`after`, the last row of the page before). `count` is countEnrollments' answer, which
 * chooses between sorting the few and walking the many.
 */
export function listEnrollmentRows(
  db: Db,
  scope: EnrollmentScope,
  status: EnrollmentStatus,
  page: { limit: number; offset?: number; after?: { name: string; personId: number; id: number }; count: number },
): EnrollmentListRow[] {
  // A team's people are walked in name order whatever the count: a team of a thousand is never read whole for a page.
  const walk = !scope.personId && (scope.teamId !== undefined || page.count > SORTED_AT_MOST);
  const shape = `${walk ? 'walk' : 'sorted'}:${scopeShape(scope, status)}${page.after ? ':after' : ''}`;
  return listQuery(db, shape)
    .all({
      ...scopeValues(scope),
      afterName: page.after?.name ?? null,
      afterPerson: page.after?.personId ?? null,
      afterEnrollment: page.after?.id ?? null,
      limit: page.limit,
      offset: page.offset ?? 0,
    })
    .map((r) => ({ ...r, enrolledAt: new Date(r.enrolledAt), endedAt: r.endedAt === null ? null : new Date(r.endedAt) }));
}

/**
 * One page of a scope's enrollments for the API: running ones first, then (with `includeEnded`) ended ones, each in
 * name order, and how many there are in all. Each part is counted first (kept counts for running ones), so a page
 * reads its own rows, not every row before it in the other part.
 */
export function pageOfEnrollments(
  db: Db,
  scope: EnrollmentScope,
  includeEnded: boolean,
  page: number,
  pageSize: number,
): { rows: EnrollmentListRow[]; total: number } {
  const running = countEnrollments(db, scope, 'running');
  const ended = includeEnded ? countEnrollments(db, scope, 'ended') : 0;
  const offset = (page - 1) * pageSize;
  const rows: EnrollmentListRow[] = [];
  if (offset < running) rows.push(...listEnrollmentRows(db, scope, 'running', { limit: pageSize, offset, count: running }));
  const left = pageSize - rows.length;
  if (includeEnded && left > 0 && offset + rows.length < running + ended) {
    rows.push(...listEnrollmentRows(db, scope, 'ended', { limit: left, offset: Math.max(0, offset - running), count: ended }));
  }
  return { rows, total: running + ended };
}

/** One enrollment as lists show it. */
export function enrollmentListRow(db: Db, enrollment: Enrollment): EnrollmentListRow {
  const scope = { personId: enrollment.personId, programId: enrollment.programId };
  const status = enrollment.endedAt ? 'ended' : 'running';
  return listEnrollmentRows(db, scope, status, { limit: 1, count: 1 })[0]!;
}

/** How many people at most a page reads to find people to enroll: the first ones by name, or a team's, or a name's. */
const CANDIDATES_EXAMINED = 500;

const candidatesQuery = preparedSql<{ id: number; name: string; teamName: string | null }>((shape) => {
  // The people come in name order straight from an index (a team's, or everyone's), at most EXAMINED of them; a
  // manager's people are few and sorted.
  const index = has(shape, 'team') ? 'INDEXED BY people_team_name_idx' : has(shape, 'only') ? '' : 'INDEXED BY people_name_nocase_idx';
  // A department head's people are half the company: walked in name order, each asked of the chain.
  return sql`
    SELECT p.id, p.name, t.name AS teamName FROM (
      SELECT id, name, team_id FROM people ${sql.raw(index)}
      WHERE active = 1
        ${has(shape, 'team') ? sql`AND team_id = +${sql.placeholder('team')}` : sql``}
        ${has(shape, 'only') ? sql`AND id IN (SELECT value FROM json_each(${sql.placeholder('only')}))` : sql``}
        ${has(shape, 'below') ? sql`AND EXISTS (SELECT 1 FROM reporting_chain WHERE ancestor_id = +${sql.placeholder('below')} AND descendant_id = people.id)` : sql``}
        ${has(shape, 'departments') ? sql`AND ${inDepartments(sql`department`)}` : sql``}
        ${has(shape, 'prefix') ? sql`AND name COLLATE NOCASE >= ${sql.placeholder('prefixFrom')} AND name COLLATE NOCASE < ${sql.placeholder('prefixTo')}` : sql``}
      ORDER BY name COLLATE NOCASE, id LIMIT ${sql.raw(String(CANDIDATES_EXAMINED))}) p
    LEFT JOIN teams t ON t.id = p.team_id
    WHERE NOT EXISTS (SELECT 1 FROM enrollments en WHERE en.program_id = +${sql.placeholder('program')} AND en.person_id = p.id AND en.ended_at IS NULL)
    ORDER BY p.name COLLATE NOCASE, p.id LIMIT ${sql.placeholder('limit')}`;
});

/**
 * Active people a viewer may enroll (HR: everyone; managers: their reports) who are not enrolled in the program, of a
 * team or a name's start when given, in name order: `limit` of them, and whether there are more (or more to look at:
 * without a team or a name, only the first CANDIDATES_EXAMINED people by name are looked at).
 */
export function enrollmentCandidates(
  db: Db,
  programId: number,
  scope: Pick<EnrollmentScope, 'teamId' | 'namePrefix' | 'onlyPersonIds' | 'belowId' | 'departments'>,
  limit: number,
): { people: { id: number; name: string; teamName: string | null }[]; more: boolean } {
  const people = candidatesQuery(db, scopeShape(scope, 'running')).all({ ...scopeValues(scope), program: programId, limit: limit + 1 });
  return { people: people.slice(0, limit), more: people.length > limit };
}

export function activeMembersOf(db: Db, teamId: number): number[] {
  return db.all<{ id: number }>(sql`SELECT id FROM people WHERE team_id = ${teamId} AND active = 1`).map((r) => r.id);
}
