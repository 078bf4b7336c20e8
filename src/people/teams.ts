import { and, asc, count, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { people, teamHeadcounts, teams, type Department } from '../../db/schema';
import { likeEscaped, preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { conflict } from '../lib/errors';
import { blankToUndefined, isSingleLine, pageQuery, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { assertReferences, departmentSchema, getTeam, optionalId } from './people';
import { teamManagerWouldCycle } from './chain';
import { PEOPLE_FOUND } from './choices';

// Teams: the company's sales, marketing and other teams, their managers and head counts; people.ts keeps the people.

export const teamInputSchema = z.object({
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a team name.').max(120),
  department: departmentSchema,
  managerId: optionalId,
});
type TeamInput = z.infer<typeof teamInputSchema>;

const manager = alias(people, 'manager');

/** Teams shown a page at a time on the teams page. */
export const TEAMS_PAGE_SIZE = 50;

export const teamsQuerySchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()),
  page: pageQuery.page,
});

/**
 * A page of teams (by department, then name) with its manager and how many active members (kept in team_headcounts),
 * those whose name holds `q` if given, and how many there are in all: the page costs its rows, not the company's teams.
 */
const teamsQuery = preparedQuery((db) => {
  const named = sql`(${sql.placeholder('q')} IS NULL OR ${teams.name} LIKE ${sql.placeholder('pattern')} ESCAPE '\\')`;
  return {
    page: db
      .select({
        id: teams.id,
        name: teams.name,
        department: teams.department,
        managerId: teams.managerId,
        managerName: manager.name,
        members: sql<number>`coalesce(${teamHeadcounts.active}, 0)`,
      })
      .from(teams)
      .leftJoin(manager, eq(manager.id, teams.managerId))
      .leftJoin(teamHeadcounts, eq(teamHeadcounts.teamId, teams.id))
      .where(named)
      .orderBy(asc(teams.department), asc(teams.name))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(),
    total: db.select({ n: count() }).from(teams).where(named).prepare(),
  };
});

export function listTeams(db: Db, filter: { q?: string; page: number; pageSize: number }) {
  const values = { q: filter.q ?? null, pattern: filter.q ? `%${likeEscaped(filter.q)}%` : null };
  const statements = teamsQuery(db);
  const rows = statements.page.all({ ...values, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize });
  return { rows, total: statements.total.get(values)?.n ?? 0, page: filter.page, pageSize: filter.pageSize };
}
export type TeamRow = ReturnType<typeof listTeams>['rows'][number];

/**
 * Just what a team filter or select needs, optionally only the teams of some departments (a JSON array); the one query
 * every form uses. The list comes as one JSON text of [id, name, department] rows: better-sqlite3 builds a row of a
 * hundred teams at about twice the cost of parsing them from one text, and drizzle's mapping cost more again.
 */
type TeamOption = { id: number; name: string; department: Department };
const optionsOf = (where: string) =>
  `SELECT json_group_array(json_array(id, name, department)) FROM (SELECT id, name, department FROM teams ${where} ORDER BY department, name)`;
const allTeamOptions = preparedQuery((db) => db.$client.prepare<[], string>(optionsOf('')).pluck());
const departmentTeamOptions = preparedQuery((db) =>
  db.$client.prepare<[string], string>(optionsOf('WHERE department IN (SELECT value FROM json_each(?))')).pluck(),
);

export function teamOptions(db: Db, onlyDepartments?: readonly Department[]): TeamOption[] {
  const text = onlyDepartments ? departmentTeamOptions(db).get(JSON.stringify(onlyDepartments)) : allTeamOptions(db).get();
  return (JSON.parse(text ?? '[]') as [number, string, Department][]).map(([id, name, department]) => ({ id, name, department }));
}

const teamsByIdsQuery = preparedQuery((db) =>
  db.$client.prepare<[string], TeamOption>('SELECT id, name, department FROM teams WHERE id IN (SELECT value FROM json_each(?)) ORDER BY department, name'),
);

/** The teams of these ids, by department and name: a form's chosen few of a company with too many to list. */
export function teamsByIds(db: Db, ids: readonly number[]): TeamOption[] {
  return ids.length ? teamsByIdsQuery(db).all(JSON.stringify([...new Set(ids)].slice(0, 500))) : [];
}

const teamsFoundQuery = preparedQuery((db) =>
  db.$client.prepare<{ pattern: string; limit: number }, TeamOption>(
    "SELECT id, name, department FROM teams WHERE name LIKE @pattern ESCAPE '\\' ORDER BY department, name LIMIT @limit",
  ),
);

/**
 * The choices of a team field: every team while there are LISTED_TEAMS or fewer; past that the team `chosen` and the
 * first PEOPLE_FOUND whose names hold `q` (`listed` false: the form offers to find).
 */
export function teamChoices(db: Db, options: { q?: unknown; chosen?: unknown } = {}): { teams: TeamOption[]; listed: boolean } {
  if (countTeams(db) <= LISTED_TEAMS) return { teams: teamOptions(db), listed: true };
  const id = Number(options.chosen);
  const chosen = Number.isSafeInteger(id) && id > 0 ? teamsByIds(db, [id]) : [];
  const q = typeof options.q === 'string' ? options.q.trim() : '';
  const found = teamsFoundQuery(db)
    .all({ pattern: `%${likeEscaped(q)}%`, limit: PEOPLE_FOUND + 1 })
    .filter((t) => t.id !== id);
  return { teams: [...chosen, ...found.slice(0, PEOPLE_FOUND)], listed: false };
}

/** Beyond this many teams a team filter is a name to type, not a list to scroll: the page keeps its size as the company grows. */
export const LISTED_TEAMS = 100;

const teamCountQuery = preparedQuery((db) => db.select({ n: count() }).from(teams).prepare());

export function countTeams(db: Db): number {
  return teamCountQuery(db).get()?.n ?? 0;
}

/** A team by its name in any case, and the first few whose names start with a text (the unique index on lower(name)). */
const teamsNamedQuery = preparedQuery((db) => ({
  exact: db.$client.prepare<[string], { id: number; name: string }>('SELECT id, name FROM teams WHERE lower(name) = lower(?)'),
  startingWith: db.$client.prepare<{ from: string; until: string }, { id: number; name: string }>(
    'SELECT id, name FROM teams WHERE lower(name) >= @from AND lower(name) < @until ORDER BY lower(name) LIMIT 6',
  ),
}));

const teamNameQuery = preparedQuery((db) => db.$client.prepare<[number], { name: string }>('SELECT name FROM teams WHERE id = ?'));

/**
 * A team filter's team: chosen from a list (`team`, an id) or typed by name (`teamName`, see
 * teamByName), with the name its field shows; a name no team answers to is the field's error.
 */
export function teamFilter(db: Db, q: { team?: number; teamName?: string }): { team?: number; teamName?: string; errors?: { teamName: string } } {
  if (q.team !== undefined) return { team: q.team, teamName: teamNameQuery(db).get(q.team)?.name };
  if (q.teamName === undefined) return {};
  const found = teamByName(db, q.teamName);
  if ('error' in found) return { teamName: q.teamName, errors: { teamName: found.error } };
  return { team: found.id, teamName: found.name };
}

/**
 * The team a name typed into a team filter means: the team of that name (in any case), else the
 * only one whose name starts with it; otherwise what went wrong, naming a few candidates.
 */
export function teamByName(db: Db, typed: string): { id: number; name: string } | { error: string } {
  const text = typed.trim().replace(/\s+/g, ' ');
  const queries = teamsNamedQuery(db);
  const exact = queries.exact.get(text);
  if (exact) return exact;
  const from = text.toLowerCase();
  const starting = queries.startingWith.all({ from, until: `${from}\u{10FFFF}` });
  if (starting.length === 1) return starting[0]!;
  if (starting.length === 0) return { error: `No team is called “${text}”.` };
  const names = starting.slice(0, 5).map((t) => t.name);
  return { error: `Several teams start with “${text}”: ${names.join(', ')}${starting.length > 5 ? ', …' : ''}. Type more of the name.` };
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
