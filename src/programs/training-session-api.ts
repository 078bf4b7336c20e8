/**
 * Training sessions: listing their occurrences with recorded attendance, scheduling one. Mounted at /training-sessions of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { inviteWhoNeedsIt, listSessions, scheduleTrainingSession, sessionFormSchema, sessionInputOf, sessionsQuerySchema, upcomingSessions } from './sessions';
import { tags } from './api-schemas';

const listedSessionSchema = z.object({
  occurrenceId: z.string(),
  eventId: z.number().int(),
  title: z.string(),
  topicId: z.number().int(),
  topic: z.string(),
  hostName: z.string(),
  start: z.string(),
  end: z.string(),
  seats: z.number().int(),
  seatsTaken: z.number().int(),
  started: z.boolean(),
  attended: z.number().int(),
  noShows: z.number().int(),
  walkIns: z.number().int(),
});
const sessionBody = sessionFormSchema.strict();

export const trainingSessionApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/training-sessions',
    summary: 'Training session occurrences: coming up, past or between dates, by program or topic, 25 a page, with recorded attendance',
    tags,
    roles: 'hr',
    query: sessionsQuerySchema,
    response: z.object({ data: z.array(listedSessionSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }),
  },
  {
    method: 'post',
    path: '/api/v1/training-sessions',
    summary: 'Schedule a training session (an event of kind training); `invite` invites everyone who still needs the topic to its first occurrence',
    tags,
    roles: 'hr',
    body: sessionBody,
    response: z.object({ eventId: z.number().int(), invited: z.number().int() }),
    status: 201,
  },
];

export function trainingSessionApi() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('hr'), apiValidator('query', sessionsQuerySchema), (c) => {
    const { db, clock } = c.var.deps;
    const result = listSessions(db, clock.now(), c.req.valid('query'), viewerOf(c).person.timeZone);
    return c.json({
      data: result.sessions.map((s) => ({
        occurrenceId: s.occurrence.key,
        eventId: s.event.id,
        title: s.event.title,
        topicId: s.topicId,
        topic: s.topicName,
        hostName: s.event.hostName,
        start: s.occurrence.start.toISOString(),
        end: s.occurrence.end.toISOString(),
        seats: s.event.seats,
        seatsTaken: s.seatsTaken,
        started: s.started,
        attended: s.attended,
        noShows: s.noShows,
        walkIns: s.walkIns,
      })),
      total: result.total,
      page: result.page,
      pageSize: result.pageSize,
    });
  });

  app.post('/', requireRole('hr'), apiValidator('json', sessionBody), (c) => {
    const form = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const event = scheduleTrainingSession(db, clock, actorOf(c.var.viewer), viewer.person, sessionInputOf(form));
    let invited = 0;
    if (form.invite) {
      const first = upcomingSessions(db, clock.now(), { topicIds: [form.topicId], days: 400 }).find((s) => s.event.id === event.id);
      if (first) invited = inviteWhoNeedsIt(db, clock, actorOf(c.var.viewer), viewer.person, event.id, first.occurrence.originalStart).invited;
    }
    return c.json({ eventId: event.id, invited }, 201);
  });

  return app;
}
