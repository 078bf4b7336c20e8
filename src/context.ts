import type { Context } from 'hono';
import type { AppSettings } from './config';
import type { Db } from './db';
import type { Clock } from './lib/clock';
import type { Mailer } from './lib/mail';
import type { people } from '../db/schema';

export type Person = typeof people.$inferSelect;

/** Who is making the request: a signed-in person, or an API token acting for the HR person who made it. */
export type Viewer = {
  person: Person;
  sessionId?: string;
  csrfToken?: string;
  tokenId?: number;
};

export type AppDeps = {
  db: Db;
  clock: Clock;
  /** null: mail stays in the outbox, readable by HR on the outbox page. */
  mailer: Mailer | null;
  settings: AppSettings;
};

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    viewer: Viewer | null;
    /** dataVersion read while naming the viewer, for the response cache (absent when that wrote). */
    dataVersion?: string;
  };
};

export type AppContext = Context<AppEnv>;

export const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/');
