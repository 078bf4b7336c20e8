import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv, Viewer } from '../context';
import { actorOf } from '../audit/audit';
import { requireSignedIn, viewerOf } from '../guards';
import { AppError, notFound } from '../lib/errors';
import { pathIdSchema } from '../lib/validation';
import { formValidator, html, layoutProps, paramValidator, redirectWithMessage } from '../web';
import { CalendarFeedPage } from '../../views/calendar/pages';
import type { FieldErrors, FormValues } from '../../views/components';
import {
  MAX_BUSY_CALENDARS,
  addBusyCalendar,
  busyCalendarInputSchema,
  busyCalendarProblem,
  listBusyCalendars,
  removeBusyCalendar,
  requestBusyRefresh,
} from '../busy';
import type { Db } from '../db';
import { getEvent, type EventRow } from '../events';
import { cancellationCalendarOf } from './imip';
import { eventCalendar, feedEventsFor, personFeedCalendar } from './calendar';
import { clientHasVersion, createFeedCache } from './feed-cache';
import { rotationFeedEvents } from './rotations';
import {
  activeCalendarFeed,
  calendarFeedUrl,
  ensureCalendarFeed,
  findCalendarFeed,
  regenerateCalendarFeed,
  revokeCalendarFeed,
  touchCalendarFeed,
} from './feeds';

/** Public base address for links that leave the browser (feeds, mails): the configured one, else the request's. */
const baseUrlOf = (c: AppContext) => c.var.deps.settings.baseUrl?.replace(/\/+$/, '') ?? new URL(c.req.url).origin;
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

const ICS_HEADERS = { 'Content-Type': 'text/calendar; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };

const eventParam = z.object({ id: pathIdSchema });

export function calendarRoutes() {
  const app = new Hono<AppEnv>();
  const feedCache = createFeedCache();

  // The feed is read by calendar apps without cookies: the token in the address is the credential.
  app.get('/calendar/:file{[A-Za-z0-9_-]+\\.ics}', (c) => {
    const { db, clock } = c.var.deps;
    const found = findCalendarFeed(db, c.req.param('file').slice(0, -'.ics'.length));
    if (!found) throw notFound('This calendar address is unknown or was turned off.');
    touchCalendarFeed(db, clock, found.feed);
    const now = clock.now();
    const baseUrl = baseUrlOf(c);
    const person = found.person;
    const answer = feedCache.answer(
      db,
      found.feed.id,
      now,
      () => ({ name: person.name, baseUrl, events: [...feedEventsFor(db, person, { baseUrl, now }), ...rotationFeedEvents(db, person, { baseUrl, now })] }),
      (entries) => personFeedCalendar(person, entries, now),
      (version) => c.req.method === 'HEAD' || !clientHasVersion((name) => c.req.header(name), version),
    );
    const headers = { ETag: answer.etag, 'Last-Modified': answer.lastModified.toUTCString(), 'Cache-Control': 'private, max-age=300' };
    if (answer.body === null && c.req.method !== 'HEAD') return c.body(null, 304, headers);
    return c.body(answer.body ?? '', 200, { ...ICS_HEADERS, ...headers, 'Content-Disposition': 'inline; filename="crosstrain.ics"' });
  });

  app.get('/calendar/events/:file{[0-9]+\\.ics}', requireSignedIn, (c) => {
    const parsed = eventParam.safeParse({ id: c.req.param('file').slice(0, -'.ics'.length) });
    if (!parsed.success) throw notFound('No such event.');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const event = getEvent(db, parsed.data.id);
    // Whoever may open the event's page may take it into their calendar.
    if (!event) throw notFound('No such event.');
    const body = eventCalendar(db, event, { baseUrl: baseUrlOf(c), now: clock.now(), reminderLeadMinutes: viewer.person.reminderLeadMinutes });
    return c.body(body, 200, { ...ICS_HEADERS, 'Content-Disposition': `attachment; filename="event-${event.id}.ics"` });
  });

  app.use('/account/calendar', requireSignedIn);
  app.use('/account/calendar/*', requireSignedIn);

  const renderPage = (c: AppContext, busyValues?: FormValues, busyErrors?: FieldErrors, status: 200 | 400 | 409 = 200) => {
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const token = ensureCalendarFeed(db, clock, actorOf(viewer), viewer.person.id);
    const feed = token ? activeCalendarFeed(db, viewer.person.id) : undefined;
    return html(
      c,
      CalendarFeedPage({
        layout: layoutProps(c, 'Calendar subscription'),
        feedUrl: token ? calendarFeedUrl(baseUrlOf(c), token) : null,
        createdAt: feed?.createdAt ?? null,
        lastFetchedAt: feed?.lastFetchedAt ?? null,
        timeZone: viewer.person.timeZone,
        reminderLeadMinutes: viewer.person.reminderLeadMinutes,
        busyCalendars: listBusyCalendars(db, viewer.person.id, clock.now()),
        maxBusyCalendars: MAX_BUSY_CALENDARS,
        busyValues,
        busyErrors,
      }),
      status,
    );
  };

  app.get('/account/calendar', (c) => renderPage(c));

  const ownAccountOnly = (viewer: Viewer) => {
    if (viewer.tokenId) throw new AppError(403, 'forbidden', 'API tokens cannot change calendar addresses.');
  };

  app.post('/account/calendar/regenerate', (c) => {
    const viewer = viewerOf(c);
    ownAccountOnly(viewer);
    regenerateCalendarFeed(c.var.deps.db, c.var.deps.clock, actorOf(viewer), viewer.person.id);
    return redirectWithMessage(c, `/account/calendar`, 'Your new calendar address is ready. The old one no longer works.');
  });

  app.post('/account/calendar/revoke', (c) => {
    const viewer = viewerOf(c);
    ownAccountOnly(viewer);
    const revoked = revokeCalendarFeed(c.var.deps.db, c.var.deps.clock, actorOf(viewer), viewer.person.id);
    return redirectWithMessage(c, `/account/calendar`, revoked ? 'Your calendar address is turned off.' : 'You had no calendar address.');
  });

  // ── the person's own outside calendars (busy times) ──
  const backToBusy = (c: AppContext, message: string) => redirectWithMessage(c, '/account/calendar#busy-calendars', message);
  app.post(
    '/account/calendar/busy',
    formValidator(busyCalendarInputSchema, (c, errors, values) => renderPage(c, { label: values.label, url: values.url }, errors, 400)),
    (c) => {
      const viewer = viewerOf(c);
      ownAccountOnly(viewer);
      const { db, clock, settings } = c.var.deps;
      const input = c.req.valid('form');
      const allowPrivate = settings.allowPrivateCalendarHosts === true;
      const problem = busyCalendarProblem(db, viewer.person.id, input, allowPrivate);
      if (problem) return renderPage(c, { label: input.label, url: input.url }, { url: problem }, 400);
      const added = addBusyCalendar(db, clock, actorOf(viewer), viewer.person.id, input, allowPrivate);
      return backToBusy(c, `${added.label} added. Its busy times are read within a minute.`);
    },
  );

  app.post('/account/calendar/busy/:id/delete', paramValidator(eventParam), (c) => {
    const viewer = viewerOf(c);
    ownAccountOnly(viewer);
    const removed = removeBusyCalendar(c.var.deps.db, c.var.deps.clock, actorOf(viewer), viewer.person.id, c.req.valid('param').id);
    return backToBusy(c, `${removed.label} removed; its busy times no longer count.`);
  });

  app.post('/account/calendar/busy/:id/refresh', paramValidator(eventParam), (c) => {
    const viewer = viewerOf(c);
    ownAccountOnly(viewer);
    const calendar = requestBusyRefresh(c.var.deps.db, c.var.deps.clock, viewer.person.id, c.req.valid('param').id);
    return backToBusy(c, `${calendar.label} is read again within a minute.`);
  });

  return app;
}
