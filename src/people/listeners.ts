import type { Db } from '../db';
import type { Clock } from '../lib/clock';

/**
 * Called inside the transaction that created or changed people (form, API or CSV import), so a
 * feature that reacts to directory changes (automatic program enrollment) stays consistent with it.
 * `changed`: the fields an update changed, so a listener can skip what it does not depend on
 * (a new title); absent when people were created or anything may have changed.
 */
type PeopleWrittenListener = (db: Db, clock: Clock, personIds: readonly number[], changed?: ReadonlySet<string>) => void;

// Keyed by the connection, so a transaction sees its database's listeners and two databases in one process never share them.
const listenersByConnection = new WeakMap<object, PeopleWrittenListener[]>();

/**
 * Features register here (createApp wires them) instead of the directory calling them, so people
 * depends on no feature built on top of it. Registering the same listener twice has no effect.
 */
export function onPeopleWritten(db: Db, listener: PeopleWrittenListener): void {
  const listeners = listenersByConnection.get(db.$client) ?? [];
  if (!listeners.includes(listener)) listenersByConnection.set(db.$client, [...listeners, listener]);
}

export function afterPeopleWritten(db: Db, clock: Clock, personIds: readonly number[], changed?: ReadonlySet<string>): void {
  for (const listener of listenersByConnection.get(db.$client) ?? []) listener(db, clock, personIds, changed);
}
