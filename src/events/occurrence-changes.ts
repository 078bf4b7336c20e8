/**
 * Changing one occurrence of a series: cancelling, moving and restoring it. The series itself
 * changes in events.ts.
 */
import { and, eq } from 'drizzle-orm';
import { eventExceptions, events } from '../../db/schema';
import type { Person } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { tryParseLocalDateTime, zonedLocalToUtc } from '../lib/time';
import type { EventOccurrence, OccurrenceRef } from './expand';
import { MAX_DURATION_MINUTES, requireChangeableEvent, assertSeries, invalidField, refreshSpan, requireEvent, type EventRow } from './event-rules';
import { requireOccurrence } from './event-occurrences';

function upsertException(
  tx: Db,
  now: Date,
  eventId: number,
  originalStart: Date,
  values: { kind: 'cancelled' | 'moved'; start: Date | null; end: Date | null },
) {
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
    tx.insert(eventExceptions)
      .values({ eventId, originalStart, ...values, updatedAt: now })
      .run();
  }
}

/** What has started took place: one occurrence of it is neither cancelled, moved nor restored afterwards. */
function assertNotBegun(occurrence: { start: Date }, now: Date) {
  if (occurrence.start.getTime() < now.getTime()) {
    throw new AppError(409, 'already_took_place', 'This occurrence has already started; what took place stays as it was.');
  }
}

/** Cancels one occurrence of a series; the others stay. */
export function cancelOccurrence(
  db: Db,
  clock: Clock,
  actor: Actor,
  actorPerson: Person,
  at: OccurrenceRef,
  onCancelled?: (tx: Db, event: EventRow, occurrence: EventOccurrence) => void,
): EventOccurrence {
  const { eventId, originalStart } = at;
  return writeTransaction(db, (tx) => {
    const event = requireChangeableEvent(tx, actorPerson, eventId);
    assertSeries(event);
    const occurrence = requireOccurrence(tx, event, originalStart);
    if (occurrence.cancelled) return occurrence;
    const now = clock.now();
    assertNotBegun(occurrence, now);
    upsertException(tx, now, eventId, originalStart, { kind: 'cancelled', start: null, end: null });
    tx.update(events)
      .set({ sequence: event.sequence + 1, updatedAt: now })
      .where(eq(events.id, eventId))
      .run();
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
  at: OccurrenceRef,
  newStartLocal: string,
  durationMinutes?: number,
): EventOccurrence {
  const { eventId, originalStart } = at;
  return writeTransaction(db, (tx) => {
    const event = requireChangeableEvent(tx, actorPerson, eventId);
    assertSeries(event);
    const occurrence = requireOccurrence(tx, event, originalStart);
    assertNotBegun(occurrence, clock.now());
    if (!tryParseLocalDateTime(newStartLocal)) throw invalidField('start', 'Enter the new start like 2026-03-09T09:00.');
    const minutes = durationMinutes ?? event.durationMinutes;
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > MAX_DURATION_MINUTES) {
      throw invalidField('durationMinutes', 'An event lasts from 5 minutes to 12 hours.');
    }
    const start = zonedLocalToUtc(newStartLocal, event.timeZone);
    const end = new Date(start.getTime() + minutes * 60_000);
    const now = clock.now();
    if (start.getTime() < now.getTime()) throw invalidField('start', 'Choose a new start that is still ahead: what has passed cannot be changed.');
    upsertException(tx, now, eventId, originalStart, { kind: 'moved', start, end });
    tx.update(events)
      .set({ sequence: event.sequence + 1, updatedAt: now })
      .where(eq(events.id, eventId))
      .run();
    refreshSpan(tx, eventId);
    recordAudit(tx, now, actor, 'occurrence.move', 'event', eventId, { originalStart }, { start, end });
    return requireOccurrence(tx, requireEvent(tx, eventId), originalStart);
  });
}

/** Undoes a cancellation or move of one occurrence. */
export function restoreOccurrence(db: Db, clock: Clock, actor: Actor, actorPerson: Person, eventId: number, originalStart: Date): EventOccurrence {
  return writeTransaction(db, (tx) => {
    const event = requireChangeableEvent(tx, actorPerson, eventId);
    const occurrence = requireOccurrence(tx, event, originalStart);
    const now = clock.now();
    // Back at its regular time, it must not have started there either.
    assertNotBegun({ start: new Date(Math.min(occurrence.start.getTime(), occurrence.originalStart.getTime())) }, now);
    tx.delete(eventExceptions)
      .where(and(eq(eventExceptions.eventId, eventId), eq(eventExceptions.originalStart, originalStart)))
      .run();
    tx.update(events)
      .set({ sequence: event.sequence + 1, updatedAt: now })
      .where(eq(events.id, eventId))
      .run();
    refreshSpan(tx, eventId);
    recordAudit(tx, now, actor, 'occurrence.restore', 'event', eventId, { originalStart }, null);
    return requireOccurrence(tx, requireEvent(tx, eventId), originalStart);
  });
}
