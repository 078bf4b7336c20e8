import type { Db } from '../db';
import type { Clock } from '../lib/clock';
import { syncEnrollmentsForPeople } from '../programs/programs';

/**
 * Runs inside the transaction that created or changed people (form, API or CSV import), so
 * features that react to directory changes (e.g. automatic program enrollment) stay consistent.
 */
export function afterPeopleWritten(db: Db, clock: Clock, personIds: number[]): void {
  syncEnrollmentsForPeople(db, clock, personIds);
}
