/*
 * What load generators need to talk to a running crosstrain as real people: session cookies with
 * their CSRF tokens (made directly with createSession, no scrypt per person), an API token, the
 * scale company's ids, and which routes this build registers (so every entry is conditional on
 * its feature existing).
 */
import { inspectRoutes } from 'hono/dev';
import { createApp } from '../src/app';
import { createApiToken, createSession, SESSION_COOKIE } from '../src/auth/auth';
import { defaultSettings } from '../src/config';
import type { Db } from '../src/db';
import { systemClock } from '../src/lib/clock';
import type { ScaleCompany } from '../scripts/seed-scale';
import type { RequestSpec } from './load';

export type Session = { personId: number; cookie: string; csrf: string };

export type BenchContext = {
  db: Db;
  company: ScaleCompany;
  /** A session of this person (made once, then reused). */
  session(personId: number): Session;
  /** Bearer token of the HR account. */
  token: string;
  /** "GET /people" etc.: is this route registered in this build? */
  hasRoute(key: string): boolean;
  /** Deterministic random numbers for load generators. */
  random: () => number;
};

export function createBenchContext(db: Db, company: ScaleCompany, random: () => number): BenchContext {
  const sessions = new Map<number, Session>();
  const routes = new Set(
    inspectRoutes(createApp({ db }))
      .filter((r) => !r.isMiddleware)
      .map((r) => `${r.method} ${r.path}`),
  );
  const token = createApiToken(db, systemClock, { personId: company.key.hr }, `bench ${new Date().toISOString()}`).secret;
  return {
    db,
    company,
    token,
    random,
    hasRoute: (key) => routes.has(key),
    session(personId) {
      let s = sessions.get(personId);
      if (!s) {
        // Long enough for the longest soak; the bench database is thrown away afterwards.
        const created = createSession(db, systemClock, { ...defaultSettings, SESSION_TTL_HOURS: 24 }, personId);
        s = { personId, cookie: `${SESSION_COOKIE}=${created.token}`, csrf: created.csrfToken };
        sessions.set(personId, s);
      }
      return s;
    },
  };
}

/**
 * Session cookies of 20 viewers for timing pages as different people: employees spread over the first 400 of a
 * scale database, with ROLE=manager HR and managers as the benchmark's manager pages use them (the VPs included), or with ROLE=hr
 * the HR accounts alone.
 */
export function viewerCookies(db: Db, role = process.env.ROLE ?? 'employee'): string[] {
  let viewers: number[];
  if (role === 'employee') {
    const ids = db.$client.prepare("SELECT id FROM people WHERE role = 'employee' AND active = 1 ORDER BY id LIMIT 400").all() as { id: number }[];
    viewers = ids
      .filter((_, i) => i % 20 === 0)
      .slice(0, 20)
      .map((r) => r.id);
  } else if (role === 'hr') {
    const ids = db.$client.prepare("SELECT id FROM people WHERE role = 'hr' AND active = 1 ORDER BY id LIMIT 20").all() as { id: number }[];
    viewers = ids.map((r) => r.id);
  } else {
    const ids = (db.$client.prepare("SELECT id FROM people WHERE role IN ('hr', 'manager') AND active = 1 ORDER BY id").all() as { id: number }[]).map(
      (r) => r.id,
    );
    const step = Math.max(1, Math.floor(ids.length / 17));
    viewers = [...ids.slice(0, 3), ...ids.slice(3).filter((_, i) => i % step === 0)].slice(0, 20);
  }
  // Long enough for the longest soak; the bench database is thrown away afterwards.
  return viewers.map((id) => `${SESSION_COOKIE}=${createSession(db, systemClock, { ...defaultSettings, SESSION_TTL_HOURS: 24 }, id).token}`);
}

/** A page view as a signed-in person. */
export const pageAs = (s: Session, path: string): RequestSpec => ({ path, headers: { cookie: s.cookie, accept: 'text/html' } });

/** A form post as a browser sends it, CSRF token included. */
export function formAs(s: Session, path: string, fields: Record<string, string | number>): RequestSpec {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) body.append(k, String(v));
  body.append('_csrf', s.csrf);
  return { method: 'POST', path, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() };
}

/** An API call with the HR bearer token. */
export const apiWithToken = (token: string, method: string, path: string, body?: unknown): RequestSpec => ({
  method,
  path,
  headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  body: body === undefined ? undefined : JSON.stringify(body),
});
