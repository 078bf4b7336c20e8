// Reminding people in scope of their overdue requirements.
import { sql } from 'drizzle-orm';
import { preparedSql, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { recordAudit, type Actor } from '../audit/audit';
import { queueMail } from '../outbox/outbox';
import { localDateAt } from './schedule';
import { type ReportFilter, completionStateSql, currentRowsSql, FROM_ROWS, reportShape, reportValues } from './report-queries';

type OverdueRow = { id: number; personId: number; name: string; email: string; timeZone: string; program: string; requirement: string; dueDate: string };

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
 * Emails everyone in scope with overdue requirements, one message per person listing them,
 * at most once per person and day (the outbox dedupe key).
 */
export function remindOverdue(db: Db, clock: Clock, actor: Actor, scope: ReportFilter = {}, baseUrl = ''): { people: number; requirements: number } {
  const now = clock.now();
  const rows = overdueQuery(db, reportShape(scope), scope).all(reportValues(now, scope));
  const byPerson = new Map<number, typeof rows>();
  for (const row of rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), row]);
  let people = 0;
  const markReminded = db.$client.prepare('UPDATE requirement_completions SET reminded_at = ? WHERE id = ?');
  writeTransaction(db, (tx) => {
    for (const [personId, items] of byPerson) {
      const first = items[0];
      const list = items.map((i) => `- ${i.requirement} (${i.program}), due ${i.dueDate}`).join('\n');
      const queued = queueMail(tx, clock, {
        to: first.email,
        toPersonId: personId,
        subject: items.length === 1 ? `Overdue: ${first.requirement}` : `${items.length} learning requirements are overdue`,
        body: `Hello ${first.name},\n\nThese requirements of your programs are overdue:\n${list}\n\nSee what is left and book a session: ${baseUrl}/learning\n`,
        dedupeKey: `program-overdue:${personId}:${localDateAt(now, first.timeZone)}`,
      });
      if (queued) {
        people++;
        for (const item of items) markReminded.run(now.getTime(), item.id);
      }
    }
    recordAudit(tx, now, actor, 'program.remind_overdue', 'program', scope.programId ?? null, null, { people, filter: { ...scope, personIds: undefined } });
  });
  return { people, requirements: rows.length };
}
