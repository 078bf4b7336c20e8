/**
 * The survey pages: one sub-app per resource, each needing a signed-in person.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedIn } from '../guards';
import { surveySettingsRoutes } from './settings-routes';
import { roundRoutes } from './round-routes';
import { answerRoutes } from './answer-routes';
import { reviewRoutes } from './review-routes';
import { advantageRoutes } from './advantage-routes';

export function surveysRoutes() {
  const app = new Hono<AppEnv>();
  for (const path of ['/surveys', '/surveys/*', '/advantages', '/advantages/*']) app.use(path, requireSignedIn);

  // Settings before the rounds: /surveys/:id would take "settings" for an id.
  app.route('/surveys/settings', surveySettingsRoutes());
  app.route('/surveys', roundRoutes());
  app.route('/surveys', answerRoutes());
  app.route('/surveys', reviewRoutes());
  app.route('/advantages', advantageRoutes());
  return app;
}
