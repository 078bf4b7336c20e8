// The overview's counts come from rotation_status_counts (kept per program and stored status by triggers), moved
// for the rows whose stored status the calendar has passed; the away total for everyone from those counts and a
// range of start dates. After every kind of write, and on days before and after the stored statuses, they must
// equal a count of every row by its dates.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rotations, type RotationStatusName } from '../../db/schema';
import { statusOn, syncRotationStatuses } from '../../src/rotations/lifecycle';
import { listRotationPrograms } from '../../src/rotations/programs';
import { awayPeople, rotationCounts, type AwayScope } from '../../src/rotations/reads';
import { addDaysToLocalDate } from '../../src/lib/time';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

type Row = { id: number; programId: number; startDate: string; endDate: string; status: RotationStatusName };
const allRows = () => t.db.select().from(rotations).all() as Row[];

function countedByDates(day: string) {
  const counts = { planned: 0, active: 0, completed: 0, cancelled: 0 };
  for (const row of allRows()) counts[statusOn(day, row)]++;
  return counts;
}

const overlapping = (from: string, to: string) => allRows().filter((r) => r.status !== 'cancelled' && r.startDate <= to && r.endDate >= from).length;

/** The rotations overlapping a window in list order, read from every row (no bound on how long ago they started). */
const overlappingInOrder = (from: string, to: string, scope: AwayScope) =>
  t.db.$client
    .prepare(
      `SELECT r.id FROM rotations r JOIN people p ON p.id = r.person_id
        WHERE r.status <> 'cancelled' AND r.start_date <= @to AND r.end_date >= @from
          AND (@below IS NULL OR r.person_id IN (SELECT descendant_id FROM reporting_chain WHERE ancestor_id = @below))
          AND (@few IS NULL OR r.person_id IN (SELECT value FROM json_each(@few)))
        ORDER BY r.start_date, p.name, r.id`,
    )
    .all({ from, to, below: scope?.belowId ?? null, few: scope?.few ? JSON.stringify(scope.few) : null })
    .map((row) => (row as { id: number }).id);

function expectKeptEqualsRows() {
  for (const day of ['2025-12-01', '2026-02-27', '2026-03-02', '2026-03-09', '2026-04-15', '2026-09-30']) {
    expect(rotationCounts(t.db, day), day).toEqual(countedByDates(day));
    const to = addDaysToLocalDate(day, 56);
    // A second page of one row: the total is counted, not read off a short first page.
    expect(awayPeople(t.db, day, to, null, { page: 2, pageSize: 1 }).total, `away ${day}`).toBe(overlapping(day, to));
    // Who is away is looked for among the rotations started within the longest span kept before the window: the same
    // rotations, in the same order, as reading every row.
    const manager = company.people['sales.manager@example.com']!;
    const scopes: AwayScope[] = [null, { belowId: manager, few: undefined }, { belowId: manager, few: [manager, company.people['rep@example.com']!] }];
    for (const scope of scopes) {
      expect(
        awayPeople(t.db, day, to, scope, { page: 1, pageSize: 500 }).rows.map((row) => row.rotationId),
        `away ${day}, ${scope ? 'manager' : 'HR'}`,
      ).toEqual(overlappingInOrder(day, to, scope));
    }
  }
  const { days } = t.db.$client.prepare('SELECT days FROM rotation_longest_span WHERE id = 1').get() as { days: number };
  const longest = t.db.$client.prepare('SELECT max(julianday(end_date) - julianday(start_date)) AS n FROM rotations').get() as { n: number | null };
  expect(days).toBeGreaterThanOrEqual(longest.n ?? 0);
  for (const program of listRotationPrograms(t.db))
    expect(program.rotationCount, program.name).toBe(allRows().filter((r) => r.programId === program.id && r.status !== 'cancelled').length);
}

describe('rotation counts kept per program and stored status', () => {
  it('equal a count of every row by its dates after inserts, status moves, date moves, program moves and deletes', () => {
    const programs = [1, 2].map(
      (n) =>
        t.db.get<{ id: number }>(sql`INSERT INTO rotation_programs (name, direction, length_weeks, coverage_percent, active)
          VALUES (${`Program ${n}`}, 'marketing_to_sales', 4, 25, 1) RETURNING id`)!.id,
    );
    const personIds = Object.values(company.people);
    const hostTeam = Object.values(company.teams)[0];
    // A small deterministic generator: the same rows every run.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const statuses: RotationStatusName[] = ['planned', 'active', 'completed', 'cancelled'];
    const insert = () => {
      const start = addDaysToLocalDate('2025-11-01', next(400));
      // Stored statuses are chosen at random: many disagree with the dates, as before the status job runs.
      t.db.run(sql`INSERT INTO rotations (program_id, person_id, host_team_id, start_date, end_date, status)
        VALUES (${programs[next(2)]}, ${personIds[next(personIds.length)]}, ${hostTeam}, ${start}, ${addDaysToLocalDate(start, next(8) === 0 ? 120 + next(246) : next(60))}, ${statuses[next(4)]})`);
    };
    for (let i = 0; i < 60; i++) insert();
    expectKeptEqualsRows();

    const someId = () => allRows()[next(allRows().length)].id;
    for (let round = 0; round < 8; round++) {
      t.db.run(sql`UPDATE rotations SET status = ${statuses[next(4)]} WHERE id = ${someId()}`);
      const start = addDaysToLocalDate('2026-01-01', next(200));
      t.db.run(sql`UPDATE rotations SET start_date = ${start}, end_date = ${addDaysToLocalDate(start, round === 5 ? 366 : 27)} WHERE id = ${someId()}`);
      t.db.run(sql`UPDATE rotations SET program_id = ${programs[next(2)]}, status = ${statuses[next(4)]} WHERE id = ${someId()}`);
      t.db.run(sql`DELETE FROM rotations WHERE id = ${someId()}`);
      insert();
      expectKeptEqualsRows();
    }

    // The status job moves the stored statuses: the counts on its day are then the kept ones alone.
    syncRotationStatuses(t.db, '2026-03-02');
    expectKeptEqualsRows();
    const stale = t.db.all(sql`SELECT id FROM rotations WHERE (status = 'planned' AND start_date <= '2026-03-02')
      OR (status = 'active' AND (start_date > '2026-03-02' OR end_date < '2026-03-02')) OR (status = 'completed' AND end_date >= '2026-03-02')`);
    expect(stale).toEqual([]);
  });

  it('counts a manager’s people away no further than 1,000 or the pages asked for, and says when there are more', () => {
    const program = t.db.get<{ id: number }>(sql`INSERT INTO rotation_programs (name, direction, length_weeks, coverage_percent, active)
      VALUES ('Program', 'marketing_to_sales', 4, 25, 1) RETURNING id`)!.id;
    const manager = company.people['sales.manager@example.com']!;
    const rep = company.people['rep@example.com']!;
    const insert = t.db.$client.prepare(
      "INSERT INTO rotations (program_id, person_id, host_team_id, start_date, end_date, status) VALUES (?, ?, ?, '2026-03-09', '2026-04-03', 'planned')",
    );
    for (let i = 0; i < 1_100; i++) insert.run(program, rep, Object.values(company.teams)[0]);
    for (const few of [undefined, [manager, rep]]) {
      const scope = { belowId: manager, few };
      expect(awayPeople(t.db, '2026-03-02', '2026-04-27', scope, { page: 2, pageSize: 10 })).toMatchObject({ total: 1_000, more: true });
      expect(awayPeople(t.db, '2026-03-02', '2026-04-27', scope, { page: 110, pageSize: 11 })).toMatchObject({ total: 1_100, more: false });
    }
    // HR's count is kept: exact at any size.
    expect(awayPeople(t.db, '2026-03-02', '2026-04-27', null, { page: 2, pageSize: 10 })).toMatchObject({ total: 1_100, more: false });
  });
});
