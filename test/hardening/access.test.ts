/*
 * The complete access-control matrix: every route the app registers (HTML and API, found through
 * Hono's route list, so nothing can be forgotten) × anonymous, employee, manager of someone else's
 * report, HR and an API token, as decided in support/routes.ts. Refused writes must write nothing;
 * every response carries the security headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { openDatabase } from '../../src/db';
import { ACTORS, databaseFingerprint, openDemoCompany, type Actor, type DemoCompany } from './support/company';
import { ACCESS, concretePath, outcomeFor, PUBLIC_ALLOWLIST, registeredRoutes, type Outcome, type Rule } from './support/routes';

/**
 * Routes with a known bug in another module (reported, not fixed here): their case is expected to
 * fail, and starts failing the suite as soon as the bug is fixed, so the entry gets removed.
 */
const KNOWN_BUGS: Record<string, string> = {};

// The route list is known before any test runs, so every route is its own test case.
const ROUTES = registeredRoutes(createApp({ db: openDatabase(':memory:') }));

let company: DemoCompany;
let writable: DemoCompany;
const paths = new Map<string, string>();

beforeAll(async () => {
  company = await openDemoCompany();
  writable = await openDemoCompany();
  // Fixtures resolved once, before any fingerprint is taken (a feed address is made on first use).
  for (const { key } of ROUTES) {
    const rule = ACCESS[key];
    if (!rule) continue;
    try {
      paths.set(key, concretePath(key, rule, company));
      concretePath(key, rule, writable);
    } catch (err) {
      paths.set(key, `FIXTURE: ${(err as Error).message}`);
    }
  }
}, 180_000);
afterAll(() => {
  company?.close();
  writable?.close();
});

const isApi = (path: string) => path.startsWith('/api/');

/** The headers every response must carry (issue 7): CSP without inline scripts, framing refused, no sniffing, a referrer policy the CSRF check can live with. */
export function securityHeaderProblems(res: Response): string[] {
  const problems: string[] = [];
  const csp = res.headers.get('content-security-policy') ?? '';
  const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? /default-src ([^;]*)/.exec(csp)?.[1] ?? '';
  if (!scriptSrc.includes("'self'") || /unsafe-inline|unsafe-eval|\*/.test(scriptSrc)) problems.push(`CSP script-src "${scriptSrc}"`);
  if (!/frame-ancestors 'none'/.test(csp)) problems.push('CSP without frame-ancestors none');
  if (res.headers.get('x-content-type-options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  if (!['strict-origin-when-cross-origin', 'same-origin', 'strict-origin'].includes(res.headers.get('referrer-policy') ?? ''))
    problems.push(`Referrer-Policy ${res.headers.get('referrer-policy')}`);
  return problems;
}

async function send(c: DemoCompany, actor: Actor, method: string, path: string, rule: Rule) {
  const client = c.client(actor);
  if (method === 'GET') return client.get(path);
  if (isApi(path)) return client.json(method, path, rule.body ?? {});
  return client.form(path, (rule.body ?? {}) as Record<string, string>);
}

async function check(c: DemoCompany, actor: Actor, key: string, method: string, path: string, rule: Rule): Promise<string | null> {
  const outcome: Outcome = outcomeFor(rule, actor);
  const res = await send(c, actor, method, path, rule);
  const status = res.status;
  const where = `${actor} ${method} ${path} → ${status}`;
  const headers = securityHeaderProblems(res);
  if (headers.length) return `${where}: ${headers.join('; ')}`;
  if (status >= 500) return `${where}: server error`;
  const location = res.headers.get('location') ?? '';
  switch (outcome) {
    case 'login':
      if (isApi(path)) {
        if (status !== 401) return `${where}: expected 401`;
        const body = (await res.json()) as { error?: { code?: string; message?: string } };
        return body.error?.code === 'unauthenticated' && body.error.message ? null : `${where}: 401 without the error shape`;
      }
      return status === 303 && location.startsWith('/login') ? null : `${where}: expected a redirect to /login`;
    case 'forbidden':
      if (status !== 403) return `${where}: expected 403`;
      if (isApi(path)) {
        const body = (await res.json()) as { error?: { code?: string; message?: string } };
        if (!body.error?.code || !body.error.message) return `${where}: 403 without the error shape`;
      }
      return null;
    case 'hidden':
      return status === 403 || status === 404 ? null : `${where}: expected 403 or 404`;
    case 'refused':
      return status >= 400 && status < 500 && status !== 401 ? null : `${where}: expected a refusal (4xx)`;
    case 'ok': {
      if (method === 'GET') {
        const expected = (typeof rule.okStatus === 'number' ? rule.okStatus : rule.okStatus?.[actor]) ?? 200;
        return status === expected ? null : `${where}: expected ${expected}`;
      }
      if (status === 401 || status === 403) return `${where}: refused an allowed actor`;
      if (status === 303 && location.startsWith('/login') && key !== 'POST /logout') return `${where}: sent an allowed actor to /login`;
      return null;
    }
  }
}

describe('every registered route has a reviewed decision', () => {
  it('has an ACCESS entry for every route, and none for routes that no longer exist', () => {
    const registered = new Set(ROUTES.map((r) => r.key));
    expect(
      ROUTES.map((r) => r.key).filter((k) => !ACCESS[k]),
      'routes without an access decision: add them to test/hardening/support/routes.ts',
    ).toEqual([]);
    expect(
      Object.keys(ACCESS).filter((k) => !registered.has(k)),
      'entries for routes that no longer exist',
    ).toEqual([]);
  });

  it('lets anonymous visitors reach only the public allowlist', () => {
    expect(
      Object.entries(ACCESS)
        .filter(([k, r]) => r.level === 'public' && !PUBLIC_ALLOWLIST.includes(k))
        .map(([k]) => k),
    ).toEqual([]);
    for (const [key, rule] of Object.entries(ACCESS)) if (!PUBLIC_ALLOWLIST.includes(key)) expect(outcomeFor(rule, 'anonymous'), key).toBe('login');
  });
});

describe('access of each route for anonymous, employee, manager, HR and API token', () => {
  for (const { key, method } of ROUTES) {
    const test = KNOWN_BUGS[key] ? it.fails : it;
    test(`${key}${KNOWN_BUGS[key] ? ` (known bug: ${KNOWN_BUGS[key]})` : ''}`, async () => {
      const rule = ACCESS[key];
      expect(rule, `no ACCESS entry for ${key}`).toBeDefined();
      const path = paths.get(key)!;
      expect(path.startsWith('FIXTURE'), path).toBe(false);
      const failures: string[] = [];
      if (method === 'GET') {
        for (const actor of ACTORS) {
          const failure = await check(company, actor, key, method, path, rule);
          if (failure) failures.push(failure);
        }
        expect(failures).toEqual([]);
        return;
      }
      // Refused writes run on the shared company, which must not change at all.
      const before = databaseFingerprint(company.db);
      for (const actor of ACTORS) {
        if (outcomeFor(rule, actor) === 'ok') continue;
        const failure = await check(company, actor, key, method, path, rule);
        if (failure) failures.push(failure);
      }
      if (databaseFingerprint(company.db) !== before) failures.push(`a refused ${key} changed the database`);
      // Allowed writes happen (a deactivation, a cancellation): on a copy of their own.
      for (const actor of ACTORS) {
        if (outcomeFor(rule, actor) !== 'ok' || (rule.sample && !rule.sample.includes(actor))) continue;
        const own = rule.isolate ? await openDemoCompany() : null;
        try {
          const target = own ?? writable;
          const failure = await check(target, actor, key, method, own ? concretePath(key, rule, own) : path, rule);
          if (failure) failures.push(failure);
        } finally {
          own?.close();
        }
      }
      expect(failures).toEqual([]);
    });
  }
});

describe('ownership inside a role', () => {
  it('an employee sees their own profile only; a manager sees their own reports only', async () => {
    const rep = company.personId('rep@example.com');
    const westRep = company.id(
      "SELECT id FROM people WHERE manager_id = (SELECT id FROM people WHERE email = 'west.manager@example.com') AND role = 'employee' LIMIT 1",
    );
    const employee = company.client('employee');
    const manager = company.client('manager');
    expect((await employee.get(`/people/${rep}`)).status).toBe(200);
    expect((await employee.get(`/api/v1/people/${rep}`)).status).toBe(200);
    expect((await employee.get(`/people/${westRep}`)).status).toBe(403);
    expect((await manager.get(`/people/${westRep}`)).status).toBe(200);
    expect((await manager.get(`/api/v1/people/${westRep}`)).status).toBe(200);
    expect((await manager.get(`/people/${rep}`)).status).toBe(403);
    const list = (await (await manager.get('/api/v1/people?pageSize=500')).json()) as { data: { id: number }[] };
    const visible = new Set(list.data.map((p) => p.id));
    expect(visible.has(rep)).toBe(false);
    expect(visible.has(westRep)).toBe(true);
    const page = await (await manager.get('/people?pageSize=200')).text();
    expect(page).not.toContain('rep@example.com');
  });

  it('an employee cannot answer someone else’s invitation, through the page or the API', async () => {
    const invitation = company.id(
      "SELECT i.id FROM invitations i WHERE i.person_id <> (SELECT id FROM people WHERE email = 'rep@example.com') AND i.status = 'invited' ORDER BY i.id LIMIT 1",
    );
    const before = databaseFingerprint(company.db);
    const employee = company.client('employee');
    expect([403, 404]).toContain((await employee.form(`/invitations/${invitation}/answer`, { status: 'accepted' })).status);
    expect([403, 404]).toContain((await employee.json('PATCH', `/api/v1/invitations/${invitation}`, { status: 'accepted' })).status);
    expect(databaseFingerprint(company.db) === before).toBe(true);
  });

  it('nobody reads another person’s feedback except their managers and HR', async () => {
    const feedbackId = company.id(
      "SELECT f.id FROM feedback f WHERE f.author_id NOT IN (SELECT id FROM people WHERE email IN ('rep@example.com', 'west.manager@example.com')) AND f.author_id NOT IN (SELECT id FROM people WHERE manager_id = (SELECT id FROM people WHERE email = 'west.manager@example.com')) LIMIT 1",
    );
    expect((await company.client('employee').get(`/feedback/${feedbackId}`)).status).toBe(403);
    expect((await company.client('employee').get(`/api/v1/feedback/${feedbackId}`)).status).toBe(403);
    expect((await company.client('hr').get(`/feedback/${feedbackId}`)).status).toBe(200);
  });

  it('a calendar feed opens only with its own secret address', async () => {
    const other = company.id("SELECT id FROM people WHERE email = 'marketer@example.com'");
    const token = company.feedTokenOf(other);
    const anonymous = company.client('anonymous');
    expect((await anonymous.get(`/calendar/${token}.ics`)).status).toBe(200);
    for (const wrong of [
      token.slice(0, -1),
      `${token}x`,
      'A'.repeat(token.length),
      token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase(),
    ]) {
      expect((await anonymous.get(`/calendar/${wrong}.ics`)).status, wrong).toBe(404);
    }
    // The address is never shown to anyone but its owner.
    const employee = company.client('employee');
    for (const path of ['/account/calendar', '/api/v1/me', `/people/${company.personId('rep@example.com')}`]) {
      expect(await (await employee.get(path)).text()).not.toContain(token);
    }
    expect(await (await company.client('hr').get(`/people/${other}`)).text()).not.toContain(token);
  });

  it('an anonymous survey round never shows who answered what', async () => {
    // An anonymous round over the employee's team, answered by everyone in it.
    const { openRound } = await import('../../src/surveys/surveys');
    const { submitResponse } = await import('../../src/surveys/answering');
    const clock = { now: () => new Date() };
    const hr = { personId: company.personId('hr@example.com') };
    const teamId = company.id("SELECT team_id FROM people WHERE email = 'rep@example.com'");
    const closesOn = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const opened = openRound(
      company.db,
      clock,
      hr,
      { timeZone: 'UTC' },
      { title: 'Anonymous round', populationKind: 'teams', teamIds: [teamId], closesOn, anonymous: true },
    );
    const asked = company.db.$client.prepare('SELECT person_id FROM survey_participants WHERE round_id = ?').pluck().all(opened.id) as number[];
    for (const id of asked) submitResponse(company.db, clock, { id }, opened.id, ['Fastest onboarding', 'great support', `something only person ${id} says`]);
    const round = { id: opened.id };
    const respondents = company.db.$client
      .prepare('SELECT p.name, p.email FROM survey_responses r JOIN people p ON p.id = r.person_id WHERE r.round_id = ?')
      .all(round!.id) as { name: string; email: string }[];
    expect(respondents.length).toBeGreaterThan(0);
    const leaks: string[] = [];
    for (const actor of ['hr', 'manager', 'token'] as const) {
      for (const path of [
        `/surveys/${round!.id}`,
        `/surveys/${round!.id}/review`,
        `/surveys/${round!.id}/export.csv`,
        `/api/v1/surveys/${round!.id}/responses`,
        `/api/v1/surveys/${round!.id}/results`,
        `/api/v1/surveys/${round!.id}`,
      ]) {
        const res = await company.client(actor).get(path);
        if (res.status !== 200) continue;
        const text = await res.text();
        for (const r of respondents)
          if (text.includes(r.email) || text.includes(`"${r.name}"`) || text.includes(`>${r.name}<`)) leaks.push(`${actor} ${path} names ${r.email}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
