/**
 * The feedback API (/api/v1): one sub-app per resource, each needing a signed-in person.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedIn } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { feedbackItemApi, feedbackItemApiDocs } from './feedback-api';
import { insightApi, insightApiDocs } from './insight-api';

export const feedbackApiDocs: ApiOperation[] = [...feedbackItemApiDocs, ...insightApiDocs];

export function feedbackApi() {
  const app = new Hono<AppEnv>();
  app.use('/feedback', requireSignedIn);
  app.use('/feedback/*', requireSignedIn);
  app.use('/insights', requireSignedIn);

  app.route('/feedback', feedbackItemApi());
  app.route('/insights', insightApi());
  return app;
}
