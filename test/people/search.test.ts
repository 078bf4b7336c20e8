import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people, teams } from '../../db/schema';
import type { Viewer } from '../../src/context';
import { createPerson, listPeople, SEARCH_COUNTED, updatePerson, visiblePersonIds } from '../../src/people/people';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

/**
 * The people search against a straightforward oracle: LIKE '%q%' on name, email and title asked of every person,
 * kept to whom the viewer may see (visiblePersonIds) and the filter, in name order, counted up to SEARCH_COUNTED.
 * The company has a large team whose names come early ("Bo Big …") and a cluster of matches late in name order
 * ("Zed Jo …"), so that searches go through every path: the index's few matches gathered, a walk of the name
 * index that fills the page, one that stops and gathers, and the counts from the index or from a filter's people.
 */
let t: TestContext;
let company: SeededCompany;
let bigTeam: number;
let lead: number;
const id = (email: string) => company.people[email]!;

beforeAll(async () => {
  t = createTestApp();
  company = await seedCompany(t.db);
  lead = createPerson(
    t.db,
    t.clock,
    { personId: id('hr@example.com') },
    {
      email: 'big.lead@example.com',
      name: 'Bea Biglead',
      department: 'sales',
      title: 'Team Lead',
      teamId: null,
      managerId: id('sales.manager@example.com'),
      hireDate: '2026-01-05',
      timeZone: 'UTC',
      role: 'manager',
    },
  ).id;
  bigTeam = t.db.insert(teams).values({ name: 'Sales Big', department: 'sales', managerId: lead }).returning().get().id;
  const insert = t.db.$client.prepare(
    "INSERT INTO people (email, name, department, title, team_id, manager_id, hire_date, time_zone, role, active) VALUES (?, ?, ?, ?, ?, NULL, '2026-01-05', 'UTC', 'employee', ?)",
  );
  t.db.$client.transaction(() => {
    for (let i = 0; i < 2_100; i++)
      insert.run(`big${i}@example.com`, `Bo Big ${i}`, 'sales', i % 3 ? 'Account Executive' : 'Solutions Engineer', bigTeam, i % 11 ? 1 : 0);
    // Late in name order, and in marketing though in the sales team: a department filter is not a team's.
    for (let i = 0; i < 1_300; i++)
      insert.run(`zed${i}@example.com`, `Zed Jo ${i}`, i % 2 ? 'sales' : 'marketing', 'Field Marketing Manager', bigTeam, i % 13 ? 1 : 0);
  })();
});
afterAll(() => t.close());

type Row = { id: number; active: number; department: string; teamId: number | null };

function oracle(q: string, visible: number[] | null, filter: { department?: string; teamId?: number; active?: boolean }) {
  const pattern = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const seen = visible && new Set(visible);
  const matching = t.db.$client
    .prepare(
      "SELECT id, active, department, team_id AS teamId FROM people WHERE name LIKE @p ESCAPE '\\' OR email LIKE @p ESCAPE '\\' OR title LIKE @p ESCAPE '\\' ORDER BY name, id",
    )
    .all({ p: pattern }) as Row[];
  return matching
    .filter(
      (r) =>
        (!seen || seen.has(r.id)) &&
        (filter.department === undefined || r.department === filter.department) &&
        (filter.teamId === undefined || r.teamId === filter.teamId) &&
        (filter.active === undefined || Boolean(r.active) === filter.active),
    )
    .map((r) => r.id);
}

const viewerOf = (personId: number): Viewer => ({ person: t.db.select().from(people).where(eq(people.id, personId)).get()! });

describe('people search against an oracle', () => {
  // '' is no search: the list itself, its totals kept per manager (and per department) where it has them.
  const words = [
    '',
    'a',
    'b',
    'j',
    'q',
    'Z',
    '%',
    '_',
    'jo',
    'JO',
    'oo',
    'bi',
    'o"',
    'g 1',
    'big',
    'big 1',
    'zed jo',
    'jo 1',
    'example',
    'account exec',
    'ZZZ',
  ];

  it('finds the oracle’s page and count for every viewer, filter and page', () => {
    const viewers: [string, Viewer | null][] = [
      ['everyone', null],
      ['HR', viewerOf(id('hr@example.com'))],
      ['department head', viewerOf(id('sales.manager@example.com'))],
      ['team lead', viewerOf(lead)],
      ['team manager', viewerOf(id('west.manager@example.com'))],
      ['marketing manager', viewerOf(id('marketing.manager@example.com'))],
    ];
    const filters = [
      {},
      { active: true },
      { active: false },
      { department: 'sales' as const, active: true },
      { department: 'marketing' as const },
      { teamId: bigTeam, active: true },
      { teamId: bigTeam, active: false },
      { teamId: company.teams['Sales East']! },
    ];
    let checked = 0;
    for (const [label, viewer] of viewers) {
      const visible = viewer ? visiblePersonIds(t.db, viewer) : null;
      // A manager with few below (FEW_BELOW) is listed from the chain, counted exactly past the cap.
      const exact = visible !== null && viewer?.person.role === 'manager' && visible.length <= 2_000;
      for (const q of words)
        for (const filter of filters) {
          const all = oracle(q, visible, filter);
          const pageSize = 25;
          const last = Math.max(1, Math.ceil(Math.min(all.length, 2 * SEARCH_COUNTED) / pageSize));
          for (const page of new Set([1, last, 41])) {
            const found = listPeople(t.db, { q, ...filter, page, pageSize }, viewer);
            const what = `${label} "${q}" ${JSON.stringify(filter)} page ${page}`;
            expect(
              found.rows.map((r) => r.id),
              what,
            ).toEqual(all.slice((page - 1) * pageSize, page * pageSize));
            // A search is counted no further than SEARCH_COUNTED; the list without one is counted exactly.
            expect([found.total, found.more], what).toEqual(all.length > SEARCH_COUNTED && !exact && q ? [SEARCH_COUNTED, true] : [all.length, false]);
            checked++;
          }
        }
    }
    expect(checked).toBeGreaterThan(1_500);
  });

  it('keeps the one- and two-character index in step with every kind of write', () => {
    const agree = (qs: string[]) => {
      for (const q of qs)
        expect(
          listPeople(t.db, { q, page: 1, pageSize: 5_000 }).rows.map((r) => r.id),
          q,
        ).toEqual(oracle(q, null, {}).slice(0, 5_000));
    };
    const short = ['x', 'k', 'xk', 'kk', 'é', 'Q', 'qu'];
    agree(short);
    const hr = { personId: id('hr@example.com') };
    const added = createPerson(t.db, t.clock, hr, {
      email: 'kix@example.com',
      name: 'Kix Quokka',
      department: 'sales',
      title: 'XK',
      teamId: null,
      managerId: id('sales.manager@example.com'),
      hireDate: '2026-01-05',
      timeZone: 'UTC',
      role: 'employee',
    });
    agree(short);
    expect(listPeople(t.db, { q: 'xk', page: 1, pageSize: 5 }).rows.map((r) => r.id)).toEqual([added.id]);
    updatePerson(t.db, t.clock, hr, added.id, { name: 'Kim Quill', title: '' });
    agree(short);
    expect(listPeople(t.db, { q: 'xk', page: 1, pageSize: 5 }).rows).toEqual([]);
    t.db.delete(people).where(eq(people.id, added.id)).run();
    agree(short);
    expect(listPeople(t.db, { q: 'qu', page: 1, pageSize: 5 }).total).toBe(oracle('qu', null, {}).length);
  });

  it('over HTTP and the API: a short search says 1000+ past the cap and pages on in name order', async () => {
    const page = await (await sessionAs(t, 'hr@example.com').get('/people?q=o&page=2', { 'HX-Request': 'true' })).text();
    expect(page).toContain(`${SEARCH_COUNTED}+ in all`);
    const api = (await (await sessionAs(t, 'hr@example.com').get('/api/v1/people?q=o&page=41&pageSize=25')).json()) as {
      total: number;
      totalExact: boolean;
      data: { id: number }[];
    };
    expect([api.total, api.totalExact]).toEqual([SEARCH_COUNTED, false]);
    expect(api.data.map((r) => r.id)).toEqual(oracle('o', null, { active: true }).slice(1_000, 1_025));
    const few = (await (await sessionAs(t, 'sales.manager@example.com').get('/api/v1/people?q=zq')).json()) as { total: number; totalExact: boolean };
    expect([few.total, few.totalExact]).toEqual([0, true]);
  });
});
