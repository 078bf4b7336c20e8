/**
 * What an event is and who may change it: its details and their rules, the row and its span,
 * and the checks every write to an event or its occurrences starts with.
 */
import { and, eq, sql } from 'drizzle-orm';
import { eventExceptions, events, people, type Department, type EventKind, type opportunityStages } from '../../db/schema';
import type { Person } from '../context';
import { preparedQuery, type Db } from '../db';
import { AppError, forbidden, notFound } from '../lib/errors';
import { isBelow } from '../people/people';
import { tryParseLocalDateTime, zonedLocalToUtc, isValidTimeZone } from '../lib/time';
import { RecurrenceError, lastOccurrenceEnd, normalizeSeries } from './recurrence';
import { timingOf } from './expand';

export type EventRow = typeof events.$inferSelect;
export type ExceptionRow = typeof eventExceptions.$inferSelect;
export type OpportunityStage = (typeof opportunityStages)[number];

/** What describes an event, whoever sends it (form or API); `rrule` may be any supported RRULE. */
export type EventDetails = {
  kind: EventKind;
  title: string;
  description: string;
  hostId: number;
  startLocal: string;
  timeZone: string;
  durationMinutes: number;
  seats: number;
  rrule: string | null;
  account: string | null;
  opportunityStage: OpportunityStage | null;
  location: string | null;
  meetingUrl: string | null;
  topic: string | null;
};

export const MAX_DURATION_MINUTES = 12 * 60;
const MAX_SEATS = 500;

export const KIND_LABELS: Record<EventKind, string> = {
  sales_call: 'Sales call',
  marketing_meeting: 'Marketing meeting',
  alignment_meeting: 'Alignment meeting',
  training: 'Training',
};

/** A rule or input problem tied to one field; shown on the form and as an API issue. */
export const invalidField = (path: string, message: string) => new AppError(400, 'invalid', message, [{ path, message }]);

/** The department guests come from: the host's other department; null = anyone may join. */
export function guestDepartmentFor(kind: EventKind, hostDepartment: Department): Department | null {
  if (kind === 'sales_call') return 'marketing';
  if (kind === 'marketing_meeting') return 'sales';
  if (kind === 'alignment_meeting') return hostDepartment === 'sales' ? 'marketing' : hostDepartment === 'marketing' ? 'sales' : null;
  return null;
}

function requireHost(db: Db, hostId: number): Person {
  const host = db.select().from(people).where(eq(people.id, hostId)).get();
  if (!host?.active) throw invalidField('hostId', 'The host must be an active person in the directory.');
  return host;
}

/** Who may host an event made by `actor`: yourself; managers also their reports; HR anyone. */
export function assertMayChooseHost(db: Db, actorPerson: Person, hostId: number) {
  if (hostId === actorPerson.id || actorPerson.role === 'hr') return;
  if (actorPerson.role === 'manager' && isBelow(db, actorPerson.id, hostId)) return;
  throw forbidden('You can host events yourself; managers can also plan them for their reports, HR for anyone.');
}

/** Checks the details against the rules of their kind and returns them with a canonical rule. */
export function checkedDetails(db: Db, details: EventDetails): EventDetails & { host: Person } {
  const host = requireHost(db, details.hostId);
  if (details.kind === 'sales_call' && host.department !== 'sales') {
    throw invalidField('hostId', 'A sales call is hosted by someone from sales.');
  }
  if (details.kind === 'marketing_meeting' && host.department !== 'marketing') {
    throw invalidField('hostId', 'A marketing meeting is hosted by someone from marketing.');
  }
  if (details.kind === 'sales_call' && !details.account) throw invalidField('account', 'Enter the account the sales call is with.');
  if (details.kind === 'marketing_meeting' && !details.topic) throw invalidField('topic', 'Enter the topic of the marketing meeting.');
  if (!tryParseLocalDateTime(details.startLocal)) throw invalidField('start', 'Enter a start date and time like 2026-03-09T09:00.');
  if (!isValidTimeZone(details.timeZone)) throw invalidField('timeZone', 'Use an IANA time zone such as America/New_York.');
  if (!Number.isInteger(details.durationMinutes) || details.durationMinutes < 5 || details.durationMinutes > MAX_DURATION_MINUTES) {
    throw invalidField('end', 'An event lasts from 5 minutes to 12 hours and ends after it starts.');
  }
  if (!Number.isInteger(details.seats) || details.seats < 0 || details.seats > MAX_SEATS) {
    throw invalidField('seats', `Guest seats must be a whole number from 0 to ${MAX_SEATS}.`);
  }
  let rrule: string | null = null;
  let startLocal = details.startLocal;
  if (details.rrule) {
    try {
      // A start the rule does not produce is not an occurrence; the series begins at the rule's first one.
      ({ rrule, firstStartLocal: startLocal } = normalizeSeries(details.rrule, details.startLocal, details.timeZone));
    } catch (err) {
      if (err instanceof RecurrenceError) throw invalidField('recurrence', err.message);
      throw err;
    }
  }
  const kindFields = {
    account: details.kind === 'sales_call' ? details.account : null,
    opportunityStage: details.kind === 'sales_call' ? details.opportunityStage : null,
    topic: details.kind === 'marketing_meeting' ? details.topic : (details.topic ?? null),
  };
  return { ...details, ...kindFields, startLocal, rrule, host };
}

/** First start of the event as an instant. */
export const firstStartOf = (event: Pick<EventRow, 'startLocal' | 'timeZone'>) => zonedLocalToUtc(event.startLocal, event.timeZone);

/** The window every occurrence (moved ones included) lies in; kept on the row for window queries. */
export function spanOf(event: Pick<EventRow, 'rrule' | 'startLocal' | 'timeZone' | 'durationMinutes'>, moved: { start: Date | null; end: Date | null }[]) {
  let spanStart = firstStartOf(event).getTime();
  let spanEnd: number | null = lastOccurrenceEnd(timingOf(event))?.getTime() ?? null;
  for (const m of moved) {
    if (m.start) spanStart = Math.min(spanStart, m.start.getTime());
    if (m.end && spanEnd !== null) spanEnd = Math.max(spanEnd, m.end.getTime());
  }
  return { spanStart: new Date(spanStart), spanEnd: spanEnd === null ? null : new Date(spanEnd) };
}

function movedExceptions(db: Db, eventId: number) {
  return db
    .select({ start: eventExceptions.start, end: eventExceptions.end })
    .from(eventExceptions)
    .where(and(eq(eventExceptions.eventId, eventId), eq(eventExceptions.kind, 'moved')))
    .all();
}

export function refreshSpan(db: Db, eventId: number) {
  const event = requireEvent(db, eventId);
  db.update(events)
    .set(spanOf(event, movedExceptions(db, eventId)))
    .where(eq(events.id, eventId))
    .run();
}

const eventById = preparedQuery((db) =>
  db
    .select()
    .from(events)
    .where(eq(events.id, sql.placeholder('id')))
    .prepare(),
);

export function getEvent(db: Db, id: number): EventRow | undefined {
  return eventById(db).get({ id });
}

export function requireEvent(db: Db, id: number): EventRow {
  const event = getEvent(db, id);
  if (!event) throw notFound('No event with this id.');
  return event;
}

/** Host and HR change an event; so does the host's manager. */
export function canManageEvent(db: Db, person: Person, event: EventRow): boolean {
  if (person.role === 'hr' || person.id === event.hostId) return true;
  return person.role === 'manager' && isBelow(db, person.id, event.hostId);
}

/** An event `person` may manage (its host, their manager or HR). */
export function requireManagedEvent(db: Db, person: Person, id: number): EventRow {
  const event = requireEvent(db, id);
  if (!canManageEvent(db, person, event)) throw forbidden('Only the host, their manager or HR can change this event.');
  return event;
}

/** The event `person` is about to change: it exists, they may manage it, and it is not cancelled. */
export function requireChangeableEvent(db: Db, person: Person, id: number): EventRow {
  const event = requireManagedEvent(db, person, id);
  if (event.status === 'cancelled') throw new AppError(409, 'cancelled', 'This event has been cancelled.');
  return event;
}

export function assertSeries(event: EventRow) {
  if (!event.rrule) throw new AppError(409, 'not_a_series', 'This is a one-off event; change or cancel the event itself.');
}
