/**
 * Importing people from a CSV body (HR). Mounted at /people/import of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { importPeople } from './import';
import { decodeCsvBytes } from './csv';
import { publicBaseUrl } from '../web';
import { tags } from './api-helpers';

const importQuery = z.object({ sendWelcome: z.enum(['true', 'false']).default('true').describe('Welcome emails to the people the file creates') });
const importReportSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), column: z.string(), message: z.string() })),
  separator: z
    .enum(['semicolons', 'tabs'])
    .optional()
    .describe('Present when the file was read as separated by semicolons (Excel in many European locales) or tabs rather than commas'),
});

export const importApiDocs: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/v1/people/import',
    summary: 'Import people from a CSV body; nothing is written when any line is wrong; every person created gets a welcome email unless sendWelcome=false',
    tags,
    roles: 'hr',
    query: importQuery,
    body: z.string(),
    bodyContentType: 'text/csv',
    response: importReportSchema,
  },
];

export function importApi() {
  const app = new Hono<AppEnv>();

  app.post('/', requireRole('hr'), apiValidator('query', importQuery), async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^text\/(csv|plain)/.test(type)) throw new AppError(400, 'invalid', 'Send the CSV file as the request body with Content-Type: text/csv.');
    const text = decodeCsvBytes(await c.req.arrayBuffer());
    const welcome = c.req.valid('query').sendWelcome === 'true' ? { baseUrl: publicBaseUrl(c) } : null;
    const report = importPeople(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), text, { welcome });
    if (report.errors.length) {
      return c.json(
        {
          ...report,
          error: {
            code: 'invalid',
            message: `Nothing was imported: the file has ${report.errors.length} problem(s).`,
            issues: report.errors.map((e) => ({ path: e.column, line: e.line, column: e.column, message: e.message })),
          },
        },
        400,
      );
    }
    return c.json(report);
  });

  return app;
}
