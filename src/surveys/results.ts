// What a round shows: match rate and verdict overall, per department and per team, people who named
// all the official advantages, recall per advantage, what people say instead, the trend across rounds.
import { asc } from 'drizzle-orm';
import { surveyRounds, teams, type Department } from '../../db/schema';
import type { Db } from '../db';
import { getAdvantageVersion, type AdvantageVersion } from './advantages';
import { groupSimilarAnswers, hasSharedMindset, SHARED_MINDSET_THRESHOLD, type AnswerGroup } from './matching';
import { describePopulation, getRound, roundStatus, type RoundRow, type RoundStatus } from './surveys';

/** In an anonymous round a team with fewer respondents than this shows no figures, so nobody can be singled out. */
export const ANONYMITY_MIN_RESPONDENTS = 3;
export const SAY_INSTEAD_GROUPS = 15;

export type RateCell = {
  participants: number;
  respondents: number;
  responseRate: number;
  answers: number;
  matched: number;
  matchRate: number;
  sharedMindset: boolean;
  /** Respondents who named every official advantage (up to three). */
  namedAll: number;
  namedAllShare: number;
};

export type TeamCell = RateCell & { teamId: number | null; teamName: string; department: Department; hidden: boolean };
export type RecallCell = { key: string; name: string; respondents: number; share: number; byDepartment: Record<Department, number> };

export type RoundResults = {
  round: RoundRow & { status: RoundStatus; population: string };
  version: AdvantageVersion;
  threshold: number;
  /** How many distinct advantages a respondent must name to count as naming them all. */
  allCount: number;
  overall: RateCell;
  byDepartment: Array<RateCell & { department: Department }>;
  byTeam: TeamCell[];
  recall: RecallCell[];
  sayInstead: AnswerGroup[];
  toReview: number;
  /** Respondents whose own answers are under the threshold: those "Enroll everyone below the threshold" takes. */
  respondentsBelowThreshold: number;
};

const emptyCell = (): RateCell => ({ participants: 0, respondents: 0, responseRate: 0, answers: 0, matched: 0, matchRate: 0, sharedMindset: false, namedAll: 0, namedAllShare: 0 });

function finish(cell: RateCell): RateCell {
  const matchRate = cell.answers ? cell.matched / cell.answers : 0;
  return {
    ...cell,
    responseRate: cell.participants ? cell.respondents / cell.participants : 0,
    matchRate,
    sharedMindset: cell.answers > 0 && hasSharedMindset(matchRate),
    namedAllShare: cell.respondents ? cell.namedAll / cell.respondents : 0,
  };
}

function add(target: RateCell, source: Partial<RateCell>) {
  target.participants += source.participants ?? 0;
  target.respondents += source.respondents ?? 0;
  target.answers += source.answers ?? 0;
  target.matched += source.matched ?? 0;
  target.namedAll += source.namedAll ?? 0;
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
type TeamTally = RateCell & { department: Department; teamId: number | null };
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
      cell = { ...emptyCell(), department, teamId };
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


export function computeRoundResults(db: Db, roundId: number, now: Date): RoundResults {
  const round = getRound(db, roundId);
  const version = getAdvantageVersion(db, round.advantageVersionId);
  const allCount = Math.min(3, version.advantages.length);
  const { cells, recallCounts, sayInstead, toReview, respondentsBelowThreshold } = tallyOf(db, round, version, allCount);

  const overall = emptyCell();
  const departments = new Map<Department, RateCell>();
  for (const cell of cells) {
    add(overall, cell);
    const department = departments.get(cell.department) ?? emptyCell();
    add(department, cell);
    departments.set(cell.department, department);
  }

  const teamNames = new Map(db.select({ id: teams.id, name: teams.name }).from(teams).all().map((team) => [team.id, team.name]));
  const byTeam: TeamCell[] = cells
    .map((cell) => {
      const hidden = round.anonymous && cell.respondents < ANONYMITY_MIN_RESPONDENTS;
      const finished = finish(cell);
      return {
        ...(hidden ? { ...emptyCell(), participants: finished.participants, respondents: finished.respondents, responseRate: finished.responseRate } : finished),
        teamId: cell.teamId,
        teamName: cell.teamId === null ? `No team (${cell.department})` : (teamNames.get(cell.teamId) ?? `Team ${cell.teamId}`),
        department: cell.department,
        hidden,
      };
    })
    .sort((left, right) => DEPARTMENTS.indexOf(left.department) - DEPARTMENTS.indexOf(right.department) || left.teamName.localeCompare(right.teamName));

  const recall: RecallCell[] = version.advantages.map((advantage) => {
    const counts = recallCounts.get(advantage.key)!;
    const respondents = counts.sales + counts.marketing + counts.other;
    const byDepartment = { sales: 0, marketing: 0, other: 0 } as Record<Department, number>;
    for (const department of DEPARTMENTS) {
      const base = departments.get(department)?.respondents ?? 0;
      byDepartment[department] = base ? counts[department] / base : 0;
    }
    return { key: advantage.key, name: advantage.name, respondents, share: overall.respondents ? respondents / overall.respondents : 0, byDepartment };
  });

  return {
    round: { ...round, status: roundStatus(round, now), population: describePopulation(db, round) },
    version,
    threshold: SHARED_MINDSET_THRESHOLD,
    allCount,
    overall: finish(overall),
    byDepartment: DEPARTMENTS.filter((department) => departments.has(department)).map((department) => ({ ...finish(departments.get(department)!), department })),
    byTeam,
    recall,
    sayInstead,
    toReview,
    respondentsBelowThreshold,
  };
}

export type TrendPoint = {
  roundId: number;
  title: string;
  closesOn: string;
  answers: number;
  matchRate: number | null;
  byDepartment: Record<Department, number | null>;
};

type TrendRow = { roundId: number; department: Department; answers: number; matched: number };

// The trend reads every answer of every round, yet a round's counts only move when its change count does
// (touchRound): they are kept per database and round, and only rounds that changed are counted again.
const rememberedTrendRows = new WeakMap<object, Map<number, { changeCount: number; rows: TrendRow[] }>>();

/** Match rate of every round, oldest first, overall and per department: the trend chart. */
export function roundTrend(db: Db): TrendPoint[] {
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
        `SELECT round_id AS roundId, department, count(*) AS answers, sum(status = 'matched') AS matched
           FROM survey_answers WHERE round_id IN (SELECT value FROM json_each(?)) GROUP BY round_id, department`,
      )
      .all(JSON.stringify(stale.map((round) => round.id))) as TrendRow[];
    for (const round of stale) known.set(round.id, { changeCount: round.changeCount, rows: rows.filter((row) => row.roundId === round.id) });
    // Deleted rounds leave the memory too.
    const current = new Set(rounds.map((round) => round.id));
    for (const roundId of [...known.keys()]) if (!current.has(roundId)) known.delete(roundId);
  }
  return rounds.map((round) => {
    const mine = known.get(round.id)!.rows;
    const answers = mine.reduce((sum, row) => sum + row.answers, 0);
    const matched = mine.reduce((sum, row) => sum + row.matched, 0);
    const byDepartment = { sales: null, marketing: null, other: null } as Record<Department, number | null>;
    for (const row of mine) byDepartment[row.department] = row.answers ? row.matched / row.answers : null;
    return { roundId: round.id, title: round.title, closesOn: round.closesOn, answers, matchRate: answers ? matched / answers : null, byDepartment };
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

/** Whether a team's row can be ticked for a review: a real team, with figures shown, under the threshold. */
export const isWeakTeam = (team: TeamCell) => team.teamId !== null && !team.hidden && team.answers > 0 && !team.sharedMindset;

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


/** The answers of a round as CSV; an anonymous round has no names or emails in it. */
export function roundAnswersCsv(db: Db, roundId: number): string {
  const round = getRound(db, roundId);
  const version = getAdvantageVersion(db, round.advantageVersionId);
  const names = new Map(version.advantages.map((advantage) => [advantage.key, advantage.name]));
  const rows = db.$client
    .prepare(
      `SELECT a.id, a.position, a.text, a.status, a.advantage_key AS advantageKey, a.score_milli AS scoreMilli, a.department,
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
  const header = round.anonymous
    ? ['response', 'department', 'team', 'position', 'answer', 'status', 'advantage', 'score', 'assigned_by_hr']
    : ['response', 'name', 'email', 'department', 'team', 'position', 'answer', 'status', 'advantage', 'score', 'assigned_by_hr'];
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) {
    const advantage = row.advantageKey && row.status === 'matched' ? (names.get(row.advantageKey) ?? row.advantageKey) : '';
    const common = [row.department, round.anonymous ? '' : (row.teamName ?? ''), row.position, row.text, row.status, advantage, (row.scoreMilli / 1000).toFixed(3), row.assigned ? 'yes' : 'no'];
    const cells = round.anonymous ? [row.responseId, ...common] : [row.responseId, row.personName, row.personEmail, ...common];
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** One CSV cell: quoted when needed; text a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
