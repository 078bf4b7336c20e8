/**
 * Field insights for marketing, managers and HR. Mounted at /insights of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { feedbackRoles, lossReasons } from '../../db/schema';
import type { AppEnv } from '../context';
import { viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { forbidden } from '../lib/errors';
import { addDaysToLocalDate, formatLocalDate, startOfLocalDate, toIsoWithOffset } from '../lib/time';
import { dateSchema } from '../lib/validation';
import { apiValidator } from '../web';
import { canSeeInsights, fieldInsights, INSIGHTS_DEFAULT_DAYS, SUGGESTIONS_PAGE_SIZE } from './insights';

const insightsSchema = z.object({
  from: z.string(),
  to: z.string(),
  teamId: z.number().int().nullable(),
  reports: z.number().int(),
  rideAlongs: z.number().int(),
  outcomes: z.object({ won: z.number().int(), lost: z.number().int(), open: z.number().int() }),
  competitors: z.array(z.object({ name: z.string(), reports: z.number().int(), rideAlongs: z.number().int() })),
  lossReasons: z.array(z.object({ reason: z.enum(lossReasons), label: z.string(), count: z.number().int() })),
  materials: z.array(z.object({ name: z.string(), reports: z.number().int(), averageRating: z.number() })),
  ratingsOverTime: z.object({
    bucket: z.enum(['week', 'month']).describe('Weeks (keyed by their Monday) for periods up to 120 days, months beyond'),
    periods: z.array(z.string()),
    lines: z.array(z.object({ name: z.string(), points: z.array(z.object({ period: z.string(), averageRating: z.number(), count: z.number().int() })) })),
  }),
  suggestionCount: z.number().int().describe('Open suggestions in all; `suggestions` is one page of them'),
  suggestionsPage: z.number().int(),
  suggestions: z.array(
    z.object({
      feedbackId: z.number().int().describe('The latest report with this suggestion'),
      suggestion: z.string(),
      count: z.number().int().describe('Reports with this suggestion whose backlog item is open or accepted'),
      occurredAt: z.string(),
      eventTitle: z.string(),
      account: z.string().nullable(),
      authorRole: z.enum(feedbackRoles),
      teamId: z.number().int().nullable(),
      teamName: z.string().nullable(),
      items: z
        .array(z.object({ id: z.number().int(), status: z.enum(['open', 'accepted']), teamId: z.number().int().nullable() }))
        .describe('The backlog items of these reports; move them with POST /api/v1/suggestions/move'),
    }),
  ),
});

const insightsQuery = z
  .object({
    team: z.coerce.number().int().positive().optional(),
    from: dateSchema.optional().describe('Default: 90 days before `to`'),
    to: dateSchema.optional().describe('Default: today in your time zone'),
    suggestionsPage: z.coerce.number().int().min(1).max(100_000).optional().describe(`Page of the open suggestions (${SUGGESTIONS_PAGE_SIZE} each), default 1`),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'The end date is before the start date.' });

export const insightApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/insights',
    summary: 'Field insights: most-met competitors, loss reasons, material ratings over time, open suggestions (from the liaison backlog)',
    tags: ['feedback'],
    roles: 'marketing, managers, HR',
    query: insightsQuery as unknown as z.ZodObject,
    response: insightsSchema,
  },
];

export function insightApi() {
  const app = new Hono<AppEnv>();

  app.get('/', apiValidator('query', insightsQuery), (c) => {
    const viewer = viewerOf(c);
    if (!canSeeInsights(viewer.person)) throw forbidden('Field insights are for marketing, managers and HR.');
    const q = c.req.valid('query');
    const zone = viewer.person.timeZone;
    const to = q.to ?? formatLocalDate(c.var.deps.clock.now(), zone);
    const from = q.from ?? addDaysToLocalDate(to, -INSIGHTS_DEFAULT_DAYS);
    const insights = fieldInsights(
      c.var.deps.db,
      {
        teamId: q.team,
        from: startOfLocalDate(from, zone),
        to: startOfLocalDate(addDaysToLocalDate(to, 1), zone),
      },
      q.suggestionsPage,
    );
    return c.json({
      from,
      to,
      teamId: q.team ?? null,
      ...insights,
      suggestions: insights.suggestions.map((s) => ({ ...s, occurredAt: toIsoWithOffset(s.occurredAt, zone) })),
    });
  });

  return app;
}
