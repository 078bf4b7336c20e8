/**
 * The occurrences of an event as they stand: expanded with their exceptions, one looked up by its
 * original start, and what of a called-off event took place.
 */
import { and, eq, sql } from 'drizzle-orm';
import { eventExceptions } from '../../db/schema';
import { preparedQuery, type Db } from '../db';
import { notFound } from '../lib/errors';
import { expandOccurrences, occurrenceAt, occurrenceKey, splitSeries, MAX_EXPANSION_WINDOW_MS } from './recurrence';
import { cancelledWithEvent, expandEvent, timingOf, type EventOccurrence } from './expand';
import { currentStoredOccurrence, exceptionsByEvent } from './occurrences';
import { firstStartOf, type EventRow, type ExceptionRow } from './event-rules';

/** Exceptions (cancelled or moved occurrences) of the given events, by event. */
export const exceptionsOf = exceptionsByEvent;

export function eventOccurrences(db: Db, event: EventRow, from: Date, to: Date, includeCancelled = false): EventOccurrence[] {
  return expandEvent(event, exceptionsOf(db, [event.id]).get(event.id) ?? [], from, to, includeCancelled);
}

/**
 * What of a called-off event took place, as an event of its own for calendars: a series ends (UNTIL)
 * before the first occurrence the cancellation reached, and occurrences moved past the moment it
 * was called off count as cancelled. The event itself when it was not called off; null when the
 * cancellation reached everything.
 */
export function heldPartOf(event: EventRow, exceptions: ExceptionRow[]): { event: EventRow; exceptions: ExceptionRow[] } | null {
  if (event.status !== 'cancelled') return { event, exceptions };
  const at = event.cancelledAt;
  if (!at) return null;
  const held = { ...event, status: 'scheduled' as const };
  if (!event.rrule) return firstStartOf(event).getTime() < at.getTime() ? { event: held, exceptions } : null;
  const timing = timingOf(event);
  const [first] = expandOccurrences({ ...timing, from: at, to: new Date(at.getTime() + MAX_EXPANSION_WINDOW_MS) }).filter(
    (o) => o.start.getTime() >= at.getTime(),
  );
  let rrule = event.rrule;
  if (first) {
    const head = splitSeries(event.rrule, event.startLocal, event.timeZone, first.originalStart).headRRule;
    if (head === null) return null;
    rrule = head;
  }
  const kept = exceptions
    .filter((x) => x.originalStart.getTime() < at.getTime())
    .map((x) => (x.kind === 'moved' && x.start && x.start.getTime() >= at.getTime() ? { ...x, kind: 'cancelled' as const, start: null, end: null } : x));
  return { event: { ...held, rrule }, exceptions: kept };
}

/** The occurrence of `event` with that original start given its exceptions, or null when the rule has none there. */
export function occurrenceAtOf(event: EventRow, exceptions: ExceptionRow[], originalStart: Date): EventOccurrence | null {
  const base = occurrenceAt(timingOf(event), originalStart);
  if (!base) return null;
  const exception = exceptions.find((e) => e.originalStart.getTime() === base.originalStart.getTime());
  const moved = exception?.kind === 'moved' && exception.start && exception.end;
  return {
    originalStart: base.originalStart,
    start: moved ? exception.start! : base.start,
    end: moved ? exception.end! : base.end,
    isMoved: !!moved,
    key: occurrenceKey(event.id, base.originalStart),
    eventId: event.id,
    cancelled: cancelledWithEvent(event, moved ? exception.start! : base.start) || exception?.kind === 'cancelled',
  };
}

const exceptionAt = preparedQuery((db) =>
  db
    .select()
    .from(eventExceptions)
    .where(and(eq(eventExceptions.eventId, sql.placeholder('eventId')), eq(eventExceptions.originalStart, sql.placeholder('originalStart'))))
    .prepare(),
);

/** The occurrence of `event` with that original start, with its current time; 404 when there is none. */
export function requireOccurrence(db: Db, event: EventRow, originalStart: Date): EventOccurrence {
  // Within the horizon the stored row is the occurrence (every write keeps it equal to the rule): one read of the
  // primary key, where matching the rule expands it around that start (a seat claim's largest piece of work in JS).
  const stored = currentStoredOccurrence(db, event.id, originalStart);
  if (stored) {
    const { seatsTaken: _, ...occurrence } = stored;
    return occurrence;
  }
  const base = occurrenceAt(timingOf(event), originalStart);
  if (!base) throw notFound('This event has no occurrence at that time.');
  const exceptions = exceptionAt(db).all({ eventId: event.id, originalStart: base.originalStart.getTime() });
  return occurrenceAtOf(event, exceptions, base.originalStart)!;
}

/**
 * The first occurrence of `event` (not cancelled on its own) that has not started by `now`, or null.
 * What has started took place and stays so.
 */
export function nextOccurrenceOf(db: Db, event: EventRow, now: Date): EventOccurrence | null {
  if (event.status === 'cancelled') return null;
  if (!event.rrule) {
    const start = firstStartOf(event);
    return start.getTime() >= now.getTime() ? (eventOccurrences(db, event, start, new Date(start.getTime() + 1))[0] ?? null) : null;
  }
  if (event.spanEnd && event.spanEnd.getTime() <= now.getTime()) return null;
  const to = new Date(Math.min(event.spanEnd?.getTime() ?? Infinity, now.getTime() + MAX_EXPANSION_WINDOW_MS));
  return eventOccurrences(db, event, now, to).find((o) => o.start.getTime() >= now.getTime()) ?? null;
}

/** Whether calling the event off at `now` would cancel anything: an occurrence that has not started yet. */
export function hasOccurrenceAhead(db: Db, event: EventRow, now: Date): boolean {
  if (event.status === 'cancelled') return false;
  if (!event.rrule) return firstStartOf(event).getTime() >= now.getTime();
  return nextOccurrenceOf(db, event, now) !== null;
}
