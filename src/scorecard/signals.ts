// Gathers one quarter's alignment signals for a sales team and its marketing counterpart from what the
// other features record (events, agendas, attendance, feedback, rotations) and from surveys and liaisons.
import type { Statement } from 'better-sqlite3';
import { preparedQuery, type Db } from '../db';
import { suggestionsClosedShare } from '../liaisons/liaisons';
import { latestDecidedEvidenceAt, type DecidedEvidence, type KnownRounds } from '../surveys/evidence';
import { loadSurveySettings, type SurveySettings } from '../surveys/settings';
import { keptMeetingCounts } from './meetings';
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
function rowsOf<T>(db: Db, query: (db: Db) => Statement, ...params: unknown[]): T[] {
  try {
    return query(db).all(...params) as T[];
  } catch (err) {
    if (err instanceof Error && /no such (table|column)/.test(err.message)) return [];
    throw err;
  }
}

/** A statement of the signals below, compiled once per database. */
const statement = (source: string) => preparedQuery((db) => db.$client.prepare(source));

const allMarketersQuery = statement(`SELECT count(*) AS n FROM people WHERE department = 'marketing' AND active = 1`);
const teamMarketersQuery = statement(`SELECT count(*) AS n FROM people WHERE team_id = ? AND active = 1 AND department = 'marketing'`);
const rideAlongsQuery = statement(`SELECT event_id || ':' || occurrence_start || ':' || person_id AS key, occurrence_start AS at
       FROM scorecard_ride_alongs WHERE team_id = ? AND occurrence_start >= ? AND occurrence_start < ?
     UNION ALL
     SELECT f.event_id || ':' || f.occurrence_start || ':' || f.author_id AS key, f.occurred_at AS at
       FROM feedback f
      WHERE f.author_role = 'guest' AND f.host_team_id = ? AND f.occurred_at >= ? AND f.occurred_at < ?`);
const repsAtMeetingsQuery = statement(`SELECT a.person_id AS personId, a.occurrence_start AS at
       FROM people p JOIN attendance a ON a.person_id = p.id JOIN events e ON e.id = a.event_id
      WHERE p.team_id = ? AND e.kind = 'marketing_meeting' AND a.status = 'attended'
        AND a.occurrence_start >= ? AND a.occurrence_start < ?`);
const rotationsQuery = statement(`SELECT r.start_date AS startDate, r.end_date AS endDate FROM rotations r WHERE r.id IN (
       SELECT r.id FROM people p JOIN rotations r ON r.person_id = p.id JOIN teams host ON host.id = r.host_team_id
        WHERE p.team_id = ? AND host.department = 'marketing' AND r.status <> 'cancelled' AND r.start_date <= ? AND r.end_date >= ?
       UNION
       SELECT r.id FROM rotations r JOIN people p ON p.id = r.person_id
        WHERE r.host_team_id = ? AND p.department = 'marketing' AND r.status <> 'cancelled' AND r.start_date <= ? AND r.end_date >= ?)`);
const feedbackQuery = statement(`SELECT occurred_at AS at FROM feedback WHERE host_team_id = ? AND occurred_at >= ? AND occurred_at < ?`);
const liaisonTermsQuery = statement('SELECT appointed_at AS appointedAt, ended_at AS endedAt FROM liaisons WHERE team_id = ?');

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

/** The whole stretch the spans cover, for one query per signal instead of one per quarter. */
const envelope = (spans: Span[]) => ({ from: Math.min(...spans.map((s) => s.from)), until: Math.max(...spans.map((s) => s.until)) });

/** Marketers in the counterpart team (or in marketing, when there is none). */
function marketerCount(db: Db, pair: TeamPair, memo: SignalMemo): number {
  if (pair.marketingTeamId === null) {
    memo.allMarketers ??= rowsOf<{ n: number }>(db, allMarketersQuery)[0]?.n ?? 0;
    return memo.allMarketers;
  }
  const [row] = rowsOf<{ n: number }>(db, teamMarketersQuery, pair.marketingTeamId);
  return row?.n ?? 0;
}

/**
 * Ride-alongs per span: marketers who attended (kept by the writes, see ./meetings) or gave guest
 * feedback on a sales call of the sales team or hosted in it; one per occurrence and marketer.
 */
function rideAlongs(db: Db, pair: TeamPair, spans: Span[]): number[] {
  const { from, until } = envelope(spans);
  const keys = spans.map(() => new Set<string>());
  const rows = rowsOf<{ key: string; at: number }>(db, rideAlongsQuery, pair.salesTeamId, from, until, pair.salesTeamId, from, until);
  for (const row of rows) for (const index of spansAt(spans, row.at)) keys[index].add(row.key);
  return keys.map((set) => set.size);
}

/** Sales reps of the team who attended a marketing meeting, per span. */
function salesRepsAtMarketingMeetings(db: Db, pair: TeamPair, spans: Span[]): number[] {
  const { from, until } = envelope(spans);
  const people = spans.map(() => new Set<number>());
  const rows = rowsOf<{ personId: number; at: number }>(db, repsAtMeetingsQuery, pair.salesTeamId, from, until);
  for (const row of rows) for (const index of spansAt(spans, row.at)) people[index].add(row.personId);
  return people.map((set) => set.size);
}

const isoDate = (at: number) => new Date(at).toISOString().slice(0, 10);

/** Rotations between the sales team and marketing per span: ended in it, and running at its end (or now). */
function rotationCounts(db: Db, pair: TeamPair, spans: Span[]): { completed: number; active: number }[] {
  const { from, until } = envelope(spans);
  // By row identity: two rotations with the same dates are two rotations.
  const list = rowsOf<{ startDate: string; endDate: string }>(
    db,
    rotationsQuery,
    pair.salesTeamId,
    isoDate(until - 1),
    isoDate(from),
    pair.salesTeamId,
    isoDate(until - 1),
    isoDate(from),
  );
  return spans.map((span) => {
    const first = isoDate(span.from);
    const last = isoDate(span.until - 1);
    let completed = 0;
    let active = 0;
    for (const row of list) {
      if (!(row.startDate <= last && row.endDate >= first)) continue;
      if (row.endDate <= last) completed++;
      else if (row.startDate <= last) active++;
    }
    return { completed, active };
  });
}

function feedbackGiven(db: Db, pair: TeamPair, spans: Span[]): number[] {
  const { from, until } = envelope(spans);
  const counts = spans.map(() => 0);
  const rows = rowsOf<{ at: number }>(db, feedbackQuery, pair.salesTeamId, from, until);
  for (const row of rows) for (const index of spansAt(spans, row.at)) counts[index]++;
  return counts;
}

/** Whether the team had a liaison in office at each instant, from its appointments in one read. */
function liaisonsInOffice(db: Db, pair: TeamPair, instants: number[]): boolean[] {
  const terms = rowsOf<{ appointedAt: number; endedAt: number | null }>(db, liaisonTermsQuery, pair.salesTeamId);
  return instants.map((at) => terms.some((term) => term.appointedAt <= at && (term.endedAt === null || term.endedAt > at)));
}

/** The pair's latest decided shared-mindset evidence by each instant (the surveys feature decides what counts). */
function sharedMindset(db: Db, pair: TeamPair, ats: Date[], now: Date, memo: SignalMemo): (DecidedEvidence | null)[] {
  const teamIds = pair.marketingTeamId !== null ? [pair.salesTeamId, pair.marketingTeamId] : [pair.salesTeamId];
  memo.surveySettings ??= loadSurveySettings(db);
  memo.rounds ??= new Map();
  return latestDecidedEvidenceAt(db, teamIds, ats, now, memo.surveySettings, memo.rounds);
}

/** What the signals of several pairs share within one scorecard view. */
export type SignalMemo = { allMarketers?: number; surveySettings?: SurveySettings; rounds?: KnownRounds };

/** The signals of one pair for each quarter, each counted up to `now` for the quarter in progress. */
export function gatherTrend(db: Db, pair: TeamPair, quarters: Quarter[], now: Date, memo: SignalMemo = {}): AlignmentSignals[] {
  const spans = quarters.map((quarter) => spanOf(quarter, now));
  const marketers = marketerCount(db, pair, memo);
  const rides = rideAlongs(db, pair, spans);
  const reps = salesRepsAtMarketingMeetings(db, pair, spans);
  const rotations = rotationCounts(db, pair, spans);
  const feedback = feedbackGiven(db, pair, spans);
  const liaisons = liaisonsInOffice(
    db,
    pair,
    spans.map((span) => span.until - 1),
  );
  const evidences = sharedMindset(
    db,
    pair,
    spans.map((span) => new Date(span.until)),
    now,
    memo,
  );
  return quarters.map((quarter, index) => {
    const until = new Date(spans[index].until);
    const meetings = keptMeetingCounts(db, pair.salesTeamId, pair.liaisonId, quarter.start, until);
    const evidence = evidences[index];
    return {
      alignmentMeetingsHeld: meetings.held,
      alignmentMeetingsExpected: meetings.expected,
      rideAlongsPerMarketer: marketers ? Math.round((rides[index] / marketers) * 100) / 100 : 0,
      salesRepsAtMarketingMeetings: reps[index],
      rotationsCompleted: rotations[index].completed,
      rotationsActive: rotations[index].active,
      liaisonAppointed: liaisons[index],
      sharedMindsetMatchRate: evidence?.matchRate ?? null,
      sharedMindsetEvidence: evidence
        ? { roundTitle: evidence.roundTitle, respondents: evidence.respondents, participants: evidence.participants, verdict: evidence.verdict }
        : null,
      feedbackGiven: feedback[index],
      suggestionsClosedShare: suggestionsClosedShare(db, pair.salesTeamId, until),
    };
  });
}
