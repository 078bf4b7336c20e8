/**
 * The people pages: one sub-app per resource. People need a signed-in person; teams and the company settings HR.
 * The import comes before the people, whose /:id would take "import" for an id.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireRole, requireSignedIn } from '../guards';
import { importRoutes } from './import-routes';
import { personRoutes } from './person-routes';
import { settingsRoutes } from './settings-routes';
import { teamRoutes } from './team-routes';

export function peopleRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/people', requireSignedIn);
  app.use('/people/*', requireSignedIn);
  app.use('/teams', requireSignedIn, requireRole('hr'));
  app.use('/teams/*', requireSignedIn, requireRole('hr'));

  app.route('/people/import', importRoutes());
  app.route('/people', personRoutes());
  app.route('/settings', settingsRoutes());
  app.route('/teams', teamRoutes());
  return app;
}
