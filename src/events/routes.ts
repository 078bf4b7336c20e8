/**
 * The event pages: one sub-app per resource, each needing a signed-in person.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedIn } from '../guards';
import { eventRoutes } from './event-routes';
import { occurrenceRoutes } from './occurrence-routes';
import { actionItemRoutes, agendaItemRoutes } from './agenda-routes';
import { invitationRoutes } from './invitation-routes';
import { openSeatRoutes } from './open-seat-routes';
import { approvalRoutes } from './approval-routes';

export function eventsRoutes() {
  const app = new Hono<AppEnv>();

  for (const path of [
    '/events',
    '/events/*',
    '/invitations',
    '/invitations/*',
    '/open-seats',
    '/open-seats/*',
    '/approvals',
    '/approvals/*',
    '/agenda-items/*',
    '/action-items/*',
  ]) {
    app.use(path, requireSignedIn);
  }

  app.route('/events', eventRoutes());
  app.route('/events', occurrenceRoutes());
  app.route('/open-seats', openSeatRoutes());
  app.route('/agenda-items', agendaItemRoutes());
  app.route('/action-items', actionItemRoutes());
  app.route('/invitations', invitationRoutes());
  app.route('/approvals', approvalRoutes());
  return app;
}
