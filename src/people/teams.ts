import { and, asc, count, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { people, teams, type Department } from '../../db/schema';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { conflict } from '../lib/errors';
import { isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { assertReferences, departmentSchema, getTeam, optionalId } from './people';
import { teamManagerWouldCycle } from './chain';

// Teams: the company's sales, marketing and other teams, their managers and head counts; people.ts keeps the people.

export const teamInputSchema = z.object({
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a team name.').max(120),
  department: departmentSchema,
  managerId: optionalId,
});
type TeamInput = z.infer<typeof teamInputSchema>;

const manager = alias(people, 'manager');

/** Every team with its manager and how many active members, compiled once per database. */
const teamsQuery = preparedQuery((db) => {
  const memberCounts = db
    .select({ teamId: people.teamId, members: count().as('members') })
    .from(people)
    .where(eq(people.active, true))
    .groupBy(people.teamId)
    .as('member_counts');
  return db
    .select({
      id: teams.id,
      name: teams.name,
      department: teams.department,
      managerId: teams.managerId,
      managerName: manager.name,
      members: sql<number>`coalesce(${memberCounts.members}, 0)`,
    })
    .from(teams)
    .leftJoin(manager, eq(manager.id, teams.managerId))
    .leftJoin(memberCounts, eq(memberCounts.teamId, teams.id))
    .orderBy(asc(teams.department), asc(teams.name))
    .prepare();
});

export function listTeams(db: Db) {
  return teamsQuery(db).all();
}
export type TeamRow = ReturnType<typeof listTeams>[number];

/** Just what a team filter or select needs, optionally only the teams of some departments; the one query every form uses. */
const allTeamOptions = preparedQuery((db) =>
  db.select({ id: teams.id, name: teams.name, department: teams.department }).from(teams).orderBy(asc(teams.department), asc(teams.name)).prepare(),
);

/** The teams of some departments (:departments, a JSON array). */
const departmentTeamOptions = preparedQuery((db) =>
  db
    .select({ id: teams.id, name: teams.name, department: teams.department })
    .from(teams)
    .where(sql`${teams.department} IN (SELECT value FROM json_each(${sql.placeholder('departments')}))`)
    .orderBy(asc(teams.department), asc(teams.name))
    .prepare(),
);

export function teamOptions(db: Db, onlyDepartments?: readonly Department[]) {
  if (!onlyDepartments) return allTeamOptions(db).all();
  return departmentTeamOptions(db).all({ departments: JSON.stringify(onlyDepartments) });
}

function teamNameTaken(db: Db, name: string, exceptId?: number) {
  return !!db
    .select({ id: teams.id })
    .from(teams)
    .where(and(sql`lower(${teams.name}) = ${name.toLowerCase()}`, exceptId ? sql`${teams.id} <> ${exceptId}` : undefined))
    .get();
}

export function createTeam(db: Db, clock: Clock, actor: Actor, input: TeamInput) {
  return writeTransaction(db, (tx) => {
    if (teamNameTaken(tx, input.name)) throw conflict('team_name_taken', `A team named ${input.name} exists already.`);
    assertReferences(tx, { managerId: input.managerId });
    const team = tx
      .insert(teams)
      .values({ ...input, managerId: input.managerId ?? null })
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'team.create', 'team', team.id, null, team);
    return team;
  });
}

export function updateTeam(db: Db, clock: Clock, actor: Actor, id: number, input: TeamInput) {
  return writeTransaction(db, (tx) => {
    const before = getTeam(tx, id);
    if (teamNameTaken(tx, input.name, id)) throw conflict('team_name_taken', `A team named ${input.name} exists already.`);
    assertReferences(tx, { managerId: input.managerId });
    if (input.managerId && input.managerId !== before.managerId && teamManagerWouldCycle(tx, id, input.managerId)) {
      throw conflict('manager_cycle', 'The chosen manager reports to a member of this team; that would make a cycle.');
    }
    const after = tx
      .update(teams)
      .set({ ...input, managerId: input.managerId ?? null })
      .where(eq(teams.id, id))
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'team.update', 'team', id, before, after);
    return after;
  });
}
