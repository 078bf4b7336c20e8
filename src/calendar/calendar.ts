/**
 * What goes into a person's calendar feed and into an event's .ics download: the events they host
 * or accepted, as crosstrain stores them (series with their rule, cancelled and moved
 * occurrences), turned into iCalendar VEVENTs by src/calendar/ics.ts.
 */
import { and, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { eventExceptions, events, invitations, people } from '../../db/schema';
import type { Person } from '../context';
import type { Db } from '../db';
import {
  cancelledWithEvent,
  expandOccurrences,
  heldPartOf,
  heldSince,
  misreadByCalendarPrograms,
  occurrenceKey,
  toICalendarRRule,
  exceptionsOf,
  firstStartOf,
  KIND_LABELS,
  type EventRow,
  type ExceptionRow,
} from '../events';
import { buildCalendar, type IcsEvent } from './ics';
import { readInChunks } from '../lib/chunks';

/** How far back a feed still shows past events; older ones drop out of subscribers' calendars. */
export const FEED_HISTORY_DAYS = 90;
/** Time zone definitions cover this far ahead for series without an end. */
const ZONES_AHEAD_DAYS = 3 * 365;
const MAX_FEED_EVENTS = 3000;
const DAY_MS = 86_400_000;

/** UID of an event (a series and its overrides share it); stable for the event's whole life. */
export const eventUid = (eventId: number) => `event-${eventId}@crosstrain`;
/** UID of a single occurrence someone joined without joining its whole series. */
export const occurrenceUid = (eventId: number, originalStart: Date) => `occurrence-${occurrenceKey(eventId, originalStart)}@crosstrain`;

export type CalendarOptions = {
  baseUrl: string;
  /** Minutes before each occurrence for the VALARM; 0 or null for none. */
  reminderLeadMinutes: number | null;
  now: Date;
};

function describe(event: EventRow, hostName: string, baseUrl: string): string {
  const lines = [`${KIND_LABELS[event.kind]} hosted by ${hostName}`];
  if (event.account) lines.push(`Account: ${event.account}${event.opportunityStage ? ` (${event.opportunityStage.replace(/_/g, ' ')})` : ''}`);
  if (event.topic) lines.push(`Topic: ${event.topic}`);
  if (event.meetingUrl) lines.push(`Join: ${event.meetingUrl}`);
  if (event.description) lines.push('', event.description);
  lines.push('', `${baseUrl}/events/${event.id}`);
  return lines.join('\n');
}

function baseEvent(event: EventRow, hostName: string, options: CalendarOptions): Omit<IcsEvent, 'uid' | 'timing'> {
  return {
    sequence: event.sequence,
    stamp: event.updatedAt ?? event.createdAt,
    summary: event.title,
    description: describe(event, hostName, options.baseUrl),
    location: event.location || event.meetingUrl || undefined,
    url: `${options.baseUrl}/events/${event.id}`,
    categories: [KIND_LABELS[event.kind]],
    status: event.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    alarm: options.reminderLeadMinutes ? { minutesBefore: options.reminderLeadMinutes, description: `Reminder: ${event.title}` } : null,
  };
}

/**
 * The VEVENTs of a whole event: a one-off event, or a series master with RRULE and EXDATEs plus
 * one VEVENT per moved occurrence (RECURRENCE-ID). `skipOriginalStarts` adds EXDATEs for
 * occurrences this person is not part of (they declined that one occurrence).
 */
export function eventToIcs(
  event: EventRow,
  exceptions: ExceptionRow[],
  hostName: string,
  options: CalendarOptions,
  skipOriginalStarts: Date[] = [],
): IcsEvent[] {
  const base = baseEvent(event, hostName, options);
  const uid = eventUid(event.id);
  const firstStart = firstStartOf(event);
  const durationMs = event.durationMinutes * 60_000;
  if (!event.rrule) {
    const moved = exceptions.find((x) => x.kind === 'moved' && x.start && x.end);
    const cancelled = exceptions.some((x) => x.kind === 'cancelled');
    const start = moved?.start ?? firstStart;
    const end = moved?.end ?? new Date(firstStart.getTime() + durationMs);
    return [
      {
        ...base,
        uid,
        status: cancelled ? 'CANCELLED' : base.status,
        sequence: event.sequence + (moved?.sequence ?? 0),
        timing: { kind: 'timed', start, end, timeZone: event.timeZone },
      },
    ];
  }
  const skipped = new Set(skipOriginalStarts.map((d) => d.getTime()));
  const exdates = [...exceptions.filter((x) => x.kind === 'cancelled').map((x) => x.originalStart), ...skipOriginalStarts];
  const master: IcsEvent = {
    ...base,
    uid,
    timing: { kind: 'timed', start: firstStart, end: new Date(firstStart.getTime() + durationMs), timeZone: event.timeZone, startLocal: event.startLocal },
    rrule: toICalendarRRule(event.rrule, event.timeZone),
    exdates: [...new Map(exdates.map((d) => [d.getTime(), d])).values()],
  };
  if (misreadByCalendarPrograms(event.rrule)) {
    // Week numbers and "20th Monday of the year" are expanded wrongly by common calendar programs
    // (ical.js among them), so such a series lists its starts over the feed's window instead.
    const from = new Date(Math.max(firstStart.getTime(), options.now.getTime() - FEED_HISTORY_DAYS * DAY_MS));
    const to = new Date(from.getTime() + 3 * 365 * DAY_MS);
    master.rrule = undefined;
    // DTSTART is listed too: RFC 5545 counts it once, and ical.js skips it when only RDATEs follow.
    const starts = expandOccurrences({
      rrule: event.rrule,
      firstStartLocal: event.startLocal,
      timeZone: event.timeZone,
      durationMinutes: event.durationMinutes,
      from,
      to,
    }).map((o) => o.originalStart);
    master.rdates = [...new Map([firstStart, ...starts].map((d) => [d.getTime(), d])).values()];
  }
  const overrides: IcsEvent[] = exceptions
    .filter((x) => x.kind === 'moved' && x.start && x.end && !skipped.has(x.originalStart.getTime()))
    .map((x) => ({
      ...base,
      uid,
      rrule: undefined,
      exdates: undefined,
      sequence: event.sequence + x.sequence,
      stamp: x.updatedAt ?? x.createdAt,
      recurrenceId: x.originalStart,
      timing: { kind: 'timed', start: x.start!, end: x.end!, timeZone: event.timeZone },
    }));
  return [master, ...overrides];
}

/** One occurrence of a series as a VEVENT of its own (for people who joined only that occurrence). */
export function occurrenceToIcs(event: EventRow, exceptions: ExceptionRow[], originalStart: Date, hostName: string, options: CalendarOptions): IcsEvent | null {
  const exception = exceptions.find((x) => x.originalStart.getTime() === originalStart.getTime());
  if (exception?.kind === 'cancelled') return null;
  const start = exception?.kind === 'moved' && exception.start ? exception.start : originalStart;
  const end = exception?.kind === 'moved' && exception.end ? exception.end : new Date(originalStart.getTime() + event.durationMinutes * 60_000);
  return {
    ...baseEvent(event, hostName, options),
    uid: occurrenceUid(event.id, originalStart),
    sequence: event.sequence + (exception?.sequence ?? 0),
    timing: { kind: 'timed', start, end, timeZone: event.timeZone },
  };
}

/** The time span a feed serves: FEED_HISTORY_DAYS back, ZONES_AHEAD_DAYS ahead. */
export const feedWindow = (now: Date) => ({
  zonesFrom: new Date(now.getTime() - FEED_HISTORY_DAYS * DAY_MS),
  zonesUntil: new Date(now.getTime() + ZONES_AHEAD_DAYS * DAY_MS),
});

function hostNames(db: Db, hostIds: number[]): Map<number, string> {
  const rows = readInChunks(hostIds, (chunk) => db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, chunk)).all());
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Everything the person hosts or accepted that has not ended more than FEED_HISTORY_DAYS ago:
 * series as one master each, single occurrences they joined on their own, cancelled events left
 * out (a subscribed calendar then removes them) except what of them took place before they were
 * called off (heldPartOf: a series then ends before the cancellation).
 */
export function feedEventsFor(db: Db, person: Pick<Person, 'id' | 'reminderLeadMinutes'>, options: Omit<CalendarOptions, 'reminderLeadMinutes'>): IcsEvent[] {
  const horizon = new Date(options.now.getTime() - FEED_HISTORY_DAYS * DAY_MS);
  const live = and(heldSince(horizon), or(isNull(events.spanEnd), gt(events.spanEnd, horizon)));
  const calendarOptions: CalendarOptions = { ...options, reminderLeadMinutes: person.reminderLeadMinutes };

  const hosted = db
    .select()
    .from(events)
    .where(and(eq(events.hostId, person.id), live))
    .limit(MAX_FEED_EVENTS)
    .all();
  const answers = db
    .select({ invitation: invitations, event: events })
    .from(invitations)
    .innerJoin(events, eq(events.id, invitations.eventId))
    .where(and(eq(invitations.personId, person.id), sql`${invitations.eventId} NOT IN (SELECT id FROM events WHERE host_id = ${person.id})`, live))
    .limit(MAX_FEED_EVENTS * 4)
    .all();

  const eventsById = new Map<number, EventRow>(hosted.map((e) => [e.id, e]));
  const wholeAccepted = new Set<number>();
  const occurrenceAnswers = new Map<number, { originalStart: Date; accepted: boolean }[]>();
  for (const { invitation, event } of answers) {
    eventsById.set(event.id, event);
    if (invitation.occurrenceStart === null) {
      if (invitation.status === 'accepted') wholeAccepted.add(event.id);
    } else {
      (occurrenceAnswers.get(event.id) ?? occurrenceAnswers.set(event.id, []).get(event.id)!).push({
        originalStart: invitation.occurrenceStart,
        accepted: invitation.status === 'accepted',
      });
    }
  }
  const ids = [...eventsById.keys()];
  const exceptions = exceptionsOf(db, ids);
  const names = hostNames(db, [...new Set([...eventsById.values()].map((e) => e.hostId))]);

  const out: IcsEvent[] = [];
  const hostedIds = new Set(hosted.map((e) => e.id));
  for (const found of eventsById.values()) {
    const held = heldPartOf(found, exceptions.get(found.id) ?? []);
    if (!held) continue;
    const { event, exceptions: eventExceptionsList } = held;
    const hostName = names.get(event.hostId) ?? 'a colleague';
    if (hostedIds.has(event.id)) {
      out.push(...eventToIcs(event, eventExceptionsList, hostName, calendarOptions));
      continue;
    }
    const perOccurrence = occurrenceAnswers.get(event.id) ?? [];
    if (wholeAccepted.has(event.id)) {
      // A series they joined as a whole, minus the occurrences they answered otherwise.
      const skip = perOccurrence.filter((a) => !a.accepted).map((a) => a.originalStart);
      // A one-off event has one occurrence: answering it otherwise takes the event off the feed.
      if (!event.rrule && skip.length) continue;
      out.push(...eventToIcs(event, eventExceptionsList, hostName, calendarOptions, event.rrule ? skip : []));
      continue;
    }
    for (const answer of perOccurrence.filter((a) => a.accepted)) {
      if (!event.rrule) {
        out.push(...eventToIcs(event, eventExceptionsList, hostName, calendarOptions));
        break;
      }
      const single = occurrenceToIcs(event, eventExceptionsList, answer.originalStart, hostName, calendarOptions);
      if (single && single.timing.kind === 'timed' && single.timing.end > horizon && !cancelledWithEvent(found, single.timing.start)) out.push(single);
    }
  }
  return out.slice(0, MAX_FEED_EVENTS);
}

/** The feed's text from its entries (feedEventsFor plus rotations). */
export function personFeedCalendar(person: Pick<Person, 'name'>, entries: IcsEvent[], now: Date): string {
  return buildCalendar({
    name: `${person.name} · crosstrain`,
    description: 'Ride-alongs, meetings and rotations from crosstrain',
    refreshMinutes: 60,
    events: entries,
    ...feedWindow(now),
  });
}

/** The .ics download of one event (all its occurrences), for someone allowed to see it. */
export function eventCalendar(db: Db, event: EventRow, options: CalendarOptions): string {
  const exceptions = db.select().from(eventExceptions).where(eq(eventExceptions.eventId, event.id)).all();
  const host = db.select({ name: people.name }).from(people).where(eq(people.id, event.hostId)).get();
  return buildCalendar({
    method: 'PUBLISH',
    events: eventToIcs(event, exceptions, host?.name ?? 'a colleague', options),
    // A download may be of a past event: its zone is covered from a few years back.
    zonesFrom: new Date(options.now.getTime() - ZONES_AHEAD_DAYS * DAY_MS),
    zonesUntil: feedWindow(options.now).zonesUntil,
  });
}
