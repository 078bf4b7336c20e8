/**
 * What people see of events: their schedule for a window, who is coming to the events they
 * host, and open seats they may claim. Reads only; occurrences are expanded for the window asked.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { events, invitations, people, type EventKind, type InvitationStatus } from '../../db/schema';
import type { Person } from '../context';
import type { Db } from '../db';
import { expandEvent, type EventOccurrence, type EventRow } from './events';
import { eventsOfPersonFast, exceptionsOfFast, openSeatCandidatesFast, pendingInvitationsFast, placesOfPersonFast, seatUsageRows } from './fast';

const MAX_EVENTS_PER_QUERY = 2000;

export type PlaceRow = {
  id: number;
  eventId: number;
  personId: number;
  occurrenceStart: Date | null;
  status: InvitationStatus;
  holdsSeat: boolean;
  approvalStatus: 'pending' | 'approved' | 'rejected' | null;
  waitlistedAt: Date | null;
  source: 'invitation' | 'claim';
  effectiveFrom: Date | null;
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
        effectiveFrom: invitations.effectiveFrom,
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

/** Where places are read: one occurrence (its identity and when it actually starts), or null for a one-off event. */
export type PlaceAt = { originalStart: Date; start: Date } | null;

type PlaceRowLike = { personId: number; occurrenceStart: Date | null; effectiveFrom: Date | null };

/** Whether a whole-event row applies at an occurrence starting at `start`: answers change the future only. */
export function wholeRowApplies(row: Pick<PlaceRowLike, 'effectiveFrom'>, start: Date): boolean {
  return row.effectiveFrom === null || start.getTime() > row.effectiveFrom.getTime();
}

/** The same rule as wholeRowApplies, for SQL that reads places: `alias` is a whole-event row, `startSql` the occurrence's actual start. */
export const wholeRowAppliesSql = (alias: string, startSql: string) => `(${alias}.effective_from IS NULL OR ${startSql} > ${alias}.effective_from)`;

/**
 * The one rule of who stands where at an occurrence (every read of places goes through it): the
 * occurrence's own rows, and the whole-event rows of people without one there — a whole-event row
 * only at occurrences that start after it took effect, so an answer given today never rewrites an
 * occurrence that had already started. For a one-off event (`at` null), its whole-event rows.
 */
export function rowsAtOccurrence<R extends PlaceRowLike>(rows: R[], at: PlaceAt): R[] {
  if (at === null) return rows.filter((r) => r.occurrenceStart === null);
  const ms = at.originalStart.getTime();
  const own = rows.filter((r) => r.occurrenceStart !== null && r.occurrenceStart.getTime() === ms);
  const withOwn = new Set(own.map((r) => r.personId));
  return [...own, ...rows.filter((r) => r.occurrenceStart === null && !withOwn.has(r.personId) && wholeRowApplies(r, at.start))];
}

/** Where to read places of an occurrence of `event`: the occurrence for a series, null for a one-off event. */
export const placeOf = (event: Pick<EventRow, 'rrule'>, occurrence: { originalStart: Date; start: Date }): PlaceAt => (event.rrule ? occurrence : null);

/** A person's row at an occurrence, if any (see rowsAtOccurrence). */
export function placeRowAt<R extends PlaceRowLike>(rows: R[], at: PlaceAt, personId: number): R | undefined {
  return rowsAtOccurrence(rows, at).find((r) => r.personId === personId);
}

/**
 * How many seats each occurrence of some events has taken, read without loading every invitation:
 * a count of whole-event seat holders per event (from the index alone) plus the rare rows of
 * single occurrences, each with whether its person also holds a whole-event seat.
 */
export type SeatUsage = {
  wholeHolders: Map<number, number>;
  occurrenceRows: Map<number, { personId: number; occurrenceStart: Date; holdsSeat: boolean; wholeHolds: boolean }[]>;
};

export function seatUsageOf(db: Db, eventIds: number[]): SeatUsage {
  const usage: SeatUsage = { wholeHolders: new Map(), occurrenceRows: new Map() };
  for (let i = 0; i < eventIds.length; i += 1000) {
    const { whole, occurrenceRows } = seatUsageRows(db, eventIds.slice(i, i + 1000));
    for (const row of whole) usage.wholeHolders.set(row.eventId, row.n);
    for (const row of occurrenceRows) {
      const rows = usage.occurrenceRows.get(row.eventId) ?? [];
      rows.push({ personId: row.personId, occurrenceStart: new Date(row.start), holdsSeat: row.holds === 1, wholeHolds: row.wholeHolds === 1 });
      usage.occurrenceRows.set(row.eventId, rows);
    }
  }
  return usage;
}

/** Seats taken at one occurrence (`originalStart` null: a one-off event or the whole event). */
export function seatsTakenAt(usage: SeatUsage, eventId: number, originalStart: Date | null): number {
  const whole = usage.wholeHolders.get(eventId) ?? 0;
  if (originalStart === null) return whole;
  let taken = whole;
  for (const row of usage.occurrenceRows.get(eventId) ?? []) {
    if (row.occurrenceStart.getTime() !== originalStart.getTime()) continue;
    if (row.wholeHolds) taken--;
    if (row.holdsSeat) taken++;
  }
  return taken;
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

/**
 * The person's occurrences overlapping [from, to), sorted by start: events they host and
 * occurrences where their answer is not "declined" (unless `includeDeclined`). Cancelled
 * occurrences come marked with `includeCancelled`, so that people see what was called off.
 */
export function personSchedule(db: Db, personId: number, from: Date, to: Date, options: { includeDeclined?: boolean; includeCancelled?: boolean } = {}): ScheduleEntry[] {
  const found = eventsOfPersonFast(db, personId, from, to, MAX_EVENTS_PER_QUERY);
  if (found.length === 0) return [];
  const ids = found.map((e) => e.id);
  const exceptions = exceptionsOfFast(db, ids);
  const mineByEvent = placesOfPersonFast(db, personId, ids);
  const usage = seatUsageOf(db, ids);
  const entries: ScheduleEntry[] = [];
  for (const event of found) {
    const rows = mineByEvent.get(event.id) ?? [];
    for (const occurrence of expandEvent(event, exceptions.get(event.id) ?? [], from, to, options.includeCancelled)) {
      const place = event.rrule ? occurrence.originalStart : null;
      const at = rowsAtOccurrence(rows, placeOf(event, occurrence));
      const seatsTaken = seatsTakenAt(usage, event.id, place);
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
export function attendeesAt(db: Db, event: EventRow, occurrence: { originalStart: Date; start: Date } | Date | null): Attendee[] {
  // Given only an original start, the occurrence is taken as starting then (moved occurrences: pass the occurrence).
  const at = occurrence === null || !event.rrule ? null : occurrence instanceof Date ? { originalStart: occurrence, start: occurrence } : occurrence;
  if (event.rrule && at === null) return wholeEventAttendees(db, event);
  const rows = rowsAtOccurrence(placesOf(db, [event.id]).get(event.id) ?? [], at);
  return withNames(db, rows);
}

/** Whole-event rows of a series as they stand now (who is invited to every coming occurrence). */
function wholeEventAttendees(db: Db, event: EventRow): Attendee[] {
  return withNames(db, (placesOf(db, [event.id]).get(event.id) ?? []).filter((r) => r.occurrenceStart === null));
}

function withNames(db: Db, rows: PlaceRow[]): Attendee[] {
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
export function findOpenSeats(db: Db, now: Date, person: Person, filters: OpenSeatFilters, limit = 100, candidates = 400): OpenSeat[] {
  const from = new Date(Math.max(filters.from.getTime(), now.getTime()));
  if (from.getTime() >= filters.to.getTime()) return [];
  const found = openSeatCandidatesFast(db, {
    department: person.department,
    personId: person.id,
    from,
    to: filters.to,
    teamId: filters.teamId ?? null,
    kind: filters.kind ?? null,
    account: filters.account ?? null,
    limit: candidates,
  });
  if (found.length === 0) return [];
  const ids = found.map((e) => e.id);
  const exceptions = exceptionsOfFast(db, ids);
  const usage = seatUsageOf(db, ids);
  const mine = placesOfPersonFast(db, person.id, ids);
  const seats: OpenSeat[] = [];
  for (const event of found) {
    for (const occurrence of expandEvent(event, exceptions.get(event.id) ?? [], from, filters.to)) {
      if (occurrence.start.getTime() <= now.getTime()) continue;
      const place = event.rrule ? occurrence.originalStart : null;
      const seatsTaken = seatsTakenAt(usage, event.id, place);
      if (seatsTaken >= event.seats) continue;
      const my = rowsAtOccurrence(mine.get(event.id) ?? [], placeOf(event, occurrence))[0];
      // Someone already invited answers their invitation instead; a declined guest may still claim.
      if (my && my.status !== 'declined') continue;
      seats.push({ event, occurrence, seatsTaken, seatsFree: event.seats - seatsTaken, myStatus: my?.status ?? null });
    }
  }
  return seats.sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime() || a.event.id - b.event.id).slice(0, limit);
}

/** Pending invitations of a person: rows still 'invited' on future occurrences of scheduled events. */
export function pendingInvitations(db: Db, now: Date, personId: number, limit = 200) {
  return pendingInvitationsFast(db, now, personId, limit);
}
