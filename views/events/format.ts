import { monthName, utcToZonedParts, weekdayName, weekdayOfLocalDate } from '../../src/lib/time';

const pad = (n: number) => String(n).padStart(2, '0');

/** '09:00' in the zone. */
export function formatTime(date: Date, zone: string): string {
  const p = utcToZonedParts(date, zone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** 'Mon 9 Mar 2026' in the zone. */
function formatDay(date: Date, zone: string): string {
  const p = utcToZonedParts(date, zone);
  return `${weekdayName(p.weekday, 'short')} ${p.day} ${monthName(p.month, 'short')} ${p.year}`;
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
  const [, m, d] = localDate.split('-').map(Number) as [number, number, number];
  return `${weekdayName(weekdayOfLocalDate(localDate))} ${d} ${monthName(m)}`;
}

/** 'March 2026' for a local date. */
export function formatMonth(localDate: string): string {
  const [y, m] = localDate.split('-').map(Number) as [number, number];
  return `${monthName(m)} ${y}`;
}

export const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
