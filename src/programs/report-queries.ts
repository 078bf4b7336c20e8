// The SQL the completion reports share: which rows are current, their state, counts and the scope of a filter.
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { preparedQuery, preparedSql, type Db } from '../db';
import { scopeCondition } from '../people/scope';
import type { CompletionState } from './completion';

export type ReportFilter = {
  programId?: number;
  teamId?: number;
  department?: string;
  /** Only these people (a manager's reports); null or undefined = everyone. */
  personIds?: readonly number[] | null;
  /** With personIds: the members of these teams too (a manager's scope as whole teams, see visibleScope). */
  teamIds?: readonly number[];
  /** The manager whose scope teamIds and personIds are (managerScope): their teams' sums are kept per manager too. */
  managerId?: number;
  /** Only people with at least one requirement in this state. */
  state?: CompletionState;
  /** Set by narrowedByState: more than STATE_PEOPLE_LIMIT people are in the state (so it is not asked again). */
  stateOver?: boolean;
};

/*
 * The report's SQL is written once per shape of filter (which conditions it has, reportShape) and
 * prepared once per database (preparedSql); the filter's values are its placeholders (reportValues):
 * :now, :program, :team, :department, :people and :teams (JSON arrays), :state.
 */
const NOW = sql.placeholder('now');

/** Which conditions a filter's SQL has: the key of its prepared statements. */
export function reportShape(filter: ReportFilter): string {
  return [
    filter.programId ? 'p' : '',
    filter.teamId ? 't' : '',
    filter.department ? 'd' : '',
    filter.personIds ? (filter.teamIds ? (filter.personIds.length ? 'S' : 'T') : 's') : '',
    filter.state ? 'x' : '',
  ].join('');
}

/** The values of a filter's placeholders. */
export function reportValues(now: Date | null, filter: ReportFilter): Record<string, unknown> {
  return {
    now: now?.getTime() ?? null,
    program: filter.programId ?? null,
    team: filter.teamId ?? null,
    department: filter.department ?? null,
    people: JSON.stringify(filter.personIds ?? []),
    teams: JSON.stringify(filter.teamIds ?? []),
    state: filter.state ?? null,
  };
}

/**
 * A scope of teams and people as its two parts, teams alone and people alone (or the filter itself when it
 * has not both). SQLite reads either part through an index (the report index by team, the person index),
 * but their union as one condition (team in :teams or person in :people) mostly by reading every row. The
 * people of a scope are outside its teams (visibleScope), so the parts' rows are apart.
 */
export function scopeParts(filter: ReportFilter): ReportFilter[] {
  if (!filter.personIds?.length || !filter.teamIds) return [filter];
  return [
    { ...filter, personIds: [] },
    { ...filter, teamIds: undefined },
  ];
}

export type Counts = { total: number; done: number; due: number; due_soon: number; overdue: number; late: number; percentDone: number | null };

/** The state of a completion row at `now`, as SQL (the same rule as evaluateRequirement); `now` may be a prepared query's placeholder. */
export function completionStateSql(now: Date | Placeholder = NOW): SQL {
  const t = now instanceof Date ? now.getTime() : now;
  return sql`CASE WHEN rc.completed_at IS NOT NULL THEN 'done'
    WHEN rc.due_at <= ${t} THEN 'overdue' WHEN rc.due_soon_at <= ${t} THEN 'due_soon' ELSE 'due' END`;
}

/** The program a report is about, or every program but the archived ones (few: SQLite lists them once per statement). */
export function programCondition(column: SQL, filter: ReportFilter): SQL[] {
  if (filter.programId) return [sql`${column} = ${sql.placeholder('program')}`];
  return [sql`${column} NOT IN (SELECT id FROM programs WHERE active = 0)`];
}

/**
 * The filter's rows. Current rows carry their person's team, so a scope of teams is their team_id;
 * earlier rows (history) may carry an earlier team, so `current` false asks the people's teams.
 */
export function scopeSql(filter: ReportFilter, current = true): SQL[] {
  const parts: SQL[] = programCondition(sql`rc.program_id`, filter);
  if (filter.teamId) parts.push(sql`rc.team_id = ${sql.placeholder('team')}`);
  if (filter.department) parts.push(sql`rc.department = ${sql.placeholder('department')}`);
  if (filter.personIds && filter.teamIds)
    parts.push(
      !current
        ? sql`rc.person_id IN (SELECT p.id FROM people p WHERE ${scopeCondition('p.team_id', 'p.id')})`
        : filter.personIds.length
          ? scopeCondition('rc.team_id', 'rc.person_id')
          : sql`rc.team_id IN (SELECT value FROM json_each(${sql.placeholder('teams')}))`,
    );
  else if (filter.personIds) parts.push(sql`rc.person_id IN (SELECT value FROM json_each(${sql.placeholder('people')}))`);
  return parts;
}

/** The filter's people, as a condition on people p. */
export function peopleScopeSql(filter: ReportFilter): SQL[] {
  const parts: SQL[] = [];
  if (filter.teamId) parts.push(sql`p.team_id = ${sql.placeholder('team')}`);
  if (filter.department) parts.push(sql`p.department = ${sql.placeholder('department')}`);
  if (filter.personIds && filter.teamIds)
    parts.push(filter.personIds.length ? scopeCondition('p.team_id', 'p.id') : sql`p.team_id IN (SELECT value FROM json_each(${sql.placeholder('teams')}))`);
  else if (filter.personIds) parts.push(sql`p.id IN (SELECT value FROM json_each(${sql.placeholder('people')}))`);
  return parts;
}

/**
 * People with a running enrollment in scope, per team. Whole teams (everyone, a team, a manager's
 * teams) read enrolled_people, kept by triggers; the people outside them (a manager's other
 * reports, a department) probe the enrollments index each.
 */
export function enrolledPeoplePerTeam(db: Db, filter: ReportFilter): { teamId: number | null; people: number }[] {
  const probe = (f: ReportFilter) => enrolledProbe(db, reportShape(f), f).all(reportValues(null, f));
  if (filter.department || (filter.personIds && !filter.teamIds)) return probe(filter);
  const teams = filter.teamId ? [filter.teamId] : (filter.teamIds ?? null);
  const kept = enrolledPeopleQuery(db).all({
    program: filter.programId ?? 0,
    all: teams === null ? 1 : 0,
    teams: JSON.stringify(filter.teamIds && filter.teamId ? filter.teamIds.filter((t) => t === filter.teamId) : (teams ?? [])),
  });
  if (!filter.personIds) return kept;
  if (filter.personIds.length === 0) return kept;
  const others = probe({ ...filter, teamIds: undefined });
  const byTeam = new Map<number | null, number>(kept.map((k) => [k.teamId, k.people]));
  for (const o of others) byTeam.set(o.teamId, (byTeam.get(o.teamId) ?? 0) + o.people);
  return [...byTeam].map(([teamId, people]) => ({ teamId, people }));
}

/** A manager's whole scope (managerScope's teams and people, not narrowed by a team, a department or a state). */
export function isManagerScope(filter: ReportFilter): filter is ReportFilter & { managerId: number; teamIds: readonly number[] } {
  return filter.managerId !== undefined && filter.teamIds !== undefined && !filter.teamId && !filter.department && !filter.state;
}

/**
 * People with a running enrollment in scope. A manager's whole scope: enrolled_people summed over their teams (kept per
 * manager by manager_scope_teams), and their people outside those teams probed; otherwise per team (enrolledPeoplePerTeam).
 */
export function enrolledInScope(db: Db, filter: ReportFilter): number {
  const everyone = !filter.teamId && !filter.teamIds && !filter.department && !filter.personIds && !filter.state;
  if (everyone) return enrolledEveryone(db, filter.programId ?? 0);
  if (!isManagerScope(filter)) return enrolledPeoplePerTeam(db, filter).reduce((sum, t) => sum + t.people, 0);
  const kept = enrolledInScopeQuery(db).get({ program: filter.programId ?? 0, manager: filter.managerId })?.n ?? 0;
  if (!filter.personIds?.length) return kept;
  const f = { ...filter, teamIds: undefined };
  return enrolledProbe(db, reportShape(f), f)
    .all(reportValues(null, f))
    .reduce((sum, row) => sum + row.people, kept);
}

/** People with a running enrollment (of one program, or 0: of any active one): enrolled_program_people's row. */
export function enrolledEveryone(db: Db, programId: number): number {
  return enrolledEveryoneQuery(db).get({ program: programId })?.n ?? 0;
}

const enrolledEveryoneQuery = preparedQuery((db) =>
  db.$client.prepare<{ program: number }, { n: number }>('SELECT coalesce(sum(people), 0) AS n FROM enrolled_program_people WHERE program_key = @program'),
);

const enrolledInScopeQuery = preparedQuery((db) =>
  db.$client.prepare<{ program: number; manager: number }, { n: number }>(`
    SELECT coalesce(sum(people), 0) AS n FROM enrolled_people
    WHERE program_key = @program AND team_key IN (SELECT team_id FROM manager_scope_teams WHERE manager_id = @manager)`),
);

/** People with a running enrollment in scope per team, each probed (see enrolledPeoplePerTeam). */
const enrolledProbe = preparedSql<{ teamId: number | null; people: number }, string, ReportFilter>(
  (_shape, f) => sql`
    SELECT p.team_id AS teamId, count(*) AS people FROM people p
    WHERE ${sql.join([enrolledSql(f), ...peopleScopeSql(f)], sql` AND `)}
    GROUP BY p.team_id`,
);

/** A running enrollment of person p in the filter's programs. */
export function enrolledSql(filter: ReportFilter): SQL {
  const enrolled: SQL[] = [sql`en.person_id = p.id AND en.ended_at IS NULL`, ...programCondition(sql`en.program_id`, filter)];
  return sql`EXISTS (SELECT 1 FROM enrollments en WHERE ${sql.join(enrolled, sql` AND `)})`;
}

/** enrolled_people's rows of a program (0: any active one), of every team or of a list; team_key 0 is no team. */
const enrolledPeopleQuery = preparedQuery((db) =>
  db.$client.prepare<{ program: number; all: number; teams: string }, { teamId: number | null; people: number }>(`
    SELECT nullif(team_key, 0) AS teamId, people FROM enrolled_people
    WHERE program_key = @program AND (@all OR team_key IN (SELECT value FROM json_each(@teams))) AND people > 0`),
);

/**
 * Rows that count now: running enrollments (of active people), and for review programs only the
 * cycle running now (earlier cycles are history, shown in the chart). Reads requirement_completions
 * alone, through its covering indexes.
 */
export function currentRowsSql(filter: ReportFilter): SQL {
  return sql.join([sql`rc.active = 1 AND rc.window_from <= ${NOW} AND (rc.window_until IS NULL OR rc.window_until > ${NOW})`, ...scopeSql(filter)], sql` AND `);
}

export const FROM_ROWS = sql`FROM requirement_completions rc`;

/**
 * The state counts of a group of rows. A row is evaluated on evidence up to the moment it was
 * written, which is never after `now`, so "done" is simply a completion instant being set; the
 * cheap expressions matter: the report sums them over every row in scope.
 */
export function countsSql(): SQL {
  return sql`count(*) AS total, count(rc.completed_at) AS done,
    sum(rc.completed_at IS NULL AND rc.due_at <= ${NOW}) AS overdue,
    sum(rc.completed_at IS NULL AND rc.due_soon_at <= ${NOW}) AS due_soon_or_overdue,
    sum(rc.late) AS late`;
}

export type RawCounts = { total: number; done: number | null; overdue: number | null; due_soon_or_overdue: number | null; late: number | null };

export function toCounts(raw: RawCounts): Counts {
  const total = raw.total ?? 0;
  const done = raw.done ?? 0;
  const overdue = raw.overdue ?? 0;
  const dueSoon = (raw.due_soon_or_overdue ?? 0) - overdue;
  return {
    total,
    done,
    overdue,
    due_soon: dueSoon,
    due: total - done - overdue - dueSoon,
    late: raw.late ?? 0,
    percentDone: total ? Math.floor((done * 100) / total) : null,
  };
}

/** Adds up counts (of teams, requirements or people) and recomputes the share done. */
export function sumCounts(parts: readonly Omit<Counts, 'percentDone'>[]): Counts {
  const sum = { total: 0, done: 0, due: 0, due_soon: 0, overdue: 0, late: 0 };
  for (const p of parts) {
    sum.total += p.total;
    sum.done += p.done;
    sum.due += p.due;
    sum.due_soon += p.due_soon;
    sum.overdue += p.overdue;
    sum.late += p.late;
  }
  return { ...sum, percentDone: sum.total ? Math.floor((sum.done * 100) / sum.total) : null };
}

export const addCounts = (a: Counts, b: Counts) => sumCounts([a, b]);

export const emptyCounts = (): Counts => ({ total: 0, done: 0, due: 0, due_soon: 0, overdue: 0, late: 0, percentDone: null });

/**
 * How many people a state filter names at most. Its figures are the sums of those people's rows, so past this many
 * they are not totalled (a request's cost would follow the company's size) and its people are listed this far.
 */
export const STATE_PEOPLE_LIMIT = 500;

/** A state filter's scope: its people as a list (at most STATE_PEOPLE_LIMIT), or `over` with the filter as it was. */
export type StateScope = { filter: ReportFilter; over: boolean };

/**
 * A state filter as the same filter on a list of people: those with a current row in that state, when there are at
 * most STATE_PEOPLE_LIMIT of them; `over` when there are more. Any other filter is returned as it is.
 */
export function narrowedByState(db: Db, now: Date, filter: ReportFilter): StateScope {
  if (!filter.state) return { filter, over: false };
  if (filter.stateOver) return { filter, over: true };
  const personIds = peopleInState(db, now, { ...filter, state: filter.state }, STATE_PEOPLE_LIMIT + 1);
  if (personIds.size > STATE_PEOPLE_LIMIT) return { filter: { ...filter, stateOver: true }, over: true };
  return { filter: { ...filter, personIds: [...personIds].sort((a, b) => a - b), teamIds: undefined, state: undefined }, over: false };
}

/** The people of a scope with a current row in `filter.state`, found through that state's rows; at most `limit` of them. */
export function peopleInState(db: Db, now: Date, filter: ReportFilter & { state: CompletionState }, limit = Number.MAX_SAFE_INTEGER): Set<number> {
  const personIds = new Set<number>();
  for (const part of scopeParts(filter)) {
    const query = isSmallScope(part) ? statePeopleQuery : (STATE_INDEXES[filter.state] ?? statePeopleQuery);
    for (const r of query(db, reportShape(part), part).all({ ...reportValues(now, part), limit: limit - personIds.size })) personIds.add(r.personId);
    if (personIds.size >= limit) break;
  }
  return personIds;
}

/** A team, or a list of people: their rows read through the report index cost the scope, not the company. */
const isSmallScope = (filter: ReportFilter) => Boolean(filter.teamId || (filter.personIds && !filter.teamIds));

/**
 * People with a row in the state, for a scope of many teams (the company, a department, a head's), from the index of
 * that state's rows: overdue and due soon are a company's backlog (requirement_completions_open_due_idx); the rows
 * done are read latest window first (requirement_completions_done_idx), as current rows are the latest. Rows due
 * later are most rows: the scope's rows find enough of them at once.
 */
const STATE_INDEXES: Partial<Record<CompletionState, ReturnType<typeof statePeopleIn>>> = {
  overdue: statePeopleIn('requirement_completions_open_due_idx', sql`rc.completed_at IS NULL AND rc.active = 1 AND rc.due_soon_at <= ${NOW}`),
  due_soon: statePeopleIn('requirement_completions_open_due_idx', sql`rc.completed_at IS NULL AND rc.active = 1 AND rc.due_soon_at <= ${NOW}`),
  done: statePeopleIn('requirement_completions_done_idx', sql`rc.completed_at IS NOT NULL AND rc.active = 1`, sql`ORDER BY rc.window_from DESC`),
};

function statePeopleIn(index: string, rows: SQL, order = sql``) {
  return preparedSql<{ personId: number }, string, ReportFilter>(
    (_shape, filter) => sql`SELECT DISTINCT rc.person_id AS personId FROM requirement_completions rc INDEXED BY ${sql.raw(index)}
      WHERE ${rows} AND ${inStateSql(filter)} ${order} LIMIT ${sql.placeholder('limit')}`,
  );
}

/** People with a row in the state, from the scope's rows (each team's through the report index). */
const statePeopleQuery = preparedSql<{ personId: number }, string, ReportFilter>(
  (_shape, filter) => sql`SELECT DISTINCT rc.person_id AS personId ${FROM_ROWS} WHERE ${inStateSql(filter)} LIMIT ${sql.placeholder('limit')}`,
);

/**
 * Whether person p has a current row in the filter's state: one probe of the person index (covering, see
 * requirement_completions_person_idx), for a walk through people in name order.
 */
export function hasRowInStateSql(filter: ReportFilter): SQL {
  const rows = currentRowsSql({ programId: filter.programId });
  return sql`EXISTS (SELECT 1 ${FROM_ROWS} WHERE rc.person_id = p.id AND ${rows} AND ${completionStateSql(NOW)} = ${sql.placeholder('state')})`;
}

/** The filter's current rows in its state (:state). */
export function inStateSql(filter: ReportFilter): SQL {
  return sql`${currentRowsSql({ ...filter, state: undefined })} AND ${completionStateSql(NOW)} = ${sql.placeholder('state')}`;
}
