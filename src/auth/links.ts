/**
 * Password links: the single-use link a person follows to choose their password — a welcome link
 * when HR adds them (valid 7 days), a reset link from "Forgot your password?" (valid 1 hour). Only
 * the token's SHA-256 is stored; a newer link, a used link or a password change voids the others.
 */
import { and, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { passwordLinks, passwordResetRequests, people, sessions, type PasswordLinkPurpose } from '../../db/schema';
import type { AppSettings } from '../config';
import type { Person } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { randomToken, sha256 } from '../lib/tokens';
import { recordAudit, type Actor } from '../audit/audit';
import { queueMail } from '../outbox/outbox';
import { createSession, findPersonByEmail } from './auth';
import { hashPassword } from './password';
import { readInChunks } from '../lib/chunks';

const HOUR_MS = 3_600_000;
const LINK_LIFETIME_MS: Record<PasswordLinkPurpose, number> = { welcome: 7 * 24 * HOUR_MS, reset: HOUR_MS };
/** "Forgot your password?" requests answered per network address and per account in RESET_WINDOW_MS. */
export const RESET_LIMIT_PER_ADDRESS = 10;
export const RESET_LIMIT_PER_ACCOUNT = 3;
const RESET_WINDOW_MS = HOUR_MS;
/** People one bulk resend may name: each costs a mail. */
export const MAX_BULK_WELCOME = 200;

const setPasswordPath = (token: string) => `/password/set?token=${encodeURIComponent(token)}`;

/**
 * Makes a new link for the person and queues its mail, in the caller's write transaction. Earlier
 * unused links of the person are voided: only the latest mail works.
 */
export function issuePasswordLink(
  db: Db,
  clock: Clock,
  actor: Actor,
  person: Pick<Person, 'id' | 'name' | 'email'>,
  purpose: PasswordLinkPurpose,
  baseUrl: string,
) {
  const now = clock.now();
  const token = randomToken();
  db.update(passwordLinks)
    .set({ usedAt: now })
    .where(and(eq(passwordLinks.personId, person.id), isNull(passwordLinks.usedAt)))
    .run();
  const link = db
    .insert(passwordLinks)
    .values({
      personId: person.id,
      purpose,
      tokenHash: sha256(token),
      createdById: actor.personId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LINK_LIFETIME_MS[purpose]),
    })
    .returning()
    .get();
  const url = `${baseUrl.replace(/\/+$/, '')}${setPasswordPath(token)}`;
  const first = person.name.split(/\s+/)[0] || person.name;
  const mail =
    purpose === 'welcome'
      ? {
          subject: 'Welcome to crosstrain: choose your password',
          body: [
            `Hello ${first},`,
            '',
            'HR added you to crosstrain, where sales and marketing plan ride-alongs, meetings, trainings and rotations together.',
            '',
            `Choose your password here (the link works once, for 7 days):`,
            url,
            '',
            `Then sign in with ${person.email}. If the link has expired, ask HR to send a new one or use "Forgot your password?" on the sign-in page.`,
          ].join('\n'),
        }
      : {
          subject: 'Reset your crosstrain password',
          body: [
            `Hello ${first},`,
            '',
            'Someone (hopefully you) asked to reset your crosstrain password. Choose a new one here (the link works once, for 1 hour):',
            url,
            '',
            'If you did not ask for this, ignore this mail: your password stays as it is.',
          ].join('\n'),
        };
  queueMail(db, clock, { to: person.email, toPersonId: person.id, ...mail });
  recordAudit(db, now, actor, purpose === 'welcome' ? 'password_link.welcome' : 'password_link.reset', 'password_link', link.id, null, {
    personId: person.id,
    email: person.email,
    expiresAt: link.expiresAt.toISOString(),
  });
  return { token, url, link };
}

/**
 * Welcome mails for the given people (HR adding, importing or resending), in one transaction.
 * Inactive people are skipped; returns who got one.
 */
export function sendWelcomeLinks(db: Db, clock: Clock, actor: Actor, personIds: number[], baseUrl: string): { sent: number[]; skipped: number[] } {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return { sent: [], skipped: [] };
  return writeTransaction(db, (tx) => {
    const found: Pick<Person, 'id' | 'name' | 'email' | 'active'>[] = readInChunks(ids, (chunk) =>
      tx.select({ id: people.id, name: people.name, email: people.email, active: people.active }).from(people).where(inArray(people.id, chunk)).all(),
    );
    const sent: number[] = [];
    for (const person of found) {
      if (!person.active) continue;
      issuePasswordLink(tx, clock, actor, person, 'welcome', baseUrl);
      sent.push(person.id);
    }
    return { sent, skipped: ids.filter((id) => !sent.includes(id)) };
  });
}

type LinkState = { ok: true; person: Person; purpose: PasswordLinkPurpose; expiresAt: Date } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** What a link's token opens: its person while it is unused, unexpired and the person active. */
export function checkPasswordLink(db: Db, clock: Clock, token: string): LinkState {
  if (!token || token.length > 200) return { ok: false, reason: 'unknown' };
  const row = db
    .select({ link: passwordLinks, person: people })
    .from(passwordLinks)
    .innerJoin(people, eq(people.id, passwordLinks.personId))
    .where(eq(passwordLinks.tokenHash, sha256(token)))
    .get();
  if (!row?.person.active) return { ok: false, reason: 'unknown' };
  if (row.link.usedAt) return { ok: false, reason: 'used' };
  if (row.link.expiresAt.getTime() <= clock.now().getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, person: row.person, purpose: row.link.purpose, expiresAt: row.link.expiresAt };
}

type UseLinkResult = { ok: true; person: Person; sessionToken: string; csrfToken: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/**
 * Sets the password with a link: the link is spent (checked again inside the transaction, so two
 * tabs cannot both use it), every session of the person ends, and a fresh one is returned.
 */
export async function usePasswordLink(
  db: Db,
  clock: Clock,
  settings: AppSettings,
  token: string,
  password: string,
  userAgent?: string,
): Promise<UseLinkResult> {
  const before = checkPasswordLink(db, clock, token);
  if (!before.ok) return before;
  const passwordHash = await hashPassword(password);
  return writeTransaction(db, (tx) => {
    const state = checkPasswordLink(tx, clock, token);
    if (!state.ok) return state;
    const now = clock.now();
    const personId = state.person.id;
    tx.update(passwordLinks)
      .set({ usedAt: now })
      .where(and(eq(passwordLinks.personId, personId), isNull(passwordLinks.usedAt)))
      .run();
    tx.update(people).set({ passwordHash, mustChangePassword: false, failedLogins: 0, lockedUntil: null, updatedAt: now }).where(eq(people.id, personId)).run();
    tx.delete(sessions).where(eq(sessions.personId, personId)).run();
    recordAudit(tx, now, { personId }, state.purpose === 'welcome' ? 'password.set_by_welcome_link' : 'password.reset_by_link', 'person', personId, null, null);
    const session = createSession(tx, clock, settings, personId, userAgent);
    return {
      ok: true as const,
      person: { ...state.person, passwordHash, mustChangePassword: false },
      sessionToken: session.token,
      csrfToken: session.csrfToken,
    };
  });
}

type ResetRequestResult = 'answered' | 'address_limited';

/**
 * "Forgot your password?": queues a reset link when the address belongs to an active person and
 * neither limit is reached. The caller answers the same whether or not the address exists; only
 * the per-network-address limit is told (it says nothing about any account).
 */
export function requestPasswordReset(db: Db, clock: Clock, input: { email: string; address: string }, baseUrl: string): ResetRequestResult {
  const now = clock.now();
  const since = new Date(now.getTime() - RESET_WINDOW_MS);
  const email = input.email.trim().toLowerCase().slice(0, 254);
  return writeTransaction(db, (tx) => {
    // Rows older than a day decide nothing: keep the table small.
    tx.delete(passwordResetRequests)
      .where(lt(passwordResetRequests.at, new Date(now.getTime() - 24 * HOUR_MS)))
      .run();
    const count = (where: ReturnType<typeof and>) => tx.select({ n: sql<number>`count(*)` }).from(passwordResetRequests).where(where).get()?.n ?? 0;
    if (count(and(eq(passwordResetRequests.address, input.address), gt(passwordResetRequests.at, since))) >= RESET_LIMIT_PER_ADDRESS) return 'address_limited';
    const person = findPersonByEmail(tx, email);
    const accountRequests = count(and(eq(passwordResetRequests.email, email), gt(passwordResetRequests.at, since)));
    tx.insert(passwordResetRequests)
      .values({ at: now, address: input.address, email, personId: person?.id ?? null })
      .run();
    if (person?.active && accountRequests < RESET_LIMIT_PER_ACCOUNT) issuePasswordLink(tx, clock, { personId: null }, person, 'reset', baseUrl);
    return 'answered';
  });
}

/** When the person's latest welcome link was sent and whether it is still open, for the person page. */
export function latestPasswordLink(db: Db, personId: number) {
  return (
    db
      .select({ purpose: passwordLinks.purpose, createdAt: passwordLinks.createdAt, expiresAt: passwordLinks.expiresAt, usedAt: passwordLinks.usedAt })
      .from(passwordLinks)
      .where(eq(passwordLinks.personId, personId))
      .orderBy(sql`${passwordLinks.id} DESC`)
      .limit(1)
      .get() ?? null
  );
}
