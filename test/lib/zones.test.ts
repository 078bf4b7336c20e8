import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { events, people } from '../../db/schema';
import { canonicalZoneName, TIME_ZONES } from '../../src/lib/zones';
import { zoneSchema } from '../../src/lib/validation';
import { createTestApp, seedCompany, sessionAs, type TestContext } from '../support/app';

describe('the list of time zones people pick from', () => {
  it('holds every IANA zone of the runtime and UTC, sorted', () => {
    expect(TIME_ZONES.length).toBeGreaterThan(400);
    expect(TIME_ZONES).toContain('Europe/Berlin');
    expect(TIME_ZONES).toContain('America/New_York');
    expect(TIME_ZONES).toContain('UTC');
    expect([...TIME_ZONES].sort()).toEqual(TIME_ZONES);
  });

  it('takes listed names in any case, keeps other IANA names of listed zones, refuses offsets and unknown names', () => {
    expect(canonicalZoneName('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalZoneName(' America/New_York ')).toBe('America/New_York');
    expect(canonicalZoneName('utc')).toBe('UTC');
    expect(canonicalZoneName('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalZoneName('US/Eastern')).toBe('US/Eastern');
    for (const bad of ['', 'Mars/Olympus', 'Europe/Atlantis', '+05:00', '-0800', 'Berlin', 'x'.repeat(80)]) expect(canonicalZoneName(bad), bad).toBeNull();
    expect(zoneSchema.parse('europe/london')).toBe('Europe/London');
    expect(zoneSchema.safeParse('+05:00').success).toBe(false);
  });
});

describe('every form that asks for a time zone offers the list and checks it', () => {
  let t: TestContext;
  beforeEach(async () => {
    t = createTestApp({ now: '2026-03-02T12:00:00Z' });
    await seedCompany(t.db);
  });
  afterEach(() => t.close());

  const zoneInput = (html: string, name: string) => {
    const input = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? '';
    const list = /list="([^"]+)"/.exec(input)?.[1];
    return { input, list, options: list ? (new RegExp(`<datalist id="${list}">([\\s\\S]*?)</datalist>`).exec(html)?.[1].match(/<option/g)?.length ?? 0) : 0 };
  };

  it('the event form, the account, a person, company settings and a training session', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    for (const [path, name] of [
      ['/events/new', 'timeZone'],
      ['/account', 'timeZone'],
      ['/people/new', 'timeZone'],
      ['/settings', 'defaultTimeZone'],
      ['/programs/sessions/new', 'timeZone'],
    ] as const) {
      const html = await (await hr.get(path)).text();
      const field = zoneInput(html, name);
      expect(field.list, path).toBeTruthy();
      expect(field.options, path).toBe(TIME_ZONES.length);
    }
  });

  it('a zone not on the list is refused with a field message and nothing changes; a listed one in lower case is stored as listed', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const before = t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!;
    const bad = await rep.form('/account', { timeZone: '+05:00', workdayStart: '09:00', workdayEnd: '17:00', reminderLeadHours: '24' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/class="field-error" id="f-timeZone-error">Use an IANA time zone from the list/);
    expect(t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!.timeZone).toBe(before.timeZone);
    const good = await rep.form('/account', { timeZone: 'europe/lisbon', workdayStart: '09:00', workdayEnd: '17:00', reminderLeadHours: '24' });
    expect(good.status).toBe(303);
    expect(t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!.timeZone).toBe('Europe/Lisbon');

    const event = await rep.form('/events', {
      kind: 'sales_call',
      title: 'Zoned call',
      date: '2026-03-09',
      startTime: '09:00',
      endTime: '10:00',
      timeZone: 'Nowhere/City',
      seats: '1',
      account: 'Acme',
      repeat: 'none',
    });
    expect(event.status).toBe(400);
    expect(await event.text()).toContain('id="f-timeZone-error"');
    expect(
      t.db
        .select()
        .from(events)
        .all()
        .filter((e) => e.title === 'Zoned call'),
    ).toEqual([]);
  });
});
