// What a viewer may see as whole teams plus the few people outside them, so that reports can read
// counts kept per team instead of every person below a department's head.
import { sql } from 'drizzle-orm';
import type { Viewer } from '../context';
import { preparedQuery, type Db } from '../db';

/** The people a viewer may see (visiblePersonIds' rule): every member of `teamIds`, and `personIds`. null: everyone (HR). */
export type PeopleScope = { teamIds: number[]; personIds: number[] } | null;

const scopeTeamsQuery = preparedQuery((db) =>
  db.$client.prepare<[number], number>('SELECT team_id FROM manager_scope_teams WHERE manager_id = ? ORDER BY team_id').pluck(),
);
const scopePeopleQuery = preparedQuery((db) =>
  db.$client.prepare<[number], number>('SELECT person_id FROM manager_scope_people WHERE manager_id = ? ORDER BY person_id').pluck(),
);

/**
 * A manager's scope (reportIds' rule: below them by manager or by a team they manage, transitively, and themselves)
 * as the teams managed by them or anyone below them, whose members are all below them, plus the people below them
 * outside those teams: two ranges of rows kept by triggers (manager_scope_teams, manager_scope_people), whatever the
 * size of the company or of the manager's part of it.
 */
export function managerScope(db: Db, managerId: number): { teamIds: number[]; personIds: number[] } {
  return { teamIds: scopeTeamsQuery(db).all(managerId), personIds: scopePeopleQuery(db).all(managerId) };
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
