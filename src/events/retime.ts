/**
 * Re-timing an event changes the future only, as calling it off does (cancelledWithEvent in
 * expand.ts): an occurrence that began before the change took place at the time it had, and
 * attendance, feedback, completions and reports rest on that. A pure function of the old timing,
 * its exceptions, the new timing and the moment of the change (no database); updateEvent and
 * editFollowing apply it (one occurrence that began is refused in occurrence-changes.ts).
 */
import type { eventExceptions } from '../../db/schema';
import { zonedLocalToUtc } from '../lib/time';
import { firstOccurrenceFrom, lastOccurrenceBefore, sameRuleApartFromEnd, splitSeries, type SeriesTiming } from './recurrence';

type ExceptionRow = typeof eventExceptions.$inferSelect;

/** How a change of timing made at some moment applies to a series. */
export type Retiming =
  /** Nothing had begun, or what had begun is the same under the new timing: the event changes as a whole. */
  | { kind: 'whole' }
  /**
   * The series splits at the first occurrence not yet begun (`splitAt`, its original start; null
   * when every occurrence has begun): the event keeps what began and ends there (`headRRule`, an
   * UNTIL just before it), and `tail` (the new timing from the moment of the change on; null when
   * it has nothing left) becomes a series of its own.
   */
  | { kind: 'split'; splitAt: Date | null; headRRule: string | null; tail: { startLocal: string; rrule: string | null } | null }
  /**
   * The change would only rewrite the past: every occurrence had begun and the new timing has none
   * ahead, or a one-off event that began would move.
   */
  | { kind: 'past_only' };

const startOf = (timing: SeriesTiming) => zonedLocalToUtc(timing.firstStartLocal, timing.timeZone);

/** Whether the occurrences that began before `now` are the same (starts and lengths) under both timings. */
function samePast(before: SeriesTiming, after: SeriesTiming, now: Date): boolean {
  if (before.firstStartLocal !== after.firstStartLocal || before.timeZone !== after.timeZone || before.durationMinutes !== after.durationMinutes) return false;
  const lastBefore = lastOccurrenceBefore(before, now)?.originalStart.getTime();
  const lastAfter = lastOccurrenceBefore(after, now)?.originalStart.getTime();
  if (lastBefore !== lastAfter) return false;
  // Same first start and the same last begun one: the same in between when the rules differ only in their end.
  if (lastBefore === startOf(before).getTime()) return true;
  return before.rrule !== null && after.rrule !== null && sameRuleApartFromEnd(before.rrule, after.rrule);
}

/**
 * Original start of the first occurrence of `timing` that has not begun by `now`: its rule's first
 * one from `now` on, past any later one that was moved to before `now` (that one began).
 */
function firstNotBegun(timing: SeriesTiming, exceptions: ExceptionRow[], now: Date): Date | null {
  let at = firstOccurrenceFrom(timing, now)?.originalStart ?? null;
  const movedEarlier = exceptions
    .filter((x) => x.kind === 'moved' && x.start && x.start.getTime() < now.getTime())
    .map((x) => x.originalStart.getTime())
    .sort((a, b) => a - b);
  for (const originalStart of movedEarlier) {
    if (at && originalStart >= at.getTime()) at = firstOccurrenceFrom(timing, new Date(originalStart + 1))?.originalStart ?? null;
  }
  return at;
}

/**
 * How changing the timing of an event from `before` to `after` at `now` applies. The new timing
 * takes effect from the first of its occurrences that starts at or after `now` (with a COUNT, the
 * occurrences before it still count); a one-off `after` keeps its start when that is ahead.
 */
export function retimingAt(before: SeriesTiming, exceptions: ExceptionRow[], after: SeriesTiming, now: Date): Retiming {
  if (startOf(before).getTime() >= now.getTime()) return { kind: 'whole' };
  if (samePast(before, after, now)) return { kind: 'whole' };
  // A one-off event that took place is not moved after the fact; made a series, it repeats from now on.
  if (before.rrule === null && after.rrule === null) return { kind: 'past_only' };
  const splitAt = firstNotBegun(before, exceptions, now);
  const headRRule = splitAt && before.rrule ? splitSeries(before.rrule, before.firstStartLocal, before.timeZone, splitAt).headRRule : null;
  // Only the first occurrence had not begun (it was moved ahead): nothing that began would change.
  if (splitAt && headRRule === null) return { kind: 'whole' };
  const first = firstOccurrenceFrom(after, now);
  let tail: { startLocal: string; rrule: string | null } | null = null;
  if (first && after.rrule) {
    const split = splitSeries(after.rrule, after.firstStartLocal, after.timeZone, first.originalStart);
    tail = { startLocal: split.tailFirstStartLocal, rrule: split.tailRRule };
  } else if (first) {
    tail = { startLocal: after.firstStartLocal, rrule: null };
  }
  if (!splitAt && !tail) return { kind: 'past_only' };
  return { kind: 'split', splitAt, headRRule, tail };
}
