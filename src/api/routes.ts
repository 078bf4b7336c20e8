import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { requireSignedIn, viewerOf } from '../guards';
import { peopleApi, peopleApiDocs, personSchema } from '../people/api';
import { publicPerson } from '../people/people';
import { buildOpenApiDocument, type ApiOperation } from '../lib/openapi';
import { rotationsApi, rotationsApiDocs } from '../rotations/api';
import { surveysApi, surveysApiDocs } from '../surveys/api';
import { scorecardApi, scorecardApiDocs } from '../scorecard/api';
import { calendarUrlOf } from '../calendar/routes';
import { feedbackApi, feedbackApiDocs } from '../feedback/api';
import { eventsApi, eventsApiDocs } from '../events/api';
import { programsApi, programsApiDocs } from '../programs/api';
import { liaisonsApi, liaisonsApiDocs } from '../liaisons/api';

const meSchema = personSchema.extend({
  csrfToken: z.string().nullable().describe('Send as X-CSRF-Token on state changes made with the session cookie'),
  calendarUrl: z.string().nullable().describe('Private iCalendar feed address (made on first use); null after the person turned it off'),
});

const meDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/me',
    summary: 'The signed-in person (or the HR person an API token acts for)',
    tags: ['me'],
    roles: 'any',
    response: meSchema,
  },
];

/** Every documented operation; features append theirs here. */
export const apiOperations: ApiOperation[] = [
  ...meDocs,
  ...peopleApiDocs,
  ...eventsApiDocs,
  ...rotationsApiDocs,
  ...surveysApiDocs,
  ...scorecardApiDocs,
  ...programsApiDocs,
  ...feedbackApiDocs,
  ...liaisonsApiDocs,
];

/** Extra fields features add to GET /api/v1/me (e.g. the calendar feed URL). */
type MeExtension = (c: AppContext) => Record<string, unknown>;

export function apiRoutes(meExtensions: MeExtension[] = [calendarUrlOf]) {
  const app = new Hono<AppEnv>();
  app.get('/openapi.json', (c) => c.json(buildOpenApiDocument(apiOperations, new URL(c.req.url).origin)));
  app.get('/me', requireSignedIn, (c) => {
    const viewer = viewerOf(c);
    const extra = Object.assign({}, ...meExtensions.map((f) => f(c)));
    return c.json({ ...publicPerson(viewer.person), csrfToken: viewer.csrfToken ?? null, ...extra });
  });
  app.route('/', peopleApi());
  app.route('/', eventsApi());
  app.route('/', rotationsApi());
  app.route('/', surveysApi());
  app.route('/', scorecardApi());
  app.route('/', programsApi());
  app.route('/', feedbackApi());
  app.route('/', liaisonsApi());
  return app;
}
