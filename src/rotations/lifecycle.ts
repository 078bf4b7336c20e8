/**
 * A rotation's row and its status along the calendar: the dates a rotation lives by.
 */
import { eq, sql } from 'drizzle-orm';
import { rotations, type RotationStatusName } from '../../db/schema';
import { preparedQuery, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { notFound } from '../lib/errors';
import { addDaysToLocalDate, daysBetween } from '../lib/time';

export type RotationRow = typeof rotations.$inferSelect;

/** Today's calendar date for rotation status: rotations are company-wide all-day spans, read in UTC. */
export const todayOf = (clock: Clock) => clock.now().toISOString().slice(0, 10);

/** The status a rotation has on `today`; cancelled stays cancelled. */
export function statusOn(today: string, row: { startDate: string; endDate: string; status: RotationStatusName }): RotationStatusName {
  if (row.status === 'cancelled') return 'cancelled';
  if (today < row.startDate) return 'planned';
  if (today <= row.endDate) return 'active';
  return 'completed';
}

const today = sql.placeholder('today');
const statusMoves = [
  preparedQuery((db) =>
    db.update(rotations).set({ status: 'completed' }).where(sql`${rotations.status} IN ('planned', 'active') AND ${rotations.endDate} < ${today}`).prepare(),
  ),
  preparedQuery((db) =>
    db
      .update(rotations)
      .set({ status: 'active' })
      .where(sql`${rotations.status} IN ('planned', 'completed') AND ${rotations.startDate} <= ${today} AND ${rotations.endDate} >= ${today}`)
      .prepare(),
  ),
  preparedQuery((db) =>
    db.update(rotations).set({ status: 'planned' }).where(sql`${rotations.status} IN ('active', 'completed') AND ${rotations.startDate} > ${today}`).prepare(),
  ),
];

/** Moves stored statuses along the calendar (planned → active → completed); cheap, runs before reads. */
export function syncRotationStatuses(db: Db, today: string) {
  for (const move of statusMoves) move(db).run({ today });
}

export function requireRotation(db: Db, id: number): RotationRow {
  const row = db.select().from(rotations).where(eq(rotations.id, id)).get();
  if (!row) throw notFound('No rotation with this id.');
  return row;
}

/** The day of a rotation's mid-point check-in. */
export function midpointOf(start: string, end: string): string {
  return addDaysToLocalDate(start, Math.floor(daysBetween(start, end) / 2));
}
