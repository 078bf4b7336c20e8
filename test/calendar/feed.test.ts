import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, calendarFeeds, events, people, rotationPrograms, rotations } from '../../db/schema';
import { expandOccurrences } from '../../src/events/recurrence';
import { zonedLocalToUtc } from '../../src/lib/time';
import { anonymous, createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';
import { cancelOccurrence, insertEvent, insertInvitation, moveOccurrence } from './fixtures';
import { expandCalendar, parseCalendar } from './ical-reader';

let t: TestContext;
let company: SeededCompany;
const NY = 'America/New_York';
const ny = (local: string) => zonedLocalToUtc(local, NY);

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

async function feedUrlOf(email: string): Promise<string> {
  const res = await sessionAs(t, email).get('/api/v1/me');
  expect(res.status).toBe(200);
  const body = (await res.json()) as { calendarUrl: string | null };
  expect(body.calendarUrl).toMatch(/^http:\/\/localhost\/calendar\/[A-Za-z0-9_-]+\.ics$/);
  return body.calendarUrl!;
}

async function fetchFeed(url: string) {
  const res = await anonymous(t.app).get(new URL(url).pathname);
  return { res, text: res.status === 200 ? await res.text() : '' };
}

/** The weekly alignment meeting of the scenario: 09:00 New York on Mondays across the March DST change. */
function seedScenario() {
  const p = company.people;
  const series = insertEvent(t.db, {
    kind: 'alignment_meeting',
    title: 'East pipeline alignment',
    hostId: p['rep@example.com']!,
    timeZone: NY,
    startLocal: '2026-02-23T09:00',
    rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260427T235959',
    guestDepartment: null,
    location: 'Room 4; 2nd floor',
  });
  cancelOccurrence(t.db, series.id, ny('2026-03-16T09:00'));
  moveOccurrence(t.db, series.id, ny('2026-03-23T09:00'), ny('2026-03-24T14:30'), ny('2026-03-24T15:30'));
  insertInvitation(t.db, series.id, p['marketer@example.com']!, 'accepted');
  insertInvitation(t.db, series.id, p['marketer@example.com']!, 'declined', ny('2026-04-06T09:00'));
  insertInvitation(t.db, series.id, p['marketer2@example.com']!, 'accepted', ny('2026-03-30T09:00'));
  insertInvitation(t.db, series.id, p['demand@example.com']!, 'declined');

  const call = insertEvent(t.db, {
    title: 'Acme, Inc. renewal',
    hostId: p['rep@example.com']!,
    timeZone: NY,
    startLocal: '2026-03-05T10:00',
    durationMinutes: 90,
    account: 'Acme, Inc.',
  });
  insertInvitation(t.db, call.id, p['marketer@example.com']!, 'accepted');
  const cancelled = insertEvent(t.db, {
    title: 'Cancelled call',
    hostId: p['rep@example.com']!,
    timeZone: NY,
    startLocal: '2026-03-06T10:00',
    status: 'cancelled',
  });
  insertInvitation(t.db, cancelled.id, p['marketer@example.com']!, 'accepted');
  const other = insertEvent(t.db, {
    title: 'West call',
    hostId: p['westrep@example.com']!,
    timeZone: 'America/Los_Angeles',
    startLocal: '2026-03-05T10:00',
    seats: 0,
  });
  return { series, call, cancelled, other };
}

const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z') };
const iso = (d: Date) => d.toISOString();

describe('calendar feed', () => {
  it('expands in an independent parser to exactly the occurrences crosstrain has for the person', async () => {
    const { series, call } = seedScenario();
    t.db.update(people).set({ reminderLeadMinutes: 120 }).where(eq(people.id, company.people['marketer@example.com']!)).run();
    const { res, text } = await fetchFeed(await feedUrlOf('marketer@example.com'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');

    const exceptions = [ny('2026-03-16T09:00')];
    const overrides = [{ originalStart: ny('2026-03-23T09:00'), start: ny('2026-03-24T14:30'), end: ny('2026-03-24T15:30') }];
    const timing = { rrule: series.rrule, firstStartLocal: series.startLocal, timeZone: NY, durationMinutes: 60 };
    // The marketer declined 6 April only, so that occurrence is not theirs.
    const ours = expandOccurrences({ ...timing, ...window, exceptions: [...exceptions, ny('2026-04-06T09:00')], overrides }).map(
      (o) => `${iso(o.start)} ${iso(o.end)} series`,
    );
    ours.push(`${iso(ny('2026-03-05T10:00'))} ${iso(ny('2026-03-05T11:30'))} call`);
    const parsed = expandCalendar(text, window.to).map(
      (o) => `${iso(o.start)} ${iso(o.end)} ${o.uid === `event-${series.id}@crosstrain` ? 'series' : o.uid === `event-${call.id}@crosstrain` ? 'call' : o.uid}`,
    );
    expect(parsed.sort()).toEqual(ours.sort());
    // Hand-checked around the change to daylight time on 8 March and the moved occurrence.
    expect(parsed.slice(0, 5)).toEqual([
      '2026-02-23T14:00:00.000Z 2026-02-23T15:00:00.000Z series',
      '2026-03-02T14:00:00.000Z 2026-03-02T15:00:00.000Z series',
      '2026-03-05T15:00:00.000Z 2026-03-05T16:30:00.000Z call',
      '2026-03-09T13:00:00.000Z 2026-03-09T14:00:00.000Z series',
      '2026-03-24T18:30:00.000Z 2026-03-24T19:30:00.000Z series',
    ]);
    expect(parsed).toHaveLength(9);

    const root = parseCalendar(text);
    const vevents = root.getAllSubcomponents('vevent');
    expect(vevents.map((v) => v.getFirstPropertyValue('summary'))).not.toContain('Cancelled call');
    expect(vevents.map((v) => v.getFirstPropertyValue('summary'))).not.toContain('West call');
    expect(
      vevents
        .find((v) => v.getFirstPropertyValue('summary') === 'Acme, Inc. renewal')!
        .getFirstSubcomponent('valarm')!
        .getFirstPropertyValue('trigger')!
        .toString(),
    ).toBe('-PT2H');
    expect(vevents[0]!.getFirstPropertyValue('location')).toBe('Room 4; 2nd floor');
    expect(root.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'))).toEqual([NY]);
  });

  it('gives someone who joined one occurrence just that occurrence, and the host the whole series', async () => {
    const { series } = seedScenario();
    const single = expandCalendar((await fetchFeed(await feedUrlOf('marketer2@example.com'))).text, window.to);
    expect(single.map((o) => [o.uid, iso(o.start)])).toEqual([[`occurrence-${series.id}_20260330T130000Z@crosstrain`, '2026-03-30T13:00:00.000Z']]);

    const host = expandCalendar((await fetchFeed(await feedUrlOf('rep@example.com'))).text, window.to);
    expect(host.filter((o) => o.summary === 'East pipeline alignment')).toHaveLength(9);
    expect(host.map((o) => o.summary)).not.toContain('Cancelled call');
    expect(expandCalendar((await fetchFeed(await feedUrlOf('demand@example.com'))).text, window.to)).toEqual([]);
  });

  it('keeps the UID and bumps SEQUENCE when the event changes', async () => {
    const { call } = seedScenario();
    const url = await feedUrlOf('marketer@example.com');
    const vevent = (text: string) =>
      parseCalendar(text)
        .getAllSubcomponents('vevent')
        .find((v) => v.getFirstPropertyValue('uid') === `event-${call.id}@crosstrain`)!;
    expect(vevent((await fetchFeed(url)).text).getFirstPropertyValue('sequence')).toBe(0);
    // What the events feature does on an edit: new time, sequence + 1.
    t.db.update(events).set({ startLocal: '2026-03-05T13:00', sequence: 1, updatedAt: t.clock.now() }).where(eq(events.id, call.id)).run();
    const after = vevent((await fetchFeed(url)).text);
    expect(after.getFirstPropertyValue('sequence')).toBe(1);
    expect((after.getFirstPropertyValue('dtstart') as unknown as { toJSDate(): Date }).toJSDate().toISOString()).toBe('2026-03-05T18:00:00.000Z');
  });

  it('stores only a hash, and regenerating or turning off the address makes the old one 404', async () => {
    seedScenario();
    const url = await feedUrlOf('marketer@example.com');
    expect(await feedUrlOf('marketer@example.com')).toBe(url);
    const token = new URL(url).pathname.slice('/calendar/'.length, -'.ics'.length);
    const rows = t.db.select().from(calendarFeeds).all();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);

    const marketer = sessionAs(t, 'marketer@example.com');
    const page = await marketer.get('/account/calendar');
    expect(await page.text()).toContain(url);
    expect((await marketer.form('/account/calendar/regenerate', {})).status).toBe(303);
    expect((await fetchFeed(url)).res.status).toBe(404);
    const next = await feedUrlOf('marketer@example.com');
    expect(next).not.toBe(url);
    expect((await fetchFeed(next)).res.status).toBe(200);

    expect((await marketer.form('/account/calendar/revoke', {})).status).toBe(303);
    expect((await fetchFeed(next)).res.status).toBe(404);
    const me = (await (await marketer.get('/api/v1/me')).json()) as { calendarUrl: string | null };
    expect(me.calendarUrl).toBeNull();
    expect(await (await marketer.get('/account/calendar')).text()).toContain('Make my calendar address');
    expect((await anonymous(t.app).get('/calendar/not-a-real-token-at-all-0123456789.ics')).status).toBe(404);
  });

  it('lets nobody read or change another person’s feed', async () => {
    seedScenario();
    const marketerUrl = await feedUrlOf('marketer@example.com');
    const rep = sessionAs(t, 'rep@example.com');
    const repUrl = await feedUrlOf('rep@example.com');
    expect(repUrl).not.toBe(marketerUrl);
    expect(await (await rep.get('/account/calendar')).text()).not.toContain(marketerUrl);
    // The account pages act on the signed-in person only: rep regenerating leaves the marketer's address working.
    await rep.form('/account/calendar/regenerate', { personId: company.people['marketer@example.com']! });
    expect((await fetchFeed(marketerUrl)).res.status).toBe(200);
    // A deactivated person's address stops working.
    t.db.update(people).set({ active: false }).where(eq(people.id, company.people['marketer@example.com']!)).run();
    expect((await fetchFeed(marketerUrl)).res.status).toBe(404);
    // Signed-out visitors get the login page, not someone's calendar.
    expect((await anonymous(t.app).get('/account/calendar')).status).toBe(303);
  });

  it('offers a .ics download of an event to those who may open its page', async () => {
    const { series, other } = seedScenario();
    const marketer = sessionAs(t, 'marketer@example.com');
    const res = await marketer.get(`/calendar/events/${series.id}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`event-${series.id}.ics`);
    const text = await res.text();
    expect(text).toContain('METHOD:PUBLISH');
    expect(expandCalendar(text, window.to)).toHaveLength(9);
    // Like the event's page: anyone signed in, nobody signed out.
    expect((await marketer.get(`/calendar/events/${other.id}.ics`)).status).toBe(200);
    expect((await anonymous(t.app).get(`/calendar/events/${other.id}.ics`)).status).toBe(303);
    expect((await marketer.get('/calendar/events/99999.ics')).status).toBe(404);
  });

  it('shows rotations as all-day entries whose SEQUENCE follows their changes', async () => {
    const program = t.db.insert(rotationPrograms).values({ name: 'Field immersion', direction: 'marketing_to_sales', lengthWeeks: 2 }).returning().get();
    const rotation = t.db
      .insert(rotations)
      .values({
        programId: program.id,
        personId: company.people['marketer@example.com']!,
        hostTeamId: company.teams['Sales East']!,
        mentorId: company.people['rep@example.com']!,
        startDate: '2026-04-06',
        endDate: '2026-04-17',
        status: 'planned',
      })
      .returning()
      .get();
    t.db
      .insert(auditLog)
      .values({ at: t.clock.now(), action: 'rotation.create', entityType: 'rotation', entityId: String(rotation.id) })
      .run();
    const url = await feedUrlOf('marketer@example.com');
    const entry = (text: string) =>
      parseCalendar(text)
        .getAllSubcomponents('vevent')
        .find((v) => v.getFirstPropertyValue('uid') === `rotation-${rotation.id}@crosstrain`)!;
    const first = (await fetchFeed(url)).text;
    expect(first).toContain('DTSTART;VALUE=DATE:20260406');
    expect(first).toContain('DTEND;VALUE=DATE:20260418');
    expect(entry(first).getFirstPropertyValue('summary')).toBe('Rotation: Field immersion with Sales East');
    expect(entry(first).getFirstPropertyValue('sequence')).toBe(0);
    expect(entry(first).getFirstPropertyValue('transp')).toBe('TRANSPARENT');
    const [allDay] = expandCalendar(first, window.to).filter((o) => o.allDay);
    expect(allDay!.uid).toBe(`rotation-${rotation.id}@crosstrain`);

    t.db.update(rotations).set({ endDate: '2026-04-24' }).where(eq(rotations.id, rotation.id)).run();
    t.db
      .insert(auditLog)
      .values({ at: t.clock.now(), action: 'rotation.change', entityType: 'rotation', entityId: String(rotation.id) })
      .run();
    const changed = (await fetchFeed(url)).text;
    expect(entry(changed).getFirstPropertyValue('sequence')).toBe(1);
    expect(changed).toContain('DTEND;VALUE=DATE:20260425');
    // The mentor sees it too, as mentoring.
    const mentorFeed = (await fetchFeed(await feedUrlOf('rep@example.com'))).text;
    expect(entry(mentorFeed).getFirstPropertyValue('summary')).toBe('Mentoring Mark Marketer (Field immersion)');
  });
});
