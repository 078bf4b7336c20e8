/**
 * A rotation's row and its status along the calendar: the dates a rotation lives by.
 */
import { eq, sql } from 'drizzle-orm';
import { rotations, type RotationStatusName } from '../../db/schema';
import type { Db } from '../db';
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

/** Moves stored statuses along the calendar (planned → active → completed); cheap, runs before reads. */
export function syncRotationStatuses(db: Db, today: string) {
  db.run(sql`UPDATE rotations SET status = 'completed' WHERE status IN ('planned', 'active') AND end_date < ${today}`);
  db.run(sql`UPDATE rotations SET status = 'active' WHERE status IN ('planned', 'completed') AND start_date <= ${today} AND end_date >= ${today}`);
  db.run(sql`UPDATE rotations SET status = 'planned' WHERE status IN ('active', 'completed') AND start_date > ${today}`);
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
