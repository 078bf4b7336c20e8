// Gathers one quarter's alignment signals for a sales team and its marketing counterpart from what the
// other features record (events, agendas, attendance, feedback, rotations) and from surveys and liaisons.
import type { Statement } from 'better-sqlite3';
import { preparedQuery, type Db } from '../db';
import { suggestionsClosedShares } from '../liaisons/liaisons';
import { latestDecidedEvidenceAt, type DecidedEvidence, type KnownRounds } from '../surveys/evidence';
import { loadSurveySettings, type SurveySettings } from '../surveys/settings';
import { keptMeetingCountsOfPage } from './meetings';
import type { AlignmentSignals } from './stage';

export type Quarter = { label: string; start: Date; end: Date };

/** The calendar quarter (UTC) containing an instant. */
export function quarterOf(at: Date): Quarter {
  const year = at.getUTCFullYear();
  const index = Math.floor(at.getUTCMonth() / 3);
  return { label: `${year} Q${index + 1}`, start: new Date(Date.UTC(year, index * 3, 1)), end: new Date(Date.UTC(year, index * 3 + 3, 1)) };
}

/** The last `count` quarters up to and including the one containing `at`, oldest first. */
export function recentQuarters(at: Date, count: number): Quarter[] {
  const quarters: Quarter[] = [];
  let cursor = quarterOf(at);
  for (let index = 0; index < count; index++) {
    quarters.unshift(cursor);
    cursor = quarterOf(new Date(cursor.start.getTime() - 1));
  }
  return quarters;
}

export type TeamPair = {
  salesTeamId: number;
  salesTeamName: string;
  /** The liaison's marketing team, when the liaison is a marketer; null: marketing as a whole. */
  marketingTeamId: number | null;
  marketingTeamName: string;
  liaisonId: number | null;
  liaisonName: string | null;
};

/** Every sales team with its marketing counterpart: the team of the marketer appointed as its liaison. */
export function teamPairs(db: Db, at: Date): TeamPair[] {
  return pairsOf(db, at, -1, 0);
}

const salesTeamCountQuery = preparedQuery((db) => db.$client.prepare<[], { n: number }>(`SELECT count(*) AS n FROM teams WHERE department = 'sales'`));

/** How many sales teams there are (what the scorecard pages through). */
export function salesTeamCount(db: Db): number {
  return salesTeamCountQuery(db).get()!.n;
}

/** The sales teams of one page of the scorecard, by name, with their counterparts. */
export function teamPairsPage(db: Db, at: Date, offset: number, limit: number): TeamPair[] {
  return pairsOf(db, at, limit, offset);
}

const pairsQuery = preparedQuery((db) =>
  db.$client.prepare<
    { at: number; limit: number; offset: number },
    {
      id: number;
      name: string;
      liaisonId: number | null;
      liaisonName: string | null;
      department: string | null;
      teamId: number | null;
      teamName: string | null;
    }
  >(
    `SELECT t.id, t.name, l.person_id AS liaisonId, p.name AS liaisonName, p.department, p.team_id AS teamId, pt.name AS teamName
         FROM teams t
         LEFT JOIN liaisons l ON l.id = (SELECT id FROM liaisons WHERE team_id = t.id AND appointed_at <= @at AND (ended_at IS NULL OR ended_at > @at) ORDER BY appointed_at DESC LIMIT 1)
         LEFT JOIN people p ON p.id = l.person_id
         LEFT JOIN teams pt ON pt.id = p.team_id
        WHERE t.department = 'sales' ORDER BY t.name LIMIT @limit OFFSET @offset`,
  ),
);

/** Sales teams by name with the liaison in office at `at` (the latest appointed, as liaisonOfTeam says) in one read. */
function pairsOf(db: Db, at: Date, limit: number, offset: number): TeamPair[] {
  const rows = pairsQuery(db).all({ at: at.getTime(), limit, offset });
  return rows.map((row) => {
    const marketingTeam = row.department === 'marketing' && row.teamId ? { id: row.teamId, name: row.teamName ?? 'Marketing' } : null;
    return {
      salesTeamId: row.id,
      salesTeamName: row.name,
      marketingTeamId: marketingTeam?.id ?? null,
      marketingTeamName: marketingTeam?.name ?? 'Marketing',
      liaisonId: row.liaisonId,
      liaisonName: row.liaisonName,
    };
  });
}

/**
 * Other features' tables may still be changing while they are built; a query against a missing table or
 * column yields no rows here instead of breaking the scorecard, and the signal reads as "nothing yet".
 */
function rowsOf<T>(db: Db, query: (db: Db) => Statement, params: Record<string, unknown>): T[] {
  try {
    return query(db).all(params) as T[];
  } catch (err) {
    if (err instanceof Error && /no such (table|column)/.test(err.message)) return [];
    throw err;
  }
}

/**
 * A statement of the signals below, compiled once per database. Each reads the kept rows of a whole page
 * of teams (@teams, a JSON list of ids) over the trend's stretch [@from, @until): a view makes one read
 * per signal, whatever the number of pairs it shows.
 */
const statement = (source: string) => preparedQuery((db) => db.$client.prepare(source));

const TEAMS = 'IN (SELECT value FROM json_each(@teams))';
const allMarketersQuery = statement(`SELECT count(*) AS n FROM people WHERE department = 'marketing' AND active = 1`);
const teamMarketersQuery = statement(
  `SELECT team_id AS teamId, count(*) AS n FROM people WHERE team_id ${TEAMS} AND active = 1 AND department = 'marketing' GROUP BY team_id`,
);
const rideAlongsQuery = statement(`SELECT team_id AS teamId, event_id || ':' || occurrence_start || ':' || person_id AS key, occurrence_start AS at
       FROM scorecard_ride_alongs WHERE team_id ${TEAMS} AND occurrence_start >= @from AND occurrence_start < @until
     UNION ALL
     SELECT f.host_team_id AS teamId, f.event_id || ':' || f.occurrence_start || ':' || f.author_id AS key, f.occurred_at AS at
       FROM feedback f
      WHERE f.host_team_id ${TEAMS} AND f.occurred_at >= @from AND f.occurred_at < @until AND f.author_role = 'guest'`);
const repsAtMeetingsQuery = statement(`SELECT p.team_id AS teamId, a.person_id AS personId, a.occurrence_start AS at
       FROM people p JOIN attendance a ON a.person_id = p.id JOIN events e ON e.id = a.event_id
      WHERE p.team_id ${TEAMS} AND a.status = 'attended' AND e.kind = 'marketing_meeting'
        AND a.occurrence_start >= @from AND a.occurrence_start < @until`);
/** Kept by triggers (scorecard_rotations): by row identity, two rotations with the same dates are two rotations. */
const rotationsQuery = statement(`SELECT team_id AS teamId, start_date AS startDate, end_date AS endDate
       FROM scorecard_rotations WHERE team_id ${TEAMS} AND start_date <= @last AND end_date >= @first`);
const feedbackQuery = statement(
  `SELECT host_team_id AS teamId, occurred_at AS at FROM feedback WHERE host_team_id ${TEAMS} AND occurred_at >= @from AND occurred_at < @until`,
);
const liaisonTermsQuery = statement(`SELECT team_id AS teamId, appointed_at AS appointedAt, ended_at AS endedAt FROM liaisons WHERE team_id ${TEAMS}`);

/** A quarter's stretch counted so far: [start, min(end, now)). */
type Span = { from: number; until: number };

const spanOf = (quarter: Quarter, now: Date): Span => ({ from: quarter.start.getTime(), until: Math.min(quarter.end.getTime(), now.getTime()) });

/** Indexes of the spans containing `at` (spans may not overlap, but nothing here relies on it). */
function spansAt(spans: Span[], at: number): number[] {
  const found: number[] = [];
  spans.forEach((span, index) => {
    if (at >= span.from && at < span.until) found.push(index);
  });
  return found;
}

/** The whole stretch the spans cover, for one read per signal instead of one per quarter. */
const envelope = (spans: Span[]) => ({ from: Math.min(...spans.map((s) => s.from)), until: Math.max(...spans.map((s) => s.until)) });

/** Per team id, a value per span, starting from `initial()`. */
function perTeam<T>(teamIds: number[], spans: Span[], initial: () => T): Map<number, T[]> {
  return new Map(teamIds.map((teamId) => [teamId, spans.map(initial)]));
}

/** Rows (each of a team, at an instant) counted per team and span, distinct by `key` when given. */
function countBySpan<R extends { teamId: number; at: number }>(teamIds: number[], spans: Span[], rows: R[], key?: (row: R) => unknown): Map<number, number[]> {
  const seen = perTeam(teamIds, spans, () => new Set<unknown>());
  const counts = perTeam(teamIds, spans, () => 0);
  rows.forEach((row, rowIndex) => {
    for (const index of spansAt(spans, row.at)) {
      const set = seen.get(row.teamId)?.[index];
      if (!set) continue;
      set.add(key ? key(row) : rowIndex);
      counts.get(row.teamId)![index] = set.size;
    }
  });
  return counts;
}

/** Marketers in each pair's counterpart team (or in marketing, when there is none). */
function marketerCounts(db: Db, pairs: TeamPair[]): number[] {
  const teamIds = [...new Set(pairs.flatMap((pair) => (pair.marketingTeamId === null ? [] : [pair.marketingTeamId])))];
  const byTeam = new Map(rowsOf<{ teamId: number; n: number }>(db, teamMarketersQuery, { teams: JSON.stringify(teamIds) }).map((row) => [row.teamId, row.n]));
  const all = pairs.some((pair) => pair.marketingTeamId === null) ? (rowsOf<{ n: number }>(db, allMarketersQuery, {})[0]?.n ?? 0) : 0;
  return pairs.map((pair) => (pair.marketingTeamId === null ? all : (byTeam.get(pair.marketingTeamId) ?? 0)));
}

const isoDate = (at: number) => new Date(at).toISOString().slice(0, 10);

/** Rotations between each sales team and marketing per span: ended in it, and running at its end (or now). */
function rotationCounts(db: Db, teamIds: number[], spans: Span[], stretch: Span): Map<number, { completed: number; active: number }[]> {
  const counts = perTeam(teamIds, spans, () => ({ completed: 0, active: 0 }));
  const rows = rowsOf<{ teamId: number; startDate: string; endDate: string }>(db, rotationsQuery, {
    teams: JSON.stringify(teamIds),
    first: isoDate(stretch.from),
    last: isoDate(stretch.until - 1),
  });
  spans.forEach((span, index) => {
    const first = isoDate(span.from);
    const last = isoDate(span.until - 1);
    for (const row of rows) {
      if (!(row.startDate <= last && row.endDate >= first)) continue;
      const count = counts.get(row.teamId)![index];
      if (row.endDate <= last) count.completed++;
      else if (row.startDate <= last) count.active++;
    }
  });
  return counts;
}

/** Whether each team had a liaison in office at each instant, from its appointments in one read. */
function liaisonsInOffice(db: Db, teamIds: number[], instants: number[]): Map<number, boolean[]> {
  const terms = rowsOf<{ teamId: number; appointedAt: number; endedAt: number | null }>(db, liaisonTermsQuery, { teams: JSON.stringify(teamIds) });
  return new Map(
    teamIds.map((teamId) => {
      const mine = terms.filter((term) => term.teamId === teamId);
      return [teamId, instants.map((at) => mine.some((term) => term.appointedAt <= at && (term.endedAt === null || term.endedAt > at)))];
    }),
  );
}

/** The pair's latest decided shared-mindset evidence by each instant (the surveys feature decides what counts). */
function sharedMindset(db: Db, pair: TeamPair, ats: Date[], now: Date, memo: SignalMemo): (DecidedEvidence | null)[] {
  const teamIds = pair.marketingTeamId !== null ? [pair.salesTeamId, pair.marketingTeamId] : [pair.salesTeamId];
  memo.surveySettings ??= loadSurveySettings(db);
  memo.rounds ??= new Map();
  return latestDecidedEvidenceAt(db, teamIds, ats, now, memo.surveySettings, memo.rounds);
}

/** What the signals of several pairs share within one scorecard view. */
type SignalMemo = { surveySettings?: SurveySettings; rounds?: KnownRounds };

/**
 * The signals of each pair (a page of them) for each quarter, each counted up to `now` for the quarter in
 * progress: signals[pair][quarter]. One read per signal for the whole page, from the rows the writes keep.
 */
export function gatherTrends(db: Db, pairs: TeamPair[], quarters: Quarter[], now: Date): AlignmentSignals[][] {
  if (pairs.length === 0) return [];
  const spans = quarters.map((quarter) => spanOf(quarter, now));
  const stretch = envelope(spans);
  const teamIds = [...new Set(pairs.map((pair) => pair.salesTeamId))];
  const page = { teams: JSON.stringify(teamIds), from: stretch.from, until: stretch.until };
  const memo: SignalMemo = {};

  const marketers = marketerCounts(db, pairs);
  type Keyed = { teamId: number; at: number; key: string };
  const rides = countBySpan(teamIds, spans, rowsOf<Keyed>(db, rideAlongsQuery, page), (row) => row.key);
  type Attended = { teamId: number; at: number; personId: number };
  const reps = countBySpan(teamIds, spans, rowsOf<Attended>(db, repsAtMeetingsQuery, page), (row) => row.personId);
  const feedback = countBySpan(teamIds, spans, rowsOf<{ teamId: number; at: number }>(db, feedbackQuery, page));
  const rotations = rotationCounts(db, teamIds, spans, stretch);
  const liaisons = liaisonsInOffice(
    db,
    teamIds,
    spans.map((span) => span.until - 1),
  );
  const closedShares = suggestionsClosedShares(
    db,
    teamIds,
    spans.map((span) => new Date(span.until)),
  );
  const meetings = keptMeetingCountsOfPage(
    db,
    pairs.map((pair) => ({ teamId: pair.salesTeamId, liaisonId: pair.liaisonId })),
    quarters.map((quarter, index) => ({ from: quarter.start.getTime(), to: spans[index].until })),
  );

  return pairs.map((pair, pairIndex) => {
    const team = pair.salesTeamId;
    const evidences = sharedMindset(
      db,
      pair,
      spans.map((span) => new Date(span.until)),
      now,
      memo,
    );
    return quarters.map((_, index) => {
      const evidence = evidences[index];
      const rideCount = rides.get(team)![index];
      return {
        alignmentMeetingsHeld: meetings[pairIndex][index].held,
        alignmentMeetingsExpected: meetings[pairIndex][index].expected,
        rideAlongsPerMarketer: marketers[pairIndex] ? Math.round((rideCount / marketers[pairIndex]) * 100) / 100 : 0,
        salesRepsAtMarketingMeetings: reps.get(team)![index],
        rotationsCompleted: rotations.get(team)![index].completed,
        rotationsActive: rotations.get(team)![index].active,
        liaisonAppointed: liaisons.get(team)![index],
        sharedMindsetMatchRate: evidence?.matchRate ?? null,
        sharedMindsetEvidence: evidence
          ? { roundTitle: evidence.roundTitle, respondents: evidence.respondents, participants: evidence.participants, verdict: evidence.verdict }
          : null,
        feedbackGiven: feedback.get(team)![index],
        suggestionsClosedShare: closedShares.get(team)![index],
      };
    });
  });
}
