// What a round shows: match rate and verdict overall, per department and per team, people who named
// all the official advantages, recall per advantage, what people say instead, the trend across rounds.
import { asc } from 'drizzle-orm';
import { surveyRounds, teams, type Department } from '../../db/schema';
import type { Db } from '../db';
import { csvDocument } from '../lib/csv';
import { conflict } from '../lib/errors';
import { getAdvantageVersion, type AdvantageVersion } from './advantages';
import { hiddenText, suppressRound, withholdRound, type HiddenReason, type Suppression } from './anonymity';
import { groupSimilarAnswers, hasSharedMindset, SHARED_MINDSET_THRESHOLD, type AnswerGroup } from './matching';
import { loadSurveySettings, minGroupSizeOf, type SurveySettings } from './settings';
import { describePopulation, getRound, listRounds, roundStatus, type RoundRow, type RoundStatus, type RoundSummary } from './surveys';
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

export type RoundResults = {
  round: RoundRow & { status: RoundStatus; population: string };
  version: AdvantageVersion;
  threshold: number;
  minResponseRatePercent: number;
  /** The minimum group size this round is held to (anonymous rounds). */
  minGroupSize: number;
  /** How many distinct advantages a respondent must name to count as naming them all. */
  allCount: number;
  overall: RateCell;
  byDepartment: Array<RateCell & { department: Department }>;
  byTeam: TeamCell[];
  recall: RecallCell[];
  sayInstead: SayInsteadGroup[];
  /** Why recall, "what people say instead" and the review queue show nothing (anonymous rounds). */
  detailHidden: HiddenReason | null;
  /** Answers waiting for review; null while an anonymous round keeps its results back. */
  toReview: number | null;
  /** Respondents whose own answers are under the threshold: those "Enroll everyone below the threshold" takes. */
  respondentsBelowThreshold: number;
};

type Counts = Pick<RateCell, 'participants' | 'respondents' | 'answers' | 'matched' | 'namedAll'>;
const emptyCounts = (): Counts => ({ participants: 0, respondents: 0, answers: 0, matched: 0, namedAll: 0 });

type VerdictRules = { threshold: number; minResponseRatePercent: number };
const rulesOf = (settings: SurveySettings): VerdictRules => ({ threshold: SHARED_MINDSET_THRESHOLD, minResponseRatePercent: settings.minResponseRatePercent });

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
function hiddenCell(counts: Counts, reason: HiddenReason, rules: VerdictRules, k = Infinity): RateCell {
  const respondents = reason === 'open_round' && counts.respondents >= k ? counts.respondents : 0;
  const cell = rateCell({ ...emptyCounts(), participants: counts.participants, respondents }, rules);
  return { ...cell, hidden: reason, verdict: { ...cell.verdict, interval: null, answersNeeded: null, cannotDecide: false } };
}

function add(target: Counts, source: Counts) {
  target.participants += source.participants;
  target.respondents += source.respondents;
  target.answers += source.answers;
  target.matched += source.matched;
  target.namedAll += source.namedAll;
}

const DEPARTMENTS: Department[] = ['sales', 'marketing', 'other'];

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
type TeamTally = Counts & { department: Department; teamId: number | null };
type RoundTally = { cells: TeamTally[]; recallCounts: Map<string, Record<Department, number>>; sayInstead: AnswerGroup[]; toReview: number; respondentsBelowThreshold: number };

// Results are read far more often than a round changes: the tally is kept per database and round until the
// round's change count moves (every write to its answers or judgement bumps it, see touchRound).
const rememberedTallies = new WeakMap<object, Map<number, { changeCount: number; versionId: number; tally: RoundTally }>>();

function tallyOf(db: Db, round: RoundRow, version: AdvantageVersion, allCount: number): RoundTally {
  let perDatabase = rememberedTallies.get(db.$client);
  if (!perDatabase) {
    perDatabase = new Map();
    rememberedTallies.set(db.$client, perDatabase);
  }
  const known = perDatabase.get(round.id);
  if (known && known.changeCount === round.changeCount && known.versionId === version.id) return known.tally;
  const tally = tallyRound(db, round.id, version, allCount);
  perDatabase.set(round.id, { changeCount: round.changeCount, versionId: version.id, tally });
  return tally;
}

/** The grouped queries behind a round's results. */
function tallyRound(db: Db, roundId: number, version: AdvantageVersion, allCount: number): RoundTally {
  const client = db.$client;
  const cells = new Map<string, TeamTally>();
  const cellOf = (department: Department, teamId: number | null) => {
    const key = `${department}:${teamId ?? ''}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { ...emptyCounts(), department, teamId };
      cells.set(key, cell);
    }
    return cell;
  };

  for (const row of client
    .prepare('SELECT department, team_id AS teamId, count(*) AS n FROM survey_participants WHERE round_id = ? GROUP BY department, team_id')
    .all(roundId) as { department: Department; teamId: number | null; n: number }[]) {
    cellOf(row.department, row.teamId).participants += row.n;
  }

  // One pass over the round's answers: per response what it matched and which advantages it named,
  // then summed per department and team. A respondent is below the threshold when matched/answers
  // < threshold, written as a product so SQLite compares without dividing (same rule as hasSharedMindset).
  const keys = version.advantages.map((advantage) => advantage.key);
  const namedColumns = keys.map((_, index) => `max(a.status = 'matched' AND a.advantage_key = ?) AS k${index}`).join(', ');
  const sumColumns = keys.map((_, index) => `sum(k${index}) AS k${index}`).join(', ');
  const perTeam = client
    .prepare(
      `SELECT department, teamId, count(*) AS respondents, sum(answers) AS answers, sum(matched) AS matched, sum(named >= ?) AS namedAll,
              sum(answers > 0 AND matched < ? * answers) AS below${sumColumns ? `, ${sumColumns}` : ''}
         FROM (SELECT r.department AS department, r.team_id AS teamId, count(a.id) AS answers, coalesce(sum(a.status = 'matched'), 0) AS matched,
                      count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END) AS named${namedColumns ? `, ${namedColumns}` : ''}
                 FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id
                WHERE r.round_id = ?
                GROUP BY r.person_id)
        GROUP BY department, teamId`,
    )
    .all(allCount, SHARED_MINDSET_THRESHOLD, ...keys, roundId) as Array<
    { department: Department; teamId: number | null; respondents: number; answers: number; matched: number; namedAll: number; below: number } & Record<string, number>
  >;
  const recallCounts = new Map<string, Record<Department, number>>(keys.map((key) => [key, { sales: 0, marketing: 0, other: 0 }]));
  let respondentsBelowThreshold = 0;
  for (const row of perTeam) {
    respondentsBelowThreshold += row.below;
    const cell = cellOf(row.department, row.teamId);
    cell.respondents += row.respondents;
    cell.answers += row.answers;
    cell.matched += row.matched;
    cell.namedAll += row.namedAll;
    keys.forEach((key, index) => (recallCounts.get(key)![row.department] += row[`k${index}`] ?? 0));
  }

  const unmatched = client
    .prepare(
      `SELECT normalised, department, count(*) AS n, min(text) AS text, sum(assigned_by_id IS NULL) AS unassigned
         FROM survey_answers WHERE round_id = ? AND status <> 'matched' GROUP BY normalised, department`,
    )
    .all(roundId) as { normalised: string; department: Department; n: number; text: string; unassigned: number }[];
  const sayInstead = groupUnmatched(unmatched);
  let toReview = 0;
  for (const row of unmatched) toReview += row.unassigned;
  return { cells: [...cells.values()], recallCounts, sayInstead, toReview, respondentsBelowThreshold };
}


const teamKey = (department: Department, teamId: number | null) => `${department}:${teamId ?? ''}`;

/**
 * Which groups of a round may be described. A named round describes all. An anonymous round still open
 * describes none (reading before and after a colleague answers would give their answer away); once closed,
 * none smaller than k, and none that published groups would give away by subtraction.
 */
function roundSuppression(round: Pick<RoundRow, 'anonymous' | 'minGroupSize' | 'closesAt' | 'closedEarlyAt'>, cells: Array<Counts & { department: Department; teamId: number | null }>, now: Date, settings: SurveySettings): Suppression<Department> | null {
  if (!round.anonymous) return null;
  const groups = cells.map((cell) => ({ key: teamKey(cell.department, cell.teamId), department: cell.department, respondents: cell.respondents }));
  if (roundStatus(round, now) === 'open') return withholdRound(groups);
  return suppressRound(groups, minGroupSizeOf(round, settings));
}

export function computeRoundResults(db: Db, roundId: number, now: Date, settings: SurveySettings = loadSurveySettings(db)): RoundResults {
  const round = getRound(db, roundId);
  const version = getAdvantageVersion(db, round.advantageVersionId);
  const allCount = Math.min(3, version.advantages.length);
  const rules = rulesOf(settings);
  const k = minGroupSizeOf(round, settings);
  const { cells, recallCounts, sayInstead, toReview, respondentsBelowThreshold } = tallyOf(db, round, version, allCount);
  const suppression = roundSuppression(round, cells, now, settings);

  const overallCounts = emptyCounts();
  const departmentCounts = new Map<Department, Counts>();
  for (const cell of cells) {
    add(overallCounts, cell);
    const department = departmentCounts.get(cell.department) ?? emptyCounts();
    add(department, cell);
    departmentCounts.set(cell.department, department);
  }
  const departmentHidden = (department: Department) => suppression?.departments.get(department) ?? null;
  const cellOf = (counts: Counts, hidden: HiddenReason | null) => (hidden ? hiddenCell(counts, hidden, rules) : rateCell(counts, rules));
  const overallHidden = suppression?.overall ?? null;
  const overall = overallHidden ? hiddenCell(overallCounts, overallHidden, rules, k) : rateCell(overallCounts, rules);

  const teamNames = new Map(db.select({ id: teams.id, name: teams.name }).from(teams).all().map((team) => [team.id, team.name]));
  const byTeam: TeamCell[] = cells
    .map((cell) => ({
      ...cellOf(cell, suppression?.teams.get(teamKey(cell.department, cell.teamId)) ?? null),
      teamId: cell.teamId,
      teamName: cell.teamId === null ? `No team (${cell.department})` : (teamNames.get(cell.teamId) ?? `Team ${cell.teamId}`),
      department: cell.department,
    }))
    .sort((left, right) => DEPARTMENTS.indexOf(left.department) - DEPARTMENTS.indexOf(right.department) || left.teamName.localeCompare(right.teamName));

  const recall: RecallCell[] = overallHidden
    ? []
    : version.advantages.map((advantage) => {
        const counts = recallCounts.get(advantage.key)!;
        const respondents = counts.sales + counts.marketing + counts.other;
        const byDepartment = { sales: null, marketing: null, other: null } as Record<Department, number | null>;
        for (const department of DEPARTMENTS) {
          const base = departmentCounts.get(department)?.respondents ?? 0;
          if (departmentHidden(department)) continue;
          byDepartment[department] = base ? counts[department] / base : null;
        }
        return { key: advantage.key, name: advantage.name, respondents, share: overallCounts.respondents ? respondents / overallCounts.respondents : 0, byDepartment };
      });

  const shownSayInstead: SayInsteadGroup[] = overallHidden
    ? []
    : sayInstead.map((group) => {
        const byDepartment = { ...group.byDepartment } as Record<Department, number | null>;
        for (const department of DEPARTMENTS) if (suppression && (departmentHidden(department) || !departmentCounts.has(department))) byDepartment[department] = null;
        return { label: group.label, count: group.count, byDepartment, examples: group.examples };
      });

  return {
    round: { ...round, status: roundStatus(round, now), population: describePopulation(db, round) },
    version,
    threshold: SHARED_MINDSET_THRESHOLD,
    minResponseRatePercent: settings.minResponseRatePercent,
    minGroupSize: k,
    allCount,
    overall,
    byDepartment: DEPARTMENTS.filter((department) => departmentCounts.has(department)).map((department) => ({
      ...cellOf(departmentCounts.get(department)!, departmentHidden(department)),
      department,
    })),
    byTeam,
    recall,
    sayInstead: shownSayInstead,
    detailHidden: overallHidden,
    toReview: overallHidden ? null : toReview,
    respondentsBelowThreshold: round.anonymous ? 0 : respondentsBelowThreshold,
  };
}

export type RoundOverview = RoundSummary & { cell: RateCell; minGroupSize: number };

/** Every round, newest first, with its overall figures and verdict as the results page shows them. */
export function roundOverviews(db: Db, now: Date, settings: SurveySettings = loadSurveySettings(db)): RoundOverview[] {
  const rules = rulesOf(settings);
  return listRounds(db, now).map((round) => {
    const k = minGroupSizeOf(round, settings);
    const counts = { participants: round.participants, respondents: round.respondents, answers: round.answers, matched: round.matched, namedAll: 0 };
    const hidden: HiddenReason | null = !round.anonymous ? null : round.status === 'open' ? 'open_round' : round.respondents < k ? 'small_group' : null;
    const cell = hidden ? hiddenCell(counts, hidden, rules, k) : rateCell(counts, rules);
    // A hidden round's raw counts stay here: everything read from an overview reads the cell's.
    return { ...round, respondents: cell.respondents, answers: cell.answers, matched: cell.matched, toReview: hidden ? 0 : round.toReview, cell, minGroupSize: k };
  });
}

/**
 * Why an anonymous round's answers, one by one (review queue, export, responses API), may not be read yet;
 * null when they may. Verbatims come only from a closed round with at least k respondents.
 */
function answerDetailHidden(db: Db, round: RoundRow, now: Date, settings: SurveySettings = loadSurveySettings(db)): HiddenReason | null {
  if (!round.anonymous) return null;
  if (roundStatus(round, now) === 'open') return 'open_round';
  const { n } = db.$client.prepare('SELECT count(*) AS n FROM survey_responses WHERE round_id = ?').get(round.id) as { n: number };
  return n < minGroupSizeOf(round, settings) ? 'small_group' : null;
}

/** The same, as the 409 the review queue, the export and the responses API answer. */
export function requireAnswerDetail(db: Db, round: RoundRow, now: Date) {
  const hidden = answerDetailHidden(db, round, now);
  if (hidden === 'open_round') throw conflict('anonymous_round_open', 'This round is anonymous: its answers can be read once it closes, so nobody learns a colleague\'s answer by reading before and after it.');
  if (hidden) throw conflict('too_few_answers', `This round is anonymous and has ${hiddenText(hidden, minGroupSizeOf(round, loadSurveySettings(db)))}: its answers stay hidden.`);
}

export type TrendPoint = {
  roundId: number;
  title: string;
  closesOn: string;
  participants: number;
  respondents: number;
  answers: number;
  /** Null before any answer, or when an anonymous round may not describe the group. */
  matchRate: number | null;
  byDepartment: Record<Department, number | null>;
  hidden: HiddenReason | null;
};

type TrendRow = { roundId: number; department: Department; participants: number; respondents: number; answers: number; matched: number };

// The trend reads every answer of every round, yet a round's counts only move when its change count does
// (touchRound): they are kept per database and round, and only rounds that changed are counted again.
const rememberedTrendRows = new WeakMap<object, Map<number, { changeCount: number; rows: TrendRow[] }>>();

/** Match rate of every round, oldest first, overall and per department, with who answered: the trend chart. */
export function roundTrend(db: Db, now: Date, settings: SurveySettings = loadSurveySettings(db)): TrendPoint[] {
  const rounds = db.select().from(surveyRounds).orderBy(asc(surveyRounds.opensAt), asc(surveyRounds.id)).all();
  let perDatabase = rememberedTrendRows.get(db.$client);
  if (!perDatabase) {
    perDatabase = new Map();
    rememberedTrendRows.set(db.$client, perDatabase);
  }
  const known = perDatabase;
  const stale = rounds.filter((round) => known.get(round.id)?.changeCount !== round.changeCount);
  if (stale.length) {
    const rows = db.$client
      .prepare(
        `SELECT p.round_id AS roundId, p.department, count(*) AS participants, count(r.id) AS respondents,
                coalesce(sum(a.answers), 0) AS answers, coalesce(sum(a.matched), 0) AS matched
           FROM survey_participants p
           LEFT JOIN survey_responses r ON r.round_id = p.round_id AND r.person_id = p.person_id
           LEFT JOIN (SELECT response_id, count(*) AS answers, sum(status = 'matched') AS matched FROM survey_answers
                       WHERE round_id IN (SELECT value FROM json_each(@ids)) GROUP BY response_id) a ON a.response_id = r.id
          WHERE p.round_id IN (SELECT value FROM json_each(@ids))
          GROUP BY p.round_id, p.department`,
      )
      .all({ ids: JSON.stringify(stale.map((round) => round.id)) }) as TrendRow[];
    for (const round of stale) known.set(round.id, { changeCount: round.changeCount, rows: rows.filter((row) => row.roundId === round.id) });
    // Deleted rounds leave the memory too.
    const current = new Set(rounds.map((round) => round.id));
    for (const roundId of [...known.keys()]) if (!current.has(roundId)) known.delete(roundId);
  }
  return rounds.map((round) => {
    const mine = known.get(round.id)!.rows;
    const sum = (pick: (row: TrendRow) => number) => mine.reduce((total, row) => total + pick(row), 0);
    const suppression = roundSuppression(
      round,
      mine.map((row) => ({ ...emptyCounts(), department: row.department, teamId: null, respondents: row.respondents })),
      now,
      settings,
    );
    const hidden = suppression?.overall ?? null;
    const answers = sum((row) => row.answers);
    const byDepartment = { sales: null, marketing: null, other: null } as Record<Department, number | null>;
    if (!hidden) for (const row of mine) if (!suppression?.departments.get(row.department)) byDepartment[row.department] = row.answers ? row.matched / row.answers : null;
    return {
      roundId: round.id,
      title: round.title,
      closesOn: round.closesOn,
      participants: sum((row) => row.participants),
      respondents: hidden ? 0 : sum((row) => row.respondents),
      answers: hidden ? 0 : answers,
      matchRate: hidden || !answers ? null : sum((row) => row.matched) / answers,
      byDepartment,
      hidden,
    };
  });
}

/** People below the threshold (named fewer than the required share of advantages): not for anonymous rounds. */
export function peopleBelowThreshold(db: Db, roundId: number): number[] {
  const round = getRound(db, roundId);
  if (round.anonymous) return [];
  const rows = db.$client
    .prepare(
      `SELECT r.person_id AS personId, count(a.id) AS answers, sum(a.status = 'matched') AS matched
         FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id
        WHERE r.round_id = ? GROUP BY r.id`,
    )
    .all(roundId) as { personId: number; answers: number; matched: number }[];
  return rows.filter((row) => !hasSharedMindset(row.answers ? row.matched / row.answers : 0)).map((row) => row.personId);
}

/** Rows of the By-team table per page. */
export const TEAM_PAGE_SIZE = 25;

/** Whether a team's row can be ticked for a review: a real team, with figures shown, not decided as a shared mindset and under the threshold. */
export const isWeakTeam = (team: TeamCell) => team.teamId !== null && !team.hidden && team.answers > 0 && !team.sharedMindset && team.matchRate < SHARED_MINDSET_THRESHOLD;

/**
 * The By-team table's order: weakest match rate first, so the teams that need a review lead the first
 * page. Teams without figures (no answers yet, or hidden in an anonymous round) follow by name: sorting
 * them by a hidden rate would give it away.
 */
export function rankTeamsWeakestFirst(byTeam: TeamCell[]): TeamCell[] {
  const hasFigures = (team: TeamCell) => !team.hidden && team.answers > 0;
  return [...byTeam].sort(
    (left, right) =>
      Number(hasFigures(right)) - Number(hasFigures(left)) ||
      (hasFigures(left) ? left.matchRate - right.matchRate : 0) ||
      left.teamName.localeCompare(right.teamName),
  );
}

export type TeamPage = { rows: TeamCell[]; page: number; pageSize: number; total: number };

/** One page of the ranked By-team table; a page past the end shows the last one. */
export function pageTeams(ranked: TeamCell[], page: number, pageSize = TEAM_PAGE_SIZE): TeamPage {
  const last = Math.max(1, Math.ceil(ranked.length / pageSize));
  const shown = Math.min(Math.max(1, page), last);
  return { rows: ranked.slice((shown - 1) * pageSize, shown * pageSize), page: shown, pageSize, total: ranked.length };
}


/**
 * The answers of a round as CSV. A named round lists each person's answers in order. An anonymous round has
 * no names, response ids, positions or times, its rows sorted by answer text, and a department only where the
 * department may be described; it can be exported only once closed with at least k respondents.
 */
export function roundAnswersCsv(db: Db, roundId: number, now: Date): string {
  const round = getRound(db, roundId);
  const version = getAdvantageVersion(db, round.advantageVersionId);
  const names = new Map(version.advantages.map((advantage) => [advantage.key, advantage.name]));
  const advantageOf = (row: { advantageKey: string | null; status: string }) => (row.advantageKey && row.status === 'matched' ? (names.get(row.advantageKey) ?? row.advantageKey) : '');
  const score = (row: { scoreMilli: number }) => (row.scoreMilli / 1000).toFixed(3);
  if (round.anonymous) {
    requireAnswerDetail(db, round, now);
    const results = computeRoundResults(db, roundId, now);
    const shown = new Set(results.byDepartment.filter((cell) => !cell.hidden).map((cell) => cell.department));
    const rows = db.$client
      .prepare(
        `SELECT text, status, advantage_key AS advantageKey, score_milli AS scoreMilli, department, assigned_by_id IS NOT NULL AS assigned
           FROM survey_answers WHERE round_id = ? ORDER BY text, department, status, advantage_key, score_milli`,
      )
      .all(roundId) as { text: string; status: string; advantageKey: string | null; scoreMilli: number; department: Department; assigned: number }[];
    return csvDocument(
      ['department', 'answer', 'status', 'advantage', 'score', 'assigned_by_hr'],
      rows.map((row) => [shown.has(row.department) ? row.department : '', row.text, row.status, advantageOf(row), score(row), row.assigned ? 'yes' : 'no']),
    );
  }
  const rows = db.$client
    .prepare(
      `SELECT a.position, a.text, a.status, a.advantage_key AS advantageKey, a.score_milli AS scoreMilli, a.department,
              t.name AS teamName, a.assigned_by_id IS NOT NULL AS assigned, p.name AS personName, p.email AS personEmail, r.id AS responseId
         FROM survey_answers a
         JOIN survey_responses r ON r.id = a.response_id
         JOIN people p ON p.id = r.person_id
         LEFT JOIN teams t ON t.id = a.team_id
        WHERE a.round_id = ?
        ORDER BY r.id, a.position`,
    )
    .all(roundId) as {
    position: number; text: string; status: string; advantageKey: string | null; scoreMilli: number; department: string; teamName: string | null; assigned: number;
    personName: string; personEmail: string; responseId: number;
  }[];
  return csvDocument(
    ['response', 'name', 'email', 'department', 'team', 'position', 'answer', 'status', 'advantage', 'score', 'assigned_by_hr'],
    rows.map((row) => [row.responseId, row.personName, row.personEmail, row.department, row.teamName ?? '', row.position, row.text, row.status, advantageOf(row), score(row), row.assigned ? 'yes' : 'no']),
  );
}

/** The anonymity rule of a round in words, as the results page and the API state it; null for a named round. */
export function anonymityRule(results: Pick<RoundResults, 'round' | 'minGroupSize'>): string | null {
  if (!results.round.anonymous) return null;
  const k = results.minGroupSize;
  return (
    `Anonymous round: results appear only once the round closes, so nobody can learn a colleague's answer by reading before and after it. ` +
    `No figure describes fewer than ${k} respondents, and a group that could be worked out by subtracting shown groups from a total is hidden too. ` +
    `Answers are shown only from a closed round with at least ${k} respondents, without names, ids or times, sorted by text, and with a department only where it has ${k} respondents or more.`
  );
}

export type DecidedEvidence = {
  roundId: number;
  roundTitle: string;
  closesOn: string;
  matchRate: number;
  respondents: number;
  participants: number;
  responseRate: number;
  verdict: 'shared_mindset' | 'no_shared_mindset';
};

/**
 * The latest round opened before `at` whose answers from these teams decide a verdict, with its evidence;
 * null when none does. A round that has not decided never displaces an earlier one that has. An anonymous
 * round counts only once closed, and only when each of the teams may be described in it.
 */
export function latestDecidedEvidence(db: Db, teamIds: number[], at: Date, now: Date, settings: SurveySettings = loadSurveySettings(db)): DecidedEvidence | null {
  return latestDecidedEvidenceAt(db, teamIds, [at], now, settings)[0];
}

/** Rounds of one view, each read, tallied and checked for suppression once. */
export type KnownRounds = Map<number, { round: RoundRow; cells: RoundTally['cells']; suppression: ReturnType<typeof roundSuppression> }>;

/** latestDecidedEvidence at several instants (a trend), reading the candidate rounds once. */
export function latestDecidedEvidenceAt(db: Db, teamIds: number[], ats: Date[], now: Date, settings: SurveySettings = loadSurveySettings(db), rounds: KnownRounds = new Map()): (DecidedEvidence | null)[] {
  if (teamIds.length === 0) return ats.map(() => null);
  const wanted = new Set(teamIds);
  const candidates = db.$client
    .prepare(
      `SELECT r.id, r.opens_at AS opensAt FROM survey_rounds r
        WHERE r.opens_at < ? AND EXISTS (SELECT 1 FROM survey_participants p WHERE p.round_id = r.id AND p.team_id IN (SELECT value FROM json_each(?)))
        ORDER BY r.opens_at DESC, r.id DESC`,
    )
    .all(Math.max(...ats.map((at) => at.getTime())), JSON.stringify(teamIds)) as { id: number; opensAt: number }[];
  const rules = rulesOf(settings);
  const decided = new Map<number, DecidedEvidence | null>();
  const decide = (id: number): DecidedEvidence | null => {
    if (decided.has(id)) return decided.get(id)!;
    let known = rounds.get(id);
    if (!known) {
      const round = getRound(db, id);
      const version = getAdvantageVersion(db, round.advantageVersionId);
      const { cells } = tallyOf(db, round, version, Math.min(3, version.advantages.length));
      known = { round, cells, suppression: roundSuppression(round, cells, now, settings) };
      rounds.set(id, known);
    }
    const { round, cells, suppression } = known;
    const mine = cells.filter((cell) => cell.teamId !== null && wanted.has(cell.teamId));
    let evidence: DecidedEvidence | null = null;
    if (!(suppression && mine.some((cell) => suppression.teams.has(teamKey(cell.department, cell.teamId))))) {
      const counts = emptyCounts();
      for (const cell of mine) add(counts, cell);
      const cell = rateCell(counts, rules);
      if (cell.verdict.code !== 'not_decided') {
        evidence = {
          roundId: round.id,
          roundTitle: round.title,
          closesOn: round.closesOn,
          matchRate: cell.matchRate,
          respondents: cell.respondents,
          participants: cell.participants,
          responseRate: cell.responseRate,
          verdict: cell.verdict.code,
        };
      }
    }
    decided.set(id, evidence);
    return evidence;
  };
  return ats.map((at) => {
    for (const candidate of candidates) {
      if (candidate.opensAt >= at.getTime()) continue;
      const evidence = decide(candidate.id);
      if (evidence) return evidence;
    }
    return null;
  });
}
