import type { Db } from '../db';
import type { Clock } from '../lib/clock';

/**
 * Called inside the transaction that recorded survey responses, so a feature that counts them
 * (program requirements met by answering) is current when the answer commits, never later.
 */
type SurveyAnsweredListener = (db: Db, clock: Clock, personIds: readonly number[]) => void;

// Keyed by the connection, so two databases in one process never share them.
const listenersByConnection = new WeakMap<object, SurveyAnsweredListener[]>();

/** Features register here (src/wiring.ts) instead of surveys calling them. Registering twice has no effect. */
export function onSurveyAnswered(db: Db, listener: SurveyAnsweredListener): void {
  const listeners = listenersByConnection.get(db.$client) ?? [];
  if (!listeners.includes(listener)) listenersByConnection.set(db.$client, [...listeners, listener]);
}

export function afterSurveyAnswered(db: Db, clock: Clock, personIds: readonly number[]): void {
  for (const listener of listenersByConnection.get(db.$client) ?? []) listener(db, clock, personIds);
}
