import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessions } from '../../db/schema';
import { pairDelaySeconds } from '../../src/auth/throttle';
import { anonymous, createTestApp, seedCompany, signIn, TEST_PASSWORD, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp();
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  t.app.request('/login', {
    method: 'POST',
    body: new URLSearchParams({ email, password }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });

describe('sign in', () => {
  it('sets an HttpOnly SameSite=Lax session cookie stored server-side as a hash', async () => {
    const res = await login('REP@example.com', TEST_PASSWORD);
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^ct_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const value = cookie.split(';')[0].split('=')[1];
    const stored = t.db.select().from(sessions).all();
    expect(stored).toHaveLength(1);
    expect(stored[0].id).not.toBe(value);
  });

  it('answers 401 with a clear message and no session for wrong credentials', async () => {
    for (const [email, password] of [
      ['rep@example.com', 'wrong password!'],
      ['nobody@example.com', TEST_PASSWORD],
    ]) {
      const res = await login(email, password);
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(await res.text()).toContain('The email or password is wrong.');
    }
    expect(t.db.select().from(sessions).all()).toHaveLength(0);
  });

  it('issues a new session id at every sign-in', async () => {
    const a = await signIn(t.app, 'rep@example.com');
    const b = await signIn(t.app, 'rep@example.com');
    expect(a.cookie).not.toBe(b.cookie);
  });

  it('slows down the address and device that keeps failing, even for the right password, then lets it in', async () => {
    for (let i = 0; i < 5; i++) expect((await login('rep@example.com', 'wrong password!')).status).toBe(401);
    const throttled = await login('rep@example.com', TEST_PASSWORD);
    expect(throttled.status).toBe(429);
    expect(await throttled.text()).toContain('Too many wrong sign-ins for this address from this device');
    t.clock.advance(31_000);
    expect((await login('rep@example.com', TEST_PASSWORD)).status).toBe(303);
  });

  it('backs off with growing delays after five failures', () => {
    expect([4, 5, 6, 7, 20].map(pairDelaySeconds)).toEqual([0, 30, 60, 120, 900]);
  });

  it('only redirects to local paths after sign-in', async () => {
    const res = await t.app.request('/login', {
      method: 'POST',
      body: new URLSearchParams({ email: 'rep@example.com', password: TEST_PASSWORD, next: '//evil.example/x' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.headers.get('location')).toBe('/');
  });
});

describe('sessions', () => {
  it('logging out ends the session on the server', async () => {
    const rep = await signIn(t.app, 'rep@example.com');
    expect((await rep.get('/api/v1/me')).status).toBe(200);
    const out = await rep.form('/logout', { _csrf: rep.csrfToken! });
    expect(out.status).toBe(303);
    expect((await rep.get('/api/v1/me')).status).toBe(401);
    expect((await rep.get('/account')).headers.get('location')).toMatch(/^\/login/);
  });

  it('deactivating a person ends their sessions', async () => {
    const rep = await signIn(t.app, 'rep@example.com');
    const hr = await signIn(t.app, 'hr@example.com');
    const res = await hr.json('PATCH', `/api/v1/people/${company.people['rep@example.com']}`, { active: false });
    expect(res.status).toBe(200);
    expect((await rep.get('/api/v1/me')).status).toBe(401);
    expect((await login('rep@example.com', TEST_PASSWORD)).status).toBe(401);
  });

  it('expires idle sessions', async () => {
    const rep = await signIn(t.app, 'rep@example.com');
    t.clock.advance(13 * 3_600_000);
    expect((await rep.get('/api/v1/me')).status).toBe(401);
  });

  it('changing the password renews this session (new id and CSRF token) and ends the others', async () => {
    const phone = await signIn(t.app, 'rep@example.com');
    const laptop = await signIn(t.app, 'rep@example.com');
    const bad = await laptop.form('/account/password', {
      currentPassword: 'nope',
      newPassword: 'a much better password',
      confirmPassword: 'a much better password',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('The current password is wrong.');
    const short = await laptop.form('/account/password', { currentPassword: TEST_PASSWORD, newPassword: 'short', confirmPassword: 'short' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('at least 12 characters');
    const ok = await laptop.form('/account/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a much better password',
      confirmPassword: 'a much better password',
    });
    expect(ok.status).toBe(303);
    const renewedCookie = (ok.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(renewedCookie).toMatch(/^ct_session=/);
    expect(renewedCookie).not.toBe(laptop.cookie);
    const me = await t.app.request('/api/v1/me', { headers: { cookie: renewedCookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { csrfToken: string }).csrfToken).not.toBe(laptop.csrfToken);
    expect((await laptop.get('/api/v1/me')).status).toBe(401);
    expect((await phone.get('/api/v1/me')).status).toBe(401);
    expect((await login('rep@example.com', 'a much better password')).status).toBe(303);
  });
});

describe('CSRF', () => {
  it('refuses a cross-origin form post even with a valid session', async () => {
    const hr = await signIn(t.app, 'hr@example.com');
    const res = await hr.form(
      '/teams',
      { name: 'Evil team', department: 'sales', _csrf: hr.csrfToken! },
      { origin: 'https://evil.example', 'x-csrf-token': '' },
    );
    expect(res.status).toBe(403);
    const listed = await (await hr.get('/teams')).text();
    expect(listed).not.toContain('Evil team');
  });

  it('refuses a state change without the session CSRF token', async () => {
    const hr = await signIn(t.app, 'hr@example.com');
    const res = await t.app.request('/teams', {
      method: 'POST',
      body: new URLSearchParams({ name: 'No token team', department: 'sales' }),
      headers: { cookie: hr.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(403);
    const ok = await hr.form('/teams', { name: 'Token team', department: 'sales', _csrf: hr.csrfToken! });
    expect(ok.status).toBe(303);
  });

  it('refuses a cross-site login post', async () => {
    const res = await login('rep@example.com', TEST_PASSWORD, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });
});

describe('unauthenticated access', () => {
  it('sends pages to the login form and answers 401 JSON on the API', async () => {
    const page = await anonymous(t.app).get('/people');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fpeople');
    const api = await anonymous(t.app).get('/api/v1/people');
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
  });

  it('answers health checks', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('sets security headers on every response', async () => {
    const res = await t.app.request('/login');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });
});
