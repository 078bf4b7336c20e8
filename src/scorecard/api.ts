import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { buildScorecard, loadThresholds, saveThresholds } from './scorecard';
import { ALIGNMENT_STAGES, scorecardThresholdsSchema } from './stage';

const stageSchema = z.enum(ALIGNMENT_STAGES);
const checkSchema = z.object({
  stage: stageSchema,
  signal: z.string(),
  value: z.union([z.number(), z.boolean(), z.null()]),
  threshold: z.union([z.number(), z.boolean()]),
  met: z.boolean(),
  requirement: z.string(),
});
const pairSchema = z.object({
  salesTeamId: z.number().int(),
  salesTeamName: z.string(),
  marketingTeamId: z.number().int().nullable(),
  marketingTeamName: z.string(),
  liaisonId: z.number().int().nullable(),
  quarter: z.string(),
  stage: stageSchema,
  nextStage: stageSchema.nullable(),
  toReachNext: z.array(z.string()),
  decidedBy: z.array(checkSchema),
  signals: z.record(z.string(), z.union([z.number(), z.boolean(), z.null()])),
  trend: z.array(z.object({ quarter: z.string(), stage: stageSchema })),
});
const thresholdsBody = scorecardThresholdsSchema;

export const scorecardApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/scorecard',
    summary: 'Alignment stage of every sales team and its marketing counterpart this quarter, with the deciding signals and the trend',
    tags: ['scorecard'],
    roles: 'hr, manager',
    response: z.object({ thresholds: scorecardThresholdsSchema, data: z.array(pairSchema) }),
  },
  {
    method: 'put',
    path: '/api/v1/scorecard/thresholds',
    summary: 'Change the thresholds (fields left out keep their defaults)',
    tags: ['scorecard'],
    roles: 'hr',
    body: thresholdsBody,
    response: scorecardThresholdsSchema,
  },
];

export function scorecardApi() {
  const app = new Hono<AppEnv>();
  app.use('/scorecard', requireSignedIn);
  app.use('/scorecard/*', requireSignedIn);

  app.get('/scorecard', requireRole('hr', 'manager'), (c) => {
    const { db, clock } = c.var.deps;
    const thresholds = loadThresholds(db);
    const rows = buildScorecard(db, clock.now(), thresholds);
    return c.json({
      thresholds,
      data: rows.map((row) => ({
        salesTeamId: row.salesTeamId,
        salesTeamName: row.salesTeamName,
        marketingTeamId: row.marketingTeamId,
        marketingTeamName: row.marketingTeamName,
        liaisonId: row.liaisonId,
        quarter: row.quarter.label,
        stage: row.decision.stage,
        nextStage: row.decision.nextStage,
        toReachNext: row.decision.toReachNext,
        decidedBy: row.decision.decidedBy,
        signals: row.signals,
        trend: row.trend,
      })),
    });
  });

  app.put('/scorecard/thresholds', requireRole('hr'), apiValidator('json', thresholdsBody), (c) => {
    return c.json(saveThresholds(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('json')));
  });

  return app;
}
