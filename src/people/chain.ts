// The reporting chain read from its kept table (reporting_chain, kept by triggers on people and teams):
// who is below a manager, by manager or by a team they manage, at any depth. Every question is an index
// seek or one range of the table, never a walk of the chart.
import { preparedQuery, type Db } from '../db';

const reportIdsQuery = preparedQuery((db) =>
  db.$client.prepare<{ managerId: number; limit: number }, { id: number }>(
    'SELECT descendant_id AS id FROM reporting_chain WHERE ancestor_id = @managerId AND depth > 0 LIMIT @limit',
  ),
);

/** Everyone below a manager: people who report to them (transitively) and members of teams they manage; at most `limit` of them. */
export function reportIds(db: Db, managerId: number, limit = -1): number[] {
  return reportIdsQuery(db)
    .all({ managerId, limit })
    .map((r) => r.id);
}

const isBelowQuery = preparedQuery((db) =>
  db.$client.prepare<[number, number], { yes: number }>('SELECT 1 AS yes FROM reporting_chain WHERE ancestor_id = ? AND descendant_id = ? AND depth > 0'),
);

/** Whether `personId` is below `managerId` (reportIds' rule), asked with one seek. */
export function isBelow(db: Db, managerId: number, personId: number): boolean {
  return !!isBelowQuery(db).get(managerId, personId);
}

const teamManagerBelowMemberQuery = preparedQuery((db) =>
  db.$client.prepare<{ teamId: number; managerId: number }, { yes: number }>(
    `SELECT 1 AS yes FROM people x JOIN reporting_chain c ON c.ancestor_id = x.id AND c.descendant_id = @managerId AND c.depth > 0
      WHERE x.team_id = @teamId AND x.id <> @managerId LIMIT 1`,
  ),
);

/** Whether making `managerId` the manager of this team would put someone above themselves (a member above the new manager). */
export function teamManagerWouldCycle(db: Db, teamId: number, managerId: number): boolean {
  return !!teamManagerBelowMemberQuery(db).get({ teamId, managerId });
}

const onCycleQuery = preparedQuery((db) =>
  db.$client.prepare<[string], { id: number }>(
    `SELECT DISTINCT up.descendant_id AS id FROM json_each(?) j
       JOIN reporting_chain up ON up.descendant_id = j.value AND up.depth > 0
       JOIN reporting_chain down ON down.ancestor_id = up.descendant_id AND down.descendant_id = up.ancestor_id
      ORDER BY 1`,
  ),
);

/** Those of `personIds` who are above someone who is above them: a cycle in the chart (each asks their few managers). */
export function peopleOnCycle(db: Db, personIds: readonly number[]): number[] {
  if (!personIds.length) return [];
  return onCycleQuery(db)
    .all(JSON.stringify(personIds))
    .map((r) => r.id);
}
