import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { idSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../auth/middleware';
import { hashPassword } from '../auth/password';
import { formValidator, html, isHtmx, layoutProps, paramValidator, queryValidator } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { ImportPage, PeopleListPage, PeopleResults, PersonFormPage, PersonPage, TeamEditPage, TeamsPage } from '../../views/people/pages';
import { IMPORT_COLUMN_LIST, importPeople, importTemplateCsv } from './import';
import { decodeCsvBytes } from './csv';
import {
  canViewPerson, createPerson, createTeam, getTeam, listPeople, listTeams, managerChoices, passwordSchema, PEOPLE_PAGE_SIZE, peopleQuerySchema, personDetails,
  personInputSchema, requirePerson, teamOptions, setPersonActive, setTemporaryPassword, teamInputSchema, toPeopleFilter, updatePerson, updateTeam, visiblePersonIds,
} from './people';

const idParam = z.object({ id: idSchema });
const newPersonSchema = personInputSchema.extend({ password: z.preprocess((v) => (v === '' ? undefined : v), passwordSchema.optional()) });
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

function formOptions(c: AppContext) {
  const { db } = c.var.deps;
  return {
    teams: teamOptions(db).map((t) => ({ value: t.id, label: `${t.name} (${t.department})` })),
    managers: managerChoices(db).map((m) => ({ value: m.id, label: m.name })),
  };
}

const renderPersonForm = (c: AppContext, mode: 'new' | 'edit', values: FormValues, errors?: FieldErrors, personId?: number, status: 200 | 400 | 409 = 200) =>
  html(c, PersonFormPage({ layout: layoutProps(c, mode === 'new' ? 'Add person' : 'Edit person'), mode, personId, values, errors, ...formOptions(c) }), status);

/** A domain conflict (taken email, bad reference) shown on the form field it concerns. */
function conflictField(err: unknown): FieldErrors | null {
  if (!(err instanceof AppError) || err.status !== 409) return null;
  if (err.code === 'email_taken') return { email: err.message };
  if (err.code === 'manager_cycle' || (err.code === 'invalid_reference' && /manager/.test(err.message))) return { managerId: err.message };
  if (err.code === 'invalid_reference') return { teamId: err.message };
  if (err.code === 'team_name_taken') return { name: err.message };
  return { _form: err.message };
}

export function peopleRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/people', requireSignedIn);
  app.use('/people/*', requireSignedIn);
  app.use('/teams', requireSignedIn, requireRole('hr'));
  app.use('/teams/*', requireSignedIn, requireRole('hr'));

  app.get('/people', requireRole('hr', 'manager'), queryValidator(peopleQuerySchema), (c) => {
    const query = c.req.valid('query');
    const viewer = viewerOf(c);
    const { db } = c.var.deps;
    const result = listPeople(db, toPeopleFilter(query), visiblePersonIds(db, viewer));
    const results = { ...result, filters: { q: query.q, department: query.department, team: query.team, status: query.status, pageSize: query.pageSize === PEOPLE_PAGE_SIZE ? undefined : query.pageSize } };
    if (isHtmx(c)) return html(c, PeopleResults(results));
    return html(c, PeopleListPage({ layout: layoutProps(c, 'People'), canEdit: viewer.person.role === 'hr', teams: teamOptions(db), results }));
  });

  app.get('/people/new', requireRole('hr'), (c) => renderPersonForm(c, 'new', { timeZone: 'UTC', role: 'employee', hireDate: c.var.deps.clock.now().toISOString().slice(0, 10) }));

  app.post(
    '/people',
    requireRole('hr'),
    formValidator(newPersonSchema, (c, errors, values) => renderPersonForm(c, 'new', { ...values, password: '' }, errors, undefined, 400)),
    async (c) => {
      const { password, ...input } = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const hash = password ? await hashPassword(password) : null;
      try {
        const person = createPerson(db, clock, actorOf(c.var.viewer), input, hash);
        return c.redirect(`/people/${person.id}?flash=${encodeURIComponent(`${person.name} was added.`)}`, 303);
      } catch (err) {
        const errors = conflictField(err);
        if (errors) return renderPersonForm(c, 'new', { ...input, password: '' }, errors, undefined, 409);
        throw err;
      }
    },
  );

  app.get('/people/import', requireRole('hr'), (c) => html(c, ImportPage({ layout: layoutProps(c, 'Import people'), columns: IMPORT_COLUMN_LIST })));

  app.get('/people/import/template.csv', requireRole('hr'), (c) =>
    c.body(importTemplateCsv(), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="people-import-template.csv"' }),
  );

  app.post('/people/import', requireRole('hr'), async (c) => {
    const body = await c.req.parseBody();
    const file = body.file;
    const layout = layoutProps(c, 'Import people');
    if (!(file instanceof File) || file.size === 0) return html(c, ImportPage({ layout, columns: IMPORT_COLUMN_LIST, error: 'Choose a CSV file to import.' }), 400);
    if (file.size > MAX_IMPORT_BYTES) return html(c, ImportPage({ layout, columns: IMPORT_COLUMN_LIST, error: 'The file is larger than 20 MB.' }), 400);
    const { db, clock } = c.var.deps;
    const report = importPeople(db, clock, actorOf(c.var.viewer), decodeCsvBytes(await file.arrayBuffer()));
    return html(c, ImportPage({ layout, columns: IMPORT_COLUMN_LIST, report }), report.errors.length ? 400 : 200);
  });

  app.get('/people/:id', paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const viewer = viewerOf(c);
    const { db } = c.var.deps;
    requirePerson(db, id);
    if (!canViewPerson(db, viewer, id)) throw forbidden('You can only see your own profile and the people who report to you.');
    const details = personDetails(db, id);
    return html(
      c,
      PersonPage({
        layout: layoutProps(c, details.person.name),
        person: details.person,
        teamName: details.teamName,
        managerName: details.managerName,
        managerId: details.person.managerId,
        directReports: details.directReports,
        canEdit: viewer.person.role === 'hr',
        isSelf: viewer.person.id === id,
      }),
    );
  });

  app.get('/people/:id/edit', requireRole('hr'), paramValidator(idParam), (c) => {
    const person = requirePerson(c.var.deps.db, c.req.valid('param').id);
    return renderPersonForm(c, 'edit', person, undefined, person.id);
  });

  app.post(
    '/people/:id',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(personInputSchema, (c, errors, values) => renderPersonForm(c, 'edit', values, errors, Number(c.req.param('id')), 400)),
    (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('form');
      const { db, clock } = c.var.deps;
      requirePerson(db, id);
      if (id === viewerOf(c).person.id && input.role !== 'hr') {
        return renderPersonForm(c, 'edit', input, { role: 'You cannot remove your own HR role.' }, id, 400);
      }
      try {
        updatePerson(db, clock, actorOf(c.var.viewer), id, { ...input, teamId: input.teamId ?? null, managerId: input.managerId ?? null });
      } catch (err) {
        const errors = conflictField(err);
        if (errors) return renderPersonForm(c, 'edit', input, errors, id, 409);
        throw err;
      }
      return c.redirect(`/people/${id}?flash=${encodeURIComponent('Changes saved.')}`, 303);
    },
  );

  for (const [action, active] of [['deactivate', false], ['reactivate', true]] as const) {
    app.post(`/people/:id/${action}`, requireRole('hr'), paramValidator(idParam), (c) => {
      const { id } = c.req.valid('param');
      const { db, clock } = c.var.deps;
      const person = setPersonActive(db, clock, actorOf(c.var.viewer), id, active);
      return c.redirect(`/people/${id}?flash=${encodeURIComponent(`${person.name} was ${action}d.`)}`, 303);
    });
  }

  app.post('/people/:id/password', requireRole('hr'), paramValidator(idParam), formValidator(z.object({ password: passwordSchema }), (c, errors) => {
    throw new AppError(400, 'invalid', `Temporary password: ${errors.password}`);
  }), async (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    await setTemporaryPassword(db, clock, actorOf(c.var.viewer), id, c.req.valid('form').password);
    return c.redirect(`/people/${id}?flash=${encodeURIComponent('Temporary password set.')}`, 303);
  });

  // ── teams ──
  const renderTeams = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200) =>
    html(c, TeamsPage({ layout: layoutProps(c, 'Teams'), teams: listTeams(c.var.deps.db), managers: formOptions(c).managers, values, errors }), status);

  app.get('/teams', (c) => renderTeams(c));
  app.post('/teams', formValidator(teamInputSchema, (c, errors, values) => renderTeams(c, values, errors, 400)), (c) => {
    const input = c.req.valid('form');
    try {
      const team = createTeam(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), input);
      return c.redirect(`/teams?flash=${encodeURIComponent(`Team ${team.name} added.`)}`, 303);
    } catch (err) {
      const errors = conflictField(err);
      if (errors) return renderTeams(c, input, errors.teamId ? { managerId: errors.teamId } : errors, 409);
      throw err;
    }
  });
  const renderTeamEdit = (c: AppContext, teamId: number, values: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200) =>
    html(c, TeamEditPage({ layout: layoutProps(c, 'Edit team'), teamId, managers: formOptions(c).managers, values, errors }), status);
  app.get('/teams/:id/edit', paramValidator(idParam), (c) => {
    const team = getTeam(c.var.deps.db, c.req.valid('param').id);
    return renderTeamEdit(c, team.id, team);
  });
  app.post('/teams/:id', paramValidator(idParam), formValidator(teamInputSchema, (c, errors, values) => renderTeamEdit(c, Number(c.req.param('id')), values, errors, 400)), (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('form');
    try {
      updateTeam(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, input);
    } catch (err) {
      const errors = conflictField(err);
      if (errors) return renderTeamEdit(c, id, input, errors.teamId ? { managerId: errors.teamId } : errors, 409);
      throw err;
    }
    return c.redirect(`/teams?flash=${encodeURIComponent('Team saved.')}`, 303);
  });

  return app;
}
