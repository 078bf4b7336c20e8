import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { blankToUndefined, pageQuery } from '../lib/validation';
import { requireRole, requireSignedIn } from '../guards';
import { html, layoutProps, queryValidator } from '../web';
import { OutboxPage } from '../../views/admin/pages';
import { listOutbox } from './outbox';

const outboxQuery = z.object({ status: z.preprocess(blankToUndefined, z.enum(['pending', 'sent', 'failed']).optional()), ...pageQuery });

export function outboxRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/outbox', requireSignedIn, requireRole('hr'), queryValidator(outboxQuery), (c) => {
    const q = c.req.valid('query');
    const result = listOutbox(c.var.deps.db, { status: q.status, page: q.page, pageSize: q.pageSize });
    return html(
      c,
      OutboxPage({ layout: layoutProps(c, 'Outbox'), ...result, page: q.page, pageSize: q.pageSize, status: q.status, smtpConfigured: !!c.var.deps.mailer }),
    );
  });
  return app;
}
