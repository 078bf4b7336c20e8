/**
 * Programs (HR): the list, a new program, and one program with its requirements and rules.
 * Mounted at /programs after the other program sub-apps, so their fixed paths win over /programs/:id.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { forbidden } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import { canViewPerson } from '../people/people';
import { teamByName } from '../people/teams';
import type { FormValues } from '../../views/components';
import { fieldErrors, formValidator, html, layoutProps, paramValidator, queryValidator, redirectWithMessage } from '../web';
import { ProgramFormPage, ProgramsPage } from '../../views/programs/admin';
import { addEnrollmentRule, enrollPeople, removeEnrollmentRule } from './enrollment';
import { addRequirement, createProgram, getProgram, listPrograms, removeRequirement, updateProgram } from './programs';
import { requirementInputSchema, ruleInputSchema } from './program-inputs';
import { childParam, enrollForm, fieldErrorsOf, idParam, programFormSchema, programPageQuery, renderProgramPage, settingsForm } from './route-helpers';

export function programRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', requireRole('hr', 'manager'), (c) =>
    html(c, ProgramsPage({ layout: layoutProps(c, 'Programs'), programs: listPrograms(c.var.deps.db), canEdit: viewerOf(c).person.role === 'hr' })),
  );
  app.get('/new', requireRole('hr'), (c) =>
    html(c, ProgramFormPage({ layout: layoutProps(c, 'New program'), values: { kind: 'onboarding', dueSoonDays: 7 } })),
  );
  app.post(
    '/',
    requireRole('hr'),
    formValidator(programFormSchema, (c, errors, values) => html(c, ProgramFormPage({ layout: layoutProps(c, 'New program'), values, errors }), 400)),
    (c) => {
      const input = c.req.valid('form');
      try {
        const program = createProgram(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), input);
        return redirectWithMessage(c, `/programs/${program.id}`, `${program.name} was created. Add its requirements and rules.`);
      } catch (err) {
        const errors = fieldErrorsOf(err, 'name');
        if (errors) return html(c, ProgramFormPage({ layout: layoutProps(c, 'New program'), values: input, errors }), 409);
        throw err;
      }
    },
  );

  app.get('/:id', requireRole('hr', 'manager'), paramValidator(idParam), queryValidator(programPageQuery), (c) =>
    renderProgramPage(c, c.req.valid('param').id, {}, 200, c.req.valid('query')),
  );
  app.post(
    '/:id',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(settingsForm, (c) => renderProgramPage(c, Number(c.req.param('id')), {}, 400)),
    (c) => {
      const { id } = c.req.valid('param');
      updateProgram(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, c.req.valid('form'));
      return redirectWithMessage(c, `/programs/${id}`, 'Settings saved.');
    },
  );
  app.post(
    '/:id/requirements',
    requireRole('hr'),
    paramValidator(idParam),
    formValidator(requirementInputSchema, (c, errors, values) =>
      renderProgramPage(c, Number(c.req.param('id')), { requirementValues: values, requirementErrors: errors }, 400),
    ),
    (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('form');
      try {
        addRequirement(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, input);
      } catch (err) {
        const errors = fieldErrorsOf(err, 'topicId');
        if (errors) return renderProgramPage(c, id, { requirementValues: input, requirementErrors: errors }, 409);
        throw err;
      }
      return redirectWithMessage(c, `/programs/${id}#requirements`, `Requirement “${input.title}” added.`);
    },
  );
  app.post('/:id/requirements/:childId/delete', requireRole('hr'), paramValidator(childParam), (c) => {
    const { id, childId } = c.req.valid('param');
    removeRequirement(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, childId);
    return redirectWithMessage(c, `/programs/${id}#requirements`, 'Requirement removed.');
  });
  app.post('/:id/rules', requireRole('hr'), paramValidator(idParam), async (c) => {
    const { id } = c.req.valid('param');
    const body = (await c.req.parseBody({ all: true })) as FormValues;
    // A company with too many teams to list has the rule's team typed by name: the team of that name, or the only one it begins.
    let values = body;
    const typed = typeof body.teamName === 'string' ? body.teamName.trim().slice(0, 120) : '';
    if (typed && !body.teamId) {
      const found = teamByName(c.var.deps.db, typed);
      if ('error' in found) return renderProgramPage(c, id, { ruleValues: body, ruleErrors: { teamName: found.error } }, 400);
      values = { ...body, teamId: String(found.id) };
    }
    const parsed = ruleInputSchema.safeParse(values);
    if (!parsed.success) return renderProgramPage(c, id, { ruleValues: values, ruleErrors: fieldErrors(parsed.error) }, 400);
    const input = parsed.data;
    try {
      const result = addEnrollmentRule(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, input);
      const now = result.enrolled + result.reopened;
      const message = result.pending
        ? `Rule added: ${now} people enrolled now; the other ${result.pending} it matches are being enrolled in the background, within a minute.`
        : `Rule added: ${now} ${now === 1 ? 'person' : 'people'} enrolled now.`;
      return redirectWithMessage(c, `/programs/${id}#rules`, message);
    } catch (err) {
      const errors = fieldErrorsOf(err, 'teamId');
      if (errors) return renderProgramPage(c, id, { ruleValues: input, ruleErrors: errors }, 409);
      throw err;
    }
  });
  app.post('/:id/rules/:childId/delete', requireRole('hr'), paramValidator(childParam), (c) => {
    const { id, childId } = c.req.valid('param');
    removeEnrollmentRule(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), id, childId);
    return redirectWithMessage(c, `/programs/${id}#rules`, 'Rule removed; the people it enrolled stay enrolled.');
  });
  app.post(
    '/:id/enrollments',
    requireRole('hr', 'manager'),
    paramValidator(idParam),
    formValidator(enrollForm, (c, errors) => renderProgramPage(c, Number(c.req.param('id')), { enrollErrors: errors }, 400)),
    (c) => {
      const { id } = c.req.valid('param');
      const { personIds, startDate } = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const viewer = viewerOf(c);
      if (personIds.some((p) => !canViewPerson(db, viewer, p))) throw forbidden('Managers can enroll only the people who report to them.');
      getProgram(db, id);
      const result = enrollPeople(db, id, personIds, actorOf(c.var.viewer), clock, { startDate });
      const message = `${result.enrolled + result.reopened} enrolled${result.alreadyEnrolled ? `, ${result.alreadyEnrolled} already were` : ''}${result.skipped ? `, ${result.skipped} inactive skipped` : ''}.`;
      return redirectWithMessage(c, `/programs/${id}#enrollments`, message);
    },
  );

  return app;
}
