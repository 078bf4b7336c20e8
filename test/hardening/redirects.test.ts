/**
 * Redirects stay on the site: one function (src/lib/redirects) decides every target built from
 * user input, as browsers read it, and the app re-checks every Location it sends. Never a 500.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { safeRedirectPath } from '../../src/lib/redirects';
import { anonymous, createTestApp, seedCompany, sessionAs, signIn, type SeededCompany, type TestContext } from '../support/app';
import { insertEvent, insertInvitation } from '../calendar/fixtures';

const EVIL = [
  '/\t/evil.example/phish',
  '/\n/evil.example',
  '/\r\n/x',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  '/%2F/evil.example',
  '/%2f%2fevil.example',
  '/%5Cevil.example',
  '/%5c%5cevil.example',
  '/%09/evil.example',
  '/%0D%0A/x',
  '/%252F/evil.example',
  ' //evil.example',
  '\u0000//evil.example',
  '/\u0000/evil.example',
  'https://evil.example',
  'HTTPS://evil.example/',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'evil.example',
  '',
  '/'.repeat(3),
  `/${'a'.repeat(3000)}`,
];

/** How a browser resolves a Location header against our origin. */
const resolved = (location: string) => new URL(location, 'https://crosstrain.example');

describe('safeRedirectPath', () => {
  it('refuses every way out of the site, named in the issue and around it', () => {
    for (const target of EVIL) expect(safeRedirectPath(target, '/home'), JSON.stringify(target)).toBe('/home');
  });

  it('keeps same-site paths with their query and fragment', () => {
    expect(safeRedirectPath('/events/12?tab=guests#answers')).toBe('/events/12?tab=guests#answers');
    expect(safeRedirectPath('/people?q=ann%20lee')).toBe('/people?q=ann%20lee');
    expect(safeRedirectPath('/people?q=100%25')).toBe('/people?q=100%25');
    expect(safeRedirectPath(undefined)).toBe('/');
    expect(safeRedirectPath(['/x'])).toBe('/');
  });

  it('property: whatever the input, the answer is a same-site path a browser cannot read as another site', () => {
    const pieces = fc.constantFrom(
      '/',
      '\\',
      '//',
      '%2F',
      '%5C',
      '%2f',
      '%25',
      '%0A',
      '%0D',
      '%09',
      '%00',
      '\t',
      '\n',
      '\r',
      ' ',
      '\u0000',
      '\u001f',
      '\u007f',
      ':',
      'http:',
      'evil.example',
      '.',
      '..',
      '?',
      '#',
      '@',
      'a',
      'é',
      '\u202e',
      '%',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')),
        ),
        (input) => {
          const out = safeRedirectPath(input, '/');
          expect(out.startsWith('/')).toBe(true);
          expect(out.startsWith('//')).toBe(false);
          expect(/[\u0000-\u001f\u007f\\]/.test(out)).toBe(false);
          expect(resolved(out).origin).toBe('https://crosstrain.example');
          // Decoding it once more never turns it into another site either.
          let decoded = out;
          try {
            decoded = decodeURIComponent(out);
          } catch {
            /* stays */
          }
          expect(resolved(decoded.replace(/[\t\n\r]/g, '').replace(/\\/g, '/')).origin).toBe('https://crosstrain.example');
          // A header value the server can always send.
          expect(() => new Headers({ location: out })).not.toThrow();
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('every redirect built from user input', () => {
  let t: TestContext;
  let company: SeededCompany;
  beforeEach(async () => {
    t = createTestApp();
    company = await seedCompany(t.db);
  });
  afterEach(() => t.close());

  const expectOnSite = (res: Response, label: string) => {
    expect(res.status, label).toBeLessThan(500);
    const location = res.headers.get('location');
    if (location !== null) {
      expect(resolved(location).origin, `${label} → ${location}`).toBe('https://crosstrain.example');
      expect(location.startsWith('//'), label).toBe(false);
      expect(/[\u0000-\u001f\\]/.test(location), label).toBe(false);
    }
  };

  it('GET /login while signed in', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    for (const target of EVIL) {
      const res = await rep.get(`/login?next=${encodeURIComponent(target)}`);
      expectOnSite(res, target);
      expect(res.headers.get('location')).toBe('/');
    }
    // Raw, unencoded forms of the examples.
    for (const raw of ['%2F%09%2Fevil.example%2Fphish', '/%0D%0A/x', '%2F%5Cevil.example', '/%09/evil.example']) {
      const res = await rep.get(`/login?next=${raw}`);
      expect(res.status, raw).toBe(303);
      expect(res.headers.get('location'), raw).toBe('/');
    }
    expect((await rep.get('/login?next=%2Fevents%3Fx%3D1')).headers.get('location')).toBe('/events?x=1');
  });

  it('the login form keeps only a safe next, and POST /login follows only that', async () => {
    for (const target of ['/\t/evil.example', '/%0D%0A/x', '//evil.example']) {
      const page = await anonymous(t.app).get(`/login?next=${encodeURIComponent(target)}`);
      expect(page.status).toBe(200);
      expect(await page.text()).not.toContain('evil.example');
    }
    const res = await anonymous(t.app).form('/login', { email: 'rep@example.com', password: 'correct horse battery staple', next: '/\t/evil.example/phish' });
    expectOnSite(res, 'POST /login');
    expect(res.headers.get('location')).toBe('/');
    const ok = await signIn(t.app, 'rep@example.com');
    expect(ok.cookie).toBeTruthy();
  });

  it('invitation answer forms (agenda and action items use the same safeNext)', async () => {
    const host = company.people['rep@example.com']!;
    const event = insertEvent(t.db, { title: 'Call', hostId: host, timeZone: 'UTC', startLocal: '2026-03-10T09:00', seats: 5 });
    const invitation = insertInvitation(t.db, event.id, company.people['marketer@example.com']!, 'invited');
    const marketer = sessionAs(t, 'marketer@example.com');
    for (const next of EVIL) {
      const res = await marketer.form(`/invitations/${invitation.id}/answer`, { status: 'accepted', next });
      expectOnSite(res, `answer ${JSON.stringify(next)}`);
    }
    const res = await marketer.form(`/invitations/${invitation.id}/answer`, { status: 'declined', next: '/invitations?page=2' });
    expect(res.headers.get('location')).toMatch(/^\/invitations\?page=2/);
  });

  it('a Location a handler builds from anything is checked again on the way out', async () => {
    const { Hono } = await import('hono');
    const { createApp } = await import('../../src/app');
    const app = createApp({ db: t.db, clock: t.clock });
    // A future route that forgets the helper still cannot send visitors away.
    const probe = new Hono();
    probe.get('/probe', (c) => c.redirect(c.req.query('to') ?? '/', 303));
    app.route('/', probe as never);
    for (const to of ['//evil.example', 'https://evil.example', '/\\evil.example', '/%2F%2Fevil.example']) {
      const res = await app.request(`/probe?to=${encodeURIComponent(to)}`);
      expect(res.headers.get('location'), to).toBe('/');
    }
  });
});
