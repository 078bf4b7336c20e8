/**
 * Welcome emails with a single-use link to choose a password (HR). Mounted at /people of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { MAX_BULK_WELCOME, sendWelcomeLinks } from '../auth/links';
import { publicBaseUrl } from '../web';
import { requirePerson } from './people';
import { idParam, tags } from './api-helpers';

const welcomeBody = z.object({ ids: z.array(z.number().int().positive()).min(1).max(MAX_BULK_WELCOME) }).strict();
const welcomeReport = z.object({ sent: z.array(z.number().int()), skipped: z.array(z.number().int()).describe('Inactive or unknown people') });

export const welcomeApiDocs: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/v1/people/welcome',
    summary: 'Send welcome emails (new single-use links, 7 days) to these people; earlier links stop working',
    tags,
    roles: 'hr',
    body: welcomeBody,
    response: welcomeReport,
  },
  {
    method: 'post',
    path: '/api/v1/people/{id}/welcome',
    summary: 'Send this person a welcome email again',
    tags,
    roles: 'hr',
    response: welcomeReport,
  },
];

export function welcomeApi() {
  const app = new Hono<AppEnv>();

  app.post('/welcome', requireRole('hr'), apiValidator('json', welcomeBody), (c) => {
    const { db, clock } = c.var.deps;
    return c.json(sendWelcomeLinks(db, clock, actorOf(c.var.viewer), c.req.valid('json').ids, publicBaseUrl(c)));
  });

  app.post('/:id/welcome', requireRole('hr'), apiValidator('param', idParam), (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    const person = requirePerson(db, id);
    if (!person.active) throw new AppError(409, 'inactive', `${person.name} is inactive: reactivate them first.`);
    return c.json(sendWelcomeLinks(db, clock, actorOf(c.var.viewer), [id], publicBaseUrl(c)));
  });

  return app;
}
