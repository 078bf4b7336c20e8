// Counting a round: its answers tallied per team (from the counts the writes keep), the rate cells and verdicts
// made from counts, and which groups an anonymous round may describe.
import type { Department } from '../../db/schema';
import { preparedQuery, type Db } from '../db';
import type { AdvantageVersion } from './advantages';
import { groupHidden, hideRound, suppressRound, withholdDepartments, withholdRound, type HiddenReason, type RoundHiding, type Suppression } from './anonymity';
import { groupSimilarAnswers, SHARED_MINDSET_THRESHOLD, type AnswerGroup } from '../matching/matching';
import { minGroupSizeOf, type SurveySettings } from './settings';
import { roundStatus, type RoundRow } from './surveys';
import { decideVerdict, type Verdict } from './verdict';

const SAY_INSTEAD_GROUPS = 15;

export type RateCell = {
  participants: number;
  respondents: number;
  responseRate: number;
  answers: number;
  matched: number;
  matchRate: number;
  /** True only when the verdict is decided as a shared mindset. */
  sharedMindset: boolean;
  /** Respondents who named every official advantage (up to three). */
  namedAll: number;
  namedAllShare: number;
  verdict: Verdict;
  /** In an anonymous round: why this cell shows no figures (its counts are then zero here and null in the API). */
  hidden: HiddenReason | null;
};

export type TeamCell = RateCell & { teamId: number | null; teamName: string; department: Department };
export type RecallCell = { key: string; name: string; respondents: number; share: number; byDepartment: Record<Department, number | null> };
export type SayInsteadGroup = { label: string; count: number; byDepartment: Record<Department, number | null>; examples: string[] };

export type Counts = Pick<RateCell, 'participants' | 'respondents' | 'answers' | 'matched' | 'namedAll'>;
export const emptyCounts = (): Counts => ({ participants: 0, respondents: 0, answers: 0, matched: 0, namedAll: 0 });

export type VerdictRules = { threshold: number; minResponseRatePercent: number };
export const rulesOf = (settings: SurveySettings): VerdictRules => ({
  threshold: SHARED_MINDSET_THRESHOLD,
  minResponseRatePercent: settings.minResponseRatePercent,
});

/** A group's figures with the verdict its evidence supports. */
export function rateCell(counts: Counts, rules: VerdictRules): RateCell {
  const matchRate = counts.answers ? counts.matched / counts.answers : 0;
  const verdict = decideVerdict({ matchRate, respondents: counts.respondents, participants: counts.participants, ...rules });
  return {
    participants: counts.participants,
    respondents: counts.respondents,
    answers: counts.answers,
    matched: counts.matched,
    namedAll: counts.namedAll,
    responseRate: counts.participants ? counts.respondents / counts.participants : 0,
    matchRate,
    sharedMindset: verdict.code === 'shared_mindset',
    namedAllShare: counts.respondents ? counts.namedAll / counts.respondents : 0,
    verdict,
    hidden: null,
  };
}

/**
 * A cell that may not be described: only who was asked stays (the directory says as much). An open anonymous
 * round still shows how many have answered once that is at least k, for reminders; never what they answered.
 */
export function hiddenCell(counts: Counts, reason: HiddenReason, rules: VerdictRules, k = Infinity): RateCell {
  const respondents = reason === 'open_round' && counts.respondents >= k ? counts.respondents : 0;
  const cell = rateCell({ ...emptyCounts(), participants: counts.participants, respondents }, rules);
  return { ...cell, hidden: reason, verdict: { ...cell.verdict, interval: null, answersNeeded: null, cannotDecide: false } };
}

export function add(target: Counts, source: Counts) {
  target.participants += source.participants;
  target.respondents += source.respondents;
  target.answers += source.answers;
  target.matched += source.matched;
  target.namedAll += source.namedAll;
}

export const DEPARTMENTS: Department[] = ['sales', 'marketing', 'other'];

// Grouping what people say instead is the costly part of the results; rounds are read far more often than
// they change, so the groups are kept for the exact set of unmatched answers they were made from.
const SAY_INSTEAD_MEMORY = 32;
const rememberedGroups = new Map<string, AnswerGroup[]>();

function groupUnmatched(rows: { text: string; department: Department; n: number; normalised: string }[]): AnswerGroup[] {
  const signature = rows.map((row) => `${row.normalised}\u0001${row.department}\u0001${row.n}\u0001${row.text}`).join('\u0002');
  const known = rememberedGroups.get(signature);
  if (known) return known;
  const groups = groupSimilarAnswers(rows.map((row) => ({ text: row.text, department: row.department, count: row.n }))).slice(0, SAY_INSTEAD_GROUPS);
  if (rememberedGroups.size >= SAY_INSTEAD_MEMORY) rememberedGroups.delete(rememberedGroups.keys().next().value as string);
  rememberedGroups.set(signature, groups);
  return groups;
}

export type TeamTally = Counts & { department: Department; teamId: number | null };
export type DepartmentTally = Counts & { department: Department };

/** A kept group row (survey_team_tallies, survey_department_tallies: migration 0023). */
type GroupRow = { participants: number; respondents: number; answers: number; matched: number; named1: number; named2: number; named3: number; below: number };
const GROUP_COLUMNS = 'participants, respondents, answers, matched, named1, named2, named3, below';

/** A statement of this module, compiled once per database; values compared with indexed columns are bound as `+?` (see eqPlanned). */
const statement = (sql: string) => preparedQuery((db) => db.$client.prepare(sql));

const teamTallies = statement(
  `SELECT department, team_key AS teamKey, ${GROUP_COLUMNS} FROM survey_team_tallies WHERE round_id = +? ORDER BY department, team_key`,
);
/** Some teams' rows of a round (whatever the department): what a few teams cost, not the whole round. */
const someTeamsTallies = statement(
  `SELECT department, team_key AS teamKey, ${GROUP_COLUMNS} FROM survey_team_tallies
    WHERE round_id = +? AND department IN (SELECT value FROM json_each(?)) AND team_key IN (SELECT value FROM json_each(?)) ORDER BY department, team_key`,
);
const departmentTallies = statement(`SELECT department, ${GROUP_COLUMNS} FROM survey_department_tallies WHERE round_id = +?`);
const recallTallies = statement('SELECT department, advantage_key AS advantageKey, respondents FROM survey_recall_tallies WHERE round_id = +?');
// The first text of each group comes from the partial index on answers not matched, one step per group.
const unmatchedTallies = statement(
  `SELECT u.normalised, u.department, u.answers AS n, u.unassigned,
          (SELECT min(a.text) FROM survey_answers a
            WHERE a.round_id = u.round_id AND a.normalised = u.normalised AND a.department = u.department AND a.status <> 'matched') AS text
     FROM survey_unmatched_tallies u WHERE u.round_id = +? ORDER BY u.normalised, u.department`,
);
const smallTeamRespondents = statement(
  'SELECT department, sum(respondents) AS n FROM survey_team_tallies WHERE round_id = +? AND respondents < +? GROUP BY department',
);
// The key order of suppressSiblings: department, colon, team id (none for no team), the team part compared as text.
const smallestShownTeam = statement(
  `SELECT team_key AS teamKey FROM survey_team_tallies WHERE round_id = +? AND department = +? AND respondents >= +?
    ORDER BY respondents, CASE team_key WHEN 0 THEN '' ELSE CAST(team_key AS TEXT) END LIMIT 1`,
);

/** A group's counts, "named all" being naming `allCount` distinct advantages (the version's count, at most three). */
function countsOf(row: GroupRow, allCount: number): Counts {
  return { participants: row.participants, respondents: row.respondents, answers: row.answers, matched: row.matched, namedAll: namedAllOf(row, allCount) };
}

const namedAllOf = (row: GroupRow, allCount: number) =>
  allCount >= 3 ? row.named3 : allCount === 2 ? row.named2 : allCount === 1 ? row.named1 : row.respondents;

/** Every team of a round with its counts (those asked or answering): one kept row each. */
export function teamTallyOf(db: Db, roundId: number, allCount: number, teamIds?: number[]): TeamTally[] {
  const rows = (
    teamIds ? someTeamsTallies(db).all(roundId, JSON.stringify(DEPARTMENTS), JSON.stringify(teamIds)) : teamTallies(db).all(roundId)
  ) as (GroupRow & { department: Department; teamKey: number })[];
  return rows.map((row) => Object.assign(countsOf(row, allCount), { department: row.department, teamId: row.teamKey === 0 ? null : row.teamKey }));
}

/**
 * A round's departments with their counts, and its respondents below the threshold (matched/answers under it, the same
 * rule as hasSharedMindset): a row per department, whatever the company's size.
 */
export function departmentTallyOf(db: Db, roundId: number, allCount: number): { departments: DepartmentTally[]; respondentsBelowThreshold: number } {
  const rows = departmentTallies(db).all(roundId) as (GroupRow & { department: Department })[];
  return {
    departments: DEPARTMENTS.flatMap((department) =>
      rows.filter((row) => row.department === department).map((row) => Object.assign(countsOf(row, allCount), { department })),
    ),
    respondentsBelowThreshold: rows.reduce((sum, row) => sum + row.below, 0),
  };
}

/**
 * Recall per advantage, what people say instead and how many answers wait for review, read from the counts the
 * triggers of migration 0017 keep with every write (survey_*_tallies): what it costs follows the advantages and
 * texts shown, not how many answered.
 */
export function roundDetailOf(
  db: Db,
  roundId: number,
  version: AdvantageVersion,
): { recallCounts: Map<string, Record<Department, number>>; sayInstead: AnswerGroup[]; toReview: number } {
  const keys = version.advantages.map((advantage) => advantage.key);
  const recallCounts = new Map<string, Record<Department, number>>(keys.map((key) => [key, { sales: 0, marketing: 0, other: 0 }]));
  for (const row of recallTallies(db).all(roundId) as { department: Department; advantageKey: string; respondents: number }[]) {
    const counts = recallCounts.get(row.advantageKey);
    if (counts) counts[row.department] += row.respondents;
  }

  const unmatched = unmatchedTallies(db).all(roundId) as { normalised: string; department: Department; n: number; text: string; unassigned: number }[];
  const sayInstead = groupUnmatched(unmatched);
  let toReview = 0;
  for (const row of unmatched) toReview += row.unassigned;
  return { recallCounts, sayInstead, toReview };
}

/**
 * What an anonymous round may describe, from its department rows and one grouped read of its team rows (the
 * respondents of teams under k, and each department's smallest team of k or more); null for a named round.
 */
export function roundHiding(
  db: Db,
  round: Pick<RoundRow, 'id' | 'anonymous' | 'minGroupSize' | 'closesAt' | 'closedEarlyAt'>,
  departments: DepartmentTally[],
  now: Date,
  settings: SurveySettings,
): RoundHiding<Department> | null {
  if (!round.anonymous) return null;
  const k = minGroupSizeOf(round, settings);
  if (roundStatus(round, now) === 'open')
    return withholdDepartments(
      departments.map((d) => d.department),
      k,
    );
  const small = new Map((smallTeamRespondents(db).all(round.id, k) as { department: Department; n: number }[]).map((row) => [row.department, row.n]));
  return hideRound(
    departments.map((d) => {
      const smallRespondents = small.get(d.department) ?? 0;
      const found =
        smallRespondents > 0 && smallRespondents < k ? (smallestShownTeam(db).get(round.id, d.department, k) as { teamKey: number } | undefined) : undefined;
      return {
        department: d.department,
        respondents: d.respondents,
        smallRespondents,
        smallestShown: found ? teamKey(d.department, found.teamKey === 0 ? null : found.teamKey) : null,
      };
    }),
    k,
  );
}

export type RankedTeam = TeamTally & { teamName: string; hidden: HiddenReason | null };

/**
 * One page of the By-team table in SQL over the kept team rows, weakest match rate first; teams without figures (no
 * answers, or hidden in an anonymous round) follow by name, since sorting them by a hidden rate would give it away. The
 * same order as rankTeamsWeakestFirst (names compared case-insensitively, then as written). Also how many teams there are
 * and how many are weak (a real team with figures under the threshold: such a team cannot be decided as a shared mindset,
 * whose interval lies above the threshold and holds the rate). A page past the end shows the last one.
 */
export function teamPageOf(
  db: Db,
  roundId: number,
  allCount: number,
  hiding: RoundHiding<Department> | null,
  page: number,
  pageSize: number,
): { rows: RankedTeam[]; page: number; total: number; weak: number } {
  // A named round hides nothing: its rank order is survey_team_tallies_rank_idx's, read only as far as the page.
  const queries = hiding === null ? namedTeamPageQueries(db) : teamPageQueries(db);
  // The few hidden departments and complements as ",a,b," lists: a lookup per team row costs one instr().
  const params = {
    round: roundId,
    hideAll: hiding?.overall ? 1 : 0,
    k: hiding?.k ?? 0,
    departments: `,${hiding ? [...hiding.departments.keys()].join(',') : ''},`,
    complements: `,${hiding ? [...hiding.complements].join(',') : ''},`,
    threshold: SHARED_MINDSET_THRESHOLD,
  };
  const { total, weak, withFigures } = queries.count.get(params) as { total: number; weak: number; withFigures: number };
  const shown = Math.min(Math.max(1, page), Math.max(1, Math.ceil(total / pageSize)));
  const offset = (shown - 1) * pageSize;
  // An anonymous round's page that holds only teams with figures (they come first) is read through the rank index as a
  // named round's is; a page reaching the teams without figures, ordered by name, sorts them all.
  const pageRows = hiding !== null && offset + pageSize <= withFigures ? teamPageQueries(db).figures : queries.rows;
  const rows = pageRows.all({ ...params, limit: pageSize, offset }) as (GroupRow & {
    department: Department;
    teamKey: number;
    teamName: string;
  })[];
  return {
    // Built as one literal per row: spreading the counts into an object with new keys cost microseconds a row.
    rows: rows.map((row): RankedTeam => {
      const teamId = row.teamKey === 0 ? null : row.teamKey;
      return {
        participants: row.participants,
        respondents: row.respondents,
        answers: row.answers,
        matched: row.matched,
        namedAll: namedAllOf(row, allCount),
        department: row.department,
        teamId,
        teamName: row.teamName,
        hidden: hiding ? groupHidden(hiding, { key: teamKey(row.department, teamId), department: row.department, respondents: row.respondents }) : null,
      };
    }),
    page: shown,
    total,
    weak,
  };
}

/** A round's team rows with whether each is hidden (the SQL side of groupHidden), for teamPageOf; prepared once per database. */
const teamPageQueries = preparedQuery((db) => {
  const columns = GROUP_COLUMNS.split(', ')
    .map((column) => `t.${column}`)
    .join(', ');
  const hidden = `(@hideAll OR t.respondents < @k OR instr(@departments, ',' || t.department || ',') > 0
           OR instr(@complements, ',' || t.department || ':' || CASE t.team_key WHEN 0 THEN '' ELSE t.team_key END || ',') > 0)`;
  const cells = `SELECT t.department, t.team_key AS teamKey, ${columns}, ${hidden} AS hidden FROM survey_team_tallies t WHERE t.round_id = +@round`;
  return {
    count: db.$client.prepare(
      `SELECT count(*) AS total, coalesce(sum(teamKey <> 0 AND NOT hidden AND answers > 0 AND matched < @threshold * answers), 0) AS weak,
         coalesce(sum(NOT hidden AND answers > 0), 0) AS withFigures FROM (${cells})`,
    ),
    // The teams with figures in their order (rate, then name), as the rows below order them first: walked along
    // survey_team_tallies_rank_idx and left once the page is read, as namedTeamPageQueries does.
    figures: db.$client.prepare(
      `SELECT t.department, t.team_key AS teamKey, ${columns}, 0 AS hidden,
              CASE t.team_key WHEN 0 THEN 'No team (' || t.department || ')' ELSE coalesce(tm.name, 'Team ' || t.team_key) END AS teamName
         FROM survey_team_tallies t LEFT JOIN teams tm ON tm.id = t.team_key AND t.team_key <> 0
        WHERE t.round_id = +@round AND t.answers > 0 AND NOT ${hidden}
        ORDER BY t.answers = 0, CAST(t.matched AS REAL) / t.answers,
                 teamName COLLATE NOCASE, teamName, CASE t.department WHEN 'sales' THEN 0 WHEN 'marketing' THEN 1 ELSE 2 END
        LIMIT +@limit OFFSET +@offset`,
    ),
    rows: db.$client.prepare(
      `WITH c AS MATERIALIZED (${cells})
       SELECT c.*, CASE c.teamKey WHEN 0 THEN 'No team (' || c.department || ')' ELSE coalesce(tm.name, 'Team ' || c.teamKey) END AS teamName
         FROM c LEFT JOIN teams tm ON tm.id = c.teamKey AND c.teamKey <> 0
        ORDER BY (NOT c.hidden AND c.answers > 0) DESC, CASE WHEN NOT c.hidden AND c.answers > 0 THEN CAST(c.matched AS REAL) / c.answers END,
                 teamName COLLATE NOCASE, teamName, CASE c.department WHEN 'sales' THEN 0 WHEN 'marketing' THEN 1 ELSE 2 END
        LIMIT +@limit OFFSET +@offset`,
    ),
  };
});

/**
 * teamPageQueries for a named round, where no row is hidden: the same order (a team without answers has no rate,
 * CAST(matched AS REAL) / 0 is NULL, and follows by name), read through survey_team_tallies_rank_idx up to the
 * page asked, with only the ties at its end sorted by name; the count needs no hiding worked out per row.
 */
const namedTeamPageQueries = preparedQuery((db) => ({
  count: db.$client.prepare(
    `SELECT count(*) AS total, coalesce(sum(team_key <> 0 AND answers > 0 AND matched < @threshold * answers), 0) AS weak
       FROM survey_team_tallies WHERE round_id = +@round`,
  ),
  rows: db.$client.prepare(
    `SELECT t.department, t.team_key AS teamKey, ${GROUP_COLUMNS.split(', ')
      .map((column) => `t.${column}`)
      .join(', ')}, 0 AS hidden,
            CASE t.team_key WHEN 0 THEN 'No team (' || t.department || ')' ELSE coalesce(tm.name, 'Team ' || t.team_key) END AS teamName
       FROM survey_team_tallies t LEFT JOIN teams tm ON tm.id = t.team_key AND t.team_key <> 0
      WHERE t.round_id = +@round
      ORDER BY t.answers = 0, CAST(t.matched AS REAL) / t.answers,
               teamName COLLATE NOCASE, teamName, CASE t.department WHEN 'sales' THEN 0 WHEN 'marketing' THEN 1 ELSE 2 END
      LIMIT +@limit OFFSET +@offset`,
  ),
}));

export const teamKey = (department: Department, teamId: number | null) => `${department}:${teamId ?? ''}`;

/**
 * Which groups of a round may be described. A named round describes all. An anonymous round still open
 * describes none (reading before and after a colleague answers would give their answer away); once closed,
 * none smaller than k, and none that published groups would give away by subtraction.
 */
export function roundSuppression(
  round: Pick<RoundRow, 'anonymous' | 'minGroupSize' | 'closesAt' | 'closedEarlyAt'>,
  cells: Array<Counts & { department: Department; teamId: number | null }>,
  now: Date,
  settings: SurveySettings,
): Suppression<Department> | null {
  if (!round.anonymous) return null;
  const groups = cells.map((cell) => ({ key: teamKey(cell.department, cell.teamId), department: cell.department, respondents: cell.respondents }));
  if (roundStatus(round, now) === 'open') return withholdRound(groups);
  return suppressRound(groups, minGroupSizeOf(round, settings));
}
