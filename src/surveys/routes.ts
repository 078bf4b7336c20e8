import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { pathIdSchema, pageQuery } from '../lib/validation';
import { formatLocalDate, addDaysToLocalDate } from '../lib/time';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../guards';
import { formValidator, html, isHtmx, layoutProps, paramValidator, queryValidator, redirectWithMessage } from '../web';
import { teamOptions } from '../people/people';
import type { FieldErrors, FormValues } from '../../views/components';
import { AdvantagesPage } from '../../views/surveys/advantages';
import { AnswerPage } from '../../views/surveys/answer';
import type { EnrollFormState } from '../../views/surveys/enroll';
import { SurveysPage } from '../../views/surveys/home';
import { ReviewPage, ReviewQueue } from '../../views/surveys/review';
import { RoundFormPage } from '../../views/surveys/round-form';
import { RoundPage, TeamResults } from '../../views/surveys/round';
import { SurveySettingsPage } from '../../views/surveys/settings';
import {
  canEditAdvantages,
  currentAdvantageVersion,
  getAdvantageVersion,
  getAdvantageVersionByNumber,
  listAdvantageVersions,
  requireAdvantageEditor,
  saveAdvantageVersion,
  synonymsFromText,
  type AdvantageInput,
} from './advantages';
import { enrollFromRound, enrollInputSchema, reviewPrograms } from './loop';
import { SHARED_MINDSET_THRESHOLD } from './matching';
import { computeRoundResults, requireAnswerDetail, roundOverviews, roundTrend, type RoundResults } from './results';
import { isWeakTeam, pageTeams, rankTeamsWeakestFirst, roundAnswersCsv } from './presentation';
import { loadSurveySettings, saveSurveySettings, surveySettingsSchema } from './settings';
import {
  assignAnswers,
  assignmentInputSchema,
  closeRoundEarly,
  getRound,
  isParticipant,
  myResponse,
  openRound,
  rejudgeRound,
  remindNonRespondents,
  reviewQueue,
  roundInputSchema,
  roundStatus,
  roundsForPerson,
  submitResponse,
} from './surveys';
import { withDepartment } from '../../views/labels';

const idParam = z.object({ id: pathIdSchema });
const roundPageQuery = z.object({ teamPage: pageQuery.page });
const answerFormSchema = z.object({ answer1: z.string().default(''), answer2: z.string().default(''), answer3: z.string().default('') });

function roundFormValues(c: AppContext): FormValues {
  const zone = viewerOf(c).person.timeZone;
  return { populationKind: 'everyone', closesOn: addDaysToLocalDate(formatLocalDate(c.var.deps.clock.now(), zone), 14) };
}

const renderRoundForm = (c: AppContext, values: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200) =>
  html(
    c,
    RoundFormPage({
      layout: layoutProps(c, 'Open a survey round'),
      values,
      errors,
      teams: teamOptions(c.var.deps.db).map((team) => ({ value: team.id, label: withDepartment(team) })),
      advantageCount: currentAdvantageVersion(c.var.deps.db)?.advantages.length ?? 0,
    }),
    status,
  );

// ── the results page ──

/** The By-team table's page and whether HR can tick its rows; the same for the full page and the htmx partial. */
function teamResultsOf(c: AppContext, results: RoundResults, teamPage: number) {
  const isHr = viewerOf(c).person.role === 'hr';
  const programs = isHr ? reviewPrograms(c.var.deps.db) : [];
  const ranked = rankTeamsWeakestFirst(results.byTeam);
  return { isHr, programs, ranked, teams: pageTeams(ranked, teamPage) };
}

function renderRoundPage(c: AppContext, roundId: number, teamPage: number, enroll?: EnrollFormState, status: 200 | 400 | 409 = 200) {
  const { db, clock } = c.var.deps;
  const results = computeRoundResults(db, roundId, clock.now());
  const { isHr, programs, ranked, teams } = teamResultsOf(c, results, teamPage);
  const current = currentAdvantageVersion(db);
  return html(
    c,
    RoundPage({
      layout: layoutProps(c, results.round.title),
      results,
      isHr,
      programs,
      belowThresholdPeople: isHr && !results.round.anonymous ? results.respondentsBelowThreshold : 0,
      weakTeamCount: ranked.filter(isWeakTeam).length,
      teams,
      trend: roundTrend(db, clock.now()),
      versionIsCurrent: !current || current.id === results.version.id,
      enroll,
    }),
    status,
  );
}

/** The By-team page the enroll form was sent from (a hidden field): the page that comes back shows the same rows. */
const teamPageOf = (values: Record<string, unknown>) => pageQuery.page.catch(1).parse(values.teamPage);

function renderReviewQueue(c: AppContext, roundId: number, message?: string | null) {
  const { db, clock } = c.var.deps;
  const round = getRound(db, roundId);
  requireAnswerDetail(db, round, clock.now());
  const queue = reviewQueue(db, roundId);
  const advantages = getAdvantageVersion(db, round.advantageVersionId).advantages;
  return { round, queue: { roundId, csrfToken: viewerOf(c).csrfToken ?? null, ...queue, advantages, message } };
}

// ── the advantages form: rows of name, statement and synonyms ──

const ADVANTAGE_FORM_SPARE_ROWS = 1;

function advantageFormValues(version: ReturnType<typeof currentAdvantageVersion>): FormValues {
  const values: FormValues = {};
  version?.advantages.forEach((advantage, index) => {
    values[`key_${index}`] = advantage.key;
    values[`name_${index}`] = advantage.name;
    values[`statement_${index}`] = advantage.statement;
    values[`synonyms_${index}`] = advantage.synonyms.join('\n');
  });
  return values;
}

function parseAdvantageForm(body: Record<string, unknown>, rows: number): { list: AdvantageInput[]; errors: FieldErrors } {
  const list: AdvantageInput[] = [];
  const errors: FieldErrors = {};
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  for (let index = 0; index < rows; index++) {
    if (text(`remove_${index}`)) continue;
    const name = text(`name_${index}`);
    const statement = text(`statement_${index}`);
    const synonyms = synonymsFromText(text(`synonyms_${index}`));
    if (!name && !statement && synonyms.length === 0) continue;
    if (!name) errors[`name_${index}`] = 'Enter a name.';
    else if (name.length > 120) errors[`name_${index}`] = 'Keep the name under 120 characters.';
    if (statement.length > 500) errors[`statement_${index}`] = 'Keep the statement under 500 characters.';
    if (synonyms.some((synonym) => synonym.length > 200)) errors[`synonyms_${index}`] = 'Keep each phrase under 200 characters.';
    const key = text(`key_${index}`);
    list.push({ key: key || undefined, name, statement, synonyms });
  }
  if (list.length === 0 && Object.keys(errors).length === 0) errors._form = 'Keep at least one official advantage.';
  return { list, errors };
}

export function surveysRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/surveys', requireSignedIn);
  app.use('/surveys/*', requireSignedIn);
  app.use('/advantages', requireSignedIn);
  app.use('/advantages/*', requireSignedIn);

  app.get('/surveys', (c) => {
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const now = clock.now();
    const canSeeResults = viewer.person.role === 'hr' || viewer.person.role === 'manager';
    return html(
      c,
      SurveysPage({
        layout: layoutProps(c, 'Surveys'),
        isHr: viewer.person.role === 'hr',
        canSeeResults,
        canEditAdvantages: canEditAdvantages(viewer.person),
        rounds: canSeeResults ? roundOverviews(db, now) : [],
        mine: roundsForPerson(db, viewer.person.id, now),
        trend: canSeeResults ? roundTrend(db, now) : [],
        threshold: SHARED_MINDSET_THRESHOLD,
      }),
    );
  });

  app.get('/surveys/new', requireRole('hr'), (c) => renderRoundForm(c, roundFormValues(c)));

  // ── HR's survey settings (before /surveys/:id, which would take "settings" for an id) ──

  const renderSettings = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 = 200) => {
    const settings = loadSurveySettings(c.var.deps.db);
    return html(c, SurveySettingsPage({ layout: layoutProps(c, 'Survey settings'), values: values ?? { ...settings }, errors }), status);
  };

  app.get('/surveys/settings', requireRole('hr'), (c) => renderSettings(c));

  app.post(
    '/surveys/settings',
    requireRole('hr'),
    formValidator(surveySettingsSchema, (c, errors, values) => renderSettings(c, values, errors, 400)),
    (c) => {
      saveSurveySettings(c.var.deps.db, c.var.deps.clock, actorOf(viewerOf(c)), c.req.valid('form'));
      return redirectWithMessage(c, '/surveys/settings', 'Survey settings saved.');
    },
  );

  app.post(
    '/surveys',
    requireRole('hr'),
    formValidator(roundInputSchema, (c, errors, values) => renderRoundForm(c, values, errors, 400)),
    async (c) => {
      const input = c.req.valid('form');
      const viewer = viewerOf(c);
      try {
        const round = openRound(c.var.deps.db, c.var.deps.clock, actorOf(viewer), viewer.person, input);
        return redirectWithMessage(c, `/surveys/${round.id}`, `Round "${round.title}" is open; everyone asked got a message.`);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
          const field = err.code === 'invalid' ? 'closesOn' : err.code === 'empty_population' ? 'populationKind' : '_form';
          return renderRoundForm(c, input as unknown as FormValues, { [field]: err.message }, err.status as 400 | 409);
        }
        throw err;
      }
    },
  );

  app.get('/surveys/:id', requireRole('hr', 'manager'), paramValidator(idParam), queryValidator(roundPageQuery), (c) => {
    const { id } = c.req.valid('param');
    const { teamPage } = c.req.valid('query');
    if (isHtmx(c)) {
      // The pager of the By-team table swaps just the table.
      const results = computeRoundResults(c.var.deps.db, id, c.var.deps.clock.now());
      const { isHr, programs, teams } = teamResultsOf(c, results, teamPage);
      return html(
        c,
        TeamResults({
          roundId: id,
          teams,
          threshold: results.threshold,
          status: results.round.status,
          minGroupSize: results.minGroupSize,
          selectable: isHr && programs.length > 0,
        }),
      );
    }
    return renderRoundPage(c, id, teamPage);
  });

  app.get('/surveys/:id/export.csv', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const round = getRound(c.var.deps.db, id);
    const csv = roundAnswersCsv(c.var.deps.db, id, c.var.deps.clock.now());
    const filename = `survey-${round.id}-${round.closesOn}.csv`;
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"` });
  });

  // ── answering ──

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

  app.get('/surveys/:id/answer', paramValidator(idParam), (c) => renderAnswer(c, c.req.valid('param').id));

  app.post(
    '/surveys/:id/answer',
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

  // ── HR actions on a round ──

  app.post('/surveys/:id/remind', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const queued = remindNonRespondents(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id);
    // In an anonymous round the number reminded would count who answered, below k too.
    const message = getRound(c.var.deps.db, id).anonymous
      ? 'Everyone who has not answered is reminded (at most once a day).'
      : queued
        ? `${queued} reminders queued in the outbox.`
        : 'Everyone who has not answered was reminded today already.';
    return redirectWithMessage(c, `/surveys/${id}`, message);
  });

  app.post('/surveys/:id/close', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    closeRoundEarly(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id);
    return redirectWithMessage(c, `/surveys/${id}`, 'The round is closed.');
  });

  app.post('/surveys/:id/rejudge', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const result = rejudgeRound(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id);
    return redirectWithMessage(c, `/surveys/${id}`, `Re-scored against version ${result.versionNumber}: ${result.rescored} answers changed.`);
  });

  // Everyone below the threshold (scope=people), or the teams ticked in the By-team table (scope=team,
  // teamIds; a single teamId still works). A mistake comes back as the results page with the message at the form.
  app.post(
    '/surveys/:id/enroll',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(enrollInputSchema, (c, errors, values) => {
      const { scope: scopeError, ...fieldErrors } = errors;
      const state: EnrollFormState = {
        scope: values.scope === 'people' ? 'people' : 'team',
        values,
        errors: scopeError ? { ...fieldErrors, _form: scopeError } : fieldErrors,
      };
      return renderRoundPage(c, Number(c.req.param('id')), teamPageOf(values), state, 400);
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('form');
      const teamPage = input.scope === 'team' ? teamPageOf(await c.req.parseBody()) : 1;
      let result: ReturnType<typeof enrollFromRound>;
      try {
        result = enrollFromRound(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, input);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
          const values = input.scope === 'team' ? { ...input, teamIds: input.teamIds.map(String) } : { ...input };
          return renderRoundPage(c, id, teamPage, { scope: input.scope, values, errors: { _form: err.message } }, err.status as 400 | 409);
        }
        throw err;
      }
      const parts = [`${result.enrolled + result.reopened} enrolled`];
      if (result.alreadyEnrolled) parts.push(`${result.alreadyEnrolled} were enrolled already`);
      if (result.skipped) parts.push(`${result.skipped} inactive skipped`);
      return redirectWithMessage(c, `/surveys/${id}${teamPage > 1 ? `?teamPage=${teamPage}` : ''}`, `Review program: ${parts.join(', ')}.`);
    },
  );

  // ── review queue ──

  app.get('/surveys/:id/review', requireRole('hr'), paramValidator(idParam), (c) => {
    const { round, queue } = renderReviewQueue(c, c.req.valid('param').id);
    return html(c, ReviewPage({ layout: layoutProps(c, `Review: ${round.title}`), round, queue }));
  });

  app.post(
    '/surveys/:id/review',
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

  // ── official advantages ──

  const renderAdvantages = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 = 200, shownNumber?: number) => {
    const { db } = c.var.deps;
    const version = currentAdvantageVersion(db);
    const formValues = values ?? advantageFormValues(version);
    const filledRows = Object.keys(formValues).filter((name) => /^name_\d+$/.test(name)).length;
    const rows = Math.max(version?.advantages.length ?? 0, filledRows) + ADVANTAGE_FORM_SPARE_ROWS;
    return html(
      c,
      AdvantagesPage({
        layout: layoutProps(c, 'Official advantages'),
        version,
        versions: listAdvantageVersions(db),
        values: formValues,
        errors,
        rows: version ? Math.max(rows, 1) : Math.max(rows, 3),
        shownVersion: shownNumber ? getAdvantageVersionByNumber(db, shownNumber) : null,
      }),
      status,
    );
  };

  app.get('/advantages', queryValidator(z.object({ version: z.coerce.number().int().positive().optional() })), (c) => {
    requireAdvantageEditor(viewerOf(c).person);
    return renderAdvantages(c, undefined, undefined, 200, c.req.valid('query').version);
  });

  app.post('/advantages', async (c) => {
    const viewer = viewerOf(c);
    requireAdvantageEditor(viewer.person);
    const body = (await c.req.parseBody()) as Record<string, unknown>;
    const rowCount = Object.keys(body).filter((name) => /^name_\d+$/.test(name)).length;
    const { list, errors } = parseAdvantageForm(body, rowCount);
    const values = Object.fromEntries(Object.entries(body).filter(([name]) => name !== '_csrf'));
    if (Object.keys(errors).length) return renderAdvantages(c, values, errors, 400);
    try {
      const version = saveAdvantageVersion(c.var.deps.db, c.var.deps.clock, actorOf(viewer), list, typeof body.note === 'string' ? body.note : '');
      return redirectWithMessage(c, '/advantages', `Saved as version ${version.number}.`);
    } catch (err) {
      if (err instanceof AppError && err.status === 400) return renderAdvantages(c, values, { _form: err.message }, 400);
      throw err;
    }
  });

  return app;
}
