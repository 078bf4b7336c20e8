import { describe, expect, it } from 'vitest';
import { hiddenText, suppressRound, suppressSiblings, withholdRound, type TeamGroup } from '../../src/surveys/anonymity';

type Dept = 'sales' | 'marketing' | 'other';
const team = (key: string, department: Dept, respondents: number): TeamGroup<Dept> => ({ key, department, respondents });

describe('minimum group size among siblings', () => {
  it('hides groups under k, then the smallest shown ones until the hidden total is none or at least k', () => {
    expect([
      ...suppressSiblings(
        [
          { key: 'a', respondents: 2 },
          { key: 'b', respondents: 7 },
          { key: 'c', respondents: 6 },
        ],
        5,
      ),
    ]).toEqual([
      ['a', 'small_group'],
      ['c', 'complement'],
    ]);
    expect([
      ...suppressSiblings(
        [
          { key: 'a', respondents: 0 },
          { key: 'b', respondents: 6 },
        ],
        5,
      ),
    ]).toEqual([['a', 'small_group']]);
    expect([
      ...suppressSiblings(
        [
          { key: 'a', respondents: 5 },
          { key: 'b', respondents: 5 },
        ],
        5,
      ),
    ]).toEqual([]);
    expect(
      [
        ...suppressSiblings(
          [
            { key: 'a', respondents: 1 },
            { key: 'b', respondents: 1 },
            { key: 'c', respondents: 4 },
          ],
          5,
        ),
      ].map(([key]) => key),
    ).toEqual(['a', 'b', 'c']);
    // Ties go by key, so the same counts always hide the same group.
    expect([
      ...suppressSiblings(
        [
          { key: 'y', respondents: 6 },
          { key: 'x', respondents: 6 },
          { key: 'z', respondents: 1 },
        ],
        5,
      ),
    ]).toEqual([
      ['z', 'small_group'],
      ['x', 'complement'],
    ]);
  });
});

describe('a round: overall, departments, teams', () => {
  it('hides everything when the whole round is under k', () => {
    const result = suppressRound([team('s1', 'sales', 2), team('m1', 'marketing', 2)], 5);
    expect(result.overall).toBe('small_group');
    expect([...result.departments.keys()].sort()).toEqual(['marketing', 'sales']);
    expect(result.teams.size).toBe(2);
  });

  it('hides a small team and the sibling that would give it away', () => {
    // Sales: East 6, West 1, North 8. West is small; hiding only West lets Sales minus East minus North give it.
    const result = suppressRound([team('east', 'sales', 6), team('west', 'sales', 1), team('north', 'sales', 8), team('pm', 'marketing', 9)], 5);
    expect(result.overall).toBeNull();
    expect(result.departments.size).toBe(0);
    expect(result.teams.get('west')).toBe('small_group');
    expect(result.teams.get('east')).toBe('complement');
    expect(result.teams.has('north')).toBe(false);
    expect(result.teams.has('pm')).toBe(false);
  });

  it('a department hidden to protect another hides all its teams', () => {
    // Other has 2 (small); Marketing (6) is hidden with it, and so are Marketing's teams (6 would equal it).
    const result = suppressRound([team('east', 'sales', 9), team('pm', 'marketing', 6), team('hr', 'other', 2)], 5);
    expect(result.departments.get('other')).toBe('small_group');
    expect(result.departments.get('marketing')).toBe('complement');
    expect(result.teams.get('pm')).toBe('complement');
    expect(result.teams.get('hr')).toBe('small_group');
    expect(result.teams.has('east')).toBe(false);
  });

  it('never lets a group under k be shown or worked out, on many random rounds', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const departments: Dept[] = ['sales', 'marketing', 'other'];
    for (let trial = 0; trial < 500; trial++) {
      const k = 3 + Math.floor(random() * 5);
      const teams: TeamGroup<Dept>[] = [];
      for (const department of departments) {
        const count = Math.floor(random() * 5);
        for (let index = 0; index < count; index++) teams.push(team(`${department}-${index}`, department, Math.floor(random() * 12)));
      }
      const result = suppressRound(teams, k);
      const total = teams.reduce((sum, t) => sum + t.respondents, 0);
      if (total < k) {
        expect(result.overall).not.toBeNull();
        expect(result.teams.size).toBe(teams.length);
        continue;
      }
      // Every shown team and department has at least k respondents.
      for (const t of teams) if (!result.teams.has(t.key)) expect(t.respondents).toBeGreaterThanOrEqual(k);
      const departmentTotal = (department: Dept) => teams.filter((t) => t.department === department).reduce((sum, t) => sum + t.respondents, 0);
      const present = departments.filter((department) => teams.some((t) => t.department === department));
      for (const department of present) if (!result.departments.has(department)) expect(departmentTotal(department)).toBeGreaterThanOrEqual(k);
      // Subtracting shown departments from the total leaves none or at least k.
      const hiddenDepartments = present
        .filter((department) => result.departments.has(department))
        .reduce((sum, department) => sum + departmentTotal(department), 0);
      expect(hiddenDepartments === 0 || hiddenDepartments >= k).toBe(true);
      for (const department of present) {
        const list = teams.filter((t) => t.department === department);
        if (result.departments.has(department)) {
          // A hidden department shows none of its teams.
          for (const t of list) expect(result.teams.has(t.key)).toBe(true);
        } else {
          // Subtracting shown teams from a shown department leaves none or at least k.
          const hidden = list.filter((t) => result.teams.has(t.key)).reduce((sum, t) => sum + t.respondents, 0);
          expect(hidden === 0 || hidden >= k).toBe(true);
        }
      }
    }
  });

  it('an open round shows nothing, and each hidden cell says why', () => {
    const result = withholdRound([team('east', 'sales', 40), team('pm', 'marketing', 30)]);
    expect(result.overall).toBe('open_round');
    expect(result.teams.get('east')).toBe('open_round');
    expect(hiddenText('small_group', 5)).toBe('fewer than 5 answers');
    expect(hiddenText('complement', 7)).toContain('fewer than 7');
    expect(hiddenText('open_round', 5)).toBe('shown when the round closes');
  });
});
