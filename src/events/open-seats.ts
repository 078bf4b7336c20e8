/**
 * Open seats: upcoming occurrences of the other department's events a person may claim, from the stored
 * occurrences (and, past their horizon, the events themselves).
 */
import { asc, eq, sql } from 'drizzle-orm';
import { events, occurrences, people, type EventKind, type InvitationStatus } from '../../db/schema';
import type { Person } from '../context';
import { likeEscaped, plannedLimit, preparedQuery, tableRows, type Db } from '../db';
import type { EventRow } from './event-rules';
import type { EventOccurrence } from './expand';
import { occurrencesInWindow, storedOccurrenceOf, storedUntil } from './occurrences';
import { atOccurrence } from './places';
import { placeKey, placesAt, placeOf } from './schedule';

type OpenSeatFilters = {
  from: Date;
  to: Date;
  teamId?: number;
  kind?: EventKind;
  account?: string;
  /** Only this event's occurrences (an event page asking whether its viewer may claim a seat). */
  eventId?: number;
  /** Only those after this one in the list's order (start, then event): the next page of a list read by cursor. */
  after?: { start: number; eventId: number };
};

/** What a row of the open-seats page shows of an open seat. */
export type ShownOpenSeat = {
  event: Pick<EventRow, 'id' | 'title' | 'kind' | 'account' | 'seats' | 'rrule'> & { hostName: string; teamName: string | null };
  occurrence: EventOccurrence;
  seatsFree: number;
  /** The viewer's current answer there, if any (e.g. invited but not yet answered). */
  myStatus: InvitationStatus | null;
};

export type OpenSeat = ShownOpenSeat & { event: EventRow & { hostName: string; teamName: string | null }; seatsTaken: number };

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
    account: filters.account ? likeEscaped(filters.account) : null,
    limit: candidates,
  };
  const found: (EventRow & { hostName: string; teamName: string | null })[] = [];
  if (filters.eventId !== undefined)
    found.push(
      ...openEventQuery(db)
        .all({ ...args, department: person.department, event: filters.eventId })
        .map((r) => ({ ...r.event, hostName: r.hostName, teamName: r.teamName })),
    );
  else
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
      if (filters.after && !isAfter(occurrence.start.getTime(), event.id, filters.after)) continue;
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

const openSeatColumns = { event: events, hostName: people.name, teamName: sql<string | null>`(SELECT name FROM teams t WHERE t.id = ${events.teamId})` };
/** The filters a person chose: team, kind, and part of the account's name. */
const chosenFilters = sql`(${sql.placeholder('team')} IS NULL OR ${events.teamId} = +${sql.placeholder('team')}) AND (${sql.placeholder('kind')} IS NULL OR ${events.kind} = +${sql.placeholder('kind')})
  AND (${sql.placeholder('account')} IS NULL OR ${events.account} LIKE '%' || ${sql.placeholder('account')} || '%' ESCAPE '\\')`;
const openFilters = sql`${events.status} = 'scheduled' AND ${events.seats} > 0 AND ${events.hostId} <> +${sql.placeholder('person')} AND ${chosenFilters}`;

/**
 * The person holds a place at the stored occurrence other than a declined one (they answer their invitation instead;
 * a declined guest may still claim), by the place rule: a one-off event's place is the whole event. `rrule`: the SQL of the event's rule.
 */
const placedHereAs = (
  declined: boolean,
  rrule = '"events"."rrule"',
) => sql`EXISTS (SELECT 1 FROM invitations i WHERE i.event_id = ${occurrences.eventId} AND i.person_id = +${sql.placeholder('person')}
  AND i.status ${sql.raw(declined ? '=' : '<>')} 'declined' AND ${sql.raw(atOccurrence('i', `CASE WHEN ${rrule} IS NULL THEN NULL ELSE "occurrences"."original_start" END`, '"occurrences"."start"'))})`;

/**
 * Stored occurrences with a free seat the person may claim, after `after…` (a start, event id, original start) and before `to`:
 * the kept `open_to` (free seat, not cancelled, event scheduled with seats; open to the person's department or anyone) read
 * from its partial index in start order. Each is decided from its index entry without meeting its event: the events the person
 * hosts and those they have rows on are read once (two short lists); only occurrences of the latter meet the person's rows,
 * and the event only when a filter asks about it.
 */
const openOccurrencesWhere = sql`${occurrences.start} >= +${sql.placeholder('afterStart')} AND ${occurrences.start} < +${sql.placeholder('to')} AND ${occurrences.end} > +${sql.placeholder('from')}
  AND (${occurrences.start}, ${occurrences.eventId}, ${occurrences.originalStart}) > (+${sql.placeholder('afterStart')}, +${sql.placeholder('afterEvent')}, +${sql.placeholder('afterOriginal')})
  AND ${occurrences.openTo} IS NOT NULL AND ${occurrences.openTo} IN (+${sql.placeholder('department')}, '*')
  AND ${occurrences.eventId} NOT IN (SELECT id FROM events WHERE host_id = +${sql.placeholder('person')})
  AND (${sql.placeholder('team')} IS NULL AND ${sql.placeholder('kind')} IS NULL AND ${sql.placeholder('account')} IS NULL
    OR EXISTS (SELECT 1 FROM ${events} WHERE ${events.id} = ${occurrences.eventId} AND ${chosenFilters}))
  AND (${occurrences.eventId} NOT IN (SELECT event_id FROM invitations WHERE person_id = +${sql.placeholder('person')})
    OR NOT ${placedHereAs(false, '(SELECT e.rrule FROM events e WHERE e.id = "occurrences"."event_id")')})`;

/** Those occurrences soonest first, a page of them (`offset` rows skipped). */
const openOccurrencesQuery = preparedQuery((db) =>
  db
    // The viewer's declined row there, shown as their answer (any other row keeps the occurrence out).
    .select({ occurrence: occurrences, ...openSeatColumns, declined: sql<number>`${placedHereAs(true)}` })
    .from(occurrences)
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .innerJoin(people, eq(people.id, events.hostId))
    .where(openOccurrencesWhere)
    .orderBy(asc(occurrences.start), asc(occurrences.eventId), asc(occurrences.originalStart))
    .limit(plannedLimit('limit'))
    .offset(plannedLimit('offset'))
    .prepare(),
);

/** Those of one event (`event`), by its own occurrences' index rather than every open seat up to its start. */
const openOccurrencesOfEventQuery = preparedQuery((db) =>
  db
    .select({ occurrence: occurrences, ...openSeatColumns, declined: sql<number>`${placedHereAs(true)}` })
    .from(occurrences)
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .innerJoin(people, eq(people.id, events.hostId))
    .where(sql`${occurrences.eventId} = +${sql.placeholder('event')} AND ${openOccurrencesWhere}`)
    .orderBy(asc(occurrences.start), asc(occurrences.eventId), asc(occurrences.originalStart))
    .limit(plannedLimit('limit'))
    .prepare(),
);

/** How many there are, counting no further than `cap` (an exact count reads every open seat of a busy company's window). */
const openOccurrencesCount = preparedQuery((db) => {
  const open = db
    .select({ one: sql`1`.as('one') })
    .from(occurrences)
    .where(openOccurrencesWhere)
    .limit(plannedLimit('cap'))
    .as('open');
  return db.select({ count: sql<number>`count(*)` }).from(open).prepare();
});

/** A page of them in order (`offset` skipped), as their rowids: the rows are then read with only what a row shows. */
const openOccurrenceIds = preparedQuery((db) =>
  db
    .select({ id: sql<number>`"occurrences".rowid` })
    .from(occurrences)
    .where(openOccurrencesWhere)
    .orderBy(asc(occurrences.start), asc(occurrences.eventId), asc(occurrences.originalStart))
    .limit(plannedLimit('limit'))
    .offset(plannedLimit('offset'))
    .prepare(),
);

/** A page's open occurrences by rowid, with only what a row shows of their events (not the whole event rows). */
const shownOpenSeatsQuery = preparedQuery((db) =>
  db
    .select({
      occurrence: occurrences,
      event: { id: events.id, title: events.title, kind: events.kind, account: events.account, seats: events.seats, rrule: events.rrule },
      hostName: people.name,
      teamName: openSeatColumns.teamName,
      declined: sql<number>`${placedHereAs(true)}`,
    })
    .from(occurrences)
    .innerJoin(events, eq(events.id, occurrences.eventId))
    .innerJoin(people, eq(people.id, events.hostId))
    .where(sql`"occurrences".rowid IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`)
    .orderBy(asc(occurrences.start), asc(occurrences.eventId), asc(occurrences.originalStart))
    .prepare(),
);

function storedArgs(now: Date, from: Date, person: Person, filters: OpenSeatFilters) {
  return {
    person: person.id,
    department: person.department,
    from: from.getTime(),
    to: filters.to.getTime(),
    team: filters.teamId ?? null,
    kind: filters.kind ?? null,
    account: filters.account ? likeEscaped(filters.account) : null,
    // Upcoming only: after now, past every event id and original start at now itself; or after the cursor's occurrence
    // (an event has one occurrence at an instant, so past every original start of its event there).
    ...(filters.after && filters.after.start > now.getTime()
      ? { afterStart: filters.after.start, afterEvent: filters.after.eventId, afterOriginal: Number.MAX_SAFE_INTEGER }
      : { afterStart: now.getTime(), afterEvent: Number.MAX_SAFE_INTEGER, afterOriginal: Number.MAX_SAFE_INTEGER }),
  };
}

/** Whether an occurrence (its start and event) comes after `after` in the list's order. */
const isAfter = (start: number, eventId: number, after: { start: number; eventId: number }) =>
  start > after.start || (start === after.start && eventId > after.eventId);

/** findOpenSeats within the stored horizon: `limit` rows after `offset` of the stored occurrences in start order. */
// The rows of openOccurrencesQuery as they come (occurrence, event, host, team, declined), decoded here: drizzle's
// mapping of the joined select checked every column of the wide event row on every row.
const openOccurrenceRows = tableRows(occurrences, 'o');
const openEventRows = tableRows(events, 'e');

function storedOpenSeats(db: Db, now: Date, from: Date, person: Person, filters: OpenSeatFilters, limit: number, offset = 0): OpenSeat[] {
  const args = { ...storedArgs(now, from, person, filters), limit, offset };
  const rows = (
    filters.eventId === undefined ? openOccurrencesQuery(db).values(args) : openOccurrencesOfEventQuery(db).values({ ...args, event: filters.eventId })
  ) as unknown[][];
  const rest = openOccurrenceRows.width + openEventRows.width;
  return rows.map((values) => {
    const occurrence = openOccurrenceRows.decode(values);
    const seatsTaken = occurrence.seatsTaken;
    // The decoded event is a fresh object: the names are added to it rather than copied into a new one.
    const event = Object.assign(openEventRows.decode(values, openOccurrenceRows.width), {
      hostName: values[rest] as string,
      teamName: values[rest + 1] as string | null,
    });
    return {
      event,
      occurrence: storedOccurrenceOf(occurrence),
      seatsTaken,
      seatsFree: event.seats - seatsTaken,
      myStatus: values[rest + 2] ? 'declined' : null,
    };
  });
}

/**
 * One page of the first `limit` of findOpenSeats, how many of them there are (`total`) and whether
 * there are more past them (`more`). Within the stored horizon only the page shown is built and the
 * rest counted in SQL; past it, the `limit` are built and the page cut from them.
 */
export function openSeatsPage(
  db: Db,
  now: Date,
  person: Person,
  filters: OpenSeatFilters,
  page: { page: number; pageSize: number },
  limit: number,
  candidates?: number,
): { seats: ShownOpenSeat[]; total: number; more: boolean } {
  const from = new Date(Math.max(filters.from.getTime(), now.getTime()));
  const offset = (page.page - 1) * page.pageSize;
  const size = Math.max(0, Math.min(page.pageSize, limit - offset));
  if (from.getTime() < filters.to.getTime() && filters.to.getTime() <= storedUntil(db)) {
    const args = storedArgs(now, from, person, filters);
    const counted = openOccurrencesCount(db).get({ ...args, cap: limit + 1 })?.count ?? 0;
    const total = Math.min(counted, limit);
    const ids = offset < total ? (openOccurrenceIds(db).values({ ...args, limit: size, offset }) as [number][]) : [];
    const seats = ids.length === 0 ? [] : shownOpenSeatsQuery(db).all({ ids: JSON.stringify(ids.map(([id]) => id)), person: person.id });
    return {
      seats: seats.map((r): ShownOpenSeat => {
        const event = Object.assign(r.event, { hostName: r.hostName, teamName: r.teamName });
        return {
          event,
          occurrence: storedOccurrenceOf(r.occurrence),
          seatsFree: event.seats - r.occurrence.seatsTaken,
          myStatus: r.declined ? 'declined' : null,
        };
      }),
      total,
      more: counted > limit,
    };
  }
  const seats = findOpenSeats(db, now, person, filters, limit + 1, candidates);
  return { seats: seats.slice(offset, offset + size), total: Math.min(seats.length, limit), more: seats.length > limit };
}

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
    .limit(plannedLimit('limit'))
    .prepare(),
);

/** One event, if it is a candidate: open to the person's department or to anyone. */
const openEventQuery = preparedQuery((db) =>
  db
    .select(openSeatColumns)
    .from(events)
    .innerJoin(people, eq(people.id, events.hostId))
    .where(
      sql`${events.id} = +${sql.placeholder('event')} AND ${events.spanStart} < ${sql.placeholder('to')} AND (${events.spanEnd} IS NULL OR ${events.spanEnd} > ${sql.placeholder('from')})
        AND (${events.guestDepartment} IS NULL OR ${events.guestDepartment} = ${sql.placeholder('department')}) AND ${openFilters}`,
    )
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
    .limit(plannedLimit('limit'))
    .prepare(),
);
