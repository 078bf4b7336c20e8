/**
 * HR's survey settings. Mounted at /surveys/settings of /api/v1 (before the rounds, whose /:id would take "settings" for an id).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { badRequest } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator, toIssues } from '../web';
import { loadSurveySettings, saveSurveySettings, surveySettingsSchema } from './settings';

const settingsSchema = z.object({ minResponseRatePercent: z.number().int(), minGroupSize: z.number().int() });
const settingsBody = z.object({ minResponseRatePercent: z.number().int(), minGroupSize: z.number().int() }).strict();

export const surveySettingsApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/surveys/settings',
    summary: 'HR survey settings: minimum response rate for a verdict, minimum group size of anonymous rounds',
    tags: ['surveys'],
    roles: 'hr',
    response: settingsSchema,
  },
  {
    method: 'put',
    path: '/api/v1/surveys/settings',
    summary: 'Change the survey settings (minimum group size at least 3)',
    tags: ['surveys'],
    roles: 'hr',
    body: settingsBody,
    response: settingsSchema,
  },
];

export function surveySettingsApi() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('hr'), (c) => c.json(loadSurveySettings(c.var.deps.db)));

  app.put('/', requireRole('hr'), apiValidator('json', settingsBody), (c) => {
    const parsed = surveySettingsSchema.safeParse(c.req.valid('json'));
    if (!parsed.success) throw badRequest('The settings are not valid.', toIssues(parsed.error));
    return c.json(saveSurveySettings(c.var.deps.db, c.var.deps.clock, actorOf(viewerOf(c)), parsed.data));
  });

  return app;
}
