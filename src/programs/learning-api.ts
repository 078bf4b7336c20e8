/**
 * Training topics, and what is required of the signed-in person. Mounted at /training-topics and /learning of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { COMPLETION_STATES } from './completion';
import { createTopic, listTopics } from './programs';
import { topicInputSchema } from './program-inputs';
import { personCompletionDetail } from './progress';
import { tags } from './api-schemas';

const topicSchema = z.object({ id: z.number().int(), name: z.string(), description: z.string() });
const learningSchema = z.object({
  data: z.array(
    z.object({
      programId: z.number().int(),
      programName: z.string(),
      requirementId: z.number().int(),
      title: z.string(),
      cycle: z.number().int(),
      dueDate: z.string(),
      state: z.enum(COMPLETION_STATES),
      completedAt: z.string().nullable(),
      late: z.boolean(),
      have: z.number().int(),
      need: z.number().int(),
      closed: z.boolean(),
    }),
  ),
});

export const topicApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/training-topics',
    summary: 'Training topics',
    tags,
    roles: 'any',
    response: z.object({ data: z.array(topicSchema) }),
  },
  {
    method: 'post',
    path: '/api/v1/training-topics',
    summary: 'Add a training topic',
    tags,
    roles: 'hr',
    body: topicInputSchema.strict(),
    response: topicSchema,
    status: 201,
  },
];

export const learningApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/learning',
    summary: 'What is required of me: every requirement with its state',
    tags,
    roles: 'any',
    response: learningSchema,
  },
];

export function topicApi() {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => c.json({ data: listTopics(c.var.deps.db).map((t) => ({ id: t.id, name: t.name, description: t.description })) }));
  app.post('/', requireRole('hr'), apiValidator('json', topicInputSchema.strict()), (c) => {
    const topic = createTopic(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('json'));
    return c.json({ id: topic.id, name: topic.name, description: topic.description }, 201);
  });

  return app;
}

export function learningApi() {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => {
    const rows = personCompletionDetail(c.var.deps.db, c.var.deps.clock.now(), viewerOf(c).person.id);
    return c.json({
      data: rows.map((r) => ({
        programId: r.programId,
        programName: r.programName,
        requirementId: r.requirementId,
        title: r.title,
        cycle: r.cycleIndex,
        dueDate: r.dueDate,
        state: r.state,
        completedAt: r.completedAt?.toISOString() ?? null,
        late: r.late,
        have: r.have,
        need: r.need,
        closed: r.closed,
      })),
    });
  });

  return app;
}
