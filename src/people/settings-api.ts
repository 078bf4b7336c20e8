/**
 * The company settings (HR): the default time zone. Mounted at /settings of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireRole } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { companyDefaultTimeZone, companySettingsSchema, setCompanySettings } from './settings';
import { tags } from './api-helpers';

const settingsSchema = z.object({ defaultTimeZone: z.string().nullable() });

export const settingsApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/settings',
    summary: 'Company settings: the default time zone of people created or imported without one (null until HR sets it)',
    tags,
    roles: 'hr',
    response: settingsSchema,
  },
  {
    method: 'put',
    path: '/api/v1/settings',
    summary: 'Change the company settings',
    tags,
    roles: 'hr',
    body: companySettingsSchema,
    response: settingsSchema,
  },
];

export function settingsApi() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('hr'), (c) => c.json({ defaultTimeZone: companyDefaultTimeZone(c.var.deps.db) }));
  app.put('/', requireRole('hr'), apiValidator('json', companySettingsSchema.strict()), (c) => {
    setCompanySettings(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('json'));
    return c.json({ defaultTimeZone: companyDefaultTimeZone(c.var.deps.db) });
  });

  return app;
}
