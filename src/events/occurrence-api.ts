/**
 * A series' occurrences: listing a window, and cancelling, moving or restoring one. Mounted at /events of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { requireEvent } from './event-rules';
import { requireOccurrence } from './event-occurrences';
import { cancelOccurrence, moveOccurrence, restoreOccurrence } from './occurrence-changes';
import type { EventOccurrence } from './expand';
import { notifyOccurrenceCancelled, cancellationCalendar } from './cancellation-notices';
import { occurrencesInWindow } from './occurrences';
import { idParam, occurrenceOut, occurrenceParam, occurrencePatchBody, windowQuery } from './api-schemas';
import { originalStartFromKey, parseWindow, presentOccurrence, seatsTakenOf, tags, timingFrom } from './api-helpers';

export const occurrenceApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/events/{id}/occurrences',
    summary: 'Occurrences in a window (cancelled ones marked), with seats',
    tags,
    roles: 'any',
    query: windowQuery,
    response: z.object({ data: z.array(occurrenceOut) }),
  },
  {
    method: 'patch',
    path: '/api/v1/events/{id}/occurrences/{occurrenceId}',
    summary:
      'Cancel, move or restore one occurrence of a series that has not started (409 already_took_place once it has: what took place stays as it was; a move lands at a start still ahead)',
    tags,
    roles: 'host, their manager, HR',
    body: occurrencePatchBody,
    response: occurrenceOut,
  },
];

export function occurrenceApi() {
  const app = new Hono<AppEnv>();

  app.get('/:id/occurrences', apiValidator('param', idParam), apiValidator('query', windowQuery), (c) => {
    const { db } = c.var.deps;
    const event = requireEvent(db, c.req.valid('param').id);
    const { from, to } = parseWindow(c, c.req.valid('query'), 30);
    const data = (occurrencesInWindow(db, [event], from, to, { includeCancelled: true }).get(event.id) ?? []).map(({ seatsTaken, ...o }) =>
      presentOccurrence(event, o, seatsTaken),
    );
    return c.json({ data });
  });

  app.patch('/:id/occurrences/:occurrenceId', apiValidator('param', occurrenceParam), apiValidator('json', occurrencePatchBody), (c) => {
    const { id, occurrenceId } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const actor = actorOf(c.var.viewer);
    const originalStart = originalStartFromKey(id, occurrenceId);
    let occurrence: EventOccurrence;
    if (body.status === 'cancelled') {
      occurrence = cancelOccurrence(db, clock, actor, viewer.person, { eventId: id, originalStart }, (tx, e, o) =>
        notifyOccurrenceCancelled(tx, clock, e, o, cancellationCalendar(c, tx, e, o)),
      );
    } else if (body.start) {
      const event = requireEvent(db, id);
      const current = requireOccurrence(db, event, originalStart);
      const timing = timingFrom(
        { start: { ...body.start, timeZone: event.timeZone }, end: body.end },
        { startLocal: body.start.dateTime, timeZone: event.timeZone, durationMinutes: Math.round((current.end.getTime() - current.start.getTime()) / 60_000) },
      );
      occurrence = moveOccurrence(db, clock, actor, viewer.person, { eventId: id, originalStart }, timing.startLocal, timing.durationMinutes);
    } else {
      occurrence = restoreOccurrence(db, clock, actor, viewer.person, id, originalStart);
    }
    const event = requireEvent(db, id);
    return c.json(presentOccurrence(event, occurrence, seatsTakenOf(db, event, occurrence)));
  });

  return app;
}
