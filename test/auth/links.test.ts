import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { auditLog, outbox, passwordLinks, people, sessions } from '../../db/schema';
import { createSession } from '../../src/auth/auth';
import {
  checkPasswordLink,
  issuePasswordLink,
  RESET_LIMIT_PER_ACCOUNT,
  RESET_LIMIT_PER_ADDRESS,
  requestPasswordReset,
  sendWelcomeLinks,
  usePasswordLink,
} from '../../src/auth/links';
import { verifyPassword } from '../../src/auth/password';
import { defaultSettings } from '../../src/config';
import { sha256 } from '../../src/lib/tokens';
import { bannerAfter, anonymous, createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z', settings: { ...defaultSettings, baseUrl: 'https://crosstrain.example.com' } });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const id = (email: string) => company.people[email]!;
const hr = { personId: 0 };
const tokenOf = (body: string) => /\/password\/set\?token=([A-Za-z0-9_-]+)/.exec(body)?.[1] ?? null;
const mailsTo = (email: string) => t.db.select().from(outbox).where(eq(outbox.toEmail, email)).all();
const NEW_PASSWORD = 'a brand new long password';

describe('password links (domain)', () => {
  it('stores only the SHA-256 of the token, mails a BASE_URL link, and opens for 7 days (welcome) or 1 hour (reset)', () => {
    const person = t.db
      .select()
      .from(people)
      .where(eq(people.id, id('rep@example.com')))
      .get()!;
    const { token } = issuePasswordLink(t.db, t.clock, { personId: id('hr@example.com') }, person, 'welcome', 'https://crosstrain.example.com/');
    const rows = t.db.select().from(passwordLinks).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const [mail] = mailsTo('rep@example.com');
    expect(mail!.body).toContain(`https://crosstrain.example.com/password/set?token=${token}`);
    expect(rows[0]!.expiresAt.getTime() - t.clock.now().getTime()).toBe(7 * 86_400_000);

    t.clock.set(new Date(t.clock.now().getTime() + 7 * 86_400_000 - 1000));
    expect(checkPasswordLink(t.db, t.clock, token)).toMatchObject({ ok: true, purpose: 'welcome' });
    t.clock.set(new Date(t.clock.now().getTime() + 1000));
    expect(checkPasswordLink(t.db, t.clock, token)).toEqual({ ok: false, reason: 'expired' });

    const reset = issuePasswordLink(t.db, t.clock, hr, person, 'reset', 'https://x.example');
    t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
    expect(checkPasswordLink(t.db, t.clock, reset.token)).toEqual({ ok: false, reason: 'expired' });
    expect(checkPasswordLink(t.db, t.clock, 'not-a-token')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('is single-use, voids older links, sets the password, ends every other session and opens a fresh one', async () => {
    const rep = id('rep@example.com');
    const person = t.db.select().from(people).where(eq(people.id, rep)).get()!;
    const older = issuePasswordLink(t.db, t.clock, hr, person, 'welcome', 'https://x.example');
    const { token } = issuePasswordLink(t.db, t.clock, hr, person, 'welcome', 'https://x.example');
    expect(checkPasswordLink(t.db, t.clock, older.token)).toEqual({ ok: false, reason: 'used' });
    createSession(t.db, t.clock, defaultSettings, rep);
    createSession(t.db, t.clock, defaultSettings, rep);
    t.db
      .update(people)
      .set({ failedLogins: 7, lockedUntil: new Date('2026-03-02T13:00:00Z') })
      .where(eq(people.id, rep))
      .run();

    const result = await usePasswordLink(t.db, t.clock, defaultSettings, token, NEW_PASSWORD);
    expect(result.ok).toBe(true);
    const after = t.db.select().from(people).where(eq(people.id, rep)).get()!;
    expect(await verifyPassword(NEW_PASSWORD, after.passwordHash)).toBe(true);
    expect([after.failedLogins, after.lockedUntil, after.mustChangePassword]).toEqual([0, null, false]);
    const left = t.db.select().from(sessions).where(eq(sessions.personId, rep)).all();
    expect(left).toHaveLength(1);
    expect(left[0]!.id).toBe(sha256((result as { sessionToken: string }).sessionToken));
    expect(await usePasswordLink(t.db, t.clock, defaultSettings, token, 'another long password 2')).toEqual({ ok: false, reason: 'used' });
    expect(
      t.db
        .select({ n: count() })
        .from(auditLog)
        .where(and(eq(auditLog.action, 'password.set_by_welcome_link'), eq(auditLog.entityId, String(rep))))
        .get()!.n,
    ).toBe(1);
  });

  it('welcome links skip inactive people', () => {
    t.db
      .update(people)
      .set({ active: false })
      .where(eq(people.id, id('rep2@example.com')))
      .run();
    const result = sendWelcomeLinks(t.db, t.clock, hr, [id('rep@example.com'), id('rep2@example.com')], 'https://x.example');
    expect(result).toEqual({ sent: [id('rep@example.com')], skipped: [id('rep2@example.com')] });
    expect(mailsTo('rep2@example.com')).toHaveLength(0);
  });

  it('a reset is limited per account and per network address, and says nothing about unknown addresses', () => {
    for (let i = 0; i < RESET_LIMIT_PER_ACCOUNT + 2; i++)
      expect(requestPasswordReset(t.db, t.clock, { email: 'REP@example.com', address: `10.0.0.${i}` }, 'https://x.example')).toBe('answered');
    expect(mailsTo('rep@example.com')).toHaveLength(RESET_LIMIT_PER_ACCOUNT);
    expect(requestPasswordReset(t.db, t.clock, { email: 'nobody@example.com', address: '10.0.1.1' }, 'https://x.example')).toBe('answered');
    expect(mailsTo('nobody@example.com')).toHaveLength(0);
    for (let i = 0; i < RESET_LIMIT_PER_ADDRESS - 1; i++)
      requestPasswordReset(t.db, t.clock, { email: `x${i}@example.com`, address: '10.0.2.2' }, 'https://x.example');
    expect(requestPasswordReset(t.db, t.clock, { email: 'marketer@example.com', address: '10.0.2.2' }, 'https://x.example')).toBe('answered');
    expect(requestPasswordReset(t.db, t.clock, { email: 'marketer@example.com', address: '10.0.2.2' }, 'https://x.example')).toBe('address_limited');
    // An hour later both limits are free again.
    t.clock.set(new Date(t.clock.now().getTime() + 3_600_001));
    expect(requestPasswordReset(t.db, t.clock, { email: 'rep@example.com', address: '10.0.2.2' }, 'https://x.example')).toBe('answered');
    expect(mailsTo('rep@example.com')).toHaveLength(RESET_LIMIT_PER_ACCOUNT + 1);
  });
});

describe('password links over HTTP', () => {
  it('forgot password: the same answer for a known and an unknown address; the link sets the password and signs in', async () => {
    const anon = anonymous(t.app);
    const login = await anon.get('/login');
    expect(await login.text()).toContain('href="/password/forgot"');
    const known = await anon.form('/password/forgot', { email: 'rep@example.com' });
    const unknown = await anon.form('/password/forgot', { email: 'nobody@example.com' });
    expect([known.status, unknown.status]).toEqual([200, 200]);
    const strip = (html: string) => html.replace(/rep@example\.com|nobody@example\.com/g, 'ADDRESS');
    expect(strip(await known.text())).toBe(strip(await unknown.text()));
    const bad = await anon.form('/password/forgot', { email: 'not an email' });
    expect(bad.status).toBe(400);

    const token = tokenOf(mailsTo('rep@example.com')[0]!.body)!;
    const other = sessionAs(t, 'rep@example.com');
    // The first load moves the token from the address into a cookie scoped to /password.
    const first = await anon.get(`/password/set?token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/password/set');
    const linkCookie = first.headers.get('set-cookie')!;
    expect(linkCookie).toMatch(/HttpOnly/i);
    expect(linkCookie).toMatch(/Path=\/password/);
    const cookie = linkCookie.split(';')[0]!;
    const page = await anon.get('/password/set', { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('rep@example.com');

    const weak = await anon.request('/password/set', {
      method: 'POST',
      body: new URLSearchParams({ newPassword: 'short', confirmPassword: 'short' }),
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('Use at least 12 characters');
    const set = await anon.request('/password/set', {
      method: 'POST',
      body: new URLSearchParams({ newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(set.status).toBe(303);
    const session = set.headers
      .getSetCookie()
      .find((c) => c.startsWith('ct_session='))!
      .split(';')[0]!;
    expect((await t.app.request('/api/v1/me', { headers: { cookie: session } })).status).toBe(200);
    expect((await other.get('/api/v1/me')).status).toBe(401);

    const again = await anon.get(`/password/set?token=${token}`);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already used');
  });

  it('HR adds a person with or without the welcome mail, resends it, and sends it in bulk', async () => {
    const hrClient = sessionAs(t, 'hr@example.com');
    const base = { name: 'Nina New', department: 'sales', title: '', hireDate: '2026-03-01', timeZone: 'Europe/Paris', role: 'employee' };
    const created = await hrClient.form('/people', { ...base, email: 'nina@example.com', sendWelcome: ['false', 'true'] });
    expect(created.status).toBe(303);
    const [welcome] = mailsTo('nina@example.com');
    expect(welcome!.subject).toContain('Welcome');
    expect(welcome!.body).toContain('https://crosstrain.example.com/password/set?token=');
    const quiet = await hrClient.form('/people', { ...base, email: 'quiet@example.com', sendWelcome: 'false' });
    expect(quiet.status).toBe(303);
    expect(mailsTo('quiet@example.com')).toHaveLength(0);

    const nina = t.db.select().from(people).where(eq(people.email, 'nina@example.com')).get()!;
    const quietId = t.db.select().from(people).where(eq(people.email, 'quiet@example.com')).get()!.id;
    const pageHtml = await (await hrClient.get(`/people/${nina.id}`)).text();
    expect(pageHtml).toContain('has no password yet');
    expect(pageHtml).toContain('Send the welcome email again');
    expect((await hrClient.form(`/people/${nina.id}/welcome`, {})).status).toBe(303);
    const ninaMails = mailsTo('nina@example.com');
    expect(ninaMails).toHaveLength(2);
    expect(checkPasswordLink(t.db, t.clock, tokenOf(ninaMails[0]!.body)!)).toEqual({ ok: false, reason: 'used' });
    expect(checkPasswordLink(t.db, t.clock, tokenOf(ninaMails[1]!.body)!)).toMatchObject({ ok: true });

    const list = await (await hrClient.get('/people')).text();
    expect(list).toContain('action="/people/welcome"');
    const bulk = await hrClient.form('/people/welcome', { ids: [nina.id, quietId] });
    expect(bulk.status).toBe(303);
    expect(await bannerAfter(hrClient, bulk)).toContain('Welcome emails queued for 2 people.');
    expect((await hrClient.form('/people/welcome', {})).status).toBe(303);

    const api = await hrClient.json('POST', '/api/v1/people', { ...base, email: 'api.new@example.com' });
    expect(api.status).toBe(201);
    expect(mailsTo('api.new@example.com')).toHaveLength(1);
    await hrClient.json('POST', '/api/v1/people', { ...base, email: 'api.quiet@example.com', sendWelcome: false });
    expect(mailsTo('api.quiet@example.com')).toHaveLength(0);
    const bulkApi = await hrClient.json('POST', '/api/v1/people/welcome', { ids: [quietId] });
    expect(await bulkApi.json()).toEqual({ sent: [quietId], skipped: [] });
    expect((await sessionAs(t, 'sales.manager@example.com').form(`/people/${nina.id}/welcome`, {})).status).toBe(403);
  });

  it('the CSV import welcomes the people it creates unless HR unticks it (form and API)', async () => {
    const hrClient = sessionAs(t, 'hr@example.com');
    const header = 'email,name,department,title,team,manager_email,hire_date,time_zone,role';
    const res = await hrClient.request('/api/v1/people/import', {
      method: 'POST',
      body: `${header}\nimp1@example.com,Imp One,sales,,,,2026-02-01,UTC,employee\nrep@example.com,Rita Rep,sales,,Sales East,sales.manager@example.com,2024-01-15,America/New_York,employee\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(mailsTo('imp1@example.com')).toHaveLength(1);
    expect(mailsTo('rep@example.com')).toHaveLength(0);
    await hrClient.request('/api/v1/people/import?sendWelcome=false', {
      method: 'POST',
      body: `${header}\nimp2@example.com,Imp Two,sales,,,,2026-02-01,UTC,employee\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(mailsTo('imp2@example.com')).toHaveLength(0);
    const form = new FormData();
    form.append('file', new File([`${header}\nimp3@example.com,Imp Three,sales,,,,2026-02-01,UTC,employee\n`], 'people.csv', { type: 'text/csv' }));
    form.append('sendWelcome', 'false');
    form.append('sendWelcome', 'true');
    const page = await hrClient.request('/people/import', { method: 'POST', body: form });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Welcome mails queued for the 1 new person.');
    expect(mailsTo('imp3@example.com')).toHaveLength(1);
  });
});
