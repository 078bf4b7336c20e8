// The completion report as CSV: one line per person and requirement, a team at a time.
import { sql } from 'drizzle-orm';
import { preparedQuery, preparedSql, streamedParts, type Db } from '../db';
import { csvLine } from '../lib/csv';
import type { CompletionState } from './completion';
import { type ReportFilter, completionStateSql, currentRowsSql, FROM_ROWS, inStateSql, narrowedByState, reportShape, reportValues } from './report-queries';

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

const CHUNK = sql.placeholder('chunk');

/**
 * One team's lines (:chunk; null: people without a team), by person, program and requirement. With a state filter past
 * STATE_PEOPLE_LIMIT, the team's people in that state come from its own rows in that state.
 */
const teamLinesQuery = preparedSql<CsvLine, string, ReportFilter>(
  (_shape, filter) => sql`
    SELECT p.name, p.email, p.department, t.name AS team, pr.name AS program, r.title AS requirement, rc.cycle_index AS cycle,
      rc.due_date AS dueDate, ${completionStateSql()} AS state, rc.completed_at AS completedAt, rc.late, rc.have, rc.need
    ${FROM_ROWS}
    JOIN people p ON p.id = rc.person_id
    JOIN programs pr ON pr.id = rc.program_id
    JOIN program_requirements r ON r.id = rc.requirement_id
    LEFT JOIN teams t ON t.id = rc.team_id
    WHERE ${currentRowsSql(filter)} AND rc.team_id IS ${CHUNK}${filter.state ? sql` AND rc.person_id IN (SELECT rc.person_id ${FROM_ROWS} WHERE ${inStateSql(filter)} AND rc.team_id IS ${CHUNK})` : sql``}
    ORDER BY p.name, p.id, pr.name, r.position`,
);

/** The teams in the file's order (by name): people without a team come first. */
const teamsInOrderQuery = preparedQuery((db) => db.$client.prepare<[], { id: number }>('SELECT id FROM teams ORDER BY name, id'));

const toCells = (l: CsvLine) => [
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
];

/**
 * One line per person and current requirement, for spreadsheets: a team's lines a part (streamedParts), so a
 * company's export (millions of lines) neither holds the server between parts nor sits in memory.
 */
export function completionCsv(db: Db, now: Date, wanted: ReportFilter = {}): ReadableStream<Uint8Array> {
  return streamedParts(db, (read) => {
    const { filter } = narrowedByState(read(), now, wanted);
    const teams: (number | null)[] = filter.teamId
      ? [filter.teamId]
      : [
          null,
          ...teamsInOrderQuery(read())
            .all()
            .map((t) => t.id),
        ];
    const values = reportValues(now, filter);
    return (function* () {
      yield csvLine(CSV_HEADER);
      for (const team of teams) {
        let part = '';
        for (const line of teamLinesQuery(read(), reportShape(filter), filter).all({ ...values, chunk: team })) part += csvLine(toCells(line));
        // A team out of scope has no lines.
        if (part) yield part;
      }
    })();
  });
}
