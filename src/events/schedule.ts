/**
 * What people see of events: their schedule for a window, who is coming to the events they
 * host, their pending invitations (open seats they may claim: open-seats.ts). Reads only: occurrences and their seats come from the stored
 * rows (occurrences.ts), who is at an occurrence from the one place rule (places.ts).
 */
import { asc, eq, sql } from 'drizzle-orm';
import { events, invitations, people, type InvitationStatus } from '../../db/schema';
import { plannedLimit, preparedQuery, tableRows, type Db } from '../db';
import type { EventRow } from './event-rules';
import { LONGEST_OCCURRENCE_MS, type EventOccurrence } from './expand';
import { HORIZON_MS, occurrencesInWindow, seatsTakenAt, storedUntil } from './occurrences';
import { occurrenceKey } from './recurrence';
import { acceptedSql, atOccurrence, placeRowAt, seatedOrWaitingSql } from './places';

export { rowsAtOccurrence, placeRowAt, wholeRowApplies, wholeRowAppliesSql } from './places';

const MAX_EVENTS_PER_QUERY = 2000;

export type PlaceRow = {
  id: number;
  eventId: number;
  personId: number;
  occurrenceStart: Date | null;
  status: InvitationStatus;
  holdsSeat: boolean;
  approvalStatus: 'pending' | 'approved' | 'rejected' | null;
  declineReason: string | null;
  waitlistedAt: Date | null;
  source: 'invitation' | 'claim';
  effectiveFrom: Date | null;
};

/** An occurrence to ask about (original and actual start), or null starts for a one-off event. */
export type PlaceKey = { eventId: number; originalStart: Date | null; start: Date | null };
export const placeKey = (place: PlaceKey) => `${place.eventId}:${place.originalStart?.getTime() ?? ''}`;

/** The place of an occurrence of `event` (a one-off event's only place is the whole event). */
export const placeOf = (event: Pick<EventRow, 'id' | 'rrule'>, occurrence: { originalStart: Date; start: Date }): PlaceKey =>
  event.rrule
    ? { eventId: event.id, originalStart: occurrence.originalStart, start: occurrence.start }
    : { eventId: event.id, originalStart: null, start: null };

const placesQuery = preparedQuery((db) =>
  db.$client.prepare<{ at: string }, Record<string, number | string | null>>(
    `SELECT at.value ->> 0 AS atEvent, at.value ->> 1 AS atStart, i.id, i.event_id AS eventId, i.person_id AS personId,
       i.occurrence_start AS occurrenceStart, i.status, i.holds_seat AS holdsSeat, i.approval_status AS approvalStatus, i.decline_reason AS declineReason,
       i.waitlisted_at AS waitlistedAt, i.source, i.effective_from AS effectiveFrom
     FROM json_each(@at) AS at JOIN invitations i ON i.event_id = at.value ->> 0 AND ${atOccurrence('i', 'at.value ->> 1', 'at.value ->> 2')}`,
  ),
);

const placeColumns = {
  id: invitations.id,
  eventId: invitations.eventId,
  personId: invitations.personId,
  occurrenceStart: invitations.occurrenceStart,
  status: invitations.status,
  holdsSeat: invitations.holdsSeat,
  approvalStatus: invitations.approvalStatus,
  declineReason: invitations.declineReason,
  waitlistedAt: invitations.waitlistedAt,
  source: invitations.source,
  effectiveFrom: invitations.effectiveFrom,
};

/** Every row of one person on the given events (a JSON array of ids): a person has a few hundred at most. */
const personRowsQuery = preparedQuery((db) =>
  db
    .select(placeColumns)
    .from(invitations)
    .where(
      sql`${invitations.personId} = +${sql.placeholder('person')} AND ${invitations.eventId} IN (SELECT value FROM json_each(${sql.placeholder('events')}))`,
    )
    .prepare(),
);

/**
 * One person's row at each place: their rows on those events read once, the place rule applied in
 * memory (placeRowAt). Asking per place would seek the index once for each of hundreds of occurrences.
 */
function personPlacesAt(db: Db, places: PlaceKey[], personId: number): Map<string, PlaceRow[]> {
  const byPlace = new Map<string, PlaceRow[]>();
  if (places.length === 0) return byPlace;
  const byEvent = new Map<number, PlaceRow[]>();
  for (const row of personRowsQuery(db).all({ person: personId, events: JSON.stringify([...new Set(places.map((p) => p.eventId))]) })) {
    const list = byEvent.get(row.eventId);
    if (list) list.push(row);
    else byEvent.set(row.eventId, [row]);
  }
  for (const place of places) {
    const rows = byEvent.get(place.eventId);
    if (!rows) continue;
    const row = placeRowAt(
      rows,
      place.originalStart === null ? null : { originalStart: place.originalStart, start: place.start ?? place.originalStart },
      personId,
    );
    if (row) byPlace.set(placeKey(place), [row]);
  }
  return byPlace;
}

const dateOrNull = (ms: number | string | null) => (ms === null ? null : new Date(ms as number));

/**
 * The rows that apply at each place (an occurrence's own rows and the whole-event rows of people
 * without one), keyed by placeKey; only `personId`'s when given.
 */
export function placesAt(db: Db, places: PlaceKey[], personId?: number): Map<string, PlaceRow[]> {
  if (personId !== undefined) return personPlacesAt(db, places, personId);
  const byPlace = new Map<string, PlaceRow[]>();
  for (const at of placesParams(places)) {
    for (const r of placesQuery(db).all({ at })) {
      const key = `${r.atEvent}:${r.atStart ?? ''}`;
      const list = byPlace.get(key) ?? [];
      list.push({
        id: r.id as number,
        eventId: r.eventId as number,
        personId: r.personId as number,
        occurrenceStart: dateOrNull(r.occurrenceStart),
        status: r.status as InvitationStatus,
        holdsSeat: r.holdsSeat === 1,
        approvalStatus: r.approvalStatus as PlaceRow['approvalStatus'],
        declineReason: (r.declineReason as string | null) ?? null,
        waitlistedAt: dateOrNull(r.waitlistedAt),
        source: r.source as PlaceRow['source'],
        effectiveFrom: dateOrNull(r.effectiveFrom),
      });
      byPlace.set(key, list);
    }
  }
  return byPlace;
}

/** Places as the statements below take them (a JSON array of [event, original start, start]), 500 at a time. */
function* placesParams(places: PlaceKey[]): Generator<string> {
  for (let i = 0; i < places.length; i += 500)
    yield JSON.stringify(places.slice(i, i + 500).map((p) => [p.eventId, p.originalStart?.getTime() ?? null, p.start?.getTime() ?? null]));
}

/** The places of a placesParams string as table `at` (ev, os, st). */
const AT_PLACES = 'WITH at(ev, os, st) AS MATERIALIZED (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?))';

const acceptedQuery = preparedQuery((db) =>
  db.$client.prepare<[string], [eventId: number, originalStart: number | null, personId: number]>(`${AT_PLACES} ${acceptedSql('at')}`).raw(true),
);

/**
 * Who accepted at each place, keyed by placeKey, in ascending order: those a reminder goes to, read without every other
 * row of every guest (placesAt).
 */
export function acceptedAt(db: Db, places: PlaceKey[]): Map<string, number[]> {
  const byPlace = new Map<string, number[]>();
  for (const place of places) byPlace.set(placeKey(place), []);
  for (const at of placesParams(places))
    for (const [eventId, originalStart, personId] of acceptedQuery(db).all(at)) byPlace.get(`${eventId}:${originalStart ?? ''}`)!.push(personId);
  for (const list of byPlace.values()) list.sort((a, b) => a - b);
  return byPlace;
}

const seatedOrWaitingQuery = preparedQuery((db) =>
  db.$client
    .prepare<[string], [eventId: number, originalStart: number | null, id: number, personId: number, holdsSeat: number, waitlisted: number, own: number]>(
      `${AT_PLACES} ${seatedOrWaitingSql('at')}`,
    )
    .raw(true),
);

/** Who holds a seat at a place (in the order placesAt reads them: whole-event rows, then own rows, each by row) and how many wait for one. */
export type SeatsAt = { holders: number[]; waitlisted: number };

/**
 * Seat holders and the waitlist at each place, keyed by placeKey: only the rows that hold a seat or wait
 * for one, not every invited, declined or undecided guest (placesAt).
 */
export function seatsAt(db: Db, places: PlaceKey[]): Map<string, SeatsAt> {
  const rowsAt = new Map<string, [id: number, personId: number, own: number][]>();
  const byPlace = new Map<string, SeatsAt>();
  for (const place of places) byPlace.set(placeKey(place), { holders: [], waitlisted: 0 });
  for (const at of placesParams(places)) {
    for (const [eventId, originalStart, id, personId, holdsSeat, waitlisted, own] of seatedOrWaitingQuery(db).all(at)) {
      const key = `${eventId}:${originalStart ?? ''}`;
      if (waitlisted) byPlace.get(key)!.waitlisted++;
      if (!holdsSeat) continue;
      const rows = rowsAt.get(key);
      if (rows) rows.push([id, personId, own]);
      else rowsAt.set(key, [[id, personId, own]]);
    }
  }
  for (const [key, rows] of rowsAt) byPlace.get(key)!.holders = rows.sort((a, b) => a[2] - b[2] || a[0] - b[0]).map(([, personId]) => personId);
  return byPlace;
}

/** The rows that apply at one occurrence of `event`. */
export function placesAtOccurrence(db: Db, event: Pick<EventRow, 'id' | 'rrule'>, occurrence: { originalStart: Date; start: Date }): PlaceRow[] {
  const place = placeOf(event, occurrence);
  return placesAt(db, [place]).get(placeKey(place)) ?? [];
}

/** Every invitation row of the given events (whole-event and per-occurrence), grouped by event. */
export function placesOf(db: Db, eventIds: number[]): Map<number, PlaceRow[]> {
  const byEvent = new Map<number, PlaceRow[]>();
  for (const eventId of eventIds) byEvent.set(eventId, invitationRowsOf(db, eventId));
  return byEvent;
}

/** Seats taken at each of the given occurrences of one event, in order (the place rule, asked directly). */
export function seatsTakenAtOccurrences(db: Db, event: Pick<EventRow, 'id' | 'rrule'>, list: { originalStart: Date; start: Date }[]): number[] {
  const places = list.map((o) => placeOf(event, o));
  const counts = seatsTakenAt(db, places);
  return places.map((p) => counts.get(placeKey(p)) ?? 0);
}

const invitationsOfEvent = preparedQuery((db) =>
  db
    .select()
    .from(invitations)
    .where(eq(invitations.eventId, sql.placeholder('id')))
    .orderBy(asc(invitations.id))
    .prepare(),
);

/** Every invitation row of one event (whole-event and per-occurrence), for listing them. */
export function invitationRowsOf(db: Db, eventId: number) {
  return invitationsOfEvent(db).all({ id: eventId });
}

const eventColumns = { event: events, hostName: people.name };

const eventsOfPersonQuery = preparedQuery((db) =>
  db
    .select(eventColumns)
    .from(events)
    .innerJoin(people, eq(people.id, events.hostId))
    .where(
      sql`${events.id} IN (SELECT event_id FROM invitations WHERE person_id = +${sql.placeholder('person')} UNION SELECT id FROM events WHERE host_id = +${sql.placeholder('person')})
        AND (${events.status} = 'scheduled' OR (${sql.placeholder('cancelled')} = 1 AND ${events.status} = 'cancelled'))
        AND ${events.spanStart} < +${sql.placeholder('to')} AND (${events.spanEnd} IS NULL OR ${events.spanEnd} > +${sql.placeholder('from')})`,
    )
    .limit(plannedLimit('limit'))
    .prepare(),
);

/** What a schedule shows of an event (the rest is on its page). */
type ScheduleEvent = Pick<EventRow, 'id' | 'title' | 'kind' | 'rrule' | 'seats' | 'status' | 'hostId'> & { hostName: string };

type ScheduleEntry = {
  event: ScheduleEvent;
  occurrence: EventOccurrence;
  role: 'host' | 'guest';
  /** The person's answer at this occurrence; null for the host. */
  answer: InvitationStatus | null;
  /** The row that holds the answer (occurrence row or whole-event row). */
  invitationId: number | null;
  approvalPending: boolean;
  seatsTaken: number;
};

type ScheduleOptions = { includeDeclined?: boolean; includeCancelled?: boolean };

/** Rows of one schedule read at most: a window of a few weeks holds far fewer. */
const MAX_SCHEDULE_ROWS = 5000;
/** Occurrences read for a busy check before the slots are applied: a span of months of a busy person's events. */
const MAX_BUSY_CANDIDATES = 4 * MAX_SCHEDULE_ROWS;

// The place as placeOf names it: a one-off event's is the whole event (no original start, no start).
const placeStart = (column: string) => `(CASE WHEN e.rrule IS NULL THEN NULL ELSE o."${column}" END)`;

type StoredScheduleRow = [
  eventId: number,
  originalStart: number,
  start: number,
  end: number,
  isMoved: number,
  cancelled: number,
  seatsTaken: number,
  title: string,
  kind: ScheduleEvent['kind'],
  rrule: string | null,
  seats: number,
  status: ScheduleEvent['status'],
  hostId: number,
  hostName: string,
  mineId: number | null,
  mineStatus: InvitationStatus | null,
  mineApproval: string | null,
];

/**
 * A person's stored occurrences in a window, with their own row at each, in one indexed read: the
 * events they are invited to or host (index-only seeks), their occurrences in the window (by event and
 * start), and only for those found the event, its host's name and the person's row there (the place rule).
 * Most of a person's events have no occurrence in a week: reading the event first cost a row read each.
 * Rows as arrays: no nested objects to build per row.
 */
const storedScheduleQuery = preparedQuery((db) =>
  db.$client
    .prepare<{ person: number; from: number; to: number; lowest: number; cancelled: number; declined: number }, StoredScheduleRow>(
      `WITH candidate(id) AS MATERIALIZED (SELECT event_id FROM invitations WHERE person_id = +@person UNION SELECT id FROM events WHERE host_id = +@person)
     SELECT o.event_id, o.original_start, o.start, o."end", o.is_moved, o.cancelled, o.seats_taken,
       e.title, e.kind, e.rrule, e.seats, e.status, e.host_id, p.name, mine.id, mine.status, mine.approval_status
     FROM candidate
       CROSS JOIN occurrences o ON o.event_id = candidate.id AND o.start < +@to AND o.start > +@lowest AND o."end" > +@from
       CROSS JOIN events e ON e.id = o.event_id
       CROSS JOIN people p ON p.id = e.host_id
       LEFT JOIN invitations mine ON e.host_id <> @person AND mine.id = (SELECT i.id FROM invitations i WHERE i.event_id = o.event_id AND i.person_id = +@person
         AND ${atOccurrence('i', placeStart('original_start'), placeStart('start'))} LIMIT 1)
     WHERE e.span_start < +@to AND (e.span_end IS NULL OR e.span_end > +@from)
       AND (@cancelled = 1 OR o.cancelled = 0)
       AND (e.status = 'scheduled' OR (@cancelled = 1 AND e.status = 'cancelled' AND o.start < coalesce(e.cancelled_at, 0) + ${HORIZON_MS}))
       AND (e.host_id = @person OR (mine.id IS NOT NULL AND (@declined = 1 OR mine.status <> 'declined')))
     ORDER BY o.start, o.event_id
     LIMIT ${MAX_SCHEDULE_ROWS}`,
    )
    .raw(true),
);

/**
 * The person's occurrences overlapping [from, to), sorted by start: events they host and
 * occurrences where their answer is not "declined" (unless `includeDeclined`). Cancelled
 * occurrences come marked with `includeCancelled`, so that people see what was called off — a
 * whole cancelled event too: what took place before the cancellation stays as it was, what was
 * still to come shows cancelled, as far as the schedule reached when it was called off.
 * Within the stored horizon one indexed read; past it the rules are expanded within the window.
 */
export function personSchedule(db: Db, personId: number, from: Date, to: Date, options: ScheduleOptions = {}): ScheduleEntry[] {
  if (to.getTime() <= from.getTime()) return [];
  if (to.getTime() > storedUntil(db)) return expandedSchedule(db, personId, from, to, options);
  const rows = storedScheduleQuery(db).all({
    person: personId,
    from: from.getTime(),
    to: to.getTime(),
    lowest: from.getTime() - LONGEST_OCCURRENCE_MS - 1,
    cancelled: options.includeCancelled ? 1 : 0,
    declined: options.includeDeclined ? 1 : 0,
  });
  // One event object for all its occurrences in the window.
  const eventsById = new Map<number, ScheduleEvent>();
  const entries: ScheduleEntry[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [
      eventId,
      originalStart,
      start,
      end,
      isMoved,
      cancelled,
      seatsTaken,
      title,
      kind,
      rrule,
      seats,
      status,
      hostId,
      hostName,
      mineId,
      mineStatus,
      mineApproval,
    ] = rows[i]!;
    let event = eventsById.get(eventId);
    if (!event) eventsById.set(eventId, (event = { id: eventId, title, kind, rrule, seats, status, hostId, hostName }));
    const originalStartDate = new Date(originalStart);
    const occurrence: EventOccurrence = {
      originalStart: originalStartDate,
      start: new Date(start),
      end: new Date(end),
      isMoved: isMoved === 1,
      key: occurrenceKey(eventId, originalStartDate),
      eventId,
      cancelled: cancelled === 1,
    };
    const hosting = hostId === personId || mineId === null;
    entries[i] = {
      event,
      occurrence,
      role: hosting ? 'host' : 'guest',
      answer: hosting ? null : mineStatus,
      invitationId: hosting ? null : mineId,
      approvalPending: !hosting && mineApproval === 'pending',
      seatsTaken,
    };
  }
  return entries;
}

/** personSchedule past the stored horizon: the events read, their rules expanded within the window. */
function expandedSchedule(db: Db, personId: number, from: Date, to: Date, options: ScheduleOptions): ScheduleEntry[] {
  const found = eventsOfPersonQuery(db)
    .all({ person: personId, from: from.getTime(), to: to.getTime(), limit: MAX_EVENTS_PER_QUERY, cancelled: options.includeCancelled ? 1 : 0 })
    .map((r) => ({ ...r.event, hostName: r.hostName }));
  if (found.length === 0) return [];
  const byEvent = occurrencesInWindow(db, found, from, to, { includeCancelled: options.includeCancelled });
  // The occurrences themselves say what calling the event off cancelled (cancelledWithEvent); an
  // open-ended series shows them only as far as the schedule reached when it was called off.
  for (const event of found) {
    const list = event.status === 'cancelled' ? byEvent.get(event.id) : undefined;
    if (!list) continue;
    const until = (event.cancelledAt?.getTime() ?? 0) + HORIZON_MS;
    byEvent.set(
      event.id,
      list.filter((o) => o.start.getTime() < until),
    );
  }
  const guestPlaces: PlaceKey[] = [];
  for (const event of found) {
    if (event.hostId === personId) continue;
    for (const o of byEvent.get(event.id) ?? []) guestPlaces.push(placeOf(event, o));
  }
  const mineAt = placesAt(db, guestPlaces, personId);
  const entries: ScheduleEntry[] = [];
  for (const event of found) {
    for (const { seatsTaken, ...occurrence } of byEvent.get(event.id) ?? []) {
      if (event.hostId === personId) {
        entries.push({ event, occurrence, role: 'host', answer: null, invitationId: null, approvalPending: false, seatsTaken });
        continue;
      }
      const place = placeOf(event, occurrence);
      const my = mineAt.get(placeKey(place))?.[0];
      if (!my || (my.status === 'declined' && !options.includeDeclined)) continue;
      entries.push({ event, occurrence, role: 'guest', answer: my.status, invitationId: my.id, approvalPending: my.approvalStatus === 'pending', seatsTaken });
    }
  }
  return entries.sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime() || a.event.id - b.event.id);
}

/** An occurrence that keeps a person busy: one they host or accepted, not cancelled. */
export type BusyOccurrence = { eventId: number; title: string; role: 'host' | 'guest'; start: Date; end: Date };

/**
 * The occurrences (not cancelled) in a span of the events a person hosts or accepted something of: the events
 * by index seeks, their occurrences by event and start. Only the occurrences: the few that meet a slot are
 * then asked whose they are (busyEvents), where reading every candidate's event row cost as much as the rest
 * of the read. Whether one overlaps a slot and the person's row there is an acceptance is decided in memory
 * (personBusyAt): checking each row against every slot and seeking its invitation in SQL cost more than the
 * read itself. Numbers only, as arrays, unsorted: a span of months is hundreds of rows of which a few meet a slot.
 */
const busyCandidatesQuery = preparedQuery((db) =>
  db.$client
    .prepare<{ person: number; from: number; to: number; lowest: number }, [eventId: number, originalStart: number, start: number, end: number]>(
      `WITH candidate(id) AS MATERIALIZED (SELECT event_id FROM invitations WHERE person_id = +@person AND status = 'accepted' UNION SELECT id FROM events WHERE host_id = +@person)
     SELECT o.event_id, o.original_start, o.start, o."end"
     FROM candidate CROSS JOIN occurrences o ON o.event_id = candidate.id AND o.start < +@to AND o.start > +@lowest AND o."end" > +@from AND o.cancelled = 0
     LIMIT ${MAX_BUSY_CANDIDATES}`,
    )
    .raw(true),
);

/** What a busy check needs of the events whose occurrences met a slot (a JSON array of ids). */
const busyEvents = preparedQuery((db) =>
  db.$client
    .prepare<[string], [id: number, title: string, hostId: number, series: number, scheduled: number]>(
      `SELECT id, title, host_id, rrule IS NOT NULL, status = 'scheduled' FROM events WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .raw(true),
);

/** What keeps the person busy during any of `slots` (their schedule's hosted and accepted occurrences there, of scheduled events). */
export function personBusyAt(db: Db, personId: number, slots: { start: Date; end: Date }[]): BusyOccurrence[] {
  if (slots.length === 0) return [];
  const from = new Date(Math.min(...slots.map((s) => s.start.getTime())));
  const to = new Date(Math.max(...slots.map((s) => s.end.getTime())));
  if (to.getTime() > storedUntil(db)) {
    return personSchedule(db, personId, from, to)
      .filter((e) => !e.occurrence.cancelled && (e.role === 'host' || e.answer === 'accepted'))
      .filter((e) => slots.some((s) => e.occurrence.start < s.end && e.occurrence.end > s.start))
      .map((e) => ({ eventId: e.event.id, title: e.event.title, role: e.role, start: e.occurrence.start, end: e.occurrence.end }));
  }
  const spans = slots.map((s) => [s.start.getTime(), s.end.getTime()] as const);
  const met = busyCandidatesQuery(db)
    .all({ person: personId, from: from.getTime(), to: to.getTime(), lowest: from.getTime() - LONGEST_OCCURRENCE_MS - 1 })
    .filter(([, , start, end]) => spans.some(([a, b]) => start < b && end > a));
  if (met.length === 0) return [];
  const eventsById = new Map(
    busyEvents(db)
      .all(JSON.stringify([...new Set(met.map(([eventId]) => eventId))]))
      .map((e) => [e[0], e] as const),
  );
  const inSlots = met.filter(([eventId]) => eventsById.get(eventId)?.[4] === 1).sort((x, y) => x[2] - y[2] || x[0] - y[0]);
  if (inSlots.length === 0) return [];
  const hosts = (eventId: number) => eventsById.get(eventId)![2] === personId;
  const isSeries = (eventId: number) => eventsById.get(eventId)![3] === 1;
  // A guest is busy where their row at the occurrence (the place rule) is an acceptance.
  const guestPlaces = inSlots
    .filter(([eventId]) => !hosts(eventId))
    .map(([eventId, originalStart, start]) =>
      isSeries(eventId) ? { eventId, originalStart: new Date(originalStart), start: new Date(start) } : { eventId, originalStart: null, start: null },
    );
  const mine = placesAt(db, guestPlaces, personId);
  return inSlots
    .filter(([eventId, originalStart]) => hosts(eventId) || mine.get(`${eventId}:${isSeries(eventId) ? originalStart : ''}`)?.[0]?.status === 'accepted')
    .slice(0, MAX_SCHEDULE_ROWS)
    .map(([eventId, , start, end]) => ({
      eventId,
      title: eventsById.get(eventId)![1],
      role: hosts(eventId) ? 'host' : 'guest',
      start: new Date(start),
      end: new Date(end),
    }));
}

export type NamedPlace = {
  personId: number;
  name: string;
  department: string;
  status: InvitationStatus;
  holdsSeat: boolean;
  approvalPending: boolean;
  declineReason: string | null;
  invitationId: number;
  scope: 'occurrence' | 'event';
};

/** Who has a place at one occurrence (or a one-off event), seat holders first, then waitlist order. */
export function namedPlacesAt(db: Db, event: EventRow, occurrence: { originalStart: Date; start: Date } | Date | null): NamedPlace[] {
  // Given only an original start, the occurrence is taken as starting then (moved occurrences: pass the occurrence).
  const at = occurrence === null || !event.rrule ? null : occurrence instanceof Date ? { originalStart: occurrence, start: occurrence } : occurrence;
  // A series without an occurrence: its whole-event rows as they stand now (who is invited to every coming occurrence).
  if (event.rrule && at === null)
    return withNames(
      db,
      invitationRowsOf(db, event.id).filter((r) => r.occurrenceStart === null),
    );
  return withNames(
    db,
    at === null ? (placesAt(db, [{ eventId: event.id, originalStart: null, start: null }]).get(`${event.id}:`) ?? []) : placesAtOccurrence(db, event, at),
  );
}

const peopleNamed = preparedQuery((db) =>
  db
    .select({ id: people.id, name: people.name, department: people.department })
    .from(people)
    .where(sql`${people.id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`)
    .prepare(),
);

function withNames(db: Db, rows: PlaceRow[]): NamedPlace[] {
  if (rows.length === 0) return [];
  const named = new Map(
    peopleNamed(db)
      .all({ ids: JSON.stringify(rows.map((r) => r.personId)) })
      .map((p) => [p.id, p]),
  );
  const rank = (r: PlaceRow) => (r.holdsSeat ? 0 : r.status === 'waitlisted' ? 1 : r.status === 'declined' ? 3 : 2);
  return rows
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (a.waitlistedAt?.getTime() ?? 0) - (b.waitlistedAt?.getTime() ?? 0) ||
        (named.get(a.personId)?.name ?? '').localeCompare(named.get(b.personId)?.name ?? ''),
    )
    .map((r) => ({
      personId: r.personId,
      name: named.get(r.personId)?.name ?? `#${r.personId}`,
      department: named.get(r.personId)?.department ?? 'other',
      status: r.status,
      holdsSeat: r.holdsSeat,
      approvalPending: r.approvalStatus === 'pending',
      declineReason: r.status === 'declined' ? r.declineReason : null,
      invitationId: r.id,
      scope: r.occurrenceStart === null ? 'event' : 'occurrence',
    }));
}

// Read from the kept rows (pending_invitations: 'invited', no approval asked, event scheduled; open until the earlier
// of the event's span end and the occurrence's start): one index range read instead of every 'invited' row joined to its event.
// Ties on the span start keep invitation order, as the rows came before. The host is named only for the rows kept.
const pendingInvitationRows = tableRows(invitations, 'i');
const pendingEventRows = tableRows(events, 'e');
const pendingQuery = preparedQuery((db) =>
  db.$client
    .prepare<{ person: number; now: number; limit: number }, unknown[]>(
      `SELECT ${pendingInvitationRows.columns}, ${pendingEventRows.columns}, (SELECT h.name FROM people h WHERE h.id = e.host_id)
       FROM pending_invitations p JOIN invitations i ON i.id = p.invitation_id JOIN events e ON e.id = i.event_id
       WHERE p.person_id = +@person AND p.open_until > +@now
       ORDER BY e.span_start, i.id
       LIMIT +@limit`,
    )
    .raw(true),
);

/** Pending invitations of a person: rows still 'invited' (not a claim awaiting approval) on future occurrences of scheduled events. */
export function pendingInvitations(db: Db, now: Date, personId: number, limit = 200) {
  const hostAt = pendingInvitationRows.width + pendingEventRows.width;
  return pendingQuery(db)
    .all({ person: personId, now: now.getTime(), limit })
    .map((values) => {
      const hostName = values[hostAt] as string;
      // The host's name is added to the decoded event, a fresh object: spreading it into a new one cost microseconds a row.
      return {
        invitation: pendingInvitationRows.decode(values),
        event: Object.assign(pendingEventRows.decode(values, pendingInvitationRows.width), { hostName }),
        hostName,
      };
    });
}
