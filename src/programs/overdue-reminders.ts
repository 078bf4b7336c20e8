// Reminding people in scope of their overdue requirements.
import { sql } from 'drizzle-orm';
import { preparedQuery, preparedSql, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { recordAudit, type Actor } from '../audit/audit';
import { queueMail } from '../outbox/outbox';
import { localDateAt } from './schedule';
import { type ReportFilter, completionStateSql, currentRowsSql, FROM_ROWS, peopleInState, reportShape, reportValues } from './report-queries';

type OverdueRow = { id: number; personId: number; name: string; email: string; timeZone: string; program: string; requirement: string; dueDate: string };

/** The overdue rows of a scope (a part of the people in it), by person. */
const overdueQuery = preparedSql<OverdueRow, string, ReportFilter>(
  (_shape, filter) => sql`
    SELECT rc.id, p.id AS personId, p.name, p.email, p.time_zone AS timeZone, pr.name AS program, r.title AS requirement, rc.due_date AS dueDate
    ${FROM_ROWS}
    JOIN people p ON p.id = rc.person_id
    JOIN programs pr ON pr.id = rc.program_id
    JOIN program_requirements r ON r.id = rc.requirement_id
    WHERE ${currentRowsSql(filter)} AND ${completionStateSql()} = 'overdue'
    ORDER BY rc.person_id, rc.due_at`,
);

/**
 * People reminded per write transaction. Each person's message and marks are written together; the people of a large
 * scope (thousands) are written a part at a time, with other requests served between the parts, rather than in one
 * transaction holding every other writer back for a second. A run cut short is finished by running it again: the
 * outbox takes one message per person and day.
 */
const PEOPLE_PER_PART = 250;

const markRemindedQuery = preparedQuery((db) => db.$client.prepare<[number, number]>('UPDATE requirement_completions SET reminded_at = ? WHERE id = ?'));

/**
 * Emails everyone in scope with overdue requirements, one message per person listing them,
 * at most once per person and day (the outbox dedupe key). The people are found from the
 * company's backlog (peopleInState), their rows read a part of them at a time.
 */
export async function remindOverdue(
  db: Db,
  clock: Clock,
  actor: Actor,
  scope: ReportFilter = {},
  baseUrl = '',
  peoplePerPart = PEOPLE_PER_PART,
): Promise<{ people: number; requirements: number }> {
  const now = clock.now();
  const everyone = [...peopleInState(db, now, { ...scope, state: 'overdue' })].sort((a, b) => a - b);
  let people = 0;
  let requirements = 0;
  for (let from = 0; from === 0 || from < everyone.length; from += peoplePerPart) {
    if (from > 0) await new Promise((resolve) => setImmediate(resolve));
    const part: ReportFilter = { ...scope, personIds: everyone.slice(from, from + peoplePerPart), teamIds: undefined, state: undefined };
    writeTransaction(db, (tx) => {
      const rows = part.personIds!.length ? overdueQuery(tx, reportShape(part), part).all(reportValues(now, part)) : [];
      requirements += rows.length;
      for (let i = 0; i < rows.length; ) {
        const first = rows[i]!;
        const items = [first];
        while (rows[++i]?.personId === first.personId) items.push(rows[i]!);
        const list = items.map((item) => `- ${item.requirement} (${item.program}), due ${item.dueDate}`).join('\n');
        const queued = queueMail(tx, clock, {
          to: first.email,
          toPersonId: first.personId,
          subject: items.length === 1 ? `Overdue: ${first.requirement}` : `${items.length} learning requirements are overdue`,
          body: `Hello ${first.name},\n\nThese requirements of your programs are overdue:\n${list}\n\nSee what is left and book a session: ${baseUrl}/learning\n`,
          dedupeKey: `program-overdue:${first.personId}:${localDateAt(now, first.timeZone)}`,
        });
        if (queued) {
          people++;
          for (const item of items) markRemindedQuery(tx).run(now.getTime(), item.id);
        }
      }
      if (from + peoplePerPart >= everyone.length)
        recordAudit(tx, now, actor, 'program.remind_overdue', 'program', scope.programId ?? null, null, { people, filter: { ...scope, personIds: undefined } });
    });
  }
  return { people, requirements };
}
