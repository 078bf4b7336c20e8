/**
 * A round's responses: HR reads them, participants answer, HR assigns answers to advantages. Mounted at /surveys of /api/v1.
 */
import { Hono } from 'hono';
import { asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { surveyAnswers, surveyResponses } from '../../db/schema';
import type { AppEnv } from '../context';
import { forbidden } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator, requireFound } from '../web';
import { computeRoundResults, requireAnswerDetail } from './results';
import { assignAnswers, assignmentInputSchema } from './review';
import { getRound } from './surveys';
import { isParticipant, submitResponse } from './answering';
import { assignmentBody, idParam, responseBody, responseSchema, responsesQuery, tags } from './api-schemas';
import { publicAnswer } from './api-helpers';

export const responseApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/surveys/{id}/responses',
    summary:
      'Responses with their matched answers; an anonymous round answers only once closed with at least k respondents, without ids, people, teams or times, sorted by text',
    tags,
    roles: 'hr',
    query: responsesQuery,
    response: z.object({ data: z.array(responseSchema), page: z.number(), pageSize: z.number(), total: z.number() }),
  },
  {
    method: 'post',
    path: '/api/v1/surveys/{id}/responses',
    summary: 'Answer (or change your answers) while the round is open',
    tags,
    roles: 'participants',
    body: responseBody,
    response: responseSchema,
  },
  {
    method: 'post',
    path: '/api/v1/surveys/{id}/assignments',
    summary: 'Assign all unassigned answers with this normalised text to an advantage (or none); optionally save as a synonym and re-score',
    tags,
    roles: 'hr',
    body: assignmentBody,
    response: z.object({ assigned: z.number().int(), rescored: z.number().int(), synonymSaved: z.boolean() }),
  },
];

export function responseApi() {
  const app = new Hono<AppEnv>();

  app.get('/:id/responses', requireRole('hr'), apiValidator('param', idParam), apiValidator('query', responsesQuery), (c) => {
    const { db, clock } = c.var.deps;
    const { id } = c.req.valid('param');
    const { page, pageSize } = c.req.valid('query');
    const round = getRound(db, id);
    const total = db.$client.prepare('SELECT count(*) AS n FROM survey_responses WHERE round_id = ?').get(id) as { n: number };
    if (round.anonymous) {
      // No id, person, team or time, and an order by what was written rather than when.
      requireAnswerDetail(db, round, clock.now());
      const results = computeRoundResults(db, id, clock.now());
      const shown = new Set(results.byDepartment.filter((cell) => !cell.hidden).map((cell) => cell.department));
      const answers = db
        .select()
        .from(surveyAnswers)
        .where(eq(surveyAnswers.roundId, id))
        .orderBy(asc(surveyAnswers.responseId), asc(surveyAnswers.position))
        .all();
      const byResponse = new Map<number, (typeof answers)[number][]>();
      for (const answer of answers) byResponse.set(answer.responseId, [...(byResponse.get(answer.responseId) ?? []), answer]);
      const sorted = [...byResponse.values()]
        .map((list) => ({
          department: shown.has(list[0].department) ? list[0].department : null,
          answers: list.map(publicAnswer),
          key: list.map((answer) => answer.text).join('\u0000'),
        }))
        .sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
      const data = sorted.slice((page - 1) * pageSize, page * pageSize).map(({ department, answers }) => ({ department, answers }));
      return c.json({ data, page, pageSize, total: total.n });
    }
    const responses = db
      .select()
      .from(surveyResponses)
      .where(eq(surveyResponses.roundId, id))
      .orderBy(asc(surveyResponses.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .all();
    const answers = responses.length
      ? db
          .select()
          .from(surveyAnswers)
          .where(
            inArray(
              surveyAnswers.responseId,
              responses.map((response) => response.id),
            ),
          )
          .orderBy(asc(surveyAnswers.responseId), asc(surveyAnswers.position))
          .all()
      : [];
    const data = responses.map((response) => ({
      id: response.id,
      personId: response.personId,
      teamId: response.teamId,
      department: response.department,
      submittedAt: response.submittedAt.toISOString(),
      updatedAt: response.updatedAt.toISOString(),
      answers: answers.filter((answer) => answer.responseId === response.id).map(publicAnswer),
    }));
    return c.json({ data, page, pageSize, total: total.n });
  });

  app.post('/:id/responses', apiValidator('param', idParam), apiValidator('json', responseBody), (c) => {
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const { id } = c.req.valid('param');
    getRound(db, id);
    if (!isParticipant(db, id, viewer.person.id)) throw forbidden('You are not asked in this survey round.');
    const { response, answers } = submitResponse(db, clock, viewer.person, id, c.req.valid('json').answers);
    const round = getRound(db, id);
    return c.json({
      ...(round.anonymous
        ? {}
        : {
            id: response.id,
            personId: response.personId,
            teamId: response.teamId,
            submittedAt: response.submittedAt.toISOString(),
            updatedAt: clock.now().toISOString(),
          }),
      department: response.department,
      answers: answers.map(publicAnswer),
    });
  });

  app.post(
    '/:id/assignments',
    requireRole('hr'),
    apiValidator('param', idParam),
    requireFound((c, id) => getRound(c.var.deps.db, id)),
    apiValidator('json', assignmentBody),
    (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      requireAnswerDetail(c.var.deps.db, getRound(c.var.deps.db, id), c.var.deps.clock.now());
      const input = assignmentInputSchema.parse({
        normalised: body.normalised,
        advantageKey: body.advantageKey ?? undefined,
        saveAsSynonym: body.saveAsSynonym,
      });
      return c.json(assignAnswers(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, input));
    },
  );

  return app;
}
