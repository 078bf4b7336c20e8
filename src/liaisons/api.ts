import { Hono } from 'hono';
import { z } from 'zod';
import { suggestionSources, suggestionStatuses } from '../../db/schema';
import type { AppEnv } from '../context';
import { requireSignedIn, viewerOf } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { idSchema, pathIdSchema } from '../lib/validation';
import { toIsoWithOffset } from '../lib/time';
import { apiValidator } from '../web';
import { getBacklogItem, listSuggestions, MAX_MOVED, moveSuggestions, suggestionMoves, type BacklogItem } from './liaisons';

const suggestionSchema = z.object({
  id: z.number().int(),
  teamId: z.number().int().nullable(),
  teamName: z.string().nullable(),
  liaisonId: z.number().int().nullable().describe('The person who owns it: the liaison in office for its team; null while it waits in the unassigned backlog'),
  title: z.string(),
  detail: z.string(),
  source: z.enum(suggestionSources),
  sourceRef: z.string().nullable().describe("Where it came from: 'feedback:<feedback id>' or 'check_in:<check-in id>'; null when added by hand"),
  status: z.enum(suggestionStatuses),
  rejectReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  acceptedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});

const listQuery = z.object({
  team: z.coerce.number().int().positive().optional().describe("One team's backlog"),
  status: z.enum(suggestionStatuses).optional(),
  unassigned: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .describe('true: the open suggestions waiting for a liaison (HR)'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

const moveBody = z
  .object({
    ids: z
      .array(idSchema)
      .min(1, 'Choose a suggestion.')
      .max(MAX_MOVED, `Move at most ${MAX_MOVED} suggestions at once.`)
      .describe('Backlog items, e.g. the `items` of an open suggestion in /api/v1/insights'),
    move: z
      .enum(suggestionMoves)
      .describe('accept: open → accepted; done: accepted → done; reject (with a reason): open or accepted → rejected; reopen: done or rejected → open'),
    reason: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((input) => input.move !== 'reject' || !!input.reason, { path: ['reason'], message: 'Say why it is rejected.' });
const idParam = z.object({ id: pathIdSchema });

export const liaisonsApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/suggestions',
    summary: 'Liaison backlog items (suggestions from feedback, rotation check-ins and by hand): a team’s, the unassigned ones, or all you may see',
    tags: ['liaisons'],
    roles: 'HR and managers: every backlog; a liaison: their teams’; the unassigned backlog: HR',
    query: listQuery as unknown as z.ZodObject,
    response: z.object({ data: z.array(suggestionSchema), page: z.number(), pageSize: z.number(), total: z.number() }),
  },
  {
    method: 'get',
    path: '/api/v1/suggestions/{id}',
    summary: 'One backlog item',
    tags: ['liaisons'],
    roles: 'HR, managers, the liaison of its team',
    response: suggestionSchema,
  },
  {
    method: 'post',
    path: '/api/v1/suggestions/move',
    summary: 'Move backlog items (one, or a group with the same text) — the items the move does not apply to stay as they are; 409 when none moved',
    tags: ['liaisons'],
    roles: 'HR, the liaison of the items’ team',
    body: moveBody,
    response: z.object({ data: z.array(suggestionSchema).describe('The items moved') }),
  },
];

function toJson(item: BacklogItem, zone: string) {
  const iso = (d: Date | null) => (d ? toIsoWithOffset(d, zone) : null);
  return {
    id: item.id,
    teamId: item.teamId,
    teamName: item.teamName,
    liaisonId: item.liaisonPersonId,
    title: item.title,
    detail: item.detail,
    source: item.source,
    sourceRef: item.sourceRef,
    status: item.status,
    rejectReason: item.rejectReason,
    createdAt: iso(item.createdAt)!,
    updatedAt: iso(item.updatedAt)!,
    acceptedAt: iso(item.acceptedAt),
    closedAt: iso(item.closedAt),
  };
}

/** The liaison backlogs' suggestions: listing, moving, one item. Mounted at /suggestions. */
function suggestionApi() {
  const app = new Hono<AppEnv>();

  app.get('/', apiValidator('query', listQuery), (c) => {
    const viewer = viewerOf(c);
    const q = c.req.valid('query');
    const { rows, total } = listSuggestions(c.var.deps.db, viewer, {
      teamId: q.team,
      status: q.status,
      unassigned: q.unassigned,
      page: q.page,
      pageSize: q.pageSize,
    });
    return c.json({ data: rows.map((row) => toJson(row, viewer.person.timeZone)), page: q.page, pageSize: q.pageSize, total });
  });

  app.post('/move', apiValidator('json', moveBody), (c) => {
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const input = c.req.valid('json');
    const moved = moveSuggestions(db, clock, viewer, input.ids, input.move, input.reason);
    return c.json({ data: moved.map((row) => toJson(getBacklogItem(db, viewer, row.id), viewer.person.timeZone)) });
  });

  app.get('/:id', apiValidator('param', idParam), (c) => {
    const viewer = viewerOf(c);
    return c.json(toJson(getBacklogItem(c.var.deps.db, viewer, c.req.valid('param').id), viewer.person.timeZone));
  });

  return app;
}

/** The liaisons API (/api/v1): its one resource, the suggestions, needing a signed-in person. */
export function liaisonsApi() {
  const app = new Hono<AppEnv>();
  app.use('/suggestions', requireSignedIn);
  app.use('/suggestions/*', requireSignedIn);
  app.route('/suggestions', suggestionApi());
  return app;
}
