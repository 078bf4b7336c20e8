/**
 * My learning (everyone): booking a session and checking in with its code. Mounted at /learning.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../context';
import { AppError } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import { formValidator, html, isHtmx, layoutProps, redirectWithMessage } from '../web';
import { BookingCell, MyLearningPage, StatusMessage } from '../../views/programs/learning';
import { summariseCompletion } from './completion';
import { personCompletionDetail } from './progress';
import { bookSession, resolveOccurrence, upcomingSessions } from './sessions';
import { checkIn } from './attendance';
import { sessionAt } from './route-helpers';

export function learningRoutes() {
  const app = new Hono<AppEnv>();

  const renderMyLearning = (c: AppContext, checkInError?: string, status: 200 | 400 | 409 = 200) => {
    const viewer = viewerOf(c);
    const { db, clock } = c.var.deps;
    const now = clock.now();
    const rows = personCompletionDetail(db, now, viewer.person.id);
    const current = rows.filter((r) => !r.closed);
    const open = current.filter((r) => r.state !== 'done');
    const neededTopics = [...new Set(open.filter((r) => r.kind === 'training' && r.topicId !== null).map((r) => r.topicId!))];
    return html(
      c,
      MyLearningPage({
        layout: layoutProps(c, 'My learning'),
        timeZone: viewer.person.timeZone,
        counts: summariseCompletion(current),
        open,
        done: rows.filter((r) => r.state === 'done').sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0)),
        needsTraining: neededTopics.length > 0,
        sessions: upcomingSessions(db, now, { topicIds: neededTopics, days: 90, forPersonId: viewer.person.id })
          .filter((s) => s.event.hostId !== viewer.person.id)
          .slice(0, 30),
        hosting: upcomingSessions(db, now, { days: 30, includePast: true, hostId: viewer.person.id }),
        checkInError,
      }),
      status,
    );
  };
  app.get('/', (c) => renderMyLearning(c));
  app.post(
    '/book',
    formValidator(z.object({ occurrenceId: z.string().regex(/^\d+_\d{8}T\d{6}Z$/, 'Choose a session.') }), () => {
      throw new AppError(400, 'invalid', 'Choose a session to book.');
    }),
    (c) => {
      const { occurrenceId } = c.req.valid('form');
      const viewer = viewerOf(c);
      const { db, clock } = c.var.deps;
      const { event, occurrence } = resolveOccurrence(db, occurrenceId);
      let message: string;
      let status: 200 | 409 = 200;
      try {
        const result = bookSession(db, clock, actorOf(c.var.viewer), viewer.person, event.id, occurrence.originalStart);
        message =
          result.outcome === 'accepted'
            ? 'Booked.'
            : result.outcome === 'waitlisted'
              ? `Full: you are number ${result.waitlistPosition} on the waitlist.`
              : result.outcome === 'pending_approval'
                ? 'Waiting for your manager’s approval.'
                : 'Saved.';
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        if (!isHtmx(c)) throw err;
        message = err.message;
        status = 409;
      }
      if (isHtmx(c)) {
        const session = sessionAt(c, occurrenceId, viewer.person.id);
        if (session) return html(c, BookingCell({ s: session, csrf: viewer.csrfToken ?? null, message }), status);
        return html(c, StatusMessage({ message }), status);
      }
      return redirectWithMessage(c, `/learning`, `${event.title}: ${message}`);
    },
  );
  app.post('/check-in', async (c) => {
    const body = await c.req.parseBody();
    const code = typeof body.code === 'string' ? body.code.trim() : '';
    if (!/^\d{6}$/.test(code)) return renderMyLearning(c, 'Enter the six digits shown in the room.', 400);
    try {
      const { event } = checkIn(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), viewerOf(c).person, code);
      return redirectWithMessage(c, `/learning`, `Checked in to ${event.title}. The host confirms your attendance.`);
    } catch (err) {
      if (err instanceof AppError && (err.status === 400 || err.status === 409)) return renderMyLearning(c, err.message, err.status as 400 | 409);
      throw err;
    }
  });

  return app;
}
