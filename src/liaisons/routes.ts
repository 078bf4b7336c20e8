import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { people, teams } from '../../db/schema';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden, notFound } from '../lib/errors';
import { blankToUndefined, idSchema, pathIdSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../guards';
import { formValidator, html, layoutProps, paramValidator, queryValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { BacklogPage, LiaisonsPage, UnassignedBacklogPage } from '../../views/liaisons/pages';
import {
  addSuggestion,
  appointLiaison,
  type AppointInput,
  backlogOf,
  canChangeBacklog,
  canViewBacklog,
  countUnassigned,
  endLiaison,
  getSuggestion,
  liaisonCandidateByText,
  liaisonCandidates,
  liaisonOfTeam,
  listLiaisons,
  moveInputSchema,
  moveSuggestion,
  suggestionInputSchema,
  teamsOfLiaison,
  unassignedBacklog,
} from './liaisons';
import { withDepartment } from '../../views/labels';
import { countTeams, LISTED_TEAMS, teamFilter, teamOptions } from '../people/teams';

const idParam = z.object({ id: pathIdSchema });
const teamParam = z.object({ teamId: pathIdSchema });
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function renderLiaisons(c: AppContext, values: FormValues = {}, errors?: FieldErrors, status: 200 | 400 | 404 | 409 = 200) {
  const viewer = viewerOf(c);
  const { db } = c.var.deps;
  const isHr = viewer.person.role === 'hr';
  // A company too large to list everyone (or every team) in the form asks for a name or an address to be typed.
  const candidates = isHr ? liaisonCandidates(db) : [];
  const teamRows = isHr && countTeams(db) <= LISTED_TEAMS ? teamOptions(db, ['sales', 'marketing']) : null;
  const chosenTeam = teamRows === null && values.teamId !== undefined && values.teamName === undefined ? teamFilter(db, { team: Number(values.teamId) }) : null;
  return html(
    c,
    LiaisonsPage({
      layout: layoutProps(c, 'Liaisons'),
      isHr,
      liaisons: listLiaisons(db),
      people: candidates?.map((person) => ({ value: person.id, label: withDepartment(person) })) ?? null,
      teams: teamRows?.map((team) => ({ value: team.id, label: withDepartment(team) })) ?? null,
      values: chosenTeam?.teamName ? { ...values, teamName: chosenTeam.teamName } : values,
      errors,
      myTeams: teamsOfLiaison(db, viewer.person.id),
      seesAllBacklogs: isHr || viewer.person.role === 'manager',
      unassigned: isHr ? countUnassigned(db) : 0,
    }),
    status,
  );
}

function renderBacklog(c: AppContext, teamId: number, values: FormValues = {}, errors?: FieldErrors, status: 200 | 400 = 200) {
  const viewer = viewerOf(c);
  const { db } = c.var.deps;
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
      isHr: viewer.person.role === 'hr',
      values,
      errors,
    }),
    status,
  );
}

/**
 * The appoint form: the person and the team chosen from lists (ids), or typed (a name or an address, a team's
 * name) where the company has too many to list.
 */
const appointFormSchema = z.object({
  personId: z.preprocess(blankToUndefined, idSchema.optional()),
  person: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
  teamId: z.preprocess(blankToUndefined, idSchema.optional()),
  teamName: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()),
});

/** The ids an appoint form means, or its fields' errors (the field the form showed names what is missing). */
function chosenAppointment(c: AppContext, form: z.output<typeof appointFormSchema>): { input: AppointInput } | { errors: FieldErrors } {
  const { db } = c.var.deps;
  const errors: FieldErrors = {};
  let personId = form.personId;
  if (personId === undefined && form.person !== undefined) {
    const found = liaisonCandidateByText(db, form.person);
    if ('error' in found) errors.person = found.error;
    else personId = found.id;
  } else if (personId === undefined) errors[liaisonCandidates(db) ? 'personId' : 'person'] = 'Choose a person.';
  let teamId = form.teamId;
  if (teamId === undefined && form.teamName !== undefined) {
    const named = teamFilter(db, { teamName: form.teamName });
    if (named.errors) errors.teamName = named.errors.teamName;
    else teamId = named.team;
  } else if (teamId === undefined) errors[countTeams(db) <= LISTED_TEAMS ? 'teamId' : 'teamName'] = 'Choose a team.';
  if (personId === undefined || teamId === undefined) return { errors };
  return { input: { personId, teamId } };
}

/** Where a move answers: the backlog the item is on, or the unassigned backlog it came from. */
const backFrom = z.object({ from: z.preprocess(blankToUndefined, z.enum(['unassigned']).optional()) });

/** Appointing liaisons and ending appointments (HR), and the unassigned backlog. Mounted at /liaisons. */
function appointmentRoutes() {
  const app = new Hono<AppEnv>();

  // `?team=` chooses the team in the appoint form (the unassigned backlog links here).
  app.get('/', queryValidator(z.object({ team: z.preprocess(blankToUndefined, idSchema.optional()) })), (c) =>
    renderLiaisons(c, { teamId: c.req.valid('query').team }),
  );

  app.post(
    '/',
    requireRole('hr'),
    formValidator(appointFormSchema, (c, errors, values) => renderLiaisons(c, values, errors, 400)),
    (c) => {
      const form = c.req.valid('form');
      const chosen = chosenAppointment(c, form);
      if ('errors' in chosen) return renderLiaisons(c, form, chosen.errors, 400);
      const input = chosen.input;
      let appointed;
      try {
        appointed = appointLiaison(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), input);
      } catch (err) {
        if (err instanceof AppError && [400, 404, 409].includes(err.status))
          return renderLiaisons(c, form, { [form.person === undefined ? 'personId' : 'person']: err.message }, err.status as 400 | 404 | 409);
        throw err;
      }
      const message = appointed.takenOver
        ? `Liaison appointed: ${plural(appointed.takenOver, 'open suggestion is', 'open suggestions are')} in their backlog now.`
        : 'Liaison appointed.';
      return redirectWithMessage(c, '/liaisons', message);
    },
  );

  app.post('/:id/end', requireRole('hr'), paramValidator(idParam), (c) => {
    endLiaison(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('param').id);
    return redirectWithMessage(c, '/liaisons', "Appointment ended; the team's open suggestions wait in the unassigned backlog until the next liaison.");
  });

  // Suggestions of teams without a liaison (or without a team) wait here; HR moves them or appoints a liaison.
  app.get('/unassigned', requireRole('hr'), (c) => {
    const { db } = c.var.deps;
    return html(c, UnassignedBacklogPage({ layout: layoutProps(c, 'Unassigned backlog'), suggestions: unassignedBacklog(db) }));
  });

  return app;
}

/** A team's backlog: adding a suggestion, moving one (HR and the team's liaison). Mounted at /liaisons. */
function backlogRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/teams/:teamId/backlog', paramValidator(teamParam), (c) => renderBacklog(c, c.req.valid('param').teamId));

  app.post(
    '/teams/:teamId/backlog',
    paramValidator(teamParam),
    formValidator(suggestionInputSchema, (c, errors, values) => renderBacklog(c, Number(c.req.param('teamId')), values, errors, 400)),
    (c) => {
      const { teamId } = c.req.valid('param');
      const { db, clock } = c.var.deps;
      if (!canChangeBacklog(db, viewerOf(c), teamId)) throw forbidden("Only HR and the team's liaison change its backlog.");
      if (!db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).get()) throw notFound('No team with this id.');
      const input = c.req.valid('form');
      addSuggestion(db, clock, actorOf(c.var.viewer), { teamId, title: input.title, detail: input.detail, source: 'manual' });
      return redirectWithMessage(c, `/liaisons/teams/${teamId}/backlog`, 'Suggestion added.');
    },
  );

  app.post(
    '/suggestions/:id',
    paramValidator(idParam),
    queryValidator(backFrom),
    formValidator(moveInputSchema, (_c, errors) => {
      throw new AppError(400, 'invalid', errors.reason ?? errors.move ?? 'Choose what to do with the suggestion.');
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const { db, clock } = c.var.deps;
      const input = c.req.valid('form');
      const before = getSuggestion(db, id);
      const after = moveSuggestion(db, clock, viewerOf(c), id, input.move, input.reason);
      const back = c.req.valid('query').from === 'unassigned' || before.teamId === null ? '/liaisons/unassigned' : `/liaisons/teams/${before.teamId}/backlog`;
      return redirectWithMessage(c, back, `"${after.title}" is ${after.status}.`);
    },
  );

  return app;
}

/** The liaison pages: appointments and backlogs, each needing a signed-in person. */
export function liaisonsRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/liaisons', requireSignedIn);
  app.use('/liaisons/*', requireSignedIn);
  app.route('/liaisons', appointmentRoutes());
  app.route('/liaisons', backlogRoutes());
  return app;
}
