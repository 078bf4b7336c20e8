// What a viewer may see as whole teams plus the few people outside them, so that reports can read
// counts kept per team instead of every person below a department's head.
import { sql } from 'drizzle-orm';
import type { Viewer } from '../context';
import { preparedQuery, type Db } from '../db';

/** The people a viewer may see (visiblePersonIds' rule): every member of `teamIds`, and `personIds`. null: everyone (HR). */
export type PeopleScope = { teamIds: number[]; personIds: number[] } | null;

/**
 * The people below a manager (and themselves) who manage someone or a team: one seek per manager in the
 * (manager_id, team_id) index (a loose index scan) and one in the kept reporting chain for each, not a read
 * of everyone below them nor a walk of the chart. CROSS JOIN keeps the managers outside: SQLite would otherwise
 * walk everyone below a manager in the chain and list the company's managers again for each.
 */
const headsQuery = preparedQuery((db) =>
  db.$client.prepare<[number], { id: number }>(`
    WITH RECURSIVE seen(id) AS (
      SELECT (SELECT min(manager_id) FROM people)
      UNION ALL SELECT (SELECT min(manager_id) FROM people WHERE manager_id > seen.id) FROM seen WHERE seen.id IS NOT NULL
    ), managers(id) AS (SELECT id FROM seen WHERE id IS NOT NULL UNION SELECT manager_id FROM teams WHERE manager_id IS NOT NULL)
    SELECT m.id FROM managers m CROSS JOIN reporting_chain c ON c.ancestor_id = ? AND c.descendant_id = m.id`),
);

/**
 * The same people for a manager with few below: their chain's range, each asked whether they manage someone
 * or a team (two index probes), which costs the people below them, not the managers of the whole company.
 */
const fewHeadsQuery = preparedQuery((db) =>
  db.$client.prepare<[number], { id: number }>(`
    SELECT c.descendant_id AS id FROM reporting_chain c
    WHERE c.ancestor_id = ? AND (EXISTS (SELECT 1 FROM people p WHERE p.manager_id = c.descendant_id)
      OR EXISTS (SELECT 1 FROM teams t WHERE t.manager_id = c.descendant_id))`),
);

/** Up to this many people below, a manager's heads are found through their chain's range (fewHeadsQuery). */
const FEW_BELOW = 500;

const belowQuery = preparedQuery((db) => db.$client.prepare<[number], { people: number }>('SELECT people FROM reporting_counts WHERE ancestor_id = ?'));

/** The teams these managers manage. */
const managedTeamsQuery = preparedQuery((db) =>
  db.$client.prepare<[string], { id: number }>('SELECT id FROM teams WHERE manager_id IN (SELECT value FROM json_each(?))'),
);

/** The teams the direct reports of these managers are in (NULL for none), one seek per team. */
const reportTeamsQuery = preparedQuery((db) =>
  db.$client.prepare<[string], { managerId: number; teamId: number | null }>(`
    WITH RECURSIVE pairs(manager_id, team_id) AS (
      SELECT h.value, (SELECT min(team_id) FROM people WHERE manager_id = h.value) FROM json_each(?) h
      UNION ALL SELECT manager_id, (SELECT min(team_id) FROM people p WHERE p.manager_id = pairs.manager_id AND p.team_id > pairs.team_id)
        FROM pairs WHERE team_id IS NOT NULL
    )
    SELECT manager_id AS managerId, team_id AS teamId FROM pairs WHERE team_id IS NOT NULL`),
);

/** Direct reports of these managers in one team (outside the managers' teams), or in none. */
const reportsInTeamQuery = preparedQuery((db) =>
  db.$client.prepare<[number, number], { id: number }>('SELECT id FROM people WHERE manager_id = ? AND team_id = ?'),
);
const reportsWithoutTeamQuery = preparedQuery((db) =>
  db.$client.prepare<[string], { id: number }>('SELECT id FROM people WHERE manager_id IN (SELECT value FROM json_each(?)) AND team_id IS NULL'),
);

const ownTeamQuery = preparedQuery((db) => db.$client.prepare<[number], { teamId: number | null }>('SELECT team_id AS teamId FROM people WHERE id = ?'));

/**
 * A manager's scope (reportIds' rule: below them by manager or by a team they manage,
 * transitively, and themselves) as the teams managed by them or anyone below them, whose members
 * are all below them, plus the people below them outside those teams. It costs the people below a manager with
 * few of them, else the number of managers in the company; and the teams below them (the chain answers who is below).
 */
export function managerScope(db: Db, managerId: number): { teamIds: number[]; personIds: number[] } {
  const few = (belowQuery(db).get(managerId)?.people ?? 0) <= FEW_BELOW;
  const heads = new Set([
    managerId,
    ...(few ? fewHeadsQuery : headsQuery)(db)
      .all(managerId)
      .map((m) => m.id),
  ]);
  const headList = JSON.stringify([...heads]);
  const teamIds = managedTeamsQuery(db)
    .all(headList)
    .map((t) => t.id);
  const inTeams = new Set(teamIds);
  const own = ownTeamQuery(db).get(managerId);
  const personIds = new Set(own?.teamId && inTeams.has(own.teamId) ? [] : [managerId]);
  for (const pair of reportTeamsQuery(db).all(headList)) {
    if (pair.teamId !== null && !inTeams.has(pair.teamId)) for (const p of reportsInTeamQuery(db).all(pair.managerId, pair.teamId)) personIds.add(p.id);
  }
  for (const p of reportsWithoutTeamQuery(db).all(headList)) personIds.add(p.id);
  return { teamIds: teamIds.sort((a, b) => a - b), personIds: [...personIds].sort((a, b) => a - b) };
}

/** visiblePersonIds as teams and people: null means everyone (HR). */
export function visibleScope(db: Db, viewer: Viewer): PeopleScope {
  if (viewer.person.role === 'hr') return null;
  if (viewer.person.role === 'manager') return managerScope(db, viewer.person.id);
  return { teamIds: [], personIds: [viewer.person.id] };
}

/**
 * The people of a scope, as SQL on a team column and a person column (for rows that carry both),
 * for a prepared statement: the scope's teams and people are its placeholders :teams and :people (JSON arrays).
 */
export function scopeCondition(teamColumn: string, personColumn: string) {
  return sql`(${sql.raw(teamColumn)} IN (SELECT value FROM json_each(${sql.placeholder('teams')})) OR ${sql.raw(personColumn)} IN (SELECT value FROM json_each(${sql.placeholder('people')})))`;
}
