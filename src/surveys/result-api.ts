/**
 * A round's results: match rate and verdict overall, by department and team. Mounted at /surveys of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { requireRole } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiPageQuery } from '../lib/validation';
import { apiValidator } from '../web';
import { getAdvantageVersion } from './advantages';
import { anonymityRule, roundResultsPage } from './presentation';
import { idParam, resultsSchema, tags } from './api-schemas';
import { publicCell } from './api-helpers';

const resultsQuery = z.object({
  page: apiPageQuery.page.describe('Page of byTeam, from 1 (a page past the end answers the last one)'),
  pageSize: apiPageQuery.pageSize.describe('Teams in byTeam per page, at most 500'),
});

export const resultApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/surveys/{id}/results',
    summary: 'Match rate and verdict overall, by department and per team a page at a time; recall per advantage; what people say instead',
    tags,
    roles: 'hr, manager',
    query: resultsQuery,
    response: resultsSchema,
  },
];

export function resultApi() {
  const app = new Hono<AppEnv>();

  app.get('/:id/results', requireRole('hr', 'manager'), apiValidator('param', idParam), apiValidator('query', resultsQuery), (c) => {
    const { db, clock } = c.var.deps;
    const q = c.req.valid('query');
    // A page of teams, as the results page shows them: a company of a thousand teams answered every one in 457 KB.
    const { results, teams } = roundResultsPage(db, c.req.valid('param').id, clock.now(), q.page, q.pageSize);
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
      byTeam: teams.rows.map((cell) => ({ ...publicCell(cell), teamId: cell.teamId, teamName: cell.teamName, department: cell.department })),
      byTeamPage: { page: teams.page, pageSize: teams.pageSize, total: teams.total },
      recall: results.recall,
      sayInstead: results.sayInstead,
      detailHidden: results.detailHidden,
      toReview: results.toReview,
    });
  });

  return app;
}
