/*
 * The company the hardening tests attack: the full demo (every feature's src/<feature>/demo.ts, so
 * each feature's data exists as soon as the feature does) on a temporary database, with the app on
 * the same file and sign-ins for the roles the access matrix checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemo } from '../../../scripts/demo';
import { createApp, type App } from '../../../src/app';
import { createApiToken } from '../../../src/auth/auth';
import { ensureCalendarFeed, regenerateCalendarFeed } from '../../../src/calendar/feeds';
import { openDatabase, type Db } from '../../../src/db';
import { systemClock } from '../../../src/lib/clock';
import { capturingMailer, sessionAs, TestClient, withToken } from '../../support/app';

export type Actor = 'anonymous' | 'employee' | 'manager' | 'hr' | 'token';
export const ACTORS: Actor[] = ['anonymous', 'employee', 'manager', 'hr', 'token'];

/** Who plays each role: the manager is NOT the employee's manager, so the employee is "someone else's report". */
export const ACTOR_EMAILS = { employee: 'rep@example.com', manager: 'west.manager@example.com', hr: 'hr@example.com' } as const;

export type DemoCompany = {
  app: App;
  db: Db;
  path: string;
  /** A fresh client for an actor (a new session each time, so a logout or password change never leaks into the next case). */
  client(actor: Actor): TestClient;
  /** One id by SQL, or a failure naming what the fixture lacks. */
  id(sql: string, ...params: unknown[]): number;
  personId(email: string): number;
  /** The calendar feed token of a person (made on first use). */
  feedTokenOf(personId: number): string;
  close(): void;
};

let demoTemplate: Promise<string> | null = null;

/** Builds the demo once per test file; each company is a copy of that file, so tests may write freely. */
async function demoFile(dir: string) {
  const path = join(dir, 'template.db');
  await buildDemo(path, () => {});
  return path;
}

export async function openDemoCompany(): Promise<DemoCompany> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstrain-hardening-'));
  demoTemplate ??= demoFile(dir);
  const template = await demoTemplate;
  const path = join(dir, `company-${Math.random().toString(36).slice(2)}.db`);
  const source = openDatabase(template);
  await source.$client.backup(path);
  source.$client.close();
  const db = openDatabase(path);
  const app = createApp({ db, clock: systemClock, mailer: capturingMailer(), loginAttemptsPerIp: 100_000 });
  const t = { app, db, clock: systemClock };
  const personId = (email: string) => {
    const row = db.$client.prepare('SELECT id FROM people WHERE email = ?').get(email) as { id: number } | undefined;
    if (!row) throw new Error(`The demo has no ${email}`);
    return row.id;
  };
  const hrId = personId(ACTOR_EMAILS.hr);
  const feedTokens = new Map<number, string>();
  const tokenSecret = createApiToken(db, systemClock, { personId: hrId }, 'hardening').secret;
  createApiToken(db, systemClock, { personId: hrId }, 'to be revoked');
  return {
    app,
    db,
    path,
    client(actor) {
      if (actor === 'anonymous') return new TestClient(app, null, null);
      if (actor === 'token') return withToken(app, tokenSecret);
      return sessionAs(t as never, ACTOR_EMAILS[actor]);
    },
    id(sql, ...params) {
      const row = db.$client
        .prepare(sql)
        .raw()
        .get(...params) as unknown[] | undefined;
      if (!row) throw new Error(`The demo company has no row for: ${sql}`);
      return Number(row[0]);
    },
    personId,
    feedTokenOf(personId) {
      let token = feedTokens.get(personId);
      if (!token) {
        token =
          ensureCalendarFeed(db, systemClock, { personId: hrId }, personId) ?? regenerateCalendarFeed(db, systemClock, { personId: hrId }, personId).token;
        feedTokens.set(personId, token);
      }
      return token;
    },
    close() {
      db.$client.close();
      rmSync(path, { force: true });
      rmSync(`${path}-wal`, { force: true });
      rmSync(`${path}-shm`, { force: true });
      rmSync(`${path}.calendar-key`, { force: true });
    },
  };
}

/** Row counts of every table: a refused request must leave all of them as they were. */
export function tableCounts(db: Db, ignore: string[] = ['sessions', 'api_tokens']): Record<string, number> {
  const tables = db.$client
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'")
    .pluck()
    .all() as string[];
  const counts: Record<string, number> = {};
  for (const t of tables) if (!ignore.includes(t)) counts[t] = db.$client.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number;
  return counts;
}

/** A fingerprint of every row of every table (besides sessions), to prove nothing changed at all. */
export function databaseFingerprint(db: Db, ignore: string[] = ['sessions', 'api_tokens']): string {
  const tables = db.$client
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name")
    .pluck()
    .all() as string[];
  const parts: string[] = [];
  for (const t of tables) {
    if (ignore.includes(t)) continue;
    const rows = db.$client.prepare(`SELECT * FROM "${t}"`).raw().all();
    parts.push(`${t}:${rows.length}:${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}
