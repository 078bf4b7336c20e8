/**
 * Importing people from a CSV file (HR), with its template. Mounted at /people/import.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireRole } from '../guards';
import { html, layoutProps, publicBaseUrl } from '../web';
import { ImportPage } from '../../views/people/import';
import { IMPORT_COLUMN_LIST, importPeople, importTemplateCsv } from './import';
import { decodeCsvBytes } from './csv';
import { companyDefaultTimeZone } from './settings';
import { welcomeFlag } from './route-helpers';

const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export function importRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('hr'), (c) =>
    html(c, ImportPage({ layout: layoutProps(c, 'Import people'), columns: IMPORT_COLUMN_LIST, defaultZone: companyDefaultTimeZone(c.var.deps.db) })),
  );

  app.get('/template.csv', requireRole('hr'), (c) =>
    c.body(importTemplateCsv(), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="people-import-template.csv"' }),
  );

  app.post('/', requireRole('hr'), async (c) => {
    const body = await c.req.parseBody({ all: true });
    const file = Array.isArray(body.file) ? body.file[0] : body.file;
    const sendWelcome = welcomeFlag.parse(body.sendWelcome);
    const { db, clock } = c.var.deps;
    const page = { layout: layoutProps(c, 'Import people'), columns: IMPORT_COLUMN_LIST, defaultZone: companyDefaultTimeZone(db), sendWelcome };
    if (!(file instanceof File) || file.size === 0) return html(c, ImportPage({ ...page, error: 'Choose a CSV file to import.' }), 400);
    if (file.size > MAX_IMPORT_BYTES) return html(c, ImportPage({ ...page, error: 'The file is larger than 20 MB.' }), 400);
    const report = importPeople(db, clock, actorOf(c.var.viewer), decodeCsvBytes(await file.arrayBuffer()), {
      welcome: sendWelcome ? { baseUrl: publicBaseUrl(c) } : null,
    });
    return html(c, ImportPage({ ...page, report }), report.errors.length ? 400 : 200);
  });

  return app;
}
