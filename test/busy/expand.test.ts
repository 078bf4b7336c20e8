import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandBusyIntervals, NotACalendarError } from '../../src/busy/expand';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const spans = (text: string, options: Partial<Parameters<typeof expandBusyIntervals>[1]> = {}) =>
  expandBusyIntervals(text, {
    timeZone: 'Europe/Berlin',
    from: new Date('2026-03-01T00:00:00Z'),
    to: new Date('2026-07-01T00:00:00Z'),
    ...options,
  }).intervals.map((i) => `${i.start.toISOString()} ${i.end.toISOString()}`);
const span = (start: string, end: string) => `${new Date(start).toISOString()} ${new Date(end).toISOString()}`;

const calendar = (...events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR'].join('\r\n');
const vevent = (...lines: string[]) => ['BEGIN:VEVENT', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'].join('\r\n');

describe('busy intervals of a Google calendar', () => {
  it('expands the series with its exception dates, moved and cancelled occurrences across the DST change, all-day and UTC events', () => {
    expect(spans(fixture('google.ics'), { ownEmails: ['mark@example.com'] })).toEqual([
      span('2026-03-02T09:00Z', '2026-03-02T10:00Z'),
      span('2026-03-05T13:00Z', '2026-03-05T14:30Z'),
      span('2026-03-09T09:00Z', '2026-03-09T10:00Z'),
      // Vacation 10–11 March: whole days in the person's zone.
      span('2026-03-09T23:00Z', '2026-03-11T23:00Z'),
      // 16 March excluded; 23 March moved to Tuesday 24 March 14:00.
      span('2026-03-24T13:00Z', '2026-03-24T14:00Z'),
      // Summer time from 29 March: 10:00 Berlin is 08:00 UTC. 6 April cancelled; UNTIL ends before 27 April.
      span('2026-03-30T08:00Z', '2026-03-30T09:00Z'),
      span('2026-04-13T08:00Z', '2026-04-13T09:00Z'),
      span('2026-04-20T08:00Z', '2026-04-20T09:00Z'),
    ]);
  });

  it('counts an event the person declined as busy when their address is not known', () => {
    expect(spans(fixture('google.ics'))).toContain(span('2026-03-06T08:00Z', '2026-03-06T09:00Z'));
  });

  it('reads all-day events in the person’s own zone', () => {
    expect(spans(fixture('google.ics'), { timeZone: 'America/New_York' })).toContain(span('2026-03-10T04:00Z', '2026-03-12T04:00Z'));
  });
});

describe('busy intervals of an Outlook calendar', () => {
  it('reads Windows zone names by their VTIMEZONE (or by name), BYSETPOS, overrides, all-day and floating times; free time is not busy', () => {
    expect(spans(fixture('outlook.ics'))).toEqual([
      // Eastern Standard Time block: 09:00 EDT (after 8 March) is 13:00 UTC.
      span('2026-03-10T13:00Z', '2026-03-10T14:00Z'),
      // "Pacific Standard Time" without a block: read as America/Los_Angeles (PDT).
      span('2026-03-12T16:00Z', '2026-03-12T16:30Z'),
      // Floating: the person's zone (Berlin, CET).
      span('2026-03-20T11:00Z', '2026-03-20T12:00Z'),
      // Last Friday of March 15:00 W. Europe (CET); April's is excluded.
      span('2026-03-27T14:00Z', '2026-03-27T15:00Z'),
      span('2026-03-31T22:00Z', '2026-04-01T22:00Z'),
      // May's moved to Thursday 28 May 11:00 CEST.
      span('2026-05-28T09:00Z', '2026-05-28T10:00Z'),
      span('2026-06-26T13:00Z', '2026-06-26T14:00Z'),
    ]);
  });
});

describe('expansion bounds', () => {
  it('keeps only intervals overlapping the window and merges overlaps', () => {
    const text = calendar(
      vevent('UID:a', 'DTSTART:20260305T090000Z', 'DTEND:20260305T100000Z'),
      vevent('UID:b', 'DTSTART:20260305T093000Z', 'DURATION:PT1H'),
      vevent('UID:c', 'DTSTART:20250101T090000Z', 'DTEND:20250101T100000Z'),
      vevent('UID:d', 'DTSTART:20260305T120000Z'),
    );
    expect(spans(text)).toEqual([span('2026-03-05T09:00Z', '2026-03-05T10:30Z')]);
  });

  it('reads a daily rule from long ago up to the window and caps the number of intervals', () => {
    const text = calendar(vevent('UID:daily', 'DTSTART:19900101T090000Z', 'DTEND:19900101T093000Z', 'RRULE:FREQ=DAILY'));
    const result = expandBusyIntervals(text, { timeZone: 'UTC', from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-11T00:00:00Z') });
    expect(result.intervals).toHaveLength(10);
    expect(result.truncated).toBe(false);
    const capped = expandBusyIntervals(text, {
      timeZone: 'UTC',
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2027-03-01T00:00:00Z'),
      maxIntervals: 50,
    });
    expect(capped.intervals).toHaveLength(50);
    expect(capped.intervals[0]!.start.toISOString()).toBe('2026-03-01T09:00:00.000Z');
    expect(capped.truncated).toBe(true);
  });

  it('stops an endless fine-grained rule at its step limit', () => {
    const text = calendar(vevent('UID:minutely', 'DTSTART:19700101T000000Z', 'DURATION:PT1M', 'RRULE:FREQ=MINUTELY'));
    // CPU time, not wall time: other processes on a busy machine must not decide it.
    const started = process.cpuUsage();
    const result = expandBusyIntervals(text, { timeZone: 'UTC', from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') });
    expect(result.truncated).toBe(true);
    expect(result.intervals).toHaveLength(0);
    const spent = process.cpuUsage(started);
    expect((spent.user + spent.system) / 1000).toBeLessThan(5000);
  });

  it('skips an event it cannot place and keeps the rest', () => {
    const text = calendar(vevent('UID:bad', 'DTEND:20260305T100000Z'), vevent('UID:good', 'DTSTART:20260306T090000Z', 'DTEND:20260306T100000Z'));
    expect(spans(text)).toContain(span('2026-03-06T09:00Z', '2026-03-06T10:00Z'));
  });

  it('refuses what is not a calendar', () => {
    expect(() => spans('<!doctype html><title>Sign in</title>')).toThrow(NotACalendarError);
    expect(() => spans('BEGIN:VCALENDAR\r\nthis is not ical')).toThrow(NotACalendarError);
  });
});
