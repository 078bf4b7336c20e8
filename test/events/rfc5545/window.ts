import type { RfcExample } from './examples';

/** End of the comparison window: the first of the month `years` after the first start, as a UTC instant (ISO). */
export function windowEnd(example: RfcExample): string {
  const year = Number(example.start.slice(0, 4)) + example.years;
  return `${year}${example.start.slice(4, 7)}-01T00:00:00Z`;
}
