/**
 * The rules' view of the company, loaded from the database for the pure rules (rules.ts, planner.ts).
 */
import type { Department } from '../../db/schema';
import { type Db, preparedQuery } from '../db';
import type { Blackout, ExistingRotation, RuleContext, RulePerson, RuleTeam } from './rules';

/** The order of the window index (rotations_window_idx): messages name people in it, scoped or not. */
const LIVE_ORDER = 'ORDER BY r.status, r.start_date, r.end_date, r.id';

const COLUMNS = `SELECT r.id, r.person_id AS personId, r.program_id AS programId, r.host_team_id AS hostTeamId, r.mentor_id AS mentorId,
       r.start_date AS start, r.end_date AS end, r.status FROM rotations r`;
const WINDOW = `r.status <> 'cancelled' AND r.start_date <= @to AND r.end_date >= @from AND r.id <> @except`;

// The statements of a scoped load (every timeline view and rule check) are prepared once per database: compiling them cost
// about as much as a manager's whole timeline page ran.
const scopedLiveQuery = preparedQuery((db) =>
  db.$client.prepare(
    // Each branch walks an index from the ids asked for: the guests' and mentors' own rotations and those they
    // mentor (a guest who mentors someone else is a mentor away), the host teams'
    // not ended before the window (rotations_host_end_idx: not their whole history), and those of the guests'
    // home team members. An OR of the three walks the window index over every rotation begun before the window
    // ends, which grows with the company and its history.
    `WITH scoped(id) AS (
               SELECT r.id FROM json_each(@people) j JOIN rotations r ON r.person_id = j.value AND r.start_date <= @to
               UNION SELECT r.id FROM json_each(@people) j JOIN rotations r ON r.mentor_id = j.value AND r.start_date <= @to
               UNION SELECT r.id FROM json_each(@hosts) j JOIN rotations r INDEXED BY rotations_host_end_idx ON r.host_team_id = j.value AND r.end_date >= @from
               UNION SELECT r.id FROM (SELECT DISTINCT h.team_id FROM json_each(@people) j JOIN people h ON h.id = j.value WHERE h.team_id IS NOT NULL) t
                       JOIN people g ON g.team_id = t.team_id JOIN rotations r ON r.person_id = g.id AND r.start_date <= @to)
             ${COLUMNS} JOIN scoped s ON s.id = r.id WHERE ${WINDOW}
             ${LIVE_ORDER}`,
  ),
);
const directoryQuery = preparedQuery((db) =>
  db.$client.prepare(`SELECT p.id, p.name, p.department, p.team_id AS teamId, p.hire_date AS hireDate FROM json_each(?) j JOIN people p ON p.id = j.value`),
);
const periodsQuery = preparedQuery((db) =>
  db.$client.prepare(
    `SELECT rp.person_id AS personId, rp.kind, rp.start_date AS start, rp.end_date AS end, rp.note FROM json_each(?) j
         JOIN rotation_periods rp ON rp.person_id = j.value WHERE rp.start_date <= ? AND rp.end_date >= ?`,
  ),
);
const scopedTeamsQuery = preparedQuery((db) =>
  db.$client.prepare(
    `SELECT t.id, t.name, t.department,
                CASE WHEN t.id IN (SELECT h.team_id FROM json_each(@people) j JOIN people h ON h.id = j.value)
                     THEN (SELECT count(*) FROM people c WHERE c.team_id = t.id AND c.active = 1) ELSE 0 END AS memberCount
           FROM json_each(@teams) k JOIN teams t ON t.id = k.value`,
  ),
);
const blackoutsQuery = preparedQuery((db) =>
  db.$client.prepare(
    `SELECT id, name, team_id AS teamId, department, start_date AS start, end_date AS end FROM rotation_blackouts WHERE start_date <= ? AND end_date >= ?`,
  ),
);

/** The rotations about to be checked: their guests and mentors, and their host teams. */
type RuleScope = { personIds: number[]; hostTeamIds: number[] };

/**
 * Everything the rules need about the company for rotations overlapping [from, to]: the people
 * involved (names, teams, hire dates, unavailable periods), teams with their active head count,
 * live rotations and blackouts in the window. `personIds` limits the directory to those people
 * plus everyone on a rotation in the window (rotating or mentoring); without it, everyone is loaded.
 * Raw statements: this runs on every check and every timeline view.
 */
export function loadRuleContext(
  db: Db,
  from: string,
  to: string,
  coverageShare: number,
  options: { exceptRotationId?: number; personIds?: Iterable<number>; onlyFor?: RuleScope } = {},
): RuleContext & { preferred: Map<number, { start: string; end: string }[]> } {
  const client = db.$client;
  const scope = options.onlyFor;
  // Checking a few rotations (a timeline page) needs only the rotations their rules look at: the guests' and
  // mentors' own, their home teams' (coverage) and their host teams' (capacity); not the whole company's window.
  const live = (
    scope
      ? scopedLiveQuery(db).all({
          to,
          from,
          except: options.exceptRotationId ?? 0,
          people: JSON.stringify(scope.personIds),
          hosts: JSON.stringify(scope.hostTeamIds),
        })
      : client.prepare(`${COLUMNS} WHERE ${WINDOW} ${LIVE_ORDER}`).all({ to, from, except: options.exceptRotationId ?? 0 })
  ) as ExistingRotation[];
  let directory: { id: number; name: string; department: Department; teamId: number | null; hireDate: string }[];
  let periods: { personId: number; kind: 'preferred' | 'unavailable'; start: string; end: string; note: string }[];
  const periodSql = `SELECT person_id AS personId, kind, start_date AS start, end_date AS end, note FROM rotation_periods WHERE start_date <= ? AND end_date >= ?`;
  const personSql = `SELECT id, name, department, team_id AS teamId, hire_date AS hireDate FROM people`;
  if (options.personIds) {
    const ids = new Set<number>(options.personIds);
    for (const r of live) {
      ids.add(Number(r.personId));
      if (r.mentorId !== null) ids.add(Number(r.mentorId));
    }
    const list = JSON.stringify([...ids]);
    // Driving the join from the id list is several times faster than `id IN (SELECT … json_each)` here.
    directory = directoryQuery(db).all(list) as typeof directory;
    periods = periodsQuery(db).all(list, to, from) as typeof periods;
  } else {
    directory = client.prepare(personSql).all() as typeof directory;
    periods = client.prepare(periodSql).all(to, from) as typeof periods;
  }
  const unavailable = new Map<number, { start: string; end: string; reason?: string }[]>();
  const preferred = new Map<number, { start: string; end: string }[]>();
  for (const p of periods) {
    const map = p.kind === 'unavailable' ? unavailable : preferred;
    const list = map.get(p.personId) ?? [];
    list.push({ start: p.start, end: p.end, ...(p.kind === 'unavailable' && p.note ? { reason: p.note } : {}) });
    map.set(p.personId, list);
  }
  const personList: RulePerson[] = directory.map((p) => ({
    id: p.id,
    name: p.name,
    department: p.department,
    homeTeamId: p.teamId,
    hireDate: p.hireDate,
    unavailable: unavailable.get(p.id) ?? [],
  }));
  // Head counts only matter for the home teams of the people checked (coverage): with a scope only theirs are counted,
  // and only the teams the rules name are read (home teams of the people loaded, host teams), not every team.
  let teamRows: RuleTeam[];
  if (scope) {
    const teamIds = new Set<number>(scope.hostTeamIds);
    for (const p of directory) if (p.teamId !== null) teamIds.add(p.teamId);
    for (const r of live) teamIds.add(Number(r.hostTeamId));
    teamRows = scopedTeamsQuery(db).all({ people: JSON.stringify(scope.personIds), teams: JSON.stringify([...teamIds]) }) as RuleTeam[];
  } else {
    teamRows = client
      .prepare(
        `SELECT t.id, t.name, t.department, COALESCE(c.n, 0) AS memberCount FROM teams t
         LEFT JOIN (SELECT team_id, count(*) AS n FROM people WHERE active = 1 AND team_id IS NOT NULL GROUP BY team_id) c ON c.team_id = t.id`,
      )
      .all() as RuleTeam[];
  }
  const blackouts = blackoutsQuery(db).all(to, from) as Blackout[];
  return { people: personList, teams: teamRows, rotations: live, blackouts, coverageShare, preferred };
}
