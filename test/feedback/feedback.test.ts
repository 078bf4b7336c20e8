import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { attendance, feedback, feedbackCompetitors, feedbackMaterials, suggestions } from '../../db/schema';
import { appointLiaison } from '../../src/liaisons/liaisons';
import { parseOccurrenceKey } from '../../src/events/recurrence';
import { badgeCounts } from '../../src/nav';
import { bannerAfter, createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';
import { seedOpenSuggestions, seedRideAlongs } from './scenario';

let t: TestContext;
let company: SeededCompany;
let rides: ReturnType<typeof seedRideAlongs>;

beforeEach(async () => {
  t = createTestApp({ now: '2026-02-01T12:00:00Z' });
  company = await seedCompany(t.db);
  rides = seedRideAlongs(t);
});
afterEach(() => t.close());

const counts = () => ({
  feedback: t.db.select({ n: count() }).from(feedback).get()!.n,
  competitors: t.db.select({ n: count() }).from(feedbackCompetitors).get()!.n,
  materials: t.db.select({ n: count() }).from(feedbackMaterials).get()!.n,
  suggestions: t.db.select({ n: count() }).from(suggestions).get()!.n,
});

/** HR appoints a marketer as liaison to a sales team: the owner of that team's suggestions. */
const appoint = (email: string, team: string) =>
  appointLiaison(t.db, t.clock, { personId: company.people['hr@example.com']! }, { personId: company.people[email]!, teamId: company.teams[team]! });
const backlogItem = (feedbackId: number) =>
  t.db
    .select()
    .from(suggestions)
    .where(eq(suggestions.sourceRef, `feedback:${feedbackId}`))
    .get();

async function submitAll() {
  const marketer = sessionAs(t, 'marketer@example.com');
  const form = await marketer.form('/feedback', {
    occurrenceId: rides.occurrence.a,
    competitors: 'Globex,  Initech',
    outcome: 'lost',
    lossReason: 'price',
    lossDetail: 'Came in 30% under us',
    material1: 'Pricing deck',
    rating1: 2,
    material2: 'ROI calculator',
    rating2: 4,
    material3: '',
    rating3: '',
    suggestion: 'Cheaper entry tier',
  });
  expect(form.status).toBe(303);
  const api = async (email: string, body: unknown, status = 201) => {
    const res = await sessionAs(t, email).json('POST', '/api/v1/feedback', body);
    expect(res.status, await res.clone().text()).toBe(status);
    return res.json() as Promise<{ id: number }>;
  };
  await api('rep@example.com', {
    occurrenceId: rides.occurrence.a,
    competitors: ['globex'],
    outcome: 'lost',
    lossReason: 'price',
    materials: [{ name: 'pricing DECK', rating: 3 }],
  });
  const b = await sessionAs(t, 'marketer2@example.com').form('/feedback', {
    occurrenceId: rides.occurrence.b,
    competitors: 'Initech',
    outcome: 'won',
    lossReason: '',
    lossDetail: '',
    material1: 'Case study: Globex',
    rating1: 5,
    suggestion: 'More case studies in retail',
  });
  expect(b.status).toBe(303);
  await api('demand@example.com', {
    occurrenceId: rides.occurrence.b,
    competitors: ['Initech', 'Umbrella'],
    outcome: 'won',
    materials: [{ name: 'Pricing deck', rating: 4 }],
  });
  await api('westrep@example.com', { occurrenceId: rides.occurrence.b, outcome: 'open', suggestion: 'Battlecard for Umbrella' });
  return api('marketer@example.com', {
    occurrenceId: rides.occurrence.c17,
    competitors: ['Globex'],
    outcome: 'lost',
    lossReason: 'missing_feature',
    materials: [{ name: 'Pricing deck', rating: 1 }],
  });
}

type Insights = {
  reports: number;
  rideAlongs: number;
  outcomes: { won: number; lost: number; open: number };
  competitors: { name: string; reports: number; rideAlongs: number }[];
  lossReasons: { reason: string; count: number }[];
  materials: { name: string; reports: number; averageRating: number }[];
  ratingsOverTime: { bucket: string; periods: string[]; lines: { name: string; points: { period: string; averageRating: number; count: number }[] }[] };
  suggestions: {
    feedbackId: number;
    suggestion: string;
    count: number;
    authorRole: string;
    teamName: string | null;
    items: { id: number; status: string; teamId: number | null }[];
  }[];
};

describe('field feedback', () => {
  it('asks the host and the marketers of ended ride-alongs, and nobody else', async () => {
    const pending = async (email: string) => {
      const { data } = (await (await sessionAs(t, email).get('/api/v1/feedback/pending')).json()) as { data: { occurrenceId: string; role: string }[] };
      // The navigation counts the same ride-alongs in its one query.
      expect(badgeCounts(t.db, { id: company.people[email]! }, t.clock.now()).feedback).toBe(data.length);
      return data;
    };
    expect((await pending('marketer@example.com')).map((p) => [p.occurrenceId, p.role])).toEqual([
      [rides.occurrence.a, 'guest'],
      [rides.occurrence.c24, 'guest'],
    ]);
    expect((await pending('rep@example.com')).map((p) => [p.occurrenceId, p.role])).toEqual([
      [rides.occurrence.a, 'host'],
      [rides.occurrence.c24, 'host'],
    ]);
    expect((await pending('westrep@example.com')).map((p) => p.occurrenceId)).toEqual([rides.occurrence.b]);
    expect(await pending('rep2@example.com')).toEqual([]);
    const page = await (await sessionAs(t, 'marketer@example.com').get('/feedback')).text();
    expect(page).toContain('Give feedback on Acme renewal');
    expect(page).not.toContain('Umbrella kickoff');

    await submitAll();
    expect((await pending('marketer@example.com')).map((p) => p.occurrenceId)).toEqual([rides.occurrence.c24]);
    expect(await pending('westrep@example.com')).toEqual([]);
  });

  it('refuses feedback from outsiders, before the end, on calls without a marketer, and bad input — changing nothing', async () => {
    const before = counts();
    const post = (email: string, body: unknown) => sessionAs(t, email).json('POST', '/api/v1/feedback', body);
    const outsider = await post('marketer2@example.com', { occurrenceId: rides.occurrence.a, outcome: 'won' });
    expect(outsider.status).toBe(403);
    expect(((await outsider.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await post('marketer@example.com', { occurrenceId: rides.occurrence.d, outcome: 'won' })).status).toBe(409);
    expect((await post('rep@example.com', { occurrenceId: rides.occurrence.e, outcome: 'won' })).status).toBe(404);
    expect((await post('marketer@example.com', { occurrenceId: 'nonsense', outcome: 'won' })).status).toBe(404);
    const invalid = await post('marketer@example.com', {
      occurrenceId: rides.occurrence.a,
      outcome: 'lost',
      materials: [{ name: 'Deck', rating: 9 }],
      extra: 1,
    });
    expect(invalid.status).toBe(400);
    const error = ((await invalid.json()) as { error: { code: string; issues: { path: string }[] } }).error;
    expect(error.code).toBe('invalid');
    expect(error.issues.map((i) => i.path).sort()).toEqual(['', 'lossReason', 'materials.0.rating']);
    const form = await sessionAs(t, 'marketer@example.com').form('/feedback', {
      occurrenceId: rides.occurrence.a,
      competitors: '',
      outcome: 'won',
      material1: '',
      rating1: 4,
      suggestion: '',
    });
    expect(form.status).toBe(400);
    const html = await form.text();
    expect(html).toContain('Name the material you rate.');
    expect(html).toContain('aria-invalid="true"');
    expect(counts()).toEqual(before);
  });

  it('flows into field insights with the numbers counted by hand', async () => {
    await submitAll();
    const manager = sessionAs(t, 'marketing.manager@example.com');
    const res = await manager.get('/api/v1/insights');
    expect(res.status).toBe(200);
    const all = (await res.json()) as Insights;
    expect([all.reports, all.rideAlongs, all.outcomes]).toEqual([6, 3, { won: 2, lost: 3, open: 1 }]);
    expect(all.competitors).toEqual([
      { name: 'Globex', reports: 3, rideAlongs: 2 },
      { name: 'Initech', reports: 3, rideAlongs: 2 },
      { name: 'Umbrella', reports: 1, rideAlongs: 1 },
    ]);
    expect(all.lossReasons.map((r) => [r.reason, r.count])).toEqual([
      ['price', 2],
      ['missing_feature', 1],
    ]);
    expect(all.materials).toEqual([
      { name: 'Pricing deck', reports: 4, averageRating: 2.5 },
      { name: 'Case study: Globex', reports: 1, averageRating: 5 },
      { name: 'ROI calculator', reports: 1, averageRating: 4 },
    ]);
    // The default 90 days are charted by week (keyed by Monday): 17 Feb in the week of 16 Feb, 3 and 5 March in the week of 2 March.
    const deck = all.ratingsOverTime.lines.find((l) => l.name === 'Pricing deck')!;
    expect(all.ratingsOverTime.bucket).toBe('week');
    expect(deck.points).toEqual([
      { period: '2026-02-16', averageRating: 1, count: 1 },
      { period: '2026-03-02', averageRating: 3, count: 3 },
    ]);
    expect(all.ratingsOverTime.periods.slice(-3)).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
    const halfYear = (await (await manager.get('/api/v1/insights?from=2025-10-01&to=2026-03-31')).json()) as Insights;
    expect(halfYear.ratingsOverTime.bucket).toBe('month');
    expect(halfYear.ratingsOverTime.periods).toEqual(['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
    expect(halfYear.ratingsOverTime.lines.find((l) => l.name === 'Pricing deck')!.points).toEqual([
      { period: '2026-02', averageRating: 1, count: 1 },
      { period: '2026-03', averageRating: 3, count: 3 },
    ]);
    expect(all.suggestions.map((s) => [s.suggestion, s.authorRole, s.teamName])).toEqual([
      ['Battlecard for Umbrella', 'host', 'Sales West'],
      ['More case studies in retail', 'guest', 'Sales West'],
      ['Cheaper entry tier', 'guest', 'Sales East'],
    ]);

    const west = (await (await manager.get(`/api/v1/insights?team=${company.teams['Sales West']}`)).json()) as Insights;
    expect([west.reports, west.rideAlongs, west.outcomes]).toEqual([3, 1, { won: 2, lost: 0, open: 1 }]);
    const productMarketing = (await (await manager.get(`/api/v1/insights?team=${company.teams['Product Marketing']}`)).json()) as Insights;
    expect(productMarketing.reports).toBe(3);
    const march = (await (await manager.get('/api/v1/insights?from=2026-03-01&to=2026-03-31')).json()) as Insights;
    expect([march.reports, march.materials[0]]).toEqual([5, { name: 'Pricing deck', reports: 3, averageRating: 3 }]);
    expect(march.lossReasons.map((r) => [r.reason, r.count])).toEqual([['price', 2]]);

    // The page shows the same numbers, with the chart; the liaison closing a suggestion there removes it from the open list.
    const page = await (await manager.get('/insights')).text();
    expect(page).toContain('<strong>6</strong> reports on <strong>3</strong> ride-alongs');
    expect(page).toContain('<svg viewBox="0 0 640 260"');
    expect(page).toContain('Cheaper entry tier');
    appoint('marketer2@example.com', 'Sales East');
    const liaison = sessionAs(t, 'marketer2@example.com');
    const ids = all.suggestions[2]!.items.map((item) => item.id).join(',');
    const accepted = await liaison.form('/insights/suggestions/move?from=2026-01-01', { ids, move: 'accept' });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/insights?from=2026-01-01');
    expect(await bannerAfter(liaison, accepted)).toMatch(/^Suggestion accepted/);
    expect(((await (await manager.get('/api/v1/insights')).json()) as Insights).suggestions[2]!.items.map((item) => item.status)).toEqual(['accepted']);
    expect((await liaison.form('/insights/suggestions/move', { ids, move: 'done' })).status).toBe(303);
    const after = (await (await manager.get('/api/v1/insights')).json()) as Insights;
    expect(after.suggestions.map((s) => s.suggestion)).toEqual(['Battlecard for Umbrella', 'More case studies in retail']);
    expect(backlogItem(all.suggestions[2]!.feedbackId)!.status).toBe('done');
    const bad = await manager.get('/api/v1/insights?from=2026-04-01&to=2026-03-01');
    expect(bad.status).toBe(400);
  });

  it('lets an employee read only their own feedback, managers their reports’, and insights only marketing, managers and HR', async () => {
    const last = await submitAll();
    const rep = sessionAs(t, 'rep@example.com');
    // The marketer's report on the 17 February check-in.
    expect((await rep.get(`/api/v1/feedback/${last.id}`)).status).toBe(403);
    expect((await rep.get(`/feedback/${last.id}`)).status).toBe(403);
    expect((await sessionAs(t, 'marketer2@example.com').get(`/api/v1/feedback/${last.id}`)).status).toBe(403);
    expect((await sessionAs(t, 'marketer@example.com').get(`/api/v1/feedback/${last.id}`)).status).toBe(200);
    expect((await sessionAs(t, 'marketing.manager@example.com').get(`/feedback/${last.id}`)).status).toBe(200);
    expect((await sessionAs(t, 'west.manager@example.com').get(`/api/v1/feedback/${last.id}`)).status).toBe(403);
    expect((await sessionAs(t, 'hr@example.com').get(`/api/v1/feedback/${last.id}`)).status).toBe(200);

    const list = (await (await rep.get('/api/v1/feedback')).json()) as { data: { authorName: string }[]; total: number };
    expect(list.total).toBe(1);
    expect(list.data.map((f) => f.authorName)).toEqual(['Rita Rep']);
    expect((await rep.get(`/api/v1/feedback?author=${company.people['marketer@example.com']}`)).status).toBe(403);
    expect((await rep.get(`/feedback?person=${company.people['marketer@example.com']}`)).status).toBe(403);
    const managerList = (await (await sessionAs(t, 'marketing.manager@example.com').get('/api/v1/feedback')).json()) as { total: number };
    expect(managerList.total).toBe(3);

    expect((await rep.get('/insights')).status).toBe(403);
    expect((await rep.get('/api/v1/insights')).status).toBe(403);
    expect((await sessionAs(t, 'marketer@example.com').get('/insights')).status).toBe(200);
    expect((await sessionAs(t, 'sales.manager@example.com').get('/insights')).status).toBe(200);
    const anySuggestion = t.db.select().from(suggestions).get()!;
    expect((await rep.form('/insights/suggestions/move', { ids: String(anySuggestion.id), move: 'accept' })).status).toBe(403);
    expect(t.db.select().from(suggestions).where(eq(suggestions.id, anySuggestion.id)).get()!.status).toBe('open');
  });

  it('replaces a report when it is sent again', async () => {
    await submitAll();
    const marketer = sessionAs(t, 'marketer@example.com');
    const form = await (await marketer.get(`/feedback/new?occurrence=${rides.occurrence.a}`)).text();
    expect(form).toContain('Change your feedback');
    expect(form).toContain('value="Globex, Initech"');
    const res = await marketer.json('POST', '/api/v1/feedback', { occurrenceId: rides.occurrence.a, competitors: ['Globex'], outcome: 'won' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { competitors: string[]; outcome: string; lossReason: string | null; materials: unknown[] };
    expect(body).toMatchObject({ competitors: ['Globex'], outcome: 'won', lossReason: null, materials: [] });
    expect(counts().feedback).toBe(6);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await sessionAs(t, 'hr@example.com').get('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/v1/feedback']!)).toEqual(['get', 'post']);
    expect(doc.paths['/api/v1/insights']!.get).toBeDefined();
    expect(doc.paths['/api/v1/me']!.get).toBeDefined();
    // A suggestion's state is the liaison backlog's: moved through its API, not the feedback's.
    expect(doc.paths['/api/v1/feedback/{id}/suggestion-done']).toBeUndefined();
    expect(Object.keys(doc.paths['/api/v1/suggestions']!)).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/v1/suggestions/move']!)).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/v1/suggestions/{id}']!)).toEqual(['get']);
  });

  it('counts a marketer the host marked as attended as a guest, and a no-show as none', async () => {
    const pending = async (email: string) => {
      const { data } = (await (await sessionAs(t, email).get('/api/v1/feedback/pending')).json()) as { data: { occurrenceId: string }[] };
      expect(badgeCounts(t.db, { id: company.people[email]! }, t.clock.now()).feedback).toBe(data.length);
      return data.map((p) => p.occurrenceId);
    };
    const a = parseOccurrenceKey(rides.occurrence.a)!;
    const mark = (email: string, status: 'attended' | 'no_show') =>
      t.db
        .insert(attendance)
        .values({ eventId: rides.a.id, occurrenceStart: a.originalStart, personId: company.people[email]!, status, markedAt: t.clock.now() })
        .run();
    mark('marketer2@example.com', 'attended');
    expect(await pending('marketer2@example.com')).toEqual([rides.occurrence.b, rides.occurrence.a]);
    mark('marketer@example.com', 'no_show');
    expect(await pending('marketer@example.com')).toEqual([rides.occurrence.c24]);
    const refused = await sessionAs(t, 'marketer@example.com').json('POST', '/api/v1/feedback', { occurrenceId: rides.occurrence.a, outcome: 'won' });
    expect(refused.status).toBe(403);
  });

  it('shows open suggestions a page at a time with how many there are in all, with and without htmx and in the API', async () => {
    seedOpenSuggestions(t, 25);
    const manager = sessionAs(t, 'marketing.manager@example.com');
    const items = (html: string) => [...html.matchAll(/<p class="suggestion-text">(Idea \d+)/g)].map((m) => m[1]);
    const first = await manager.get('/insights');
    expect(first.status).toBe(200);
    const page1 = await first.text();
    expect(page1).toContain('Open suggestions (25)');
    expect(items(page1)).toEqual(Array.from({ length: 20 }, (_, i) => `Idea ${String(i + 1).padStart(2, '0')}`));
    expect(page1).toContain('Page 1 of 2 · 25 in all');
    const next = /<a href="([^"]+)" rel="next"/.exec(page1)![1]!.replaceAll('&amp;', '&');
    expect(next).toMatch(/^\/insights\?.*page=2/);
    // Without scripts the link is a whole page; htmx swaps the results in place with the same partial.
    const page2 = await (await manager.get(next)).text();
    expect(page2).toContain('<html');
    expect(items(page2)).toEqual(['Idea 21', 'Idea 22', 'Idea 23', 'Idea 24', 'Idea 25']);
    expect(page2).toContain('Page 2 of 2 · 25 in all');
    const partial = await (await manager.get(next, { 'hx-request': 'true' })).text();
    expect(partial).not.toContain('<html');
    expect(partial.startsWith('<div id="insights-results"')).toBe(true);
    expect(items(partial)).toEqual(items(page2));
    // Past the last page: the last page. A page that is no number: the form's error.
    expect(items(await (await manager.get('/insights?page=9')).text())).toEqual(items(page2));
    expect((await manager.get('/insights?page=abc')).status).toBe(400);
    // A move from page 2 comes back to page 2.
    const hr = sessionAs(t, 'hr@example.com');
    const ids = /name="ids" value="([\d,]+)"/.exec(await (await hr.get(next)).text())![1]!;
    const moved = await hr.form('/insights/suggestions/move?page=2', { ids, move: 'accept' });
    expect(moved.status).toBe(303);
    expect(moved.headers.get('location')).toContain('page=2');
    const api = (await (await manager.get('/api/v1/insights?suggestionsPage=2')).json()) as Insights & { suggestionCount: number; suggestionsPage: number };
    expect([api.suggestionCount, api.suggestionsPage, api.suggestions.map((s) => s.suggestion)]).toEqual([
      25,
      2,
      ['Idea 21', 'Idea 22', 'Idea 23', 'Idea 24', 'Idea 25'],
    ]);
  });

  it('with no open suggestion in the period shows none, on page 1 whatever page is asked', async () => {
    const manager = sessionAs(t, 'marketing.manager@example.com');
    for (const page of [1, 3]) {
      const api = (await (await manager.get(`/api/v1/insights?suggestionsPage=${page}`)).json()) as Insights & {
        suggestionCount: number;
        suggestionsPage: number;
      };
      expect([api.suggestionCount, api.suggestionsPage, api.suggestions]).toEqual([0, 1, []]);
    }
    seedOpenSuggestions(t, 2);
    const api = (await (await manager.get('/api/v1/insights?suggestionsPage=3')).json()) as Insights & { suggestionCount: number; suggestionsPage: number };
    expect([api.suggestionCount, api.suggestionsPage, api.suggestions.map((s) => s.suggestion)]).toEqual([2, 1, ['Idea 01', 'Idea 02']]);
  });

  it('takes a team by name instead of listing them when the company has too many teams to list', async () => {
    await submitAll();
    const manager = sessionAs(t, 'marketing.manager@example.com');
    const small = await (await manager.get('/insights')).text();
    expect(small).toContain('<select id="f-team" name="team"');
    const addTeam = t.db.$client.prepare("INSERT INTO teams (name, department, created_at) VALUES (?, 'other', 0)");
    for (let i = 1; i <= 100; i++) addTeam.run(`Support ${String(i).padStart(3, '0')}`);
    const page = await (await manager.get('/insights')).text();
    expect(page).not.toContain('name="team"');
    expect(page).toContain('name="teamName"');
    expect(page.length).toBeLessThan(small.length + 1000);
    // The team's name in any case, or its first letters when only one team starts so, filters as choosing it did.
    const byId = await (await manager.get(`/api/v1/insights?team=${company.teams['Sales East']}`)).json();
    for (const typed of ['sales east', 'Sales E']) {
      const res = await manager.get(`/insights?teamName=${encodeURIComponent(typed)}`);
      expect(res.status, typed).toBe(200);
      const html = await res.text();
      expect(html).toContain('value="Sales East"');
      expect(html).toContain(`<strong>${(byId as { reports: number }).reports}</strong> reports`);
    }
    // A link with the team's id shows its name in the field.
    expect(await (await manager.get(`/insights?team=${company.teams['Sales East']}`)).text()).toContain('value="Sales East"');
    const several = await manager.get('/insights?teamName=Support%200');
    expect(several.status).toBe(400);
    expect(await several.text()).toContain('Several teams start with “Support 0”: Support 001, Support 002, Support 003, Support 004, Support 005, …');
    const none = await manager.get('/insights?teamName=Nobody');
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('No team is called “Nobody”.');
  });

  it('counts the same suggestion once with how often it came, and closes it for all its reports', async () => {
    await submitAll();
    const rep = sessionAs(t, 'rep@example.com');
    expect(
      (
        await rep.json('POST', '/api/v1/feedback', {
          occurrenceId: rides.occurrence.a,
          outcome: 'lost',
          lossReason: 'price',
          suggestion: '  cheaper ENTRY tier ',
        })
      ).status,
    ).toBe(200);
    const manager = sessionAs(t, 'marketing.manager@example.com');
    const insights = (await (await manager.get('/api/v1/insights')).json()) as Insights;
    expect(insights.suggestions.map((s) => [s.suggestion, s.count, s.items.map((item) => item.status)])).toEqual([
      ['cheaper ENTRY tier', 2, ['open', 'open']],
      ['Battlecard for Umbrella', 1, ['open']],
      ['More case studies in retail', 1, ['open']],
    ]);
    expect(await (await manager.get('/insights')).text()).toContain('2 reports');
    // The liaison of the host's sales team moves both backlog items at once; the API answers with the items moved.
    appoint('marketer@example.com', 'Sales East');
    const ids = insights.suggestions[0]!.items.map((item) => item.id);
    const liaison = sessionAs(t, 'marketer@example.com');
    const accepted = await liaison.json('POST', '/api/v1/suggestions/move', { ids, move: 'accept' });
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { data: { id: number; status: string }[] }).data.map((item) => [item.id, item.status])).toEqual(
      ids.map((id) => [id, 'accepted']),
    );
    expect((await liaison.json('POST', '/api/v1/suggestions/move', { ids, move: 'done' })).status).toBe(200);
    const after = (await (await manager.get('/api/v1/insights')).json()) as Insights;
    expect(after.suggestions.map((s) => s.suggestion)).toEqual(['Battlecard for Umbrella', 'More case studies in retail']);
    // A move that applies to none of the items is refused: a done suggestion is not accepted again.
    const again = await liaison.json('POST', '/api/v1/suggestions/move', { ids, move: 'accept' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('invalid_transition');
    // Sales managers read insights, and marketers who are not the team's liaison read them too, but the backlog's owner (or HR) moves suggestions.
    const west = after.suggestions[0]!.items.map((item) => item.id);
    expect((await sessionAs(t, 'sales.manager@example.com').json('POST', '/api/v1/suggestions/move', { ids: west, move: 'accept' })).status).toBe(403);
    expect((await sessionAs(t, 'marketer2@example.com').json('POST', '/api/v1/suggestions/move', { ids: west, move: 'accept' })).status).toBe(403);
    expect((await liaison.json('POST', '/api/v1/suggestions/move', { ids: west, move: 'accept' })).status).toBe(403);
    expect(t.db.select().from(suggestions).where(eq(suggestions.id, west[0]!)).get()!.status).toBe('open');
    expect(
      (await sessionAs(t, 'hr@example.com').json('POST', '/api/v1/suggestions/move', { ids: west, move: 'reject', reason: 'Umbrella left the market.' }))
        .status,
    ).toBe(200);
  });

  it('places a suggestion in the liaison backlog with the report: unassigned until a liaison is appointed, and one state for it', async () => {
    const marketer = sessionAs(t, 'marketer@example.com');
    const res = await marketer.json('POST', '/api/v1/feedback', {
      occurrenceId: rides.occurrence.a,
      outcome: 'open',
      suggestion: 'Cheaper entry tier\nfor mid-market deals',
    });
    expect(res.status).toBe(201);
    const report = (await res.json()) as { id: number; suggestionId: number; suggestionStatus: string };
    // In the backlog of the host's sales team at once — no liaison there yet, so it waits unassigned.
    const item = backlogItem(report.id)!;
    expect(item).toMatchObject({ teamId: company.teams['Sales East'], title: 'Cheaper entry tier', source: 'feedback', status: 'open' });
    expect(item.detail).toContain('for mid-market deals');
    expect(item.detail).toContain('From Mark Marketer\'s feedback as guest on the ride-along "Acme renewal"');
    expect([report.suggestionId, report.suggestionStatus]).toEqual([item.id, 'open']);
    const hr = sessionAs(t, 'hr@example.com');
    const unassigned = (await (await hr.get('/api/v1/suggestions?unassigned=true')).json()) as { data: { id: number; liaisonId: number | null }[] };
    expect(unassigned.data.map((s) => [s.id, s.liaisonId])).toEqual([[item.id, null]]);
    expect(await (await hr.get('/liaisons/unassigned')).text()).toContain('Cheaper entry tier');
    expect(await (await hr.get('/liaisons')).text()).toContain('1 open suggestion waits');
    expect((await marketer.get('/liaisons/unassigned')).status).toBe(403);
    expect((await marketer.get('/api/v1/suggestions?unassigned=true')).status).toBe(403);

    // Appointing the liaison puts it in their backlog; they see and move it, and insights show the same state.
    const appointed = await hr.form('/liaisons', { personId: company.people['marketer2@example.com'], teamId: company.teams['Sales East'] });
    expect(await bannerAfter(hr, appointed)).toContain('1 open suggestion is in their backlog now');
    expect(((await (await hr.get('/api/v1/suggestions?unassigned=true')).json()) as { data: unknown[] }).data).toEqual([]);
    const liaison = sessionAs(t, 'marketer2@example.com');
    const mine = (await (await liaison.get('/api/v1/suggestions')).json()) as { data: { id: number; liaisonId: number; status: string }[] };
    expect(mine.data.map((s) => [s.id, s.liaisonId, s.status])).toEqual([[item.id, company.people['marketer2@example.com'], 'open']]);
    expect(await (await liaison.get(`/liaisons/teams/${company.teams['Sales East']}/backlog`)).text()).toContain('Cheaper entry tier');
    expect((await liaison.form(`/liaisons/suggestions/${item.id}`, { move: 'accept' })).status).toBe(303);
    const insights = (await (await sessionAs(t, 'marketing.manager@example.com').get('/api/v1/insights')).json()) as Insights;
    expect(insights.suggestions[0]!.items).toEqual([{ id: item.id, status: 'accepted', teamId: company.teams['Sales East'] }]);
    expect(await (await liaison.get('/insights')).text()).toContain('Mark done');
    expect((await liaison.form('/insights/suggestions/move', { ids: String(item.id), move: 'done' })).status).toBe(303);
    expect(((await (await marketer.get(`/api/v1/feedback/${report.id}`)).json()) as { suggestionStatus: string }).suggestionStatus).toBe('done');
    expect(await (await marketer.get(`/feedback/${report.id}`)).text()).toMatch(/<span class="tag done">done<\/span>/);

    // Sending the report again with the same suggestion keeps the decision; another text is a new ask, open again.
    await marketer.json('POST', '/api/v1/feedback', {
      occurrenceId: rides.occurrence.a,
      outcome: 'won',
      suggestion: 'Cheaper entry tier\nfor mid-market deals',
    });
    expect(backlogItem(report.id)!.status).toBe('done');
    await marketer.json('POST', '/api/v1/feedback', { occurrenceId: rides.occurrence.a, outcome: 'won', suggestion: 'A mid-market case study' });
    expect(backlogItem(report.id)).toMatchObject({ id: item.id, title: 'A mid-market case study', status: 'open', closedAt: null });
    // Taking the suggestion back before anyone acted on it removes it from the backlog.
    await marketer.json('POST', '/api/v1/feedback', { occurrenceId: rides.occurrence.a, outcome: 'won', suggestion: '' });
    expect(backlogItem(report.id)).toBeUndefined();

    // A bad move changes nothing.
    const west = await sessionAs(t, 'westrep@example.com').json('POST', '/api/v1/feedback', {
      occurrenceId: rides.occurrence.b,
      outcome: 'open',
      suggestion: 'Battlecard for Umbrella',
    });
    const westItem = backlogItem(((await west.json()) as { id: number }).id)!;
    expect(westItem.teamId).toBe(company.teams['Sales West']);
    const noReason = await hr.json('POST', '/api/v1/suggestions/move', { ids: [westItem.id], move: 'reject' });
    expect(noReason.status).toBe(400);
    expect((await hr.json('POST', '/api/v1/suggestions/move', { ids: [westItem.id, 999_999], move: 'accept' })).status).toBe(404);
    expect(t.db.select().from(suggestions).where(eq(suggestions.id, westItem.id)).get()).toEqual(westItem);
  });
});

describe('feedback of a department head with tens of thousands below', () => {
  it('lists the same reports whether the manager’s people are few (listed) or many (asked of the chain)', async () => {
    seedOpenSuggestions(t, 5);
    const mia = sessionAs(t, 'marketing.manager@example.com');
    const marketerId = company.people['marketer@example.com']!;
    // The reports a page lists: each one's ride-along and time, as the page shows them.
    const ideas = (html: string) => [...html.replace(/<[^>]+>/g, ' ').matchAll(/Many ideas call\s+(\d+ \w+ \d+, \d\d:\d\d)/g)].map((m) => m[1]).sort();
    const listed = async () => {
      const body = (await (await mia.get('/api/v1/feedback?pageSize=100')).json()) as { data: { suggestion: string }[]; total: number };
      return { total: body.total, ideas: body.data.map((f) => f.suggestion).sort() };
    };
    const few = { page: ideas(await (await mia.get(`/feedback?person=${marketerId}`)).text()), api: await listed() };
    expect(few.page).toHaveLength(5);
    expect(few.api.ideas).toEqual(expect.arrayContaining(['Idea 01', 'Idea 02', 'Idea 03', 'Idea 04', 'Idea 05']));
    const insert = t.db.$client.prepare(
      "INSERT INTO people (email, name, department, title, role, time_zone, hire_date, manager_id, updated_at) VALUES (?, ?, 'marketing', 'Specialist', 'employee', 'UTC', '2024-01-01', ?, 0)",
    );
    const miaId = company.people['marketing.manager@example.com']!;
    t.db.$client.transaction(() => {
      for (let i = 0; i < 2_100; i++) insert.run(`many${i}@example.com`, `Many ${i}`, miaId);
    })();
    expect(ideas(await (await mia.get(`/feedback?person=${marketerId}`)).text())).toEqual(few.page);
    expect(await listed()).toEqual(few.api);
    const sam = sessionAs(t, 'sales.manager@example.com');
    expect((await sam.get(`/feedback?person=${marketerId}`)).status).toBe(403);
    expect(((await (await sam.get('/api/v1/feedback?pageSize=100')).json()) as { data: { suggestion: string }[] }).data.map((f) => f.suggestion)).not.toContain(
      'Idea 01',
    );
  });
});
