import type { Db } from '../db';
import type { Clock } from '../lib/clock';

/**
 * Runs inside the transaction that created or changed people (form, API or CSV import), so
 * features that react to directory changes (e.g. automatic program enrollment) stay consistent.
 */
export function afterPeopleWritten(_db: Db, _clock: Clock, _personIds: number[]): void {}
