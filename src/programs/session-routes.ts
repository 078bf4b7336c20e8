/**
 * Training sessions and topics. Mounted at /programs.
 */
import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../context';
import { notFound } from '../lib/errors';
import { actorOf } from '../audit/audit';
import { requireRole, viewerOf } from '../guards';
import { canManageEvent, requireEvent } from '../events';
import { personDetails } from '../people/people';
import { fieldErrors, findOnForm, formValidator, html, isHtmx, layoutProps, paramValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { SessionFormPage, SessionPage, SessionsList, SessionsPage, type SessionsListProps } from '../../views/programs/sessions';
import { createTopic, listTopics } from './programs';
import { listProgramChoices } from './reports';
import { topicInputSchema } from './program-inputs';
import {
  inviteWhoNeedsIt,
  listSessions,
  SESSIONS_PAGE_SIZE,
  sessionsQuerySchema,
  countPeopleNeedingTopic,
  scheduleTrainingSession,
  sessionFormSchema,
  sessionInputOf,
  topicOfSession,
  upcomingSessions,
} from './sessions';
import { fieldErrorsOf, idParam, sessionFormOptions } from './route-helpers';

export function sessionRoutes() {
  const app = new Hono<AppEnv>();

  const sessionsList = (c: AppContext): { list: SessionsListProps; status: 200 | 400 } => {
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const raw = c.req.queries();
    const query: FormValues = {};
    for (const key of ['when', 'from', 'to', 'program', 'topic', 'page']) if (raw[key]?.length) query[key] = raw[key]![0]!;
    // The filter's choices need names only: listPrograms counts every program's enrollments.
    const options = {
      programs: listProgramChoices(db).map((p) => ({ value: p.id, label: p.name })),
      topics: listTopics(db).map((t) => ({ value: t.id, label: t.name })),
      timeZone: viewer.person.timeZone,
    };
    const parsed = sessionsQuerySchema.safeParse(query);
    if (!parsed.success)
      return { list: { sessions: [], total: 0, page: 1, pageSize: SESSIONS_PAGE_SIZE, query, errors: fieldErrors(parsed.error), ...options }, status: 400 };
    const result = listSessions(db, clock.now(), parsed.data, viewer.person.timeZone);
    return { list: { ...result, query, ...options }, status: 200 };
  };
  const renderSessions = (c: AppContext, topicValues?: FormValues, topicErrors?: FieldErrors, status: 200 | 400 | 409 = 200) => {
    const { db } = c.var.deps;
    const { list, status: listStatus } = sessionsList(c);
    return html(
      c,
      SessionsPage({ layout: layoutProps(c, 'Training sessions'), list, topics: listTopics(db), topicValues, topicErrors }),
      status === 200 ? listStatus : status,
    );
  };
  app.get('/sessions', requireRole('hr'), (c) => {
    if (isHtmx(c)) {
      const { list, status } = sessionsList(c);
      return html(c, SessionsList(list), status);
    }
    return renderSessions(c);
  });

  app.post(
    '/topics',
    requireRole('hr'),
    formValidator(topicInputSchema, (c, errors, values) => renderSessions(c, values, errors, 400)),
    (c) => {
      const input = c.req.valid('form');
      try {
        createTopic(c.var.deps.db, c.var.deps.clock, actorOf(c.var.viewer), input);
      } catch (err) {
        const errors = fieldErrorsOf(err, 'name');
        if (errors) return renderSessions(c, input, errors, 409);
        throw err;
      }
      return redirectWithMessage(c, `/programs/sessions#topics`, `Topic ${input.name} added.`);
    },
  );

  const renderSessionForm = (c: AppContext, values: FormValues, errors?: FieldErrors, status: 200 | 400 | 409 = 200) =>
    html(c, SessionFormPage({ layout: layoutProps(c, 'Schedule a training session'), ...sessionFormOptions(c, values), values, errors }), status);
  app.get('/sessions/new', requireRole('hr'), (c) => {
    const viewer = viewerOf(c);
    return renderSessionForm(c, {
      topicId: c.req.query('topic'),
      hostId: viewer.person.id,
      timeZone: viewer.person.timeZone,
      durationMinutes: 60,
      seats: 12,
      repeat: 'none',
      count: 4,
      invite: 'yes',
    });
  });
  app.post(
    '/sessions',
    requireRole('hr'),
    findOnForm({ findHost: 'hostSearch' }, (c, values) => renderSessionForm(c, values)),
    formValidator(sessionFormSchema, (c, errors, values) => renderSessionForm(c, values, errors, 400)),
    (c) => {
      const input = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const viewer = viewerOf(c);
      try {
        const event = scheduleTrainingSession(db, clock, actorOf(c.var.viewer), viewer.person, sessionInputOf(input));
        let message = `${event.title} is scheduled.`;
        if (input.invite) {
          const first = upcomingSessions(db, clock.now(), { topicIds: [input.topicId], days: 400 }).find((s) => s.event.id === event.id);
          if (first) {
            const invited = inviteWhoNeedsIt(db, clock, actorOf(c.var.viewer), viewer.person, event.id, first.occurrence.originalStart);
            message += ` ${invited.invited} ${invited.invited === 1 ? 'person who needs' : 'people who need'} the topic ${invited.invited === 1 ? 'was' : 'were'} invited.`;
          }
        }
        return redirectWithMessage(c, `/programs/sessions/${event.id}`, message);
      } catch (err) {
        const errors = fieldErrorsOf(err);
        if (errors) return renderSessionForm(c, input, errors, 400);
        throw err;
      }
    },
  );

  app.get('/sessions/:id', paramValidator(idParam), (c) => {
    const { db, clock } = c.var.deps;
    const event = requireEvent(db, c.req.valid('param').id);
    const topic = topicOfSession(db, event.id);
    if (!topic) throw notFound('This event is not a training session.');
    const viewer = viewerOf(c);
    const now = clock.now();
    const occurrences = upcomingSessions(db, now, { topicIds: [topic.topicId], days: 120, includePast: true }).filter((s) => s.event.id === event.id);
    const host = personDetails(db, event.hostId).person;
    const canManage = canManageEvent(db, viewer.person, event);
    const needing = canManage ? countPeopleNeedingTopic(db, now, topic.topicId) : { needing: 0, more: false };
    return html(
      c,
      SessionPage({
        layout: layoutProps(c, event.title),
        title: event.title,
        topicName: topic.topicName,
        hostName: host.name,
        timeZone: viewer.person.timeZone,
        location: event.location,
        occurrences,
        canManage,
        needing: needing.needing,
        needingMore: needing.more,
        now,
      }),
    );
  });

  return app;
}
