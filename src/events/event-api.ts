/**
 * Events: listing a window, creating, reading, changing and calling off. Mounted at /events of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { people } from '../../db/schema';
import type { AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { eq } from 'drizzle-orm';
import { requireEvent, type EventDetails } from './event-rules';
import { cancelEvent, createEvent, detailsOf, editFollowing, updateEvent } from './events';
import { fillFreedSeats, notifyEventCancelled, cancellationCalendar } from './cancellation-notices';
import { occurrencesInWindow } from './occurrences';
import { eventsVisibleTo } from './queries';
import { EVENTS_PAGE_OCCURRENCES, createEventBody, eventOut, eventsListQuery, idParam, occurrenceOut, updateEventBody } from './api-schemas';
import { hostNameOf, originalStartFromKey, parseWindow, presentEvent, presentOccurrence, ruleFrom, tags, timingFrom } from './api-helpers';

export const eventApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/events',
    summary: 'Events overlapping a window (HR: all; others: the ones they host or are invited to), each with its occurrences in the window, a page at a time',
    tags,
    roles: 'any',
    query: eventsListQuery,
    response: z.object({
      data: z.array(eventOut.extend({ occurrences: z.array(occurrenceOut) })),
      nextCursor: z
        .string()
        .nullable()
        .describe(
          `Pass as cursor for the next page; null on the last. A page holds up to pageSize events in order of first start, fewer once they hold ${EVENTS_PAGE_OCCURRENCES} occurrences in the window`,
        ),
    }),
  },
  {
    method: 'post',
    path: '/api/v1/events',
    summary: 'Create an event or series (start/end as local date-time plus IANA timeZone)',
    tags,
    roles: 'any (HR: any host; managers: their reports)',
    body: createEventBody,
    response: eventOut,
    status: 201,
  },
  { method: 'get', path: '/api/v1/events/{id}', summary: 'One event', tags, roles: 'any', response: eventOut },
  {
    method: 'patch',
    path: '/api/v1/events/{id}',
    summary:
      'Change the whole event, or with fromOccurrenceId this and all following occurrences. Occurrences that have started keep their times: when new times (start, end, time zone, recurrence) would move one of them, the series is split at the first occurrence not yet started, as with fromOccurrenceId, and the new series is returned (splitFromEventId is this event, which now ends by UNTIL); when the new times have nothing ahead the event itself is returned, ending there; 409 already_took_place when every occurrence has started and the new times have none ahead, when a one-off event that has started would move, or when fromOccurrenceId names an occurrence that has started and the times change',
    tags,
    roles: 'host, their manager, HR',
    body: updateEventBody,
    response: eventOut,
  },
  {
    method: 'delete',
    path: '/api/v1/events/{id}',
    summary:
      'Cancel the event from now on: every occurrence that has not started (those that started stay as they were); everyone who accepted is told; 409 already_took_place when nothing is left to start',
    tags,
    roles: 'host, their manager, HR',
    response: eventOut,
  },
];

export function eventApi() {
  const app = new Hono<AppEnv>();

  app.get('/', apiValidator('query', eventsListQuery), (c) => {
    const { db } = c.var.deps;
    const q = c.req.valid('query');
    const { from, to } = parseWindow(c, q, 30);
    const [spanStart, id] = q.cursor ? q.cursor.split('.').map(Number) : [];
    const found = eventsVisibleTo(db, viewerOf(c).person, from, to, { after: q.cursor ? { spanStart, id } : null, limit: q.pageSize + 1 });
    // A page ends at pageSize events or once it holds EVENTS_PAGE_OCCURRENCES occurrences, whichever comes first, so that a
    // page of daily series over a year weighs what a page of one-off events does; occurrences are expanded a few events at a time.
    const data = [];
    let held = 0;
    for (let i = 0; i < Math.min(found.length, q.pageSize) && held < EVENTS_PAGE_OCCURRENCES; i += 10) {
      const chunk = found.slice(i, Math.min(i + 10, q.pageSize));
      const byEvent = occurrencesInWindow(db, chunk, from, to, { includeCancelled: true });
      for (const event of chunk) {
        if (held >= EVENTS_PAGE_OCCURRENCES) break;
        const occurrences = byEvent.get(event.id) ?? [];
        held += occurrences.length;
        data.push({ ...presentEvent(event, event.hostName), occurrences: occurrences.map(({ seatsTaken, ...o }) => presentOccurrence(event, o, seatsTaken)) });
      }
    }
    const last = found[data.length - 1];
    const nextCursor = data.length < found.length && last ? `${last.spanStart.getTime()}.${last.id}` : null;
    return c.json({ data, nextCursor });
  });

  app.post('/', apiValidator('json', createEventBody), (c) => {
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const hostId = body.hostId ?? viewer.person.id;
    const host = db.select().from(people).where(eq(people.id, hostId)).get();
    if (!host) throw new AppError(400, 'invalid', 'No person with this host id.', [{ path: 'hostId', message: 'Choose a person from the directory.' }]);
    const timing = timingFrom(body, { startLocal: body.start.dateTime, timeZone: host.timeZone, durationMinutes: 60 });
    if (!body.end) throw new AppError(400, 'invalid', 'Send an end.', [{ path: 'end', message: 'Required.' }]);
    const details: EventDetails = {
      kind: body.kind,
      title: body.title,
      description: body.description ?? '',
      hostId,
      ...timing,
      seats: body.seats ?? 0,
      rrule: ruleFrom(body, timing.startLocal) ?? null,
      account: body.account ?? null,
      opportunityStage: body.opportunityStage ?? null,
      location: body.location ?? null,
      meetingUrl: body.meetingUrl ?? null,
      topic: body.topic ?? null,
    };
    const event = createEvent(db, clock, actorOf(c.var.viewer), viewer.person, details);
    return c.json(presentEvent(event, host.name), 201);
  });

  app.get('/:id', apiValidator('param', idParam), (c) => {
    const event = requireEvent(c.var.deps.db, c.req.valid('param').id);
    return c.json(presentEvent(event, hostNameOf(c.var.deps.db, event.hostId)));
  });

  app.patch('/:id', apiValidator('param', idParam), apiValidator('json', updateEventBody), (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const before = requireEvent(db, id);
    const defaults = detailsOf(before);
    const patch: Partial<EventDetails> = {};
    if (body.title !== undefined) patch.title = body.title;
    if (body.description !== undefined) patch.description = body.description;
    if (body.hostId !== undefined) patch.hostId = body.hostId;
    if (body.seats !== undefined) patch.seats = body.seats;
    for (const key of ['account', 'opportunityStage', 'location', 'meetingUrl', 'topic'] as const) {
      if (body[key] !== undefined) (patch as Record<string, unknown>)[key] = body[key];
    }
    if (body.start || body.end) Object.assign(patch, timingFrom(body, defaults));
    const rule = ruleFrom(body, patch.startLocal ?? defaults.startLocal);
    if (rule !== undefined) patch.rrule = rule;
    const actor = actorOf(c.var.viewer);
    const after = body.fromOccurrenceId
      ? editFollowing(db, clock, actor, viewer.person, { eventId: id, originalStart: originalStartFromKey(id, body.fromOccurrenceId) }, patch)
      : updateEvent(db, clock, actor, viewer.person, id, patch, (tx, old, updated) => {
          if (updated.seats > old.seats) fillFreedSeats(tx, clock, updated);
        });
    return c.json(presentEvent(after, hostNameOf(db, after.hostId)));
  });

  app.delete('/:id', apiValidator('param', idParam), (c) => {
    const { db, clock } = c.var.deps;
    const event = cancelEvent(db, clock, actorOf(c.var.viewer), viewerOf(c).person, c.req.valid('param').id, (tx, e) =>
      notifyEventCancelled(tx, clock, e, cancellationCalendar(c, tx, e)),
    );
    return c.json(presentEvent(event, hostNameOf(db, event.hostId)));
  });

  return app;
}
