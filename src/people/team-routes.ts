/**
 * Teams (HR): list, add, edit. Mounted at /teams.
 */
import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../context';
import { actorOf } from '../audit/audit';
import { findOnForm, formValidator, html, layoutProps, paramValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { TeamEditPage, TeamsPage } from '../../views/people/teams';
import { getTeam } from './people';
import { createTeam, listTeams, teamInputSchema, teamsQuerySchema, TEAMS_PAGE_SIZE, updateTeam } from './teams';
import { AppError } from '../lib/errors';
import { conflictField, idParam, managerOptions } from './route-helpers';

/** The teams page: a page of the teams the address asks for (a bad page or filter is a 400 page), and the form to add one. */
const renderTeams = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200) => {
  const query = teamsQuerySchema.safeParse({ q: c.req.query('q'), page: c.req.query('page') });
  if (!query.success) throw new AppError(400, 'invalid', 'The address has an invalid parameter.');
  const list = listTeams(c.var.deps.db, { ...query.data, pageSize: TEAMS_PAGE_SIZE });
  return html(c, TeamsPage({ layout: layoutProps(c, 'Teams'), list, q: query.data.q ?? '', ...managerOptions(c, values), values, errors }), status);
};
const renderTeamEdit = (c: AppContext, teamId: number, values: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200) =>
  html(c, TeamEditPage({ layout: layoutProps(c, 'Edit team'), teamId, ...managerOptions(c, values), values, errors }), status);

const findManager = { findManager: 'managerSearch' };

export function teamRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => renderTeams(c));
  app.post(
    '/',
    findOnForm(findManager, (c, values) => renderTeams(c, values)),
    formValidator(teamInputSchema, (c, errors, values) => renderTeams(c, values, errors, 400)),
    (c) => {
      const input = c.req.valid('form');
      try {
        const team = createTeam(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), input);
        return redirectWithMessage(c, `/teams`, `Team ${team.name} added.`);
      } catch (err) {
        const errors = conflictField(err);
        if (errors) return renderTeams(c, input, errors.teamId ? { managerId: errors.teamId } : errors, 409);
        throw err;
      }
    },
  );
  app.get('/:id/edit', paramValidator(idParam), (c) => {
    const team = getTeam(c.var.deps.db, c.req.valid('param').id);
    return renderTeamEdit(c, team.id, team);
  });
  app.post(
    '/:id',
    paramValidator(idParam),
    findOnForm(findManager, (c, values) => renderTeamEdit(c, getTeam(c.var.deps.db, Number(c.req.param('id'))).id, values)),
    formValidator(teamInputSchema, (c, errors, values) => renderTeamEdit(c, Number(c.req.param('id')), values, errors, 400)),
    (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('form');
      try {
        updateTeam(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, input);
      } catch (err) {
        const errors = conflictField(err);
        if (errors) return renderTeamEdit(c, id, input, errors.teamId ? { managerId: errors.teamId } : errors, 409);
        throw err;
      }
      return redirectWithMessage(c, `/teams`, 'Team saved.');
    },
  );

  return app;
}
