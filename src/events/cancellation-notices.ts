/**
 * Cancellations tell the people who had a seat, and freed seats go to the waitlist.
 */
import { and, eq, gte, inArray } from 'drizzle-orm';
import { invitations, people } from '../../db/schema';
import type { AppContext, Person } from '../context';
import type { Db } from '../db';
import type { Clock } from '../lib/clock';
import { queueMail } from '../outbox/outbox';
import { formatLocal } from '../lib/time';
import type { EventRow } from './event-rules';
import type { EventOccurrence } from './expand';
import { occurrenceKey } from './recurrence';
import type { MailCalendar } from '../lib/mail';
import { type Place, notifyPromoted, promoteWaitlist, seatHolders } from './invitations';

function seatHoldersWithPeople(tx: Db, place: Place) {
  const ids = seatHolders(tx, place);
  return ids.length ? tx.select().from(people).where(inArray(people.id, ids)).all() : [];
}

/** Queues a cancellation mail to everyone holding a seat in any future occurrence (or the event). */
/**
 * The calendar part (iMIP CANCEL) of one person's cancellation mail, or null for none. The calendar
 * feature builds it (cancellationCalendarOf in src/calendar/imip.ts) and registers the builder, so
 * the events feature never imports calendar building, which reads the events feature.
 */
type CancellationCalendar = (personId: number) => MailCalendar | null;

/** What the calendar feature registers: the calendar part of this request's cancellation mail about an event, or one of its occurrences. */
type CancellationCalendarSource = (
  c: AppContext,
  tx: Db,
  event: EventRow,
  occurrence: { originalStart: Date; start: Date; end: Date } | null,
) => CancellationCalendar;

// Keyed by the connection, like every registry: two databases in one process never share them.
const calendarSources = new WeakMap<object, CancellationCalendarSource>();

/** The calendar feature hands its iMIP builder in here (createApp wires it), so events never imports calendar. */
export function registerCancellationCalendar(db: Db, source: CancellationCalendarSource): void {
  calendarSources.set(db.$client, source);
}

/** The calendar part of the cancellation mail the routes send; without a registered builder, plain mail. */
export function cancellationCalendar(
  c: AppContext,
  tx: Db,
  event: EventRow,
  occurrence: { originalStart: Date; start: Date; end: Date } | null = null,
): CancellationCalendar | undefined {
  return calendarSources.get(c.var.deps.db.$client)?.(c, tx, event, occurrence);
}

export function notifyEventCancelled(tx: Db, clock: Clock, event: EventRow, calendarOf?: CancellationCalendar) {
  const now = clock.now();
  const recipients = new Map<number, Person>();
  for (const p of seatHoldersWithPeople(tx, { eventId: event.id, start: null })) recipients.set(p.id, p);
  const rows = tx
    .select({ person: people })
    .from(invitations)
    .innerJoin(people, eq(people.id, invitations.personId))
    .where(and(eq(invitations.eventId, event.id), eq(invitations.holdsSeat, true), gte(invitations.occurrenceStart, now)))
    .all();
  for (const { person } of rows) recipients.set(person.id, person);
  // Cancelling changes the future only: a series that had begun keeps what took place.
  const begun = event.rrule !== null && event.spanStart.getTime() < now.getTime();
  const scope = !event.rrule ? '' : begun ? ' (every occurrence still to come; those that took place stay as they were)' : ' (all occurrences)';
  for (const person of recipients.values()) {
    queueMail(tx, clock, {
      to: person.email,
      toPersonId: person.id,
      subject: `Cancelled: ${event.title}`,
      body: `"${event.title}" has been cancelled by the host${scope}. Nothing else to do on your side.`,
      dedupeKey: `event-cancelled:${event.id}:${person.id}`,
      calendar: calendarOf?.(person.id) ?? null,
    });
  }
}

/** Queues a cancellation mail to the seat holders of one occurrence. */
export function notifyOccurrenceCancelled(tx: Db, clock: Clock, event: EventRow, occurrence: EventOccurrence, calendarOf?: CancellationCalendar) {
  for (const person of seatHoldersWithPeople(tx, { eventId: event.id, start: occurrence.originalStart })) {
    const when = `${formatLocal(occurrence.start, person.timeZone).replace('T', ' ')} (${person.timeZone})`;
    queueMail(tx, clock, {
      to: person.email,
      toPersonId: person.id,
      subject: `Cancelled: ${event.title} on ${when}`,
      body: `The occurrence of "${event.title}" on ${when} has been cancelled. The other occurrences stay as they are.`,
      dedupeKey: `occurrence-cancelled:${occurrenceKey(event.id, occurrence.originalStart)}:${person.id}`,
      calendar: calendarOf?.(person.id) ?? null,
    });
  }
}

/** After seats grew (event edited): fill them from the waitlists. */
export function fillFreedSeats(tx: Db, clock: Clock, event: EventRow) {
  notifyPromoted(tx, clock, event, promoteWaitlist(tx, clock.now(), event));
}

/** The navigation's count of the viewer's pending invitations (as pendingInvitations lists them): a SQL expression. */
