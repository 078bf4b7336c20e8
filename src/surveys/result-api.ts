/**
 * A round's results: match rate and verdict overall, by department and team. Mounted at /surveys of /api/v1.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireRole } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { getAdvantageVersion } from './advantages';
import { computeRoundResults } from './results';
import { anonymityRule } from './presentation';
import { idParam, resultsSchema, tags } from './api-schemas';
import { publicCell } from './api-helpers';

export const resultApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/surveys/{id}/results',
    summary: 'Match rate and verdict overall, by department and team; recall per advantage; what people say instead',
    tags,
    roles: 'hr, manager',
    response: resultsSchema,
  },
];

export function resultApi() {
  const app = new Hono<AppEnv>();

  app.get('/:id/results', requireRole('hr', 'manager'), apiValidator('param', idParam), (c) => {
    const { db, clock } = c.var.deps;
    const results = computeRoundResults(db, c.req.valid('param').id, clock.now());
    const version = getAdvantageVersion(db, results.round.advantageVersionId);
    return c.json({
      round: {
        id: results.round.id,
        title: results.round.title,
        population: results.round.population,
        anonymous: results.round.anonymous,
        minGroupSize: results.minGroupSize,
        status: results.round.status,
        closesOn: results.round.closesOn,
        advantageVersion: version.number,
      },
      threshold: results.threshold,
      minResponseRatePercent: results.minResponseRatePercent,
      anonymity: anonymityRule(results),
      overall: publicCell(results.overall),
      byDepartment: results.byDepartment.map((cell) => ({ ...publicCell(cell), department: cell.department })),
      byTeam: results.byTeam.map((cell) => ({ ...publicCell(cell), teamId: cell.teamId, teamName: cell.teamName, department: cell.department })),
      recall: results.recall,
      sayInstead: results.sayInstead,
      detailHidden: results.detailHidden,
      toReview: results.toReview,
    });
  });

  return app;
}
