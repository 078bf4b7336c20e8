import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App, type CreateAppOptions } from '../../src/app';
import { openDatabase, type Db } from '../../src/db';
import { fixedClock } from '../../src/lib/clock';
import type { MailMessage, Mailer } from '../../src/lib/mail';
import { hashPassword } from '../../src/auth/password';
import { eq } from 'drizzle-orm';
import { people, teams, type Department, type Role } from '../../db/schema';
import { createSession, SESSION_COOKIE } from '../../src/auth/auth';
import { defaultSettings } from '../../src/config';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | null = null;
/** One real scrypt hash shared by all fixture people: hashing at OWASP cost per person would slow every test. */
export const testPasswordHash = () => (passwordHash ??= hashPassword(TEST_PASSWORD));

/** A migrated SQLite file in a fresh temporary folder. */
export function createTestDb(): { db: Db; path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'crosstrain-test-'));
  const path = join(dir, 'test.db');
  const db = openDatabase(path);
  return {
    db,
    path,
    cleanup: () => {
      try {
        db.$client.close();
      } catch {
        /* already closed */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function capturingMailer(): Mailer & { sent: MailMessage[]; failWith: Error | null } {
  const mailer = {
    sent: [] as MailMessage[],
    failWith: null as Error | null,
    async send(message: MailMessage) {
      if (mailer.failWith) throw mailer.failWith;
      mailer.sent.push(message);
    },
  };
  return mailer;
}

export type TestContext = {
  app: App;
  db: Db;
  dbPath: string;
  clock: ReturnType<typeof fixedClock>;
  mailer: ReturnType<typeof capturingMailer>;
  close: () => void;
};

export function createTestApp(options: Partial<CreateAppOptions> & { now?: string } = {}): TestContext {
  const { db, path, cleanup } = createTestDb();
  const clock = fixedClock(options.now ?? '2026-03-02T12:00:00Z');
  const mailer = capturingMailer();
  const app = createApp({ db, clock, mailer, loginAttemptsPerIp: 1000, ...options });
  return { app, db, dbPath: path, clock, mailer, close: cleanup };
}

type PersonSeed = {
  email: string;
  name: string;
  department: Department;
  role: Role;
  team?: string;
  manager?: string;
  hireDate?: string;
  timeZone?: string;
  title?: string;
};

/**
 * A small company: HR; two sales teams and two marketing teams with managers; reps and marketers.
 * Everyone signs in with TEST_PASSWORD.
 */
export async function seedCompany(db: Db) {
  const hash = await testPasswordHash();
  const teamIds: Record<string, number> = {};
  for (const [name, department] of [
    ['Sales East', 'sales'],
    ['Sales West', 'sales'],
    ['Product Marketing', 'marketing'],
    ['Demand Generation', 'marketing'],
  ] as const) {
    teamIds[name] = db.insert(teams).values({ name, department }).returning().get().id;
  }
  const seeds: PersonSeed[] = [
    { email: 'hr@example.com', name: 'Hanna HR', department: 'other', role: 'hr' },
    { email: 'sales.manager@example.com', name: 'Sam Salesmanager', department: 'sales', role: 'manager', team: 'Sales East' },
    { email: 'west.manager@example.com', name: 'Wes Westmanager', department: 'sales', role: 'manager', team: 'Sales West' },
    { email: 'marketing.manager@example.com', name: 'Mia Marketingmanager', department: 'marketing', role: 'manager', team: 'Product Marketing' },
    { email: 'demand.manager@example.com', name: 'Dan Demandmanager', department: 'marketing', role: 'manager', team: 'Demand Generation' },
    {
      email: 'rep@example.com',
      name: 'Rita Rep',
      department: 'sales',
      role: 'employee',
      team: 'Sales East',
      manager: 'sales.manager@example.com',
      timeZone: 'America/New_York',
    },
    { email: 'rep2@example.com', name: 'Ravi Rep', department: 'sales', role: 'employee', team: 'Sales East', manager: 'sales.manager@example.com' },
    { email: 'westrep@example.com', name: 'Wanda Westrep', department: 'sales', role: 'employee', team: 'Sales West', manager: 'west.manager@example.com' },
    {
      email: 'marketer@example.com',
      name: 'Mark Marketer',
      department: 'marketing',
      role: 'employee',
      team: 'Product Marketing',
      manager: 'marketing.manager@example.com',
      timeZone: 'Europe/Berlin',
    },
    {
      email: 'marketer2@example.com',
      name: 'Maya Marketer',
      department: 'marketing',
      role: 'employee',
      team: 'Product Marketing',
      manager: 'marketing.manager@example.com',
    },
    {
      email: 'demand@example.com',
      name: 'Dora Demand',
      department: 'marketing',
      role: 'employee',
      team: 'Demand Generation',
      manager: 'demand.manager@example.com',
    },
  ];
  const ids: Record<string, number> = {};
  for (const s of seeds) {
    ids[s.email] = db
      .insert(people)
      .values({
        email: s.email,
        name: s.name,
        department: s.department,
        role: s.role,
        title: s.title ?? (s.role === 'manager' ? 'Team manager' : ''),
        teamId: s.team ? teamIds[s.team] : null,
        managerId: s.manager ? ids[s.manager] : null,
        hireDate: s.hireDate ?? '2024-01-15',
        timeZone: s.timeZone ?? 'UTC',
        passwordHash: hash,
      })
      .returning()
      .get().id;
  }
  for (const [team, manager] of [
    ['Sales East', 'sales.manager@example.com'],
    ['Sales West', 'west.manager@example.com'],
    ['Product Marketing', 'marketing.manager@example.com'],
    ['Demand Generation', 'demand.manager@example.com'],
  ] as const) {
    db.$client.prepare('UPDATE teams SET manager_id = ? WHERE id = ?').run(ids[manager], teamIds[team]);
  }
  return { people: ids, teams: teamIds };
}
export type SeededCompany = Awaited<ReturnType<typeof seedCompany>>;

/** Requests as one signed-in person: the session cookie and CSRF token ride along. */
export class TestClient {
  constructor(
    readonly app: App,
    readonly cookie: string | null,
    readonly csrfToken: string | null,
    readonly bearer: string | null = null,
  ) {}

  request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.cookie && !headers.has('cookie')) headers.set('cookie', this.cookie);
    if (this.bearer) headers.set('authorization', `Bearer ${this.bearer}`);
    if (this.csrfToken && init.method && init.method !== 'GET' && !headers.has('x-csrf-token')) headers.set('x-csrf-token', this.csrfToken);
    return this.app.request(path, { ...init, headers });
  }
  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }
  /** A form post as a browser sends it (url-encoded); arrays become repeated fields. */
  form(path: string, fields: Record<string, string | number | boolean | (string | number)[]>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, String(item));
    return this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }
  json(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
    return this.request(path, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  }
}

export const anonymous = (app: App) => new TestClient(app, null, null);

export async function signIn(app: App, email: string, password = TEST_PASSWORD): Promise<TestClient> {
  const res = await app.request('/login', {
    method: 'POST',
    body: new URLSearchParams({ email, password }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (res.status !== 303) throw new Error(`Sign-in as ${email} failed with ${res.status}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  const me = await app.request('/api/v1/me', { headers: { cookie } });
  const body = (await me.json()) as { csrfToken: string };
  return new TestClient(app, cookie, body.csrfToken);
}

export const withToken = (app: App, token: string) => new TestClient(app, null, null, token);

/**
 * A signed-in client without going through the login form (no scrypt per test). Use signIn() where
 * the login itself is under test.
 */
export function sessionAs(t: Pick<TestContext, 'app' | 'db' | 'clock'>, email: string): TestClient {
  const person = t.db.select().from(people).where(eq(people.email, email)).get();
  if (!person) throw new Error(`No person ${email} in the test company`);
  const { token, csrfToken } = createSession(t.db, t.clock, defaultSettings, person.id);
  return new TestClient(t.app, `${SESSION_COOKIE}=${token}`, csrfToken);
}

/** The status banner's text on a page (the layout's one-time message), or null when it shows none. */
export function statusBanner(page: string): string | null {
  const text = page.match(/<p class="flash" role="status">([\s\S]*?)<\/p>/)?.[1];
  if (text === undefined) return null;
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Follows a 303 as a browser would, as the same person, and reads the status banner where it lands. */
export async function bannerAfter(client: TestClient, res: Response): Promise<string | null> {
  const location = res.headers.get('location');
  if (res.status !== 303 || !location) throw new Error(`Expected a redirect, got ${res.status}`);
  return statusBanner(await (await client.get(location)).text());
}

/** `count` more teams named `${prefix} 000`, `${prefix} 001`, …: a company with more teams than a list shows. */
export function addManyTeams(t: Pick<TestContext, 'db'>, count: number, prefix: string, department: (index: number) => 'sales' | 'marketing') {
  const insert = t.db.$client.prepare('INSERT INTO teams (name, department) VALUES (?, ?)');
  t.db.$client.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`${prefix} ${String(i).padStart(3, '0')}`, department(i));
  })();
}
