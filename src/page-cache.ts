/*
 * The page cache (PAGE_CACHE, off unless asked for): one wrapper around the whole app, put there by
 * server.ts; createApp knows nothing of it, and every page is fast without it.
 *
 * Signed-in pages are read far more often than the data behind them changes: a rep reloads their
 * schedule, a manager keeps the dashboard open. So the rendered answer to a GET is kept per viewer
 * and served again while nothing in the database has changed and it is only seconds old.
 *
 * "Nothing has changed" is asked of SQLite itself (dataVersion), so no write path can forget to
 * invalidate: any write anywhere empties the cache in effect, and the age limit covers what depends
 * on the clock alone ("today", "starts in 10 min").
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { App } from './app';
import { createCredentialMemo } from './auth/auth';
import { identifyViewer } from './auth/middleware';
import type { AppDeps, AppEnv } from './context';
import { dataVersion, type Db } from './db';
import type { Clock } from './lib/clock';

type ResponseCacheOptions = {
  /** How long an answer may be served again when no data changed, ms. */
  maxAgeMs: number;
  /** Total size of the kept bodies, bytes. */
  maxBytes: number;
  /** Larger answers (exports, huge lists) are not kept. */
  maxEntryBytes: number;
};

export const defaultResponseCacheOptions: ResponseCacheOptions = { maxAgeMs: 10_000, maxBytes: 32 * 1024 * 1024, maxEntryBytes: 1024 * 1024 };

type Entry = { dataVersion: string; storedAt: number; status: number; headers: Record<string, string>; body: Uint8Array<ArrayBuffer> };

/** The request properties an answer may depend on besides the viewer and the URL. */
const VARYING_HEADERS = ['hx-request', 'hx-history-restore-request', 'accept'];

const CACHEABLE_TYPES = /^(text\/html|application\/json)\b/;

/**
 * The cache as a middleware: placed after the one that identifies the viewer and before everything
 * else, so a hit skips all of it: the kept headers are the ones the app set on the first answer.
 */
export function createResponseCache(db: Db, clock: Clock, options: ResponseCacheOptions = defaultResponseCacheOptions) {
  const entries = new Map<string, Entry>();
  let bytes = 0;

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.body.byteLength;
  };

  const store = (key: string, entry: Entry) => {
    remove(key);
    entries.set(key, entry);
    bytes += entry.body.byteLength;
    // Map order is insertion order, and a hit re-inserts: the first key is the least recently used.
    while (bytes > options.maxBytes) remove(entries.keys().next().value!);
  };

  const lookup = (key: string, version: string, now: number) => {
    const entry = entries.get(key);
    if (!entry) return null;
    if (entry.dataVersion !== version || now < entry.storedAt || now - entry.storedAt >= options.maxAgeMs) {
      remove(key);
      return null;
    }
    entries.delete(key);
    entries.set(key, entry);
    return entry;
  };

  /** The kept answer for a GET by this viewer (`s:<session id>` or `t:<token id>`), or null. */
  const answer = (viewerKey: string, url: string, header: (name: string) => string | null | undefined, version: string) => {
    const key = [viewerKey, url, ...VARYING_HEADERS.map((h) => header(h) ?? '')].join('\n');
    const hit = lookup(key, version, clock.now().getTime());
    return { key, response: hit ? new Response(hit.body, { status: hit.status, headers: hit.headers }) : null };
  };

  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    const viewer = c.get('viewer');
    if (c.req.method !== 'GET' || !viewer || c.req.path.startsWith('/static/')) return next();
    const version = c.get('dataVersion') ?? dataVersion(db);
    const { key, response } = answer(viewer.sessionId ? `s:${viewer.sessionId}` : `t:${viewer.tokenId}`, c.req.url, (h) => c.req.header(h), version);
    if (response) return response;

    const storedAt = clock.now().getTime();
    await next();
    const res = c.res;
    if (res.status !== 200 || res.headers.has('set-cookie') || !CACHEABLE_TYPES.test(res.headers.get('content-type') ?? '')) return;
    // The request wrote something itself, or another one did while this one waited: the answer may mix old and new.
    if (dataVersion(db) !== version) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const [name, value] of res.headers) headers[name] = value;
    headers['content-length'] = String(body.byteLength);
    c.res = undefined;
    c.res = new Response(body, { status: res.status, headers });
    if (body.byteLength <= options.maxEntryBytes) store(key, { dataVersion: version, storedAt, status: res.status, headers, body });
  };

  return { middleware };
}

/**
 * The app behind the page cache: the viewer is named by the app's own session and token lookup
 * (identifyViewer), a kept answer is served without reaching the app, anything else goes to it.
 */
export function withPageCache(app: App, deps: Pick<AppDeps, 'db' | 'clock' | 'settings'>, options: Partial<ResponseCacheOptions> = {}) {
  const cache = createResponseCache(deps.db, deps.clock, { ...defaultResponseCacheOptions, ...options });
  const outer = new Hono<AppEnv>();
  outer.use('*', async (c, next) => {
    c.set('deps', { mailer: null, ...deps });
    await next();
  });
  outer.use('*', identifyViewer(createCredentialMemo()));
  outer.use('*', cache.middleware);
  outer.all('*', (c) => app.fetch(c.req.raw, c.env));
  return outer;
}
