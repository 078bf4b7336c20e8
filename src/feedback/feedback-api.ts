/**
 * Ride-along feedback: listing, giving, what is pending, one item. Mounted at /feedback of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { feedbackOutcomes, feedbackRoles, lossReasons, suggestionStatuses } from '../../db/schema';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { addDaysToLocalDate, startOfLocalDate, toIsoWithOffset } from '../lib/time';
import { dateSchema, pathIdSchema } from '../lib/validation';
import { apiValidator } from '../web';
import { occurrenceKey } from '../events';
import { feedbackInputSchema, getFeedback, listFeedback, pendingFeedback, submitFeedback, type FeedbackWithDetails } from './feedback';

const tags = ['feedback'];

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

const listQuery = z.object({
  author: z.coerce.number().int().positive().optional().describe('Person id; default: everyone you may see'),
  from: dateSchema.optional().describe('Ride-alongs on or after this date (your time zone)'),
  to: dateSchema.optional().describe('Ride-alongs on or before this date (your time zone)'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
const createBody = feedbackInputSchema;
const idParam = z.object({ id: pathIdSchema });

export const feedbackItemApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/feedback',
    summary: 'Feedback reports you may read (your own; managers: their reports’; HR: all)',
    tags,
    roles: 'any',
    query: listQuery,
    response: z.object({ data: z.array(feedbackSchema), page: z.number(), pageSize: z.number(), total: z.number() }),
  },
  {
    method: 'post',
    path: '/api/v1/feedback',
    summary: 'Report on a ride-along you hosted or joined as a marketer (after it ended); sending again replaces your report',
    tags,
    roles: 'the host or a marketing guest of the occurrence',
    body: createBody,
    response: feedbackSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/v1/feedback/pending',
    summary: 'Ride-alongs of the last 30 days still waiting for your feedback',
    tags,
    roles: 'any',
    response: z.object({ data: z.array(pendingSchema) }),
  },
  {
    method: 'get',
    path: '/api/v1/feedback/{id}',
    summary: 'One feedback report',
    tags,
    roles: 'author, their managers, HR',
    response: feedbackSchema,
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

export function feedbackItemApi() {
  const app = new Hono<AppEnv>();

  app.get('/', apiValidator('query', listQuery), (c) => {
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

  app.post('/', apiValidator('json', createBody), (c) => {
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const { item, created } = submitFeedback(db, clock, actorOf(viewer), viewer.person, c.req.valid('json'));
    return c.json(toJson(item, viewer.person.timeZone), created ? 201 : 200);
  });

  app.get('/pending', (c) => {
    const viewer = viewerOf(c);
    const zone = viewer.person.timeZone;
    const pending = pendingFeedback(c.var.deps.db, viewer.person, c.var.deps.clock.now());
    return c.json({ data: pending.map((p) => ({ ...p, start: toIsoWithOffset(p.start, zone), end: toIsoWithOffset(p.end, zone) })) });
  });

  app.get('/:id', apiValidator('param', idParam), (c) => {
    const viewer = viewerOf(c);
    return c.json(toJson(getFeedback(c.var.deps.db, viewer, c.req.valid('param').id), viewer.person.timeZone));
  });

  return app;
}
