/**
 * Completion: the report over people, teams, departments and requirements (JSON or CSV), and a manager's sign-off.
 * Mounted at /reports/completion and /sign-offs of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { departments } from '../../db/schema';
import type { AppEnv } from '../context';
import { apiPageQuery, blankToUndefined, idSchema } from '../lib/validation';
import { requireRole, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { reportScope } from './route-helpers';
import { apiValidator } from '../web';
import { COMPLETION_STATES } from './completion';
import { signOff } from './sign-offs';
import { completionCsv } from './completion-csv';
import { completionReportPage } from './reports';
import { tags } from './api-schemas';

const countsSchema = z.object({
  total: z.number().int(),
  done: z.number().int(),
  due: z.number().int(),
  due_soon: z.number().int(),
  overdue: z.number().int(),
  late: z.number().int(),
  percentDone: z.number().int().nullable(),
});

const reportQuery = z.object({
  program: z.preprocess(blankToUndefined, idSchema.optional()),
  team: z.preprocess(blankToUndefined, idSchema.optional()),
  department: z.preprocess(blankToUndefined, z.enum(departments).optional()),
  state: z
    .preprocess(blankToUndefined, z.enum(COMPLETION_STATES).optional())
    .describe('Only people with at least one requirement in this state (at most 500 of them: more answers 400 too_broad)'),
  format: z.enum(['json', 'csv']).default('json'),
  page: apiPageQuery.page.describe('Page of byTeam, from 1 (JSON; the CSV has every line)'),
  pageSize: apiPageQuery.pageSize.describe('Teams in byTeam per page, at most 500'),
});
const reportSchema = z.object({
  asOf: z.string(),
  totals: countsSchema.extend({ people: z.number().int() }),
  byTeam: z.array(
    countsSchema.extend({ teamId: z.number().int().nullable(), teamName: z.string(), department: z.string().nullable(), people: z.number().int() }),
  ),
  byTeamPage: z
    .object({ page: z.number().int(), pageSize: z.number().int(), total: z.number().int() })
    .describe('Which teams byTeam holds: the page, its size and how many teams the report has'),
  byDepartment: z.array(countsSchema.extend({ department: z.string() })),
  byRequirement: z.array(
    countsSchema.extend({ requirementId: z.number().int(), programId: z.number().int(), programName: z.string(), title: z.string(), kind: z.string() }),
  ),
});

const signOffBody = z.object({ personId: idSchema, requirementId: idSchema, note: z.string().trim().max(500).default('') }).strict();

export const completionApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/reports/completion',
    summary: 'Completion report: totals, per department and requirement, and per team a page at a time (JSON), or one line per person and requirement (CSV)',
    tags,
    roles: 'hr, manager (their reports)',
    query: reportQuery,
    response: reportSchema,
  },
  {
    method: 'post',
    path: '/api/v1/sign-offs',
    summary: 'A manager signs off a requirement for a person',
    tags,
    roles: 'hr, manager (their reports)',
    body: signOffBody,
    status: 201,
  },
];

export function completionReportApi() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('hr', 'manager'), apiValidator('query', reportQuery), (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const filter = { programId: q.program, teamId: q.team, department: q.department, state: q.state, ...reportScope(c) };
    if (q.format === 'csv') {
      const name = `completion-${clock.now().toISOString().slice(0, 10)}.csv`;
      return c.body(completionCsv(db, clock.now(), filter), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
      });
    }
    return c.json(completionReportPage(db, clock.now(), filter, q.page, q.pageSize));
  });

  return app;
}

export function signOffApi() {
  const app = new Hono<AppEnv>();

  app.post('/', requireRole('hr', 'manager'), apiValidator('json', signOffBody), (c) => {
    const body = c.req.valid('json');
    const row = signOff(c.var.deps.db, c.var.deps.clock, viewerOf(c), body.personId, body.requirementId, body.note);
    return c.json({ id: row.id, personId: row.personId, requirementId: row.requirementId, at: row.at.toISOString(), note: row.note }, 201);
  });

  return app;
}
