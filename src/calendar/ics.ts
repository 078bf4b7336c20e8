/**
 * An RFC 5545 iCalendar writer: VCALENDAR with VEVENTs, VTIMEZONEs built from the IANA zone's
 * real transitions, RRULE/EXDATE series with RECURRENCE-ID overrides, all-day events and VALARMs.
 *
 * Pure: no I/O, no clock. Everything zoned goes through src/lib/time, so the output is the same
 * whatever the server's own TZ is.
 */
import { dateTimeFormat, formatLocal, timeZoneOffsetMinutes } from '../lib/time';

export type IcsTiming =
  | {
      kind: 'timed';
      start: Date;
      end: Date;
      /** IANA zone the event is written in (DTSTART;TZID=…). */
      timeZone: string;
      /**
       * Wall-clock start as the series stores it ('2026-03-09T09:00'). Only needed when it differs
       * from the local time of `start`, i.e. a series whose first start falls in a DST gap.
       */
      startLocal?: string;
    }
  /** `endDate` is exclusive, as DTEND;VALUE=DATE is: a one-day event on 3 March ends on 4 March. */
  | { kind: 'allDay'; startDate: string; endDate: string };

export type IcsAlarm = { minutesBefore: number; description: string };

export type IcsEvent = {
  uid: string;
  /** Bumped on every change clients must notice (time, place, title, cancellation). */
  sequence: number;
  /** DTSTAMP: when this version of the event was last written. */
  stamp: Date;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  /** True for things that should not block the person's free/busy time (e.g. rotations). */
  transparent?: boolean;
  categories?: string[];
  timing: IcsTiming;
  /** RRULE value with UNTIL in UTC (see toICalendarRRule); the event is then the series master. */
  rrule?: string;
  /** Starts of a series given one by one instead of by RRULE (rules calendar programs misread). */
  rdates?: Date[];
  /** Original starts of cancelled occurrences of the series. */
  exdates?: Date[];
  /** Original start of the occurrence this VEVENT overrides (same UID as its master). */
  recurrenceId?: Date;
  /** iMIP (RFC 6047): who organizes (where answers go) and who is asked. */
  organizer?: IcsPerson;
  attendees?: (IcsPerson & { partstat: 'NEEDS-ACTION' | 'ACCEPTED' | 'TENTATIVE' | 'DECLINED'; rsvp: boolean })[];
  alarm?: IcsAlarm | null;
};

export type IcsPerson = { email: string; name?: string };

type IcsCalendar = {
  name?: string;
  description?: string;
  /** METHOD:PUBLISH for downloads, REQUEST/CANCEL for invitation mail (iMIP); feeds leave it out. */
  method?: 'PUBLISH' | 'REQUEST' | 'CANCEL';
  /** How often subscribers should refresh, in minutes. */
  refreshMinutes?: number;
  events: IcsEvent[];
  /**
   * The window the calendar serves: time zone definitions cover only the years the events touch
   * inside it (a series running to 9999 must not list eight thousand years of DST changes), and
   * series without an end are covered up to `zonesUntil`. Clients that do not know the IANA zone
   * keep the last observance in force after it.
   */
  zonesFrom?: Date;
  zonesUntil?: Date;
};

/** Whatever the window asked for, no VTIMEZONE lists more years than this. */
export const MAX_ZONE_YEARS = 12;

const PRODUCT_ID = '-//crosstrain//crosstrain calendar 1.0//EN';
const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// ── text ───────────────────────────────────────────────────────────────────

/** TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines. */
export function escapeText(value: string): string {
  return (
    value
      .replace(/\r\n?/g, '\n')
      .replace(/[\\;,]/g, (ch) => `\\${ch}`)
      .replace(/\n/g, '\\n')
      // Other control characters are not allowed in content lines.
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
  );
}

/**
 * Folds a content line so no physical line exceeds 75 octets of UTF-8: continuation lines begin
 * with one space. Splits only between code points, never inside a multi-byte character.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= MAX_LINE_OCTETS) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  // The first physical line holds 75 octets; continuations hold 74 after their leading space.
  let limit = MAX_LINE_OCTETS;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = MAX_LINE_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** A parameter value, quoted when it holds characters that would end it; DQUOTE is not allowed at all. */
function paramValue(value: string): string {
  const clean = value.replace(/["\r\n\u0000-\u001f]/g, '');
  return /[;:,]/.test(clean) ? `"${clean}"` : clean;
}

// ── dates ──────────────────────────────────────────────────────────────────

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** 20260309T140000Z */
function formatUtcDateTime(instant: Date): string {
  return `${pad(instant.getUTCFullYear(), 4)}${pad(instant.getUTCMonth() + 1)}${pad(instant.getUTCDate())}T${pad(instant.getUTCHours())}${pad(
    instant.getUTCMinutes(),
  )}${pad(instant.getUTCSeconds())}Z`;
}

/** 'YYYY-MM-DDTHH:mm[:ss]' → 20260309T090000 */
function compactLocal(local: string): string {
  const [date, time] = local.split('T');
  const [h, m, s] = time!.split(':');
  return `${date!.replace(/-/g, '')}T${h}${m}${s ?? '00'}`;
}

/** The wall-clock time of an instant in a zone, as a DATE-TIME value without Z: 20260309T090000 */
function formatZonedDateTime(instant: Date, timeZone: string): string {
  return compactLocal(formatLocal(instant, timeZone, true));
}

function formatDateValue(localDate: string): string {
  return localDate.replace(/-/g, '');
}

/** +0100, -0430 */
function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;
}

function formatDuration(ms: number): string {
  const totalMinutes = Math.round(ms / MINUTE_MS);
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  let out = 'P';
  if (days) out += `${days}D`;
  if (hours || minutes || !days) {
    out += 'T';
    if (hours) out += `${hours}H`;
    if (minutes || !hours) out += `${minutes}M`;
  }
  return out;
}

// ── time zones ─────────────────────────────────────────────────────────────

type ZoneTransition = { at: Date; offsetFrom: number; offsetTo: number };

const transitionCache = new Map<string, ZoneTransition[]>();

/**
 * Every change of the zone's UTC offset within the given calendar years (UTC), found by sampling
 * the offset daily and bisecting each change to the minute. Results are cached per zone and year.
 */
export function zoneTransitions(timeZone: string, fromYear: number, toYear: number): ZoneTransition[] {
  const out: ZoneTransition[] = [];
  for (let year = fromYear; year <= toYear; year++) {
    const key = `${timeZone}|${year}`;
    let yearly = transitionCache.get(key);
    if (!yearly) {
      yearly = transitionsOfYear(timeZone, year);
      if (transitionCache.size > 5000) transitionCache.clear();
      transitionCache.set(key, yearly);
    }
    out.push(...yearly);
  }
  return out;
}

function transitionsOfYear(timeZone: string, year: number): ZoneTransition[] {
  const offsetAt = (ms: number) => timeZoneOffsetMinutes(new Date(ms), timeZone);
  const yearStart = Date.UTC(year, 0, 1);
  const yearEnd = Date.UTC(year + 1, 0, 1);
  const found: ZoneTransition[] = [];
  // Weekly samples find every change of offset that lasts longer than a week (all real DST rules);
  // each week with a change is walked day by day, then bisected to the minute.
  const step = (fromMs: number, toMs: number, stepMs: number, onChange: (lowMs: number, highMs: number) => void) => {
    let previousMs = fromMs;
    let previousOffset = offsetAt(previousMs);
    for (let ms = Math.min(fromMs + stepMs, toMs); ; ms = Math.min(ms + stepMs, toMs)) {
      const offset = offsetAt(ms);
      if (offset !== previousOffset) onChange(previousMs, ms);
      previousMs = ms;
      previousOffset = offset;
      if (ms >= toMs) break;
    }
  };
  step(yearStart, yearEnd, 7 * DAY_MS, (weekLow, weekHigh) =>
    step(weekLow, weekHigh, DAY_MS, (dayLow, dayHigh) => {
      const offsetFrom = offsetAt(dayLow);
      const offsetTo = offsetAt(dayHigh);
      // The offset at `low` is the old one, at `high` the new one; narrow down to a minute.
      let low = dayLow;
      let high = dayHigh;
      while (high - low > MINUTE_MS) {
        const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
        if (offsetAt(middle) === offsetFrom) low = middle;
        else high = middle;
      }
      // A transition exactly at the next year's first instant belongs to that year.
      if (high < yearEnd) found.push({ at: new Date(high), offsetFrom, offsetTo });
    }),
  );
  return found;
}

const ZONE_NAME: Intl.DateTimeFormatOptions = { timeZoneName: 'short' };

function zoneAbbreviation(instant: Date, timeZone: string): string | null {
  const name = dateTimeFormat('en-US', ZONE_NAME, timeZone)
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')?.value;
  // ICU falls back to "GMT+1" where the zone has no letters of its own; TZNAME is optional then.
  return name && /^[A-Z]{2,6}$/.test(name) ? name : null;
}

/** The local wall-clock time of an instant read with a fixed offset: 20260308T020000 */
function localWithOffset(instant: Date, offsetMinutes: number): string {
  return formatUtcDateTime(new Date(instant.getTime() + offsetMinutes * MINUTE_MS)).slice(0, -1);
}

/**
 * A VTIMEZONE for an IANA zone covering the given years: one observance for the offset in force
 * on 1 January of `fromYear`, then one STANDARD or DAYLIGHT observance per real transition.
 */
export function buildVTimezone(timeZone: string, fromYear: number, toYear: number): string[] {
  const key = `${timeZone}|${fromYear}|${toYear}`;
  let lines = vtimezoneCache.get(key);
  if (!lines) {
    lines = vtimezoneLines(timeZone, fromYear, toYear);
    if (vtimezoneCache.size > 2000) vtimezoneCache.clear();
    vtimezoneCache.set(key, lines);
  }
  return [...lines];
}

const vtimezoneCache = new Map<string, string[]>();

function vtimezoneLines(timeZone: string, fromYear: number, toYear: number): string[] {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`];
  const rangeStart = new Date(Date.UTC(fromYear, 0, 1));
  const initialOffset = timeZoneOffsetMinutes(rangeStart, timeZone);
  const transitions = zoneTransitions(timeZone, fromYear, toYear);
  // Southern-hemisphere zones are on daylight time in January: the year's smaller offset is standard.
  const julyOffset = timeZoneOffsetMinutes(new Date(Date.UTC(fromYear, 6, 1)), timeZone);
  const initialKind = initialOffset > Math.min(initialOffset, julyOffset) ? 'DAYLIGHT' : 'STANDARD';
  const observance = (kind: string, start: string, from: number, to: number, name: string | null) => {
    lines.push(`BEGIN:${kind}`, `DTSTART:${start}`, `TZOFFSETFROM:${formatOffset(from)}`, `TZOFFSETTO:${formatOffset(to)}`);
    if (name) lines.push(`TZNAME:${name}`);
    lines.push(`END:${kind}`);
  };
  observance(initialKind, localWithOffset(rangeStart, initialOffset), initialOffset, initialOffset, zoneAbbreviation(rangeStart, timeZone));
  for (const t of transitions) {
    // DTSTART of an observance is its onset read on the clock of the offset it replaces.
    observance(
      t.offsetTo > t.offsetFrom ? 'DAYLIGHT' : 'STANDARD',
      localWithOffset(t.at, t.offsetFrom),
      t.offsetFrom,
      t.offsetTo,
      zoneAbbreviation(t.at, timeZone),
    );
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

// ── events ─────────────────────────────────────────────────────────────────

function zonedProperty(name: string, instant: Date, timeZone: string): string {
  return `${name};TZID=${paramValue(timeZone)}:${formatZonedDateTime(instant, timeZone)}`;
}

function eventLines(event: IcsEvent): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${event.uid}`, `DTSTAMP:${formatUtcDateTime(event.stamp)}`, `SEQUENCE:${Math.max(0, Math.floor(event.sequence))}`];
  const timing = event.timing;
  if (timing.kind === 'timed') {
    const start = timing.startLocal ? compactLocal(timing.startLocal) : formatZonedDateTime(timing.start, timing.timeZone);
    lines.push(`DTSTART;TZID=${paramValue(timing.timeZone)}:${start}`);
    if (event.rrule || event.rdates) {
      // Every occurrence lasts exactly as long as the first; DURATION says so without wall-clock ambiguity.
      lines.push(`DURATION:${formatDuration(timing.end.getTime() - timing.start.getTime())}`);
    } else {
      lines.push(zonedProperty('DTEND', timing.end, timing.timeZone));
    }
    if (event.recurrenceId) lines.push(zonedProperty('RECURRENCE-ID', event.recurrenceId, timing.timeZone));
    if (event.rrule) lines.push(`RRULE:${event.rrule.replace(/^RRULE:/i, '')}`);
    for (const rdate of [...(event.rdates ?? [])].sort((a, b) => a.getTime() - b.getTime())) {
      lines.push(zonedProperty('RDATE', rdate, timing.timeZone));
    }
    for (const exdate of [...(event.exdates ?? [])].sort((a, b) => a.getTime() - b.getTime())) {
      lines.push(zonedProperty('EXDATE', exdate, timing.timeZone));
    }
  } else {
    lines.push(`DTSTART;VALUE=DATE:${formatDateValue(timing.startDate)}`, `DTEND;VALUE=DATE:${formatDateValue(timing.endDate)}`);
    if (event.rrule) lines.push(`RRULE:${event.rrule.replace(/^RRULE:/i, '')}`);
  }
  if (event.organizer)
    lines.push(`ORGANIZER${event.organizer.name ? `;CN=${paramValue(event.organizer.name)}` : ''}:mailto:${event.organizer.email.replace(/[\r\n]/g, '')}`);
  for (const attendee of event.attendees ?? []) {
    const name = attendee.name ? `;CN=${paramValue(attendee.name)}` : '';
    lines.push(
      `ATTENDEE${name};ROLE=REQ-PARTICIPANT;PARTSTAT=${attendee.partstat};RSVP=${attendee.rsvp ? 'TRUE' : 'FALSE'}:mailto:${attendee.email.replace(/[\r\n]/g, '')}`,
    );
  }
  lines.push(`SUMMARY:${escapeText(event.summary)}`);
  if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
  if (event.url) lines.push(`URL:${event.url.replace(/[\r\n]/g, '')}`);
  if (event.categories?.length) lines.push(`CATEGORIES:${event.categories.map(escapeText).join(',')}`);
  if (event.status) lines.push(`STATUS:${event.status}`);
  lines.push(`TRANSP:${event.transparent ? 'TRANSPARENT' : 'OPAQUE'}`);
  if (event.alarm && event.alarm.minutesBefore > 0 && event.status !== 'CANCELLED') {
    lines.push(
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      `DESCRIPTION:${escapeText(event.alarm.description)}`,
      `TRIGGER:-${formatDuration(event.alarm.minutesBefore * MINUTE_MS)}`,
      'END:VALARM',
    );
  }
  lines.push('END:VEVENT');
  return lines;
}

/**
 * Years (UTC, widened by a day at each end) each zone must cover for the events written in it,
 * clipped to the calendar's window. A zone whose events all lie outside the window keeps the one
 * year of its first instant, so DTSTART still has an observance to read.
 */
function zoneYears(calendar: Pick<IcsCalendar, 'events' | 'zonesFrom' | 'zonesUntil'>): Map<string, { from: number; to: number }> {
  const windowFrom = calendar.zonesFrom ? calendar.zonesFrom.getUTCFullYear() : -Infinity;
  const windowTo = calendar.zonesUntil ? calendar.zonesUntil.getUTCFullYear() : Infinity;
  const touched = new Map<string, { from: number; to: number; first: number }>();
  const cover = (zone: string, instant: Date) => {
    if (Number.isNaN(instant.getTime())) return;
    const before = new Date(instant.getTime() - DAY_MS).getUTCFullYear();
    const after = new Date(instant.getTime() + DAY_MS).getUTCFullYear();
    const range = touched.get(zone);
    if (!range) touched.set(zone, { from: before, to: after, first: before });
    else {
      range.from = Math.min(range.from, before);
      range.to = Math.max(range.to, after);
      range.first = Math.min(range.first, before);
    }
  };
  for (const event of calendar.events) {
    if (event.timing.kind !== 'timed') continue;
    const zone = event.timing.timeZone;
    cover(zone, event.timing.start);
    cover(zone, event.timing.end);
    for (const exdate of event.exdates ?? []) cover(zone, exdate);
    if (event.recurrenceId) cover(zone, event.recurrenceId);
    if (event.rrule) {
      const until = /UNTIL=(\d{4})(\d{2})(\d{2})/.exec(event.rrule);
      if (until) cover(zone, new Date(Date.UTC(Number(until[1]), Number(until[2]) - 1, Number(until[3]))));
      else if (calendar.zonesUntil) cover(zone, calendar.zonesUntil);
      // A series that started before the window and runs into it touches every year in between.
      if (calendar.zonesFrom && event.timing.start < calendar.zonesFrom) cover(zone, calendar.zonesFrom);
    }
  }
  const years = new Map<string, { from: number; to: number }>();
  for (const [zone, range] of touched) {
    let from = Math.max(range.from, windowFrom);
    let to = Math.min(range.to, windowTo);
    if (from > to) from = to = Math.min(Math.max(range.first, 1), 9999);
    to = Math.min(to, from + MAX_ZONE_YEARS - 1);
    years.set(zone, { from, to });
  }
  return years;
}

/** The whole calendar as text with CRLF line ends, every line folded at 75 octets. */
export function buildCalendar(calendar: IcsCalendar): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODUCT_ID}`, 'CALSCALE:GREGORIAN'];
  if (calendar.method) lines.push(`METHOD:${calendar.method}`);
  if (calendar.name) lines.push(`X-WR-CALNAME:${escapeText(calendar.name)}`);
  if (calendar.description) lines.push(`X-WR-CALDESC:${escapeText(calendar.description)}`);
  if (calendar.refreshMinutes) {
    const duration = formatDuration(calendar.refreshMinutes * MINUTE_MS);
    lines.push(`REFRESH-INTERVAL;VALUE=DURATION:${duration}`, `X-PUBLISHED-TTL:${duration}`);
  }
  const zones = [...zoneYears(calendar).entries()].sort(([a], [b]) => a.localeCompare(b));
  for (const [zone, range] of zones) lines.push(...buildVTimezone(zone, range.from, range.to));
  for (const event of calendar.events) lines.push(...eventLines(event));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
