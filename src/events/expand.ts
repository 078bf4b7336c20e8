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

/** Which occurrence a change is about: the event and its original start (an EventOccurrence is one). */
export interface OccurrenceRef {
  eventId: number;
  originalStart: Date;
}

/** Longest an occurrence lasts (MAX_DURATION_MINUTES in events.ts), so a window can bound the starts it looks at. */
export const LONGEST_OCCURRENCE_MS = 12 * 3_600_000;

export function timingOf(event: Pick<EventRow, 'rrule' | 'startLocal' | 'timeZone' | 'durationMinutes'>) {
  return { rrule: event.rrule, firstStartLocal: event.startLocal, timeZone: event.timeZone, durationMinutes: event.durationMinutes };
}

/**
 * Whether calling off the whole event cancelled its occurrence starting at `start`. Cancelling
 * changes the future only: what had started before the event was called off took place and stays
 * so (attendance, feedback and completions hang on it). A cancelled row without the moment (none
 * is written so, db/migrations backfills them) counts as called off before its first occurrence.
 */
export function cancelledWithEvent(event: Pick<EventRow, 'status' | 'cancelledAt'>, start: Date): boolean {
  if (event.status !== 'cancelled') return false;
  return !event.cancelledAt || start.getTime() >= event.cancelledAt.getTime();
}

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
    const overrides = exceptions
      .filter((e) => e.kind === 'moved' && e.start && e.end)
      .map((e) => ({ originalStart: e.originalStart, start: e.start!, end: e.end! }));
    return expandOccurrences({ ...timingOf(event), from, to, overrides, exceptions: includeCancelled ? [] : cancelled });
  }
}

/**
 * Occurrences of an event overlapping [from, to). Cancelled occurrences are left out unless
 * `includeCancelled`, then they come marked. A cancelled event keeps the occurrences that started
 * before it was called off (cancelledWithEvent).
 */
export function expandEvent(
  event: Pick<EventRow, 'id' | 'rrule' | 'startLocal' | 'timeZone' | 'durationMinutes' | 'status' | 'cancelledAt'>,
  exceptions: ExceptionRow[],
  from: Date,
  to: Date,
  includeCancelled = false,
): EventOccurrence[] {
  // Nothing of a called-off event started in the window: a shortcut, the filter below says the same.
  if (event.status === 'cancelled' && !includeCancelled && (!event.cancelledAt || event.cancelledAt.getTime() <= from.getTime() - LONGEST_OCCURRENCE_MS))
    return [];
  const cancelled = new Set(exceptions.filter((e) => e.kind === 'cancelled').map((e) => e.originalStart.getTime()));
  const overrides = exceptions
    .filter((e) => e.kind === 'moved' && e.start && e.end)
    .map((e) => ({ originalStart: e.originalStart, start: e.start!, end: e.end! }));
  const occurrences = memoizedExpansion(event, exceptions, includeCancelled, from, to, () =>
    expandOccurrences({ ...timingOf(event), from: alignedFrom(from), to: alignedTo(to), overrides, exceptions: includeCancelled ? [] : cancelled }),
  ).filter((o) => o.start.getTime() < to.getTime() && o.end.getTime() > from.getTime());
  const found = occurrences.map((o) => ({
    ...o,
    key: occurrenceKey(event.id, o.originalStart),
    eventId: event.id,
    cancelled: cancelledWithEvent(event, o.start) || cancelled.has(o.originalStart.getTime()),
  }));
  return includeCancelled || event.status !== 'cancelled' ? found : found.filter((o) => !o.cancelled);
}
