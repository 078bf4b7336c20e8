import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { events } from '../../db/schema';
import { createEvent } from '../../src/events/events';
import { peopleChoices, PEOPLE_FOUND } from '../../src/people/choices';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;

/** The options of the select named `name` in a page. */
function optionsOf(page: string, name: string): string[] {
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(page);
  if (!select) return [];
  return [...select[1]!.matchAll(/<option[^>]*>([^<]*)<\/option>/g)].map((m) => m[1]!).filter((label) => label !== '');
}

const eventForm = (overrides: Record<string, string> = {}) => ({
  kind: 'marketing_meeting',
  title: 'Campaign brief',
  date: '2026-03-09',
  startTime: '09:00',
  endTime: '10:00',
  timeZone: 'UTC',
  seats: '3',
  topic: 'Q2 campaign',
  repeat: 'none',
  interval: '1',
  monthlyBy: 'date',
  ends: 'never',
  ...overrides,
});

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
  // More people than a pick list shows, in both departments; the last ones in name order come after any list's end.
  const insert = t.db.$client.prepare(
    "INSERT INTO people (email, name, department, title, role, time_zone, hire_date, updated_at) VALUES (?, ?, ?, 'Specialist', 'employee', 'UTC', '2024-01-01', 0)",
  );
  for (let i = 0; i < 60; i++) {
    insert.run(`zm${i}@example.com`, `Zed Marketer ${String(i).padStart(2, '0')}`, 'marketing');
    insert.run(`zs${i}@example.com`, `Zed Seller ${String(i).padStart(2, '0')}`, 'sales');
  }
});
afterEach(() => t.close());

describe('choosing people in forms of a large company', () => {
  it('offers the chosen people, then the first a search finds, whom the viewer may see', () => {
    const hr = { person: t.db.$client.prepare("SELECT * FROM people WHERE email = 'hr@example.com'").get() } as never;
    const all = peopleChoices(t.db, { q: 'zed', viewer: hr });
    expect(all).toHaveLength(PEOPLE_FOUND);
    expect(all[0]!.name).toBe('Zed Marketer 00');
    const chosen = company.people['rep@example.com']!;
    const kept = peopleChoices(t.db, { q: 'seller 5', viewer: null, department: 'sales', chosen: [chosen] });
    expect(kept.map((p) => p.name)).toEqual(['Rita Rep', ...Array.from({ length: 10 }, (_, i) => `Zed Seller 5${i}`)]);
    expect(peopleChoices(t.db, { q: 'seller', viewer: null, department: 'marketing' })).toEqual([]);
    const excluded = peopleChoices(t.db, { q: 'Zed Marketer 0', viewer: null, exclude: [all[0]!.id] });
    expect(excluded.map((p) => p.name)).not.toContain('Zed Marketer 00');
  });

  it('the event form lists a few hosts, and Find lists whom the words find without creating anything', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const blank = await (await hr.get('/events/new')).text();
    expect(optionsOf(blank, 'hostId').length).toBeLessThanOrEqual(PEOPLE_FOUND + 1);
    expect(blank).toContain('Find a host');
    const found = await hr.form('/events', eventForm({ findHost: '1', hostSearch: '  Zed Marketer 59 ' }));
    expect(found.status).toBe(200);
    const page = await found.text();
    expect(optionsOf(page, 'hostId')).toEqual(['Hanna HR (Other)', 'Zed Marketer 59 (Marketing)'].map((l) => expect.stringContaining(l.split(' (')[0]!)));
    expect(page).toContain('value="Zed Marketer 59"');
    expect(page).toContain('value="Campaign brief"');
    // Every ticked day of a weekly series stays ticked.
    const weekly = await (await hr.form('/events', { ...eventForm({ findHost: '1', hostSearch: 'zed', repeat: 'weekly' }), byWeekday: ['MO', 'WE'] })).text();
    expect([...weekly.matchAll(/name="byWeekday" value="(\w\w)"[^>]*checked/g)].map((m) => m[1])).toEqual(['MO', 'WE']);
    expect(t.db.select({ n: count() }).from(events).get()!.n).toBe(0);
  });

  it("a manager's Find lists only their people, and a posted host they may not see is not named", async () => {
    const manager = sessionAs(t, 'sales.manager@example.com');
    const page = await (
      await manager.form('/events', eventForm({ findHost: '1', hostSearch: 'zed', hostId: String(company.people['marketer@example.com']) }))
    ).text();
    const options = optionsOf(page, 'hostId');
    expect(options.some((o) => o.includes('Zed'))).toBe(false);
    expect(options.some((o) => o.includes('Maya') || o.includes('Marketer'))).toBe(false);
    expect(options[0]).toContain('Sam Salesmanager');
    const reps = optionsOf(await (await manager.form('/events', eventForm({ findHost: '1', hostSearch: 'rep' }))).text(), 'hostId');
    expect(reps.some((o) => o.includes('Rita Rep'))).toBe(true);
    expect(reps.some((o) => o.includes('Wanda Westrep'))).toBe(false);
  });

  it('the invite form finds guests of the other department by name, past any list of the first names', async () => {
    const repId = company.people['rep@example.com']!;
    const rep = t.db.$client.prepare('SELECT * FROM people WHERE id = ?').get(repId) as never;
    const event = createEvent(t.db, t.clock, { personId: repId, tokenId: null }, rep, {
      kind: 'sales_call',
      title: 'Call with Acme',
      description: '',
      hostId: repId,
      timeZone: 'UTC',
      startLocal: '2026-03-10T10:00',
      durationMinutes: 60,
      rrule: null,
      seats: 2,
      account: 'Acme',
      opportunityStage: null,
      location: null,
      meetingUrl: null,
      topic: null,
    } as never);
    const host = sessionAs(t, 'rep@example.com');
    const first = optionsOf(await (await host.get(`/events/${event.id}`)).text(), 'personIds');
    expect(first.length).toBe(PEOPLE_FOUND);
    expect(first.every((o) => o.includes('Marketing'))).toBe(true);
    const page = await (await host.get(`/events/${event.id}?invite=${encodeURIComponent('Zed Marketer 59')}`)).text();
    expect(optionsOf(page, 'personIds')).toEqual([expect.stringContaining('Zed Marketer 59')]);
    expect(page).toContain('value="Zed Marketer 59"');
    expect(optionsOf(await (await host.get(`/events/${event.id}?invite=seller`)).text(), 'personIds')).toEqual([]);
    expect((await host.get(`/events/${event.id}?invite=${'x'.repeat(201)}`)).status).toBe(400);
  });

  it('the training session form finds its host the same way', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const blank = await (await hr.get('/programs/sessions/new')).text();
    expect(optionsOf(blank, 'hostId').length).toBeLessThanOrEqual(PEOPLE_FOUND + 1);
    const res = await hr.form('/programs/sessions', {
      title: 'CA 101',
      hostId: String(company.people['hr@example.com']),
      findHost: '1',
      hostSearch: 'Zed Seller 42',
    });
    expect(res.status).toBe(200);
    expect(optionsOf(await res.text(), 'hostId')).toEqual([expect.stringContaining('Hanna HR'), expect.stringContaining('Zed Seller 42')]);
  });
});
