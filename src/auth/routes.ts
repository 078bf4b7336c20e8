/**
 * The auth pages: one sub-app per resource. Signing in and out is open to everyone; the account needs a signed-in
 * person (its guard also covers the calendar's /account/calendar pages).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedInOn } from '../guards';
import { accountRoutes } from './account-routes';
import { sessionRoutes } from './session-routes';

export function authRoutes(options: { loginAttemptsPerIp?: number } = {}) {
  const app = new Hono<AppEnv>();
  app.route('/', sessionRoutes(options.loginAttemptsPerIp ?? 30));

  requireSignedInOn(app, '/account', '/account/*');
  app.route('/account', accountRoutes());
  return app;
}
