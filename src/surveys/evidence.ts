// The evidence other features cite: the latest round whose answers from some teams decide a verdict.
import { preparedQuery, type Db } from '../db';
import { getAdvantageVersion } from './advantages';
import { loadSurveySettings, type SurveySettings } from './settings';
import { getRound, type RoundRow } from './surveys';
import { add, DEPARTMENTS, emptyCounts, rateCell, roundSuppression, rulesOf, teamKey, teamTallyOf, type TeamTally } from './tally';

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
export function latestDecidedEvidence(
  db: Db,
  teamIds: number[],
  at: Date,
  now: Date,
  settings: SurveySettings = loadSurveySettings(db),
): DecidedEvidence | null {
  return latestDecidedEvidenceAt(db, teamIds, [at], now, settings)[0];
}

/** Rounds of one view, each read, tallied and checked for suppression once. */
export type KnownRounds = Map<
  number,
  {
    round: RoundRow;
    allCount: number;
    /** Every team's cells: an anonymous round's suppression weighs them all. Null for a named round, read per teams asked. */
    cells: TeamTally[] | null;
    /** A named round's cells read so far, by team. */
    byTeam: Map<number, TeamTally[]>;
    suppression: ReturnType<typeof roundSuppression>;
  }
>;

// Every department is named so the participants' index (round, department, team) finds the teams' people
// directly instead of walking a round's participants until one of the teams turns up.
const candidateRoundsQuery = preparedQuery((db) =>
  db.$client.prepare<[number, string, string], { id: number; opensAt: number }>(
    `SELECT r.id, r.opens_at AS opensAt FROM survey_rounds r
      WHERE r.opens_at < +? AND EXISTS (SELECT 1 FROM survey_participants p
              WHERE p.round_id = r.id AND p.department IN (SELECT value FROM json_each(?)) AND p.team_id IN (SELECT value FROM json_each(?)))
      ORDER BY r.opens_at DESC, r.id DESC`,
  ),
);

/** The candidate rounds of a whole page of teams in one read, each with a team of the page that took part in it. */
const pageCandidateRoundsQuery = preparedQuery((db) =>
  db.$client.prepare<[string, number, string], { id: number; opensAt: number; teamId: number }>(
    `SELECT r.id, r.opens_at AS opensAt, tm.value AS teamId FROM survey_rounds r CROSS JOIN json_each(?) tm
      WHERE r.opens_at < +? AND EXISTS (SELECT 1 FROM survey_participants p
              WHERE p.round_id = r.id AND p.department IN (SELECT value FROM json_each(?)) AND p.team_id = tm.value)
      ORDER BY r.opens_at DESC, r.id DESC`,
  ),
);

type PageCandidate = { id: number; opensAt: number; teamId: number };

/**
 * Per view (its KnownRounds), the page's candidate rounds last read, by team in the read's order, so each pair of the
 * page neither reads its own nor builds the page's key again: a pair asks with the page's own list of teams.
 */
const pageCandidates = new WeakMap<KnownRounds, { also: number[]; before: number; key: string; byTeam: Map<number, PageCandidate[]> }>();

/** Rounds opened before `before` in which any of `teamIds` took part, latest first: from the page's read when there is a page. */
function candidateRounds(db: Db, teamIds: number[], before: number, rounds: KnownRounds, alsoTeamIds: number[]): { id: number; opensAt: number }[] {
  if (alsoTeamIds.length === 0) return candidateRoundsQuery(db).all(before, JSON.stringify(DEPARTMENTS), JSON.stringify(teamIds));
  let read = pageCandidates.get(rounds);
  if (!(read && read.also === alsoTeamIds && read.before === before && teamIds.every((teamId) => read!.byTeam.has(teamId)))) {
    const teamList = [...new Set([...alsoTeamIds, ...teamIds])];
    const key = `${before}:${JSON.stringify(teamList)}`;
    if (read?.key !== key) {
      const byTeam = new Map<number, PageCandidate[]>(teamList.map((teamId) => [teamId, []]));
      for (const row of pageCandidateRoundsQuery(db).all(JSON.stringify(teamList), before, JSON.stringify(DEPARTMENTS))) byTeam.get(row.teamId)?.push(row);
      read = { also: alsoTeamIds, before, key, byTeam };
    } else read = { ...read, also: alsoTeamIds, before };
    pageCandidates.set(rounds, read);
  }
  // One team's rounds come in the read's order (latest first), once each; several teams' are merged in that order.
  if (teamIds.length === 1) return read.byTeam.get(teamIds[0])!;
  const seen = new Set<number>();
  return teamIds
    .flatMap((teamId) => read.byTeam.get(teamId)!)
    .sort((a, b) => b.opensAt - a.opensAt || b.id - a.id)
    .filter((row) => !seen.has(row.id) && seen.add(row.id));
}

/**
 * latestDecidedEvidence at several instants (a trend), reading the candidate rounds once. `alsoTeamIds`: teams
 * asked about next with the same `rounds` (a page of them), whose cells of a named round are read together.
 */
export function latestDecidedEvidenceAt(
  db: Db,
  teamIds: number[],
  ats: Date[],
  now: Date,
  settings: SurveySettings = loadSurveySettings(db),
  rounds: KnownRounds = new Map(),
  alsoTeamIds: number[] = [],
): (DecidedEvidence | null)[] {
  if (teamIds.length === 0) return ats.map(() => null);
  const wanted = new Set(teamIds);
  const candidates = candidateRounds(db, teamIds, Math.max(...ats.map((at) => at.getTime())), rounds, alsoTeamIds);
  const rules = rulesOf(settings);
  const decided = new Map<number, DecidedEvidence | null>();
  const decide = (id: number): DecidedEvidence | null => {
    if (decided.has(id)) return decided.get(id)!;
    let known = rounds.get(id);
    if (!known) {
      const round = getRound(db, id);
      const version = getAdvantageVersion(db, round.advantageVersionId);
      const allCount = Math.min(3, version.advantages.length);
      const cells = round.anonymous ? teamTallyOf(db, round.id, allCount) : null;
      known = { round, allCount, cells, suppression: cells ? roundSuppression(round, cells, now, settings) : null, byTeam: new Map() };
      rounds.set(id, known);
    }
    const { round, cells, suppression, byTeam } = known;
    if (!cells && teamIds.some((teamId) => !byTeam.has(teamId))) {
      const unread = [...new Set([...teamIds, ...alsoTeamIds])].filter((teamId) => !byTeam.has(teamId));
      for (const teamId of unread) byTeam.set(teamId, []);
      for (const cell of teamTallyOf(db, round.id, known.allCount, unread)) if (cell.teamId !== null) byTeam.get(cell.teamId)?.push(cell);
    }
    const mine = cells ? cells.filter((cell) => cell.teamId !== null && wanted.has(cell.teamId)) : [...wanted].flatMap((teamId) => byTeam.get(teamId) ?? []);
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
