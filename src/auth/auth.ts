import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { apiTokens, people, sessions } from '../../db/schema';
import type { AppSettings } from '../config';
import type { Person } from '../context';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { randomToken, sha256 } from '../lib/tokens';
import { recordAudit, type Actor } from '../audit/audit';
import { hashPassword, verifyPassword } from './password';
import { admitSignIn, clearSignInFailures, recordSignInFailure } from './throttle';

export const SESSION_COOKIE = 'ct_session';
// Writing last_seen_at on every request would turn every read into a write.
const TOUCH_EVERY_MS = 60_000;
/** How long the one-time password printed at first start stays valid. */
export const ONE_TIME_PASSWORD_HOURS = 24;

type SignInResult =
  | { ok: true; person: Person; sessionToken: string; csrfToken: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'expired' }
  | { ok: false; reason: 'throttled'; scope: 'pair' | 'ip'; retryAfterSeconds: number };

export function findPersonByEmail(db: Db, email: string) {
  return db.select().from(people).where(sql`lower(${people.email}) = ${email.trim().toLowerCase()}`).get();
}

type SignInAttempt = { email: string; password: string; ip: string; attemptsPerIp: number; userAgent?: string };

/**
 * Checks a sign-in. Known and unknown addresses take the same path: the same throttling, one
 * password hash each (a dummy for unknown ones), the same answer.
 */
export async function signIn(db: Db, clock: Clock, settings: AppSettings, attempt: SignInAttempt): Promise<SignInResult> {
  const { email, password, ip } = attempt;
  const admitted = admitSignIn(db, clock.now(), email, ip, attempt.attemptsPerIp);
  if (!admitted.ok) return { ok: false, reason: 'throttled', scope: admitted.scope, retryAfterSeconds: admitted.retryAfterSeconds };
  const person = findPersonByEmail(db, email);
  const valid = await verifyPassword(password, person?.passwordHash);
  const now = clock.now();
  if (!person?.active || !valid) {
    recordSignInFailure(db, now, email, ip);
    return { ok: false, reason: 'invalid' };
  }
  clearSignInFailures(db, email, ip);
  if (person.mustChangePassword && person.passwordExpiresAt && person.passwordExpiresAt <= now) return { ok: false, reason: 'expired' };
  const { token, csrfToken } = writeTransaction(db, (tx) => {
    tx.update(people).set({ failedLogins: 0, lockedUntil: null }).where(eq(people.id, person.id)).run();
    return createSession(tx, clock, settings, person.id, attempt.userAgent);
  });
  return { ok: true, person, sessionToken: token, csrfToken };
}

/** Called inside the transaction that creates a session, so a feature can prepare what the person's first pages read. */
type SessionCreatedListener = (tx: Db, now: Date, personId: number) => void;

// Keyed by the connection, so a transaction sees its database's listeners and two databases in one process never share them.
const sessionListenersByConnection = new WeakMap<object, SessionCreatedListener[]>();

/**
 * Features register here (createApp wires them) instead of sign-in calling them, so auth depends on
 * no feature built on top of it. Registering the same listener twice has no effect.
 */
export function onSessionCreated(db: Db, listener: SessionCreatedListener): void {
  const listeners = sessionListenersByConnection.get(db.$client) ?? [];
  if (!listeners.includes(listener)) sessionListenersByConnection.set(db.$client, [...listeners, listener]);
}

/** A fresh session id at every sign-in; only its hash is stored. */
export function createSession(db: Db, clock: Clock, settings: AppSettings, personId: number, userAgent?: string) {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const now = clock.now();
  return writeTransaction(db, (tx) => {
    tx.insert(sessions)
      .values({
        id: sha256(token),
        personId,
        csrfToken,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + settings.SESSION_TTL_HOURS * 3_600_000),
        userAgent: userAgent?.slice(0, 300) ?? null,
      })
      .run();
    for (const listener of sessionListenersByConnection.get(db.$client) ?? []) listener(tx, now, personId);
    return { token, csrfToken };
  });
}

const sessionWithPerson = preparedQuery((db) =>
  db
    .select({ session: sessions, person: people })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare(),
);

export type CredentialMemo = ReturnType<typeof createCredentialMemo>;
/** The memo, and the database's dataVersion read for this request. */
export type KnownCredentials = { memo: CredentialMemo; version: string };

/**
 * Session and API-token rows read on earlier requests, kept while the database is unchanged: every
 * request looks its credential up, and a write anywhere (sign-out, revocation, deactivation)
 * forgets them all. Expiry and idle time are still checked on every request.
 */
export function createCredentialMemo(limit = 5000) {
  const rows = new Map<string, { version: string; row: unknown }>();
  return {
    get<T>(key: string, version: string) {
      const known = rows.get(key);
      return known && known.version === version ? (known.row as T) : undefined;
    },
    set(key: string, version: string, row: unknown) {
      rows.delete(key);
      if (rows.size >= limit) rows.delete(rows.keys().next().value!);
      rows.set(key, { version, row });
    },
  };
}

type SessionRow = NonNullable<ReturnType<ReturnType<typeof sessionWithPerson>['get']>>;

/** The person behind a session cookie, or null when the session is unknown, expired, idle too long or the person deactivated. */
export function findSession(db: Db, clock: Clock, settings: AppSettings, token: string, known?: KnownCredentials) {
  const { memo, version } = known ?? {};
  const key = `session:${token}`;
  const row = memo?.get<SessionRow>(key, version!) ?? sessionWithPerson(db).get({ id: sha256(token) });
  if (!row) return null;
  memo?.set(key, version!, row);
  const id = row.session.id;
  const now = clock.now().getTime();
  const idleLimit = row.session.lastSeenAt.getTime() + settings.SESSION_IDLE_MINUTES * 60_000;
  if (row.session.expiresAt.getTime() <= now || idleLimit <= now || !row.person.active) {
    db.delete(sessions).where(eq(sessions.id, id)).run();
    return null;
  }
  if (now - row.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    db.update(sessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(sessions.id, id))
      .run();
  }
  return row;
}

export function revokeSession(db: Db, token: string) {
  db.delete(sessions)
    .where(eq(sessions.id, sha256(token)))
    .run();
}

export function revokeSessionsOf(db: Db, personId: number) {
  db.delete(sessions).where(eq(sessions.personId, personId)).run();
}

export function pruneExpiredSessions(db: Db, clock: Clock) {
  db.delete(sessions).where(lt(sessions.expiresAt, clock.now())).run();
}

/**
 * Sets a new password after checking the current one. Every session of the person ends, the one
 * in use included: it is replaced by a fresh session (new id, new CSRF token) returned here.
 */
export async function changePassword(db: Db, clock: Clock, settings: AppSettings, person: Person, current: string, next: string, userAgent?: string) {
  if (!(await verifyPassword(current, person.passwordHash))) return null;
  const passwordHash = await hashPassword(next);
  return writeTransaction(db, (tx) => {
    tx.update(people).set({ passwordHash, mustChangePassword: false, passwordExpiresAt: null, updatedAt: clock.now() }).where(eq(people.id, person.id)).run();
    tx.delete(sessions).where(eq(sessions.personId, person.id)).run();
    recordAudit(tx, clock.now(), { personId: person.id }, 'password.change', 'person', person.id, null, null);
    return createSession(tx, clock, settings, person.id, userAgent);
  });
}

// ── API tokens ──

const TOKEN_PREFIX = 'ct_';

export function createApiToken(db: Db, clock: Clock, actor: Actor & { personId: number }, name: string) {
  const secret = TOKEN_PREFIX + randomToken(30);
  const row = writeTransaction(db, (tx) => {
    const inserted = tx
      .insert(apiTokens)
      .values({ name, tokenHash: sha256(secret), prefix: secret.slice(0, 10), createdById: actor.personId, createdAt: clock.now() })
      .returning()
      .get();
    recordAudit(tx, clock.now(), actor, 'token.create', 'api_token', inserted.id, null, { name, prefix: inserted.prefix });
    return inserted;
  });
  return { secret, token: row };
}

export function revokeApiToken(db: Db, clock: Clock, actor: Actor, id: number) {
  return writeTransaction(db, (tx) => {
    const row = tx.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
    if (!row || row.revokedAt) return false;
    tx.update(apiTokens).set({ revokedAt: clock.now() }).where(eq(apiTokens.id, id)).run();
    recordAudit(tx, clock.now(), actor, 'token.revoke', 'api_token', id, { name: row.name }, null);
    return true;
  });
}

export function listApiTokens(db: Db) {
  return db
    .select({ token: apiTokens, createdBy: people.name })
    .from(apiTokens)
    .innerJoin(people, eq(people.id, apiTokens.createdById))
    .orderBy(desc(apiTokens.createdAt))
    .all();
}

const tokenWithPerson = preparedQuery((db) =>
  db
    .select({ token: apiTokens, person: people })
    .from(apiTokens)
    .innerJoin(people, eq(people.id, apiTokens.createdById))
    .where(and(eq(apiTokens.tokenHash, sql.placeholder('hash')), isNull(apiTokens.revokedAt)))
    .prepare(),
);

type TokenRow = NonNullable<ReturnType<ReturnType<typeof tokenWithPerson>['get']>>;

/** The HR person a bearer token acts for, or null. */
export function authenticateApiToken(db: Db, clock: Clock, secret: string, known?: KnownCredentials) {
  const { memo, version } = known ?? {};
  const key = `token:${secret}`;
  const row = memo?.get<TokenRow>(key, version!) ?? tokenWithPerson(db).get({ hash: sha256(secret) });
  if (!row?.person.active || row.person.role !== 'hr') return null;
  memo?.set(key, version!, row);
  const now = clock.now();
  if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id)).run();
  }
  return row;
}
