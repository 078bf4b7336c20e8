/**
 * People: the list, adding, a person's page, editing, welcome emails, deactivating, a temporary password. Mounted at /people.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { blankToUndefined, idSchema } from '../lib/validation';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import { hashPassword, passwordSchema } from '../auth/password';
import { findOnForm, formValidator, html, isHtmx, layoutProps, paramValidator, publicBaseUrl, queryValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { PersonFormPage } from '../../views/people/form';
import { PeopleListPage, PeopleResults } from '../../views/people/list';
import { DeactivatePage, PersonPage } from '../../views/people/person';
import { companyDefaultTimeZone } from './settings';
import { latestPasswordLink, MAX_BULK_WELCOME, sendWelcomeLinks } from '../auth/links';
import { writeTransaction } from '../db';
import {
  canViewPerson,
  createPerson,
  dependentsOf,
  directReportsPage,
  listPeople,
  PEOPLE_PAGE_SIZE,
  peopleQuerySchema,
  personDetails,
  personInputSchema,
  requirePerson,
  setPersonActive,
  setTemporaryPassword,
  toPeopleFilter,
  updatePerson,
} from './people';
import { countTeams, LISTED_TEAMS, teamFilter, teamOptions } from './teams';
import { conflictField, formOptions, idParam, TEAM_AND_MANAGER_FINDS, welcomeFlag } from './route-helpers';
import { managerChoices } from './choices';

/** A person's page: which page of their direct reports. */
const personPageQuery = z.object({ reports: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)) });

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
      ...formOptions(c, values),
    }),
    status,
  );

export function personRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('hr', 'manager'), queryValidator(peopleQuerySchema), (c) => {
    const viewer = viewerOf(c);
    const { db } = c.var.deps;
    const named = teamFilter(db, c.req.valid('query'));
    const query = { ...c.req.valid('query'), team: named.team };
    const result = named.errors ? { rows: [], total: 0, more: false, page: 1, pageSize: query.pageSize } : listPeople(db, toPeopleFilter(query), viewer);
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
    const status = named.errors ? 400 : 200;
    if (isHtmx(c)) return html(c, PeopleResults({ ...results, ...selectable, error: named.errors?.teamName }), status);
    return html(
      c,
      PeopleListPage({
        layout: layoutProps(c, 'People'),
        canEdit: isHr,
        zoneMissing: isHr && !companyDefaultTimeZone(db),
        // Beyond a hundred teams the filter is a name to type: the page keeps its size as the company grows.
        teams: countTeams(db) > LISTED_TEAMS ? null : teamOptions(db),
        teamName: named.teamName,
        errors: named.errors,
        results: { ...results, ...selectable },
      }),
      status,
    );
  });

  app.get('/new', requireRole('hr'), (c) =>
    renderPersonForm(c, 'new', {
      timeZone: companyDefaultTimeZone(c.var.deps.db) ?? '',
      role: 'employee',
      hireDate: c.var.deps.clock.now().toISOString().slice(0, 10),
    }),
  );

  app.post(
    '/',
    requireRole('hr'),
    findOnForm(TEAM_AND_MANAGER_FINDS, (c, values) => renderPersonForm(c, 'new', { ...values, password: '' })),
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

  app.post(
    '/welcome',
    requireRole('hr'),
    formValidator(idsSchema, (c, errors) => redirectWithMessage(c, `/people`, errors.ids ?? 'Select the people to send a welcome email to.')),
    (c) => {
      const { db, clock } = c.var.deps;
      const { sent, skipped } = sendWelcomeLinks(db, clock, actorOf(c.var.viewer), c.req.valid('form').ids, publicBaseUrl(c));
      const message = `Welcome emails queued for ${sent.length} ${sent.length === 1 ? 'person' : 'people'}.${skipped.length ? ` ${skipped.length} skipped (inactive or unknown).` : ''}`;
      return redirectWithMessage(c, `/people`, message);
    },
  );

  app.post('/:id/welcome', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    const person = requirePerson(db, id);
    if (!person.active) throw new AppError(409, 'inactive', `${person.name} is inactive: reactivate them first.`);
    sendWelcomeLinks(db, clock, actorOf(c.var.viewer), [id], publicBaseUrl(c));
    return redirectWithMessage(c, `/people/${id}`, `Welcome email queued for ${person.email}; earlier links no longer work.`);
  });

  app.get('/:id', paramValidator(idParam), queryValidator(personPageQuery), (c) => {
    const { id } = c.req.valid('param');
    const viewer = viewerOf(c);
    const { db } = c.var.deps;
    requirePerson(db, id);
    if (!canViewPerson(db, viewer, id)) throw forbidden('You can only see your own profile and the people who report to you.');
    const details = personDetails(db, id);
    const reports = directReportsPage(db, id, c.req.valid('query').reports);
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
        directReports: reports,
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

  app.get('/:id/edit', requireRole('hr'), paramValidator(idParam), (c) => {
    const person = requirePerson(c.var.deps.db, c.req.valid('param').id);
    return renderPersonForm(c, 'edit', person, undefined, person.id);
  });

  app.post(
    '/:id',
    requireRole('hr'),
    paramValidator(idParam),
    findOnForm(TEAM_AND_MANAGER_FINDS, (c, values) =>
      renderPersonForm(c, 'edit', values, undefined, requirePerson(c.var.deps.db, Number(c.req.param('id'))).id),
    ),
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
    const shown = values ?? { successorId: person.managerId ?? '' };
    const choices = managerChoices(db, { q: shown.successorSearch, chosen: [shown.successorId], exclude: [id] });
    const successors = choices.managers.map((m) => ({ value: m.id, label: m.name }));
    for (const r of reports) if (r.active && !successors.some((s) => s.value === r.id)) successors.push({ value: r.id, label: `${r.name} (their report)` });
    return html(
      c,
      DeactivatePage({
        layout: layoutProps(c, `Deactivate ${person.name}`),
        person,
        reports,
        managedTeams,
        successors,
        findSuccessor: !choices.listed,
        values: shown,
        errors,
      }),
      status,
    );
  };
  app.get('/:id/deactivate', requireRole('hr'), paramValidator(idParam), (c) => renderDeactivate(c, c.req.valid('param').id));

  const successorForm = z.object({ successorId: z.preprocess(blankToUndefined, idSchema.optional()) });
  app.post(
    '/:id/deactivate',
    requireRole('hr'),
    paramValidator(idParam),
    findOnForm({ findSuccessor: 'successorSearch' }, (c, values) => renderDeactivate(c, Number(c.req.param('id')), values)),
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

  app.post('/:id/reactivate', requireRole('hr'), paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    const person = setPersonActive(db, clock, actorOf(c.var.viewer), id, true);
    return redirectWithMessage(c, `/people/${id}`, `${person.name} was reactivated.`);
  });

  app.post(
    '/:id/password',
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

  return app;
}
