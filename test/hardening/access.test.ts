/*
 * The complete access-control matrix: every route the app registers (HTML and API, found through
 * Hono's route list, so nothing can be forgotten) × anonymous, employee, manager of someone else's
 * report, HR and an API token. Each route needs an explicit, reviewed entry in ACCESS below; a new
 * route without one fails this suite on purpose.
 */
import { inspectRoutes } from 'hono/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTORS, databaseFingerprint, openDemoCompany, type Actor, type DemoCompany } from './support/company';

type Outcome =
  /** GET: 200 (or the rule's okStatus); other methods: past the guards (not 401/403, never 5xx). */
  | 'ok'
  /** Not signed in: pages redirect to /login, the API answers 401 with the error shape. */
  | 'login'
  | 'forbidden'
  /** 403 or 404: the route may hide that the thing exists. */
  | 'hidden';

type Level = 'public' | 'signedIn' | 'hr' | 'hrManager';

type Fixture = (c: DemoCompany) => string | number;

type Rule = {
  level: Level;
  /** Values for the path's :params, chosen so that the employee and the manager are NOT the owners. */
  params?: Record<string, Fixture>;
  /** Per-actor outcomes where the level's defaults do not apply (ownership, session-only actions). */
  expect?: Partial<Record<Actor, Outcome>>;
  /** Status of a successful GET when it is not 200, for everyone or per actor. */
  okStatus?: number | Partial<Record<Actor, number>>;
  /** The concrete path to request (wildcard routes). */
  path?: string;
  /** Allowed writes that cost a password hash (~0.5 s each) are tried for these actors only. */
  sample?: Actor[];
  /** Run the allowed write on its own fresh copy of the company (it would break later cases otherwise). */
  isolate?: boolean;
  /**
   * A valid body: refused actors must be refused even when the request would otherwise succeed
   * (an empty body could be rejected by validation before the guard is ever reached).
   */
  body?: Record<string, string | number | boolean>;
};

const LEVEL_DEFAULTS: Record<Level, Record<Actor, Outcome>> = {
  public: { anonymous: 'ok', employee: 'ok', manager: 'ok', hr: 'ok', token: 'ok' },
  signedIn: { anonymous: 'login', employee: 'ok', manager: 'ok', hr: 'ok', token: 'ok' },
  hrManager: { anonymous: 'login', employee: 'forbidden', manager: 'ok', hr: 'ok', token: 'ok' },
  hr: { anonymous: 'login', employee: 'forbidden', manager: 'forbidden', hr: 'ok', token: 'ok' },
};

// ── fixtures: ids the employee (rep@) and the manager (west.manager@) do not own ──
const sql = (query: string): Fixture => (c) => c.id(query);
/** A colleague in rep@'s own team: not rep@ themselves, and not a report of west.manager@. */
const otherPerson = sql("SELECT id FROM people WHERE role = 'employee' AND email <> 'rep@example.com' AND team_id = (SELECT team_id FROM people WHERE email = 'rep@example.com') ORDER BY id LIMIT 1");
const aTeam = sql("SELECT id FROM teams ORDER BY id LIMIT 1");
/** Not the token the matrix itself uses. */
const anApiToken = sql("SELECT id FROM api_tokens WHERE name = 'to be revoked'");

/** Anonymous may reach exactly these; anything else marked public is a mistake in this table. */
const PUBLIC_ALLOWLIST = ['GET /login', 'POST /login', 'POST /logout', 'GET /healthz', 'GET /static/*', 'GET /api/v1/openapi.json'];

/** The reviewed decision for every route. Key: "METHOD /path" exactly as Hono registers it. */
const ACCESS: Record<string, Rule> = {
  // ── foundation: public ──
  'GET /static/*': { level: 'public', path: '/static/app.css' },
  'GET /healthz': { level: 'public' },
  // Signed-in visitors of the login form are sent on into the app.
  'GET /login': { level: 'public', okStatus: { employee: 303, manager: 303, hr: 303 } },
  'POST /login': { level: 'public', body: { email: 'rep@example.com', password: 'crosstrain-demo' }, sample: ['anonymous', 'hr'] },
  'POST /logout': { level: 'public' },
  'GET /api/v1/openapi.json': { level: 'public' },
  // ── accounts ──
  'GET /account': { level: 'signedIn' },
  'POST /account': { level: 'signedIn', expect: { token: 'forbidden' }, body: { timeZone: 'UTC', workdayStart: '09:00', workdayEnd: '17:00', reminderLeadHours: 24 } },
  'GET /account/password': { level: 'signedIn' },
  'POST /account/password': { level: 'signedIn' },
  'GET /api/v1/me': { level: 'signedIn' },
  'GET /': { level: 'signedIn' },
  // ── people and teams ──
  'GET /people': { level: 'hrManager' },
  'GET /people/new': { level: 'hr' },
  'POST /people': { level: 'hr', body: { email: 'matrix.new@example.com', name: 'Matrix New', department: 'sales', title: '', hireDate: '2026-01-05', timeZone: 'UTC', role: 'hr' } },
  'GET /people/import': { level: 'hr' },
  'POST /people/import': { level: 'hr' },
  'GET /people/:id': { level: 'signedIn', params: { id: otherPerson }, expect: { employee: 'forbidden', manager: 'forbidden' } },
  'GET /people/:id/edit': { level: 'hr', params: { id: otherPerson } },
  'POST /people/:id': { level: 'hr', params: { id: otherPerson }, body: { email: 'matrix.edit@example.com', name: 'Matrix Edit', department: 'sales', title: '', hireDate: '2026-01-05', timeZone: 'UTC', role: 'hr' } },
  'POST /people/:id/deactivate': { level: 'hr', params: { id: otherPerson } },
  'POST /people/:id/reactivate': { level: 'hr', params: { id: otherPerson } },
  'POST /people/:id/password': { level: 'hr', params: { id: otherPerson }, body: { password: 'a temporary password 1' }, sample: ['token'] },
  'GET /teams': { level: 'hr' },
  'POST /teams': { level: 'hr', body: { name: 'Matrix team', department: 'sales' } },
  'GET /teams/:id/edit': { level: 'hr', params: { id: aTeam } },
  'POST /teams/:id': { level: 'hr', params: { id: aTeam }, body: { name: 'Matrix renamed', department: 'sales' } },
  'GET /api/v1/people': { level: 'hrManager' },
  'POST /api/v1/people': { level: 'hr', body: { email: 'matrix.api@example.com', name: 'Matrix Api', department: 'sales', hireDate: '2026-01-05', timeZone: 'UTC', role: 'hr' } },
  'POST /api/v1/people/import': { level: 'hr' },
  'GET /api/v1/people/:id': { level: 'signedIn', params: { id: otherPerson }, expect: { employee: 'forbidden', manager: 'forbidden' } },
  'PATCH /api/v1/people/:id': { level: 'hr', params: { id: otherPerson }, body: { role: 'hr' } },
  // ── administration ──
  'GET /audit': { level: 'hr' },
  'GET /outbox': { level: 'hr' },
  'GET /admin/tokens': { level: 'hr' },
  'POST /admin/tokens': { level: 'hr', body: { name: 'stolen' } },
  'POST /admin/tokens/:id/revoke': { level: 'hr', params: { id: anApiToken } },
};

type RouteKey = string;
let company: DemoCompany;
let routes: { method: string; path: string; key: RouteKey }[];

beforeAll(async () => {
  company = await openDemoCompany();
  const seen = new Set<string>();
  routes = [];
  for (const r of inspectRoutes(company.app)) {
    if (r.isMiddleware || r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: r.method, path: r.path, key });
  }
}, 120_000);
afterAll(() => company?.close());

function concretePath(key: RouteKey, rule: Rule): string {
  const path = rule.path ?? key.slice(key.indexOf(' ') + 1);
  return path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => {
    const fill = rule.params?.[name];
    if (!fill) throw new Error(`${key}: no fixture for :${name} — add one to its ACCESS entry.`);
    return encodeURIComponent(String(fill(company)));
  });
}

function send(actor: Actor, method: string, path: string, body: Rule['body'] = {}) {
  const client = company.client(actor);
  if (method === 'GET') return client.get(path);
  if (path.startsWith('/api/')) return client.json(method, path, body);
  return client.form(path, body as Record<string, string>);
}

const isApi = (path: string) => path.startsWith('/api/');

async function checkOutcome(actor: Actor, key: RouteKey, method: string, path: string, outcome: Outcome, rule: Rule): Promise<string | null> {
  const res = await send(actor, method, path, rule.body);
  const status = res.status;
  const where = `${actor} ${method} ${path} → ${status}`;
  if (status >= 500) return `${where}: server error`;
  switch (outcome) {
    case 'login':
      if (isApi(path)) {
        if (status !== 401) return `${where}: expected 401`;
        const body = (await res.json()) as { error?: { code?: string; message?: string } };
        if (body.error?.code !== 'unauthenticated' || !body.error.message) return `${where}: 401 without the error shape`;
        return null;
      }
      if (status !== 303 || !res.headers.get('location')?.startsWith('/login')) return `${where}: expected a redirect to /login`;
      return null;
    case 'forbidden':
      if (status !== 403) return `${where}: expected 403`;
      if (isApi(path)) {
        const body = (await res.json()) as { error?: { code?: string } };
        if (!body.error?.code) return `${where}: 403 without the error shape`;
      }
      return null;
    case 'hidden':
      return status === 403 || status === 404 ? null : `${where}: expected 403 or 404`;
    case 'ok':
      if (method === 'GET') {
        const expected = (typeof rule.okStatus === 'number' ? rule.okStatus : rule.okStatus?.[actor]) ?? 200;
        return status === expected ? null : `${where}: expected ${expected}`;
      }
      if (status === 401 || status === 403) return `${where}: refused an allowed actor`;
      if (status === 303 && res.headers.get('location')?.startsWith('/login') && key !== 'POST /logout' && key !== 'POST /login') return `${where}: sent an allowed actor to /login`;
      return null;
  }
}

describe('access-control matrix over every registered route', () => {
  it('has a reviewed ACCESS entry for every route, and no stale entries', () => {
    const registered = new Set(routes.map((r) => r.key));
    const missing = [...registered].filter((k) => !ACCESS[k]);
    const stale = Object.keys(ACCESS).filter((k) => !registered.has(k));
    expect(missing, 'routes without an access decision: add them to ACCESS in test/hardening/access.test.ts').toEqual([]);
    expect(stale, 'ACCESS entries for routes that no longer exist').toEqual([]);
  });

  it('lets anonymous visitors reach only the public allowlist', () => {
    const publicKeys = Object.entries(ACCESS).filter(([, r]) => r.level === 'public').map(([k]) => k);
    expect(publicKeys.filter((k) => !PUBLIC_ALLOWLIST.includes(k))).toEqual([]);
  });

  it('answers every route for every actor as the table says (reads)', async () => {
    const failures: string[] = [];
    for (const { key, method } of routes) {
      const rule = ACCESS[key];
      if (!rule || method !== 'GET') continue;
      const path = concretePath(key, rule);
      for (const actor of ACTORS) {
        const outcome = rule.expect?.[actor] ?? LEVEL_DEFAULTS[rule.level][actor];
        const failure = await checkOutcome(actor, key, method, path, outcome, rule);
        if (failure) failures.push(failure);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses every write to every actor the table excludes, and the refusals write nothing', async () => {
    const before = databaseFingerprint(company.db);
    const failures: string[] = [];
    for (const { key, method } of routes) {
      const rule = ACCESS[key];
      if (!rule || method === 'GET') continue;
      const path = concretePath(key, rule);
      for (const actor of ACTORS) {
        const outcome = rule.expect?.[actor] ?? LEVEL_DEFAULTS[rule.level][actor];
        if (outcome === 'ok') continue;
        const failure = await checkOutcome(actor, key, method, path, outcome, rule);
        if (failure) failures.push(failure);
      }
    }
    expect(failures).toEqual([]);
    expect(databaseFingerprint(company.db) === before, 'a refused request changed the database').toBe(true);
  });

  it('lets every allowed actor past the guards of every write', async () => {
    const failures: string[] = [];
    // Allowed writes do happen (a deactivation, a revocation): they run on a copy of the company of
    // their own, every client has a fresh session, and rules marked `isolate` get a copy each.
    const shared = await openDemoCompany();
    const saved = company;
    try {
      for (const { key, method } of routes) {
        const rule = ACCESS[key];
        if (!rule || method === 'GET') continue;
        for (const actor of ACTORS) {
          const outcome = rule.expect?.[actor] ?? LEVEL_DEFAULTS[rule.level][actor];
          if (outcome !== 'ok' || (rule.sample && !rule.sample.includes(actor))) continue;
          const own = rule.isolate ? await openDemoCompany() : null;
          company = own ?? shared;
          try {
            const failure = await checkOutcome(actor, key, method, concretePath(key, rule), outcome, rule);
            if (failure) failures.push(failure);
          } finally {
            own?.close();
          }
        }
      }
    } finally {
      company = saved;
      shared.close();
    }
    expect(failures).toEqual([]);
  });
});

describe('ownership inside a role', () => {
  it('an employee sees their own profile only; a manager sees their own reports only', async () => {
    const rep = company.personId('rep@example.com');
    const westRep = company.id("SELECT id FROM people WHERE manager_id = (SELECT id FROM people WHERE email = 'west.manager@example.com') AND role = 'employee' LIMIT 1");
    const employee = company.client('employee');
    const manager = company.client('manager');
    expect((await employee.get(`/people/${rep}`)).status).toBe(200);
    expect((await employee.get(`/api/v1/people/${rep}`)).status).toBe(200);
    expect((await employee.get(`/people/${westRep}`)).status).toBe(403);
    expect((await manager.get(`/people/${westRep}`)).status).toBe(200);
    expect((await manager.get(`/api/v1/people/${westRep}`)).status).toBe(200);
    expect((await manager.get(`/people/${rep}`)).status).toBe(403);
    const list = (await (await manager.get('/api/v1/people?pageSize=500')).json()) as { data: { id: number; managerId: number | null }[] };
    const managerId = company.personId('west.manager@example.com');
    const visible = new Set(list.data.map((p) => p.id));
    expect(visible.has(rep)).toBe(false);
    expect(visible.has(westRep)).toBe(true);
    const page = await (await manager.get('/people?pageSize=200')).text();
    expect(page).not.toContain('rep@example.com');
    expect(list.data.every((p) => p.id === managerId || p.managerId !== null)).toBe(true);
  });
});
