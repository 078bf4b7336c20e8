import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { clientAddress, formValidator, html, layoutProps, publicBaseUrl, queryValidator, redirectWithMessage } from '../web';
import { passwordSchema } from './password';
import { ForgotPasswordPage, SetPasswordPage } from '../../views/auth/password-links';
import type { FieldErrors } from '../../views/components';
import { checkPasswordLink, requestPasswordReset, usePasswordLink } from './links';
import { reachedOverHttps, startSession } from './middleware';

/** Carries a link's token from its first load to the form, so the address bar (and history, Referer) never keeps it. */
const LINK_COOKIE = 'ct_password_link';
const LINK_COOKIE_PATH = '/password';

const forgotSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email.').max(254, 'Keep the email under 254 characters.').email('Enter an email like name@example.com.'),
});
const setQuery = z.object({ token: z.string().max(200).optional() });
const setSchema = z
  .object({ newPassword: passwordSchema, confirmPassword: z.string().max(200) })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: 'The two passwords differ.' });

export function passwordLinkRoutes() {
  const app = new Hono<AppEnv>();

  const forgotPage = (c: AppContext, props: Omit<Parameters<typeof ForgotPasswordPage>[0], 'layout'> = {}, status: 200 | 400 | 429 = 200) =>
    html(c, ForgotPasswordPage({ layout: layoutProps(c, 'Forgot your password?'), ...props }), status);

  app.get('/password/forgot', (c) => forgotPage(c));

  app.post(
    '/password/forgot',
    formValidator(forgotSchema, (c, errors, values) => forgotPage(c, { values, errors }, 400)),
    (c) => {
      const { email } = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const result = requestPasswordReset(db, clock, { email, address: clientAddress(c) }, publicBaseUrl(c));
      if (result === 'address_limited')
        return forgotPage(c, { values: { email }, error: 'Too many requests from your network. Wait an hour and try again, or ask HR.' }, 429);
      return forgotPage(c, { sentTo: email });
    },
  );

  const setPage = (c: AppContext, token: string | undefined, errors?: FieldErrors, status: 200 | 400 = 200) => {
    const layout = layoutProps(c, 'Choose your password');
    if (!token) return html(c, SetPasswordPage({ layout, problem: 'missing' }), 400);
    const state = checkPasswordLink(c.var.deps.db, c.var.deps.clock, token);
    if (!state.ok) {
      deleteCookie(c, LINK_COOKIE, { path: LINK_COOKIE_PATH });
      return html(c, SetPasswordPage({ layout, problem: state.reason }), 400);
    }
    return html(c, SetPasswordPage({ layout, person: { name: state.person.name, email: state.person.email }, purpose: state.purpose, errors }), status);
  };

  app.get('/password/set', queryValidator(setQuery), (c) => {
    const { token } = c.req.valid('query');
    if (token !== undefined) {
      const state = checkPasswordLink(c.var.deps.db, c.var.deps.clock, token);
      if (!state.ok) return setPage(c, token);
      const remaining = Math.floor((state.expiresAt.getTime() - c.var.deps.clock.now().getTime()) / 1000);
      setCookie(c, LINK_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: reachedOverHttps(c),
        path: LINK_COOKIE_PATH,
        maxAge: Math.max(1, Math.min(remaining, 3600)),
      });
      return c.redirect('/password/set', 303);
    }
    return setPage(c, getCookie(c, LINK_COOKIE));
  });

  app.post(
    '/password/set',
    formValidator(setSchema, (c, errors) => setPage(c, getCookie(c, LINK_COOKIE), errors, 400)),
    async (c) => {
      const token = getCookie(c, LINK_COOKIE);
      if (!token) return setPage(c, undefined);
      const { db, clock, settings } = c.var.deps;
      const result = await usePasswordLink(db, clock, settings, token, c.req.valid('form').newPassword, c.req.header('user-agent'));
      if (!result.ok) return setPage(c, token);
      deleteCookie(c, LINK_COOKIE, { path: LINK_COOKIE_PATH });
      startSession(c, result.sessionToken);
      return redirectWithMessage(c, '/', 'Your password is set and you are signed in.', { sessionToken: result.sessionToken });
    },
  );

  return app;
}
