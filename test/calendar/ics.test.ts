import { describe, expect, it } from 'vitest';
import { buildCalendar, buildVTimezone, escapeText, foldLine, zoneTransitions, type IcsEvent } from '../../src/calendar/ics';
import { expandOccurrences, occurrenceAt, toICalendarRRule, type SeriesTiming } from '../../src/events/recurrence';
import { zonedLocalToUtc } from '../../src/lib/time';
import { expandCalendar, parseCalendar } from './ical-reader';

const stamp = new Date('2026-03-01T00:00:00Z');

/** A series written as crosstrain's feed writes it: master with RRULE/EXDATE plus one VEVENT per moved occurrence. */
function seriesEvents(
  uid: string,
  series: SeriesTiming & { rrule: string },
  cancelled: Date[],
  moved: { originalStart: Date; start: Date; end: Date }[],
): IcsEvent[] {
  const first = occurrenceAt(series, zonedLocalToUtc(series.firstStartLocal, series.timeZone))!;
  const master: IcsEvent = {
    uid,
    sequence: 2,
    stamp,
    summary: 'Weekly pipeline review',
    timing: { kind: 'timed', start: first.start, end: first.end, timeZone: series.timeZone, startLocal: series.firstStartLocal },
    rrule: toICalendarRRule(series.rrule, series.timeZone),
    exdates: cancelled,
    alarm: { minutesBefore: 1440, description: 'Weekly pipeline review' },
  };
  return [
    master,
    ...moved.map((m) => ({
      ...master,
      rrule: undefined,
      exdates: undefined,
      summary: 'Weekly pipeline review (moved)',
      recurrenceId: m.originalStart,
      timing: { kind: 'timed' as const, start: m.start, end: m.end, timeZone: series.timeZone },
    })),
  ];
}

describe('iCalendar writer', () => {
  it('escapes TEXT values and folds long lines at 75 octets without splitting characters', () => {
    expect(escapeText('Pricing; bundles, and\nnext steps \\ ok')).toBe('Pricing\\; bundles\\, and\\nnext steps \\\\ ok');
    const line = `SUMMARY:${'Überraschungs-Präsentation für Café Zürich — '.repeat(4)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(2);
    for (const [i, part] of physical.entries()) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
      if (i > 0) expect(part.startsWith(' ')).toBe(true);
    }
    expect(physical.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
  });

  it('finds the real DST transitions of a zone', () => {
    const ny = zoneTransitions('America/New_York', 2026, 2026);
    expect(ny.map((t) => [t.at.toISOString(), t.offsetFrom, t.offsetTo])).toEqual([
      ['2026-03-08T07:00:00.000Z', -300, -240],
      ['2026-11-01T06:00:00.000Z', -240, -300],
    ]);
    expect(zoneTransitions('Australia/Sydney', 2026, 2026).map((t) => t.at.toISOString())).toEqual(['2026-04-04T16:00:00.000Z', '2026-10-03T16:00:00.000Z']);
    expect(zoneTransitions('Asia/Tokyo', 2026, 2027)).toEqual([]);
    const lines = buildVTimezone('America/New_York', 2026, 2026);
    expect(lines).toContain('DTSTART:20260308T020000');
    expect(lines).toContain('DTSTART:20261101T020000');
    expect(lines).toContain('TZNAME:EDT');
  });

  it('writes a series that an independent parser expands to exactly our occurrences (DST, EXDATE, moved occurrence)', () => {
    const series = {
      rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260427T235959',
      firstStartLocal: '2026-02-23T09:00',
      timeZone: 'America/New_York',
      durationMinutes: 60,
    };
    const cancelled = [zonedLocalToUtc('2026-03-16T09:00', 'America/New_York')];
    const moved = [
      {
        originalStart: zonedLocalToUtc('2026-03-23T09:00', 'America/New_York'),
        start: zonedLocalToUtc('2026-03-24T14:30', 'America/New_York'),
        end: zonedLocalToUtc('2026-03-24T15:30', 'America/New_York'),
      },
    ];
    const berlin = { rrule: 'FREQ=DAILY;COUNT=6', firstStartLocal: '2026-03-26T08:15', timeZone: 'Europe/Berlin', durationMinutes: 45 };
    const text = buildCalendar({
      name: 'Rita Rep · crosstrain',
      events: [
        ...seriesEvents('series-1@crosstrain', series, cancelled, moved),
        ...seriesEvents('series-2@crosstrain', berlin, [], []),
        {
          uid: 'rotation-9@crosstrain',
          sequence: 0,
          stamp,
          summary: 'Rotation: Product Marketing',
          timing: { kind: 'allDay', startDate: '2026-04-06', endDate: '2026-04-18' },
          transparent: true,
        },
      ],
    });
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text).toContain('DTSTART;TZID=America/New_York:20260223T090000');
    expect(text).toContain('EXDATE;TZID=America/New_York:20260316T090000');
    expect(text).toContain('RECURRENCE-ID;TZID=America/New_York:20260323T090000');
    expect(text).toContain('TRIGGER:-P1D');

    const parsed = expandCalendar(text, new Date('2026-06-01T00:00:00Z'));
    const ours = [
      ...expandOccurrences({
        ...series,
        from: new Date('2026-01-01T00:00:00Z'),
        to: new Date('2026-06-01T00:00:00Z'),
        exceptions: cancelled,
        overrides: moved,
      }).map((o) => ({ uid: 'series-1@crosstrain', start: o.start.toISOString(), end: o.end.toISOString() })),
      ...expandOccurrences({ ...berlin, from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z') }).map((o) => ({
        uid: 'series-2@crosstrain',
        start: o.start.toISOString(),
        end: o.end.toISOString(),
      })),
    ];
    const theirs = parsed.filter((o) => !o.allDay).map((o) => ({ uid: o.uid, start: o.start.toISOString(), end: o.end.toISOString() }));
    const byStart = (a: { start: string }, b: { start: string }) => a.start.localeCompare(b.start);
    expect(theirs.sort(byStart)).toEqual(ours.sort(byStart));
    // Hand-checked: 09:00 New York is 14:00Z before 8 March and 13:00Z after it.
    expect(theirs.filter((o) => o.uid === 'series-1@crosstrain').map((o) => o.start)).toEqual([
      '2026-02-23T14:00:00.000Z',
      '2026-03-02T14:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
      '2026-03-24T18:30:00.000Z',
      '2026-03-30T13:00:00.000Z',
      '2026-04-06T13:00:00.000Z',
      '2026-04-13T13:00:00.000Z',
      '2026-04-20T13:00:00.000Z',
      '2026-04-27T13:00:00.000Z',
    ]);
    // Berlin switches on 29 March: 08:15 is 07:15Z before and 06:15Z after.
    expect(theirs.filter((o) => o.uid === 'series-2@crosstrain').map((o) => o.start.slice(5, 16))).toEqual([
      '03-26T07:15',
      '03-27T07:15',
      '03-28T07:15',
      '03-29T06:15',
      '03-30T06:15',
      '03-31T06:15',
    ]);
    const allDay = parsed.filter((o) => o.allDay);
    expect(allDay).toHaveLength(1);

    const root = parseCalendar(text);
    const master = root.getAllSubcomponents('vevent')[0]!;
    expect(master.getFirstSubcomponent('valarm')?.getFirstPropertyValue('trigger')?.toString()).toBe('-P1D');
    expect(root.getFirstPropertyValue('x-wr-calname')).toBe('Rita Rep · crosstrain');
  });

  it('keeps text with special characters intact through a parser', () => {
    const summary = `Acme, Inc.; renewal — "Q2" \\ pricing\nsecond line ${'é'.repeat(60)}`;
    const text = buildCalendar({
      events: [
        {
          uid: 'x@crosstrain',
          sequence: 0,
          stamp,
          summary,
          location: 'Room 4; floor 2',
          timing: { kind: 'timed', start: new Date('2026-03-10T15:00:00Z'), end: new Date('2026-03-10T16:00:00Z'), timeZone: 'UTC' },
        },
      ],
    });
    const vevent = parseCalendar(text).getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstPropertyValue('summary')).toBe(summary);
    expect(vevent.getFirstPropertyValue('location')).toBe('Room 4; floor 2');
    const [only] = expandCalendar(text, new Date('2027-01-01T00:00:00Z'));
    expect(only!.start.toISOString()).toBe('2026-03-10T15:00:00.000Z');
  });
});
