import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDays,
  cycleDueDate,
  cycleOn,
  cycleWindow,
  daysBetween,
  dueInstant,
  localDateAt,
  onboardingDueDate,
  onboardingWindow,
  reviewCycles,
  reviewRuleProblem,
  startOfLocalDay,
} from '../../src/programs/schedule';

const QUARTERLY_ON_THE_1ST = 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1';

for (const tz of ['UTC', 'America/New_York']) {
  describe(`program schedule with process TZ=${tz}`, () => {
    const previousTz = process.env.TZ;
    beforeAll(() => {
      process.env.TZ = tz;
    });
    afterAll(() => {
      process.env.TZ = previousTz;
    });

    it('runs in the intended process time zone', () => {
      expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(tz === 'UTC' ? 0 : 300);
    });

    describe('onboarding due dates from hire dates', () => {
      it('counts calendar days across month ends', () => {
        expect(onboardingDueDate('2024-01-31', 30)).toBe('2024-03-01'); // leap February has 29 days
        expect(onboardingDueDate('2023-01-31', 30)).toBe('2023-03-02'); // common February has 28
        expect(onboardingDueDate('2023-12-18', 14)).toBe('2024-01-01');
        expect(onboardingDueDate('2024-04-30', 0)).toBe('2024-04-30');
      });

      it('handles a 29 February hire date', () => {
        expect(onboardingDueDate('2024-02-29', 365)).toBe('2025-02-28');
        expect(onboardingDueDate('2024-02-29', 366)).toBe('2025-03-01');
        expect(onboardingDueDate('2024-02-29', 60)).toBe('2024-04-29');
        expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
        expect(daysBetween('2024-02-29', '2025-02-28')).toBe(365);
      });

      it('does not shift across DST changes (dates are not instants)', () => {
        expect(onboardingDueDate('2024-03-09', 1)).toBe('2024-03-10');
        expect(onboardingDueDate('2024-11-02', 2)).toBe('2024-11-04');
      });

      it('rejects dates that do not exist', () => {
        expect(() => onboardingDueDate('2023-02-29', 14)).toThrow(RangeError);
        expect(() => onboardingDueDate('2024-1-5', 14)).toThrow(RangeError);
      });
    });

    describe('due instants: by the end of the local day', () => {
      it('is the next local midnight in UTC', () => {
        expect(dueInstant('2024-01-14', 'UTC').toISOString()).toBe('2024-01-15T00:00:00.000Z');
      });

      it('lands on the previous UTC day in Pacific/Auckland', () => {
        // NZDT is UTC+13: midnight of 15 Jan in Auckland is 11:00 on 14 Jan in UTC.
        expect(dueInstant('2024-01-14', 'Pacific/Auckland').toISOString()).toBe('2024-01-14T11:00:00.000Z');
        // NZST (winter) is UTC+12.
        expect(dueInstant('2024-07-14', 'Pacific/Auckland').toISOString()).toBe('2024-07-14T12:00:00.000Z');
        // DST ends 7 Apr 2024 at 03:00: 7 Apr begins in NZDT, 8 Apr in NZST.
        expect(dueInstant('2024-04-06', 'Pacific/Auckland').toISOString()).toBe('2024-04-06T11:00:00.000Z');
        expect(dueInstant('2024-04-07', 'Pacific/Auckland').toISOString()).toBe('2024-04-07T12:00:00.000Z');
      });

      it('lands on the next UTC day in America/Los_Angeles, across DST', () => {
        expect(dueInstant('2024-01-14', 'America/Los_Angeles').toISOString()).toBe('2024-01-15T08:00:00.000Z');
        // DST starts 10 Mar 2024 at 02:00: 10 Mar begins in PST, 11 Mar in PDT.
        expect(dueInstant('2024-03-09', 'America/Los_Angeles').toISOString()).toBe('2024-03-10T08:00:00.000Z');
        expect(dueInstant('2024-03-10', 'America/Los_Angeles').toISOString()).toBe('2024-03-11T07:00:00.000Z');
        // DST ends 3 Nov 2024.
        expect(dueInstant('2024-11-03', 'America/Los_Angeles').toISOString()).toBe('2024-11-04T08:00:00.000Z');
      });

      it('uses the first moment of the day where a zone skips midnight', () => {
        // Chile moves clocks from 00:00 to 01:00 on 8 Sep 2024; the day begins at 01:00 -03.
        const due = dueInstant('2024-09-07', 'America/Santiago');
        expect(due.toISOString()).toBe('2024-09-08T04:00:00.000Z');
        expect(localDateAt(due, 'America/Santiago')).toBe('2024-09-08');
        expect(localDateAt(new Date(due.getTime() - 1), 'America/Santiago')).toBe('2024-09-07');
        // Chile moves clocks from 00:00 back to 23:00 on 7 Apr 2024: the repeated hour belongs
        // to 6 Apr, so 7 Apr begins once, at 00:00 -04.
        expect(dueInstant('2024-04-06', 'America/Santiago').toISOString()).toBe('2024-04-07T04:00:00.000Z');
      });

      it('gives the local date of an instant', () => {
        expect(localDateAt(new Date('2024-01-14T12:00:00Z'), 'Pacific/Auckland')).toBe('2024-01-15');
        expect(localDateAt(new Date('2024-01-15T05:00:00Z'), 'America/Los_Angeles')).toBe('2024-01-14');
        expect(localDateAt(new Date('2024-01-15T05:00:00Z'), 'UTC')).toBe('2024-01-15');
      });

      it('rejects unknown zones', () => {
        expect(() => dueInstant('2024-01-14', 'Mars/Olympus_Mons')).toThrow(RangeError);
      });
    });

    describe('evidence windows', () => {
      it('starts onboarding at the local start of the hire date', () => {
        expect(onboardingWindow('2024-03-04', 'America/Los_Angeles')).toEqual({
          from: new Date('2024-03-04T08:00:00.000Z'),
        });
        expect(startOfLocalDay('2024-03-04', 'Pacific/Auckland').toISOString()).toBe('2024-03-03T11:00:00.000Z');
      });

      it('covers a review cycle from its first to its last local day', () => {
        const window = cycleWindow({ start: '2024-04-01', end: '2024-06-30' }, 'America/Los_Angeles');
        expect(window.from.toISOString()).toBe('2024-04-01T07:00:00.000Z');
        expect(window.until?.toISOString()).toBe('2024-07-01T07:00:00.000Z');
      });
    });

    describe('review cycles', () => {
      it('splits a year into quarters that end the day before the next starts', () => {
        expect(reviewCycles(QUARTERLY_ON_THE_1ST, '2024-01-01', '2024-01-01', '2024-12-31')).toEqual([
          { index: 0, start: '2024-01-01', end: '2024-03-31' },
          { index: 1, start: '2024-04-01', end: '2024-06-30' },
          { index: 2, start: '2024-07-01', end: '2024-09-30' },
          { index: 3, start: '2024-10-01', end: '2024-12-31' },
        ]);
      });

      it('returns the cycles overlapping the range, with indexes counted from the anchor', () => {
        expect(reviewCycles(QUARTERLY_ON_THE_1ST, '2020-01-01', '2024-05-15', '2024-07-01')).toEqual([
          { index: 17, start: '2024-04-01', end: '2024-06-30' },
          { index: 18, start: '2024-07-01', end: '2024-09-30' },
        ]);
        expect(cycleOn(QUARTERLY_ON_THE_1ST, '2020-01-01', '2024-06-30')).toEqual({
          index: 17,
          start: '2024-04-01',
          end: '2024-06-30',
        });
      });

      it('starts the first cycle at the first rhythm date on or after the anchor', () => {
        // Quarters counted from January; 1 Jan is before the anchor, so the first cycle starts 1 Apr.
        expect(reviewCycles(QUARTERLY_ON_THE_1ST, '2024-01-15', '2024-01-01', '2024-07-01')).toEqual([
          { index: 0, start: '2024-04-01', end: '2024-06-30' },
          { index: 1, start: '2024-07-01', end: '2024-09-30' },
        ]);
        expect(cycleOn(QUARTERLY_ON_THE_1ST, '2024-01-15', '2024-02-01')).toBeNull();
      });

      it('clamps a cycle anchored on the 31st to shorter month ends instead of skipping quarters', () => {
        expect(reviewCycles('FREQ=MONTHLY;INTERVAL=3', '2023-10-31', '2023-10-01', '2024-12-31')).toEqual([
          { index: 0, start: '2023-10-31', end: '2024-01-30' },
          { index: 1, start: '2024-01-31', end: '2024-04-29' },
          { index: 2, start: '2024-04-30', end: '2024-07-30' },
          { index: 3, start: '2024-07-31', end: '2024-10-30' },
          { index: 4, start: '2024-10-31', end: '2025-01-30' },
        ]);
      });

      it('clamps an explicit BYMONTHDAY=31, including leap February', () => {
        const starts = reviewCycles('FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=31', '2023-11-30', '2023-11-01', '2024-12-31').map((cycle) => cycle.start);
        expect(starts).toEqual(['2023-11-30', '2024-02-29', '2024-05-31', '2024-08-31', '2024-11-30']);
      });

      it('keeps a monthly rhythm on the 30th through February', () => {
        expect(reviewCycles('FREQ=MONTHLY', '2023-01-30', '2023-01-01', '2023-04-01').map((c) => [c.start, c.end])).toEqual([
          ['2023-01-30', '2023-02-27'],
          ['2023-02-28', '2023-03-29'],
          ['2023-03-30', '2023-04-29'],
        ]);
      });

      it('moves a yearly rhythm anchored on 29 February to 28 February in common years', () => {
        expect(reviewCycles('FREQ=YEARLY', '2024-02-29', '2024-01-01', '2028-03-01')).toEqual([
          { index: 0, start: '2024-02-29', end: '2025-02-27' },
          { index: 1, start: '2025-02-28', end: '2026-02-27' },
          { index: 2, start: '2026-02-28', end: '2027-02-27' },
          { index: 3, start: '2027-02-28', end: '2028-02-28' },
          { index: 4, start: '2028-02-29', end: '2029-02-27' },
        ]);
      });

      it('supports weekly rhythms', () => {
        expect(reviewCycles('FREQ=WEEKLY;INTERVAL=2', '2024-01-01', '2024-01-10', '2024-01-20')).toEqual([
          { index: 0, start: '2024-01-01', end: '2024-01-14' },
          { index: 1, start: '2024-01-15', end: '2024-01-28' },
        ]);
      });

      it('stops after a finite rhythm and still gives its last cycle a full length', () => {
        const rule = 'FREQ=MONTHLY;INTERVAL=3;COUNT=2';
        expect(reviewCycles(rule, '2024-01-01', '2024-01-01', '2025-12-31')).toEqual([
          { index: 0, start: '2024-01-01', end: '2024-03-31' },
          { index: 1, start: '2024-04-01', end: '2024-06-30' },
        ]);
        expect(cycleOn(rule, '2024-01-01', '2024-07-01')).toBeNull();
      });

      it('accepts an RRULE: prefix and ignores a DTSTART inside the rule', () => {
        expect(cycleOn('RRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1', '2024-01-01', '2024-02-10')?.start).toBe('2024-01-01');
        expect(cycleOn('DTSTART:20200501T000000Z\nRRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1', '2024-01-01', '2024-02-10')?.start).toBe('2024-01-01');
      });

      it('returns nothing for an empty range', () => {
        expect(reviewCycles(QUARTERLY_ON_THE_1ST, '2024-01-01', '2024-05-01', '2024-04-01')).toEqual([]);
      });

      it('gives each cycle its own due dates', () => {
        const [first, second] = reviewCycles(QUARTERLY_ON_THE_1ST, '2024-01-01', '2024-01-01', '2024-04-01');
        expect(cycleDueDate(first, 30)).toBe('2024-01-31');
        expect(cycleDueDate(second, 30)).toBe('2024-05-01');
        expect(dueInstant(cycleDueDate(second, 30), 'Pacific/Auckland').toISOString()).toBe('2024-05-01T12:00:00.000Z');
      });

      it('explains rules that cannot drive cycles', () => {
        expect(reviewRuleProblem(QUARTERLY_ON_THE_1ST)).toBeNull();
        expect(reviewRuleProblem('FREQ=HOURLY')).toMatch(/whole days/);
        expect(reviewRuleProblem('INTERVAL=3')).toMatch(/FREQ/);
        expect(reviewRuleProblem('FREQ=MONTHLY;INTERVAL=0')).not.toBeNull();
        expect(() => reviewCycles('FREQ=MINUTELY', '2024-01-01', '2024-01-01', '2024-02-01')).toThrow(RangeError);
      });
    });
  });
}
