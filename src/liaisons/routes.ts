import { Hono } from 'hono';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { people, teams } from '../../db/schema';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden, notFound } from '../lib/errors';
import { idSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../auth/middleware';
import { formValidator, html, layoutProps, paramValidator } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { BacklogPage, LiaisonsPage } from '../../views/liaisons/pages';
import {
  addSuggestion, appointInputSchema, appointLiaison, backlogOf, canChangeBacklog, canViewBacklog, endLiaison, getSuggestion, importFieldSuggestions, liaisonOfTeam, listLiaisons, moveInputSchema, moveSuggestion,
  requireBacklogChange, suggestionInputSchema, teamsOfLiaison,
} from './liaisons';

const idParam = z.object({ id: idSchema });
const teamParam = z.object({ teamId: idSchema });
const flashTo = (path: string, message: string) => `${path}?flash=${encodeURIComponent(message)}`;

function renderLiaisons(c: AppContext, values: FormValues = {}, errors?: FieldErrors, status: 200 | 400 | 404 | 409 = 200) {
  const viewer = viewerOf(c);
  const { db, clock } = c.var.deps;
  importFieldSuggestions(db, clock);
  const isHr = viewer.person.role === 'hr';
  const candidates = isHr
    ? db
        .select({ id: people.id, name: people.name, department: people.department })
        .from(people)
        .where(and(eq(people.active, true), inArray(people.department, ['sales', 'marketing'])))
        .orderBy(asc(people.department), asc(people.name))
        .all()
    : [];
  const teamRows = isHr ? db.select().from(teams).where(inArray(teams.department, ['sales', 'marketing'])).orderBy(asc(teams.department), asc(teams.name)).all() : [];
  return html(
    c,
    LiaisonsPage({
      layout: layoutProps(c, 'Liaisons'),
      isHr,
      liaisons: listLiaisons(db),
      people: candidates.map((person) => ({ value: person.id, label: `${person.name} (${person.department})` })),
      teams: teamRows.map((team) => ({ value: team.id, label: `${team.name} (${team.department})` })),
      values,
      errors,
      myTeams: teamsOfLiaison(db, viewer.person.id),
    }),
    status,
  );
}

function renderBacklog(c: AppContext, teamId: number, values: FormValues = {}, errors?: FieldErrors, status: 200 | 400 = 200) {
  const viewer = viewerOf(c);
  const { db, clock } = c.var.deps;
  // New feedback and check-in suggestions land in the backlog the next time anyone looks at it.
  importFieldSuggestions(db, clock);
  const team = db.select().from(teams).where(eq(teams.id, teamId)).get();
  if (!team) throw notFound('No team with this id.');
  if (!canViewBacklog(db, viewer, teamId)) throw forbidden("Only HR, managers and the team's liaison see its backlog.");
  const liaison = liaisonOfTeam(db, teamId);
  const liaisonName = liaison ? (db.select({ name: people.name }).from(people).where(eq(people.id, liaison.personId)).get()?.name ?? null) : null;
  return html(
    c,
    BacklogPage({
      layout: layoutProps(c, `Backlog: ${team.name}`),
      teamName: team.name,
      teamId,
      liaisonName,
      suggestions: backlogOf(db, teamId),
      canChange: canChangeBacklog(db, viewer, teamId),
      values,
      errors,
    }),
    status,
  );
}

export function liaisonsRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/liaisons', requireSignedIn);
  app.use('/liaisons/*', requireSignedIn);

  app.get('/liaisons', (c) => renderLiaisons(c));

  app.post('/liaisons', requireRole('hr'), formValidator(appointInputSchema, (c, errors, values) => renderLiaisons(c, values, errors, 400)), (c) => {
    const input = c.req.valid('form');
    try {
      appointLiaison(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), input);
    } catch (err) {
      if (err instanceof AppError && [400, 404, 409].includes(err.status)) return renderLiaisons(c, input, { personId: err.message }, err.status as 400 | 404 | 409);
      throw err;
    }
    return c.redirect(flashTo('/liaisons', 'Liaison appointed.'), 303);
  });

  app.post('/liaisons/:id/end', requireRole('hr'), paramValidator(idParam), (c) => {
    endLiaison(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('param').id);
    return c.redirect(flashTo('/liaisons', 'Appointment ended.'), 303);
  });

  app.get('/liaisons/teams/:teamId/backlog', paramValidator(teamParam), (c) => renderBacklog(c, c.req.valid('param').teamId));

  app.post(
    '/liaisons/teams/:teamId/backlog',
    paramValidator(teamParam),
    formValidator(suggestionInputSchema, (c, errors, values) => renderBacklog(c, Number(c.req.param('teamId')), values, errors, 400)),
    (c) => {
      const { teamId } = c.req.valid('param');
      const { db, clock } = c.var.deps;
      requireBacklogChange(db, viewerOf(c), teamId);
      const input = c.req.valid('form');
      addSuggestion(db, clock, actorOf(c.var.viewer), { teamId, title: input.title, detail: input.detail, source: 'manual' });
      return c.redirect(flashTo(`/liaisons/teams/${teamId}/backlog`, 'Suggestion added.'), 303);
    },
  );

  app.post(
    '/liaisons/suggestions/:id',
    paramValidator(idParam),
    formValidator(moveInputSchema, (c, errors) => {
      throw new AppError(400, 'invalid', errors.reason ?? errors.move ?? 'Choose what to do with the suggestion.');
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const { db, clock } = c.var.deps;
      const suggestion = getSuggestion(db, id);
      requireBacklogChange(db, viewerOf(c), suggestion.teamId);
      const input = c.req.valid('form');
      const after = moveSuggestion(db, clock, actorOf(c.var.viewer), id, input.move, input.reason);
      return c.redirect(flashTo(`/liaisons/teams/${suggestion.teamId}/backlog`, `"${after.title}" is ${after.status}.`), 303);
    },
  );

  return app;
}
