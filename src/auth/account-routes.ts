/** The signed-in person's own account: preferences and password. */
import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { people } from '../../db/schema';
import type { AppEnv } from '../context';
import { writeTransaction } from '../db';
import { AppError } from '../lib/errors';
import { zoneSchema } from '../lib/validation';
import { recordAudit, actorOf } from '../audit/audit';
import { formValidator, html, layoutProps, redirectWithMessage } from '../web';
import { passwordSchema } from './password';
import { AccountPage, PasswordPage } from '../../views/auth/pages';
import { changePassword } from './auth';
import { setSessionCookie } from './middleware';
import { viewerOf } from '../guards';

const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time like 09:00.')
  .transform((v) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3, 5)));

const preferencesSchema = z
  .object({
    timeZone: zoneSchema,
    workdayStart: timeOfDay,
    workdayEnd: timeOfDay,
    reminderLeadHours: z.coerce
      .number({ message: 'Enter a number of hours.' })
      .int('Whole hours only.')
      .min(0, 'At least 0 hours.')
      .max(336, 'At most 336 hours (two weeks).'),
  })
  .refine((v) => v.workdayEnd > v.workdayStart, { path: ['workdayEnd'], message: 'The end must be after the start.' });

const passwordChangeSchema = z
  .object({ currentPassword: z.string().min(1, 'Enter your current password.'), newPassword: passwordSchema, confirmPassword: z.string() })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: 'The two new passwords differ.' })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ['newPassword'], message: 'Choose a new password, different from the current one.' });

export function accountRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => html(c, AccountPage({ layout: layoutProps(c, 'My account'), person: viewerOf(c).person })));

  app.post(
    '/',
    formValidator(preferencesSchema, (c, errors, values) =>
      html(c, AccountPage({ layout: layoutProps(c, 'My account'), person: viewerOf(c).person, errors, values }), 400),
    ),
    (c) => {
      const viewer = viewerOf(c);
      if (viewer.tokenId) throw new AppError(403, 'forbidden', 'API tokens cannot change account preferences.');
      const input = c.req.valid('form');
      const { db, clock } = c.var.deps;
      writeTransaction(db, (tx) => {
        const after = {
          timeZone: input.timeZone,
          workdayStartMinute: input.workdayStart,
          workdayEndMinute: input.workdayEnd,
          reminderLeadMinutes: input.reminderLeadHours * 60,
        };
        tx.update(people)
          .set({ ...after, updatedAt: clock.now() })
          .where(eq(people.id, viewer.person.id))
          .run();
        const p = viewer.person;
        recordAudit(
          tx,
          clock.now(),
          actorOf(viewer),
          'person.preferences',
          'person',
          p.id,
          { timeZone: p.timeZone, workdayStartMinute: p.workdayStartMinute, workdayEndMinute: p.workdayEndMinute, reminderLeadMinutes: p.reminderLeadMinutes },
          after,
        );
      });
      return redirectWithMessage(c, '/account', 'Preferences saved.');
    },
  );

  app.get('/password', (c) => html(c, PasswordPage({ layout: layoutProps(c, 'Change password'), mustChange: viewerOf(c).person.mustChangePassword })));

  app.post(
    '/password',
    formValidator(passwordChangeSchema, (c, errors) =>
      html(c, PasswordPage({ layout: layoutProps(c, 'Change password'), mustChange: viewerOf(c).person.mustChangePassword, errors }), 400),
    ),
    async (c) => {
      const viewer = viewerOf(c);
      if (viewer.tokenId) throw new AppError(403, 'forbidden', 'API tokens cannot change passwords.');
      const { currentPassword, newPassword } = c.req.valid('form');
      const { db, clock, settings } = c.var.deps;
      const renewed = await changePassword(db, clock, settings, viewer.person, currentPassword, newPassword, c.req.header('user-agent'));
      if (!renewed) {
        return html(
          c,
          PasswordPage({
            layout: layoutProps(c, 'Change password'),
            mustChange: viewer.person.mustChangePassword,
            errors: { currentPassword: 'The current password is wrong.' },
          }),
          400,
        );
      }
      // A new session id and CSRF token for this browser too: whoever held the old ones holds nothing.
      setSessionCookie(c, renewed.token);
      return redirectWithMessage(c, '/', 'Password changed.', { sessionToken: renewed.token });
    },
  );

  return app;
}
