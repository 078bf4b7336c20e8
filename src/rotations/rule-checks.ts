/**
 * The rules each rotation breaks, kept in rotation_rule_checks instead of checked on every view. Triggers mark
 * a rotation stale in the same statement as any write its rules read; before that write's transaction commits,
 * `recheckMarkedRotations` (registered with beforeEveryCommit) checks the marked ones again, so a page reads the
 * answers with one indexed query for the rows it shows. The rules read data only (dates, people, teams, programs,
 * blackouts), never the clock, so an answer stays true until one of those writes.
 */
import { beforeEveryCommit, preparedQuery, writeTransaction, type Db } from '../db';
import { createRuleChecker, type RuleCode } from './rules';
import { loadRuleContext } from './rule-context';
import { getRotationProgram, ruleProgramOf } from './programs';

type CheckedRotation = {
  id: number;
  personId: number;
  programId: number;
  hostTeamId: number;
  mentorId: number | null;
  startDate: string;
  endDate: string;
  status: string;
};

/**
 * The rules each of these rotations breaks, checked against the company as it stands: every rotation overlapping
 * each one's own dates (one window spanning them all), its guest, mentor, home and host teams. Cancelled rotations break none.
 */
function checkRotations(db: Db, rows: readonly CheckedRotation[]): Map<number, RuleCode[]> {
  const broken = new Map<number, RuleCode[]>();
  const live = rows.filter((r) => r.status !== 'cancelled');
  for (const r of rows) broken.set(r.id, []);
  if (!live.length) return broken;
  const from = live.reduce((min, r) => (r.startDate < min ? r.startDate : min), live[0].startDate);
  const to = live.reduce((max, r) => (r.endDate > max ? r.endDate : max), live[0].endDate);
  const people = [...new Set(live.flatMap((r) => (r.mentorId === null ? [r.personId] : [r.personId, r.mentorId])))];
  const context = loadRuleContext(db, from, to, 0.25, {
    personIds: people,
    onlyFor: { personIds: people, hostTeamIds: [...new Set(live.map((r) => r.hostTeamId))] },
  });
  const programs = new Map([...new Set(live.map((r) => r.programId))].map((id) => [id, getRotationProgram(db, id)]));
  // Coverage is a per-program share, so one checker per share in use.
  const checkers = new Map<number, ReturnType<typeof createRuleChecker>>();
  for (const r of live) {
    const program = programs.get(r.programId)!;
    let checker = checkers.get(program.coveragePercent);
    if (!checker) checkers.set(program.coveragePercent, (checker = createRuleChecker({ ...context, coverageShare: program.coveragePercent / 100 })));
    const violations = checker.check(
      { id: r.id, personId: r.personId, hostTeamId: r.hostTeamId, mentorId: r.mentorId, start: r.startDate, end: r.endDate },
      ruleProgramOf(program),
    );
    broken.set(r.id, [...new Set(violations.map((v) => v.code))]);
  }
  return broken;
}

// Run by every write: `= +?` keeps its plan (see eqPlanned).
const staleQuery = preparedQuery((db) =>
  db.$client.prepare<[number, number], CheckedRotation>(
    `SELECT r.id, r.person_id AS personId, r.program_id AS programId, r.host_team_id AS hostTeamId, r.mentor_id AS mentorId,
            r.start_date AS startDate, r.end_date AS endDate, r.status
       FROM rotation_rule_checks c JOIN rotations r ON r.id = c.rotation_id WHERE c.stale = +? ORDER BY r.start_date, r.id LIMIT ?`,
  ),
);
const storeQuery = preparedQuery((db) =>
  db.$client.prepare<[string, number], void>('UPDATE rotation_rule_checks SET broken = ?, stale = 0 WHERE rotation_id = ?'),
);

/** Checks again up to `limit` rotations marked with `stale` (1: by a write, 2: not checked yet), in date order; how many. */
function recheck(db: Db, stale: 1 | 2, limit: number): number {
  const rows = staleQuery(db).all(stale, limit);
  if (!rows.length) return 0;
  const store = storeQuery(db);
  for (const [id, codes] of checkRotations(db, rows)) store.run(JSON.stringify(codes), id);
  return rows.length;
}

// The probe every write makes: one index seek, where the batch read above also sets up the sort of its ORDER BY.
const anyStaleQuery = preparedQuery((db) => db.$client.prepare<[number], number>('SELECT 1 FROM rotation_rule_checks WHERE stale = +? LIMIT 1').pluck());

/** What every write transaction does last: the rotations its writes marked are checked again (usually none). */
function recheckMarkedRotations(db: Db): void {
  if (anyStaleQuery(db).get(1) === undefined) return;
  while (recheck(db, 1, 500) === 500);
}
beforeEveryCommit(recheckMarkedRotations);

/**
 * The background job's share: rotations not checked since the table was made (a migrated database), a batch per
 * transaction so writers never wait long. Returns how many were checked.
 */
export function checkUncheckedRotations(db: Db, batch = 500): number {
  let total = 0;
  for (let n = batch; n === batch; total += n) n = writeTransaction(db, (tx) => recheck(tx, 2, batch));
  return total;
}

// Only rotations that break a rule or have no kept answer come back: most keep every rule, and a row each (an object and
// its JSON) cost more than the lookups.
const keptQuery = preparedQuery((db) =>
  db.$client.prepare<[string], { id: number; broken: string | null; stale: number | null }>(
    `SELECT j.value AS id, c.broken, c.stale FROM json_each(?) j LEFT JOIN rotation_rule_checks c ON c.rotation_id = j.value
      WHERE c.rotation_id IS NULL OR c.stale <> 0 OR c.broken <> '[]'`,
  ),
);

/**
 * The rules these rotations break, read from the kept checks; a rotation whose answer is not there yet (a database
 * migrated before the job ran, or written outside writeTransaction) is checked now, only those. A rotation that keeps
 * every rule may be left out of the map.
 */
export function brokenRules(db: Db, rows: readonly CheckedRotation[]): Map<number, RuleCode[]> {
  const broken = new Map<number, RuleCode[]>();
  if (!rows.length) return broken;
  const unknown = new Set<number>();
  for (const k of keptQuery(db).all(JSON.stringify(rows.map((r) => r.id)))) {
    if (k.broken !== null && k.stale === 0) broken.set(k.id, JSON.parse(k.broken) as RuleCode[]);
    else unknown.add(k.id);
  }
  const missing = rows.filter((r) => unknown.has(r.id));
  if (missing.length) for (const [id, codes] of checkRotations(db, missing)) broken.set(id, codes);
  return broken;
}
