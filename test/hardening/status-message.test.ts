/*
 * The status banner shows only messages the server set: a one-time message kept in the session
 * (shown on the next page, once), or on signed-out pages one of a fixed set of notices chosen by a
 * code. Text from the address is never shown.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anonymous, bannerAfter, createTestApp, seedCompany, sessionAs, signIn, statusBanner, TEST_PASSWORD, type TestContext } from '../support/app';

let t: TestContext;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  await seedCompany(t.db);
});
afterEach(() => t.close());

const page = async (res: Response) => {
  expect(res.status).toBe(200);
  return res.text();
};

describe('no text from the address', () => {
  const attacks = ['<script>alert(1)</script>', 'Your account is locked. Call +1 555 0100 to unlock it.', '%0d%0aSet-Cookie: x=1'];
  for (const text of attacks) {
    it(`shows nothing for ?flash=${text.slice(0, 30)} signed in or out`, async () => {
      const q = `flash=${encodeURIComponent(text)}`;
      for (const [client, path] of [
        [sessionAs(t, 'rep@example.com'), `/?${q}`],
        [sessionAs(t, 'hr@example.com'), `/people?${q}`],
        [anonymous(t.app), `/login?${q}`],
        [anonymous(t.app), `/password/forgot?${q}`],
      ] as const) {
        const html = await page(await client.get(path));
        expect(statusBanner(html), path).toBeNull();
        expect(html).not.toContain('alert(1)');
        expect(html).not.toContain('account is locked');
      }
    });
  }

  it('signed-out pages show only our notices, chosen by code; unknown codes show nothing', async () => {
    const visitor = anonymous(t.app);
    expect(statusBanner(await page(await visitor.get('/login?notice=signed_out')))).toBe('You are signed out.');
    for (const code of ['Your account is locked', 'constructor', '__proto__', 'toString', '', 'signed_out&notice=x']) {
      expect(statusBanner(await page(await visitor.get(`/login?notice=${encodeURIComponent(code)}`))), code).toBeNull();
    }
    // Signed in, a notice code says nothing either (the person is not signed out).
    const rep = sessionAs(t, 'rep@example.com');
    expect(statusBanner(await page(await rep.get('/?notice=signed_out')))).toBeNull();
  });
});

describe('a message the server set shows once', () => {
  it('an employee saves preferences: the next page says so, a reload does not', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const saved = await rep.form('/account', { timeZone: 'UTC', workdayStart: '09:00', workdayEnd: '17:00', reminderLeadHours: 24 });
    expect(saved.headers.get('location')).toBe('/account');
    expect(await bannerAfter(rep, saved)).toBe('Preferences saved.');
    expect(statusBanner(await page(await rep.get('/account')))).toBeNull();
  });

  it('HR adds a team: the message follows to the page the redirect names, once, and not to another session', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const other = sessionAs(t, 'hr@example.com');
    const added = await hr.form('/teams', { name: 'Field Marketing', department: 'marketing' });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).not.toContain('flash');
    expect(statusBanner(await page(await other.get('/teams')))).toBeNull();
    expect(await bannerAfter(hr, added)).toBe('Team Field Marketing added.');
    expect(statusBanner(await page(await hr.get('/teams')))).toBeNull();
  });

  it('an htmx request that follows the redirect gets the message too', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const saved = await rep.form('/account', { timeZone: 'UTC', workdayStart: '08:00', workdayEnd: '17:00', reminderLeadHours: 24 }, { 'hx-request': 'true' });
    expect(saved.status).toBe(303);
    const followed = await rep.get(saved.headers.get('location')!, { 'hx-request': 'true' });
    expect(statusBanner(await page(followed))).toBe('Preferences saved.');
  });

  it('a message set while changing the password reaches the renewed session', async () => {
    const rep = await signIn(t.app, 'rep@example.com');
    const changed = await rep.form('/account/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'another long password 2',
      confirmPassword: 'another long password 2',
    });
    expect(changed.status).toBe(303);
    const cookie = changed.headers.get('set-cookie')!.split(';')[0]!;
    const home = await t.app.request('/', { headers: { cookie } });
    expect(statusBanner(await page(home))).toBe('Password changed.');
    expect(statusBanner(await page(await t.app.request('/', { headers: { cookie } })))).toBeNull();
  });

  it('signing out lands on the sign-in page saying so', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const out = await rep.form('/logout', {});
    expect(out.headers.get('location')).toBe('/login?notice=signed_out');
    expect(statusBanner(await page(await anonymous(t.app).get(out.headers.get('location')!)))).toBe('You are signed out.');
  });
});
