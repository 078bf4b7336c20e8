/**
 * Decisions on agenda items (mounted at /agenda-items) and action items done or reopened (mounted at /action-items).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import { formValidator, paramValidator, redirectWithMessage } from '../web';
import { decisionsInputSchema, recordDecisions, setActionItemDone } from './agenda';
import { idParam, nextForm, safeNext } from './route-helpers';

export function agendaItemRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/:id/decisions',
    paramValidator(idParam),
    formValidator(decisionsInputSchema.extend(nextForm.shape), () => {
      throw new AppError(400, 'invalid', 'Decisions are at most 5000 characters.');
    }),
    (c) => {
      const form = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const item = recordDecisions(db, clock, actorOf(c.var.viewer), viewerOf(c).person, c.req.valid('param').id, form.decisions);
      return redirectWithMessage(c, safeNext(form.next, `/events/${item.eventId}`), 'Decisions saved.');
    },
  );

  return app;
}

export function actionItemRoutes() {
  const app = new Hono<AppEnv>();

  for (const [action, done] of [
    ['done', true],
    ['reopen', false],
  ] as const) {
    app.post(
      `/:id/${action}`,
      paramValidator(idParam),
      formValidator(nextForm, () => {
        throw new AppError(400, 'invalid', 'Bad form.');
      }),
      (c) => {
        const { db, clock } = c.var.deps;
        const item = setActionItemDone(db, clock, actorOf(c.var.viewer), viewerOf(c).person, c.req.valid('param').id, done);
        return redirectWithMessage(c, safeNext(c.req.valid('form').next, `/events/${item.eventId}`), done ? 'Marked done.' : 'Open again.');
      },
    );
  }

  return app;
}
