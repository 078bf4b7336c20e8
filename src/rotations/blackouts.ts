/**
 * Blackouts (no rotation runs for a team or department) and a person's preferred or unavailable periods.
 */
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rotationBlackouts, rotationPeriods, teams, departments } from '../../db/schema';
import { preparedQueries, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, notFound } from '../lib/errors';
import { blankToUndefined, dateSchema, idSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';

export const blackoutInputSchema = z
  .object({
    name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Name the blackout, e.g. Q3 close.').max(120),
    scope: z.enum(['department', 'team'], { message: 'Choose a department or a team.' }),
    department: z.preprocess(blankToUndefined, z.enum(departments).optional()),
    teamId: z.preprocess(blankToUndefined, idSchema.optional()),
    startDate: dateSchema,
    endDate: dateSchema,
  })
  .refine((v) => v.endDate >= v.startDate, { path: ['endDate'], message: 'The blackout must end on or after its start.' })
  .refine((v) => (v.scope === 'department' ? !!v.department : !!v.teamId), {
    path: ['scope'],
    message: 'Choose the department or the team the blackout is for.',
  });
type BlackoutInput = z.infer<typeof blackoutInputSchema>;

const blackoutsQuery = preparedQueries((db: Db, shape: 'window' | 'all') =>
  db
    .select({
      id: rotationBlackouts.id,
      name: rotationBlackouts.name,
      teamId: rotationBlackouts.teamId,
      teamName: teams.name,
      department: rotationBlackouts.department,
      startDate: rotationBlackouts.startDate,
      endDate: rotationBlackouts.endDate,
    })
    .from(rotationBlackouts)
    .leftJoin(teams, eq(teams.id, rotationBlackouts.teamId))
    .where(
      shape === 'window' ? and(lte(rotationBlackouts.startDate, sql.placeholder('to')), gte(rotationBlackouts.endDate, sql.placeholder('from'))) : undefined,
    )
    .orderBy(asc(rotationBlackouts.startDate), asc(rotationBlackouts.id))
    .prepare(),
);

/** Blackouts overlapping [from, to] (both inclusive local dates; open ends are the far past and future), earliest first. */
export function listBlackouts(db: Db, from?: string, to?: string) {
  if (from === undefined && to === undefined) return blackoutsQuery(db, 'all').all();
  return blackoutsQuery(db, 'window').all({ from: from ?? '0000-01-01', to: to ?? '9999-12-31' });
}
export type BlackoutRow = ReturnType<typeof listBlackouts>[number];

export function createBlackout(db: Db, clock: Clock, actor: Actor, input: BlackoutInput) {
  return writeTransaction(db, (tx) => {
    if (input.scope === 'team' && !tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId!)).get()) {
      throw new AppError(400, 'invalid', 'There is no such team.', [{ path: 'teamId', message: 'No such team.' }]);
    }
    const row = tx
      .insert(rotationBlackouts)
      .values({
        name: input.name,
        teamId: input.scope === 'team' ? input.teamId! : null,
        department: input.scope === 'department' ? input.department! : null,
        startDate: input.startDate,
        endDate: input.endDate,
        createdById: actor.personId,
      })
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'rotation_blackout.create', 'rotation_blackout', row.id, null, row);
    return row;
  });
}

export function deleteBlackout(db: Db, clock: Clock, actor: Actor, id: number) {
  writeTransaction(db, (tx) => {
    const row = tx.select().from(rotationBlackouts).where(eq(rotationBlackouts.id, id)).get();
    if (!row) throw notFound('No blackout with this id.');
    tx.delete(rotationBlackouts).where(eq(rotationBlackouts.id, id)).run();
    recordAudit(tx, clock.now(), actor, 'rotation_blackout.delete', 'rotation_blackout', id, row, null);
  });
}

export const periodInputSchema = z
  .object({
    kind: z.enum(['preferred', 'unavailable'], { message: 'Choose preferred or unavailable.' }),
    startDate: dateSchema,
    endDate: dateSchema,
    note: z.string().trim().max(300).default(''),
  })
  .refine((v) => v.endDate >= v.startDate, { path: ['endDate'], message: 'The period must end on or after its start.' });
type PeriodInput = z.infer<typeof periodInputSchema>;

export function listPeriods(db: Db, personId: number) {
  return db.select().from(rotationPeriods).where(eq(rotationPeriods.personId, personId)).orderBy(asc(rotationPeriods.startDate)).all();
}

export function addPeriod(db: Db, clock: Clock, actor: Actor, personId: number, input: PeriodInput) {
  return writeTransaction(db, (tx) => {
    const row = tx
      .insert(rotationPeriods)
      .values({ personId, ...input })
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'rotation_period.create', 'rotation_period', row.id, null, row);
    return row;
  });
}

export function removePeriod(db: Db, clock: Clock, actor: Actor, personId: number, id: number) {
  writeTransaction(db, (tx) => {
    const row = tx
      .select()
      .from(rotationPeriods)
      .where(and(eq(rotationPeriods.id, id), eq(rotationPeriods.personId, personId)))
      .get();
    if (!row) throw notFound('No such period.');
    tx.delete(rotationPeriods).where(eq(rotationPeriods.id, id)).run();
    recordAudit(tx, clock.now(), actor, 'rotation_period.delete', 'rotation_period', id, row, null);
  });
}
