/**
 * Survey rounds: the list, opening one, its results page and CSV, and HR's actions on it. Mounted at /surveys.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { pageQuery } from '../lib/validation';
import { formatLocalDate, addDaysToLocalDate } from '../lib/time';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import { findOnForm, formValidator, html, isHtmx, layoutProps, paramValidator, queryValidator, redirectWithMessage } from '../web';
import { countTeams, LISTED_TEAMS, teamByName, teamOptions, teamsByIds } from '../people/teams';
import type { FieldErrors, FormValues } from '../../views/components';
import type { EnrollFormState } from '../../views/surveys/enroll';
import { SurveysPage } from '../../views/surveys/home';
import { RoundFormPage } from '../../views/surveys/round-form';
import { RoundPage, TeamResults } from '../../views/surveys/round';
import { canEditAdvantages, currentAdvantageVersion } from './advantages';
import { enrollFromRound, enrollInputSchema, reviewPrograms } from './loop';
import { SHARED_MINDSET_THRESHOLD } from '../matching/matching';
import { roundOverviews, roundTrend } from './results';
import { roundAnswersCsv, roundResultsPage } from './presentation';
import { closeRoundEarly, getRound, openRound, remindNonRespondents, roundInputSchema } from './surveys';
import { rejudgeRound } from './review';
import { roundsForPerson } from './answering';
import { withDepartment } from '../../views/labels';
import { idParam } from './route-helpers';

const roundPageQuery = z.object({ teamPage: pageQuery.page });

function roundFormValues(c: AppContext): FormValues {
  const zone = viewerOf(c).person.timeZone;
  return { populationKind: 'everyone', closesOn: addDaysToLocalDate(formatLocalDate(c.var.deps.clock.now(), zone), 14) };
}

const chosenTeamIds = (values: FormValues) =>
  (Array.isArray(values.teamIds) ? values.teamIds : values.teamIds === undefined || values.teamIds === '' ? [] : [values.teamIds])
    .map(Number)
    .filter((id) => Number.isInteger(id) && id > 0);

/**
 * The round form: every team a box to tick in a company of LISTED_TEAMS or fewer; else the teams chosen so far, and
 * another added by typing its name, so the form keeps its size as the company grows.
 */
const renderRoundForm = (c: AppContext, values: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200) => {
  const db = c.var.deps.db;
  const addByName = countTeams(db) > LISTED_TEAMS;
  const teams = addByName ? teamsByIds(db, chosenTeamIds(values)) : teamOptions(db);
  return html(
    c,
    RoundFormPage({
      layout: layoutProps(c, 'Open a survey round'),
      values,
      errors,
      teams: teams.map((team) => ({ value: team.id, label: withDepartment(team) })),
      addByName,
      advantageCount: currentAdvantageVersion(db)?.advantages.length ?? 0,
    }),
    status,
  );
};

/** "Add a team": the form again with the team of that name chosen (and the round asking chosen teams); nothing is saved. */
const addRoundTeam = (c: AppContext, values: FormValues) => {
  const found = teamByName(c.var.deps.db, String(values.teamName ?? ''));
  if ('error' in found) return renderRoundForm(c, values, { teamName: found.error }, 400);
  const teamIds = [...new Set([...chosenTeamIds(values), found.id])].map(String);
  return renderRoundForm(c, { ...values, teamIds, populationKind: 'teams', teamName: '' });
};

// ── the results page ──

/** The results with one page of the By-team table, and whether HR can tick its rows; the same for the full page and the htmx partial. */
function teamResultsOf(c: AppContext, roundId: number, teamPage: number) {
  const isHr = viewerOf(c).person.role === 'hr';
  const programs = isHr ? reviewPrograms(c.var.deps.db) : [];
  return { isHr, programs, ...roundResultsPage(c.var.deps.db, roundId, c.var.deps.clock.now(), teamPage) };
}

function renderRoundPage(c: AppContext, roundId: number, teamPage: number, enroll?: EnrollFormState, status: 200 | 400 | 409 = 200) {
  const { db, clock } = c.var.deps;
  const { isHr, programs, results, teams, weakTeamCount } = teamResultsOf(c, roundId, teamPage);
  const current = currentAdvantageVersion(db);
  return html(
    c,
    RoundPage({
      layout: layoutProps(c, results.round.title),
      results,
      isHr,
      programs,
      belowThresholdPeople: isHr && !results.round.anonymous ? results.respondentsBelowThreshold : 0,
      weakTeamCount,
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

export function roundRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => {
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

  app.get('/new', requireRole('hr'), (c) => renderRoundForm(c, roundFormValues(c)));

  app.post(
    '/',
    requireRole('hr'),
    findOnForm({ addTeam: 'teamName' }, addRoundTeam),
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

  app.get('/:id', requireRole('hr', 'manager'), paramValidator(idParam), queryValidator(roundPageQuery), (c) => {
    const { id } = c.req.valid('param');
    const { teamPage } = c.req.valid('query');
    if (isHtmx(c)) {
      // The pager of the By-team table swaps just the table.
      const { isHr, programs, results, teams } = teamResultsOf(c, id, teamPage);
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

  app.get('/:id/export.csv', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const round = getRound(c.var.deps.db, id);
    const filename = `survey-${round.id}-${round.closesOn}.csv`;
    return c.body(roundAnswersCsv(c.var.deps.db, id, c.var.deps.clock.now()), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
    });
  });

  // ── HR actions on a round ──

  app.post('/:id/remind', requireRole('hr'), paramValidator(idParam), (c) => {
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

  app.post('/:id/close', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    closeRoundEarly(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id);
    return redirectWithMessage(c, `/surveys/${id}`, 'The round is closed.');
  });

  app.post('/:id/rejudge', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const result = rejudgeRound(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id);
    return redirectWithMessage(c, `/surveys/${id}`, `Re-scored against version ${result.versionNumber}: ${result.rescored} answers changed.`);
  });

  // Everyone below the threshold (scope=people), or the teams ticked in the By-team table (scope=team,
  // teamIds; a single teamId still works). A mistake comes back as the results page with the message at the form.
  app.post(
    '/:id/enroll',
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
  return app;
}
