/**
 * HR's survey settings. Mounted at /surveys/settings (before the rounds, whose /:id would take "settings" for an id).
 */
import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import { formValidator, html, layoutProps, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { SurveySettingsPage } from '../../views/surveys/settings';
import { loadSurveySettings, saveSurveySettings, surveySettingsSchema } from './settings';

export function surveySettingsRoutes() {
  const app = new Hono<AppEnv>();

  const renderSettings = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 = 200) => {
    const settings = loadSurveySettings(c.var.deps.db);
    return html(c, SurveySettingsPage({ layout: layoutProps(c, 'Survey settings'), values: values ?? { ...settings }, errors }), status);
  };

  app.get('/', requireRole('hr'), (c) => renderSettings(c));

  app.post(
    '/',
    requireRole('hr'),
    formValidator(surveySettingsSchema, (c, errors, values) => renderSettings(c, values, errors, 400)),
    (c) => {
      saveSurveySettings(c.var.deps.db, c.var.deps.clock, actorOf(viewerOf(c)), c.req.valid('form'));
      return redirectWithMessage(c, '/surveys/settings', 'Survey settings saved.');
    },
  );

  return app;
}
