// How a round's results are presented: the By-team table's order and pages, the answers as CSV, and the
// anonymity rule in words.
import type { Department } from '../../db/schema';
import type { Db } from '../db';
import { csvDocument } from '../lib/csv';
import { getAdvantageVersion } from './advantages';
import { SHARED_MINDSET_THRESHOLD } from '../matching/matching';
import { getRound } from './surveys';
import { teamPageOf, type TeamCell } from './tally';
import { computeRoundResults, requireAnswerDetail, roundFigures, type RoundFigures, type RoundResults } from './results';
import { loadSurveySettings, type SurveySettings } from './settings';

/** Rows of the By-team table per page. */
export const TEAM_PAGE_SIZE = 25;

/** Whether a team's row can be ticked for a review: a real team, with figures shown, not decided as a shared mindset and under the threshold. */
export const isWeakTeam = (team: TeamCell) =>
  team.teamId !== null && !team.hidden && team.answers > 0 && !team.sharedMindset && team.matchRate < SHARED_MINDSET_THRESHOLD;

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
 * What the results page shows: the round's figures and one page of its By-team table, weakest first, ranked and
 * counted in SQL over the kept team rows, so a page costs what it shows (25 teams), not the company's size.
 */
export function roundResultsPage(
  db: Db,
  roundId: number,
  now: Date,
  teamPage: number,
  settings: SurveySettings = loadSurveySettings(db),
): { results: RoundFigures; teams: TeamPage; weakTeamCount: number } {
  const { figures, hiding, allCount, teamCell } = roundFigures(db, roundId, now, settings);
  const found = teamPageOf(db, roundId, allCount, hiding, teamPage, TEAM_PAGE_SIZE);
  return {
    results: figures,
    teams: { rows: found.rows.map(teamCell), page: found.page, pageSize: TEAM_PAGE_SIZE, total: found.total },
    weakTeamCount: found.weak,
  };
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
  const advantageOf = (row: { advantageKey: string | null; status: string }) =>
    row.advantageKey && row.status === 'matched' ? (names.get(row.advantageKey) ?? row.advantageKey) : '';
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
    position: number;
    text: string;
    status: string;
    advantageKey: string | null;
    scoreMilli: number;
    department: string;
    teamName: string | null;
    assigned: number;
    personName: string;
    personEmail: string;
    responseId: number;
  }[];
  return csvDocument(
    ['response', 'name', 'email', 'department', 'team', 'position', 'answer', 'status', 'advantage', 'score', 'assigned_by_hr'],
    rows.map((row) => [
      row.responseId,
      row.personName,
      row.personEmail,
      row.department,
      row.teamName ?? '',
      row.position,
      row.text,
      row.status,
      advantageOf(row),
      score(row),
      row.assigned ? 'yes' : 'no',
    ]),
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
