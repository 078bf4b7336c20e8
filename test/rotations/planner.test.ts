import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDaysToLocalDate as addDays, daysBetween, isoWeekday } from '../../src/lib/time';
import { type PlanInput, type PlanPerson, planRotations, suggestPlanItemFixes, validatePlan } from '../../src/rotations/planner';
import { ruleBreakSentence, ruleTitle } from '../../src/rotations/rules';
import type { RuleTeam } from '../../src/rotations/rules';
import { openPlanInput, person, rotation, team } from './fixtures/company';
import { buildInput, companyArb } from './fixtures/random-company';

function startsOf(input: PlanInput) {
  return planRotations(input).rotations.map((r) => r.start);
}

/** Adds a marketing host team and `reps` sales reps (each in their own big team) for two-way programs. */
function makeTwoWay(input: PlanInput, reps: number): PlanInput {
  const teams = [...input.context.teams, team('MH', 'marketing', 20, 'Marketing host')];
  const directory = [...input.context.people, person(950, 'marketing', 'MH'), person(951, 'marketing', 'MH')];
  const people = [...input.people];
  for (let i = 0; i < reps; i++) {
    teams.push(team(`ST${i}`, 'sales', 40));
    people.push(person(100 + i, 'sales', `ST${i}`));
  }
  return {
    ...input,
    program: { ...input.program, direction: 'both', hostTeams: [...input.program.hostTeams, { teamId: 'MH', capacity: 50 }] },
    people,
    context: { ...input.context, teams, people: directory },
  };
}

function expectNoBrokenRules(input: PlanInput, rotations = planRotations(input).rotations) {
  const broken = validatePlan(input, rotations).filter((c) => c.violations.length > 0);
  expect(broken).toEqual([]);
}

describe('planRotations: shape of the plan', () => {
  it('starts every rotation on a Monday and runs it for the program length', () => {
    const input = openPlanInput({ guests: 5, start: '2026-01-07' });
    const plan = planRotations(input);
    expect(plan.stats.firstWeekStart).toBe('2026-01-12');
    expect(plan.rotations).toHaveLength(5);
    for (const r of plan.rotations) {
      expect(isoWeekday(r.start)).toBe(1);
      expect(daysBetween(r.start, r.end)).toBe(27);
      expect(r.start >= '2026-01-12').toBe(true);
      expect(r.end <= addDays('2026-01-12', 26 * 7 - 1)).toBe(true);
      expect(r.hostTeamId).toBe('H');
    }
    expectNoBrokenRules(input, plan.rotations);
  });

  it('spreads people evenly over the horizon', () => {
    // 26 weeks, 4-week rotations: 23 possible start weeks for 6 people.
    const plan = planRotations(openPlanInput({ guests: 6, weeks: 26 }));
    const weeks = plan.rotations.map((r) => daysBetween('2026-01-05', r.start) / 7).sort((a, b) => a - b);
    expect(weeks).toHaveLength(6);
    expect(weeks[0]).toBeLessThanOrEqual(3);
    expect(weeks[5]).toBeGreaterThanOrEqual(19);
    for (let i = 1; i < weeks.length; i++) {
      expect(weeks[i] - weeks[i - 1]).toBeGreaterThanOrEqual(3);
      expect(weeks[i] - weeks[i - 1]).toBeLessThanOrEqual(5);
    }
    expect(plan.stats.strategy).toBe('even');
  });

  it('spreads more people than weeks evenly too (at most one more start in any week)', () => {
    const plan = planRotations(openPlanInput({ guests: 40, weeks: 16 }));
    const starts = plan.stats.startsPerWeek.slice(0, 13);
    expect(plan.stats.placed).toBe(40);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThanOrEqual(1);
  });

  it('packs rotations back to back when capacity allows nothing else', () => {
    // One seat, 16 weeks, 4-week rotations: only Jan 5, Feb 2, Mar 2, Mar 30 fit all four.
    const input = openPlanInput({ guests: 4, capacity: 1, weeks: 16 });
    const plan = planRotations(input);
    expect(plan.unplaced).toEqual([]);
    expect(plan.rotations.map((r) => r.start)).toEqual(['2026-01-05', '2026-02-02', '2026-03-02', '2026-03-30']);
    expect(plan.stats.strategy).not.toBe('even');
    expectNoBrokenRules(input, plan.rotations);
  });

  it('assigns mentors from the host team, balanced', () => {
    const plan = planRotations(openPlanInput({ guests: 8, weeks: 12 }));
    expect(plan.stats.menteesPerMentor).toEqual([
      { mentorId: 901, count: 2 },
      { mentorId: 902, count: 2 },
      { mentorId: 903, count: 2 },
      { mentorId: 904, count: 2 },
    ]);
  });

  it('never picks a mentor who is away', () => {
    const input = openPlanInput({ guests: 8, weeks: 12 });
    input.context.people = input.context.people.map((p) => (p.id === 901 ? { ...p, unavailable: [{ start: '2026-01-01', end: '2026-12-31' }] } : p));
    input.context.rotations = [rotation(902, 'T1', '2026-01-05', '2026-02-15', { programId: 'other' })];
    const plan = planRotations(input);
    expect(plan.rotations.map((r) => r.mentorId)).not.toContain(901);
    for (const r of plan.rotations.filter((x) => x.mentorId === 902)) expect(r.start > '2026-02-15').toBe(true);
    expectNoBrokenRules(input, plan.rotations);
  });

  it('fills host teams in proportion to their capacity and stops at capacity', () => {
    // Seats: 2 in Host and 1 in Host 2; 8 weeks hold two rounds of 4-week rotations.
    const input = openPlanInput({ guests: 9, weeks: 8 });
    input.context.teams = [...input.context.teams, team('H2', 'sales', 20, 'Host 2')];
    input.context.people = [...input.context.people, person(911, 'sales', 'H2'), person(912, 'sales', 'H2')];
    input.program.hostTeams = [
      { teamId: 'H', capacity: 2 },
      { teamId: 'H2', capacity: 1 },
    ];
    const plan = planRotations(input);
    expect(plan.stats.guestsPerHostTeam).toEqual([
      { teamId: 'H', count: 4 },
      { teamId: 'H2', count: 2 },
    ]);
    expect(plan.rotations.map((r) => r.start).sort()).toEqual([...Array(3).fill('2026-01-05'), ...Array(3).fill('2026-02-02')]);
    expect(plan.unplaced.map((u) => u.rule)).toEqual(['host_capacity', 'host_capacity', 'host_capacity']);
    expectNoBrokenRules(input, plan.rotations);
  });
});

describe('planRotations: reciprocity', () => {
  it('sends as many reps into marketing as marketers into sales, interleaved over time', () => {
    const input = makeTwoWay(openPlanInput({ guests: 4, weeks: 26 }), 4);
    const plan = planRotations(input);
    expect(plan.stats.placedByDirection).toEqual({ marketing_to_sales: 4, sales_to_marketing: 4 });
    const directions = plan.rotations.map((r) => (Number(r.personId) >= 100 ? 's' : 'm'));
    expect(directions.join('')).toBe('msmsmsms');
    expectNoBrokenRules(input, plan.rotations);
  });

  it('lists the surplus of one direction as unplaced for reciprocity', () => {
    const input = makeTwoWay(openPlanInput({ guests: 5, weeks: 26 }), 2);
    const plan = planRotations(input);
    expect(plan.stats.placedByDirection).toEqual({ marketing_to_sales: 2, sales_to_marketing: 2 });
    expect(plan.unplaced.map((u) => [u.personId, u.rule])).toEqual([
      [3, 'reciprocity'],
      [4, 'reciprocity'],
      [5, 'reciprocity'],
    ]);
    expect(plan.unplaced[0].message).toBe(
      'Person 3 could not be placed: Reciprocity — "Field weeks" runs both ways and only 2 sales reps into marketing could be placed, so no more marketers into sales than that.',
    );
  });

  it('keeps balance when people of one direction cannot go', () => {
    const input = makeTwoWay(openPlanInput({ guests: 3, weeks: 26 }), 3);
    input.people = input.people.map((p) => (p.id === 101 ? { ...p, hireDate: '2026-06-01' } : p));
    const plan = planRotations(input);
    expect(plan.stats.placedByDirection).toEqual({ marketing_to_sales: 2, sales_to_marketing: 2 });
    expect(plan.unplaced.find((u) => u.personId === 101)?.rule).toBe('new_hire_period');
    expect(plan.unplaced.filter((u) => u.rule === 'reciprocity')).toHaveLength(1);
  });

  it('places everyone when strict reciprocity is switched off', () => {
    const input = { ...makeTwoWay(openPlanInput({ guests: 5, weeks: 26 }), 2), strictReciprocity: false };
    const plan = planRotations(input);
    expect(plan.stats.placedByDirection).toEqual({ marketing_to_sales: 5, sales_to_marketing: 2 });
    expect(plan.unplaced).toEqual([]);
  });
});

describe('planRotations: preferences and unavailability', () => {
  it('honours a preferred period', () => {
    const input = openPlanInput({ guests: 4, weeks: 26 });
    input.people = input.people.map((p) => (p.id === 3 ? { ...p, preferred: [{ start: '2026-04-01', end: '2026-05-10' }] } : p));
    const plan = planRotations(input);
    const mine = plan.rotations.find((r) => r.personId === 3)!;
    expect(mine.start >= '2026-04-01' && mine.end <= '2026-05-10').toBe(true);
    expect(plan.stats).toMatchObject({ withPreferences: 1, preferencesMet: 1 });
  });

  it('gives up a preference rather than a rule, and comes as close as it can', () => {
    const input = openPlanInput({ guests: 1, weeks: 26 });
    input.people = [{ ...input.people[0], preferred: [{ start: '2026-03-02', end: '2026-03-29' }] }];
    input.context.blackouts = [{ name: 'Q1 close', department: 'sales', start: '2026-03-23', end: '2026-03-31' }];
    const plan = planRotations(input);
    expect(plan.rotations[0].start).toBe('2026-02-23'); // three of four weeks inside the preference
    expect(plan.stats.preferencesMet).toBe(0);
    expectNoBrokenRules(input, plan.rotations);
  });

  it('never places anyone in their unavailable periods', () => {
    const input = openPlanInput({ guests: 1, weeks: 26 });
    input.people = [
      {
        ...input.people[0],
        unavailable: [
          { start: '2026-01-01', end: '2026-04-05' },
          { start: '2026-05-04', end: '2026-12-31' },
        ],
      },
    ];
    expect(startsOf(input)).toEqual(['2026-04-06']);
  });
});

describe('planRotations: people who cannot be placed', () => {
  function onlyGuest(extra: Partial<PlanPerson>): PlanInput {
    const input = openPlanInput({ guests: 1, weeks: 12 });
    input.people = [{ ...input.people[0], ...extra }];
    return input;
  }

  it('names the new-hire period', () => {
    const plan = planRotations(onlyGuest({ hireDate: '2026-02-01' }));
    expect(plan.rotations).toEqual([]);
    expect(plan.unplaced).toEqual([
      {
        personId: 1,
        rule: 'new_hire_period',
        message:
          'Person 1 could not be placed in any of the 9 possible start weeks: New-hire period — Person 1 was hired on 2026-02-01, so the earliest start is 2026-05-02. Weeks blocked by: new-hire period 9.',
      },
    ]);
  });

  it('names unavailability', () => {
    const plan = planRotations(onlyGuest({ unavailable: [{ start: '2026-01-10', end: '2026-03-31', reason: 'leave' }] }));
    expect(plan.unplaced[0].rule).toBe('unavailable');
    expect(plan.unplaced[0].message).toContain('Person 1 is unavailable 2026-01-10 to 2026-03-31');
  });

  it('names the wrong department', () => {
    const input = onlyGuest({ department: 'sales' });
    expect(planRotations(input).unplaced).toEqual([
      {
        personId: 1,
        rule: 'direction',
        message: 'Person 1 could not be placed: Program direction — "Field weeks" takes marketers, and Person 1 is in sales.',
      },
    ]);
  });

  it('names a horizon shorter than the program', () => {
    const input = openPlanInput({ guests: 1, weeks: 3 });
    expect(planRotations(input).unplaced[0].rule).toBe('horizon');
  });

  it('names host capacity', () => {
    const input = openPlanInput({ guests: 1, capacity: 0, weeks: 12 });
    const plan = planRotations(input);
    expect(plan.unplaced[0].rule).toBe('host_capacity');
    expect(plan.unplaced[0].message).toContain('host team Host takes 0 guests of "Field weeks" at once');
  });

  it('names home-team coverage for a team too small to send anyone', () => {
    const input = onlyGuest({});
    input.context.teams = input.context.teams.map((t) => (t.id === 'T1' ? { ...t, memberCount: 3 } : t));
    const plan = planRotations(input);
    expect(plan.unplaced[0].rule).toBe('home_coverage');
    expect(plan.unplaced[0].message).toContain('Home 1 may have at most 0 of its 3 members away at once (25%)');
  });

  it('names a blackout covering the whole horizon', () => {
    const input = onlyGuest({});
    input.context.blackouts = [{ name: 'Launch season', department: 'marketing', start: '2026-01-01', end: '2026-06-30' }];
    const plan = planRotations(input);
    expect(plan.unplaced[0].rule).toBe('blackout');
    expect(plan.unplaced[0].message).toContain(`"Launch season" (2026-01-01 to 2026-06-30) covers Person 1's home team Home 1`);
  });

  it('names missing and absent mentors', () => {
    const none = openPlanInput({ guests: 1, weeks: 12 });
    none.context.mentorPools = [{ teamId: 'H', mentorIds: [] }];
    expect(planRotations(none).unplaced[0].rule).toBe('mentor_not_in_host_team');

    const away = openPlanInput({ guests: 1, weeks: 12 });
    away.context.people = away.context.people.map((p) => ({ ...p, unavailable: [{ start: '2026-01-01', end: '2026-12-31' }] }));
    const plan = planRotations(away);
    expect(plan.unplaced[0].rule).toBe('mentor_away');
    expect(plan.unplaced[0].message).toContain('no mentor in host team Host is free');
  });

  it('places whom it can and lists the rest with the rule that stopped them', () => {
    // Home team of 8: two away at once; 12 weeks of 4-week rotations fit 3 rounds of 2.
    const teams: RuleTeam[] = [team('M', 'marketing', 8, 'Brand'), team('H', 'sales', 20, 'Host')];
    const people: PlanPerson[] = [];
    for (let i = 1; i <= 8; i++) people.push(person(i, 'marketing', 'M'));
    const input: PlanInput = {
      program: { id: 'p', name: 'Field weeks', direction: 'marketing_to_sales', lengthWeeks: 4, hostTeams: [{ teamId: 'H', capacity: 5 }] },
      people,
      context: { people: [person(901, 'sales', 'H'), person(902, 'sales', 'H')], teams, rotations: [], blackouts: [] },
      horizon: { start: '2026-01-05', weeks: 12 },
    };
    const plan = planRotations(input);
    expect(plan.stats.placed).toBe(6);
    expect(Math.max(...plan.stats.activePerWeek)).toBe(2);
    expect(plan.unplaced.map((u) => u.rule)).toEqual(['home_coverage', 'home_coverage']);
    expect(plan.unplaced[0].message).toContain('Brand may have at most 2 of its 8 members away at once (25%) and already has 2 away');
    expectNoBrokenRules(input, plan.rotations);
  });
});

describe('planRotations: determinism', () => {
  it('gives the same plan for the same input, whatever order people are listed in', () => {
    const input = makeTwoWay(openPlanInput({ guests: 12, capacity: 2, weeks: 20 }), 9);
    const first = planRotations(input);
    expect(planRotations(input)).toEqual(first);
    expect(planRotations({ ...input, people: [...input.people].reverse() })).toEqual(first);
  });

  it('refuses a person listed twice', () => {
    const input = openPlanInput({ guests: 2 });
    input.people = [...input.people, input.people[0]];
    expect(() => planRotations(input)).toThrow(/listed twice/);
  });
});

describe('validatePlan', () => {
  it('re-checks HR edits against the company state and the rest of the plan', () => {
    const input = openPlanInput({ guests: 4, capacity: 2, weeks: 26 });
    input.context.blackouts = [{ name: 'Q2 close', department: 'sales', start: '2026-06-22', end: '2026-06-30' }];
    const plan = planRotations(input);
    expect(validatePlan(input, plan.rotations).every((c) => c.violations.length === 0)).toBe(true);

    const edited = plan.rotations.map((r) => ({ ...r }));
    edited[0] = { ...edited[0], start: '2026-06-08', end: '2026-07-05' }; // into the quarter-end
    edited[1] = { ...edited[1], start: '2026-03-02', end: '2026-03-29' };
    edited[2] = { ...edited[2], start: '2026-03-02', end: '2026-03-29' };
    edited[3] = { ...edited[3], start: '2026-03-09', end: '2026-04-05' }; // third guest at once: capacity 2
    const checks = validatePlan(input, edited);
    expect(checks[0].violations.map((v) => v.code)).toEqual(['blackout']);
    expect(checks[0].personId).toBe(edited[0].personId);
    for (const i of [1, 2, 3]) expect(checks[i].violations.map((v) => v.code)).toEqual(['host_capacity']);
  });

  it('flags the same person planned twice over the same days', () => {
    const input = openPlanInput({ guests: 1 });
    const twice = [
      { personId: 1, hostTeamId: 'H', mentorId: 901, start: '2026-02-02', end: '2026-03-01' },
      { personId: 1, hostTeamId: 'H', mentorId: 902, start: '2026-02-16', end: '2026-03-15' },
    ];
    expect(validatePlan(input, twice).map((c) => c.violations.map((v) => v.code))).toEqual([['overlap'], ['overlap']]);
  });
});

describe('planRotations: properties over random companies', () => {
  it('never breaks a rule, places each person at most once, and accounts for everyone', () => {
    fc.assert(
      fc.property(companyArb, (company) => {
        const input = buildInput(company);
        const plan = planRotations(input);

        const broken = validatePlan(input, plan.rotations).filter((c) => c.violations.length > 0);
        expect(broken).toEqual([]);

        const placedIds = plan.rotations.map((r) => r.personId);
        expect(new Set(placedIds).size).toBe(placedIds.length);
        const unplacedIds = plan.unplaced.map((u) => u.personId);
        const inputIds = input.people.map((p) => p.id);
        expect([...placedIds, ...unplacedIds].sort()).toEqual([...inputIds].sort());

        const firstDay = plan.stats.firstWeekStart;
        const lastDay = addDays(firstDay, input.horizon.weeks * 7 - 1);
        for (const r of plan.rotations) {
          expect(isoWeekday(r.start)).toBe(1);
          expect(daysBetween(r.start, r.end)).toBe(input.program.lengthWeeks * 7 - 1);
          expect(r.start >= firstDay && r.end <= lastDay).toBe(true);
        }
        for (const u of plan.unplaced) expect(u.message.length).toBeGreaterThan(0);

        if (input.program.direction === 'both' && input.strictReciprocity !== false) {
          expect(plan.stats.placedByDirection.marketing_to_sales).toBe(plan.stats.placedByDirection.sales_to_marketing);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic: same plan for the same company, whatever the order of people', () => {
    fc.assert(
      fc.property(companyArb, (company) => {
        const input = buildInput(company);
        const plan = planRotations(input);
        expect(planRotations({ ...input, people: [...input.people].reverse() })).toEqual(plan);
      }),
      { numRuns: 100 },
    );
  });
});

describe('suggestPlanItemFixes: the nearest changes that keep every rule', () => {
  it('offers the nearest free start weeks, each keeping every rule, and keeps the search bounded', () => {
    // One seat: the planner packs four people back to back; put the second onto the first one's weeks.
    const input = openPlanInput({ guests: 4, capacity: 1, weeks: 16 });
    const plan = planRotations(input).rotations.map((r) => ({ ...r }));
    plan[1] = { ...plan[1]!, start: plan[0]!.start, end: plan[0]!.end };
    expect(validatePlan(input, plan)[1]!.violations.map((v) => v.code)).toContain('host_capacity');
    const fixes = suggestPlanItemFixes(input, plan, 1);
    expect(fixes.starts.length).toBeGreaterThan(0);
    for (const fix of fixes.starts) {
      const candidate = plan.map((r, i) => (i === 1 ? { ...r, ...fix } : r));
      expect(validatePlan(input, candidate)[1]!.violations).toEqual([]);
    }
    // The weeks freed by moving it are the ones it came from: the nearest fix is its old start.
    expect(fixes.starts[0]!.start).toBe(planRotations(input).rotations[1]!.start);
  });

  it('finds other host teams at the same start', () => {
    const input = openPlanInput({ guests: 2, capacity: 1, weeks: 8 });
    input.context.teams = [...input.context.teams, team('H2', 'sales', 20, 'Second host')];
    input.context.people = [...input.context.people, person(960, 'sales', 'H2')];
    input.program = { ...input.program, hostTeams: [...input.program.hostTeams, { teamId: 'H2', capacity: 1 }] };
    const plan = [
      { personId: input.people[0]!.id, hostTeamId: 'H', mentorId: 901, start: '2026-01-05', end: '2026-02-01' },
      { personId: input.people[1]!.id, hostTeamId: 'H', mentorId: 902, start: '2026-01-05', end: '2026-02-01' },
    ];
    const fixes = suggestPlanItemFixes(input, plan, 1);
    expect(fixes.hosts).toEqual([{ personId: input.people[1]!.id, hostTeamId: 'H2', mentorId: 960, start: '2026-01-05', end: '2026-02-01' }]);
  });
});

describe('ruleBreakSentence: one way to word a rule break', () => {
  it('drops the rule name, writes dates as people do and never shows the code', () => {
    const sentence = ruleBreakSentence({
      code: 'home_coverage',
      message:
        'Home-team coverage: at most 1 of the 5 active members of Sales West may be away at once (25%); on 2027-02-15 Rita Rep is already away, so Ravi Rep cannot go 2027-02-15 to 2027-03-14.',
    });
    expect(sentence).toBe(
      'At most 1 of the 5 active members of Sales West may be away at once (25%); on 15 Feb 2027 Rita Rep is already away, so Ravi Rep cannot go 15 Feb 2027 to 14 Mar 2027.',
    );
    expect(sentence).not.toContain('home_coverage');
    expect(ruleTitle('home_coverage')).toBe('Home-team coverage');
  });
});
