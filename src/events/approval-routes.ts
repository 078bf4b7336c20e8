/**
 * Managers' approval of claims and their approval policy. Mounted at /approvals.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { blankToUndefined } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import { formValidator, html, layoutProps, paramValidator, redirectWithMessage } from '../web';
import { formatWhen } from '../../views/events/format';
import { ApprovalsPage } from '../../views/events/invitations';
import { firstStartOf } from './event-rules';
import { claimApprovalRequired, decideClaim, pendingApprovals, setClaimApprovalPolicy } from './approvals';
import { occurrenceHref } from './present';
import { idParam } from './route-helpers';

export function approvalRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('hr', 'manager'), (c) => {
    const { db } = c.var.deps;
    const viewer = viewerOf(c).person;
    const items = pendingApprovals(db, viewer).map((r) => {
      const start = r.invitation.occurrenceStart ?? firstStartOf(r.event);
      return {
        invitationId: r.invitation.id,
        personName: r.personName,
        title: r.event.title,
        when: formatWhen(start, new Date(start.getTime() + r.event.durationMinutes * 60_000), viewer.timeZone),
        href: r.event.rrule && r.invitation.occurrenceStart ? occurrenceHref(r.event.id, r.invitation.occurrenceStart) : `/events/${r.event.id}`,
        status: r.invitation.status,
      };
    });
    return html(
      c,
      ApprovalsPage({ layout: layoutProps(c, 'Approvals'), items, requireApproval: viewer.role === 'manager' ? claimApprovalRequired(db, viewer.id) : null }),
    );
  });

  app.post(
    '/policy',
    requireRole('manager'),
    formValidator(z.object({ requireApproval: z.preprocess(blankToUndefined, z.literal('true').optional()) }), () => {
      throw new AppError(400, 'invalid', 'Bad form.');
    }),
    (c) => {
      const { db, clock } = c.var.deps;
      const required = c.req.valid('form').requireApproval === 'true';
      setClaimApprovalPolicy(db, clock, actorOf(c.var.viewer), viewerOf(c).person.id, required);
      return redirectWithMessage(c, '/approvals', required ? 'Your reports now need your approval for claimed seats.' : 'Claims no longer need your approval.');
    },
  );

  app.post(
    '/:id',
    requireRole('hr', 'manager'),
    paramValidator(idParam),
    formValidator(z.object({ decision: z.enum(['approve', 'reject']) }), () => {
      throw new AppError(400, 'invalid', 'Choose approve or reject.');
    }),
    (c) => {
      const { db, clock } = c.var.deps;
      const approve = c.req.valid('form').decision === 'approve';
      decideClaim(db, clock, actorOf(c.var.viewer), viewerOf(c).person, c.req.valid('param').id, approve);
      return redirectWithMessage(c, '/approvals', approve ? 'Claim approved.' : 'Claim rejected.');
    },
  );

  return app;
}
