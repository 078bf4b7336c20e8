/**
 * Upcoming occurrences of the other department with free seats. Mounted at /open-seats of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { findOpenSeats } from './open-seats';
import { eventOut, occurrenceOut, openSeatsQuery } from './api-schemas';
import { parseWindow, presentEvent, presentOccurrence, tags } from './api-helpers';

export const openSeatApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/open-seats',
    summary: 'Upcoming occurrences of the other department with free seats',
    tags,
    roles: 'any',
    query: openSeatsQuery,
    response: z.object({
      data: z.array(occurrenceOut.extend({ event: eventOut })),
      nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last. Pages are in order of start, then event'),
    }),
  },
];

export function openSeatApi() {
  const app = new Hono<AppEnv>();

  app.get('/', apiValidator('query', openSeatsQuery), (c) => {
    const { db, clock } = c.var.deps;
    const q = c.req.valid('query');
    const { from, to } = parseWindow(c, q, 30);
    const [start, eventId] = q.cursor ? q.cursor.split('.').map(Number) : [];
    const after = q.cursor ? { start: start!, eventId: eventId! } : undefined;
    const since = new Date(Math.max(from.getTime(), after?.start ?? 0));
    const filters = { from: since, to, teamId: q.team, kind: q.kind, account: q.account, after };
    const found = findOpenSeats(db, clock.now(), viewerOf(c).person, filters, q.pageSize + 1);
    const page = found.slice(0, q.pageSize);
    const last = page.at(-1);
    return c.json({
      data: page.map((s) => ({ ...presentOccurrence(s.event, s.occurrence, s.seatsTaken), event: presentEvent(s.event, s.event.hostName) })),
      nextCursor: found.length > page.length && last ? `${last.occurrence.start.getTime()}.${last.event.id}` : null,
    });
  });

  return app;
}
