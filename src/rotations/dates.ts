// Calendar-date helpers for rotations. Rotations are all-day spans of local
// calendar dates ('YYYY-MM-DD', start and end inclusive), so every calculation
// here is plain day arithmetic on UTC midnights: no time zone ever enters.

export type IsoDate = string;

/** An all-day span of calendar dates, start and end inclusive. */
export interface DateSpan {
  start: IsoDate;
  end: IsoDate;
}

const MS_PER_DAY = 86_400_000;
const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a calendar date; throws RangeError on anything that is not a real date. */
export function toDayNumber(date: IsoDate): number {
  const match = ISO_DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Date.UTC silently rolls 2025-02-30 over into March; a round trip catches it.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return Math.round(ms / MS_PER_DAY);
}

export function fromDayNumber(dayNumber: number): IsoDate {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  try {
    toDayNumber(value);
    return true;
  } catch {
    return false;
  }
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Signed number of days from `from` to `to` (0 for the same date). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** ISO weekday index of a day number: Monday 0 … Sunday 6. */
export function weekdayIndexOfDay(dayNumber: number): number {
  // 1970-01-01 was a Thursday (index 3).
  return (((dayNumber + 3) % 7) + 7) % 7;
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(date: IsoDate): number {
  return weekdayIndexOfDay(toDayNumber(date)) + 1;
}

/** The Monday that starts the ISO week containing `date`. */
export function isoWeekStart(date: IsoDate): IsoDate {
  const day = toDayNumber(date);
  return fromDayNumber(day - weekdayIndexOfDay(day));
}

/** The first Monday on or after `date`. */
export function nextMondayOnOrAfter(date: IsoDate): IsoDate {
  const day = toDayNumber(date);
  const index = weekdayIndexOfDay(day);
  return fromDayNumber(index === 0 ? day : day + 7 - index);
}

/** Number of calendar days in an inclusive span. */
export function spanLengthDays(span: DateSpan): number {
  return toDayNumber(span.end) - toDayNumber(span.start) + 1;
}

/** Inclusive spans overlap when each starts no later than the other ends. */
export function spansOverlap(a: DateSpan, b: DateSpan): boolean {
  // ISO dates compare correctly as strings.
  return a.start <= b.end && b.start <= a.end;
}

export function laterDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

export function earlierDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}
