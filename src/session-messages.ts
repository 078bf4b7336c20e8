import { and, eq, sql } from 'drizzle-orm';
import { sessions } from '../db/schema';
import { preparedQuery, type Db } from './db';
import { sha256 } from './lib/tokens';

// The one-time status message a session keeps for its next page. It sits below the shared HTTP module
// (web.ts shows and sets it) and below auth (which owns the rest of the session), so neither imports the other.

/** A session's id as stored: the SHA-256 of the cookie value. */
export const sessionIdOf = (token: string) => sha256(token);

/** Longest one-time status message kept; ours are one or two sentences. */
const SESSION_MESSAGE_MAX = 1000;

/** Keeps the status message the next page of this session shows once (only the server sets it). */
export function setSessionMessage(db: Db, sessionId: string, message: string) {
  setFlash(db).run({ id: sessionId, flash: message.slice(0, SESSION_MESSAGE_MAX) });
}

// Every form post that redirects keeps its message: prepared once per database.
const setFlash = preparedQuery((db) =>
  db
    .update(sessions)
    .set({ flash: sql`${sql.placeholder('flash')}` })
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare(),
);

/**
 * The session's status message, cleared as it is read so a reload does not show it again. Read
 * first, so that the many page views without a message never write.
 */
const sessionFlash = preparedQuery((db) =>
  db
    .select({ flash: sessions.flash })
    .from(sessions)
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare(),
);

export function takeSessionMessage(db: Db, sessionId: string): string | null {
  const kept = sessionFlash(db).get({ id: sessionId });
  if (!kept?.flash) return null;
  // Of two pages rendered at once, only the one that clears it shows it.
  const cleared = db
    .update(sessions)
    .set({ flash: null })
    .where(and(eq(sessions.id, sessionId), eq(sessions.flash, kept.flash)))
    .run();
  return cleared.changes === 1 ? kept.flash : null;
}
