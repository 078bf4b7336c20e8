/**
 * Creating, reading, editing and calling off events. Mounted at /events.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { eventKinds, people } from '../../db/schema';
import type { AppContext, AppEnv } from '../context';
import type { Db } from '../db';
import { AppError } from '../lib/errors';
import { pageQuery } from '../lib/validation';
import { addDaysToLocalDate, formatLocalDate } from '../lib/time';
import { actorOf } from '../audit/audit';
import { viewerOf } from '../guards';
import { findOnForm, formValidator, html, layoutProps, paramValidator, queryValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { formatWhen } from '../../views/events/format';
import type { ConflictView } from '../../views/events/components';
import { EventPage } from '../../views/events/event';
import { EventFormPage, KindFields, type EventFormProps } from '../../views/events/form';
import { canManageEvent, firstStartOf, requireEvent, requireManagedEvent, type EventRow } from './event-rules';
import { hasOccurrenceAhead, eventOccurrences, nextOccurrenceOf, requireOccurrence } from './event-occurrences';
import { cancelEvent, createEvent, findDuplicateEvent, editFollowing, updateEvent } from './events';
import { fillFreedSeats, notifyEventCancelled, cancellationCalendar } from './cancellation-notices';
import { findPlace, invitePeople } from './invitations';
import { MAX_INVITED_AT_ONCE } from './limits';
import { namedPlacesAt, seatsTakenAtOccurrences } from './schedule';
import { findOpenSeats } from './open-seats';
import { answerAudience, attendeesFor } from './visibility';
import { splitPartsOf } from './queries';
import { conflictsForPlace } from './conflicts';
import { detailsFromForm, eventFormSchema, formErrorsOf, formValuesOf, kindParam } from './forms';
import { eventSummary, invitationItem, occurrenceHref, openSeatItem } from './present';
import { splitSeries } from './recurrence';
import { hostName, hostOptions, idParam, inviteOptions, mayClaimSeries, originalStartOf, stageOptions } from './route-helpers';

export function eventRoutes() {
  const app = new Hono<AppEnv>();

  // ── event form ──
  const renderForm = (
    c: AppContext,
    props: Omit<EventFormProps, 'layout' | 'stageOptions' | 'hostOptions'> & { title: string },
    status: 200 | 400 | 409 = 200,
  ) => {
    const viewer = viewerOf(c);
    const hosts = hostOptions(c.var.deps.db, viewer, props.values.hostId, props.values.hostSearch);
    return html(c, EventFormPage({ layout: layoutProps(c, props.title), stageOptions, hostOptions: hosts, ...props }), status);
  };

  const newEventDefaults = (c: AppContext): FormValues => {
    const person = viewerOf(c).person;
    const tomorrow = addDaysToLocalDate(formatLocalDate(c.var.deps.clock.now(), person.timeZone), 1);
    const kind =
      kindParam(c.req.query('kind')) ??
      (person.department === 'sales' ? 'sales_call' : person.department === 'marketing' ? 'marketing_meeting' : 'alignment_meeting');
    return {
      kind,
      hostId: person.id,
      date: tomorrow,
      startTime: '10:00',
      endTime: '11:00',
      timeZone: person.timeZone,
      seats: 2,
      repeat: 'none',
      interval: 1,
      monthlyBy: 'date',
      ends: 'never',
    };
  };

  app.get('/new', (c) =>
    renderForm(c, { title: 'New event', heading: 'New event', action: '/events', submitLabel: 'Create event', values: newEventDefaults(c), kindFixed: null }),
  );

  // The fields of the kind chosen, swapped into the form by htmx; values typed in the shared fields come along.
  app.get(
    '/kind-fields',
    queryValidator(
      z.object({
        kind: z.enum(eventKinds),
        account: z.string().max(200).optional(),
        opportunityStage: z.string().max(50).optional(),
        topic: z.string().max(200).optional(),
        location: z.string().max(300).optional(),
        meetingUrl: z.string().max(500).optional(),
      }),
    ),
    (c) => {
      const { kind, ...values } = c.req.valid('query');
      return html(c, KindFields({ kind, values, stageOptions }));
    },
  );

  /** "Show the fields of this kind" (no JavaScript): the same form again for the kind chosen, with what was typed. */
  const changedKind = (c: AppContext, values: FormValues) => {
    const { changeKind: _button, ...rest } = values;
    return renderForm(c, { title: 'New event', heading: 'New event', action: '/events', submitLabel: 'Create event', values: rest, kindFixed: null });
  };

  app.post(
    '/',
    findOnForm({ findHost: 'hostSearch' }, (c, values) =>
      renderForm(c, { title: 'New event', heading: 'New event', action: '/events', submitLabel: 'Create event', values, kindFixed: null }),
    ),
    formValidator(eventFormSchema, (c, errors, values) =>
      values.changeKind
        ? changedKind(c, values)
        : renderForm(c, { title: 'New event', heading: 'New event', action: '/events', submitLabel: 'Create event', values, errors, kindFixed: null }, 400),
    ),
    async (c) => {
      if ((await c.req.parseBody()).changeKind) return changedKind(c, c.req.valid('form') as unknown as FormValues);
      const form = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const viewer = viewerOf(c);
      try {
        const details = detailsFromForm(form, viewer.person.id);
        const duplicate = form.confirmDuplicate ? null : findDuplicateEvent(db, details);
        if (duplicate) {
          return renderForm(
            c,
            {
              title: 'New event',
              heading: 'New event',
              action: '/events',
              submitLabel: 'Create anyway',
              values: { ...form, confirmDuplicate: '1' },
              kindFixed: null,
              duplicate: { href: `/events/${duplicate.id}`, title: duplicate.title, you: duplicate.hostId === viewer.person.id },
            },
            409,
          );
        }
        const event = createEvent(db, clock, actorOf(c.var.viewer), viewer.person, details);
        return redirectWithMessage(c, `/events/${event.id}`, `${event.title} was created.`);
      } catch (err) {
        const errors = formErrorsOf(err);
        if (errors)
          return renderForm(
            c,
            { title: 'New event', heading: 'New event', action: '/events', submitLabel: 'Create event', values: form, errors, kindFixed: null },
            400,
          );
        throw err;
      }
    },
  );

  // ── event page ──
  const OCCURRENCES_PAGE_SIZE = 20;
  /** A series page counts and pages through its occurrences up to a year ahead. */
  const OCCURRENCE_HORIZON_DAYS = 366;
  const renderEventPage = (
    c: AppContext,
    event: EventRow,
    extra: { conflicts?: ConflictView[]; errors?: FieldErrors; flash?: string; page?: number; invite?: string } = {},
    status: 200 | 400 = 200,
  ) => {
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c).person;
    const now = clock.now();
    const zone = viewer.timeZone;
    const name = hostName(db, event.hostId);
    const canManage = canManageEvent(db, viewer, event);
    const horizon = new Date(now.getTime() + OCCURRENCE_HORIZON_DAYS * 86_400_000);
    const upcoming = event.rrule ? eventOccurrences(db, event, now, horizon, true) : [];
    const pageCount = Math.max(1, Math.ceil(upcoming.length / OCCURRENCES_PAGE_SIZE));
    const page = Math.min(extra.page ?? 1, pageCount);
    const shown = upcoming.slice((page - 1) * OCCURRENCES_PAGE_SIZE, page * OCCURRENCES_PAGE_SIZE);
    const seatsTaken = seatsTakenAtOccurrences(db, event, shown);
    const occurrences = shown.map((o, i) => ({
      key: o.key,
      href: occurrenceHref(event.id, o.originalStart),
      when: formatWhen(o.start, o.end, zone),
      cancelled: o.cancelled,
      moved: o.isMoved,
      seatsTaken: seatsTaken[i]!,
    }));
    const guests = attendeesFor(
      namedPlacesAt(db, event, null).filter((a) => a.scope === 'event'),
      answerAudience(db, viewer, event),
    );
    const myRow = findPlace(db, event.id, viewer.id, null);
    const myInvitation = myRow && event.status === 'scheduled' ? invitationItem(db, now, zone, myRow, event, name) : null;
    let claim = null;
    if (!event.rrule && !myRow?.holdsSeat && event.status === 'scheduled' && event.hostId !== viewer.id) {
      const [seat] = findOpenSeats(db, now, viewer, { from: now, to: new Date(firstStartOf(event).getTime() + 86_400_000), eventId: event.id }, 1);
      if (seat) claim = openSeatItem(seat, zone);
    }
    const asksAnswer = (myInvitation && !myRow?.holdsSeat && myRow?.status !== 'declined') || claim;
    const myConflicts = asksAnswer ? conflictsForPlace(db, now, viewer, event, null, { you: true }) : [];
    return html(
      c,
      EventPage({
        layout: layoutProps(c, event.title, extra.flash),
        event: eventSummary(event, name, zone),
        canManage,
        canCancel: canManage && hasOccurrenceAhead(db, event, now),
        occurrences,
        occurrencePages: {
          total: upcoming.length,
          more: event.rrule !== null && (event.spanEnd === null || event.spanEnd.getTime() > horizon.getTime()),
          horizonLabel: formatLocalDate(horizon, zone),
          page,
          pageSize: OCCURRENCES_PAGE_SIZE,
        },
        attendees: guests.shown,
        hiddenAnswers: guests.hidden,
        inviteOptions: canManage && event.status === 'scheduled' ? inviteOptions(db, event, extra.invite) : [],
        inviteSearch: extra.invite ?? '',
        myInvitation,
        myConflicts,
        claim,
        canClaimSeries: mayClaimSeries(event, viewer),
        conflicts: extra.conflicts,
        errors: extra.errors,
        splitParts: splitPartsView(db, event, zone),
      }),
      status,
    );
  };

  const splitPartsView = (db: Db, event: EventRow, zone: string) => {
    const { earlier, later } = splitPartsOf(db, event);
    return {
      earlier: earlier && { href: `/events/${earlier.id}`, title: earlier.title },
      later: later.map((part) => {
        const start = firstStartOf(part);
        return { href: `/events/${part.id}`, title: part.title, from: formatWhen(start, new Date(start.getTime() + part.durationMinutes * 60_000), zone) };
      }),
    };
  };

  app.get(
    '/:id',
    paramValidator(idParam),
    // invite: the words the host's invite form looks for.
    queryValidator(z.object({ page: pageQuery.page, invite: z.string().trim().max(200).optional() })),
    (c) => {
      const query = c.req.valid('query');
      return renderEventPage(c, requireEvent(c.var.deps.db, c.req.valid('param').id), { page: query.page, invite: query.invite });
    },
  );

  // ── edit the whole event, or this and following ──
  const editProps = (c: AppContext, event: EventRow, fromKey: string | null) => {
    const { db, clock } = c.var.deps;
    const now = clock.now();
    // A series that has begun keeps the times of what began: say from when new times apply.
    const begun = !fromKey && firstStartOf(event).getTime() < now.getTime();
    const next = begun && event.rrule ? nextOccurrenceOf(db, event, now) : null;
    const zone = viewerOf(c).person.timeZone;
    return {
      title: `Edit ${event.title}`,
      heading: fromKey ? `Edit ${event.title}: this and following occurrences` : `Edit ${event.title}`,
      action: `/events/${event.id}`,
      submitLabel: 'Save changes',
      kindFixed: event.kind,
      fromOccurrence: fromKey,
      note: fromKey
        ? 'Changes apply to this occurrence and every later one; earlier occurrences stay as they were.'
        : begun && event.rrule
          ? `Changes apply to every occurrence of the series, except that occurrences that have already started keep their times: a new time, length or repetition applies ${next ? `from ${formatWhen(next.start, next.end, zone)} on` : 'only to new occurrences ahead'}, as a new series.`
          : begun
            ? 'This event has already started: its time stays as it was (made a series, it repeats from now on). Other details can still change.'
            : event.rrule
              ? 'Changes apply to every occurrence of the series.'
              : null,
    };
  };

  /** What the flash says after a whole-event change: where a series that had begun was split. */
  const savedMessage = (c: AppContext, before: EventRow, after: EventRow) => {
    const { db, clock } = c.var.deps;
    const zone = viewerOf(c).person.timeZone;
    if (after.id !== before.id) {
      const start = firstStartOf(after);
      return `Changes saved. They apply from ${formatWhen(start, new Date(start.getTime() + after.durationMinutes * 60_000), zone)} on; the occurrences that had started keep their times.`;
    }
    const now = clock.now();
    if (before.rrule && after.rrule !== before.rrule && !hasOccurrenceAhead(db, after, now) && hasOccurrenceAhead(db, before, now)) {
      return 'Changes saved. The new times have no occurrence ahead, so the series ends here; the occurrences that took place keep their times.';
    }
    return 'Changes saved.';
  };

  app.get('/:id/edit', paramValidator(idParam), queryValidator(z.object({ from: z.string().max(100).optional() })), (c) => {
    const { db } = c.var.deps;
    const event = requireManagedEvent(db, viewerOf(c).person, c.req.valid('param').id);
    const from = c.req.valid('query').from ?? null;
    let values = formValuesOf(event);
    if (from && event.rrule) {
      const originalStart = originalStartOf(event.id, from);
      requireOccurrence(db, event, originalStart);
      const split = splitSeries(event.rrule, event.startLocal, event.timeZone, originalStart);
      values = formValuesOf(event, split.tailFirstStartLocal, split.tailRRule);
    }
    return renderForm(c, { ...editProps(c, event, from && event.rrule ? from : null), values });
  });

  app.post(
    '/:id',
    paramValidator(idParam),
    findOnForm({ findHost: 'hostSearch' }, (c, values) => {
      const event = requireManagedEvent(c.var.deps.db, viewerOf(c).person, Number(c.req.param('id')));
      return renderForm(c, { ...editProps(c, event, typeof values.fromOccurrence === 'string' ? values.fromOccurrence : null), values });
    }),
    formValidator(eventFormSchema, (c, errors, values) => {
      const event = requireEvent(c.var.deps.db, Number(c.req.param('id')));
      return renderForm(c, { ...editProps(c, event, typeof values.fromOccurrence === 'string' ? values.fromOccurrence : null), values, errors }, 400);
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const form = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const viewer = viewerOf(c);
      const before = requireEvent(db, id);
      try {
        const details = detailsFromForm({ ...form, kind: before.kind }, before.hostId);
        const actor = actorOf(c.var.viewer);
        const after =
          form.fromOccurrence && before.rrule
            ? editFollowing(db, clock, actor, viewer.person, { eventId: id, originalStart: originalStartOf(id, form.fromOccurrence) }, details)
            : updateEvent(db, clock, actor, viewer.person, id, details, (tx, old, updated) => {
                if (updated.seats > old.seats) fillFreedSeats(tx, clock, updated);
              });
        return redirectWithMessage(c, `/events/${after.id}`, form.fromOccurrence && before.rrule ? 'Changes saved.' : savedMessage(c, before, after));
      } catch (err) {
        const errors = formErrorsOf(err);
        if (errors) return renderForm(c, { ...editProps(c, before, form.fromOccurrence ?? null), values: form, errors }, 400);
        // New times that would only rewrite what took place: said on the form, nothing changed.
        if (err instanceof AppError && err.code === 'already_took_place')
          return renderForm(c, { ...editProps(c, before, form.fromOccurrence ?? null), values: form, errors: { _form: err.message } }, 409);
        throw err;
      }
    },
  );

  app.post('/:id/cancel', paramValidator(idParam), (c) => {
    const { db, clock } = c.var.deps;
    const event = cancelEvent(db, clock, actorOf(c.var.viewer), viewerOf(c).person, c.req.valid('param').id, (tx, e) =>
      notifyEventCancelled(tx, clock, e, cancellationCalendar(c, tx, e)),
    );
    return redirectWithMessage(c, `/events/${event.id}`, `${event.title} was cancelled; everyone who accepted has been told.`);
  });

  app.post('/:id/invitations', paramValidator(idParam), async (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const body = await c.req.parseBody({ all: true });
    const raw = body.personIds;
    const personIds = [
      ...new Set((Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => Number(v)).filter((n) => Number.isInteger(n) && n > 0)),
    ];
    const event = requireEvent(db, id);
    if (personIds.length === 0) return renderEventPage(c, event, { errors: { personIds: 'Choose at least one person to invite.' } }, 400);
    // The same bound as the API: one request's work does not grow with how many ids were sent.
    if (personIds.length > MAX_INVITED_AT_ONCE)
      return renderEventPage(c, event, { errors: { personIds: `Invite at most ${MAX_INVITED_AT_ONCE} people at once.` } }, 400);
    const occurrence = typeof body.occurrence === 'string' && body.occurrence ? originalStartOf(id, body.occurrence) : null;
    let result;
    try {
      result = invitePeople(db, clock, actorOf(c.var.viewer), viewer.person, id, personIds, occurrence);
    } catch (err) {
      const errors = formErrorsOf(err);
      if (errors) return renderEventPage(c, event, { errors }, 400);
      throw err;
    }
    const now = clock.now();
    const conflicts = result.invited.flatMap((row) => {
      const person = db.select().from(people).where(eq(people.id, row.personId)).get()!;
      return conflictsForPlace(db, now, person, event, row.occurrenceStart);
    });
    const flash = `Invited ${result.invited.length} ${result.invited.length === 1 ? 'person' : 'people'}${result.unchanged.length ? `; ${result.unchanged.length} already had an invitation` : ''}.`;
    return renderEventPage(c, requireEvent(db, id), { conflicts, flash });
  });
  return app;
}
