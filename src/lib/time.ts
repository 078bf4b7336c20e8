/**
 * IANA time zone arithmetic that never depends on the process time zone.
 *
 * Every conversion goes through `Intl.DateTimeFormat` with an explicit `timeZone`, so the
 * results are identical whether the server runs with TZ=UTC, TZ=America/New_York or anything
 * else. `Date` is only ever used as an instant (epoch milliseconds) or through its UTC getters.
 *
 * Vocabulary used below:
 * - instant: a `Date`, one point on the global timeline.
 * - local date-time: wall-clock time in some zone, written 'YYYY-MM-DDTHH:mm' or 'YYYY-MM-DDTHH:mm:ss'.
 * - local date: 'YYYY-MM-DD'.
 * - floating date: a `Date` whose UTC fields carry a local date-time ("fake UTC"). Used where a
 *   calendar algorithm (such as rrule) must work on wall-clock times without any zone.
 */
import { z } from 'zod';

export type LocalDateFields = { year: number; month: number; day: number };
export type LocalDateTimeFields = LocalDateFields & { hour: number; minute: number; second: number };
/** Wall-clock fields of an instant in a zone; weekday is 0 = Sunday … 6 = Saturday, as `Date#getUTCDay`. */
type ZonedParts = LocalDateTimeFields & { weekday: number };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

function pad4(value: number): string {
  return String(value).padStart(4, '0');
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** By arithmetic, not a Date: every parsed local date asks, thousands of times on a timeline page. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return MONTH_DAYS[month - 1];
}

function isValidDateFields(year: number, month: number, day: number): boolean {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Parses 'YYYY-MM-DD'; null when malformed or not a real calendar date. */
function tryParseLocalDate(localDate: string): LocalDateFields | null {
  const match = LOCAL_DATE_PATTERN.exec(localDate);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isValidDateFields(year, month, day) ? { year, month, day } : null;
}

export const isLocalDate = (value: unknown): value is string => typeof value === 'string' && tryParseLocalDate(value) !== null;

export function parseLocalDate(localDate: string): LocalDateFields {
  const fields = tryParseLocalDate(localDate);
  if (!fields) throw new RangeError(`Invalid local date "${localDate}"; expected a real date as YYYY-MM-DD`);
  return fields;
}

/** Parses 'YYYY-MM-DDTHH:mm' or 'YYYY-MM-DDTHH:mm:ss'; null when malformed or out of range. */
export function tryParseLocalDateTime(local: string): LocalDateTimeFields | null {
  const match = LOCAL_DATE_TIME_PATTERN.exec(local);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = match[6] === undefined ? 0 : Number(match[6]);
  if (!isValidDateFields(year, month, day)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second };
}

export function parseLocalDateTime(local: string): LocalDateTimeFields {
  const fields = tryParseLocalDateTime(local);
  if (!fields) {
    throw new RangeError(`Invalid local date-time "${local}"; expected YYYY-MM-DDTHH:mm (24-hour clock)`);
  }
  return fields;
}

export function formatLocalDateFields(fields: LocalDateFields): string {
  return `${pad4(fields.year)}-${pad2(fields.month)}-${pad2(fields.day)}`;
}

/** 'YYYY-MM-DDTHH:mm', or with ':ss' when `withSeconds` is set. */
export function formatLocalDateTimeFields(fields: LocalDateTimeFields, withSeconds = false): string {
  const base = `${formatLocalDateFields(fields)}T${pad2(fields.hour)}:${pad2(fields.minute)}`;
  return withSeconds ? `${base}:${pad2(fields.second)}` : base;
}

/** The floating ("fake UTC") date whose UTC fields are the given wall-clock fields. */
export function toFloatingDate(local: string | LocalDateTimeFields): Date {
  const f = typeof local === 'string' ? parseLocalDateTime(local) : local;
  const date = new Date(Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear undoes that.
  if (f.year < 100) date.setUTCFullYear(f.year);
  return date;
}

export function fromFloatingDate(floating: Date): LocalDateTimeFields {
  return {
    year: floating.getUTCFullYear(),
    month: floating.getUTCMonth() + 1,
    day: floating.getUTCDate(),
    hour: floating.getUTCHours(),
    minute: floating.getUTCMinutes(),
    second: floating.getUTCSeconds(),
  };
}

// By style (a constant of its caller), then locale and zone: two lookups, no key built from the options on every call.
const dateTimeFormats = new WeakMap<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>();
/** More locales and zones per style than the app asks for: past it, the style's cache starts again rather than grow. */
const ZONES_KEPT = 1_000;

/**
 * An Intl.DateTimeFormat for a locale, a style and a zone, made once: making one costs some 50 µs, formatting with it
 * about 1 µs, and a page or a pass of reminders formats hundreds of instants in a few zones. `style` must be a constant
 * of its caller (the cache is keyed by it). Throws RangeError for an unknown zone, as the constructor does.
 */
export function dateTimeFormat(locale: string, style: Intl.DateTimeFormatOptions, timeZone: string): Intl.DateTimeFormat {
  let byZone = dateTimeFormats.get(style);
  if (!byZone) dateTimeFormats.set(style, (byZone = new Map()));
  const key = `${locale} ${timeZone}`;
  let format = byZone.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...style, timeZone });
    if (byZone.size >= ZONES_KEPT) byZone.clear();
    byZone.set(key, format);
  }
  return format;
}

const ZONED_PARTS: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
};

const formatterFor = (zone: string): Intl.DateTimeFormat => dateTimeFormat('en-US', ZONED_PARTS, zone);

/**
 * True for names the runtime's IANA database knows ('Europe/Berlin', 'UTC').
 * Raw offsets such as '+02:00' are refused: they are not zones and have no DST rules.
 */
export function isValidTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  if (/^[+-]/.test(zone) || /\s/.test(zone)) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Fixes the letter case of a valid zone name ('europe/berlin' → 'Europe/Berlin') without
 * swapping it for an alias (ICU would otherwise turn 'Asia/Kolkata' into 'Asia/Calcutta').
 */
export function normalizeTimeZone(zone: string): string {
  if (!isValidTimeZone(zone)) throw new RangeError(`Unknown time zone "${zone}"`);
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

function assertValidDate(date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError('Invalid Date');
}

// en-US with h23 formats as "3/8/2026, 03:30:00"; reading that string is about three times
// faster than formatToParts, which matters because every conversion formats several times.
const EN_US_FORMAT_PATTERN = /^(\d{1,2})\/(\d{1,2})\/(\d{1,6}),? (\d{1,2}):(\d{2}):(\d{2})$/;

// A page converts hundreds of instants, nearly all in a few zones and hours: the zone's offset is read once per
// zone and hour (formatting both ends of the hour) and the wall clock is then plain arithmetic. An hour whose two
// ends differ holds a change of offset and is formatted instant by instant; so are instants before 1900, where the
// formatter's Julian calendar and Date's proleptic Gregorian one part ways.
const HOUR_MS = 3_600_000;
const ARITHMETIC_FROM_MS = Date.UTC(1900, 0, 1);
const OFFSETS_PER_ZONE_LIMIT = 50_000;
const offsetsByZone = new Map<string, Map<number, number | null>>();

/** Offset in ms (local minus UTC) at an instant on a whole second, from the formatter. */
function formattedOffsetMs(ms: number, zone: string): number {
  return toFloatingDate(formatZonedParts(new Date(ms), zone)).getTime() - ms;
}

/** The zone's offset in ms throughout hour `hour` (ms / HOUR_MS, floored), or null when it changes within it. */
function offsetOfHour(zone: string, hour: number): number | null {
  let byHour = offsetsByZone.get(zone);
  let offset = byHour?.get(hour);
  if (offset !== undefined) return offset;
  const first = formattedOffsetMs(hour * HOUR_MS, zone);
  offset = first === formattedOffsetMs(hour * HOUR_MS + HOUR_MS - 1000, zone) ? first : null;
  if (!byHour) offsetsByZone.set(zone, (byHour = new Map()));
  if (byHour.size >= OFFSETS_PER_ZONE_LIMIT) byHour.clear();
  byHour.set(hour, offset);
  return offset;
}

export function utcToZonedParts(date: Date, zone: string): ZonedParts {
  assertValidDate(date);
  const ms = date.getTime();
  const offset = ms >= ARITHMETIC_FROM_MS ? offsetOfHour(zone, Math.floor(ms / HOUR_MS)) : null;
  if (offset === null) return formatZonedParts(date, zone);
  const local = new Date(ms + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: local.getUTCDay(),
  };
}

function formatZonedParts(date: Date, zone: string): ZonedParts {
  const formatter = formatterFor(zone);
  let parts: LocalDateTimeFields;
  const match = EN_US_FORMAT_PATTERN.exec(formatter.format(date));
  if (match) {
    parts = {
      year: Number(match[3]),
      month: Number(match[1]),
      day: Number(match[2]),
      hour: Number(match[4]) % 24,
      minute: Number(match[5]),
      second: Number(match[6]),
    };
  } else {
    const fields: Record<string, number> = {};
    for (const part of formatter.formatToParts(date)) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    parts = {
      year: fields.year!,
      month: fields.month!,
      day: fields.day!,
      hour: fields.hour! % 24,
      minute: fields.minute!,
      second: fields.second!,
    };
  }
  return { ...parts, weekday: toFloatingDate(parts).getUTCDay() };
}

/** Offset of the zone at that instant in minutes, local minus UTC (New York in winter: -300). */
export function timeZoneOffsetMinutes(date: Date, zone: string): number {
  const wholeSecond = Math.floor(date.getTime() / 1000) * 1000;
  const localAsUtc = toFloatingDate(utcToZonedParts(date, zone)).getTime();
  return Math.round((localAsUtc - wholeSecond) / MINUTE_MS);
}

/**
 * The instant at which the wall clock in `zone` shows `local`.
 *
 * Wall-clock times that do not exist or exist twice are resolved like this:
 * - In a DST gap (New York 2026-03-08 02:30) the time moves forward by the length of the gap
 *   (→ 03:30 EDT), i.e. it is read with the offset in force before the change.
 * - In an overlap (New York 2026-11-01 01:30 happens twice) the earlier instant wins (01:30 EDT).
 */
export function zonedLocalToUtc(local: string | LocalDateTimeFields, zone: string): Date {
  const floating = toFloatingDate(local).getTime();
  const cacheKey = `${zone}|${floating}`;
  const cached = localToUtcCache.get(cacheKey);
  if (cached !== undefined) return new Date(cached);
  const instant = resolveLocalToUtc(floating, zone);
  if (localToUtcCache.size >= LOCAL_TO_UTC_CACHE_LIMIT) localToUtcCache.clear();
  localToUtcCache.set(cacheKey, instant.getTime());
  return instant;
}

// Series expansion converts the same wall-clock times over and over (every page view of a
// weekly meeting); a bounded memo makes the repeat conversions nearly free.
const LOCAL_TO_UTC_CACHE_LIMIT = 20_000;
const localToUtcCache = new Map<string, number>();

function resolveLocalToUtc(floating: number, zone: string): Date {
  // Offsets a day before and after cover the single DST change that can sit between them.
  const offsetBefore = timeZoneOffsetMinutes(new Date(floating - DAY_MS), zone) * MINUTE_MS;
  const offsetAfter = timeZoneOffsetMinutes(new Date(floating + DAY_MS), zone) * MINUTE_MS;
  const readsAsLocal = (offset: number) => timeZoneOffsetMinutes(new Date(floating - offset), zone) * MINUTE_MS === offset;

  if (offsetBefore === offsetAfter && readsAsLocal(offsetBefore)) return new Date(floating - offsetBefore);

  const candidates = [...new Set([offsetBefore, offsetAfter])].filter(readsAsLocal).map((offset) => floating - offset);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // In the gap: read with the offset before the change, which lands after it by the gap length.
  return new Date(floating - offsetBefore);
}

/** Wall-clock time of the instant in the zone: 'YYYY-MM-DDTHH:mm' (or with ':ss'). */
export function formatLocal(date: Date, zone: string, withSeconds = false): string {
  return formatLocalDateTimeFields(utcToZonedParts(date, zone), withSeconds);
}

/** Local date of the instant in the zone: 'YYYY-MM-DD'. */
export function formatLocalDate(date: Date, zone: string): string {
  return formatLocalDateFields(utcToZonedParts(date, zone));
}

/** RFC 3339 with the zone's offset at that instant: '2026-03-09T09:00:00-04:00'. */
export function toIsoWithOffset(date: Date, zone: string): string {
  const offset = timeZoneOffsetMinutes(date, zone);
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  return `${formatLocal(date, zone, true)}${sign}${pad2(Math.floor(absolute / 60))}:${pad2(absolute % 60)}`;
}

/** Calendar arithmetic on a local date: addDaysToLocalDate('2026-02-27', 2) → '2026-03-01'. */
export function addDaysToLocalDate(localDate: string, days: number): string {
  const { year, month, day } = parseLocalDate(localDate);
  const shifted = toFloatingDate({ year, month, day, hour: 0, minute: 0, second: 0 });
  shifted.setUTCDate(shifted.getUTCDate() + days);
  return formatLocalDateFields(fromFloatingDate(shifted));
}

/** Weekday of a local date, 0 = Sunday … 6 = Saturday. */
export function weekdayOfLocalDate(localDate: string): number {
  const { year, month, day } = parseLocalDate(localDate);
  return toFloatingDate({ year, month, day, hour: 0, minute: 0, second: 0 }).getUTCDay();
}

/** A calendar date, 'YYYY-MM-DD', read without any zone. */
export type LocalDate = string;

/** An all-day span of calendar dates, start and end inclusive. */
export type DateSpan = { start: LocalDate; end: LocalDate };

/**
 * Days since 1970-01-01 for a calendar date: all-day spans (rotations) count and compare whole days
 * as integers. Throws RangeError on anything that is not a real date.
 */
export function toDayNumber(localDate: LocalDate): number {
  // Proleptic Gregorian days from civil (years counted from March, in 400-year eras): no Date per call,
  // as the rules and the timeline convert thousands of dates per page.
  const { year, month, day } = parseLocalDate(localDate);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

export function fromDayNumber(dayNumber: number): LocalDate {
  return formatLocalDateFields(fromFloatingDate(new Date(dayNumber * DAY_MS)));
}

/** Signed number of days from `from` to `to` (0 for the same date). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

// 1970-01-01 was a Thursday: Monday 0 … Sunday 6.
const mondayIndexOfDay = (dayNumber: number) => (((dayNumber + 3) % 7) + 7) % 7;

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(localDate: LocalDate): number {
  return mondayIndexOfDay(toDayNumber(localDate)) + 1;
}

/** The Monday that starts the ISO week containing the date. */
export function isoWeekStart(localDate: LocalDate): LocalDate {
  const day = toDayNumber(localDate);
  return fromDayNumber(day - mondayIndexOfDay(day));
}

/** The first Monday on or after the date. */
export function nextMondayOnOrAfter(localDate: LocalDate): LocalDate {
  const day = toDayNumber(localDate);
  const index = mondayIndexOfDay(day);
  return fromDayNumber(index === 0 ? day : day + 7 - index);
}

/** Inclusive spans overlap when each starts no later than the other ends (ISO dates compare as strings). */
export function spansOverlap(a: DateSpan, b: DateSpan): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export const laterDate = (a: LocalDate, b: LocalDate): LocalDate => (a >= b ? a : b);
export const earlierDate = (a: LocalDate, b: LocalDate): LocalDate => (a <= b ? a : b);

/** Instant of local midnight starting the given local date (moved forward if midnight is skipped). */
export function startOfLocalDate(localDate: string, zone: string): Date {
  const { year, month, day } = parseLocalDate(localDate);
  return zonedLocalToUtc({ year, month, day, hour: 0, minute: 0, second: 0 }, zone);
}

/** Instant at which the local day containing `date` began in the zone. */
export function startOfLocalDay(date: Date, zone: string): Date {
  return startOfLocalDate(formatLocalDate(date, zone), zone);
}

/** [start, end) of a local date in the zone; 23 or 25 hours long on DST change days. */
export function localDayBounds(localDate: string, zone: string): { start: Date; end: Date } {
  return { start: startOfLocalDate(localDate, zone), end: startOfLocalDate(addDaysToLocalDate(localDate, 1), zone) };
}

/** Same wall-clock time `days` local days later (so 09:00 stays 09:00 across a DST change). */
export function addLocalDays(date: Date, days: number, zone: string): Date {
  const parts = utcToZonedParts(date, zone);
  const shiftedDate = addDaysToLocalDate(formatLocalDateFields(parts), days);
  return zonedLocalToUtc({ ...parseLocalDate(shiftedDate), hour: parts.hour, minute: parts.minute, second: parts.second }, zone);
}

export const timeZoneSchema = z
  .string({ error: 'Time zone is required' })
  .trim()
  .refine(isValidTimeZone, {
    error: (issue) => `Unknown time zone "${String(issue.input)}"; use an IANA name such as Europe/Berlin or America/New_York`,
  })
  .transform(normalizeTimeZone);

export const localDateTimeSchema = z
  .string({ error: 'Date and time are required' })
  .trim()
  .refine((value) => tryParseLocalDateTime(value) !== null, {
    error: (issue) => `Invalid date and time "${String(issue.input)}"; expected YYYY-MM-DDTHH:mm on a 24-hour clock, e.g. 2026-03-09T09:00`,
  });

export const localDateSchema = z
  .string({ error: 'Date is required' })
  .trim()
  .refine((value) => tryParseLocalDate(value) !== null, {
    error: (issue) => `Invalid date "${String(issue.input)}"; expected YYYY-MM-DD, e.g. 2026-03-09`,
  });

type NameStyle = 'long' | 'short';
// English names from Intl, formatted once (en-US: its short months are three letters, 'Sep' not 'Sept').
const namesOf = (option: 'month' | 'weekday', dates: number[]) =>
  Object.fromEntries(
    (['long', 'short'] as const).map((style) => [style, dates.map((d) => new Intl.DateTimeFormat('en-US', { [option]: style, timeZone: 'UTC' }).format(d))]),
  ) as Record<NameStyle, string[]>;
const MONTH_NAMES = namesOf(
  'month',
  Array.from({ length: 12 }, (_, i) => Date.UTC(2001, i, 1)),
);
// 7 January 2001 was a Sunday.
const WEEKDAY_NAMES = namesOf(
  'weekday',
  Array.from({ length: 7 }, (_, i) => Date.UTC(2001, 0, 7 + i)),
);

/** 'March' or 'Mar' for month 3 (1 = January). */
export const monthName = (month: number, style: NameStyle = 'long'): string => MONTH_NAMES[style][month - 1]!;

/** 'Monday' or 'Mon' for weekday 1 (0 = Sunday … 6 = Saturday). */
export const weekdayName = (weekday: number, style: NameStyle = 'long'): string => WEEKDAY_NAMES[style][weekday]!;

/** A local date as people write it: '15 Feb 2027'. */
export function readableLocalDate(localDate: string): string {
  const { year, month, day } = parseLocalDate(localDate);
  return `${day} ${monthName(month, 'short')} ${year}`;
}
