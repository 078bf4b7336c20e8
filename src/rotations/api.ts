/**
 * The rotations API (/api/v1): one sub-app per resource, each needing a signed-in person; what they share lives
 * in api-helpers.ts.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedIn } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { rotationProgramApi, rotationProgramApiDocs } from './rotation-program-api';
import { rotationApi, rotationApiDocs } from './rotation-api';
import { planApi, planApiDocs } from './plan-api';

export const rotationsApiDocs: ApiOperation[] = [...rotationProgramApiDocs, ...rotationApiDocs, ...planApiDocs];

export function rotationsApi() {
  const app = new Hono<AppEnv>();
  app.use('/rotation-programs', requireSignedIn);
  app.use('/rotation-programs/*', requireSignedIn);
  app.use('/rotations', requireSignedIn);
  app.use('/rotations/*', requireSignedIn);

  app.route('/rotation-programs', rotationProgramApi());
  // The plan before the rotations: /rotations/:id would take "plan" for an id.
  app.route('/rotations/plan', planApi());
  app.route('/rotations', rotationApi());
  return app;
}
