/*
 * The timeline stays usable and small for hundreds of people (issue 13): people come 50 a page
 * (the same partial for htmx paging), host teams group everyone, and the page stays under 150 KB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    name: 'Marketing in the field', direction: 'marketing_to_sales', lengthWeeks: 4, coveragePercent: 50, learningGoals: 'Hear customers first hand.',
    hostTeams: [
      { teamId: company.teams['Sales East'], capacity: 50 },
      { teamId: company.teams['Sales West'], capacity: 50 },
    ],
    checklist: [],
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const programId = ((await res.json()) as { id: number }).id;
  const db = t.db.$client;
  const addPerson = db.prepare("INSERT INTO people (email, name, department, title, team_id, manager_id, hire_date, time_zone, role, updated_at) VALUES (?, ?, 'marketing', 'Marketer', ?, NULL, '2020-01-06', 'UTC', 'employee', 0)");
  const addRotation = db.prepare("INSERT INTO rotations (program_id, person_id, host_team_id, mentor_id, start_date, end_date, status, plan_id, created_by_id, updated_at) VALUES (?, ?, ?, NULL, ?, ?, 'planned', 'scale', ?, 0)");
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
