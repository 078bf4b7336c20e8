/**
 * A rotation's row and its status along the calendar: the dates a rotation lives by.
 */
import { checkUncheckedRotations } from './rule-checks';
import { eq, sql } from 'drizzle-orm';
import { rotations, type RotationStatusName } from '../../db/schema';
import { preparedQuery, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { everyInterval } from '../lib/jobs';
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

/**
 * A row as it stands on `today`: reads derive planned/active/completed from the dates, so no request has to
 * move stored statuses first (the background job does that for SQL that still groups by the stored column).
 */
export function asOf<T extends { startDate: string; endDate: string; status: RotationStatusName }>(today: string, row: T): T {
  const status = statusOn(today, row);
  return status === row.status ? row : { ...row, status };
}

/** SQL condition (on the rotations alias `r`) for "has this status on `today`", by dates like statusOn. */
export function statusOnWhere(status: RotationStatusName, today: string): { clause: string; params: string[] } {
  if (status === 'cancelled') return { clause: "r.status = 'cancelled'", params: [] };
  if (status === 'planned') return { clause: "r.status <> 'cancelled' AND r.start_date > ?", params: [today] };
  if (status === 'active') return { clause: "r.status <> 'cancelled' AND r.start_date <= ? AND r.end_date >= ?", params: [today, today] };
  return { clause: "r.status <> 'cancelled' AND r.end_date < ?", params: [today] };
}

/** Moves stored statuses along the calendar (planned → active → completed): the background job's work, never a request's. */
export function syncRotationStatuses(db: Db, today: string) {
  for (const move of statusMoves) move(db).run({ today });
}

/** The daily job: stored rotation statuses follow the calendar, checked at start and every hour. */
export function startRotationStatusJob(db: Db, clock: Clock, intervalMs = 3_600_000): () => void {
  return everyInterval('Rotation status job', intervalMs, () => {
    syncRotationStatuses(db, todayOf(clock));
    // A database migrated since the last start: its rotations' rules are checked here, not by the first pages.
    checkUncheckedRotations(db);
  });
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
