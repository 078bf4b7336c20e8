/**
 * The feedback pages: one sub-app per resource. Everything needs a signed-in person; the kept names come before
 * /feedback/:id and the insights page.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedInOn } from '../guards';
import { feedbackPageRoutes } from './feedback-routes';
import { keptNameRoutes, nameFieldRoutes } from './name-routes';
import { insightRoutes } from './insight-routes';

export function feedbackRoutes() {
  const app = new Hono<AppEnv>();
  requireSignedInOn(app, '/feedback', '/feedback/*', '/insights', '/insights/*');

  app.route('/feedback/names', nameFieldRoutes());
  app.route('/feedback', feedbackPageRoutes());
  app.route('/insights/names', keptNameRoutes());
  app.route('/insights', insightRoutes());
  return app;
}
