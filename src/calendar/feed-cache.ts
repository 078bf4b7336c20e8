/**
 * Conditional answers for calendar feeds. Calendar apps poll every feed all day: a feed is built
 * again only when something in it changed, and a poll that names the version it has (If-None-Match
 * or If-Modified-Since) is answered 304 without building anything.
 *
 * "Changed" is decided twice, cheaply first: when SQLite reports no write at all since the last
 * answer (dataVersion) on the same day, the kept answer holds. Otherwise the feed's entries are
 * read (rows only, no iCalendar text) and hashed; an equal hash keeps the answer too.
 */
import { createHash } from 'node:crypto';
import { dataVersion, type Db } from '../db';
import type { IcsEvent } from './ics';

type FeedVersion = { etag: string; lastModified: Date };
type Kept = FeedVersion & { dataVersion: string; day: string; hash: string; body: string | null };

const MAX_KEPT_FEEDS = 500;
const MAX_KEPT_BYTES = 32 * 1024 * 1024;

/** A hash of what a feed says; DTSTAMPs alone do not make a new version. */
function feedContentHash(parts: { name: string; baseUrl: string; day: string; events: IcsEvent[] }): string {
  const json = JSON.stringify(parts, (key, value) => (key === 'stamp' ? undefined : value));
  return createHash('sha256').update(json).digest('base64url').slice(0, 27);
}

/** One per app: the version and, while memory allows, the body of each feed last answered. */
export function createFeedCache(options: { maxFeeds?: number; maxBytes?: number } = {}) {
  const maxFeeds = options.maxFeeds ?? MAX_KEPT_FEEDS;
  const maxBytes = options.maxBytes ?? MAX_KEPT_BYTES;
  const kept = new Map<number, Kept>();
  let bytes = 0;
  const forget = (feedId: number) => {
    const entry = kept.get(feedId);
    if (entry?.body) bytes -= entry.body.length;
    kept.delete(feedId);
  };

  return {
    /**
     * The current version of feed `feedId` and its body when one is kept. `read` gathers the
     * feed's entries (cheap); `build` writes the iCalendar text (the costly part), and is called
     * only when `wantBody` and no body of this version is kept.
     */
    answer(
      db: Db,
      feedId: number,
      now: Date,
      read: () => { name: string; baseUrl: string; events: IcsEvent[] },
      build: (events: IcsEvent[]) => string,
      wantBody: (version: FeedVersion) => boolean,
    ): FeedVersion & { body: string | null } {
      const day = now.toISOString().slice(0, 10);
      const version = dataVersion(db);
      let entry = kept.get(feedId);
      let events: IcsEvent[] | null = null;
      if (!entry || entry.dataVersion !== version || entry.day !== day) {
        const content = read();
        events = content.events;
        const hash = feedContentHash({ ...content, day });
        if (!entry || entry.hash !== hash) {
          forget(feedId);
          // Last-Modified is when this process first saw the version: never earlier than the change itself.
          const lastModified = new Date(Math.floor(now.getTime() / 1000) * 1000);
          entry = { etag: `"${hash}"`, lastModified, dataVersion: version, day, hash, body: null };
        } else {
          entry = { ...entry, dataVersion: version, day };
        }
        kept.delete(feedId);
        kept.set(feedId, entry);
      }
      if (!wantBody(entry)) return { ...entry, body: null };
      if (entry.body === null) {
        const body = build(events ?? read().events);
        forget(feedId);
        entry = { ...entry, body: body.length <= maxBytes / 8 ? body : null };
        if (entry.body) bytes += entry.body.length;
        kept.set(feedId, entry);
        while (kept.size > maxFeeds || bytes > maxBytes) forget(kept.keys().next().value!);
        return { ...entry, body };
      }
      return entry;
    },
  };
}

/** True when the request's validators show the client already holds this version (RFC 9110 §13.2.2). */
export function clientHasVersion(header: (name: string) => string | undefined, version: FeedVersion): boolean {
  const ifNoneMatch = header('if-none-match');
  if (ifNoneMatch !== undefined) {
    // If-None-Match wins over If-Modified-Since; weak comparison, as for GET.
    const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(version.etag);
  }
  const ifModifiedSince = header('if-modified-since');
  if (!ifModifiedSince) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && version.lastModified.getTime() <= since;
}
