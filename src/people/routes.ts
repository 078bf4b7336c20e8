import { passwordSchema } from '../auth/password';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { blankToUndefined, idSchema, pathIdSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../guards';
import { hashPassword } from '../auth/password';
import { formValidator, html, isHtmx, layoutProps, paramValidator, publicBaseUrl, queryValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { PersonFormPage } from '../../views/people/form';
import { ImportPage } from '../../views/people/import';
import { PeopleListPage, PeopleResults } from '../../views/people/list';
import { DeactivatePage, PersonPage } from '../../views/people/person';
import { CompanySettingsPage } from '../../views/people/settings';
import { TeamEditPage, TeamsPage } from '../../views/people/teams';
import { IMPORT_COLUMN_LIST, importPeople, importTemplateCsv } from './import';
import { decodeCsvBytes } from './csv';
import { companyDefaultTimeZone, companySettingsSchema, setCompanySettings } from './settings';
import { latestPasswordLink, MAX_BULK_WELCOME, sendWelcomeLinks } from '../auth/links';
import { writeTransaction } from '../db';
import {
  canViewPerson,
  createPerson,
  createTeam,
  dependentsOf,
  getTeam,
  listPeople,
  listTeams,
  managerChoices,
  PEOPLE_PAGE_SIZE,
  peopleQuerySchema,
  personDetails,
  personInputSchema,
  requirePerson,
  teamOptions,
  setPersonActive,
  setTemporaryPassword,
  teamInputSchema,
  toPeopleFilter,
  updatePerson,
  updateTeam,
} from './people';
import { withDepartment } from '../../views/labels';

const idParam = z.object({ id: pathIdSchema });
/** The form's checkbox comes with a hidden "false" before it: the last value sent wins. */
const welcomeFlag = z.preprocess((v) => {
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return last === undefined ? false : last === 'true' || last === 'on' || last === '1' || last === true;
}, z.boolean());
const newPersonSchema = personInputSchema.extend({
  password: z.preprocess((v) => (v === '' ? undefined : v), passwordSchema.optional()),
  sendWelcome: welcomeFlag,
});
const editPersonSchema = personInputSchema.extend({ confirmManager: z.preprocess((v) => v === '1', z.boolean()).optional() });
const idsSchema = z.object({
  ids: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(idSchema).min(1, 'Select the people to send a welcome email to.').max(MAX_BULK_WELCOME, `Select at most ${MAX_BULK_WELCOME} people at once.`),
  ),
});
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

function formOptions(c: AppContext) {
  const { db } = c.var.deps;
  return {
    teams: teamOptions(db).map((t) => ({ value: t.id, label: withDepartment(t) })),
    managers: managerChoices(db).map((m) => ({ value: m.id, label: m.name })),
  };
}

const renderPersonForm = (
  c: AppContext,
  mode: 'new' | 'edit',
  values: FormValues,
  errors?: FieldErrors,
  personId?: number,
  status: 200 | 400 | 409 = 200,
  managerQuestion?: string,
) =>
  html(
    c,
    PersonFormPage({
      layout: layoutProps(c, mode === 'new' ? 'Add person' : 'Edit person'),
      mode,
      personId,
      values,
      errors,
      managerQuestion,
      defaultZone: companyDefaultTimeZone(c.var.deps.db),
      ...formOptions(c),
    }),
    status,
  );

/** A domain conflict (taken email, bad reference) shown on the form field it concerns. */
function conflictField(err: unknown): FieldErrors | null {
  if (err instanceof AppError && err.status === 400 && err.issues?.length) return Object.fromEntries(err.issues.map((i) => [i.path, i.message]));
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
    const result = listPeople(db, toPeopleFilter(query), viewer);
    const results = {
      ...result,
      filters: {
        q: query.q,
        department: query.department,
        team: query.team,
        status: query.status,
        pageSize: query.pageSize === PEOPLE_PAGE_SIZE ? undefined : query.pageSize,
      },
    };
    const isHr = viewer.person.role === 'hr';
    const selectable = { selectable: isHr && !viewer.tokenId, csrfToken: viewer.csrfToken ?? null };
    if (isHtmx(c)) return html(c, PeopleResults({ ...results, ...selectable }));
    return html(
      c,
      PeopleListPage({
        layout: layoutProps(c, 'People'),
        canEdit: isHr,
        zoneMissing: isHr && !companyDefaultTimeZone(db),
        teams: teamOptions(db),
        results: { ...results, ...selectable },
      }),
    );
  });

  app.get('/people/new', requireRole('hr'), (c) =>
    renderPersonForm(c, 'new', {
      timeZone: companyDefaultTimeZone(c.var.deps.db) ?? '',
      role: 'employee',
      hireDate: c.var.deps.clock.now().toISOString().slice(0, 10),
    }),
  );

  app.post(
    '/people',
    requireRole('hr'),
    formValidator(newPersonSchema, (c, errors, values) => renderPersonForm(c, 'new', { ...values, password: '' }, errors, undefined, 400)),
    async (c) => {
      const { password, sendWelcome, ...input } = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const hash = password ? await hashPassword(password) : null;
      const actor = actorOf(c.var.viewer);
      try {
        const person = writeTransaction(db, (tx) => {
          const created = createPerson(tx, clock, actor, input, hash);
          if (sendWelcome) sendWelcomeLinks(tx, clock, actor, [created.id], publicBaseUrl(c));
          return created;
        });
        const note = sendWelcome ? ` A welcome email with a link to choose a password is on its way to ${person.email}.` : '';
        return redirectWithMessage(c, `/people/${person.id}`, `${person.name} was added.${note}`);
      } catch (err) {
        const errors = conflictField(err);
        if (errors)
          return renderPersonForm(
            c,
            'new',
            { ...input, sendWelcome: String(sendWelcome), password: '' },
            errors,
            undefined,
            err instanceof AppError && err.status === 400 ? 400 : 409,
          );
        throw err;
      }
    },
  );

  app.get('/people/import', requireRole('hr'), (c) =>
    html(c, ImportPage({ layout: layoutProps(c, 'Import people'), columns: IMPORT_COLUMN_LIST, defaultZone: companyDefaultTimeZone(c.var.deps.db) })),
  );

  app.get('/people/import/template.csv', requireRole('hr'), (c) =>
    c.body(importTemplateCsv(), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="people-import-template.csv"' }),
  );

  app.post('/people/import', requireRole('hr'), async (c) => {
    const body = await c.req.parseBody({ all: true });
    const file = Array.isArray(body.file) ? body.file[0] : body.file;
    const sendWelcome = welcomeFlag.parse(body.sendWelcome);
    const { db, clock } = c.var.deps;
    const page = { layout: layoutProps(c, 'Import people'), columns: IMPORT_COLUMN_LIST, defaultZone: companyDefaultTimeZone(db), sendWelcome };
    if (!(file instanceof File) || file.size === 0) return html(c, ImportPage({ ...page, error: 'Choose a CSV file to import.' }), 400);
    if (file.size > MAX_IMPORT_BYTES) return html(c, ImportPage({ ...page, error: 'The file is larger than 20 MB.' }), 400);
    const report = importPeople(db, clock, actorOf(c.var.viewer), decodeCsvBytes(await file.arrayBuffer()), {
      welcome: sendWelcome ? { baseUrl: publicBaseUrl(c) } : null,
    });
    return html(c, ImportPage({ ...page, report }), report.errors.length ? 400 : 200);
  });

  app.post(
    '/people/welcome',
    requireRole('hr'),
    formValidator(idsSchema, (c, errors) => redirectWithMessage(c, `/people`, errors.ids ?? 'Select the people to send a welcome email to.')),
    (c) => {
      const { db, clock } = c.var.deps;
      const { sent, skipped } = sendWelcomeLinks(db, clock, actorOf(c.var.viewer), c.req.valid('form').ids, publicBaseUrl(c));
      const message = `Welcome emails queued for ${sent.length} ${sent.length === 1 ? 'person' : 'people'}.${skipped.length ? ` ${skipped.length} skipped (inactive or unknown).` : ''}`;
      return redirectWithMessage(c, `/people`, message);
    },
  );

  app.post('/people/:id/welcome', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    const person = requirePerson(db, id);
    if (!person.active) throw new AppError(409, 'inactive', `${person.name} is inactive: reactivate them first.`);
    sendWelcomeLinks(db, clock, actorOf(c.var.viewer), [id], publicBaseUrl(c));
    return redirectWithMessage(c, `/people/${id}`, `Welcome email queued for ${person.email}; earlier links no longer work.`);
  });

  const renderSettings = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 = 200) => {
    const zone = companyDefaultTimeZone(c.var.deps.db);
    return html(
      c,
      CompanySettingsPage({ layout: layoutProps(c, 'Company settings'), values: values ?? { defaultTimeZone: zone ?? '' }, errors, isSet: !!zone }),
      status,
    );
  };
  app.get('/settings', requireSignedIn, requireRole('hr'), (c) => renderSettings(c));
  app.post(
    '/settings',
    requireSignedIn,
    requireRole('hr'),
    formValidator(companySettingsSchema, (c, errors, values) => renderSettings(c, values, errors, 400)),
    (c) => {
      setCompanySettings(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('form'));
      return redirectWithMessage(c, `/settings`, 'Settings saved.');
    },
  );

  app.get('/people/:id', paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const viewer = viewerOf(c);
    const { db } = c.var.deps;
    requirePerson(db, id);
    if (!canViewPerson(db, viewer, id)) throw forbidden('You can only see your own profile and the people who report to you.');
    const details = personDetails(db, id);
    const isHr = viewer.person.role === 'hr';
    const deps = isHr ? dependentsOf(db, id) : null;
    return html(
      c,
      PersonPage({
        layout: layoutProps(c, details.person.name),
        person: details.person,
        teamName: details.teamName,
        managerName: details.managerName,
        managerId: details.person.managerId,
        directReports: details.directReports,
        canEdit: isHr,
        isSelf: viewer.person.id === id,
        hasDependents: !!deps && (deps.reports.length > 0 || deps.managedTeams.length > 0),
        signIn: isHr
          ? {
              hasPassword: !!details.person.passwordHash,
              latestLink: latestPasswordLink(db, id),
              now: c.var.deps.clock.now(),
              timeZone: viewer.person.timeZone,
            }
          : undefined,
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
    formValidator(editPersonSchema, (c, errors, values) => renderPersonForm(c, 'edit', values, errors, Number(c.req.param('id')), 400)),
    (c) => {
      const { id } = c.req.valid('param');
      const { confirmManager, ...input } = c.req.valid('form');
      const { db, clock } = c.var.deps;
      requirePerson(db, id);
      if (id === viewerOf(c).person.id && input.role !== 'hr') {
        return renderPersonForm(c, 'edit', input, { role: 'You cannot remove your own HR role.' }, id, 400);
      }
      try {
        updatePerson(
          db,
          clock,
          actorOf(c.var.viewer),
          id,
          { ...input, teamId: input.teamId ?? null, managerId: input.managerId ?? null },
          { managerConfirmed: confirmManager },
        );
      } catch (err) {
        if (err instanceof AppError && err.code === 'manager_required') {
          const proposed = (err.details as { proposedManagerId?: number | null } | undefined)?.proposedManagerId ?? null;
          return renderPersonForm(c, 'edit', { ...input, managerId: proposed ?? '' }, undefined, id, 409, err.message);
        }
        const errors = conflictField(err);
        if (errors) return renderPersonForm(c, 'edit', input, errors, id, 409);
        throw err;
      }
      return redirectWithMessage(c, `/people/${id}`, 'Changes saved.');
    },
  );

  const renderDeactivate = (c: AppContext, id: number, values?: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200) => {
    const { db } = c.var.deps;
    const person = requirePerson(db, id);
    const { reports, managedTeams } = dependentsOf(db, id);
    const successors = managerChoices(db)
      .filter((m) => m.id !== id)
      .map((m) => ({ value: m.id, label: m.name }));
    for (const r of reports) if (r.active && !successors.some((s) => s.value === r.id)) successors.push({ value: r.id, label: `${r.name} (their report)` });
    return html(
      c,
      DeactivatePage({
        layout: layoutProps(c, `Deactivate ${person.name}`),
        person,
        reports,
        managedTeams,
        successors,
        values: values ?? { successorId: person.managerId ?? '' },
        errors,
      }),
      status,
    );
  };
  app.get('/people/:id/deactivate', requireRole('hr'), paramValidator(idParam), (c) => renderDeactivate(c, c.req.valid('param').id));

  const successorForm = z.object({ successorId: z.preprocess(blankToUndefined, idSchema.optional()) });
  app.post(
    '/people/:id/deactivate',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(successorForm, (c, errors) =>
      renderDeactivate(c, Number(c.req.param('id')), undefined, { successorId: errors.successorId ?? 'Choose who takes over.' }, 400),
    ),
    (c) => {
      const { id } = c.req.valid('param');
      const { successorId } = c.req.valid('form');
      const { db, clock } = c.var.deps;
      try {
        const person = setPersonActive(db, clock, actorOf(c.var.viewer), id, false, successorId);
        return redirectWithMessage(c, `/people/${id}`, `${person.name} was deactivated.`);
      } catch (err) {
        if (err instanceof AppError && err.code === 'successor_required')
          return renderDeactivate(c, id, undefined, successorId === undefined ? undefined : { successorId: err.message }, 409);
        if (err instanceof AppError && err.status === 400 && err.issues?.length)
          return renderDeactivate(c, id, { successorId: successorId ?? '' }, { successorId: err.issues[0]!.message }, 400);
        throw err;
      }
    },
  );

  app.post('/people/:id/reactivate', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    const person = setPersonActive(db, clock, actorOf(c.var.viewer), id, true);
    return redirectWithMessage(c, `/people/${id}`, `${person.name} was reactivated.`);
  });

  app.post(
    '/people/:id/password',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(z.object({ password: passwordSchema }), (_c, errors) => {
      throw new AppError(400, 'invalid', `Temporary password: ${errors.password}`);
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { db, clock } = c.var.deps;
      await setTemporaryPassword(db, clock, actorOf(c.var.viewer), id, c.req.valid('form').password);
      return redirectWithMessage(c, `/people/${id}`, 'Temporary password set.');
    },
  );

  // ── teams ──
  const renderTeams = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200) =>
    html(c, TeamsPage({ layout: layoutProps(c, 'Teams'), teams: listTeams(c.var.deps.db), managers: formOptions(c).managers, values, errors }), status);

  app.get('/teams', (c) => renderTeams(c));
  app.post(
    '/teams',
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
  const renderTeamEdit = (c: AppContext, teamId: number, values: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200) =>
    html(c, TeamEditPage({ layout: layoutProps(c, 'Edit team'), teamId, managers: formOptions(c).managers, values, errors }), status);
  app.get('/teams/:id/edit', paramValidator(idParam), (c) => {
    const team = getTeam(c.var.deps.db, c.req.valid('param').id);
    return renderTeamEdit(c, team.id, team);
  });
  app.post(
    '/teams/:id',
    paramValidator(idParam),
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
