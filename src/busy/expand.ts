/**
 * Busy intervals of an outside calendar (what Google or Outlook publish at a private ICS address),
 * expanded with ical.js inside a window. Pure: text in, spans out. Nothing else of an event — title,
 * place, attendees, description — leaves this function.
 *
 * Times are read the way calendar programs read them: a TZID is first an IANA zone (Google), then
 * the calendar's own VTIMEZONE block (Outlook's "W. Europe Standard Time"), then a known Windows
 * zone name; times without a zone (floating) and all-day dates are the person's own zone.
 */
import ICAL from 'ical.js';
import { addDaysToLocalDate, isValidTimeZone, startOfLocalDate, zonedLocalToUtc } from '../lib/time';

type BusyInterval = { start: Date; end: Date };
type ExpandOptions = {
  /** The person's zone: all-day events and floating times are read in it. */
  timeZone: string;
  from: Date;
  to: Date;
  /** The person's own addresses: events they declined there are not busy. */
  ownEmails?: string[];
  maxIntervals?: number;
};
type Expansion = { intervals: BusyInterval[]; truncated: boolean };

export class NotACalendarError extends Error {}

/** Intervals kept per calendar (after merging overlaps); the nearest ones win. */
const MAX_INTERVALS = 5000;
/** Recurrence steps per event and per calendar: a rule from 1970 is still read, an absurd one is cut off. */
const MAX_STEPS_PER_EVENT = 40_000;
const MAX_STEPS_PER_CALENDAR = 200_000;
const DAY_MS = 86_400_000;

/** Windows zone names Exchange and Outlook write as TZID when a feed omits its VTIMEZONE block. */
const WINDOWS_ZONES: Record<string, string> = {
  UTC: 'UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'Romance Standard Time': 'Europe/Paris',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'GTB Standard Time': 'Europe/Bucharest',
  'Russian Standard Time': 'Europe/Moscow',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'US Mountain Standard Time': 'America/Phoenix',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Alaskan Standard Time': 'America/Anchorage',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Atlantic Standard Time': 'America/Halifax',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'India Standard Time': 'Asia/Kolkata',
  'China Standard Time': 'Asia/Shanghai',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Singapore Standard Time': 'Asia/Singapore',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Arabian Standard Time': 'Asia/Dubai',
  'Israel Standard Time': 'Asia/Jerusalem',
  'South Africa Standard Time': 'Africa/Johannesburg',
};

type Time = ICAL.Time;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dateOf = (t: Time) => `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
const fieldsOf = (t: Time) => ({ year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second });

function zoneNameOf(t: Time): string | null {
  const zone = t.zone as ICAL.Timezone | undefined;
  if (zone && zone !== ICAL.Timezone.localTimezone && zone.tzid && zone.tzid !== 'floating') return zone.tzid;
  return (t as unknown as { timezone?: string }).timezone ?? null;
}

/** The instant of a DATE-TIME (or of local midnight of a DATE in the person's zone), in ms. */
function instantOf(t: Time, personZone: string): number {
  if (t.isDate) return startOfLocalDate(dateOf(t), personZone).getTime();
  const zone = t.zone as ICAL.Timezone | undefined;
  if (zone === ICAL.Timezone.utcTimezone) return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  const tzid = zoneNameOf(t);
  if (tzid && isValidTimeZone(tzid)) return zonedLocalToUtc(fieldsOf(t), tzid).getTime();
  // A VTIMEZONE block of the calendar itself (Outlook writes Windows names with one).
  if (tzid && zone && (zone as unknown as { component?: unknown }).component) return t.toUnixTime() * 1000;
  const windows = tzid ? WINDOWS_ZONES[tzid.replace(/^"|"$/g, '')] : undefined;
  return zonedLocalToUtc(fieldsOf(t), windows ?? personZone).getTime();
}

const textOf = (event: ICAL.Component, name: string) =>
  String(event.getFirstPropertyValue(name) ?? '')
    .trim()
    .toUpperCase();

/** Not busy: free time (TRANSP:TRANSPARENT), cancelled, or declined by the person themselves. */
function isFree(event: ICAL.Component, ownEmails: Set<string>): boolean {
  if (textOf(event, 'transp') === 'TRANSPARENT' || textOf(event, 'status') === 'CANCELLED') return true;
  // Outlook's "Show as: Free" (Exchange writes it beside TRANSP, not always with it).
  if (textOf(event, 'x-microsoft-cdo-busystatus') === 'FREE') return true;
  if (ownEmails.size === 0) return false;
  return event.getAllProperties('attendee').some((attendee) => {
    const address = String(attendee.getFirstValue() ?? '')
      .replace(/^mailto:/i, '')
      .trim()
      .toLowerCase();
    return ownEmails.has(address) && String(attendee.getParameter('partstat') ?? '').toUpperCase() === 'DECLINED';
  });
}

type Span = { days: number } | { ms: number };

/** How long each occurrence lasts: whole days for all-day events, else milliseconds. */
function spanOf(event: ICAL.Component, start: Time, personZone: string): Span | null {
  const end = event.getFirstPropertyValue('dtend') as Time | null;
  const duration = event.getFirstPropertyValue('duration') as ICAL.Duration | null;
  if (start.isDate) {
    if (end?.isDate) return { days: Math.max(1, Math.round((Date.parse(dateOf(end)) - Date.parse(dateOf(start))) / DAY_MS)) };
    if (duration) return { days: Math.max(1, Math.ceil(duration.toSeconds() / 86_400)) };
    return { days: 1 };
  }
  if (end) return { ms: instantOf(end, personZone) - instantOf(start, personZone) };
  if (duration) return { ms: duration.toSeconds() * 1000 };
  // A DATE-TIME start alone takes no time (RFC 5545 §3.6.1): it blocks nothing.
  return null;
}

function intervalAt(occurrence: Time, span: Span, personZone: string): BusyInterval | null {
  if ('days' in span) {
    const date = dateOf(occurrence);
    return { start: startOfLocalDate(date, personZone), end: startOfLocalDate(addDaysToLocalDate(date, span.days), personZone) };
  }
  if (span.ms <= 0) return null;
  const start = instantOf(occurrence, personZone);
  return { start: new Date(start), end: new Date(start + span.ms) };
}

const valuesOf = (event: ICAL.Component, name: string): Time[] =>
  event
    .getAllProperties(name)
    .flatMap((p) => p.getValues() as unknown[])
    .map((v) => (v instanceof ICAL.Period ? v.start : v) as Time)
    .filter((v): v is Time => v instanceof ICAL.Time);

/** Merges overlapping or touching spans, sorted by start. */
function merge(intervals: BusyInterval[]): BusyInterval[] {
  const sorted = [...intervals].sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: BusyInterval[] = [];
  for (const interval of sorted) {
    const last = out[out.length - 1];
    if (last && interval.start.getTime() <= last.end.getTime()) {
      if (interval.end > last.end) last.end = interval.end;
    } else out.push({ start: interval.start, end: interval.end });
  }
  return out;
}

function parseCalendarText(text: string): ICAL.Component {
  if (!/BEGIN:VCALENDAR/i.test(text.slice(0, 4096))) throw new NotACalendarError('The address does not answer with a calendar (no BEGIN:VCALENDAR).');
  try {
    const root = new ICAL.Component(ICAL.parse(text) as unknown[]);
    if (root.name !== 'vcalendar') throw new NotACalendarError('The answer is not an iCalendar VCALENDAR.');
    return root;
  } catch (err) {
    if (err instanceof NotACalendarError) throw err;
    throw new NotACalendarError(`The calendar could not be read: ${err instanceof Error ? err.message.slice(0, 200) : 'unreadable'}.`);
  }
}

/**
 * Busy intervals of the calendar overlapping [from, to): series (RRULE, RDATE, EXDATE) with their
 * moved or cancelled occurrences (RECURRENCE-ID), all-day events, time zones; free, cancelled
 * and declined events left out. Overlaps are merged; at most `maxIntervals`, the earliest first.
 */
export function expandBusyIntervals(text: string, options: ExpandOptions): Expansion {
  const root = parseCalendarText(text);
  const zone = options.timeZone;
  const from = options.from.getTime();
  const to = options.to.getTime();
  const ownEmails = new Set((options.ownEmails ?? []).map((e) => e.toLowerCase()));
  const byUid = new Map<string, { masters: ICAL.Component[]; overrides: ICAL.Component[] }>();
  root.getAllSubcomponents('vevent').forEach((event, i) => {
    const uid = String(event.getFirstPropertyValue('uid') ?? `no-uid-${i}`);
    const group = byUid.get(uid) ?? { masters: [], overrides: [] };
    (event.hasProperty('recurrence-id') ? group.overrides : group.masters).push(event);
    byUid.set(uid, group);
  });

  const found: BusyInterval[] = [];
  let truncated = false;
  let stepsLeft = MAX_STEPS_PER_CALENDAR;
  const keep = (interval: BusyInterval | null) => {
    if (interval && interval.start.getTime() < to && interval.end.getTime() > from) found.push(interval);
  };

  for (const { masters, overrides } of byUid.values()) {
    // Occurrences replaced by an override, by their original instant.
    const replaced = new Set<number>();
    for (const override of overrides) {
      try {
        const recurrenceId = override.getFirstPropertyValue('recurrence-id') as Time;
        replaced.add(instantOf(recurrenceId, zone));
        const start = override.getFirstPropertyValue('dtstart') as Time | null;
        if (!start || isFree(override, ownEmails)) continue;
        const span = spanOf(override, start, zone);
        if (span) keep(intervalAt(start, span, zone));
      } catch {
        // One unreadable event does not cost the person the rest of their calendar.
      }
    }
    for (const master of masters) {
      try {
        const start = master.getFirstPropertyValue('dtstart') as Time | null;
        if (!start || isFree(master, ownEmails)) continue;
        const span = spanOf(master, start, zone);
        if (!span) continue;
        const exInstants = new Set(valuesOf(master, 'exdate').map((t) => instantOf(t, zone)));
        const exDates = new Set(
          valuesOf(master, 'exdate')
            .filter((t) => t.isDate)
            .map(dateOf),
        );
        const skip = (t: Time) => {
          const at = instantOf(t, zone);
          return replaced.has(at) || exInstants.has(at) || exDates.has(dateOf(t));
        };
        const rules = master.getAllProperties('rrule').map((p) => p.getFirstValue() as ICAL.Recur);
        const seen = new Set<number>();
        const add = (t: Time) => {
          const at = instantOf(t, zone);
          if (seen.has(at) || skip(t)) return;
          seen.add(at);
          keep(intervalAt(t, span, zone));
        };
        if (rules.length === 0) add(start);
        for (const rule of rules) {
          const iterator = rule.iterator(start);
          let steps = 0;
          for (let next = iterator.next(); next; next = iterator.next()) {
            if (++steps > MAX_STEPS_PER_EVENT || --stepsLeft <= 0) {
              truncated = true;
              break;
            }
            // Wall-clock time read as UTC is within a day of the instant: stop well past the window.
            const wall = Date.UTC(next.year, next.month - 1, next.day);
            if (wall > to + 2 * DAY_MS) break;
            // Long before the window: no instant needed (an all-day span may reach into it, so keep a margin).
            if ('days' in span ? wall + (span.days + 2) * DAY_MS < from : wall + span.ms + 2 * DAY_MS < from) continue;
            add(next);
          }
        }
        for (const rdate of valuesOf(master, 'rdate')) add(rdate);
      } catch {
        // As above: skip the one event.
      }
    }
  }

  const merged = merge(found);
  const max = options.maxIntervals ?? MAX_INTERVALS;
  return { intervals: merged.slice(0, max), truncated: truncated || merged.length > max };
}
