/**
 * The calendar pages: one sub-app per resource, the files (/calendar) and the person's settings (/account/calendar,
 * signed in); and the calendar parts other rooms' requests use.
 */
import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireSignedInOn } from '../guards';
import type { Db } from '../db';
import type { EventRow } from '../events';
import { accountCalendarRoutes } from './account-calendar-routes';
import { feedRoutes } from './feed-routes';
import { calendarFeedUrl, ensureCalendarFeed } from './feeds';
import { cancellationCalendarOf } from './imip';
import { baseUrlOf } from './route-helpers';

/** Where invitation mail written during this request points its reply address and links. */
const imipOptionsOf = (c: AppContext) => ({ baseUrl: baseUrlOf(c), replyDomain: c.var.deps.settings.replyDomain ?? null });
/** The calendar part of the cancellation mail this request sends about the event, or with `occurrence` that one occurrence. */
export const cancellationCalendar = (c: AppContext, tx: Db, event: EventRow, occurrence: { originalStart: Date; start: Date; end: Date } | null = null) =>
  cancellationCalendarOf(tx, event, { ...imipOptionsOf(c), now: c.var.deps.clock.now() }, occurrence);

/** The feed address of the signed-in person for GET /api/v1/me (made on first use; null after they turned it off). */
export function calendarUrlOf(c: AppContext): { calendarUrl: string | null } {
  const viewer = c.var.viewer;
  if (!viewer) return { calendarUrl: null };
  const token = ensureCalendarFeed(c.var.deps.db, c.var.deps.clock, actorOf(viewer), viewer.person.id);
  return { calendarUrl: token ? calendarFeedUrl(baseUrlOf(c), token) : null };
}

export function calendarRoutes() {
  const app = new Hono<AppEnv>();
  app.route('/calendar', feedRoutes());

  requireSignedInOn(app, '/account/calendar', '/account/calendar/*');
  app.route('/account/calendar', accountCalendarRoutes());
  return app;
}
