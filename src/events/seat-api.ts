/**
 * Seats: claiming one or a series' and leaving (mounted at /events), and undoing recent claims (mounted at /seats) of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { UNDO_WINDOW_MS } from './invitations';
import { claimSeat, claimSeries, leaveSeat, undoClaims } from './claims';
import { answerOut, claimBody, idParam, invitationOut, leaveBody, seriesClaimBody, seriesClaimOut, undoBody } from './api-schemas';
import { answerResponse, invitationPresenter, originalStartFromKey, tags } from './api-helpers';

export const eventSeatApiDocs: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/v1/events/{id}/seats',
    summary:
      'Claim an open seat for yourself; 409 code conflict (with conflicts) unless confirmConflicts when it conflicts; 409 code full (with waitlistPosition) when the occurrence is full',
    tags,
    roles: "any guest of the event's guest department",
    body: claimBody,
    response: answerOut,
    status: 201,
  },
  {
    method: 'post',
    path: '/api/v1/events/{id}/series-seats',
    summary:
      'Claim a seat on every future occurrence of a series (up to 26 weeks) in one step; each occurrence answers claimed, waitlisted, or skipped (conflict, full)',
    tags,
    roles: "any guest of the event's guest department",
    body: seriesClaimBody,
    response: seriesClaimOut,
    status: 201,
  },
  {
    method: 'post',
    path: '/api/v1/events/{id}/leave',
    summary: 'Leave your seat on one occurrence, a one-off event, or every future occurrence of a series; the waitlist moves up',
    tags,
    roles: 'the person holding the place',
    body: leaveBody,
    response: z.object({ left: z.array(invitationOut), promoted: z.array(invitationOut) }),
  },
];

export const seatApiDocs: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/v1/seats/undo',
    summary: 'Undo claims you made in the last 10 minutes (while nothing changed them since)',
    tags,
    roles: 'the person who claimed',
    body: undoBody,
    response: z.object({ undone: z.number().int(), promoted: z.array(invitationOut) }),
  },
];

export function eventSeatApi() {
  const app = new Hono<AppEnv>();

  app.post('/:id/seats', apiValidator('param', idParam), apiValidator('json', claimBody), (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const person = viewerOf(c).person;
    const start = body.occurrenceId ? originalStartFromKey(id, body.occurrenceId) : null;
    const result = claimSeat(db, clock, actorOf(c.var.viewer), person, id, start, { confirmConflicts: body.confirmConflicts, you: true });
    return answerResponse(c, result, result.outcome === 'waitlisted' ? [] : result.conflicts, 201);
  });

  app.post('/:id/series-seats', apiValidator('param', idParam), apiValidator('json', seriesClaimBody), (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const result = claimSeries(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, { ...body, you: true });
    const taken = result.lines.filter((l) => l.invitationId !== null && l.outcome !== 'already').map((l) => l.invitationId!);
    return c.json(
      {
        eventId: id,
        horizonEnd: result.horizonEnd.toISOString(),
        more: result.more,
        occurrences: result.lines.map((l) => ({
          occurrenceId: l.occurrence.key,
          start: l.occurrence.start.toISOString(),
          outcome: l.outcome,
          waitlistPosition: l.waitlistPosition,
          conflicts: l.conflicts,
          invitationId: l.invitationId,
        })),
        undo: taken.length ? { invitationIds: taken, until: new Date(clock.now().getTime() + UNDO_WINDOW_MS).toISOString() } : null,
      },
      201,
    );
  });

  app.post('/:id/leave', apiValidator('param', idParam), apiValidator('json', leaveBody), (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const start = body.occurrenceId ? originalStartFromKey(id, body.occurrenceId) : null;
    const result = leaveSeat(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, start);
    const present = invitationPresenter(c);
    return c.json({ left: result.left.map(present), promoted: result.promoted.map(present) });
  });

  return app;
}

export function seatApi() {
  const app = new Hono<AppEnv>();

  app.post('/undo', apiValidator('json', undoBody), (c) => {
    const { db, clock } = c.var.deps;
    const result = undoClaims(db, clock, actorOf(c.var.viewer), viewerOf(c).person, c.req.valid('json').invitationIds);
    const present = invitationPresenter(c);
    return c.json({ undone: result.undone, promoted: result.promoted.map(present) });
  });

  return app;
}
