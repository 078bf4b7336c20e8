/**
 * Survey rounds: listing with their rates and verdicts, opening one, reading one. Mounted at /surveys of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { badRequest, notFound } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator, toIssues } from '../web';
import { roundOverviews } from './results';
import { openRound, roundInputSchema } from './surveys';
import { idParam, roundBody, roundSchema, tags } from './api-schemas';
import { publicRound, versionNumbers } from './api-helpers';

export const roundApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/surveys',
    summary: 'Survey rounds with response and match rates and the verdict their evidence supports',
    tags,
    roles: 'hr, manager',
    response: z.object({ data: z.array(roundSchema) }),
  },
  {
    method: 'post',
    path: '/api/v1/surveys',
    summary: 'Open a survey round for a population',
    tags,
    roles: 'hr',
    body: roundBody,
    response: roundSchema,
    status: 201,
  },
  { method: 'get', path: '/api/v1/surveys/{id}', summary: 'One survey round', tags, roles: 'hr, manager', response: roundSchema },
];

export function roundApi() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('hr', 'manager'), (c) => {
    const { db, clock } = c.var.deps;
    const numbers = versionNumbers(db);
    return c.json({ data: roundOverviews(db, clock.now()).map((round) => publicRound(round, numbers.get(round.advantageVersionId) ?? 0)) });
  });

  app.post('/', requireRole('hr'), apiValidator('json', roundBody), (c) => {
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const parsed = roundInputSchema.safeParse({ ...c.req.valid('json'), teamIds: c.req.valid('json').teamIds ?? [] });
    if (!parsed.success) throw badRequest('The request body is not valid.', toIssues(parsed.error));
    const round = openRound(db, clock, actorOf(viewer), viewer.person, parsed.data);
    const summary = roundOverviews(db, clock.now()).find((candidate) => candidate.id === round.id)!;
    return c.json(publicRound(summary, versionNumbers(db).get(round.advantageVersionId) ?? 0), 201);
  });

  app.get('/:id', requireRole('hr', 'manager'), apiValidator('param', idParam), (c) => {
    const { db, clock } = c.var.deps;
    const { id } = c.req.valid('param');
    const summary = roundOverviews(db, clock.now()).find((candidate) => candidate.id === id);
    if (!summary) throw notFound('No such survey round.');
    return c.json(publicRound(summary, versionNumbers(db).get(summary.advantageVersionId) ?? 0));
  });

  return app;
}
