import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../guards';
import { fieldErrors, html, layoutProps, queryValidator, redirectWithMessage, readPage } from '../web';
import { pageQuery } from '../lib/validation';
import type { FieldErrors, FormValues } from '../../views/components';
import { ScorecardPage, THRESHOLD_FIELDS, ThresholdsPage } from '../../views/scorecard/pages';
import { loadThresholds, saveThresholds, SCORECARD_PAGE_SIZE, scorecardPage } from './scorecard';
import { quarterOf } from './signals';
import { scorecardThresholdsSchema, type ScorecardThresholds } from './stage';

const scorecardQuery = z.object({ page: pageQuery.page });

/** Form values of the thresholds: shares as whole percentages. */
function thresholdValues(thresholds: ScorecardThresholds): FormValues {
  const values: FormValues = {};
  for (const field of THRESHOLD_FIELDS) {
    const value = thresholds[field.name as keyof ScorecardThresholds];
    values[field.name] = field.kind === 'percent' ? Math.round((value as number) * 100) : value;
  }
  return values;
}

/** Reads the thresholds form back into settings; blank or unreadable numbers are reported per field. */
function thresholdsFromForm(body: Record<string, unknown>): { input: Record<string, unknown>; errors: FieldErrors } {
  const input: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const field of THRESHOLD_FIELDS) {
    const raw = body[field.name];
    if (field.kind === 'boolean') {
      input[field.name] = raw === 'on' || raw === 'true';
      continue;
    }
    const number = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(number) || number < 0) {
      errors[field.name] = 'Enter a number of 0 or more.';
      continue;
    }
    if (field.kind === 'percent' && number > 100) {
      errors[field.name] = 'Enter a percentage from 0 to 100.';
      continue;
    }
    input[field.name] = field.kind === 'percent' ? number / 100 : number;
  }
  return { input, errors };
}

const renderThresholds = (c: AppContext, values: FormValues, errors?: FieldErrors, status: 200 | 400 = 200) =>
  html(c, ThresholdsPage({ layout: layoutProps(c, 'Scorecard thresholds'), values, errors }), status);

/** The scorecard page, a page at a time. Mounted at /scorecard. */
function scorecardPageRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', queryValidator(scorecardQuery), (c) => {
    const { db, clock } = c.var.deps;
    const now = clock.now();
    const { rows, page, total, badges } = readPage(c, () => scorecardPage(db, now, c.req.valid('query').page));
    return html(
      c,
      ScorecardPage({
        layout: layoutProps(c, 'Alignment scorecard', undefined, badges),
        rows,
        isHr: viewerOf(c).person.role === 'hr',
        quarterLabel: quarterOf(now).label,
        paging: { page, pageSize: SCORECARD_PAGE_SIZE, total },
      }),
    );
  });

  return app;
}

/** HR's thresholds of the stages. Mounted at /scorecard/settings. */
function thresholdRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('hr'), (c) => renderThresholds(c, thresholdValues(loadThresholds(c.var.deps.db))));

  app.post('/', requireRole('hr'), async (c) => {
    const body = (await c.req.parseBody()) as Record<string, unknown>;
    const values = Object.fromEntries(Object.entries(body).filter(([name]) => name !== '_csrf'));
    const { input, errors } = thresholdsFromForm(body);
    if (Object.keys(errors).length) return renderThresholds(c, values, errors, 400);
    const parsed = scorecardThresholdsSchema.safeParse(input);
    if (!parsed.success) return renderThresholds(c, values, fieldErrors(parsed.error), 400);
    try {
      saveThresholds(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), parsed.data);
    } catch (err) {
      if (err instanceof AppError && err.status === 400) return renderThresholds(c, values, { _form: err.message }, 400);
      throw err;
    }
    return redirectWithMessage(c, `/scorecard`, 'Thresholds saved; the scorecard uses them now.');
  });

  return app;
}

/** The scorecard pages (HR and managers): one sub-app per resource, the settings before the page. */
export function scorecardRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/scorecard', requireSignedIn, requireRole('hr', 'manager'));
  app.use('/scorecard/*', requireSignedIn, requireRole('hr', 'manager'));
  app.route('/scorecard/settings', thresholdRoutes());
  app.route('/scorecard', scorecardPageRoutes());
  return app;
}
