import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { busyCalendars, busyIntervals, people } from '../../db/schema';
import { guardedLookup, isForbiddenAddress, forbiddenLiteralHost } from '../../src/busy/address-guard';
import { addBusyCalendar, refreshBusyCalendar, refreshDueBusyCalendars } from '../../src/busy/busy';
import { CalendarFetchError, fetchCalendar } from '../../src/busy/fetch';
import { systemActor } from '../../src/audit/audit';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';
import { startCalendarServer, type CalendarServer } from './fixture-server';

const LOOPBACK = ['127.0.0.1'];

describe('address guard', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast, unspecified and their IPv6 forms', () => {
    for (const address of [
      '127.0.0.1',
      '127.5.5.5',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '64:ff9b::10.0.0.1',
      '2002:7f00:1::1',
      '2002:a9fe:a9fe::',
      'not-an-ip',
    ])
      expect(isForbiddenAddress(address), address).toBe(true);
  });

  it('lets public addresses through', () => {
    for (const address of [
      '8.8.8.8',
      '142.250.185.78',
      '172.32.0.1',
      '100.128.0.1',
      '2a00:1450:4001:82b::200e',
      '2606:4700::1111',
      '::ffff:8.8.8.8',
      '2002:808:808::1',
    ])
      expect(isForbiddenAddress(address), address).toBe(false);
  });

  it('checks literal hosts and localhost before any connection', () => {
    expect(forbiddenLiteralHost(new URL('http://127.0.0.1:8080/a.ics'))).toBe(true);
    expect(forbiddenLiteralHost(new URL('http://[::1]/a.ics'))).toBe(true);
    expect(forbiddenLiteralHost(new URL('http://localhost/a.ics'))).toBe(true);
    expect(forbiddenLiteralHost(new URL('https://calendar.google.com/a.ics'))).toBe(false);
    expect(forbiddenLiteralHost(new URL('http://127.0.0.1:8080/a.ics'), LOOPBACK)).toBe(false);
    expect(forbiddenLiteralHost(new URL('http://10.0.0.1/a.ics'), LOOPBACK)).toBe(true);
  });

  it('refuses a name when it resolves to a private address, at connect time', async () => {
    const lookup = guardedLookup(false);
    const error = await new Promise<Error | null>((resolve) => lookup('localhost', { all: true }, (err) => resolve(err)));
    expect(error?.message).toMatch(/private or reserved/);
    const allowed = await new Promise<unknown>((resolve) => guardedLookup(true)('localhost', { all: true }, (err, addresses) => resolve(err ?? addresses)));
    expect(Array.isArray(allowed)).toBe(true);
  });
});

describe('reading a calendar address', () => {
  let server: CalendarServer;
  beforeAll(async () => {
    server = await startCalendarServer();
  });
  afterAll(() => server.close());

  const failure = async (path: string, options: Parameters<typeof fetchCalendar>[1] = {}) => {
    const err = await fetchCalendar(server.url(path), { allowPrivateHosts: LOOPBACK, ...options }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CalendarFetchError);
    return err as CalendarFetchError;
  };

  it('reads a calendar and answers 304 to a conditional GET', async () => {
    const first = await fetchCalendar(server.url('/google.ics'), { allowPrivateHosts: LOOPBACK });
    expect(first.status).toBe('ok');
    if (first.status !== 'ok') return;
    expect(first.body).toContain('BEGIN:VCALENDAR');
    expect(first.etag).toBe('"v1"');
    const second = await fetchCalendar(server.url('/google.ics'), { allowPrivateHosts: LOOPBACK, etag: first.etag, lastModified: first.lastModified });
    expect(second.status).toBe('not_modified');
    const seen = server.requests.filter((r) => r.path === '/google.ics').at(-1)!;
    expect(seen.headers['if-none-match']).toBe('"v1"');
    expect(seen.headers['if-modified-since']).toBe('Sat, 05 Dec 2026 10:00:00 GMT');
  });

  it('refuses the loopback server itself without the allowance', async () => {
    expect((await failure('/google.ics', { allowPrivateHosts: false })).code).toBe('refused_address');
  });

  it('refuses redirects to the metadata service, IPv6 loopback and other schemes, and redirect loops', async () => {
    expect((await failure('/to-metadata')).code).toBe('refused_address');
    expect((await failure('/to-ipv6-loopback')).code).toBe('refused_address');
    expect((await failure('/to-ftp')).code).toBe('refused_address');
    expect((await failure('/loop')).code).toBe('too_many_redirects');
    expect((await fetchCalendar(server.url('/to-google'), { allowPrivateHosts: LOOPBACK })).status).toBe('ok');
  });

  it('stops reading beyond 5 MB, whether declared or streamed', async () => {
    expect((await failure('/huge.ics')).code).toBe('too_large');
    expect((await failure('/huge-declared.ics')).code).toBe('too_large');
  });

  it('gives up on a slow server at the time limit', async () => {
    const started = Date.now();
    expect((await failure('/slow.ics', { timeoutMs: 300 })).code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports HTTP errors and unknown names', async () => {
    const notFound = await failure('/missing.ics');
    expect(notFound.code).toBe('http');
    expect(notFound.message).toMatch(/404/);
    const err = await fetchCalendar('http://no-such-host.invalid/cal.ics').then(
      () => null,
      (e: unknown) => e as CalendarFetchError,
    );
    expect(err?.code).toBe('dns');
  });
});

describe('the background job', () => {
  let server: CalendarServer;
  let t: TestContext;
  let company: SeededCompany;
  const logs: string[] = [];
  const options = { allowPrivateHosts: LOOPBACK, log: (line: string) => void logs.push(line) };
  beforeAll(async () => {
    server = await startCalendarServer();
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    t = createTestApp({ now: '2026-03-01T12:00:00Z' });
    company = await seedCompany(t.db);
    logs.length = 0;
  });
  afterEach(() => t.close());

  const add = (path: string, label = 'Work Google') =>
    addBusyCalendar(t.db, t.clock, systemActor, company.people['marketer@example.com']!, { label, url: server.url(path) }, true);
  const row = (id: number) => t.db.select().from(busyCalendars).where(eq(busyCalendars.id, id)).get()!;
  const intervals = (id: number) => t.db.select().from(busyIntervals).where(eq(busyIntervals.calendarId, id)).all();

  it('reads a new calendar at once, keeps only spans, and keeps them on a 304', async () => {
    const calendar = add('/google.ics');
    expect(await refreshDueBusyCalendars(t.db, t.clock, options)).toBe(1);
    const stored = intervals(calendar.id);
    expect(stored.map((i) => i.startAt.toISOString())).toContain('2026-03-02T09:00:00.000Z');
    expect(stored.length).toBeGreaterThan(5);
    expect(Object.keys(stored[0]!).sort()).toEqual(['calendarId', 'endAt', 'id', 'personId', 'startAt']);
    const first = row(calendar.id);
    expect(first.lastSuccessAt).not.toBeNull();
    expect(first.etag).toBe('"v1"');
    // Nothing due until 15 minutes later.
    expect(await refreshDueBusyCalendars(t.db, t.clock, options)).toBe(0);
    t.clock.set(new Date('2026-03-01T12:16:00Z'));
    expect(await refreshDueBusyCalendars(t.db, t.clock, options)).toBe(1);
    expect(server.requests.at(-1)!.headers['if-none-match']).toBe('"v1"');
    expect(intervals(calendar.id)).toHaveLength(stored.length);
    expect(row(calendar.id).lastSuccessAt!.toISOString()).toBe('2026-03-01T12:16:00.000Z');
  });

  it('records each failure on the calendar, keeps the last good busy times and logs without the address', async () => {
    const calendar = add('/google.ics');
    await refreshBusyCalendar(t.db, t.clock, calendar.id, options);
    const good = intervals(calendar.id).length;
    for (const [path, code] of [
      ['/missing.ics', 'http'],
      ['/login-page', 'not_calendar'],
      ['/huge.ics', 'too_large'],
      ['/to-metadata', 'refused_address'],
    ] as const) {
      t.db
        .update(busyCalendars)
        .set({ url: server.url(path) })
        .where(eq(busyCalendars.id, calendar.id))
        .run();
      const outcome = await refreshBusyCalendar(t.db, t.clock, calendar.id, options);
      expect(outcome).toMatchObject({ status: 'failed', error: code });
      expect(row(calendar.id).lastError).toBe(code);
      expect(intervals(calendar.id)).toHaveLength(good);
    }
    expect(logs).toHaveLength(4);
    for (const line of logs) expect(line).not.toContain(server.url('/'));
    const timeout = add('/slow.ics', 'Slow');
    expect(await refreshBusyCalendar(t.db, t.clock, timeout.id, { ...options, timeoutMs: 200 })).toMatchObject({ status: 'failed', error: 'timeout' });
  });

  it('does not read the calendars of a deactivated person', async () => {
    const calendar = add('/google.ics');
    t.db.update(people).set({ active: false }).where(eq(people.id, company.people['marketer@example.com']!)).run();
    const seen = server.requests.length;
    expect(await refreshDueBusyCalendars(t.db, t.clock, options)).toBe(1);
    expect(server.requests.length).toBe(seen);
    expect(row(calendar.id).nextFetchAt.getTime()).toBeGreaterThan(t.clock.now().getTime());
  });

  it('without the allowance refuses the local server', async () => {
    const calendar = add('/google.ics');
    expect(await refreshBusyCalendar(t.db, t.clock, calendar.id, { log: () => {} })).toMatchObject({ status: 'failed', error: 'refused_address' });
    expect(intervals(calendar.id)).toHaveLength(0);
  });
});
