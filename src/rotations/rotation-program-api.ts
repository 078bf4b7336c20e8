/**
 * Rotation programs: list, create, read, change. Mounted at /rotation-programs of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { departments, rotationDirections } from '../../db/schema';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { requireRole } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { createRotationProgram, getRotationProgram, listRotationPrograms, patchRotationProgram, rotationProgramInputSchema } from './programs';
import { idParam, tags } from './api-helpers';

const programSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  direction: z.enum(rotationDirections),
  lengthWeeks: z.number().int(),
  coveragePercent: z.number().int(),
  learningGoals: z.string(),
  active: z.boolean(),
  hostTeams: z.array(z.object({ teamId: z.number().int(), teamName: z.string(), department: z.enum(departments), capacity: z.number().int() })),
  checklist: z.array(z.object({ id: z.number().int(), position: z.number().int(), title: z.string() })),
});

const programBody = rotationProgramInputSchema.strict();
const programPatch = rotationProgramInputSchema
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');

export const rotationProgramApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/rotation-programs',
    summary: 'Rotation programs',
    tags,
    roles: 'any',
    response: z.object({ data: z.array(programSchema) }),
  },
  {
    method: 'post',
    path: '/api/v1/rotation-programs',
    summary: 'Create a rotation program (direction, length, host teams with capacity, checklist)',
    tags,
    roles: 'hr',
    body: programBody,
    response: programSchema,
    status: 201,
  },
  { method: 'get', path: '/api/v1/rotation-programs/{id}', summary: 'One rotation program', tags, roles: 'any', response: programSchema },
  {
    method: 'patch',
    path: '/api/v1/rotation-programs/{id}',
    summary: 'Change a rotation program (host teams and checklist are replaced when sent)',
    tags,
    roles: 'hr',
    body: programPatch,
    response: programSchema,
  },
];

const publicProgram = (p: ReturnType<typeof getRotationProgram>) => ({
  id: p.id,
  name: p.name,
  direction: p.direction,
  lengthWeeks: p.lengthWeeks,
  coveragePercent: p.coveragePercent,
  learningGoals: p.learningGoals,
  active: p.active,
  hostTeams: p.hostTeams,
  checklist: p.checklist,
});

export function rotationProgramApi() {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => {
    const { db } = c.var.deps;
    return c.json({ data: listRotationPrograms(db).map((p) => publicProgram(getRotationProgram(db, p.id))) });
  });
  app.post('/', requireRole('hr'), apiValidator('json', programBody), (c) => {
    const program = createRotationProgram(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('json'));
    return c.json(publicProgram(program), 201);
  });
  app.get('/:id', apiValidator('param', idParam), (c) => c.json(publicProgram(getRotationProgram(c.var.deps.db, c.req.valid('param').id))));
  app.patch('/:id', requireRole('hr'), apiValidator('param', idParam), apiValidator('json', programPatch), (c) => {
    const { db, clock } = c.var.deps;
    return c.json(publicProgram(patchRotationProgram(db, clock, actorOf(c.var.viewer), c.req.valid('param').id, c.req.valid('json'))));
  });

  return app;
}
