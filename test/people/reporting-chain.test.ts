// The reporting chain (who is below whom at any depth) is a kept table: triggers on people and teams keep it in the
// same statement as every write that changes a manager or a team. After every kind of write it must equal a walk of
// the chart from scratch, and a write that would put someone above themselves is refused with nothing changed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { people, teams } from '../../db/schema';
import { seededRandom } from '../../src/demo';
import { seedDemo } from '../../src/people/demo';
import { importPeople } from '../../src/people/import';
import { canViewPerson, createPerson, isBelow, listPeople, reportIds, updatePerson, visiblePersonIds } from '../../src/people/people';
import { managerScope } from '../../src/people/scope';
import { createTeam, updateTeam } from '../../src/people/teams';
import { AppError } from '../../src/lib/errors';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const hr = () => ({ personId: company.people['hr@example.com'] });
const id = (email: string) => company.people[email];

type Row = { ancestor: number; descendant: number; depth: number };
const kept = () =>
  t.db.all<Row>(sql`SELECT ancestor_id AS ancestor, descendant_id AS descendant, depth FROM reporting_chain ORDER BY descendant_id, ancestor_id`);

/** The chain walked from scratch in JavaScript: up from each person by manager and by their team's manager, breadth first. */
function fromScratch(): Row[] {
  const persons = t.db.select({ id: people.id, managerId: people.managerId, teamId: people.teamId }).from(people).all();
  const teamManager = new Map(
    t.db
      .select({ id: teams.id, managerId: teams.managerId })
      .from(teams)
      .all()
      .map((team) => [team.id, team.managerId]),
  );
  const byId = new Map(persons.map((p) => [p.id, p]));
  const above = (personId: number) => {
    const p = byId.get(personId);
    if (!p) return [];
    const managers = [p.managerId, p.teamId === null ? null : (teamManager.get(p.teamId) ?? null)];
    return [...new Set(managers.filter((m): m is number => m !== null && m !== personId))];
  };
  const rows: Row[] = [];
  for (const p of persons) {
    const depth = new Map([[p.id, 0]]);
    let frontier = [p.id];
    for (let d = 1; frontier.length; d++) {
      const next: number[] = [];
      for (const x of frontier)
        for (const m of above(x))
          if (!depth.has(m)) {
            depth.set(m, d);
            next.push(m);
          }
      frontier = next;
    }
    for (const [ancestor, d] of depth) rows.push({ ancestor, descendant: p.id, depth: d });
  }
  return rows.sort((a, b) => a.descendant - b.descendant || a.ancestor - b.ancestor);
}

type ScopeRow = { manager: number; id: number };

/**
 * The chain kept equal to the walk from scratch, and each manager's scope kept (manager_scope_teams,
 * manager_scope_people) equal to its definition from that walk: the teams whose manager is below the manager (or is
 * them), and the people below them in no team or in a team not among those.
 */
function expectKept() {
  const chain = fromScratch();
  expect(kept()).toEqual(chain);
  const teamRows = t.db.select({ id: teams.id, managerId: teams.managerId }).from(teams).all();
  const teamOf = new Map(
    t.db
      .select({ id: people.id, teamId: people.teamId })
      .from(people)
      .all()
      .map((p) => [p.id, p.teamId]),
  );
  const scopeTeams = chain.flatMap((c) => teamRows.filter((team) => team.managerId === c.descendant).map((team) => ({ manager: c.ancestor, id: team.id })));
  const inScope = new Set(scopeTeams.map((r) => `${r.manager}:${r.id}`));
  const scopePeople = chain
    .filter((c) => {
      const team = teamOf.get(c.descendant);
      return team == null || !inScope.has(`${c.ancestor}:${team}`);
    })
    .map((c) => ({ manager: c.ancestor, id: c.descendant }));
  const ordered = (rows: ScopeRow[]) => rows.sort((a, b) => a.manager - b.manager || a.id - b.id);
  expect(t.db.all<ScopeRow>(sql`SELECT manager_id AS manager, team_id AS id FROM manager_scope_teams ORDER BY manager_id, team_id`)).toEqual(
    ordered(scopeTeams),
  );
  expect(t.db.all<ScopeRow>(sql`SELECT manager_id AS manager, person_id AS id FROM manager_scope_people ORDER BY manager_id, person_id`)).toEqual(
    ordered(scopePeople),
  );
}

const person = (email: string, name: string, extra: { teamId?: number | null; managerId?: number | null; role?: 'manager' | 'employee' } = {}) =>
  createPerson(t.db, t.clock, hr(), {
    email,
    name,
    department: 'sales',
    title: '',
    role: extra.role ?? 'employee',
    teamId: extra.teamId ?? null,
    managerId: extra.managerId ?? null,
    hireDate: '2020-01-01',
    timeZone: 'UTC',
  });

function refused(write: () => unknown, code: string) {
  const before = kept();
  let error: unknown;
  try {
    write();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect(kept()).toEqual(before);
}

describe('reporting_chain', () => {
  it('equals a walk from scratch after adds, manager changes, team moves, team managers, handovers, imports and removals', () => {
    expect(kept().length).toBeGreaterThan(0);
    expectKept();
    // A head of sales above both sales managers: everyone in their teams moves below her.
    const head = person('head@example.com', 'Hedda Head', { role: 'manager' });
    expectKept();
    updatePerson(t.db, t.clock, hr(), id('sales.manager@example.com'), { managerId: head.id });
    updatePerson(t.db, t.clock, hr(), id('west.manager@example.com'), { managerId: head.id });
    expectKept();
    expect(isBelow(t.db, head.id, id('westrep@example.com'))).toBe(true);
    // A new hire in a team without a manager of their own: below the team's manager and the head.
    const hire = person('hire@example.com', 'Hugo Hire', { teamId: company.teams['Sales West'] });
    expectKept();
    expect(isBelow(t.db, head.id, hire.id)).toBe(true);
    // A move to another team with a new manager.
    updatePerson(t.db, t.clock, hr(), id('rep2@example.com'), { teamId: company.teams['Sales West'], managerId: id('west.manager@example.com') });
    expectKept();
    // A team gets another manager, and a new team with a manager.
    updateTeam(t.db, t.clock, hr(), company.teams['Sales East'], { name: 'Sales East', department: 'sales', managerId: id('west.manager@example.com') });
    expectKept();
    const north = createTeam(t.db, t.clock, hr(), { name: 'Sales North', department: 'sales', managerId: head.id });
    updatePerson(t.db, t.clock, hr(), hire.id, { teamId: north.id, managerId: head.id });
    expectKept();
    // A manager of a team of their own below the head, who takes over from the departing one.
    const second = person('second@example.com', 'Sid Second', { role: 'manager', managerId: head.id });
    // Deactivating a manager hands their reports and teams to a successor in the same transaction.
    updatePerson(t.db, t.clock, hr(), id('west.manager@example.com'), { active: false, successorId: second.id });
    expectKept();
    expect(isBelow(t.db, second.id, id('westrep@example.com'))).toBe(true);
    expect(isBelow(t.db, id('west.manager@example.com'), id('westrep@example.com'))).toBe(false);
    // An import: new people below a new manager, and an existing person moved to another team and manager.
    const report = importPeople(
      t.db,
      t.clock,
      hr(),
      [
        'email,name,department,title,team,manager_email,hire_date,time_zone,role',
        'lead@example.com,Lena Lead,sales,,Sales South,head@example.com,2021-01-01,UTC,manager',
        'south1@example.com,Sven South,sales,,Sales South,lead@example.com,2021-01-01,UTC,employee',
        'rep@example.com,Rita Rep,sales,,Sales South,lead@example.com,2020-01-01,UTC,employee',
      ].join('\n'),
    );
    expect(report.errors).toEqual([]);
    expectKept();
    const lead = t.db.select().from(people).where(eq(people.email, 'lead@example.com')).get()!;
    expect(reportIds(t.db, head.id)).toContain(lead.id);
    expect(isBelow(t.db, head.id, id('rep@example.com'))).toBe(true);
    // Removing a person (the cascade a test database allows): their reports lose them from their chain.
    t.db
      .delete(people)
      .where(eq(people.id, id('marketer2@example.com')))
      .run();
    expectKept();
    // Any raw write keeps it too (the triggers, not the application, keep the table).
    t.db
      .update(people)
      .set({ managerId: null })
      .where(eq(people.id, id('sales.manager@example.com')))
      .run();
    t.db.update(teams).set({ managerId: null }).where(eq(teams.id, north.id)).run();
    expectKept();
  });

  it('keeps how many people are below each manager, in all and active, equal to a count of the chain after every kind of write', () => {
    type Counts = { ancestor: number; people: number; active: number };
    const keptCounts = () => t.db.all<Counts>(sql`SELECT ancestor_id AS ancestor, people, active_people AS active FROM reporting_counts ORDER BY ancestor_id`);
    const counted = () =>
      t.db.all<Counts>(sql`
        SELECT c.ancestor_id AS ancestor, count(*) AS people, sum(p.active) AS active
        FROM reporting_chain c JOIN people p ON p.id = c.descendant_id GROUP BY c.ancestor_id ORDER BY c.ancestor_id`);
    type DepartmentCounts = Counts & { department: string };
    const keptByDepartment = () =>
      t.db.all<DepartmentCounts>(sql`SELECT ancestor_id AS ancestor, department, people, active_people AS active FROM reporting_department_counts
        WHERE people <> 0 OR active_people <> 0 ORDER BY ancestor_id, department`);
    const countedByDepartment = () =>
      t.db.all<DepartmentCounts>(sql`
        SELECT c.ancestor_id AS ancestor, p.department, count(*) AS people, sum(p.active) AS active
        FROM reporting_chain c JOIN people p ON p.id = c.descendant_id GROUP BY c.ancestor_id, p.department ORDER BY c.ancestor_id, p.department`);
    const agree = () => {
      expect(keptCounts()).toEqual(counted());
      expect(keptByDepartment()).toEqual(countedByDepartment());
      expectKept();
    };
    agree();
    expect(keptCounts().length).toBeGreaterThan(3);
    const head = person('head@example.com', 'Hedda Head', { role: 'manager' });
    updatePerson(t.db, t.clock, hr(), id('sales.manager@example.com'), { managerId: head.id });
    updatePerson(t.db, t.clock, hr(), id('west.manager@example.com'), { managerId: head.id });
    agree();
    const hire = person('hire@example.com', 'Hugo Hire', { teamId: company.teams['Sales West'] });
    agree();
    // Leaving and coming back changes the active counts of everyone above, not the counts in all.
    updatePerson(t.db, t.clock, hr(), hire.id, { active: false });
    agree();
    updatePerson(t.db, t.clock, hr(), hire.id, { active: true });
    agree();
    // Moved and deactivated in one statement, in both directions.
    t.db
      .update(people)
      .set({ active: false, managerId: id('sales.manager@example.com') })
      .where(eq(people.id, hire.id))
      .run();
    agree();
    t.db.update(people).set({ active: true, managerId: null, teamId: null }).where(eq(people.id, hire.id)).run();
    agree();
    // A manager with people below moved and deactivated at once.
    t.db
      .update(people)
      .set({ active: false, managerId: null })
      .where(eq(people.id, id('west.manager@example.com')))
      .run();
    agree();
    t.db
      .update(people)
      .set({ active: true, managerId: head.id })
      .where(eq(people.id, id('west.manager@example.com')))
      .run();
    agree();
    // Another department, alone and with a move and a deactivation in the same statement.
    updatePerson(t.db, t.clock, hr(), hire.id, { department: 'marketing' });
    agree();
    t.db.update(people).set({ department: 'other', active: false, managerId: head.id }).where(eq(people.id, hire.id)).run();
    agree();
    t.db
      .update(people)
      .set({ department: 'sales', active: true, managerId: id('sales.manager@example.com') })
      .where(eq(people.id, hire.id))
      .run();
    agree();
    updateTeam(t.db, t.clock, hr(), company.teams['Sales East'], { name: 'Sales East', department: 'sales', managerId: id('west.manager@example.com') });
    agree();
    const second = person('second@example.com', 'Sid Second', { role: 'manager', managerId: head.id });
    updatePerson(t.db, t.clock, hr(), id('west.manager@example.com'), { active: false, successorId: second.id });
    agree();
    importPeople(
      t.db,
      t.clock,
      hr(),
      [
        'email,name,department,title,team,manager_email,hire_date,time_zone,role',
        'lead@example.com,Lena Lead,sales,,Sales South,head@example.com,2021-01-01,UTC,manager',
        'south1@example.com,Sven South,sales,,Sales South,lead@example.com,2021-01-01,UTC,employee',
      ].join('\n'),
    );
    agree();
    // Removing people, active or not, and a team's manager.
    t.db
      .delete(people)
      .where(eq(people.id, id('marketer2@example.com')))
      .run();
    agree();
    t.db.update(people).set({ active: false }).where(eq(people.id, hire.id)).run();
    t.db.delete(people).where(eq(people.id, hire.id)).run();
    agree();
    t.db.update(teams).set({ managerId: null }).where(eq(teams.id, company.teams['Sales East'])).run();
    agree();
    // A head with thousands below: the people list's totals are the kept ones, and equal a count of the list itself.
    const addPerson = t.db.$client.prepare(
      "INSERT INTO people (email, name, department, manager_id, hire_date, time_zone, role, active) VALUES (?, ?, 'sales', ?, '2026-01-05', 'UTC', 'employee', ?)",
    );
    t.db.$client.transaction(() => {
      for (let i = 0; i < 2_100; i++) addPerson.run(`many${i}@example.com`, `Mo Many ${i}`, head.id, i % 10 === 0 ? 0 : 1);
    })();
    agree();
    const headViewer = { person: t.db.select().from(people).where(eq(people.id, head.id)).get()! };
    for (const active of [undefined, true, false]) {
      const listed = listPeople(t.db, { active, page: 1, pageSize: 10_000 }, headViewer);
      expect(listPeople(t.db, { active, page: 3, pageSize: 7 }, headViewer).total, String(active)).toBe(listed.rows.length);
      expect(listed.rows.length).toBeGreaterThan(active === false ? 200 : 1_800);
    }
  });

  it('equals a walk from scratch on the demo company', () => {
    const demo = createTestApp({ now: '2026-03-02T12:00:00Z' });
    try {
      seedDemo(demo.db, { clock: demo.clock, passwordHash: 'not a hash', random: seededRandom(1), log: () => {} });
      const previous = t;
      t = demo;
      expect(kept().length).toBeGreaterThan(80);
      expectKept();
      t = previous;
    } finally {
      demo.close();
    }
  });

  it('refuses a manager, team or import that would put someone above themselves, changing nothing', () => {
    const [salesManager, rep] = [id('sales.manager@example.com'), id('rep@example.com')];
    // A manager below the person (the rule that already held).
    refused(() => updatePerson(t.db, t.clock, hr(), salesManager, { managerId: rep }), 'manager_cycle');
    // A team whose manager is below the person: the team's manager would be above and below them.
    const repTeam = createTeam(t.db, t.clock, hr(), { name: 'Rep team', department: 'sales', managerId: rep });
    refused(() => updatePerson(t.db, t.clock, hr(), salesManager, { teamId: repTeam.id, managerId: null }), 'team_cycle');
    // A team manager below one of the team's members.
    refused(() => updateTeam(t.db, t.clock, hr(), company.teams['Sales East'], { name: 'Sales East', department: 'sales', managerId: rep }), 'manager_cycle');
    // An import whose managers go round: nothing is written, each line is named.
    const before = t.db.select().from(people).all();
    const report = importPeople(
      t.db,
      t.clock,
      hr(),
      [
        'email,name,department,title,team,manager_email,hire_date,time_zone,role',
        'a@example.com,Ann A,sales,,,b@example.com,2021-01-01,UTC,employee',
        'b@example.com,Ben B,sales,,,a@example.com,2021-01-01,UTC,employee',
      ].join('\n'),
    );
    expect(report.created).toBe(0);
    expect(report.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'manager_email'],
      [3, 'manager_email'],
    ]);
    expect(t.db.select().from(people).all()).toEqual(before);
    expectKept();
  });

  it('answers visibility for a department head from the chain: list, single person, scope and clause agree', () => {
    const head = person('head@example.com', 'Hedda Head', { role: 'manager' });
    updatePerson(t.db, t.clock, hr(), id('sales.manager@example.com'), { managerId: head.id });
    updatePerson(t.db, t.clock, hr(), id('west.manager@example.com'), { managerId: head.id });
    const viewer = { person: t.db.select().from(people).where(eq(people.id, head.id)).get()! };
    const visible = visiblePersonIds(t.db, viewer)!.sort((a, b) => a - b);
    const all = t.db.select({ id: people.id }).from(people).all();
    expect(visible).toEqual(
      all
        .map((p) => p.id)
        .filter((p) => p === head.id || isBelow(t.db, head.id, p))
        .sort((a, b) => a - b),
    );
    for (const p of all) expect(canViewPerson(t.db, viewer, p.id)).toBe(visible.includes(p.id));
    const listed = listPeople(t.db, { page: 1, pageSize: 200 }, viewer).rows.map((r) => r.id);
    expect(listed.sort((a, b) => a - b)).toEqual(visible);
    const scope = managerScope(t.db, head.id);
    const inScope = all
      .filter((p) => {
        const row = t.db.select().from(people).where(eq(people.id, p.id)).get()!;
        return (row.teamId !== null && scope.teamIds.includes(row.teamId)) || scope.personIds.includes(p.id);
      })
      .map((p) => p.id)
      .sort((a, b) => a - b);
    expect(inScope).toEqual(visible);
  });

  it('keeps the scopes whichever rows a chain rebuild writes first: a newer manager over older members, moved and moved back', () => {
    // People added before their managers: a rebuild writes their rows before their team's manager's.
    const team = company.teams['Sales East']!;
    const head = person('head@example.com', 'Hedda Head', { role: 'manager' });
    const lead = person('lead@example.com', 'Lee Lead', { role: 'manager' });
    updateTeam(t.db, t.clock, hr(), team, { name: 'Sales East', department: 'sales', managerId: lead.id });
    expectKept();
    updatePerson(t.db, t.clock, hr(), lead.id, { managerId: head.id });
    expectKept();
    expect(managerScope(t.db, head.id).teamIds).toContain(team);
    // An older member managed by someone outside: outside the head's teams, but below them through the team.
    updatePerson(t.db, t.clock, hr(), id('rep@example.com'), { managerId: id('west.manager@example.com') });
    expectKept();
    updatePerson(t.db, t.clock, hr(), lead.id, { managerId: null });
    expectKept();
    expect(managerScope(t.db, head.id)).toEqual({ teamIds: [], personIds: [head.id] });
    updateTeam(t.db, t.clock, hr(), team, { name: 'Sales East', department: 'sales', managerId: head.id });
    expectKept();
  });

  it('gives a manager with hundreds below the scope it gives one with a few: teams and people outside them, found either way', () => {
    const head = person('head@example.com', 'Hedda Head', { role: 'manager' });
    updatePerson(t.db, t.clock, hr(), id('sales.manager@example.com'), { managerId: head.id });
    updatePerson(t.db, t.clock, hr(), id('west.manager@example.com'), { managerId: head.id });
    // A team of 600 under the west manager, and a lead of an empty team below them: the head has hundreds below.
    const big = createTeam(t.db, t.clock, hr(), { name: 'Sales Many', department: 'sales', managerId: id('west.manager@example.com') });
    const insert = t.db.$client.prepare("INSERT INTO people (email, name, department, team_id, hire_date) VALUES (?, ?, 'sales', ?, '2026-01-05')");
    for (let i = 0; i < 600; i++) insert.run(`many${i}@example.com`, `Many ${i}`, big.id);
    const lead = person('lead@example.com', 'Lee Lead', { role: 'manager' });
    updatePerson(t.db, t.clock, hr(), lead.id, { managerId: id('west.manager@example.com') });
    const empty = createTeam(t.db, t.clock, hr(), { name: 'Sales Empty', department: 'sales', managerId: lead.id });
    for (const managerId of [head.id, id('west.manager@example.com'), id('sales.manager@example.com'), lead.id]) {
      const viewer = { person: t.db.select().from(people).where(eq(people.id, managerId)).get()! };
      const visible = visiblePersonIds(t.db, viewer)!.sort((a, b) => a - b);
      const scope = managerScope(t.db, managerId);
      const inScope = t.db
        .select({ id: people.id, teamId: people.teamId })
        .from(people)
        .all()
        .filter((p) => (p.teamId !== null && scope.teamIds.includes(p.teamId)) || scope.personIds.includes(p.id))
        .map((p) => p.id)
        .sort((a, b) => a - b);
      expect(inScope, String(managerId)).toEqual(visible);
      // The teams are those managed by the manager or anyone below them, empty ones included.
      const managed = t.db.all<{ id: number }>(
        sql`SELECT id FROM teams WHERE manager_id = ${managerId} OR manager_id IN (SELECT descendant_id FROM reporting_chain WHERE ancestor_id = ${managerId})`,
      );
      expect(scope.teamIds, String(managerId)).toEqual(managed.map((r) => r.id).sort((a, b) => a - b));
    }
    expect(managerScope(t.db, head.id).teamIds).toContain(empty.id);
  });
});
