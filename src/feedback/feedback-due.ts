/**
 * The navigation's count of pending feedback, kept instead of worked out per page: `feedback_due`
 * holds who owes a report on which sales-call occurrence whenever it ends (pendingFeedback's rule
 * without its time window), so a page counts the rows of the viewer that ended in the window with
 * one index range read. Triggers (db/migrations/0026) note every event whose rows a write may change
 * (its occurrences, invitations, attendance, reports, kind or host, or a guest's department) in
 * `feedback_due_changes`; every write transaction rebuilds those events' rows before it commits.
 */
import { sql, type AnyColumn, type SQLWrapper } from 'drizzle-orm';
import { beforeEveryCommit, preparedQuery, type Db } from '../db';
import { atOccurrence } from '../events';

// A one-off event's places are the whole event's (placeOf); a series' are its occurrence's.
const atPlace = (row: string) =>
  atOccurrence(row, '(CASE WHEN e.rrule IS NULL THEN NULL ELSE o.original_start END)', '(CASE WHEN e.rrule IS NULL THEN NULL ELSE o.start END)');

/** Person `guest` joined occurrence `o`: accepted there by the place rule or marked attended, and not marked no-show. */
const joined = (guest: string) => `(
    (EXISTS (SELECT 1 FROM invitations i WHERE i.event_id = o.event_id AND i.person_id = ${guest} AND i.status = 'accepted' AND ${atPlace('i')})
      OR EXISTS (SELECT 1 FROM attendance a WHERE a.event_id = o.event_id AND a.occurrence_start = o.original_start AND a.person_id = ${guest} AND a.status = 'attended'))
    AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.event_id = o.event_id AND a.occurrence_start = o.original_start AND a.person_id = ${guest} AND a.status = 'no_show'))`;

/**
 * A marketer other than the host joined occurrence `o` of event `e`: read from the event's accepted rows and the
 * occurrence's attended marks (an attended mark is never also a no-show: one mark per person and occurrence).
 */
const rideAlong = `(EXISTS (SELECT 1 FROM invitations i JOIN people g ON g.id = i.person_id
      WHERE i.event_id = o.event_id AND i.status = 'accepted' AND g.department = 'marketing' AND g.id <> e.host_id AND ${atPlace('i')}
        AND NOT EXISTS (SELECT 1 FROM attendance n WHERE n.event_id = o.event_id AND n.occurrence_start = o.original_start AND n.person_id = g.id AND n.status = 'no_show'))
    OR EXISTS (SELECT 1 FROM attendance a JOIN people g ON g.id = a.person_id
      WHERE a.event_id = o.event_id AND a.occurrence_start = o.original_start AND a.status = 'attended' AND g.department = 'marketing' AND g.id <> e.host_id))`;

const notReported = (author: string) =>
  `NOT EXISTS (SELECT 1 FROM feedback f WHERE f.author_id = ${author} AND f.event_id = o.event_id AND f.occurrence_start = o.original_start)`;

/**
 * The rows from scratch of the sales calls whose id meets `event` (SQL over an event id column), at their occurrences
 * whose original start meets `occurrence`: a host outside marketing owes a report on each occurrence a marketer rode
 * along to; a marketer on each one they joined (or, hosting it, a marketer rode along to). The joins are in a fixed
 * order (CROSS JOIN): events, their people, then occurrences.
 */
export const feedbackDueRows = (event: (column: string) => string, occurrence: (column: string) => string = () => 'true') => `
  SELECT e.host_id AS person_id, o.event_id, o.original_start, o."end"
    FROM events e CROSS JOIN people h ON h.id = e.host_id CROSS JOIN occurrences o ON o.event_id = e.id
   WHERE ${event('e.id')} AND ${occurrence('o.original_start')} AND e.kind = 'sales_call' AND h.department <> 'marketing' AND o.cancelled = 0
     AND ${notReported('e.host_id')} AND ${rideAlong}
  UNION ALL
  SELECT m.id, o.event_id, o.original_start, o."end"
    FROM (SELECT event_id, person_id FROM invitations WHERE ${event('event_id')} AND status = 'accepted'
          UNION SELECT event_id, person_id FROM attendance WHERE ${event('event_id')} AND status = 'attended') c
    CROSS JOIN events e ON e.id = c.event_id CROSS JOIN people m ON m.id = c.person_id CROSS JOIN occurrences o ON o.event_id = e.id
   WHERE ${occurrence('o.original_start')} AND e.kind = 'sales_call' AND m.department = 'marketing' AND o.cancelled = 0 AND ${notReported('m.id')}
     AND CASE WHEN e.host_id = m.id THEN ${rideAlong} ELSE ${joined('m.id')} END`;

type DueRow = { personId: number; start: number; endsAt: number };

// Values compared as `= +@value` keep the statements' plans (see eqPlanned).
const dueRows = (event: (column: string) => string, occurrence?: (column: string) => string) =>
  `SELECT person_id AS personId, original_start AS start, "end" AS endsAt FROM (${feedbackDueRows(event, occurrence)})`;
const q = {
  changes: preparedQuery((db) =>
    db.$client.prepare<[], { eventId: number; start: number | null }>('SELECT DISTINCT event_id AS eventId, original_start AS start FROM feedback_due_changes'),
  ),
  clearChanges: preparedQuery((db) => db.$client.prepare('DELETE FROM feedback_due_changes')),
  rowsOfEvent: preparedQuery((db) => db.$client.prepare<{ event: number }, DueRow>(dueRows((column) => `${column} = +@event`))),
  keptOfEvent: preparedQuery((db) =>
    db.$client.prepare<[number], DueRow>('SELECT person_id AS personId, occurrence_start AS start, ends_at AS endsAt FROM feedback_due WHERE event_id = +?'),
  ),
  rowsAt: preparedQuery((db) =>
    db.$client.prepare<{ event: number; start: number }, DueRow>(
      dueRows(
        (column) => `${column} = +@event`,
        (column) => `${column} = +@start`,
      ),
    ),
  ),
  keptAt: preparedQuery((db) =>
    db.$client.prepare<[number, number], DueRow>(
      'SELECT person_id AS personId, occurrence_start AS start, ends_at AS endsAt FROM feedback_due WHERE event_id = +? AND occurrence_start = +?',
    ),
  ),
  drop: preparedQuery((db) =>
    db.$client.prepare<[number, number, number]>('DELETE FROM feedback_due WHERE event_id = +? AND occurrence_start = +? AND person_id = +?'),
  ),
  put: preparedQuery((db) =>
    db.$client.prepare<[number, number, number, number]>(
      'INSERT OR REPLACE INTO feedback_due (person_id, event_id, occurrence_start, ends_at) VALUES (?, ?, ?, ?)',
    ),
  ),
};

/**
 * Makes an event's kept rows (all of them, or one occurrence's) what they are from scratch, writing only the rows
 * that differ: a claim or an answer adds or removes a row or two, and the rows left as they were cost no page in the
 * commit (deleting and inserting them again would write every page they sit on).
 */
function replaceRows(db: Db, eventId: number, kept: DueRow[], wanted: DueRow[]) {
  const key = (r: DueRow) => `${r.personId}:${r.start}`;
  // Two derivations of one row (a host who is also a marketer) keep the first, as INSERT OR IGNORE did.
  const want = new Map<string, DueRow>();
  for (const r of wanted) if (!want.has(key(r))) want.set(key(r), r);
  const have = new Map(kept.map((r) => [key(r), r]));
  for (const [k, r] of have) if (!want.has(k)) q.drop(db).run(eventId, r.start, r.personId);
  for (const [k, r] of want) if (have.get(k)?.endsAt !== r.endsAt) q.put(db).run(r.personId, eventId, r.start, r.endsAt);
}

/**
 * Rebuilds the rows the triggers noted in this transaction (after the stored occurrences are current): a whole event
 * where a change reaches all its occurrences (a series-wide answer, a new host, a guest's department), else the
 * occurrences named (an answer or a claim at one occurrence, a report, an attendance mark, a moved occurrence).
 */
function applyFeedbackDueChanges(db: Db) {
  const changed = q.changes(db).all();
  if (changed.length === 0) return;
  q.clearChanges(db).run();
  const whole = new Set(changed.filter((c) => c.start === null).map((c) => c.eventId));
  for (const eventId of whole) replaceRows(db, eventId, q.keptOfEvent(db).all(eventId), q.rowsOfEvent(db).all({ event: eventId }));
  for (const { eventId, start } of changed) {
    if (start === null || whole.has(eventId)) continue;
    replaceRows(db, eventId, q.keptAt(db).all(eventId, start), q.rowsAt(db).all({ event: eventId, start }));
  }
}

// Registered after the stored occurrences' step (this module imports events first), so rebuilt occurrences are read.
beforeEveryCommit(applyFeedbackDueChanges);

/**
 * The count of pendingFeedback as a SQL expression: the person's kept rows that ended in (`from`, `now`]. Writes made
 * outside a write transaction are applied by the next one (the occurrence horizon job makes one every hour).
 */
export const keptFeedbackCount = (person: AnyColumn, now: SQLWrapper, from: SQLWrapper) =>
  sql`SELECT count(*) FROM feedback_due d WHERE d.person_id = ${person} AND d.ends_at > ${from} AND d.ends_at <= ${now}`;
