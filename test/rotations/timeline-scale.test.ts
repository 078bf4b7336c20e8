/*
 * The timeline stays usable and small for hundreds of people (issue 13): people come 50 a page
 * (the same partial for htmx paging), host teams group everyone, and the page stays under 150 KB; a company
 * of thousands is counted up to a bound and a page never leaves a rotation out without saying so (issue 14).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import { getRotationProgram, ruleProgramOf } from '../../src/rotations/programs';
import { listRotations, pageOfHostTeams, pageOfPeople } from '../../src/rotations/reads';
import { fewVisiblePersonIds, visiblePersonClause } from '../../src/people/people';
import { loadTimeline, timelineQuerySchema, weeklyHostedPeaks, type TimelineData } from '../../src/rotations/timeline';
import { TimelineResults } from '../../views/rotations/timeline';
import { loadRuleContext } from '../../src/rotations/rule-context';
import { createRuleChecker } from '../../src/rotations/rules';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

const PEOPLE = 400;
const LIMIT = 150 * 1024;

let t: TestContext;
let company: SeededCompany;
beforeAll(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
  const hr = sessionAs(t, 'hr@example.com');
  const res = await hr.json('POST', '/api/v1/rotation-programs', {
    name: 'Marketing in the field',
    direction: 'marketing_to_sales',
    lengthWeeks: 4,
    coveragePercent: 50,
    learningGoals: 'Hear customers first hand.',
    hostTeams: [
      { teamId: company.teams['Sales East'], capacity: 50 },
      { teamId: company.teams['Sales West'], capacity: 50 },
    ],
    checklist: [],
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const programId = ((await res.json()) as { id: number }).id;
  const db = t.db.$client;
  const addPerson = db.prepare(
    "INSERT INTO people (email, name, department, title, team_id, manager_id, hire_date, time_zone, role, updated_at) VALUES (?, ?, 'marketing', 'Marketer', ?, NULL, '2020-01-06', 'UTC', 'employee', 0)",
  );
  const addRotation = db.prepare(
    "INSERT INTO rotations (program_id, person_id, host_team_id, mentor_id, start_date, end_date, status, plan_id, created_by_id, updated_at) VALUES (?, ?, ?, NULL, ?, ?, 'planned', 'scale', ?, 0)",
  );
  db.transaction(() => {
    for (let i = 0; i < PEOPLE; i++) {
      const team = i % 2 ? company.teams['Product Marketing'] : company.teams['Demand Generation'];
      const person = Number(addPerson.run(`scale${i}@example.com`, `Scale Person ${String(i).padStart(3, '0')}`, team).lastInsertRowid);
      // Staggered over the half year: every week has guests.
      const start = new Date(Date.UTC(2026, 2, 9 + 7 * (i % 20))).toISOString().slice(0, 10);
      const end = new Date(Date.UTC(2026, 2, 9 + 7 * (i % 20) + 27)).toISOString().slice(0, 10);
      addRotation.run(programId, person, i % 3 ? company.teams['Sales East'] : company.teams['Sales West'], start, end, company.people['hr@example.com']);
    }
  })();
});
afterAll(() => t?.close());

const bytes = async (res: Response) => new TextEncoder().encode(await res.text()).length;

describe('the timeline with hundreds of people', () => {
  it('shows 50 people a page with a pager, and the page stays under 150 KB', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const res = await hr.get('/rotations/timeline?from=2026-03-02&weeks=26');
    expect(res.status).toBe(200);
    const html = await res.text();
    const size = new TextEncoder().encode(html).length;
    console.log(`timeline, ${PEOPLE} people, 26 weeks, page 1: ${size} bytes`);
    expect(size).toBeLessThan(LIMIT);
    expect(html.match(/<th scope="row" role="rowheader"/g)?.length).toBe(50 + 2); // 50 people and a capacity row per host team
    expect(html).toContain('Scale Person 000');
    expect(html).not.toContain('Scale Person 399');
    expect(html).toMatch(/href="\/rotations\/timeline\?[^"]*page=2/);

    // The last page, whole page and htmx partial alike.
    const last = await hr.get(`/rotations/timeline?from=2026-03-02&weeks=26&page=${Math.ceil(PEOPLE / 50)}`);
    expect(await last.text()).toContain('Scale Person 399');
    const partial = await hr.get('/rotations/timeline?from=2026-03-02&weeks=26&page=2', { 'hx-request': 'true' });
    const partialHtml = await partial.text();
    expect(partialHtml.startsWith('<div id="timeline-results"')).toBe(true);
    expect(partialHtml).toContain('Scale Person 050');
  });

  it('by host team, everyone of hundreds fits in one page under 150 KB, a year wide', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const res = await hr.get('/rotations/timeline?from=2026-03-02&weeks=52&group=teams');
    expect(res.status).toBe(200);
    const size = await bytes(res);
    console.log(`timeline, ${PEOPLE} people, 52 weeks, by host team: ${size} bytes`);
    expect(size).toBeLessThan(LIMIT);
  });

  it('lays every cell on the week grid: each lane spans exactly the weeks shown', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const html = await (await hr.get('/rotations/timeline?from=2026-03-02&weeks=26')).text();
    const table = html.slice(html.indexOf('<table class="gantt'), html.indexOf('</table>'));
    expect((table.match(/<th scope="col" role="columnheader" class="week/g) ?? []).length).toBe(26);
    for (const row of table.split('<tr').slice(2)) {
      const spans = (row.match(/<td[^>]*>/g) ?? []).reduce((n, td) => n + Number(/colspan="(\d+)"/.exec(td)?.[1] ?? 1), 0);
      expect(spans).toBe(26);
    }
  });
});

describe('the capacity rows of a timeline page', () => {
  it("count each host team's guests on the busiest day of every week, as a recount of its rotations does", () => {
    // From a Monday after the first rotations began: some spans are cut at the window's start, some run past its end.
    const from = '2026-04-06';
    const weeks = 12;
    const data = loadTimeline(t.db, timelineQuerySchema.parse({ from, weeks: String(weeks) }), '2026-03-02', null);
    const spans = t.db.$client
      .prepare("SELECT host_team_id AS hostTeamId, start_date AS start, end_date AS end FROM rotations WHERE status <> 'cancelled'")
      .all() as {
      hostTeamId: number;
      start: string;
      end: string;
    }[];
    expect(data.capacity.map((c) => c.label)).toEqual(['Sales East · Marketing in the field', 'Sales West · Marketing in the field']);
    for (const row of data.capacity) {
      const hostTeamId = company.teams[row.label.split(' · ')[0]];
      const recount = weeklyHostedPeaks(
        spans.filter((s) => s.hostTeamId === hostTeamId),
        from,
        weeks,
      );
      expect(row.perWeek).toEqual(recount);
      expect(Math.max(...recount)).toBeGreaterThan(1);
    }
  });
});

describe('the timeline of a company with many host teams', () => {
  const TEAMS = 45;
  let many: TestContext;
  beforeAll(async () => {
    many = createTestApp({ now: '2026-03-02T12:00:00Z' });
    const seeded = await seedCompany(many.db);
    const db = many.db.$client;
    const addTeam = db.prepare("INSERT INTO teams (name, department, manager_id) VALUES (?, 'sales', NULL)");
    const teamIds = db.transaction(() =>
      Array.from({ length: TEAMS }, (_, i) => Number(addTeam.run(`Field Team ${String(i).padStart(2, '0')}`).lastInsertRowid)),
    )();
    const hr = sessionAs(many, 'hr@example.com');
    const res = await hr.json('POST', '/api/v1/rotation-programs', {
      name: 'Marketing in the field',
      direction: 'marketing_to_sales',
      lengthWeeks: 4,
      coveragePercent: 50,
      learningGoals: 'Hear customers first hand.',
      hostTeams: teamIds.map((teamId) => ({ teamId, capacity: 3 })),
      checklist: [],
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const programId = ((await res.json()) as { id: number }).id;
    const addPerson = db.prepare(
      "INSERT INTO people (email, name, department, title, team_id, manager_id, hire_date, time_zone, role, updated_at) VALUES (?, ?, 'marketing', 'Marketer', ?, NULL, '2020-01-06', 'UTC', 'employee', 0)",
    );
    const addRotation = db.prepare(
      "INSERT INTO rotations (program_id, person_id, host_team_id, mentor_id, start_date, end_date, status, plan_id, created_by_id, updated_at) VALUES (?, ?, ?, NULL, '2026-03-09', '2026-04-05', 'planned', 'teams', ?, 0)",
    );
    db.transaction(() => {
      teamIds.forEach((teamId, i) => {
        const person = Number(
          addPerson.run(`guest${i}@example.com`, `Guest Person ${String(i).padStart(2, '0')}`, seeded.teams['Product Marketing']).lastInsertRowid,
        );
        addRotation.run(programId, person, teamId, seeded.people['hr@example.com']);
      });
    })();
  });
  afterAll(() => many?.close());

  it('pages host teams 20 at a time, with capacity rows only for the teams shown', async () => {
    const hr = sessionAs(many, 'hr@example.com');
    const html = await (await hr.get('/rotations/timeline?from=2026-03-02&weeks=26&group=teams')).text();
    expect(html).toContain(`${TEAMS} host teams`);
    const rowHeaders = (page: string) => [...page.matchAll(/role="rowheader"[^>]*>(Field Team \d+)/g)].map((m) => m[1]);
    expect(rowHeaders(html)).toEqual(Array.from({ length: 20 }, (_, i) => `Field Team ${String(i).padStart(2, '0')}`));
    expect(html.match(/class="capacity-row"/g)?.length).toBe(20);
    expect(html).toMatch(/href="\/rotations\/timeline\?[^"]*page=2/);
    const last = await (await hr.get('/rotations/timeline?from=2026-03-02&weeks=26&group=teams&page=3')).text();
    expect(rowHeaders(last)).toEqual(Array.from({ length: TEAMS - 40 }, (_, i) => `Field Team ${40 + i}`));
    expect(last.match(/class="capacity-row"/g)?.length).toBe(TEAMS - 40);
  });

  it('shows in the person view only the capacity of the host teams on that page', async () => {
    const hr = sessionAs(many, 'hr@example.com');
    const html = await (await hr.get('/rotations/timeline?from=2026-03-02&weeks=26')).text();
    // 45 guests fit on one page of 50, each in another host team: one capacity row each, none for teams without a guest shown.
    expect(html.match(/class="capacity-row"/g)?.length).toBe(TEAMS);
    const lateWeeks = await (await hr.get('/rotations/timeline?from=2026-06-01&weeks=26')).text();
    expect(lateWeeks.match(/class="capacity-row"/g) ?? []).toHaveLength(0);
  });

  it('filters by a team typed by name once the company has too many teams to list', async () => {
    const hr = sessionAs(many, 'hr@example.com');
    const listed = await (await hr.get('/rotations/timeline?from=2026-03-02&weeks=26&group=teams')).text();
    expect(listed).toMatch(/<select[^>]*name="team"/);
    const addTeam = many.db.$client.prepare("INSERT INTO teams (name, department, manager_id) VALUES (?, 'marketing', NULL)");
    many.db.$client.transaction(() => {
      for (let i = 0; i < 60; i++) addTeam.run(`Spare Team ${String(i).padStart(2, '0')}`);
    })();
    const typed = await hr.get('/rotations/timeline?from=2026-03-02&weeks=26&group=teams&teamName=field%20team%2007');
    expect(typed.status).toBe(200);
    const html = await typed.text();
    expect(html).not.toMatch(/<select[^>]*name="team"/);
    expect(html).toContain('name="teamName"');
    expect(html).toContain('value="Field Team 07"');
    expect([...html.matchAll(/role="rowheader"[^>]*>(Field Team \d+)/g)].map((m) => m[1])).toEqual(['Field Team 07']);
    const unknown = await hr.get('/rotations/timeline?from=2026-03-02&weeks=26&group=teams&teamName=Nowhere');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('No team is called “Nowhere”.');
  });
});

describe('checking a page of rotations', () => {
  it('reads only the rotations their rules look at, and finds the same broken rules, in the same words, as a check against the whole company', () => {
    const from = '2026-03-02';
    const to = '2026-08-30';
    const rows = t.db.$client
      .prepare(
        'SELECT id, person_id AS personId, program_id AS programId, host_team_id AS hostTeamId, mentor_id AS mentorId, start_date AS start, end_date AS end FROM rotations ORDER BY id',
      )
      .all() as { id: number; personId: number; programId: number; hostTeamId: number; mentorId: number | null; start: string; end: string }[];
    const program = getRotationProgram(t.db, rows[0].programId);
    const whole = createRuleChecker(loadRuleContext(t.db, from, to, program.coveragePercent / 100, { personIds: [] }));
    let broken = 0;
    for (let first = 0; first < rows.length; first += 50) {
      const page = rows.slice(first, first + 50);
      const people = [...new Set(page.map((r) => r.personId))];
      const checker = createRuleChecker(
        loadRuleContext(t.db, from, to, program.coveragePercent / 100, {
          personIds: people,
          onlyFor: { personIds: people, hostTeamIds: [...new Set(page.map((r) => r.hostTeamId))] },
        }),
      );
      for (const r of page) {
        const expected = whole.check(r, ruleProgramOf(program));
        broken += expected.length;
        expect(checker.check(r, ruleProgramOf(program)), `rotation ${r.id}`).toEqual(expected);
      }
    }
    expect(broken).toBeGreaterThan(0); // the company breaks some rules (host capacity), so the comparison means something
  });
});

describe('the timeline of a manager of a whole department', () => {
  it('shows the rotations of everyone below them, however deep, and nobody else, asked row by row rather than as a list of thousands', async () => {
    const db = t.db.$client;
    const addPerson = db.prepare(
      "INSERT INTO people (email, name, department, title, team_id, manager_id, hire_date, time_zone, role, updated_at) VALUES (?, ?, 'marketing', ?, NULL, ?, '2020-01-06', 'UTC', ?, 0)",
    );
    db.transaction(() => {
      const vp = Number(addPerson.run('vp.wide@example.com', 'Wide VP', 'VP', null, 'manager').lastInsertRowid);
      const middle = Number(addPerson.run('middle.wide@example.com', 'Middle Manager', 'Manager', vp, 'manager').lastInsertRowid);
      // More below the VP than a page lists as ids: visibility becomes a walk up the chart from each row.
      for (let i = 0; i < 2_100; i++) addPerson.run(`filler${i}@example.com`, `Filler ${i}`, 'Marketer', vp, 'employee');
      // Every other scale person reports to the middle manager: two steps below the VP.
      db.prepare("UPDATE people SET manager_id = ? WHERE email LIKE 'scale%@example.com' AND CAST(substr(email, 6) AS INTEGER) % 2 = 0").run(middle);
    })();
    const vp = sessionAs(t, 'vp.wide@example.com');
    const shown: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const html = await (await vp.get(`/rotations/timeline?from=2026-03-02&weeks=26&page=${page}`)).text();
      shown.push(...[...html.matchAll(/Scale Person (\d{3})/g)].map((match) => match[1]));
    }
    const numbers = [...new Set(shown)].map(Number);
    expect(numbers).toHaveLength(PEOPLE / 2);
    expect(numbers.every((n) => n % 2 === 0)).toBe(true);
    // Walking people in name order (how a page of thousands is found) lists the same pages as sorting everyone in view.
    const viewer = { person: t.db.select().from(people).where(eq(people.email, 'vp.wide@example.com')).get()! };
    for (const visible of [null, visiblePersonClause(t.db, viewer, ['r.person_id', 'r.mentor_id'])]) {
      const filter = { from: '2026-03-02', to: '2026-08-30', visible };
      for (let page = 1; page <= 9; page++) expect(pageOfPeople(t.db, filter, page, 50, 0)).toEqual(pageOfPeople(t.db, filter, page, 50, Infinity));
      expect(pageOfPeople(t.db, filter, 1, 50, 0).total).toBe(visible ? PEOPLE / 2 : PEOPLE);
    }
    // The rotations API answers the same.
    const api = (await (await vp.get('/api/v1/rotations?pageSize=100')).json()) as { data: { personName: string }[]; total?: number };
    expect(api.data.length).toBeGreaterThan(0);
    expect(api.data.every((r) => Number(r.personName.slice(-3)) % 2 === 0)).toBe(true);
  });
});

describe('a timeline page of a large company', () => {
  const window = { from: '2026-03-02', to: '2026-08-30' };
  const query = (extra: Record<string, string> = {}) => timelineQuerySchema.parse({ from: '2026-03-02', weeks: '26', ...extra });

  it('counts people up to a bound, then says there are more and offers the next page while there are', () => {
    const filter = { ...window, visible: null };
    expect(pageOfPeople(t.db, filter, 1, 50, 500, 100)).toMatchObject({ total: 100, more: true });
    expect(pageOfPeople(t.db, filter, 3, 50, 500, 100)).toMatchObject({ total: 150, more: true });
    const last = pageOfPeople(t.db, filter, 8, 50, 500, 100);
    expect(last).toMatchObject({ total: PEOPLE, more: false });
    expect(last.ids).toHaveLength(50);
    // The bounded count's pages list the same people as the exact count's.
    for (let page = 1; page <= 8; page++) expect(pageOfPeople(t.db, filter, page, 50, 500, 100).ids).toEqual(pageOfPeople(t.db, filter, page, 50).ids);

    const data = { ...loadTimeline(t.db, query(), '2026-03-02', null), total: 100, more: true };
    const html = String(TimelineResults({ data, from: '2026-03-02', weeks: 26, pageHref: (page) => `/rotations/timeline?page=${page}` }));
    expect(html).toContain('100+ people');
    expect(html).toContain('100+ in all');
    expect(html).toContain('href="/rotations/timeline?page=2"');
  });

  it('draws every rotation of a page, or says how many it draws and how to see the rest', async () => {
    const all = loadTimeline(t.db, query(), '2026-03-02', null);
    const drawn = (data: TimelineData) => data.rows.flatMap((r) => r.lanes.flat()).length;
    expect(all.rotationsLeftOut).toBeNull();
    expect(drawn(all)).toBe(50); // one rotation each of the page's 50 people
    const cut = loadTimeline(t.db, query(), '2026-03-02', null, undefined, 20);
    expect(cut.rotationsLeftOut).toBe(20);
    expect(drawn(cut)).toBe(20);
    const html = String(TimelineResults({ data: cut, from: '2026-03-02', weeks: 26, pageHref: (page) => `?page=${page}` }));
    expect(html).toContain('This page draws the first 20 of its rotations by start date and leaves the rest out');
    // By host team, a page of teams holds hundreds of guests: all are read (the capacity and "more guests" count them).
    const teams = loadTimeline(t.db, query({ group: 'teams' }), '2026-03-02', null);
    expect(teams.rotationsLeftOut).toBeNull();
    expect(teams.rows.reduce((n, r) => n + r.lanes.flat().length, 0) + teams.rows.reduce((n, r) => n + (r.morePeople ?? 0), 0)).toBe(PEOPLE);
    expect(loadTimeline(t.db, query({ group: 'teams' }), '2026-03-02', null, undefined, 100).rotationsLeftOut).toBe(100);
    const hr = sessionAs(t, 'hr@example.com');
    expect(await (await hr.get('/rotations/timeline?from=2026-03-02&weeks=26')).text()).not.toContain('leaves the rest out');
  });

  it('finds a manager’s few people from them and shows what the rule for everyone below shows', () => {
    const manager = t.db.select().from(people).where(eq(people.email, 'marketing.manager@example.com')).get();
    expect(manager).toBeDefined();
    const viewer = { person: manager! };
    const few = fewVisiblePersonIds(t.db, viewer, 500);
    expect(few).toBeDefined();
    expect(fewVisiblePersonIds(t.db, viewer, 1)).toBeUndefined();
    expect(fewVisiblePersonIds(t.db, { person: { ...manager!, role: 'hr' } }, 500)).toBeUndefined();
    const clause = visiblePersonClause(t.db, viewer, ['r.person_id', 'r.mentor_id']);
    for (const group of ['people', 'teams']) {
      expect(loadTimeline(t.db, query({ group }), '2026-03-02', clause, few)).toEqual(loadTimeline(t.db, query({ group }), '2026-03-02', clause));
    }
    // A few people's page is found with its rotations in one statement: every page of two, and one past the last, lists
    // the people, count and rotations that the rule for everyone below finds.
    const byClause = { ...window, visible: clause };
    const byIds = { ...window, visibleIds: few };
    const pages = Math.ceil(pageOfPeople(t.db, byClause, 1, 2).total / 2);
    expect(pages).toBeGreaterThan(1);
    for (let page = 1; page <= pages + 1; page++) {
      const found = pageOfPeople(t.db, byIds, page, 2);
      const expected = pageOfPeople(t.db, byClause, page, 2);
      expect({ ...found, rotationIds: undefined }).toEqual(expected);
      expect(found.rotationIds ?? []).toHaveLength(page > pages ? 0 : listRotations(t.db, { ...byClause, personIds: expected.ids }, 1000).length);
      const teams = pageOfHostTeams(t.db, byIds, page, 1);
      expect({ ...teams, rotationIds: undefined }).toEqual(pageOfHostTeams(t.db, byClause, page, 1, Infinity));
    }
    // Host teams: grouping the teams of the rotations in view and walking the teams in name order give the same pages.
    for (const visible of [null, clause]) {
      const filter = { ...window, visible };
      expect(pageOfHostTeams(t.db, filter, 1, 1, 0)).toEqual(pageOfHostTeams(t.db, filter, 1, 1, Infinity));
      expect(pageOfHostTeams(t.db, filter, 2, 1, 0)).toEqual(pageOfHostTeams(t.db, filter, 2, 1, Infinity));
    }
  });
});
