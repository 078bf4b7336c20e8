/*
 * Hostile input, as an attacker sends it from outside:
 * - property-based (fast-check) random and malformed JSON bodies, form fields, path parameters,
 *   query strings and CSV files to every write endpoint and every page: never a 500, the documented
 *   error shape on /api, and a refused request writes nothing;
 * - script payloads in every free-text column of every table, then every page rendered for every
 *   role: the payloads show as text, never as markup;
 * - login rate limiting by client address that a forged X-Forwarded-For cannot reset, and the
 *   absolute session lifetime.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { createSession } from '../../src/auth/auth';
import { openDatabase } from '../../src/db';
import { defaultSettings } from '../../src/config';
import { createTestApp, seedCompany, TestClient } from '../support/app';
import { openDemoCompany, tableCounts, type DemoCompany } from './support/company';
import { ACCESS, concretePath, QUERY_PARAMS, registeredRoutes } from './support/routes';

const ROUTES = registeredRoutes(createApp({ db: openDatabase(':memory:') }));
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);

let company: DemoCompany;
beforeAll(async () => {
  company = await openDemoCompany();
}, 180_000);
afterAll(() => company?.close());

/** What a refused request must leave as it was: every table's row count (sessions and token use aside). */
const snapshot = () => JSON.stringify(tableCounts(company.db, ['sessions', 'api_tokens', 'calendar_feeds']));

const junkScalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'NaN',
    '9'.repeat(30),
    '2026-02-30',
    '25:61',
    'Europe/Atlantis',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '\u0000',
    '../../etc/passwd',
    '%00',
    '\u202e',
    'x'.repeat(5000),
    '9999-12-31',
    '0001-01-01',
    '0000-00-00',
    '-000001-01-01',
    '+275760-09-13',
    '9999-12-31T23:59:59Z',
    'Title\r\nBcc: evil@example.com',
    'a\tb',
    '\u0085',
    '\ud83d\ude00'.repeat(50),
    '-9007199254740993',
    'Infinity',
    '1e-7',
  ),
);
const junkJson = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc
    .dictionary(
      fc.constantFrom(
        'id',
        'name',
        'email',
        'status',
        'title',
        'personId',
        'eventId',
        'occurrenceId',
        'marks',
        'answers',
        'start',
        'end',
        'items',
        'advantages',
        'seats',
        'teamId',
        'role',
        '__proto__',
        'constructor',
      ),
      junkScalar,
      { maxKeys: 6 },
    )
    .map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 60 }),
  fc.constantFrom('{', '[', '{"a":', 'null', '[]', '""', '{"__proto__":{"role":"hr"}}', '\ufeff{}', '{"a":1}garbage', '['.repeat(2000)),
);
const junkForm = fc.dictionary(
  fc.constantFrom(
    'name',
    'email',
    'title',
    'status',
    'date',
    'startTime',
    'endTime',
    'timeZone',
    'seats',
    'kind',
    'occurrence',
    'personId',
    'decision',
    'move',
    'reason',
    'password',
    'answer1',
    'next',
    'teamId',
    'file',
    'requirementId',
  ),
  junkScalar.map(String),
  { maxKeys: 6 },
);
const junkParam = fc.constantFrom(
  '0',
  '-1',
  'abc',
  '1.5',
  '99999999999999999999',
  '%2e%2e',
  '1%3BDROP%20TABLE%20people',
  '%20',
  '1e3',
  '0x10',
  '%00',
  'null',
  '1_20260101T000000Z',
  'x_19990101T000000Z',
  '1_99991231T000000Z',
  '1_00010101T000000Z',
  '9007199254740993',
  '-0',
  '%E2%80%AE',
  '%0D%0A',
  'a'.repeat(3000),
);
const junkQuery = fc.dictionary(
  fc.constantFrom(
    'page',
    'pageSize',
    'q',
    'from',
    'to',
    'team',
    'kind',
    'status',
    'program',
    'state',
    'department',
    'occurrence',
    'occurrenceId',
    'next',
    'flash',
    'active',
    'weeks',
    'date',
    'view',
    'mode',
    'account',
    'year',
    'quarter',
    'round',
    'person',
    'horizon',
    'format',
  ),
  junkScalar.map(String),
  { maxKeys: 4 },
);

const hrClient = () => company.client('hr');
const isApi = (path: string) => path.startsWith('/api/');

async function expectWellFormed(res: Response, path: string, problems: string[], label: string) {
  if (res.status >= 500) problems.push(`${label} → ${res.status}`);
  if (isApi(path) && res.status >= 400) {
    const text = await res.text();
    try {
      const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string')
        problems.push(`${label} → ${res.status} without the error shape: ${text.slice(0, 120)}`);
    } catch {
      problems.push(`${label} → ${res.status} not JSON: ${text.slice(0, 120)}`);
    }
  }
}

const writeRoutes = ROUTES.filter((r) => r.method !== 'GET' && ACCESS[r.key] && r.key !== 'POST /login' && r.key !== 'POST /logout');
const readRoutes = ROUTES.filter((r) => r.method === 'GET' && ACCESS[r.key]);

describe('random and malformed input to every write endpoint', () => {
  for (const { key, method } of writeRoutes) {
    it(`${key}: never a 500, the error shape on /api, nothing written when refused`, async () => {
      const path = concretePath(key, ACCESS[key], company);
      const problems: string[] = [];
      await fc.assert(
        fc.asyncProperty(
          junkJson,
          junkForm,
          fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''),
          async (json, form, contentType) => {
            const client = hrClient();
            const before = snapshot();
            const res = isApi(path)
              ? await client.request(path, {
                  method,
                  body: json,
                  headers: contentType ? { 'content-type': contentType === 'application/x-www-form-urlencoded' ? 'application/json' : contentType } : {},
                })
              : await client.form(path, form);
            await expectWellFormed(res, path, problems, `${method} ${path} ${JSON.stringify(isApi(path) ? json : form).slice(0, 200)}`);
            if (res.status >= 400 && snapshot() !== before) problems.push(`${method} ${path} refused with ${res.status} but wrote rows`);
          },
        ),
        { numRuns: RUNS, seed: 7 },
      );
      expect(problems.slice(0, 5)).toEqual([]);
    });
  }
});

describe('hostile path parameters and query strings on every route', () => {
  it('never answers 500 and keeps the error shape on /api', async () => {
    const problems: string[] = [];
    const parametrised = ROUTES.filter((r) => ACCESS[r.key] && /:\w+/.test(r.path));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...parametrised), junkParam, async (route, param) => {
        const path = route.path.replace(/:(\w+)(\{[^}]*\})?/g, param);
        const client = hrClient();
        const before = snapshot();
        const res = route.method === 'GET' ? await client.get(path) : isApi(path) ? await client.json(route.method, path, {}) : await client.form(path, {});
        await expectWellFormed(res, path, problems, `${route.method} ${path}`);
        if (route.method !== 'GET' && res.status >= 400 && snapshot() !== before) problems.push(`${route.method} ${path} refused but wrote rows`);
      }),
      { numRuns: Math.max(60, parametrised.length * 2), seed: 11 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...readRoutes),
        junkQuery,
        fc.constantFrom('hr', 'employee', 'manager') as fc.Arbitrary<'hr' | 'employee' | 'manager'>,
        async (route, query, actor) => {
          const base = concretePath(route.key, ACCESS[route.key], company);
          const qs = new URLSearchParams(query).toString();
          const path = `${base}${base.includes('?') ? '&' : '?'}${qs}`;
          const res = await company.client(actor).get(path);
          await expectWellFormed(res, path, problems, `${actor} GET ${path}`);
        },
      ),
      { numRuns: Math.max(150, readRoutes.length * 2), seed: 13 },
    );
    expect(problems.slice(0, 10)).toEqual([]);
  });
});

describe('hostile CSV files', () => {
  const cell = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(
      '',
      '"',
      '""',
      '"a,b"',
      '"unterminated',
      'a\nb',
      '\r\n',
      '=cmd|calc',
      'sales',
      'marketing',
      'other',
      'hr',
      'employee',
      '2026-01-05',
      '2026-13-45',
      'UTC',
      'Mars/Base',
      'x@example.com',
      'X@EXAMPLE.COM',
      '<script>alert(1)</script>',
    ),
  );
  const csv = fc
    .tuple(
      fc.oneof(
        fc.constant('email,name,department,title,team,manager_email,hire_date,time_zone,role'),
        fc.constant('\ufeffemail,name,department,hire_date'),
        fc.array(fc.string({ maxLength: 10 }), { maxLength: 6 }).map((h) => h.join(',')),
      ),
      fc.array(
        fc.array(cell, { minLength: 0, maxLength: 10 }).map((cells) => cells.join(',')),
        { maxLength: 12 },
      ),
      fc.constantFrom('\n', '\r\n', '\r'),
    )
    .map(([header, rows, eol]) => [header, ...rows].join(eol));

  it('import answers with a line report or imports all of it, never half and never a 500', async () => {
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(csv, async (text) => {
        const client = hrClient();
        const before = snapshot();
        const api = await client.request('/api/v1/people/import', { method: 'POST', body: text, headers: { 'content-type': 'text/csv' } });
        await expectWellFormed(api, '/api/v1/people/import', problems, `CSV ${JSON.stringify(text).slice(0, 200)}`);
        if (api.status === 400) {
          if (snapshot() !== before) problems.push(`refused CSV wrote rows: ${JSON.stringify(text).slice(0, 200)}`);
        }
        const form = new FormData();
        form.set('file', new File([text], 'people.csv', { type: 'text/csv' }));
        form.set('_csrf', client.csrfToken ?? '');
        const page = await client.request('/people/import', { method: 'POST', body: form });
        if (page.status >= 500) problems.push(`form import → ${page.status}`);
      }),
      { numRuns: RUNS * 6, seed: 17 },
    );
    expect(problems.slice(0, 5)).toEqual([]);
  });
});

// ── XSS: every free-text column of every table, every page ──

/** Columns people type into (or that come from outside, like a user agent): they get script payloads. */
const FREE_TEXT: Record<string, string[]> = {
  action_items: ['title'],
  advantage_versions: ['note'],
  advantages: ['name', 'statement'],
  agenda_items: ['title', 'decisions'],
  api_tokens: ['name'],
  busy_calendars: ['label', 'url', 'last_error_message'],
  enrollments: ['end_reason'],
  events: ['title', 'description', 'account', 'location', 'topic'],
  feedback: ['loss_detail', 'suggestion'],
  feedback_competitors: ['name'],
  feedback_materials: ['name'],
  field_names: ['name'],
  invitations: ['decline_reason'],
  outbox: ['subject', 'body', 'last_error', 'calendar'],
  people: ['name', 'title'],
  program_requirements: ['title'],
  programs: ['name', 'description'],
  rotation_blackouts: ['name'],
  rotation_check_ins: ['learned', 'other_department_should_change'],
  rotation_checklist_items: ['title'],
  rotation_overrides: ['message', 'reason'],
  rotation_periods: ['note'],
  rotation_plan_draft_unplaced: ['message'],
  rotation_programs: ['name', 'learning_goals'],
  rotations: ['cancel_reason'],
  sessions: ['user_agent'],
  sign_offs: ['note'],
  suggestions: ['title', 'detail', 'reject_reason'],
  survey_answers: ['text', 'normalised'],
  survey_rounds: ['title'],
  teams: ['name'],
  training_topics: ['name', 'description'],
};
/** JSON columns whose strings are shown (synonyms, audit before/after and their heads, kept from them): a payload goes inside the JSON. */
const JSON_TEXT: Record<string, string[]> = {
  advantages: ['synonyms'],
  audit_log: ['before', 'after', 'before_head', 'after_head'],
  rotation_rule_checks: ['broken'],
  rotation_plan_draft_items: ['violations'],
  rotation_plan_drafts: ['already_planned', 'capacity'],
};
/** Text columns that are not free text: enums, dates, keys, hashes, codes, addresses, rules. */
const STRUCTURED: Record<string, string[]> = {
  rotation_plan_draft_items: ['start_date', 'end_date', 'fixes'],
  rotation_plan_draft_unplaced: ['rule'],
  rotation_plan_drafts: ['request', 'stats'],
  occurrence_changes: ['kind'],
  reminder_changes: ['kind'],
  action_items: ['due_date'],
  advantages: ['key'],
  api_tokens: ['token_hash', 'prefix'],
  attendance: ['status'],
  audit_log: ['action', 'entity_type', 'entity_id'],
  busy_calendars: ['etag', 'last_modified', 'last_error'],
  calendar_feeds: ['nonce', 'token_hash'],
  check_in_codes: ['code'],
  company_settings: ['default_time_zone'],
  completion_sources: ['source'],
  department_headcounts: ['department'],
  enrollment_rules: ['department', 'role', 'hired_on_or_after', 'hired_on_or_before'],
  enrollments: ['start_date', 'source'],
  event_exceptions: ['kind'],
  events: ['kind', 'guest_department', 'time_zone', 'start_local', 'rrule', 'opportunity_stage', 'meeting_url', 'status'],
  occurrences: ['open_to'],
  feedback: ['author_role', 'outcome', 'loss_reason'],
  feedback_competitors: ['key'],
  feedback_materials: ['key'],
  field_names: ['kind', 'key'],
  invitations: ['status', 'source', 'approval_status'],
  notification_cursors: ['name'],
  outbox: ['dedupe_key', 'to_email', 'calendar_method'],
  password_links: ['purpose', 'token_hash'],
  password_reset_requests: ['address', 'email'],
  people: ['email', 'department', 'hire_date', 'time_zone', 'role', 'password_hash'],
  program_requirements: ['kind', 'event_kind'],
  programs: ['kind', 'rrule', 'anchor_date', 'cycles_checked_on'],
  requirement_completions: ['department', 'due_date', 'evidence'],
  rotation_blackouts: ['department', 'start_date', 'end_date'],
  rotation_check_ins: ['author_role', 'kind'],
  rotation_overrides: ['rule'],
  rotation_periods: ['kind', 'start_date', 'end_date'],
  rotation_programs: ['direction'],
  rotations: ['start_date', 'end_date', 'status', 'plan_id'],
  rotation_status_counts: ['status'],
  reporting_department_counts: ['department'],
  scorecard_rotations: ['start_date', 'end_date'],
  scorecard_settings: ['thresholds'],
  sessions: ['id', 'csrf_token', 'flash'],
  sign_in_throttle: ['key'],
  suggestions: ['source', 'source_ref', 'status'],
  survey_answers: ['advantage_key', 'status', 'department'],
  survey_department_tallies: ['department'],
  survey_participant_tallies: ['department'],
  survey_participants: ['department'],
  survey_recall_tallies: ['department', 'advantage_key'],
  survey_responses: ['department'],
  survey_rounds: ['population_kind', 'population_department', 'population_team_ids', 'closes_on'],
  survey_tallies: ['department'],
  survey_team_tallies: ['department'],
  // normalised: a count per survey_answers.normalised kept by triggers, so the payloads reach it through that column.
  survey_unmatched_tallies: ['normalised', 'department'],
  // Kept by triggers from survey_answers (text, normalised, advantage_key): the payloads reach them through those columns.
  survey_review_groups: ['normalised', 'candidate_key'],
  survey_review_texts: ['normalised', 'text'],
  teams: ['department'],
};

const PAYLOAD = `<script>alert(1)</script><img src=x onerror=alert(2)>"'`;
const RAW_MARKERS = ['<script>alert(', '<img src=x onerror'];

describe('script payloads in every free-text field stay inert on every page', () => {
  it('classifies every text column of the schema as free text or structured', () => {
    const unclassified: string[] = [];
    const tables = company.db.$client
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'")
      .pluck()
      .all() as string[];
    for (const table of tables) {
      const columns = company.db.$client.prepare(`SELECT name FROM pragma_table_info(?) WHERE upper(type) = 'TEXT'`).pluck().all(table) as string[];
      for (const column of columns) {
        if (![FREE_TEXT, JSON_TEXT, STRUCTURED].some((group) => group[table]?.includes(column))) unclassified.push(`${table}.${column}`);
      }
    }
    expect(unclassified, 'new text columns: add each to FREE_TEXT (it gets payloads) or STRUCTURED in test/hardening/fuzz.test.ts').toEqual([]);
  });

  it('renders the payloads as text for HR, a manager, an employee and over htmx', async () => {
    const xss = await openDemoCompany();
    try {
      const client = xss.db.$client;
      // Every client is made before the payloads go in (sessions.user_agent gets one too).
      const clients = { hr: xss.client('hr'), manager: xss.client('manager'), employee: xss.client('employee') };
      const paths = readRoutes.map((r) => ({ key: r.key, path: concretePath(r.key, ACCESS[r.key], xss) }));
      for (const [table, columns] of Object.entries(FREE_TEXT)) {
        for (const column of columns) client.prepare(`UPDATE "${table}" SET "${column}" = coalesce("${column}", '') || ? `).run(` ${PAYLOAD}`);
      }
      client.prepare("UPDATE advantages SET synonyms = json_insert(synonyms, '$[#]', ?)").run(PAYLOAD);
      client.prepare("UPDATE audit_log SET after = json_object('name', ?) WHERE after IS NOT NULL").run(PAYLOAD);
      const raw: string[] = [];
      const misTyped: string[] = [];
      let escapedSeen = 0;
      for (const [actor, c] of Object.entries(clients)) {
        for (const { key, path } of paths) {
          for (const htmx of actor === 'hr' ? [false, true] : [false]) {
            const res = await c.get(path, htmx ? { 'hx-request': 'true' } : {});
            const type = res.headers.get('content-type') ?? '';
            const body = await res.text();
            if (!type.startsWith('text/html')) {
              if (/<html|<body/i.test(body) && !type.includes('json')) misTyped.push(`${actor} ${key}: ${type}`);
              continue;
            }
            if (body.includes('&lt;script&gt;alert(1)&lt;/script&gt;')) escapedSeen++;
            for (const marker of RAW_MARKERS) if (body.includes(marker)) raw.push(`${actor}${htmx ? ' (htmx)' : ''} ${key}: ${marker}`);
          }
        }
      }
      expect(raw).toEqual([]);
      expect(misTyped).toEqual([]);
      // The payloads did reach the pages (the check above is not vacuous).
      expect(escapedSeen).toBeGreaterThan(20);
    } finally {
      xss.close();
    }
  }, 180_000);
});

describe('sign-in throttling and session lifetime', () => {
  it('limits sign-in attempts per client address', async () => {
    const t = createTestApp({ loginAttemptsPerIp: 3 });
    try {
      await seedCompany(t.db);
      const attempt = () =>
        t.app.request('/login', {
          method: 'POST',
          body: new URLSearchParams({ email: 'nobody@example.com', password: 'wrong password!' }),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await attempt()).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      t.close();
    }
  });

  // X-Forwarded-For counts only behind a proxy the operator declared trusted (TRUST_PROXY).
  it('a forged X-Forwarded-For does not reset the sign-in limit', async () => {
    const t = createTestApp({ loginAttemptsPerIp: 3 });
    try {
      await seedCompany(t.db);
      const attempt = (headers: Record<string, string> = {}) =>
        t.app.request('/login', {
          method: 'POST',
          body: new URLSearchParams({ email: 'nobody@example.com', password: 'wrong password!' }),
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await attempt()).status);
      expect(statuses).toEqual([401, 401, 401]);
      expect((await attempt()).status).toBe(429);
      // Without a trusted proxy in front, the header is the client's own word.
      expect((await attempt({ 'x-forwarded-for': '203.0.113.7' })).status).toBe(429);
    } finally {
      t.close();
    }
  });

  it('ends a session at its absolute lifetime even when it is used all the time', async () => {
    const t = createTestApp();
    try {
      const company = await seedCompany(t.db);
      const settings = { ...defaultSettings };
      const { token } = createSession(t.db, t.clock, settings, company.people['rep@example.com']);
      const client = new TestClient(t.app, `ct_session=${token}`, null);
      const hours = settings.SESSION_TTL_HOURS;
      for (let h = 0; h < hours - 1; h += 6) {
        t.clock.advance(6 * 3_600_000);
        expect((await client.get('/api/v1/me')).status, `after ${h + 6} h`).toBe(h + 6 < hours ? 200 : 401);
      }
      t.clock.set(new Date(new Date('2026-03-02T12:00:00Z').getTime() + hours * 3_600_000 + 1000));
      expect((await client.get('/api/v1/me')).status).toBe(401);
      // And the cookie of an ended session stays dead.
      t.clock.set(new Date('2026-03-02T12:00:00Z'));
      expect((await client.get('/api/v1/me')).status).toBe(401);
    } finally {
      t.close();
    }
  });
});

// ── systematic edges: every query parameter and every path id of every route ──

/** Values that broke date arithmetic, number parsing, header building or storage somewhere once. */
const EDGE_VALUES = [
  '9999-12-31',
  '0000-01-01',
  '0001-01-01',
  '-1',
  '0',
  '1e309',
  'NaN',
  '99999999999999999999',
  '1.5',
  'x'.repeat(3000),
  '\u0000',
  'a\r\nb',
  '\u202e\ud83d\ude00é中',
  '',
];
/** The same for path segments (already percent-encoded where a raw character would not reach the route). */
const EDGE_IDS = [
  '9999-12-31',
  '0000-01-01',
  '0001-01-01',
  '-1',
  '0',
  '1e309',
  'NaN',
  '99999999999999999999',
  '1.5',
  'x'.repeat(3000),
  '%00',
  '%0D%0A',
  '%E2%80%AE%F0%9F%98%80',
  '1_99991231T000000Z',
  '1_00010101T000000Z',
];
/** Statuses an API route may refuse with. */
const API_REFUSALS = new Set([400, 401, 403, 404, 409]);

/** An answer to an edge value: no 500; the API refuses in its error shape; a page refuses with a readable page. */
async function expectEdgeAnswer(res: Response, path: string, problems: string[], label: string) {
  if (res.status >= 500) {
    problems.push(`${label} → ${res.status}`);
    return;
  }
  if (res.status < 400) return;
  if (isApi(path)) {
    if (!API_REFUSALS.has(res.status)) problems.push(`${label} → ${res.status} (the API refuses with 400/401/403/404/409)`);
    await expectWellFormed(res, path, problems, label);
    return;
  }
  const type = res.headers.get('content-type') ?? '';
  const body = await res.text();
  if (!type.startsWith('text/html') || !body.includes('<main')) problems.push(`${label} → ${res.status} ${type}: not a readable page`);
}

const withQuery = (base: string, query: string) => `${base}${base.includes('?') ? '&' : '?'}${query}`;

/** The query parameters of each GET route: declared, documented in the OpenAPI document, and found in the page's own GET forms and links. */
async function queryParameters(): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>();
  const add = (key: string, name: string) => {
    if (!name || name === '_csrf') return;
    if (!found.has(key)) found.set(key, new Set());
    found.get(key)!.add(name);
  };
  for (const [key, names] of Object.entries(QUERY_PARAMS)) for (const name of names) add(key, name);
  const hr = hrClient();
  const doc = (await (await hr.get('/api/v1/openapi.json')).json()) as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
  };
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const parameter of operations.get?.parameters ?? []) if (parameter.in === 'query') add(`GET ${path.replace(/\{(\w+)\}/g, ':$1')}`, parameter.name);
  }
  for (const route of readRoutes.filter((r) => !isApi(r.path))) {
    const base = concretePath(route.key, ACCESS[route.key], company);
    const own = new URL(base, 'http://x').pathname;
    const res = await hr.get(base);
    if (!(res.headers.get('content-type') ?? '').startsWith('text/html')) continue;
    const html = (await res.text()).replace(/&amp;/g, '&');
    for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
      const attributes = form[1]!;
      if (!/method="get"/i.test(attributes)) continue;
      const action = /action="([^"]*)"/.exec(attributes)?.[1];
      if (action && new URL(action, `http://x${own}`).pathname !== own) continue;
      for (const field of form[2]!.matchAll(/\bname="([^"]+)"/g)) add(route.key, field[1]!);
    }
    for (const link of html.matchAll(/href="([^"#]*\?[^"#]*)"/g)) {
      const url = new URL(link[1]!, `http://x${own}`);
      if (url.pathname === own) for (const name of url.searchParams.keys()) add(route.key, name);
    }
  }
  return found;
}

describe('every query parameter and every path id with extreme and malformed values', () => {
  it('declares query parameters only for routes that exist', () => {
    const registered = new Set(readRoutes.map((r) => r.key));
    expect(Object.keys(QUERY_PARAMS).filter((key) => !registered.has(key))).toEqual([]);
  });

  it('query parameters: never a 500; the API refuses in its error shape, pages with a readable page', async () => {
    const parameters = await queryParameters();
    const problems: string[] = [];
    let tried = 0;
    for (const route of readRoutes) {
      const names = [...(parameters.get(route.key) ?? [])];
      const base = concretePath(route.key, ACCESS[route.key], company);
      // Each route's own roles: HR everywhere, and the employee or manager where they are let in.
      const others = ACCESS[route.key]!.level === 'signedIn' ? (['employee'] as const) : ACCESS[route.key]!.level === 'hrManager' ? (['manager'] as const) : [];
      for (const name of names) {
        const queries = [
          ...EDGE_VALUES.map((value) => new URLSearchParams([[name, value]]).toString()),
          `${encodeURIComponent(name)}=1&${encodeURIComponent(name)}=2`,
        ];
        for (const query of queries) {
          const path = withQuery(base, query);
          for (const actor of ['hr' as const, ...others]) {
            // The other roles get the dates and numbers; HR gets every value.
            if (actor !== 'hr' && !/^[^=]*=(9999-12-31|0001-01-01|-1|1e309|99999999999999999999)$/.test(query)) continue;
            tried++;
            await expectEdgeAnswer(await company.client(actor).get(path), path, problems, `${actor} GET ${path.slice(0, 160)}`);
          }
        }
      }
    }
    expect(problems.slice(0, 15)).toEqual([]);
    // Not vacuous: every GET route with parameters was tried with every value.
    expect(parameters.size).toBeGreaterThan(40);
    expect(tried).toBeGreaterThan(2000);
  }, 900_000);

  it('path ids: never a 500; the API refuses in its error shape, pages with a readable page', async () => {
    const problems: string[] = [];
    let tried = 0;
    const client = hrClient();
    for (const route of ROUTES.filter((r) => ACCESS[r.key] && /:\w+/.test(r.path))) {
      const rule = ACCESS[route.key]!;
      const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      for (const name of names) {
        for (const value of EDGE_IDS) {
          const path = route.path.replace(/:(\w+)(\{[^}]*\})?/g, (_, n: string) =>
            n === name ? value : encodeURIComponent(String(rule.params?.[n]?.(company) ?? 1)),
          );
          tried++;
          const res = route.method === 'GET' ? await client.get(path) : isApi(path) ? await client.json(route.method, path, {}) : await client.form(path, {});
          await expectEdgeAnswer(res, path, problems, `${route.method} ${path.slice(0, 160)}`);
        }
      }
    }
    expect(problems.slice(0, 15)).toEqual([]);
    expect(tried).toBeGreaterThan(1000);
  }, 900_000);
});
