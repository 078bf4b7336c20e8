/** Wording shared by crosstrain's event mails: times in the reader's own zone, links to the pages. */
import { KIND_LABELS, type EventRow, describeRecurrence } from '../events';
import { dateTimeFormat } from '../lib/time';

const WHEN: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const DAY: Intl.DateTimeFormatOptions = {};

/** 'Mon 9 Mar 2026, 09:00 (America/New_York)' */
export function formatWhen(instant: Date, timeZone: string): string {
  return `${dateTimeFormat('en-GB', WHEN, timeZone).format(instant)} (${timeZone})`;
}

/** 'Mon 9 Mar 2026, 09:00–10:00 (Europe/Berlin)' */
export function formatSpan(start: Date, end: Date, timeZone: string): string {
  const time = dateTimeFormat('en-GB', TIME, timeZone);
  const day = dateTimeFormat('en-CA', DAY, timeZone);
  const sameDay = day.format(start) === day.format(end);
  if (!sameDay) return `${formatWhen(start, timeZone)} – ${formatWhen(end, timeZone)}`;
  return formatWhen(start, timeZone).replace(/(\d{2}:\d{2})( \()/, `$1–${time.format(end)}$2`);
}

/** The lines every event mail carries: kind, host, place, and for series the rhythm. */
export function eventFacts(event: EventRow, hostName: string, readerZone: string): string[] {
  const lines = [`${KIND_LABELS[event.kind]} hosted by ${hostName}`];
  if (event.account) lines.push(`Account: ${event.account}`);
  if (event.topic) lines.push(`Topic: ${event.topic}`);
  if (event.location) lines.push(`Where: ${event.location}`);
  if (event.meetingUrl) lines.push(`Join: ${event.meetingUrl}`);
  if (event.rrule)
    lines.push(
      `Repeats: ${describeRecurrence(event.rrule, event.timeZone)} (times in ${event.timeZone}${readerZone === event.timeZone ? '' : `; shown above in ${readerZone}`})`,
    );
  return lines;
}

export const eventLink = (baseUrl: string, eventId: number) => `${baseUrl}/events/${eventId}`;

export const MAIL_FOOTER = '\n\n—\ncrosstrain · change how early you are reminded under My account.';
