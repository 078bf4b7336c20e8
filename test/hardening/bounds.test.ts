/*
 * No request's cost grows with what a user typed: every place where input sets the size of the
 * work (date ranges, page sizes, horizons, lists of ids, rule lengths, text, bodies) is capped or
 * answered 400 with a clear message (the JSON error shape on the API, a field message on pages),
 * never a 500 and never a long answer. One case per class; the limits are named in each title.
 */
import { serve } from '@hono/node-server';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { events, people } from '../../db/schema';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext, type TestClient } from '../support/app';

let t: TestContext;
let company: SeededCompany;
let hr: TestClient;
let rep: TestClient;

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
  hr = sessionAs(t, 'hr@example.com');
  rep = sessionAs(t, 'rep@example.com');
});
afterEach(() => t.close());

type ErrorBody = { error: { code: string; message: string; issues?: { path: string; message: string }[] } };

/** A 4xx in the API's error shape, fast; returns the body. */
async function apiRefusal(res: Response, status = 400): Promise<ErrorBody> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as ErrorBody;
  expect(typeof body.error.code).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

async function timed<T>(run: () => T | Promise<T>, maxMs = 2000): Promise<T> {
  const started = performance.now();
  const result = await run();
  expect(performance.now() - started).toBeLessThan(maxMs);
  return result;
}

async function createSeries(rrule: string) {
  const res = await rep.json('POST', '/api/v1/events', {
    kind: 'sales_call',
    title: 'Monthly sales call',
    start: { dateTime: '2026-03-10T10:00', timeZone: 'Europe/Berlin' },
    end: { dateTime: '2026-03-10T11:00', timeZone: 'Europe/Berlin' },
    seats: 2,
    account: 'Acme Corp',
    recurrence: [`RRULE:${rrule}`],
  });
  return res;
}

describe('date ranges', () => {
  it('API windows (events, occurrences, open seats) answer 400 beyond 366 days', async () => {
    const created = await createSeries('FREQ=DAILY');
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: number }).id;
    const tenYears = 'from=2026-03-02T00:00:00Z&to=2036-03-02T00:00:00Z';
    for (const path of [`/api/v1/events?${tenYears}`, `/api/v1/events/${id}/occurrences?${tenYears}`, `/api/v1/open-seats?${tenYears}`]) {
      const body = await timed(async () => apiRefusal(await rep.get(path)));
      expect(body.error.issues?.[0]?.path, path).toBe('to');
    }
    // A year of a daily series (it starts on 2026-03-10): answered, every occurrence inside the window.
    const year = await timed(() => rep.get(`/api/v1/events/${id}/occurrences?from=2026-03-02T00:00:00Z&to=2027-03-03T00:00:00Z`));
    expect(year.status).toBe(200);
    expect(((await year.json()) as { data: unknown[] }).data.length).toBe(358);
  });

  it('the open seats page caps its period at 180 days and says which', async () => {
    const res = await timed(() => rep.get('/open-seats?from=2026-03-02&to=2036-03-02'));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('value="2026-08-29"');
  });

  it('training session lists answer 400 beyond 366 days (page with field message, API error shape)', async () => {
    const page = await hr.get('/programs/sessions?when=dates&from=2026-01-01&to=2036-01-01');
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Choose at most 366 days.');
    const api = await apiRefusal(await hr.get('/api/v1/training-sessions?when=dates&from=2026-01-01&to=2036-01-01'));
    expect(api.error.issues?.map((i) => i.path)).toContain('to');
  });

  it('who is away on rotation is asked for a window of at most 366 days', async () => {
    for (const path of [
      '/api/v1/rotations/away?from=1900-01-01&to=2199-12-31',
      '/api/v1/rotations/away?to=2199-12-31',
      '/api/v1/rotations/away?from=2026-05-01&to=2026-04-01',
    ]) {
      const refused = await apiRefusal(await hr.get(path));
      expect(
        refused.error.issues?.map((i) => i.path),
        path,
      ).toContain('to');
    }
    expect((await hr.get('/api/v1/rotations/away?from=2026-01-01&to=2027-01-01')).status).toBe(200);
  });

  it('dates outside 1900–2199 are refused wherever a date is read', async () => {
    for (const path of ['/?date=9999-12-31', '/open-seats?from=0001-01-01', '/audit?to=2200-01-01', '/rotations/timeline?from=9999-12-31']) {
      const res = await hr.get(path);
      expect(res.status, path).toBe(400);
    }
    for (const path of [
      '/api/v1/feedback?to=9999-12-31',
      '/api/v1/insights?from=1899-12-31',
      '/api/v1/rotations/away?to=9999-12-31',
      '/api/v1/events?from=9999-12-31T00:00:00Z',
    ]) {
      await apiRefusal(await hr.get(path));
    }
  });
});

describe('page sizes and page numbers', () => {
  it('a page size of a million is refused; the largest allowed answers', async () => {
    await apiRefusal(await hr.get('/api/v1/people?pageSize=1000000'));
    await apiRefusal(await hr.get('/api/v1/feedback?pageSize=1000000'));
    await apiRefusal(await hr.get('/api/v1/suggestions?pageSize=1000000'));
    expect((await hr.get('/people?pageSize=1000000')).status).toBe(400);
    // The audit log's pages have a fixed size (test/audit): a size asked for is not read.
    expect((await hr.get('/audit?pageSize=1000000')).status).toBe(200);
    expect((await hr.get('/api/v1/people?pageSize=500')).status).toBe(200);
  });

  it('page numbers past 100,000 are refused, and any page up to there answers quickly', async () => {
    await apiRefusal(await hr.get('/api/v1/people?page=99999999999'));
    expect((await hr.get('/people?page=99999999999')).status).toBe(400);
    expect((await timed(() => hr.get('/people?page=100000'))).status).toBe(200);
  });
});

describe('horizons', () => {
  it('the rotation timeline shows at most 104 weeks', async () => {
    expect((await hr.get('/rotations/timeline?weeks=1000')).status).toBe(400);
    expect((await timed(() => hr.get('/rotations/timeline?weeks=104'))).status).toBe(200);
  });

  it('the planner plans at most 104 weeks (API error names the field; the form says it)', async () => {
    const body = await apiRefusal(
      await hr.json('POST', '/api/v1/rotations/plan', {
        programId: 1,
        selection: 'team',
        teamId: company.teams['Sales East'],
        horizonStart: '2026-03-02',
        weeks: 1000,
      }),
    );
    expect(body.error.issues?.map((i) => i.path)).toContain('weeks');
  });
});

describe('series', () => {
  it('COUNT above 500 is refused; a rule until 9999 is kept but every answer expands only the window asked for', async () => {
    const tooMany = await apiRefusal(await createSeries('FREQ=DAILY;COUNT=1000000'));
    expect(tooMany.error.message.length).toBeGreaterThan(0);
    const forever = await createSeries('FREQ=MONTHLY;UNTIL=99991231T000000Z');
    expect(forever.status).toBe(201);
    const id = ((await forever.json()) as { id: number }).id;
    const page = await timed(() => rep.get(`/events/${id}`));
    expect(page.status).toBe(200);
    const occurrences = await timed(() => rep.get(`/api/v1/events/${id}/occurrences?from=2026-03-02T00:00:00Z&to=2027-03-02T00:00:00Z`));
    expect(((await occurrences.json()) as { data: unknown[] }).data.length).toBe(12);
    const ics = await timed(() => rep.get(`/calendar/events/${id}.ics`));
    expect(ics.status).toBe(200);
    expect((await ics.text()).length).toBeLessThan(100_000);
  });

  it('a rule longer than 1,000 characters is refused', async () => {
    await apiRefusal(await createSeries(`FREQ=WEEKLY;BYDAY=${Array(400).fill('MO').join(',')}`));
  });
});

describe('lists of ids', () => {
  it('one invitation request names at most 500 people (API and form)', async () => {
    const created = await createSeries('FREQ=WEEKLY;COUNT=3');
    const id = ((await created.json()) as { id: number }).id;
    const ids = Array.from({ length: 501 }, (_, i) => i + 1);
    const api = await apiRefusal(await rep.json('POST', `/api/v1/events/${id}/invitations`, { personIds: ids }));
    expect(api.error.issues?.[0]?.path).toBe('personIds');
    const form = await rep.form(`/events/${id}/invitations`, { personIds: ids });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('Invite at most 500 people at once.');
  });

  it('undo takes at most 100 claims; bulk welcome and enrollment lists are capped too', async () => {
    await apiRefusal(await rep.json('POST', '/api/v1/seats/undo', { invitationIds: Array.from({ length: 101 }, (_, i) => i + 1) }));
    await apiRefusal(await hr.json('POST', '/api/v1/enrollments', { programId: 1, personIds: Array.from({ length: 10_001 }, (_, i) => i + 1) }));
  });
});

describe('text and bodies', () => {
  it('a 10,000-character title is refused with the field named, nothing written', async () => {
    const before = t.db.select().from(events).all().length;
    const res = await rep.json('POST', '/api/v1/events', {
      kind: 'sales_call',
      title: 'x'.repeat(10_000),
      start: { dateTime: '2026-03-10T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-03-10T11:00:00', timeZone: 'UTC' },
    });
    expect((await apiRefusal(res)).error.issues?.map((i) => i.path)).toContain('title');
    expect(t.db.select().from(events).all().length).toBe(before);
  });

  it('a 20 MB JSON body answers 413 in the error shape; a 2 MB form answers 413 as a page; never 500', async () => {
    const big = JSON.stringify({ kind: 'sales_call', title: 'big', description: 'x'.repeat(20 * 1024 * 1024) });
    const json = await rep.request('/api/v1/events', { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
    expect((await apiRefusal(json, 413)).error.code).toBe('payload_too_large');
    const form = await rep.request('/account', {
      method: 'POST',
      body: new URLSearchParams({ timeZone: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(413);
    expect(form.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('over real HTTP, a form is judged by its declared length or, sent in chunks, by what arrives: 413 past 1 MB, saved below', async () => {
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // One connection per request (a refused upload may close its own), chunked when the body comes in parts.
      const post = (body: string | string[]) =>
        new Promise<{ status: number; type: string }>((resolve, reject) => {
          const chunked = Array.isArray(body);
          const req = request(`${base}/account`, {
            method: 'POST',
            agent: false,
            headers: {
              cookie: rep.cookie!,
              'x-csrf-token': rep.csrfToken!,
              'content-type': 'application/x-www-form-urlencoded',
              ...(chunked ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
            },
          });
          req.on('response', (res) => {
            res.resume();
            resolve({ status: res.statusCode!, type: String(res.headers['content-type']) });
          });
          // The server may answer and close before the whole body is sent.
          req.on('error', (err) => (req.writableEnded ? undefined : reject(err)));
          for (const part of chunked ? body : [body]) req.write(part);
          req.end();
        });
      const fields = (timeZone: string) => new URLSearchParams({ timeZone, workdayStart: '08:00', workdayEnd: '16:00', reminderLeadHours: '2' });
      const timeZoneOfRep = () => t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!.timeZone;
      const before = timeZoneOfRep();

      const declared = await post(`${fields('Europe/Berlin')}&padding=${'x'.repeat(2 * 1024 * 1024)}`);
      expect(declared.status).toBe(413);
      expect(declared.type).toMatch(/^text\/html/);
      expect(timeZoneOfRep()).toBe(before);

      const chunks = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
      const chunked = await post(chunks(`${fields('Europe/Berlin')}&padding=${'x'.repeat(2 * 1024 * 1024)}`, 64 * 1024));
      expect(chunked.status).toBe(413);
      expect(timeZoneOfRep()).toBe(before);

      const small = await post(fields('Europe/Berlin').toString());
      expect(small.status).toBe(303);
      expect(timeZoneOfRep()).toBe('Europe/Berlin');
      const smallChunked = await post(chunks(fields('Asia/Tokyo').toString(), 7));
      expect(smallChunked.status).toBe(303);
      expect(timeZoneOfRep()).toBe('Asia/Tokyo');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a CSV import larger than 25 MB is refused before it is read', async () => {
    const csv = `email,name\n${'someone@example.com,Some One\n'.repeat(1_000_000)}`;
    const res = await hr.request('/api/v1/people/import', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
    expect((await apiRefusal(res, 413)).error.code).toBe('payload_too_large');
    expect(t.db.select().from(people).where(eq(people.email, 'someone@example.com')).all()).toEqual([]);
  });
});
