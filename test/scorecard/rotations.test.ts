// The scorecard's rotations between a sales team and marketing are kept by triggers (scorecard_rotations) in the same
// transaction as every write that changes them, so a view reads a page of teams' rows instead of searching every
// rotation hosted in marketing per pair. After each kind of write the kept rows equal the definition worked out from
// the rotations, people and teams themselves, and the scorecard counts them at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people, rotations as rotationsTable, teams } from '../../db/schema';
import { createPerson, setPersonActive, updatePerson } from '../../src/people/people';
import { updateTeam } from '../../src/people/teams';
import { syncRotationStatuses } from '../../src/rotations/lifecycle';
import { createRotationProgram } from '../../src/rotations/programs';
import { RULE_CODES } from '../../src/rotations/rules';
import { cancelRotation, changeRotation, scheduleRotation } from '../../src/rotations/scheduling';
import { buildScorecard } from '../../src/scorecard/scorecard';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-01-02T08:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const id = (email: string) => company.people[email];
const hr = () => ({ personId: id('hr@example.com') });
/** Rules of the rotations feature are not what this test is about: every one is overridden with a reason. */
const overridden = { overrideRules: [...RULE_CODES], overrideReason: 'Scorecard test, rules overridden on purpose' };

const kept = () =>
  t.db.$client.prepare('SELECT team_id AS teamId, rotation_id AS rotationId, start_date AS startDate, end_date AS endDate FROM scorecard_rotations').all();

/** The definition, from the rows themselves: a member of a team rotating into marketing, or a marketer into a team. */
function fromScratch() {
  const everyone = new Map(
    t.db
      .select()
      .from(people)
      .all()
      .map((p) => [p.id, p]),
  );
  const teamsById = new Map(
    t.db
      .select()
      .from(teams)
      .all()
      .map((team) => [team.id, team]),
  );
  const rows = new Map<string, { teamId: number; rotationId: number; startDate: string; endDate: string }>();
  for (const r of t.db.select().from(rotationsTable).all()) {
    if (r.status === 'cancelled') continue;
    const person = everyone.get(r.personId)!;
    const add = (teamId: number) => rows.set(`${teamId}:${r.id}`, { teamId, rotationId: r.id, startDate: r.startDate, endDate: r.endDate });
    if (teamsById.get(r.hostTeamId)!.department === 'marketing' && person.teamId !== null) add(person.teamId);
    if (person.department === 'marketing') add(r.hostTeamId);
  }
  return [...rows.values()];
}

const sorted = <T extends { teamId: number; rotationId: number }>(list: T[]) => [...list].sort((a, b) => a.teamId - b.teamId || a.rotationId - b.rotationId);

function expectKeptCurrent() {
  expect(sorted(kept() as ReturnType<typeof fromScratch>)).toEqual(sorted(fromScratch()));
}

const rotationsOf = (team: string) => {
  const row = buildScorecard(t.db, t.clock.now()).find((r) => r.salesTeamName === team)!;
  return { completed: row.signals.rotationsCompleted, active: row.signals.rotationsActive };
};

function program(direction: 'sales_to_marketing' | 'marketing_to_sales', hosts: string[]) {
  return createRotationProgram(t.db, t.clock, hr(), {
    name: `Rotation ${direction}`,
    direction,
    lengthWeeks: 2,
    coveragePercent: 100,
    learningGoals: '',
    hostTeams: hosts.map((name) => ({ teamId: company.teams[name], capacity: 5 })),
    checklist: [],
    active: true,
  }).id;
}

describe('scorecard_rotations', () => {
  it('equals the definition after scheduling, changing, cancelling, status moves, people and teams changing, and removal', () => {
    const intoMarketing = program('sales_to_marketing', ['Product Marketing', 'Demand Generation']);
    const intoSales = program('marketing_to_sales', ['Sales East', 'Sales West']);
    expectKeptCurrent();
    expect(rotationsOf('Sales East')).toEqual({ completed: 0, active: 0 });

    // A rep of Sales East rotates into marketing: counted for Sales East the moment it is written.
    const repAway = scheduleRotation(t.db, t.clock, hr(), {
      programId: intoMarketing,
      personId: id('rep@example.com'),
      hostTeamId: company.teams['Product Marketing'],
      mentorId: null,
      startDate: '2026-01-05',
      endDate: '2026-01-16',
      ...overridden,
    });
    expect(kept()).toHaveLength(1);
    expectKeptCurrent();
    t.clock.set('2026-01-10T12:00:00Z');
    expect(rotationsOf('Sales East')).toEqual({ completed: 0, active: 1 });

    // A marketer rotates into Sales West.
    const marketerIn = scheduleRotation(t.db, t.clock, hr(), {
      programId: intoSales,
      personId: id('marketer@example.com'),
      hostTeamId: company.teams['Sales West'],
      mentorId: null,
      startDate: '2026-01-08',
      endDate: '2026-01-23',
      ...overridden,
    });
    expectKeptCurrent();
    expect(rotationsOf('Sales West')).toEqual({ completed: 0, active: 1 });

    // Moved earlier: completed by now.
    changeRotation(t.db, t.clock, hr(), repAway.id, {
      hostTeamId: company.teams['Demand Generation'],
      mentorId: null,
      startDate: '2026-01-05',
      endDate: '2026-01-09',
      ...overridden,
    });
    expectKeptCurrent();
    expect(rotationsOf('Sales East')).toEqual({ completed: 1, active: 0 });

    // The stored statuses follow the calendar (the background job): nothing the scorecard counts changes.
    syncRotationStatuses(t.db, '2026-01-10');
    expectKeptCurrent();

    // The rep moves to Sales West: their rotation now counts there, not for Sales East.
    updatePerson(t.db, t.clock, hr(), id('rep@example.com'), { teamId: company.teams['Sales West'], managerId: id('west.manager@example.com') });
    expectKeptCurrent();
    expect(rotationsOf('Sales East')).toEqual({ completed: 0, active: 0 });
    expect(rotationsOf('Sales West')).toEqual({ completed: 1, active: 1 });

    // The marketer changes department: no longer a marketer rotating into sales.
    updatePerson(t.db, t.clock, hr(), id('marketer@example.com'), { department: 'sales' });
    expectKeptCurrent();
    expect(rotationsOf('Sales West')).toEqual({ completed: 1, active: 0 });
    updatePerson(t.db, t.clock, hr(), id('marketer@example.com'), { department: 'marketing' });
    expectKeptCurrent();

    // The host team leaves marketing: the rep's rotation is no longer into marketing.
    updateTeam(t.db, t.clock, hr(), company.teams['Demand Generation'], { name: 'Demand Generation', department: 'sales', managerId: null });
    expectKeptCurrent();
    expect(rotationsOf('Sales West')).toEqual({ completed: 0, active: 1 });
    updateTeam(t.db, t.clock, hr(), company.teams['Demand Generation'], { name: 'Demand Generation', department: 'marketing', managerId: null });
    expectKeptCurrent();
    expect(rotationsOf('Sales West')).toEqual({ completed: 1, active: 1 });

    // Cancelled rotations do not count.
    cancelRotation(t.db, t.clock, hr(), marketerIn.id, 'Plans changed for this quarter');
    expectKeptCurrent();
    expect(rotationsOf('Sales West')).toEqual({ completed: 1, active: 0 });

    // Removed outright (a script's raw write): the triggers keep up too.
    t.db.delete(rotationsTable).where(eq(rotationsTable.id, repAway.id)).run();
    expectKeptCurrent();
    expect(kept()).toEqual([]);
    expect(rotationsOf('Sales West')).toEqual({ completed: 0, active: 0 });
  });
});

describe('department_headcounts', () => {
  const headcounts = () => t.db.$client.prepare('SELECT department, active FROM department_headcounts WHERE active <> 0 ORDER BY department').all();
  const counted = () =>
    t.db.$client.prepare('SELECT department, count(*) AS active FROM people WHERE active = 1 GROUP BY department ORDER BY department').all();
  const marketersOnScorecard = () => buildScorecard(t.db, t.clock.now()).find((r) => r.salesTeamName === 'Sales East')!;

  it('equals a count of active people after people join, change department, leave, come back and are removed', () => {
    expect(headcounts()).toEqual(counted());
    const joiner = createPerson(t.db, t.clock, hr(), {
      email: 'joiner@example.com',
      name: 'Jo Joiner',
      department: 'marketing',
      title: 'Marketer',
      role: 'employee',
      teamId: null,
      hireDate: '2025-06-01',
      timeZone: 'UTC',
    });
    expect(headcounts()).toEqual(counted());
    updatePerson(t.db, t.clock, hr(), joiner.id, { department: 'sales' });
    expect(headcounts()).toEqual(counted());
    setPersonActive(t.db, t.clock, hr(), joiner.id, false);
    expect(headcounts()).toEqual(counted());
    // An inactive person changing department counts nowhere.
    updatePerson(t.db, t.clock, hr(), joiner.id, { department: 'marketing' });
    expect(headcounts()).toEqual(counted());
    setPersonActive(t.db, t.clock, hr(), joiner.id, true);
    expect(headcounts()).toEqual(counted());
    // Without a liaison from a marketing team, a pair's ride-alongs are per marketer of all marketing.
    expect(marketersOnScorecard().marketingTeamId).toBeNull();
    t.db.delete(people).where(eq(people.id, joiner.id)).run();
    expect(headcounts()).toEqual(counted());
  });
});
