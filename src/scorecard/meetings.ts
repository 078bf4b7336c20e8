/**
 * The scorecard's alignment meetings and ride-alongs, kept current by the writes that change them, so
 * a view reads a few rows per team and quarter instead of walking every invitation of every meeting
 * and every sales call of a team.
 *
 * A meeting belongs to the teams of its own team, its host and everyone invited
 * (scorecard_meeting_teams); its counted occurrences are those not called off, held when they have an
 * agenda (scorecard_meeting_occurrences); per team and UTC day the occurrences starting that day and
 * those running past the next midnight are summed (scorecard_meeting_days), and per team the occurrences
 * starting in each month and each hour (scorecard_meeting_months, scorecard_meeting_hours); each meeting's
 * teams are also kept in one value (scorecard_meeting_team_sets). Marketers who attended a
 * sales call are kept for the call's team and its host's team (scorecard_ride_alongs). Triggers
 * (db/migrations/0013) note every event a write touches in scorecard_changes; writeTransaction runs
 * `applyScorecardChanges` before COMMIT (registered below), which brings the noted events' rows
 * current by difference.
 */
import { beforeEveryCommit, preparedQuery, type Db } from '../db';
// The stored occurrences register their commit step first: their rebuild notes meetings here too.
import '../events';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Days since 1970 (UTC) of an instant, rounded down also before 1970. */
const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

type OccurrenceRow = { originalStart: number; start: number; end: number; held: number };
type DayCounts = { started: number; startedHeld: number; crossing: number; crossingHeld: number };
type HourCounts = { started: number; startedHeld: number };
/** A change to one team's kept counts, per day and per hour. */
type CountChanges = { days: Map<number, DayCounts>; hours: Map<number, HourCounts> };
const noChanges = (): CountChanges => ({ days: new Map(), hours: new Map() });

/** A meeting's teams as scorecard_meeting_team_sets keeps them: ascending, 4-byte big-endian. */
function encodeTeamSet(teams: Iterable<number>): Buffer {
  const ids = [...teams].sort((a, b) => a - b);
  const value = Buffer.alloc(ids.length * 4);
  ids.forEach((teamId, index) => value.writeUInt32BE(teamId, index * 4));
  return value;
}

/**
 * Which of `wanted` (ascending) a kept team set holds. A meeting has about as many teams as a page has
 * several times over: a binary search for each wanted team, each starting where the one before ended.
 */
export function teamsInSet(teamSet: Uint8Array, wanted: readonly number[]): number[] {
  const view = new DataView(teamSet.buffer, teamSet.byteOffset, teamSet.byteLength);
  const length = teamSet.byteLength >> 2;
  const found: number[] = [];
  let low = 0;
  for (const teamId of wanted) {
    let high = length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (view.getUint32(middle << 2) < teamId) low = middle + 1;
      else high = middle;
    }
    if (low === length) break;
    if (view.getUint32(low << 2) === teamId) found.push(teamId);
  }
  return found;
}

/** Marketers who attended a sales call, for the call's team and its host's team. */
const RIDE_ALONGS_SQL = (where: string) => `
  SELECT e.team_id, a.event_id, a.occurrence_start, a.person_id
    FROM attendance a JOIN events e ON e.id = a.event_id JOIN people p ON p.id = a.person_id
   WHERE ${where} AND e.kind = 'sales_call' AND a.status = 'attended' AND p.department = 'marketing' AND e.team_id IS NOT NULL
  UNION
  SELECT host.team_id, a.event_id, a.occurrence_start, a.person_id
    FROM attendance a JOIN events e ON e.id = a.event_id JOIN people p ON p.id = a.person_id JOIN people host ON host.id = e.host_id
   WHERE ${where} AND e.kind = 'sales_call' AND a.status = 'attended' AND p.department = 'marketing' AND host.team_id IS NOT NULL`;

/** Adding to the occurrences started per team and `unit` (month, hour) of a kept table, and dropping a row left at none. */
const startedCounts = (table: string, unit: string) => ({
  add: preparedQuery((db) =>
    db.$client.prepare<[number, number, number, number]>(
      `INSERT INTO ${table} (team_id, ${unit}, started, started_held) VALUES (?, ?, ?, ?)
       ON CONFLICT (team_id, ${unit}) DO UPDATE SET started = started + excluded.started, started_held = started_held + excluded.started_held`,
    ),
  ),
  dropEmpty: preparedQuery((db) => db.$client.prepare<[number, number]>(`DELETE FROM ${table} WHERE team_id = ? AND ${unit} = ? AND started = 0`)),
});
const monthCounts = startedCounts('scorecard_meeting_months', 'month');
const hourCounts = startedCounts('scorecard_meeting_hours', 'hour');

const q = {
  changes: preparedQuery((db) => db.$client.prepare<[], { eventId: number }>('SELECT event_id AS eventId FROM scorecard_changes')),
  anyChange: preparedQuery((db) => db.$client.prepare<[], { one: number }>('SELECT 1 AS one FROM scorecard_changes LIMIT 1')),
  clearChanges: preparedQuery((db) => db.$client.prepare('DELETE FROM scorecard_changes')),
  built: preparedQuery((db) => db.$client.prepare<[], { built: number }>('SELECT built FROM scorecard_aggregate_state WHERE id = 1')),
  setBuilt: preparedQuery((db) =>
    db.$client.prepare<[number]>('INSERT INTO scorecard_aggregate_state (id, built) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET built = excluded.built'),
  ),
  keptTeams: preparedQuery((db) =>
    db.$client.prepare<[number], { teamId: number }>('SELECT team_id AS teamId FROM scorecard_meeting_teams WHERE event_id = ?'),
  ),
  teamsNow: preparedQuery((db) =>
    db.$client.prepare<{ event: number }, { teamId: number }>(
      `SELECT e.team_id AS teamId FROM events e WHERE e.id = @event AND e.kind = 'alignment_meeting' AND e.team_id IS NOT NULL
       UNION SELECT p.team_id FROM events e JOIN people p ON p.id = e.host_id WHERE e.id = @event AND e.kind = 'alignment_meeting' AND p.team_id IS NOT NULL
       UNION SELECT p.team_id FROM invitations i JOIN events e ON e.id = i.event_id JOIN people p ON p.id = i.person_id
              WHERE i.event_id = @event AND e.kind = 'alignment_meeting' AND p.team_id IS NOT NULL`,
    ),
  ),
  keptOccurrences: preparedQuery((db) =>
    db.$client.prepare<[number], OccurrenceRow>(
      'SELECT original_start AS originalStart, start, "end", held FROM scorecard_meeting_occurrences WHERE event_id = ?',
    ),
  ),
  occurrencesNow: preparedQuery((db) =>
    db.$client.prepare<[number], OccurrenceRow>(
      `SELECT o.original_start AS originalStart, o.start, o."end",
              EXISTS (SELECT 1 FROM agenda_items a WHERE a.event_id = o.event_id AND a.occurrence_start = o.original_start) AS held
         FROM occurrences o JOIN events e ON e.id = o.event_id
        WHERE o.event_id = ? AND e.kind = 'alignment_meeting' AND o.cancelled = 0`,
    ),
  ),
  addTeam: preparedQuery((db) => db.$client.prepare<[number, number]>('INSERT OR IGNORE INTO scorecard_meeting_teams (team_id, event_id) VALUES (?, ?)')),
  removeTeam: preparedQuery((db) => db.$client.prepare<[number, number]>('DELETE FROM scorecard_meeting_teams WHERE team_id = ? AND event_id = ?')),
  putOccurrence: preparedQuery((db) =>
    db.$client.prepare<[number, number, number, number, number]>(
      'INSERT OR REPLACE INTO scorecard_meeting_occurrences (event_id, original_start, start, "end", held) VALUES (?, ?, ?, ?, ?)',
    ),
  ),
  removeOccurrence: preparedQuery((db) =>
    db.$client.prepare<[number, number]>('DELETE FROM scorecard_meeting_occurrences WHERE event_id = ? AND original_start = ?'),
  ),
  addDay: preparedQuery((db) =>
    db.$client.prepare<[number, number, number, number, number, number]>(
      `INSERT INTO scorecard_meeting_days (team_id, day, started, started_held, crossing, crossing_held) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (team_id, day) DO UPDATE SET started = started + excluded.started, started_held = started_held + excluded.started_held,
         crossing = crossing + excluded.crossing, crossing_held = crossing_held + excluded.crossing_held`,
    ),
  ),
  dropRides: preparedQuery((db) => db.$client.prepare<[number]>('DELETE FROM scorecard_ride_alongs WHERE event_id = ?')),
  keepRides: preparedQuery((db) =>
    db.$client.prepare<{ event: number }>(
      `INSERT OR IGNORE INTO scorecard_ride_alongs (team_id, event_id, occurrence_start, person_id) ${RIDE_ALONGS_SQL('a.event_id = @event')}`,
    ),
  ),
  dropEmptyDay: preparedQuery((db) =>
    db.$client.prepare<[number, number]>('DELETE FROM scorecard_meeting_days WHERE team_id = ? AND day = ? AND started = 0 AND crossing = 0'),
  ),
  putTeamSet: preparedQuery((db) => db.$client.prepare<[number, Buffer]>('INSERT OR REPLACE INTO scorecard_meeting_team_sets (event_id, teams) VALUES (?, ?)')),
  dropTeamSet: preparedQuery((db) => db.$client.prepare<[number]>('DELETE FROM scorecard_meeting_team_sets WHERE event_id = ?')),
};

/** Adds (sign 1) or takes away (sign -1) occurrences from per-day and per-hour counts. */
function addToCounts(changes: CountChanges, list: OccurrenceRow[], sign: 1 | -1) {
  for (const o of list) {
    const day = dayOf(o.start);
    const crossing = o.end > (day + 1) * DAY_MS ? 1 : 0;
    const counts = changes.days.get(day) ?? { started: 0, startedHeld: 0, crossing: 0, crossingHeld: 0 };
    counts.started += sign;
    counts.startedHeld += sign * o.held;
    counts.crossing += sign * crossing;
    counts.crossingHeld += sign * crossing * o.held;
    changes.days.set(day, counts);
    const hour = Math.floor(o.start / HOUR_MS);
    const hourCounts = changes.hours.get(hour) ?? { started: 0, startedHeld: 0 };
    hourCounts.started += sign;
    hourCounts.startedHeld += sign * o.held;
    changes.hours.set(hour, hourCounts);
  }
}

/** Months since January 1970 (UTC) of a day since 1970. */
const monthOfDay = (day: number) => {
  const date = new Date(day * DAY_MS);
  return (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth();
};

/** The first day (since 1970) of a month since January 1970. */
const firstDayOfMonth = (month: number) => Date.UTC(1970 + Math.floor(month / 12), ((month % 12) + 12) % 12, 1) / DAY_MS;

function writeCounts(db: Db, teamId: number, { days, hours }: CountChanges) {
  const months = new Map<number, HourCounts>();
  for (const [day, c] of days) {
    if (!c.started && !c.startedHeld && !c.crossing && !c.crossingHeld) continue;
    q.addDay(db).run(teamId, day, c.started, c.startedHeld, c.crossing, c.crossingHeld);
    if (c.started < 0 || c.crossing < 0) q.dropEmptyDay(db).run(teamId, day);
    const month = months.get(monthOfDay(day)) ?? { started: 0, startedHeld: 0 };
    month.started += c.started;
    month.startedHeld += c.startedHeld;
    months.set(monthOfDay(day), month);
  }
  for (const [changes, kept] of [
    [months, monthCounts],
    [hours, hourCounts],
  ] as const) {
    for (const [unit, c] of changes) {
      if (!c.started && !c.startedHeld) continue;
      kept.add(db).run(teamId, unit, c.started, c.startedHeld);
      if (c.started < 0) kept.dropEmpty(db).run(teamId, unit);
    }
  }
}

const same = (a: OccurrenceRow, b: OccurrenceRow) => a.start === b.start && a.end === b.end && a.held === b.held;

/** Brings one meeting's kept rows to what its event, invitations, occurrences and agendas say now. */
function refreshMeeting(db: Db, eventId: number) {
  const keptTeams = new Set(
    q
      .keptTeams(db)
      .all(eventId)
      .map((r) => r.teamId),
  );
  const teams = new Set(
    q
      .teamsNow(db)
      .all({ event: eventId })
      .map((r) => r.teamId),
  );
  const kept = new Map(
    q
      .keptOccurrences(db)
      .all(eventId)
      .map((o) => [o.originalStart, o]),
  );
  const now = new Map(
    q
      .occurrencesNow(db)
      .all(eventId)
      .map((o) => [o.originalStart, { ...o, held: o.held ? 1 : 0 }]),
  );

  // What changed among the occurrences, for the teams the meeting keeps.
  const gone: OccurrenceRow[] = [];
  const added: OccurrenceRow[] = [];
  for (const [start, o] of kept) {
    const current = now.get(start);
    if (current && same(o, current)) continue;
    gone.push(o);
    q.removeOccurrence(db).run(eventId, start);
  }
  for (const [start, o] of now) {
    const before = kept.get(start);
    if (before && same(before, o)) continue;
    added.push(o);
    q.putOccurrence(db).run(eventId, start, o.start, o.end, o.held);
  }
  const changed = noChanges();
  addToCounts(changed, gone, -1);
  addToCounts(changed, added, 1);

  for (const teamId of keptTeams) {
    if (teams.has(teamId)) {
      writeCounts(db, teamId, changed);
    } else {
      const counts = noChanges();
      addToCounts(counts, [...kept.values()], -1);
      writeCounts(db, teamId, counts);
      q.removeTeam(db).run(teamId, eventId);
    }
  }
  for (const teamId of teams) {
    if (keptTeams.has(teamId)) continue;
    const counts = noChanges();
    addToCounts(counts, [...now.values()], 1);
    writeCounts(db, teamId, counts);
    q.addTeam(db).run(teamId, eventId);
  }
  if (teams.size !== keptTeams.size || [...teams].some((teamId) => !keptTeams.has(teamId))) {
    if (teams.size === 0) q.dropTeamSet(db).run(eventId);
    else q.putTeamSet(db).run(eventId, encodeTeamSet(teams));
  }
}

/**
 * Applies what the triggers noted in this transaction. Run by writeTransaction before COMMIT, after
 * the stored occurrences are current (their rebuild notes meetings too).
 */
function applyScorecardChanges(db: Db) {
  const changes = q.changes(db).all();
  if (changes.length === 0) return;
  q.clearChanges(db).run();
  for (const { eventId } of changes) {
    refreshMeeting(db, eventId);
    // A sales call's ride-alongs are few: written anew.
    q.dropRides(db).run(eventId);
    q.keepRides(db).run({ event: eventId });
  }
}

beforeEveryCommit(applyScorecardChanges);

/**
 * Whether writes made outside writeTransaction (a script's raw statements, a bulk load) left the kept
 * rows behind. Every write of the app goes through writeTransaction, so a view finds this false.
 */
export function scorecardMeetingsBehind(db: Db): boolean {
  return q.anyChange(db).get() !== undefined || q.built(db).get()?.built !== 1;
}

/** Brings the kept rows current after such writes (inside a write transaction). */
export function catchUpScorecardMeetings(db: Db) {
  if (q.built(db).get()?.built !== 1) rebuildScorecardMeetings(db);
  else applyScorecardChanges(db);
}

/** Bulk loads (the scale seed) write many meetings at once: the triggers stay idle until `rebuildScorecardMeetings`. */
export function pauseScorecardMeetings(db: Db) {
  q.setBuilt(db).run(0);
}

/** An instant in whole units (days, hours) since 1970, rounded down also before 1970. */
const FLOOR_SQL = (column: string, unit: number) => `CASE WHEN ${column} >= 0 THEN ${column} / ${unit} ELSE -((-${column} - 1) / ${unit}) - 1 END`;

/** The kept rows from scratch (the same statements as the migration that introduced them). */
export function rebuildScorecardMeetings(db: Db) {
  const client = db.$client;
  client.exec(
    `DELETE FROM scorecard_changes; DELETE FROM scorecard_meeting_days; DELETE FROM scorecard_meeting_months; DELETE FROM scorecard_meeting_hours;
     DELETE FROM scorecard_meeting_occurrences; DELETE FROM scorecard_meeting_teams; DELETE FROM scorecard_meeting_team_sets; DELETE FROM scorecard_ride_alongs;`,
  );
  client.exec(`INSERT INTO scorecard_ride_alongs (team_id, event_id, occurrence_start, person_id) ${RIDE_ALONGS_SQL('1 = 1')}`);
  client.exec(`INSERT INTO scorecard_meeting_teams (team_id, event_id)
    SELECT e.team_id, e.id FROM events e WHERE e.kind = 'alignment_meeting' AND e.team_id IS NOT NULL
    UNION SELECT p.team_id, e.id FROM events e JOIN people p ON p.id = e.host_id WHERE e.kind = 'alignment_meeting' AND p.team_id IS NOT NULL
    UNION SELECT p.team_id, i.event_id FROM invitations i JOIN events e ON e.id = i.event_id JOIN people p ON p.id = i.person_id WHERE e.kind = 'alignment_meeting' AND p.team_id IS NOT NULL`);
  client.exec(`INSERT INTO scorecard_meeting_occurrences (event_id, original_start, start, "end", held)
    SELECT o.event_id, o.original_start, o.start, o."end", EXISTS (SELECT 1 FROM agenda_items a WHERE a.event_id = o.event_id AND a.occurrence_start = o.original_start)
      FROM occurrences o JOIN events e ON e.id = o.event_id
     WHERE e.kind = 'alignment_meeting' AND o.cancelled = 0`);
  client.exec(`INSERT INTO scorecard_meeting_days (team_id, day, started, started_held, crossing, crossing_held)
    SELECT t.team_id, o.day, count(*), sum(o.held), sum(o."end" > (o.day + 1) * ${DAY_MS}), sum(o.held AND o."end" > (o.day + 1) * ${DAY_MS})
      FROM (SELECT event_id, "end", held, ${FLOOR_SQL('start', DAY_MS)} AS day FROM scorecard_meeting_occurrences) o
      JOIN scorecard_meeting_teams t ON t.event_id = o.event_id
     GROUP BY t.team_id, o.day`);
  client.exec(`INSERT INTO scorecard_meeting_months (team_id, month, started, started_held)
    SELECT team_id, (CAST(strftime('%Y', day * 86400, 'unixepoch') AS INTEGER) - 1970) * 12 + CAST(strftime('%m', day * 86400, 'unixepoch') AS INTEGER) - 1,
           sum(started), sum(started_held)
      FROM scorecard_meeting_days GROUP BY 1, 2 HAVING sum(started) <> 0`);
  client.exec(`INSERT INTO scorecard_meeting_hours (team_id, hour, started, started_held)
    SELECT t.team_id, o.hour, count(*), sum(o.held)
      FROM (SELECT event_id, held, ${FLOOR_SQL('start', HOUR_MS)} AS hour FROM scorecard_meeting_occurrences) o
      JOIN scorecard_meeting_teams t ON t.event_id = o.event_id
     GROUP BY t.team_id, o.hour`);
  client.exec(`INSERT INTO scorecard_meeting_team_sets (event_id, teams)
    SELECT event_id, unhex(group_concat(printf('%08x', team_id), '' ORDER BY team_id)) FROM scorecard_meeting_teams GROUP BY event_id`);
  q.setBuilt(db).run(1);
}

// ── reads ─────────────────────────────────────────────────────────────────

/** Longest an occurrence lasts (MAX_DURATION_MINUTES): one crossing midnight reaches only the next day. */
const LONGEST_OCCURRENCE_MS = 12 * 3_600_000;

/**
 * Alignment meetings of a sales team (and those its liaison hosts) overlapping [from, to): how many
 * occurrences were expected and how many were held with an agenda.
 */
export function keptMeetingCounts(db: Db, teamId: number, liaisonId: number | null, from: Date, to: Date): { expected: number; held: number } {
  return keptMeetingCountsOfPage(db, [{ teamId, liaisonId }], [{ from: from.getTime(), to: to.getTime() }])[0][0];
}

/** A stretch of time [from, to) in ms. */
export type Window = { from: number; to: number };

/**
 * The page's teams' counts summed over each stretch ([low, high) per entry of @ranges) of a kept table of counts per
 * team and `unit` (days, hours or months since 1970). Rows as arrays [range, teamId, started, held] (raw): a row per team
 * and stretch, and an object per row cost more than the sums.
 */
const summedStretches = (table: string, unit: string) =>
  preparedQuery((db) =>
    db.$client
      .prepare<{ teams: string; ranges: string }, [range: number, teamId: number, started: number, held: number]>(
        `WITH ranges AS MATERIALIZED (SELECT key AS range, value ->> '$[0]' AS low, value ->> '$[1]' AS high FROM json_each(@ranges))
       SELECT j.range, k.team_id AS teamId, sum(k.started) AS started, sum(k.started_held) AS held
         FROM json_each(@teams) tm CROSS JOIN ranges j CROSS JOIN ${table} k ON k.team_id = tm.value AND k.${unit} >= j.low AND k.${unit} < j.high
        GROUP BY j.range, k.team_id`,
      )
      .raw(true),
  );

const pageReads = {
  days: summedStretches('scorecard_meeting_days', 'day'),
  hours: summedStretches('scorecard_meeting_hours', 'hour'),
  months: summedStretches('scorecard_meeting_months', 'month'),
  crossing: preparedQuery((db) =>
    db.$client.prepare<{ teams: string; days: string }, { entry: number; teamId: number; crossing: number; crossingHeld: number }>(
      `SELECT j.key AS entry, d.team_id AS teamId, d.crossing, d.crossing_held AS crossingHeld
         FROM json_each(@teams) tm CROSS JOIN json_each(@days) j CROSS JOIN scorecard_meeting_days d ON d.team_id = tm.value AND d.day = j.value`,
    ),
  ),
  // Occurrences starting in each [from, to) of @ranges (parts of an hour, or what may run into a window), one
  // by one with their meeting's teams: a team belongs to thousands of meetings, such a part holds few occurrences.
  occurrences: preparedQuery((db) =>
    db.$client
      .prepare<{ ranges: string }, [range: number, end: number, held: number, teams: Buffer]>(
        `WITH ranges AS MATERIALIZED (SELECT key AS range, value ->> '$[0]' AS low, value ->> '$[1]' AS high FROM json_each(@ranges))
       SELECT j.range, o."end" AS "end", o.held, s.teams
         FROM ranges j CROSS JOIN scorecard_meeting_occurrences o ON o.start >= j.low AND o.start < j.high
         CROSS JOIN scorecard_meeting_team_sets s ON s.event_id = o.event_id`,
      )
      .raw(true),
  ),
  // Meetings each pair's liaison hosts that belong to the pair's team by none of its people.
  liaisonOnly: preparedQuery((db) =>
    db.$client.prepare<{ pairs: string; lowest: number; to: number }, { pair: number; start: number; end: number; held: number }>(
      `SELECT j.key AS pair, o.start, o."end" AS "end", o.held
         FROM json_each(@pairs) j CROSS JOIN events e ON e.host_id = j.value ->> '$[1]' AND e.kind = 'alignment_meeting'
         CROSS JOIN scorecard_meeting_occurrences o ON o.event_id = e.id AND o.start > +@lowest AND o.start < +@to
        WHERE NOT EXISTS (SELECT 1 FROM scorecard_meeting_teams t WHERE t.team_id = j.value ->> '$[0]' AND t.event_id = e.id)`,
    ),
  ),
};

/**
 * keptMeetingCounts for a page of teams (each with its liaison) and several windows at once, in six
 * reads whatever the number of teams and windows: counts[pair][window].
 */
export function keptMeetingCountsOfPage(
  db: Db,
  pairs: Array<{ teamId: number; liaisonId: number | null }>,
  windows: Window[],
): Array<Array<{ expected: number; held: number }>> {
  const counts = pairs.map(() => windows.map(() => ({ expected: 0, held: 0 })));
  if (pairs.length === 0 || windows.length === 0) return counts;
  const teams = JSON.stringify([...new Set(pairs.map((pair) => pair.teamId))]);
  const byTeam = new Map<number, number[]>();
  pairs.forEach((pair, index) => byTeam.set(pair.teamId, [...(byTeam.get(pair.teamId) ?? []), index]));
  const addTo = (teamId: number, window: number, expected: number, held: number) => {
    for (const index of byTeam.get(teamId) ?? []) {
      counts[index][window].expected += expected;
      counts[index][window].held += held;
    }
  };

  // What each window reads: whole days, parts of days occurrence by occurrence, and what runs into it.
  const dayRanges: Array<{ window: number; range: [number, number] }> = [];
  const monthRanges: Array<{ window: number; range: [number, number] }> = [];
  // Whole days: the whole months among them from the months, the days before and after from the days.
  const wholeDays = (window: number, fromDay: number, toDay: number) => {
    const firstMonth = monthOfDay(fromDay) + (firstDayOfMonth(monthOfDay(fromDay)) === fromDay ? 0 : 1);
    const lastMonth = monthOfDay(toDay);
    if (firstMonth >= lastMonth) {
      dayRanges.push({ window, range: [fromDay, toDay] });
      return;
    }
    monthRanges.push({ window, range: [firstMonth, lastMonth] });
    if (fromDay < firstDayOfMonth(firstMonth)) dayRanges.push({ window, range: [fromDay, firstDayOfMonth(firstMonth)] });
    if (firstDayOfMonth(lastMonth) < toDay) dayRanges.push({ window, range: [firstDayOfMonth(lastMonth), toDay] });
  };
  const hourRanges: Array<{ window: number; range: [number, number] }> = [];
  const partRanges: Array<{ window: number; range: [number, number]; runningAt: number | null }> = [];
  // Part of a day: its whole hours from the hours, the parts of an hour before and after occurrence by occurrence.
  const partDay = (window: number, from: number, to: number) => {
    const firstHour = Math.ceil(from / HOUR_MS);
    const lastHour = Math.floor(to / HOUR_MS);
    if (firstHour >= lastHour) {
      partRanges.push({ window, range: [from, to], runningAt: null });
      return;
    }
    hourRanges.push({ window, range: [firstHour, lastHour] });
    if (from < firstHour * HOUR_MS) partRanges.push({ window, range: [from, firstHour * HOUR_MS], runningAt: null });
    if (lastHour * HOUR_MS < to) partRanges.push({ window, range: [lastHour * HOUR_MS, to], runningAt: null });
  };
  const crossingDays: Array<{ window: number; day: number }> = [];
  windows.forEach(({ from, to }, window) => {
    if (to <= from) return;
    const firstWholeDay = Math.ceil(from / DAY_MS);
    const lastWholeDay = dayOf(to);
    if (firstWholeDay < lastWholeDay) {
      wholeDays(window, firstWholeDay, lastWholeDay);
      if (from < firstWholeDay * DAY_MS) partDay(window, from, firstWholeDay * DAY_MS);
      if (lastWholeDay * DAY_MS < to) partDay(window, lastWholeDay * DAY_MS, to);
    } else {
      partDay(window, from, to);
    }
    if (from % DAY_MS === 0) crossingDays.push({ window, day: from / DAY_MS - 1 });
    else partRanges.push({ window, range: [from - LONGEST_OCCURRENCE_MS, from], runningAt: from });
  });

  for (const [stretches, read] of [
    [dayRanges, pageReads.days],
    [hourRanges, pageReads.hours],
    [monthRanges, pageReads.months],
  ] as const) {
    if (stretches.length === 0) continue;
    for (const [range, teamId, started, held] of read(db).all({ teams, ranges: JSON.stringify(stretches.map((entry) => entry.range)) }))
      addTo(teamId, stretches[range].window, started, held);
  }
  if (crossingDays.length) {
    for (const row of pageReads.crossing(db).all({ teams, days: JSON.stringify(crossingDays.map((entry) => entry.day)) }))
      addTo(row.teamId, crossingDays[row.entry].window, row.crossing, row.crossingHeld);
  }
  if (partRanges.length) {
    const pageTeams = [...byTeam.keys()].sort((a, b) => a - b);
    for (const [range, end, held, teamSet] of pageReads.occurrences(db).all({ ranges: JSON.stringify(partRanges.map((entry) => entry.range)) })) {
      const { window, runningAt } = partRanges[range];
      if (runningAt !== null && end <= runningAt) continue;
      for (const teamId of teamsInSet(teamSet, pageTeams)) addTo(teamId, window, 1, held);
    }
  }
  const withLiaison = pairs.flatMap((pair, index) => (pair.liaisonId === null ? [] : [{ index, pair: [pair.teamId, pair.liaisonId] }]));
  const open = windows.filter((window) => window.to > window.from);
  if (withLiaison.length && open.length) {
    const lowest = Math.min(...open.map((window) => window.from)) - LONGEST_OCCURRENCE_MS - 1;
    const to = Math.max(...open.map((window) => window.to));
    for (const row of pageReads.liaisonOnly(db).all({ pairs: JSON.stringify(withLiaison.map((entry) => entry.pair)), lowest, to })) {
      windows.forEach(({ from, to }, window) => {
        if (to <= from || !(row.start < to && row.start > from - LONGEST_OCCURRENCE_MS - 1 && row.end > from)) return;
        const entry = counts[withLiaison[row.pair].index][window];
        entry.expected += 1;
        entry.held += row.held;
      });
    }
  }
  return counts;
}
