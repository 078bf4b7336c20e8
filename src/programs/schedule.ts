// Due dates and review cycles of programs.
//
// Every date here is a local calendar date 'YYYY-MM-DD' in the person's time
// zone. Calendar arithmetic is done on UTC midnights so that the process time
// zone never leaks in; only `dueInstant` / `startOfLocalDay` turn a local date
// into a real instant, and they do it with Intl, not with the Date's local zone.
import rrulePackage, { type Options as RRuleOptions } from 'rrule';
import { addDaysToLocalDate, daysBetween, formatLocalDate, parseLocalDate, startOfLocalDate } from '../lib/time';

// rrule ships a UMD bundle as its Node entry point, so named ESM imports fail
// at runtime; the default import carries the whole namespace.
const { RRule } = rrulePackage;

export type LocalDate = string;

export interface Cycle {
  /** 0 for the first cycle at or after the anchor date, counting on from there. */
  index: number;
  start: LocalDate;
  /** Last day of the cycle: the day before the next cycle starts. */
  end: LocalDate;
}

/** The UTC midnight carrying the same calendar date; only for calendar arithmetic. */
function utcMidnightOf(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  return Date.UTC(year, month - 1, day);
}

function formatUtcDate(epochMs: number): LocalDate {
  return new Date(epochMs).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be a whole number, got ${days}`);
  return addDaysToLocalDate(date, days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier): the calendar's own count. */
export { daysBetween };

export function onboardingDueDate(hireDate: LocalDate, offsetDays: number): LocalDate {
  return addDays(hireDate, offsetDays);
}

export function cycleDueDate(cycle: Pick<Cycle, 'start'>, offsetDays: number): LocalDate {
  return addDays(cycle.start, offsetDays);
}

// ---------------------------------------------------------------------------
// Time zones (the Intl arithmetic lives in src/lib/time.ts)

/** The local calendar date in `timeZone` at the given instant. */
export function localDateAt(instant: Date, timeZone: string): LocalDate {
  return formatLocalDate(instant, timeZone);
}

/**
 * The first instant of a local day. Usually local midnight; where a zone skips
 * midnight (a DST change at 00:00) it is the first existing moment of that day.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  return startOfLocalDate(date, timeZone);
}

/** A due date means "by the end of that local day": the instant the next local day begins. */
export function dueInstant(dueDate: LocalDate, timeZone: string): Date {
  return startOfLocalDate(addDays(dueDate, 1), timeZone);
}

/** Instants a requirement's evidence must fall in: `from` inclusive, `until` exclusive. */
export interface EvidenceWindow {
  from: Date;
  until?: Date;
}

export function onboardingWindow(hireDate: LocalDate, timeZone: string): EvidenceWindow {
  return { from: startOfLocalDay(hireDate, timeZone) };
}

export function cycleWindow(cycle: Pick<Cycle, 'start' | 'end'>, timeZone: string): EvidenceWindow {
  return { from: startOfLocalDay(cycle.start, timeZone), until: dueInstant(cycle.end, timeZone) };
}

// ---------------------------------------------------------------------------
// Review rhythms

const SUB_DAILY = new Set([RRule.HOURLY, RRule.MINUTELY, RRule.SECONDLY]);

function asArray<T>(value: T | T[] | null | undefined): T[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Parses a review rhythm such as `FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1`.
 * Throws RangeError with a readable message when the rule cannot drive cycles.
 */
function parseReviewRule(rule: string): Partial<RRuleOptions> {
  // The anchor date is the rhythm's start, so a DTSTART line is dropped; only the RRULE line counts.
  const lines = rule
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^DTSTART[:;]/i.test(line));
  if (lines.length !== 1) throw new RangeError('a review rhythm is one RRULE line (e.g. FREQ=MONTHLY;INTERVAL=3)');
  const text = lines[0].replace(/^RRULE:/i, '');
  if (!/(^|;)FREQ=/i.test(text)) throw new RangeError('a review rhythm needs FREQ (e.g. FREQ=MONTHLY;INTERVAL=3)');
  let options: Partial<RRuleOptions>;
  try {
    options = RRule.parseString(text);
  } catch (error) {
    throw new RangeError(`not a recurrence rule: ${(error as Error).message}`);
  }
  if (options.freq === undefined || options.freq === null) throw new RangeError('a review rhythm needs FREQ');
  if (SUB_DAILY.has(options.freq)) throw new RangeError('review cycles are whole days: use DAILY, WEEKLY, MONTHLY or YEARLY');
  if (options.interval !== undefined && (!Number.isInteger(options.interval) || options.interval < 1)) {
    throw new RangeError('INTERVAL must be a positive whole number');
  }
  delete options.dtstart;
  delete options.tzid;
  delete options.byhour;
  delete options.byminute;
  delete options.bysecond;
  return options;
}

/** Returns null when the rule is a usable review rhythm, otherwise why not. */
export function reviewRuleProblem(rule: string): string | null {
  try {
    parseReviewRule(rule);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * RFC 5545 skips months that lack the requested day, so "quarterly from 31 Jan"
 * would silently jump from January to July. A review cycle must never vanish,
 * so a day past the 28th means "that day, or the month's last day if shorter".
 */
function clampMonthEnds(options: Partial<RRuleOptions>, anchor: { month: number; day: number }): Partial<RRuleOptions> {
  const anchorDay = anchor.day;
  const monthly = options.freq === RRule.MONTHLY || options.freq === RRule.YEARLY;
  if (!monthly) return options;
  const hasDayFilters =
    asArray(options.byweekday).length > 0 ||
    asArray(options.bysetpos).length > 0 ||
    asArray(options.byyearday).length > 0 ||
    asArray(options.byweekno).length > 0;
  if (hasDayFilters) return options;
  const monthDays = asArray(options.bymonthday);
  if (options.freq === RRule.YEARLY && monthDays.length === 0 && asArray(options.bymonth).length === 0 && anchor.month === 2 && anchorDay === 29) {
    // A 29 February anchor falls on 28 February in common years.
    return { ...options, bymonth: [2], bymonthday: [29, -1], bysetpos: [1] };
  }
  if (options.freq === RRule.YEARLY) return options;
  const day = monthDays.length === 0 ? anchorDay : monthDays.length === 1 ? monthDays[0] : null;
  if (day === null || day <= 28) return options;
  return { ...options, bymonthday: [day, -1], bysetpos: [1] };
}

function floatingDate(date: LocalDate): Date {
  return new Date(utcMidnightOf(date));
}

function buildRhythm(rule: string, anchorDate: LocalDate, withLimits: boolean): InstanceType<typeof RRule> {
  const parsed = parseReviewRule(rule);
  const options = clampMonthEnds(parsed, parseLocalDate(anchorDate));
  if (!withLimits) {
    delete options.count;
    delete options.until;
  }
  // No tzid: rrule then computes in "floating" UTC fields, independent of the process zone.
  return new RRule({ ...options, dtstart: floatingDate(anchorDate), tzid: null });
}

/**
 * Cycles of a review program that overlap the inclusive range [from, to].
 * Cycle i runs from its start to the day before cycle i+1 starts; the last
 * cycle of a rule with COUNT/UNTIL ends where the rhythm would have continued.
 */
export function reviewCycles(rule: string, anchorDate: LocalDate, from: LocalDate, to: LocalDate): Cycle[] {
  if (daysBetween(from, to) < 0) return [];
  const limited = buildRhythm(rule, anchorDate, true);
  const unlimited = buildRhythm(rule, anchorDate, false);
  const starts = limited.between(floatingDate(anchorDate), floatingDate(to), true).map((d) => formatUtcDate(d.getTime()));
  const cycles: Cycle[] = [];
  for (let index = 0; index < starts.length; index++) {
    const start = starts[index];
    let nextStart = starts[index + 1];
    if (nextStart === undefined) {
      const following = unlimited.after(floatingDate(start), false);
      if (!following) throw new RangeError(`the rhythm ${rule} has no cycle after ${start}`);
      nextStart = formatUtcDate(following.getTime());
    }
    const end = addDays(nextStart, -1);
    if (daysBetween(from, end) >= 0) cycles.push({ index, start, end });
  }
  return cycles;
}

/** The cycle that contains `date`, or null before the first cycle or after a finite rhythm ended. */
export function cycleOn(rule: string, anchorDate: LocalDate, date: LocalDate): Cycle | null {
  return reviewCycles(rule, anchorDate, date, date)[0] ?? null;
}
