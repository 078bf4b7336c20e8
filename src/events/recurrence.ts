/**
 * Recurrence of event series.
 *
 * A series is stored as
 * - `rrule`: an RFC 5545 RRULE value without DTSTART, e.g. 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10',
 * - `firstStartLocal`: the first start as a wall-clock time in the host's zone ('2026-03-09T09:00'),
 * - `timeZone`: the IANA zone of that wall clock,
 * - `durationMinutes`.
 *
 * The rule is evaluated in floating local time: wall-clock times are handed to rrule as fake-UTC
 * dates and every generated occurrence is turned into a real instant with the series' zone
 * afterwards. A 09:00 meeting therefore stays at 09:00 local across DST changes, and nothing
 * depends on the zone of the server process.
 *
 * Canonical strings written by `toRRuleString` use UNTIL as a floating local date-time at the end
 * of the last local day ('UNTIL=20270131T235959'), never COUNT and UNTIL together, and no WKST
 * (weeks start on Monday, the RFC default). For iCalendar output, which needs UNTIL in UTC when
 * DTSTART carries a TZID, use `toICalendarRRule`.
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
  parseLocalDate,
  toFloatingDate,
  tryParseLocalDateTime,
  utcToZonedParts,
  zonedLocalToUtc,
  type LocalDateTimeFields,
} from '../lib/time';

// rrule ships CommonJS for Node and ESM for bundlers; under Node's ESM loader the classes are on `default`.
const { RRule } = ((rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule);

export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];
export const RECURRENCE_FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type RecurrenceFrequency = (typeof RECURRENCE_FREQUENCIES)[number];

export const MAX_INTERVAL = 99;
export const MAX_COUNT = 500;
/** Longest window `expandOccurrences` accepts: three years. */
export const MAX_EXPANSION_WINDOW_MS = 3 * 366 * 86_400_000;
/** Most occurrences one expansion returns; a daily series over the longest window stays below it. */
export const MAX_OCCURRENCES_PER_EXPANSION = 1500;

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
const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ORDINAL_WORDS: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' };
const SUPPORTED_PARTS_HINT =
  'supported parts are FREQ (DAILY, WEEKLY or MONTHLY), INTERVAL, BYDAY, BYMONTHDAY, UNTIL, COUNT and WKST=MO';

/** A rule, RRULE string or window that crosstrain cannot accept; the message is meant for the user. */
export class RecurrenceError extends Error {
  override name = 'RecurrenceError';
}

export const recurrenceSchema = z
  .object({
    freq: z.enum(RECURRENCE_FREQUENCIES, { error: 'Repeat must be daily, weekly or monthly' }),
    interval: z
      .number({ error: 'Interval must be a whole number from 1 to 99' })
      .int({ error: 'Interval must be a whole number from 1 to 99' })
      .min(1, { error: 'Interval must be a whole number from 1 to 99' })
      .max(MAX_INTERVAL, { error: 'Interval must be a whole number from 1 to 99' })
      .default(1),
    byWeekday: z
      .array(z.enum(WEEKDAY_CODES, { error: 'Days of the week are MO, TU, WE, TH, FR, SA or SU' }))
      .min(1, { error: 'Choose at least one day of the week' })
      .optional(),
    monthlyBy: z
      .enum(['date', 'weekday'], { error: 'Monthly repeat is by "date" (same day of the month) or "weekday" (same weekday, e.g. second Tuesday)' })
      .optional(),
    until: localDateSchema.optional(),
    count: z
      .number({ error: `Number of occurrences must be a whole number from 1 to ${MAX_COUNT}` })
      .int({ error: `Number of occurrences must be a whole number from 1 to ${MAX_COUNT}` })
      .min(1, { error: `Number of occurrences must be a whole number from 1 to ${MAX_COUNT}` })
      .max(MAX_COUNT, { error: `Number of occurrences must be a whole number from 1 to ${MAX_COUNT}` })
      .optional(),
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
  })
  .transform((rule) => {
    const cleaned: Recurrence = { freq: rule.freq, interval: rule.interval };
    if (rule.byWeekday) cleaned.byWeekday = WEEKDAY_CODES.filter((code) => rule.byWeekday!.includes(code));
    if (rule.monthlyBy) cleaned.monthlyBy = rule.monthlyBy;
    if (rule.until !== undefined) cleaned.until = rule.until;
    if (rule.count !== undefined) cleaned.count = rule.count;
    return cleaned;
  });

/** The structured rule used by forms and the API. */
export type Recurrence = {
  freq: RecurrenceFrequency;
  interval: number;
  /** Weekly only; defaults to the weekday of the first start. */
  byWeekday?: WeekdayCode[];
  /** Monthly only; 'date' (default) repeats on the start's day of month, 'weekday' on its nth (or last) weekday. */
  monthlyBy?: 'date' | 'weekday';
  /** Last local date (inclusive) on which an occurrence may start. */
  until?: string;
  count?: number;
};
export type RecurrenceInput = z.input<typeof recurrenceSchema>;

/** What the rule says, independent of the first start; the canonical RRULE string is made from this. */
type RuleParts = {
  freq: RecurrenceFrequency;
  interval: number;
  byWeekday?: WeekdayCode[];
  byMonthDay?: number;
  byNthWeekday?: { nth: number; weekday: WeekdayCode };
  until?: RuleUntil;
  count?: number;
};
type RuleUntil =
  | { kind: 'date'; local: LocalDateTimeFields }
  | { kind: 'floating'; local: LocalDateTimeFields }
  | { kind: 'utc'; instant: Date };

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

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function zodMessages(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join('; ');
}

function partsFromRecurrence(rule: Recurrence, start: LocalDateTimeFields): RuleParts {
  const parts: RuleParts = { freq: rule.freq, interval: rule.interval };
  if (rule.freq === 'weekly') {
    const startDay = weekdayCodeOfLocal(start);
    const days = rule.byWeekday ?? [startDay];
    if (!days.includes(startDay)) {
      throw new RecurrenceError(
        `The first start ${formatLocalDateFields(start)} is a ${WEEKDAY_NAMES[startDay]}, but the series repeats on ` +
          `${listInWords(days.map((d) => WEEKDAY_NAMES[d]))}; include ${WEEKDAY_NAMES[startDay]} or move the first start`,
      );
    }
    parts.byWeekday = days;
  }
  if (rule.freq === 'monthly') {
    if (rule.monthlyBy === 'weekday') {
      parts.byNthWeekday = { nth: nthWeekdayOfMonth(start), weekday: weekdayCodeOfLocal(start) };
    } else {
      parts.byMonthDay = start.day;
    }
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

function serializeParts(parts: RuleParts): string {
  const segments = [`FREQ=${parts.freq.toUpperCase()}`];
  if (parts.interval !== 1) segments.push(`INTERVAL=${parts.interval}`);
  if (parts.byWeekday) segments.push(`BYDAY=${parts.byWeekday.join(',')}`);
  if (parts.byNthWeekday) segments.push(`BYDAY=${parts.byNthWeekday.nth}${parts.byNthWeekday.weekday}`);
  if (parts.byMonthDay !== undefined) segments.push(`BYMONTHDAY=${parts.byMonthDay}`);
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

/** Reads an RRULE string into rule parts, enforcing crosstrain's supported subset. */
function parseRuleParts(input: string): RuleParts {
  if (typeof input !== 'string' || input.trim() === '') throw new RecurrenceError('The recurrence rule is empty');
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
    if (!['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'UNTIL', 'COUNT', 'WKST'].includes(name)) {
      throw new RecurrenceError(`${name} is not supported; ${SUPPORTED_PARTS_HINT}`);
    }
  }

  const freqValue = values.get('FREQ')?.toUpperCase();
  if (!freqValue) throw new RecurrenceError('FREQ is missing; use FREQ=DAILY, FREQ=WEEKLY or FREQ=MONTHLY');
  if (['SECONDLY', 'MINUTELY', 'HOURLY'].includes(freqValue)) {
    throw new RecurrenceError(`FREQ=${freqValue} is not supported: events repeat at most daily (DAILY, WEEKLY or MONTHLY)`);
  }
  if (freqValue === 'YEARLY') throw new RecurrenceError('FREQ=YEARLY is not supported; use FREQ=MONTHLY;INTERVAL=12');
  if (!['DAILY', 'WEEKLY', 'MONTHLY'].includes(freqValue)) {
    throw new RecurrenceError(`FREQ=${freqValue} is not a frequency; use DAILY, WEEKLY or MONTHLY`);
  }
  let freq = freqValue.toLowerCase() as RecurrenceFrequency;

  const interval = values.has('INTERVAL')
    ? parseWholeNumber('INTERVAL', values.get('INTERVAL')!, 1, MAX_INTERVAL, '')
    : 1;
  const count = values.has('COUNT')
    ? parseWholeNumber('COUNT', values.get('COUNT')!, 1, MAX_COUNT, ' (use UNTIL or no end for longer series)')
    : undefined;
  const until = values.has('UNTIL') ? parseRRuleDate(values.get('UNTIL')!) : undefined;
  if (count !== undefined && until !== undefined) {
    throw new RecurrenceError('UNTIL and COUNT cannot be used together; choose one way to end the series');
  }

  const parts: RuleParts = { freq, interval };
  if (until) parts.until = until;
  if (count !== undefined) parts.count = count;

  const byDay = values.get('BYDAY');
  const byMonthDay = values.get('BYMONTHDAY');
  if (byDay !== undefined && byDay === '') throw new RecurrenceError('BYDAY is empty');

  if (freq === 'daily' && byDay !== undefined) {
    // FREQ=DAILY;BYDAY=MO,TU,… (a common way to say "every weekday") is the same set as a weekly rule.
    if (interval !== 1) {
      throw new RecurrenceError('BYDAY with FREQ=DAILY is supported only without INTERVAL; use FREQ=WEEKLY;BYDAY=…');
    }
    freq = 'weekly';
    parts.freq = freq;
  }
  if (byMonthDay !== undefined && freq !== 'monthly') {
    throw new RecurrenceError(`BYMONTHDAY is supported only with FREQ=MONTHLY`);
  }

  if (freq === 'weekly' && byDay !== undefined) {
    const codes = byDay.split(',').map((item) => {
      if (/^[+-]?\d/.test(item.trim())) {
        throw new RecurrenceError(`BYDAY=${byDay}: numbered weekdays such as "${item}" are supported only with FREQ=MONTHLY`);
      }
      return parseWeekdayCode(item.trim());
    });
    parts.byWeekday = WEEKDAY_CODES.filter((code) => codes.includes(code));
  }

  if (freq === 'monthly') {
    if (byDay !== undefined && byMonthDay !== undefined) {
      throw new RecurrenceError('Use either BYDAY or BYMONTHDAY with FREQ=MONTHLY, not both');
    }
    if (byDay !== undefined) {
      const match = /^([+-]?\d{1,2})([A-Za-z]{2})$/.exec(byDay.trim());
      if (!match) {
        throw new RecurrenceError(
          `BYDAY=${byDay} is not supported with FREQ=MONTHLY; use one numbered weekday such as 2TU (second Tuesday) or -1FR (last Friday)`,
        );
      }
      const nth = Number(match[1]);
      if (![1, 2, 3, 4, -1].includes(nth)) {
        throw new RecurrenceError(`BYDAY=${byDay}: only the first to fourth (1–4) or last (-1) weekday of a month is supported`);
      }
      parts.byNthWeekday = { nth, weekday: parseWeekdayCode(match[2]!) };
    }
    if (byMonthDay !== undefined) {
      if (!/^\+?\d{1,2}$/.test(byMonthDay) || Number(byMonthDay) < 1 || Number(byMonthDay) > 31) {
        throw new RecurrenceError(`BYMONTHDAY=${byMonthDay} is not supported; use one day of the month from 1 to 31`);
      }
      parts.byMonthDay = Number(byMonthDay);
    }
  }

  const weekStart = values.get('WKST');
  if (weekStart !== undefined) {
    const code = parseWeekdayCode(weekStart);
    // The week start only changes which days belong together when a multi-day weekly rule skips weeks.
    const matters = freq === 'weekly' && interval > 1 && (parts.byWeekday?.length ?? 1) > 1;
    if (code !== 'MO' && matters) throw new RecurrenceError(`WKST=${code} is not supported; weeks start on Monday (WKST=MO)`);
  }
  return parts;
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

function recurrenceFromParts(
  parts: RuleParts,
  start: LocalDateTimeFields | undefined,
  timeZone: string | undefined,
): Recurrence {
  const rule: Recurrence = { freq: parts.freq, interval: parts.interval };
  if (parts.byWeekday) rule.byWeekday = parts.byWeekday;
  if (parts.byNthWeekday) rule.monthlyBy = 'weekday';
  else if (parts.freq === 'monthly') rule.monthlyBy = 'date';
  if (parts.until) rule.until = untilLocalDate(parts.until, start, timeZone);
  if (parts.count !== undefined) rule.count = parts.count;
  return rule;
}

/**
 * Reads an RRULE as integrators send it ('RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10') into the
 * structured rule. Only crosstrain's subset is accepted; anything else throws RecurrenceError with
 * a message saying what to send instead.
 *
 * With `firstStartLocal` the rule is also checked against the first start (a monthly BYMONTHDAY
 * or numbered BYDAY must be the start's own), and UNTIL is turned into the exact last local date
 * on which an occurrence still starts; a UTC UNTIL (…Z) is read in `timeZone` when given.
 */
export function parseRRuleString(
  rrule: string,
  context: { firstStartLocal?: string; timeZone?: string } = {},
): Recurrence {
  const parts = parseRuleParts(rrule);
  const start = context.firstStartLocal !== undefined ? parseFirstStart(context.firstStartLocal) : undefined;
  const structured = recurrenceFromParts(parts, start, context.timeZone);
  if (start) {
    const expected = partsFromRecurrence(structured, start);
    if (parts.byMonthDay !== undefined && parts.byMonthDay !== expected.byMonthDay) {
      throw new RecurrenceError(
        `BYMONTHDAY=${parts.byMonthDay} does not match the first start on day ${start.day}; monthly series repeat on the first start's day of the month`,
      );
    }
    if (parts.byNthWeekday) {
      const want = expected.byNthWeekday!;
      if (want.nth !== parts.byNthWeekday.nth || want.weekday !== parts.byNthWeekday.weekday) {
        throw new RecurrenceError(
          `BYDAY=${parts.byNthWeekday.nth}${parts.byNthWeekday.weekday} does not match the first start ` +
            `${formatLocalDateFields(start)}, which is the ${ORDINAL_WORDS[want.nth]} ${WEEKDAY_NAMES[want.weekday]} of its month (BYDAY=${want.nth}${want.weekday})`,
        );
      }
    }
  }
  return structured;
}

/** Canonical form of an RRULE string (as `toRRuleString` would write it) for the given first start. */
export function normalizeRRuleString(rrule: string, firstStartLocal: string, timeZone?: string): string {
  const structured = parseRRuleString(rrule, { firstStartLocal, timeZone });
  return toRRuleString(structured, firstStartLocal);
}

/**
 * The rule for a series whose first start moves from `oldStartLocal` to `newStartLocal`, so that
 * the repeat pattern moves along: weekly days shift by the same number of days (MO,WE → TU,TH when
 * the start moves from Monday to Tuesday); monthly rules follow the new day or weekday; the end
 * (UNTIL date or COUNT) stays.
 */
export function moveRRuleStart(rrule: string, oldStartLocal: string, newStartLocal: string): string {
  const structured = parseRRuleString(rrule, { firstStartLocal: oldStartLocal });
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
  return `${fields.day} ${MONTH_ABBREVIATIONS[fields.month - 1]} ${fields.year}`;
}

/**
 * Human description: 'Every 2 weeks on Monday and Wednesday, until 31 Jan 2027'.
 * A UTC UNTIL is shown as its date in `timeZone` when given.
 */
export function describeRecurrence(rrule: string, timeZone?: string): string {
  const parts = parseRuleParts(rrule);
  const every = (unit: string, plural: string) => (parts.interval === 1 ? `Every ${unit}` : `Every ${parts.interval} ${plural}`);
  let text: string;
  if (parts.freq === 'daily') {
    text = every('day', 'days');
  } else if (parts.freq === 'weekly') {
    const days = parts.byWeekday;
    if (!days) text = every('week', 'weeks');
    else if (parts.interval === 1 && days.join(',') === 'MO,TU,WE,TH,FR') text = 'Every weekday (Monday to Friday)';
    else text = `${every('week', 'weeks')} on ${listInWords(days.map((d) => WEEKDAY_NAMES[d]))}`;
  } else if (parts.byNthWeekday) {
    const { nth, weekday } = parts.byNthWeekday;
    text = `${every('month', 'months')} on the ${ORDINAL_WORDS[nth]} ${WEEKDAY_NAMES[weekday]}`;
  } else if (parts.byMonthDay !== undefined) {
    text = `${every('month', 'months')} on day ${parts.byMonthDay}`;
  } else {
    text = every('month', 'months');
  }
  if (parts.until) {
    const local =
      parts.until.kind === 'utc'
        ? timeZone
          ? utcToZonedParts(parts.until.instant, timeZone)
          : fromFloatingDate(parts.until.instant)
        : parts.until.local;
    text += `, until ${formatDisplayDate(local)}`;
  }
  if (parts.count !== undefined) text += parts.count === 1 ? ', once' : `, ${parts.count} times`;
  return text;
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
    parts: series.rrule === null ? null : parseRuleParts(series.rrule),
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
const RRULE_FREQUENCIES = { daily: RRule.DAILY, weekly: RRule.WEEKLY, monthly: RRule.MONTHLY } as const;

function floatingUntil(until: RuleUntil, timeZone: string): Date {
  if (until.kind === 'utc') return toFloatingDate(utcToZonedParts(until.instant, timeZone));
  if (until.kind === 'date') return toFloatingDate({ ...until.local, hour: 23, minute: 59, second: 59 });
  return toFloatingDate(until.local);
}

function dayNumber(floating: Date): number {
  return Math.floor(floating.getTime() / DAY_MS);
}

/** Monday-based week number; day 4 since the epoch (1970-01-05) was a Monday. */
function weekNumber(floating: Date): number {
  return Math.floor((dayNumber(floating) - 4) / 7);
}

function monthNumber(floating: Date): number {
  return floating.getUTCFullYear() * 12 + floating.getUTCMonth();
}

/**
 * A start for rrule that lies in the last period (day, week or month, counted in steps of the
 * interval from the real first start) beginning at or before `low`. Iterating from there yields
 * the same occurrences after `low` as iterating from the first start, without walking years of
 * history. Rules with COUNT must count from the first start, so they are never moved.
 */
function alignedRuleStart(parts: RuleParts, first: Date, low: Date): Date {
  if (parts.count !== undefined || low.getTime() <= first.getTime()) return first;
  const timeOfDayMs = first.getTime() - dayNumber(first) * DAY_MS;
  if (parts.freq === 'daily') {
    const periods = Math.floor((dayNumber(low) - dayNumber(first)) / parts.interval) * parts.interval;
    return periods <= 0 ? first : new Date(first.getTime() + periods * DAY_MS);
  }
  if (parts.freq === 'weekly') {
    const periods = Math.floor((weekNumber(low) - weekNumber(first)) / parts.interval) * parts.interval;
    if (periods <= 0) return first;
    const mondayDay = (weekNumber(first) + periods) * 7 + 4;
    return new Date(mondayDay * DAY_MS + timeOfDayMs);
  }
  const periods = Math.floor((monthNumber(low) - monthNumber(first)) / parts.interval) * parts.interval;
  if (periods <= 0) return first;
  const month = monthNumber(first) + periods;
  const firstOfMonth = toFloatingDate({ year: Math.floor(month / 12), month: (month % 12) + 1, day: 1, hour: 0, minute: 0, second: 0 });
  return new Date(firstOfMonth.getTime() + timeOfDayMs);
}

function buildRRule(parts: RuleParts, dtstart: Date, timeZone: string, first: Date) {
  const options: Partial<RRuleOptions> = {
    freq: RRULE_FREQUENCIES[parts.freq],
    interval: parts.interval,
    dtstart,
    wkst: RRule.MO,
  };
  const firstFields = fromFloatingDate(first);
  if (parts.freq === 'weekly') {
    options.byweekday = (parts.byWeekday ?? [weekdayCodeOfLocal(firstFields)]).map((code) => WEEKDAY_OBJECTS[code]);
  }
  if (parts.freq === 'monthly') {
    if (parts.byNthWeekday) options.byweekday = [WEEKDAY_OBJECTS[parts.byNthWeekday.weekday].nth(parts.byNthWeekday.nth)];
    else options.bymonthday = [parts.byMonthDay ?? firstFields.day];
  }
  if (parts.until) options.until = floatingUntil(parts.until, timeZone);
  if (parts.count !== undefined) options.count = parts.count;
  return new RRule(options, true);
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
  const dtstart = alignedRuleStart(series.parts, series.firstFloating, lowFloating);
  const rule = buildRRule(series.parts, dtstart, series.timeZone, series.firstFloating);
  const after = lowFloating.getTime() > dtstart.getTime() ? lowFloating : dtstart;
  return rule.between(after, highFloating, true, (_date, found) => found < limit).map(toOccurrence);
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
  const match = ruleOccurrencesBetween(series, range.low, range.high, 10).find(
    (occurrence) => occurrence.start.getTime() === originalStart.getTime(),
  );
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
  let span = DAY_MS * (series.parts === null ? 1 : series.parts.freq === 'daily' ? 1 : series.parts.freq === 'weekly' ? 7 : 31) *
    (series.parts?.interval ?? 1) + 2 * DAY_MS;
  for (;;) {
    const low = new Date(Math.max(high.getTime() - span, series.firstFloating.getTime() - DAY_MS));
    const before = ruleOccurrencesBetween(series, low, high, MAX_COUNT * 10).filter(
      (occurrence) => occurrence.start.getTime() < instant.getTime(),
    );
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

/**
 * End of the last occurrence the rule produces (ignoring exceptions), or null when the series
 * never ends. A one-off event ends `durationMinutes` after its start.
 */
export function lastOccurrenceEnd(series: SeriesTiming): Date | null {
  const compiled = compileSeries(series);
  const endOf = (occurrence: RuleOccurrence | undefined | null) =>
    occurrence ? new Date(occurrence.start.getTime() + compiled.durationMs) : null;
  if (compiled.parts === null) return new Date(compiled.firstStart.getTime() + compiled.durationMs);
  if (compiled.parts.count !== undefined) {
    const rule = buildRRule(compiled.parts, compiled.firstFloating, compiled.timeZone, compiled.firstFloating);
    const all = rule.all((_date, found) => found < MAX_COUNT);
    const last = all[all.length - 1];
    return last ? endOf({ floating: last, start: zonedLocalToUtc(fromFloatingDate(last), compiled.timeZone) }) : null;
  }
  if (compiled.parts.until) {
    const afterUntil = new Date(floatingUntil(compiled.parts.until, compiled.timeZone).getTime() + 2 * DAY_MS);
    return endOf(lastRuleOccurrenceBefore(compiled, zonedLocalToUtc(fromFloatingDate(afterUntil), compiled.timeZone)));
  }
  return null;
}

export type SeriesSplit = {
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
  return `${eventId}_${formatUtcRRuleDate(new Date(Math.floor(originalStart.getTime() / 1000) * 1000))}`;
}

/** Reverse of `occurrenceKey`; null when the key is malformed. */
export function parseOccurrenceKey(key: string): { eventId: string; originalStart: Date } | null {
  const match = /^(.+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(key);
  if (!match) return null;
  const iso = `${match[2]}-${match[3]}-${match[4]}T${match[5]}:${match[6]}:${match[7]}`;
  if (!tryParseLocalDateTime(iso)) return null;
  return { eventId: match[1]!, originalStart: new Date(`${iso}Z`) };
}
