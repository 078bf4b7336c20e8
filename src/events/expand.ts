/**
 * Expansion of one event's rule into occurrences for a window: a pure function of the timing, the
 * exceptions and the window (no database). Stored occurrences (occurrences.ts) are built with it,
 * and windows beyond the stored horizon are expanded with it inside the request's bounded window.
 */
import type { events, eventExceptions } from '../../db/schema';
import { expandOccurrences, occurrenceKey, MAX_EXPANSION_WINDOW_MS, type Occurrence } from './recurrence';

type EventRow = typeof events.$inferSelect;
type ExceptionRow = typeof eventExceptions.$inferSelect;

export type EventOccurrence = Occurrence & { key: string; eventId: number; cancelled: boolean };

export function timingOf(event: Pick<EventRow, 'rrule' | 'startLocal' | 'timeZone' | 'durationMinutes'>) {
  return { rrule: event.rrule, firstStartLocal: event.startLocal, timeZone: event.timeZone, durationMinutes: event.durationMinutes };
}

/**
 * Occurrences of an event overlapping [from, to). Cancelled occurrences are left out unless
 * `includeCancelled`, then they come marked. A cancelled event has none.
 */
// Expansion is a pure function of the timing, the exceptions and the window. Windows are widened
// to whole UTC days so that requests moments apart (and different people looking at the same open
// seats) share one result; the exact window is filtered afterwards. The key holds every input of
// the expansion, so unlike the caches of rows it needs no database in it: two databases with the
// same rule and exceptions have the same occurrences.
const EXPANSION_CACHE_LIMIT = 10_000;
const expansionCache = new Map<string, Occurrence[]>();
const alignedFrom = (from: Date) => new Date(Math.floor(from.getTime() / 86_400_000) * 86_400_000);
const alignedTo = (to: Date) => new Date(Math.ceil(to.getTime() / 86_400_000) * 86_400_000);

function memoizedExpansion(
  event: Pick<EventRow, 'rrule' | 'startLocal' | 'timeZone' | 'durationMinutes'>,
  exceptions: ExceptionRow[],
  includeCancelled: boolean,
  from: Date,
  to: Date,
  expand: () => Occurrence[],
): Occurrence[] {
  if (alignedTo(to).getTime() - alignedFrom(from).getTime() > MAX_EXPANSION_WINDOW_MS) {
    return expandExact();
  }
  const exceptionKey = exceptions.map((e) => `${e.originalStart.getTime()}:${e.kind}:${e.start?.getTime() ?? ''}:${e.end?.getTime() ?? ''}`).join(',');
  const key = `${event.rrule}|${event.startLocal}|${event.timeZone}|${event.durationMinutes}|${includeCancelled}|${alignedFrom(from).getTime()}|${alignedTo(to).getTime()}|${exceptionKey}`;
  let result = expansionCache.get(key);
  if (!result) {
    result = expand();
    if (expansionCache.size >= EXPANSION_CACHE_LIMIT) expansionCache.clear();
    expansionCache.set(key, result);
  }
  return result;

  function expandExact(): Occurrence[] {
    const cancelled = new Set(exceptions.filter((e) => e.kind === 'cancelled').map((e) => e.originalStart.getTime()));
    const overrides = exceptions.filter((e) => e.kind === 'moved' && e.start && e.end).map((e) => ({ originalStart: e.originalStart, start: e.start!, end: e.end! }));
    return expandOccurrences({ ...timingOf(event), from, to, overrides, exceptions: includeCancelled ? [] : cancelled });
  }
}

export function expandEvent(
  event: Pick<EventRow, 'id' | 'rrule' | 'startLocal' | 'timeZone' | 'durationMinutes' | 'status'>,
  exceptions: ExceptionRow[],
  from: Date,
  to: Date,
  includeCancelled = false,
): EventOccurrence[] {
  if (event.status === 'cancelled' && !includeCancelled) return [];
  const cancelled = new Set(exceptions.filter((e) => e.kind === 'cancelled').map((e) => e.originalStart.getTime()));
  const overrides = exceptions
    .filter((e) => e.kind === 'moved' && e.start && e.end)
    .map((e) => ({ originalStart: e.originalStart, start: e.start!, end: e.end! }));
  const occurrences = memoizedExpansion(event, exceptions, includeCancelled, from, to, () =>
    expandOccurrences({ ...timingOf(event), from: alignedFrom(from), to: alignedTo(to), overrides, exceptions: includeCancelled ? [] : cancelled }),
  ).filter((o) => o.start.getTime() < to.getTime() && o.end.getTime() > from.getTime());
  return occurrences.map((o) => ({
    ...o,
    key: occurrenceKey(event.id, o.originalStart),
    eventId: event.id,
    cancelled: event.status === 'cancelled' || cancelled.has(o.originalStart.getTime()),
  }));
}

