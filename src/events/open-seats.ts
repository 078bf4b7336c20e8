/**
 * Open seats: upcoming occurrences of the other department's events a person may claim, from the stored
 * occurrences (and, past their horizon, the events themselves).
 */
import { asc, eq, sql } from 'drizzle-orm';
import { events, occurrences, people, type EventKind, type InvitationStatus } from '../../db/schema';
import type { Person } from '../context';
import { preparedQuery, type Db } from '../db';
import type { EventRow } from './event-rules';
import type { EventOccurrence } from './expand';
import { occurrencesInWindow, storedToOccurrence, storedUntil } from './occurrences';
import { placeKey, placesAt, placeOf } from './schedule';

type OpenSeatFilters = {
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
  if (filters.to.getTime() <= storedUntil(db)) return storedOpenSeats(db, now, from, person, filters, limit);
  const args = {
    person: person.id,
    from: from.getTime(),
    to: filters.to.getTime(),
    team: filters.teamId ?? null,
    kind: filters.kind ?? null,
    account: filters.account ? filters.account.replace(/[\\%_]/g, (m) => `\\${m}`) : null,
    limit: candidates,
  };
  const found: (EventRow & { hostName: string; teamName: string | null })[] = [];
  for (const department of [person.department, null]) {
    for (const query of [openOneOffsQuery, openSeriesQuery]) {
      found.push(
        ...query(db)
          .all({ ...args, department })
          .map((r) => ({ ...r.event, hostName: r.hostName, teamName: r.teamName })),
      );
    }
  }
  if (found.length === 0) return [];
  const byEvent = occurrencesInWindow(db, found, from, filters.to);
  const open: { event: (typeof found)[number]; occurrence: EventOccurrence; seatsTaken: number }[] = [];
  for (const event of found) {
    for (const { seatsTaken, ...occurrence } of byEvent.get(event.id) ?? []) {
      if (occurrence.start.getTime() <= now.getTime() || seatsTaken >= event.seats) continue;
      open.push({ event, occurrence, seatsTaken });
    }
  }
  open.sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime() || a.event.id - b.event.id);
  const seats: OpenSeat[] = [];
  // Ask for the viewer's own rows a page at a time: most occurrences are open to them.
  for (let i = 0; i < open.length && seats.length < limit; i += limit) {
    const page = open.slice(i, i + limit);
    const mine = placesAt(
      db,
      page.map((o) => placeOf(o.event, o.occurrence)),
      person.id,
    );
    for (const { event, occurrence, seatsTaken } of page) {
      const place = placeOf(event, occurrence);
      const my = mine.get(placeKey(place))?.[0];
      // Someone already invited answers their invitation instead; a declined guest may still claim.
      if (my && my.status !== 'declined') continue;
      seats.push({ event, occurrence, seatsTaken, seatsFree: event.seats - seatsTaken, myStatus: my?.status ?? null });
      if (seats.length >= limit) break;
    }
  }
  return seats;
}

/** Stored occurrences with a free seat the person may claim, soonest first, a page at a time: the soonest rows of the start index. */
const openOccurrencesQuery = preparedQuery((db) =>
  db
    .select({
      occurrence: occurrences,
      event: events,
      hostName: people.name,
      teamName: sql<string | null>`(SELECT name FROM teams t WHERE t.id = ${events.teamId})`,
    })
    .from(occurrences)
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .innerJoin(people, eq(people.id, events.hostId))
    .where(
      sql`${occurrences.start} >= ${sql.placeholder('afterStart')} AND ${occurrences.start} < ${sql.placeholder('to')} AND ${occurrences.end} > ${sql.placeholder('from')}
        AND (${occurrences.start}, ${occurrences.eventId}, ${occurrences.originalStart}) > (${sql.placeholder('afterStart')}, ${sql.placeholder('afterEvent')}, ${sql.placeholder('afterOriginal')})
        AND ${occurrences.cancelled} = 0 AND ${occurrences.seatsTaken} < ${events.seats}
        AND (${events.guestDepartment} IS ${sql.placeholder('department')} OR ${events.guestDepartment} IS NULL) AND ${openFilters}`,
    )
    .orderBy(asc(occurrences.start), asc(occurrences.eventId), asc(occurrences.originalStart))
    .limit(sql.placeholder('limit'))
    .prepare(),
);

/** Pages of stored rows looked at before giving up on filling the list (a person invited to nearly everything). */
const MAX_OPEN_SEAT_PAGES = 10;

/** findOpenSeats within the stored horizon: the same rows, read from the stored occurrences in start order. */
function storedOpenSeats(db: Db, now: Date, from: Date, person: Person, filters: OpenSeatFilters, limit: number): OpenSeat[] {
  const args = {
    person: person.id,
    department: person.department,
    from: from.getTime(),
    to: filters.to.getTime(),
    team: filters.teamId ?? null,
    kind: filters.kind ?? null,
    account: filters.account ? filters.account.replace(/[\\%_]/g, (m) => `\\${m}`) : null,
    limit,
  };
  const seats: OpenSeat[] = [];
  // Each page goes on after the last row of the one before (never an OFFSET that reads them again);
  // the first starts after now (past every event id and original start at now itself).
  let after = { afterStart: now.getTime(), afterEvent: Number.MAX_SAFE_INTEGER, afterOriginal: Number.MAX_SAFE_INTEGER };
  for (let page = 0; page < MAX_OPEN_SEAT_PAGES && seats.length < limit; page++) {
    const rows = openOccurrencesQuery(db).all({ ...args, ...after });
    const last = rows.at(-1)?.occurrence;
    if (last) after = { afterStart: last.start.getTime(), afterEvent: last.eventId, afterOriginal: last.originalStart.getTime() };
    const found = rows.map((r) => ({ event: { ...r.event, hostName: r.hostName, teamName: r.teamName }, occurrence: storedToOccurrence(r.occurrence) }));
    // Someone already invited answers their invitation instead; a declined guest may still claim.
    const mine = placesAt(
      db,
      found.map((o) => placeOf(o.event, o.occurrence)),
      person.id,
    );
    for (const {
      event,
      occurrence: { seatsTaken, ...occurrence },
    } of found) {
      const my = mine.get(placeKey(placeOf(event, occurrence)))?.[0];
      if (my && my.status !== 'declined') continue;
      seats.push({ event, occurrence, seatsTaken, seatsFree: event.seats - seatsTaken, myStatus: my?.status ?? null });
      if (seats.length >= limit) break;
    }
    if (rows.length < limit) break;
  }
  return seats;
}

const openSeatColumns = { event: events, hostName: people.name, teamName: sql<string | null>`(SELECT name FROM teams t WHERE t.id = ${events.teamId})` };
const openFilters = sql`${events.status} = 'scheduled' AND ${events.seats} > 0 AND ${events.hostId} <> ${sql.placeholder('person')}
  AND (${sql.placeholder('team')} IS NULL OR ${events.teamId} = ${sql.placeholder('team')}) AND (${sql.placeholder('kind')} IS NULL OR ${events.kind} = ${sql.placeholder('kind')})
  AND (${sql.placeholder('account')} IS NULL OR ${events.account} LIKE '%' || ${sql.placeholder('account')} || '%' ESCAPE '\\')`;

/** One-off candidates starting in the window, soonest first. */
const openOneOffsQuery = preparedQuery((db) =>
  db
    .select(openSeatColumns)
    .from(events)
    .innerJoin(people, eq(people.id, events.hostId))
    .where(
      sql`${events.rrule} IS NULL AND ${events.spanStart} >= ${sql.placeholder('from')} AND ${events.spanStart} < ${sql.placeholder('to')} AND ${events.guestDepartment} IS ${sql.placeholder('department')} AND ${openFilters}`,
    )
    .orderBy(asc(events.spanStart))
    .limit(sql.placeholder('limit'))
    .prepare(),
);

/** Series overlapping the window, newest first. */
const openSeriesQuery = preparedQuery((db) =>
  db
    .select(openSeatColumns)
    .from(events)
    .innerJoin(people, eq(people.id, events.hostId))
    .where(
      sql`${events.rrule} IS NOT NULL AND ${events.spanStart} < ${sql.placeholder('to')} AND (${events.spanEnd} IS NULL OR ${events.spanEnd} > ${sql.placeholder('from')}) AND ${events.guestDepartment} IS ${sql.placeholder('department')} AND ${openFilters}`,
    )
    .orderBy(sql`${events.id} DESC`)
    .limit(sql.placeholder('limit'))
    .prepare(),
);
