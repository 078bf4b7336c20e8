import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { apiPageQuery } from '../lib/validation';
import { loadThresholds, saveThresholds, SCORECARD_PAGE_SIZE, scorecardPage } from './scorecard';
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

/** Pages like the other API lists (page, pageSize, total), smaller: every pair costs its signals over the trend quarters. */
const MAX_SCORECARD_PAGE_SIZE = 100;
const listQuery = z.object({
  page: apiPageQuery.page,
  pageSize: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_SCORECARD_PAGE_SIZE)
    .default(SCORECARD_PAGE_SIZE)
    .describe(`Pairs per page, at most ${MAX_SCORECARD_PAGE_SIZE}`),
});

export const scorecardApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/scorecard',
    summary:
      'Alignment stage of each sales team and its marketing counterpart this quarter, with the deciding signals and the trend; paged, sales teams by name',
    tags: ['scorecard'],
    roles: 'hr, manager',
    query: listQuery,
    response: z.object({
      thresholds: scorecardThresholdsSchema,
      data: z.array(pairSchema),
      page: z.number().int(),
      pageSize: z.number().int(),
      total: z.number().int().describe('Sales teams in all'),
    }),
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

  app.get('/scorecard', requireRole('hr', 'manager'), apiValidator('query', listQuery), (c) => {
    const { db, clock } = c.var.deps;
    const { page, pageSize } = c.req.valid('query');
    const thresholds = loadThresholds(db);
    const { rows, total } = scorecardPage(db, clock.now(), page, { thresholds, pageSize, clamp: false });
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
      page,
      pageSize,
      total,
    });
  });

  app.put('/scorecard/thresholds', requireRole('hr'), apiValidator('json', thresholdsBody), (c) => {
    return c.json(saveThresholds(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('json')));
  });

  return app;
}
