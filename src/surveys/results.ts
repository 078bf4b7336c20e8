// What a round shows: match rate and verdict overall, per department and per team, people who named
// all the official advantages, recall per advantage, what people say instead, the trend across rounds.
import { asc } from 'drizzle-orm';
import { surveyRounds, teams, type Department } from '../../db/schema';
import { preparedQuery, type Db } from '../db';
import { conflict } from '../lib/errors';
import { getAdvantageVersion, type AdvantageVersion } from './advantages';
import { groupHidden, hiddenText, type HiddenReason } from './anonymity';
import { hasSharedMindset, SHARED_MINDSET_THRESHOLD } from '../matching/matching';
import { loadSurveySettings, minGroupSizeOf, type SurveySettings } from './settings';
import { describePopulation, getRound, listRounds, roundStatus, type RoundRow, type RoundStatus, type RoundSummary } from './surveys';
import {
  DEPARTMENTS,
  add,
  emptyCounts,
  hiddenCell,
  rateCell,
  departmentTallyOf,
  roundDetailOf,
  roundHiding,
  roundSuppression,
  rulesOf,
  teamKey,
  teamTallyOf,
  type Counts,
  type RateCell,
  type RecallCell,
  type SayInsteadGroup,
  type TeamCell,
} from './tally';

/** Everything a round's results show but the By-team table. */
export type RoundFigures = {
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
  recall: RecallCell[];
  sayInstead: SayInsteadGroup[];
  /** Why recall, "what people say instead" and the review queue show nothing (anonymous rounds). */
  detailHidden: HiddenReason | null;
  /** Answers waiting for review; null while an anonymous round keeps its results back. */
  toReview: number | null;
  /** Respondents whose own answers are under the threshold: those "Enroll everyone below the threshold" takes. */
  respondentsBelowThreshold: number;
};

export type RoundResults = RoundFigures & { byTeam: TeamCell[] };

type TeamCellSource = Counts & { department: Department; teamId: number | null; teamName: string };

/**
 * A round's figures from its kept department rows (a few rows whatever the company's size), with what an anonymous
 * round may describe and how a team's cell is made, for the By-team table to use on the teams it shows.
 */
export function roundFigures(db: Db, roundId: number, now: Date, settings: SurveySettings) {
  const round = getRound(db, roundId);
  const version = getAdvantageVersion(db, round.advantageVersionId);
  const allCount = Math.min(3, version.advantages.length);
  const rules = rulesOf(settings);
  const k = minGroupSizeOf(round, settings);
  const { departments, respondentsBelowThreshold } = departmentTallyOf(db, roundId, allCount);
  const { recallCounts, sayInstead, toReview } = roundDetailOf(db, roundId, version);
  const hiding = roundHiding(db, round, departments, now, settings);

  const overallCounts = emptyCounts();
  const departmentCounts = new Map<Department, Counts>();
  for (const department of departments) {
    add(overallCounts, department);
    departmentCounts.set(department.department, department);
  }
  const departmentHidden = (department: Department) => hiding?.departments.get(department) ?? null;
  const cellOf = (counts: Counts, hidden: HiddenReason | null) => (hidden ? hiddenCell(counts, hidden, rules) : rateCell(counts, rules));
  const overallHidden = hiding?.overall ?? null;
  const overall = overallHidden ? hiddenCell(overallCounts, overallHidden, rules, k) : rateCell(overallCounts, rules);

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
        return {
          key: advantage.key,
          name: advantage.name,
          respondents,
          share: overallCounts.respondents ? respondents / overallCounts.respondents : 0,
          byDepartment,
        };
      });

  const shownSayInstead: SayInsteadGroup[] = overallHidden
    ? []
    : sayInstead.map((group) => {
        const byDepartment = { ...group.byDepartment } as Record<Department, number | null>;
        for (const department of DEPARTMENTS)
          if (hiding && (departmentHidden(department) || !departmentCounts.has(department))) byDepartment[department] = null;
        return { label: group.label, count: group.count, byDepartment, examples: group.examples };
      });

  const figures: RoundFigures = {
    round: { ...round, status: roundStatus(round, now), population: describePopulation(db, round) },
    version,
    threshold: SHARED_MINDSET_THRESHOLD,
    minResponseRatePercent: settings.minResponseRatePercent,
    minGroupSize: k,
    allCount,
    overall,
    byDepartment: DEPARTMENTS.filter((department) => departmentCounts.has(department)).map((department) =>
      Object.assign(cellOf(departmentCounts.get(department)!, departmentHidden(department)), { department }),
    ),
    recall,
    sayInstead: shownSayInstead,
    detailHidden: overallHidden,
    toReview: overallHidden ? null : toReview,
    respondentsBelowThreshold: round.anonymous ? 0 : respondentsBelowThreshold,
  };
  // The cell is a fresh object: the team's keys are added to it, where spreading it into a new one cost microseconds a row.
  const teamCell = (team: TeamCellSource): TeamCell =>
    Object.assign(
      cellOf(
        team,
        hiding ? groupHidden(hiding, { key: teamKey(team.department, team.teamId), department: team.department, respondents: team.respondents }) : null,
      ),
      { teamId: team.teamId, teamName: team.teamName, department: team.department },
    );
  return { figures, hiding, allCount, teamCell };
}

/** Everything a round shows, every team included (the API and the export). */
export function computeRoundResults(db: Db, roundId: number, now: Date, settings: SurveySettings = loadSurveySettings(db)): RoundResults {
  const { figures, allCount, teamCell } = roundFigures(db, roundId, now, settings);
  const teamNames = new Map(
    db
      .select({ id: teams.id, name: teams.name })
      .from(teams)
      .all()
      .map((team) => [team.id, team.name]),
  );
  const byTeam = teamTallyOf(db, roundId, allCount)
    .map((cell) =>
      teamCell({ ...cell, teamName: cell.teamId === null ? `No team (${cell.department})` : (teamNames.get(cell.teamId) ?? `Team ${cell.teamId}`) }),
    )
    .sort((left, right) => DEPARTMENTS.indexOf(left.department) - DEPARTMENTS.indexOf(right.department) || left.teamName.localeCompare(right.teamName));
  return { ...figures, byTeam };
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
    return {
      ...round,
      respondents: cell.respondents,
      answers: cell.answers,
      matched: cell.matched,
      toReview: hidden ? 0 : round.toReview,
      cell,
      minGroupSize: k,
    };
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
  if (hidden === 'open_round')
    throw conflict(
      'anonymous_round_open',
      "This round is anonymous: its answers can be read once it closes, so nobody learns a colleague's answer by reading before and after it.",
    );
  if (hidden)
    throw conflict(
      'too_few_answers',
      `This round is anonymous and has ${hiddenText(hidden, minGroupSizeOf(round, loadSurveySettings(db)))}: its answers stay hidden.`,
    );
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

/** roundTrend's reads, compiled once per database. */
const trendQueries = {
  rounds: preparedQuery((db) => db.select().from(surveyRounds).orderBy(asc(surveyRounds.opensAt), asc(surveyRounds.id)).prepare()),
  // Departments with someone asked, from the kept department rows (migration 0023): a few rows a round.
  departments: preparedQuery((db) =>
    db.$client.prepare<[], TrendRow>(
      `SELECT round_id AS roundId, department, participants, respondents, answers, matched
         FROM survey_department_tallies WHERE participants > 0 ORDER BY round_id, department`,
    ),
  ),
};

/** Match rate of every round, oldest first, overall and per department, with who answered: the trend chart (from the kept counts). */
export function roundTrend(db: Db, now: Date, settings: SurveySettings = loadSurveySettings(db)): TrendPoint[] {
  const rounds = trendQueries.rounds(db).all();
  const rows = trendQueries.departments(db).all();
  const byRound = new Map<number, TrendRow[]>();
  for (const row of rows) byRound.set(row.roundId, [...(byRound.get(row.roundId) ?? []), row]);
  return rounds.map((round) => {
    const mine = byRound.get(round.id) ?? [];
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
    if (!hidden)
      for (const row of mine) if (!suppression?.departments.get(row.department)) byDepartment[row.department] = row.answers ? row.matched / row.answers : null;
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
