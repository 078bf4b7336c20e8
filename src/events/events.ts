/**
 * Events: creating, changing, splitting and cancelling events and series.
 * Their rules live in event-rules.ts, their occurrences in event-occurrences.ts and
 * occurrence-changes.ts; seats and answers in invitations.ts; what a person sees in schedule.ts.
 */
import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import { actionItems, agendaItems, eventExceptions, events, invitations } from '../../db/schema';
import type { Person } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, notFound } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { tryParseLocalDateTime, zonedLocalToUtc } from '../lib/time';
import { RecurrenceError, moveRRuleStart, occurrenceAt, splitSeries } from './recurrence';
import { timingOf, type OccurrenceRef } from './expand';
import { retimingAt } from './retime';
import {
  requireChangeableEvent,
  assertMayChooseHost,
  assertSeries,
  checkedDetails,
  firstStartOf,
  guestDepartmentFor,
  invalidField,
  refreshSpan,
  requireEvent,
  spanOf,
  type EventDetails,
  type EventRow,
} from './event-rules';
import { hasOccurrenceAhead } from './event-occurrences';

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
      tx.delete(invitations)
        .where(and(eq(invitations.eventId, event.id), eq(invitations.occurrenceStart, start)))
        .run();
    }
  }
}

/**
 * Changes the whole event. What has begun keeps its times (retimingAt): when the new timing would
 * move an occurrence of a series that had begun, the series splits at the first one not yet begun
 * and the change applies from then on, to a new series as with "this and following"; the new
 * series is returned (or the event itself when nothing of the new timing lies ahead). A one-off
 * event that has begun does not move; made a series, it repeats from now on as a new one.
 */
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
    const before = requireChangeableEvent(tx, actorPerson, id);
    if (patch.kind && patch.kind !== before.kind) throw invalidField('kind', 'The kind of an event cannot change; cancel it and create a new one.');
    if (patch.hostId !== undefined && patch.hostId !== before.hostId) assertMayChooseHost(tx, actorPerson, patch.hostId);
    const merged: EventDetails = { ...detailsOf(before), ...patch };
    if (patch.rrule === undefined && before.rrule && patch.startLocal && patch.startLocal !== before.startLocal) {
      merged.rrule = retimedRule(before.rrule, before.startLocal, patch.startLocal);
    }
    const { host, ...checked } = checkedDetails(tx, merged);
    const now = clock.now();
    const timingChanged = TIMING_FIELDS.some((field) => checked[field] !== before[field]);
    if (timingChanged) {
      const exceptions = before.rrule ? tx.select().from(eventExceptions).where(eq(eventExceptions.eventId, id)).all() : [];
      const retiming = retimingAt(timingOf(before), exceptions, timingOf(checked), now);
      if (retiming.kind === 'past_only') {
        throw new AppError(
          409,
          'already_took_place',
          before.rrule
            ? 'Every occurrence of this series has already started and the new times have none ahead; what took place keeps its times.'
            : 'This event has already started; what took place keeps its time. Plan a new event for another meeting.',
        );
      }
      if (retiming.kind === 'split') {
        const tailDetails = retiming.tail ? { ...checked, hostId: host.id, ...retiming.tail } : null;
        const after = splitOff(tx, now, actor, actorPerson, before, { splitAt: retiming.splitAt, headRRule: retiming.headRRule, tail: tailDetails });
        afterUpdate?.(tx, before, after);
        return after;
      }
    }
    tx.update(events)
      .set({
        ...checked,
        teamId: host.teamId,
        guestDepartment: guestDepartmentFor(checked.kind, host.department),
        sequence: before.sequence + 1,
        updatedAt: now,
      })
      .where(eq(events.id, id))
      .run();
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
 * Calls off the event from `now` on: every occurrence that has not started is cancelled, what
 * started before took place and keeps its answers, attendance and feedback (cancelledWithEvent).
 * An event with nothing left to start cannot be called off.
 */
export function cancelEvent(db: Db, clock: Clock, actor: Actor, actorPerson: Person, id: number, onCancelled?: (tx: Db, event: EventRow) => void): EventRow {
  return writeTransaction(db, (tx) => {
    const before = requireChangeableEvent(tx, actorPerson, id);
    const now = clock.now();
    if (!hasOccurrenceAhead(tx, before, now)) {
      throw new AppError(
        409,
        'already_took_place',
        before.rrule
          ? 'Every occurrence of this series has already started; there is nothing left to cancel.'
          : 'This event has already started; there is nothing left to cancel.',
      );
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

/**
 * "This and following": the series ends just before `originalStart` and a new event takes that
 * occurrence and all later ones, with `patch` applied (new time, rule, title, seats …). Splitting
 * at the first occurrence changes the whole event instead.
 */
export function editFollowing(db: Db, clock: Clock, actor: Actor, actorPerson: Person, at: OccurrenceRef, patch: Partial<EventDetails>): EventRow {
  const { eventId, originalStart } = at;
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
    const before = requireChangeableEvent(tx, actorPerson, eventId);
    if (patch.kind && patch.kind !== before.kind) throw invalidField('kind', 'The kind of an event cannot change.');
    if (patch.hostId !== undefined && patch.hostId !== before.hostId) assertMayChooseHost(tx, actorPerson, patch.hostId);
    const tailDetails: EventDetails = {
      ...detailsOf(before),
      startLocal: split.tailFirstStartLocal,
      rrule: split.tailRRule,
      ...patch,
    };
    if (patch.rrule === undefined && patch.startLocal && patch.startLocal !== split.tailFirstStartLocal) {
      tailDetails.rrule = retimedRule(split.tailRRule, split.tailFirstStartLocal, patch.startLocal);
    }
    const now = clock.now();
    // From an occurrence that has started, new times would rewrite what took place (retimingAt).
    const asBefore = { ...timingOf(before), rrule: split.tailRRule, firstStartLocal: split.tailFirstStartLocal };
    if (retimingAt(asBefore, [], timingOf(checkedDetails(tx, tailDetails)), now).kind !== 'whole') {
      throw new AppError(
        409,
        'already_took_place',
        'This occurrence has already started: new times can apply only from an occurrence that has not started yet. Change the whole series instead; what took place keeps its times.',
      );
    }
    return splitOff(tx, now, actor, actorPerson, before, { splitAt: originalStart, headRRule: split.headRRule, tail: tailDetails });
  });
}

/**
 * Splits `before` inside a write: it ends before `splitAt` (`headRRule`; null: its rule stays, as
 * when nothing of it is left to start) and `tail`, when there is one, becomes a new event taking
 * the later occurrences. Whole-event answers are copied to it; answers, exceptions and agenda of
 * later occurrences move with it, and those the new timing no longer has are dropped. Without a
 * tail they are dropped from the event. Returns the tail, or the event when there is none.
 */
function splitOff(
  tx: Db,
  now: Date,
  actor: Actor,
  actorPerson: Person,
  before: EventRow,
  plan: { splitAt: Date | null; headRRule: string | null; tail: EventDetails | null },
): EventRow {
  const eventId = before.id;
  const tailChecked = plan.tail ? checkedDetails(tx, plan.tail) : null;
  if (plan.headRRule !== null) {
    tx.update(events)
      .set({ rrule: plan.headRRule, sequence: before.sequence + 1, updatedAt: now })
      .where(eq(events.id, eventId))
      .run();
  }
  let tail: EventRow | null = null;
  if (tailChecked) {
    const { host, ...values } = tailChecked;
    tail = tx
      .insert(events)
      .values({
        ...values,
        teamId: host.teamId,
        guestDepartment: guestDepartmentFor(values.kind, host.department),
        ...spanOf(values, []),
        splitFromEventId: eventId,
        createdById: actorPerson.id,
        updatedAt: now,
      })
      .returning()
      .get();
    if (plan.splitAt) {
      const later = (column: Parameters<typeof gte>[0]) => gte(column, plan.splitAt!);
      tx.update(invitations)
        .set({ eventId: tail.id })
        .where(and(eq(invitations.eventId, eventId), later(invitations.occurrenceStart)))
        .run();
      tx.update(eventExceptions)
        .set({ eventId: tail.id })
        .where(and(eq(eventExceptions.eventId, eventId), later(eventExceptions.originalStart)))
        .run();
      tx.update(agendaItems)
        .set({ eventId: tail.id })
        .where(and(eq(agendaItems.eventId, eventId), later(agendaItems.occurrenceStart)))
        .run();
      tx.update(actionItems)
        .set({ eventId: tail.id })
        .where(and(eq(actionItems.eventId, eventId), later(actionItems.occurrenceStart)))
        .run();
    }
    const wholeRows = tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.eventId, eventId), isNull(invitations.occurrenceStart)))
      .all();
    for (const { id: _id, eventId: _eventId, createdAt: _createdAt, ...row } of wholeRows) {
      if (row.personId === tail.hostId) continue;
      tx.insert(invitations)
        .values({ ...row, eventId: tail.id, updatedAt: now })
        .run();
    }
    pruneOrphanedOccurrences(tx, tail, now);
    refreshSpan(tx, tail.id);
  }
  if (plan.headRRule !== null) {
    if (!tail) pruneOrphanedOccurrences(tx, requireEvent(tx, eventId), now);
    refreshSpan(tx, eventId);
  }
  recordAudit(
    tx,
    now,
    actor,
    'event.split',
    'event',
    eventId,
    { rrule: before.rrule },
    { rrule: plan.headRRule ?? before.rrule, tailEventId: tail?.id ?? null, splitAt: plan.splitAt?.toISOString() ?? null },
  );
  if (!tail) return requireEvent(tx, eventId);
  const after = requireEvent(tx, tail.id);
  recordAudit(tx, now, actor, 'event.create', 'event', tail.id, null, after);
  return after;
}

/** The event ids of `eventId` and the series it was split from, oldest last. */
export function lineageOf(db: Db, eventId: number): number[] {
  const ids: number[] = [];
  let current: number | null = eventId;
  while (current !== null && ids.length < 100 && !ids.includes(current)) {
    ids.push(current);
    const row: { parent: number | null } | undefined = db.select({ parent: events.splitFromEventId }).from(events).where(eq(events.id, current)).get();
    current = row?.parent ?? null;
  }
  return ids;
}
