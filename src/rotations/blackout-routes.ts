/**
 * Blackouts (HR, mounted at /rotations/blackouts) and a person's preferred and unavailable periods
 * (mounted at /rotations/periods).
 */
import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import { canViewPerson, requirePerson } from '../people/people';
import { formValidator, html, layoutProps, paramValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { BlackoutsPage, PeriodsPage } from '../../views/rotations/blackouts';
import { addPeriod, blackoutInputSchema, createBlackout, deleteBlackout, listBlackouts, listPeriods, periodInputSchema, removePeriod } from './blackouts';
import { idParam, teamOptions } from './route-helpers';

export function blackoutRoutes() {
  const app = new Hono<AppEnv>();
  app.use(requireRole('hr'));

  const renderBlackouts = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 = 200) =>
    html(
      c,
      BlackoutsPage({
        layout: layoutProps(c, 'Blackouts'),
        blackouts: listBlackouts(c.var.deps.db),
        teams: teamOptions(c),
        values: values ?? { scope: 'department' },
        errors,
      }),
      status,
    );
  app.get('/', (c) => renderBlackouts(c));
  app.post(
    '/',
    formValidator(blackoutInputSchema, (c, errors, values) => renderBlackouts(c, values, errors, 400)),
    (c) => {
      const input = c.req.valid('form');
      try {
        createBlackout(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), input);
      } catch (err) {
        if (err instanceof AppError && err.status === 400) return renderBlackouts(c, input, { teamId: err.message }, 400);
        throw err;
      }
      return redirectWithMessage(c, `/rotations/blackouts`, `Blackout ${input.name} added.`);
    },
  );
  app.post('/:id/delete', paramValidator(idParam), (c) => {
    deleteBlackout(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), c.req.valid('param').id);
    return redirectWithMessage(c, `/rotations/blackouts`, 'Blackout deleted.');
  });

  return app;
}

export function periodRoutes() {
  const app = new Hono<AppEnv>();

  /** Whose periods: one's own, or (HR, or a manager for a report) ?person=. */
  const periodsOwner = (c: AppContext) => {
    const viewer = viewerOf(c);
    const param = c.req.query('person');
    if (!param) return viewer.person;
    const id = Number(param);
    if (!Number.isInteger(id) || id <= 0) throw new AppError(404, 'not_found', 'No such person.');
    const person = requirePerson(c.var.deps.db, id);
    if (person.id !== viewer.person.id && (viewer.person.role === 'employee' || !canViewPerson(c.var.deps.db, viewer, id)))
      throw forbidden('You can only change your own availability and that of people you look after.');
    return person;
  };
  const renderPeriods = (c: AppContext, values?: FormValues, errors?: FieldErrors, status: 200 | 400 = 200) => {
    const owner = periodsOwner(c);
    const viewer = viewerOf(c);
    return html(
      c,
      PeriodsPage({
        layout: layoutProps(c, 'Availability'),
        role: viewer.person.role,
        person: { id: owner.id, name: owner.name },
        isSelf: owner.id === viewer.person.id,
        periods: listPeriods(c.var.deps.db, owner.id),
        values: values ?? { kind: 'preferred' },
        errors,
      }),
      status,
    );
  };
  const periodsHref = (c: AppContext, ownerId: number) => (ownerId === viewerOf(c).person.id ? '/rotations/periods' : `/rotations/periods?person=${ownerId}`);
  app.get('/', (c) => renderPeriods(c));
  app.post(
    '/',
    formValidator(periodInputSchema, (c, errors, values) => renderPeriods(c, values, errors, 400)),
    (c) => {
      const owner = periodsOwner(c);
      addPeriod(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), owner.id, c.req.valid('form'));
      const href = periodsHref(c, owner.id);
      return redirectWithMessage(c, href, 'Period added.');
    },
  );
  app.post('/:id/delete', paramValidator(idParam), (c) => {
    const owner = periodsOwner(c);
    removePeriod(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), owner.id, c.req.valid('param').id);
    const href = periodsHref(c, owner.id);
    return redirectWithMessage(c, href, 'Period removed.');
  });

  return app;
}
