/**
 * Conflicts of a person with candidate times: the person already has an accepted (or hosted)
 * event then, is away on a rotation, or the time is outside their working hours.
 *
 * The one place conflicts are decided: invitation cards, open-seat rows, event pages, claims,
 * answers and the API all ask here. Lists of rows are checked in bulk (one schedule read and one
 * rotation read for all the rows shown), never with a query per row.
 */
import type { Person } from '../context';
import { eq, sql } from 'drizzle-orm';
import { rotations, teams } from '../../db/schema';
import { preparedQuery, type Db } from '../db';
import { formatLocalDateFields, monthName, utcToZonedParts, weekdayName } from '../lib/time';
import { personBusyAt, type BusyOccurrence, type personSchedule } from './schedule';
import { firstStartOf, type EventRow, type ExceptionRow } from './event-rules';
import { occurrenceAtOf } from './event-occurrences';
import type { EventOccurrence } from './expand';
import { cancelledWithEvent } from './expand';
import { exceptionsByEvent, firstStoredSlots, occurrencesInWindow, storedOccurrencesAt } from './occurrences';
import { busyIntervalsBetween, type BusyIntervalOf } from '../busy';

export type ConflictCode = 'overlap' | 'busy' | 'rotation' | 'working_hours';
export type Conflict = { code: ConflictCode; message: string };
type Slot = { start: Date; end: Date };
/** One candidate: its times, and the event they belong to (never a conflict with itself). */
type Candidate = { slots: Slot[]; eventId?: number };
/** `you`: the messages speak to the person themselves ("You already have…"), not about them. */
type Wording = { you?: boolean };

const MAX_CONFLICTS = 5;
/** A whole series is checked on its next few occurrences. */
const SERIES_LOOKAHEAD_MS = 60 * 86_400_000;
const SERIES_SAMPLE = 5;

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

type WallClock = ReturnType<typeof utcToZonedParts>;

/** 'Mon 9 Mar 09:00–10:00' from the wall clock at a start and an end. */
function describeWallClock(s: WallClock, e: WallClock): string {
  return `${weekdayName(s.weekday, 'short')} ${s.day} ${monthName(s.month, 'short')} ${hhmm(s.hour * 60 + s.minute)}–${hhmm(e.hour * 60 + e.minute)}`;
}

/** 'Mon 9 Mar 09:00–10:00' in the zone. */
function describeSlot(slot: Slot, zone: string): string {
  return describeWallClock(utcToZonedParts(slot.start, zone), utcToZonedParts(slot.end, zone));
}

/** A busy interval in words: its times, or its days when it spans whole days (an all-day event, a holiday). */
function describeBusy(interval: BusyIntervalOf, zone: string): string {
  if (interval.end.getTime() - interval.start.getTime() < 20 * 3_600_000) return `at ${describeSlot(interval, zone)}`;
  const day = (d: Date) => {
    const p = utcToZonedParts(d, zone);
    return `${weekdayName(p.weekday, 'short')} ${p.day} ${monthName(p.month, 'short')}`;
  };
  const first = day(interval.start);
  const last = day(new Date(interval.end.getTime() - 1));
  return first === last ? `all day ${first}` : `from ${first} to ${last}`;
}

function words(person: Person, wording: Wording) {
  return wording.you
    ? { subject: 'You', is: 'You are', has: 'have', hosts: 'host', whose: 'your' }
    : { subject: person.name, is: `${person.name} is`, has: 'has', hosts: 'hosts', whose: `${person.name}'s` };
}

/** A slot outside the person's working week or hours, from the wall clock at its start and end in their zone. */
function workingHoursConflict(person: Person, s: WallClock, e: WallClock, w: ReturnType<typeof words>): Conflict | null {
  const startMinute = s.hour * 60 + s.minute;
  const sameDay = s.year === e.year && s.month === e.month && s.day === e.day;
  const endMinute = sameDay ? e.hour * 60 + e.minute : 24 * 60;
  if (s.weekday === 0 || s.weekday === 6) {
    return {
      code: 'working_hours',
      message: `${describeWallClock(s, e)} (${person.timeZone}) is on a ${weekdayName(s.weekday)}, outside ${w.whose} working week.`,
    };
  }
  if (startMinute < person.workdayStartMinute || endMinute > person.workdayEndMinute) {
    const hours = `${hhmm(person.workdayStartMinute)}–${hhmm(person.workdayEndMinute)}`;
    return { code: 'working_hours', message: `${describeWallClock(s, e)} (${person.timeZone}) is outside ${w.whose} working hours (${hours}).` };
  }
  return null;
}

type RotationSpan = { startDate: string; endDate: string; teamName: string | null };

const rotationsOfPerson = preparedQuery((db) =>
  db
    .select({ startDate: rotations.startDate, endDate: rotations.endDate, teamName: teams.name })
    .from(rotations)
    .leftJoin(teams, eq(teams.id, rotations.hostTeamId))
    .where(
      sql`${rotations.personId} = +${sql.placeholder('person')} AND ${rotations.status} <> 'cancelled'
        AND ${rotations.startDate} <= +${sql.placeholder('last')} AND ${rotations.endDate} >= +${sql.placeholder('first')}`,
    )
    .prepare(),
);

/** Rotations (other than cancelled ones) of the person overlapping [first, last] (local dates). */
function rotationsBetween(db: Db, personId: number, first: string, last: string): RotationSpan[] {
  return rotationsOfPerson(db).all({ person: personId, first, last });
}

/** The person's schedule over [from, to), as personSchedule read it with `includeCancelled`. */
type KnownSchedule = { from: Date; to: Date; entries: ReturnType<typeof personSchedule> };
/** Occurrences the caller already read, keyed `${eventId}:${originalStart ms}` as storedOccurrencesAt keys them. */
type KnownOccurrences = Map<string, Slot & { cancelled: boolean }>;

/**
 * Conflicts of `person` for each candidate, in the candidates' order. Reads the person's schedule
 * and rotations once for the span of all candidates.
 */
export function conflictsOfCandidates(db: Db, person: Person, candidates: Candidate[], wording: Wording = {}, known?: KnownSchedule): Conflict[][] {
  const all = candidates.flatMap((c) => c.slots);
  if (all.length === 0) return candidates.map(() => []);
  const from = new Date(Math.min(...all.map((s) => s.start.getTime())));
  const to = new Date(Math.max(...all.map((s) => s.end.getTime())));
  // A schedule the caller already read (with cancelled events) covering the slots stands in for reading it again.
  const busy: BusyOccurrence[] =
    known && known.from <= from && known.to >= to
      ? known.entries
          .filter((e) => e.event.status === 'scheduled' && !e.occurrence.cancelled && (e.role === 'host' || e.answer === 'accepted'))
          .map((e) => ({ eventId: e.event.id, title: e.event.title, role: e.role, start: e.occurrence.start, end: e.occurrence.end }))
      : personBusyAt(db, person.id, all);
  // Each slot's wall clock at its start and end, read once for its local date, its working hours and its words.
  const wallClocks = all.map((s) => [utcToZonedParts(s.start, person.timeZone), utcToZonedParts(s.end, person.timeZone)] as const);
  const localDates = wallClocks.map(([start]) => formatLocalDateFields(start));
  const rotations = rotationsBetween(
    db,
    person.id,
    localDates.reduce((a, b) => (a < b ? a : b)),
    localDates.reduce((a, b) => (a > b ? a : b)),
  );
  // Busy times of the person's own outside calendars: named by the calendar's label, never by what is in it.
  const outside = busyIntervalsBetween(db, person.id, from, to);
  const w = words(person, wording);

  let first = 0;
  return candidates.map((candidate) => {
    // This candidate's slots' local dates, as read for the rotations above (all lists the slots candidate by candidate).
    const at = first;
    const dates = localDates.slice(at, (first += candidate.slots.length));
    const conflicts: Conflict[] = [];
    for (const slot of candidate.slots) {
      for (const entry of busy) {
        if (entry.eventId === candidate.eventId) continue;
        if (entry.start < slot.end && entry.end > slot.start) {
          conflicts.push({
            code: 'overlap',
            message: `${w.subject} already ${entry.role === 'host' ? w.hosts : w.has} "${entry.title}" at ${describeSlot(entry, person.timeZone)} (${person.timeZone}).`,
          });
        }
      }
      for (const interval of outside) {
        if (interval.start < slot.end && interval.end > slot.start) {
          // Others see that the person is busy, not the name they gave their private calendar.
          conflicts.push({
            code: 'busy',
            message: `${wording.you ? `You are busy in your own calendar (${interval.label})` : `${person.name} is busy in their own calendar`} ${describeBusy(interval, person.timeZone)} (${person.timeZone}).`,
          });
        }
      }
    }
    for (const rotation of rotations.filter((r) => dates.some((d) => d >= r.startDate && d <= r.endDate))) {
      conflicts.push({
        code: 'rotation',
        message: `${w.is} away on a rotation${rotation.teamName ? ` with ${rotation.teamName}` : ''} from ${rotation.startDate} to ${rotation.endDate}.`,
      });
    }
    for (let i = 0; i < candidate.slots.length; i++) {
      const [start, end] = wallClocks[at + i]!;
      const conflict = workingHoursConflict(person, start, end, w);
      if (conflict) conflicts.push(conflict);
    }
    return [...new Map(conflicts.map((c) => [c.message, c])).values()].slice(0, MAX_CONFLICTS);
  });
}

/** What stands in the way of `person` joining at these times; `ignoreEventId` leaves out the event being answered. */
export function findConflicts(db: Db, person: Person, slots: Slot[], ignoreEventId?: number, wording: Wording = {}): Conflict[] {
  return conflictsOfCandidates(db, person, [{ slots, eventId: ignoreEventId }], wording)[0]!;
}

/** A place: one occurrence of an event (`originalStart`), or the whole event or series (null). */
type PlaceRef = { event: EventRow; originalStart: Date | null };

/**
 * The times a place stands for: its occurrence (none when cancelled), or for a whole series its
 * next few occurrences (up to five in the coming 60 days). Read from the stored occurrences (indexed
 * lookups); only what lies past their horizon is expanded from the rule, with exceptions read once.
 */
function slotsOfPlaces(db: Db, now: Date, places: PlaceRef[], known?: KnownOccurrences): Slot[][] {
  const wholeSeries = new Map<number, EventRow>();
  for (const { event, originalStart } of places) if (event.rrule && originalStart === null) wholeSeries.set(event.id, event);
  const until = new Date(now.getTime() + SERIES_LOOKAHEAD_MS);
  const upcoming =
    firstStoredSlots(db, [...wholeSeries.keys()], now, until, SERIES_SAMPLE) ??
    new Map([...occurrencesInWindow(db, [...wholeSeries.values()], now, until)].map(([id, list]) => [id, list.slice(0, SERIES_SAMPLE)]));
  // Only what the caller has not read already is read.
  const stored: KnownOccurrences = storedOccurrencesAt(
    db,
    places.flatMap(({ event, originalStart }) =>
      event.rrule && originalStart && !known?.has(`${event.id}:${originalStart.getTime()}`) ? [{ eventId: event.id, originalStart }] : [],
    ),
  );
  if (known) for (const [key, occurrence] of known) stored.set(key, occurrence);
  let exceptions: Map<number, ExceptionRow[]> | undefined;
  return places.map(({ event, originalStart }) => {
    if (!event.rrule) {
      const start = firstStartOf(event);
      return cancelledWithEvent(event, start) ? [] : [{ start, end: new Date(start.getTime() + event.durationMinutes * 60_000) }];
    }
    if (originalStart === null) return upcoming.get(event.id) ?? [];
    const found = stored.get(`${event.id}:${originalStart.getTime()}`);
    if (found) return found.cancelled ? [] : [found];
    exceptions ??= exceptionsByEvent(db, [...new Set(places.filter((p) => p.event.rrule).map((p) => p.event.id))]);
    const occurrence: EventOccurrence | null = occurrenceAtOf(event, exceptions.get(event.id) ?? [], originalStart);
    return occurrence && !occurrence.cancelled ? [occurrence] : [];
  });
}

/** Conflicts for many places of one person (the rows of a page), in bulk; `occurrences` already read are not read again. */
export function conflictsForPlaces(
  db: Db,
  now: Date,
  person: Person,
  places: PlaceRef[],
  wording: Wording = {},
  known?: KnownSchedule,
  occurrences?: KnownOccurrences,
): Conflict[][] {
  if (places.length === 0) return [];
  const slots = slotsOfPlaces(db, now, places, occurrences);
  return conflictsOfCandidates(
    db,
    person,
    places.map((p, i) => ({ slots: slots[i]!, eventId: p.event.id })),
    wording,
    known,
  );
}

/** Conflicts for one place: a single occurrence, or the next few occurrences when the whole series is meant. */
export function conflictsForPlace(db: Db, now: Date, person: Person, event: EventRow, originalStart: Date | null, wording: Wording = {}): Conflict[] {
  return conflictsForPlaces(db, now, person, [{ event, originalStart }], wording)[0]!;
}
