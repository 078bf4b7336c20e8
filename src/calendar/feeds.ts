/**
 * Private calendar feed addresses.
 *
 * A feed's token is HMAC-SHA256(key, "<feed id>:<nonce>"), where the key lives in a file beside
 * the database (created on first use, readable by the service only) and the nonce in the
 * database. The database stores just sha256(token) for the lookup, so a copy of the database alone
 * does not open anyone's calendar, yet the person (and GET /api/v1/me) can see their address again
 * at any time. Regenerating revokes the old row and makes a new one; revoking makes the address 404.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { calendarFeeds, people } from '../../db/schema';
import type { Person } from '../context';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { sha256 } from '../lib/tokens';
import { recordAudit, type Actor } from '../audit/audit';

type CalendarFeed = typeof calendarFeeds.$inferSelect;

const KEY_BYTES = 32;
// Kept per database connection: in-memory databases all share the name ':memory:', and a file can be replaced
// (a restore) under the same path; a new connection reads the key beside its file again.
const keysByDatabase = new WeakMap<object, Buffer>();

/** Where the feed key of a database file lives; null for in-memory databases. */
function feedKeyPath(db: Db): string | null {
  const file = db.$client.name;
  return !file || file === ':memory:' ? null : `${file}.calendar-key`;
}

/** The key feed tokens are derived with: read from beside the database, or created there once. */
export function feedKey(db: Db): Buffer {
  const path = feedKeyPath(db);
  let key = keysByDatabase.get(db.$client);
  if (key) return key;
  if (path && existsSync(path)) {
    key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
  } else {
    key = randomBytes(KEY_BYTES);
    if (path) {
      try {
        // 'wx' fails if another process wrote the key first; then that one wins.
        writeFileSync(path, `${key.toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
        chmodSync(path, 0o600);
      } catch {
        key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
      }
    }
  }
  if (key.length < 16) throw new Error(`The calendar feed key at ${path} is too short; delete it to make a new one (feed addresses then change).`);
  keysByDatabase.set(db.$client, key);
  return key;
}

function deriveToken(db: Db, feed: Pick<CalendarFeed, 'id' | 'nonce'>): string {
  return createHmac('sha256', feedKey(db)).update(`calendar-feed:${feed.id}:${feed.nonce}`).digest('base64url');
}

const q = {
  active: preparedQuery((db) =>
    db
      .select()
      .from(calendarFeeds)
      .where(and(eq(calendarFeeds.personId, sql.placeholder('person')), isNull(calendarFeeds.revokedAt)))
      .orderBy(desc(calendarFeeds.id))
      .limit(1)
      .prepare(),
  ),
  byToken: preparedQuery((db) =>
    db
      .select({ feed: calendarFeeds, person: people })
      .from(calendarFeeds)
      .innerJoin(people, eq(people.id, calendarFeeds.personId))
      .where(and(eq(calendarFeeds.tokenHash, sql.placeholder('hash')), isNull(calendarFeeds.revokedAt)))
      .prepare(),
  ),
};

/** The person's feed in use, if any. */
export function activeCalendarFeed(db: Db, personId: number): CalendarFeed | undefined {
  return q.active(db).get({ person: personId });
}

/**
 * The token of the person's active feed, or null when they have none (or the key beside the
 * database was replaced, which invalidates every address until the person regenerates it).
 */
function activeFeedToken(db: Db, personId: number): string | null {
  const feed = activeCalendarFeed(db, personId);
  if (!feed) return null;
  const token = deriveToken(db, feed);
  const matches = timingSafeEqual(Buffer.from(sha256(token)), Buffer.from(feed.tokenHash));
  return matches ? token : null;
}

/** Absolute address of a feed: /calendar/<token>.ics on the public base URL. */
export function calendarFeedUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/calendar/${token}.ics`;
}

function issueFeed(tx: Db, now: Date, actor: Actor, personId: number): { feed: CalendarFeed; token: string } {
  const previous = activeCalendarFeed(tx, personId);
  if (previous) tx.update(calendarFeeds).set({ revokedAt: now }).where(eq(calendarFeeds.id, previous.id)).run();
  const nonce = randomBytes(18).toString('base64url');
  // The token depends on the row id, so the hash is filled in once the row exists.
  const inserted = tx
    .insert(calendarFeeds)
    .values({ personId, nonce, tokenHash: `pending:${nonce}`, createdAt: now })
    .returning()
    .get();
  const token = deriveToken(tx, inserted);
  const feed = tx
    .update(calendarFeeds)
    .set({ tokenHash: sha256(token) })
    .where(eq(calendarFeeds.id, inserted.id))
    .returning()
    .get()!;
  recordAudit(tx, now, actor, previous ? 'calendar_feed.regenerate' : 'calendar_feed.create', 'person', personId, previous ? { feedId: previous.id } : null, {
    feedId: feed.id,
  });
  return { feed, token };
}

/** Revokes any active feed of the person and makes a new one; returns the new token. */
export function regenerateCalendarFeed(db: Db, clock: Clock, actor: Actor, personId: number): { feed: CalendarFeed; token: string } {
  // File I/O for the key happens before the write lock is taken.
  feedKey(db);
  return writeTransaction(db, (tx) => issueFeed(tx, clock.now(), actor, personId));
}

/** Revokes the person's feed; its address stops working at once. Returns false when there was none. */
export function revokeCalendarFeed(db: Db, clock: Clock, actor: Actor, personId: number): boolean {
  return writeTransaction(db, (tx) => {
    const feed = activeCalendarFeed(tx, personId);
    if (!feed) return false;
    const now = clock.now();
    tx.update(calendarFeeds).set({ revokedAt: now }).where(eq(calendarFeeds.id, feed.id)).run();
    recordAudit(tx, now, actor, 'calendar_feed.revoke', 'person', personId, { feedId: feed.id }, null);
    return true;
  });
}

/** The active feed and its (active) owner for a token from an address, or null. */
export function findCalendarFeed(db: Db, token: string): { feed: CalendarFeed; person: Person } | null {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = q.byToken(db).get({ hash: sha256(token) });
  if (!row?.person.active) return null;
  return row;
}

/** Notes when a calendar client last fetched the feed (shown on the account page); at most once a minute. */
export function touchCalendarFeed(db: Db, clock: Clock, feed: CalendarFeed): void {
  const now = clock.now();
  if (feed.lastFetchedAt && now.getTime() - feed.lastFetchedAt.getTime() < 60_000) return;
  db.update(calendarFeeds).set({ lastFetchedAt: now }).where(eq(calendarFeeds.id, feed.id)).run();
}

/**
 * Gives the person their first feed when they never had one (after a revoke they make a new
 * address themselves): called in the write that signs them in, so the calendar page only reads.
 */
export function issueFirstCalendarFeed(tx: Db, now: Date, personId: number): void {
  if (everHadFeed(tx).get({ person: personId })) return;
  issueFeed(tx, now, { personId }, personId);
}

const everHadFeed = preparedQuery((db) =>
  db
    .select({ id: calendarFeeds.id })
    .from(calendarFeeds)
    .where(eq(calendarFeeds.personId, sql.placeholder('person')))
    .limit(1)
    .prepare(),
);

/**
 * The person's feed token, making their first feed when they never had one. Sign-in makes it
 * (issueFirstCalendarFeed), so this writes only for a session begun before sign-in did.
 * After a revoke it stays null until the person makes a new address themselves.
 */
export function ensureCalendarFeed(db: Db, clock: Clock, actor: Actor, personId: number): string | null {
  const existing = activeFeedToken(db, personId);
  if (existing) return existing;
  if (everHadFeed(db).get({ person: personId })) return null;
  feedKey(db);
  return writeTransaction(db, (tx) => {
    if (everHadFeed(tx).get({ person: personId })) return activeFeedToken(tx, personId);
    return issueFeed(tx, clock.now(), actor, personId).token;
  });
}
