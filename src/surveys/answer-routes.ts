/**
 * Answering a survey round. Mounted at /surveys.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { viewerOf } from '../guards';
import { formValidator, html, layoutProps, paramValidator, redirectWithMessage } from '../web';
import type { FieldErrors } from '../../views/components';
import { AnswerPage } from '../../views/surveys/answer';
import { getRound, roundStatus } from './surveys';
import { isParticipant, myResponse, submitResponse } from './answering';
import { idParam } from './route-helpers';

const answerFormSchema = z.object({ answer1: z.string().default(''), answer2: z.string().default(''), answer3: z.string().default('') });

export function answerRoutes() {
  const app = new Hono<AppEnv>();

  const renderAnswer = (c: AppContext, roundId: number, values?: string[], errors?: FieldErrors, status: 200 | 400 | 409 = 200) => {
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const round = getRound(db, roundId);
    if (!isParticipant(db, roundId, viewer.person.id)) throw forbidden('You are not asked in this survey round.');
    const mine = myResponse(db, roundId, viewer.person.id);
    return html(
      c,
      AnswerPage({
        layout: layoutProps(c, round.title),
        round: { ...round, status: roundStatus(round, clock.now()) },
        values: values ?? mine?.answers.map((answer) => answer.text) ?? [],
        errors,
        answered: !!mine,
      }),
      status,
    );
  };

  app.get('/:id/answer', paramValidator(idParam), (c) => renderAnswer(c, c.req.valid('param').id));

  app.post(
    '/:id/answer',
    paramValidator(idParam),
    formValidator(answerFormSchema, (c) => renderAnswer(c, Number(c.req.param('id')), [], { _form: 'Write three answers.' }, 400)),
    (c) => {
      const { id } = c.req.valid('param');
      const form = c.req.valid('form');
      const texts = [form.answer1, form.answer2, form.answer3].map((text) => text.trim());
      const errors: FieldErrors = {};
      texts.forEach((text, index) => {
        if (!text) errors[`answer${index + 1}`] = 'Write an answer, even if it is a guess.';
        else if (text.length > 300) errors[`answer${index + 1}`] = 'Keep each answer under 300 characters.';
      });
      if (Object.keys(errors).length) return renderAnswer(c, id, texts, errors, 400);
      try {
        submitResponse(c.var.deps.db, c.var.deps.clock, viewerOf(c).person, id, texts);
      } catch (err) {
        if (err instanceof AppError && err.status === 409) return renderAnswer(c, id, texts, { _form: err.message }, 409);
        throw err;
      }
      return redirectWithMessage(c, '/surveys', 'Thank you — your answers are saved.');
    },
  );

  return app;
}
