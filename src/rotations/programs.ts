/**
 * Rotation programs: direction, length, host teams with capacity, checklist.
 */
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rotationChecklistItems, rotationDirections, rotationProgramHostTeams, rotationPrograms, teams, type Department } from '../../db/schema';
import { preparedQueries, preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, conflict, notFound } from '../lib/errors';
import { idSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { departmentsOfDirection, type RuleProgram } from './rules';

export type RotationProgramRow = typeof rotationPrograms.$inferSelect;

export const DIRECTION_LABELS: Record<(typeof rotationDirections)[number], string> = {
  marketing_to_sales: 'Marketing → sales',
  sales_to_marketing: 'Sales → marketing',
  both: 'Both ways',
};

export const rotationProgramInputSchema = z.object({
  name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a name.').max(120),
  direction: z.enum(rotationDirections, { message: 'Choose a direction.' }),
  lengthWeeks: z.coerce.number().int('Use whole weeks.').min(1, 'At least 1 week.').max(52, 'At most 52 weeks.'),
  coveragePercent: z.coerce.number().int().min(1, 'At least 1%.').max(100, 'At most 100%.').default(25),
  learningGoals: z.string().trim().max(4000).default(''),
  hostTeams: z
    .array(z.object({ teamId: idSchema, capacity: z.coerce.number().int().min(1, 'A host team takes at least 1 guest.').max(50) }))
    .min(1, 'Choose at least one host team.')
    .max(200),
  checklist: z.array(z.string().trim().min(1).max(300)).max(50).default([]),
  active: z.boolean().default(true),
});
export type RotationProgramInput = z.infer<typeof rotationProgramInputSchema>;

export type RotationProgramDetails = RotationProgramRow & {
  hostTeams: { teamId: number; teamName: string; department: Department; capacity: number }[];
  checklist: { id: number; position: number; title: string }[];
};

const rotationProgramsQuery = preparedQueries((db: Db, only: 'active' | 'all') =>
  db
    .select({
      id: rotationPrograms.id,
      name: rotationPrograms.name,
      direction: rotationPrograms.direction,
      lengthWeeks: rotationPrograms.lengthWeeks,
      coveragePercent: rotationPrograms.coveragePercent,
      active: rotationPrograms.active,
      hostTeamCount: sql<number>`(SELECT count(*) FROM rotation_program_host_teams h WHERE h.program_id = "rotation_programs"."id")`,
      // Kept per program and stored status (rotation_status_counts): cancelled is stored at once, so this is exact.
      rotationCount: sql<number>`(SELECT coalesce(sum(k.rotations), 0) FROM rotation_status_counts k WHERE k.program_id = "rotation_programs"."id" AND k.status <> 'cancelled')`,
    })
    .from(rotationPrograms)
    .where(only === 'active' ? eq(rotationPrograms.active, true) : undefined)
    .orderBy(asc(rotationPrograms.name))
    .prepare(),
);

export function listRotationPrograms(db: Db, onlyActive = false) {
  return rotationProgramsQuery(db, onlyActive ? 'active' : 'all').all();
}
export type RotationProgramSummary = ReturnType<typeof listRotationPrograms>[number];

/** Programs by name without their counts (a count of rotations grows with the company): for filters and pickers. */
const programChoicesQuery = preparedQueries((db: Db, only: 'active' | 'all') =>
  db
    .select({ id: rotationPrograms.id, name: rotationPrograms.name, lengthWeeks: rotationPrograms.lengthWeeks })
    .from(rotationPrograms)
    .where(only === 'active' ? eq(rotationPrograms.active, true) : undefined)
    .orderBy(asc(rotationPrograms.name))
    .prepare(),
);

export function rotationProgramChoices(db: Db, onlyActive = false) {
  return programChoicesQuery(db, onlyActive ? 'active' : 'all').all();
}

export function getRotationProgram(db: Db, id: number): RotationProgramDetails {
  const program = db.select().from(rotationPrograms).where(eq(rotationPrograms.id, id)).get();
  if (!program) throw notFound('No rotation program with this id.');
  const hostTeams = db
    .select({ teamId: rotationProgramHostTeams.teamId, teamName: teams.name, department: teams.department, capacity: rotationProgramHostTeams.capacity })
    .from(rotationProgramHostTeams)
    .innerJoin(teams, eq(teams.id, rotationProgramHostTeams.teamId))
    .where(eq(rotationProgramHostTeams.programId, id))
    .orderBy(asc(teams.name))
    .all();
  const checklist = db
    .select({ id: rotationChecklistItems.id, position: rotationChecklistItems.position, title: rotationChecklistItems.title })
    .from(rotationChecklistItems)
    .where(eq(rotationChecklistItems.programId, id))
    .orderBy(asc(rotationChecklistItems.position), asc(rotationChecklistItems.id))
    .all();
  return { ...program, hostTeams, checklist };
}

const hostCapacitiesQuery = preparedQuery((db) =>
  db.$client.prepare<[string, string], { programId: number; teamId: number; teamName: string; department: Department; capacity: number }>(
    `SELECT h.program_id AS programId, h.team_id AS teamId, t.name AS teamName, t.department, h.capacity
       FROM rotation_program_host_teams h JOIN teams t ON t.id = h.team_id
      WHERE h.team_id IN (SELECT value FROM json_each(?)) AND h.program_id IN (SELECT value FROM json_each(?))
      ORDER BY t.name`,
  ),
);

/**
 * Programs by id with only these of their host teams (by name): what a page showing a few host teams draws capacity
 * for, without reading every host team of a program that a whole company's teams host.
 */
export function programsWithHostTeams(
  db: Db,
  programs: readonly { id: number; name: string }[],
  teamIds: number[],
): Pick<RotationProgramDetails, 'id' | 'name' | 'hostTeams'>[] {
  const hosts = hostCapacitiesQuery(db).all(JSON.stringify(teamIds), JSON.stringify(programs.map((p) => p.id)));
  return programs.map((p) => ({
    id: p.id,
    name: p.name,
    hostTeams: hosts.filter((h) => h.programId === p.id).map(({ programId: _programId, ...host }) => host),
  }));
}

/** Host teams must exist and sit on the receiving side of the program's direction. */
function assertHostTeams(db: Db, input: RotationProgramInput) {
  const ids = input.hostTeams.map((h) => h.teamId);
  if (new Set(ids).size !== ids.length)
    throw new AppError(400, 'invalid', 'A host team is listed twice.', [{ path: 'hostTeams', message: 'A host team is listed twice.' }]);
  const found = db.select({ id: teams.id, name: teams.name, department: teams.department }).from(teams).where(inArray(teams.id, ids)).all();
  for (const id of ids) {
    const team = found.find((t) => t.id === id);
    if (!team) throw new AppError(400, 'invalid', `There is no team ${id}.`, [{ path: 'hostTeams', message: `There is no team ${id}.` }]);
    const allowed: Department[] = input.direction === 'both' ? ['sales', 'marketing'] : [departmentsOfDirection(input.direction).host];
    if (!allowed.includes(team.department)) {
      const message = `${team.name} is a ${team.department} team; ${DIRECTION_LABELS[input.direction].toLowerCase()} programs are hosted by ${allowed.join(' or ')} teams.`;
      throw new AppError(400, 'invalid', message, [{ path: 'hostTeams', message }]);
    }
  }
}

function programNameTaken(db: Db, name: string, exceptId?: number) {
  return !!db
    .select({ id: rotationPrograms.id })
    .from(rotationPrograms)
    .where(and(sql`lower(${rotationPrograms.name}) = ${name.toLowerCase()}`, exceptId ? ne(rotationPrograms.id, exceptId) : undefined))
    .get();
}

function writeProgramParts(tx: Db, programId: number, input: RotationProgramInput) {
  tx.delete(rotationProgramHostTeams).where(eq(rotationProgramHostTeams.programId, programId)).run();
  for (const h of input.hostTeams) tx.insert(rotationProgramHostTeams).values({ programId, teamId: h.teamId, capacity: h.capacity }).run();
  // Checklist items keep their ids by position, so people's ticks survive a reworded item.
  const existing = tx
    .select({ id: rotationChecklistItems.id })
    .from(rotationChecklistItems)
    .where(eq(rotationChecklistItems.programId, programId))
    .orderBy(asc(rotationChecklistItems.position), asc(rotationChecklistItems.id))
    .all();
  input.checklist.forEach((title, position) => {
    const row = existing[position];
    if (row) tx.update(rotationChecklistItems).set({ title, position }).where(eq(rotationChecklistItems.id, row.id)).run();
    else tx.insert(rotationChecklistItems).values({ programId, title, position }).run();
  });
  const extra = existing.slice(input.checklist.length).map((r) => r.id);
  if (extra.length) tx.delete(rotationChecklistItems).where(inArray(rotationChecklistItems.id, extra)).run();
}

/** The program's own row; its host teams and checklist are written by writeProgramParts. */
function programColumns(input: RotationProgramInput, now: Date) {
  const { name, direction, lengthWeeks, coveragePercent, learningGoals, active } = input;
  return { name, direction, lengthWeeks, coveragePercent, learningGoals, active, updatedAt: now };
}

export function createRotationProgram(db: Db, clock: Clock, actor: Actor, input: RotationProgramInput): RotationProgramDetails {
  return writeTransaction(db, (tx) => {
    if (programNameTaken(tx, input.name)) throw conflict('program_name_taken', `A rotation program named ${input.name} exists already.`);
    assertHostTeams(tx, input);
    const row = tx.insert(rotationPrograms).values(programColumns(input, clock.now())).returning().get();
    writeProgramParts(tx, row.id, input);
    const details = getRotationProgram(tx, row.id);
    recordAudit(tx, clock.now(), actor, 'rotation_program.create', 'rotation_program', row.id, null, details);
    return details;
  });
}

export function updateRotationProgram(db: Db, clock: Clock, actor: Actor, id: number, input: RotationProgramInput): RotationProgramDetails {
  return writeTransaction(db, (tx) => {
    const before = getRotationProgram(tx, id);
    if (programNameTaken(tx, input.name, id)) throw conflict('program_name_taken', `A rotation program named ${input.name} exists already.`);
    assertHostTeams(tx, input);
    tx.update(rotationPrograms).set(programColumns(input, clock.now())).where(eq(rotationPrograms.id, id)).run();
    writeProgramParts(tx, id, input);
    const after = getRotationProgram(tx, id);
    recordAudit(tx, clock.now(), actor, 'rotation_program.update', 'rotation_program', id, before, after);
    return after;
  });
}

/** Changes only the fields sent; host teams and checklist are replaced when sent, kept otherwise. */
export function patchRotationProgram(db: Db, clock: Clock, actor: Actor, id: number, patch: Partial<RotationProgramInput>): RotationProgramDetails {
  const current = getRotationProgram(db, id);
  const merged = rotationProgramInputSchema.parse({
    name: current.name,
    direction: current.direction,
    lengthWeeks: current.lengthWeeks,
    coveragePercent: current.coveragePercent,
    learningGoals: current.learningGoals,
    active: current.active,
    hostTeams: current.hostTeams.map((h) => ({ teamId: h.teamId, capacity: h.capacity })),
    checklist: current.checklist.map((i) => i.title),
    ...patch,
  });
  return updateRotationProgram(db, clock, actor, id, merged);
}

export function ruleProgramOf(program: RotationProgramDetails): RuleProgram {
  return {
    id: program.id,
    name: program.name,
    direction: program.direction,
    lengthWeeks: program.lengthWeeks,
    hostTeams: program.hostTeams.map((h) => ({ teamId: h.teamId, capacity: h.capacity })),
  };
}
