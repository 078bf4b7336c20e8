/**
 * The company settings (HR): the default time zone. Mounted at /settings.
 */
import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn } from '../guards';
import { formValidator, html, layoutProps, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { CompanySettingsPage } from '../../views/people/settings';
import { companyDefaultTimeZone, companySettingsSchema, setCompanySettings } from './settings';

const renderSettings = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 = 200) => {
  const zone = companyDefaultTimeZone(c.var.deps.db);
  return html(
    c,
    CompanySettingsPage({ layout: layoutProps(c, 'Company settings'), values: values ?? { defaultTimeZone: zone ?? '' }, errors, isSet: !!zone }),
    status,
  );
};

export function settingsRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', requireSignedIn, requireRole('hr'), (c) => renderSettings(c));
  app.post(
    '/',
    requireSignedIn,
    requireRole('hr'),
    formValidator(companySettingsSchema, (c, errors, values) => renderSettings(c, values, errors, 400)),
    (c) => {
      setCompanySettings(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('form'));
      return redirectWithMessage(c, `/settings`, 'Settings saved.');
    },
  );

  return app;
}
