import { Fragment, type Child } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import { zValidator } from '@hono/zod-validator';
import type { z } from 'zod';
import { createMiddleware } from 'hono/factory';
import type { AppContext, AppEnv } from './context';
import { readTransaction, writeTransaction, type Db } from './db';
import { AppError, notFound, type Issue } from './lib/errors';
import { badgeCounts, navGroupsFor } from './nav';
import { sessionIdOf, setSessionMessage, takeSessionMessage } from './session-messages';
import { NavCount, navCountId, navGroupCountId, navGroupPending, type LayoutProps } from '../views/layout';
import type { FieldErrors, FormValues } from '../views/components';

/** What the one layout needs, from the request: the viewer, their navigation with badges, the CSRF token, the status message. */
/**
 * A page's reads and the navigation's counts in one read transaction (readTransaction): one snapshot, and SQLite's
 * file locks taken once instead of by each statement. The layout's status message is read after it (taking it may write).
 */
export function readPage<T>(c: AppContext, read: () => T): T & { badges: Record<string, number> } {
  const viewer = c.var.viewer;
  const { db, clock } = c.var.deps;
  return readTransaction(db, () => ({ ...read(), badges: viewer ? badgeCounts(db, viewer.person, clock.now()) : {} }));
}

export function layoutProps(c: AppContext, title: string, flash?: string | null, counts?: Record<string, number>): LayoutProps {
  const viewer = c.var.viewer;
  const badges = counts ?? (viewer ? badgeCounts(c.var.deps.db, viewer.person, c.var.deps.clock.now()) : {});
  return {
    title,
    viewer: viewer ? { id: viewer.person.id, name: viewer.person.name, role: viewer.person.role } : null,
    csrfToken: viewer?.csrfToken ?? null,
    nav: viewer ? navGroupsFor(viewer.person, badges) : [],
    currentPath: c.req.path,
    flash: flash ?? statusMessage(c),
  };
}

/**
 * Messages for signed-out pages (no session to keep one in), chosen by a code in the address. The
 * text is always ours: an unknown code shows nothing, and no text from the address is ever shown.
 */
const NOTICES = {
  signed_out: 'You are signed out.',
} as const;
type NoticeCode = keyof typeof NOTICES;

/** The status banner's text: the session's one-time message, or a signed-out page's notice. */
function statusMessage(c: AppContext): string | null {
  const viewer = c.var.viewer;
  if (viewer?.sessionId) return takeSessionMessage(c.var.deps.db, viewer.sessionId);
  if (viewer) return null;
  const code = c.req.query('notice');
  return code !== undefined && Object.hasOwn(NOTICES, code) ? NOTICES[code as NoticeCode] : null;
}

/**
 * Redirect (303) after an action, with a status message the next page shows once. The message is
 * kept in the session, never in the address, so nobody can make the banner say anything by a link.
 * `sessionToken`: the session this request just started (sign-in by a link, password change).
 */
export function redirectWithMessage(c: AppContext, path: string, message: string, options: { sessionToken?: string } = {}) {
  const sessionId = options.sessionToken ? sessionIdOf(options.sessionToken) : c.var.viewer?.sessionId;
  // A write of its own after the action's: it waits for the write lock as every write does (writeTransaction), not
  // through SQLite's busy handler, which sleeps 1, 2, 5, 10 ms … between tries while another process writes.
  if (sessionId) writeTransaction(c.var.deps.db, (tx) => setSessionMessage(tx, sessionId, message));
  return c.redirect(path, 303);
}

/**
 * A form post's write and the status message its redirect shows, in one write transaction: one commit
 * and one wait for the write lock, where keeping the message after the write took a second of each.
 * `message` says what the write did; the caller redirects (303) once this returns.
 */
export function writeKeepingMessage<T>(c: AppContext, write: (tx: Db) => T, message: (result: T) => string): T {
  const sessionId = c.var.viewer?.sessionId;
  return writeTransaction(c.var.deps.db, (tx) => {
    const result = write(tx);
    if (sessionId) setSessionMessage(tx, sessionId, message(result));
    return result;
  });
}

/** Redirect (303) to a signed-out page showing one of our notices. */
export const redirectWithNotice = (c: AppContext, path: string, code: NoticeCode) => c.redirect(`${path}${path.includes('?') ? '&' : '?'}notice=${code}`, 303);

const HTML_TYPE = { 'Content-Type': 'text/html; charset=UTF-8' };

/**
 * A page as the response, its text encoded to UTF-8 here: a string body would be scanned for lone
 * surrogates by the Response and encoded again. Pages with parts still to resolve (callbacks,
 * promises) are left to c.html, which resolves them.
 */
export function html(c: AppContext, node: Child, status: ContentfulStatusCode = 200) {
  // Several partials in one answer (a card and the navigation's counts) are one fragment: an array's own text would put commas between them.
  const whole = Array.isArray(node) ? Fragment({ children: node }) : node;
  const page: unknown = typeof whole === 'object' && whole !== null && !(whole instanceof Promise) ? whole.toString() : whole;
  if (typeof page === 'string' || (page instanceof String && !(page as Partial<HtmlEscapedString>).callbacks?.length))
    return c.body(Buffer.from(String(page)), status, HTML_TYPE);
  return c.html(page as string, status);
}

/**
 * The navigation's counts (entries and their menus) as htmx out-of-band swaps, added to an
 * in-place answer so that the pending counts follow what the person just did.
 */
export function navBadgesOob(c: AppContext): Child {
  const viewer = c.var.viewer;
  if (!viewer) return null;
  const groups = navGroupsFor(viewer.person, badgeCounts(c.var.deps.db, viewer.person, c.var.deps.clock.now()));
  return groups.flatMap((group) => [
    ...group.items.filter((i) => i.badgeKey).map((i) => NavCount({ id: navCountId(i), count: i.badge ? Number(i.badge) : 0, oob: true })),
    ...(group.items.length > 1 && group.items.some((i) => i.badgeKey)
      ? [NavCount({ id: navGroupCountId(group), count: navGroupPending(group), oob: true })]
      : []),
  ]);
}

/** True for requests made by htmx, which want the partial rather than the full page. */
export const isHtmx = (c: AppContext) => c.req.header('hx-request') === 'true' && c.req.header('hx-history-restore-request') !== 'true';

type ZodLikeError = { issues: readonly { path: readonly PropertyKey[]; message: string }[] };

export function toIssues(error: ZodLikeError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** The first message per field, for forms. */
export function fieldErrors(error: ZodLikeError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_form';
    errors[key] ??= issue.message;
  }
  return errors;
}

/**
 * Validates an API request part; a failure is a 400 with the JSON error shape listing every issue.
 * A path parameter that is no id names nothing that exists: that is a plain 404, as for an unknown id.
 */
export const apiValidator = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      if (target === 'param') throw notFound('No such item: the id in the address is wrong or the item was removed.');
      throw new AppError(
        400,
        'invalid',
        target === 'json' ? 'The request body is not valid.' : `The ${target} parameters are not valid.`,
        toIssues(result.error),
      );
    }
  });

/**
 * Looks up the thing the address names before the body is read: an unknown id is a 404 whatever
 * the body holds (a 400 about the body would suggest the thing exists).
 */
export const requireFound = (find: (c: AppContext, id: number) => unknown) =>
  createMiddleware<AppEnv>(async (c, next) => {
    find(c, Number(c.req.param('id')));
    await next();
  });

/**
 * Validates a form; on failure `onInvalid` renders the same form again with field-level messages
 * and the values the person typed, answering 400.
 */
export const formValidator = <T extends z.ZodType>(
  schema: T,
  onInvalid: (c: AppContext, errors: FieldErrors, values: Record<string, unknown>) => Response | Promise<Response>,
) =>
  zValidator('form', schema, (result, c) => {
    if (!result.success) return onInvalid(c as unknown as AppContext, fieldErrors(result.error), (result.data ?? {}) as Record<string, unknown>);
  });

/**
 * A form's Find buttons (a field's `button` name → the field its words are in): pressed, the same form is shown again
 * with what was posted, the words trimmed, for `render` to list what they find; nothing is saved or validated.
 */
export const findOnForm = (
  finds: Record<string, string>,
  render: (c: AppContext, values: FormValues) => Response | Promise<Response>,
): MiddlewareHandler<AppEnv> =>
  createMiddleware<AppEnv>(async (c, next) => {
    // Every value of a repeated field (ticked days, chosen teams), as the form validator reads them.
    const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    if (!Object.keys(finds).some((button) => body[button] !== undefined)) return next();
    const values = { ...(body as FormValues) };
    for (const field of Object.values(finds)) values[field] = typeof body[field] === 'string' ? (body[field] as string).trim().slice(0, 200) : '';
    return render(c as AppContext, values);
  });

/** Query strings on pages: a bad value is a 400 page naming the parameter. */
export const queryValidator = <T extends z.ZodType>(schema: T) =>
  zValidator('query', schema, (result) => {
    if (!result.success) throw new AppError(400, 'invalid', 'The address has an invalid parameter.', toIssues(result.error));
  });

/** A malformed id in an address is as unknown as a wrong one: the plain not-found page, without validation details. */
export const paramValidator = <T extends z.ZodType>(schema: T) =>
  zValidator('param', schema, (result) => {
    if (!result.success) throw notFound('There is nothing at this address. The link may be wrong or the item removed.');
  });

/** The public address links in mail start with: BASE_URL when set, else the address this request came to. */
export const publicBaseUrl = (c: AppContext) => c.var.deps.settings.baseUrl ?? new URL(c.req.url).origin;

/** The client's network address; X-Forwarded-For only when TRUST_PROXY says a proxy of ours sets it. */
export function clientAddress(c: AppContext): string {
  const socketAddress = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  const forwarded = c.var.deps.settings.trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim().slice(0, 100) : undefined;
  return forwarded || socketAddress || 'local';
}
