/**
 * The events API (/api/v1): presenters, helpers, its document and routes; the schemas live in api-schemas.ts.
 */
import { Hono } from 'hono';
import { cancellationCalendar } from '../calendar/routes';
import { z } from 'zod';
import { people } from '../../db/schema';
import type { AppContext, AppEnv, Person } from '../context';
import type { Db } from '../db';
import { AppError, forbidden, notFound } from '../lib/errors';
import { toIsoWithOffset, zonedLocalToUtc, formatLocal } from '../lib/time';
import { actorOf } from '../audit/audit';
import { requireSignedIn, viewerOf } from '../guards';
import type { ApiOperation } from '../api/openapi';
import { apiValidator, requireFound } from '../web';
import { eq } from 'drizzle-orm';
import { canManageEvent, requireEvent, type EventDetails, type EventRow } from './event-rules';
import { requireOccurrence } from './event-occurrences';
import { cancelOccurrence, moveOccurrence, restoreOccurrence } from './occurrence-changes';
import type { EventOccurrence } from './expand';
import { cancelEvent, createEvent, detailsOf, editFollowing, updateEvent } from './events';
import { answerInvitation, invitePeople, waitlistPosition, UNDO_WINDOW_MS, type AnswerOutcome, type InvitationRow } from './invitations';
import { claimSeat, claimSeries, leaveSeat, undoClaims } from './claims';
import { fillFreedSeats, notifyEventCancelled, notifyOccurrenceCancelled } from './cancellation-notices';
import { namedPlacesAt, findOpenSeats, invitationRowsOf, pendingInvitations } from './schedule';
import { occurrencesInWindow } from './occurrences';
import { conflictsForPlace, type Conflict } from './conflicts';
import { describeRecurrence, occurrenceKey, parseOccurrenceKey, type recurrenceSchema, simpleRecurrence, toRRuleString } from './recurrence';
import { eventsVisibleTo } from './queries';
import { answerAudience, redactAnswer, type AnswerAudience } from './visibility';
import {
  answerBody,
  answerOut,
  claimBody,
  conflictOut,
  createEventBody,
  type dateTimeSchema,
  eventOut,
  idParam,
  invitationOut,
  inviteBody,
  leaveBody,
  occurrenceOut,
  occurrenceParam,
  occurrencePatchBody,
  openSeatsQuery,
  seriesClaimBody,
  seriesClaimOut,
  undoBody,
  updateEventBody,
  windowQuery,
} from './api-schemas';

// ── presenters ──────────────────────────────────────────────────────────────

function presentEvent(event: EventRow, hostName: string) {
  const startInstant = zonedLocalToUtc(event.startLocal, event.timeZone);
  const endInstant = new Date(startInstant.getTime() + event.durationMinutes * 60_000);
  return {
    id: event.id,
    kind: event.kind,
    title: event.title,
    description: event.description,
    host: { id: event.hostId, name: hostName },
    start: { dateTime: formatLocal(startInstant, event.timeZone), timeZone: event.timeZone },
    end: { dateTime: formatLocal(endInstant, event.timeZone), timeZone: event.timeZone },
    durationMinutes: event.durationMinutes,
    recurrence: event.rrule ? [`RRULE:${event.rrule}`] : [],
    repeat: event.rrule ? simpleRecurrence(event.rrule, { firstStartLocal: event.startLocal, timeZone: event.timeZone }) : null,
    recurrenceText: event.rrule ? describeRecurrence(event.rrule, event.timeZone) : null,
    seats: event.seats,
    guestDepartment: event.guestDepartment,
    teamId: event.teamId,
    account: event.account,
    opportunityStage: event.opportunityStage,
    location: event.location,
    meetingUrl: event.meetingUrl,
    topic: event.topic,
    status: event.status,
    cancelledAt: event.status === 'cancelled' && event.cancelledAt ? event.cancelledAt.toISOString() : null,
    sequence: event.sequence,
    splitFromEventId: event.splitFromEventId,
  };
}

function presentOccurrence(event: EventRow, occurrence: EventOccurrence, seatsTaken: number) {
  return {
    id: occurrence.key,
    eventId: event.id,
    originalStart: toIsoWithOffset(occurrence.originalStart, event.timeZone),
    start: toIsoWithOffset(occurrence.start, event.timeZone),
    end: toIsoWithOffset(occurrence.end, event.timeZone),
    status: occurrence.cancelled ? ('cancelled' as const) : ('scheduled' as const),
    moved: occurrence.isMoved,
    seats: event.seats,
    seatsTaken,
    seatsFree: Math.max(0, event.seats - seatsTaken),
  };
}

/**
 * An invitation as JSON. Its approval state and decline reason only for readers it concerns
 * (answerAudience); for anyone else both read null.
 */
function presentInvitation(db: Db, row: InvitationRow, concerns: AnswerAudience) {
  const shown = redactAnswer(row, concerns);
  return {
    id: row.id,
    eventId: row.eventId,
    personId: row.personId,
    occurrenceId: row.occurrenceStart ? occurrenceKey(row.eventId, row.occurrenceStart) : null,
    status: row.status,
    source: row.source,
    declineReason: shown.declineReason,
    waitlistPosition: waitlistPosition(db, row),
    approvalStatus: shown.approvalStatus,
    respondedAt: row.respondedAt ? row.respondedAt.toISOString() : null,
  };
}

/** Presents invitation rows (of any events) to this request's viewer. */
function invitationPresenter(c: AppContext) {
  const { db } = c.var.deps;
  const viewer = viewerOf(c).person;
  const audiences = new Map<number, AnswerAudience>();
  return (row: InvitationRow) => {
    let concerns = audiences.get(row.eventId);
    if (!concerns) {
      concerns = answerAudience(db, viewer, requireEvent(db, row.eventId));
      audiences.set(row.eventId, concerns);
    }
    return presentInvitation(db, row, concerns);
  };
}

// ── helpers ─────────────────────────────────────────────────────────────────

function hostNameOf(db: Db, hostId: number) {
  return db.select({ name: people.name }).from(people).where(eq(people.id, hostId)).get()?.name ?? '';
}

/** The original start an occurrence id names, checked against the event in the path. */
function originalStartFromKey(eventId: number, key: string): Date {
  const parsed = parseOccurrenceKey(key);
  if (!parsed || parsed.eventId !== String(eventId)) throw notFound('No such occurrence of this event.');
  return parsed.originalStart;
}

type TimingInput = { start?: z.infer<typeof dateTimeSchema>; end?: z.infer<typeof dateTimeSchema> };

/** Start, zone and length from Google-Calendar-style start/end; the end may be in another zone. */
function timingFrom(input: TimingInput, defaults: { startLocal: string; timeZone: string; durationMinutes: number }) {
  const timeZone = input.start?.timeZone ?? defaults.timeZone;
  // '…T09:00:00' and '…T09:00' are the same start; keep the shorter form.
  const startLocal = input.start ? input.start.dateTime.replace(/^(.{16}):00$/, '$1') : defaults.startLocal;
  if (!input.end) return { startLocal, timeZone, durationMinutes: defaults.durationMinutes };
  const start = zonedLocalToUtc(startLocal, timeZone);
  const end = zonedLocalToUtc(input.end.dateTime, input.end.timeZone ?? timeZone);
  const minutes = (end.getTime() - start.getTime()) / 60_000;
  if (!Number.isInteger(minutes) || minutes < 5) {
    throw new AppError(400, 'invalid', 'The end must be at least 5 minutes after the start, in whole minutes.', [
      { path: 'end', message: 'The end must be at least 5 minutes after the start.' },
    ]);
  }
  return { startLocal, timeZone, durationMinutes: minutes };
}

function ruleFrom(input: { recurrence?: string[]; repeat?: z.infer<typeof recurrenceSchema> | null }, startLocal: string): string | null | undefined {
  if (input.recurrence !== undefined && input.repeat !== undefined) {
    throw new AppError(400, 'invalid', 'Send either recurrence or repeat, not both.', [
      { path: 'repeat', message: 'Send either recurrence or repeat, not both.' },
    ]);
  }
  if (input.recurrence !== undefined) return input.recurrence[0] ?? null;
  if (input.repeat === null) return null;
  if (input.repeat !== undefined) {
    try {
      return toRRuleString(input.repeat, startLocal);
    } catch (err) {
      throw new AppError(400, 'invalid', (err as Error).message, [{ path: 'repeat', message: (err as Error).message }]);
    }
  }
  return undefined;
}

function parseWindow(c: AppContext, query: { from?: string; to?: string }, defaultDays: number) {
  const now = c.var.deps.clock.now();
  const from = query.from ? new Date(query.from) : now;
  const to = query.to ? new Date(query.to) : new Date(from.getTime() + defaultDays * 86_400_000);
  if (to.getTime() <= from.getTime())
    throw new AppError(400, 'invalid', 'The window must end after it starts.', [{ path: 'to', message: 'Must be after from.' }]);
  if (to.getTime() - from.getTime() > 366 * 86_400_000)
    throw new AppError(400, 'invalid', 'Ask for at most 366 days at once.', [{ path: 'to', message: 'At most 366 days after from.' }]);
  return { from, to };
}

function answerResponse(c: AppContext, result: AnswerOutcome, warnings: Conflict[], status: 200 | 201) {
  const present = invitationPresenter(c);
  if (result.outcome === 'waitlisted') {
    const position = result.waitlistPosition;
    throw new AppError(409, 'full', `This occurrence is full; you are number ${position} on the waitlist.`, undefined, {
      waitlistPosition: position,
      invitation: present(result.invitation),
    });
  }
  return c.json({ invitation: present(result.invitation), outcome: result.outcome, promoted: result.promoted.map(present), warnings }, status);
}

function seatsTakenOf(db: Db, event: EventRow, occurrence: EventOccurrence) {
  return namedPlacesAt(db, event, occurrence).filter((a) => a.holdsSeat).length;
}

// ── docs ────────────────────────────────────────────────────────────────────

const tags = ['events'];
export const eventsApiDocs: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/events',
    summary: 'Events overlapping a window (HR: all; others: the ones they host or are invited to), each with its occurrences in the window',
    tags,
    roles: 'any',
    query: windowQuery,
    response: z.object({ data: z.array(eventOut.extend({ occurrences: z.array(occurrenceOut) })) }),
  },
  {
    method: 'post',
    path: '/api/v1/events',
    summary: 'Create an event or series (start/end as local date-time plus IANA timeZone)',
    tags,
    roles: 'any (HR: any host; managers: their reports)',
    body: createEventBody,
    response: eventOut,
    status: 201,
  },
  { method: 'get', path: '/api/v1/events/{id}', summary: 'One event', tags, roles: 'any', response: eventOut },
  {
    method: 'patch',
    path: '/api/v1/events/{id}',
    summary: 'Change the whole event, or with fromOccurrenceId this and all following occurrences',
    tags,
    roles: 'host, their manager, HR',
    body: updateEventBody,
    response: eventOut,
  },
  {
    method: 'delete',
    path: '/api/v1/events/{id}',
    summary:
      'Cancel the event from now on: every occurrence that has not started (those that started stay as they were); everyone who accepted is told; 409 already_took_place when nothing is left to start',
    tags,
    roles: 'host, their manager, HR',
    response: eventOut,
  },
  {
    method: 'get',
    path: '/api/v1/events/{id}/occurrences',
    summary: 'Occurrences in a window (cancelled ones marked), with seats',
    tags,
    roles: 'any',
    query: windowQuery,
    response: z.object({ data: z.array(occurrenceOut) }),
  },
  {
    method: 'patch',
    path: '/api/v1/events/{id}/occurrences/{occurrenceId}',
    summary: 'Cancel, move or restore one occurrence of a series',
    tags,
    roles: 'host, their manager, HR',
    body: occurrencePatchBody,
    response: occurrenceOut,
  },
  {
    method: 'get',
    path: '/api/v1/events/{id}/invitations',
    summary: 'Invitations of the event (whole-event and per occurrence)',
    tags,
    roles: 'host, their manager, HR',
    response: z.object({ data: z.array(invitationOut) }),
  },
  {
    method: 'post',
    path: '/api/v1/events/{id}/invitations',
    summary: 'Invite people to one occurrence (occurrenceId) or the whole event; warnings name conflicts',
    tags,
    roles: 'host, their manager, HR',
    body: inviteBody,
    response: z.object({
      invited: z.array(invitationOut),
      unchanged: z.array(invitationOut),
      warnings: z.array(z.object({ personId: z.number().int(), conflicts: z.array(conflictOut) })),
    }),
    status: 201,
  },
  {
    method: 'post',
    path: '/api/v1/events/{id}/seats',
    summary:
      'Claim an open seat for yourself; 409 code conflict (with conflicts) unless confirmConflicts when it conflicts; 409 code full (with waitlistPosition) when the occurrence is full',
    tags,
    roles: "any guest of the event's guest department",
    body: claimBody,
    response: answerOut,
    status: 201,
  },
  {
    method: 'post',
    path: '/api/v1/events/{id}/series-seats',
    summary:
      'Claim a seat on every future occurrence of a series (up to 26 weeks) in one step; each occurrence answers claimed, waitlisted, or skipped (conflict, full)',
    tags,
    roles: "any guest of the event's guest department",
    body: seriesClaimBody,
    response: seriesClaimOut,
    status: 201,
  },
  {
    method: 'post',
    path: '/api/v1/events/{id}/leave',
    summary: 'Leave your seat on one occurrence, a one-off event, or every future occurrence of a series; the waitlist moves up',
    tags,
    roles: 'the person holding the place',
    body: leaveBody,
    response: z.object({ left: z.array(invitationOut), promoted: z.array(invitationOut) }),
  },
  {
    method: 'post',
    path: '/api/v1/seats/undo',
    summary: 'Undo claims you made in the last 10 minutes (while nothing changed them since)',
    tags,
    roles: 'the person who claimed',
    body: undoBody,
    response: z.object({ undone: z.number().int(), promoted: z.array(invitationOut) }),
  },
  { method: 'get', path: '/api/v1/invitations', summary: 'Your pending invitations', tags, roles: 'any', response: z.object({ data: z.array(invitationOut) }) },
  {
    method: 'patch',
    path: '/api/v1/invitations/{id}',
    summary: 'Answer an invitation; accepting a full occurrence answers 409 code full with waitlistPosition',
    tags,
    roles: 'the invited person (HR may answer for them)',
    body: answerBody,
    response: answerOut,
  },
  {
    method: 'get',
    path: '/api/v1/open-seats',
    summary: 'Upcoming occurrences of the other department with free seats',
    tags,
    roles: 'any',
    query: openSeatsQuery,
    response: z.object({ data: z.array(occurrenceOut.extend({ event: eventOut })) }),
  },
];

// ── routes ──────────────────────────────────────────────────────────────────

export function eventsApi() {
  const app = new Hono<AppEnv>();
  app.use('/events', requireSignedIn);
  app.use('/events/*', requireSignedIn);
  app.use('/invitations', requireSignedIn);
  app.use('/invitations/*', requireSignedIn);
  app.use('/open-seats', requireSignedIn);
  app.use('/seats/*', requireSignedIn);

  app.get('/events', apiValidator('query', windowQuery), (c) => {
    const { db } = c.var.deps;
    const { from, to } = parseWindow(c, c.req.valid('query'), 30);
    const found = eventsVisibleTo(db, viewerOf(c).person, from, to);
    const byEvent = occurrencesInWindow(db, found, from, to, { includeCancelled: true });
    const data = found.map((event) => ({
      ...presentEvent(event, event.hostName),
      occurrences: (byEvent.get(event.id) ?? []).map(({ seatsTaken, ...o }) => presentOccurrence(event, o, seatsTaken)),
    }));
    return c.json({ data });
  });

  app.post('/events', apiValidator('json', createEventBody), (c) => {
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const hostId = body.hostId ?? viewer.person.id;
    const host = db.select().from(people).where(eq(people.id, hostId)).get();
    if (!host) throw new AppError(400, 'invalid', 'No person with this host id.', [{ path: 'hostId', message: 'Choose a person from the directory.' }]);
    const timing = timingFrom(body, { startLocal: body.start.dateTime, timeZone: host.timeZone, durationMinutes: 60 });
    if (!body.end) throw new AppError(400, 'invalid', 'Send an end.', [{ path: 'end', message: 'Required.' }]);
    const details: EventDetails = {
      kind: body.kind,
      title: body.title,
      description: body.description ?? '',
      hostId,
      ...timing,
      seats: body.seats ?? 0,
      rrule: ruleFrom(body, timing.startLocal) ?? null,
      account: body.account ?? null,
      opportunityStage: body.opportunityStage ?? null,
      location: body.location ?? null,
      meetingUrl: body.meetingUrl ?? null,
      topic: body.topic ?? null,
    };
    const event = createEvent(db, clock, actorOf(c.var.viewer), viewer.person, details);
    return c.json(presentEvent(event, host.name), 201);
  });

  app.get('/events/:id', apiValidator('param', idParam), (c) => {
    const event = requireEvent(c.var.deps.db, c.req.valid('param').id);
    return c.json(presentEvent(event, hostNameOf(c.var.deps.db, event.hostId)));
  });

  app.patch('/events/:id', apiValidator('param', idParam), apiValidator('json', updateEventBody), (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const before = requireEvent(db, id);
    const defaults = detailsOf(before);
    const patch: Partial<EventDetails> = {};
    if (body.title !== undefined) patch.title = body.title;
    if (body.description !== undefined) patch.description = body.description;
    if (body.hostId !== undefined) patch.hostId = body.hostId;
    if (body.seats !== undefined) patch.seats = body.seats;
    for (const key of ['account', 'opportunityStage', 'location', 'meetingUrl', 'topic'] as const) {
      if (body[key] !== undefined) (patch as Record<string, unknown>)[key] = body[key];
    }
    if (body.start || body.end) Object.assign(patch, timingFrom(body, defaults));
    const rule = ruleFrom(body, patch.startLocal ?? defaults.startLocal);
    if (rule !== undefined) patch.rrule = rule;
    const actor = actorOf(c.var.viewer);
    const after = body.fromOccurrenceId
      ? editFollowing(db, clock, actor, viewer.person, id, originalStartFromKey(id, body.fromOccurrenceId), patch)
      : updateEvent(db, clock, actor, viewer.person, id, patch, (tx, old, updated) => {
          if (updated.seats > old.seats) fillFreedSeats(tx, clock, updated);
        });
    return c.json(presentEvent(after, hostNameOf(db, after.hostId)));
  });

  app.delete('/events/:id', apiValidator('param', idParam), (c) => {
    const { db, clock } = c.var.deps;
    const event = cancelEvent(db, clock, actorOf(c.var.viewer), viewerOf(c).person, c.req.valid('param').id, (tx, e) =>
      notifyEventCancelled(tx, clock, e, cancellationCalendar(c, tx, e)),
    );
    return c.json(presentEvent(event, hostNameOf(db, event.hostId)));
  });

  app.get('/events/:id/occurrences', apiValidator('param', idParam), apiValidator('query', windowQuery), (c) => {
    const { db } = c.var.deps;
    const event = requireEvent(db, c.req.valid('param').id);
    const { from, to } = parseWindow(c, c.req.valid('query'), 30);
    const data = (occurrencesInWindow(db, [event], from, to, { includeCancelled: true }).get(event.id) ?? []).map(({ seatsTaken, ...o }) =>
      presentOccurrence(event, o, seatsTaken),
    );
    return c.json({ data });
  });

  app.patch('/events/:id/occurrences/:occurrenceId', apiValidator('param', occurrenceParam), apiValidator('json', occurrencePatchBody), (c) => {
    const { id, occurrenceId } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const actor = actorOf(c.var.viewer);
    const originalStart = originalStartFromKey(id, occurrenceId);
    let occurrence: EventOccurrence;
    if (body.status === 'cancelled') {
      occurrence = cancelOccurrence(db, clock, actor, viewer.person, id, originalStart, (tx, e, o) =>
        notifyOccurrenceCancelled(tx, clock, e, o, cancellationCalendar(c, tx, e, o)),
      );
    } else if (body.start) {
      const event = requireEvent(db, id);
      const current = requireOccurrence(db, event, originalStart);
      const timing = timingFrom(
        { start: { ...body.start, timeZone: event.timeZone }, end: body.end },
        { startLocal: body.start.dateTime, timeZone: event.timeZone, durationMinutes: Math.round((current.end.getTime() - current.start.getTime()) / 60_000) },
      );
      occurrence = moveOccurrence(db, clock, actor, viewer.person, id, originalStart, timing.startLocal, timing.durationMinutes);
    } else {
      occurrence = restoreOccurrence(db, clock, actor, viewer.person, id, originalStart);
    }
    const event = requireEvent(db, id);
    return c.json(presentOccurrence(event, occurrence, seatsTakenOf(db, event, occurrence)));
  });

  app.get('/events/:id/invitations', apiValidator('param', idParam), (c) => {
    const { db } = c.var.deps;
    const event = requireEvent(db, c.req.valid('param').id);
    if (!canManageEvent(db, viewerOf(c).person, event)) throw forbidden('Only the host, their manager or HR can list the invitations.');
    return c.json({ data: invitationRowsOf(db, event.id).map(invitationPresenter(c)) });
  });

  app.post(
    '/events/:id/invitations',
    apiValidator('param', idParam),
    requireFound((c, id) => requireEvent(c.var.deps.db, id)),
    apiValidator('json', inviteBody),
    (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { db, clock } = c.var.deps;
      const start = body.occurrenceId ? originalStartFromKey(id, body.occurrenceId) : null;
      const result = invitePeople(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, body.personIds, start);
      const event = requireEvent(db, id);
      const now = clock.now();
      const warnings = result.invited
        .map((row) => {
          const person = db.select().from(people).where(eq(people.id, row.personId)).get()!;
          return { personId: row.personId, conflicts: conflictsForPlace(db, now, person, event, row.occurrenceStart) };
        })
        .filter((w) => w.conflicts.length > 0);
      const present = invitationPresenter(c);
      return c.json({ invited: result.invited.map(present), unchanged: result.unchanged.map(present), warnings }, 201);
    },
  );

  app.post('/events/:id/seats', apiValidator('param', idParam), apiValidator('json', claimBody), (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const person = viewerOf(c).person;
    const start = body.occurrenceId ? originalStartFromKey(id, body.occurrenceId) : null;
    const result = claimSeat(db, clock, actorOf(c.var.viewer), person, id, start, { confirmConflicts: body.confirmConflicts, you: true });
    return answerResponse(c, result, result.outcome === 'waitlisted' ? [] : result.conflicts, 201);
  });

  app.post('/events/:id/series-seats', apiValidator('param', idParam), apiValidator('json', seriesClaimBody), (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const result = claimSeries(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, { ...body, you: true });
    const taken = result.lines.filter((l) => l.invitationId !== null && l.outcome !== 'already').map((l) => l.invitationId!);
    return c.json(
      {
        eventId: id,
        horizonEnd: result.horizonEnd.toISOString(),
        more: result.more,
        occurrences: result.lines.map((l) => ({
          occurrenceId: l.occurrence.key,
          start: l.occurrence.start.toISOString(),
          outcome: l.outcome,
          waitlistPosition: l.waitlistPosition,
          conflicts: l.conflicts,
          invitationId: l.invitationId,
        })),
        undo: taken.length ? { invitationIds: taken, until: new Date(clock.now().getTime() + UNDO_WINDOW_MS).toISOString() } : null,
      },
      201,
    );
  });

  app.post('/events/:id/leave', apiValidator('param', idParam), apiValidator('json', leaveBody), (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const start = body.occurrenceId ? originalStartFromKey(id, body.occurrenceId) : null;
    const result = leaveSeat(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, start);
    const present = invitationPresenter(c);
    return c.json({ left: result.left.map(present), promoted: result.promoted.map(present) });
  });

  app.post('/seats/undo', apiValidator('json', undoBody), (c) => {
    const { db, clock } = c.var.deps;
    const result = undoClaims(db, clock, actorOf(c.var.viewer), viewerOf(c).person, c.req.valid('json').invitationIds);
    const present = invitationPresenter(c);
    return c.json({ undone: result.undone, promoted: result.promoted.map(present) });
  });

  app.get('/invitations', (c) => {
    const { db, clock } = c.var.deps;
    const rows = pendingInvitations(db, clock.now(), viewerOf(c).person.id);
    const present = invitationPresenter(c);
    return c.json({ data: rows.map((r) => present(r.invitation)) });
  });

  app.patch('/invitations/:id', apiValidator('param', idParam), apiValidator('json', answerBody), (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const result = answerInvitation(db, clock, actorOf(c.var.viewer), viewer.person, id, body.status, body.reason, { confirmConflicts: body.confirmConflicts });
    const invitee = db.select().from(people).where(eq(people.id, result.invitation.personId)).get() as Person;
    const warnings =
      result.outcome === 'accepted' || result.outcome === 'pending_approval'
        ? conflictsForPlace(db, clock.now(), invitee, requireEvent(db, result.invitation.eventId), result.invitation.occurrenceStart, {
            you: invitee.id === viewer.person.id,
          })
        : [];
    return answerResponse(c, result, warnings, 200);
  });

  app.get('/open-seats', apiValidator('query', openSeatsQuery), (c) => {
    const { db, clock } = c.var.deps;
    const q = c.req.valid('query');
    const { from, to } = parseWindow(c, q, 30);
    const seats = findOpenSeats(db, clock.now(), viewerOf(c).person, { from, to, teamId: q.team, kind: q.kind, account: q.account }, 200);
    return c.json({ data: seats.map((s) => ({ ...presentOccurrence(s.event, s.occurrence, s.seatsTaken), event: presentEvent(s.event, s.event.hostName) })) });
  });

  return app;
}
