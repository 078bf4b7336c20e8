/** Signing in and out: the login form (throttled per address and network) and the logout button. */
import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { safeRedirectPath } from '../lib/redirects';
import { clientAddress, formValidator, html, layoutProps, redirectWithNotice } from '../web';
import { LoginPage } from '../../views/auth/pages';
import { ONE_TIME_PASSWORD_HOURS, revokeSession, SESSION_COOKIE, signIn } from './auth';
import { startSession } from './middleware';

const loginSchema = z.object({
  email: z.string().trim().max(254).default(''),
  password: z.string().max(200).default(''),
  next: z.string().max(2000).optional(),
});

/** Only same-site paths: an open redirect would let a phishing link bounce through our login. */
const safeNext = (next: string | undefined) => safeRedirectPath(next, '/');

const minutesText = (seconds: number) => {
  const minutes = Math.ceil(seconds / 60);
  return seconds < 60 ? `${seconds} seconds` : minutes === 1 ? 'a minute' : `${minutes} minutes`;
};

export function sessionRoutes(attemptsPerIp: number) {
  const app = new Hono<AppEnv>();

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

  return app;
}
