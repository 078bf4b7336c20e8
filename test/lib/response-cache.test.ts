import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppEnv, Person, Viewer } from '../../src/context';
import type { App } from '../../src/app';
import { defaultSettings } from '../../src/config';
import { fixedClock } from '../../src/lib/clock';
import { createResponseCache, defaultResponseCacheOptions, withPageCache } from '../../src/page-cache';
import { createTestApp, createTestDb, seedCompany, sessionAs, type TestContext } from '../support/app';

/** A tiny app behind the cache: counts how often the handler really runs. */
function cachedApp(options: Partial<typeof defaultResponseCacheOptions> = {}) {
  const { db, path, cleanup } = createTestDb();
  const clock = fixedClock('2026-03-02T12:00:00Z');
  const viewers: Record<string, Viewer> = {
    ada: { person: { id: 1 } as Person, sessionId: 'session-ada', csrfToken: 'a' },
    bo: { person: { id: 2 } as Person, sessionId: 'session-bo', csrfToken: 'b' },
  };
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    const who = c.req.header('x-viewer');
    if (who) c.set('viewer', viewers[who]);
    await next();
  });
  app.use('*', createResponseCache(db, clock, { ...defaultResponseCacheOptions, ...options }).middleware);
  let runs = 0;
  app.get('/page', (c) => {
    runs++;
    return c.html(`<p>${c.var.viewer?.person.id ?? 'nobody'} run ${runs} ${c.req.header('hx-request') ? 'partial' : 'full'}</p>`);
  });
  app.get('/writes', (c) => {
    runs++;
    db.$client.exec('CREATE TABLE IF NOT EXISTS scratch (n INTEGER)');
    db.$client.prepare('INSERT INTO scratch VALUES (1)').run();
    return c.html(`<p>run ${runs}</p>`);
  });
  app.get('/cookie', (c) => {
    runs++;
    c.header('set-cookie', 'x=1');
    return c.html(`<p>run ${runs}</p>`);
  });
  app.get('/missing', (c) => {
    runs++;
    return c.html('<p>gone</p>', 404);
  });
  app.get('/big', (c) => {
    runs++;
    return c.html(`<p>${'x'.repeat(2000)} ${runs}</p>`);
  });
  app.get('/download', (c) => {
    runs++;
    return c.body(`a,b\n${runs}`, 200, { 'content-type': 'text/csv' });
  });
  const get = async (path: string, who?: string, headers: Record<string, string> = {}) =>
    (await app.request(path, { headers: { ...(who ? { 'x-viewer': who } : {}), ...headers } })).text();
  return { app, db, path, clock, get, runs: () => runs, cleanup };
}

describe('response cache', () => {
  let t: ReturnType<typeof cachedApp>;
  afterEach(() => t.cleanup());

  it('serves a repeated signed-in GET again without running the handler, with the same headers', async () => {
    t = cachedApp();
    const first = await t.app.request('/page', { headers: { 'x-viewer': 'ada' } });
    const again = await t.app.request('/page', { headers: { 'x-viewer': 'ada' } });
    expect(await again.text()).toBe(await first.text());
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(t.runs()).toBe(1);
  });

  it('keeps answers apart per viewer, per URL and per htmx request', async () => {
    t = cachedApp();
    expect(await t.get('/page', 'ada')).toContain('1 run 1 full');
    expect(await t.get('/page', 'bo')).toContain('2 run 2 full');
    expect(await t.get('/page?x=1', 'ada')).toContain('run 3');
    expect(await t.get('/page', 'ada', { 'hx-request': 'true' })).toContain('run 4 partial');
    expect(await t.get('/page', 'ada')).toContain('1 run 1 full');
    expect(t.runs()).toBe(4);
  });

  it('never keeps answers for anonymous visitors', async () => {
    t = cachedApp();
    await t.get('/page');
    await t.get('/page');
    expect(t.runs()).toBe(2);
  });

  it('forgets everything once this connection writes a row', async () => {
    t = cachedApp();
    await t.get('/page', 'ada');
    t.db.$client.exec('CREATE TABLE scratch (n INTEGER)');
    t.db.$client.prepare('INSERT INTO scratch VALUES (1)').run();
    expect(await t.get('/page', 'ada')).toContain('run 2');
    expect(await t.get('/page', 'ada')).toContain('run 2');
  });

  it('forgets everything once another connection (another server process) commits', async () => {
    t = cachedApp();
    await t.get('/page', 'ada');
    const other = new Database(t.path);
    other.exec('CREATE TABLE elsewhere (n INTEGER); INSERT INTO elsewhere VALUES (1);');
    other.close();
    expect(await t.get('/page', 'ada')).toContain('run 2');
  });

  it('serves nothing older than the age limit, and nothing from the clock’s future', async () => {
    t = cachedApp({ maxAgeMs: 10_000 });
    await t.get('/page', 'ada');
    t.clock.advance(9_000);
    expect(await t.get('/page', 'ada')).toContain('run 1');
    t.clock.advance(1_000);
    expect(await t.get('/page', 'ada')).toContain('run 2');
    t.clock.advance(-60_000);
    expect(await t.get('/page', 'ada')).toContain('run 3');
  });

  it('does not keep answers that wrote, set cookies, failed, or are not pages', async () => {
    t = cachedApp();
    for (const path of ['/writes', '/cookie', '/missing', '/download']) {
      await t.get(path, 'ada');
      await t.get(path, 'ada');
    }
    expect(t.runs()).toBe(8);
  });

  it('drops the least recently used answers beyond its size budget', async () => {
    t = cachedApp({ maxBytes: 5_000 });
    await t.get('/big?n=1', 'ada');
    await t.get('/big?n=2', 'ada');
    await t.get('/big?n=1', 'ada'); // hit: n=1 is now the most recent
    await t.get('/big?n=3', 'ada'); // over budget: n=2 goes
    expect(t.runs()).toBe(3);
    await t.get('/big?n=1', 'ada');
    expect(t.runs()).toBe(3);
    await t.get('/big?n=2', 'ada');
    expect(t.runs()).toBe(4);
  });
});

describe('response cache in the app', () => {
  let t: TestContext;
  let company: Awaited<ReturnType<typeof seedCompany>>;
  afterEach(() => t.close());

  const setUp = async () => {
    const bare = createTestApp();
    // Wrapped as server.ts wraps it with PAGE_CACHE=true; the tests only send requests to it.
    t = { ...bare, app: withPageCache(bare.app, { db: bare.db, clock: bare.clock, settings: defaultSettings }) as unknown as App };
    company = await seedCompany(t.db);
  };

  it('shows a change made through the app on the very next view', async () => {
    await setUp();
    const hr = sessionAs(t, 'hr@example.com');
    const rep = { id: company.people['rep@example.com'] };
    expect(await (await hr.get(`/people/${rep.id}`)).text()).not.toContain('Renamed Rep');
    const res = await hr.json('PATCH', `/api/v1/people/${rep.id}`, { name: 'Renamed Rep' });
    expect(res.status).toBe(200);
    expect(await (await hr.get(`/people/${rep.id}`)).text()).toContain('Renamed Rep');
  });

  it('shows a change written by another process on the next view', async () => {
    await setUp();
    const hr = sessionAs(t, 'hr@example.com');
    const rep = { id: company.people['rep@example.com'] };
    await hr.get(`/people/${rep.id}`);
    const other = new Database(t.dbPath);
    other.prepare('UPDATE people SET name = ? WHERE id = ?').run('Changed Elsewhere', rep.id);
    other.close();
    expect(await (await hr.get(`/people/${rep.id}`)).text()).toContain('Changed Elsewhere');
  });

  it('stops serving a kept page the moment its session is signed out', async () => {
    await setUp();
    const rep = sessionAs(t, 'rep@example.com');
    expect((await rep.get('/')).status).toBe(200);
    expect((await rep.get('/')).status).toBe(200);
    expect((await rep.form('/logout', { _csrf: rep.csrfToken! })).status).toBe(303);
    const after = await rep.get('/');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/login/);
  });

  it('stops serving a kept page once the session has been idle too long, with no write in between', async () => {
    await setUp();
    const rep = sessionAs(t, 'rep@example.com');
    expect((await rep.get('/')).status).toBe(200);
    t.clock.advance(24 * 3_600_000 * 30);
    expect((await rep.get('/')).status).toBe(303);
  });

  it('gives each viewer their own page, with their own CSRF token', async () => {
    await setUp();
    const rep = sessionAs(t, 'rep@example.com');
    const marketer = sessionAs(t, 'marketer@example.com');
    const repPage = await (await rep.get('/')).text();
    const marketerPage = await (await marketer.get('/')).text();
    expect(repPage).toContain(rep.csrfToken!);
    expect(marketerPage).toContain(marketer.csrfToken!);
    expect(marketerPage).not.toContain(rep.csrfToken!);
    expect(await (await rep.get('/')).text()).toBe(repPage);
  });

  it('keeps the security and no-store headers on a page served again', async () => {
    await setUp();
    const rep = sessionAs(t, 'rep@example.com');
    await rep.get('/');
    const again = await rep.get('/');
    expect(again.headers.get('cache-control')).toBe('private, no-store');
    expect(again.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(again.headers.get('x-frame-options')).toBe('DENY');
  });
});
