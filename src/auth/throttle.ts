/**
 * Sign-in throttling (OWASP authentication cheat sheet), kept in SQLite so every server process
 * counts the same attempts.
 *
 * - Per (address typed, client address) pair: five free failures, then growing delays (30 s,
 *   1 min, 2 min … 15 min). The pair is keyed by what was typed, so an address with an account and
 *   one without are throttled exactly alike, and a stranger failing from their machine never slows
 *   down the owner signing in from theirs. A successful sign-in clears the pair.
 * - Per client address: at most `attemptsPerIp` attempts in five minutes, whatever addresses it
 *   tries, so one machine cannot walk through many accounts.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import { signInThrottle } from '../../db/schema';
import { writeTransaction, type Db } from '../db';
import { sha256 } from '../lib/tokens';

const FREE_FAILURES = 5;
const FIRST_DELAY_SECONDS = 30;
const MAX_DELAY_SECONDS = 15 * 60;
const IP_WINDOW_MS = 5 * 60_000;
/** A pair with no failure for this long starts over. */
const PAIR_MEMORY_MS = 24 * 3_600_000;

/** Seconds a pair waits after its `failures`-th failure: none for the first five, then doubling to 15 minutes. */
export const pairDelaySeconds = (failures: number) =>
  failures < FREE_FAILURES ? 0 : Math.min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (failures - FREE_FAILURES));

const pairKey = (email: string, ip: string) => `pair:${sha256(email.trim().toLowerCase())}:${ip}`;
const ipKey = (ip: string) => `ip:${ip}`;

type ThrottleVerdict = { ok: true } | { ok: false; scope: 'pair' | 'ip'; retryAfterSeconds: number };

/**
 * Counts one attempt from `ip` and says whether it may go on to the password check. Called before
 * any password is hashed; blocked attempts are answered alike for every address.
 */
export function admitSignIn(db: Db, now: Date, email: string, ip: string, attemptsPerIp: number): ThrottleVerdict {
  const at = now.getTime();
  return writeTransaction(db, (tx) => {
    const pair = tx
      .select()
      .from(signInThrottle)
      .where(eq(signInThrottle.key, pairKey(email, ip)))
      .get();
    if (pair?.blockedUntil && pair.blockedUntil.getTime() > at) {
      return { ok: false, scope: 'pair', retryAfterSeconds: Math.ceil((pair.blockedUntil.getTime() - at) / 1000) };
    }
    const key = ipKey(ip);
    const window = tx.select().from(signInThrottle).where(eq(signInThrottle.key, key)).get();
    if (!window || window.windowStart.getTime() + IP_WINDOW_MS <= at) {
      tx.insert(signInThrottle)
        .values({ key, failures: 1, windowStart: now, updatedAt: now })
        .onConflictDoUpdate({ target: signInThrottle.key, set: { failures: 1, windowStart: now, blockedUntil: null, updatedAt: now } })
        .run();
      return { ok: true };
    }
    tx.update(signInThrottle)
      .set({ failures: sql`${signInThrottle.failures} + 1`, updatedAt: now })
      .where(eq(signInThrottle.key, key))
      .run();
    if (window.failures + 1 > attemptsPerIp) {
      return { ok: false, scope: 'ip', retryAfterSeconds: Math.ceil((window.windowStart.getTime() + IP_WINDOW_MS - at) / 1000) };
    }
    return { ok: true };
  });
}

/** A wrong password (or unknown address) for the pair: one more failure, and the delay it earns. */
export function recordSignInFailure(db: Db, now: Date, email: string, ip: string): void {
  const key = pairKey(email, ip);
  writeTransaction(db, (tx) => {
    const row = tx.select().from(signInThrottle).where(eq(signInThrottle.key, key)).get();
    const stale = !row || row.updatedAt.getTime() + PAIR_MEMORY_MS <= now.getTime();
    const failures = stale ? 1 : row.failures + 1;
    const delay = pairDelaySeconds(failures);
    const blockedUntil = delay ? new Date(now.getTime() + delay * 1000) : null;
    tx.insert(signInThrottle)
      .values({ key, failures, windowStart: stale ? now : row.windowStart, blockedUntil, updatedAt: now })
      .onConflictDoUpdate({ target: signInThrottle.key, set: { failures, windowStart: stale ? now : row.windowStart, blockedUntil, updatedAt: now } })
      .run();
  });
}

/** The right password: the pair starts over. */
export function clearSignInFailures(db: Db, email: string, ip: string): void {
  db.delete(signInThrottle)
    .where(eq(signInThrottle.key, pairKey(email, ip)))
    .run();
}

/** Forgets pairs and windows untouched for a day (run with the session pruning). */
export function pruneSignInThrottle(db: Db, now: Date): void {
  db.delete(signInThrottle)
    .where(and(lt(signInThrottle.updatedAt, new Date(now.getTime() - PAIR_MEMORY_MS))))
    .run();
}
