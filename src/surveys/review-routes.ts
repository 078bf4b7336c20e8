/**
 * HR's review queue of a round's unmatched answers. Mounted at /surveys.
 */
import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import { formValidator, html, isHtmx, layoutProps, paramValidator, redirectWithMessage } from '../web';
import { ReviewPage, ReviewQueue } from '../../views/surveys/review';
import { getAdvantageVersion } from './advantages';
import { requireAnswerDetail } from './results';
import { assignAnswers, assignmentInputSchema, reviewQueue } from './review';
import { getRound } from './surveys';
import { idParam } from './route-helpers';

function renderReviewQueue(c: AppContext, roundId: number, message?: string | null) {
  const { db, clock } = c.var.deps;
  const round = getRound(db, roundId);
  requireAnswerDetail(db, round, clock.now());
  const queue = reviewQueue(db, roundId);
  const advantages = getAdvantageVersion(db, round.advantageVersionId).advantages;
  return { round, queue: { roundId, csrfToken: viewerOf(c).csrfToken ?? null, ...queue, advantages, message } };
}

export function reviewRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/:id/review', requireRole('hr'), paramValidator(idParam), (c) => {
    const { round, queue } = renderReviewQueue(c, c.req.valid('param').id);
    return html(c, ReviewPage({ layout: layoutProps(c, `Review: ${round.title}`), round, queue }));
  });

  app.post(
    '/:id/review',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(assignmentInputSchema, (c) => {
      getRound(c.var.deps.db, Number(c.req.param('id')));
      throw new AppError(400, 'invalid', 'The assignment is not valid.');
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('form');
      const { db, clock } = c.var.deps;
      let message: string;
      let status: 200 | 400 | 409 = 200;
      requireAnswerDetail(db, getRound(db, id), clock.now());
      try {
        const result = assignAnswers(db, clock, actorOf(c.var.viewer), id, input);
        message = `${result.assigned} ${result.assigned === 1 ? 'answer' : 'answers'} assigned.`;
        if (result.synonymSaved)
          message += ` Saved as a synonym; ${result.rescored} more ${result.rescored === 1 ? 'answer' : 'answers'} changed when the round was re-scored.`;
      } catch (err) {
        if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
        message = err.message;
        status = err.status as 400 | 409;
      }
      if (isHtmx(c)) {
        const { queue } = renderReviewQueue(c, id, message);
        return html(c, ReviewQueue(queue), status);
      }
      return redirectWithMessage(c, `/surveys/${id}/review`, message);
    },
  );

  return app;
}
