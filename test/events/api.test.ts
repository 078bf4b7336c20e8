import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { events, invitations, people } from '../../db/schema';
import { createApiToken } from '../../src/auth/auth';
import { createTestApp, seedCompany, sessionAs, withToken, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;

type Json = Record<string, any>;
const json = async (res: Response) => (await res.json()) as Json;

const salesCallBody = (overrides: Json = {}) => ({
  kind: 'sales_call',
  title: 'Acme discovery call',
  start: { dateTime: '2026-03-09T10:00', timeZone: 'America/New_York' },
  end: { dateTime: '2026-03-09T11:00', timeZone: 'America/New_York' },
  seats: 3,
  account: 'Acme Corp',
  opportunityStage: 'discovery',
  meetingUrl: 'https://meet.example.com/acme',
  ...overrides,
});

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

describe('events API', () => {
  it('creates a weekly series from local start/end and a zone, and expands it across DST', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const res = await rep.json(
      'POST',
      '/api/v1/events',
      salesCallBody({
        title: 'Weekly pipeline',
        start: { dateTime: '2026-03-02T09:00', timeZone: 'America/New_York' },
        end: { dateTime: '2026-03-02T09:45', timeZone: 'America/New_York' },
        recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3'],
      }),
    );
    expect(res.status).toBe(201);
    const event = await json(res);
    expect(event).toMatchObject({
      kind: 'sales_call',
      host: { id: company.people['rep@example.com'], name: 'Rita Rep' },
      start: { dateTime: '2026-03-02T09:00', timeZone: 'America/New_York' },
      end: { dateTime: '2026-03-02T09:45', timeZone: 'America/New_York' },
      durationMinutes: 45,
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3'],
      repeat: { freq: 'weekly', interval: 1, byWeekday: ['MO'], count: 3 },
      recurrenceText: 'Every week on Monday, 3 times',
      guestDepartment: 'marketing',
    });
    const occurrences = await json(await rep.get(`/api/v1/events/${event.id}/occurrences?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z`));
    expect(occurrences.data.map((o: Json) => [o.id, o.start, o.end])).toEqual([
      [`${event.id}_20260302T140000Z`, '2026-03-02T09:00:00-05:00', '2026-03-02T09:45:00-05:00'],
      [`${event.id}_20260309T130000Z`, '2026-03-09T09:00:00-04:00', '2026-03-09T09:45:00-04:00'],
      [`${event.id}_20260316T130000Z`, '2026-03-16T09:00:00-04:00', '2026-03-16T09:45:00-04:00'],
    ]);
    expect(occurrences.data[0]).toMatchObject({ seats: 3, seatsTaken: 0, seatsFree: 3, status: 'scheduled', moved: false });
  });

  it('rejects bad rules and times with the error shape and writes nothing', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const cases: [Json, string, string][] = [
      [{ recurrence: ['RRULE:FREQ=WEEKLY;INTERVAL=0'] }, 'recurrence', 'INTERVAL=0 is not allowed'],
      [{ recurrence: ['RRULE:FREQ=DAILY;COUNT=100000'] }, 'recurrence', 'COUNT=100000 is not allowed'],
      [{ recurrence: ['RRULE:FREQ=SECONDLY'] }, 'recurrence', 'FREQ=SECONDLY is not supported'],
      [{ end: { dateTime: '2026-03-09T09:00', timeZone: 'America/New_York' } }, 'end', 'at least 5 minutes'],
      [{ start: { dateTime: '2026-03-09T10:00', timeZone: 'Mars/Base' } }, 'start.timeZone', 'Unknown time zone'],
      [{ account: null }, 'account', 'Enter the account'],
    ];
    for (const [overrides, path, message] of cases) {
      const res = await rep.json('POST', '/api/v1/events', salesCallBody(overrides));
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      const body = await json(res);
      expect(body.error.code).toBe('invalid');
      expect(body.error.issues.find((i: Json) => i.path === path)?.message, path).toContain(message);
    }
    const marketer = sessionAs(t, 'marketer@example.com');
    const wrongHost = await marketer.json('POST', '/api/v1/events', salesCallBody());
    expect(wrongHost.status).toBe(400);
    expect((await json(wrongHost)).error.issues[0].message).toBe('A sales call is hosted by someone from sales.');
    expect(t.db.select({ n: count() }).from(events).get()!.n).toBe(0);
  });

  it('lets only the host, their manager or HR change and cancel an event', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const event = await json(await rep.json('POST', '/api/v1/events', salesCallBody()));
    const other = sessionAs(t, 'rep2@example.com');
    expect((await other.json('PATCH', `/api/v1/events/${event.id}`, { title: 'Hijacked' })).status).toBe(403);
    const manager = sessionAs(t, 'sales.manager@example.com');
    const changed = await json(await manager.json('PATCH', `/api/v1/events/${event.id}`, { title: 'Acme demo', start: { dateTime: '2026-03-09T14:00' } }));
    expect([changed.title, changed.start.dateTime, changed.end.dateTime, changed.sequence]).toEqual(['Acme demo', '2026-03-09T14:00', '2026-03-09T15:00', 1]);
    const cancelled = await json(await rep.request(`/api/v1/events/${event.id}`, { method: 'DELETE' }));
    expect(cancelled.status).toBe('cancelled');
  });

  it('gives exactly 3 of 50 simultaneous claims a seat and waitlists the other 47', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const event = await json(await rep.json('POST', '/api/v1/events', salesCallBody({ recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO'] })));
    const occurrenceId = `${event.id}_20260309T140000Z`;
    const clients = [];
    for (let i = 0; i < 50; i++) {
      t.db
        .insert(people)
        .values({
          email: `claimer${i}@example.com`,
          name: `Claimer ${i}`,
          department: 'marketing',
          role: 'employee',
          hireDate: '2025-01-01',
          timeZone: 'Europe/London',
        })
        .run();
      clients.push(sessionAs(t, `claimer${i}@example.com`));
    }
    const responses = await Promise.all(clients.map((client) => client.json('POST', `/api/v1/events/${event.id}/seats`, { occurrenceId })));
    const bodies = await Promise.all(responses.map(json));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(3);
    const full = bodies.filter((b) => b.error?.code === 'full');
    expect(full).toHaveLength(47);
    expect(full.map((b) => b.error.waitlistPosition).sort((a, b) => a - b)).toEqual(Array.from({ length: 47 }, (_, i) => i + 1));
    expect(t.db.select({ n: count() }).from(invitations).where(eq(invitations.holdsSeat, true)).get()!.n).toBe(3);
    const occurrence = (await json(await rep.get(`/api/v1/events/${event.id}/occurrences?from=2026-03-09T00:00:00Z&to=2026-03-10T00:00:00Z`))).data[0];
    expect([occurrence.seatsTaken, occurrence.seatsFree]).toEqual([3, 0]);

    // A seat holder declines: the first on the waitlist moves up.
    const holderIndex = responses.findIndex((r) => r.status === 201);
    const holderInvitation = bodies[holderIndex].invitation.id;
    const firstWaiting = bodies.findIndex((b) => b.error?.waitlistPosition === 1);
    const declined = await json(
      await clients[holderIndex]!.json('PATCH', `/api/v1/invitations/${holderInvitation}`, { status: 'declined', reason: 'Customer moved the call' }),
    );
    expect(declined.outcome).toBe('declined');
    expect(declined.promoted.map((p: Json) => p.personId)).toEqual([bodies[firstWaiting].error.invitation.personId]);
    expect(declined.promoted[0].status).toBe('accepted');
  });

  it('invites to a series or one occurrence, answers in place and warns about conflicts', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const event = await json(
      await rep.json(
        'POST',
        '/api/v1/events',
        salesCallBody({
          start: { dateTime: '2026-03-09T12:00', timeZone: 'America/New_York' },
          end: { dateTime: '2026-03-09T13:00', timeZone: 'America/New_York' },
          recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4'],
        }),
      ),
    );
    const marketerId = company.people['marketer@example.com']!;
    const invited = await rep.json('POST', `/api/v1/events/${event.id}/invitations`, { personIds: [marketerId] });
    expect(invited.status).toBe(201);
    const body = await json(invited);
    expect(body.invited[0]).toMatchObject({ personId: marketerId, occurrenceId: null, status: 'invited' });
    // 12:00 in New York is 17:00 in Berlin: outside Mark's working hours.
    expect(body.warnings[0].conflicts[0]).toEqual({
      code: 'working_hours',
      message: "Mon 9 Mar 17:00–18:00 (Europe/Berlin) is outside Mark Marketer's working hours (09:00–17:00).",
    });

    const marketer = sessionAs(t, 'marketer@example.com');
    const pending = await json(await marketer.get('/api/v1/invitations'));
    expect(pending.data.map((i: Json) => i.id)).toEqual([body.invited[0].id]);
    const accepted = await json(await marketer.json('PATCH', `/api/v1/invitations/${body.invited[0].id}`, { status: 'accepted' }));
    expect(accepted.outcome).toBe('accepted');
    expect(accepted.warnings.length).toBeGreaterThan(0);
    const someoneElse = sessionAs(t, 'marketer2@example.com');
    expect((await someoneElse.json('PATCH', `/api/v1/invitations/${body.invited[0].id}`, { status: 'declined' })).status).toBe(403);

    const oneOccurrence = await json(
      await rep.json('POST', `/api/v1/events/${event.id}/invitations`, {
        personIds: [company.people['marketer2@example.com']],
        occurrenceId: `${event.id}_20260316T160000Z`,
      }),
    );
    expect(oneOccurrence.invited[0].occurrenceId).toBe(`${event.id}_20260316T160000Z`);
    const notAnOccurrence = await rep.json('POST', `/api/v1/events/${event.id}/invitations`, {
      personIds: [marketerId],
      occurrenceId: `${event.id}_20260317T160000Z`,
    });
    expect(notAnOccurrence.status).toBe(404);
  });

  it('cancels, moves and restores one occurrence; edits this and following', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const repId = company.people['rep@example.com'];
    const event = await json(await hr.json('POST', '/api/v1/events', salesCallBody({ hostId: repId, recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO'] })));
    const second = `${event.id}_20260316T140000Z`;
    const cancelled = await json(await hr.json('PATCH', `/api/v1/events/${event.id}/occurrences/${second}`, { status: 'cancelled' }));
    expect(cancelled.status).toBe('cancelled');
    const moved = await json(
      await hr.json('PATCH', `/api/v1/events/${event.id}/occurrences/${event.id}_20260323T140000Z`, { start: { dateTime: '2026-03-24T15:00' } }),
    );
    expect([moved.start, moved.end, moved.moved]).toEqual(['2026-03-24T15:00:00-04:00', '2026-03-24T16:00:00-04:00', true]);
    const restored = await json(await hr.json('PATCH', `/api/v1/events/${event.id}/occurrences/${second}`, { status: 'scheduled' }));
    expect(restored.status).toBe('scheduled');

    const tail = await json(
      await hr.json('PATCH', `/api/v1/events/${event.id}`, {
        fromOccurrenceId: `${event.id}_20260330T140000Z`,
        title: 'New time',
        start: { dateTime: '2026-03-31T08:30' },
        end: { dateTime: '2026-03-31T09:00' },
      }),
    );
    expect([tail.title, tail.start.dateTime, tail.recurrence, tail.splitFromEventId]).toEqual([
      'New time',
      '2026-03-31T08:30',
      ['RRULE:FREQ=WEEKLY;BYDAY=TU'],
      event.id,
    ]);
    const head = await json(await hr.get(`/api/v1/events/${event.id}`));
    expect(head.recurrence).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260323T235959']);

    const list = await json(await hr.get('/api/v1/events?from=2026-03-01T00:00:00Z&to=2026-04-08T00:00:00Z'));
    expect(list.data.map((e: Json) => [e.title, e.occurrences.map((o: Json) => `${o.start}${o.status === 'cancelled' ? ' cancelled' : ''}`)])).toEqual([
      ['Acme discovery call', ['2026-03-09T10:00:00-04:00', '2026-03-16T10:00:00-04:00', '2026-03-24T15:00:00-04:00']],
      ['New time', ['2026-03-31T08:30:00-04:00', '2026-04-07T08:30:00-04:00']],
    ]);
  });

  it('lists events a page at a time: pageSize events, fewer once a page holds 1,000 occurrences, and a cursor to go on', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const made: number[] = [];
    for (let i = 0; i < 5; i++) {
      const day = String(10 + i).padStart(2, '0');
      const res = await rep.json(
        'POST',
        '/api/v1/events',
        salesCallBody({
          title: `Call ${i}`,
          start: { dateTime: `2026-03-${day}T10:00`, timeZone: 'America/New_York' },
          end: { dateTime: `2026-03-${day}T11:00`, timeZone: 'America/New_York' },
        }),
      );
      made.push((await json(res)).id);
    }
    const window = 'from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z';
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await json(await rep.get(`/api/v1/events?${window}&pageSize=2${cursor ? `&cursor=${cursor}` : ''}`));
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e: Json) => e.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(made);
    expect(pages).toBe(3);

    // Daily series over a year: three of them hold more than 1,000 occurrences, so a page stops there.
    for (let i = 0; i < 4; i++) {
      await rep.json(
        'POST',
        '/api/v1/events',
        salesCallBody({
          title: `Daily ${i}`,
          start: { dateTime: '2026-03-03T08:00', timeZone: 'America/New_York' },
          end: { dateTime: '2026-03-03T08:15', timeZone: 'America/New_York' },
          recurrence: ['RRULE:FREQ=DAILY'],
        }),
      );
    }
    const year = 'from=2026-03-03T00:00:00Z&to=2027-03-03T00:00:00Z';
    const first = await json(await rep.get(`/api/v1/events?${year}&pageSize=200`));
    const daily = first.data.filter((e: Json) => e.title.startsWith('Daily'));
    expect(daily.length).toBe(3);
    expect(first.data.reduce((n: number, e: Json) => n + e.occurrences.length, 0)).toBeGreaterThanOrEqual(1000);
    const rest = await json(await rep.get(`/api/v1/events?${year}&pageSize=200&cursor=${first.nextCursor}`));
    expect(rest.data.map((e: Json) => e.title)).toEqual(
      ['Daily 3', ...made.map((_, i) => `Call ${i}`)].filter((title) => !first.data.some((e: Json) => e.title === title)),
    );
    expect(rest.nextCursor).toBeNull();

    for (const bad of ['pageSize=0', 'pageSize=201', 'cursor=abc', 'cursor=1.2.3']) {
      const res = await rep.get(`/api/v1/events?${window}&${bad}`);
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe('invalid');
    }
  });

  it('lists open seats a page at a time in order of start, with a cursor to go on, inside the stored horizon and past it', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const marketer = sessionAs(t, 'marketer@example.com');
    // Two calls at the same instant (the order goes on by event), a weekly series, and the same two years ahead, past the stored horizon.
    for (const [title, start, recurrence] of [
      ['Same A', '2026-03-10T10:00', undefined],
      ['Same B', '2026-03-10T10:00', undefined],
      ['Weekly', '2026-03-11T09:00', ['RRULE:FREQ=WEEKLY;COUNT=4']],
      ['Far', '2028-03-01T09:00', ['RRULE:FREQ=WEEKLY;COUNT=3']],
      ['Far same', '2028-03-01T09:00', undefined],
    ] as const) {
      const [day, time] = start.split('T');
      const end = `${day}T${String(Number(time!.slice(0, 2)) + 1).padStart(2, '0')}:00`;
      const res = await rep.json(
        'POST',
        '/api/v1/events',
        salesCallBody({ title, start: { dateTime: start, timeZone: 'UTC' }, end: { dateTime: end, timeZone: 'UTC' }, ...(recurrence ? { recurrence } : {}) }),
      );
      expect(res.status).toBe(201);
    }
    const key = (o: Json) => `${o.event.title} ${o.start.dateTime ?? o.start}`;
    for (const window of ['from=2026-03-02T00:00:00Z&to=2026-04-30T00:00:00Z', 'from=2027-03-20T00:00:00Z&to=2028-03-20T00:00:00Z']) {
      const all = await json(await marketer.get(`/api/v1/open-seats?${window}&pageSize=200`));
      expect(all.nextCursor).toBeNull();
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await json(await marketer.get(`/api/v1/open-seats?${window}&pageSize=2${cursor ? `&cursor=${cursor}` : ''}`));
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data.map(key));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen, window).toEqual(all.data.map(key));
      const far = window.includes('2028');
      expect(seen.length, window).toBe(far ? 4 : 6);
      expect(seen.slice(0, 2).map((k) => k.split(' 20')[0])).toEqual(far ? ['Far', 'Far same'] : ['Same A', 'Same B']);
    }
    for (const bad of ['pageSize=0', 'pageSize=201', 'cursor=abc']) {
      const res = await marketer.get(`/api/v1/open-seats?${bad}`);
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe('invalid');
    }
  });

  it('works with an HR API token and documents every operation', async () => {
    const { secret } = createApiToken(t.db, t.clock, { personId: company.people['hr@example.com']! }, 'integration');
    const client = withToken(t.app, secret);
    const res = await client.json('POST', '/api/v1/events', salesCallBody({ hostId: company.people['rep@example.com'] }));
    expect(res.status).toBe(201);
    const doc = await json(await t.app.request('/api/v1/openapi.json'));
    for (const path of [
      '/api/v1/events',
      '/api/v1/events/{id}',
      '/api/v1/events/{id}/occurrences',
      '/api/v1/events/{id}/invitations',
      '/api/v1/invitations/{id}',
      '/api/v1/events/{id}/seats',
      '/api/v1/open-seats',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect((await t.app.request('/api/v1/events')).status).toBe(401);
  });
});
