/**
 * The feed carries any accepted rule: events created through the API with every RFC 5545 rule
 * shape (re-dated to 2026) expand in ical.js to exactly the API's occurrences.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anonymous, createTestApp, seedCompany, sessionAs, type TestContext } from '../support/app';
import { RFC_EXAMPLES } from '../events/rfc5545/examples';
import { expandCalendar } from './ical-reader';

let t: TestContext;
const DAY_MS = 86_400_000;
const from = new Date('2026-03-01T00:00:00Z');
const to = new Date('2028-03-01T00:00:00Z');

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  await seedCompany(t.db);
});
afterEach(() => t.close());

describe('feed with any RFC 5545 rule', () => {
  it('expands in ical.js to the instants the API gives', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const rules = [...new Set(RFC_EXAMPLES.filter((e) => !/UNTIL=19|UNTIL=20000/.test(e.rrule)).map((e) => e.rrule))];
    const api = new Map<number, string[]>();
    for (const rrule of rules) {
      const res = await rep.json('POST', '/api/v1/events', {
        kind: 'sales_call',
        title: rrule,
        start: { dateTime: '2026-03-02T09:00', timeZone: 'America/New_York' },
        end: { dateTime: '2026-03-02T10:00', timeZone: 'America/New_York' },
        account: 'Rules',
        recurrence: [`RRULE:${rrule}`],
      });
      expect(res.status, rrule).toBe(201);
      const { id } = (await res.json()) as { id: number };
      const starts: string[] = [];
      for (let at = from.getTime(); at < to.getTime(); at += 366 * DAY_MS) {
        const page = await rep.get(
          `/api/v1/events/${id}/occurrences?from=${new Date(at).toISOString()}&to=${new Date(Math.min(at + 366 * DAY_MS, to.getTime())).toISOString()}`,
        );
        for (const o of ((await page.json()) as { data: { start: string }[] }).data) starts.push(new Date(o.start).toISOString());
      }
      api.set(id, [...new Set(starts)].sort());
    }
    const me = (await (await rep.get('/api/v1/me')).json()) as { calendarUrl: string };
    const feed = await anonymous(t.app).get(new URL(me.calendarUrl).pathname);
    expect(feed.status).toBe(200);
    const parsed = expandCalendar(await feed.text(), to);
    for (const [id, starts] of api) {
      const fromFeed = parsed.filter((o) => o.uid === `event-${id}@crosstrain` && o.start >= from).map((o) => o.start.toISOString());
      expect(fromFeed, `event ${id}`).toEqual(starts);
      expect(starts.length).toBeGreaterThan(0);
    }
  });
});
