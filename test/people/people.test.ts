import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { auditLog, people } from '../../db/schema';
import { createApiToken } from '../../src/auth/auth';
import { reportIds } from '../../src/people/people';
import { createTeam, teamOptions } from '../../src/people/teams';
import { anonymous, createTestApp, seedCompany, sessionAs, withToken, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp();
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const id = (email: string) => company.people[email];

describe('role matrix for directory pages and API', () => {
  it('gives each role exactly its access', async () => {
    const { secret } = createApiToken(t.db, t.clock, { personId: id('hr@example.com') }, 'HRIS');
    const clients = {
      anonymous: anonymous(t.app),
      employee: sessionAs(t, 'rep@example.com'),
      manager: sessionAs(t, 'sales.manager@example.com'),
      hr: sessionAs(t, 'hr@example.com'),
      token: withToken(t.app, secret),
    };
    const rep = id('rep@example.com');
    const marketer = id('marketer@example.com');
    // [path, anonymous, employee, manager, hr, token]
    const matrix: [string, number, number, number, number, number][] = [
      ['/people', 303, 403, 200, 200, 200],
      ['/people/new', 303, 403, 403, 200, 200],
      ['/people/import', 303, 403, 403, 200, 200],
      [`/people/${rep}`, 303, 200, 200, 200, 200],
      [`/people/${marketer}`, 303, 403, 403, 200, 200],
      [`/people/${rep}/edit`, 303, 403, 403, 200, 200],
      ['/teams', 303, 403, 403, 200, 200],
      ['/audit', 303, 403, 403, 200, 200],
      ['/outbox', 303, 403, 403, 200, 200],
      ['/admin/tokens', 303, 403, 403, 200, 200],
      ['/account', 303, 200, 200, 200, 200],
      ['/api/v1/me', 401, 200, 200, 200, 200],
      ['/api/v1/people', 401, 403, 200, 200, 200],
      [`/api/v1/people/${rep}`, 401, 200, 200, 200, 200],
      [`/api/v1/people/${marketer}`, 401, 403, 403, 200, 200],
    ];
    for (const [path, ...expected] of matrix) {
      const actual = [];
      for (const client of Object.values(clients)) actual.push((await client.get(path)).status);
      expect(actual, path).toEqual(expected);
    }
  });

  it('managers see only their own reports in the list', async () => {
    const res = await sessionAs(t, 'sales.manager@example.com').get('/api/v1/people?pageSize=500');
    const body = (await res.json()) as { data: { email: string }[] };
    expect(body.data.map((p) => p.email).sort()).toEqual(['rep2@example.com', 'rep@example.com', 'sales.manager@example.com']);
  });

  it('reportIds follows the chain transitively', () => {
    t.db
      .update(people)
      .set({ managerId: id('sales.manager@example.com') })
      .where(eq(people.id, id('west.manager@example.com')))
      .run();
    const ids = reportIds(t.db, id('sales.manager@example.com'));
    expect(ids).toContain(id('westrep@example.com'));
    expect(ids).not.toContain(id('marketer@example.com'));
  });
});

describe('people API', () => {
  it('creates, patches and deactivates with audit entries; validation errors change nothing', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const before = t.db.select({ n: count() }).from(people).get()!.n;
    const bad = await hr.json('POST', '/api/v1/people', {
      email: 'nope',
      name: '',
      department: 'finance',
      hireDate: '2026-02-31',
      timeZone: 'Nowhere/City',
      extra: 1,
    });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(err.error.code).toBe('invalid');
    expect(err.error.issues.map((i) => i.path).sort()).toEqual(expect.arrayContaining(['department', 'email', 'hireDate', 'name', 'timeZone']));
    expect(t.db.select({ n: count() }).from(people).get()!.n).toBe(before);

    const created = await hr.json('POST', '/api/v1/people', {
      email: 'New.Person@Example.com',
      name: 'New Person',
      department: 'marketing',
      hireDate: '2026-01-05',
      timeZone: 'Europe/Paris',
      teamId: company.teams['Product Marketing'],
    });
    expect(created.status).toBe(201);
    const person = (await created.json()) as { id: number; email: string; role: string };
    expect(person).toMatchObject({ email: 'new.person@example.com', role: 'employee' });
    expect(person).not.toHaveProperty('passwordHash');

    const dup = await hr.json('POST', '/api/v1/people', {
      email: 'NEW.PERSON@example.com',
      name: 'Again',
      department: 'sales',
      hireDate: '2026-01-05',
      timeZone: 'UTC',
    });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { error: { code: string } }).error.code).toBe('email_taken');

    const patched = await hr.json('PATCH', `/api/v1/people/${person.id}`, { title: 'PMM', managerId: id('marketing.manager@example.com') });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ title: 'PMM', managerId: id('marketing.manager@example.com') });

    const selfManaged = await hr.json('PATCH', `/api/v1/people/${person.id}`, { managerId: person.id });
    expect(selfManaged.status).toBe(409);
    expect((await hr.json('PATCH', `/api/v1/people/999999`, { title: 'x' })).status).toBe(404);
    expect((await hr.json('PATCH', `/api/v1/people/${person.id}`, {})).status).toBe(400);

    const entries = t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(person.id)))
      .all();
    expect(entries.map((e) => e.action)).toEqual(['person.create', 'person.update']);
    expect(entries[1].before).toMatchObject({ title: '' });
    expect(entries[1].after).toMatchObject({ title: 'PMM' });
  });

  it('answers malformed JSON with the error shape', async () => {
    const res = await sessionAs(t, 'hr@example.com').request('/api/v1/people', {
      method: 'POST',
      body: '{"email":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid', message: expect.any(String) } });
  });

  it('API tokens authenticate, are audited as the token, and stop working when revoked', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const page = await hr.form('/admin/tokens', { name: 'Workday sync' });
    expect(page.status).toBe(201);
    const secret = /<code id="new-token">([^<]+)<\/code>/.exec(await page.text())![1];
    const api = withToken(t.app, secret);
    const res = await api.json('POST', '/api/v1/people', {
      email: 'sync@example.com',
      name: 'Synced',
      department: 'other',
      hireDate: '2026-01-01',
      timeZone: 'UTC',
    });
    expect(res.status).toBe(201);
    const entry = t.db.select().from(auditLog).where(eq(auditLog.action, 'person.create')).all().at(-1)!;
    expect(entry.actorTokenId).not.toBeNull();
    const tokenId = entry.actorTokenId!;
    // Seen twice, so the token and the answer are remembered: revoking must still end it at once.
    expect((await api.get('/api/v1/me')).status).toBe(200);
    expect((await api.get('/api/v1/me')).status).toBe(200);
    expect((await hr.form(`/admin/tokens/${tokenId}/revoke`, {})).status).toBe(303);
    expect((await api.get('/api/v1/me')).status).toBe(401);
    expect((await withToken(t.app, 'ct_made-up').get('/api/v1/people')).status).toBe(401);
  });

  it('publishes an OpenAPI document generated from the route schemas', async () => {
    const doc = (await (await t.app.request('/api/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/people', '/api/v1/people/{id}', '/api/v1/people/import', '/api/v1/me']));
    const createSchema = doc.paths['/api/v1/people'].post.requestBody!.content['application/json'].schema;
    expect(Object.keys(createSchema.properties!)).toEqual(expect.arrayContaining(['email', 'name', 'department', 'hireDate', 'timeZone']));
  });
});

describe('people pages', () => {
  it('renders a hostile name as text everywhere it shows', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const payload = '<script>alert(1)</script>';
    const res = await hr.json('PATCH', `/api/v1/people/${id('rep@example.com')}`, { name: payload, title: '"><img src=x onerror=alert(1)>' });
    expect(res.status).toBe(200);
    for (const path of [
      '/people',
      `/people/${id('rep@example.com')}`,
      `/people/${id('rep@example.com')}/edit`,
      '/people?q=script',
      `/people/${id('sales.manager@example.com')}`,
      '/audit',
    ]) {
      const html = await (await hr.get(path)).text();
      expect(html, path).not.toContain(payload);
      expect(html, path).not.toContain('<img src=x');
      if (path !== `/people/${id('sales.manager@example.com')}`) expect(html, path).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('live search returns only the results partial to htmx, and the full page without it', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const partial = await (await hr.get('/people?q=Rita', { 'hx-request': 'true' })).text();
    expect(partial.startsWith('<div id="people-results"')).toBe(true);
    expect(partial).toContain('Rita Rep');
    expect(partial).not.toContain('Mark Marketer');
    const full = await (await hr.get('/people?q=Rita')).text();
    expect(full).toContain('<!doctype html>');
    expect(full).toContain('Rita Rep');
  });

  it('pages and filters the list', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const page2 = await (await hr.get('/people?pageSize=5&page=2')).text();
    expect(page2).toContain('Page 2 of 3');
    // The page links keep the chosen page size.
    expect(page2).toContain('href="/people?pageSize=5&amp;page=3"');
    expect(page2).toContain('href="/people?pageSize=5"');
    const sales = await (await hr.get('/people?department=sales&pageSize=100')).text();
    expect(sales).toContain('Rita Rep');
    expect(sales).not.toContain('Mark Marketer');
    expect((await hr.get('/people?department=finance')).status).toBe(400);
  });

  it('the add form shows field-level errors and keeps the typed values', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const res = await hr.form('/people', { name: 'Typed Name', email: 'bad', department: 'sales', hireDate: '2026-01-01', timeZone: 'UTC', role: 'employee' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="f-email-error"');
    expect(html).toContain('value="Typed Name"');
    const dup = await hr.form('/people', {
      name: 'Dup',
      email: 'rep@example.com',
      department: 'sales',
      hireDate: '2026-01-01',
      timeZone: 'UTC',
      role: 'employee',
    });
    expect(dup.status).toBe(409);
    expect(await dup.text()).toContain('rep@example.com is already in the directory.');
  });

  it('HR deactivates and reactivates a person but not themselves', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    expect((await hr.form(`/people/${id('rep2@example.com')}/deactivate`, {})).status).toBe(303);
    expect(
      t.db
        .select()
        .from(people)
        .where(eq(people.id, id('rep2@example.com')))
        .get()!.active,
    ).toBe(false);
    expect((await hr.form(`/people/${id('rep2@example.com')}/reactivate`, {})).status).toBe(303);
    expect((await hr.form(`/people/${id('hr@example.com')}/deactivate`, {})).status).toBe(403);
  });

  it('unknown pages are 404 pages, unknown API paths 404 JSON', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    expect((await hr.get('/nope')).status).toBe(404);
    expect((await hr.get('/people/999999')).status).toBe(404);
    expect((await hr.get('/people/abc')).status).toBe(404);
    const api = await hr.get('/api/v1/nope');
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: { code: 'not_found', message: 'No such endpoint.' } });
  });
});

describe('team options', () => {
  it('lists teams by department and name, of the departments asked, names as written', () => {
    const actor = { personId: id('hr@example.com') };
    for (const [name, department] of [
      ['Zürich "Field" <Sales>', 'sales'],
      ['Ops \\ Support, 2nd line', 'other'],
      ['Brand & Content', 'marketing'],
    ] as const)
      createTeam(t.db, t.clock, actor, { name, department, managerId: null });
    const expected = t.db.$client.prepare('SELECT id, name, department FROM teams ORDER BY department, name').all();
    expect(teamOptions(t.db)).toEqual(expected);
    const sold = teamOptions(t.db, ['sales', 'marketing']);
    expect(sold).toEqual(expected.filter((team) => (team as { department: string }).department !== 'other'));
    expect(sold.map((team) => team.name)).toContain('Zürich "Field" <Sales>');
    expect(teamOptions(t.db, [])).toEqual([]);
  });
});
