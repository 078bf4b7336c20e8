import { describe, expect, it } from 'vitest';
import { monthName, readableLocalDate, weekdayName } from '../../src/lib/time';

describe('calendar names', () => {
  it('come from Intl in English, long and short', () => {
    expect([1, 9, 12].map((m) => monthName(m))).toEqual(['January', 'September', 'December']);
    expect([1, 9, 12].map((m) => monthName(m, 'short'))).toEqual(['Jan', 'Sep', 'Dec']);
    expect([0, 1, 6].map((d) => weekdayName(d))).toEqual(['Sunday', 'Monday', 'Saturday']);
    expect([0, 3].map((d) => weekdayName(d, 'short'))).toEqual(['Sun', 'Wed']);
  });

  it('write a local date as people do, whatever the process time zone', () => {
    expect(readableLocalDate('2027-02-15')).toBe('15 Feb 2027');
    expect(readableLocalDate('2026-09-01')).toBe('1 Sep 2026');
  });
});
