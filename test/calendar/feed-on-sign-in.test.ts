// The calendar page shows a person's feed address from their first visit without writing on a GET:
// the feed is made in the write that signs them in.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { anonymous, createTestApp, seedCompany, sessionAs, type TestContext } from '../support/app';

let t: TestContext;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  await seedCompany(t.db);
});
afterEach(() => t.close());

const writes = () => t.db.get<{ n: number }>(sql`SELECT total_changes() AS n`)!.n;

it('signing in makes the first feed; the first visit of the calendar page shows its working address and writes nothing', async () => {
  const client = sessionAs(t, 'rep@example.com');
  expect(t.db.all(sql`SELECT action FROM audit_log WHERE action = 'calendar_feed.create'`)).toHaveLength(1);
  const before = writes();
  const page = await client.get('/account/calendar');
  expect(page.status).toBe(200);
  const address = (await page.text()).match(/http:\/\/localhost\/calendar\/[A-Za-z0-9_-]+\.ics/)?.[0];
  expect(address).toBeDefined();
  expect(writes()).toBe(before);
  const feed = await anonymous(t.app).get(new URL(address!).pathname);
  expect(feed.status).toBe(200);
  expect(await feed.text()).toContain('BEGIN:VCALENDAR');
  // Signing in again keeps the same address.
  sessionAs(t, 'rep@example.com');
  expect(t.db.all(sql`SELECT id FROM calendar_feeds`)).toHaveLength(1);
});
