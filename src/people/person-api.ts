/**
 * People: list, create, read, change. Mounted at /people of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { forbidden } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { sendWelcomeLinks } from '../auth/links';
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
import { idParam, tags } from './api-helpers';

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
const patchBody = personPatchSchema.strict().refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');

export const personApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/people',
    summary: 'List people (HR: everyone; managers: their reports)',
    tags,
    roles: 'hr, manager',
    query: listQuery,
    response: z.object({
      data: z.array(personSchema),
      page: z.number(),
      pageSize: z.number(),
      total: z.number().describe('How many people the list holds; with totalExact false, a search counted no further than this (there are more)'),
      totalExact: z.boolean().describe('false when a search (q) matches more than 1000 people: total is then 1000 and the pages go on past it in name order'),
    }),
  },
  { method: 'post', path: '/api/v1/people', summary: 'Create a person', tags, roles: 'hr', body: createBody, response: personSchema, status: 201 },
  {
    method: 'get',
    path: '/api/v1/people/{id}',
    summary: 'One person',
    tags,
    roles: 'hr, manager (reports), employee (self)',
    response: personSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/people/{id}',
    tags,
    roles: 'hr',
    body: patchBody,
    response: personSchema,
    summary:
      'Change a person. A new teamId needs managerId (409 manager_required with proposedManagerId otherwise); active: false ends their sessions and, when they have reports or manage teams, needs successorId (409 successor_required)',
  },
];

export function personApi() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('hr', 'manager'), apiValidator('query', listQuery), (c) => {
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
    return c.json({ data, page: result.page, pageSize: result.pageSize, total: result.total, totalExact: !result.more });
  });

  app.post('/', requireRole('hr'), apiValidator('json', createBody), (c) => {
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

  app.get('/:id', apiValidator('param', idParam), (c) => {
    const { id } = c.req.valid('param');
    const { db } = c.var.deps;
    const person = requirePerson(db, id);
    if (!canViewPerson(db, viewerOf(c), id)) throw forbidden();
    return c.json(publicPerson(person));
  });

  app.patch('/:id', requireRole('hr'), apiValidator('param', idParam), apiValidator('json', patchBody), (c) => {
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
