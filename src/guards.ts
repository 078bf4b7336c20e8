import type { Hono, MiddlewareHandler } from 'hono';
import type { Role } from '../db/schema';
import { isApiPath, type AppEnv, type Viewer } from './context';
import { AppError, forbidden } from './lib/errors';

// The request guards every feature's routes use; who the viewer is, is decided once by auth's middleware before these run.

/** Pages send the visitor to the login form; the API answers 401. */
export const requireSignedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  const viewer = c.var.viewer;
  if (!viewer) {
    if (isApiPath(c.req.path)) throw new AppError(401, 'unauthenticated', 'Sign in or send an API token.');
    const url = new URL(c.req.url);
    const nextPath = c.req.method === 'GET' ? url.pathname + url.search : '/';
    return c.redirect(`/login?next=${encodeURIComponent(nextPath)}`, 303);
  }
  if (
    viewer.person.mustChangePassword &&
    !viewer.tokenId &&
    !isApiPath(c.req.path) &&
    !c.req.path.startsWith('/account/password') &&
    c.req.path !== '/logout'
  ) {
    return c.redirect('/account/password', 303);
  }
  await next();
};

/** Guards each path exactly as written ('/x' and '/x/*' are two) before a room mounts its sub-apps there. */
export function requireSignedInOn(app: Hono<AppEnv>, ...paths: string[]) {
  for (const path of paths) app.use(path, requireSignedIn);
}

export const requireRole =
  (...roles: Role[]): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const viewer = c.var.viewer;
    if (!viewer) throw new AppError(401, 'unauthenticated', 'Sign in first.');
    if (!roles.includes(viewer.person.role)) throw forbidden();
    await next();
  };

/** The signed-in viewer; only for handlers behind requireSignedIn. */
export function viewerOf(c: { var: { viewer: Viewer | null } }): Viewer {
  const viewer = c.var.viewer;
  if (!viewer) throw new AppError(401, 'unauthenticated', 'Sign in first.');
  return viewer;
}
