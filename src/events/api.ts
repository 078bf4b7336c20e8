/**
 * The events API (/api/v1): one sub-app per resource, each needing a signed-in person; the schemas live in
 * api-schemas.ts, what the sub-apps share in api-helpers.ts.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { requireSignedIn } from '../guards';
import type { ApiOperation } from '../lib/openapi';
import { eventApi, eventApiDocs } from './event-api';
import { occurrenceApi, occurrenceApiDocs } from './occurrence-api';
import { eventInvitationApi, eventInvitationApiDocs, invitationApi, invitationApiDocs } from './invitation-api';
import { eventSeatApi, eventSeatApiDocs, seatApi, seatApiDocs } from './seat-api';
import { openSeatApi, openSeatApiDocs } from './open-seat-api';

export const eventsApiDocs: ApiOperation[] = [
  ...eventApiDocs,
  ...occurrenceApiDocs,
  ...eventInvitationApiDocs,
  ...eventSeatApiDocs,
  ...seatApiDocs,
  ...invitationApiDocs,
  ...openSeatApiDocs,
];

export function eventsApi() {
  const app = new Hono<AppEnv>();
  for (const path of ['/events', '/events/*', '/invitations', '/invitations/*', '/open-seats', '/seats/*']) app.use(path, requireSignedIn);

  app.route('/events', eventApi());
  app.route('/events', occurrenceApi());
  app.route('/events', eventInvitationApi());
  app.route('/events', eventSeatApi());
  app.route('/seats', seatApi());
  app.route('/invitations', invitationApi());
  app.route('/open-seats', openSeatApi());
  return app;
}
