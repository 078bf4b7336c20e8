// The dashboards of HR and of a department's head read kept counts per team instead of every person in scope:
// enrolled_people (people with a running enrollment per team and program) is kept by triggers in the same transaction
// as every write that changes it, and a manager's scope is whole teams plus the few people outside them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { enrollments, people, programs } from '../../db/schema';
import type { Person } from '../../src/context';
import { createPerson, reportIds, updatePerson, visiblePersonIds } from '../../src/people/people';
import { managerScope } from '../../src/people/scope';
import {
  addEnrollmentRule,
  countEnrollments,
  endEnrollment,
  enrollmentCandidates,
  enrollPeople,
  listEnrollmentRows,
  viewerEnrollmentScope,
} from '../../src/programs/enrollment';
import { createProgram, listPrograms, updateProgram } from '../../src/programs/programs';
import { completionReport } from '../../src/programs/reports';
import { peopleProgress } from '../../src/programs/progress';
import type { ReportFilter } from '../../src/programs/report-queries';
import { addRequirement } from '../../src/programs/programs';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const hrActor = () => ({ personId: company.people['hr@example.com'] });
const id = (email: string) => company.people[email];

/** The kept rows, and the same counts made from enrollments and people (the backfill of the migration). */
const kept = () => t.db.all(sql`SELECT team_key, program_key, people FROM enrolled_people WHERE people <> 0 ORDER BY 1, 2`);
const fromScratch = () =>
  t.db.all(sql`SELECT * FROM (
    SELECT coalesce(p.team_id, 0) AS team_key, e.program_id AS program_key, count(*) AS people
      FROM enrollments e JOIN people p ON p.id = e.person_id WHERE e.ended_at IS NULL GROUP BY 1, 2
    UNION ALL
    SELECT coalesce(p.team_id, 0), 0, count(*) FROM people p
     WHERE EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = p.id AND e.ended_at IS NULL AND pr.active = 1)
     GROUP BY 1) ORDER BY 1, 2`);

/** The programs list's enrolled counts (read from enrolled_people), and the same counted from enrollments. */
const listedEnrolled = () => listPrograms(t.db).map((p) => ({ id: p.id, enrolled: p.enrolledCount }));
const enrolledFromScratch = () =>
  listPrograms(t.db).map((p) => ({
    id: p.id,
    enrolled: t.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM enrollments WHERE program_id = ${p.id} AND ended_at IS NULL`)!.n,
  }));
/** The kept sums per program, and the same summed from the kept rows per team. */
const keptPerProgram = () => t.db.all(sql`SELECT program_key, people FROM enrolled_program_people WHERE people <> 0 ORDER BY 1`);
const summedPerProgram = () => t.db.all(sql`SELECT program_key, sum(people) AS people FROM enrolled_people GROUP BY 1 HAVING sum(people) <> 0 ORDER BY 1`);
/** Every kept count equals its recount. */
const expectKept = () => {
  expect(kept()).toEqual(fromScratch());
  expect(keptPerProgram()).toEqual(summedPerProgram());
  expect(listedEnrolled()).toEqual(enrolledFromScratch());
};

const reportsTo = (email: string, managerId: number) =>
  t.db
    .update(people)
    .set({ managerId })
    .where(eq(people.id, id(email)))
    .run();

/** A head of sales without a team of their own, above both sales managers. */
function headOfSales() {
  const head = createPerson(t.db, t.clock, hrActor(), {
    email: 'head@example.com',
    name: 'Hedda Head',
    department: 'sales',
    title: 'Head of sales',
    role: 'manager',
    teamId: null,
    hireDate: '2020-01-01',
    timeZone: 'UTC',
  });
  reportsTo('sales.manager@example.com', head.id);
  reportsTo('west.manager@example.com', head.id);
  return head;
}

function program(name: string) {
  const created = createProgram(t.db, t.clock, hrActor(), { name, kind: 'onboarding', description: '', dueSoonDays: 7 });
  addRequirement(t.db, t.clock, hrActor(), created.id, { title: 'Manager sign-off', kind: 'sign_off', count: 1, dueOffsetDays: 30 });
  return created;
}

describe('enrolled_people', () => {
  it('equals a count from scratch after enrolment, ending, moves, joins, leaves, archiving and removal, as the programs list shows it', () => {
    const first = program('Sales onboarding');
    const second = program('Product basics');
    const [rep, rep2, westRep, marketer] = ['rep@example.com', 'rep2@example.com', 'westrep@example.com', 'marketer@example.com'].map(id);
    enrollPeople(t.db, first.id, [rep, rep2, westRep], hrActor(), t.clock);
    expect(kept()).not.toEqual([]);
    expectKept();
    // Two programs: the person counts once in "any program" and once in each.
    enrollPeople(t.db, second.id, [rep, marketer], hrActor(), t.clock);
    expectKept();

    const enrollmentOf = (personId: number, programId: number) =>
      t.db
        .select()
        .from(enrollments)
        .all()
        .find((e) => e.personId === personId && e.programId === programId)!;
    endEnrollment(t.db, t.clock, hrActor(), enrollmentOf(rep, first.id).id);
    expectKept();
    endEnrollment(t.db, t.clock, hrActor(), enrollmentOf(rep, second.id).id);
    expectKept();
    enrollPeople(t.db, first.id, [rep], hrActor(), t.clock);
    expectKept();

    // A move to another team, and to no team.
    updatePerson(
      t.db,
      t.clock,
      hrActor(),
      rep2,
      { teamId: company.teams['Sales West'], managerId: id('west.manager@example.com') },
      { managerConfirmed: true },
    );
    expectKept();
    updatePerson(t.db, t.clock, hrActor(), westRep, { teamId: null, managerId: null }, { managerConfirmed: true });
    expectKept();

    // Someone joins and is enrolled by a rule; someone leaves.
    addEnrollmentRule(t.db, t.clock, hrActor(), second.id, { department: 'sales' });
    expectKept();
    createPerson(t.db, t.clock, hrActor(), {
      email: 'new.hire@example.com',
      name: 'Nia Newhire',
      department: 'sales',
      title: '',
      role: 'employee',
      teamId: company.teams['Sales East'],
      hireDate: '2026-03-01',
      timeZone: 'UTC',
    });
    expectKept();
    updatePerson(t.db, t.clock, hrActor(), marketer, { active: false });
    expectKept();

    // Archiving a program takes its people out of "any program" unless another program holds them; restoring puts them back.
    updateProgram(t.db, t.clock, hrActor(), second.id, { active: false });
    expectKept();
    updateProgram(t.db, t.clock, hrActor(), second.id, { active: true });
    expectKept();
    t.db.delete(programs).where(eq(programs.id, first.id)).run();
    expectKept();
    t.db.update(people).set({ teamId: company.teams['Sales East'] }).where(eq(people.id, westRep)).run();
    expectKept();
  });
});

describe('a manager’s scope as teams', () => {
  it('holds exactly the people reportIds lists, across teams, cross-team reports and people without a team', () => {
    // A head of sales above both sales managers; a rep of Sales East reporting to the West manager; an employee
    // with a report of their own in a marketing team; someone without a team below the head.
    const head = headOfSales();
    reportsTo('rep2@example.com', id('west.manager@example.com'));
    reportsTo('marketer@example.com', id('rep@example.com'));
    const loner = t.db
      .insert(people)
      .values({
        email: 'loner@example.com',
        name: 'Lou Loner',
        department: 'sales',
        teamId: null,
        managerId: id('rep@example.com'),
        hireDate: '2026-02-01',
        timeZone: 'UTC',
      })
      .returning()
      .get().id;
    const managers = t.db.all<{ id: number }>(sql`SELECT id FROM people WHERE role = 'manager'`).map((m) => m.id);
    expect(managers.length).toBeGreaterThan(4);
    for (const managerId of managers) {
      const scope = managerScope(t.db, managerId);
      const members = scope.teamIds.length
        ? t.db.all<{ id: number }>(sql`SELECT id FROM people WHERE team_id IN (${sql.join(scope.teamIds, sql`, `)})`).map((p) => p.id)
        : [];
      expect(
        members.filter((m) => scope.personIds.includes(m)),
        'no one twice',
      ).toEqual([]);
      expect(
        [...members, ...scope.personIds].sort((a, b) => a - b),
        `manager ${managerId}`,
      ).toEqual([...new Set([managerId, ...reportIds(t.db, managerId)])].sort((a, b) => a - b));
    }
    const headScope = managerScope(t.db, head.id);
    expect(headScope.teamIds.sort()).toEqual([company.teams['Sales East'], company.teams['Sales West']].sort());
    expect(headScope.personIds.sort((a, b) => a - b)).toEqual([head.id, id('marketer@example.com'), loner].sort((a, b) => a - b));
  });

  it('gives a department’s head the same dashboard as listing everyone below them', async () => {
    const onboarding = program('Sales onboarding');
    const head = headOfSales();
    reportsTo('marketer@example.com', id('rep@example.com'));
    enrollPeople(
      t.db,
      onboarding.id,
      t.db.all<{ id: number }>(sql`SELECT id FROM people`).map((p) => p.id),
      hrActor(),
      t.clock,
    );
    const viewer = { person: t.db.select().from(people).where(eq(people.id, head.id)).get() as Person };
    const listed = visiblePersonIds(t.db, viewer)!;
    const scope = managerScope(t.db, head.id);
    const now = t.clock.now();
    const filters: ReportFilter[] = [
      {},
      { programId: onboarding.id },
      { teamId: company.teams['Sales East'] },
      { teamId: company.teams['Demand Generation'] },
      // A state: the scope's teams and its people outside them are read apart.
      { state: 'due' },
      { state: 'overdue' },
      { state: 'due', teamId: company.teams['Sales West'] },
    ];
    for (const filter of filters) {
      expect(completionReport(t.db, now, { ...filter, ...scope }), JSON.stringify(filter)).toEqual(
        completionReport(t.db, now, { ...filter, personIds: listed }),
      );
      expect(peopleProgress(t.db, now, { ...filter, ...scope }, 5)).toEqual(peopleProgress(t.db, now, { ...filter, personIds: listed }, 5));
    }

    const page = await sessionAs(t, 'head@example.com').get('/programs/dashboard');
    expect(page.status).toBe(200);
    const html = await page.text();
    // Both sales teams, and the marketer who reports to a rep of theirs; not the marketing teams otherwise.
    expect(html).toContain('Sales East');
    expect(html).toContain('Mark Marketer');
    expect(html).not.toContain('Demand Generation');
  });
});

describe("a department head's enrollments", () => {
  it('are the same through the kept chain and counts as from the list of everyone below them', () => {
    const first = program('Field onboarding');
    const head = id('sales.manager@example.com')!;
    // Over 2,000 people below the manager: some in the manager's team, some in a team of their own report, some in none.
    const insert = t.db.$client.prepare(
      "INSERT INTO people (email, name, department, title, role, time_zone, hire_date, manager_id, team_id, updated_at) VALUES (?, ?, 'sales', 'Rep', 'employee', 'UTC', '2024-01-01', ?, ?, 0)",
    );
    const east = company.teams['Sales East']!;
    const west = company.teams['Sales West']!;
    t.db.$client.transaction(() => {
      for (let i = 0; i < 2_100; i++)
        insert.run(`below${i}@example.com`, `Below ${String(i).padStart(4, '0')}`, head, i % 3 === 0 ? east : i % 3 === 1 ? null : west);
    })();
    const below = t.db.$client.prepare('SELECT id FROM people WHERE manager_id = ? ORDER BY id').pluck().all(head) as number[];
    enrollPeople(t.db, first.id, [...below.filter((_, i) => i % 2 === 0), id('rep@example.com')!, id('westrep@example.com')!], hrActor(), t.clock);
    const listed = { programId: first.id, onlyPersonIds: [head, ...reportIds(t.db, head)] };
    const chained = { programId: first.id, belowId: head };
    for (const status of ['running', 'ended'] as const) expect(countEnrollments(t.db, chained, status)).toBe(countEnrollments(t.db, listed, status));
    const count = countEnrollments(t.db, listed, 'running');
    expect(count).toBeGreaterThan(1_000);
    const page = (scope: typeof listed | typeof chained, offset: number) =>
      listEnrollmentRows(t.db, scope, 'running', { limit: 50, offset, count }).map((r) => r.id);
    for (const offset of [0, 50, count - 20]) expect(page(chained, offset)).toEqual(page(listed, offset));
    const filtered = { teamId: east, namePrefix: 'below 00' };
    expect(countEnrollments(t.db, { ...chained, ...filtered }, 'running')).toBe(countEnrollments(t.db, { ...listed, ...filtered }, 'running'));
    expect(enrollmentCandidates(t.db, first.id, { belowId: head }, 30)).toEqual(
      enrollmentCandidates(t.db, first.id, { onlyPersonIds: listed.onlyPersonIds }, 30),
    );
    // Through the page and the API, as the manager sees them.
    expect(viewerEnrollmentScope(t.db, { person: t.db.select().from(people).where(eq(people.id, head)).get()! } as never)).toEqual({ belowId: head });
  });
});
