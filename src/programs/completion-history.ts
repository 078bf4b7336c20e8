// Completion over time: weekly points kept by the background job (completion_history), the point of now
// from the dashboard's own figures.
//
// Why kept, and what it means: recounting every row in scope at each sample on each view costs what the
// company's size costs (a second for HR of 100,000 people). So the points are fixed instants, the start of
// each week (Monday 00:00 UTC), each counted once, when the job first runs at or after it, per (team the
// row had then, program), and never counted again: answers change the future only. A completion, an
// enrollment or a team move written later does not rewrite a week already kept (today's recount from
// rows would: a back-dated start moves a new hire into past weeks, a moved person's past follows them to
// their new team in a manager's view). Archiving a program still hides its whole history, as it does on
// the dashboard: its weeks are kept per program and left out when read.
//
// A week counts the rows as the chart always has (historyFromRows): their window open at the instant
// and not ended, done when completed by then, else overdue when due by then. The last point is now,
// the dashboard's figures (running enrollments, whole teams from the totals it keeps), so the chart
// ends where the dashboard stands. People of a manager's scope outside their teams are few: their weeks are read from
// their rows on each view.
import { sql, type SQL } from 'drizzle-orm';
import { preparedQuery, preparedSql, readTransaction, writeTransaction, type Db } from '../db';
import { FROM_ROWS, type RawCounts, type ReportFilter, countsSql, currentRowsSql, reportShape, reportValues, scopeSql } from './report-queries';
import { chainRequirementTotals, listedTeamTotals, requirementTotals } from './completion-totals';

export const WEEK_MS = 7 * 86_400_000;
/** Weeks the chart shows (and the job keeps when it first runs). */
export const HISTORY_WEEKS = 12;
const A_MONDAY = Date.UTC(1970, 0, 5);

/** The start of the week (Monday 00:00 UTC) at or before the instant. */
export function weekStart(at: number): number {
  return at - ((((at - A_MONDAY) % WEEK_MS) + WEEK_MS) % WEEK_MS);
}

export type HistoryPoint = { at: Date; total: number; done: number; overdue: number; percentDone: number | null };

type HistoryGroup = { from: number; until: number; done: number; due: number; rows: number; teamKey: number; programId: number };
type HistoryArg = { filter: ReportFilter; grouped: boolean; outside: boolean };

/**
 * The rows of a report grouped by the sample instants (:first, then every :step, :count of them) from which
 * they count, are done and are overdue; `grouped`: every row, by team (0: none) and program, for the job;
 * `outside`: only rows not carrying one of :kept (teams whose weeks are kept).
 */
const historyQuery = preparedSql<HistoryGroup, string, HistoryArg>((_shape, { filter, grouped, outside }) => {
  const [count, first, step] = [sql.placeholder('count'), sql.placeholder('first'), sql.placeholder('step')];
  // Each row counts, is done and is overdue over ranges of sample instants; turning its instants into
  // the index of the first sample at or after them lets SQL group rows by those ranges in one pass.
  const sampleIndex = (column: SQL) =>
    sql`CASE WHEN ${column} IS NULL THEN ${count} WHEN ${column} <= ${first} THEN 0 ELSE min(${count}, CAST((${column} - ${first} + ${step} - 1) / ${step} AS INTEGER)) END`;
  const endsAt = sql`CASE WHEN rc.window_until IS NULL THEN rc.ended_at WHEN rc.ended_at IS NULL THEN rc.window_until ELSE min(rc.window_until, rc.ended_at) END`;
  const where: SQL[] = [sql`rc.window_from <= ${sql.placeholder('last')}`];
  if (!grouped) where.push(...scopeSql(filter, false));
  if (outside) where.push(sql`(rc.team_id IS NULL OR rc.team_id NOT IN (SELECT value FROM json_each(${sql.placeholder('kept')})))`);
  const keys = grouped ? sql`coalesce(rc.team_id, 0)` : sql`0`;
  const program = grouped ? sql`rc.program_id` : sql`0`;
  return sql`
    SELECT ${sampleIndex(sql`rc.window_from`)} AS "from", ${sampleIndex(endsAt)} AS until,
      ${sampleIndex(sql`rc.completed_at`)} AS done, ${sampleIndex(sql`rc.due_at`)} AS due, ${keys} AS teamKey, ${program} AS programId, count(*) AS rows
    ${FROM_ROWS}
    WHERE ${sql.join(where, sql` AND `)}
    GROUP BY 1, 2, 3, 4, 5, 6`;
});

const emptyPoint = (at: number): HistoryPoint => ({ at: new Date(at), total: 0, done: 0, overdue: 0, percentDone: null });

/** Adds the groups' rows to the points (one per sample instant) they count at. */
function addGroups(points: HistoryPoint[], groups: readonly HistoryGroup[], pointOf: (i: number, g: HistoryGroup) => HistoryPoint | undefined) {
  for (const g of groups) {
    for (let i = g.from; i < Math.min(g.until, points.length); i++) {
      const p = pointOf(i, g);
      if (!p) continue;
      p.total += g.rows;
      if (i >= g.done) p.done += g.rows;
      else if (i >= g.due) p.overdue += g.rows;
    }
  }
}

const withPercent = (p: HistoryPoint): HistoryPoint => ({ ...p, percentDone: p.total ? Math.floor((p.done * 100) / p.total) : null });

/**
 * The chart's rule counted from the rows, at `count` instants from `first` every `step`: the rows that
 * counted then (window open, not ended) and how many were done or overdue by then. In scope as the rows
 * are now (a manager's people by their current team).
 */
export function historyFromRows(db: Db, filter: ReportFilter, first: number, step: number, count: number, outsideTeams?: readonly number[]): HistoryPoint[] {
  const points = Array.from({ length: count }, (_, i) => emptyPoint(first + i * step));
  const outside = outsideTeams !== undefined;
  const groups = historyQuery(db, `${outside ? 'o' : ''}:${reportShape(filter)}`, { filter, grouped: false, outside }).all({
    ...reportValues(null, filter),
    kept: JSON.stringify(outsideTeams ?? []),
    count,
    first,
    step,
    last: first + (count - 1) * step,
  });
  addGroups(points, groups, (i) => points[i]);
  return points.map(withPercent);
}

const statements = preparedQuery((db) => ({
  weeks: db.$client.prepare<{ first: number; last: number }, { weekAt: number }>(
    'SELECT week_at AS weekAt FROM completion_history_weeks WHERE week_at >= @first AND week_at <= @last ORDER BY week_at',
  ),
  // Listed whole teams (a team, a list of teams) of one program (or every active one).
  kept: db.$client.prepare<{ first: number; last: number; teams: string; program: number }, { weekAt: number; total: number; done: number; overdue: number }>(`
    SELECT week_at AS weekAt, sum(total) AS total, sum(done) AS done, sum(overdue) AS overdue FROM completion_history
    WHERE week_at >= @first AND week_at <= @last AND team_key IN (SELECT value FROM json_each(@teams))
      AND (program_id = +@program OR (+@program = 0 AND program_id NOT IN (SELECT id FROM programs WHERE active = 0)))
    GROUP BY week_at`),
  // The same weeks summed for everyone (scope 0) or a manager's whole teams (scope: their id), kept by triggers.
  sums: db.$client.prepare<{ first: number; last: number; scope: number; program: number }, { weekAt: number; total: number; done: number; overdue: number }>(`
    SELECT week_at AS weekAt, sum(total) AS total, sum(done) AS done, sum(overdue) AS overdue FROM completion_history_sums
    WHERE scope_key = @scope AND week_at >= @first AND week_at <= @last
      AND (program_id = +@program OR (+@program = 0 AND program_id NOT IN (SELECT id FROM programs WHERE active = 0)))
    GROUP BY week_at`),
  insert: db.$client.prepare<{ weekAt: number; teamKey: number; programId: number; total: number; done: number; overdue: number }>(`
    INSERT OR IGNORE INTO completion_history (week_at, team_key, program_id, total, done, overdue) VALUES (@weekAt, @teamKey, @programId, @total, @done, @overdue)`),
  recorded: db.$client.prepare<[number]>('INSERT OR IGNORE INTO completion_history_weeks (week_at) VALUES (?)'),
}));

/**
 * Keeps the weeks (of the last `weeks`) not yet kept: each counted from the rows as they stand now, per team
 * and program, in one pass over the rows. The background job runs it at start (an upgraded database gets
 * its past weeks there) and every hour, so a week is kept within the hour after it starts; nothing kept
 * is counted again. A week with nothing to count is kept as such (completion_history_weeks).
 */
export function recordCompletionHistory(db: Db, now: Date, weeks = HISTORY_WEEKS): void {
  const last = weekStart(now.getTime());
  const first = last - (weeks - 1) * WEEK_MS;
  const kept = new Set(
    statements(db)
      .weeks.all({ first, last })
      .map((w) => w.weekAt),
  );
  const missing = Array.from({ length: weeks }, (_, i) => first + i * WEEK_MS).filter((w) => !kept.has(w));
  if (missing.length === 0) return;
  const from = missing[0]!;
  const count = (last - from) / WEEK_MS + 1;
  // The read (every row, once a week) runs outside the write transaction, so writers never wait for it.
  const groups = historyQuery(db, 'g', { filter: {}, grouped: true, outside: false }).all({ count, first: from, step: WEEK_MS, last });
  const wanted = new Set(missing);
  const cells = new Map<string, HistoryPoint & { teamKey: number; programId: number }>();
  addGroups(
    Array.from({ length: count }, (_, i) => emptyPoint(from + i * WEEK_MS)),
    groups,
    (i, g) => {
      const weekAt = from + i * WEEK_MS;
      if (!wanted.has(weekAt)) return undefined;
      const key = `${weekAt}:${g.teamKey}:${g.programId}`;
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = { ...emptyPoint(weekAt), teamKey: g.teamKey, programId: g.programId }));
      return cell;
    },
  );
  writeTransaction(db, (tx) => {
    const s = statements(tx);
    for (const c of cells.values())
      s.insert.run({ weekAt: c.at.getTime(), teamKey: c.teamKey, programId: c.programId, total: c.total, done: c.done, overdue: c.overdue });
    for (const w of missing) s.recorded.run(w);
  });
}

/**
 * Completion over time: the kept weeks that started in the last `weeks` before `now` (a week not kept yet,
 * in the hour after it starts, is left out), then now as the dashboard counts it.
 */
export function completionHistory(db: Db, now: Date, filter: ReportFilter = {}, weeks = HISTORY_WEEKS): HistoryPoint[] {
  const last = weekStart(now.getTime() - 1);
  const first = last - (weeks - 1) * WEEK_MS;
  return readTransaction(db, () => {
    const s = statements(db);
    const points = new Map(s.weeks.all({ first, last }).map((w) => [w.weekAt, emptyPoint(w.weekAt)]));
    // The whole teams of the scope (or everyone), whose weeks are kept; its other people are read from their rows.
    const teams = filter.personIds ? (filter.teamIds ?? []).filter((t) => !filter.teamId || t === filter.teamId) : filter.teamId ? [filter.teamId] : null;
    const scope = keptScope(filter);
    if (teams === null || teams.length > 0) {
      const program = filter.programId ?? 0;
      const rows = scope === undefined ? s.kept.all({ first, last, teams: JSON.stringify(teams ?? []), program }) : s.sums.all({ first, last, scope, program });
      for (const r of rows) {
        const p = points.get(r.weekAt);
        if (!p) continue;
        p.total += r.total;
        p.done += r.done;
        p.overdue += r.overdue;
      }
    }
    if (filter.personIds?.length && points.size > 0) {
      const others: ReportFilter = { programId: filter.programId, teamId: filter.teamId, personIds: filter.personIds };
      for (const o of historyFromRows(db, others, first, WEEK_MS, weeks, filter.teamIds ?? [])) {
        const p = points.get(o.at.getTime());
        if (!p) continue;
        p.total += o.total;
        p.done += o.done;
        p.overdue += o.overdue;
      }
    }
    return [...[...points.values()].map(withPercent), withPercent(currentPoint(db, now, filter, teams, scope))];
  });
}

/** Whose sums are kept for the chart's whole teams: everyone's (0), a manager's whole scope (their id), or none (a list of teams). */
function keptScope(filter: ReportFilter): number | undefined {
  if (filter.teamId) return undefined;
  if (!filter.personIds) return 0;
  return filter.teamIds && filter.managerId !== undefined ? filter.managerId : undefined;
}

/**
 * Now, as the dashboard counts it: whole teams from the totals kept per team and program (teamTotals, the
 * dashboard's own figures), the rest of the scope (people without a team for HR, a manager's people outside
 * their teams) from their current rows.
 */
function currentPoint(db: Db, now: Date, filter: ReportFilter, teams: readonly number[] | null, scope: number | undefined): HistoryPoint {
  const point = emptyPoint(now.getTime());
  const add = (c: { total: number; done: number | null; overdue: number | null }) => {
    point.total += c.total;
    point.done += c.done ?? 0;
    point.overdue += c.overdue ?? 0;
  };
  // The kept sums per requirement (everyone's, a manager's), else the listed teams' totals: never every team's to pick from.
  const program = filter.programId ?? 0;
  if (teams === null) for (const r of requirementTotals(db, now, program)) add(r);
  else if (scope !== undefined) for (const r of chainRequirementTotals(db, now, scope, program, teams)) add(r);
  else if (teams.length > 0) for (const t of listedTeamTotals(db, now, program, teams)) add(t);
  // Everyone of one team: the team's totals are all of it.
  if (!filter.personIds && filter.teamId) return point;
  if (filter.personIds?.length === 0) return point;
  const rest: ReportFilter = { programId: filter.programId, teamId: filter.teamId, personIds: filter.personIds };
  const row = currentRestQuery(db, reportShape(rest), rest).get({ ...reportValues(now, rest), kept: JSON.stringify(teams ?? []) });
  if (row) add(row);
  return point;
}

/** The current rows of a scope outside the teams in :kept (none: HR's people without a team). */
const currentRestQuery = preparedSql<RawCounts, string, ReportFilter>(
  (_shape, filter) => sql`
    SELECT ${countsSql()} ${FROM_ROWS}
    WHERE ${currentRowsSql(filter)} AND ${filter.personIds ? sql`(rc.team_id IS NULL OR rc.team_id NOT IN (SELECT value FROM json_each(${sql.placeholder('kept')})))` : sql`rc.team_id IS NULL`}`,
);
