import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { people } from '../../db/schema';
import type { AppEnv } from '../context';
import { writeTransaction } from '../db';
import { AppError } from '../lib/errors';
import { safeRedirectPath } from '../lib/redirects';
import { zoneSchema } from '../lib/validation';
import { recordAudit, actorOf } from '../audit/audit';
import { clientAddress, formValidator, html, layoutProps, redirectWithMessage, redirectWithNotice } from '../web';
import { passwordSchema } from './password';
import { AccountPage, LoginPage, PasswordPage } from '../../views/auth/pages';
import { changePassword, ONE_TIME_PASSWORD_HOURS, revokeSession, SESSION_COOKIE, signIn } from './auth';
import { setSessionCookie, startSession } from './middleware';
import { requireSignedIn, viewerOf } from '../guards';

const loginSchema = z.object({
  email: z.string().trim().max(254).default(''),
  password: z.string().max(200).default(''),
  next: z.string().max(2000).optional(),
});

/** Only same-site paths: an open redirect would let a phishing link bounce through our login. */
const safeNext = (next: string | undefined) => safeRedirectPath(next, '/');

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

const minutesText = (seconds: number) => {
  const minutes = Math.ceil(seconds / 60);
  return seconds < 60 ? `${seconds} seconds` : minutes === 1 ? 'a minute' : `${minutes} minutes`;
};

export function authRoutes(options: { loginAttemptsPerIp?: number } = {}) {
  const app = new Hono<AppEnv>();
  const attemptsPerIp = options.loginAttemptsPerIp ?? 30;

  app.get('/login', (c) => {
    if (c.var.viewer && !c.var.viewer.tokenId) return c.redirect(safeNext(c.req.query('next')), 303);
    return html(c, LoginPage({ layout: layoutProps(c, 'Sign in'), next: safeNext(c.req.query('next')) }));
  });

  app.post(
    '/login',
    formValidator(loginSchema, (c) => html(c, LoginPage({ layout: layoutProps(c, 'Sign in'), error: 'Enter your email and password.' }), 400)),
    async (c) => {
      const { email, password, next } = c.req.valid('form');
      const { db, clock, settings } = c.var.deps;
      const result = await signIn(db, clock, settings, { email, password, ip: clientAddress(c), attemptsPerIp, userAgent: c.req.header('user-agent') });
      if (!result.ok) {
        // The same words for every address typed: nothing here tells whether it has an account.
        const message =
          result.reason === 'throttled'
            ? result.scope === 'ip'
              ? `Too many sign-in attempts from your network. Try again in ${minutesText(result.retryAfterSeconds)}.`
              : `Too many wrong sign-ins for this address from this device. Try again in ${minutesText(result.retryAfterSeconds)}.`
            : result.reason === 'expired'
              ? `This one-time password has expired (it is valid for ${ONE_TIME_PASSWORD_HOURS} hours). The operator gets a new one by restarting the service: each start prints a fresh one-time password while the first account has not chosen its own.`
              : 'The email or password is wrong.';
        if (result.reason === 'throttled') c.header('Retry-After', String(result.retryAfterSeconds));
        return html(c, LoginPage({ layout: layoutProps(c, 'Sign in'), email, next, error: message }), result.reason === 'throttled' ? 429 : 401);
      }
      startSession(c, result.sessionToken);
      return c.redirect(result.person.mustChangePassword ? '/account/password' : safeNext(next), 303);
    },
  );

  app.post('/logout', (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) revokeSession(c.var.deps.db, cookie);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return redirectWithNotice(c, '/login', 'signed_out');
  });

  app.use('/account', requireSignedIn);
  app.use('/account/*', requireSignedIn);

  app.get('/account', (c) => html(c, AccountPage({ layout: layoutProps(c, 'My account'), person: viewerOf(c).person })));

  app.post(
    '/account',
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

  app.get('/account/password', (c) => html(c, PasswordPage({ layout: layoutProps(c, 'Change password'), mustChange: viewerOf(c).person.mustChangePassword })));

  app.post(
    '/account/password',
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
