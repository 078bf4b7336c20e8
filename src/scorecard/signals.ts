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
         FROM (SELECT id, name FROM teams WHERE department = 'sales' ORDER BY name LIMIT +@limit OFFSET +@offset) t
         LEFT JOIN liaisons l ON l.id = (SELECT id FROM liaisons WHERE team_id = t.id AND appointed_at <= +@at AND (ended_at IS NULL OR ended_at > +@at) ORDER BY appointed_at DESC LIMIT 1)
         LEFT JOIN people p ON p.id = l.person_id
         LEFT JOIN teams pt ON pt.id = p.team_id
        ORDER BY t.name`,
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
 * of teams (@teams, a JSON list of ids) for every quarter of the trend at once (@spans, a JSON list of
 * [from, until) stretches) and answers a count per team and quarter: a view makes one read per signal,
 * whatever the number of pairs it shows, and no row leaves SQLite only to be counted.
 */
const statement = (source: string) => preparedQuery((db) => db.$client.prepare(source));

/** The quarters as rows (span: index, start, end), their bounds read out of the JSON once and not per row compared. */
const SPANS = `WITH spans AS MATERIALIZED (SELECT key AS span, value ->> '$[0]' AS start, value ->> '$[1]' AS "end" FROM json_each(@spans))`;
/** Pairs of a page team (tm.value) and a quarter (j.span, from j.start until j.end). */
const PAGE = 'json_each(@teams) tm CROSS JOIN spans j';
const FROM = 'j.start';
const UNTIL = 'j."end"';
type Counted = { teamId: number; span: number; n: number };

/** Kept by triggers on people (department_headcounts): marketing as a whole without counting it. */
const allMarketersQuery = statement(`SELECT active AS n FROM department_headcounts WHERE department = 'marketing'`);
const teamMarketersQuery = statement(
  `SELECT team_id AS teamId, count(*) AS n FROM people WHERE team_id IN (SELECT value FROM json_each(@teams)) AND active = 1 AND department = 'marketing' GROUP BY team_id`,
);
/** One per occurrence and marketer, whether kept from attendance (scorecard_ride_alongs) or from guest feedback. */
const rideAlongsQuery = statement(`${SPANS} SELECT teamId, span, count(DISTINCT key) AS n FROM (
       SELECT tm.value AS teamId, j.span AS span, r.event_id || ':' || r.occurrence_start || ':' || r.person_id AS key
         FROM ${PAGE} CROSS JOIN scorecard_ride_alongs r
           ON r.team_id = tm.value AND r.occurrence_start >= ${FROM} AND r.occurrence_start < ${UNTIL}
       UNION ALL
       SELECT tm.value, j.span, f.event_id || ':' || f.occurrence_start || ':' || f.author_id
         FROM ${PAGE} CROSS JOIN feedback f ON f.host_team_id = tm.value AND f.occurred_at >= ${FROM} AND f.occurred_at < ${UNTIL}
        WHERE f.author_role = 'guest')
     GROUP BY teamId, span`);
const repsAtMeetingsQuery = statement(`${SPANS} SELECT p.team_id AS teamId, j.span AS span, count(DISTINCT a.person_id) AS n
       FROM json_each(@teams) tm CROSS JOIN people p ON p.team_id = tm.value CROSS JOIN attendance a ON a.person_id = p.id AND a.status = 'attended'
       CROSS JOIN spans j JOIN events e ON e.id = a.event_id
      WHERE e.kind = 'marketing_meeting' AND a.occurrence_start >= ${FROM} AND a.occurrence_start < ${UNTIL}
      GROUP BY p.team_id, j.span`);
/**
 * Kept by triggers (scorecard_rotations): each page team's rotations touching the trend (@from to @until, ISO days)
 * through its index, as one text per team of their start and end days separated by spaces (null: none). Counting
 * them per quarter in SQL (a sum per quarter and row, or each row joined to each quarter and grouped again) cost
 * three times the read itself; a JSON array of pairs cost twice as much to build and parse as this text to split.
 */
const rotationsQuery = statement(`SELECT tm.value AS teamId,
    (SELECT group_concat(r.start_date || ' ' || r.end_date, ' ') FROM scorecard_rotations r
      WHERE r.team_id = tm.value AND r.end_date >= +@from AND r.start_date <= +@until) AS days
  FROM json_each(@teams) tm`);
const feedbackQuery = statement(`${SPANS} SELECT f.host_team_id AS teamId, j.span AS span, count(*) AS n
       FROM ${PAGE} CROSS JOIN feedback f ON f.host_team_id = tm.value AND f.occurred_at >= ${FROM} AND f.occurred_at < ${UNTIL}
      GROUP BY f.host_team_id, j.span`);
const liaisonTermsQuery = statement(
  `SELECT team_id AS teamId, appointed_at AS appointedAt, ended_at AS endedAt FROM liaisons WHERE team_id IN (SELECT value FROM json_each(@teams))`,
);

/** A quarter's stretch counted so far: [start, min(end, now)). */
type Span = { from: number; until: number };

const spanOf = (quarter: Quarter, now: Date): Span => ({ from: quarter.start.getTime(), until: Math.min(quarter.end.getTime(), now.getTime()) });

/** Per team id, a value per span, starting from `initial()`. */
function perTeam<T>(teamIds: number[], spans: Span[], initial: () => T): Map<number, T[]> {
  return new Map(teamIds.map((teamId) => [teamId, spans.map(initial)]));
}

/** A count per team and span from a read answering (teamId, span, n); none: 0. */
function countsOf(db: Db, query: (db: Db) => Statement, page: { teams: string; spans: string }, teamIds: number[], spans: Span[]): Map<number, number[]> {
  const counts = perTeam(teamIds, spans, () => 0);
  for (const row of rowsOf<Counted>(db, query, page)) {
    const list = counts.get(row.teamId);
    if (list) list[row.span] = row.n;
  }
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

/**
 * Rotations between each sales team and marketing per span, quarters as [first, last] days: ended in it, and
 * running at its end (or now). By row identity: two rotations with the same dates are two rotations.
 */
function rotationCounts(db: Db, teams: string, teamIds: number[], spans: Span[]): Map<number, { completed: number; active: number }[]> {
  const counts = perTeam(teamIds, spans, () => ({ completed: 0, active: 0 }));
  const days = spans.map((span) => ({ first: isoDate(span.from), last: isoDate(span.until - 1) }));
  const from = days.reduce((min, day) => (day.first < min ? day.first : min), days[0].first);
  const until = days.reduce((max, day) => (day.last > max ? day.last : max), days[0].last);
  for (const row of rowsOf<{ teamId: number; days: string | null }>(db, rotationsQuery, { teams, from, until })) {
    const list = counts.get(row.teamId);
    if (!list || row.days === null) continue;
    // ISO days hold no space: start, end, start, end...; plain loops, as this runs per rotation and quarter on each view.
    const bounds = row.days.split(' ');
    for (let at = 0; at + 1 < bounds.length; at += 2) {
      const start = bounds[at];
      const end = bounds[at + 1];
      for (let index = 0; index < days.length; index++) {
        const day = days[index];
        if (end < day.first || start > day.last) continue;
        if (end <= day.last) list[index].completed++;
        else list[index].active++;
      }
    }
  }
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
function sharedMindset(db: Db, pair: TeamPair, ats: Date[], now: Date, memo: SignalMemo, pageTeamIds: number[]): (DecidedEvidence | null)[] {
  const teamIds = pair.marketingTeamId !== null ? [pair.salesTeamId, pair.marketingTeamId] : [pair.salesTeamId];
  memo.surveySettings ??= loadSurveySettings(db);
  memo.rounds ??= new Map();
  return latestDecidedEvidenceAt(db, teamIds, ats, now, memo.surveySettings, memo.rounds, pageTeamIds);
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
  const teamIds = [...new Set(pairs.map((pair) => pair.salesTeamId))];
  const page = { teams: JSON.stringify(teamIds), spans: JSON.stringify(spans.map((span) => [span.from, span.until])) };
  const memo: SignalMemo = {};
  const evidenceTeamIds = [
    ...new Set(pairs.flatMap((pair) => (pair.marketingTeamId === null ? [pair.salesTeamId] : [pair.salesTeamId, pair.marketingTeamId]))),
  ];

  const marketers = marketerCounts(db, pairs);
  const rides = countsOf(db, rideAlongsQuery, page, teamIds, spans);
  const reps = countsOf(db, repsAtMeetingsQuery, page, teamIds, spans);
  const feedback = countsOf(db, feedbackQuery, page, teamIds, spans);
  const rotations = rotationCounts(db, page.teams, teamIds, spans);
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
      evidenceTeamIds,
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
