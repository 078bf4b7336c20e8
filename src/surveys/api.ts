import { Hono } from 'hono';
import { asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { departments, surveyAnswers, surveyResponses } from '../../db/schema';
import type { AppEnv } from '../context';
import { badRequest, forbidden, notFound } from '../lib/errors';
import { pathIdSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator, requireFound, toIssues } from '../web';
import { advantageApi, advantageApiDocs } from './advantage-api';
import { surveySettingsApi, surveySettingsApiDocs } from './settings-api';
import { getAdvantageVersion, listAdvantageVersions } from './advantages';
import type { RateCell } from './tally';
import { computeRoundResults, requireAnswerDetail, roundOverviews, type RoundOverview } from './results';
import { anonymityRule } from './presentation';
import { VERDICTS } from './verdict';
import { assignAnswers, assignmentInputSchema, getRound, isParticipant, openRound, responseInputSchema, roundInputSchema, submitResponse } from './surveys';

const idParam = z.object({ id: pathIdSchema });

const verdictSchema = z
  .object({
    code: z.enum(VERDICTS),
    label: z.string(),
    interval: z.object({ low: z.number(), high: z.number() }).nullable().describe('95% Wilson score interval of the match rate over respondents'),
    enoughResponses: z.boolean().describe('At least the minimum response rate answered'),
    respondentsRequired: z.number().int(),
    answersNeeded: z.number().int().nullable().describe('Not decided yet: how many more respondents at the current match rate would decide it'),
    cannotDecide: z.boolean().describe('Not decided, and everyone asked answering at the current rate would not decide it either'),
  })
  .nullable()
  .describe('Null where the group may not be described');
const hiddenSchema = z.enum(['small_group', 'complement', 'open_round']).nullable().describe('Anonymous rounds: why the figures are null');

const roundSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  population: z.string(),
  populationKind: z.enum(['everyone', 'department', 'teams', 'new_hires']),
  anonymous: z.boolean(),
  minGroupSize: z.number().int().describe('Anonymous rounds: no figure or answer describes fewer respondents'),
  status: z.enum(['open', 'closed']),
  closesOn: z.string(),
  closesAt: z.string(),
  advantageVersion: z.number().int(),
  participants: z.number().int(),
  respondents: z.number().int().nullable(),
  responseRate: z.number().nullable(),
  answers: z.number().int().nullable(),
  matched: z.number().int().nullable(),
  matchRate: z.number().nullable(),
  sharedMindset: z.boolean().nullable().describe('True or false only when the verdict is decided'),
  verdict: verdictSchema,
  hidden: hiddenSchema,
  toReview: z.number().int().nullable(),
});
const roundBody = z
  .object({
    title: z.string(),
    populationKind: z.enum(['everyone', 'department', 'teams', 'new_hires']),
    department: z.enum(departments).optional(),
    teamIds: z.array(z.number().int().positive()).optional(),
    hiredWithinDays: z.number().int().min(1).max(730).optional(),
    closesOn: z.string(),
    anonymous: z.boolean().optional(),
  })
  .strict();

const answerSchema = z.object({
  position: z.number().int(),
  text: z.string(),
  status: z.enum(['matched', 'doubtful', 'unmatched']),
  advantageKey: z.string().nullable(),
  score: z.number(),
  assignedByHr: z.boolean(),
});
const responseSchema = z.object({
  id: z.number().int().optional().describe('Left out in anonymous rounds'),
  personId: z.number().int().optional().describe('Left out in anonymous rounds'),
  department: z.enum(departments).nullable().describe('Null in anonymous rounds where the department has fewer respondents than the minimum group size'),
  teamId: z.number().int().nullable().optional().describe('Left out in anonymous rounds'),
  submittedAt: z.string().optional().describe('Left out in anonymous rounds'),
  updatedAt: z.string().optional().describe('Left out in anonymous rounds'),
  answers: z.array(answerSchema),
});
const responsesQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(200),
});
const responseBody = responseInputSchema.strict();
const assignmentBody = z
  .object({ normalised: z.string().max(2000), advantageKey: z.string().max(60).nullable(), saveAsSynonym: z.boolean().default(false) })
  .strict();

const cellSchema = z.object({
  participants: z.number().int(),
  respondents: z.number().int().nullable(),
  responseRate: z.number().nullable(),
  answers: z.number().int().nullable(),
  matched: z.number().int().nullable(),
  matchRate: z.number().nullable(),
  sharedMindset: z.boolean().nullable(),
  verdict: verdictSchema,
  namedAll: z.number().int().nullable(),
  namedAllShare: z.number().nullable(),
  hidden: hiddenSchema,
});
const resultsSchema = z.object({
  round: roundSchema.pick({
    id: true,
    title: true,
    population: true,
    anonymous: true,
    minGroupSize: true,
    status: true,
    closesOn: true,
    advantageVersion: true,
  }),
  threshold: z.number(),
  minResponseRatePercent: z.number().int(),
  anonymity: z.string().nullable().describe('Anonymous rounds: the rule for what is shown'),
  overall: cellSchema,
  byDepartment: z.array(cellSchema.extend({ department: z.enum(departments) })),
  byTeam: z.array(cellSchema.extend({ teamId: z.number().int().nullable(), teamName: z.string(), department: z.enum(departments) })),
  recall: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      respondents: z.number().int(),
      share: z.number(),
      byDepartment: z.record(z.string(), z.number().nullable()),
    }),
  ),
  sayInstead: z.array(
    z.object({ label: z.string(), count: z.number().int(), byDepartment: z.record(z.string(), z.number().nullable()), examples: z.array(z.string()) }),
  ),
  detailHidden: hiddenSchema,
  toReview: z.number().int().nullable(),
});

const roundApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/surveys',
    summary: 'Survey rounds with response and match rates and the verdict their evidence supports',
    tags: ['surveys'],
    roles: 'hr, manager',
    response: z.object({ data: z.array(roundSchema) }),
  },
  {
    method: 'post',
    path: '/api/v1/surveys',
    summary: 'Open a survey round for a population',
    tags: ['surveys'],
    roles: 'hr',
    body: roundBody,
    response: roundSchema,
    status: 201,
  },
  { method: 'get', path: '/api/v1/surveys/{id}', summary: 'One survey round', tags: ['surveys'], roles: 'hr, manager', response: roundSchema },
  {
    method: 'get',
    path: '/api/v1/surveys/{id}/responses',
    summary:
      'Responses with their matched answers; an anonymous round answers only once closed with at least k respondents, without ids, people, teams or times, sorted by text',
    tags: ['surveys'],
    roles: 'hr',
    query: responsesQuery,
    response: z.object({ data: z.array(responseSchema), page: z.number(), pageSize: z.number(), total: z.number() }),
  },
  {
    method: 'post',
    path: '/api/v1/surveys/{id}/responses',
    summary: 'Answer (or change your answers) while the round is open',
    tags: ['surveys'],
    roles: 'participants',
    body: responseBody,
    response: responseSchema,
  },
  {
    method: 'post',
    path: '/api/v1/surveys/{id}/assignments',
    summary: 'Assign all unassigned answers with this normalised text to an advantage (or none); optionally save as a synonym and re-score',
    tags: ['surveys'],
    roles: 'hr',
    body: assignmentBody,
    response: z.object({ assigned: z.number().int(), rescored: z.number().int(), synonymSaved: z.boolean() }),
  },
  {
    method: 'get',
    path: '/api/v1/surveys/{id}/results',
    summary: 'Match rate and verdict overall, by department and team; recall per advantage; what people say instead',
    tags: ['surveys'],
    roles: 'hr, manager',
    response: resultsSchema,
  },
];

/** A cell as the API shows it: every figure null where the group may not be described. */
function publicCell(cell: RateCell) {
  const shown = !cell.hidden;
  const respondentsShown = shown || cell.respondents > 0;
  return {
    participants: cell.participants,
    respondents: respondentsShown ? cell.respondents : null,
    responseRate: respondentsShown ? cell.responseRate : null,
    answers: shown ? cell.answers : null,
    matched: shown ? cell.matched : null,
    matchRate: shown && cell.answers ? cell.matchRate : null,
    sharedMindset: shown && cell.verdict.code !== 'not_decided' ? cell.sharedMindset : null,
    verdict: shown ? cell.verdict : null,
    namedAll: shown ? cell.namedAll : null,
    namedAllShare: shown && cell.respondents ? cell.namedAllShare : null,
    hidden: cell.hidden,
  };
}

function publicRound(round: RoundOverview, versionNumber: number) {
  const cell = publicCell(round.cell);
  return {
    id: round.id,
    title: round.title,
    population: round.population,
    populationKind: round.populationKind,
    anonymous: round.anonymous,
    minGroupSize: round.minGroupSize,
    status: round.status,
    closesOn: round.closesOn,
    closesAt: round.closesAt.toISOString(),
    advantageVersion: versionNumber,
    participants: cell.participants,
    respondents: cell.respondents,
    responseRate: cell.responseRate,
    answers: cell.answers,
    matched: cell.matched,
    matchRate: cell.matchRate,
    sharedMindset: cell.sharedMindset,
    verdict: cell.verdict,
    hidden: cell.hidden,
    toReview: cell.hidden ? null : round.toReview,
  };
}

/** The documented operations in the order the app mounts them. */
export const surveysApiDocs: ApiOperation[] = [...advantageApiDocs, ...surveySettingsApiDocs, ...roundApiDocs];

function versionNumbers(db: Parameters<typeof listAdvantageVersions>[0]) {
  return new Map(listAdvantageVersions(db).map((version) => [version.id, version.number]));
}

export function surveysApi() {
  const app = new Hono<AppEnv>();
  app.use('/advantages', requireSignedIn);
  app.use('/surveys', requireSignedIn);
  app.use('/surveys/*', requireSignedIn);

  app.route('/advantages', advantageApi());
  // Settings before the rounds: /surveys/:id would take "settings" for an id.
  app.route('/surveys/settings', surveySettingsApi());

  app.get('/surveys', requireRole('hr', 'manager'), (c) => {
    const { db, clock } = c.var.deps;
    const numbers = versionNumbers(db);
    return c.json({ data: roundOverviews(db, clock.now()).map((round) => publicRound(round, numbers.get(round.advantageVersionId) ?? 0)) });
  });

  app.post('/surveys', requireRole('hr'), apiValidator('json', roundBody), (c) => {
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const parsed = roundInputSchema.safeParse({ ...c.req.valid('json'), teamIds: c.req.valid('json').teamIds ?? [] });
    if (!parsed.success) throw badRequest('The request body is not valid.', toIssues(parsed.error));
    const round = openRound(db, clock, actorOf(viewer), viewer.person, parsed.data);
    const summary = roundOverviews(db, clock.now()).find((candidate) => candidate.id === round.id)!;
    return c.json(publicRound(summary, versionNumbers(db).get(round.advantageVersionId) ?? 0), 201);
  });

  app.get('/surveys/:id', requireRole('hr', 'manager'), apiValidator('param', idParam), (c) => {
    const { db, clock } = c.var.deps;
    const { id } = c.req.valid('param');
    const summary = roundOverviews(db, clock.now()).find((candidate) => candidate.id === id);
    if (!summary) throw notFound('No such survey round.');
    return c.json(publicRound(summary, versionNumbers(db).get(summary.advantageVersionId) ?? 0));
  });

  app.get('/surveys/:id/responses', requireRole('hr'), apiValidator('param', idParam), apiValidator('query', responsesQuery), (c) => {
    const { db, clock } = c.var.deps;
    const { id } = c.req.valid('param');
    const { page, pageSize } = c.req.valid('query');
    const round = getRound(db, id);
    const total = db.$client.prepare('SELECT count(*) AS n FROM survey_responses WHERE round_id = ?').get(id) as { n: number };
    const publicAnswer = (answer: typeof surveyAnswers.$inferSelect) => ({
      position: answer.position,
      text: answer.text,
      status: answer.status,
      advantageKey: answer.status === 'matched' ? answer.advantageKey : null,
      score: answer.scoreMilli / 1000,
      assignedByHr: answer.assignedById !== null,
    });
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

  app.post('/surveys/:id/responses', apiValidator('param', idParam), apiValidator('json', responseBody), (c) => {
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
      answers: answers.map((answer) => ({
        position: answer.position,
        text: answer.text,
        status: answer.status,
        advantageKey: answer.status === 'matched' ? answer.advantageKey : null,
        score: answer.scoreMilli / 1000,
        assignedByHr: answer.assignedById !== null,
      })),
    });
  });

  app.post(
    '/surveys/:id/assignments',
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

  app.get('/surveys/:id/results', requireRole('hr', 'manager'), apiValidator('param', idParam), (c) => {
    const { db, clock } = c.var.deps;
    const results = computeRoundResults(db, c.req.valid('param').id, clock.now());
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
      byTeam: results.byTeam.map((cell) => ({ ...publicCell(cell), teamId: cell.teamId, teamName: cell.teamName, department: cell.department })),
      recall: results.recall,
      sayInstead: results.sayInstead,
      detailHidden: results.detailHidden,
      toReview: results.toReview,
    });
  });

  return app;
}
