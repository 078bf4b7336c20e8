// The rules each rotation breaks are kept (rotation_rule_checks): triggers mark what a write changes and the write's
// transaction checks those again before it commits. After every kind of write the kept answers must equal a check
// from scratch of every rotation against the whole company over its own dates.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { people, rotations } from '../../db/schema';
import { AppError } from '../../src/lib/errors';
import { createPerson, updatePerson } from '../../src/people/people';
import { addPeriod, createBlackout, deleteBlackout, removePeriod } from '../../src/rotations/blackouts';
import { createRotationProgram, getRotationProgram, ruleProgramOf, updateRotationProgram, type RotationProgramInput } from '../../src/rotations/programs';
import { checkUncheckedRotations } from '../../src/rotations/rule-checks';
import { loadRuleContext } from '../../src/rotations/rule-context';
import { createRuleChecker } from '../../src/rotations/rules';
import { cancelRotation, changeRotation, scheduleRotation } from '../../src/rotations/scheduling';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const hr = () => ({ personId: company.people['hr@example.com'] });
const id = (email: string) => company.people[email];

type Kept = { id: number; broken: string[] };
const kept = (): Kept[] =>
  t.db
    .all<{ id: number; broken: string; stale: number }>(sql`SELECT rotation_id AS id, broken, stale FROM rotation_rule_checks ORDER BY rotation_id`)
    .map((r) => {
      expect(r.stale).toBe(0);
      return { id: r.id, broken: (JSON.parse(r.broken) as string[]).sort() };
    });

/** Every rotation checked alone over its own dates, against everyone (no scoped loading), as scheduling checks a proposal. */
function fromScratch(): Kept[] {
  return t.db
    .select()
    .from(rotations)
    .orderBy(rotations.id)
    .all()
    .map((r) => {
      if (r.status === 'cancelled') return { id: r.id, broken: [] };
      const program = getRotationProgram(t.db, r.programId);
      const context = loadRuleContext(t.db, r.startDate, r.endDate, program.coveragePercent / 100, { exceptRotationId: r.id });
      const violations = createRuleChecker(context).check(
        { id: r.id, personId: r.personId, hostTeamId: r.hostTeamId, mentorId: r.mentorId, start: r.startDate, end: r.endDate },
        ruleProgramOf(program),
      );
      return { id: r.id, broken: [...new Set(violations.map((v) => v.code))].sort() };
    });
}

const programInput = (capacity: number): RotationProgramInput => ({
  name: 'Field rotation',
  direction: 'marketing_to_sales',
  lengthWeeks: 4,
  coveragePercent: 25,
  learningGoals: '',
  hostTeams: [
    { teamId: company.teams['Sales East'], capacity },
    { teamId: company.teams['Sales West'], capacity },
  ],
  checklist: [],
  active: true,
});

/** Schedules a rotation, overriding with a reason whatever rules it breaks (the kept checks must still name them). */
function schedule(programId: number, email: string, start: string, end: string, host = 'Sales East', mentor: string | null = null) {
  const input = {
    programId,
    personId: id(email),
    hostTeamId: company.teams[host],
    mentorId: mentor ? id(mentor) : null,
    startDate: start,
    endDate: end,
    overrideRules: [] as never[],
  };
  try {
    return scheduleRotation(t.db, t.clock, hr(), input);
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 409) throw err;
    const codes = ((err.details?.violations ?? []) as { code: never }[]).map((v) => v.code);
    return scheduleRotation(t.db, t.clock, hr(), { ...input, overrideRules: codes, overrideReason: 'Agreed with both managers.' });
  }
}

describe('rotation_rule_checks', () => {
  it('equal a check from scratch after rotations, people, periods, blackouts and programs change', () => {
    const program = createRotationProgram(t.db, t.clock, hr(), programInput(1));
    const first = schedule(program.id, 'marketer@example.com', '2026-04-06', '2026-05-03', 'Sales East', 'rep@example.com');
    expect(kept()).toEqual(fromScratch());
    // A second guest in the same host team at the same time: capacity breaks for both, kept for the first too.
    const second = schedule(program.id, 'demand@example.com', '2026-04-13', '2026-05-10');
    expect(kept()).toEqual(fromScratch());
    expect(kept().find((k) => k.id === first.id)!.broken).toContain('host_capacity');
    // Moving the second away from the first mends the first.
    changeRotation(t.db, t.clock, hr(), second.id, {
      hostTeamId: company.teams['Sales West'],
      mentorId: null,
      startDate: '2026-04-13',
      endDate: '2026-05-10',
      overrideRules: ['home_coverage'],
      overrideReason: 'Agreed with both managers.',
    });
    expect(kept()).toEqual(fromScratch());
    expect(kept().find((k) => k.id === first.id)!.broken).not.toContain('host_capacity');
    // The mentor away on their own rotation... of the other kind: a period, a blackout, a program change.
    const period = addPeriod(t.db, t.clock, hr(), id('marketer@example.com'), {
      kind: 'unavailable',
      startDate: '2026-04-20',
      endDate: '2026-04-24',
      note: 'Leave',
    });
    expect(kept()).toEqual(fromScratch());
    expect(kept().find((k) => k.id === first.id)!.broken).toContain('unavailable');
    removePeriod(t.db, t.clock, hr(), id('marketer@example.com'), period.id);
    expect(kept()).toEqual(fromScratch());
    const blackout = createBlackout(t.db, t.clock, hr(), {
      name: 'Quarter close',
      scope: 'team',
      teamId: company.teams['Sales East'],
      startDate: '2026-04-27',
      endDate: '2026-04-30',
    });
    expect(kept()).toEqual(fromScratch());
    expect(kept().find((k) => k.id === first.id)!.broken).toContain('blackout');
    deleteBlackout(t.db, t.clock, hr(), blackout.id);
    createBlackout(t.db, t.clock, hr(), { name: 'Launch', scope: 'department', department: 'marketing', startDate: '2026-05-04', endDate: '2026-05-06' });
    expect(kept()).toEqual(fromScratch());
    updateRotationProgram(t.db, t.clock, hr(), program.id, { ...programInput(2), coveragePercent: 50 });
    expect(kept()).toEqual(fromScratch());
    // People: a hire date inside the new-hire period, a move to another team, new members of the home team (coverage).
    updatePerson(t.db, t.clock, hr(), id('demand@example.com'), { hireDate: '2026-03-01' });
    expect(kept()).toEqual(fromScratch());
    expect(kept().find((k) => k.id === second.id)!.broken).toContain('new_hire_period');
    updatePerson(t.db, t.clock, hr(), id('rep@example.com'), { teamId: company.teams['Sales West'], managerId: id('west.manager@example.com') });
    expect(kept()).toEqual(fromScratch());
    for (const n of [1, 2, 3])
      createPerson(t.db, t.clock, hr(), {
        email: `pm${n}@example.com`,
        name: `Pam ${n}`,
        department: 'marketing',
        title: '',
        role: 'employee',
        teamId: company.teams['Product Marketing'],
        managerId: id('marketing.manager@example.com'),
        hireDate: '2020-01-01',
        timeZone: 'UTC',
      });
    expect(kept()).toEqual(fromScratch());
    updatePerson(t.db, t.clock, hr(), id('marketer2@example.com'), { active: false });
    expect(kept()).toEqual(fromScratch());
    // The mentor rotates themselves while mentoring: "mentor away" for the first.
    const third = schedule(program.id, 'rep@example.com', '2026-09-07', '2026-10-04', 'Sales West');
    changeRotation(t.db, t.clock, hr(), third.id, {
      hostTeamId: company.teams['Sales West'],
      mentorId: null,
      startDate: '2026-04-20',
      endDate: '2026-05-17',
      overrideRules: [
        'home_coverage',
        'host_capacity',
        'overlap',
        'mentor_away',
        'blackout',
        'unavailable',
        'direction',
        'new_hire_period',
        'mentor_not_in_host_team',
      ],
      overrideReason: 'Agreed with both managers.',
    });
    expect(kept()).toEqual(fromScratch());
    cancelRotation(t.db, t.clock, hr(), second.id, 'Plans changed for the team.');
    expect(kept()).toEqual(fromScratch());
    // A raw write outside the application marks too; the next write transaction (or the job) checks it.
    t.db
      .update(people)
      .set({ hireDate: '2026-03-20' })
      .where(eq(people.id, id('marketer@example.com')))
      .run();
    expect(t.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM rotation_rule_checks WHERE stale = 1`)!.n).toBeGreaterThan(0);
    updatePerson(t.db, t.clock, hr(), id('westrep@example.com'), { title: 'Account executive' });
    expect(kept()).toEqual(fromScratch());
  });

  it('are read by the timeline for the rows it shows, and rotations never checked yet are checked by the job', async () => {
    const program = createRotationProgram(t.db, t.clock, hr(), programInput(1));
    const first = schedule(program.id, 'marketer@example.com', '2026-04-06', '2026-05-03');
    schedule(program.id, 'demand@example.com', '2026-04-13', '2026-05-10');
    // As a migrated database: nothing checked yet. The page still shows the broken rules (checked for its rows only).
    t.db.run(sql`UPDATE rotation_rule_checks SET stale = 2, broken = '[]'`);
    const page = await (await sessionAs(t, 'hr@example.com').get('/rotations/timeline?from=2026-04-06&weeks=8')).text();
    expect(page).toContain('Host team capacity');
    expect(t.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM rotation_rule_checks WHERE stale = 2`)!.n).toBe(2);
    expect(checkUncheckedRotations(t.db, 1)).toBe(2);
    expect(kept()).toEqual(fromScratch());
    expect(kept().find((k) => k.id === first.id)!.broken).toContain('host_capacity');
    const again = await (await sessionAs(t, 'hr@example.com').get('/rotations/timeline?from=2026-04-06&weeks=8')).text();
    expect(again).toContain('Host team capacity');
  });

  it('reach the timeline the same whether kept, marked by a write and not checked again yet, or missing', async () => {
    const program = createRotationProgram(t.db, t.clock, hr(), programInput(1));
    const first = schedule(program.id, 'marketer@example.com', '2026-04-06', '2026-05-03');
    schedule(program.id, 'demand@example.com', '2026-04-13', '2026-05-10');
    const timeline = async () => {
      const page = await (await sessionAs(t, 'hr@example.com').get('/rotations/timeline?from=2026-04-06&weeks=8')).text();
      return page.slice(page.indexOf('<div id="timeline-results"'));
    };
    const kept = await timeline();
    expect(kept).toContain('2 conflicts');
    expect(
      new RegExp(`<td class="[^"]*" colspan="\\d+" title="[^"]*conflict: [^"]*Host team capacity[^"]*"><a href="/rotations/${first.id}">`).test(kept),
    ).toBe(true);
    t.db.run(sql`UPDATE rotation_rule_checks SET stale = 1, broken = '[]'`);
    expect(await timeline()).toBe(kept);
    t.db.run(sql`DELETE FROM rotation_rule_checks`);
    expect(await timeline()).toBe(kept);
  });
});
