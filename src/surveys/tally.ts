// Counting a round: its answers tallied per team (from the counts the writes keep), the rate cells and verdicts
// made from counts, and which groups an anonymous round may describe.
import type { Department } from '../../db/schema';
import { preparedQuery, type Db } from '../db';
import type { AdvantageVersion } from './advantages';
import { suppressRound, withholdRound, type HiddenReason, type Suppression } from './anonymity';
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

/** Everything the results page, the API and the export show for one round; a few grouped queries. */
export type TeamTally = Counts & { department: Department; teamId: number | null };
export type RoundTally = {
  cells: TeamTally[];
  recallCounts: Map<string, Record<Department, number>>;
  sayInstead: AnswerGroup[];
  toReview: number;
  respondentsBelowThreshold: number;
};

/** tallyOf's reads, compiled once per database. */
const tallyQueries = {
  participants: preparedQuery((db) =>
    db.$client.prepare<[number], { department: Department; teamKey: number; participants: number }>(
      'SELECT department, team_key AS teamKey, participants FROM survey_participant_tallies WHERE round_id = ? ORDER BY department, team_key',
    ),
  ),
  respondents: preparedQuery((db) =>
    db.$client.prepare<
      [number, number, number],
      { department: Department; teamKey: number; respondents: number; answers: number; matched: number; namedAll: number; below: number }
    >(
      `SELECT department, team_key AS teamKey, sum(respondents) AS respondents, sum(answers * respondents) AS answers, sum(matched * respondents) AS matched,
              sum((named >= ?) * respondents) AS namedAll, sum((answers > 0 AND matched < ? * answers) * respondents) AS below
         FROM survey_tallies WHERE round_id = ? GROUP BY department, team_key ORDER BY department, team_key`,
    ),
  ),
  recall: preparedQuery((db) =>
    db.$client.prepare<[number], { department: Department; advantageKey: string; respondents: number }>(
      'SELECT department, advantage_key AS advantageKey, respondents FROM survey_recall_tallies WHERE round_id = ?',
    ),
  ),
  // The first text of each group comes from the partial index on answers not matched, one step per group.
  unmatched: preparedQuery((db) =>
    db.$client.prepare<[number], { normalised: string; department: Department; n: number; text: string; unassigned: number }>(
      `SELECT u.normalised, u.department, u.answers AS n, u.unassigned,
              (SELECT min(a.text) FROM survey_answers a
                WHERE a.round_id = u.round_id AND a.normalised = u.normalised AND a.department = u.department AND a.status <> 'matched') AS text
         FROM survey_unmatched_tallies u WHERE u.round_id = ? ORDER BY u.normalised, u.department`,
    ),
  ),
};

/**
 * Everything a round's results show, read from the counts the triggers of migration 0017 keep with every write
 * (survey_*_tallies): what it costs follows the teams and advantages shown, not how many answered.
 */
export function tallyOf(db: Db, round: Pick<RoundRow, 'id'>, version: AdvantageVersion, allCount: number): RoundTally {
  const roundId = round.id;
  const cells = new Map<string, TeamTally>();
  const cellOf = (department: Department, teamKey: number) => {
    const teamId = teamKey === 0 ? null : teamKey;
    const key = `${department}:${teamId ?? ''}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { ...emptyCounts(), department, teamId };
      cells.set(key, cell);
    }
    return cell;
  };

  for (const row of tallyQueries.participants(db).all(roundId)) {
    cellOf(row.department, row.teamKey).participants += row.participants;
  }

  // Respondents per team and what their answers came to. A respondent is below the threshold when
  // matched/answers < threshold (the same rule as hasSharedMindset), and named them all with allCount distinct advantages.
  let respondentsBelowThreshold = 0;
  for (const row of tallyQueries.respondents(db).all(allCount, SHARED_MINDSET_THRESHOLD, roundId)) {
    const cell = cellOf(row.department, row.teamKey);
    cell.respondents += row.respondents;
    cell.answers += row.answers;
    cell.matched += row.matched;
    cell.namedAll += row.namedAll;
    respondentsBelowThreshold += row.below;
  }

  const keys = version.advantages.map((advantage) => advantage.key);
  const recallCounts = new Map<string, Record<Department, number>>(keys.map((key) => [key, { sales: 0, marketing: 0, other: 0 }]));
  for (const row of tallyQueries.recall(db).all(roundId)) {
    const counts = recallCounts.get(row.advantageKey);
    if (counts) counts[row.department] += row.respondents;
  }

  const unmatched = tallyQueries.unmatched(db).all(roundId);
  const sayInstead = groupUnmatched(unmatched);
  let toReview = 0;
  for (const row of unmatched) toReview += row.unassigned;
  return { cells: [...cells.values()], recallCounts, sayInstead, toReview, respondentsBelowThreshold };
}

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
