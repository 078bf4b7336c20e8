import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultSettings, type AppSettings } from './config';
import { isApiPath, type AppDeps, type AppEnv } from './context';
import { writeTransaction, type Db } from './db';
import { startHorizonIfEmpty } from './events';
import { systemClock, type Clock } from './lib/clock';
import { AppError } from './lib/errors';
import { safeRedirectPath } from './lib/redirects';
import type { Mailer } from './lib/mail';
import { createCredentialMemo } from './auth/auth';
import { csrfProtection, identifyViewer, loadViewer } from './auth/middleware';
import { authRoutes } from './auth/routes';
import { passwordLinkRoutes } from './auth/link-routes';
import { tokenRoutes } from './auth/token-routes';
import { peopleRoutes } from './people/routes';
import { auditRoutes } from './audit/routes';
import { outboxRoutes } from './outbox/routes';
import { apiRoutes } from './api/routes';
import { homeRoutes } from './home/routes';
import { eventsRoutes } from './events/routes';
import { calendarRoutes } from './calendar/routes';
import { rotationsRoutes } from './rotations/routes';
import { feedbackRoutes } from './feedback/routes';
import { surveysRoutes } from './surveys/routes';
import { scorecardRoutes } from './scorecard/routes';
import { liaisonsRoutes } from './liaisons/routes';
import { programsRoutes } from './programs/routes';
import { html, layoutProps } from './web';
import { wireFeatureListeners } from './wiring';
import { ErrorPage } from '../views/errors';
import { ApiDocsPage } from '../views/api/docs';

export type CreateAppOptions = {
  db: Db;
  clock?: Clock;
  mailer?: Mailer | null;
  settings?: Partial<AppSettings>;
  /** Sign-in attempts allowed per client address per five minutes. */
  loginAttemptsPerIp?: number;
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function loadStaticAssets() {
  const asset = (path: string, type: string) => ({ body: readFileSync(path), type });
  return new Map([
    ['/static/app.css', asset(resolve(root, 'views/static/app.css'), 'text/css; charset=utf-8')],
    ['/static/app.js', asset(resolve(root, 'views/static/app.js'), 'text/javascript; charset=utf-8')],
    ['/static/favicon.svg', asset(resolve(root, 'views/static/favicon.svg'), 'image/svg+xml')],
    ['/static/htmx.min.js', asset(require.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8')],
    ['/static/api-docs.js', asset(resolve(root, 'views/static/api-docs.js'), 'text/javascript; charset=utf-8')],
    ['/static/swagger-ui.css', asset(require.resolve('swagger-ui-dist/swagger-ui.css'), 'text/css; charset=utf-8')],
    ['/static/swagger-ui-bundle.js', asset(require.resolve('swagger-ui-dist/swagger-ui-bundle.js'), 'text/javascript; charset=utf-8')],
  ]);
}

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export function createApp(options: CreateAppOptions) {
  const deps: AppDeps = {
    db: options.db,
    clock: options.clock ?? systemClock,
    mailer: options.mailer ?? null,
    settings: { ...defaultSettings, ...options.settings },
  };
  const assets = loadStaticAssets();
  wireFeatureListeners(deps.db);
  startHorizonIfEmpty(deps.db, deps.clock.now(), writeTransaction);
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
    // Whatever a handler built, a redirect leaves only for a path on this site (src/lib/redirects).
    const location = c.res.status >= 300 && c.res.status < 400 ? c.res.headers.get('location') : null;
    if (location !== null && safeRedirectPath(location, '/') !== location) c.res.headers.set('location', safeRedirectPath(location, '/'));
  });
  const credentials = createCredentialMemo();
  app.use('*', identifyViewer(credentials));
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      // The CSRF check reads the Origin header, which strict-origin-when-cross-origin keeps for same-origin requests.
      referrerPolicy: 'strict-origin-when-cross-origin',
      xFrameOptions: 'DENY',
      crossOriginEmbedderPolicy: false,
      // Headers for Internet Explorer 8 and Flash: every response would carry them for no browser in use.
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xDnsPrefetchControl: false,
    }),
  );
  app.use('*', async (c, next) => {
    // Reading the body of a GET would make the Node adapter build a full Request for nothing.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const upload = c.req.path === '/people/import' || c.req.path === '/api/v1/people/import';
    const maxSize = upload ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES;
    const tooLarge = () => {
      throw new AppError(413, 'payload_too_large', `The request is larger than ${upload ? '25 MB' : '1 MB'}.`);
    };
    // A declared length is judged from the header, as bodyLimit does, without asking first whether there is a body:
    // that question makes the Node adapter wrap the socket in a full Request and a web stream, which cost a small form
    // post more than its database write. Node's parser reads no byte past the declared length.
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) return Number.parseInt(length, 10) > maxSize ? tooLarge() : next();
    // A body sent in chunks is counted as it arrives.
    return bodyLimit({ maxSize, onError: tooLarge })(c, next);
  });

  app.get('/static/*', (c) => {
    const asset = assets.get(c.req.path);
    if (!asset) throw new AppError(404, 'not_found', 'Not found.');
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=3600' });
  });
  const databaseAnswers = deps.db.$client.prepare('SELECT 1');
  app.get('/healthz', (c) => {
    databaseAnswers.get();
    return c.json({ status: 'ok' });
  });

  app.use('*', loadViewer);
  app.use('*', csrfProtection);
  app.use('*', async (c, next) => {
    await next();
    // Pages show personal data: never store them in shared caches or the back-forward cache of a signed-out browser.
    // Set on the response itself: c.header() after the handler would rebuild the response around a stream.
    if (c.var.viewer && !c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'private, no-store');
  });

  app.route('/', authRoutes({ loginAttemptsPerIp: options.loginAttemptsPerIp }));
  app.route('/', passwordLinkRoutes());
  app.route('/', homeRoutes());
  app.route('/', eventsRoutes());
  app.route('/', peopleRoutes());
  app.route('/', auditRoutes());
  app.route('/', outboxRoutes());
  app.route('/', tokenRoutes());
  app.route('/', calendarRoutes());
  app.route('/', rotationsRoutes());
  app.route('/', feedbackRoutes());
  app.route('/', surveysRoutes());
  app.route('/', scorecardRoutes());
  app.route('/', liaisonsRoutes());
  app.route('/', programsRoutes());
  app.route('/api/v1', apiRoutes());
  app.get('/api/docs', (c) => c.html(ApiDocsPage()));

  app.notFound((c) => {
    if (isApiPath(c.req.path)) return c.json({ error: { code: 'not_found', message: 'No such endpoint.' } }, 404);
    return html(c, ErrorPage({ layout: layoutProps(c, 'Not found'), status: 404, message: 'There is no page at this address.' }), 404);
  });

  app.onError((err, c) => {
    let status = 500;
    let code = 'internal';
    let message = 'Something went wrong on our side. Try again; if it keeps happening, tell HR.';
    let issues: AppError['issues'];
    let details: Record<string, unknown> | undefined;
    if (err instanceof AppError) {
      ({ status, code, message, issues, details } = err);
    } else if (err instanceof HTTPException) {
      status = err.status;
      code =
        status === 400
          ? 'invalid'
          : status === 401
            ? 'unauthenticated'
            : status === 403
              ? 'forbidden'
              : status === 404
                ? 'not_found'
                : status === 413
                  ? 'payload_too_large'
                  : 'error';
      message = err.message || message;
    } else {
      console.error(`[${new Date().toISOString()}] ${c.req.method} ${c.req.path}`, err);
    }
    if (isApiPath(c.req.path) || c.req.header('accept')?.startsWith('application/json')) {
      return c.json({ error: { code, message, ...(issues ? { issues } : {}), ...(details ?? {}) } }, status as 400);
    }
    if (status === 401 && c.req.method === 'GET') return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
    return html(c, ErrorPage({ layout: layoutProps(c, 'Error'), status, message, issues }), status as 400);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
