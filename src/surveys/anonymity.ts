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
  const shown = groups.filter((group) => !hidden.has(group.key)).sort((a, b) => a.respondents - b.respondents || String(a.key).localeCompare(String(b.key)));
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

/**
 * The whole round, its departments and their teams (a tree: every team cell belongs to one department).
 * A department hidden to protect another one hides all its teams too, or their sum would give it back.
 */
export function suppressRound<Department extends string>(teams: TeamGroup<Department>[], k: number): Suppression<Department> {
  const byDepartment = new Map<Department, TeamGroup<Department>[]>();
  for (const team of teams) {
    const list = byDepartment.get(team.department) ?? [];
    list.push(team);
    byDepartment.set(team.department, list);
  }
  const total = teams.reduce((sum, team) => sum + team.respondents, 0);
  const hiddenTeams = new Map<string, HiddenReason>();
  if (total < k) {
    const departments = new Map<Department, HiddenReason>([...byDepartment.keys()].map((department) => [department, 'small_group' as HiddenReason]));
    for (const team of teams) hiddenTeams.set(team.key, 'small_group');
    return { overall: 'small_group', departments, teams: hiddenTeams };
  }
  const departments = suppressSiblings(
    [...byDepartment].map(([department, list]) => ({ key: department, respondents: list.reduce((sum, team) => sum + team.respondents, 0) })),
    k,
  );
  for (const [department, list] of byDepartment) {
    const departmentHidden = departments.get(department);
    if (departmentHidden) {
      for (const team of list) hiddenTeams.set(team.key, team.respondents < k ? 'small_group' : 'complement');
      continue;
    }
    for (const [key, reason] of suppressSiblings(list, k)) hiddenTeams.set(key, reason);
  }
  return { overall: null, departments, teams: hiddenTeams };
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
