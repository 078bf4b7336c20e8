/**
 * iMIP (RFC 6047): the text/calendar part of invitation, change and cancellation mail. It holds
 * the same VEVENTs (UID, SEQUENCE) as the person's calendar feed, with the reply address as
 * ORGANIZER and the person as the one ATTENDEE asked to answer, so Outlook, Gmail and Apple Mail
 * offer Accept / Maybe / Decline and send a METHOD:REPLY back to crosstrain.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { eventExceptions, invitations, people } from '../../db/schema';
import type { Db } from '../db';
import { heldPartOf, type EventRow } from '../events';
import type { MailCalendar } from '../lib/mail';
import { replyAddress } from './reply-address';
import { eventToIcs, occurrenceToIcs, occurrenceUid, type CalendarOptions } from './calendar';
import { buildCalendar, type IcsEvent } from './ics';

/** `replyDomain`: INBOUND_DOMAIN or BASE_URL's host (replyDomainOf); null: no reply address can be reached. */
type ImipOptions = { baseUrl: string; replyDomain?: string | null; now: Date };
type InvitationRow = typeof invitations.$inferSelect;

const PARTSTAT = { invited: 'NEEDS-ACTION', accepted: 'ACCEPTED', tentative: 'TENTATIVE', declined: 'DECLINED', waitlisted: 'NEEDS-ACTION' } as const;

/** The person's invitation the mail is about: the one at this occurrence, else their whole-event one. */
function invitationOf(db: Db, eventId: number, personId: number, originalStart: Date | null): InvitationRow | undefined {
  if (originalStart) {
    const own = db
      .select()
      .from(invitations)
      .where(and(eq(invitations.eventId, eventId), eq(invitations.personId, personId), eq(invitations.occurrenceStart, originalStart)))
      .get();
    if (own) return own;
  }
  return (
    db
      .select()
      .from(invitations)
      .where(and(eq(invitations.eventId, eventId), eq(invitations.personId, personId), isNull(invitations.occurrenceStart)))
      .get() ??
    db
      .select()
      .from(invitations)
      .where(and(eq(invitations.eventId, eventId), eq(invitations.personId, personId)))
      .get()
  );
}

/**
 * The calendar part for one person's mail about an event: REQUEST (invitation or change) or
 * CANCEL (the event, or with `cancelledOccurrence` one occurrence). Null when the person holds no
 * invitation on the event (nothing for their mail program to answer).
 */
export function invitationMailCalendar(
  db: Db,
  event: EventRow,
  personId: number,
  method: 'REQUEST' | 'CANCEL',
  options: ImipOptions,
  cancelledOccurrence: { originalStart: Date; start: Date; end: Date } | null = null,
): MailCalendar | null {
  const invitation = invitationOf(db, event.id, personId, cancelledOccurrence?.originalStart ?? null);
  const person = db.select().from(people).where(eq(people.id, personId)).get();
  const host = db.select({ name: people.name, email: people.email }).from(people).where(eq(people.id, event.hostId)).get();
  if (!invitation || !person) return null;
  const exceptions = db.select().from(eventExceptions).where(eq(eventExceptions.eventId, event.id)).all();
  const calendarOptions: CalendarOptions = { baseUrl: options.baseUrl, reminderLeadMinutes: null, now: options.now };
  const hostName = host?.name ?? 'a colleague';
  let vevents: IcsEvent[];
  // A series called off after some occurrences took place: those stay in the person's calendar,
  // so the mail updates the series to end before the cancellation instead of cancelling its UID.
  const held =
    method === 'CANCEL' && !cancelledOccurrence && event.rrule && !invitation.occurrenceStart && event.status === 'cancelled'
      ? heldPartOf(event, exceptions)
      : null;
  if (held) {
    method = 'REQUEST';
    vevents = eventToIcs(held.event, held.exceptions, hostName, calendarOptions);
  } else if (invitation.occurrenceStart && event.rrule) {
    const single =
      occurrenceToIcs(event, exceptions, invitation.occurrenceStart, hostName, calendarOptions) ??
      (method === 'CANCEL' && cancelledOccurrence ? cancelledSingle(event, invitation.occurrenceStart, hostName, calendarOptions, cancelledOccurrence) : null);
    if (!single) return null;
    vevents = [single];
  } else if (cancelledOccurrence && event.rrule) {
    // One occurrence of a series the person joined as a whole: cancel just that instance.
    const [master] = eventToIcs(event, exceptions, hostName, calendarOptions);
    const exception = exceptions.find((x) => x.originalStart.getTime() === cancelledOccurrence.originalStart.getTime());
    vevents = [
      {
        ...master!,
        rrule: undefined,
        rdates: undefined,
        exdates: undefined,
        recurrenceId: cancelledOccurrence.originalStart,
        sequence: event.sequence + (exception?.sequence ?? 0),
        status: 'CANCELLED',
        timing: { kind: 'timed', start: cancelledOccurrence.start, end: cancelledOccurrence.end, timeZone: event.timeZone },
      },
    ];
  } else {
    vevents = eventToIcs(event, exceptions, hostName, calendarOptions);
  }
  // Without a domain mail can reach, the host is the organizer: answers then reach a person (and
  // the mail's link answers on the page) rather than an address that would bounce.
  const organizer = { email: options.replyDomain ? replyAddress(db, options.replyDomain, invitation.id) : (host?.email ?? person.email), name: hostName };
  const attendee = {
    email: person.email,
    name: person.name,
    partstat: method === 'CANCEL' ? ('NEEDS-ACTION' as const) : PARTSTAT[invitation.status],
    rsvp: method === 'REQUEST' && !held,
  };
  const withPeople = vevents.map((v) => ({ ...v, organizer, attendees: [attendee], ...(method === 'CANCEL' ? { status: 'CANCELLED' as const } : {}) }));
  return { method, content: buildCalendar({ method, events: withPeople }) };
}

/**
 * The calendar part of each person's mail cancelling the event, or with `occurrence` that one
 * occurrence (for notifyEventCancelled / notifyOccurrenceCancelled of the events feature).
 */
export function cancellationCalendarOf(
  db: Db,
  event: EventRow,
  options: ImipOptions,
  occurrence: { originalStart: Date; start: Date; end: Date } | null = null,
) {
  return (personId: number) => invitationMailCalendar(db, event, personId, 'CANCEL', options, occurrence);
}

function cancelledSingle(
  event: EventRow,
  originalStart: Date,
  hostName: string,
  options: CalendarOptions,
  occurrence: { start: Date; end: Date },
): IcsEvent | null {
  const [master] = eventToIcs({ ...event, rrule: null }, [], hostName, options);
  if (!master) return null;
  return {
    ...master,
    uid: occurrenceUid(event.id, originalStart),
    timing: { kind: 'timed', start: occurrence.start, end: occurrence.end, timeZone: event.timeZone },
  };
}
