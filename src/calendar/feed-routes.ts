/** The calendar files: a person's feed (its token is the credential) and one event's file for a signed-in person. */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedIn, viewerOf } from '../guards';
import { notFound } from '../lib/errors';
import { getEvent } from '../events';
import { eventCalendar, feedEventsFor, personFeedCalendar } from './calendar';
import { clientHasVersion, createFeedCache } from './feed-cache';
import { findCalendarFeed, touchCalendarFeed } from './feeds';
import { rotationFeedEvents } from './rotations';
import { baseUrlOf, idParam } from './route-helpers';

const ICS_HEADERS = { 'Content-Type': 'text/calendar; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };

export function feedRoutes() {
  const app = new Hono<AppEnv>();
  const feedCache = createFeedCache();

  // The feed is read by calendar apps without cookies: the token in the address is the credential.
  app.get('/:file{[A-Za-z0-9_-]+\\.ics}', (c) => {
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

  app.get('/events/:file{[0-9]+\\.ics}', requireSignedIn, (c) => {
    const parsed = idParam.safeParse({ id: c.req.param('file').slice(0, -'.ics'.length) });
    if (!parsed.success) throw notFound('No such event.');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const event = getEvent(db, parsed.data.id);
    // Whoever may open the event's page may take it into their calendar.
    if (!event) throw notFound('No such event.');
    const body = eventCalendar(db, event, { baseUrl: baseUrlOf(c), now: clock.now(), reminderLeadMinutes: viewer.person.reminderLeadMinutes });
    return c.body(body, 200, { ...ICS_HEADERS, 'Content-Disposition': `attachment; filename="event-${event.id}.ics"` });
  });

  return app;
}
