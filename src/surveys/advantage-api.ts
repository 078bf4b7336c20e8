/**
 * The official advantages: reading them and saving a new version. Mounted at /advantages of /api/v1.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { apiValidator } from '../web';
import { advantageInputSchema, currentAdvantageVersion, listAdvantageVersions, requireAdvantageEditor, saveAdvantageVersion } from './advantages';

const advantageSchema = z.object({ key: z.string(), name: z.string(), statement: z.string(), synonyms: z.array(z.string()) });
const versionSchema = z.object({ number: z.number().int(), note: z.string(), createdAt: z.string(), advantages: z.array(advantageSchema) });
const advantagesResponse = z.object({
  current: versionSchema.nullable(),
  versions: z.array(z.object({ number: z.number().int(), note: z.string(), createdAt: z.string() })),
});
const advantagesBody = z.object({ advantages: z.array(advantageInputSchema.strict()).min(1).max(10), note: z.string().max(200).optional() }).strict();

export const advantageApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/advantages',
    summary: 'The official advantages (current version) and the list of versions',
    tags: ['surveys'],
    roles: 'hr, marketing managers',
    response: advantagesResponse,
  },
  {
    method: 'put',
    path: '/api/v1/advantages',
    summary: 'Save the official advantages as a new version',
    tags: ['surveys'],
    roles: 'hr, marketing managers',
    body: advantagesBody,
    response: versionSchema,
    status: 201,
  },
];

export function advantageApi() {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => {
    requireAdvantageEditor(viewerOf(c).person);
    const { db } = c.var.deps;
    const current = currentAdvantageVersion(db);
    return c.json({
      current: current ? { number: current.number, note: current.note, createdAt: current.createdAt.toISOString(), advantages: current.advantages } : null,
      versions: listAdvantageVersions(db).map((version) => ({ number: version.number, note: version.note, createdAt: version.createdAt.toISOString() })),
    });
  });

  app.put('/', apiValidator('json', advantagesBody), (c) => {
    const viewer = viewerOf(c);
    requireAdvantageEditor(viewer.person);
    const body = c.req.valid('json');
    const version = saveAdvantageVersion(c.var.deps.db, c.var.deps.clock, actorOf(viewer), body.advantages, body.note ?? '');
    return c.json({ number: version.number, note: version.note, createdAt: version.createdAt.toISOString(), advantages: version.advantages }, 201);
  });

  return app;
}
