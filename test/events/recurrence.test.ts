import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_COUNT,
  RecurrenceError,
  describeRecurrence,
  expandOccurrences,
  lastOccurrenceBefore,
  lastOccurrenceEnd,
  moveRRuleStart,
  normalizeRRuleString,
  normalizeSeries,
  simpleRecurrence,
  nthWeekdayOfMonth,
  occurrenceAt,
  occurrenceKey,
  parseOccurrenceKey,
  parseRRuleString,
  recurrenceSchema,
  splitSeries,
  toICalendarRRule,
  toRRuleString,
  type ExpandOccurrencesInput,
} from '../../src/events/recurrence';

const NEW_YORK = 'America/New_York';
const LONDON = 'Europe/London';
const SYDNEY = 'Australia/Sydney';
const originalTz = process.env.TZ;

const starts = (input: ExpandOccurrencesInput) => expandOccurrences(input).map((o) => o.start.toISOString());
const at = (isoInstant: string) => new Date(isoInstant);

function expectRecurrenceError(action: () => unknown, message: string | RegExp) {
  expect(action).toThrow(RecurrenceError);
  expect(action).toThrow(message);
}

for (const processZone of ['UTC', 'America/New_York']) {
  describe(`recurrence with process TZ=${processZone}`, () => {
    beforeAll(() => {
      process.env.TZ = processZone;
    });
    afterAll(() => {
      process.env.TZ = originalTz;
    });

    it('really runs in the process zone (sanity check of the TZ switch)', () => {
      expect(new Date('2026-01-15T12:00:00Z').getTimezoneOffset()).toBe(processZone === 'UTC' ? 0 : 300);
    });

    describe('structured rules and RRULE strings', () => {
      it('writes canonical RRULE strings that spell out the start-derived parts', () => {
        expect(toRRuleString({ freq: 'daily', interval: 3 }, '2026-03-02T09:00')).toBe('FREQ=DAILY;INTERVAL=3');
        expect(toRRuleString({ freq: 'weekly', interval: 1 }, '2026-03-02T09:00')).toBe('FREQ=WEEKLY;BYDAY=MO');
        expect(toRRuleString({ freq: 'weekly', interval: 2, byWeekday: ['WE', 'MO', 'WE'], count: 10 }, '2026-03-02T09:00')).toBe(
          'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10',
        );
        expect(toRRuleString({ freq: 'monthly', interval: 1 }, '2026-01-31T09:00')).toBe('FREQ=MONTHLY;BYMONTHDAY=31');
        expect(toRRuleString({ freq: 'monthly', interval: 1, monthlyBy: 'weekday' }, '2026-03-10T09:00')).toBe('FREQ=MONTHLY;BYDAY=2TU');
        expect(toRRuleString({ freq: 'monthly', interval: 1, monthlyBy: 'weekday' }, '2026-01-30T15:00')).toBe('FREQ=MONTHLY;BYDAY=-1FR');
        expect(toRRuleString({ freq: 'weekly', interval: 1, until: '2027-01-31' }, '2026-03-02T09:00')).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20270131T235959');
      });

      it('uses "last" for a start in the last seven days of the month, even when it is also the fourth', () => {
        expect(nthWeekdayOfMonth({ year: 2026, month: 12, day: 24 })).toBe(4);
        expect(nthWeekdayOfMonth({ year: 2026, month: 12, day: 25 })).toBe(-1);
        expect(nthWeekdayOfMonth({ year: 2026, month: 2, day: 22 })).toBe(-1);
        expect(nthWeekdayOfMonth({ year: 2026, month: 2, day: 21 })).toBe(3);
      });

      it('refuses rules that do not fit the first start', () => {
        expectRecurrenceError(
          () => toRRuleString({ freq: 'weekly', interval: 1, byWeekday: ['MO', 'WE'] }, '2026-03-03T09:00'),
          'The first start 2026-03-03 is a Tuesday, but the series repeats on Monday and Wednesday; include Tuesday or move the first start',
        );
        expectRecurrenceError(
          () => toRRuleString({ freq: 'daily', interval: 1, until: '2026-03-01' }, '2026-03-02T09:00'),
          'The end date 2026-03-01 is before the first start 2026-03-02',
        );
        expectRecurrenceError(() => toRRuleString({ freq: 'daily', interval: 1 }, '2026-03-02 09:00'), 'Invalid first start');
      });

      it('validates the structured rule with clear messages', () => {
        const messages = (input: unknown) => recurrenceSchema.safeParse(input).error?.issues.map((i) => i.message);
        expect(messages({ freq: 'weekly', interval: 0 })).toEqual(['Interval must be a whole number from 1 to 99']);
        expect(messages({ freq: 'weekly', count: 501 })).toEqual(['Number of occurrences must be a whole number from 1 to 500']);
        expect(messages({ freq: 'daily', until: '2027-01-31', count: 3 })).toEqual(['Choose an end date or a number of occurrences, not both']);
        expect(messages({ freq: 'daily', byWeekday: ['MO'] })).toEqual(['Days of the week apply to weekly series only']);
        expect(messages({ freq: 'hourly' })).toEqual(['Repeat must be daily, weekly, monthly or yearly']);
        expect(messages({ freq: 'weekly', until: '2027-02-30' })).toEqual(['Invalid date "2027-02-30"; expected YYYY-MM-DD, e.g. 2026-03-09']);
        expect(recurrenceSchema.parse({ freq: 'weekly' })).toEqual({ freq: 'weekly', interval: 1 });
        expectRecurrenceError(() => toRRuleString({ freq: 'weekly', interval: 0 }, '2026-03-02T09:00'), 'Interval must be a whole number from 1 to 99');
      });

      it('parses RRULE strings as integrators send them', () => {
        expect(parseRRuleString('RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10')).toEqual({
          freq: 'weekly',
          interval: 1,
          byWeekday: ['MO', 'WE'],
          count: 10,
        });
        expect(parseRRuleString('freq=monthly;interval=2;byday=-1fr;')).toEqual({ freq: 'monthly', interval: 2, monthlyBy: 'weekday' });
        expect(parseRRuleString('FREQ=MONTHLY;BYMONTHDAY=31')).toEqual({ freq: 'monthly', interval: 1, monthlyBy: 'date' });
        expect(parseRRuleString('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR')).toEqual({
          freq: 'weekly',
          interval: 1,
          byWeekday: ['MO', 'TU', 'WE', 'TH', 'FR'],
        });
        expect(parseRRuleString('FREQ=WEEKLY;WKST=SU;BYDAY=TU')).toEqual({ freq: 'weekly', interval: 1, byWeekday: ['TU'] });
      });

      it('turns UNTIL into the last local date on which an occurrence still starts', () => {
        const context = { firstStartLocal: '2026-03-02T09:00', timeZone: NEW_YORK };
        // 13:00Z on 16 March is 09:00 EDT, so the 16th still counts; one second earlier it does not
        // (the 15th is then the last date an occurrence could start, the same set as ending on the 9th).
        expect(parseRRuleString('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260316T130000Z', context).until).toBe('2026-03-16');
        expect(parseRRuleString('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260316T125959Z', context).until).toBe('2026-03-15');
        expect(parseRRuleString('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260316T235959', context).until).toBe('2026-03-16');
        expect(parseRRuleString('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260316', context).until).toBe('2026-03-16');
        expect(parseRRuleString('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260316T130000Z').until).toBe('2026-03-16');
        expect(normalizeRRuleString('RRULE:FREQ=WEEKLY;UNTIL=20260316T130000Z', '2026-03-02T09:00', NEW_YORK)).toBe(
          'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260316T235959',
        );
      });

      it('moves the repeat pattern along with the first start', () => {
        expect(moveRRuleStart('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4', '2026-03-02T09:00', '2026-03-03T10:00')).toBe('FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4');
        expect(moveRRuleStart('FREQ=WEEKLY;INTERVAL=2;BYDAY=FR,SU', '2026-03-06T09:00', '2026-03-07T09:00')).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,SA');
        expect(moveRRuleStart('FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261231T235959', '2026-01-30T15:00', '2026-02-10T15:00')).toBe(
          'FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261231T235959',
        );
        expect(moveRRuleStart('FREQ=MONTHLY;BYMONTHDAY=31', '2026-01-31T09:00', '2026-02-15T09:00')).toBe('FREQ=MONTHLY;BYMONTHDAY=15');
      });

      it("starts a series at the rule's first occurrence when the requested start is not one (as python-dateutil does)", () => {
        expect(normalizeSeries('FREQ=MONTHLY;BYMONTHDAY=15', '2026-03-03T09:00')).toEqual({
          rrule: 'FREQ=MONTHLY;BYMONTHDAY=15',
          firstStartLocal: '2026-03-15T09:00',
        });
        expect(normalizeSeries('FREQ=MONTHLY;BYDAY=4FR', '2026-12-26T09:00')).toEqual({ rrule: 'FREQ=MONTHLY;BYDAY=4FR', firstStartLocal: '2027-01-22T09:00' });
        expect(normalizeSeries('FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13', '1997-09-02T09:00').firstStartLocal).toBe('1998-02-13T09:00');
        expect(simpleRecurrence('FREQ=MONTHLY;BYMONTHDAY=15', { firstStartLocal: '2026-03-03T09:00' })).toBeNull();
        expect(parseRRuleString('FREQ=MONTHLY;BYDAY=2TU', { firstStartLocal: '2026-03-10T09:00' }).monthlyBy).toBe('weekday');
        expect(parseRRuleString('FREQ=MONTHLY;BYDAY=1TU,3TU', { firstStartLocal: '2026-03-03T09:00' })).toEqual({
          freq: 'monthly',
          interval: 1,
          monthlyBy: 'weeks',
          weeksOfMonth: [1, 3],
        });
        expect(parseRRuleString('FREQ=MONTHLY;BYMONTHDAY=-1')).toEqual({ freq: 'monthly', interval: 1, monthlyBy: 'lastDay' });
        expect(parseRRuleString('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1')).toEqual({ freq: 'monthly', interval: 1, monthlyBy: 'lastWeekday' });
        expect(parseRRuleString('FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=13', { firstStartLocal: '2026-03-13T09:00' })).toEqual({ freq: 'yearly', interval: 1 });
        expect(simpleRecurrence('FREQ=YEARLY;BYDAY=20MO')).toBeNull();
      });

      it('accepts every RFC 5545 rule part at daily frequency or coarser', () => {
        for (const rule of [
          'FREQ=YEARLY;COUNT=10;BYMONTH=6,7',
          'FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200',
          'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO',
          'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU',
          'FREQ=MONTHLY;BYMONTHDAY=1,-1',
          'FREQ=MONTHLY;BYMONTHDAY=-3',
          'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3',
          'FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH',
          'FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1',
        ]) {
          expect(() => normalizeRRuleString(rule, '1997-09-02T09:00', NEW_YORK)).not.toThrow();
        }
        expect(normalizeRRuleString('FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH', '1997-09-02T09:00')).toBe(
          'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU;COUNT=8',
        );
        expect(normalizeRRuleString('FREQ=YEARLY', '2026-03-13T09:00')).toBe('FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=13');
      });

      it('refuses impossible rules quickly instead of scanning for centuries', () => {
        const started = Date.now();
        expectRecurrenceError(() => normalizeRRuleString('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', '2026-01-05T09:00'), 'never falls in February');
        expectRecurrenceError(() => normalizeRRuleString('FREQ=MONTHLY;BYMONTH=4,6;BYMONTHDAY=31', '2026-01-05T09:00'), 'never falls in April or June');
        expectRecurrenceError(() => normalizeRRuleString('FREQ=DAILY;INTERVAL=7;BYDAY=TU', '2026-01-05T09:00'), 'no occurrence in the 5 years');
        expectRecurrenceError(() => normalizeRRuleString('FREQ=MONTHLY;BYDAY=MO;BYSETPOS=7', '2026-01-05T09:00'), 'no occurrence in the 5 years');
        expectRecurrenceError(() => normalizeRRuleString('FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29', '2027-01-05T09:00'), 'no occurrence in the 5 years');
        expect(Date.now() - started).toBeLessThan(15_000);
      });

      it('rejects rules outside the supported subset with a clear message', () => {
        expectRecurrenceError(() => parseRRuleString('FREQ=WEEKLY;INTERVAL=0'), 'INTERVAL=0 is not allowed: INTERVAL must be a whole number from 1 to 99');
        expectRecurrenceError(() => parseRRuleString('FREQ=DAILY;INTERVAL=100'), 'INTERVAL=100 is not allowed');
        expectRecurrenceError(() => parseRRuleString('FREQ=DAILY;COUNT=100000'), 'COUNT=100000 is not allowed: COUNT must be a whole number from 1 to 500');
        expectRecurrenceError(() => parseRRuleString(`FREQ=DAILY;COUNT=${MAX_COUNT + 1}`), 'COUNT must be a whole number from 1 to 500');
        expectRecurrenceError(() => parseRRuleString('FREQ=DAILY;COUNT=0'), 'COUNT=0 is not allowed');
        expectRecurrenceError(() => parseRRuleString('FREQ=SECONDLY'), 'FREQ=SECONDLY is not supported: events repeat at most daily');
        expectRecurrenceError(() => parseRRuleString('RRULE:FREQ=MINUTELY;COUNT=5'), 'FREQ=MINUTELY is not supported');
        expectRecurrenceError(() => parseRRuleString('FREQ=HOURLY'), 'FREQ=HOURLY is not supported');
        expectRecurrenceError(() => parseRRuleString('FREQ=DAILY;BYHOUR=9,10'), 'BYHOUR=9,10 is not supported: an event happens at most once a day');
        expectRecurrenceError(() => normalizeRRuleString('FREQ=DAILY;BYHOUR=10', '2026-03-02T09:00'), 'must match the first start');
        expectRecurrenceError(() => parseRRuleString('FREQ=DAILY;BYEASTER=0'), 'BYEASTER is not supported; supported parts are');
        expectRecurrenceError(() => parseRRuleString('FREQ=MONTHLY;BYSETPOS=-1'), 'BYSETPOS needs another BYxxx part');
        expectRecurrenceError(() => parseRRuleString('FREQ=WEEKLY;COUNT=3;UNTIL=20270101'), 'UNTIL and COUNT cannot be used together');
        expectRecurrenceError(() => parseRRuleString('FREQ=WEEKLY;BYDAY=XX'), 'BYDAY value "XX" is not a weekday');
        expectRecurrenceError(
          () => parseRRuleString('FREQ=WEEKLY;BYDAY=1MO'),
          'numbered weekdays such as "1MO" are allowed only with FREQ=MONTHLY or FREQ=YEARLY',
        );
        expectRecurrenceError(() => parseRRuleString('FREQ=MONTHLY;BYDAY=6FR'), 'the number must be from 1 to 5 or -5 to -1');
        expectRecurrenceError(() => parseRRuleString('FREQ=MONTHLY;BYMONTHDAY=32'), 'BYMONTHDAY=32: "32" is not allowed');
        expectRecurrenceError(() => parseRRuleString('FREQ=MONTHLY;BYYEARDAY=100'), 'BYYEARDAY is allowed only with FREQ=YEARLY');
        expectRecurrenceError(() => parseRRuleString('FREQ=WEEKLY;BYMONTHDAY=3'), 'BYMONTHDAY is not allowed with FREQ=WEEKLY');
        expectRecurrenceError(() => parseRRuleString('FREQ=WEEKLY;WKST=XX'), 'is not a weekday');
        expectRecurrenceError(() => parseRRuleString('DTSTART:20260302T090000\nRRULE:FREQ=DAILY'), 'Send only the RRULE line');
        expectRecurrenceError(() => parseRRuleString('INTERVAL=2'), 'FREQ is missing');
        expectRecurrenceError(() => parseRRuleString('FREQ=DAILY;FREQ=WEEKLY'), 'FREQ appears more than once');
        expectRecurrenceError(() => parseRRuleString('FREQ=DAILY;UNTIL=tomorrow'), 'UNTIL=tomorrow is not a date');
        expectRecurrenceError(() => parseRRuleString(''), 'The recurrence rule is empty');
      });

      it('describes rules in words', () => {
        expect(describeRecurrence('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270131T235959')).toBe('Every 2 weeks on Monday and Wednesday, until 31 Jan 2027');
        expect(describeRecurrence('FREQ=DAILY')).toBe('Every day');
        expect(describeRecurrence('FREQ=DAILY;INTERVAL=3;COUNT=10')).toBe('Every 3 days, 10 times');
        expect(describeRecurrence('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR')).toBe('Every weekday (Monday to Friday)');
        expect(describeRecurrence('FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=1')).toBe('Every week on Monday, Wednesday and Friday, once');
        expect(describeRecurrence('FREQ=MONTHLY;BYMONTHDAY=31')).toBe('Every month on day 31');
        expect(describeRecurrence('FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR')).toBe('Every 3 months on the last Friday');
        expect(describeRecurrence('FREQ=MONTHLY;BYDAY=2TU')).toBe('Every month on the second Tuesday');
        expect(describeRecurrence('FREQ=WEEKLY;BYDAY=MO;UNTIL=20270201T045959Z', NEW_YORK)).toBe('Every week on Monday, until 31 Jan 2027');
      });

      it('writes UNTIL in UTC for iCalendar output', () => {
        expect(toICalendarRRule('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260316T235959', NEW_YORK)).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260317T035959Z');
        expect(toICalendarRRule('FREQ=WEEKLY;BYDAY=MO;COUNT=4', NEW_YORK)).toBe('FREQ=WEEKLY;BYDAY=MO;COUNT=4');
      });
    });

    describe('expansion across DST changes', () => {
      it('keeps a weekly 09:00 New York meeting at 09:00 local through both changes', () => {
        const series = { rrule: 'FREQ=WEEKLY;BYDAY=MO', firstStartLocal: '2026-03-02T09:00', timeZone: NEW_YORK, durationMinutes: 60 };
        expect(starts({ ...series, from: at('2026-03-01T00:00:00Z'), to: at('2026-03-17T00:00:00Z') })).toEqual([
          '2026-03-02T14:00:00.000Z',
          '2026-03-09T13:00:00.000Z',
          '2026-03-16T13:00:00.000Z',
        ]);
        expect(starts({ ...series, from: at('2026-10-25T00:00:00Z'), to: at('2026-11-10T00:00:00Z') })).toEqual([
          '2026-10-26T13:00:00.000Z',
          '2026-11-02T14:00:00.000Z',
          '2026-11-09T14:00:00.000Z',
        ]);
        const [first] = expandOccurrences({ ...series, from: at('2026-03-09T00:00:00Z'), to: at('2026-03-10T00:00:00Z') });
        expect(first!.end.toISOString()).toBe('2026-03-09T14:00:00.000Z');
      });

      it('keeps a weekly 09:00 London meeting at 09:00 local', () => {
        const series = { rrule: 'FREQ=WEEKLY;BYDAY=TU', firstStartLocal: '2026-03-24T09:00', timeZone: LONDON, durationMinutes: 30 };
        expect(starts({ ...series, from: at('2026-03-20T00:00:00Z'), to: at('2026-04-01T00:00:00Z') })).toEqual([
          '2026-03-24T09:00:00.000Z',
          '2026-03-31T08:00:00.000Z',
        ]);
        expect(starts({ ...series, from: at('2026-10-19T00:00:00Z'), to: at('2026-10-28T00:00:00Z') })).toEqual([
          '2026-10-20T08:00:00.000Z',
          '2026-10-27T09:00:00.000Z',
        ]);
      });

      it('keeps a weekly 09:00 Sydney meeting at 09:00 local (southern hemisphere)', () => {
        const series = { rrule: 'FREQ=WEEKLY;BYDAY=WE', firstStartLocal: '2026-03-25T09:00', timeZone: SYDNEY, durationMinutes: 45 };
        expect(starts({ ...series, from: at('2026-03-20T00:00:00Z'), to: at('2026-04-09T00:00:00Z') })).toEqual([
          '2026-03-24T22:00:00.000Z',
          '2026-03-31T22:00:00.000Z',
          '2026-04-07T23:00:00.000Z',
        ]);
        expect(starts({ ...series, from: at('2026-09-29T00:00:00Z'), to: at('2026-10-08T00:00:00Z') })).toEqual([
          '2026-09-29T23:00:00.000Z',
          '2026-10-06T22:00:00.000Z',
        ]);
      });

      it('moves a daily 02:30 forward on the spring-forward day and keeps the earlier 01:30 on the fall-back day', () => {
        const gap = { rrule: 'FREQ=DAILY', firstStartLocal: '2026-03-06T02:30', timeZone: NEW_YORK, durationMinutes: 30 };
        expect(starts({ ...gap, from: at('2026-03-06T00:00:00Z'), to: at('2026-03-10T00:00:00Z') })).toEqual([
          '2026-03-06T07:30:00.000Z',
          '2026-03-07T07:30:00.000Z',
          '2026-03-08T07:30:00.000Z', // 03:30 EDT: 02:30 does not exist that night
          '2026-03-09T06:30:00.000Z',
        ]);
        const overlap = { rrule: 'FREQ=DAILY', firstStartLocal: '2026-10-31T01:30', timeZone: NEW_YORK, durationMinutes: 30 };
        expect(starts({ ...overlap, from: at('2026-10-31T00:00:00Z'), to: at('2026-11-03T00:00:00Z') })).toEqual([
          '2026-10-31T05:30:00.000Z',
          '2026-11-01T05:30:00.000Z',
          '2026-11-02T06:30:00.000Z',
        ]);
      });
    });

    describe('monthly and interval rules', () => {
      it('skips months without a 31st for a monthly rule on the 31st (RFC 5545)', () => {
        const rrule = toRRuleString({ freq: 'monthly', interval: 1 }, '2026-01-31T09:00');
        expect(
          starts({
            rrule,
            firstStartLocal: '2026-01-31T09:00',
            timeZone: LONDON,
            durationMinutes: 60,
            from: at('2026-01-01T00:00:00Z'),
            to: at('2027-01-01T00:00:00Z'),
          }),
        ).toEqual([
          '2026-01-31T09:00:00.000Z',
          '2026-03-31T08:00:00.000Z',
          '2026-05-31T08:00:00.000Z',
          '2026-07-31T08:00:00.000Z',
          '2026-08-31T08:00:00.000Z',
          '2026-10-31T09:00:00.000Z',
          '2026-12-31T09:00:00.000Z',
        ]);
      });

      it('repeats on the last Friday and on the second Tuesday', () => {
        const lastFriday = toRRuleString({ freq: 'monthly', interval: 1, monthlyBy: 'weekday' }, '2026-01-30T15:00');
        const fridays = expandOccurrences({
          rrule: lastFriday,
          firstStartLocal: '2026-01-30T15:00',
          timeZone: 'UTC',
          durationMinutes: 60,
          from: at('2026-01-01T00:00:00Z'),
          to: at('2026-07-01T00:00:00Z'),
        });
        expect(fridays.map((o) => o.start.toISOString().slice(0, 10))).toEqual([
          '2026-01-30',
          '2026-02-27',
          '2026-03-27',
          '2026-04-24',
          '2026-05-29',
          '2026-06-26',
        ]);
        const secondTuesday = expandOccurrences({
          rrule: 'FREQ=MONTHLY;BYDAY=2TU',
          firstStartLocal: '2026-03-10T09:00',
          timeZone: NEW_YORK,
          durationMinutes: 60,
          from: at('2026-03-01T00:00:00Z'),
          to: at('2026-06-01T00:00:00Z'),
        });
        expect(secondTuesday.map((o) => o.start.toISOString())).toEqual(['2026-03-10T13:00:00.000Z', '2026-04-14T13:00:00.000Z', '2026-05-12T13:00:00.000Z']);
      });

      it('repeats every 2 weeks on Monday and Wednesday until COUNT is used up', () => {
        const rrule = toRRuleString({ freq: 'weekly', interval: 2, byWeekday: ['MO', 'WE'], count: 5 }, '2026-03-02T09:00');
        expect(
          starts({
            rrule,
            firstStartLocal: '2026-03-02T09:00',
            timeZone: NEW_YORK,
            durationMinutes: 60,
            from: at('2026-01-01T00:00:00Z'),
            to: at('2026-12-31T00:00:00Z'),
          }),
        ).toEqual(['2026-03-02T14:00:00.000Z', '2026-03-04T14:00:00.000Z', '2026-03-16T13:00:00.000Z', '2026-03-18T13:00:00.000Z', '2026-03-30T13:00:00.000Z']);
        expect(describeRecurrence(rrule)).toBe('Every 2 weeks on Monday and Wednesday, 5 times');
      });

      it('includes the UNTIL date itself', () => {
        const rrule = toRRuleString({ freq: 'weekly', interval: 1, until: '2026-03-16' }, '2026-03-02T21:00');
        expect(
          starts({
            rrule,
            firstStartLocal: '2026-03-02T21:00',
            timeZone: NEW_YORK,
            durationMinutes: 60,
            from: at('2026-01-01T00:00:00Z'),
            to: at('2026-12-31T00:00:00Z'),
          }),
        ).toEqual(['2026-03-03T02:00:00.000Z', '2026-03-10T01:00:00.000Z', '2026-03-17T01:00:00.000Z']);
        expect(describeRecurrence(rrule)).toBe('Every week on Monday, until 16 Mar 2026');
      });

      it('gives a one-off event (no rule) exactly one occurrence', () => {
        const oneOff = { rrule: null, firstStartLocal: '2026-03-09T09:00', timeZone: NEW_YORK, durationMinutes: 90 };
        expect(expandOccurrences({ ...oneOff, from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') })).toEqual([
          { originalStart: at('2026-03-09T13:00:00Z'), start: at('2026-03-09T13:00:00Z'), end: at('2026-03-09T14:30:00Z'), isMoved: false },
        ]);
        expect(expandOccurrences({ ...oneOff, from: at('2026-03-10T00:00:00Z'), to: at('2026-04-01T00:00:00Z') })).toEqual([]);
      });
    });

    describe('exceptions, overrides and windows', () => {
      const weekly = { rrule: 'FREQ=WEEKLY;BYDAY=MO', firstStartLocal: '2026-03-02T09:00', timeZone: NEW_YORK, durationMinutes: 60 };
      const march = { from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') };

      it('leaves out cancelled occurrences and shows moved ones at their new time', () => {
        const occurrences = expandOccurrences({
          ...weekly,
          ...march,
          exceptions: [at('2026-03-09T13:00:00Z').getTime()],
          overrides: [
            { originalStart: at('2026-03-16T13:00:00Z'), start: at('2026-03-17T15:00:00Z'), end: at('2026-03-17T16:00:00Z') },
            // The 6 April occurrence pulled forward into March.
            { originalStart: at('2026-04-06T13:00:00Z'), start: at('2026-03-25T18:00:00Z'), end: at('2026-03-25T19:30:00Z') },
            // Not an occurrence of the rule (a Tuesday): ignored.
            { originalStart: at('2026-03-24T13:00:00Z'), start: at('2026-03-26T13:00:00Z'), end: at('2026-03-26T14:00:00Z') },
          ],
        });
        expect(occurrences.map((o) => [o.originalStart.toISOString(), o.start.toISOString(), o.isMoved])).toEqual(
          [
            ['2026-03-02T14:00:00.000Z', '2026-03-02T14:00:00.000Z', false],
            ['2026-03-16T13:00:00.000Z', '2026-03-17T15:00:00.000Z', true],
            ['2026-03-23T13:00:00.000Z', '2026-03-23T13:00:00.000Z', false],
            ['2026-04-06T13:00:00.000Z', '2026-03-25T18:00:00.000Z', true],
            ['2026-03-30T13:00:00.000Z', '2026-03-30T13:00:00.000Z', false],
          ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
        );
        const april = expandOccurrences({
          ...weekly,
          from: at('2026-04-01T00:00:00Z'),
          to: at('2026-04-14T00:00:00Z'),
          overrides: [{ originalStart: at('2026-04-06T13:00:00Z'), start: at('2026-03-25T18:00:00Z'), end: at('2026-03-25T19:30:00Z') }],
        });
        expect(april.map((o) => o.start.toISOString())).toEqual(['2026-04-13T13:00:00.000Z']);
      });

      it('lets a cancellation win over a move and accepts any iterable of cancelled starts', () => {
        const cancelled = new Set([at('2026-03-16T13:00:00Z').getTime()]);
        const occurrences = expandOccurrences({
          ...weekly,
          ...march,
          exceptions: cancelled,
          overrides: [{ originalStart: at('2026-03-16T13:00:00Z'), start: at('2026-03-17T15:00:00Z'), end: at('2026-03-17T16:00:00Z') }],
        });
        expect(occurrences.map((o) => o.start.toISOString().slice(0, 10))).toEqual(['2026-03-02', '2026-03-09', '2026-03-23', '2026-03-30']);
      });

      it('returns occurrences that overlap the window [from, to)', () => {
        const window = (from: string, to: string) => starts({ ...weekly, from: at(from), to: at(to) });
        // The 9 March occurrence runs 13:00–14:00Z.
        expect(window('2026-03-09T14:00:00Z', '2026-03-10T00:00:00Z')).toEqual([]);
        expect(window('2026-03-09T13:59:00Z', '2026-03-10T00:00:00Z')).toEqual(['2026-03-09T13:00:00.000Z']);
        expect(window('2026-03-09T00:00:00Z', '2026-03-09T13:00:00Z')).toEqual([]);
        expect(window('2026-03-09T00:00:00Z', '2026-03-09T13:00:01Z')).toEqual(['2026-03-09T13:00:00.000Z']);
        expect(window('2026-03-09T13:20:00Z', '2026-03-09T13:40:00Z')).toEqual(['2026-03-09T13:00:00.000Z']);
        expect(window('2026-03-09T13:00:00Z', '2026-03-09T13:00:00Z')).toEqual([]);
      });

      it('includes a long occurrence that began before the window', () => {
        const allDay = { ...weekly, durationMinutes: 8 * 60 };
        expect(starts({ ...allDay, from: at('2026-03-09T20:00:00Z'), to: at('2026-03-10T00:00:00Z') })).toEqual(['2026-03-09T13:00:00.000Z']);
      });

      it('refuses windows longer than three years and bad inputs', () => {
        expectRecurrenceError(() => expandOccurrences({ ...weekly, from: at('2026-01-01T00:00:00Z'), to: at('2029-06-01T00:00:00Z') }), 'at most three years');
        expectRecurrenceError(() => expandOccurrences({ ...weekly, ...march, rrule: 'FREQ=HOURLY' }), 'FREQ=HOURLY is not supported');
        expectRecurrenceError(() => expandOccurrences({ ...weekly, ...march, durationMinutes: 0 }), 'Duration must be a positive whole number');
        expectRecurrenceError(() => expandOccurrences({ ...weekly, ...march, timeZone: 'Nowhere/Special' }), 'Unknown time zone');
        expectRecurrenceError(() => expandOccurrences({ ...weekly, from: new Date('nope'), to: march.to }), 'from is not a valid date');
      });

      it('expands an open-ended daily series over the longest window', () => {
        const occurrences = expandOccurrences({
          rrule: 'FREQ=DAILY',
          firstStartLocal: '2026-01-01T09:00',
          timeZone: NEW_YORK,
          durationMinutes: 30,
          from: at('2026-01-01T00:00:00Z'),
          to: at('2029-01-01T00:00:00Z'),
        });
        expect(occurrences).toHaveLength(365 * 3 + 1);
      });
    });

    describe('old series', () => {
      it('expands a 30-day window of a 10-year-old every-2-weeks series correctly', () => {
        const series = { rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', firstStartLocal: '2016-03-02T09:00', timeZone: NEW_YORK, durationMinutes: 60 };
        // 2016-03-02 lies in the week of Monday 2016-02-29; 2026-03-02 is 522 weeks later, an "on" week.
        expect(starts({ ...series, from: at('2026-03-01T00:00:00Z'), to: at('2026-03-31T00:00:00Z') })).toEqual([
          '2026-03-02T14:00:00.000Z',
          '2026-03-04T14:00:00.000Z',
          '2026-03-16T13:00:00.000Z',
          '2026-03-18T13:00:00.000Z',
          '2026-03-30T13:00:00.000Z',
        ]);
        // The week after is an "off" week.
        expect(starts({ ...series, from: at('2026-03-08T00:00:00Z'), to: at('2026-03-15T00:00:00Z') })).toEqual([]);
      });

      it('keeps every-3-days and monthly-31st rules aligned to their first start after years', () => {
        const daily = expandOccurrences({
          rrule: 'FREQ=DAILY;INTERVAL=3',
          firstStartLocal: '2016-01-01T08:00',
          timeZone: 'UTC',
          durationMinutes: 15,
          from: at('2026-03-01T00:00:00Z'),
          to: at('2026-03-31T00:00:00Z'),
        });
        const firstDay = Date.UTC(2016, 0, 1) / 86_400_000;
        const expected: string[] = [];
        for (let day = Date.UTC(2026, 2, 1) / 86_400_000; day < Date.UTC(2026, 2, 31) / 86_400_000; day++) {
          if ((day - firstDay) % 3 === 0) expected.push(new Date(day * 86_400_000 + 8 * 3_600_000).toISOString());
        }
        expect(daily.map((o) => o.start.toISOString())).toEqual(expected);
        expect(expected.length).toBe(10);

        const monthly = starts({
          rrule: 'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=31',
          firstStartLocal: '2016-01-31T09:00',
          timeZone: 'UTC',
          durationMinutes: 60,
          from: at('2026-01-01T00:00:00Z'),
          to: at('2026-12-31T23:59:59Z'),
        });
        // Odd months from January 2016 stay odd months: Jan, Mar, May, Jul (Sep and Nov have 30 days).
        expect(monthly).toEqual(['2026-01-31T09:00:00.000Z', '2026-03-31T09:00:00.000Z', '2026-05-31T09:00:00.000Z', '2026-07-31T09:00:00.000Z']);
      });

      it('stops an old UNTIL-bounded series and counts an old COUNT-bounded one from its start', () => {
        const bounded = { rrule: 'FREQ=WEEKLY;BYDAY=FR;UNTIL=20260313T235959', firstStartLocal: '2016-01-01T10:00', timeZone: LONDON, durationMinutes: 60 };
        expect(starts({ ...bounded, from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') })).toEqual([
          '2026-03-06T10:00:00.000Z',
          '2026-03-13T10:00:00.000Z',
        ]);
        const counted = { rrule: 'FREQ=WEEKLY;BYDAY=FR;COUNT=500', firstStartLocal: '2016-01-01T10:00', timeZone: LONDON, durationMinutes: 60 };
        // The 500th Friday after 2016-01-01 is 499 weeks later: 2025-07-25.
        expect(starts({ ...counted, from: at('2025-07-01T00:00:00Z'), to: at('2025-09-01T00:00:00Z') })).toEqual([
          '2025-07-04T09:00:00.000Z',
          '2025-07-11T09:00:00.000Z',
          '2025-07-18T09:00:00.000Z',
          '2025-07-25T09:00:00.000Z',
        ]);
      });
    });

    describe('single occurrences and splitting', () => {
      const series = { rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10', firstStartLocal: '2026-03-02T09:00', timeZone: NEW_YORK, durationMinutes: 60 };

      it('tells whether an instant is an occurrence', () => {
        expect(occurrenceAt(series, at('2026-03-09T13:00:00Z'))).toEqual({
          originalStart: at('2026-03-09T13:00:00Z'),
          start: at('2026-03-09T13:00:00Z'),
          end: at('2026-03-09T14:00:00Z'),
          isMoved: false,
        });
        expect(occurrenceAt(series, at('2026-03-09T14:00:00Z'))).toBeNull();
        expect(occurrenceAt(series, at('2026-03-10T13:00:00Z'))).toBeNull();
        // Occurrence 11 would be Monday 6 April, beyond COUNT=10.
        expect(occurrenceAt(series, at('2026-04-01T13:00:00Z'))).not.toBeNull();
        expect(occurrenceAt(series, at('2026-04-06T13:00:00Z'))).toBeNull();
        const gap = { rrule: 'FREQ=DAILY', firstStartLocal: '2026-03-06T02:30', timeZone: NEW_YORK, durationMinutes: 30 };
        expect(occurrenceAt(gap, at('2026-03-08T07:30:00Z'))).not.toBeNull();
        const oneOff = { rrule: null, firstStartLocal: '2026-03-09T09:00', timeZone: NEW_YORK, durationMinutes: 30 };
        expect(occurrenceAt(oneOff, at('2026-03-09T13:00:00Z'))).not.toBeNull();
        expect(occurrenceAt(oneOff, at('2026-03-16T13:00:00Z'))).toBeNull();
        const old = { rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', firstStartLocal: '2016-03-02T09:00', timeZone: NEW_YORK, durationMinutes: 60 };
        expect(occurrenceAt(old, at('2026-03-04T14:00:00Z'))).not.toBeNull();
        expect(occurrenceAt(old, at('2026-03-11T13:00:00Z'))).toBeNull();
      });

      it('finds the last occurrence before an instant', () => {
        expect(lastOccurrenceBefore(series, at('2026-03-16T13:00:00Z'))!.start.toISOString()).toBe('2026-03-11T13:00:00.000Z');
        expect(lastOccurrenceBefore(series, at('2026-03-02T14:00:00Z'))).toBeNull();
        expect(lastOccurrenceBefore(series, at('2030-01-01T00:00:00Z'))!.start.toISOString()).toBe('2026-04-01T13:00:00.000Z');
        const old = { rrule: 'FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=31', firstStartLocal: '2016-01-31T09:00', timeZone: 'UTC', durationMinutes: 60 };
        // Months 5k after January 2016 that have a 31st: …, 2025-08 (k = 23), 2026-01 (k = 24); 2026-06 has 30 days.
        expect(lastOccurrenceBefore(old, at('2026-06-01T00:00:00Z'))!.start.toISOString()).toBe('2026-01-31T09:00:00.000Z');
        expect(lastOccurrenceBefore(old, at('2026-01-31T09:00:00Z'))!.start.toISOString()).toBe('2025-08-31T09:00:00.000Z');
      });

      it('finds where a series ends', () => {
        expect(lastOccurrenceEnd(series)!.toISOString()).toBe('2026-04-01T14:00:00.000Z');
        expect(lastOccurrenceEnd({ ...series, rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260316T235959' })!.toISOString()).toBe('2026-03-16T14:00:00.000Z');
        expect(lastOccurrenceEnd({ ...series, rrule: 'FREQ=WEEKLY;BYDAY=MO' })).toBeNull();
        expect(lastOccurrenceEnd({ ...series, rrule: null })!.toISOString()).toBe('2026-03-02T15:00:00.000Z');
      });

      it('splits a COUNT series for "this and following" so head and tail cover the same occurrences', () => {
        const split = splitSeries(series.rrule, series.firstStartLocal, NEW_YORK, at('2026-03-16T13:00:00Z'));
        expect(split).toEqual({
          headRRule: 'FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260311T235959',
          headLastLocalDate: '2026-03-11',
          tailFirstStartLocal: '2026-03-16T09:00',
          tailRRule: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6',
        });
        const window = { from: at('2026-01-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') };
        const whole = starts({ ...series, ...window });
        const head = starts({ ...series, rrule: split.headRRule, ...window });
        const tail = starts({ ...series, rrule: split.tailRRule, firstStartLocal: split.tailFirstStartLocal, ...window });
        expect(head).toHaveLength(4);
        expect([...head, ...tail]).toEqual(whole);
      });

      it('splits an every-2-weeks UNTIL series and keeps the tail in step', () => {
        const rrule = 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20260630T235959';
        const split = splitSeries(rrule, '2026-03-02T09:00', NEW_YORK, at('2026-03-18T13:00:00Z'));
        expect(split.headRRule).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20260316T235959');
        expect(split.tailFirstStartLocal).toBe('2026-03-18T09:00');
        expect(split.tailRRule).toBe(rrule);
        const window = { from: at('2026-01-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') };
        const base = { timeZone: NEW_YORK, durationMinutes: 60, ...window };
        const whole = starts({ ...base, rrule, firstStartLocal: '2026-03-02T09:00' });
        const head = starts({ ...base, rrule: split.headRRule, firstStartLocal: '2026-03-02T09:00' });
        const tail = starts({ ...base, rrule: split.tailRRule, firstStartLocal: split.tailFirstStartLocal });
        expect([...head, ...tail]).toEqual(whole);
      });

      it('has no head when splitting at the first occurrence, and refuses non-occurrences', () => {
        expect(splitSeries(series.rrule, series.firstStartLocal, NEW_YORK, at('2026-03-02T14:00:00Z'))).toEqual({
          headRRule: null,
          headLastLocalDate: null,
          tailFirstStartLocal: '2026-03-02T09:00',
          tailRRule: series.rrule,
        });
        expectRecurrenceError(
          () => splitSeries(series.rrule, series.firstStartLocal, NEW_YORK, at('2026-03-03T14:00:00Z')),
          'The series has no occurrence at that start',
        );
      });

      it('keeps the rule time for a tail that starts in a DST gap', () => {
        const split = splitSeries('FREQ=DAILY', '2026-03-06T02:30', NEW_YORK, at('2026-03-08T07:30:00Z'));
        expect(split.tailFirstStartLocal).toBe('2026-03-08T02:30');
        expect(split.headRRule).toBe('FREQ=DAILY;UNTIL=20260307T235959');
      });
    });

    describe('occurrence keys', () => {
      it('round-trips event id and original start', () => {
        const key = occurrenceKey(42, at('2026-03-09T13:00:00Z'));
        expect(key).toBe('42_20260309T130000Z');
        expect(parseOccurrenceKey(key)).toEqual({ eventId: '42', originalStart: at('2026-03-09T13:00:00Z') });
        expect(parseOccurrenceKey(occurrenceKey('evt_7', at('2026-11-01T05:30:00Z')))).toEqual({
          eventId: 'evt_7',
          originalStart: at('2026-11-01T05:30:00Z'),
        });
      });

      it('refuses malformed keys', () => {
        expect(parseOccurrenceKey('42')).toBeNull();
        expect(parseOccurrenceKey('42_20260230T130000Z')).toBeNull();
        expect(parseOccurrenceKey('_20260309T130000Z')).toBeNull();
        expect(parseOccurrenceKey('42_2026-03-09T13:00:00Z')).toBeNull();
      });
    });
  });
}
