// Keeps requirement_completions in step with enrollments and evidence.
//
// Every (enrollment, requirement, cycle) has one row holding its window, due instants and the
// outcome of evaluateRequirement on the person's evidence. Reports then only aggregate rows in
// SQL; the state itself follows from the instants (see completionStateSql in reports.ts), so rows
// need rewriting only when evidence, enrollments or people change — not as time passes.
// completion_counts rolls the rows of people in teams up for the company-wide report; every write
// to requirement_completions happens here, and moves the counts along with it.
import { sql, type SQL } from 'drizzle-orm';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { everyInterval } from '../lib/jobs';
import { settleCompletionTotals, type CountedRows } from './completion-totals';
import { recordCompletionHistory } from './completion-history';
import { wholeRowAppliesSql } from '../events';
import { evaluateRequirement, type CountedEventKind, type PersonEvidence, type Requirement } from './completion';
import {
  cycleWindow,
  dueInstant,
  localDateAt,
  onboardingDueDate,
  onboardingWindow,
  reviewCycles,
  cycleDueDate,
  type Cycle,
  type EvidenceWindow,
} from './schedule';

const DAY_MS = 86_400_000;
/** Well below SQLite's limit on bound parameters. */
const CHUNK = 5000;

export function chunked<T>(items: readonly T[], size = CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Longer lists go as one JSON parameter: SQLite refuses a statement of more than 32,766 parameters (a department head's people). */
const LISTED_PARAMETERS = 500;

/** A list of ids for IN (…): as parameters, or as one JSON array when long. */
export const idList = (ids: readonly number[]) =>
  ids.length > LISTED_PARAMETERS
    ? sql`SELECT value FROM json_each(${JSON.stringify(ids)})`
    : sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      );

type RequirementRow = {
  id: number;
  programId: number;
  title: string;
  kind: 'training' | 'events' | 'sign_off' | 'survey';
  topicId: number | null;
  eventKind: CountedEventKind | null;
  count: number;
  dueOffsetDays: number;
};

/** The pure evaluator's view of a stored requirement; training topics match by topic id. */
function toRequirement(row: RequirementRow): Requirement {
  switch (row.kind) {
    case 'training':
      return { id: row.id, kind: 'training', topic: String(row.topicId) };
    case 'events':
      return { id: row.id, kind: 'events', eventKind: row.eventKind ?? 'sales_call', count: row.count };
    case 'sign_off':
      return { id: row.id, kind: 'sign_off' };
    case 'survey':
      return { id: row.id, kind: 'survey' };
  }
}

/*
 * The statements of a sync take their ids as one JSON array (json_each), so each is compiled once
 * per database whatever the number of ids; a write syncs a handful of people, HR's changes thousands.
 */
const ids = (list: readonly number[]) => ({ ids: JSON.stringify(list) });

const requirementsOfPrograms = preparedQuery((db) =>
  db.$client.prepare<{ ids: string }, RequirementRow>(`
    SELECT id, program_id AS programId, title, kind, topic_id AS topicId, event_kind AS eventKind, count, due_offset_days AS dueOffsetDays
    FROM program_requirements WHERE program_id IN (SELECT value FROM json_each(@ids)) ORDER BY program_id, position, id`),
);

function loadRequirements(db: Db, programIds: readonly number[]): Map<number, RequirementRow[]> {
  const byProgram = new Map<number, RequirementRow[]>();
  for (const chunk of chunked([...new Set(programIds)])) {
    const rows = requirementsOfPrograms(db).all(ids(chunk));
    for (const row of rows) {
      const list = byProgram.get(row.programId) ?? [];
      list.push(row);
      byProgram.set(row.programId, list);
    }
  }
  return byProgram;
}

/**
 * Everything that can meet a requirement, for many people at once (a few queries, not one per person); with
 * `attendanceOnly`, only attendance (training and event requirements read nothing else).
 */
function loadEvidence(db: Db, personIds: readonly number[], attendanceOnly = false): Map<number, PersonEvidence> {
  const evidence = new Map<number, PersonEvidence>();
  const of = (personId: number) => {
    let e = evidence.get(personId);
    if (!e) {
      e = { trainings: [], events: [], signOffs: [], surveyResponses: [] };
      evidence.set(personId, e);
    }
    return e;
  };
  for (const chunk of chunked([...new Set(personIds)])) {
    const attended = attendedOf(db).all(ids(chunk));
    for (const row of attended) {
      const at = new Date(row.at);
      if (row.kind === 'training') {
        if (row.topicId !== null) {
          of(row.personId).trainings!.push({ eventId: row.eventId, topic: String(row.topicId), at, attendance: 'attended', title: row.title });
        }
      } else {
        of(row.personId).events!.push({
          eventId: row.eventId,
          kind: row.kind,
          at,
          answer: (row.answer ?? 'invited') as 'accepted',
          attendance: 'attended',
          title: row.title,
        });
      }
    }
    if (attendanceOnly) continue;
    const signOffs = signOffsOf(db).all(ids(chunk));
    for (const row of signOffs) {
      of(row.personId).signOffs!.push({
        requirementId: row.requirementId,
        byPersonId: row.byPersonId,
        byName: row.byName,
        at: new Date(row.at),
        note: row.note || undefined,
      });
    }
    for (const row of surveyResponsesOf(db).all(ids(chunk))) {
      of(row.personId).surveyResponses!.push({ roundId: row.roundId, at: new Date(row.at) });
    }
  }
  return evidence;
}

const attendedOf = preparedQuery((db) =>
  db.$client.prepare<
    { ids: string },
    { personId: number; eventId: number; kind: string; title: string; topicId: number | null; at: number; answer: string | null }
  >(`
    SELECT a.person_id AS personId, a.event_id AS eventId, e.kind, e.title, ts.topic_id AS topicId,
      coalesce(x.start, a.occurrence_start) AS at,
      coalesce(io.status, iw.status) AS answer
    FROM attendance a
    JOIN events e ON e.id = a.event_id
    LEFT JOIN training_sessions ts ON ts.event_id = a.event_id
    LEFT JOIN event_exceptions x ON x.event_id = a.event_id AND x.original_start = a.occurrence_start AND x.kind = 'moved'
    LEFT JOIN invitations io ON io.event_id = a.event_id AND io.person_id = a.person_id AND io.occurrence_start = a.occurrence_start
    LEFT JOIN invitations iw ON iw.event_id = a.event_id AND iw.person_id = a.person_id AND iw.occurrence_start IS NULL
      AND ${wholeRowAppliesSql('iw', 'coalesce(x.start, a.occurrence_start)')}
    WHERE a.person_id IN (SELECT value FROM json_each(@ids)) AND a.status = 'attended'`),
);

const signOffsOf = preparedQuery((db) =>
  db.$client.prepare<{ ids: string }, { personId: number; requirementId: number; byPersonId: number; byName: string; at: number; note: string }>(`
    SELECT s.person_id AS personId, s.requirement_id AS requirementId, s.by_person_id AS byPersonId, p.name AS byName, s.at, s.note
    FROM sign_offs s JOIN people p ON p.id = s.by_person_id
    WHERE s.person_id IN (SELECT value FROM json_each(@ids))`),
);

/** Shared-mindset survey responses count from when they were first submitted. */
const surveyResponsesOf = preparedQuery((db) =>
  db.$client.prepare<{ ids: string }, { personId: number; roundId: number; at: number }>(`
    SELECT person_id AS personId, round_id AS roundId, submitted_at AS at
    FROM survey_responses WHERE person_id IN (SELECT value FROM json_each(@ids))`),
);

type EnrollmentForSync = {
  id: number;
  programId: number;
  personId: number;
  startDate: string;
  kind: 'onboarding' | 'review';
  rrule: string | null;
  anchorDate: string | null;
  dueSoonDays: number;
  timeZone: string;
  teamId: number | null;
  department: string;
};

type Target = { requirement: RequirementRow; cycleIndex: number; window: EvidenceWindow; dueDate: string; dueAt: Date };

/**
 * Cycles by rule, anchor, start date and day: a pure function of its key (no data of any database),
 * remembered across syncs because each attendance or answer syncs the same few programs again.
 */
const cycleMemo = new Map<string, Cycle[]>();
const CYCLE_MEMO_SIZE = 5000;

/** The cycles a review enrollment has reached by `today`: those starting on or after its start date. */
function reachedCycles(e: EnrollmentForSync, today: string): Cycle[] {
  if (!e.rrule || !e.anchorDate || today < e.startDate) return [];
  const key = `${e.rrule}|${e.anchorDate}|${e.startDate}|${today}`;
  let cycles = cycleMemo.get(key);
  if (!cycles) {
    cycles = reviewCycles(e.rrule, e.anchorDate, e.startDate, today).filter((c) => c.start >= e.startDate && c.start <= today);
    if (cycleMemo.size >= CYCLE_MEMO_SIZE) cycleMemo.clear();
    cycleMemo.set(key, cycles);
  }
  return cycles;
}

/** Whether the window holds one of the instants (none given: every window). */
const holdsAny = (window: EvidenceWindow, instants: readonly Date[] | undefined) =>
  !instants || instants.some((at) => at.getTime() >= window.from.getTime() && (!window.until || at.getTime() < window.until.getTime()));

/** The targets of an enrollment; with `evidenceAt`, only those whose evidence window holds one of those instants. */
function targetsOf(e: EnrollmentForSync, requirements: RequirementRow[], now: Date, evidenceAt?: readonly Date[]): Target[] {
  const targets: Target[] = [];
  if (e.kind === 'onboarding') {
    const window = onboardingWindow(e.startDate, e.timeZone);
    if (!holdsAny(window, evidenceAt)) return targets;
    for (const requirement of requirements) {
      const dueDate = onboardingDueDate(e.startDate, requirement.dueOffsetDays);
      targets.push({ requirement, cycleIndex: 0, window, dueDate, dueAt: dueInstant(dueDate, e.timeZone) });
    }
    return targets;
  }
  for (const cycle of reachedCycles(e, localDateAt(now, e.timeZone))) {
    const window = cycleWindow(cycle, e.timeZone);
    if (!holdsAny(window, evidenceAt)) continue;
    for (const requirement of requirements) {
      const dueDate = cycleDueDate(cycle, requirement.dueOffsetDays);
      targets.push({ requirement, cycleIndex: cycle.index, window, dueDate, dueAt: dueInstant(dueDate, e.timeZone) });
    }
  }
  return targets;
}

/**
 * Whose rows to bring up to date. `evidenceAt`: the write changed only evidence at these instants (an
 * attendance sheet), so only rows whose evidence window holds one of them can change; the others (a
 * review program's earlier cycles) are neither evaluated nor read. `attendedKind`: the write changed only
 * attendance at events of this kind, so only the requirements such attendance can meet are evaluated and read
 * (the rows of the others, kept current by the writes of their own evidence, cannot change).
 */
type SyncScope = {
  enrollmentIds?: readonly number[];
  personIds?: readonly number[];
  programIds?: readonly number[];
  evidenceAt?: readonly Date[];
  attendedKind?: string;
};

/** Whether attendance at an event of this kind can count for the requirement (see loadEvidence: a training counts by its topic). */
const attendanceCounts = (requirement: RequirementRow, kind: string) =>
  kind === 'training' ? requirement.kind === 'training' : requirement.kind === 'events' && requirement.eventKind === kind;

const enrollmentsBy = (column: 'id' | 'person_id' | 'program_id') =>
  preparedQuery((db) =>
    db.$client.prepare<{ ids: string }, EnrollmentForSync>(`
      SELECT en.id, en.program_id AS programId, en.person_id AS personId, en.start_date AS startDate,
        pr.kind, pr.rrule, pr.anchor_date AS anchorDate, pr.due_soon_days AS dueSoonDays, p.time_zone AS timeZone,
        p.team_id AS teamId, p.department
      FROM enrollments en
      JOIN programs pr ON pr.id = en.program_id
      JOIN people p ON p.id = en.person_id
      WHERE en.ended_at IS NULL AND en.${column} IN (SELECT value FROM json_each(@ids))`),
  );
const enrollmentsById = enrollmentsBy('id');
const enrollmentsOfPeople = enrollmentsBy('person_id');
const enrollmentsOfPrograms = enrollmentsBy('program_id');

function enrollmentsInScope(db: Db, scope: SyncScope): EnrollmentForSync[] {
  const rows = new Map<number, EnrollmentForSync>();
  const add = (list: EnrollmentForSync[]) => list.forEach((r) => rows.set(r.id, r));
  for (const chunk of chunked(scope.enrollmentIds ?? [])) add(enrollmentsById(db).all(ids(chunk)));
  for (const chunk of chunked(scope.personIds ?? [])) add(enrollmentsOfPeople(db).all(ids(chunk)));
  for (const chunk of chunked(scope.programIds ?? [])) add(enrollmentsOfPrograms(db).all(ids(chunk)));
  return [...rows.values()];
}

const upsertCompletion = preparedQuery((db) =>
  db.$client.prepare(`
    INSERT INTO requirement_completions
      (enrollment_id, program_id, requirement_id, person_id, team_id, department, active, cycle_index, window_from, window_until, due_date, due_at, due_soon_at, completed_at, late, have, need, evidence)
    VALUES (@enrollmentId, @programId, @requirementId, @personId, @teamId, @department, 1, @cycleIndex, @windowFrom, @windowUntil, @dueDate, @dueAt, @dueSoonAt, @completedAt, @late, @have, @need, @evidence)
    ON CONFLICT (enrollment_id, requirement_id, cycle_index) DO UPDATE SET
      team_id = excluded.team_id, department = excluded.department, active = 1, window_from = excluded.window_from, window_until = excluded.window_until, due_date = excluded.due_date,
      due_at = excluded.due_at, due_soon_at = excluded.due_soon_at, completed_at = excluded.completed_at,
      late = excluded.late, have = excluded.have, need = excluded.need, evidence = excluded.evidence
    WHERE requirement_completions.ended_at IS NULL AND (requirement_completions.active IS NOT 1
      OR requirement_completions.team_id IS NOT excluded.team_id OR requirement_completions.department IS NOT excluded.department
      OR requirement_completions.window_from IS NOT excluded.window_from OR requirement_completions.window_until IS NOT excluded.window_until
      OR requirement_completions.due_date IS NOT excluded.due_date OR requirement_completions.due_at IS NOT excluded.due_at
      OR requirement_completions.due_soon_at IS NOT excluded.due_soon_at OR requirement_completions.completed_at IS NOT excluded.completed_at
      OR requirement_completions.late IS NOT excluded.late OR requirement_completions.have IS NOT excluded.have OR requirement_completions.need IS NOT excluded.need
      OR requirement_completions.evidence IS NOT excluded.evidence)`),
);

/**
 * Brings the completion rows of the active enrollments in scope up to date: creates rows for
 * requirements and cycles that have begun, refreshes windows and due instants (hire dates and
 * time zones change), and re-evaluates the evidence. Rows of ended enrollments are left as history.
 * Call inside the write transaction that changed the evidence or the enrollment.
 */
export function syncCompletions(db: Db, now: Date, scope: SyncScope): { rows: number } {
  const enrollments = enrollmentsInScope(db, scope);
  if (enrollments.length === 0) return { rows: 0 };
  const requirements = loadRequirements(
    db,
    enrollments.map((e) => e.programId),
  );
  const { attendedKind } = scope;
  const requirementsOf = (programId: number) => {
    const all = requirements.get(programId) ?? [];
    return attendedKind === undefined ? all : all.filter((r) => attendanceCounts(r, attendedKind));
  };
  const targets = enrollments.map((e) => targetsOf(e, requirementsOf(e.programId), now, scope.evidenceAt));
  // A write's few enrollments: the stored rows of their targets are read once, only rows that change are
  // written, and completion_counts moves by the difference. Many enrollments: everything is recounted after.
  const stored =
    enrollments.length > RECOUNT_ALL_ABOVE
      ? null
      : storedCompletionsOf(
          db,
          enrollments.flatMap((e, i) => targets[i]!.map((t): [number, number, number] => [e.id, t.requirement.id, t.cycleIndex])),
        );
  const moves = new Map<string, CountedRows>();
  // Only the evidence of people with a row to evaluate (a sheet's marks fall in few people's windows).
  const evidence = loadEvidence(
    db,
    enrollments.filter((_, i) => targets[i]!.length > 0).map((e) => e.personId),
    attendedKind !== undefined,
  );
  const upsert = upsertCompletion(db);
  // A row that would be written as it already is stays untouched: most of a person's rows do not move
  // when one attendance or answer comes in, and an unchanged row costs no page in the commit.
  let count = 0;
  for (const [i, e] of enrollments.entries()) {
    const personEvidence = evidence.get(e.personId) ?? {};
    for (const target of targets[i]!) {
      const result = evaluateRequirement({
        requirement: toRequirement(target.requirement),
        evidence: personEvidence,
        window: target.window,
        dueAt: target.dueAt,
        now,
        dueSoonDays: e.dueSoonDays,
      });
      const row: CompletionRow = {
        enrollmentId: e.id,
        programId: e.programId,
        requirementId: target.requirement.id,
        personId: e.personId,
        teamId: e.teamId,
        department: e.department,
        cycleIndex: target.cycleIndex,
        windowFrom: target.window.from.getTime(),
        windowUntil: target.window.until?.getTime() ?? null,
        dueDate: target.dueDate,
        dueAt: target.dueAt.getTime(),
        dueSoonAt: target.dueAt.getTime() - e.dueSoonDays * DAY_MS,
        completedAt: result.completedAt?.getTime() ?? null,
        late: result.late ? 1 : 0,
        have: result.progress.have,
        need: result.progress.need,
        evidence: result.evidence.length ? JSON.stringify(result.evidence) : null,
      };
      count++;
      if (stored) {
        const old = stored.get(`${row.enrollmentId}:${row.requirementId}:${row.cycleIndex}`);
        // The upsert leaves these as they are (its WHERE): ended rows are history, unchanged ones cost nothing.
        if (old && (old.endedAt !== null || (old.active === 1 && sameCompletion(old, row)))) continue;
        if (old?.active === 1 && old.teamId !== null) moveCount(moves, groupOf(old, old.teamId), -1);
        if (row.teamId !== null) moveCount(moves, groupOf(row, row.teamId), 1);
      }
      upsert.run(row);
    }
  }
  if (stored) applyCountMoves(db, moves);
  else recountCompletions(db, 'all');
  return { rows: count };
}

/** One row of requirement_completions as the sync writes it. */
type CompletionRow = {
  enrollmentId: number;
  programId: number;
  requirementId: number;
  personId: number;
  teamId: number | null;
  department: string;
  cycleIndex: number;
  windowFrom: number;
  windowUntil: number | null;
  dueDate: string;
  dueAt: number;
  dueSoonAt: number;
  completedAt: number | null;
  late: number;
  have: number;
  need: number;
  evidence: string | null;
};
type StoredCompletion = Omit<CompletionRow, 'personId'> & { active: number; endedAt: number | null };

// Some rows by their key, a JSON array of [enrollment id, requirement id, cycle index].
const storedCompletions = preparedQuery((db) =>
  db.$client.prepare<{ cycles: string }, StoredCompletion>(`
    SELECT rc.enrollment_id AS enrollmentId, rc.program_id AS programId, rc.requirement_id AS requirementId, rc.team_id AS teamId, rc.department,
      rc.cycle_index AS cycleIndex, rc.window_from AS windowFrom, rc.window_until AS windowUntil, rc.due_date AS dueDate, rc.due_at AS dueAt,
      rc.due_soon_at AS dueSoonAt, rc.completed_at AS completedAt, rc.late, rc.have, rc.need, rc.evidence, rc.active, rc.ended_at AS endedAt
    FROM json_each(@cycles) AS c
    JOIN requirement_completions rc ON rc.enrollment_id = c.value ->> 0 AND rc.requirement_id = c.value ->> 1 AND rc.cycle_index = c.value ->> 2`),
);

function storedCompletionsOf(db: Db, keys: [number, number, number][]): Map<string, StoredCompletion> {
  const byKey = new Map<string, StoredCompletion>();
  if (keys.length === 0) return byKey;
  for (const row of storedCompletions(db).all({ cycles: JSON.stringify(keys) })) byKey.set(`${row.enrollmentId}:${row.requirementId}:${row.cycleIndex}`, row);
  return byKey;
}

/** Whether the upsert would find nothing to change in a current row (every column it compares is equal). */
function sameCompletion(old: StoredCompletion, row: CompletionRow): boolean {
  return (
    old.teamId === row.teamId &&
    old.department === row.department &&
    old.windowFrom === row.windowFrom &&
    old.windowUntil === row.windowUntil &&
    old.dueDate === row.dueDate &&
    old.dueAt === row.dueAt &&
    old.dueSoonAt === row.dueSoonAt &&
    old.completedAt === row.completedAt &&
    old.late === row.late &&
    old.have === row.have &&
    old.need === row.need &&
    old.evidence === row.evidence
  );
}

type CountKey = Omit<CountedRows, 'rows'>;
const countKey = (g: CountKey) =>
  `${g.teamId}:${g.requirementId}:${g.programId}:${g.windowFrom}:${g.windowUntil}:${g.dueAt}:${g.dueSoonAt}:${g.done}:${g.late}`;

/** The completion_counts group a row of a person in team `teamId` counts in. */
const groupOf = (row: Omit<CompletionRow, 'personId'>, teamId: number): CountKey => ({
  teamId,
  requirementId: row.requirementId,
  programId: row.programId,
  windowFrom: row.windowFrom,
  windowUntil: row.windowUntil,
  dueAt: row.dueAt,
  dueSoonAt: row.dueSoonAt,
  done: row.completedAt === null ? 0 : 1,
  late: row.late,
});

/** Moves `rows` rows into (or, negative, out of) group `g`. */
function moveCount(moves: Map<string, CountedRows>, g: CountKey, rows: number) {
  const key = countKey(g);
  const move = moves.get(key);
  if (move) move.rows += rows;
  else moves.set(key, { ...g, rows });
}

/** An enrollment ends: its rows leave current reports; what was open is frozen, what was done stays done. */
export function endOpenCompletions(db: Db, now: Date, enrollmentIds: readonly number[]): void {
  const before = countedRowsOf(db, enrollmentIds);
  for (const ids of chunked(enrollmentIds)) {
    db.run(sql`UPDATE requirement_completions SET ended_at = ${now.getTime()}
      WHERE enrollment_id IN (${idList(ids)}) AND ended_at IS NULL AND completed_at IS NULL`);
    db.run(sql`UPDATE requirement_completions SET active = 0 WHERE enrollment_id IN (${idList(ids)})`);
  }
  updateCounts(db, before, countedRowsOf(db, enrollmentIds));
}

export function reopenCompletions(db: Db, enrollmentIds: readonly number[]): void {
  const before = countedRowsOf(db, enrollmentIds);
  for (const ids of chunked(enrollmentIds)) {
    db.run(sql`UPDATE requirement_completions SET ended_at = NULL, active = 1 WHERE enrollment_id IN (${idList(ids)})`);
  }
  updateCounts(db, before, countedRowsOf(db, enrollmentIds));
}

// ── completion_counts ──

/**
 * Beyond this many enrollments, recounting everything (one pass over the report index) is cheaper
 * than counting their rows before and after.
 */
const RECOUNT_ALL_ABOVE = 500;

/** How the rows of these enrollments count in completion_counts now ('all' when they are many). */
function countedRowsOf(db: Db, enrollmentIds: readonly number[]): CountedRows[] | 'all' {
  if (enrollmentIds.length > RECOUNT_ALL_ABOVE) return 'all';
  if (enrollmentIds.length === 0) return [];
  return countedRows(db).all(ids(enrollmentIds));
}

const countedRows = preparedQuery((db) =>
  db.$client.prepare<{ ids: string }, CountedRows>(`
    SELECT team_id AS teamId, requirement_id AS requirementId, program_id AS programId, window_from AS windowFrom, window_until AS windowUntil,
      due_at AS dueAt, due_soon_at AS dueSoonAt, completed_at IS NOT NULL AS done, late, count(*) AS rows
    FROM requirement_completions
    WHERE enrollment_id IN (SELECT value FROM json_each(@ids)) AND active = 1 AND team_id IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`),
);

/** One group of completion_counts: its key columns as named parameters (`= +@value` keeps the plan, see eqPlanned). */
const GROUP = `team_id = +@teamId AND requirement_id = +@requirementId AND program_id = +@programId AND window_from = +@windowFrom
  AND window_until IS +@windowUntil AND due_at = +@dueAt AND due_soon_at = +@dueSoonAt AND done = +@done AND late = +@late`;
const countStatements = preparedQuery((db) => ({
  add: db.$client.prepare<CountedRows>(`UPDATE completion_counts SET rows = rows + @rows WHERE ${GROUP}`),
  dropEmpty: db.$client.prepare<CountedRows>(`DELETE FROM completion_counts WHERE ${GROUP} AND rows <= 0`),
  insert:
    db.$client.prepare<CountedRows>(`INSERT INTO completion_counts (team_id, requirement_id, program_id, window_from, window_until, due_at, due_soon_at, done, late, rows)
    VALUES (@teamId, @requirementId, @programId, @windowFrom, @windowUntil, @dueAt, @dueSoonAt, @done, @late, @rows)`),
}));

/**
 * Moves completion_counts from how some enrollments' rows counted before a write to how they count
 * after it: a keyed update per group that changed, none when the write changed nothing counted.
 */
function updateCounts(db: Db, before: CountedRows[] | 'all', after: CountedRows[] | 'all'): void {
  if (before === 'all' || after === 'all') {
    recountCompletions(db, 'all');
    return;
  }
  const moves = new Map<string, CountedRows>();
  for (const g of before) moveCount(moves, g, -g.rows);
  for (const g of after) moveCount(moves, g, g.rows);
  applyCountMoves(db, moves);
}

/** Applies the moves between groups: a keyed update per group that changed. */
function applyCountMoves(db: Db, changes: Map<string, CountedRows>): void {
  const stale: CountGroup[] = [];
  const counts = countStatements(db);
  for (const c of changes.values()) {
    if (c.rows === 0) continue;
    if (counts.add.run(c).changes > 0) {
      if (c.rows < 0) counts.dropEmpty.run(c);
    } else if (c.rows > 0) {
      counts.insert.run(c);
    } else {
      // Rows leaving a group that holds none cannot happen while every write comes through here;
      // should the counts go astray all the same, recounting the group puts it right.
      stale.push({ teamId: c.teamId, requirementId: c.requirementId });
    }
  }
  if (stale.length) recountCompletions(db, stale);
}

/** A team's rows of one requirement, the unit completion_counts can be recounted by. */
type CountGroup = { teamId: number; requirementId: number };

/** Counts the current rows of people in teams that `where` picks, into completion_counts. */
const insertCountsSql = (where: SQL) => sql`
  INSERT INTO completion_counts (team_id, requirement_id, program_id, window_from, window_until, due_at, due_soon_at, done, late, rows)
  SELECT team_id, requirement_id, program_id, window_from, window_until, due_at, due_soon_at, completed_at IS NOT NULL, late, count(*)
  FROM requirement_completions
  WHERE active = 1 AND team_id IS NOT NULL AND ${where}
  GROUP BY team_id, requirement_id, program_id, window_from, window_until, due_at, due_soon_at, completed_at IS NOT NULL, late`;

/**
 * Recounts completion_counts for these groups from their rows (about a team's size each, read
 * through the report index), or all of it. Call in the transaction that wrote the rows.
 */
export function recountCompletions(db: Db, groups: readonly CountGroup[] | 'all'): void {
  if (groups === 'all') {
    db.run(sql`DELETE FROM completion_counts`);
    db.run(insertCountsSql(sql`1`));
    return;
  }
  const seen = new Set<string>();
  for (const { teamId, requirementId } of groups) {
    const key = `${teamId}:${requirementId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    db.run(sql`DELETE FROM completion_counts WHERE team_id = ${teamId} AND requirement_id = ${requirementId}`);
    db.run(insertCountsSql(sql`team_id = ${teamId} AND requirement_id = ${requirementId}`));
  }
}

/**
 * Brings completion rows up to date with what changes without a write: review cycles beginning as
 * days pass (each program checked once a day), and survey responses written without the app (a
 * data import, an older version). The daily background job runs it (startCompletionCyclesJob), and
 * the scale seed once at its end; no request does — a page reads what the writes keep current.
 * When nothing is new it costs two tiny queries.
 */
export function ensureCurrentCycles(db: Db, now: Date): void {
  const today = now.toISOString().slice(0, 10);
  const stale = db.all<{ id: number }>(sql`
    SELECT id FROM programs WHERE kind = 'review' AND active = 1 AND (cycles_checked_on IS NULL OR cycles_checked_on <> ${today})`);
  const lastResponse = db.get<{ id: number | null }>(sql`SELECT max(id) AS id FROM survey_responses`)?.id ?? 0;
  const seenResponse = db.get<{ seenId: number }>(sql`SELECT seen_id AS seenId FROM completion_sources WHERE source = 'survey_responses'`)?.seenId ?? 0;
  if (stale.length === 0 && lastResponse <= seenResponse) return;
  writeTransaction(db, (tx) => {
    if (stale.length) {
      syncCompletions(tx, now, { programIds: stale.map((p) => p.id) });
      tx.run(sql`UPDATE programs SET cycles_checked_on = ${today} WHERE id IN (${idList(stale.map((p) => p.id))})`);
    }
    if (lastResponse > seenResponse) {
      const answered = tx.all<{ personId: number }>(
        sql`SELECT DISTINCT person_id AS personId FROM survey_responses WHERE id > ${seenResponse} AND id <= ${lastResponse}`,
      );
      syncCompletions(tx, now, { personIds: answered.map((r) => r.personId) });
      markSurveyResponsesSeen(tx, lastResponse);
    }
  });
}

function markSurveyResponsesSeen(db: Db, lastId: number) {
  db.run(sql`INSERT INTO completion_sources (source, seen_id) VALUES ('survey_responses', ${lastId})
    ON CONFLICT (source) DO UPDATE SET seen_id = max(seen_id, excluded.seen_id)`);
}

/**
 * A shared-mindset answer counts at once: the surveys feature calls this (through the wiring) in
 * the transaction that records the response, so My learning and the dashboards never catch up.
 */
export function completionsAfterSurveyAnswered(db: Db, clock: Clock, personIds: readonly number[]): void {
  syncCompletions(db, clock.now(), { personIds });
  const lastId = db.get<{ id: number | null }>(sql`SELECT max(id) AS id FROM survey_responses`)?.id ?? 0;
  const seen = db.get<{ seenId: number }>(sql`SELECT seen_id AS seenId FROM completion_sources WHERE source = 'survey_responses'`)?.seenId ?? 0;
  // Only when nothing older is waiting: a backlog written without the app is the daily job's to pick up.
  const waiting =
    db.get<{ n: number }>(sql`SELECT count(*) AS n FROM survey_responses WHERE id > ${seen} AND id <= ${lastId} AND person_id NOT IN (${idList(personIds)})`)
      ?.n ?? 0;
  if (!waiting) markSurveyResponsesSeen(db, lastId);
}

/**
 * The daily job: review cycles that began today, checked at start and every hour; and the kept
 * completion totals brought to the hour (settleCompletionTotals), so that a report corrects them by
 * an hour's changes at most; and the week that started kept for the chart (recordCompletionHistory, at
 * start the past weeks an upgraded database has not kept yet).
 */
export function startCompletionCyclesJob(db: Db, clock: Clock, intervalMs = 3_600_000): () => void {
  return everyInterval('Completion cycles job', intervalMs, () => {
    ensureCurrentCycles(db, clock.now());
    settleCompletionTotals(db, clock.now());
    recordCompletionHistory(db, clock.now());
  });
}
