import { Hono } from 'hono';
import { z } from 'zod';
import { feedbackOutcomes, feedbackRoles, lossReasons, suggestionStatuses } from '../../db/schema';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireSignedIn, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { forbidden } from '../lib/errors';
import { addDaysToLocalDate, formatLocalDate, startOfLocalDate, toIsoWithOffset } from '../lib/time';
import { dateSchema, pathIdSchema } from '../lib/validation';
import { apiValidator } from '../web';
import { occurrenceKey } from '../events';
import { feedbackInputSchema, getFeedback, listFeedback, pendingFeedback, submitFeedback, type FeedbackWithDetails } from './feedback';
import { canSeeInsights, fieldInsights, INSIGHTS_DEFAULT_DAYS } from './insights';

const feedbackSchema = z.object({
  id: z.number().int(),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the description shows the id's shape to integrators
  occurrenceId: z.string().describe('`${eventId}_${original start as YYYYMMDDTHHmmssZ}`'),
  eventId: z.number().int(),
  eventTitle: z.string(),
  account: z.string().nullable(),
  occurredAt: z.string().describe('Start of the ride-along, ISO 8601 with offset'),
  authorId: z.number().int(),
  authorName: z.string(),
  authorRole: z.enum(feedbackRoles),
  competitors: z.array(z.string()),
  outcome: z.enum(feedbackOutcomes),
  lossReason: z.enum(lossReasons).nullable(),
  lossDetail: z.string(),
  materials: z.array(z.object({ name: z.string(), rating: z.number().int() })),
  suggestion: z.string(),
  suggestionId: z
    .number()
    .int()
    .nullable()
    .describe('The suggestion in the liaison backlog (`/api/v1/suggestions/{id}`), where its state lives; null without a suggestion'),
  suggestionStatus: z.enum(suggestionStatuses).nullable(),
  submittedAt: z.string(),
  updatedAt: z.string().nullable(),
});

const pendingSchema = z.object({
  occurrenceId: z.string(),
  eventId: z.number().int(),
  title: z.string(),
  account: z.string().nullable(),
  start: z.string(),
  end: z.string(),
  role: z.enum(feedbackRoles),
});

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

const listQuery = z.object({
  author: z.coerce.number().int().positive().optional().describe('Person id; default: everyone you may see'),
  from: dateSchema.optional().describe('Ride-alongs on or after this date (your time zone)'),
  to: dateSchema.optional().describe('Ride-alongs on or before this date (your time zone)'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
const insightsQuery = z
  .object({
    team: z.coerce.number().int().positive().optional(),
    from: dateSchema.optional().describe('Default: 90 days before `to`'),
    to: dateSchema.optional().describe('Default: today in your time zone'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'The end date is before the start date.' });
const createBody = feedbackInputSchema;
const idParam = z.object({ id: pathIdSchema });

export const feedbackApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/feedback',
    summary: 'Feedback reports you may read (your own; managers: their reports’; HR: all)',
    tags: ['feedback'],
    roles: 'any',
    query: listQuery,
    response: z.object({ data: z.array(feedbackSchema), page: z.number(), pageSize: z.number(), total: z.number() }),
  },
  {
    method: 'post',
    path: '/api/v1/feedback',
    summary: 'Report on a ride-along you hosted or joined as a marketer (after it ended); sending again replaces your report',
    tags: ['feedback'],
    roles: 'the host or a marketing guest of the occurrence',
    body: createBody,
    response: feedbackSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/v1/feedback/pending',
    summary: 'Ride-alongs of the last 30 days still waiting for your feedback',
    tags: ['feedback'],
    roles: 'any',
    response: z.object({ data: z.array(pendingSchema) }),
  },
  {
    method: 'get',
    path: '/api/v1/feedback/{id}',
    summary: 'One feedback report',
    tags: ['feedback'],
    roles: 'author, their managers, HR',
    response: feedbackSchema,
  },
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

function toJson(f: FeedbackWithDetails, zone: string) {
  return {
    id: f.id,
    occurrenceId: occurrenceKey(f.eventId, f.occurrenceStart),
    eventId: f.eventId,
    eventTitle: f.eventTitle,
    account: f.account,
    occurredAt: toIsoWithOffset(f.occurredAt, zone),
    authorId: f.authorId,
    authorName: f.authorName,
    authorRole: f.authorRole,
    competitors: f.competitors,
    outcome: f.outcome,
    lossReason: f.lossReason,
    lossDetail: f.lossDetail,
    materials: f.materials,
    suggestion: f.suggestion,
    suggestionId: f.backlogItem?.id ?? null,
    suggestionStatus: f.backlogItem?.status ?? null,
    submittedAt: toIsoWithOffset(f.submittedAt, zone),
    updatedAt: f.updatedAt ? toIsoWithOffset(f.updatedAt, zone) : null,
  };
}

export function feedbackApi() {
  const app = new Hono<AppEnv>();
  app.use('/feedback', requireSignedIn);
  app.use('/feedback/*', requireSignedIn);
  app.use('/insights', requireSignedIn);

  app.get('/feedback', apiValidator('query', listQuery), (c) => {
    const q = c.req.valid('query');
    const viewer = viewerOf(c);
    const zone = viewer.person.timeZone;
    const result = listFeedback(c.var.deps.db, viewer, {
      authorId: q.author,
      from: q.from ? startOfLocalDate(q.from, zone) : undefined,
      to: q.to ? startOfLocalDate(addDaysToLocalDate(q.to, 1), zone) : undefined,
      page: q.page,
      pageSize: q.pageSize,
    });
    return c.json({ data: result.rows.map((f) => toJson(f, zone)), page: result.page, pageSize: result.pageSize, total: result.total });
  });

  app.post('/feedback', apiValidator('json', createBody), (c) => {
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const { item, created } = submitFeedback(db, clock, actorOf(viewer), viewer.person, c.req.valid('json'));
    return c.json(toJson(item, viewer.person.timeZone), created ? 201 : 200);
  });

  app.get('/feedback/pending', (c) => {
    const viewer = viewerOf(c);
    const zone = viewer.person.timeZone;
    const pending = pendingFeedback(c.var.deps.db, viewer.person, c.var.deps.clock.now());
    return c.json({ data: pending.map((p) => ({ ...p, start: toIsoWithOffset(p.start, zone), end: toIsoWithOffset(p.end, zone) })) });
  });

  app.get('/feedback/:id', apiValidator('param', idParam), (c) => {
    const viewer = viewerOf(c);
    return c.json(toJson(getFeedback(c.var.deps.db, viewer, c.req.valid('param').id), viewer.person.timeZone));
  });

  app.get('/insights', apiValidator('query', insightsQuery), (c) => {
    const viewer = viewerOf(c);
    if (!canSeeInsights(viewer.person)) throw forbidden('Field insights are for marketing, managers and HR.');
    const q = c.req.valid('query');
    const zone = viewer.person.timeZone;
    const to = q.to ?? formatLocalDate(c.var.deps.clock.now(), zone);
    const from = q.from ?? addDaysToLocalDate(to, -INSIGHTS_DEFAULT_DAYS);
    const insights = fieldInsights(c.var.deps.db, {
      teamId: q.team,
      from: startOfLocalDate(from, zone),
      to: startOfLocalDate(addDaysToLocalDate(to, 1), zone),
    });
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
