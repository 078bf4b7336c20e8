// How a round's results are presented: the By-team table's order and pages, the answers as CSV, and the
// anonymity rule in words.
import type { Department } from '../../db/schema';
import { preparedQuery, streamedParts, type Db } from '../db';
import { csvLine } from '../lib/csv';
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
 * What the results page (and the API, `pageSize` teams at a time) shows: the round's figures and one page of its
 * By-team table, weakest first, ranked and counted in SQL over the kept team rows, so a page costs what it shows
 * (25 teams), not the company's size.
 */
export function roundResultsPage(
  db: Db,
  roundId: number,
  now: Date,
  teamPage: number,
  pageSize = TEAM_PAGE_SIZE,
  settings: SurveySettings = loadSurveySettings(db),
): { results: RoundFigures; teams: TeamPage; weakTeamCount: number } {
  const { figures, hiding, allCount, teamCell } = roundFigures(db, roundId, now, settings);
  const found = teamPageOf(db, roundId, allCount, hiding, teamPage, pageSize);
  return {
    results: figures,
    teams: { rows: found.rows.map(teamCell), page: found.page, pageSize, total: found.total },
    weakTeamCount: found.weak,
  };
}

type NamedLine = {
  responseId: number;
  position: number;
  personName: string;
  personEmail: string;
  department: string;
  teamName: string | null;
  text: string;
  status: string;
  advantageKey: string | null;
  scoreMilli: number;
  assigned: number;
};

/** A part of a named round's lines, by response and position, from the one after (@response, @position). */
const namedLinesQuery = preparedQuery((db) =>
  db.$client.prepare<{ round: number; response: number; position: number; limit: number }, NamedLine>(
    `SELECT a.response_id AS responseId, a.position, p.name AS personName, p.email AS personEmail, a.department, t.name AS teamName,
            a.text, a.status, a.advantage_key AS advantageKey, a.score_milli AS scoreMilli, a.assigned_by_id IS NOT NULL AS assigned
       FROM survey_answers a INDEXED BY survey_answers_export_idx
       JOIN survey_responses r ON r.id = a.response_id
       JOIN people p ON p.id = r.person_id
       LEFT JOIN teams t ON t.id = a.team_id
      WHERE a.round_id = @round AND (a.response_id, a.position) > (@response, @position)
      ORDER BY a.response_id, a.position
      LIMIT @limit`,
  ),
);

type AnonymousLine = { id: number; text: string; department: Department; status: string; advantageKey: string | null; scoreMilli: number; assigned: number };

/**
 * A part of an anonymous round's lines, in the order of what each line shows (text, department, status, advantage,
 * score, assigned), never the order people answered in; from the one after the line given (`id` only breaks ties
 * between lines that read the same).
 */
const anonymousLinesQuery = preparedQuery((db) =>
  db.$client.prepare<
    { round: number; text: string; department: string; status: string; advantage: string; score: number; assigned: number; id: number; limit: number },
    AnonymousLine
  >(
    `SELECT id, text, department, status, advantage_key AS advantageKey, score_milli AS scoreMilli, assigned_by_id IS NOT NULL AS assigned
       FROM survey_answers INDEXED BY survey_answers_anonymous_export_idx
      WHERE round_id = @round
        AND (text, department, status, ifnull(advantage_key, ''), score_milli, assigned_by_id IS NOT NULL, id)
          > (@text, @department, @status, @advantage, @score, @assigned, @id)
      ORDER BY text, department, status, ifnull(advantage_key, ''), score_milli, assigned_by_id IS NOT NULL, id
      LIMIT @limit`,
  ),
);

/** Lines of an export read and written per part. */
const EXPORT_PART = 2_000;

/**
 * The answers of a round as CSV, a part at a time (streamedParts). A named round lists each person's answers in
 * order. An anonymous round has no names, response ids, positions or times, its rows sorted by answer text, and a
 * department only where the department may be described; it can be exported only once closed with at least k
 * respondents (checked before the first byte: an export refused is a 403, not a broken file).
 */
export function roundAnswersCsv(db: Db, roundId: number, now: Date, partLines = EXPORT_PART): ReadableStream<Uint8Array> {
  return streamedParts(db, (read) => {
    const round = getRound(read(), roundId);
    const version = getAdvantageVersion(read(), round.advantageVersionId);
    const names = new Map(version.advantages.map((advantage) => [advantage.key, advantage.name]));
    const advantageOf = (row: { advantageKey: string | null; status: string }) =>
      row.advantageKey && row.status === 'matched' ? (names.get(row.advantageKey) ?? row.advantageKey) : '';
    const score = (row: { scoreMilli: number }) => (row.scoreMilli / 1000).toFixed(3);
    const assigned = (row: { assigned: number }) => (row.assigned ? 'yes' : 'no');
    if (round.anonymous) {
      requireAnswerDetail(read(), round, now);
      const results = computeRoundResults(read(), roundId, now);
      const shown = new Set(results.byDepartment.filter((cell) => !cell.hidden).map((cell) => cell.department));
      return (function* () {
        yield csvLine(['department', 'answer', 'status', 'advantage', 'score', 'assigned_by_hr']);
        let after = { text: '', department: '', status: '', advantage: '', score: -1, assigned: -1, id: 0 };
        for (;;) {
          const lines = anonymousLinesQuery(read()).all({ round: roundId, ...after, limit: partLines });
          if (!lines.length) return;
          let part = '';
          for (const l of lines) part += csvLine([shown.has(l.department) ? l.department : '', l.text, l.status, advantageOf(l), score(l), assigned(l)]);
          yield part;
          const last = lines[lines.length - 1]!;
          after = {
            text: last.text,
            department: last.department,
            status: last.status,
            advantage: last.advantageKey ?? '',
            score: last.scoreMilli,
            assigned: last.assigned,
            id: last.id,
          };
        }
      })();
    }
    return (function* () {
      yield csvLine(['response', 'name', 'email', 'department', 'team', 'position', 'answer', 'status', 'advantage', 'score', 'assigned_by_hr']);
      let after = { response: 0, position: Number.MIN_SAFE_INTEGER };
      for (;;) {
        const lines = namedLinesQuery(read()).all({ round: roundId, ...after, limit: partLines });
        if (!lines.length) return;
        let part = '';
        for (const l of lines)
          part += csvLine([
            l.responseId,
            l.personName,
            l.personEmail,
            l.department,
            l.teamName ?? '',
            l.position,
            l.text,
            l.status,
            advantageOf(l),
            score(l),
            assigned(l),
          ]);
        yield part;
        const last = lines[lines.length - 1]!;
        after = { response: last.responseId, position: last.position };
      }
    })();
  });
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
