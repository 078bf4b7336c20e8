import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isApiPath, type AppContext, type AppEnv, type Viewer } from '../context';
import { AppError } from '../lib/errors';
import { dataVersion, ownChanges } from '../db';
import { authenticateApiToken, createCredentialMemo, findSession, revokeSession, SESSION_COOKIE, type CredentialMemo, type KnownCredentials } from './auth';

/** The viewer named by the bearer token or session cookie: null for none, undefined for a bearer token we refuse. */
function identify(c: AppContext, known?: KnownCredentials): Viewer | null | undefined {
  const { db, clock, settings } = c.var.deps;
  const authorization = c.req.header('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const row = match ? authenticateApiToken(db, clock, match[1], known) : null;
    return row ? { person: row.person, tokenId: row.token.id } : undefined;
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  const row = cookie ? findSession(db, clock, settings, cookie, known) : null;
  return row ? { person: row.person, sessionId: row.session.id, csrfToken: row.session.csrfToken } : null;
}

/**
 * Names the viewer early (the response cache keys on it) and never refuses; loadViewer does that.
 * One per app. Leaves the dataVersion it read for the response cache, unless identifying wrote.
 */
export function identifyViewer(memo: CredentialMemo = createCredentialMemo()): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db } = c.var.deps;
    if (!c.req.header('authorization') && !c.req.header('cookie')) {
      c.set('viewer', null);
      return next();
    }
    const own = ownChanges(db);
    const version = dataVersion(db);
    const viewer = identify(c, { memo, version });
    if (viewer !== undefined) c.set('viewer', viewer);
    if (ownChanges(db) === own) c.set('dataVersion', version);
    await next();
  };
}

/** Puts the signed-in person (by session cookie or bearer token) on the context, or null; refuses unknown bearer tokens. */
export const loadViewer: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('viewer') === undefined) {
    const viewer = identify(c);
    if (viewer === undefined) throw new AppError(401, 'unauthenticated', 'The API token is missing, unknown or revoked.');
    c.set('viewer', viewer);
  }
  const viewer = c.var.viewer;
  // A one-time password opens only the password form: the API answers nothing to its session.
  if (viewer?.sessionId && viewer.person.mustChangePassword && isApiPath(c.req.path)) {
    throw new AppError(403, 'password_change_required', 'Choose your own password at /account/password before using the API.');
  }
  await next();
};

/** True when the visitor reached us over HTTPS: BASE_URL says so, the request does, or a trusted proxy does. */
export function reachedOverHttps(c: AppContext): boolean {
  const { baseUrl, trustProxy } = c.var.deps.settings;
  if (baseUrl?.toLowerCase().startsWith('https:')) return true;
  if (new URL(c.req.url).protocol === 'https:') return true;
  return Boolean(trustProxy) && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

/** The session cookie, Secure whenever the service is reached over HTTPS. */
export function setSessionCookie(c: AppContext, token: string) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: reachedOverHttps(c),
    path: '/',
    maxAge: Math.floor(c.var.deps.settings.SESSION_TTL_HOURS * 3600),
  });
}

/** Signing in on this browser: the session it held before ends, so no two stay open side by side. */
export function startSession(c: AppContext, token: string) {
  const old = getCookie(c, SESSION_COOKIE);
  if (old) revokeSession(c.var.deps.db, old);
  setSessionCookie(c, token);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * With BASE_URL set, our origin is its scheme, host and port, whatever Host header a request
 * carries; without it, the host the request was sent to.
 */
function sameOrigin(origin: string, baseUrl: string | undefined, requestUrl: string, host: string | undefined) {
  try {
    const o = new URL(origin);
    if (baseUrl) return o.origin === new URL(baseUrl).origin;
    return o.host === (host ?? new URL(requestUrl).host);
  } catch {
    return false;
  }
}

/**
 * Every state change made with a session cookie must come from our own pages: the browser's
 * Origin (when sent) must be ours, and the session's CSRF token must come back in the
 * X-CSRF-Token header (htmx) or the _csrf form field. Bearer tokens are not ambient, so exempt.
 */
export const csrfProtection: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (SAFE_METHODS.has(c.req.method)) return next();
  const viewer = c.var.viewer;
  if (viewer?.tokenId) return next();
  const origin = c.req.header('origin');
  const fetchSite = c.req.header('sec-fetch-site');
  const ours = (o: string) => sameOrigin(o, c.var.deps.settings.baseUrl, c.req.url, c.req.header('host'));
  const crossSite = (origin && origin !== 'null' && !ours(origin)) || origin === 'null' || fetchSite === 'cross-site';
  if (crossSite) throw new AppError(403, 'csrf', 'Cross-site request refused.');
  if (viewer?.csrfToken) {
    let sent = c.req.header('x-csrf-token');
    if (!sent) {
      const type = c.req.header('content-type') ?? '';
      if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
        const body = await c.req.parseBody({ all: true });
        // Two _csrf fields: one may be the attacker's; refuse rather than pick one.
        if (Array.isArray(body._csrf)) throw new AppError(403, 'csrf', 'The form carries more than one security token. Reload the page and try again.');
        sent = typeof body._csrf === 'string' ? body._csrf : undefined;
      }
    }
    if (sent !== viewer.csrfToken) throw new AppError(403, 'csrf', 'The form has expired or did not come from crosstrain. Reload the page and try again.');
  }
  return next();
};
