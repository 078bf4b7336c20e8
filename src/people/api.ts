import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { pathIdSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { importPeople } from './import';
import { decodeCsvBytes } from './csv';
import { companyDefaultTimeZone, companySettingsSchema, setCompanySettings } from './settings';
import { MAX_BULK_WELCOME, sendWelcomeLinks } from '../auth/links';
import { writeTransaction } from '../db';
import { publicBaseUrl } from '../web';
import {
  canViewPerson,
  createPerson,
  departmentSchema,
  listPeople,
  personInputSchema,
  personPatchSchema,
  publicPerson,
  requirePerson,
  roleSchema,
  updatePerson,
} from './people';

const listQuery = z.object({
  q: z.string().trim().max(200).optional(),
  department: departmentSchema.optional(),
  team: z.coerce.number().int().positive().optional(),
  active: z.enum(['true', 'false', 'all']).default('true'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

export const personSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  department: departmentSchema,
  title: z.string(),
  teamId: z.number().int().nullable(),
  managerId: z.number().int().nullable(),
  hireDate: z.string(),
  timeZone: z.string(),
  role: roleSchema,
  active: z.boolean(),
});

const createBody = personInputSchema
  .extend({
    timeZone: personInputSchema.shape.timeZone.describe("IANA zone; left out: the company's default time zone (400 while none is set)"),
    sendWelcome: z.boolean().default(true).describe('Queue a welcome email with a single-use link (7 days) to choose a password'),
  })
  .strict();
const importQuery = z.object({ sendWelcome: z.enum(['true', 'false']).default('true').describe('Welcome emails to the people the file creates') });
const welcomeBody = z.object({ ids: z.array(z.number().int().positive()).min(1).max(MAX_BULK_WELCOME) }).strict();
const welcomeReport = z.object({ sent: z.array(z.number().int()), skipped: z.array(z.number().int()).describe('Inactive or unknown people') });
const settingsSchema = z.object({ defaultTimeZone: z.string().nullable() });
const patchBody = personPatchSchema.strict().refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');
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

export const peopleApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/people',
    summary: 'List people (HR: everyone; managers: their reports)',
    tags: ['people'],
    roles: 'hr, manager',
    query: listQuery,
    response: z.object({ data: z.array(personSchema), page: z.number(), pageSize: z.number(), total: z.number() }),
  },
  { method: 'post', path: '/api/v1/people', summary: 'Create a person', tags: ['people'], roles: 'hr', body: createBody, response: personSchema, status: 201 },
  {
    method: 'get',
    path: '/api/v1/people/{id}',
    summary: 'One person',
    tags: ['people'],
    roles: 'hr, manager (reports), employee (self)',
    response: personSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/people/{id}',
    tags: ['people'],
    roles: 'hr',
    body: patchBody,
    response: personSchema,
    summary:
      'Change a person. A new teamId needs managerId (409 manager_required with proposedManagerId otherwise); active: false ends their sessions and, when they have reports or manage teams, needs successorId (409 successor_required)',
  },
  {
    method: 'post',
    path: '/api/v1/people/import',
    summary: 'Import people from a CSV body; nothing is written when any line is wrong; every person created gets a welcome email unless sendWelcome=false',
    tags: ['people'],
    roles: 'hr',
    query: importQuery,
    body: z.string(),
    bodyContentType: 'text/csv',
    response: importReportSchema,
  },
  {
    method: 'post',
    path: '/api/v1/people/welcome',
    summary: 'Send welcome emails (new single-use links, 7 days) to these people; earlier links stop working',
    tags: ['people'],
    roles: 'hr',
    body: welcomeBody,
    response: welcomeReport,
  },
  {
    method: 'post',
    path: '/api/v1/people/{id}/welcome',
    summary: 'Send this person a welcome email again',
    tags: ['people'],
    roles: 'hr',
    response: welcomeReport,
  },
  {
    method: 'get',
    path: '/api/v1/settings',
    summary: 'Company settings: the default time zone of people created or imported without one (null until HR sets it)',
    tags: ['people'],
    roles: 'hr',
    response: settingsSchema,
  },
  {
    method: 'put',
    path: '/api/v1/settings',
    summary: 'Change the company settings',
    tags: ['people'],
    roles: 'hr',
    body: companySettingsSchema,
    response: settingsSchema,
  },
];

const idParam = z.object({ id: pathIdSchema });

export function peopleApi() {
  const app = new Hono<AppEnv>();
  app.use('*', requireSignedIn);

  app.get('/people', requireRole('hr', 'manager'), apiValidator('query', listQuery), (c) => {
    const q = c.req.valid('query');
    const { db } = c.var.deps;
    const result = listPeople(
      db,
      { q: q.q, department: q.department, teamId: q.team, active: q.active === 'all' ? undefined : q.active === 'true', page: q.page, pageSize: q.pageSize },
      viewerOf(c),
    );
    const data = result.rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      department: r.department,
      title: r.title,
      teamId: r.teamId,
      managerId: r.managerId,
      hireDate: r.hireDate,
      timeZone: r.timeZone,
      role: r.role,
      active: r.active,
    }));
    return c.json({ data, page: result.page, pageSize: result.pageSize, total: result.total });
  });

  app.post('/people', requireRole('hr'), apiValidator('json', createBody), (c) => {
    const { sendWelcome, ...input } = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const actor = actorOf(c.var.viewer);
    const person = writeTransaction(db, (tx) => {
      const created = createPerson(tx, clock, actor, input);
      if (sendWelcome) sendWelcomeLinks(tx, clock, actor, [created.id], publicBaseUrl(c));
      return created;
    });
    return c.json(publicPerson(person), 201);
  });

  app.post('/people/welcome', requireRole('hr'), apiValidator('json', welcomeBody), (c) => {
    const { db, clock } = c.var.deps;
    return c.json(sendWelcomeLinks(db, clock, actorOf(c.var.viewer), c.req.valid('json').ids, publicBaseUrl(c)));
  });

  app.post('/people/:id/welcome', requireRole('hr'), apiValidator('param', idParam), (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    const person = requirePerson(db, id);
    if (!person.active) throw new AppError(409, 'inactive', `${person.name} is inactive: reactivate them first.`);
    return c.json(sendWelcomeLinks(db, clock, actorOf(c.var.viewer), [id], publicBaseUrl(c)));
  });

  app.get('/settings', requireRole('hr'), (c) => c.json({ defaultTimeZone: companyDefaultTimeZone(c.var.deps.db) }));
  app.put('/settings', requireRole('hr'), apiValidator('json', companySettingsSchema.strict()), (c) => {
    setCompanySettings(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('json'));
    return c.json({ defaultTimeZone: companyDefaultTimeZone(c.var.deps.db) });
  });

  app.post('/people/import', requireRole('hr'), apiValidator('query', importQuery), async (c) => {
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

  app.get('/people/:id', apiValidator('param', idParam), (c) => {
    const { id } = c.req.valid('param');
    const { db } = c.var.deps;
    const person = requirePerson(db, id);
    if (!canViewPerson(db, viewerOf(c), id)) throw forbidden();
    return c.json(publicPerson(person));
  });

  app.patch('/people/:id', requireRole('hr'), apiValidator('param', idParam), apiValidator('json', patchBody), (c) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const viewer = viewerOf(c);
    if (id === viewer.person.id && (patch.active === false || (patch.role && patch.role !== 'hr')))
      throw forbidden('You cannot deactivate yourself or remove your own HR role.');
    // A managerId sent with a team move is the answer to "who manages them there", even when unchanged.
    const person = updatePerson(c.var.deps.db, c.var.deps.clock, actorOf(viewer), id, patch, { managerConfirmed: true });
    return c.json(publicPerson(person));
  });

  return app;
}
