import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import type { Viewer } from '../../src/context';
import { listPeople, SEARCH_COUNTED, visiblePersonIds } from '../../src/people/people';
import { seededRandom } from '../../src/demo';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';

/**
 * The search indexes are keyed by a person's place in name order (the first six characters of the name, then the
 * id), and a page of many matches is read in that order. Names here mix what could break that: upper and lower
 * case, digits, punctuation, accents, other scripts, an emoji, and names that share their first six characters or
 * are shorter than six. The key must never put a later name first, and every page must be the oracle's.
 */
let t: TestContext;
let company: SeededCompany;
const alphabet = ['A', 'Z', 'a', 'z', ' ', '-', '.', '0', '9', 'é', 'É', 'ß', 'Ö', '中', '😀', '~', '_', 'Ann', 'Anna '];

beforeAll(async () => {
  t = createTestApp();
  company = await seedCompany(t.db);
  const random = seededRandom(7);
  const pick = (n: number) => Array.from({ length: Math.floor(random() * (n + 1)) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const insert = t.db.$client.prepare(
    "INSERT INTO people (email, name, department, title, team_id, manager_id, hire_date, time_zone, role) VALUES (?, ?, ?, '', NULL, ?, '2026-01-05', 'UTC', 'employee')",
  );
  const head = company.people['sales.manager@example.com']!;
  t.db.$client.transaction(() => {
    t.db.$client.prepare("UPDATE people SET department = 'marketing' WHERE department = 'other'").run();
    // Most hold "Vyk" somewhere, so that "vyk" and "yk" find more than SEARCH_COUNTED.
    // Three departments; everyone in "other" is below the head, so that theirs is read as everyone's.
    for (let i = 0; i < 2_600; i++) {
      const department = (['other', 'sales', 'marketing'] as const)[i % 3]!;
      insert.run(`p${i}@example.com`, `${pick(3)}${i % 9 ? 'Vyk' : ''}${pick(6)}`, department, department === 'other' || i % 5 ? head : null);
    }
  })();
});
afterAll(() => t.close());

function oracle(q: string, visible: number[] | null, department?: string) {
  const seen = visible && new Set(visible);
  const pattern = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const rows = t.db.$client
    .prepare(
      "SELECT id, department FROM people WHERE (name LIKE @p ESCAPE '\\' OR email LIKE @p ESCAPE '\\' OR title LIKE @p ESCAPE '\\') AND active = 1 ORDER BY name, id",
    )
    .all({ p: pattern }) as { id: number; department: string }[];
  return rows.filter((r) => (!seen || seen.has(r.id)) && (!department || r.department === department)).map((r) => r.id);
}

const viewerOf = (email: string): Viewer => ({ person: t.db.select().from(people).where(eq(people.id, company.people[email]!)).get()! });

describe('people search in name order from its index', () => {
  it('keys no name after a later one of the same department, in both indexes', () => {
    for (const index of ['people_search', 'people_short_search']) {
      const groups = t.db.$client
        .prepare(`SELECT k.rowid >> 25 AS g FROM ${index} k JOIN people p ON p.id = (k.rowid & 33554431) ORDER BY k.rowid >> 61, p.name, p.id`)
        .pluck()
        .all() as number[];
      expect(groups.length, index).toBe(t.db.$client.prepare('SELECT count(*) FROM people').pluck().get() as number);
      const backwards = groups.findIndex((g, i) => i > 0 && g < groups[i - 1]!);
      expect(backwards, index).toBe(-1);
      // Each key's department is the person's own (some moved department after they were added).
      const misplaced = t.db.$client
        .prepare(
          `SELECT count(*) FROM ${index} k JOIN people p ON p.id = (k.rowid & 33554431) WHERE k.rowid >> 61 <> CASE p.department WHEN 'sales' THEN 0 WHEN 'marketing' THEN 1 ELSE 2 END`,
        )
        .pluck()
        .get();
      expect(misplaced, index).toBe(0);
    }
  });

  it('pages many matches as the oracle does, for HR and for a department head', () => {
    for (const [label, viewer] of [
      ['HR', viewerOf('hr@example.com')],
      ['department head', viewerOf('sales.manager@example.com')],
    ] as const) {
      const visible = visiblePersonIds(t.db, viewer);
      for (const q of ['vyk', 'yk', 'a', 'ann', 'É', '中', '😀', 'z 9'])
        for (const department of [undefined, 'sales', 'marketing', 'other'] as const) {
          const all = oracle(q, visible, department);
          for (const page of [1, 2, 7, 40]) {
            const found = listPeople(t.db, { q, department, active: true, page, pageSize: 25 }, viewer);
            const what = `${label} "${q}" ${department ?? 'every department'} page ${page}`;
            expect(
              found.rows.map((r) => r.id),
              what,
            ).toEqual(all.slice((page - 1) * 25, page * 25));
            expect(found.total, what).toBe(Math.min(all.length, SEARCH_COUNTED));
          }
        }
      expect(oracle('vyk', visible).length).toBeGreaterThan(SEARCH_COUNTED);
      // More than a chain's few (listed from the chain, counted exactly): the head's pages come from the index too.
      if (visible) expect(visible.length).toBeGreaterThan(2_000);
    }
    // The head sees everyone in "other" (read without the chain), and part of sales and of marketing.
    const head = company.people['sales.manager@example.com']!;
    const below = (department: string) =>
      t.db.$client.prepare('SELECT people FROM reporting_department_counts WHERE ancestor_id = ? AND department = ?').pluck().get(head, department);
    const everyone = (department: string) => t.db.$client.prepare('SELECT count(*) FROM people WHERE department = ?').pluck().get(department);
    expect(below('other')).toBe(everyone('other'));
    for (const department of ['sales', 'marketing']) {
      expect(below(department)).toBeGreaterThan(0);
      expect(below(department)).toBeLessThan(everyone(department) as number);
    }
  });
});
