import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { notFound } from '../lib/errors';
import { pathIdSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { formValidator, html, layoutProps, paramValidator, redirectWithMessage } from '../web';
import { TokensPage } from '../../views/admin/pages';
import { createApiToken, listApiTokens, revokeApiToken } from './auth';
import { requireRole, requireSignedIn, viewerOf } from '../guards';

const tokenForm = z.object({ name: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Name the token after what uses it.').max(100) });

export function tokenRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/admin/tokens', requireSignedIn, requireRole('hr'));
  app.use('/admin/tokens/*', requireSignedIn, requireRole('hr'));
  app.get('/admin/tokens', (c) => html(c, TokensPage({ layout: layoutProps(c, 'API tokens'), tokens: listApiTokens(c.var.deps.db) })));
  app.post(
    '/admin/tokens',
    formValidator(tokenForm, (c, errors) => html(c, TokensPage({ layout: layoutProps(c, 'API tokens'), tokens: listApiTokens(c.var.deps.db), errors }), 400)),
    (c) => {
      const viewer = viewerOf(c);
      const { db, clock } = c.var.deps;
      const { secret, token } = createApiToken(db, clock, { ...actorOf(viewer), personId: viewer.person.id }, c.req.valid('form').name);
      // Shown once in this response; only the hash is kept.
      c.header('Cache-Control', 'no-store');
      return html(c, TokensPage({ layout: layoutProps(c, 'API tokens'), tokens: listApiTokens(db), created: { name: token.name, secret } }), 201);
    },
  );
  app.post('/admin/tokens/:id/revoke', paramValidator(z.object({ id: pathIdSchema })), (c) => {
    const { db, clock } = c.var.deps;
    if (!revokeApiToken(db, clock, actorOf(c.var.viewer), c.req.valid('param').id)) throw notFound('No active token with this id.');
    return redirectWithMessage(c, '/admin/tokens', 'Token revoked.');
  });
  return app;
}
