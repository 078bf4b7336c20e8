// The company-wide completion figures from completion_totals: kept by triggers at one instant (the settled
// instant), brought to the report's `now` by the few groups of completion_counts whose state changed in between.
//
// A group's state at an instant follows from its own instants (window, due, due soon), so between the settled
// instant and `now` only groups with one of those instants in between count differently: the report adds their
// difference. The background job moves the settled instant along (settleCompletionTotals), so that difference
// stays a few groups whatever the company's size.
import { dataVersion, preparedQueries, preparedQuery, readTransaction, writeTransaction, type Db } from '../db';
import type { RawCounts } from './report-queries';

/** One group of completion_counts and how many rows it holds. */
export type CountedRows = {
  teamId: number;
  requirementId: number;
  programId: number;
  windowFrom: number;
  windowUntil: number | null;
  dueAt: number;
  dueSoonAt: number;
  done: number;
  late: number;
  rows: number;
};

/** A group of completion_counts, and whether its program is active. */
type Group = CountedRows & { active: number };

/** Counts as the report sums them (RawCounts, every figure a number). */
export type Totals = { total: number; done: number; late: number; overdue: number; due_soon_or_overdue: number };

const zero = (): Totals => ({ total: 0, done: 0, late: 0, overdue: 0, due_soon_or_overdue: 0 });

/** What a group adds to the report at instant `at` (the rule of ROLLUP_COUNTS and of the triggers). */
function countedAt(g: Group, at: number): Totals {
  if (!(g.windowFrom <= at && (g.windowUntil === null || g.windowUntil > at))) return zero();
  const open = g.done ? 0 : g.rows;
  return {
    total: g.rows,
    done: g.done ? g.rows : 0,
    late: g.late ? g.rows : 0,
    overdue: g.dueAt <= at ? open : 0,
    due_soon_or_overdue: g.dueSoonAt <= at ? open : 0,
  };
}

function add(into: Totals, t: Totals, sign = 1): Totals {
  into.total += sign * t.total;
  into.done += sign * t.done;
  into.late += sign * t.late;
  into.overdue += sign * t.overdue;
  into.due_soon_or_overdue += sign * t.due_soon_or_overdue;
  return into;
}

const statements = preparedQuery((db) => ({
  settledAt: db.$client.prepare<[], { at: number }>('SELECT at FROM completion_totals_at WHERE id = 1'),
  setSettled: db.$client.prepare<[number]>('UPDATE completion_totals_at SET at = ? WHERE id = 1'),
  // The groups with an instant in (lo, hi]: four index ranges.
  changed: db.$client.prepare<{ lo: number; hi: number }, Group>(`
    SELECT c.team_id AS teamId, c.requirement_id AS requirementId, c.program_id AS programId, c.window_from AS windowFrom,
      c.window_until AS windowUntil, c.due_at AS dueAt, c.due_soon_at AS dueSoonAt, c.done, c.late, c.rows,
      coalesce((SELECT active FROM programs WHERE id = c.program_id), 0) AS active
    FROM completion_counts c WHERE c.rowid IN (
      SELECT rowid FROM completion_counts WHERE window_from > @lo AND window_from <= @hi
      UNION SELECT rowid FROM completion_counts WHERE window_until > @lo AND window_until <= @hi
      UNION SELECT rowid FROM completion_counts WHERE due_at > @lo AND due_at <= @hi
      UNION SELECT rowid FROM completion_counts WHERE due_soon_at > @lo AND due_soon_at <= @hi)`),
  requirements: db.$client.prepare<{ program: number }, Totals & { requirementId: number }>(`
    SELECT requirement_key AS requirementId, rows AS total, done, late, overdue, due_soon_or_overdue FROM completion_totals
    WHERE team_key = 0 AND requirement_key > 0 AND (program_key = +@program OR (+@program = 0 AND program_key IN (SELECT id FROM programs WHERE active = 1)))`),
  teams: db.$client.prepare<{ program: number }, Totals & { teamId: number }>(`
    SELECT team_key AS teamId, rows AS total, done, late, overdue, due_soon_or_overdue FROM completion_totals
    WHERE requirement_key = 0 AND team_key > 0 AND program_key = +@program`),
  listedTeams: db.$client.prepare<{ program: number; teams: string }, Totals & { teamId: number }>(`
    SELECT team_key AS teamId, rows AS total, done, late, overdue, due_soon_or_overdue FROM completion_totals
    WHERE team_key IN (SELECT value FROM json_each(@teams)) AND program_key = +@program AND requirement_key = 0`),
  // The ranking is the partial index completion_totals_rank: these conditions and this order are its own.
  inScope: db.$client
    .prepare<{ manager: number; teams: string }, number>(
      'SELECT team_id FROM manager_scope_teams WHERE manager_id = @manager AND team_id IN (SELECT value FROM json_each(@teams))',
    )
    .pluck(),
  departmentOf: db.$client.prepare<{ teams: string }, { id: number; department: string }>(
    'SELECT id, department FROM teams WHERE id IN (SELECT value FROM json_each(@teams))',
  ),
  // A group's change, to the managers whose chain its team is in (as the triggers of completion_chain_totals add it).
  chainUpsert: db.$client.prepare<Totals & { team: number; program: number; requirement: number }>(`
    INSERT INTO completion_chain_totals (manager_id, requirement_id, program_id, rows, done, late, overdue, due_soon_or_overdue)
    SELECT c.ancestor_id, @requirement, @program, @total, @done, @late, @overdue, @due_soon_or_overdue
    FROM teams t JOIN reporting_chain c ON c.descendant_id = t.manager_id WHERE t.id = @team
    ON CONFLICT (manager_id, requirement_id) DO UPDATE SET rows = rows + excluded.rows, done = done + excluded.done,
      late = late + excluded.late, overdue = overdue + excluded.overdue, due_soon_or_overdue = due_soon_or_overdue + excluded.due_soon_or_overdue`),
  chainRequirements: db.$client.prepare<{ manager: number; program: number }, Totals & { requirementId: number }>(`
    SELECT requirement_id AS requirementId, rows AS total, done, late, overdue, due_soon_or_overdue FROM completion_chain_totals
    WHERE manager_id = @manager AND (program_id = +@program OR (+@program = 0 AND program_id IN (SELECT id FROM programs WHERE active = 1)))`),
  upsert: db.$client.prepare<Totals & { team: number; program: number; requirement: number }>(`
    INSERT INTO completion_totals (team_key, program_key, requirement_key, rows, done, late, overdue, due_soon_or_overdue)
    VALUES (@team, @program, @requirement, @total, @done, @late, @overdue, @due_soon_or_overdue)
    ON CONFLICT (team_key, program_key, requirement_key) DO UPDATE SET rows = rows + excluded.rows, done = done + excluded.done,
      late = late + excluded.late, overdue = overdue + excluded.overdue, due_soon_or_overdue = due_soon_or_overdue + excluded.due_soon_or_overdue`),
}));

/**
 * The ranking and the pages of teams kept per team (completion_totals' rows of a team and program), of every team or
 * of a manager's scope (:manager). Every team's are walked in an index's order to the page's end; a scope's teams
 * (manager_scope_teams) are read and sorted, as many as the manager has teams.
 */
const teamStatements = preparedQueries((db: Db, scope: 'everyone' | 'manager') => {
  const ofScope = scope === 'manager';
  // completion_totals ct of every team, or of the manager's scope; and the teams t with them for the pages.
  const totals = ofScope ? 'manager_scope_teams s CROSS JOIN completion_totals ct ON ct.team_key = s.team_id' : 'completion_totals ct';
  const inScope = ofScope ? 's.manager_id = @manager AND' : '';
  const teams = ofScope ? 'manager_scope_teams s CROSS JOIN teams t ON t.id = s.team_id' : 'teams t INDEXED BY teams_department_name_idx';
  const ranked = `${inScope} ct.program_key = @program AND ct.requirement_key = 0 AND ct.team_key > 0 AND ct.rows > 0`;
  const columns = 'ct.team_key AS teamId, ct.rows AS total, ct.done, ct.late, ct.overdue, ct.due_soon_or_overdue';
  return {
    // Everyone's ranking is the partial index completion_totals_rank: these conditions and this order are its own.
    weakest: db.$client.prepare<{ program: number; limit: number; manager?: number }, Totals & { teamId: number }>(
      `SELECT ${columns} FROM ${totals} WHERE ${ranked} ORDER BY ct.done * 100 / ct.rows, ct.overdue DESC LIMIT +@limit`,
    ),
    tied: db.$client.prepare<{ program: number; percent: number; overdue: number; manager?: number }, Totals & { teamId: number }>(
      `SELECT ${columns} FROM ${totals} WHERE ${ranked} AND ct.done * 100 / ct.rows = +@percent AND ct.overdue = +@overdue`,
    ),
    counted: db.$client.prepare<{ program: number; manager?: number }, { n: number }>(`SELECT count(*) AS n FROM ${totals} WHERE ${ranked}`),
    // Teams in the report's order (department, name) with rows at the settled instant, those the change since zeroed
    // left out and those it raised let in: a page of everyone's walks teams_department_name_idx and stops at its end.
    page: db.$client.prepare<
      { program: number; zeroed: string; raised: string; limit: number; offset: number; manager?: number },
      Totals & { teamId: number }
    >(`
      SELECT t.id AS teamId, coalesce(ct.rows, 0) AS total, coalesce(ct.done, 0) AS done, coalesce(ct.late, 0) AS late,
        coalesce(ct.overdue, 0) AS overdue, coalesce(ct.due_soon_or_overdue, 0) AS due_soon_or_overdue
      FROM ${teams}
      LEFT JOIN completion_totals ct ON ct.team_key = t.id AND ct.program_key = +@program AND ct.requirement_key = 0
      WHERE ${inScope} ((ct.rows > 0 AND t.id NOT IN (SELECT value FROM json_each(@zeroed))) OR t.id IN (SELECT value FROM json_each(@raised)))
      ORDER BY t.department, t.name LIMIT +@limit OFFSET +@offset`),
    // Per department of the team (teams with rows only), summed in SQL: the departments are few, the teams many.
    departments: db.$client.prepare<{ program: number; manager?: number }, Totals & { department: string }>(`
      SELECT t.department, sum(ct.rows) AS total, sum(ct.done) AS done, sum(ct.late) AS late, sum(ct.overdue) AS overdue,
        sum(ct.due_soon_or_overdue) AS due_soon_or_overdue
      FROM ${totals} JOIN teams t ON t.id = ct.team_key
      WHERE ${inScope} ct.program_key = +@program AND ct.requirement_key = 0 AND ct.team_key > 0
      GROUP BY t.department`),
  };
});

/** The team statements of a manager's scope (managerId), or of every team (0), with the values they take. */
function teamsOf(db: Db, managerId: number) {
  return { q: teamStatements(db, managerId ? 'manager' : 'everyone'), scope: managerId ? { manager: managerId } : {} };
}

/** The keys of completion_totals a group counts in: its requirement over every team, its team and program, its team over the active programs. */
function keysOf(g: Group): [team: number, program: number, requirement: number][] {
  const keys: [number, number, number][] = [
    [0, g.programId, g.requirementId],
    [g.teamId, g.programId, 0],
  ];
  if (g.active) keys.push([g.teamId, 0, 0]);
  return keys;
}

/** The groups with an instant between `settled` and `now` that count differently at the two, and by how much. */
function changedGroups(db: Db, settled: number, now: number): readonly { group: Group; delta: Totals }[] {
  if (settled === now) return [];
  // A page's figures ask this more than once for the same instants (its ranking and its requirements): read once.
  const version = dataVersion(db);
  const known = lastChanged.get(db.$client);
  if (known && known.version === version && known.settled === settled && known.now === now) return known.changed;
  const changed: { group: Group; delta: Totals }[] = [];
  for (const group of statements(db).changed.all({ lo: Math.min(settled, now), hi: Math.max(settled, now) })) {
    const delta = add(countedAt(group, now), countedAt(group, settled), -1);
    if (delta.total || delta.done || delta.late || delta.overdue || delta.due_soon_or_overdue) changed.push({ group, delta });
  }
  lastChanged.set(db.$client, { version, settled, now, changed });
  return changed;
}

/** The last changedGroups answer of each database, with the dataVersion and instants it was read at. */
const lastChanged = new WeakMap<object, { version: string; settled: number; now: number; changed: readonly { group: Group; delta: Totals }[] }>();

/**
 * How completion_totals at `settled` differ from the same totals at `now`, per key ("team:program:requirement"):
 * the groups with an instant between the two, counted at both.
 */
function changeSince(db: Db, settled: number, now: number): Map<string, Totals> {
  const change = new Map<string, Totals>();
  for (const { group: g, delta } of changedGroups(db, settled, now)) {
    for (const key of keysOf(g)) {
      const k = key.join(':');
      change.set(k, add(change.get(k) ?? zero(), delta));
    }
  }
  return change;
}

/** What a report at `now` reads of completion_totals: the settled instant and the change since. */
function atNow<T>(db: Db, now: Date, read: (change: Map<string, Totals>) => T): T {
  return readTransaction(db, () => {
    const settled = statements(db).settledAt.get()?.at ?? 0;
    return read(changeSince(db, settled, now.getTime()));
  });
}

/** Rows of people in teams per requirement at `now` (those with any): of one program, or (0) of every active program. */
export function requirementTotals(db: Db, now: Date, programId: number): (RawCounts & { requirementId: number })[] {
  return atNow(db, now, (change) => {
    const byRequirement = new Map(
      statements(db)
        .requirements.all({ program: programId })
        .map((r) => [r.requirementId, r]),
    );
    for (const [key, delta] of change) {
      const [team, program, requirement] = key.split(':').map(Number) as [number, number, number];
      if (team !== 0 || (programId && program !== programId)) continue;
      // A requirement of an archived program has no row to correct when every program is asked for.
      if (!programId && !byRequirement.has(requirement) && !activeProgram(db, program)) continue;
      byRequirement.set(requirement, { ...add(byRequirement.get(requirement) ?? zero(), delta), requirementId: requirement });
    }
    return [...byRequirement.values()].filter((r) => r.total > 0);
  });
}

const programActive = preparedQuery((db) => db.$client.prepare<[number], { active: number }>('SELECT active FROM programs WHERE id = ?'));
const activeProgram = (db: Db, id: number) => Boolean(programActive(db).get(id)?.active);

/** Rows of people in teams per team at `now` (those with any): of one program, or (0) of every active program. */
export function teamTotals(db: Db, now: Date, programId: number): (RawCounts & { teamId: number })[] {
  return atNow(db, now, (change) => {
    const byTeam = new Map(
      statements(db)
        .teams.all({ program: programId })
        .map((t) => [t.teamId, t]),
    );
    for (const [team, delta] of teamChanges(change, programId)) byTeam.set(team, { ...add(byTeam.get(team) ?? zero(), delta), teamId: team });
    return [...byTeam.values()].filter((t) => t.total > 0);
  });
}

/** Rows of people in these teams per team at `now` (those with any): of one program, or (0) of every active program. */
export function listedTeamTotals(db: Db, now: Date, programId: number, teamIds: readonly number[]): (RawCounts & { teamId: number })[] {
  return atNow(db, now, (change) => {
    const listed = new Set(teamIds);
    const byTeam = new Map(
      statements(db)
        .listedTeams.all({ program: programId, teams: JSON.stringify(teamIds) })
        .map((t) => [t.teamId, t]),
    );
    for (const [team, delta] of teamChanges(change, programId))
      if (listed.has(team)) byTeam.set(team, { ...add({ ...(byTeam.get(team) ?? zero()) }, delta), teamId: team });
    return [...byTeam.values()].filter((t) => t.total > 0);
  });
}

/** Of the change per team, that of a manager's scope's teams (managerId 0: every team's). */
function scopedChanges(db: Db, changed: Map<number, Totals>, managerId: number): Map<number, Totals> {
  if (!managerId || changed.size === 0) return changed;
  const inScope = new Set(statements(db).inScope.all({ manager: managerId, teams: JSON.stringify([...changed.keys()]) }));
  return new Map([...changed].filter(([team]) => inScope.has(team)));
}

/** The change per team of one program key. */
function teamChanges(change: Map<string, Totals>, programId: number): Map<number, Totals> {
  const byTeam = new Map<number, Totals>();
  for (const [key, delta] of change) {
    const [team, program, requirement] = key.split(':').map(Number) as [number, number, number];
    if (team !== 0 && program === programId && requirement === 0) byTeam.set(team, delta);
  }
  return byTeam;
}

/** A team's totals and the key it ranks by (weakestFirst's: lower share done, then more overdue). */
type Ranked = Totals & { teamId: number };
const percentOf = (t: Totals) => Math.floor((t.done * 100) / t.total);

/**
 * The teams of people in teams with requirements at `now` (of one program, or 0: every active one), of every team or
 * of a manager's scope (managerId: the teams managed by them or anyone below them), and among them the `n` with the
 * lowest share done and the most overdue, or every one when they are `n` or fewer; ties by name are the caller's
 * (candidates tied with the last one come along). Reads the ranking at the settled instant up to `n` plus the teams
 * whose totals changed since, and those teams.
 */
export function weakestTeamTotals(
  db: Db,
  now: Date,
  programId: number,
  n: number,
  managerId = 0,
): { teams: (RawCounts & { teamId: number })[]; count: number } {
  return atNow(db, now, (change) => {
    const s = statements(db);
    const changed = scopedChanges(db, teamChanges(change, programId), managerId);
    const limit = n + changed.size;
    const candidates = new Map<number, Ranked>();
    const { q, scope } = teamsOf(db, managerId);
    const ranked = q.weakest.all({ program: programId, limit, ...scope });
    for (const t of ranked) candidates.set(t.teamId, t);
    const last = ranked.at(-1);
    if (last && ranked.length === limit)
      for (const t of q.tied.all({ program: programId, percent: percentOf(last), overdue: last.overdue, ...scope })) candidates.set(t.teamId, t);
    let count = q.counted.get({ program: programId, ...scope })?.n ?? 0;
    const before = new Map(s.listedTeams.all({ program: programId, teams: JSON.stringify([...changed.keys()]) }).map((t) => [t.teamId, t]));
    for (const [team, delta] of changed) {
      const old = before.get(team) ?? { ...zero(), teamId: team };
      const now = { ...add({ ...old }, delta), teamId: team };
      count += (now.total > 0 ? 1 : 0) - (old.total > 0 ? 1 : 0);
      candidates.set(team, now);
    }
    return { teams: [...candidates.values()].filter((t) => t.total > 0), count };
  });
}

/**
 * Rows of people in teams per department of their team at `now` (those with any): of one program, or (0) of every
 * active program; of every team, or of a manager's scope (managerId).
 */
export function departmentTotals(db: Db, now: Date, programId: number, managerId = 0): (RawCounts & { department: string })[] {
  return atNow(db, now, (change) => {
    const s = statements(db);
    const { q, scope } = teamsOf(db, managerId);
    const byDepartment = new Map(q.departments.all({ program: programId, ...scope }).map((d) => [d.department, d]));
    const changed = scopedChanges(db, teamChanges(change, programId), managerId);
    for (const team of s.departmentOf.all({ teams: JSON.stringify([...changed.keys()]) })) {
      const department = team.department;
      byDepartment.set(department, { ...add({ ...(byDepartment.get(department) ?? zero()) }, changed.get(team.id)!), department });
    }
    return [...byDepartment.values()].filter((d) => d.total > 0);
  });
}

/**
 * Rows per requirement at `now` of the teams a manager's reports show whole (managerScope's teams: `teamIds`), of one
 * program or (0) of every active one: the sums kept per manager (completion_chain_totals), corrected by the groups of
 * those teams whose state changed since the settled instant. The cost of the requirements, not of the teams.
 */
export function chainRequirementTotals(
  db: Db,
  now: Date,
  managerId: number,
  programId: number,
  teamIds: readonly number[],
): (RawCounts & { requirementId: number })[] {
  return readTransaction(db, () => {
    const s = statements(db);
    const byRequirement = new Map(s.chainRequirements.all({ manager: managerId, program: programId }).map((r) => [r.requirementId, r]));
    const teams = new Set(teamIds);
    for (const { group, delta } of changedGroups(db, s.settledAt.get()?.at ?? 0, now.getTime())) {
      if (!teams.has(group.teamId) || (programId ? group.programId !== programId : !group.active)) continue;
      byRequirement.set(group.requirementId, { ...add({ ...(byRequirement.get(group.requirementId) ?? zero()) }, delta), requirementId: group.requirementId });
    }
    return [...byRequirement.values()].filter((r) => r.total > 0);
  });
}

/**
 * The teams with requirements at `now` (of one program, or 0: every active one), of every team or of a manager's
 * scope (managerId), in the report's order (department, name), `limit` of them from `offset`, and how many there are:
 * the ranking kept per team (completion_totals), the teams whose totals changed since the settled instant counted
 * anew. The cost of a page, not of the company's teams.
 */
export function teamTotalsPage(
  db: Db,
  now: Date,
  programId: number,
  page: (count: number) => { offset: number; limit: number },
  managerId = 0,
): { teams: (RawCounts & { teamId: number })[]; count: number } {
  return atNow(db, now, (change) => {
    const s = statements(db);
    const changed = scopedChanges(db, teamChanges(change, programId), managerId);
    const before = new Map(s.listedTeams.all({ program: programId, teams: JSON.stringify([...changed.keys()]) }).map((t) => [t.teamId, t]));
    const corrected = new Map<number, Totals>();
    const zeroed: number[] = [];
    const raised: number[] = [];
    for (const [team, delta] of changed) {
      const old = before.get(team) ?? zero();
      const current = add({ ...old }, delta);
      corrected.set(team, current);
      if (old.total > 0 && current.total <= 0) zeroed.push(team);
      if (old.total <= 0 && current.total > 0) raised.push(team);
    }
    const { q, scope } = teamsOf(db, managerId);
    const count = (q.counted.get({ program: programId, ...scope })?.n ?? 0) + raised.length - zeroed.length;
    const rows = q.page.all({ program: programId, zeroed: JSON.stringify(zeroed), raised: JSON.stringify(raised), ...scope, ...page(count) });
    return { teams: rows.map((t) => ({ ...(corrected.get(t.teamId) ?? t), teamId: t.teamId })), count };
  });
}

/**
 * Moves the settled instant to `now`, bringing completion_totals along: the groups with an instant in
 * between, counted anew. The background job does it (once an hour and at start), so a report corrects
 * for at most the groups of the time since.
 */
export function settleCompletionTotals(db: Db, now: Date): void {
  writeTransaction(db, (tx) => {
    const s = statements(tx);
    const settled = s.settledAt.get()?.at;
    if (settled === undefined || settled === now.getTime()) return;
    for (const [key, delta] of changeSince(tx, settled, now.getTime())) {
      const [team, program, requirement] = key.split(':').map(Number) as [number, number, number];
      s.upsert.run({ team, program, requirement, ...delta });
    }
    for (const { group, delta } of changedGroups(tx, settled, now.getTime()))
      s.chainUpsert.run({ team: group.teamId, program: group.programId, requirement: group.requirementId, ...delta });
    s.setSettled.run(now.getTime());
  });
}
