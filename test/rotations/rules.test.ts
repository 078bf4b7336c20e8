import { describe, expect, it } from 'vitest';
import {
  addDaysToLocalDate as addDays,
  daysBetween,
  isLocalDate as isIsoDate,
  isoWeekStart,
  isoWeekday,
  nextMondayOnOrAfter,
  spansOverlap,
  toDayNumber,
} from '../../src/lib/time';
import { type ProposedRotation, type RuleContext, type RuleProgram, allowedAway, checkRotation, createRuleChecker } from '../../src/rotations/rules';
import { person, rotation, smallCompany, team } from './fixtures/company';

// Marketer 1 (Brand, 8 people) into sales team East for four weeks, mentored by rep 21.
function proposal(extra: Partial<ProposedRotation> = {}): ProposedRotation {
  return { personId: 1, hostTeamId: 'S1', mentorId: 21, start: '2026-03-02', end: '2026-03-29', ...extra };
}

function codesOf(context: RuleContext, program: RuleProgram, p: ProposedRotation): string[] {
  return checkRotation(p, program, context).map((v) => v.code);
}

describe('date helpers', () => {
  it('adds days across month ends and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
  it('counts days between dates, signed', () => {
    expect(daysBetween('2026-01-01', '2026-04-01')).toBe(90);
    expect(daysBetween('2026-04-01', '2026-01-01')).toBe(-90);
    expect(daysBetween('2026-03-29', '2026-03-30')).toBe(1); // across the European DST change
  });
  it('finds ISO week starts (Monday)', () => {
    expect(isoWeekday('2026-01-05')).toBe(1);
    expect(isoWeekday('2026-01-04')).toBe(7);
    expect(isoWeekStart('2026-01-04')).toBe('2025-12-29');
    expect(isoWeekStart('2026-01-05')).toBe('2026-01-05');
    expect(isoWeekStart('2026-01-11')).toBe('2026-01-05');
    expect(nextMondayOnOrAfter('2026-01-06')).toBe('2026-01-12');
    expect(nextMondayOnOrAfter('2026-01-05')).toBe('2026-01-05');
  });
  it('rejects impossible dates', () => {
    expect(() => toDayNumber('2026-02-30')).toThrow(RangeError);
    expect(() => toDayNumber('2026-1-5')).toThrow(RangeError);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-12-01')).toBe(true);
  });
  it('treats spans as inclusive on both ends', () => {
    expect(spansOverlap({ start: '2026-01-01', end: '2026-01-05' }, { start: '2026-01-05', end: '2026-01-09' })).toBe(true);
    expect(spansOverlap({ start: '2026-01-01', end: '2026-01-04' }, { start: '2026-01-05', end: '2026-01-09' })).toBe(false);
  });
});

describe('a rotation that keeps every rule', () => {
  it('has no violations', () => {
    const { context, program } = smallCompany();
    expect(checkRotation(proposal(), program, context)).toEqual([]);
  });
});

describe('overlap', () => {
  it('refuses a second rotation for the same person over the same days', () => {
    const { context, program } = smallCompany();
    context.rotations = [rotation(1, 'S2', '2026-03-23', '2026-04-19')];
    const violations = checkRotation(proposal(), program, context);
    expect(violations).toHaveLength(1);
    expect(violations[0].code).toBe('overlap');
    expect(violations[0].message).toMatch(/^Overlapping rotations: Person 1 already has a rotation with West 2026-03-23 to 2026-04-19/);
    expect(violations[0].people).toEqual([1]);
  });
  it('accepts back-to-back rotations (one ends Sunday, the next starts Monday)', () => {
    const { context, program } = smallCompany();
    context.rotations = [rotation(1, 'S2', '2026-02-02', '2026-03-01'), rotation(1, 'S2', '2026-03-30', '2026-04-26')];
    expect(codesOf(context, program, proposal())).toEqual([]);
  });
  it('ignores cancelled rotations and the rotation itself', () => {
    const { context, program } = smallCompany();
    const self = rotation(1, 'S1', '2026-03-02', '2026-03-29', { mentorId: 21 });
    context.rotations = [rotation(1, 'S2', '2026-03-02', '2026-03-29', { status: 'cancelled' }), self];
    expect(codesOf(context, program, proposal({ id: self.id }))).toEqual([]);
    expect(codesOf(context, program, proposal())).toEqual(['overlap']);
  });
});

describe('host_capacity', () => {
  it('refuses a guest beyond the host team capacity and names the guests already there', () => {
    const { context, program } = smallCompany();
    context.rotations = [rotation(9, 'S1', '2026-03-16', '2026-04-12'), rotation(10, 'S1', '2026-02-23', '2026-03-22')];
    const [violation, ...rest] = checkRotation(proposal(), program, context);
    expect(rest).toEqual([]);
    expect(violation.code).toBe('host_capacity');
    expect(violation.message).toBe(
      'Host team capacity: East takes at most 2 guests of program "Marketing in the field" at once; on 2026-03-16 it already hosts Person 9 and Person 10, so there is no room for Person 1 2026-03-02 to 2026-03-29.',
    );
    expect(violation.people).toEqual([1, 9, 10]);
  });
  it('counts guests present on the same day, not guests somewhere in the span', () => {
    const { context, program } = smallCompany();
    // Both overlap the proposal but never each other: at most one other guest on any day.
    context.rotations = [rotation(9, 'S1', '2026-02-02', '2026-03-08'), rotation(10, 'S1', '2026-03-09', '2026-04-05')];
    expect(codesOf(context, program, proposal())).toEqual([]);
  });
  it('counts only guests of the same program', () => {
    const { context, program } = smallCompany();
    context.rotations = [
      rotation(9, 'S1', '2026-03-02', '2026-03-29', { programId: 'other' }),
      rotation(10, 'S1', '2026-03-02', '2026-03-29', { programId: 'other' }),
    ];
    expect(codesOf(context, program, proposal())).toEqual([]);
  });
  it('refuses everyone when capacity is 0', () => {
    const { context, program } = smallCompany();
    program.hostTeams = [{ teamId: 'S1', capacity: 0 }];
    const [violation] = checkRotation(proposal(), program, context);
    expect(violation.code).toBe('host_capacity');
    expect(violation.message).toContain('takes no guests');
  });
});

describe('home_coverage', () => {
  it('rounds the share down, but lets one go from teams of four or more', () => {
    expect(allowedAway(3, 0.25)).toBe(0);
    expect(allowedAway(4, 0.25)).toBe(1);
    expect(allowedAway(7, 0.25)).toBe(1);
    expect(allowedAway(8, 0.25)).toBe(2);
    expect(allowedAway(12, 0.25)).toBe(3);
    expect(allowedAway(5, 0.1)).toBe(1);
    expect(allowedAway(10, 0.3)).toBe(3);
    expect(allowedAway(2, 0.5)).toBe(1);
    expect(allowedAway(0, 0.5)).toBe(0);
  });
  it('refuses when the team already has its share away, naming who is away', () => {
    const { context, program } = smallCompany();
    // Brand has 8 members: two may be away at once.
    context.rotations = [rotation(2, 'S2', '2026-03-09', '2026-04-05'), rotation(3, 'S2', '2026-03-16', '2026-04-12')];
    const violations = checkRotation(proposal(), program, context);
    expect(violations.map((v) => v.code)).toEqual(['home_coverage']);
    expect(violations[0].message).toBe(
      'Home-team coverage: at most 2 of the 8 active members of Brand may be away at once (25%); on 2026-03-16 Person 2 and Person 3 are already away, so Person 1 cannot go 2026-03-02 to 2026-03-29.',
    );
    expect(violations[0].people).toEqual([1, 2, 3]);
  });
  it('accepts the last person the share allows', () => {
    const { context, program } = smallCompany();
    context.rotations = [rotation(2, 'S2', '2026-03-09', '2026-04-05')];
    expect(codesOf(context, program, proposal())).toEqual([]);
  });
  it('lets exactly one of a team of four go, and nobody from a team of three', () => {
    const { context, program } = smallCompany();
    expect(codesOf(context, program, proposal({ personId: 9 }))).toEqual([]);
    context.rotations = [rotation(10, 'S2', '2026-03-02', '2026-03-29')];
    expect(codesOf(context, program, proposal({ personId: 9 }))).toEqual(['home_coverage']);
    context.teams = context.teams.map((t) => (t.id === 'M2' ? { ...t, memberCount: 3 } : t));
    context.rotations = [];
    const [violation] = checkRotation(proposal({ personId: 9 }), program, context);
    expect(violation.code).toBe('home_coverage');
    expect(violation.message).toContain('at most 0 of the 3 active members of Events');
    expect(violation.message).toContain('too small to send anyone');
  });
  it('uses the configured share', () => {
    const { context, program } = smallCompany();
    context.coverageShare = 0.5; // Brand: 4 of 8
    const away = [2, 3, 4].map((id) => rotation(id, 'S2', '2026-03-02', '2026-03-29', { programId: 'x' }));
    context.rotations = away;
    expect(codesOf(context, program, proposal())).toEqual([]);
    context.rotations = [...away, rotation(5, 'S2', '2026-03-02', '2026-03-29', { programId: 'x' })];
    expect(checkRotation(proposal(), program, context)[0].message).toContain('(50%)');
  });
});

describe('new_hire_period', () => {
  it('refuses a start inside the first 90 days and accepts day 91', () => {
    const { context, program } = smallCompany();
    context.people = context.people.map((p) => (p.id === 1 ? { ...p, hireDate: '2026-01-01' } : p));
    const inside = checkRotation(proposal({ start: '2026-03-31', end: '2026-04-27' }), program, context);
    expect(inside.map((v) => v.code)).toEqual(['new_hire_period']);
    expect(inside[0].message).toBe(
      'New-hire period: Person 1 was hired on 2026-01-01; no rotation inside the first 90 days, so the earliest start is 2026-04-01.',
    );
    expect(codesOf(context, program, proposal({ start: '2026-04-01', end: '2026-04-28' }))).toEqual([]);
  });
  it('does not apply when the hire date is unknown', () => {
    const { context, program } = smallCompany();
    context.people = context.people.map((p) => (p.id === 1 ? { ...p, hireDate: null } : p));
    expect(codesOf(context, program, proposal())).toEqual([]);
  });
});

describe('mentor_not_in_host_team and mentor_away', () => {
  it('refuses a mentor from another team', () => {
    const { context, program } = smallCompany();
    const violations = checkRotation(proposal({ mentorId: 31 }), program, context);
    expect(violations.map((v) => v.code)).toEqual(['mentor_not_in_host_team']);
    expect(violations[0].message).toBe('Mentor not in host team: the mentor of Person 1 must be in host team East, but Person 31 is in West.');
    expect(violations[0].people).toEqual([1, 31]);
  });
  it('refuses a mentor who is on a rotation during the span', () => {
    const { context, program } = smallCompany();
    context.rotations = [rotation(21, 'M1', '2026-03-23', '2026-04-19', { programId: 's2m' })];
    const violations = checkRotation(proposal(), program, context);
    expect(violations.map((v) => v.code)).toEqual(['mentor_away']);
    expect(violations[0].message).toBe(
      "Mentor away: mentor Person 21 is on a rotation with Brand 2026-03-23 to 2026-04-19, overlapping Person 1's rotation 2026-03-02 to 2026-03-29.",
    );
  });
  it('refuses a mentor who declared the span unavailable', () => {
    const { context, program } = smallCompany();
    context.people = context.people.map((p) => (p.id === 21 ? { ...p, unavailable: [{ start: '2026-03-29', end: '2026-04-03' }] } : p));
    const violations = checkRotation(proposal(), program, context);
    expect(violations.map((v) => v.code)).toEqual(['mentor_away']);
    expect(violations[0].message).toContain('mentor Person 21 is unavailable 2026-03-29 to 2026-04-03');
  });
  it('refuses sending away someone who mentors a rotation meanwhile', () => {
    const { context } = smallCompany();
    // Rep 21 mentors marketer 5 in East; now rep 21 would rotate into marketing.
    context.rotations = [rotation(5, 'S1', '2026-03-02', '2026-03-29', { mentorId: 21 })];
    const s2m: RuleProgram = { id: 's2m', direction: 'sales_to_marketing', lengthWeeks: 2, hostTeams: [{ teamId: 'M1', capacity: 1 }] };
    const violations = checkRotation({ personId: 21, hostTeamId: 'M1', mentorId: 2, start: '2026-03-16', end: '2026-04-12' }, s2m, context);
    expect(violations.map((v) => v.code)).toEqual(['mentor_away']);
    expect(violations[0].message).toBe(
      "Mentor away: Person 21 mentors Person 5's rotation 2026-03-02 to 2026-03-29 and would be away 2026-03-16 to 2026-03-29.",
    );
  });
  it('accepts a mentor whose own rotation ends before the span', () => {
    const { context, program } = smallCompany();
    context.rotations = [rotation(21, 'M1', '2026-02-02', '2026-03-01', { programId: 's2m' })];
    expect(codesOf(context, program, proposal())).toEqual([]);
  });
});

describe('blackout', () => {
  it('refuses a sales host team during a sales quarter-end', () => {
    const { context, program } = smallCompany();
    context.blackouts = [{ name: 'Q1 close', department: 'sales', start: '2026-03-23', end: '2026-03-31' }];
    const violations = checkRotation(proposal(), program, context);
    expect(violations.map((v) => v.code)).toEqual(['blackout']);
    expect(violations[0].message).toBe(
      'Blackout: "Q1 close" (all of sales, 2026-03-23 to 2026-03-31) covers host team East during the rotation 2026-03-02 to 2026-03-29.',
    );
  });
  it('refuses a guest whose home team has a launch', () => {
    const { context, program } = smallCompany();
    context.blackouts = [{ name: 'Spring launch', teamId: 'M1', start: '2026-03-10', end: '2026-03-12' }];
    const [violation] = checkRotation(proposal(), program, context);
    expect(violation.code).toBe('blackout');
    expect(violation.message).toContain("covers Person 1's home team Brand");
    expect(violation.message).toContain('team Brand');
  });
  it('accepts blackouts of other teams and blackouts that end the day before', () => {
    const { context, program } = smallCompany();
    context.blackouts = [
      { name: 'West offsite', teamId: 'S2', start: '2026-03-02', end: '2026-03-29' },
      { name: 'Q4 close', department: 'sales', start: '2026-02-20', end: '2026-03-01' },
      { name: 'Launch', department: 'marketing', start: '2026-03-30', end: '2026-04-03' },
    ];
    expect(codesOf(context, program, proposal())).toEqual([]);
  });
});

describe('unavailable', () => {
  it("refuses the guest's declared unavailable periods and accepts the day after", () => {
    const { context, program } = smallCompany();
    context.people = context.people.map((p) =>
      p.id === 1 ? { ...p, unavailable: [{ start: '2026-02-20', end: '2026-03-02', reason: 'parental leave' }] } : p,
    );
    const violations = checkRotation(proposal(), program, context);
    expect(violations.map((v) => v.code)).toEqual(['unavailable']);
    expect(violations[0].message).toBe(
      'Unavailable: Person 1 is unavailable 2026-02-20 to 2026-03-02 (parental leave), which overlaps the rotation 2026-03-02 to 2026-03-29.',
    );
    expect(codesOf(context, program, proposal({ start: '2026-03-03', end: '2026-03-30' }))).toEqual([]);
  });
});

describe('direction', () => {
  it('refuses a guest from the wrong department', () => {
    const { context, program } = smallCompany();
    const violations = checkRotation(proposal({ personId: 22, mentorId: 21 }), program, context);
    expect(violations.map((v) => v.code)).toContain('direction');
    expect(violations[0].message).toBe('Program direction: program "Marketing in the field" takes marketers as guests, but Person 22 is in sales.');
  });
  it('refuses a host team that is not in the program', () => {
    const { context, program } = smallCompany();
    program.hostTeams = [{ teamId: 'S2', capacity: 2 }];
    const violations = checkRotation(proposal(), program, context);
    expect(violations.map((v) => v.code)).toEqual(['direction']);
    expect(violations[0].message).toContain('East is not a host team of program "Marketing in the field"');
  });
  it('in a two-way program, refuses a host team of the guest’s own department and people outside sales and marketing', () => {
    const { context, program } = smallCompany();
    program.direction = 'both';
    program.hostTeams = [...program.hostTeams, { teamId: 'M2', capacity: 1 }];
    const sameSide = checkRotation(proposal({ hostTeamId: 'M2', mentorId: 10 }), program, context);
    expect(sameSide.map((v) => v.code)).toEqual(['direction']);
    expect(sameSide[0].message).toContain('must rotate into a sales team, but host team Events is in marketing');
    context.teams = [...context.teams, team('O1', 'other', 5, 'Finance')];
    context.people = [...context.people, person(99, 'other', 'O1')];
    expect(codesOf(context, program, proposal({ personId: 99 }))).toEqual(['direction']);
  });
});

describe('several broken rules', () => {
  it('are all reported', () => {
    const { context, program } = smallCompany();
    context.people = context.people.map((p) => (p.id === 1 ? { ...p, hireDate: '2026-02-01' } : p));
    context.blackouts = [{ name: 'Q1 close', department: 'sales', start: '2026-03-23', end: '2026-03-31' }];
    context.rotations = [rotation(1, 'S2', '2026-03-01', '2026-03-05')];
    const checker = createRuleChecker(context);
    expect(
      checker
        .check(proposal({ mentorId: 31 }), program)
        .map((v) => v.code)
        .sort(),
    ).toEqual(['blackout', 'mentor_not_in_host_team', 'new_hire_period', 'overlap'].sort());
  });
  it('throw for a person the context does not know', () => {
    const { context, program } = smallCompany();
    expect(() => checkRotation(proposal({ personId: 1234 }), program, context)).toThrow(/no person 1234/);
  });
});
