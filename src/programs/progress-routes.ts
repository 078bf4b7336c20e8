/**
 * A person's progress (their managers, HR, themselves): sign-offs and ended enrollments. Mounted at /programs.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { AppError, forbidden } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import { canViewPerson, personDetails, requirePerson } from '../people/people';
import { formValidator, html, layoutProps, paramValidator, redirectWithMessage } from '../web';
import { PersonProgressPage } from '../../views/programs/progress';
import { summariseCompletion } from './completion';
import { canManagePerson, signOff } from './sign-offs';
import { endEnrollment, getEnrollment } from './enrollment';
import { personCompletionDetail } from './progress';
import { attendanceOfPerson } from './attendance';
import { idParam, signOffForm } from './route-helpers';

export function progressRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/people/:id', paramValidator(idParam), (c) => {
    const { id } = c.req.valid('param');
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    if (!canViewPerson(db, viewer, id)) throw forbidden('You can only see your own progress and that of the people who report to you.');
    const details = personDetails(db, id);
    const rows = personCompletionDetail(db, clock.now(), id);
    const current = rows.filter((r) => !r.closed);
    return html(
      c,
      PersonProgressPage({
        layout: layoutProps(c, details.person.name),
        person: { id, name: details.person.name, teamName: details.teamName, hireDate: details.person.hireDate, timeZone: details.person.timeZone },
        counts: summariseCompletion(current),
        current,
        history: rows.filter((r) => r.closed),
        canSignOff: canManagePerson(db, viewer, id),
        attendance: attendanceOfPerson(db, id, 30),
      }),
    );
  });
  app.post(
    '/people/:id/sign-off',
    paramValidator(idParam),
    formValidator(signOffForm, (c) => {
      requirePerson(c.var.deps.db, Number(c.req.param('id')));
      throw new AppError(400, 'invalid', 'Choose the requirement to sign off.');
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const form = c.req.valid('form');
      signOff(c.var.deps.db, c.var.deps.clock, viewerOf(c), id, form.requirementId, form.note);
      return redirectWithMessage(c, `/programs/people/${id}`, 'Signed off.');
    },
  );

  app.post('/enrollments/:id/end', requireRole('hr', 'manager'), paramValidator(idParam), (c) => {
    const { db, clock } = c.var.deps;
    const enrollment = getEnrollment(db, c.req.valid('param').id);
    if (!canManagePerson(db, viewerOf(c), enrollment.personId)) throw forbidden('Only HR or the person’s manager can end this enrollment.');
    endEnrollment(db, clock, actorOf(c.var.viewer), enrollment.id);
    return redirectWithMessage(c, `/programs/${enrollment.programId}#enrollments`, 'Enrollment ended; completed requirements stay on record.');
  });

  return app;
}
