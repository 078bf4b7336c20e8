// Completion numbers for dashboards and the API, aggregated in SQL: the report by team, department and requirement, and the choices it filters by.
import { sql, type SQL } from 'drizzle-orm';
import { preparedQuery, preparedSql, readTransaction, type Db } from '../db';
import {
  chainRequirementTotals,
  departmentTotals,
  listedTeamTotals,
  requirementTotals,
  teamTotals,
  teamTotalsPage,
  weakestTeamTotals,
} from './completion-totals';
import {
  type ReportFilter,
  type Counts,
  programCondition,
  currentRowsSql,
  FROM_ROWS,
  countsSql,
  type RawCounts,
  toCounts,
  sumCounts,
  addCounts,
  emptyCounts,
  enrolledPeoplePerTeam,
  enrolledEveryone,
  enrolledInScope,
  isManagerScope,
  reportShape,
  reportValues,
  scopeParts,
  narrowedByState,
  STATE_PEOPLE_LIMIT,
} from './report-queries';
import { AppError } from '../lib/errors';

export type TeamCounts = Counts & { teamId: number | null; teamName: string; department: string | null; people: number };
export type RequirementCounts = Counts & { requirementId: number; programId: number; programName: string; title: string; kind: string };
export type CompletionReport = {
  asOf: string;
  totals: Counts & { people: number };
  byTeam: TeamCounts[];
  byDepartment: (Counts & { department: string })[];
  byRequirement: RequirementCounts[];
};

/** Teams side by side: those shown (the weakest few, or all) and how many teams have requirements. */
export type ComparedTeams = { teams: TeamCounts[]; count: number };

/** The dashboard's figures: the report without departments, and only the teams it compares. */
export type CompletionSummary = Omit<CompletionReport, 'byTeam' | 'byDepartment'> & { teams: ComparedTeams };

/**
 * The teams whose counts the report can sum from completion_counts: every team (null) when it
 * counts everyone, a manager's whole teams, or none ([]) when it needs a person's rows (a state
 * filter, a department, a list of people).
 */
function rolledUpTeams(filter: ReportFilter): readonly number[] | null {
  if (filter.state || filter.department || (filter.personIds && !filter.teamIds)) return [];
  if (!filter.personIds) return filter.teamId ? [filter.teamId] : null;
  return filter.teamId ? filter.teamIds!.filter((t) => t === filter.teamId) : filter.teamIds!;
}

/** The sums of countsSql over completion_counts, where each group stands for `rows` rows. */
const ROLLUP_COUNTS = sql`sum(cc.rows) AS total, sum(cc.done * cc.rows) AS done,
    sum((NOT cc.done AND cc.due_at <= ${sql.placeholder('now')}) * cc.rows) AS overdue,
    sum((NOT cc.done AND cc.due_soon_at <= ${sql.placeholder('now')}) * cc.rows) AS due_soon_or_overdue,
    sum(cc.late * cc.rows) AS late`;

type TeamGroup = RawCounts & { teamId: number | null; department: string | null };
type RequirementGroup = RawCounts & { requirementId: number };

/** The rows of people without a team, by department and requirement. */
const teamlessQuery = preparedSql<TeamGroup & RequirementGroup, string, ReportFilter>(
  (_shape, f) => sql`
    SELECT NULL AS teamId, rc.requirement_id AS requirementId, rc.department, ${countsSql()}
    ${FROM_ROWS}
    WHERE ${currentRowsSql(f)} AND rc.team_id IS NULL
    GROUP BY rc.department, rc.requirement_id`,
);

/** The rows of people in teams, by team and requirement. */
const cellsQuery = preparedSql<TeamGroup & RequirementGroup, string, ReportFilter>(
  (_shape, f) => sql`
    SELECT rc.team_id AS teamId, rc.requirement_id AS requirementId, NULL AS department, ${countsSql()}
    ${FROM_ROWS}
    WHERE ${currentRowsSql(f)} AND rc.team_id IS NOT NULL
    GROUP BY rc.team_id, rc.requirement_id`,
);

/** The groups of completion_counts of the teams in :rolled (shape 'p': of one program; '': of every active program). */
function rollupWhere(shape: string): SQL {
  return sql.join(
    [
      sql`cc.window_from <= ${sql.placeholder('now')} AND (cc.window_until IS NULL OR cc.window_until > ${sql.placeholder('now')})`,
      ...programCondition(sql`cc.program_id`, { programId: shape === 'p' ? 1 : undefined }),
      sql`cc.team_id IN (SELECT value FROM json_each(${sql.placeholder('rolled')}))`,
    ],
    sql` AND `,
  );
}

const rollupByRequirement = preparedSql<RequirementGroup>(
  (shape) => sql`SELECT cc.requirement_id AS requirementId, ${ROLLUP_COUNTS} FROM completion_counts cc WHERE ${rollupWhere(shape)} GROUP BY cc.requirement_id`,
);

/**
 * The groups of the rows a report reads one by one: all of the scope, or only its people outside the rolled-up teams
 * (`rolled`, see rolledUpTeams), by team (cells) and, for people without a team, by department (teamless).
 */
function rowGroups(
  db: Db,
  now: Date,
  filter: ReportFilter,
  rolled: readonly number[] | null,
): { cells: (TeamGroup & RequirementGroup)[]; teamless: (TeamGroup & RequirementGroup)[] } {
  const rowScope = rolled === null || rolled.length === 0 || !filter.personIds ? filter : { ...filter, teamIds: undefined };
  // A scope of people that lists nobody (a manager whose reports are all in their teams) has no rows of its own to read.
  const noOne = rowScope.personIds?.length === 0;
  // People without a team are in a scope as people, never as a team's members.
  const teamlessScope = scopeParts(rowScope).at(-1)!;
  const teamless = filter.teamId || noOne ? [] : teamlessQuery(db, reportShape(teamlessScope), teamlessScope).all(reportValues(now, teamlessScope));
  const cells =
    rolled !== null && (rolled.length === 0 || filter.personIds?.length)
      ? scopeParts(rowScope).flatMap((part) => cellsQuery(db, reportShape(part), part).all(reportValues(now, part)))
      : [];
  return { cells, teamless };
}

/**
 * The counts in scope per team and per requirement. Everyone (of all programs or one): the totals kept
 * per team and per requirement (completion_totals). Whole teams (a team, a manager's teams): the
 * totals kept per team, and completion_counts summed per requirement. Everyone else in scope (a
 * manager's reports outside their teams, a state filter, a department): one GROUP BY over their rows
 * (team × requirement) serving both. People without a team: their rows, by department and requirement.
 */
function reportGroups(db: Db, now: Date, filter: ReportFilter, perRequirement = true): { byTeam: TeamGroup[]; byRequirement: RequirementGroup[] } {
  const rolled = rolledUpTeams(filter);
  const { cells, teamless } = rowGroups(db, now, filter, rolled);
  if (rolled !== null && rolled.length === 0) return { byTeam: [...cells, ...teamless], byRequirement: [...cells, ...teamless] };
  if (rolled === null) {
    // Everyone: the kept totals (completion_totals) instead of every team's groups.
    const byTeam = teamTotals(db, now, filter.programId ?? 0).map((t) => ({ ...t, department: null }));
    const byRequirement = requirementTotals(db, now, filter.programId ?? 0);
    return { byTeam: [...byTeam, ...teamless], byRequirement: [...byRequirement, ...teamless] };
  }
  const shape = filter.programId ? 'p' : '';
  const rollupValues = { now: now.getTime(), program: filter.programId ?? null, rolled: JSON.stringify(rolled) };
  // Whole teams: their totals kept per team (completion_totals); per requirement, their groups summed.
  const byTeam = listedTeamTotals(db, now, filter.programId ?? 0, rolled).map((t) => ({ ...t, department: null }));
  // Teams compared without the requirements: their groups need not be summed. A manager's whole scope: kept per manager.
  const byRequirement = !perRequirement
    ? []
    : filter.managerId !== undefined && rolled === filter.teamIds
      ? chainRequirementTotals(db, now, filter.managerId, filter.programId ?? 0, rolled)
      : rollupByRequirement(db, shape).all(rollupValues);
  return { byTeam: [...byTeam, ...cells, ...teamless], byRequirement: [...byRequirement, ...cells, ...teamless] };
}

/** The teams of a report, by id (only those it counts: a manager's few of a large company). */
const teamsQuery = preparedQuery((db) =>
  db.$client.prepare<[string], { id: number; name: string; department: string }>(
    'SELECT id, name, department FROM teams WHERE id IN (SELECT value FROM json_each(?))',
  ),
);

/** Every requirement with its program, the report's order. */
const requirementsQuery = preparedQuery((db) =>
  db.$client.prepare<[], { id: number; programId: number; programName: string; title: string; kind: string; position: number }>(`
    SELECT r.id, r.program_id AS programId, pr.name AS programName, r.title, r.kind, r.position
    FROM program_requirements r JOIN programs pr ON pr.id = r.program_id`),
);

/** The requirements of the report, by id. */
function requirementsById(db: Db) {
  return new Map(
    requirementsQuery(db)
      .all()
      .map((r) => [r.id, r]),
  );
}

/** A program's requirements in the report's order, without counts (a grid's columns when the figures are not totalled). */
export function programRequirements(db: Db, programId: number): RequirementCounts[] {
  const requirements = requirementsById(db);
  const none = { total: 0, done: 0, overdue: 0, due_soon_or_overdue: 0, late: 0 };
  return foldRequirements(
    [...requirements.values()].filter((r) => r.programId === programId).map((r) => ({ ...none, requirementId: r.id })),
    requirements,
  );
}

/** The groups folded per requirement, in the report's order (programs by name, then position). */
function foldRequirements(groups: RequirementGroup[], requirements: ReturnType<typeof requirementsById>): RequirementCounts[] {
  // Each requirement's groups are summed once (a manager's page folds a few hundred groups).
  const parts = new Map<number, Counts[]>();
  for (const group of groups) {
    const counts = toCounts(group);
    const known = parts.get(group.requirementId);
    if (known) known.push(counts);
    else parts.set(group.requirementId, [counts]);
  }
  const byRequirement: RequirementCounts[] = [];
  for (const [requirementId, counts] of parts) {
    const requirement = requirements.get(requirementId)!;
    byRequirement.push({
      ...sumCounts(counts),
      requirementId,
      programId: requirement.programId,
      programName: requirement.programName,
      title: requirement.title,
      kind: requirement.kind,
    });
  }
  const position = (id: number) => requirements.get(id)?.position ?? 0;
  return byRequirement.sort((a, b) => a.programName.localeCompare(b.programName) || position(a.requirementId) - position(b.requirementId));
}

/** The teams of these ids, by id. */
function teamsById(db: Db, teamIds: Iterable<number>) {
  return new Map(
    teamsQuery(db)
      .all(JSON.stringify([...teamIds]))
      .map((t) => [t.id, t]),
  );
}

/** The groups folded per team (null: no team), with each team's name and department. */
function foldTeams(groups: TeamGroup[], teams: ReturnType<typeof teamsById>): Map<number | null, TeamCounts> {
  const byTeam = new Map<number | null, TeamCounts>();
  for (const group of groups) {
    const team = group.teamId === null ? undefined : teams.get(group.teamId);
    const teamRow = byTeam.get(group.teamId) ?? {
      ...emptyCounts(),
      teamId: group.teamId,
      teamName: team?.name ?? 'No team',
      department: team?.department ?? null,
      people: 0,
    };
    byTeam.set(group.teamId, { ...teamRow, ...addCounts(teamRow, toCounts(group)) });
  }
  return byTeam;
}

// The order of teams everywhere (SQL's ORDER BY department, name: binary, as teams_department_name_idx walks them).
const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byDepartmentAndName = (a: TeamCounts, b: TeamCounts) => binary(a.department ?? '', b.department ?? '') || binary(a.teamName, b.teamName);

/** A state filter whose people are too many to total (see STATE_PEOPLE_LIMIT): the error the API and pages answer. */
export const stateTooBroad = () =>
  new AppError(
    400,
    'too_broad',
    `More than ${STATE_PEOPLE_LIMIT} people in this scope have a requirement in that state, too many to total: choose a team (or a department) as well.`,
  );

/**
 * The completion report: the counts per team and per requirement (see reportGroups), folded into
 * totals, teams, departments and requirements. A state filter names its people (narrowedByState);
 * past STATE_PEOPLE_LIMIT of them it is refused (stateTooBroad).
 */
export function completionReport(db: Db, now: Date, wanted: ReportFilter = {}): CompletionReport {
  const report = stateReport(db, now, wanted);
  if (!report) throw stateTooBroad();
  return report;
}

/** The completion report, or null when the filter's state names more than STATE_PEOPLE_LIMIT people. */
function stateReport(db: Db, now: Date, wanted: ReportFilter): CompletionReport | null {
  return readTransaction(db, () => {
    const { filter, over } = narrowedByState(db, now, wanted);
    if (over) return null;
    const groups = reportGroups(db, now, filter);
    const teamPeople = enrolledPeoplePerTeam(db, filter);
    const teamIds = new Set<number>();
    for (const g of groups.byTeam) if (g.teamId !== null) teamIds.add(g.teamId);
    for (const t of teamPeople) if (t.teamId !== null) teamIds.add(t.teamId);
    const teams = teamsById(db, teamIds);
    const byTeam = foldTeams(groups.byTeam, teams);
    const byDepartment = new Map<string, Counts & { department: string }>();
    let totals = emptyCounts();
    for (const group of groups.byTeam) {
      const counts = toCounts(group);
      totals = addCounts(totals, counts);
      const department = (group.teamId === null ? undefined : teams.get(group.teamId))?.department ?? group.department ?? 'none';
      const depRow = byDepartment.get(department) ?? { ...emptyCounts(), department };
      byDepartment.set(department, { ...depRow, ...addCounts(depRow, counts) });
    }
    let people = 0;
    for (const row of teamPeople) {
      people += row.people;
      const teamRow = byTeam.get(row.teamId);
      if (teamRow) teamRow.people = row.people;
    }
    return {
      asOf: now.toISOString(),
      totals: { ...totals, people },
      byTeam: [...byTeam.values()].sort(byDepartmentAndName),
      byDepartment: [...byDepartment.values()].sort((a, b) => a.department.localeCompare(b.department)),
      byRequirement: foldRequirements(groups.byRequirement, requirementsById(db)),
    };
  });
}

/** A page of the teams compared: the teams shown, how many there are, and the page (one past the last shows the last). */
export type ComparedTeamsPage = ComparedTeams & { page: number };

/** Which rows of `count` a page shows, the page clamped to the last. */
function pageOf(count: number, page: number, pageSize: number) {
  const last = Math.max(1, Math.ceil(count / pageSize));
  const shown = Math.min(page, last);
  return { page: shown, offset: (shown - 1) * pageSize, limit: pageSize };
}

/**
 * Every team with requirements in scope, by department and name (people without a team first, as "No team"), a page
 * at a time. For everyone the page is read from the totals kept per team (teamTotalsPage); otherwise the scope's
 * teams are counted (reportGroups, without the sums per requirement the page does not show) and sorted.
 */
export function compareTeamsPage(db: Db, now: Date, wanted: ReportFilter, page: number, pageSize: number): ComparedTeamsPage {
  return readTransaction(db, () => {
    const { filter, over } = narrowedByState(db, now, wanted);
    if (over) throw stateTooBroad();
    if (isManagerScope(filter)) return managerTeamsPage(db, now, filter, page, pageSize);
    if (rolledUpTeams(filter) !== null) {
      const groups = reportGroups(db, now, filter, false);
      const teamIds = new Set<number>();
      for (const g of groups.byTeam) if (g.teamId !== null) teamIds.add(g.teamId);
      const byTeam = foldTeams(groups.byTeam, teamsById(db, teamIds));
      for (const row of enrolledPeoplePerTeam(db, filter)) {
        const teamRow = byTeam.get(row.teamId);
        if (teamRow) teamRow.people = row.people;
      }
      const teams = [...byTeam.values()].filter((t) => t.total > 0).sort(byDepartmentAndName);
      const shown = pageOf(teams.length, page, pageSize);
      return { teams: teams.slice(shown.offset, shown.offset + shown.limit), count: teams.length, page: shown.page };
    }
    const teamless = teamlessQuery(db, reportShape(filter), filter).all(reportValues(now, filter));
    const noTeam = foldTeams(
      teamless.map((t) => ({ ...t, teamId: null })),
      new Map(),
    ).get(null);
    const first = noTeam && noTeam.total > 0 ? [noTeam] : [];
    let shown = pageOf(first.length, page, pageSize);
    // "No team" takes the first place of the first page; the teams follow it.
    const kept = teamTotalsPage(db, now, filter.programId ?? 0, (count) => {
      shown = pageOf(count + first.length, page, pageSize);
      const offset = Math.max(0, shown.offset - first.length);
      return { offset, limit: shown.limit - (shown.offset === 0 ? first.length : 0) };
    });
    const teams = foldTeams(
      kept.teams.map((t) => ({ ...t, department: null })),
      teamsById(
        db,
        kept.teams.map((t) => t.teamId),
      ),
    );
    const people = enrolledPeoplePerTeam(db, { programId: filter.programId, teamIds: [0, ...kept.teams.map((t) => t.teamId)] });
    for (const row of people) {
      const teamRow = row.teamId === null ? noTeam : teams.get(row.teamId);
      if (teamRow) teamRow.people = row.people;
    }
    return { teams: [...(shown.offset === 0 ? first : []), ...teams.values()], count: kept.count + first.length, page: shown.page };
  });
}

/**
 * compareTeamsPage of a manager's whole scope: their teams from the totals kept per team, walked in the report's order
 * within their scope (teamTotalsPage) up to the page's end, and the teams of their people outside those teams (and
 * "No team") from those people's rows, merged in.
 */
function managerTeamsPage(
  db: Db,
  now: Date,
  filter: ReportFilter & { managerId: number; teamIds: readonly number[] },
  page: number,
  pageSize: number,
): ComparedTeamsPage {
  const { cells, teamless } = rowGroups(db, now, filter, filter.teamIds);
  const outsideIds = new Set<number>();
  for (const g of cells) if (g.teamId !== null) outsideIds.add(g.teamId);
  const outside = foldTeams([...cells, ...teamless], teamsById(db, outsideIds));
  for (const row of enrolledPeoplePerTeam(db, { ...filter, teamIds: [] })) if (outside.has(row.teamId)) outside.get(row.teamId)!.people = row.people;
  const extras = [...outside.values()].filter((t) => t.total > 0);
  let shown = pageOf(extras.length, page, pageSize);
  // The scope's teams up to the page's end: the outside ones may come anywhere among them.
  const kept = teamTotalsPage(
    db,
    now,
    filter.programId ?? 0,
    (count) => {
      shown = pageOf(count + extras.length, page, pageSize);
      return { offset: 0, limit: shown.offset + shown.limit };
    },
    filter.managerId,
  );
  const keptIds = kept.teams.map((t) => t.teamId);
  const teams = foldTeams(
    kept.teams.map((t) => ({ ...t, department: null })),
    teamsById(db, keptIds),
  );
  for (const row of enrolledPeoplePerTeam(db, { programId: filter.programId, teamIds: keptIds }))
    if (teams.has(row.teamId)) teams.get(row.teamId)!.people = row.people;
  const merged = [...teams.values(), ...extras].sort(byDepartmentAndName);
  return { teams: merged.slice(shown.offset, shown.offset + shown.limit), count: kept.count + extras.length, page: shown.page };
}

/** HR's overview: the company's figures by department and requirement, and its teams compared (see completionOverview). */
export type CompletionOverview = Omit<CompletionReport, 'byTeam'> & { teams: ComparedTeams; manyTeams: boolean };

/**
 * HR's overview of everyone: the dashboard's figures (completionSummary), the departments from the totals kept per
 * team summed in SQL, and the teams: all of them by department and name up to `listed`, else the `weakest` few.
 */
export function completionOverview(db: Db, now: Date, listed: number, weakest: number): CompletionOverview {
  return readTransaction(db, () => {
    const summary = completionSummary(db, now, {}, weakest)!;
    const manyTeams = summary.teams.count > listed;
    const teams = manyTeams ? summary.teams : compareTeamsPage(db, now, {}, 1, listed);
    return { ...summary, byDepartment: departmentFigures(db, now, {}), teams: { teams: teams.teams, count: teams.count }, manyTeams };
  });
}

/**
 * The figures per department of everyone or of a manager's whole scope: the totals kept per team summed per department
 * in SQL (of the scope's teams), and the rows of people without a team and of the manager's people outside their teams.
 */
function departmentFigures(db: Db, now: Date, filter: ReportFilter): (Counts & { department: string })[] {
  const byDepartment = new Map<string, Counts & { department: string }>();
  const scoped = isManagerScope(filter);
  const { cells, teamless } = scoped
    ? rowGroups(db, now, filter, filter.teamIds)
    : { cells: [], teamless: teamlessQuery(db, reportShape(filter), filter).all(reportValues(now, filter)) };
  const cellTeams = teamsById(db, new Set(cells.map((g) => g.teamId).filter((id) => id !== null)));
  const outside = cells.map((g) => ({ ...g, department: cellTeams.get(g.teamId!)?.department ?? null }));
  for (const group of [...departmentTotals(db, now, filter.programId ?? 0, scoped ? filter.managerId : 0), ...outside, ...teamless]) {
    const department = group.department ?? 'none';
    const row = byDepartment.get(department) ?? { ...emptyCounts(), department };
    byDepartment.set(department, { ...row, ...addCounts(row, toCounts(group)) });
  }
  return [...byDepartment.values()].sort((a, b) => binary(a.department, b.department));
}

/** The completion report with its teams a page at a time (`byTeamPage`): what the API answers. */
export type CompletionReportPage = CompletionReport & { byTeamPage: { page: number; pageSize: number; total: number } };

/**
 * The completion report (completionReport) with `pageSize` of its teams from `page`: for everyone or a manager's whole
 * scope, every figure from what is kept and the page of teams read as the dashboard reads it (compareTeamsPage), so
 * its cost is the page's.
 */
export function completionReportPage(db: Db, now: Date, wanted: ReportFilter, page: number, pageSize: number): CompletionReportPage {
  return readTransaction(db, () => {
    const { filter, over } = narrowedByState(db, now, wanted);
    if (over) throw stateTooBroad();
    const managed = isManagerScope(filter);
    if (!managed && rolledUpTeams(filter) !== null) {
      const report = completionReport(db, now, filter);
      const shown = pageOf(report.byTeam.length, page, pageSize);
      return {
        ...report,
        byTeam: report.byTeam.slice(shown.offset, shown.offset + shown.limit),
        byTeamPage: { page: shown.page, pageSize, total: report.byTeam.length },
      };
    }
    // Everyone, or a manager's whole scope: the figures from what is kept, the teams a page at a time.
    const summary = managed ? managerFigures(db, now, filter, 0) : everyoneFigures(db, now, filter, 0);
    const teams = compareTeamsPage(db, now, filter, page, pageSize);
    return {
      asOf: summary.asOf,
      totals: summary.totals,
      byTeam: teams.teams,
      byTeamPage: { page: teams.page, pageSize, total: teams.count },
      byDepartment: departmentFigures(db, now, filter),
      byRequirement: summary.byRequirement,
    };
  });
}

/** Lowest share done first, then the most overdue: where help is needed first. */
function weakestFirst(teams: TeamCounts[]) {
  return [...teams].sort((a, b) => (a.percentDone ?? 101) - (b.percentDone ?? 101) || b.overdue - a.overdue || a.teamName.localeCompare(b.teamName));
}

/** The teams with requirements: the `weakest` with the lowest share done when there are more, else all of them (by department and name). */
export function compareTeams(byTeam: TeamCounts[], weakest: number): ComparedTeams {
  const teams = byTeam.filter((t) => t.total > 0);
  return { teams: teams.length > weakest ? weakestFirst(teams).slice(0, weakest) : teams, count: teams.length };
}

/**
 * The dashboard's figures: totals, requirements and the teams compared (see compareTeams). For
 * everyone (of all programs or one) they come from the kept totals, the teams as the weakest few of
 * the ranking kept per team: the cost of what the page shows, not of the number of teams. Null when
 * a state filter names more than STATE_PEOPLE_LIMIT people (their figures are not totalled).
 */
export function completionSummary(db: Db, now: Date, filter: ReportFilter, weakest: number): CompletionSummary | null {
  if (isManagerScope(filter)) return managerFigures(db, now, filter, weakest);
  if (rolledUpTeams(filter) !== null) {
    const full = stateReport(db, now, filter);
    if (!full) return null;
    const { byTeam, byDepartment: _, ...report } = full;
    return { ...report, teams: compareTeams(byTeam, weakest) };
  }
  return everyoneFigures(db, now, filter, weakest);
}

/** completionSummary of everyone (of all programs or one): the kept totals, the teams the weakest few of the kept ranking. */
function everyoneFigures(db: Db, now: Date, filter: ReportFilter, weakest: number): CompletionSummary {
  return readTransaction(db, () => {
    const values = reportValues(now, filter);
    const teamless = teamlessQuery(db, reportShape(filter), filter).all(values);
    const byRequirement = [...requirementTotals(db, now, filter.programId ?? 0), ...teamless];
    const totals = sumCounts(byRequirement.map(toCounts));
    const ranked = weakestTeamTotals(db, now, filter.programId ?? 0, weakest);
    const candidates = foldTeams(
      [...ranked.teams.map((t) => ({ ...t, department: null })), ...teamless.map((t) => ({ ...t, teamId: null }))],
      teamsById(
        db,
        ranked.teams.map((t) => t.teamId),
      ),
    );
    for (const row of enrolledPeoplePerTeam(db, { programId: filter.programId, teamIds: [0, ...ranked.teams.map((t) => t.teamId)] }))
      if (candidates.has(row.teamId)) candidates.get(row.teamId)!.people = row.people;
    const count = ranked.count + (candidates.get(null)?.total ? 1 : 0);
    const teams = [...candidates.values()].filter((t) => t.total > 0);
    return {
      asOf: now.toISOString(),
      totals: { ...totals, people: enrolledEveryone(db, filter.programId ?? 0) },
      byRequirement: foldRequirements(byRequirement, requirementsById(db)),
      teams: { teams: count > weakest ? weakestFirst(teams).slice(0, weakest) : teams.sort(byDepartmentAndName), count },
    };
  });
}

/**
 * completionSummary of a manager's whole scope (of all programs or one): the requirements from the sums kept per
 * manager (chainRequirementTotals), the teams as the weakest few of the ranking kept per team within their scope
 * (manager_scope_teams), and their people outside those teams read row by row: the cost of what the page shows and
 * of those few people, not of the manager's teams.
 */
function managerFigures(db: Db, now: Date, filter: ReportFilter & { managerId: number; teamIds: readonly number[] }, weakest: number): CompletionSummary {
  return readTransaction(db, () => {
    const program = filter.programId ?? 0;
    const { cells, teamless } = rowGroups(db, now, filter, filter.teamIds);
    const byRequirement = [...chainRequirementTotals(db, now, filter.managerId, program, filter.teamIds), ...cells, ...teamless];
    const ranked = weakestTeamTotals(db, now, program, weakest, filter.managerId);
    const groups: TeamGroup[] = [...ranked.teams.map((t) => ({ ...t, department: null })), ...cells, ...teamless];
    const shown = new Set<number>();
    for (const g of groups) if (g.teamId !== null) shown.add(g.teamId);
    const candidates = foldTeams(groups, teamsById(db, shown));
    for (const row of enrolledPeoplePerTeam(db, { ...filter, teamIds: ranked.teams.map((t) => t.teamId) }))
      if (candidates.has(row.teamId)) candidates.get(row.teamId)!.people = row.people;
    const teams = [...candidates.values()].filter((t) => t.total > 0);
    // Teams outside the scope (of people outside it) and "No team" are all among the candidates.
    const rankedIds = new Set(ranked.teams.map((t) => t.teamId));
    const count = ranked.count + teams.filter((t) => t.teamId === null || !rankedIds.has(t.teamId)).length;
    return {
      asOf: now.toISOString(),
      totals: { ...sumCounts(byRequirement.map(toCounts)), people: enrolledInScope(db, filter) },
      byRequirement: foldRequirements(byRequirement, requirementsById(db)),
      teams: { teams: count > weakest ? weakestFirst(teams).slice(0, weakest) : teams.sort(byDepartmentAndName), count },
    };
  });
}

/** Programs to filter a report by, active ones first (a plain list: no counts to compute). */
export function listProgramChoices(db: Db): { id: number; name: string; active: boolean }[] {
  return programChoicesQuery(db)
    .all()
    .map((p) => ({ ...p, active: Boolean(p.active) }));
}

const programChoicesQuery = preparedQuery((db) =>
  db.$client.prepare<[], { id: number; name: string; active: number }>('SELECT id, name, active FROM programs ORDER BY active DESC, lower(name)'),
);

/** Teams to filter a report by: every team (scope null), or the teams of the people in scope (a scope's own teams, and its other people's). */
export function listTeamChoices(db: Db, scope: ReportFilter): { id: number; name: string }[] {
  if (!scope.personIds) return teamChoicesQuery(db).all.all();
  return teamChoicesQuery(db).scoped.all({ teams: JSON.stringify(scope.teamIds ?? []), people: JSON.stringify(scope.personIds) });
}

const teamChoicesQuery = preparedQuery((db) => ({
  all: db.$client.prepare<[], { id: number; name: string }>('SELECT id, name FROM teams ORDER BY department, name'),
  scoped: db.$client.prepare<{ teams: string; people: string }, { id: number; name: string }>(`
    SELECT t.id, t.name FROM teams t
    WHERE t.id IN (SELECT value FROM json_each(@teams)) OR t.id IN (SELECT p.team_id FROM people p WHERE p.id IN (SELECT value FROM json_each(@people)))
    ORDER BY t.department, t.name`),
}));
