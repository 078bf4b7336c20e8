/**
 * Sign-in and sessions as an attacker tries them: the first account's one-time password opens
 * nothing but the password form on any channel; sign-in reveals nothing and cannot lock others
 * out; cookies and origins follow how the service is reached.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { people, signInThrottle } from '../../db/schema';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { ensureFirstAdmin } from '../../src/server';
import { anonymous, createTestApp, seedCompany, sessionAs, signIn, TEST_PASSWORD, TestClient, type TestContext } from '../support/app';

let t: TestContext;
beforeEach(async () => {
  t = createTestApp({ now: '2026-12-05T09:00:00Z' });
});
afterEach(() => t.close());

const login = (app: TestContext['app'], email: string, password: string, headers: Record<string, string> = {}, next?: string) =>
  app.request('/login', {
    method: 'POST',
    body: new URLSearchParams({ email, password, ...(next ? { next } : {}) }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });

describe('the first account and its one-time password', { timeout: 300_000 }, () => {
  async function firstAdmin() {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    try {
      await ensureFirstAdmin(t.db, loadConfig({ ADMIN_EMAIL: 'admin@example.com' }), t.clock);
    } finally {
      log.mockRestore();
    }
    const password = lines.join('\n').match(/one-time password:\s+(\S+)/)?.[1];
    expect(password).toBeTruthy();
    return password!;
  }
  async function clientFor(res: Response) {
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return new TestClient(t.app, cookie, null);
  }

  it('opens no API call and no token until the password is changed, and refuses the same password', async () => {
    const password = await firstAdmin();
    const res = await login(t.app, 'admin@example.com', password);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/password');
    const admin = await clientFor(res);
    for (const [method, path, body] of [
      ['GET', '/api/v1/me', null],
      ['GET', '/api/v1/people', null],
      ['POST', '/api/v1/people', { email: 'evil@example.com', name: 'Evil', department: 'other', role: 'hr', hireDate: '2026-01-01', timeZone: 'UTC' }],
      ['GET', '/api/v1/events', null],
    ] as const) {
      const r = body ? await admin.json(method, path, body, { 'x-csrf-token': 'whatever' }) : await admin.get(path);
      expect(r.status, path).toBe(403);
      expect(((await r.json()) as { error: { code: string } }).error.code, path).toBe('password_change_required');
    }
    expect(t.db.select().from(people).where(eq(people.email, 'evil@example.com')).get()).toBeUndefined();
    // Pages, the token page included, lead to the password form.
    for (const path of ['/', '/admin/tokens', '/people']) expect((await admin.get(path)).headers.get('location'), path).toBe('/account/password');
    const page = await admin.get('/account/password');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(csrf).toBeTruthy();
    const withCsrf = new TestClient(t.app, admin.cookie, csrf!);
    expect((await withCsrf.form('/admin/tokens', { name: 'sneaky' })).headers.get('location')).toBe('/account/password');

    const same = await withCsrf.form('/account/password', { currentPassword: password, newPassword: password, confirmPassword: password });
    expect(same.status).toBe(400);
    expect(await same.text()).toContain('different from the current one');
    const changed = await withCsrf.form('/account/password', {
      currentPassword: password,
      newPassword: 'a long new admin password',
      confirmPassword: 'a long new admin password',
    });
    expect(changed.status).toBe(303);
    const renewed = await clientFor(changed);
    expect((await renewed.get('/api/v1/me')).status).toBe(200);
    expect((await login(t.app, 'admin@example.com', password)).status).toBe(401);
  });

  it('expires the one-time password after 24 hours with a message saying how to get a new one; a restart prints one', async () => {
    const password = await firstAdmin();
    t.clock.advance(24 * 3_600_000 + 1000);
    const res = await login(t.app, 'admin@example.com', password);
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    const text = await res.text();
    expect(text).toContain('one-time password has expired');
    expect(text).toContain('restarting the service');
    const fresh = await firstAdmin();
    expect(fresh).not.toBe(password);
    expect((await login(t.app, 'admin@example.com', fresh)).status).toBe(303);
    expect((await login(t.app, 'admin@example.com', password)).status).toBe(401);
  });
});

describe('sign-in reveals nothing', { timeout: 300_000 }, () => {
  beforeEach(async () => {
    await seedCompany(t.db);
  });

  it('answers an existing and an unknown address alike, through every step of throttling', async () => {
    const answers = async (email: string) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await login(t.app, email, 'wrong password!', {});
        out.push(`${res.status} ${(await res.text()).match(/<p class="error[^>]*>([^<]*)/)?.[1] ?? ''} ${res.headers.get('retry-after')}`);
      }
      return out;
    };
    const known = await answers('rep@example.com');
    const unknown = await answers('nobody@example.com');
    expect(known.map((a) => a.split(' ')[0])).toEqual(['401', '401', '401', '401', '401', '429', '429']);
    expect(unknown).toEqual(known);
  });

  it('hashes a password for unknown addresses too, so timing tells nothing', async () => {
    const time = async (email: string) => {
      const started = performance.now();
      await login(t.app, email, 'wrong password!', {});
      return performance.now() - started;
    };
    await time('warm@example.com');
    // Interleaved, the fastest of several: other test files share the cores, and a slow moment must not decide it.
    let known = Infinity;
    let unknown = Infinity;
    for (let i = 0; i < 4; i++) {
      known = Math.min(known, await time('rep@example.com'));
      unknown = Math.min(unknown, await time('nobody@example.com'));
    }
    // Both cost one scrypt at OWASP strength (hundreds of milliseconds); a fast path would be a hundred times quicker.
    expect(unknown).toBeGreaterThan(known * 0.25);
    expect(known).toBeGreaterThan(unknown * 0.25);
  });

  it('a stranger failing from their machine does not lock out the owner signing in from theirs; delays grow', async () => {
    const behindProxy = createApp({ db: t.db, clock: t.clock, settings: { trustProxy: true }, loginAttemptsPerIp: 1000 });
    const stranger = { 'x-forwarded-for': '198.51.100.66' };
    const owner = { 'x-forwarded-for': '203.0.113.10' };
    const strangerPair = () =>
      t.db
        .select()
        .from(signInThrottle)
        .all()
        .filter((r) => r.key.startsWith('pair:') && r.key.endsWith(':198.51.100.66'));
    const waitMs = () => strangerPair()[0]!.blockedUntil!.getTime() - t.clock.now().getTime();
    for (let i = 0; i < 5; i++) await login(behindProxy, 'rep@example.com', `guess ${i}`, stranger);
    expect((await login(behindProxy, 'rep@example.com', TEST_PASSWORD, stranger)).status).toBe(429);
    expect(waitMs()).toBe(30_000);
    expect((await login(behindProxy, 'rep@example.com', TEST_PASSWORD, owner)).status).toBe(303);
    // The stranger's delay grows with each failure after the fifth: 30 s, 1 min, 2 min … 15 min.
    t.clock.advance(30_000);
    await login(behindProxy, 'rep@example.com', 'guess again', stranger);
    expect(waitMs()).toBe(60_000);
    expect(strangerPair()).toHaveLength(1);
    expect((await login(behindProxy, 'rep@example.com', TEST_PASSWORD, owner)).status).toBe(303);
  });

  it('keeps its counts in the database, so another server process on the same file throttles alike', async () => {
    for (let i = 0; i < 5; i++) await login(t.app, 'rep@example.com', 'wrong password!');
    const secondProcess = createApp({ db: t.db, clock: t.clock, loginAttemptsPerIp: 1000 });
    expect((await login(secondProcess, 'rep@example.com', TEST_PASSWORD)).status).toBe(429);
    t.clock.advance(31_000);
    expect((await login(secondProcess, 'rep@example.com', TEST_PASSWORD)).status).toBe(303);
  });
});

describe('cookies and origins', { timeout: 300_000 }, () => {
  beforeEach(async () => {
    await seedCompany(t.db);
  });
  const cookieOf = (res: Response) => res.headers.get('set-cookie') ?? '';

  it('marks the session cookie Secure whenever the service is reached over HTTPS', async () => {
    expect(cookieOf(await login(t.app, 'rep@example.com', TEST_PASSWORD))).not.toMatch(/;\s*Secure/i);
    const https = createApp({ db: t.db, clock: t.clock, settings: { baseUrl: 'https://crosstrain.example' }, loginAttemptsPerIp: 1000 });
    expect(cookieOf(await login(https, 'rep@example.com', TEST_PASSWORD))).toMatch(/;\s*Secure/i);
    const proxied = createApp({ db: t.db, clock: t.clock, settings: { trustProxy: true }, loginAttemptsPerIp: 1000 });
    expect(cookieOf(await login(proxied, 'rep@example.com', TEST_PASSWORD, { 'x-forwarded-proto': 'https' }))).toMatch(/;\s*Secure/i);
    // Without a trusted proxy the header is only the client's own claim.
    expect(cookieOf(await login(t.app, 'rep@example.com', TEST_PASSWORD, { 'x-forwarded-proto': 'https' }))).not.toMatch(/;\s*Secure/i);
    // Changing the password sets the renewed cookie the same way.
    const rep = sessionAs({ app: https, db: t.db, clock: t.clock }, 'rep@example.com');
    const changed = await rep.form(
      '/account/password',
      { currentPassword: TEST_PASSWORD, newPassword: 'another long password', confirmPassword: 'another long password' },
      { origin: 'https://crosstrain.example' },
    );
    expect(changed.status).toBe(303);
    expect(cookieOf(changed)).toMatch(/;\s*Secure/i);
  });

  it('with BASE_URL set, compares the Origin with it (scheme, host and port), not with the Host header', async () => {
    const app = createApp({ db: t.db, clock: t.clock, settings: { baseUrl: 'https://crosstrain.example' }, loginAttemptsPerIp: 1000 });
    const hr = sessionAs({ app, db: t.db, clock: t.clock }, 'hr@example.com');
    const post = (origin: string, host: string) => hr.form('/teams', { name: `Team ${origin} ${host}`, department: 'sales' }, { origin, host });
    expect((await post('https://evil.example', 'evil.example')).status).toBe(403);
    expect((await post('http://crosstrain.example', 'crosstrain.example')).status).toBe(403);
    expect((await post('https://crosstrain.example:8443', 'crosstrain.example:8443')).status).toBe(403);
    expect((await post('https://crosstrain.example', 'internal:3000')).status).toBe(303);
  });

  it('refuses a form with two _csrf fields', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const body = new URLSearchParams([
      ['name', 'Doubled'],
      ['department', 'sales'],
      ['_csrf', 'attacker'],
      ['_csrf', hr.csrfToken!],
    ]);
    const res = await t.app.request('/teams', { method: 'POST', body, headers: { cookie: hr.cookie!, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(403);
    const reversed = new URLSearchParams([
      ['name', 'Doubled'],
      ['department', 'sales'],
      ['_csrf', hr.csrfToken!],
      ['_csrf', hr.csrfToken!],
    ]);
    expect(
      (await t.app.request('/teams', { method: 'POST', body: reversed, headers: { cookie: hr.cookie!, 'content-type': 'application/x-www-form-urlencoded' } }))
        .status,
    ).toBe(403);
    expect(await (await hr.get('/teams')).text()).not.toContain('Doubled');
  });

  it('renews the session id and CSRF token of the browser that changed the password', async () => {
    const rep = await signIn(t.app, 'rep@example.com');
    const res = await rep.form('/account/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'another long password',
      confirmPassword: 'another long password',
    });
    expect(res.status).toBe(303);
    expect((await rep.get('/api/v1/me')).status).toBe(401);
    const renewed = new TestClient(t.app, cookieOf(res).split(';')[0]!, null);
    const me = (await (await renewed.get('/api/v1/me')).json()) as { csrfToken: string };
    expect(me.csrfToken).not.toBe(rep.csrfToken);
    expect((await anonymous(t.app).get('/healthz')).status).toBe(200);
  });
});
