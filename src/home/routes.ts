import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedIn, viewerOf } from '../auth/middleware';
import { html, layoutProps } from '../web';
import { HomePage } from '../../views/home/pages';

export function homeRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', requireSignedIn, (c) => {
    const { person } = viewerOf(c);
    return html(c, HomePage({ layout: layoutProps(c, 'Home'), name: person.name, role: person.role }));
  });
  return app;
}
