/**
 * What people see of events: their schedule for a window, who is coming to the events they
 * host, and open seats they may claim. Reads only; occurrences are expanded for the window asked.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { events, invitations, people, type EventKind, type InvitationStatus } from '../../db/schema';
import type { Person } from '../context';
import type { Db } from '../db';
import { exceptionsOf, expandEvent, type EventOccurrence, type EventRow } from './events';

const MAX_EVENTS_PER_QUERY = 2000;

type PlaceRow = {
  id: number;
  eventId: number;
  personId: number;
  occurrenceStart: Date | null;
  status: InvitationStatus;
  holdsSeat: boolean;
  approvalStatus: 'pending' | 'approved' | 'rejected' | null;
  waitlistedAt: Date | null;
  source: 'invitation' | 'claim';
};

/** Every invitation row of the given events, grouped by event. */
export function placesOf(db: Db, eventIds: number[], onlyPersonId?: number): Map<number, PlaceRow[]> {
  const byEvent = new Map<number, PlaceRow[]>();
  for (let i = 0; i < eventIds.length; i += 500) {
    const chunk = eventIds.slice(i, i + 500);
    const rows = db
      .select({
        id: invitations.id,
        eventId: invitations.eventId,
        personId: invitations.personId,
        occurrenceStart: invitations.occurrenceStart,
        status: invitations.status,
        holdsSeat: invitations.holdsSeat,
        approvalStatus: invitations.approvalStatus,
        waitlistedAt: invitations.waitlistedAt,
        source: invitations.source,
      })
      .from(invitations)
      .where(and(inArray(invitations.eventId, chunk), onlyPersonId === undefined ? undefined : eq(invitations.personId, onlyPersonId)))
      .all();
    for (const row of rows) {
      const list = byEvent.get(row.eventId) ?? [];
      list.push(row);
      byEvent.set(row.eventId, list);
    }
  }
  return byEvent;
}

/**
 * The rows that apply at one occurrence: the occurrence's own rows, and the whole-event rows of
 * people who have none there. For a one-off event, the whole-event rows.
 */
export function rowsAtOccurrence(rows: PlaceRow[], originalStart: Date | null): PlaceRow[] {
  if (originalStart === null) return rows.filter((r) => r.occurrenceStart === null);
  const ms = originalStart.getTime();
  const own = rows.filter((r) => r.occurrenceStart !== null && r.occurrenceStart.getTime() === ms);
  const withOwn = new Set(own.map((r) => r.personId));
  return [...own, ...rows.filter((r) => r.occurrenceStart === null && !withOwn.has(r.personId))];
}

export type ScheduleEntry = {
  event: EventRow & { hostName: string };
  occurrence: EventOccurrence;
  role: 'host' | 'guest';
  /** The person's answer at this occurrence; null for the host. */
  answer: InvitationStatus | null;
  /** The row that holds the answer (occurrence row or whole-event row). */
  invitationId: number | null;
  approvalPending: boolean;
  seatsTaken: number;
};

/** Events overlapping [from, to) that the person hosts or has a row on, with the host's name. */
function eventsOfPerson(db: Db, personId: number, from: Date, to: Date): (EventRow & { hostName: string })[] {
  return db
    .select({ event: events, hostName: people.name })
    .from(events)
    .innerJoin(people, eq(people.id, events.hostId))
    .where(
      and(
        eq(events.status, 'scheduled'),
        sql`${events.spanStart} < ${to.getTime()}`,
        sql`(${events.spanEnd} IS NULL OR ${events.spanEnd} > ${from.getTime()})`,
        sql`(${events.hostId} = ${personId} OR ${events.id} IN (SELECT event_id FROM invitations WHERE person_id = ${personId}))`,
      ),
    )
    .limit(MAX_EVENTS_PER_QUERY)
    .all()
    .map((r) => ({ ...r.event, hostName: r.hostName }));
}

/**
 * The person's occurrences overlapping [from, to), sorted by start: events they host and
 * occurrences where their answer is not "declined" (unless `includeDeclined`).
 */
export function personSchedule(db: Db, personId: number, from: Date, to: Date, options: { includeDeclined?: boolean } = {}): ScheduleEntry[] {
  const found = eventsOfPerson(db, personId, from, to);
  if (found.length === 0) return [];
  const ids = found.map((e) => e.id);
  const exceptions = exceptionsOf(db, ids);
  const places = placesOf(db, ids);
  const entries: ScheduleEntry[] = [];
  for (const event of found) {
    const rows = places.get(event.id) ?? [];
    for (const occurrence of expandEvent(event, exceptions.get(event.id) ?? [], from, to)) {
      const at = rowsAtOccurrence(rows, event.rrule ? occurrence.originalStart : null);
      const seatsTaken = at.filter((r) => r.holdsSeat).length;
      if (event.hostId === personId) {
        entries.push({ event, occurrence, role: 'host', answer: null, invitationId: null, approvalPending: false, seatsTaken });
        continue;
      }
      const mine = at.find((r) => r.personId === personId);
      if (!mine || (mine.status === 'declined' && !options.includeDeclined)) continue;
      entries.push({
        event,
        occurrence,
        role: 'guest',
        answer: mine.status,
        invitationId: mine.id,
        approvalPending: mine.approvalStatus === 'pending',
        seatsTaken,
      });
    }
  }
  return entries.sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime() || a.event.id - b.event.id);
}

export type Attendee = { personId: number; name: string; department: string; status: InvitationStatus; holdsSeat: boolean; approvalPending: boolean; invitationId: number; scope: 'occurrence' | 'event' };

/** Who has a place at one occurrence (or a one-off event), seat holders first, then waitlist order. */
export function attendeesAt(db: Db, event: EventRow, originalStart: Date | null): Attendee[] {
  const rows = rowsAtOccurrence(placesOf(db, [event.id]).get(event.id) ?? [], event.rrule ? originalStart : null);
  if (rows.length === 0) return [];
  const named = new Map(
    db
      .select({ id: people.id, name: people.name, department: people.department })
      .from(people)
      .where(inArray(people.id, rows.map((r) => r.personId)))
      .all()
      .map((p) => [p.id, p]),
  );
  const rank = (r: PlaceRow) => (r.holdsSeat ? 0 : r.status === 'waitlisted' ? 1 : r.status === 'declined' ? 3 : 2);
  return rows
    .sort((a, b) => rank(a) - rank(b) || (a.waitlistedAt?.getTime() ?? 0) - (b.waitlistedAt?.getTime() ?? 0) || (named.get(a.personId)?.name ?? '').localeCompare(named.get(b.personId)?.name ?? ''))
    .map((r) => ({
      personId: r.personId,
      name: named.get(r.personId)?.name ?? `#${r.personId}`,
      department: named.get(r.personId)?.department ?? 'other',
      status: r.status,
      holdsSeat: r.holdsSeat,
      approvalPending: r.approvalStatus === 'pending',
      invitationId: r.id,
      scope: r.occurrenceStart === null ? 'event' : 'occurrence',
    }));
}

export type OpenSeatFilters = {
  from: Date;
  to: Date;
  teamId?: number;
  kind?: EventKind;
  account?: string;
};

export type OpenSeat = {
  event: EventRow & { hostName: string; teamName: string | null };
  occurrence: EventOccurrence;
  seatsTaken: number;
  seatsFree: number;
  /** The viewer's current answer there, if any (e.g. invited but not yet answered). */
  myStatus: InvitationStatus | null;
};

/**
 * Upcoming occurrences with free seats that the person may claim: events of the other department
 * (or open to anyone), not hosted by them, where they do not hold a seat yet. Sorted by start.
 */
export function findOpenSeats(db: Db, now: Date, person: Person, filters: OpenSeatFilters, limit = 100): OpenSeat[] {
  const from = new Date(Math.max(filters.from.getTime(), now.getTime()));
  if (from.getTime() >= filters.to.getTime()) return [];
  const conditions: (SQL | undefined)[] = [
    eq(events.status, 'scheduled'),
    sql`${events.seats} > 0`,
    sql`${events.hostId} <> ${person.id}`,
    sql`(${events.guestDepartment} = ${person.department} OR ${events.guestDepartment} IS NULL)`,
    sql`${events.spanStart} < ${filters.to.getTime()}`,
    sql`(${events.spanEnd} IS NULL OR ${events.spanEnd} > ${from.getTime()})`,
    filters.teamId ? eq(events.teamId, filters.teamId) : undefined,
    filters.kind ? eq(events.kind, filters.kind) : undefined,
    filters.account ? sql`${events.account} LIKE ${`%${filters.account.replace(/[\\%_]/g, (m) => '\\' + m)}%`} ESCAPE '\\'` : undefined,
  ];
  const found = db
    .select({ event: events, hostName: people.name, teamName: sql<string | null>`(SELECT name FROM teams WHERE teams.id = ${events.teamId})` })
    .from(events)
    .innerJoin(people, eq(people.id, events.hostId))
    .where(and(...conditions))
    .limit(MAX_EVENTS_PER_QUERY)
    .all()
    .map((r) => ({ ...r.event, hostName: r.hostName, teamName: r.teamName }));
  if (found.length === 0) return [];
  const ids = found.map((e) => e.id);
  const exceptions = exceptionsOf(db, ids);
  const places = placesOf(db, ids);
  const seats: OpenSeat[] = [];
  for (const event of found) {
    const rows = places.get(event.id) ?? [];
    for (const occurrence of expandEvent(event, exceptions.get(event.id) ?? [], from, filters.to)) {
      if (occurrence.start.getTime() <= now.getTime()) continue;
      const at = rowsAtOccurrence(rows, event.rrule ? occurrence.originalStart : null);
      const seatsTaken = at.filter((r) => r.holdsSeat).length;
      const mine = at.find((r) => r.personId === person.id);
      // Someone already invited answers their invitation instead; a declined guest may still claim.
      if (seatsTaken >= event.seats || (mine && mine.status !== 'declined')) continue;
      seats.push({ event, occurrence, seatsTaken, seatsFree: event.seats - seatsTaken, myStatus: mine?.status ?? null });
    }
  }
  return seats.sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime() || a.event.id - b.event.id).slice(0, limit);
}

/** Pending invitations of a person: rows still 'invited' on future occurrences of scheduled events. */
export function pendingInvitations(db: Db, now: Date, personId: number) {
  return db
    .select({ invitation: invitations, event: events, hostName: people.name })
    .from(invitations)
    .innerJoin(events, eq(events.id, invitations.eventId))
    .innerJoin(people, eq(people.id, events.hostId))
    .where(
      and(
        eq(invitations.personId, personId),
        eq(invitations.status, 'invited'),
        sql`${invitations.approvalStatus} IS NULL`,
        eq(events.status, 'scheduled'),
        sql`(${events.spanEnd} IS NULL OR ${events.spanEnd} > ${now.getTime()})`,
        sql`(${invitations.occurrenceStart} IS NULL OR ${invitations.occurrenceStart} > ${now.getTime()})`,
      ),
    )
    .orderBy(events.spanStart)
    .limit(200)
    .all();
}
