/**
 * Recurrence of event series.
 *
 * A series is stored as
 * - `rrule`: an RFC 5545 RRULE value without DTSTART, e.g. 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10',
 * - `firstStartLocal`: the first start as a wall-clock time in the host's zone ('2026-03-09T09:00'),
 * - `timeZone`: the IANA zone of that wall clock,
 * - `durationMinutes`.
 *
 * Any RFC 5545 rule at daily frequency or coarser is accepted (BYMONTH, BYWEEKNO, BYYEARDAY,
 * BYMONTHDAY, BYDAY with ordinals, BYSETPOS, WKST, YEARLY); rrule (a port of python-dateutil)
 * expands it. Sub-daily frequencies and BYHOUR/BYMINUTE/BYSECOND lists are refused: an event
 * happens at most once a day, at its start time.
 *
 * The rule is evaluated in floating local time: wall-clock times are handed to rrule as fake-UTC
 * dates and every generated occurrence is turned into a real instant with the series' zone
 * afterwards. A 09:00 meeting therefore stays at 09:00 local across DST changes, and nothing
 * depends on the zone of the server process.
 *
 * Canonical strings written by `toRRuleString`/`normalizeSeries` spell out the parts RFC 5545
 * otherwise takes from DTSTART (weekly BYDAY, monthly BYMONTHDAY, yearly BYMONTH and
 * BYMONTHDAY), use UNTIL as a floating local date-time at the end of the last local day
 * ('UNTIL=20270131T235959'), never COUNT and UNTIL together, and WKST only where it changes the
 * result. For iCalendar output, which needs UNTIL in UTC when DTSTART carries a TZID, use
 * `toICalendarRRule`.
 */
import * as rruleModule from 'rrule';
import type { Options as RRuleOptions, Weekday } from 'rrule';
import { z } from 'zod';
import {
  addDaysToLocalDate,
  daysInMonth,
  formatLocalDateFields,
  formatLocalDateTimeFields,
  fromFloatingDate,
  localDateSchema,
  monthName,
  parseLocalDate,
  toFloatingDate,
  tryParseLocalDateTime,
  utcToZonedParts,
  zonedLocalToUtc,
  type LocalDateTimeFields,
} from '../lib/time';

// rrule ships CommonJS for Node and ESM for bundlers; under Node's ESM loader the classes are on `default`.
const { RRule } = (rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule;

export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];
const RECURRENCE_FREQUENCIES = ['daily', 'weekly', 'monthly', 'yearly'] as const;
export type RecurrenceFrequency = (typeof RECURRENCE_FREQUENCIES)[number];
/** How a monthly structured rule picks its days. */
export const MONTHLY_BY = ['date', 'weekday', 'weeks', 'lastDay', 'lastWeekday'] as const;
export type MonthlyBy = (typeof MONTHLY_BY)[number];
/** Weeks of the month for `monthlyBy: 'weeks'`: 1–4 and -1 (last). */
const WEEK_OF_MONTH_VALUES = [1, 2, 3, 4, -1] as const;

const MAX_INTERVAL = 99;
export const MAX_COUNT = 500;
/** Longest RRULE text accepted; long enough for every BYxxx list RFC 5545 examples use. */
export const MAX_RRULE_LENGTH = 1000;
/** Longest window `expandOccurrences` accepts: three years. */
export const MAX_EXPANSION_WINDOW_MS = 3 * 366 * 86_400_000;
/** Most occurrences one expansion returns; a daily series over the longest window stays below it. */
const MAX_OCCURRENCES_PER_EXPANSION = 1500;
/** A rule's first occurrence must come within this many years of the requested first start. */
const FIRST_OCCURRENCE_YEARS = 5;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const WEEKDAY_NAMES: Record<WeekdayCode, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const WEEKDAY_PLURALS: Record<WeekdayCode, string> = {
  MO: 'Mondays',
  TU: 'Tuesdays',
  WE: 'Wednesdays',
  TH: 'Thursdays',
  FR: 'Fridays',
  SA: 'Saturdays',
  SU: 'Sundays',
};
const ORDINAL_WORDS: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', 5: 'fifth', [-1]: 'last' };
const SUPPORTED_PARTS_HINT =
  'supported parts are FREQ (DAILY, WEEKLY, MONTHLY or YEARLY), INTERVAL, UNTIL, COUNT, WKST, BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY, BYDAY and BYSETPOS';

/** A rule, RRULE string or window that crosstrain cannot accept; the message is meant for the user. */
export class RecurrenceError extends Error {
  override name = 'RecurrenceError';
}

const intervalMessage = `Interval must be a whole number from 1 to ${MAX_INTERVAL}`;
const countMessage = `Number of occurrences must be a whole number from 1 to ${MAX_COUNT}`;

export const recurrenceSchema = z
  .object({
    freq: z.enum(RECURRENCE_FREQUENCIES, { error: 'Repeat must be daily, weekly, monthly or yearly' }),
    interval: z
      .number({ error: intervalMessage })
      .int({ error: intervalMessage })
      .min(1, { error: intervalMessage })
      .max(MAX_INTERVAL, { error: intervalMessage })
      .default(1),
    byWeekday: z
      .array(z.enum(WEEKDAY_CODES, { error: 'Days of the week are MO, TU, WE, TH, FR, SA or SU' }))
      .min(1, { error: 'Choose at least one day of the week' })
      .optional(),
    monthlyBy: z
      .enum(MONTHLY_BY, {
        error:
          'Monthly repeat is by "date" (same day of the month), "weekday" (same weekday, e.g. second Tuesday), "weeks" (the start\'s weekday in the chosen weeks), "lastDay" or "lastWeekday"',
      })
      .optional(),
    weeksOfMonth: z
      .array(
        z
          .number({ error: 'Weeks of the month are 1, 2, 3, 4 or -1 (last)' })
          .refine((n) => (WEEK_OF_MONTH_VALUES as readonly number[]).includes(n), { error: 'Weeks of the month are 1, 2, 3, 4 or -1 (last)' }),
      )
      .min(1, { error: 'Choose at least one week of the month' })
      .optional(),
    until: localDateSchema.optional(),
    count: z.number({ error: countMessage }).int({ error: countMessage }).min(1, { error: countMessage }).max(MAX_COUNT, { error: countMessage }).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.until !== undefined && rule.count !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['count'], message: 'Choose an end date or a number of occurrences, not both' });
    }
    if (rule.byWeekday !== undefined && rule.freq !== 'weekly') {
      ctx.addIssue({ code: 'custom', path: ['byWeekday'], message: 'Days of the week apply to weekly series only' });
    }
    if (rule.monthlyBy !== undefined && rule.freq !== 'monthly') {
      ctx.addIssue({ code: 'custom', path: ['monthlyBy'], message: 'Repeat by date or weekday applies to monthly series only' });
    }
    if (rule.weeksOfMonth !== undefined && rule.monthlyBy !== 'weeks') {
      ctx.addIssue({ code: 'custom', path: ['weeksOfMonth'], message: 'Weeks of the month apply to monthly series by "weeks" only' });
    }
    if (rule.monthlyBy === 'weeks' && rule.weeksOfMonth === undefined) {
      ctx.addIssue({ code: 'custom', path: ['weeksOfMonth'], message: 'Choose the weeks of the month (for example first and third)' });
    }
  })
  .transform((rule) => {
    const cleaned: Recurrence = { freq: rule.freq, interval: rule.interval };
    if (rule.byWeekday) cleaned.byWeekday = WEEKDAY_CODES.filter((code) => rule.byWeekday!.includes(code));
    if (rule.monthlyBy) cleaned.monthlyBy = rule.monthlyBy;
    if (rule.weeksOfMonth) cleaned.weeksOfMonth = WEEK_OF_MONTH_VALUES.filter((n) => (rule.weeksOfMonth as number[]).includes(n));
    if (rule.until !== undefined) cleaned.until = rule.until;
    if (rule.count !== undefined) cleaned.count = rule.count;
    return cleaned;
  });

/** The structured rule used by forms and the API: the common shapes; any other rule travels as an RRULE string. */
export type Recurrence = {
  freq: RecurrenceFrequency;
  interval: number;
  /** Weekly only; defaults to the weekday of the first start. */
  byWeekday?: WeekdayCode[];
  /**
   * Monthly only: 'date' (default) repeats on the start's day of month, 'weekday' on its nth (or
   * last) weekday, 'weeks' on the start's weekday in the chosen weeks (first and third Tuesday),
   * 'lastDay' on the last day of the month, 'lastWeekday' on its last Monday-to-Friday day.
   */
  monthlyBy?: MonthlyBy;
  weeksOfMonth?: number[];
  /** Last local date (inclusive) on which an occurrence may start. */
  until?: string;
  count?: number;
};
type RecurrenceInput = z.input<typeof recurrenceSchema>;

type ByDay = { weekday: WeekdayCode; nth?: number };
type TimeOfDayParts = { hour?: number; minute?: number; second?: number };

/** What the rule says; the canonical RRULE string is made from this. */
type RuleParts = {
  freq: RecurrenceFrequency;
  interval: number;
  wkst?: WeekdayCode;
  byMonth?: number[];
  byWeekNo?: number[];
  byYearDay?: number[];
  byMonthDay?: number[];
  byDay?: ByDay[];
  bySetPos?: number[];
  /** BYHOUR/BYMINUTE/BYSECOND with one value each; must be the first start's own time and is then dropped. */
  timeOfDay?: TimeOfDayParts;
  until?: RuleUntil;
  count?: number;
};
type RuleUntil = { kind: 'date'; local: LocalDateTimeFields } | { kind: 'floating'; local: LocalDateTimeFields } | { kind: 'utc'; instant: Date };

function weekdayCodeOfLocal(fields: LocalDateTimeFields): WeekdayCode {
  const sundayFirst = toFloatingDate(fields).getUTCDay();
  return WEEKDAY_CODES[(sundayFirst + 6) % 7]!;
}

function parseFirstStart(firstStartLocal: string): LocalDateTimeFields {
  const fields = tryParseLocalDateTime(firstStartLocal);
  if (!fields) throw new RecurrenceError(`Invalid first start "${firstStartLocal}"; expected YYYY-MM-DDTHH:mm`);
  return fields;
}

/** Ordinal of the start's weekday in its month: 1–4, or -1 when it falls in the month's last 7 days. */
export function nthWeekdayOfMonth(fields: { year: number; month: number; day: number }): number {
  return fields.day > daysInMonth(fields.year, fields.month) - 7 ? -1 : Math.ceil(fields.day / 7);
}

function listInWords(items: string[], joiner = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${joiner} ${items[items.length - 1]}`;
}

function zodMessages(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join('; ');
}

const sameNumbers = (a: readonly number[] | undefined, b: readonly number[]) => a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
const WORKDAYS: WeekdayCode[] = ['MO', 'TU', 'WE', 'TH', 'FR'];

function partsFromRecurrence(rule: Recurrence, start: LocalDateTimeFields): RuleParts {
  const parts: RuleParts = { freq: rule.freq, interval: rule.interval };
  const startDay = weekdayCodeOfLocal(start);
  if (rule.freq === 'weekly') {
    const days = rule.byWeekday ?? [startDay];
    if (!days.includes(startDay)) {
      throw new RecurrenceError(
        `The first start ${formatLocalDateFields(start)} is a ${WEEKDAY_NAMES[startDay]}, but the series repeats on ` +
          `${listInWords(days.map((d) => WEEKDAY_NAMES[d]))}; include ${WEEKDAY_NAMES[startDay]} or move the first start`,
      );
    }
    parts.byDay = days.map((weekday) => ({ weekday }));
  }
  if (rule.freq === 'monthly') {
    switch (rule.monthlyBy ?? 'date') {
      case 'weekday':
        parts.byDay = [{ weekday: startDay, nth: nthWeekdayOfMonth(start) }];
        break;
      case 'weeks':
        parts.byDay = (rule.weeksOfMonth ?? [nthWeekdayOfMonth(start)]).map((nth) => ({ weekday: startDay, nth }));
        break;
      case 'lastDay':
        parts.byMonthDay = [-1];
        break;
      case 'lastWeekday':
        parts.byDay = WORKDAYS.map((weekday) => ({ weekday }));
        parts.bySetPos = [-1];
        break;
      default:
        parts.byMonthDay = [start.day];
    }
  }
  if (rule.freq === 'yearly') {
    parts.byMonth = [start.month];
    parts.byMonthDay = [start.day];
  }
  if (rule.until !== undefined) {
    const untilDate = parseLocalDate(rule.until);
    if (rule.until < formatLocalDateFields(start)) {
      throw new RecurrenceError(`The end date ${rule.until} is before the first start ${formatLocalDateFields(start)}`);
    }
    parts.until = { kind: 'floating', local: { ...untilDate, hour: 23, minute: 59, second: 59 } };
  }
  if (rule.count !== undefined) parts.count = rule.count;
  return parts;
}

function formatRRuleDate(fields: LocalDateTimeFields): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${String(fields.year).padStart(4, '0')}${p2(fields.month)}${p2(fields.day)}T${p2(fields.hour)}${p2(fields.minute)}${p2(fields.second)}`;
}

function formatUtcRRuleDate(instant: Date): string {
  return `${formatRRuleDate(fromFloatingDate(instant))}Z`;
}

/** Whether WKST changes the occurrences: weekly rules that skip weeks or pick by position, and week numbers. */
function weekStartMatters(parts: RuleParts): boolean {
  if (parts.byWeekNo !== undefined) return true;
  if (parts.freq !== 'weekly') return false;
  return (parts.interval > 1 && (parts.byDay?.length ?? 1) > 1) || parts.bySetPos !== undefined;
}

function serializeParts(parts: RuleParts): string {
  const segments = [`FREQ=${parts.freq.toUpperCase()}`];
  if (parts.interval !== 1) segments.push(`INTERVAL=${parts.interval}`);
  if (parts.byMonth) segments.push(`BYMONTH=${parts.byMonth.join(',')}`);
  if (parts.byWeekNo) segments.push(`BYWEEKNO=${parts.byWeekNo.join(',')}`);
  if (parts.byYearDay) segments.push(`BYYEARDAY=${parts.byYearDay.join(',')}`);
  if (parts.byDay) segments.push(`BYDAY=${parts.byDay.map((d) => `${d.nth ?? ''}${d.weekday}`).join(',')}`);
  if (parts.byMonthDay) segments.push(`BYMONTHDAY=${parts.byMonthDay.join(',')}`);
  if (parts.bySetPos) segments.push(`BYSETPOS=${parts.bySetPos.join(',')}`);
  if (parts.wkst && parts.wkst !== 'MO' && weekStartMatters(parts)) segments.push(`WKST=${parts.wkst}`);
  if (parts.until) {
    if (parts.until.kind === 'utc') segments.push(`UNTIL=${formatUtcRRuleDate(parts.until.instant)}`);
    else if (parts.until.kind === 'date') segments.push(`UNTIL=${formatRRuleDate(parts.until.local).slice(0, 8)}`);
    else segments.push(`UNTIL=${formatRRuleDate(parts.until.local)}`);
  }
  if (parts.count !== undefined) segments.push(`COUNT=${parts.count}`);
  return segments.join(';');
}

/**
 * The canonical RRULE string (no 'RRULE:' prefix) for a structured rule and the series' first start.
 * Throws RecurrenceError when the rule is invalid or does not fit the first start.
 */
export function toRRuleString(structured: RecurrenceInput, firstStartLocal: string): string {
  const parsed = recurrenceSchema.safeParse(structured);
  if (!parsed.success) throw new RecurrenceError(zodMessages(parsed.error));
  return serializeParts(partsFromRecurrence(parsed.data, parseFirstStart(firstStartLocal)));
}

function parseRRuleDate(value: string): RuleUntil {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  const invalid = () => new RecurrenceError(`UNTIL=${value} is not a date; use YYYYMMDD or YYYYMMDDTHHMMSSZ`);
  if (!match) throw invalid();
  const local = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: match[4] === undefined ? 0 : Number(match[4]),
    minute: match[5] === undefined ? 0 : Number(match[5]),
    second: match[6] === undefined ? 0 : Number(match[6]),
  };
  if (!tryParseLocalDateTime(formatLocalDateTimeFields(local, true))) throw invalid();
  if (match[4] === undefined) return { kind: 'date', local };
  if (match[7] === 'Z') return { kind: 'utc', instant: toFloatingDate(local) };
  return { kind: 'floating', local };
}

function parseWholeNumber(name: string, value: string, min: number, max: number, hint: string): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new RecurrenceError(`${name}=${value} is not allowed: ${name} must be a whole number from ${min} to ${max}${hint}`);
  }
  return Number(value);
}

function parseWeekdayCode(value: string): WeekdayCode {
  const code = value.toUpperCase();
  if (!(WEEKDAY_CODES as readonly string[]).includes(code)) {
    throw new RecurrenceError(`BYDAY value "${value}" is not a weekday; use MO, TU, WE, TH, FR, SA or SU`);
  }
  return code as WeekdayCode;
}

/** A comma list of non-zero whole numbers within ±max (or 1…max when `positiveOnly`), sorted and without repeats. */
function parseNumberList(name: string, value: string, max: number, positiveOnly = false): number[] {
  const range = positiveOnly ? `1 to ${max}` : `1 to ${max} or -${max} to -1`;
  const items = value.split(',').map((item) => item.trim());
  if (value.trim() === '' || items.length > 2 * max) throw new RecurrenceError(`${name} must list numbers from ${range}`);
  const numbers = items.map((item) => {
    const n = /^[+-]?\d{1,3}$/.test(item) ? Number(item) : NaN;
    if (!Number.isInteger(n) || n === 0 || Math.abs(n) > max || (positiveOnly && n < 0)) {
      throw new RecurrenceError(`${name}=${value}: "${item}" is not allowed; use numbers from ${range}`);
    }
    return n;
  });
  return [...new Set(numbers)].sort((a, b) => (a > 0 ? a : 1000 - a) - (b > 0 ? b : 1000 - b));
}

function parseByDay(value: string, freq: RecurrenceFrequency, hasWeekNo: boolean): ByDay[] {
  const items = value.split(',').map((item) => item.trim());
  if (value.trim() === '' || items.length > 7 * 53) throw new RecurrenceError('BYDAY is empty');
  const days = items.map((item): ByDay => {
    const match = /^([+-]?\d{1,2})?([A-Za-z]{2})$/.exec(item);
    if (!match) throw new RecurrenceError(`BYDAY value "${item}" is not a weekday; use MO, TU, WE, TH, FR, SA or SU, optionally numbered (2TU, -1FR)`);
    const weekday = parseWeekdayCode(match[2]!);
    if (match[1] === undefined) return { weekday };
    const nth = Number(match[1]);
    if (freq !== 'monthly' && freq !== 'yearly') {
      throw new RecurrenceError(`BYDAY=${value}: numbered weekdays such as "${item}" are allowed only with FREQ=MONTHLY or FREQ=YEARLY`);
    }
    if (freq === 'yearly' && hasWeekNo) throw new RecurrenceError(`BYDAY=${value}: numbered weekdays cannot be combined with BYWEEKNO`);
    const max = freq === 'monthly' ? 5 : 53;
    if (nth === 0 || Math.abs(nth) > max) {
      throw new RecurrenceError(`BYDAY value "${item}": the number must be from 1 to ${max} or -${max} to -1`);
    }
    return { weekday, nth };
  });
  const seen = new Set<string>();
  const unique = days.filter((d) => !seen.has(`${d.nth ?? 0}${d.weekday}`) && seen.add(`${d.nth ?? 0}${d.weekday}`));
  const order = (d: ByDay) => WEEKDAY_CODES.indexOf(d.weekday) * 1000 + (d.nth === undefined ? 0 : d.nth > 0 ? d.nth : 100 - d.nth);
  return unique.sort((a, b) => order(a) - order(b));
}

const ALLOWED_PARTS = [
  'FREQ',
  'INTERVAL',
  'UNTIL',
  'COUNT',
  'WKST',
  'BYMONTH',
  'BYWEEKNO',
  'BYYEARDAY',
  'BYMONTHDAY',
  'BYDAY',
  'BYSETPOS',
  'BYHOUR',
  'BYMINUTE',
  'BYSECOND',
];
const MAX_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Reads an RRULE string into rule parts, enforcing RFC 5545 and crosstrain's "at most daily". */
function parseRuleParts(input: string): RuleParts {
  if (typeof input !== 'string' || input.trim() === '') throw new RecurrenceError('The recurrence rule is empty');
  if (input.length > MAX_RRULE_LENGTH) throw new RecurrenceError(`The recurrence rule is longer than ${MAX_RRULE_LENGTH} characters`);
  let text = input.trim();
  if (/[\r\n]/.test(text) || /DTSTART/i.test(text)) {
    throw new RecurrenceError('Send only the RRULE line; the first start and its time zone are separate fields');
  }
  text = text.replace(/^RRULE:/i, '');
  const values = new Map<string, string>();
  for (const segment of text.split(';')) {
    if (segment.trim() === '') continue;
    const equals = segment.indexOf('=');
    if (equals <= 0) throw new RecurrenceError(`"${segment}" is not a NAME=VALUE part of an RRULE`);
    const name = segment.slice(0, equals).trim().toUpperCase();
    const value = segment.slice(equals + 1).trim();
    if (values.has(name)) throw new RecurrenceError(`${name} appears more than once in the RRULE`);
    values.set(name, value);
  }
  for (const name of values.keys()) {
    if (!ALLOWED_PARTS.includes(name)) throw new RecurrenceError(`${name} is not supported; ${SUPPORTED_PARTS_HINT}`);
  }

  const freqValue = values.get('FREQ')?.toUpperCase();
  if (!freqValue) throw new RecurrenceError('FREQ is missing; use FREQ=DAILY, FREQ=WEEKLY, FREQ=MONTHLY or FREQ=YEARLY');
  if (['SECONDLY', 'MINUTELY', 'HOURLY'].includes(freqValue)) {
    throw new RecurrenceError(`FREQ=${freqValue} is not supported: events repeat at most daily (DAILY, WEEKLY, MONTHLY or YEARLY)`);
  }
  if (!['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(freqValue)) {
    throw new RecurrenceError(`FREQ=${freqValue} is not a frequency; use DAILY, WEEKLY, MONTHLY or YEARLY`);
  }
  const freq = freqValue.toLowerCase() as RecurrenceFrequency;

  const interval = values.has('INTERVAL') ? parseWholeNumber('INTERVAL', values.get('INTERVAL')!, 1, MAX_INTERVAL, '') : 1;
  const count = values.has('COUNT') ? parseWholeNumber('COUNT', values.get('COUNT')!, 1, MAX_COUNT, ' (use UNTIL or no end for longer series)') : undefined;
  const until = values.has('UNTIL') ? parseRRuleDate(values.get('UNTIL')!) : undefined;
  if (count !== undefined && until !== undefined) {
    throw new RecurrenceError('UNTIL and COUNT cannot be used together; choose one way to end the series');
  }
  const parts: RuleParts = { freq, interval };
  if (until) parts.until = until;
  if (count !== undefined) parts.count = count;
  if (values.has('WKST')) parts.wkst = parseWeekdayCode(values.get('WKST')!);

  for (const name of ['BYHOUR', 'BYMINUTE', 'BYSECOND'] as const) {
    if (!values.has(name)) continue;
    const value = values.get(name)!;
    const max = name === 'BYHOUR' ? 23 : 59;
    if (!/^\d{1,2}$/.test(value) || Number(value) > max) {
      throw new RecurrenceError(`${name}=${value} is not supported: an event happens at most once a day, at its start time`);
    }
    parts.timeOfDay = { ...parts.timeOfDay, [name === 'BYHOUR' ? 'hour' : name === 'BYMINUTE' ? 'minute' : 'second']: Number(value) };
  }
  if (values.has('BYMONTH')) parts.byMonth = parseNumberList('BYMONTH', values.get('BYMONTH')!, 12, true);
  if (values.has('BYWEEKNO')) {
    if (freq !== 'yearly') throw new RecurrenceError('BYWEEKNO is allowed only with FREQ=YEARLY');
    parts.byWeekNo = parseNumberList('BYWEEKNO', values.get('BYWEEKNO')!, 53);
  }
  if (values.has('BYYEARDAY')) {
    if (freq !== 'yearly') throw new RecurrenceError('BYYEARDAY is allowed only with FREQ=YEARLY');
    parts.byYearDay = parseNumberList('BYYEARDAY', values.get('BYYEARDAY')!, 366);
  }
  if (values.has('BYMONTHDAY')) {
    if (freq === 'weekly') throw new RecurrenceError('BYMONTHDAY is not allowed with FREQ=WEEKLY');
    parts.byMonthDay = parseNumberList('BYMONTHDAY', values.get('BYMONTHDAY')!, 31);
  }
  if (values.has('BYDAY')) parts.byDay = parseByDay(values.get('BYDAY')!, freq, parts.byWeekNo !== undefined);
  if (values.has('BYSETPOS')) {
    parts.bySetPos = parseNumberList('BYSETPOS', values.get('BYSETPOS')!, 366);
    if (!parts.byMonth && !parts.byWeekNo && !parts.byYearDay && !parts.byMonthDay && !parts.byDay) {
      throw new RecurrenceError('BYSETPOS needs another BYxxx part to pick from, e.g. BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1');
    }
  }

  // FREQ=DAILY;BYDAY=MO,TU,… (a common way to say "every weekday") is the same set as a weekly rule.
  if (freq === 'daily' && parts.byDay && interval === 1 && !parts.byMonth && !parts.byMonthDay && !parts.bySetPos) {
    parts.freq = 'weekly';
    delete parts.wkst;
  }
  assertPossible(parts);
  return parts;
}

/** Refuses rules that can never produce a date, the ones a calendar check would otherwise scan for centuries. */
function assertPossible(parts: RuleParts): void {
  if (parts.byMonthDay) {
    const months = parts.byMonth ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const fits = months.some((m) => parts.byMonthDay!.some((d) => Math.abs(d) <= MAX_MONTH_DAYS[m - 1]!));
    if (!fits) {
      throw new RecurrenceError(
        `BYMONTHDAY=${parts.byMonthDay.join(',')} never falls in ${listInWords(
          months.map((m) => monthName(m)),
          'or',
        )}, so the rule has no occurrences`,
      );
    }
  }
  if (parts.bySetPos && parts.freq === 'daily' && !parts.bySetPos.some((p) => Math.abs(p) === 1)) {
    throw new RecurrenceError('With FREQ=DAILY each day holds one occurrence, so BYSETPOS can only be 1 or -1');
  }
  if (parts.bySetPos && parts.freq === 'weekly' && !parts.bySetPos.some((p) => Math.abs(p) <= 7)) {
    throw new RecurrenceError('A week holds at most 7 occurrences, so BYSETPOS must include a value from -7 to 7');
  }
  if (parts.bySetPos && parts.freq === 'monthly' && !parts.bySetPos.some((p) => Math.abs(p) <= 31)) {
    throw new RecurrenceError('A month holds at most 31 occurrences, so BYSETPOS must include a value from -31 to 31');
  }
}

function untilLocalDate(until: RuleUntil, start: LocalDateTimeFields | undefined, timeZone: string | undefined): string {
  let local: LocalDateTimeFields;
  if (until.kind === 'date') return formatLocalDateFields(until.local);
  if (until.kind === 'utc') local = timeZone ? utcToZonedParts(until.instant, timeZone) : fromFloatingDate(until.instant);
  else local = until.local;
  const date = formatLocalDateFields(local);
  if (!start) return date;
  // Every occurrence starts at the first start's time of day, so a day counts if that time is not after UNTIL.
  const startSeconds = start.hour * 3600 + start.minute * 60 + start.second;
  const untilSeconds = local.hour * 3600 + local.minute * 60 + local.second;
  return untilSeconds >= startSeconds ? date : addDaysToLocalDate(date, -1);
}

/** The parts RFC 5545 takes from DTSTART when the rule leaves them out, written out. */
function withStartDefaults(parts: RuleParts, start: LocalDateTimeFields): RuleParts {
  const filled: RuleParts = { ...parts };
  delete filled.timeOfDay;
  if (!parts.byWeekNo && !parts.byYearDay && !parts.byMonthDay && !parts.byDay) {
    if (parts.freq === 'weekly') filled.byDay = [{ weekday: weekdayCodeOfLocal(start) }];
    if (parts.freq === 'monthly') filled.byMonthDay = [start.day];
    if (parts.freq === 'yearly') {
      filled.byMonth ??= [start.month];
      filled.byMonthDay = [start.day];
    }
  }
  return filled;
}

/** The structured form of parts, or null when the rule is not one of the structured shapes. */
function recurrenceFromParts(parts: RuleParts, start: LocalDateTimeFields | undefined, timeZone: string | undefined): Recurrence | null {
  const rule: Recurrence = { freq: parts.freq, interval: parts.interval };
  const { byMonth, byWeekNo, byYearDay, byMonthDay, byDay, bySetPos } = parts;
  const startDay = start ? weekdayCodeOfLocal(start) : undefined;
  if (byWeekNo || byYearDay) return null;
  if (parts.freq === 'daily') {
    if (byMonth || byMonthDay || byDay || bySetPos) return null;
  } else if (parts.freq === 'weekly') {
    if (byMonth || bySetPos || byDay?.some((d) => d.nth !== undefined)) return null;
    if (parts.wkst && parts.wkst !== 'MO' && weekStartMatters(parts)) return null;
    if (byDay) rule.byWeekday = byDay.map((d) => d.weekday);
    if (start && rule.byWeekday && !rule.byWeekday.includes(startDay!)) return null;
  } else if (parts.freq === 'monthly') {
    if (byMonth) return null;
    if (bySetPos) {
      if (!sameNumbers(bySetPos, [-1]) || byMonthDay || byDay?.map((d) => `${d.nth ?? ''}${d.weekday}`).join(',') !== WORKDAYS.join(',')) return null;
      rule.monthlyBy = 'lastWeekday';
    } else if (byMonthDay && byDay) {
      return null;
    } else if (byMonthDay) {
      if (sameNumbers(byMonthDay, [-1])) rule.monthlyBy = 'lastDay';
      else if (byMonthDay.length === 1 && byMonthDay[0]! > 0 && (!start || byMonthDay[0] === start.day)) rule.monthlyBy = 'date';
      else return null;
    } else if (byDay) {
      if (byDay.some((d) => d.nth === undefined || !(WEEK_OF_MONTH_VALUES as readonly number[]).includes(d.nth))) return null;
      if (new Set(byDay.map((d) => d.weekday)).size !== 1) return null;
      if (start && byDay[0]!.weekday !== startDay) return null;
      if (byDay.length === 1 && (!start || byDay[0]!.nth === nthWeekdayOfMonth(start))) rule.monthlyBy = 'weekday';
      else {
        rule.monthlyBy = 'weeks';
        rule.weeksOfMonth = WEEK_OF_MONTH_VALUES.filter((n) => byDay.some((d) => d.nth === n));
      }
    } else {
      rule.monthlyBy = 'date';
    }
  } else {
    if (bySetPos || byDay) return null;
    if (byMonth && (byMonth.length !== 1 || (start && byMonth[0] !== start.month))) return null;
    if (byMonthDay && (byMonthDay.length !== 1 || byMonthDay[0]! < 0 || (start && byMonthDay[0] !== start.day))) return null;
  }
  if (parts.until) rule.until = untilLocalDate(parts.until, start, timeZone);
  if (parts.count !== undefined) rule.count = parts.count;
  return rule;
}

/**
 * Reads an RRULE as integrators send it ('RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10') into the
 * structured rule, or null when the rule is valid but not one of the structured shapes (it is
 * then kept and shown as its RRULE). Invalid rules throw RecurrenceError with a message saying
 * what to send instead.
 *
 * With `firstStartLocal` UNTIL is turned into the exact last local date on which an occurrence
 * still starts; a UTC UNTIL (…Z) is read in `timeZone` when given.
 */
export function simpleRecurrence(rrule: string, context: { firstStartLocal?: string; timeZone?: string } = {}): Recurrence | null {
  const parts = parseRuleParts(rrule);
  const start = context.firstStartLocal !== undefined ? parseFirstStart(context.firstStartLocal) : undefined;
  return recurrenceFromParts(parts, start, context.timeZone);
}

/** Like `simpleRecurrence`, for rules known to have a structured shape; throws RecurrenceError otherwise. */
export function parseRRuleString(rrule: string, context: { firstStartLocal?: string; timeZone?: string } = {}): Recurrence {
  const structured = simpleRecurrence(rrule, context);
  if (!structured) throw new RecurrenceError(`${rrule.replace(/^RRULE:/i, '')} has no simple form; it is kept as an RRULE`);
  return structured;
}

type NormalizedSeries = { rrule: string; firstStartLocal: string };

/**
 * Canonical RRULE for a series and its real first start. As in python-dateutil (and rrule), the
 * requested start counts only when the rule produces it; otherwise the series begins at the
 * rule's first occurrence after it, so the API, the feed (where DTSTART is always an occurrence)
 * and every other calendar agree. Throws RecurrenceError for rules without an occurrence within
 * five years of the requested start, or whose COUNT would not end within the supported range.
 */
export function normalizeSeries(rrule: string, firstStartLocal: string, timeZone?: string): NormalizedSeries {
  const requested = parseFirstStart(firstStartLocal);
  const raw = parseRuleParts(rrule);
  const time = raw.timeOfDay;
  if (time) {
    const mismatch =
      (time.hour !== undefined && time.hour !== requested.hour) ||
      (time.minute !== undefined && time.minute !== requested.minute) ||
      (time.second !== undefined && time.second !== requested.second);
    if (mismatch) throw new RecurrenceError('BYHOUR, BYMINUTE and BYSECOND must match the first start: an event happens at most once a day, at its start time');
  }
  const parts = withStartDefaults(raw, requested);
  if (parts.until) {
    // A floating or date UNTIL stays as the user wrote it; a UTC one is turned into the local last day.
    const lastDate = untilLocalDate(parts.until, requested, timeZone);
    if (lastDate < formatLocalDateFields(requested)) {
      throw new RecurrenceError(`UNTIL (${lastDate}) is before the first start ${formatLocalDateFields(requested)}`);
    }
    if (parts.until.kind !== 'floating' || timeZone !== undefined) {
      parts.until = { kind: 'floating', local: { ...parseLocalDate(lastDate), hour: 23, minute: 59, second: 59 } };
    }
  }
  const firstFloating = toFloatingDate(requested);
  const horizon = toFloatingDate({ ...requested, year: requested.year + FIRST_OCCURRENCE_YEARS });
  const [first] = iterateRule(parts, firstFloating, timeZone ?? 'UTC', firstFloating, horizon, 1);
  if (!first) {
    throw new RecurrenceError(
      parts.until || parts.count
        ? `This rule has no occurrence between the first start ${formatLocalDateFields(requested)} and its end`
        : `This rule has no occurrence in the ${FIRST_OCCURRENCE_YEARS} years after the first start ${formatLocalDateFields(requested)}`,
    );
  }
  if (parts.count !== undefined) {
    const all = iterateRule(parts, firstFloating, timeZone ?? 'UTC', firstFloating, null, parts.count);
    if (all.length < parts.count) throw new RecurrenceError(`COUNT=${parts.count} would run this rule for centuries; use a smaller COUNT or an UNTIL date`);
  }
  const startFields = fromFloatingDate(first);
  return {
    rrule: serializeParts(withStartDefaults(parts, startFields)),
    firstStartLocal: formatLocalDateTimeFields(startFields, startFields.second !== 0),
  };
}

/** Canonical form of an RRULE string for the given first start (which must be an occurrence of it). */
export function normalizeRRuleString(rrule: string, firstStartLocal: string, timeZone?: string): string {
  return normalizeSeries(rrule, firstStartLocal, timeZone).rrule;
}

/**
 * The rule for a series whose first start moves from `oldStartLocal` to `newStartLocal`, so that
 * the repeat pattern moves along: weekly days shift by the same number of days (MO,WE → TU,TH when
 * the start moves from Monday to Tuesday); monthly and yearly rules in the structured shapes
 * follow the new day or weekday; the end (UNTIL date or COUNT) stays. Other rules are kept as
 * they are (the series then starts at their first occurrence from the new start).
 */
export function moveRRuleStart(rrule: string, oldStartLocal: string, newStartLocal: string): string {
  const structured = simpleRecurrence(rrule, { firstStartLocal: oldStartLocal });
  if (!structured) return normalizeRRuleString(rrule, newStartLocal);
  if (structured.freq === 'weekly' && structured.byWeekday) {
    const oldIndex = WEEKDAY_CODES.indexOf(weekdayCodeOfLocal(parseFirstStart(oldStartLocal)));
    const newIndex = WEEKDAY_CODES.indexOf(weekdayCodeOfLocal(parseFirstStart(newStartLocal)));
    const shift = (newIndex - oldIndex + 7) % 7;
    structured.byWeekday = WEEKDAY_CODES.filter((code) =>
      structured.byWeekday!.some((day) => WEEKDAY_CODES[(WEEKDAY_CODES.indexOf(day) + shift) % 7] === code),
    );
  }
  if (structured.until !== undefined && structured.until < newStartLocal.slice(0, 10)) delete structured.until;
  return toRRuleString(structured, newStartLocal);
}

function formatDisplayDate(fields: { year: number; month: number; day: number }): string {
  return `${fields.day} ${monthName(fields.month, 'short')} ${fields.year}`;
}

function ordinalWord(n: number): string {
  if (ORDINAL_WORDS[n]) return ORDINAL_WORDS[n]!;
  if (n === -2) return 'second to last';
  if (n < 0) return `${ordinalNumber(-n)} to last`;
  return ordinalNumber(n);
}

function ordinalNumber(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function monthDayWords(days: number[]): string {
  const words = days.map((d) => (d === -1 ? 'the last day' : d < 0 ? `the ${ordinalWord(d)} day` : `the ${ordinalNumber(d)}`));
  return listInWords(words);
}

function byDayWords(days: ByDay[], scope: string): string {
  const plain = days.filter((d) => d.nth === undefined).map((d) => d.weekday);
  const numbered = days.filter((d) => d.nth !== undefined);
  const words: string[] = [];
  if (plain.join(',') === WORKDAYS.join(',')) words.push('weekdays (Monday to Friday)');
  else if (plain.length === 7) words.push('every day');
  else if (plain.length) words.push(listInWords(plain.map((d) => WEEKDAY_PLURALS[d])));
  // Group numbered days by weekday: "the first and third Tuesday".
  const byWeekday = new Map<WeekdayCode, number[]>();
  for (const d of numbered) byWeekday.set(d.weekday, [...(byWeekday.get(d.weekday) ?? []), d.nth!]);
  for (const [weekday, nths] of byWeekday) words.push(`the ${listInWords(nths.map(ordinalWord))} ${WEEKDAY_NAMES[weekday]}${scope}`);
  return listInWords(words);
}

/**
 * Human description: 'Every 2 weeks on Monday and Wednesday, until 31 Jan 2027', 'Every month on
 * the last weekday (Monday to Friday)', 'Every year on 13 Mar'. Any accepted rule is described;
 * a UTC UNTIL is shown as its date in `timeZone` when given.
 */
// Invitation cards and open-seat rows describe the same few rules on every page: the words are kept per rule and zone
// (a pure function of the two strings, so nothing here depends on a database).
const DESCRIPTIONS_LIMIT = 5_000;
const descriptions = new Map<string, string>();

export function describeRecurrence(rrule: string, timeZone?: string): string {
  const key = `${timeZone ?? ''}|${rrule}`;
  let text = descriptions.get(key);
  if (text === undefined) {
    text = describeRule(rrule, timeZone);
    if (descriptions.size >= DESCRIPTIONS_LIMIT) descriptions.clear();
    descriptions.set(key, text);
  }
  return text;
}

function describeRule(rrule: string, timeZone?: string): string {
  const parts = parseRuleParts(rrule);
  const every = (unit: string, plural: string) => (parts.interval === 1 ? `Every ${unit}` : `Every ${parts.interval} ${plural}`);
  const unitScope = parts.freq === 'yearly' && !parts.byMonth ? ' of the year' : parts.freq === 'monthly' || parts.byMonth ? ' of the month' : '';
  const simple = recurrenceFromParts(parts, undefined, timeZone);
  let text: string;
  if (parts.freq === 'daily') text = every('day', 'days');
  else if (parts.freq === 'weekly') text = every('week', 'weeks');
  else if (parts.freq === 'monthly') text = every('month', 'months');
  else text = every('year', 'years');
  const details: string[] = [];
  if (simple && parts.freq === 'weekly' && parts.interval === 1 && parts.byDay?.map((d) => d.weekday).join(',') === WORKDAYS.join(',')) {
    text = 'Every weekday (Monday to Friday)';
  } else if (simple && parts.freq === 'weekly' && parts.byDay) {
    details.push(`on ${listInWords(parts.byDay.map((d) => WEEKDAY_NAMES[d.weekday]))}`);
  } else if (simple && parts.freq === 'monthly' && simple.monthlyBy === 'weekday') {
    details.push(`on the ${ordinalWord(parts.byDay![0]!.nth!)} ${WEEKDAY_NAMES[parts.byDay![0]!.weekday]}`);
  } else if (simple && parts.freq === 'monthly' && simple.monthlyBy === 'date' && parts.byMonthDay) {
    details.push(`on day ${parts.byMonthDay[0]}`);
  } else if (simple && parts.freq === 'monthly' && simple.monthlyBy === 'lastWeekday') {
    details.push('on the last weekday (Monday to Friday)');
  } else if (simple && parts.freq === 'yearly' && parts.byMonth && parts.byMonthDay) {
    details.push(`on ${parts.byMonthDay[0]} ${monthName(parts.byMonth[0]!, 'short')}`);
  } else {
    if (parts.byWeekNo)
      details.push(
        `in week${parts.byWeekNo.length > 1 ? 's' : ''} ${listInWords(parts.byWeekNo.map((w) => (w < 0 ? `${ordinalWord(w)}` : String(w))))} of the year`,
      );
    if (parts.byYearDay)
      details.push(
        `on day${parts.byYearDay.length > 1 ? 's' : ''} ${listInWords(parts.byYearDay.map((d) => (d < 0 ? `${ordinalWord(d)}` : String(d))))} of the year`,
      );
    const dayWords: string[] = [];
    if (parts.byDay) dayWords.push(byDayWords(parts.byDay, unitScope));
    if (parts.byMonthDay) dayWords.push(monthDayWords(parts.byMonthDay));
    if (dayWords.length === 2) details.push(`on ${dayWords[0]} that fall on ${dayWords[1]}`);
    else if (dayWords.length === 1) details.push(`on ${dayWords[0]}`);
    if (parts.byMonth) details.push(`in ${listInWords(parts.byMonth.map((m) => monthName(m)))}`);
    if (parts.bySetPos) {
      const unit = parts.freq === 'daily' ? 'day' : parts.freq === 'weekly' ? 'week' : parts.freq === 'monthly' ? 'month' : 'year';
      details.push(`only the ${listInWords(parts.bySetPos.map(ordinalWord))} of these in each ${unit}`);
    }
  }
  if (details.length) text += ` ${details.join(' ')}`;
  if (parts.wkst && parts.wkst !== 'MO' && weekStartMatters(parts)) text += ` (weeks start on ${WEEKDAY_NAMES[parts.wkst]})`;
  if (parts.until) {
    const local =
      parts.until.kind === 'utc' ? (timeZone ? utcToZonedParts(parts.until.instant, timeZone) : fromFloatingDate(parts.until.instant)) : parts.until.local;
    text += `, until ${formatDisplayDate(local)}`;
  }
  if (parts.count !== undefined) text += parts.count === 1 ? ', once' : `, ${parts.count} times`;
  return text;
}

/**
 * Whether common calendar programs expand the rule wrongly: week numbers (BYWEEKNO) and yearly
 * numbered weekdays without a month ('the 20th Monday of the year'). Feeds and invitations then
 * list the starts one by one.
 */
export function misreadByCalendarPrograms(rrule: string): boolean {
  const parts = parseRuleParts(rrule);
  return parts.byWeekNo !== undefined || (parts.freq === 'yearly' && !parts.byMonth && (parts.byDay?.some((d) => d.nth !== undefined) ?? false));
}

/**
 * The RRULE value for an iCalendar VEVENT whose DTSTART has a TZID: RFC 5545 then requires UNTIL
 * in UTC, so a floating or date-only UNTIL is converted with the series' zone.
 */
export function toICalendarRRule(rrule: string, timeZone: string): string {
  const parts = parseRuleParts(rrule);
  if (parts.until && parts.until.kind !== 'utc') {
    const local = parts.until.kind === 'date' ? { ...parts.until.local, hour: 23, minute: 59, second: 59 } : parts.until.local;
    parts.until = { kind: 'utc', instant: zonedLocalToUtc(local, timeZone) };
  }
  return serializeParts(parts);
}

// ---------------------------------------------------------------------------------------------
// Expansion
// ---------------------------------------------------------------------------------------------

export type SeriesTiming = {
  /** Canonical RRULE string; null for a one-off event (exactly one occurrence at the first start). */
  rrule: string | null;
  firstStartLocal: string;
  timeZone: string;
  durationMinutes: number;
};

export type Occurrence = {
  /** The start the rule gives this occurrence; with the event id it identifies the occurrence. */
  originalStart: Date;
  start: Date;
  end: Date;
  /** True when an override moved the occurrence away from its original start. */
  isMoved: boolean;
};

export type OccurrenceOverride = { originalStart: Date; start: Date; end: Date };

export type ExpandOccurrencesInput = SeriesTiming & {
  from: Date;
  to: Date;
  /** Original starts (Date or epoch ms) of cancelled occurrences. */
  exceptions?: Iterable<Date | number>;
  /** Occurrences moved to another time; listed where they now are, keyed by their original start. */
  overrides?: Iterable<OccurrenceOverride>;
};

type RuleOccurrence = { floating: Date; start: Date };

type CompiledSeries = {
  parts: RuleParts | null;
  firstFloating: Date;
  firstStart: Date;
  timeZone: string;
  durationMs: number;
};

function compileSeries(series: SeriesTiming): CompiledSeries {
  const start = parseFirstStart(series.firstStartLocal);
  if (!Number.isInteger(series.durationMinutes) || series.durationMinutes < 1) {
    throw new RecurrenceError(`Duration must be a positive whole number of minutes (got ${series.durationMinutes})`);
  }
  let firstStart: Date;
  try {
    firstStart = zonedLocalToUtc(start, series.timeZone);
  } catch {
    throw new RecurrenceError(`Unknown time zone "${series.timeZone}"`);
  }
  return {
    parts: series.rrule === null ? null : withStartDefaults(parseRuleParts(series.rrule), start),
    firstFloating: toFloatingDate(start),
    firstStart,
    timeZone: series.timeZone,
    durationMs: series.durationMinutes * MINUTE_MS,
  };
}

const WEEKDAY_OBJECTS: Record<WeekdayCode, Weekday> = {
  MO: RRule.MO,
  TU: RRule.TU,
  WE: RRule.WE,
  TH: RRule.TH,
  FR: RRule.FR,
  SA: RRule.SA,
  SU: RRule.SU,
};
const RRULE_FREQUENCIES = { daily: RRule.DAILY, weekly: RRule.WEEKLY, monthly: RRule.MONTHLY, yearly: RRule.YEARLY } as const;
/** 400 Gregorian years: weekdays and leap years repeat exactly after this many days. */
const GREGORIAN_CYCLE_DAYS = 146_097;
/** rrule stops iterating after this year (its MAXYEAR). */
const RRULE_LAST_YEAR = 9999;

function floatingUntil(until: RuleUntil, timeZone: string): Date {
  if (until.kind === 'utc') return toFloatingDate(utcToZonedParts(until.instant, timeZone));
  if (until.kind === 'date') return toFloatingDate({ ...until.local, hour: 23, minute: 59, second: 59 });
  return toFloatingDate(until.local);
}

function dayNumber(floating: Date): number {
  return Math.floor(floating.getTime() / DAY_MS);
}

/** Week number with weeks starting on `wkst`; day 4 since the epoch (1970-01-05) was a Monday. */
function weekNumber(floating: Date, wkst: WeekdayCode): number {
  return Math.floor((dayNumber(floating) - 4 - WEEKDAY_CODES.indexOf(wkst)) / 7);
}

function monthNumber(floating: Date): number {
  return floating.getUTCFullYear() * 12 + floating.getUTCMonth();
}

/**
 * A start for rrule at the beginning of a period (day, week from WKST, month or year, counted in
 * steps of the interval from the real first start) one period before the one holding `low`.
 * Iterating from there yields the same occurrences after `low` as iterating from the first start,
 * without walking years of history; the extra period catches sets that spill over a period's end
 * (week numbers). Rules with COUNT must count from the first start, so they are never moved.
 */
function alignedRuleStart(parts: RuleParts, first: Date, low: Date): Date {
  if (parts.count !== undefined || low.getTime() <= first.getTime()) return first;
  const timeOfDayMs = first.getTime() - dayNumber(first) * DAY_MS;
  const step = (distance: number) => Math.floor(distance / parts.interval) * parts.interval - parts.interval;
  if (parts.freq === 'daily') {
    const periods = step(dayNumber(low) - dayNumber(first));
    return periods <= 0 ? first : new Date(first.getTime() + periods * DAY_MS);
  }
  if (parts.freq === 'weekly') {
    const wkst = parts.wkst ?? 'MO';
    const periods = step(weekNumber(low, wkst) - weekNumber(first, wkst));
    if (periods <= 0) return first;
    const weekStartDay = (weekNumber(first, wkst) + periods) * 7 + 4 + WEEKDAY_CODES.indexOf(wkst);
    return new Date(weekStartDay * DAY_MS + timeOfDayMs);
  }
  if (parts.freq === 'monthly') {
    const periods = step(monthNumber(low) - monthNumber(first));
    if (periods <= 0) return first;
    const month = monthNumber(first) + periods;
    return new Date(Date.UTC(Math.floor(month / 12), month % 12, 1) + timeOfDayMs);
  }
  const periods = step(low.getUTCFullYear() - first.getUTCFullYear());
  if (periods <= 0) return first;
  const start = new Date(Date.UTC(2000, 0, 1) + timeOfDayMs);
  start.setUTCFullYear(first.getUTCFullYear() + periods);
  return start;
}

function buildRRule(parts: RuleParts, dtstart: Date, until: Date | null) {
  // A daily rule with filters is the same set as a yearly one with those filters; rrule walks a
  // year at a time instead of a day at a time, so sparse rules (29 February) cost little.
  const asYearly = parts.freq === 'daily' && parts.interval === 1 && !parts.bySetPos && (parts.byMonth || parts.byMonthDay || parts.byDay);
  const options: Partial<RRuleOptions> = {
    freq: asYearly ? RRule.YEARLY : RRULE_FREQUENCIES[parts.freq],
    interval: parts.interval,
    dtstart,
    wkst: WEEKDAY_OBJECTS[parts.wkst ?? 'MO'],
  };
  if (parts.byMonth) options.bymonth = parts.byMonth;
  if (parts.byWeekNo) options.byweekno = parts.byWeekNo;
  if (parts.byYearDay) options.byyearday = parts.byYearDay;
  if (parts.byMonthDay) options.bymonthday = parts.byMonthDay;
  if (parts.byDay) options.byweekday = parts.byDay.map((d) => (d.nth === undefined ? WEEKDAY_OBJECTS[d.weekday] : WEEKDAY_OBJECTS[d.weekday].nth(d.nth)));
  else if (asYearly && !parts.byMonthDay) options.byweekday = WEEKDAY_CODES.map((code) => WEEKDAY_OBJECTS[code]);
  if (parts.bySetPos) options.bysetpos = parts.bySetPos;
  if (until) options.until = until;
  if (parts.count !== undefined) options.count = parts.count;
  return new RRule(options, true);
}

/**
 * Floating starts the rule produces from `first` (in order), within [low, high] or, without
 * `high`, from the first start on; at most `limit` of them.
 *
 * rrule keeps looking for a next date until the year 9999, however long the rule stays empty,
 * so every call runs in a copy of the calendar moved forward by whole 400-year cycles (which keep
 * weekdays and leap years) until 9999 lies at most about 400 years past the window. No rule,
 * however sparse or impossible, can make one call scan more than that.
 */
function iterateRule(parts: RuleParts, first: Date, timeZone: string, low: Date, high: Date | null, limit: number): Date[] {
  const dtstart = alignedRuleStart(parts, first, low);
  const until = parts.until ? floatingUntil(parts.until, timeZone) : null;
  const lastYear = (high ?? first).getUTCFullYear() + (high ? 0 : 400);
  const cycles = Math.max(0, Math.floor((RRULE_LAST_YEAR - 1 - lastYear) / 400));
  const shiftMs = cycles * GREGORIAN_CYCLE_DAYS * DAY_MS;
  const shift = (date: Date) => new Date(date.getTime() + shiftMs);
  const rule = buildRRule(parts, shift(dtstart), until ? shift(until) : null);
  const keep = (_date: Date, found: number) => found < limit;
  const dates = high ? rule.between(shift(low.getTime() > dtstart.getTime() ? low : dtstart), shift(high), true, keep) : rule.all(keep);
  return dates.map((date) => new Date(date.getTime() - shiftMs));
}

/**
 * Occurrences the rule itself produces (no exceptions or overrides) whose floating local start
 * lies in [lowFloating, highFloating], in order.
 */
function ruleOccurrencesBetween(series: CompiledSeries, lowFloating: Date, highFloating: Date, limit: number): RuleOccurrence[] {
  const toOccurrence = (floating: Date): RuleOccurrence => ({
    floating,
    start: zonedLocalToUtc(fromFloatingDate(floating), series.timeZone),
  });
  if (highFloating.getTime() < series.firstFloating.getTime()) return [];
  if (series.parts === null) {
    const inRange = series.firstFloating.getTime() >= lowFloating.getTime();
    return inRange ? [toOccurrence(series.firstFloating)] : [];
  }
  return iterateRule(series.parts, series.firstFloating, series.timeZone, lowFloating, highFloating, limit).map(toOccurrence);
}

/** Floating range that surely contains every occurrence whose start lies in [from, to]. */
function floatingRangeAround(from: Date, to: Date, timeZone: string): { low: Date; high: Date } {
  // A day of slack on each side absorbs any offset difference between the two ends.
  return {
    low: new Date(toFloatingDate(utcToZonedParts(from, timeZone)).getTime() - DAY_MS),
    high: new Date(toFloatingDate(utcToZonedParts(to, timeZone)).getTime() + DAY_MS),
  };
}

function toMillis(value: Date | number): number {
  return typeof value === 'number' ? value : value.getTime();
}

function assertValidInstant(value: Date, name: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new RecurrenceError(`${name} is not a valid date`);
}

/**
 * Occurrences overlapping [from, to) (start < to and end > from), sorted by start.
 *
 * Cancelled original starts are left out; an overridden occurrence appears at its new time,
 * and only when that new time overlaps the window (and its original start is still produced by
 * the rule). The window may be at most three years long; at most 1500 occurrences are returned.
 */
export function expandOccurrences(input: ExpandOccurrencesInput): Occurrence[] {
  assertValidInstant(input.from, 'from');
  assertValidInstant(input.to, 'to');
  const windowMs = input.to.getTime() - input.from.getTime();
  if (windowMs <= 0) return [];
  if (windowMs > MAX_EXPANSION_WINDOW_MS) {
    throw new RecurrenceError('The time window is too long; ask for at most three years of occurrences at once');
  }
  const series = compileSeries(input);
  const cancelled = new Set<number>();
  for (const exception of input.exceptions ?? []) cancelled.add(toMillis(exception));
  const overrides = new Map<number, OccurrenceOverride>();
  for (const override of input.overrides ?? []) overrides.set(override.originalStart.getTime(), override);

  const fromMs = input.from.getTime();
  const toMs = input.to.getTime();
  const overlaps = (start: number, end: number) => start < toMs && end > fromMs;
  const range = floatingRangeAround(new Date(fromMs - series.durationMs), input.to, series.timeZone);
  const occurrences: Occurrence[] = [];
  for (const { start } of ruleOccurrencesBetween(series, range.low, range.high, MAX_OCCURRENCES_PER_EXPANSION + 2)) {
    const startMs = start.getTime();
    if (cancelled.has(startMs) || overrides.has(startMs)) continue;
    const endMs = startMs + series.durationMs;
    if (overlaps(startMs, endMs)) occurrences.push({ originalStart: start, start, end: new Date(endMs), isMoved: false });
  }
  for (const [originalMs, override] of overrides) {
    if (cancelled.has(originalMs) || !overlaps(override.start.getTime(), override.end.getTime())) continue;
    if (!findRuleOccurrence(series, new Date(originalMs))) continue;
    occurrences.push({ originalStart: new Date(originalMs), start: override.start, end: override.end, isMoved: true });
  }
  occurrences.sort((a, b) => a.start.getTime() - b.start.getTime() || a.originalStart.getTime() - b.originalStart.getTime());
  return occurrences.slice(0, MAX_OCCURRENCES_PER_EXPANSION);
}

function findRuleOccurrence(series: CompiledSeries, originalStart: Date): RuleOccurrence | null {
  const range = floatingRangeAround(originalStart, originalStart, series.timeZone);
  const match = ruleOccurrencesBetween(series, range.low, range.high, 10).find((occurrence) => occurrence.start.getTime() === originalStart.getTime());
  return match ?? null;
}

/**
 * The occurrence the rule produces at exactly `originalStart`, or null when that instant is not
 * an occurrence of the series. Exceptions are not considered: a cancelled occurrence still exists
 * as an original start.
 */
export function occurrenceAt(series: SeriesTiming, originalStart: Date): Occurrence | null {
  assertValidInstant(originalStart, 'originalStart');
  const compiled = compileSeries(series);
  const match = findRuleOccurrence(compiled, originalStart);
  if (!match) return null;
  return { originalStart: match.start, start: match.start, end: new Date(match.start.getTime() + compiled.durationMs), isMoved: false };
}

function lastRuleOccurrenceBefore(series: CompiledSeries, instant: Date): RuleOccurrence | null {
  if (instant.getTime() <= series.firstStart.getTime()) return null;
  let high = new Date(toFloatingDate(utcToZonedParts(instant, series.timeZone)).getTime() + DAY_MS);
  if (series.parts?.until) {
    const untilHigh = new Date(floatingUntil(series.parts.until, series.timeZone).getTime() + DAY_MS);
    if (untilHigh < high) high = untilHigh;
  }
  // Look back in growing steps; the first step covers one full period of the rule.
  const periodDays = { daily: 1, weekly: 7, monthly: 31, yearly: 366 } as const;
  let span = DAY_MS * (series.parts === null ? 1 : periodDays[series.parts.freq]) * (series.parts?.interval ?? 1) + 2 * DAY_MS;
  for (;;) {
    const low = new Date(Math.max(high.getTime() - span, series.firstFloating.getTime() - DAY_MS));
    const before = ruleOccurrencesBetween(series, low, high, MAX_COUNT * 10).filter((occurrence) => occurrence.start.getTime() < instant.getTime());
    if (before.length > 0) return before[before.length - 1]!;
    if (low.getTime() <= series.firstFloating.getTime()) return null;
    span *= 2;
  }
}

/** The last occurrence the rule produces that starts strictly before `instant`, or null. */
export function lastOccurrenceBefore(series: SeriesTiming, instant: Date): Occurrence | null {
  assertValidInstant(instant, 'instant');
  const compiled = compileSeries(series);
  const match = lastRuleOccurrenceBefore(compiled, instant);
  if (!match) return null;
  return { originalStart: match.start, start: match.start, end: new Date(match.start.getTime() + compiled.durationMs), isMoved: false };
}

function firstRuleOccurrenceFrom(series: CompiledSeries, instant: Date): RuleOccurrence | null {
  if (series.parts === null) return series.firstStart.getTime() >= instant.getTime() ? { floating: series.firstFloating, start: series.firstStart } : null;
  const from = new Date(Math.max(toFloatingDate(utcToZonedParts(instant, series.timeZone)).getTime() - DAY_MS, series.firstFloating.getTime() - DAY_MS));
  const end = series.parts.until ? floatingUntil(series.parts.until, series.timeZone).getTime() + DAY_MS : null;
  // Look ahead in growing steps from one full period of the rule; no rule is sparser than the
  // years normalizeSeries allows between two of its occurrences.
  const periodDays = { daily: 1, weekly: 7, monthly: 31, yearly: 366 } as const;
  let span = DAY_MS * periodDays[series.parts.freq] * series.parts.interval + 2 * DAY_MS;
  const last = from.getTime() + (FIRST_OCCURRENCE_YEARS + 1) * 366 * DAY_MS;
  for (;;) {
    const high = new Date(Math.min(from.getTime() + span, last));
    const found = ruleOccurrencesBetween(series, from, high, MAX_COUNT * 10).find((occurrence) => occurrence.start.getTime() >= instant.getTime());
    if (found) return found;
    if (high.getTime() >= last || (end !== null && high.getTime() >= end)) return null;
    span *= 2;
  }
}

/** The first occurrence the rule produces that starts at or after `instant`, or null. */
export function firstOccurrenceFrom(series: SeriesTiming, instant: Date): Occurrence | null {
  assertValidInstant(instant, 'instant');
  const compiled = compileSeries(series);
  const match = firstRuleOccurrenceFrom(compiled, instant);
  if (!match) return null;
  return { originalStart: match.start, start: match.start, end: new Date(match.start.getTime() + compiled.durationMs), isMoved: false };
}

/**
 * Whether two rules produce the same occurrences from the same first start up to where the
 * shorter one ends: they differ at most in their end (COUNT or UNTIL).
 */
export function sameRuleApartFromEnd(a: string, b: string): boolean {
  const withoutEnd = (rrule: string) => {
    const parts = parseRuleParts(rrule);
    delete parts.until;
    delete parts.count;
    return serializeParts(parts);
  };
  return withoutEnd(a) === withoutEnd(b);
}

/**
 * End of the last occurrence the rule produces (ignoring exceptions), or null when the series
 * never ends. A one-off event ends `durationMinutes` after its start.
 */
export function lastOccurrenceEnd(series: SeriesTiming): Date | null {
  const compiled = compileSeries(series);
  const endOf = (occurrence: RuleOccurrence | undefined | null) => (occurrence ? new Date(occurrence.start.getTime() + compiled.durationMs) : null);
  if (compiled.parts === null) return new Date(compiled.firstStart.getTime() + compiled.durationMs);
  if (compiled.parts.count !== undefined) {
    const all = iterateRule(compiled.parts, compiled.firstFloating, compiled.timeZone, compiled.firstFloating, null, MAX_COUNT);
    const last = all[all.length - 1];
    return last ? endOf({ floating: last, start: zonedLocalToUtc(fromFloatingDate(last), compiled.timeZone) }) : null;
  }
  if (compiled.parts.until) {
    const afterUntil = new Date(floatingUntil(compiled.parts.until, compiled.timeZone).getTime() + 2 * DAY_MS);
    return endOf(lastRuleOccurrenceBefore(compiled, zonedLocalToUtc(fromFloatingDate(afterUntil), compiled.timeZone)));
  }
  return null;
}

type SeriesSplit = {
  /** Rule for the occurrences before the split (ending with UNTIL), or null when the split is at the first occurrence. */
  headRRule: string | null;
  /** Local date of the head's last occurrence, or null when there is no head. */
  headLastLocalDate: string | null;
  /** First start of the new series that takes the split occurrence and all after it. */
  tailFirstStartLocal: string;
  /** Rule for the tail; a COUNT is reduced by the occurrences the head keeps. */
  tailRRule: string;
};

/**
 * Splits a series for a "this and following" edit at one of its occurrences. Throws
 * RecurrenceError when `splitAtOriginalStart` is not an occurrence of the series.
 */
export function splitSeries(rrule: string, firstStartLocal: string, timeZone: string, splitAtOriginalStart: Date): SeriesSplit {
  assertValidInstant(splitAtOriginalStart, 'splitAtOriginalStart');
  const series = compileSeries({ rrule, firstStartLocal, timeZone, durationMinutes: 1 });
  const parts = series.parts!;
  const split = findRuleOccurrence(series, splitAtOriginalStart);
  if (!split) throw new RecurrenceError('The series has no occurrence at that start, so it cannot be split there');
  const splitFields = fromFloatingDate(split.floating);
  const tailFirstStartLocal = formatLocalDateTimeFields(splitFields, splitFields.second !== 0);

  const previous = lastRuleOccurrenceBefore(series, split.start);
  const tailParts: RuleParts = { ...parts };
  if (!previous) return { headRRule: null, headLastLocalDate: null, tailFirstStartLocal, tailRRule: serializeParts(tailParts) };

  const previousFields = fromFloatingDate(previous.floating);
  // Occurrences share one time of day, so no other occurrence falls on the head's last local date.
  const headParts: RuleParts = { ...parts, until: { kind: 'floating', local: { ...previousFields, hour: 23, minute: 59, second: 59 } } };
  delete headParts.count;
  if (parts.count !== undefined) {
    const headCount = ruleOccurrencesBetween(series, series.firstFloating, previous.floating, MAX_COUNT + 1).length;
    tailParts.count = parts.count - headCount;
  }
  return {
    headRRule: serializeParts(headParts),
    headLastLocalDate: formatLocalDateFields(previousFields),
    tailFirstStartLocal,
    tailRRule: serializeParts(tailParts),
  };
}

// ---------------------------------------------------------------------------------------------
// Occurrence keys
// ---------------------------------------------------------------------------------------------

/** Stable id of one occurrence: `${eventId}_${YYYYMMDDTHHmmssZ}` of its original start. */
export function occurrenceKey(eventId: string | number, originalStart: Date): string {
  assertValidInstant(originalStart, 'originalStart');
  const wholeSecond = new Date(Math.floor(originalStart.getTime() / 1000) * 1000);
  // Every row of a schedule or list names its occurrence: for years 0–9999 the ISO form holds the same digits.
  const iso = wholeSecond.toISOString();
  if (iso.length !== 24) return `${eventId}_${formatUtcRRuleDate(wholeSecond)}`;
  return `${eventId}_${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** Reverse of `occurrenceKey`; null when the key is malformed. */
export function parseOccurrenceKey(key: string): { eventId: string; originalStart: Date } | null {
  const match = /^(.+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(key);
  if (!match) return null;
  const iso = `${match[2]}-${match[3]}-${match[4]}T${match[5]}:${match[6]}:${match[7]}`;
  if (!tryParseLocalDateTime(iso)) return null;
  return { eventId: match[1]!, originalStart: new Date(`${iso}Z`) };
}
