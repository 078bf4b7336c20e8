/**
 * The surveys API (/api/v1): one sub-app per resource, each needing a signed-in person; the schemas live in
 * api-schemas.ts, the presenters the sub-apps share in api-helpers.ts.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedInOn } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { advantageApi, advantageApiDocs } from './advantage-api';
import { surveySettingsApi, surveySettingsApiDocs } from './settings-api';
import { roundApi, roundApiDocs } from './round-api';
import { responseApi, responseApiDocs } from './response-api';
import { resultApi, resultApiDocs } from './result-api';

/** The documented operations in the order the app mounts them. */
export const surveysApiDocs: ApiOperation[] = [...advantageApiDocs, ...surveySettingsApiDocs, ...roundApiDocs, ...responseApiDocs, ...resultApiDocs];

export function surveysApi() {
  const app = new Hono<AppEnv>();
  requireSignedInOn(app, '/advantages', '/surveys', '/surveys/*');

  app.route('/advantages', advantageApi());
  // Settings before the rounds: /surveys/:id would take "settings" for an id.
  app.route('/surveys/settings', surveySettingsApi());
  app.route('/surveys', roundApi());
  app.route('/surveys', responseApi());
  app.route('/surveys', resultApi());
  return app;
}
