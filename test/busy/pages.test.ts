import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, busyCalendars, busyIntervals } from '../../db/schema';
import { refreshDueBusyCalendars } from '../../src/busy/busy';
import { conflictsForPlace } from '../../src/events/conflicts';
import { getEvent } from '../../src/events';
import { bannerAfter, createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';
import { createEvent } from '../../src/events/events';
import { startCalendarServer, type CalendarServer } from './fixture-server';

let server: CalendarServer;
let t: TestContext;
let company: SeededCompany;
beforeAll(async () => {
  server = await startCalendarServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-01T12:00:00Z', settings: { allowPrivateCalendarHosts: true } });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const SECRET = 'private-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const calendarsOf = (email: string) => t.db.select().from(busyCalendars).where(eq(busyCalendars.personId, company.people[email]!)).all();
const marketer = () => sessionAs(t, 'marketer@example.com');
const salesCall = (title: string, startLocal: string, rrule: string | null = null) =>
  createEvent(t.db, t.clock, { personId: null }, t.db.query.people.findFirst({ where: (p, { eq: is }) => is(p.email, 'rep@example.com') }).sync()!, {
    kind: 'sales_call',
    title,
    description: '',
    hostId: company.people['rep@example.com']!,
    startLocal,
    timeZone: 'Europe/Berlin',
    durationMinutes: 60,
    seats: 2,
    rrule,
    account: 'Acme Corp',
    opportunityStage: 'discovery',
    location: null,
    meetingUrl: null,
    topic: null,
  });

describe('adding and removing your own calendars', () => {
  it('adds a webcal address as https, shows it masked with its status, and audits without the address', async () => {
    const mark = marketer();
    const res = await mark.form('/account/calendar/busy', {
      label: 'Work Google',
      url: `webcal://calendar.google.com/calendar/ical/mark%40example.com/${SECRET}/basic.ics`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/calendar#busy-calendars');
    expect(await bannerAfter(mark, res)).toBe('Work Google added. Its busy times are read within a minute.');
    const [row] = calendarsOf('marketer@example.com');
    expect(row!.url).toBe(`https://calendar.google.com/calendar/ical/mark%40example.com/${SECRET}/basic.ics`);
    expect(row!.nextFetchAt.getTime()).toBe(t.clock.now().getTime());
    const page = await (await marketer().get('/account/calendar')).text();
    expect(page).toContain('Work Google');
    expect(page).toContain('calendar.google.com/…b1a0');
    expect(page).not.toContain(SECRET);
    expect(page).toContain('Waiting to be read');
    const audit = t.db.select().from(auditLog).where(eq(auditLog.action, 'busy_calendar.add')).all();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).not.toContain(SECRET);
  });

  it('answers bad input with field messages and stores nothing', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ label: '', url: 'https://calendar.google.com/x.ics' }, 'Give the calendar a name'],
      [{ label: 'Work', url: '' }, 'Paste the private address'],
      [{ label: 'Work', url: 'calendar.google.com/x.ics' }, 'Paste a whole address'],
      [{ label: 'Work', url: 'ftp://example.com/x.ics' }, 'starting with https://'],
      [{ label: 'Work', url: 'https://user:pw@example.com/x.ics' }, 'without a user name'],
      [{ label: 'Work', url: `https://example.com/${'x'.repeat(2100)}` }, 'longer than 2,048'],
      [{ label: 'x'.repeat(61), url: 'https://example.com/x.ics' }, '60 characters'],
      [{ label: 'Two\nlines', url: 'https://example.com/x.ics' }, 'one line'],
    ];
    for (const [fields, message] of cases) {
      const res = await marketer().form('/account/calendar/busy', fields);
      expect(res.status, message).toBe(400);
      const body = await res.text();
      expect(body).toContain(message);
      expect(body).toContain('field-error');
    }
    expect(calendarsOf('marketer@example.com')).toHaveLength(0);
  });

  it('refuses private addresses unless the setting allows them, more than three calendars, and the same one twice', async () => {
    const strict = createTestApp({ now: '2026-03-01T12:00:00Z' });
    try {
      const people = await seedCompany(strict.db);
      for (const url of [
        'http://127.0.0.1:8080/cal.ics',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]/cal.ics',
        'http://localhost/cal.ics',
        'https://10.0.0.8/cal.ics',
      ]) {
        const res = await sessionAs(strict, 'marketer@example.com').form('/account/calendar/busy', { label: 'Inside', url });
        expect(res.status, url).toBe(400);
        expect(await res.text()).toContain('private network');
      }
      expect(strict.db.select().from(busyCalendars).where(eq(busyCalendars.personId, people.people['marketer@example.com']!)).all()).toHaveLength(0);
    } finally {
      strict.close();
    }
    for (const n of [1, 2, 3])
      expect(
        (await marketer().form('/account/calendar/busy', { label: `Cal ${n}`, url: `https://outlook.office365.com/owa/calendar/${n}/calendar.ics` })).status,
      ).toBe(303);
    const again = await marketer().form('/account/calendar/busy', { label: 'Cal 4', url: 'https://outlook.office365.com/owa/calendar/4/calendar.ics' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('remove one first');
    expect(calendarsOf('marketer@example.com')).toHaveLength(3);
    const page = await (await marketer().get('/account/calendar')).text();
    expect(page).toContain('the most there can be');
    expect(page).not.toContain('Add calendar</button>');
    await marketer().form(`/account/calendar/busy/${calendarsOf('marketer@example.com')[0]!.id}/delete`, {});
    const duplicate = await marketer().form('/account/calendar/busy', { label: 'Again', url: 'https://outlook.office365.com/owa/calendar/2/calendar.ics' });
    expect(duplicate.status).toBe(400);
    expect(await duplicate.text()).toContain('already added this calendar');
  });

  it('needs the CSRF token, and only the owner sees, refreshes or removes a calendar', async () => {
    const noToken = await marketer().form('/account/calendar/busy', { label: 'Work', url: 'https://example.com/x.ics' }, { 'x-csrf-token': 'wrong' });
    expect(noToken.status).toBe(403);
    expect(calendarsOf('marketer@example.com')).toHaveLength(0);
    await marketer().form('/account/calendar/busy', { label: 'Private label', url: `https://example.com/${SECRET}.ics` });
    const id = calendarsOf('marketer@example.com')[0]!.id;
    const other = sessionAs(t, 'marketer2@example.com');
    expect(await (await other.get('/account/calendar')).text()).not.toContain('Private label');
    expect((await other.form(`/account/calendar/busy/${id}/delete`, {})).status).toBe(404);
    expect((await other.form(`/account/calendar/busy/${id}/refresh`, {})).status).toBe(404);
    const hr = sessionAs(t, 'hr@example.com');
    expect((await hr.form(`/account/calendar/busy/${id}/delete`, {})).status).toBe(404);
    expect(calendarsOf('marketer@example.com')).toHaveLength(1);
    expect((await marketer().form(`/account/calendar/busy/${id}/delete`, {})).status).toBe(303);
    expect(calendarsOf('marketer@example.com')).toHaveLength(0);
    expect((await marketer().form('/account/calendar/busy/999999999/delete', {})).status).toBe(404);
  });
});

describe('busy times in conflict warnings', () => {
  it('names the calendar by its label on open seats, the event page and in a claim, never the outside title', async () => {
    await marketer().form('/account/calendar/busy', { label: 'Work Google', url: server.url('/google.ics') });
    await refreshDueBusyCalendars(t.db, t.clock, { allowPrivateHosts: true });
    expect(t.db.select().from(busyIntervals).all().length).toBeGreaterThan(0);
    // Monday 2 March 10:30 Berlin overlaps the secret one-on-one (10:00–11:00 Berlin).
    const call = salesCall('Acme renewal', '2026-03-02T10:30');

    const seats = await (await marketer().get('/open-seats?from=2026-03-01&to=2026-03-20')).text();
    expect(seats).toContain('Acme renewal');
    expect(seats).toContain('You are busy in your own calendar (Work Google) at Mon 2 Mar 10:00–11:00 (Europe/Berlin).');
    expect(seats).not.toContain('Secret one-on-one');

    const eventPage = await (await marketer().get(`/events/${call.id}`)).text();
    expect(eventPage).toContain('busy in your own calendar (Work Google)');

    const claim = await marketer().json('POST', `/api/v1/events/${call.id}/seats`, {});
    expect(claim.status).toBe(409);
    const body = (await claim.json()) as { error: { code: string; conflicts: { code: string; message: string }[] } };
    expect(body.error.conflicts.map((c) => c.code)).toContain('busy');

    // Someone else reading the person's conflicts learns they are busy, not the calendar's name.
    const others = conflictsForPlace(
      t.db,
      t.clock.now(),
      t.db.query.people.findFirst({ where: (p, { eq: is }) => is(p.email, 'marketer@example.com') }).sync()!,
      getEvent(t.db, call.id)!,
      null,
    );
    const busy = others.find((c) => c.code === 'busy')!;
    expect(busy.message).toBe('Mark Marketer is busy in their own calendar at Mon 2 Mar 10:00–11:00 (Europe/Berlin).');
  });

  it('skips each occurrence of a series claim that collides with a busy time, and claims the rest', async () => {
    await marketer().form('/account/calendar/busy', { label: 'Work Google', url: server.url('/google.ics') });
    await refreshDueBusyCalendars(t.db, t.clock, { allowPrivateHosts: true });
    // Mondays 10:30 Berlin: busy on 2 and 9 March (the one-on-one), free on 16 March (excluded there).
    const series = salesCall('Weekly Acme', '2026-03-02T10:30', 'FREQ=WEEKLY;BYDAY=MO;COUNT=3');
    const res = await marketer().json('POST', `/api/v1/events/${series.id}/series-seats`, {});
    const body = (await res.json()) as { occurrences: { occurrenceId: string; outcome: string; conflicts?: { code: string; message: string }[] }[] };
    expect(body.occurrences.map((o) => o.outcome)).toEqual(['conflict', 'conflict', 'claimed']);
    expect(JSON.stringify(body.occurrences[0])).toContain('You are busy in your own calendar (Work Google) at Mon 2 Mar 10:00–11:00 (Europe/Berlin).');
  });

  it('names whole days for all-day busy times, and shows a failed read on the account page without breaking pages', async () => {
    await marketer().form('/account/calendar/busy', { label: 'Holidays', url: server.url('/google.ics') });
    await refreshDueBusyCalendars(t.db, t.clock, { allowPrivateHosts: true });
    const call = salesCall('Vacation clash', '2026-03-10T14:00');
    const seats = await (await marketer().get('/open-seats?from=2026-03-01&to=2026-03-20')).text();
    expect(seats).toContain('You are busy in your own calendar (Holidays) from Tue 10 Mar to Wed 11 Mar (Europe/Berlin).');

    const id = calendarsOf('marketer@example.com')[0]!.id;
    t.db
      .update(busyCalendars)
      .set({ url: server.url('/missing.ics'), nextFetchAt: t.clock.now() })
      .where(eq(busyCalendars.id, id))
      .run();
    await refreshDueBusyCalendars(t.db, t.clock, { allowPrivateHosts: true, log: () => {} });
    const page = await (await marketer().get('/account/calendar')).text();
    expect(page).toContain('Could not be read');
    expect(page).toContain('HTTP 404');
    expect(page).toMatch(/Last read successfully<\/dt><dd>[^<]*2026/);
    // The last good busy times still count.
    expect(await (await marketer().get(`/events/${call.id}`)).text()).toContain('busy in your own calendar (Holidays)');
    expect((await marketer().get('/open-seats?from=2026-03-01&to=2026-03-20')).status).toBe(200);
    expect((await marketer().form(`/account/calendar/busy/${id}/refresh`, {})).status).toBe(303);
    expect(calendarsOf('marketer@example.com')[0]!.expandedAt).toBeNull();
  });
});
