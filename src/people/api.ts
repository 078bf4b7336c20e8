/**
 * The people API (/api/v1): one sub-app per resource; what they share lives in api-helpers.ts.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedIn } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { personApi, personApiDocs } from './person-api';
import { importApi, importApiDocs } from './import-api';
import { welcomeApi, welcomeApiDocs } from './welcome-api';
import { settingsApi, settingsApiDocs } from './settings-api';

export { personSchema } from './person-api';

/** The documented operations in the order the API document lists them. */
export const peopleApiDocs: ApiOperation[] = [...personApiDocs, ...importApiDocs, ...welcomeApiDocs, ...settingsApiDocs];

export function peopleApi() {
  const app = new Hono<AppEnv>();
  // Every path under /api/v1 from here on: an unknown path asks for sign-in first.
  app.use('*', requireSignedIn);

  // The import and the welcome emails before the people: /people/:id would take "import" or "welcome" for an id.
  app.route('/people/import', importApi());
  app.route('/people', welcomeApi());
  app.route('/people', personApi());
  app.route('/settings', settingsApi());
  return app;
}
