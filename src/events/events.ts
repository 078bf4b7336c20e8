/**
 * Events: creating, changing and cancelling events and series, and the occurrences they have.
 * Seats and answers live in invitations.ts; what a person sees in schedule.ts.
 */
import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import {
  actionItems,
  agendaItems,
  eventExceptions,
  events,
  invitations,
  people,
  type Department,
  type EventKind,
  type opportunityStages,
} from '../../db/schema';
import type { Person } from '../context';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, forbidden, notFound } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { reportIds } from '../people/people';
import { tryParseLocalDateTime, zonedLocalToUtc, isValidTimeZone } from '../lib/time';
import {
  RecurrenceError,
  expandOccurrences,
  lastOccurrenceEnd,
  moveRRuleStart,
  normalizeSeries,
  occurrenceAt,
  occurrenceKey,
  splitSeries,
  MAX_EXPANSION_WINDOW_MS,
} from './recurrence';
import { cancelledWithEvent, expandEvent, timingOf, type EventOccurrence } from './expand';
import { exceptionsByEvent } from './occurrences';

export { expandEvent, type EventOccurrence };

export type EventRow = typeof events.$inferSelect;
export type ExceptionRow = typeof eventExceptions.$inferSelect;
export type OpportunityStage = (typeof opportunityStages)[number];

/** What describes an event, whoever sends it (form or API); `rrule` may be any supported RRULE. */
export type EventDetails = {
  kind: EventKind;
  title: string;
  description: string;
  hostId: number;
  startLocal: string;
  timeZone: string;
  durationMinutes: number;
  seats: number;
  rrule: string | null;
  account: string | null;
  opportunityStage: OpportunityStage | null;
  location: string | null;
  meetingUrl: string | null;
  topic: string | null;
};

export const MAX_DURATION_MINUTES = 12 * 60;
const MAX_SEATS = 500;

export const KIND_LABELS: Record<EventKind, string> = {
  sales_call: 'Sales call',
  marketing_meeting: 'Marketing meeting',
  alignment_meeting: 'Alignment meeting',
  training: 'Training',
};

/** A rule or input problem tied to one field; shown on the form and as an API issue. */
const invalidField = (path: string, message: string) => new AppError(400, 'invalid', message, [{ path, message }]);

/** The department guests come from: the host's other department; null = anyone may join. */
function guestDepartmentFor(kind: EventKind, hostDepartment: Department): Department | null {
  if (kind === 'sales_call') return 'marketing';
  if (kind === 'marketing_meeting') return 'sales';
  if (kind === 'alignment_meeting') return hostDepartment === 'sales' ? 'marketing' : hostDepartment === 'marketing' ? 'sales' : null;
  return null;
}

function requireHost(db: Db, hostId: number): Person {
  const host = db.select().from(people).where(eq(people.id, hostId)).get();
  if (!host?.active) throw invalidField('hostId', 'The host must be an active person in the directory.');
  return host;
}

/** Who may host an event made by `actor`: yourself; managers also their reports; HR anyone. */
function assertMayChooseHost(db: Db, actorPerson: Person, hostId: number) {
  if (hostId === actorPerson.id || actorPerson.role === 'hr') return;
  if (actorPerson.role === 'manager' && reportIds(db, actorPerson.id).includes(hostId)) return;
  throw forbidden('You can host events yourself; managers can also plan them for their reports, HR for anyone.');
}

/** Checks the details against the rules of their kind and returns them with a canonical rule. */
function checkedDetails(db: Db, details: EventDetails): EventDetails & { host: Person } {
  const host = requireHost(db, details.hostId);
  if (details.kind === 'sales_call' && host.department !== 'sales') {
    throw invalidField('hostId', 'A sales call is hosted by someone from sales.');
  }
  if (details.kind === 'marketing_meeting' && host.department !== 'marketing') {
    throw invalidField('hostId', 'A marketing meeting is hosted by someone from marketing.');
  }
  if (details.kind === 'sales_call' && !details.account) throw invalidField('account', 'Enter the account the sales call is with.');
  if (details.kind === 'marketing_meeting' && !details.topic) throw invalidField('topic', 'Enter the topic of the marketing meeting.');
  if (!tryParseLocalDateTime(details.startLocal)) throw invalidField('start', 'Enter a start date and time like 2026-03-09T09:00.');
  if (!isValidTimeZone(details.timeZone)) throw invalidField('timeZone', 'Use an IANA time zone such as America/New_York.');
  if (!Number.isInteger(details.durationMinutes) || details.durationMinutes < 5 || details.durationMinutes > MAX_DURATION_MINUTES) {
    throw invalidField('end', 'An event lasts from 5 minutes to 12 hours and ends after it starts.');
  }
  if (!Number.isInteger(details.seats) || details.seats < 0 || details.seats > MAX_SEATS) {
    throw invalidField('seats', `Guest seats must be a whole number from 0 to ${MAX_SEATS}.`);
  }
  let rrule: string | null = null;
  let startLocal = details.startLocal;
  if (details.rrule) {
    try {
      // A start the rule does not produce is not an occurrence; the series begins at the rule's first one.
      ({ rrule, firstStartLocal: startLocal } = normalizeSeries(details.rrule, details.startLocal, details.timeZone));
    } catch (err) {
      if (err instanceof RecurrenceError) throw invalidField('recurrence', err.message);
      throw err;
    }
  }
  const kindFields = {
    account: details.kind === 'sales_call' ? details.account : null,
    opportunityStage: details.kind === 'sales_call' ? details.opportunityStage : null,
    topic: details.kind === 'marketing_meeting' ? details.topic : details.topic ?? null,
  };
  return { ...details, ...kindFields, startLocal, rrule, host };
}


/** First start of the event as an instant. */
export const firstStartOf = (event: Pick<EventRow, 'startLocal' | 'timeZone'>) => zonedLocalToUtc(event.startLocal, event.timeZone);

/** The window every occurrence (moved ones included) lies in; kept on the row for window queries. */
function spanOf(event: Pick<EventRow, 'rrule' | 'startLocal' | 'timeZone' | 'durationMinutes'>, moved: { start: Date | null; end: Date | null }[]) {
  let spanStart = firstStartOf(event).getTime();
  let spanEnd: number | null = lastOccurrenceEnd(timingOf(event))?.getTime() ?? null;
  for (const m of moved) {
    if (m.start) spanStart = Math.min(spanStart, m.start.getTime());
    if (m.end && spanEnd !== null) spanEnd = Math.max(spanEnd, m.end.getTime());
  }
  return { spanStart: new Date(spanStart), spanEnd: spanEnd === null ? null : new Date(spanEnd) };
}

function movedExceptions(db: Db, eventId: number) {
  return db
    .select({ start: eventExceptions.start, end: eventExceptions.end })
    .from(eventExceptions)
    .where(and(eq(eventExceptions.eventId, eventId), eq(eventExceptions.kind, 'moved')))
    .all();
}

function refreshSpan(db: Db, eventId: number) {
  const event = requireEvent(db, eventId);
  db.update(events).set(spanOf(event, movedExceptions(db, eventId))).where(eq(events.id, eventId)).run();
}

const eventById = preparedQuery((db) => db.select().from(events).where(eq(events.id, sql.placeholder('id'))).prepare());

export function getEvent(db: Db, id: number): EventRow | undefined {
  return eventById(db).get({ id });
}

export function requireEvent(db: Db, id: number): EventRow {
  const event = getEvent(db, id);
  if (!event) throw notFound('No event with this id.');
  return event;
}

/** Host and HR change an event; so does the host's manager. */
export function canManageEvent(db: Db, person: Person, event: EventRow): boolean {
  if (person.role === 'hr' || person.id === event.hostId) return true;
  return person.role === 'manager' && reportIds(db, person.id).includes(event.hostId);
}

function assertCanManageEvent(db: Db, person: Person, event: EventRow) {
  if (!canManageEvent(db, person, event)) throw forbidden('Only the host, their manager or HR can change this event.');
}

function assertScheduled(event: EventRow) {
  if (event.status === 'cancelled') throw new AppError(409, 'cancelled', 'This event has been cancelled.');
}

/**
 * A scheduled event that the new one would repeat: the same host, the same title (ignoring case
 * and surrounding spaces), the same first start and the same repetition. Creating it again is
 * usually a double submit; a series with another rule at the same start is a different thing.
 */
export function findDuplicateEvent(db: Db, details: Pick<EventDetails, 'hostId' | 'title' | 'startLocal' | 'timeZone' | 'rrule'>): EventRow | undefined {
  const start = zonedLocalToUtc(details.startLocal, details.timeZone).getTime();
  return db
    .select()
    .from(events)
    .where(and(eq(events.hostId, details.hostId), eq(events.status, 'scheduled'), sql`lower(trim(${events.title})) = ${details.title.trim().toLowerCase()}`))
    .limit(200)
    .all()
    .find((e) => firstStartOf(e).getTime() === start && (e.rrule ?? null) === (details.rrule ?? null));
}

export function createEvent(db: Db, clock: Clock, actor: Actor, actorPerson: Person, details: EventDetails): EventRow {
  assertMayChooseHost(db, actorPerson, details.hostId);
  return writeTransaction(db, (tx) => {
    const checked = checkedDetails(tx, details);
    const { host, ...values } = checked;
    const now = clock.now();
    const event = tx
      .insert(events)
      .values({
        ...values,
        teamId: host.teamId,
        guestDepartment: guestDepartmentFor(checked.kind, host.department),
        ...spanOf(checked, []),
        createdById: actorPerson.id,
        updatedAt: now,
      })
      .returning()
      .get();
    recordAudit(tx, now, actor, 'event.create', 'event', event.id, null, event);
    return event;
  });
}

/** The rule moved along with a new first start; a bad new start is reported on the start field. */
function retimedRule(rrule: string, oldStartLocal: string, newStartLocal: string): string {
  if (!tryParseLocalDateTime(newStartLocal)) throw invalidField('start', 'Enter a start date and time like 2026-03-09T09:00.');
  try {
    return moveRRuleStart(rrule, oldStartLocal, newStartLocal);
  } catch (err) {
    if (err instanceof RecurrenceError) throw invalidField('recurrence', err.message);
    throw err;
  }
}

const TIMING_FIELDS = ['startLocal', 'timeZone', 'durationMinutes', 'rrule'] as const;

/**
 * Drops exceptions and occurrence answers whose original start is no longer an occurrence after
 * the timing of a series changed (a different weekday or time makes the old keys meaningless).
 * Those of occurrences that had started by `now` are kept: a change never rewrites what took place.
 */
function pruneOrphanedOccurrences(tx: Db, event: EventRow, now: Date) {
  const timing = timingOf(event);
  const isOccurrence = (start: Date) => start.getTime() < now.getTime() || (event.rrule !== null && occurrenceAt(timing, start) !== null);
  for (const exception of tx.select().from(eventExceptions).where(eq(eventExceptions.eventId, event.id)).all()) {
    if (!isOccurrence(exception.originalStart)) tx.delete(eventExceptions).where(eq(eventExceptions.id, exception.id)).run();
  }
  const starts = tx
    .selectDistinct({ start: invitations.occurrenceStart })
    .from(invitations)
    .where(and(eq(invitations.eventId, event.id), sql`${invitations.occurrenceStart} IS NOT NULL`))
    .all();
  for (const { start } of starts) {
    if (start && !isOccurrence(start)) {
      tx.delete(invitations).where(and(eq(invitations.eventId, event.id), eq(invitations.occurrenceStart, start))).run();
    }
  }
}

/** Changes the whole event (every occurrence). Returns the new row and whether seats were freed. */
export function updateEvent(
  db: Db,
  clock: Clock,
  actor: Actor,
  actorPerson: Person,
  id: number,
  patch: Partial<EventDetails>,
  afterUpdate?: (tx: Db, before: EventRow, after: EventRow) => void,
): EventRow {
  return writeTransaction(db, (tx) => {
    const before = requireEvent(tx, id);
    assertCanManageEvent(tx, actorPerson, before);
    assertScheduled(before);
    if (patch.kind && patch.kind !== before.kind) throw invalidField('kind', 'The kind of an event cannot change; cancel it and create a new one.');
    if (patch.hostId !== undefined && patch.hostId !== before.hostId) assertMayChooseHost(tx, actorPerson, patch.hostId);
    const merged: EventDetails = { ...detailsOf(before), ...patch };
    if (patch.rrule === undefined && before.rrule && patch.startLocal && patch.startLocal !== before.startLocal) {
      merged.rrule = retimedRule(before.rrule, before.startLocal, patch.startLocal);
    }
    const { host, ...checked } = checkedDetails(tx, merged);
    const now = clock.now();
    tx.update(events)
      .set({ ...checked, teamId: host.teamId, guestDepartment: guestDepartmentFor(checked.kind, host.department), sequence: before.sequence + 1, updatedAt: now })
      .where(eq(events.id, id))
      .run();
    const timingChanged = TIMING_FIELDS.some((field) => checked[field] !== before[field]);
    let after = requireEvent(tx, id);
    if (timingChanged) {
      pruneOrphanedOccurrences(tx, after, now);
      refreshSpan(tx, id);
      after = requireEvent(tx, id);
    }
    afterUpdate?.(tx, before, after);
    recordAudit(tx, now, actor, 'event.update', 'event', id, before, after);
    return after;
  });
}

export function detailsOf(event: EventRow): EventDetails {
  return {
    kind: event.kind,
    title: event.title,
    description: event.description,
    hostId: event.hostId,
    startLocal: event.startLocal,
    timeZone: event.timeZone,
    durationMinutes: event.durationMinutes,
    seats: event.seats,
    rrule: event.rrule,
    account: event.account,
    opportunityStage: event.opportunityStage,
    location: event.location,
    meetingUrl: event.meetingUrl,
    topic: event.topic,
  };
}

/**
 * Whether calling the event off at `now` would cancel anything: an occurrence (not cancelled on
 * its own) that has not started yet. What has started took place and stays so.
 */
export function hasOccurrenceAhead(db: Db, event: EventRow, now: Date): boolean {
  if (event.status === 'cancelled') return false;
  if (!event.rrule) return firstStartOf(event).getTime() >= now.getTime();
  if (event.spanEnd && event.spanEnd.getTime() <= now.getTime()) return false;
  const to = new Date(Math.min(event.spanEnd?.getTime() ?? Infinity, now.getTime() + MAX_EXPANSION_WINDOW_MS));
  return eventOccurrences(db, event, now, to).some((o) => o.start.getTime() >= now.getTime());
}

/**
 * Calls off the event from `now` on: every occurrence that has not started is cancelled, what
 * started before took place and keeps its answers, attendance and feedback (cancelledWithEvent).
 * An event with nothing left to start cannot be called off.
 */
export function cancelEvent(
  db: Db,
  clock: Clock,
  actor: Actor,
  actorPerson: Person,
  id: number,
  onCancelled?: (tx: Db, event: EventRow) => void,
): EventRow {
  return writeTransaction(db, (tx) => {
    const before = requireEvent(tx, id);
    assertCanManageEvent(tx, actorPerson, before);
    assertScheduled(before);
    const now = clock.now();
    if (!hasOccurrenceAhead(tx, before, now)) {
      throw new AppError(409, 'already_took_place', before.rrule ? 'Every occurrence of this series has already started; there is nothing left to cancel.' : 'This event has already started; there is nothing left to cancel.');
    }
    const after = tx
      .update(events)
      .set({ status: 'cancelled', cancelledAt: now, sequence: before.sequence + 1, updatedAt: now })
      .where(eq(events.id, id))
      .returning()
      .get();
    onCancelled?.(tx, after);
    recordAudit(tx, now, actor, 'event.cancel', 'event', id, { status: before.status }, { status: after.status });
    return after;
  });
}

// ── occurrences ───────────────────────────────────────────────────────────


/** Exceptions (cancelled or moved occurrences) of the given events, by event. */
export const exceptionsOf = exceptionsByEvent;

export function eventOccurrences(db: Db, event: EventRow, from: Date, to: Date, includeCancelled = false): EventOccurrence[] {
  return expandEvent(event, exceptionsOf(db, [event.id]).get(event.id) ?? [], from, to, includeCancelled);
}

/**
 * What of a called-off event took place, as an event of its own for calendars: a series ends (UNTIL)
 * before the first occurrence the cancellation reached, and occurrences moved past the moment it
 * was called off count as cancelled. The event itself when it was not called off; null when the
 * cancellation reached everything.
 */
export function heldPartOf(event: EventRow, exceptions: ExceptionRow[]): { event: EventRow; exceptions: ExceptionRow[] } | null {
  if (event.status !== 'cancelled') return { event, exceptions };
  const at = event.cancelledAt;
  if (!at) return null;
  const held = { ...event, status: 'scheduled' as const };
  if (!event.rrule) return firstStartOf(event).getTime() < at.getTime() ? { event: held, exceptions } : null;
  const timing = timingOf(event);
  const [first] = expandOccurrences({ ...timing, from: at, to: new Date(at.getTime() + MAX_EXPANSION_WINDOW_MS) }).filter((o) => o.start.getTime() >= at.getTime());
  let rrule = event.rrule;
  if (first) {
    const head = splitSeries(event.rrule, event.startLocal, event.timeZone, first.originalStart).headRRule;
    if (head === null) return null;
    rrule = head;
  }
  const kept = exceptions
    .filter((x) => x.originalStart.getTime() < at.getTime())
    .map((x) => (x.kind === 'moved' && x.start && x.start.getTime() >= at.getTime() ? { ...x, kind: 'cancelled' as const, start: null, end: null } : x));
  return { event: { ...held, rrule }, exceptions: kept };
}

/** The occurrence of `event` with that original start given its exceptions, or null when the rule has none there. */
export function occurrenceAtOf(event: EventRow, exceptions: ExceptionRow[], originalStart: Date): EventOccurrence | null {
  const base = occurrenceAt(timingOf(event), originalStart);
  if (!base) return null;
  const exception = exceptions.find((e) => e.originalStart.getTime() === base.originalStart.getTime());
  const moved = exception?.kind === 'moved' && exception.start && exception.end;
  return {
    originalStart: base.originalStart,
    start: moved ? exception.start! : base.start,
    end: moved ? exception.end! : base.end,
    isMoved: !!moved,
    key: occurrenceKey(event.id, base.originalStart),
    eventId: event.id,
    cancelled: cancelledWithEvent(event, moved ? exception.start! : base.start) || exception?.kind === 'cancelled',
  };
}

/** The occurrence of `event` with that original start, with its current time; 404 when there is none. */
export function requireOccurrence(db: Db, event: EventRow, originalStart: Date): EventOccurrence {
  const base = occurrenceAt(timingOf(event), originalStart);
  if (!base) throw notFound('This event has no occurrence at that time.');
  const exceptions = db
    .select()
    .from(eventExceptions)
    .where(and(eq(eventExceptions.eventId, event.id), eq(eventExceptions.originalStart, base.originalStart)))
    .all();
  return occurrenceAtOf(event, exceptions, base.originalStart)!;
}

function upsertException(tx: Db, now: Date, eventId: number, originalStart: Date, values: { kind: 'cancelled' | 'moved'; start: Date | null; end: Date | null }) {
  const existing = tx
    .select()
    .from(eventExceptions)
    .where(and(eq(eventExceptions.eventId, eventId), eq(eventExceptions.originalStart, originalStart)))
    .get();
  if (existing) {
    tx.update(eventExceptions)
      .set({ ...values, sequence: existing.sequence + 1, updatedAt: now })
      .where(eq(eventExceptions.id, existing.id))
      .run();
  } else {
    tx.insert(eventExceptions).values({ eventId, originalStart, ...values, updatedAt: now }).run();
  }
}

function assertSeries(event: EventRow) {
  if (!event.rrule) throw new AppError(409, 'not_a_series', 'This is a one-off event; change or cancel the event itself.');
}

/** Cancels one occurrence of a series; the others stay. */
export function cancelOccurrence(
  db: Db,
  clock: Clock,
  actor: Actor,
  actorPerson: Person,
  eventId: number,
  originalStart: Date,
  onCancelled?: (tx: Db, event: EventRow, occurrence: EventOccurrence) => void,
): EventOccurrence {
  return writeTransaction(db, (tx) => {
    const event = requireEvent(tx, eventId);
    assertCanManageEvent(tx, actorPerson, event);
    assertScheduled(event);
    assertSeries(event);
    const occurrence = requireOccurrence(tx, event, originalStart);
    if (occurrence.cancelled) return occurrence;
    const now = clock.now();
    upsertException(tx, now, eventId, originalStart, { kind: 'cancelled', start: null, end: null });
    tx.update(events).set({ sequence: event.sequence + 1, updatedAt: now }).where(eq(events.id, eventId)).run();
    const cancelled = { ...occurrence, cancelled: true };
    onCancelled?.(tx, event, cancelled);
    recordAudit(tx, now, actor, 'occurrence.cancel', 'event', eventId, { originalStart }, { cancelled: true });
    return cancelled;
  });
}

/** Moves one occurrence of a series to a new local start (in the event's zone), keeping or changing its length. */
export function moveOccurrence(
  db: Db,
  clock: Clock,
  actor: Actor,
  actorPerson: Person,
  eventId: number,
  originalStart: Date,
  newStartLocal: string,
  durationMinutes?: number,
): EventOccurrence {
  return writeTransaction(db, (tx) => {
    const event = requireEvent(tx, eventId);
    assertCanManageEvent(tx, actorPerson, event);
    assertScheduled(event);
    assertSeries(event);
    requireOccurrence(tx, event, originalStart);
    if (!tryParseLocalDateTime(newStartLocal)) throw invalidField('start', 'Enter the new start like 2026-03-09T09:00.');
    const minutes = durationMinutes ?? event.durationMinutes;
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > MAX_DURATION_MINUTES) {
      throw invalidField('durationMinutes', 'An event lasts from 5 minutes to 12 hours.');
    }
    const start = zonedLocalToUtc(newStartLocal, event.timeZone);
    const end = new Date(start.getTime() + minutes * 60_000);
    const now = clock.now();
    upsertException(tx, now, eventId, originalStart, { kind: 'moved', start, end });
    tx.update(events).set({ sequence: event.sequence + 1, updatedAt: now }).where(eq(events.id, eventId)).run();
    refreshSpan(tx, eventId);
    recordAudit(tx, now, actor, 'occurrence.move', 'event', eventId, { originalStart }, { start, end });
    return requireOccurrence(tx, requireEvent(tx, eventId), originalStart);
  });
}

/** Undoes a cancellation or move of one occurrence. */
export function restoreOccurrence(db: Db, clock: Clock, actor: Actor, actorPerson: Person, eventId: number, originalStart: Date): EventOccurrence {
  return writeTransaction(db, (tx) => {
    const event = requireEvent(tx, eventId);
    assertCanManageEvent(tx, actorPerson, event);
    assertScheduled(event);
    requireOccurrence(tx, event, originalStart);
    const now = clock.now();
    tx.delete(eventExceptions).where(and(eq(eventExceptions.eventId, eventId), eq(eventExceptions.originalStart, originalStart))).run();
    tx.update(events).set({ sequence: event.sequence + 1, updatedAt: now }).where(eq(events.id, eventId)).run();
    refreshSpan(tx, eventId);
    recordAudit(tx, now, actor, 'occurrence.restore', 'event', eventId, { originalStart }, null);
    return requireOccurrence(tx, requireEvent(tx, eventId), originalStart);
  });
}

/**
 * "This and following": the series ends just before `originalStart` and a new event takes that
 * occurrence and all later ones, with `patch` applied (new time, rule, title, seats …). Whole-event
 * answers are copied to the new event; answers, exceptions and agenda of later occurrences move
 * with it. Splitting at the first occurrence changes the whole event instead.
 */
export function editFollowing(
  db: Db,
  clock: Clock,
  actor: Actor,
  actorPerson: Person,
  eventId: number,
  originalStart: Date,
  patch: Partial<EventDetails>,
): EventRow {
  const event = requireEvent(db, eventId);
  assertSeries(event);
  let split: ReturnType<typeof splitSeries>;
  try {
    split = splitSeries(event.rrule!, event.startLocal, event.timeZone, originalStart);
  } catch (err) {
    if (err instanceof RecurrenceError) throw notFound('This event has no occurrence at that time.');
    throw err;
  }
  if (split.headRRule === null) return updateEvent(db, clock, actor, actorPerson, eventId, patch);

  return writeTransaction(db, (tx) => {
    const before = requireEvent(tx, eventId);
    assertCanManageEvent(tx, actorPerson, before);
    assertScheduled(before);
    if (patch.kind && patch.kind !== before.kind) throw invalidField('kind', 'The kind of an event cannot change.');
    if (patch.hostId !== undefined && patch.hostId !== before.hostId) assertMayChooseHost(tx, actorPerson, patch.hostId);
    const now = clock.now();
    const tailDetails: EventDetails = {
      ...detailsOf(before),
      startLocal: split.tailFirstStartLocal,
      rrule: split.tailRRule,
      ...patch,
    };
    if (patch.rrule === undefined && patch.startLocal && patch.startLocal !== split.tailFirstStartLocal) {
      tailDetails.rrule = retimedRule(split.tailRRule, split.tailFirstStartLocal, patch.startLocal);
    }
    const { host, ...tailChecked } = checkedDetails(tx, tailDetails);

    tx.update(events).set({ rrule: split.headRRule, sequence: before.sequence + 1, updatedAt: now }).where(eq(events.id, eventId)).run();
    const tail = tx
      .insert(events)
      .values({
        ...tailChecked,
        teamId: host.teamId,
        guestDepartment: guestDepartmentFor(tailChecked.kind, host.department),
        ...spanOf(tailChecked, []),
        splitFromEventId: eventId,
        createdById: actorPerson.id,
        updatedAt: now,
      })
      .returning()
      .get();

    const splitMs = originalStart.getTime();
    const later = (column: Parameters<typeof gte>[0]) => gte(column, new Date(splitMs));
    tx.update(invitations).set({ eventId: tail.id }).where(and(eq(invitations.eventId, eventId), later(invitations.occurrenceStart))).run();
    tx.update(eventExceptions).set({ eventId: tail.id }).where(and(eq(eventExceptions.eventId, eventId), later(eventExceptions.originalStart))).run();
    tx.update(agendaItems).set({ eventId: tail.id }).where(and(eq(agendaItems.eventId, eventId), later(agendaItems.occurrenceStart))).run();
    tx.update(actionItems).set({ eventId: tail.id }).where(and(eq(actionItems.eventId, eventId), later(actionItems.occurrenceStart))).run();
    const wholeRows = tx.select().from(invitations).where(and(eq(invitations.eventId, eventId), isNull(invitations.occurrenceStart))).all();
    for (const { id: _id, eventId: _eventId, createdAt: _createdAt, ...row } of wholeRows) {
      if (row.personId === tail.hostId) continue;
      tx.insert(invitations).values({ ...row, eventId: tail.id, updatedAt: now }).run();
    }
    pruneOrphanedOccurrences(tx, tail, now);
    refreshSpan(tx, eventId);
    refreshSpan(tx, tail.id);
    const after = requireEvent(tx, tail.id);
    recordAudit(tx, now, actor, 'event.split', 'event', eventId, { rrule: before.rrule }, { rrule: split.headRRule, tailEventId: tail.id });
    recordAudit(tx, now, actor, 'event.create', 'event', tail.id, null, after);
    return after;
  });
}

/** The event ids of `eventId` and the series it was split from, oldest last. */
export function lineageOf(db: Db, eventId: number): number[] {
  const ids: number[] = [];
  let current: number | null = eventId;
  while (current !== null && ids.length < 100 && !ids.includes(current)) {
    ids.push(current);
    const row: { parent: number | null } | undefined = db
      .select({ parent: events.splitFromEventId })
      .from(events)
      .where(eq(events.id, current))
      .get();
    current = row?.parent ?? null;
  }
  return ids;
}
