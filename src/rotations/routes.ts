/**
 * The rotation pages: one sub-app per resource. Everything needs a signed-in person; `/rotations/:id`
 * comes last so the named paths win.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedIn } from '../guards';
import { programRoutes } from './program-routes';
import { plannerRoutes } from './planner-routes';
import { blackoutRoutes, periodRoutes } from './blackout-routes';
import { rotationRoutes } from './rotation-routes';

export function rotationsRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/rotations', requireSignedIn);
  app.use('/rotations/*', requireSignedIn);
  app.route('/rotations/programs', programRoutes());
  app.route('/rotations/planner', plannerRoutes());
  app.route('/rotations/blackouts', blackoutRoutes());
  app.route('/rotations/periods', periodRoutes());
  app.route('/rotations', rotationRoutes());
  return app;
}
