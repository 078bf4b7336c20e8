/** Turns event rows into the view models of views/events and views/home (times in the viewer's zone). */
import type { Db } from '../db';
import { formatWhen } from '../../views/events/format';
import type { EventSummary, InvitationItem, OpenSeatItem } from '../../views/events/components';
import { firstStartOf, type EventRow, type ExceptionRow } from './event-rules';
import { occurrenceAtOf } from './event-occurrences';
import { expandEvent, type EventOccurrence } from './expand';
import { cancelledWithEvent } from './expand';
import { waitlistPosition, type InvitationRow } from './invitations';
import { describeRecurrence, occurrenceKey } from './recurrence';
import { exceptionsByEvent, nextStoredOccurrences, storedOccurrencesAt } from './occurrences';
import type { ShownOpenSeat } from './open-seats';

export const occurrenceHref = (eventId: number, originalStart: Date) => `/events/${eventId}/occurrences/${occurrenceKey(eventId, originalStart)}`;

export function eventSummary(event: EventRow, hostName: string, viewerZone: string): EventSummary {
  const start = firstStartOf(event);
  return {
    id: event.id,
    title: event.title,
    kind: event.kind,
    hostName,
    description: event.description,
    account: event.account,
    opportunityStage: event.opportunityStage,
    location: event.location,
    meetingUrl: event.meetingUrl,
    topic: event.topic,
    seats: event.seats,
    status: event.status,
    recurrenceText: event.rrule ? describeRecurrence(event.rrule, event.timeZone) : null,
    firstWhen: formatWhen(start, new Date(start.getTime() + event.durationMinutes * 60_000), viewerZone),
    firstWhenHost: formatWhen(start, new Date(start.getTime() + event.durationMinutes * 60_000), event.timeZone),
    timeZone: event.timeZone,
    guestDepartment: event.guestDepartment,
    isSeries: event.rrule !== null,
  };
}

/** The invitation as a card: for a series-wide row, "when" is the next occurrence from `now`. */
export function invitationItem(db: Db, now: Date, viewerZone: string, row: InvitationRow, event: EventRow, hostName: string): InvitationItem {
  return invitationItems(db, now, viewerZone, [{ invitation: row, event, hostName }])[0]!;
}

type InvitationOfEvent = { invitation: InvitationRow; event: EventRow; hostName: string };

/** The stored occurrences the invitations answered per occurrence are at (keys as storedOccurrencesAt's), in one read. */
export function occurrencesOfInvitations(db: Db, rows: InvitationOfEvent[]): Map<string, EventOccurrence> {
  return storedOccurrencesAt(
    db,
    rows.flatMap((r) => (r.event.rrule && r.invitation.occurrenceStart ? [{ eventId: r.event.id, originalStart: r.invitation.occurrenceStart }] : [])),
  );
}

/** Many invitations as cards, with the events' exceptions read once for all of them; `stored`: occurrencesOfInvitations when already read. */
export function invitationItems(
  db: Db,
  now: Date,
  viewerZone: string,
  rows: InvitationOfEvent[],
  stored: Map<string, EventOccurrence> = occurrencesOfInvitations(db, rows),
): InvitationItem[] {
  // Within the stored horizon the occurrences are read, not expanded: the next one of each series
  // answered as a whole, the very one of each answered per occurrence. Past it, the rules are expanded.
  const nextOf = nextStoredOccurrences(
    db,
    [...new Set(rows.filter((r) => r.event.rrule && r.invitation.occurrenceStart === null).map((r) => r.event.id))],
    now,
    new Date(now.getTime() + 366 * 86_400_000),
  );
  let exceptions: Map<number, ExceptionRow[]> | undefined;
  const exceptionsOf = (eventId: number) => {
    exceptions ??= exceptionsByEvent(db, [...new Set(rows.filter((r) => r.event.rrule).map((r) => r.event.id))]);
    return exceptions.get(eventId) ?? [];
  };
  return rows.map(({ invitation: row, event, hostName }) => {
    let start = row.occurrenceStart ?? firstStartOf(event);
    let end = new Date(start.getTime() + event.durationMinutes * 60_000);
    let cancelled = event.status === 'cancelled';
    if (event.rrule && row.occurrenceStart === null) {
      let next: { start: Date; end: Date } | undefined;
      if (nextOf) next = nextOf.get(event.id);
      else {
        const own = exceptionsOf(event.id);
        const soon = expandEvent(event, own, now, new Date(now.getTime() + 35 * 86_400_000));
        [next] = soon.length > 0 ? soon : expandEvent(event, own, now, new Date(now.getTime() + 366 * 86_400_000));
      }
      if (next) {
        start = next.start;
        end = next.end;
      }
    } else if (event.rrule && row.occurrenceStart) {
      const occurrence = stored.get(`${event.id}:${row.occurrenceStart.getTime()}`) ?? occurrenceAtOf(event, exceptionsOf(event.id), row.occurrenceStart);
      if (occurrence) {
        start = occurrence.start;
        end = occurrence.end;
        cancelled = occurrence.cancelled;
      }
    } else if (!event.rrule) {
      // A one-off event called off after it started took place.
      cancelled = cancelledWithEvent(event, start);
    }
    const href = event.rrule && row.occurrenceStart ? occurrenceHref(event.id, row.occurrenceStart) : `/events/${event.id}`;
    return {
      invitationId: row.id,
      eventId: event.id,
      title: event.title,
      kind: event.kind,
      hostName,
      when: event.rrule && row.occurrenceStart === null ? `Next: ${formatWhen(start, end, viewerZone)}` : formatWhen(start, end, viewerZone),
      scope: !event.rrule ? 'event' : row.occurrenceStart ? 'occurrence' : 'series',
      recurrenceText: event.rrule ? describeRecurrence(event.rrule, event.timeZone) : null,
      href,
      status: row.status,
      approvalPending: row.approvalStatus === 'pending',
      waitlistPosition: waitlistPosition(db, row),
      declineReason: row.declineReason,
      cancelled,
    };
  });
}

export function openSeatItem(seat: ShownOpenSeat, viewerZone: string): OpenSeatItem {
  return {
    eventId: seat.event.id,
    occurrenceKey: seat.occurrence.key,
    title: seat.event.title,
    kind: seat.event.kind,
    hostName: seat.event.hostName,
    teamName: seat.event.teamName,
    account: seat.event.account,
    when: formatWhen(seat.occurrence.start, seat.occurrence.end, viewerZone),
    seats: seat.event.seats,
    seatsFree: seat.seatsFree,
    href: occurrenceHref(seat.event.id, seat.occurrence.originalStart),
    isSeries: seat.event.rrule !== null,
  };
}
