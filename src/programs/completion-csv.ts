// The completion report as CSV: one line per person and requirement.
import { sql } from 'drizzle-orm';
import { preparedSql, type Db } from '../db';
import { csvDocument } from '../lib/csv';
import type { CompletionState } from './completion';
import { type ReportFilter, completionStateSql, currentRowsSql, FROM_ROWS, reportShape, reportValues, stateFilterSql } from './report-queries';

type CsvLine = {
  name: string;
  email: string;
  department: string;
  team: string | null;
  program: string;
  requirement: string;
  cycle: number;
  dueDate: string;
  state: CompletionState;
  completedAt: number | null;
  late: number;
  have: number;
  need: number;
};

const CSV_HEADER = ['name', 'email', 'department', 'team', 'program', 'requirement', 'cycle', 'due_date', 'state', 'completed_at', 'late', 'have', 'need'];

const csvQuery = preparedSql<CsvLine, string, ReportFilter>(
  (_shape, filter) => sql`
    SELECT p.name, p.email, p.department, t.name AS team, pr.name AS program, r.title AS requirement, rc.cycle_index AS cycle,
      rc.due_date AS dueDate, ${completionStateSql()} AS state, rc.completed_at AS completedAt, rc.late, rc.have, rc.need
    ${FROM_ROWS}
    JOIN people p ON p.id = rc.person_id
    JOIN programs pr ON pr.id = rc.program_id
    JOIN program_requirements r ON r.id = rc.requirement_id
    LEFT JOIN teams t ON t.id = rc.team_id
    WHERE ${currentRowsSql(filter)}${stateFilterSql(filter)}
    ORDER BY t.name, p.name, pr.name, r.position`,
);

/** One line per person and current requirement, for spreadsheets. */
export function completionCsv(db: Db, now: Date, filter: ReportFilter = {}): string {
  const lines = csvQuery(db, reportShape(filter), filter).all(reportValues(now, filter));
  return csvDocument(
    CSV_HEADER,
    lines.map((l) => [
      l.name,
      l.email,
      l.department,
      l.team,
      l.program,
      l.requirement,
      l.cycle,
      l.dueDate,
      l.state,
      l.completedAt === null ? '' : new Date(l.completedAt).toISOString(),
      l.late ? 'yes' : 'no',
      l.have,
      l.need,
    ]),
  );
}
