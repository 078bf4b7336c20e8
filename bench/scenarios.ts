/*
 * The pages and API calls the benchmark measures, and the mixed load of the soak. Every entry says
 * which route it needs; entries whose feature is not in this build are reported as absent, so the
 * bench runs at every stage of the product.
 */
import { occurrenceKey } from '../src/events/recurrence';
import { apiWithToken, formAs, pageAs, type BenchContext } from './context';
import type { RequestSpec } from './load';

export type LoadPlan = { request: RequestSpec | (() => RequestSpec); ok?: (status: number) => boolean; note?: string };

export type Scenario = {
  name: string;
  /** The route(s) this entry needs, e.g. 'GET /open-seats'. */
  routes: string[];
  /** Target of issue 7 for pages: ≥ 30% of hello-world throughput, p99 < 50 ms. */
  kind: 'page' | 'api' | 'write';
  build(ctx: BenchContext): LoadPlan | { skip: string };
};

const isOk = (s: number) => s >= 200 && s < 400;
const rows = <T>(ctx: BenchContext, sql: string, ...params: unknown[]) => ctx.db.$client.prepare(sql).all(...params) as T[];
const one = <T>(ctx: BenchContext, sql: string, ...params: unknown[]) => ctx.db.$client.prepare(sql).get(...params) as T | undefined;

/** Cycles through prepared requests; each is used once before any repeats. */
export function cycle(specs: RequestSpec[]): () => RequestSpec {
  let i = 0;
  return () => specs[i++ % specs.length];
}

/**
 * Distinct seat claims, each a marketer not yet on the event taking a free seat: of future one-off sales calls first,
 * then of the stored occurrences of weekly ones, so a row of thousands of claims a second makes a new claim every time
 * (a claim repeated would be answered as already made, and cost less).
 */
export function seatClaims(ctx: BenchContext, limit: number): RequestSpec[] {
  const after = Date.now() + 3_600_000;
  const open = rows<{ id: number; start: number }>(
    ctx,
    `SELECT * FROM (
       SELECT e.id, e.span_start AS start FROM events e
        WHERE e.kind = 'sales_call' AND e.rrule IS NULL AND e.status = 'scheduled' AND e.span_start > @after
          AND e.seats > (SELECT count(*) FROM invitations i WHERE i.event_id = e.id AND i.holds_seat = 1)
        ORDER BY e.span_start LIMIT @limit)
     UNION ALL SELECT * FROM (
       SELECT o.event_id, o.original_start FROM occurrences o JOIN events e ON e.id = o.event_id
        WHERE e.kind = 'sales_call' AND e.rrule IS NOT NULL AND e.status = 'scheduled' AND o.cancelled = 0 AND o.start > @after
          AND e.seats > o.seats_taken
        ORDER BY o.start LIMIT @limit)
     LIMIT @limit`,
    { after, limit },
  );
  const invited = new Set(
    rows<{ k: string }>(
      ctx,
      `SELECT DISTINCT event_id || ':' || person_id AS k FROM invitations WHERE event_id IN (SELECT value FROM json_each(?))`,
      JSON.stringify([...new Set(open.map((e) => e.id))]),
    ).map((r) => r.k),
  );
  const marketers = ctx.company.marketingIds;
  const specs: RequestSpec[] = [];
  for (const e of open) {
    let person = marketers[Math.floor(ctx.random() * marketers.length)];
    while (invited.has(`${e.id}:${person}`)) person = marketers[Math.floor(ctx.random() * marketers.length)];
    specs.push(
      formAs(ctx.session(person), '/open-seats/claim', { occurrence: occurrenceKey(e.id, new Date(e.start)), next: '/open-seats', confirmConflicts: '1' }),
    );
  }
  return specs;
}

/** Pending invitations to future events, answered by their invitees. */
export function invitationAnswers(ctx: BenchContext, limit: number): RequestSpec[] {
  const pending = rows<{ id: number; personId: number }>(
    ctx,
    `SELECT i.id, i.person_id AS personId FROM invitations i JOIN events e ON e.id = i.event_id
      WHERE i.status = 'invited' AND e.status = 'scheduled' AND e.span_start > ? ORDER BY i.id LIMIT ?`,
    Date.now(),
    limit,
  );
  const answers = ['accepted', 'declined', 'tentative'];
  return pending.map((p, n) =>
    formAs(ctx.session(p.personId), `/invitations/${p.id}/answer`, { status: answers[n % 3], next: '/invitations', confirmConflicts: '1' }),
  );
}

/** Past occurrences of one-off meetings with their guests, marked attended / no-show in bulk through the API. */
export function attendanceMarks(ctx: BenchContext, limit: number): RequestSpec[] {
  const past = rows<{ id: number; spanStart: number }>(
    ctx,
    `SELECT id, span_start AS spanStart FROM events WHERE rrule IS NULL AND status = 'scheduled' AND span_end < ? AND kind = 'marketing_meeting' ORDER BY span_start DESC LIMIT ?`,
    Date.now() - 3_600_000,
    limit,
  );
  // Only people who held a place: marking anyone else is a walk-in, which the API refuses unless it is said.
  const guests = ctx.db.$client
    .prepare("SELECT person_id FROM invitations WHERE event_id = ? AND occurrence_start IS NULL AND status = 'accepted' LIMIT 20")
    .pluck();
  const specs: RequestSpec[] = [];
  for (const e of past) {
    const ids = guests.all(e.id) as number[];
    if (!ids.length) continue;
    specs.push(
      apiWithToken(ctx.token, 'POST', '/api/v1/attendance', {
        occurrenceId: occurrenceKey(e.id, new Date(e.spanStart)),
        marks: ids.map((personId, n) => ({ personId, status: n % 4 ? 'attended' : 'no_show' })),
      }),
    );
  }
  return specs;
}

export const scenarios: Scenario[] = [
  { name: 'Health check /healthz', routes: ['GET /healthz'], kind: 'api', build: () => ({ request: { path: '/healthz' } }) },
  {
    name: 'My schedule (/ as a sales rep)',
    routes: ['GET /'],
    kind: 'page',
    build: (ctx) => ({ request: pageAs(ctx.session(ctx.company.key.rep), '/') }),
  },
  {
    name: 'Open seats (marketer, next 14 days)',
    routes: ['GET /open-seats'],
    kind: 'page',
    build: (ctx) => ({ request: pageAs(ctx.session(ctx.company.key.marketer), '/open-seats') }),
  },
  {
    name: `People list page (HR)`,
    routes: ['GET /people'],
    kind: 'page',
    build: (ctx) => ({ request: pageAs(ctx.session(ctx.company.key.hr), '/people'), note: `${ctx.company.peopleCount} people` }),
  },
  {
    name: 'People API list, 100 per page (token)',
    routes: ['GET /api/v1/people'],
    kind: 'api',
    build: (ctx) => ({ request: apiWithToken(ctx.token, 'GET', '/api/v1/people?pageSize=100') }),
  },
  {
    name: 'Completion report (HR dashboard)',
    routes: ['GET /programs/dashboard'],
    kind: 'page',
    build: (ctx) => {
      const n = one<{ n: number }>(ctx, 'SELECT count(*) AS n FROM requirement_completions');
      if (!n?.n) return { skip: 'no programs data in the scale company' };
      return { request: pageAs(ctx.session(ctx.company.key.hr), '/programs/dashboard'), note: `${n.n} requirement rows` };
    },
  },
  {
    name: 'Survey results (HR, largest round)',
    routes: ['GET /surveys/:id'],
    kind: 'page',
    build: (ctx) => {
      const round = one<{ roundId: number; n: number }>(
        ctx,
        'SELECT round_id AS roundId, count(*) AS n FROM survey_responses GROUP BY round_id ORDER BY n DESC LIMIT 1',
      );
      if (!round) return { skip: 'no survey responses in the scale company' };
      return { request: pageAs(ctx.session(ctx.company.key.hr), `/surveys/${round.roundId}`), note: `${round.n} responses` };
    },
  },
  {
    name: 'Seat claim (form post)',
    routes: ['POST /open-seats/claim'],
    kind: 'write',
    build: (ctx) => {
      const specs = seatClaims(ctx, 20_000);
      if (!specs.length) return { skip: 'no open seats in the scale company' };
      return { request: cycle(specs), ok: isOk, note: `${specs.length} distinct claims prepared` };
    },
  },
  {
    name: 'Invitation answer (form post)',
    routes: ['POST /invitations/:id/answer'],
    kind: 'write',
    build: (ctx) => {
      const specs = invitationAnswers(ctx, 20_000);
      if (!specs.length) return { skip: 'no pending invitations in the scale company' };
      return { request: cycle(specs), ok: isOk, note: `${specs.length} distinct invitations prepared` };
    },
  },
  {
    name: 'Person update (API PATCH, token)',
    routes: ['PATCH /api/v1/people/:id'],
    kind: 'write',
    build: (ctx) => {
      const ids = ctx.company.salesIds;
      let n = 0;
      return { request: () => apiWithToken(ctx.token, 'PATCH', `/api/v1/people/${ids[n % ids.length]}`, { title: `Account Executive ${n++ % 7}` }) };
    },
  },
  {
    name: "Attendance (API POST, token, one occurrence's guests at a time)",
    routes: ['POST /api/v1/attendance'],
    kind: 'write',
    build: (ctx) => {
      const specs = attendanceMarks(ctx, 20_000);
      if (!specs.length) return { skip: 'no past meetings with guests in the scale company' };
      const marks = specs.reduce((sum, spec) => sum + (JSON.parse(spec.body!) as { marks: unknown[] }).marks.length, 0);
      return { request: cycle(specs), ok: isOk, note: `${specs.length} past occurrences prepared, ${(marks / specs.length).toFixed(1)} marks each on average` };
    },
  },
];

/**
 * The soak's mix: 80% page reads by many different people, 20% writes (invitation answers, seat
 * claims, bulk attendance, person updates), each part present when its feature is.
 */
export function mixedLoad(ctx: BenchContext): { request: () => RequestSpec; parts: string[] } {
  const { company, random } = ctx;
  const employees = [...company.salesIds, ...company.marketingIds];
  const pickOf = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const sessionsOfEmployees = Array.from({ length: 300 }, (_, i) => ctx.session(employees[(i * 97) % employees.length]));
  const managers = company.managerIds.slice(2, 60).map((id) => ctx.session(id));
  const hr = ctx.session(company.key.hr);
  const reads: { weight: number; name: string; make: () => RequestSpec }[] = [];
  const writes: { weight: number; name: string; make: () => RequestSpec }[] = [];
  if (ctx.hasRoute('GET /')) reads.push({ weight: 4, name: 'my schedule', make: () => pageAs(pickOf(sessionsOfEmployees), '/') });
  if (ctx.hasRoute('GET /open-seats')) reads.push({ weight: 2, name: 'open seats', make: () => pageAs(pickOf(sessionsOfEmployees), '/open-seats') });
  if (ctx.hasRoute('GET /invitations')) reads.push({ weight: 2, name: 'invitations', make: () => pageAs(pickOf(sessionsOfEmployees), '/invitations') });
  if (ctx.hasRoute('GET /people')) {
    reads.push({ weight: 1, name: 'people list (manager)', make: () => pageAs(pickOf(managers), '/people') });
    reads.push({ weight: 1, name: 'people search (HR)', make: () => pageAs(hr, `/people?q=${pickOf(['ada', 'bauer', 'kai', 'zhou', 'person12'])}`) });
  }
  if (ctx.hasRoute('GET /people/:id'))
    reads.push({
      weight: 1,
      name: 'own profile',
      make: () => {
        const s = pickOf(sessionsOfEmployees);
        return pageAs(s, `/people/${s.personId}`);
      },
    });
  if (ctx.hasRoute('GET /api/v1/me')) reads.push({ weight: 1, name: 'API me', make: () => pageAs(pickOf(sessionsOfEmployees), '/api/v1/me') });

  const claims = ctx.hasRoute('POST /open-seats/claim') ? seatClaims(ctx, 20_000) : [];
  const answers = ctx.hasRoute('POST /invitations/:id/answer') ? invitationAnswers(ctx, 40_000) : [];
  const marks = ctx.hasRoute('POST /api/v1/attendance') ? attendanceMarks(ctx, 5_000) : [];
  if (answers.length) writes.push({ weight: 3, name: 'invitation answers', make: cycle(answers) });
  if (claims.length) writes.push({ weight: 2, name: 'seat claims', make: cycle(claims) });
  if (marks.length) writes.push({ weight: 1, name: 'bulk attendance (API)', make: cycle(marks) });
  if (ctx.hasRoute('PATCH /api/v1/people/:id')) {
    let n = 0;
    writes.push({
      weight: 1,
      name: 'person updates (API)',
      make: () => apiWithToken(ctx.token, 'PATCH', `/api/v1/people/${pickOf(employees)}`, { title: `Specialist ${n++ % 5}` }),
    });
  }
  const weighted = (parts: typeof reads) => {
    const total = parts.reduce((s, p) => s + p.weight, 0);
    return () => {
      let r = random() * total;
      for (const p of parts) if ((r -= p.weight) < 0) return p.make();
      return parts[parts.length - 1].make();
    };
  };
  const read = weighted(reads);
  const write = writes.length ? weighted(writes) : read;
  return {
    request: () => (random() < 0.8 ? read() : write()),
    parts: [`reads: ${reads.map((r) => r.name).join(', ')}`, `writes: ${writes.map((w) => w.name).join(', ') || 'none in this build'}`],
  };
}

/**
 * The pages of the distinct-viewer scenario (issue 14): each viewed by many different signed-in
 * people of the scale company, so no viewer sees the same answer twice in a row and a per-viewer
 * cache can answer only what repeats. `viewers` are the people it cycles through.
 */
export type PageScenario = {
  name: string;
  route: string;
  viewers: (ctx: BenchContext) => number[];
  path: (ctx: BenchContext, viewer: number) => string | null;
  bigCompany?: 'grows';
};

const employeesOf = (ctx: BenchContext) => {
  const all = [...ctx.company.salesIds, ...ctx.company.marketingIds];
  // 300 different people, spread over the whole company.
  const step = Math.max(1, Math.floor(all.length / 300));
  return all.filter((_, i) => i % step === 0).slice(0, 300);
};
const managersAndHr = (ctx: BenchContext) => [ctx.company.key.hr, ...ctx.company.managerIds];
const largestRound = (ctx: BenchContext) =>
  one<{ roundId: number }>(ctx, 'SELECT round_id AS roundId FROM survey_responses GROUP BY round_id ORDER BY count(*) DESC LIMIT 1')?.roundId ?? null;

export const pageScenarios: PageScenario[] = [
  { name: 'My schedule', route: 'GET /', viewers: employeesOf, path: () => '/' },
  { name: 'Open seats', route: 'GET /open-seats', viewers: employeesOf, path: () => '/open-seats' },
  { name: 'Invitations', route: 'GET /invitations', viewers: employeesOf, path: () => '/invitations' },
  { name: 'My learning', route: 'GET /learning', viewers: employeesOf, path: () => '/learning' },
  {
    name: 'People (search, managers and HR)',
    route: 'GET /people',
    viewers: managersAndHr,
    // The word follows the viewer's place in the list (HR, the department heads, the team managers), not their id: the
    // same role searches the same word in a company of any size, so the two sizes' renders compare.
    path: (ctx, viewer) => `/people?q=${['ada', 'bauer', 'smith', 'kai', 'zhou'][Math.max(0, managersAndHr(ctx).indexOf(viewer)) % 5]}`,
  },
  { name: 'Programs dashboard', route: 'GET /programs/dashboard', viewers: managersAndHr, path: () => '/programs/dashboard' },
  {
    name: 'Survey results',
    route: 'GET /surveys/:id',
    viewers: managersAndHr,
    path: (ctx) => {
      const round = largestRound(ctx);
      return round === null ? null : `/surveys/${round}`;
    },
  },
  { name: 'Scorecard', route: 'GET /scorecard', viewers: managersAndHr, path: () => '/scorecard' },
  { name: 'Field insights', route: 'GET /insights', viewers: managersAndHr, path: () => '/insights' },
  { name: 'Rotation timeline', route: 'GET /rotations/timeline', viewers: managersAndHr, path: () => '/rotations/timeline' },
];

/** The writes that go on while the pages are measured (about 10 a second): answers, claims and person updates. */
export function backgroundWrites(ctx: BenchContext): () => RequestSpec {
  const answers = ctx.hasRoute('POST /invitations/:id/answer') ? invitationAnswers(ctx, 5_000) : [];
  const claims = ctx.hasRoute('POST /open-seats/claim') ? seatClaims(ctx, 2_000) : [];
  const next = [answers.length ? cycle(answers) : null, claims.length ? cycle(claims) : null].filter((f): f is () => RequestSpec => f !== null);
  const ids = ctx.company.salesIds;
  let n = 0;
  next.push(() => apiWithToken(ctx.token, 'PATCH', `/api/v1/people/${ids[n % ids.length]}`, { title: `Account Executive ${n++ % 7}` }));
  let i = 0;
  return () => next[i++ % next.length]();
}
