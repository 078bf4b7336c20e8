// The SQL the completion reports share: which rows are current, their state, counts and the scope of a filter.
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import type { CompletionState } from './completion';
import { idList } from './tracking';

export type ReportFilter = {
  programId?: number;
  teamId?: number;
  department?: string;
  /** Only these people (a manager's reports); null or undefined = everyone. */
  personIds?: readonly number[] | null;
  /** Only people with at least one requirement in this state. */
  state?: CompletionState;
  /** Archived programs, left out unless asked for by id (filled in by the report functions). */
  inactiveProgramIds?: readonly number[];
};

/** Archived programs are few; naming them keeps the report a scan of one index. */
export function withInactivePrograms(db: Db, filter: ReportFilter): ReportFilter {
  if (filter.programId || filter.inactiveProgramIds) return filter;
  return { ...filter, inactiveProgramIds: db.all<{ id: number }>(sql`SELECT id FROM programs WHERE active = 0`).map((p) => p.id) };
}

export type Counts = { total: number; done: number; due: number; due_soon: number; overdue: number; late: number; percentDone: number | null };

/** The state of a completion row at `now`, as SQL (the same rule as evaluateRequirement); `now` may be a prepared query's placeholder. */
export function completionStateSql(now: Date | Placeholder): SQL {
  const t = now instanceof Date ? now.getTime() : now;
  return sql`CASE WHEN rc.completed_at IS NOT NULL THEN 'done'
    WHEN rc.due_at <= ${t} THEN 'overdue' WHEN rc.due_soon_at <= ${t} THEN 'due_soon' ELSE 'due' END`;
}

/** The program a report is about, or every program but the archived ones. */
export function programCondition(column: SQL, filter: ReportFilter): SQL[] {
  if (filter.programId) return [sql`${column} = ${filter.programId}`];
  if (filter.inactiveProgramIds?.length) return [sql`${column} NOT IN (${idList(filter.inactiveProgramIds)})`];
  return [];
}

export function scopeSql(filter: ReportFilter): SQL[] {
  const parts: SQL[] = programCondition(sql`rc.program_id`, filter);
  if (filter.teamId) parts.push(sql`rc.team_id = ${filter.teamId}`);
  if (filter.department) parts.push(sql`rc.department = ${filter.department}`);
  if (filter.personIds) parts.push(filter.personIds.length ? sql`rc.person_id IN (${idList(filter.personIds)})` : sql`0`);
  return parts;
}

/**
 * Rows that count now: running enrollments (of active people), and for review programs only the
 * cycle running now (earlier cycles are history, shown in the chart). Reads requirement_completions
 * alone, through its covering indexes.
 */
export function currentRowsSql(now: Date, filter: ReportFilter): SQL {
  const t = now.getTime();
  return sql.join([sql`rc.active = 1 AND rc.window_from <= ${t} AND (rc.window_until IS NULL OR rc.window_until > ${t})`, ...scopeSql(filter)], sql` AND `);
}

export const FROM_ROWS = sql`FROM requirement_completions rc`;

/**
 * The state counts of a group of rows. A row is evaluated on evidence up to the moment it was
 * written, which is never after `now`, so "done" is simply a completion instant being set; the
 * cheap expressions matter: the report sums them over every row in scope.
 */
export function countsSql(now: Date): SQL {
  const t = now.getTime();
  return sql`count(*) AS total, count(rc.completed_at) AS done,
    sum(rc.completed_at IS NULL AND rc.due_at <= ${t}) AS overdue,
    sum(rc.completed_at IS NULL AND rc.due_soon_at <= ${t}) AS due_soon_or_overdue,
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
 * Only the rows of people with a row in the filter's state. The unary + keeps SQLite from fetching
 * the chosen people's rows through the person index (a table read per row): scanning the covering
 * report index and probing the chosen set is a third cheaper when they are most of the company.
 */
export function stateFilterSql(now: Date, filter: ReportFilter): SQL {
  if (!filter.state) return sql``;
  return sql` AND +rc.person_id IN (SELECT rc.person_id ${FROM_ROWS} WHERE ${currentRowsSql(now, { ...filter, state: undefined })} AND ${completionStateSql(now)} = ${filter.state})`;
}
