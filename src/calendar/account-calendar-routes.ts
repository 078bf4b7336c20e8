/** The person's calendar settings under /account/calendar: their feed address and their outside (busy) calendars. */
import { Hono } from 'hono';
import type { AppContext, AppEnv, Viewer } from '../context';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import { AppError } from '../lib/errors';
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
import { activeCalendarFeed, calendarFeedUrl, ensureCalendarFeed, regenerateCalendarFeed, revokeCalendarFeed } from './feeds';
import { baseUrlOf, idParam } from './route-helpers';

export function accountCalendarRoutes() {
  const app = new Hono<AppEnv>();

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

  app.get('/', (c) => renderPage(c));

  const ownAccountOnly = (viewer: Viewer) => {
    if (viewer.tokenId) throw new AppError(403, 'forbidden', 'API tokens cannot change calendar addresses.');
  };

  app.post('/regenerate', (c) => {
    const viewer = viewerOf(c);
    ownAccountOnly(viewer);
    regenerateCalendarFeed(c.var.deps.db, c.var.deps.clock, actorOf(viewer), viewer.person.id);
    return redirectWithMessage(c, `/account/calendar`, 'Your new calendar address is ready. The old one no longer works.');
  });

  app.post('/revoke', (c) => {
    const viewer = viewerOf(c);
    ownAccountOnly(viewer);
    const revoked = revokeCalendarFeed(c.var.deps.db, c.var.deps.clock, actorOf(viewer), viewer.person.id);
    return redirectWithMessage(c, `/account/calendar`, revoked ? 'Your calendar address is turned off.' : 'You had no calendar address.');
  });

  // ── the person's own outside calendars (busy times) ──
  const backToBusy = (c: AppContext, message: string) => redirectWithMessage(c, '/account/calendar#busy-calendars', message);
  app.post(
    '/busy',
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

  app.post('/busy/:id/delete', paramValidator(idParam), (c) => {
    const viewer = viewerOf(c);
    ownAccountOnly(viewer);
    const removed = removeBusyCalendar(c.var.deps.db, c.var.deps.clock, actorOf(viewer), viewer.person.id, c.req.valid('param').id);
    return backToBusy(c, `${removed.label} removed; its busy times no longer count.`);
  });

  app.post('/busy/:id/refresh', paramValidator(idParam), (c) => {
    const viewer = viewerOf(c);
    ownAccountOnly(viewer);
    const calendar = requestBusyRefresh(c.var.deps.db, c.var.deps.clock, viewer.person.id, c.req.valid('param').id);
    return backToBusy(c, `${calendar.label} is read again within a minute.`);
  });

  return app;
}
