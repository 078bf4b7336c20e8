import { and, asc, eq, sql, type Placeholder } from 'drizzle-orm';
import { events, people } from '../../db/schema';
import type { Person } from '../context';
import { preparedQuery, type Db } from '../db';
import type { EventRow } from './event-rules';
import { LONGEST_OCCURRENCE_MS } from './expand';

const MAX_LISTED_EVENTS = 1000;

/** Where a list of events in (first start, id) order goes on: after this event. */
export type EventsAfter = { spanStart: number; id: number };

/**
 * Events that may have occurrences that took place in a window from `from` on: scheduled ones, and
 * those called off after something in the window had started (what started before a cancellation
 * took place; cancelledWithEvent marks the rest). `from` may be the placeholder of a prepared query.
 */
export function heldSince(from: Date | Placeholder) {
  const after = from instanceof Date ? sql`${from.getTime() - LONGEST_OCCURRENCE_MS}` : sql`(${from} - ${LONGEST_OCCURRENCE_MS})`;
  return sql`(${events.status} = 'scheduled' OR ${events.cancelledAt} > ${after})`;
}

/**
 * Events overlapping [from, to) that a person may list: HR sees all, everyone else the events
 * they host or have an invitation to. Cancelled events are included (their status says so).
 */
export function eventsVisibleTo(
  db: Db,
  person: Person,
  from: Date,
  to: Date,
  page: { after?: EventsAfter | null; limit?: number } = {},
): (EventRow & { hostName: string })[] {
  return db
    .select({ event: events, hostName: people.name })
    .from(events)
    .innerJoin(people, eq(people.id, events.hostId))
    .where(
      and(
        sql`${events.spanStart} < ${to.getTime()}`,
        sql`(${events.spanEnd} IS NULL OR ${events.spanEnd} > ${from.getTime()})`,
        page.after ? sql`(${events.spanStart}, ${events.id}) > (${page.after.spanStart}, ${page.after.id})` : undefined,
        person.role === 'hr'
          ? undefined
          : // One list of the events they host or are invited to (a few hundred at most), read by id and sorted, not a walk of every event in order.
            sql`${events.id} IN (SELECT id FROM events WHERE host_id = ${person.id} UNION SELECT event_id FROM invitations WHERE person_id = ${person.id})`,
      ),
    )
    .orderBy(asc(events.spanStart), asc(events.id))
    .limit(Math.min(page.limit ?? MAX_LISTED_EVENTS, MAX_LISTED_EVENTS))
    .all()
    .map((r) => ({ ...r.event, hostName: r.hostName }));
}

const eventById = preparedQuery((db) =>
  db
    .select()
    .from(events)
    .where(sql`${events.id} = +${sql.placeholder('id')}`)
    .prepare(),
);

/** Through the partial index on split_from_event_id: an event page asks this of every event, and few were split. */
const partsSplitFrom = preparedQuery((db) =>
  db
    .select()
    .from(events)
    .where(sql`${events.splitFromEventId} = +${sql.placeholder('id')}`)
    .orderBy(asc(events.spanStart), asc(events.id))
    .limit(MAX_LISTED_EVENTS)
    .prepare(),
);

/** The parts of a split series next to `event`: the one it was split from, and those split from it (first start first). */
export function splitPartsOf(db: Db, event: EventRow): { earlier: EventRow | null; later: EventRow[] } {
  const earlier = event.splitFromEventId === null ? null : (eventById(db).get({ id: event.splitFromEventId }) ?? null);
  return { earlier, later: partsSplitFrom(db).all({ id: event.id }) };
}

const eventsOfPeopleQuery = preparedQuery((db) =>
  db.$client.prepare<[string, string], { id: number }>(
    `SELECT e.id FROM json_each(?) j CROSS JOIN events e ON e.host_id = j.value
     UNION SELECT i.event_id FROM json_each(?) j CROSS JOIN invitations i ON i.person_id = j.value`,
  ),
);

/** The events the people host or have an invitation to (any answer), by id. */
export function eventsOfPeople(db: Db, personIds: number[]): number[] {
  if (personIds.length === 0) return [];
  const ids = JSON.stringify(personIds);
  return eventsOfPeopleQuery(db)
    .all(ids, ids)
    .map((row) => row.id);
}
