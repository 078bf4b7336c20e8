import { describe, expect, it } from 'vitest';
import { buildTimeline, weeklyHostedPeaks, type TimelineItem } from '../../src/rotations/timeline';
import { Timeline } from '../../views/rotations/timeline';

function item(key: string, personId: number, start: string, end: string, extra: Partial<TimelineItem> = {}): TimelineItem {
  return {
    key,
    rotationId: Number(key.slice(1)),
    personId,
    personName: `Person ${personId}`,
    department: 'marketing',
    homeTeamName: 'Brand',
    hostTeamId: 7,
    hostTeamName: 'Sales East',
    programId: 1,
    programName: 'Field',
    mentorName: null,
    start,
    end,
    status: 'planned',
    conflicts: [],
    ...extra,
  };
}

describe('buildTimeline', () => {
  it('lays bars on Monday weeks, clips them to the window and stacks overlaps in lanes', () => {
    const data = buildTimeline({
      from: '2026-03-04', // a Wednesday: the window starts on that week's Monday
      weeks: 8,
      today: '2026-03-10',
      group: 'teams',
      items: [
        item('r1', 1, '2026-02-16', '2026-03-15'),
        item('r2', 2, '2026-03-09', '2026-04-05', { conflicts: ['overridden by HR'] }),
        item('r3', 3, '2026-03-16', '2026-04-12'),
        item('r4', 4, '2026-04-20', '2026-06-14'),
        item('r5', 5, '2026-06-01', '2026-06-28'),
      ],
      blackouts: [{ name: 'Q1 close', scope: 'all sales', start: '2026-03-23', end: '2026-03-31' }],
      capacity: [],
    });
    expect(data.weekStarts[0]).toBe('2026-03-02');
    expect(data.todayWeek).toBe(1);
    expect(data.conflictCount).toBe(1);
    expect(data.rows).toHaveLength(1);
    const lanes = data.rows[0].lanes.map((lane) => lane.map((b) => [b.key, b.startWeek, b.endWeek, b.clippedStart, b.clippedEnd]));
    expect(lanes).toEqual([
      [
        ['r1', 0, 1, true, false],
        ['r3', 2, 5, false, false],
        ['r4', 7, 7, false, true],
      ],
      [['r2', 1, 4, false, false]],
    ]);
    expect(data.blackouts).toEqual([{ label: 'Q1 close (all sales)', startWeek: 3, endWeek: 4, title: 'Q1 close: all sales, 2026-03-23 to 2026-03-31' }]);

    const html = String(Timeline({ data, caption: 'test' }));
    // Each lane fills exactly the 8 week columns.
    for (const row of html.split('<tr').slice(2)) {
      const spans = [...row.matchAll(/<td[^>]*colspan="(\d+)"/g)].reduce((n, m) => n + Number(m[1]), 0);
      if (spans) expect(spans).toBe(8);
    }
    expect(html).toContain('class="bar status-planned dept-marketing conflict"');
  });

  it('counts the most guests on any one day of each week', () => {
    // Two guests meet only on the Wednesday of the first week.
    expect(
      weeklyHostedPeaks(
        [
          { start: '2026-03-02', end: '2026-03-04' },
          { start: '2026-03-04', end: '2026-03-12' },
          { start: '2026-03-13', end: '2026-03-20' },
        ],
        '2026-03-02',
        3,
      ),
    ).toEqual([2, 1, 1]);
  });
});
