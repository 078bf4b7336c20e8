/**
 * The programs API (/api/v1): one sub-app per resource; what they share lives in api-schemas.ts.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedIn } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { programApi, programApiDocs } from './program-api';
import { enrollmentApi, enrollmentApiDocs } from './enrollment-api';
import { attendanceApi, attendanceApiDocs } from './attendance-api';
import { trainingSessionApi, trainingSessionApiDocs } from './training-session-api';
import { completionApiDocs, completionReportApi, signOffApi } from './completion-api';
import { learningApi, learningApiDocs, topicApi, topicApiDocs } from './learning-api';

/** The documented operations in the order the API document lists them. */
export const programsApiDocs: ApiOperation[] = [
  ...programApiDocs,
  ...enrollmentApiDocs,
  ...attendanceApiDocs,
  ...trainingSessionApiDocs,
  ...completionApiDocs,
  ...topicApiDocs,
  ...learningApiDocs,
];

export function programsApi() {
  const app = new Hono<AppEnv>();
  // Every path under /api/v1 from here on, as before the split: an unknown path asks for sign-in first.
  app.use('*', requireSignedIn);

  app.route('/programs', programApi());
  app.route('/enrollments', enrollmentApi());
  app.route('/attendance', attendanceApi());
  app.route('/training-sessions', trainingSessionApi());
  app.route('/reports/completion', completionReportApi());
  app.route('/sign-offs', signOffApi());
  app.route('/training-topics', topicApi());
  app.route('/learning', learningApi());
  return app;
}
