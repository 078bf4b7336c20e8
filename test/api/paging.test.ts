/*
 * API lists are paged alike (page from 1, pageSize up to 500, 100 by default; answers carry page,
 * pageSize and total): rotations and enrollments, which used to answer every row at once, and the
 * scorecard (25 pairs a page, at most 100: each pair costs its signals over the trend quarters).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rotationPrograms, rotations } from '../../db/schema';
import { systemActor } from '../../src/audit/audit';
import { createProgram, enrollPeople } from '../../src/programs/index';
import { anonymous, createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

type Page = { data: { id: number }[]; page: number; pageSize: number; total: number };
const get = async (path: string) => {
  const res = await sessionAs(t, 'hr@example.com').get(path);
  return { status: res.status, body: (await res.json()) as Page & { error?: { code: string } } };
};

/** Walks every page of a list and returns the ids in order. */
async function allPages(path: string, pageSize: number): Promise<number[]> {
  const ids: number[] = [];
  for (let page = 1; page < 100; page++) {
    const { status, body } = await get(`${path}${path.includes('?') ? '&' : '?'}page=${page}&pageSize=${pageSize}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ page, pageSize });
    if (body.data.length === 0) break;
    ids.push(...body.data.map((r) => r.id));
  }
  return ids;
}

function seedRotations() {
  const program = t.db
    .insert(rotationPrograms)
    .values({ name: 'Marketing in the field', direction: 'marketing_to_sales', lengthWeeks: 4, coveragePercent: 50, learningGoals: '' })
    .returning()
    .get();
  const people = ['marketer@example.com', 'marketer2@example.com', 'demand@example.com', 'marketing.manager@example.com', 'rep@example.com'];
  people.forEach((email, i) =>
    t.db
      .insert(rotations)
      .values({
        programId: program.id,
        personId: company.people[email]!,
        hostTeamId: company.teams['Sales East']!,
        startDate: `2026-0${4 + i}-06`,
        endDate: `2026-0${4 + i}-27`,
      })
      .run(),
  );
}

describe('paged API lists', () => {
  it('pages rotations in list order, with the total, and refuses a page size over 500', async () => {
    seedRotations();
    const whole = await get('/api/v1/rotations');
    expect(whole.status).toBe(200);
    expect(whole.body).toMatchObject({ page: 1, pageSize: 100, total: 5 });
    const ids = whole.body.data.map((r) => r.id);
    expect(await allPages('/api/v1/rotations', 2)).toEqual(ids);
    const second = await get('/api/v1/rotations?page=2&pageSize=2');
    expect(second.body).toMatchObject({ page: 2, pageSize: 2, total: 5 });
    expect(second.body.data.map((r) => r.id)).toEqual(ids.slice(2, 4));
    // Past the end: no rows, the same total.
    expect((await get('/api/v1/rotations?page=9&pageSize=2')).body).toMatchObject({ data: [], total: 5 });
    // Filters count in the total.
    expect((await get('/api/v1/rotations?from=2026-06-01&pageSize=1')).body).toMatchObject({ total: 3 });
    for (const bad of ['pageSize=501', 'pageSize=0', 'page=0', 'page=abc']) {
      const res = await get(`/api/v1/rotations?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error?.code).toBe('invalid');
    }
  });

  it('counts rotations no further than 1,000 or the pages asked for, and says when there are more', async () => {
    seedRotations();
    const [first] = t.db.select().from(rotations).all();
    const copy = t.db.$client.prepare(
      'INSERT INTO rotations (program_id, person_id, host_team_id, start_date, end_date) SELECT program_id, person_id, host_team_id, start_date, end_date FROM rotations WHERE id = ?',
    );
    for (let i = 0; i < 1_200; i++) copy.run(first!.id);
    expect((await get('/api/v1/rotations?page=2&pageSize=10')).body).toMatchObject({ total: 1_000, totalExact: false });
    // A page past the count counts one page further: there are more while totalExact is false.
    expect((await get('/api/v1/rotations?page=110&pageSize=10')).body).toMatchObject({ total: 1_100, totalExact: false });
    expect((await get('/api/v1/rotations?page=121&pageSize=10')).body).toMatchObject({ total: 1_205, totalExact: true });
    expect((await get('/api/v1/rotations?page=1&pageSize=10&from=2026-08-01')).body).toMatchObject({ total: 1, totalExact: true });
  });

  it('pages enrollments in list order, with the total, and refuses a page size over 500', async () => {
    const program = createProgram(t.db, t.clock, systemActor, { name: 'Sales onboarding', kind: 'onboarding', description: '', dueSoonDays: 7 });
    enrollPeople(t.db, program.id, Object.values(company.people).slice(0, 7), systemActor, t.clock);
    const whole = await get(`/api/v1/enrollments?program=${program.id}`);
    expect(whole.status).toBe(200);
    expect(whole.body).toMatchObject({ page: 1, pageSize: 100, total: 7 });
    const ids = whole.body.data.map((r) => r.id);
    expect(ids).toHaveLength(7);
    expect(await allPages(`/api/v1/enrollments?program=${program.id}`, 3)).toEqual(ids);
    expect((await get(`/api/v1/enrollments?program=${program.id}&page=3&pageSize=3`)).body).toMatchObject({ page: 3, pageSize: 3, total: 7 });
    expect((await get(`/api/v1/enrollments?program=${program.id}&pageSize=501`)).status).toBe(400);
    // An employee sees only their own, counted alike.
    const mine = (await (await sessionAs(t, 'rep@example.com').get(`/api/v1/enrollments?program=${program.id}`)).json()) as Page;
    expect(mine.total).toBe(mine.data.length);
  });

  it('documents page and pageSize (at most 500) and the paged answer for both lists', async () => {
    const doc = (await (await anonymous(t.app).get('/api/v1/openapi.json')).json()) as {
      paths: Record<
        string,
        {
          get: {
            parameters: { name: string; schema: { maximum?: number } }[];
            responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }>;
          };
        }
      >;
    };
    for (const path of ['/api/v1/rotations', '/api/v1/enrollments']) {
      const op = doc.paths[path]!.get;
      expect(op.parameters.find((p) => p.name === 'pageSize')?.schema.maximum, path).toBe(500);
      expect(
        op.parameters.some((p) => p.name === 'page'),
        path,
      ).toBe(true);
      const schema = op.responses['200']!.content['application/json']!.schema;
      // Rotations count no further than 1,000 (or the pages asked for): totalExact says so.
      expect(Object.keys(schema.properties).sort(), path).toEqual(
        path === '/api/v1/rotations' ? ['data', 'page', 'pageSize', 'total', 'totalExact'] : ['data', 'page', 'pageSize', 'total'],
      );
    }
  });

  it('pages the scorecard by sales team name, 25 pairs by default and at most 100, with the total', async () => {
    for (let index = 0; index < 30; index++)
      t.db.$client.prepare(`INSERT INTO teams (name, department) VALUES (?, 'sales')`).run(`Sales ${String(index).padStart(2, '0')}`);
    type Scorecard = { data: { salesTeamName: string }[]; page: number; pageSize: number; total: number; thresholds: unknown };
    const names = async (path: string) => ((await (await sessionAs(t, 'hr@example.com').get(path)).json()) as Scorecard).data.map((r) => r.salesTeamName);
    const first = (await (await sessionAs(t, 'hr@example.com').get('/api/v1/scorecard')).json()) as Scorecard;
    expect(first).toMatchObject({ page: 1, pageSize: 25, total: 32 });
    expect(first.data).toHaveLength(25);
    expect(first.thresholds).toBeTruthy();
    const all = await names('/api/v1/scorecard?pageSize=100');
    expect(all).toHaveLength(32);
    expect(all).toEqual([...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect([...first.data.map((r) => r.salesTeamName), ...(await names('/api/v1/scorecard?page=2'))]).toEqual(all);
    expect(await names('/api/v1/scorecard?page=3&pageSize=10')).toEqual(all.slice(20, 30));
    // Past the end: no rows, the same total.
    expect(await get('/api/v1/scorecard?page=5&pageSize=10')).toMatchObject({ status: 200, body: { data: [], page: 5, pageSize: 10, total: 32 } });
    for (const bad of ['pageSize=101', 'pageSize=0', 'page=0', 'page=abc']) {
      const res = await get(`/api/v1/scorecard?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error?.code).toBe('invalid');
    }
    // Managers page alike; employees are refused.
    const managers = (await (await sessionAs(t, 'sales.manager@example.com').get('/api/v1/scorecard?pageSize=5')).json()) as Scorecard;
    expect(managers).toMatchObject({ page: 1, pageSize: 5, total: 32 });
    expect(managers.data.map((r) => r.salesTeamName)).toEqual(all.slice(0, 5));
    expect((await sessionAs(t, 'rep@example.com').get('/api/v1/scorecard')).status).toBe(403);
  });

  it('documents the scorecard paging (at most 100 a page) and its paged answer', async () => {
    const doc = (await (await anonymous(t.app).get('/api/v1/openapi.json')).json()) as {
      paths: Record<
        string,
        {
          get: {
            parameters: { name: string; schema: { maximum?: number; default?: number } }[];
            responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }>;
          };
        }
      >;
    };
    const op = doc.paths['/api/v1/scorecard']!.get;
    expect(op.parameters.find((p) => p.name === 'pageSize')?.schema).toMatchObject({ maximum: 100, default: 25 });
    expect(op.parameters.some((p) => p.name === 'page')).toBe(true);
    expect(Object.keys(op.responses['200']!.content['application/json']!.schema.properties).sort()).toEqual([
      'data',
      'page',
      'pageSize',
      'thresholds',
      'total',
    ]);
  });
});
