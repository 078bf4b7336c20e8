import { utcToZonedParts } from '../../src/lib/time';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number) => String(n).padStart(2, '0');

/** '09:00' in the zone. */
export function formatTime(date: Date, zone: string): string {
  const p = utcToZonedParts(date, zone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** 'Mon 9 Mar 2026' in the zone. */
export function formatDay(date: Date, zone: string): string {
  const p = utcToZonedParts(date, zone);
  return `${WEEKDAYS[p.weekday]!.slice(0, 3)} ${p.day} ${MONTHS[p.month - 1]!.slice(0, 3)} ${p.year}`;
}

/** 'Mon 9 Mar 2026, 09:00–10:00' (or with the end day when it ends on another day). */
export function formatWhen(start: Date, end: Date, zone: string): string {
  const sameDay = formatDay(start, zone) === formatDay(end, zone);
  return sameDay
    ? `${formatDay(start, zone)}, ${formatTime(start, zone)}–${formatTime(end, zone)}`
    : `${formatDay(start, zone)}, ${formatTime(start, zone)} – ${formatDay(end, zone)}, ${formatTime(end, zone)}`;
}

/** 'Monday 9 March' for a local date 'YYYY-MM-DD'. */
export function formatLocalDateHeading(localDate: string): string {
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${WEEKDAYS[weekday]} ${d} ${MONTHS[m - 1]}`;
}

/** 'March 2026' for a local date. */
export function formatMonth(localDate: string): string {
  const [y, m] = localDate.split('-').map(Number) as [number, number];
  return `${MONTHS[m - 1]} ${y}`;
}

export const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
