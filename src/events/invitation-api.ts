/**
 * Invitations: an event's (listed and sent by those who manage it, mounted at /events) and your own (listed and
 * answered, mounted at /invitations) of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { people } from '../../db/schema';
import type { AppEnv, Person } from '../context';
import { forbidden } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator, requireFound } from '../web';
import { eq } from 'drizzle-orm';
import { canManageEvent, requireEvent } from './event-rules';
import { answerInvitation } from './answers';
import { invitePeople } from './invitations';
import { invitationRowsOf, pendingInvitations } from './schedule';
import { conflictsForPlace } from './conflicts';
import { answerBody, answerOut, conflictOut, idParam, invitationOut, inviteBody } from './api-schemas';
import { answerResponse, invitationPresenter, originalStartFromKey, tags } from './api-helpers';

export const eventInvitationApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/events/{id}/invitations',
    summary: 'Invitations of the event (whole-event and per occurrence)',
    tags,
    roles: 'host, their manager, HR',
    response: z.object({ data: z.array(invitationOut) }),
  },
  {
    method: 'post',
    path: '/api/v1/events/{id}/invitations',
    summary: 'Invite people to one occurrence (occurrenceId) or the whole event; warnings name conflicts',
    tags,
    roles: 'host, their manager, HR',
    body: inviteBody,
    response: z.object({
      invited: z.array(invitationOut),
      unchanged: z.array(invitationOut),
      warnings: z.array(z.object({ personId: z.number().int(), conflicts: z.array(conflictOut) })),
    }),
    status: 201,
  },
];

export const invitationApiDocs: ApiOperation[] = [
  { method: 'get', path: '/api/v1/invitations', summary: 'Your pending invitations', tags, roles: 'any', response: z.object({ data: z.array(invitationOut) }) },
  {
    method: 'patch',
    path: '/api/v1/invitations/{id}',
    summary: 'Answer an invitation; accepting a full occurrence answers 409 code full with waitlistPosition',
    tags,
    roles: 'the invited person (HR may answer for them)',
    body: answerBody,
    response: answerOut,
  },
];

export function eventInvitationApi() {
  const app = new Hono<AppEnv>();

  app.get('/:id/invitations', apiValidator('param', idParam), (c) => {
    const { db } = c.var.deps;
    const event = requireEvent(db, c.req.valid('param').id);
    if (!canManageEvent(db, viewerOf(c).person, event)) throw forbidden('Only the host, their manager or HR can list the invitations.');
    return c.json({ data: invitationRowsOf(db, event.id).map(invitationPresenter(c)) });
  });

  app.post(
    '/:id/invitations',
    apiValidator('param', idParam),
    requireFound((c, id) => requireEvent(c.var.deps.db, id)),
    apiValidator('json', inviteBody),
    (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { db, clock } = c.var.deps;
      const start = body.occurrenceId ? originalStartFromKey(id, body.occurrenceId) : null;
      const result = invitePeople(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, body.personIds, start);
      const event = requireEvent(db, id);
      const now = clock.now();
      const warnings = result.invited
        .map((row) => {
          const person = db.select().from(people).where(eq(people.id, row.personId)).get()!;
          return { personId: row.personId, conflicts: conflictsForPlace(db, now, person, event, row.occurrenceStart) };
        })
        .filter((w) => w.conflicts.length > 0);
      const present = invitationPresenter(c);
      return c.json({ invited: result.invited.map(present), unchanged: result.unchanged.map(present), warnings }, 201);
    },
  );

  return app;
}

export function invitationApi() {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => {
    const { db, clock } = c.var.deps;
    const rows = pendingInvitations(db, clock.now(), viewerOf(c).person.id);
    const present = invitationPresenter(c);
    return c.json({ data: rows.map((r) => present(r.invitation)) });
  });

  app.patch('/:id', apiValidator('param', idParam), apiValidator('json', answerBody), (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const result = answerInvitation(db, clock, actorOf(c.var.viewer), viewer.person, id, body.status, body.reason, { confirmConflicts: body.confirmConflicts });
    const invitee = db.select().from(people).where(eq(people.id, result.invitation.personId)).get() as Person;
    const warnings =
      result.outcome === 'accepted' || result.outcome === 'pending_approval'
        ? conflictsForPlace(db, clock.now(), invitee, requireEvent(db, result.invitation.eventId), result.invitation.occurrenceStart, {
            you: invitee.id === viewer.person.id,
          })
        : [];
    return answerResponse(c, result, warnings, 200);
  });

  return app;
}
