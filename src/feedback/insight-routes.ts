/**
 * Field insights for marketing, managers and HR, and moving the open suggestions they list. Mounted at /insights.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { viewerOf } from '../guards';
import { AppError, forbidden } from '../lib/errors';
import { addDaysToLocalDate, formatLocalDate, startOfLocalDate } from '../lib/time';
import { blankToUndefined, dateSchema, idSchema } from '../lib/validation';
import { countTeams, LISTED_TEAMS, teamFilter, teamOptions } from '../people/teams';
import { withDepartment } from '../../views/labels';
import type { FieldErrors } from '../../views/components';
import { fieldErrors, formValidator, html, isHtmx, layoutProps, redirectWithMessage } from '../web';
import { InsightsPage, InsightsResults, type InsightsFilters } from '../../views/feedback/insights';
import { canMergeNames } from './names';
import { canSeeInsights, fieldInsights, INSIGHTS_DEFAULT_DAYS, suggestionGroupsFor } from './insights';
import { MAX_MOVED, moveInputSchema, moveSuggestions } from '../liaisons/liaisons';

/** Moving a group of open suggestions: the backlog items' ids, comma-separated. */
const groupMoveSchema = moveInputSchema.and(
  z.object({
    ids: z
      .string()
      .trim()
      .regex(/^\d+(,\d+)*$/, 'Choose a suggestion.')
      .transform((v) => v.split(',').map(Number))
      .refine((ids) => ids.length <= MAX_MOVED, `Move at most ${MAX_MOVED} suggestions at once.`),
  }),
);
const insightsQuery = z
  .object({
    team: z.preprocess(blankToUndefined, idSchema.optional()),
    teamName: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()),
    from: z.preprocess(blankToUndefined, dateSchema.optional()),
    to: z.preprocess(blankToUndefined, dateSchema.optional()),
    page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).optional()),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'The end date is before the start date.' });

/** The default period: the last INSIGHTS_DEFAULT_DAYS up to today, in the viewer's zone. */
function insightsPeriod(query: { from?: string; to?: string }, today: string): { from: string; to: string } {
  const to = query.to ?? today;
  return { from: query.from ?? addDaysToLocalDate(to, -INSIGHTS_DEFAULT_DAYS), to };
}

type InsightsQuery = z.infer<typeof insightsQuery>;

/** The query with its team typed by name (the filter of a company with many teams) as the team's id. */
function withTeamByName(c: AppContext, q: InsightsQuery): { query: InsightsQuery; teamName?: string; errors?: FieldErrors } {
  const { team, teamName, errors } = teamFilter(c.var.deps.db, q);
  return { query: { ...q, team }, teamName, errors };
}

const insightsFor = (c: AppContext, q: InsightsQuery) => {
  const viewer = viewerOf(c);
  const { db } = c.var.deps;
  const zone = viewer.person.timeZone;
  const period = insightsPeriod(q, formatLocalDate(c.var.deps.clock.now(), zone));
  const filters: InsightsFilters = { team: q.team, ...period, page: q.page ?? 1 };
  const insights = fieldInsights(
    db,
    {
      teamId: q.team,
      from: startOfLocalDate(period.from, zone),
      to: startOfLocalDate(addDaysToLocalDate(period.to, 1), zone),
    },
    filters.page,
  );
  return { filters, insights, suggestions: suggestionGroupsFor(db, viewer, insights.suggestions), timeZone: zone, csrfToken: viewer.csrfToken ?? null };
};

const requireInsights = (c: AppContext) => {
  if (!canSeeInsights(viewerOf(c).person)) throw forbidden('Field insights are for marketing, managers and HR.');
};

const filtersOf = (c: AppContext) => {
  const parsed = insightsQuery.safeParse(c.req.query());
  return parsed.success ? withTeamByName(c, parsed.data).query : {};
};

export function insightRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    '/',
    async (c, next) => {
      requireInsights(c);
      await next();
    },
    (c) => {
      const parsed = insightsQuery.safeParse(c.req.query());
      const named = withTeamByName(c, parsed.success ? parsed.data : {});
      const errors = parsed.success ? named.errors : fieldErrors(parsed.error);
      const results = insightsFor(c, named.query);
      if (isHtmx(c)) return html(c, InsightsResults(results), errors ? 400 : 200);
      const { db } = c.var.deps;
      const teamList = countTeams(db) <= LISTED_TEAMS ? teamOptions(db).map((t) => ({ value: t.id, label: withDepartment(t) })) : null;
      return html(
        c,
        InsightsPage({
          layout: layoutProps(c, 'Field insights'),
          teams: teamList,
          teamName: named.teamName,
          errors,
          results,
          canKeepNames: canMergeNames(viewerOf(c).person),
        }),
        errors ? 400 : 200,
      );
    },
  );

  /** Back to the insights page with the same filters (no JS), or the results swapped in place (htmx). */
  const answerMove = (c: AppContext, message: string, status: 200 | 400 | 409 = 200) => {
    const q = filtersOf(c);
    if (isHtmx(c)) return html(c, InsightsResults({ ...insightsFor(c, q), notice: message }), status);
    const back = new URLSearchParams(
      Object.entries({ team: q.team, from: q.from, to: q.to, page: q.page })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    return redirectWithMessage(c, `/insights${back.size ? `?${back}` : ''}`, message);
  };

  // The open suggestions' action moves their liaison backlog items, as the backlog page does.
  app.post(
    '/suggestions/move',
    async (c, next) => {
      requireInsights(c);
      await next();
    },
    formValidator(groupMoveSchema, (c, errors) => answerMove(c, errors.reason ?? errors.ids ?? errors.move ?? 'Choose what to do with the suggestion.', 400)),
    (c) => {
      const viewer = viewerOf(c);
      const { db, clock } = c.var.deps;
      const input = c.req.valid('form');
      try {
        const moved = moveSuggestions(db, clock, viewer, input.ids, input.move, input.reason);
        const what = moved.length === 1 ? 'Suggestion' : `${moved.length} suggestions`;
        return answerMove(c, `${what} ${moved[0]!.status === 'open' ? 'reopened' : moved[0]!.status}.`);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) return answerMove(c, err.message, err.status);
        throw err;
      }
    },
  );

  return app;
}
