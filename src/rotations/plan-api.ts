/**
 * Planning rotations: propose a plan (nothing written), commit a reviewed one. Mounted at /rotations/plan of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireRole } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { commitPlan, planItemSchema, planRequestSchema, proposePlan } from './planning';
import { tags } from './api-helpers';

const commitBody = z.object({ request: planRequestSchema, items: z.array(planItemSchema).min(1).max(20_000) }).strict();

const planResponse = z.object({
  rotations: z.array(z.object({ personId: z.number(), hostTeamId: z.number(), mentorId: z.number(), start: z.string(), end: z.string() })),
  unplaced: z.array(z.object({ personId: z.number(), rule: z.string(), message: z.string() })),
  alreadyPlanned: z.array(z.object({ personId: z.number(), name: z.string(), startDate: z.string(), endDate: z.string() })),
  stats: z.record(z.string(), z.unknown()),
});

export const planApiDocs: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/v1/rotations/plan',
    summary: 'Propose a plan for a program, people and horizon; nothing is written',
    tags,
    roles: 'hr',
    body: planRequestSchema,
    response: planResponse,
  },
  {
    method: 'post',
    path: '/api/v1/rotations/plan/commit',
    summary:
      'Commit a (reviewed) plan in one transaction: every item is re-checked; if any breaks a rule nothing is written (409 with the items and their violations)',
    tags,
    roles: 'hr',
    body: commitBody,
    status: 201,
  },
];

export function planApi() {
  const app = new Hono<AppEnv>();

  app.post('/', requireRole('hr'), apiValidator('json', planRequestSchema), (c) => {
    const { setup, plan } = proposePlan(c.var.deps.db, c.req.valid('json'));
    return c.json({ rotations: plan.rotations, unplaced: plan.unplaced, alreadyPlanned: setup.alreadyPlanned, stats: plan.stats });
  });
  app.post('/commit', requireRole('hr'), apiValidator('json', commitBody), (c) => {
    const { request, items } = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const { planId, rotations } = commitPlan(db, clock, actorOf(c.var.viewer), request, items);
    return c.json(
      {
        planId,
        data: rotations.map((r) => ({
          id: r.id,
          personId: r.personId,
          hostTeamId: r.hostTeamId,
          mentorId: r.mentorId,
          startDate: r.startDate,
          endDate: r.endDate,
          status: r.status,
        })),
      },
      201,
    );
  });

  return app;
}
