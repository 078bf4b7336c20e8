// Which groups of an anonymous round may be described: none smaller than the minimum group size k, and
// none that can be worked out by subtracting published groups from a published total (a department minus
// its shown teams, the whole round minus its shown departments). Pure module.

export const DEFAULT_MIN_GROUP_SIZE = 5;
/** HR may raise k, never lower it below this. */
export const LOWEST_MIN_GROUP_SIZE = 3;
export const HIGHEST_MIN_GROUP_SIZE = 50;

export type HiddenReason = 'small_group' | 'complement' | 'open_round';

type GroupCount<Key> = { key: Key; respondents: number };

/**
 * Primary suppression hides every group under k; secondary suppression then hides the smallest shown groups
 * until the hidden ones together are none or at least k, so their total (which the parent reveals) describes
 * no small group either. Ties go by key so the choice is stable.
 */
export function suppressSiblings<Key extends string | number>(groups: GroupCount<Key>[], k: number): Map<Key, HiddenReason> {
  const hidden = new Map<Key, HiddenReason>();
  let hiddenTotal = 0;
  for (const group of groups) {
    if (group.respondents < k) {
      hidden.set(group.key, 'small_group');
      hiddenTotal += group.respondents;
    }
  }
  const shown = groups.filter((group) => !hidden.has(group.key)).sort(bySizeThenKey);
  while (hiddenTotal > 0 && hiddenTotal < k && shown.length > 0) {
    const next = shown.shift()!;
    hidden.set(next.key, 'complement');
    hiddenTotal += next.respondents;
  }
  return hidden;
}

export type TeamGroup<Department extends string> = { key: string; department: Department; respondents: number };

export type Suppression<Department extends string> = {
  overall: HiddenReason | null;
  departments: Map<Department, HiddenReason>;
  teams: Map<string, HiddenReason>;
};

/** A department of a round as suppression needs it: its respondents, those of its groups under k, and its smallest group of k or more. */
export type DepartmentGroups<Department extends string> = {
  department: Department;
  respondents: number;
  smallRespondents: number;
  smallestShown: string | null;
};

/**
 * What an anonymous round may describe, decided from its departments alone: which departments are hidden and, in each
 * department shown, the one group hidden so that its groups under k cannot be worked out from the department's total.
 * One is enough: every group shown has k or more, so hiding the smallest brings the hidden total to k at least.
 */
export type RoundHiding<Department extends string> = {
  overall: HiddenReason | null;
  departments: Map<Department, HiddenReason>;
  complements: Set<string>;
  k: number;
};

export function hideRound<Department extends string>(departments: DepartmentGroups<Department>[], k: number): RoundHiding<Department> {
  const total = departments.reduce((sum, department) => sum + department.respondents, 0);
  if (total < k)
    return { overall: 'small_group', departments: new Map(departments.map((d) => [d.department, 'small_group' as HiddenReason])), complements: new Set(), k };
  const hidden = suppressSiblings(
    departments.map((d) => ({ key: d.department, respondents: d.respondents })),
    k,
  );
  const complements = new Set<string>();
  for (const d of departments)
    if (!hidden.has(d.department) && d.smallRespondents > 0 && d.smallRespondents < k && d.smallestShown !== null) complements.add(d.smallestShown);
  return { overall: null, departments: hidden, complements, k };
}

/** An open round hides everything (see withholdRound). */
export function withholdDepartments<Department extends string>(departments: Department[], k: number): RoundHiding<Department> {
  return {
    overall: 'open_round',
    departments: new Map(departments.map((department) => [department, 'open_round' as HiddenReason])),
    complements: new Set(),
    k,
  };
}

/** Why one group of a round may not be described, or null when it may. A department hidden to protect another hides its teams too. */
export function groupHidden<Department extends string>(hiding: RoundHiding<Department>, group: TeamGroup<Department>): HiddenReason | null {
  if (hiding.overall) return hiding.overall;
  if (hiding.departments.has(group.department)) return group.respondents < hiding.k ? 'small_group' : 'complement';
  if (group.respondents < hiding.k) return 'small_group';
  return hiding.complements.has(group.key) ? 'complement' : null;
}

/** Orders groups for the complement: fewest respondents first, ties by key, so the choice is stable. */
const bySizeThenKey = <Key extends string | number>(a: GroupCount<Key>, b: GroupCount<Key>) =>
  a.respondents - b.respondents || String(a.key).localeCompare(String(b.key));

/** The departments of a list of groups, as hideRound reads them. */
function departmentGroupsOf<Department extends string>(teams: TeamGroup<Department>[], k: number): DepartmentGroups<Department>[] {
  const byDepartment = new Map<Department, DepartmentGroups<Department> & { smallest: TeamGroup<Department> | null }>();
  for (const team of teams) {
    let d = byDepartment.get(team.department);
    if (!d) byDepartment.set(team.department, (d = { department: team.department, respondents: 0, smallRespondents: 0, smallestShown: null, smallest: null }));
    d.respondents += team.respondents;
    if (team.respondents < k) d.smallRespondents += team.respondents;
    else if (!d.smallest || bySizeThenKey(team, d.smallest) < 0) d.smallest = team;
  }
  return [...byDepartment.values()].map(({ smallest, ...d }) => ({ ...d, smallestShown: smallest?.key ?? null }));
}

/**
 * The whole round, its departments and their teams (a tree: every team cell belongs to one department).
 * A department hidden to protect another one hides all its teams too, or their sum would give it back.
 */
export function suppressRound<Department extends string>(teams: TeamGroup<Department>[], k: number): Suppression<Department> {
  const hiding = hideRound(departmentGroupsOf(teams, k), k);
  const hiddenTeams = new Map<string, HiddenReason>();
  for (const team of teams) {
    const reason = groupHidden(hiding, team);
    if (reason) hiddenTeams.set(team.key, reason);
  }
  return { overall: hiding.overall, departments: hiding.departments, teams: hiddenTeams };
}

/** Everything hidden: an anonymous round still open shows no results, so nobody learns an answer by reading before and after it. */
export function withholdRound<Department extends string>(teams: TeamGroup<Department>[]): Suppression<Department> {
  return {
    overall: 'open_round',
    departments: new Map([...new Set(teams.map((team) => team.department))].map((department) => [department, 'open_round' as HiddenReason])),
    teams: new Map(teams.map((team) => [team.key, 'open_round' as HiddenReason])),
  };
}

/** What a hidden cell says instead of its figures. */
export function hiddenText(reason: HiddenReason, k: number): string {
  switch (reason) {
    case 'small_group':
      return `fewer than ${k} answers`;
    case 'complement':
      return `hidden, so that a group of fewer than ${k} cannot be worked out`;
    case 'open_round':
      return 'shown when the round closes';
  }
}
