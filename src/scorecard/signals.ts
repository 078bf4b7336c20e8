// Gathers one quarter's alignment signals for a sales team and its marketing counterpart from what the
// other features record (events, agendas, attendance, feedback, rotations) and from surveys and liaisons.
import type { Db } from '../db';
import { liaisonOfTeam, suggestionsClosedShare } from '../liaisons/liaisons';
import { latestDecidedEvidence, type DecidedEvidence } from '../surveys/results';
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
  const salesTeams = db.$client.prepare(`SELECT id, name FROM teams WHERE department = 'sales' ORDER BY name`).all() as { id: number; name: string }[];
  return salesTeams.map((team) => {
    const liaison = liaisonOfTeam(db, team.id, at);
    const person = liaison
      ? (db.$client
          .prepare(`SELECT p.name, p.department, p.team_id AS teamId, t.name AS teamName FROM people p LEFT JOIN teams t ON t.id = p.team_id WHERE p.id = ?`)
          .get(liaison.personId) as { name: string; department: string; teamId: number | null; teamName: string | null } | undefined)
      : undefined;
    const marketingTeam = person && person.department === 'marketing' && person.teamId ? { id: person.teamId, name: person.teamName ?? 'Marketing' } : null;
    return {
      salesTeamId: team.id,
      salesTeamName: team.name,
      marketingTeamId: marketingTeam?.id ?? null,
      marketingTeamName: marketingTeam?.name ?? 'Marketing',
      liaisonId: liaison?.personId ?? null,
      liaisonName: person?.name ?? null,
    };
  });
}

/**
 * Other features' tables may still be changing while they are built; a query against a missing table or
 * column yields no rows here instead of breaking the scorecard, and the signal reads as "nothing yet".
 */
function rowsOf<T>(db: Db, query: string, ...params: unknown[]): T[] {
  try {
    return db.$client.prepare(query).all(...params) as T[];
  } catch (err) {
    if (err instanceof Error && /no such (table|column)/.test(err.message)) return [];
    throw err;
  }
}

/**
 * Alignment meetings of the pair in the quarter so far: expected occurrences and those held with an
 * agenda. Read from the stored occurrences (kept by the events feature's writes) in one query,
 * instead of expanding every meeting's rule per view: a meeting belongs to the pair when it is the
 * sales team's, hosted by its liaison or one of its people, or one of its people is invited.
 */
function alignmentMeetings(db: Db, pair: TeamPair, from: Date, to: Date): { held: number; expected: number } {
  if (to.getTime() <= from.getTime()) return { held: 0, expected: 0 };
  const [row] = rowsOf<{ expected: number; held: number | null }>(
    db,
    `WITH pair_meetings AS (
       SELECT e.id FROM events e WHERE e.kind = 'alignment_meeting' AND (e.team_id = @team OR e.host_id = @liaison)
       UNION SELECT e.id FROM people p JOIN events e ON e.host_id = p.id WHERE p.team_id = @team AND e.kind = 'alignment_meeting'
       UNION SELECT i.event_id FROM people p JOIN invitations i ON i.person_id = p.id JOIN events e ON e.id = i.event_id
              WHERE p.team_id = @team AND e.kind = 'alignment_meeting'
     )
     SELECT count(*) AS expected,
            sum(EXISTS (SELECT 1 FROM agenda_items a WHERE a.event_id = o.event_id AND a.occurrence_start = o.original_start)) AS held
       FROM occurrences o
      WHERE o.event_id IN (SELECT id FROM pair_meetings) AND o.cancelled = 0
        AND o.start < @to AND o."end" > @from`,
    { team: pair.salesTeamId, liaison: pair.liaisonId ?? -1, from: from.getTime(), to: to.getTime() },
  );
  return { expected: row?.expected ?? 0, held: row?.held ?? 0 };
}

/** Marketers in the counterpart team (or in marketing, when there is none). */
function marketerCount(db: Db, pair: TeamPair): number {
  const [row] =
    pair.marketingTeamId !== null
      ? rowsOf<{ n: number }>(db, `SELECT count(*) AS n FROM people WHERE team_id = ? AND active = 1 AND department = 'marketing'`, pair.marketingTeamId)
      : rowsOf<{ n: number }>(db, `SELECT count(*) AS n FROM people WHERE department = 'marketing' AND active = 1`);
  return row?.n ?? 0;
}

/** Ride-alongs: marketers who attended (or gave guest feedback on) a sales call hosted in the sales team. */
function rideAlongs(db: Db, pair: TeamPair, from: Date, to: Date): number {
  const rows = rowsOf<{ key: string }>(
    db,
    `SELECT a.event_id || ':' || a.occurrence_start || ':' || a.person_id AS key
       FROM attendance a JOIN events e ON e.id = a.event_id JOIN people p ON p.id = a.person_id
      WHERE e.kind = 'sales_call' AND a.status = 'attended' AND p.department = 'marketing'
        AND (e.team_id = ? OR e.host_id IN (SELECT id FROM people WHERE team_id = ?))
        AND a.occurrence_start >= ? AND a.occurrence_start < ?
     UNION
     SELECT f.event_id || ':' || f.occurrence_start || ':' || f.author_id AS key
       FROM feedback f
      WHERE f.author_role = 'guest' AND f.host_team_id = ? AND f.occurred_at >= ? AND f.occurred_at < ?`,
    pair.salesTeamId,
    pair.salesTeamId,
    from.getTime(),
    to.getTime(),
    pair.salesTeamId,
    from.getTime(),
    to.getTime(),
  );
  return rows.length;
}

function salesRepsAtMarketingMeetings(db: Db, pair: TeamPair, from: Date, to: Date): number {
  const [row] = rowsOf<{ n: number }>(
    db,
    `SELECT count(DISTINCT a.person_id) AS n
       FROM attendance a JOIN events e ON e.id = a.event_id JOIN people p ON p.id = a.person_id
      WHERE e.kind = 'marketing_meeting' AND a.status = 'attended' AND p.team_id = ?
        AND a.occurrence_start >= ? AND a.occurrence_start < ?`,
    pair.salesTeamId,
    from.getTime(),
    to.getTime(),
  );
  return row?.n ?? 0;
}

const isoDate = (at: Date) => at.toISOString().slice(0, 10);

/** Rotations between the sales team and marketing: ended in the quarter, and running at its end (or now). */
function rotationCounts(db: Db, pair: TeamPair, from: Date, to: Date): { completed: number; active: number } {
  const first = isoDate(from);
  const last = isoDate(new Date(to.getTime() - 1));
  const rows = rowsOf<{ startDate: string; endDate: string }>(
    db,
    `SELECT r.start_date AS startDate, r.end_date AS endDate
       FROM rotations r JOIN people p ON p.id = r.person_id JOIN teams host ON host.id = r.host_team_id
      WHERE r.status <> 'cancelled' AND r.start_date <= ? AND r.end_date >= ?
        AND ((p.team_id = ? AND host.department = 'marketing') OR (r.host_team_id = ? AND p.department = 'marketing'))`,
    last,
    first,
    pair.salesTeamId,
    pair.salesTeamId,
  );
  let completed = 0;
  let active = 0;
  for (const row of rows) {
    if (row.endDate <= last) completed++;
    else if (row.startDate <= last) active++;
  }
  return { completed, active };
}

function feedbackGiven(db: Db, pair: TeamPair, from: Date, to: Date): number {
  const [row] = rowsOf<{ n: number }>(db, `SELECT count(*) AS n FROM feedback WHERE host_team_id = ? AND occurred_at >= ? AND occurred_at < ?`, pair.salesTeamId, from.getTime(), to.getTime());
  return row?.n ?? 0;
}

/** The pair's latest decided shared-mindset evidence by `at` (the surveys feature decides what counts). */
function sharedMindset(db: Db, pair: TeamPair, at: Date, now: Date): DecidedEvidence | null {
  const teamIds = pair.marketingTeamId !== null ? [pair.salesTeamId, pair.marketingTeamId] : [pair.salesTeamId];
  return latestDecidedEvidence(db, teamIds, at, now);
}

/** The signals of one pair for one quarter, counted up to `now` for the quarter in progress. */
export function gatherSignals(db: Db, pair: TeamPair, quarter: Quarter, now: Date): AlignmentSignals {
  const until = new Date(Math.min(quarter.end.getTime(), now.getTime()));
  const meetings = alignmentMeetings(db, pair, quarter.start, until);
  const marketers = marketerCount(db, pair);
  const rotations = rotationCounts(db, pair, quarter.start, until);
  const liaisonAt = new Date(until.getTime() - 1);
  const evidence = sharedMindset(db, pair, until, now);
  return {
    alignmentMeetingsHeld: meetings.held,
    alignmentMeetingsExpected: meetings.expected,
    rideAlongsPerMarketer: marketers ? Math.round((rideAlongs(db, pair, quarter.start, until) / marketers) * 100) / 100 : 0,
    salesRepsAtMarketingMeetings: salesRepsAtMarketingMeetings(db, pair, quarter.start, until),
    rotationsCompleted: rotations.completed,
    rotationsActive: rotations.active,
    liaisonAppointed: liaisonOfTeam(db, pair.salesTeamId, liaisonAt) !== null,
    sharedMindsetMatchRate: evidence?.matchRate ?? null,
    sharedMindsetEvidence: evidence
      ? { roundTitle: evidence.roundTitle, respondents: evidence.respondents, participants: evidence.participants, verdict: evidence.verdict }
      : null,
    feedbackGiven: feedbackGiven(db, pair, quarter.start, until),
    suggestionsClosedShare: suggestionsClosedShare(db, pair.salesTeamId, until),
  };
}
