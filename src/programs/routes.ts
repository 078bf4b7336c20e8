/**
 * The program pages: one sub-app per resource, each needing a signed-in person.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedIn } from '../guards';
import { dashboardRoutes } from './dashboard-routes';
import { sessionRoutes } from './session-routes';
import { attendanceRoutes } from './attendance-routes';
import { progressRoutes } from './progress-routes';
import { programRoutes } from './program-routes';
import { learningRoutes } from './learning-routes';

export function programsRoutes() {
  const app = new Hono<AppEnv>();

  for (const path of ['/programs', '/programs/*', '/learning', '/learning/*']) app.use(path, requireSignedIn);

  app.route('/programs', dashboardRoutes());
  app.route('/programs', sessionRoutes());
  app.route('/programs/attendance', attendanceRoutes());
  app.route('/programs', progressRoutes());
  app.route('/programs', programRoutes());
  app.route('/learning', learningRoutes());
  return app;
}
