import { formatDateTime } from '../../views/components';
import { fixedClock, systemClock } from '../../src/lib/clock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDaysToLocalDate,
  addLocalDays,
  formatLocal,
  formatLocalDate,
  fromFloatingDate,
  isValidTimeZone,
  localDateSchema,
  localDateTimeSchema,
  localDayBounds,
  normalizeTimeZone,
  parseLocalDateTime,
  startOfLocalDay,
  timeZoneOffsetMinutes,
  timeZoneSchema,
  toFloatingDate,
  toIsoWithOffset,
  tryParseLocalDateTime,
  utcToZonedParts,
  weekdayOfLocalDate,
  daysBetween,
  earlierDate,
  fromDayNumber,
  isoWeekStart,
  isoWeekday,
  laterDate,
  nextMondayOnOrAfter,
  spansOverlap,
  toDayNumber,
  zonedLocalToUtc,
} from '../../src/lib/time';

const NEW_YORK = 'America/New_York';
const LONDON = 'Europe/London';
const SYDNEY = 'Australia/Sydney';
const originalTz = process.env.TZ;

const iso = (date: Date) => date.toISOString();

for (const processZone of ['UTC', 'America/New_York']) {
  describe(`time library with process TZ=${processZone}`, () => {
    beforeAll(() => {
      process.env.TZ = processZone;
    });
    afterAll(() => {
      process.env.TZ = originalTz;
    });

    it('really runs in the process zone (sanity check of the TZ switch)', () => {
      const january = new Date('2026-01-15T12:00:00Z');
      expect(january.getTimezoneOffset()).toBe(processZone === 'UTC' ? 0 : 300);
      expect(new Date('2026-07-15T12:00:00Z').getTimezoneOffset()).toBe(processZone === 'UTC' ? 0 : 240);
    });

    describe('time zone names', () => {
      it('accepts IANA names and refuses unknown names and raw offsets', () => {
        expect(isValidTimeZone('Europe/Berlin')).toBe(true);
        expect(isValidTimeZone('UTC')).toBe(true);
        expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
        expect(isValidTimeZone('+02:00')).toBe(false);
        expect(isValidTimeZone('')).toBe(false);
        expect(isValidTimeZone(42)).toBe(false);
      });

      it('fixes letter case but keeps the given alias', () => {
        expect(normalizeTimeZone('america/new_york')).toBe('America/New_York');
        expect(normalizeTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
      });

      it('validates input with clear messages', () => {
        expect(timeZoneSchema.parse(' europe/london ')).toBe('Europe/London');
        const bad = timeZoneSchema.safeParse('Europe/Atlantis');
        expect(bad.success).toBe(false);
        expect(bad.error!.issues[0]!.message).toBe('Unknown time zone "Europe/Atlantis"; use an IANA name such as Europe/Berlin or America/New_York');
        expect(timeZoneSchema.safeParse(undefined).error!.issues[0]!.message).toBe('Time zone is required');
      });
    });

    describe('local date-times', () => {
      it('parses with and without seconds and refuses impossible values', () => {
        expect(parseLocalDateTime('2026-03-09T09:00')).toEqual({ year: 2026, month: 3, day: 9, hour: 9, minute: 0, second: 0 });
        expect(parseLocalDateTime('2026-03-09T09:00:45').second).toBe(45);
        expect(tryParseLocalDateTime('2026-02-29T09:00')).toBeNull();
        expect(tryParseLocalDateTime('2028-02-29T09:00')).not.toBeNull();
        expect(tryParseLocalDateTime('2026-03-09T24:00')).toBeNull();
        expect(tryParseLocalDateTime('2026-03-09 09:00')).toBeNull();
        expect(() => parseLocalDateTime('9 March')).toThrow('expected YYYY-MM-DDTHH:mm');
      });

      it('validates input with clear messages', () => {
        expect(localDateTimeSchema.parse('2026-03-09T09:00')).toBe('2026-03-09T09:00');
        expect(localDateTimeSchema.safeParse('2026-02-30T10:00').error!.issues[0]!.message).toBe(
          'Invalid date and time "2026-02-30T10:00"; expected YYYY-MM-DDTHH:mm on a 24-hour clock, e.g. 2026-03-09T09:00',
        );
        expect(localDateSchema.parse('2026-12-31')).toBe('2026-12-31');
        expect(localDateSchema.safeParse('31.12.2026').error!.issues[0]!.message).toBe('Invalid date "31.12.2026"; expected YYYY-MM-DD, e.g. 2026-03-09');
      });

      it('round-trips floating dates through their UTC fields', () => {
        const floating = toFloatingDate('2026-03-08T02:30');
        expect(iso(floating)).toBe('2026-03-08T02:30:00.000Z');
        expect(fromFloatingDate(floating)).toEqual({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 });
      });
    });

    describe('zonedLocalToUtc', () => {
      it('uses standard and daylight offsets in New York', () => {
        expect(iso(zonedLocalToUtc('2026-01-12T09:00', NEW_YORK))).toBe('2026-01-12T14:00:00.000Z');
        expect(iso(zonedLocalToUtc('2026-07-13T09:00', NEW_YORK))).toBe('2026-07-13T13:00:00.000Z');
      });

      it('moves a time in the spring-forward gap forward by the gap', () => {
        // 02:30 does not exist on 2026-03-08 in New York; it becomes 03:30 EDT.
        const instant = zonedLocalToUtc('2026-03-08T02:30', NEW_YORK);
        expect(iso(instant)).toBe('2026-03-08T07:30:00.000Z');
        expect(formatLocal(instant, NEW_YORK)).toBe('2026-03-08T03:30');
        // London skips 01:00–02:00 on 2026-03-29.
        expect(formatLocal(zonedLocalToUtc('2026-03-29T01:30', LONDON), LONDON)).toBe('2026-03-29T02:30');
        // Sydney skips 02:00–03:00 on 2026-10-04.
        expect(iso(zonedLocalToUtc('2026-10-04T02:30', SYDNEY))).toBe('2026-10-03T16:30:00.000Z');
      });

      it('takes the earlier instant for a time that happens twice', () => {
        expect(iso(zonedLocalToUtc('2026-11-01T01:30', NEW_YORK))).toBe('2026-11-01T05:30:00.000Z');
        expect(iso(zonedLocalToUtc('2026-10-25T01:30', LONDON))).toBe('2026-10-25T00:30:00.000Z');
        // Sydney repeats 02:00–03:00 on 2026-04-05; the earlier one is still AEDT (+11).
        expect(iso(zonedLocalToUtc('2026-04-05T02:30', SYDNEY))).toBe('2026-04-04T15:30:00.000Z');
      });

      it('handles zones with odd offsets', () => {
        expect(iso(zonedLocalToUtc('2026-06-01T12:00', 'Asia/Kathmandu'))).toBe('2026-06-01T06:15:00.000Z');
        expect(iso(zonedLocalToUtc('2026-06-01T12:00:30', 'Asia/Kolkata'))).toBe('2026-06-01T06:30:30.000Z');
      });

      it('rejects unknown zones', () => {
        expect(() => zonedLocalToUtc('2026-06-01T12:00', 'Nowhere/Special')).toThrow(RangeError);
      });
    });

    describe('instant to local', () => {
      it('gives wall-clock parts with weekday (0 = Sunday)', () => {
        expect(utcToZonedParts(new Date('2026-01-01T00:30:00Z'), SYDNEY)).toEqual({
          year: 2026,
          month: 1,
          day: 1,
          hour: 11,
          minute: 30,
          second: 0,
          weekday: 4,
        });
        expect(utcToZonedParts(new Date('2026-01-01T00:30:00Z'), NEW_YORK)).toMatchObject({ year: 2025, month: 12, day: 31, hour: 19, weekday: 3 });
        expect(utcToZonedParts(new Date('2026-03-09T04:00:00Z'), NEW_YORK)).toMatchObject({ day: 9, hour: 0 });
      });

      it('formats local times, dates and offsets', () => {
        const instant = new Date('2026-03-09T13:00:00Z');
        expect(formatLocal(instant, NEW_YORK)).toBe('2026-03-09T09:00');
        expect(formatLocal(instant, NEW_YORK, true)).toBe('2026-03-09T09:00:00');
        expect(formatLocalDate(new Date('2026-03-09T03:00:00Z'), NEW_YORK)).toBe('2026-03-08');
        expect(toIsoWithOffset(instant, NEW_YORK)).toBe('2026-03-09T09:00:00-04:00');
        expect(toIsoWithOffset(new Date('2026-01-09T14:00:00Z'), NEW_YORK)).toBe('2026-01-09T09:00:00-05:00');
        expect(toIsoWithOffset(instant, 'UTC')).toBe('2026-03-09T13:00:00+00:00');
        expect(toIsoWithOffset(instant, 'Asia/Kolkata')).toBe('2026-03-09T18:30:00+05:30');
        expect(timeZoneOffsetMinutes(instant, SYDNEY)).toBe(660);
      });
    });

    describe('local days', () => {
      it('does calendar arithmetic on local dates', () => {
        expect(addDaysToLocalDate('2026-02-27', 2)).toBe('2026-03-01');
        expect(addDaysToLocalDate('2028-02-28', 1)).toBe('2028-02-29');
        expect(addDaysToLocalDate('2026-01-01', -1)).toBe('2025-12-31');
        expect(weekdayOfLocalDate('2026-03-09')).toBe(1);
      });

      it('finds local midnight and day lengths across DST changes', () => {
        expect(iso(startOfLocalDay(new Date('2026-03-09T03:00:00Z'), NEW_YORK))).toBe('2026-03-08T05:00:00.000Z');
        const springDay = localDayBounds('2026-03-08', NEW_YORK);
        expect(springDay.end.getTime() - springDay.start.getTime()).toBe(23 * 3_600_000);
        const autumnDay = localDayBounds('2026-11-01', NEW_YORK);
        expect(autumnDay.end.getTime() - autumnDay.start.getTime()).toBe(25 * 3_600_000);
      });

      it('keeps the wall-clock time when adding local days over a DST change', () => {
        const fridayNine = zonedLocalToUtc('2026-03-06T09:00', NEW_YORK);
        const mondayNine = addLocalDays(fridayNine, 3, NEW_YORK);
        expect(iso(mondayNine)).toBe('2026-03-09T13:00:00.000Z');
        expect(formatLocal(mondayNine, NEW_YORK)).toBe('2026-03-09T09:00');
      });
    });

    describe('clocks', () => {
      it('has a system clock and a fixed clock for tests', () => {
        expect(Math.abs(systemClock.now().getTime() - Date.now())).toBeLessThan(1000);
        const clock = fixedClock('2026-03-09T13:00:00Z');
        expect(iso(clock.now())).toBe('2026-03-09T13:00:00.000Z');
        clock.advance(60_000);
        expect(iso(clock.now())).toBe('2026-03-09T13:01:00.000Z');
        clock.set(new Date('2027-01-01T00:00:00Z'));
        expect(iso(clock.now())).toBe('2027-01-01T00:00:00.000Z');
      });
    });
  });
}

describe('calendar dates as day numbers', () => {
  it('round-trips day numbers, before 1970 and in years below 100 too', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    expect(fromDayNumber(toDayNumber('2028-02-29'))).toBe('2028-02-29');
    expect(fromDayNumber(toDayNumber('0050-03-01'))).toBe('0050-03-01');
    for (let day = -800; day <= 800; day += 37) expect(toDayNumber(fromDayNumber(day))).toBe(day);
  });
  it('agrees with addDaysToLocalDate', () => {
    for (let days = -400; days <= 400; days += 13) {
      expect(daysBetween('2026-03-29', addDaysToLocalDate('2026-03-29', days))).toBe(days);
    }
  });
  it('agrees with Date arithmetic across years 0001 to 9999, leap days and century years included', () => {
    // fromDayNumber goes through Date: an independent reference for the arithmetic of toDayNumber.
    const first = Math.round(Date.UTC(2000, 0, 1) / 86_400_000) - 730_119;
    const wrong: number[] = [];
    // Every day of 1422–2517, every 29th day outside it.
    for (let day = first; day <= 2_932_896; day += Math.abs(day) < 200_000 ? 1 : 29) if (toDayNumber(fromDayNumber(day)) !== day) wrong.push(day);
    expect(wrong).toEqual([]);
    expect(toDayNumber('1900-03-01') - toDayNumber('1900-02-28')).toBe(1);
    expect(toDayNumber('2000-03-01') - toDayNumber('2000-02-28')).toBe(2);
    expect(() => toDayNumber('1900-02-29')).toThrow(RangeError);
    expect(() => toDayNumber('2100-02-29')).toThrow(RangeError);
    expect(() => toDayNumber('2026-04-31')).toThrow(RangeError);
  });
  it('rejects what is not a real date', () => {
    expect(() => toDayNumber('2025-02-29')).toThrow(RangeError);
    expect(() => toDayNumber('2026-01-05T00:00')).toThrow(RangeError);
  });
  it('finds ISO weekdays and Mondays, agreeing with weekdayOfLocalDate', () => {
    for (let day = 0; day < 21; day++) {
      const date = addDaysToLocalDate('2026-12-01', day);
      expect(isoWeekday(date) % 7).toBe(weekdayOfLocalDate(date));
      expect(isoWeekday(isoWeekStart(date))).toBe(1);
      expect(daysBetween(isoWeekStart(date), date)).toBe(isoWeekday(date) - 1);
      expect(isoWeekday(nextMondayOnOrAfter(date))).toBe(1);
      expect(daysBetween(date, nextMondayOnOrAfter(date))).toBe((8 - isoWeekday(date)) % 7);
    }
  });
  it('compares inclusive spans and picks the earlier or later date', () => {
    expect(spansOverlap({ start: '2026-01-05', end: '2026-01-05' }, { start: '2026-01-01', end: '2026-01-05' })).toBe(true);
    expect(spansOverlap({ start: '2026-01-06', end: '2026-01-09' }, { start: '2026-01-01', end: '2026-01-05' })).toBe(false);
    expect(laterDate('2026-01-05', '2025-12-31')).toBe('2026-01-05');
    expect(earlierDate('2026-01-05', '2025-12-31')).toBe('2025-12-31');
  });
});

describe('formatDateTime', () => {
  it('formats each instant in the zone asked, whichever zones were formatted before (one formatter kept per zone)', () => {
    const at = new Date('2026-03-29T00:30:00Z');
    const zones = ['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Kolkata', 'Europe/Berlin', 'UTC'];
    for (const timeZone of zones)
      expect(formatDateTime(at, timeZone)).toBe(new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at));
    expect(formatDateTime(at)).toBe('29 Mar 2026, 00:30');
    expect(formatDateTime(at, 'Europe/Berlin')).toBe('29 Mar 2026, 01:30');
    expect(formatDateTime(null, 'Europe/Berlin')).toBe('');
    expect(() => formatDateTime(at, 'Not/AZone')).toThrow(RangeError);
  });
});
