/**
 * A person's invitations and their answers. Mounted at /invitations.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import { formValidator, html, isHtmx, layoutProps, navBadgesOob, paramValidator, writeKeepingMessage, readPage } from '../web';
import type { Db } from '../db';
import { InvitationCard, type ConflictView } from '../../views/events/components';
import { InvitationsPage } from '../../views/events/invitations';
import { requireEvent } from './event-rules';
import { answerInvitation } from './answers';
import { requireInvitation } from './invitations';
import { pendingInvitations } from './schedule';
import { conflictsForPlaces } from './conflicts';
import { invitationItem, invitationItems } from './present';
import { answerForm, conflictsOf, hostName, idParam, outcomeMessage, safeNext } from './route-helpers';
import { confirmJoin } from './occurrence-page';

export function invitationRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => {
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c).person;
    const now = clock.now();
    const { items, conflicts, badges } = readPage(c, () => {
      const rows = pendingInvitations(db, now, viewer.id);
      const conflicts = conflictsForPlaces(
        db,
        now,
        viewer,
        rows.map((r) => ({ event: r.event, originalStart: r.invitation.occurrenceStart })),
        { you: true },
      );
      return { items: invitationItems(db, now, viewer.timeZone, rows), conflicts };
    });
    return html(c, InvitationsPage({ layout: layoutProps(c, 'Invitations', undefined, badges), items, conflicts }));
  });

  app.post(
    '/:id/answer',
    paramValidator(idParam),
    formValidator(answerForm, () => {
      throw new AppError(400, 'invalid', 'Choose accept, maybe or decline.');
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const form = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const viewer = viewerOf(c).person;
      const next = safeNext(form.next, '/invitations');
      const card = (extra: { conflicts: ConflictView[]; message?: string; confirm?: boolean }) => {
        const row = requireInvitation(db, id);
        const event = requireEvent(db, row.eventId);
        const item = invitationItem(db, clock.now(), viewer.timeZone, row, event, hostName(db, event.hostId));
        return InvitationCard({ item, csrfToken: viewerOf(c).csrfToken ?? null, next, ...extra });
      };
      const answer = (tx: Db) =>
        answerInvitation(tx, clock, actorOf(c.var.viewer), viewer, id, form.status, form.reason, {
          confirmConflicts: form.confirmConflicts,
          // Without htmx the answer redirects with its message: conflicts already confirmed are not shown, so not read.
          conflictsShown: isHtmx(c),
        });
      let result;
      try {
        result = isHtmx(c) ? answer(db) : writeKeepingMessage(c, answer, outcomeMessage);
      } catch (err) {
        const conflicts = conflictsOf(err);
        if (!conflicts) throw err;
        const row = requireInvitation(db, id);
        const event = requireEvent(db, row.eventId);
        return confirmJoin(c, {
          htmx: () => card({ conflicts, confirm: true }),
          heading: `Accept ${event.title}?`,
          what: `Accepting "${event.title}" conflicts with your calendar.`,
          conflicts,
          action: `/invitations/${id}/answer`,
          fields: { status: 'accepted', next },
          confirmLabel: 'Accept anyway',
          cancelHref: next,
        });
      }
      if (!isHtmx(c)) return c.redirect(next, 303);
      return html(c, [card({ conflicts: result.conflicts, message: outcomeMessage(result) }), navBadgesOob(c)]);
    },
  );

  return app;
}
