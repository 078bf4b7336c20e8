import { Hono } from 'hono';
import { cancellationCalendar } from '../calendar/routes';
import { z } from 'zod';
import { and, asc, eq, ne } from 'drizzle-orm';
import { eventKinds, opportunityStages, people, teams } from '../../db/schema';
import type { AppContext, AppEnv, Person } from '../context';
import type { Db } from '../db';
import { AppError, forbidden, notFound } from '../lib/errors';
import { blankToUndefined, dateSchema, idSchema, pathIdSchema, pageQuery } from '../lib/validation';
import { addDaysToLocalDate, formatLocal, formatLocalDate, localDateTimeSchema, startOfLocalDate } from '../lib/time';
import { actorOf } from '../audit/audit';
import { requireRole, requireSignedIn, viewerOf } from '../guards';
import { reportIds, teamOptions } from '../people/people';
import { formValidator, html, isHtmx, layoutProps, navBadgesOob, paramValidator, queryValidator, redirectWithMessage } from '../web';
import type { FieldErrors, FormValues, Option } from '../../views/components';
import { formatWhen } from '../../views/events/format';
import { InListItem, InRow, InvitationCard, OpenSeatRow, ResultBox, ResultMessage, SeriesClaimResult, type ConflictView, type SeriesClaimView, type UndoView } from '../../views/events/components';
import { ClaimDonePage, ConfirmConflictsPage, SeriesClaimPage } from '../../views/events/claims';
import { EventPage } from '../../views/events/event';
import { EventFormPage, KindFields, type EventFormProps } from '../../views/events/form';
import { ApprovalsPage, InvitationsPage } from '../../views/events/invitations';
import { OccurrenceAnswerBox, OccurrencePage, type AgendaView } from '../../views/events/occurrence';
import { OpenSeatsPage, OpenSeatsResults } from '../../views/events/open-seats';
import {
  cancelEvent,
  cancelOccurrence,
  canManageEvent,
  createEvent,
  findDuplicateEvent,
  editFollowing,
  hasOccurrenceAhead,
  eventOccurrences,
  firstStartOf,
  moveOccurrence,
  requireEvent,
  requireOccurrence,
  restoreOccurrence,
  updateEvent,
  type EventRow,
} from './events';
import {
  answerInvitation,
  claimApprovalRequired,
  claimSeat,
  claimSeries,
  decideClaim,
  leaveSeat,
  undoClaims,
  UNDO_WINDOW_MS,
  type SeriesClaim,
  fillFreedSeats,
  findPlace,
  invitePeople,
  notifyEventCancelled,
  notifyOccurrenceCancelled,
  pendingApprovals,
  requireInvitation,
  respond,
  setClaimApprovalPolicy,
  type AnswerOutcome,
} from './invitations';
import { MAX_INVITED_AT_ONCE } from './limits';
import { namedPlacesAt, findOpenSeats, pendingInvitations, seatsTakenAtOccurrences } from './schedule';
import { answerAudience, attendeesFor } from './visibility';
import { conflictsForPlace, conflictsForPlaces, type Conflict } from './conflicts';
import { actionItemInputSchema, addActionItem, addAgendaItem, agendaItemInputSchema, canKeepAgenda, decisionsInputSchema, occurrenceAgenda, recordDecisions, setActionItemDone } from './agenda';
import { detailsFromForm, eventFormSchema, formErrorsOf, formValuesOf, kindParam } from './forms';
import { eventSummary, invitationItem, invitationItems, occurrenceHref, openSeatItem } from './present';
import { parseOccurrenceKey, splitSeries } from './recurrence';
import { safeRedirectPath } from '../lib/redirects';
import { withDepartment } from '../../views/labels';

const idParam = z.object({ id: pathIdSchema });
const occurrenceParam = z.object({ id: pathIdSchema, key: z.string().min(1).max(100) });
/** A ticked box or a hidden "1": the person confirmed. */
const confirmFlag = z.preprocess(blankToUndefined, z.literal('1').optional()).transform((v) => v === '1');
const answerForm = z.object({
  status: z.enum(['accepted', 'declined', 'tentative'], { error: 'Choose accept, maybe or decline.' }),
  reason: z.preprocess(blankToUndefined, z.string().trim().max(500).optional()),
  next: z.string().max(2000).optional(),
  confirmConflicts: confirmFlag,
});
const nextForm = z.object({ next: z.string().max(2000).optional() });
const claimForm = z.object({ next: z.string().max(2000).optional(), confirmConflicts: confirmFlag });
const seriesClaimForm = z.object({ next: z.string().max(2000).optional(), row: z.string().max(100).optional(), options: confirmFlag, waitlist: confirmFlag, confirmConflicts: confirmFlag });
const leaveForm = z.object({ occurrence: z.preprocess(blankToUndefined, z.string().max(100).optional()), scope: z.enum(['occurrence', 'series']).default('occurrence'), next: z.string().max(2000).optional() });
const undoForm = z.object({ ids: z.string().regex(/^\d{1,12}(,\d{1,12}){0,99}$/, 'Choose the claims to undo.'), next: z.string().max(2000).optional() });

/** The conflicts a refused join named, when the refusal was for conflicts. */
function conflictsOf(err: unknown): Conflict[] | null {
  return err instanceof AppError && err.code === 'conflict' && Array.isArray(err.details?.conflicts) ? (err.details.conflicts as Conflict[]) : null;
}

const undoView = (clock: { now(): Date }, zone: string, ids: number[]): UndoView | null =>
  ids.length ? { invitationIds: ids, until: formatLocal(new Date(clock.now().getTime() + UNDO_WINDOW_MS), zone).slice(11, 16) } : null;

/** Only our own paths are followed after a form post. */
const safeNext = (next: unknown, fallback: string) => safeRedirectPath(next, fallback);

function originalStartOf(eventId: number, key: string): Date {
  const parsed = parseOccurrenceKey(key);
  if (!parsed || parsed.eventId !== String(eventId)) throw notFound('No such occurrence of this event.');
  return parsed.originalStart;
}

function hostName(db: Db, id: number) {
  return db.select({ name: people.name }).from(people).where(eq(people.id, id)).get()?.name ?? '';
}

/** Hosts the viewer may choose: themselves; managers also their reports; HR anyone active. */
function hostOptions(db: Db, viewer: Person): Option[] | null {
  if (viewer.role === 'employee') return null;
  const rows = db.select({ id: people.id, name: people.name, department: people.department }).from(people).where(eq(people.active, true)).orderBy(asc(people.name)).all();
  const allowed = viewer.role === 'hr' ? null : new Set([viewer.id, ...reportIds(db, viewer.id)]);
  return rows.filter((r) => !allowed || allowed.has(r.id)).map((r) => ({ value: r.id, label: withDepartment(r) }));
}

function inviteOptions(db: Db, event: EventRow): Option[] {
  return db
    .select({ id: people.id, name: people.name, department: people.department })
    .from(people)
    .where(and(eq(people.active, true), ne(people.id, event.hostId), event.guestDepartment ? eq(people.department, event.guestDepartment) : undefined))
    .orderBy(asc(people.name))
    .limit(1000)
    .all()
    .map((p) => ({ value: p.id, label: withDepartment(p) }));
}

const stageOptions = opportunityStages.map((s) => ({ value: s, label: s.replace('_', ' ') }));

function outcomeMessage(result: AnswerOutcome): string {
  switch (result.outcome) {
    case 'accepted':
      return 'You are on the guest list.';
    case 'pending_approval':
      return 'Your seat is held until your manager approves the claim.';
    case 'waitlisted':
      return `It is full: you are number ${result.waitlistPosition} on the waitlist and move up when a seat frees.`;
    case 'tentative':
      return 'Answered maybe.';
    case 'declined':
      return 'Declined.';
  }
}

/** A guest of the right department may claim every upcoming occurrence of a scheduled series with seats. */
function mayClaimSeries(event: EventRow, viewer: Person): boolean {
  return !!event.rrule && event.status === 'scheduled' && event.hostId !== viewer.id && event.seats > 0 && (!event.guestDepartment || event.guestDepartment === viewer.department);
}

export function eventsRoutes() {
  const app = new Hono<AppEnv>();
  for (const path of ['/events', '/events/*', '/invitations', '/invitations/*', '/open-seats', '/open-seats/*', '/approvals', '/approvals/*', '/agenda-items/*', '/action-items/*']) {
    app.use(path, requireSignedIn);
  }

  // ── event form ──
  const renderForm = (c: AppContext, props: Omit<EventFormProps, 'layout' | 'stageOptions' | 'hostOptions'> & { title: string }, status: 200 | 400 | 409 = 200) => {
    const viewer = viewerOf(c);
    return html(c, EventFormPage({ layout: layoutProps(c, props.title), stageOptions, hostOptions: hostOptions(c.var.deps.db, viewer.person), ...props }), status);
  };

  const newEventDefaults = (c: AppContext): FormValues => {
    const person = viewerOf(c).person;
    const tomorrow = addDaysToLocalDate(formatLocalDate(c.var.deps.clock.now(), person.timeZone), 1);
    const kind = kindParam(c.req.query('kind')) ?? (person.department === 'sales' ? 'sales_call' : person.department === 'marketing' ? 'marketing_meeting' : 'alignment_meeting');
    return { kind, hostId: person.id, date: tomorrow, startTime: '10:00', endTime: '11:00', timeZone: person.timeZone, seats: 2, repeat: 'none', interval: 1, monthlyBy: 'date', ends: 'never' };
  };

  app.get('/events/new', (c) => renderForm(c, { title: 'New event', heading: 'New event', action: '/events', submitLabel: 'Create event', values: newEventDefaults(c), kindFixed: null }));

  // The fields of the kind chosen, swapped into the form by htmx; values typed in the shared fields come along.
  app.get('/events/kind-fields', queryValidator(z.object({ kind: z.enum(eventKinds), account: z.string().max(200).optional(), opportunityStage: z.string().max(50).optional(), topic: z.string().max(200).optional(), location: z.string().max(300).optional(), meetingUrl: z.string().max(500).optional() })), (c) => {
    const { kind, ...values } = c.req.valid('query');
    return html(c, KindFields({ kind, values, stageOptions }));
  });

  /** "Show the fields of this kind" (no JavaScript): the same form again for the kind chosen, with what was typed. */
  const changedKind = (c: AppContext, values: FormValues) => {
    const { changeKind: _button, ...rest } = values;
    return renderForm(c, { title: 'New event', heading: 'New event', action: '/events', submitLabel: 'Create event', values: rest, kindFixed: null });
  };

  app.post(
    '/events',
    formValidator(eventFormSchema, (c, errors, values) =>
      values.changeKind ? changedKind(c, values) : renderForm(c, { title: 'New event', heading: 'New event', action: '/events', submitLabel: 'Create event', values, errors, kindFixed: null }, 400),
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
          return renderForm(c, {
            title: 'New event',
            heading: 'New event',
            action: '/events',
            submitLabel: 'Create anyway',
            values: { ...form, confirmDuplicate: '1' },
            kindFixed: null,
            duplicate: { href: `/events/${duplicate.id}`, title: duplicate.title, you: duplicate.hostId === viewer.person.id },
          }, 409);
        }
        const event = createEvent(db, clock, actorOf(c.var.viewer), viewer.person, details);
        return redirectWithMessage(c, `/events/${event.id}`, `${event.title} was created.`);
      } catch (err) {
        const errors = formErrorsOf(err);
        if (errors) return renderForm(c, { title: 'New event', heading: 'New event', action: '/events', submitLabel: 'Create event', values: form, errors, kindFixed: null }, 400);
        throw err;
      }
    },
  );

  // ── event page ──
  const OCCURRENCES_PAGE_SIZE = 20;
  /** A series page counts and pages through its occurrences up to a year ahead. */
  const OCCURRENCE_HORIZON_DAYS = 366;
  const renderEventPage = (c: AppContext, event: EventRow, extra: { conflicts?: ConflictView[]; errors?: FieldErrors; flash?: string; page?: number } = {}, status: 200 | 400 = 200) => {
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
    const guests = attendeesFor(namedPlacesAt(db, event, null).filter((a) => a.scope === 'event'), answerAudience(db, viewer, event));
    const myRow = findPlace(db, event.id, viewer.id, null);
    const myInvitation = myRow && event.status === 'scheduled' ? invitationItem(db, now, zone, myRow, event, name) : null;
    let claim = null;
    if (!event.rrule && !myRow?.holdsSeat && event.status === 'scheduled' && event.hostId !== viewer.id) {
      const seat = findOpenSeats(db, now, viewer, { from: now, to: new Date(firstStartOf(event).getTime() + 86_400_000) }, 500).find((s) => s.event.id === event.id);
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
        inviteOptions: canManage ? inviteOptions(db, event) : [],
        myInvitation,
        myConflicts,
        claim,
        canClaimSeries: mayClaimSeries(event, viewer),
        conflicts: extra.conflicts,
        errors: extra.errors,
      }),
      status,
    );
  };

  app.get('/events/:id', paramValidator(idParam), queryValidator(z.object({ page: pageQuery.page })), (c) =>
    renderEventPage(c, requireEvent(c.var.deps.db, c.req.valid('param').id), { page: c.req.valid('query').page }),
  );

  // ── edit the whole event, or this and following ──
  const editProps = (event: EventRow, fromKey: string | null) => ({
    title: `Edit ${event.title}`,
    heading: fromKey ? `Edit ${event.title}: this and following occurrences` : `Edit ${event.title}`,
    action: `/events/${event.id}`,
    submitLabel: 'Save changes',
    kindFixed: event.kind,
    fromOccurrence: fromKey,
    note: fromKey ? 'Changes apply to this occurrence and every later one; earlier occurrences stay as they were.' : event.rrule ? 'Changes apply to every occurrence of the series.' : null,
  });

  app.get('/events/:id/edit', paramValidator(idParam), queryValidator(z.object({ from: z.string().max(100).optional() })), (c) => {
    const { db } = c.var.deps;
    const event = requireEvent(db, c.req.valid('param').id);
    if (!canManageEvent(db, viewerOf(c).person, event)) throw forbidden('Only the host, their manager or HR can change this event.');
    const from = c.req.valid('query').from ?? null;
    let values = formValuesOf(event);
    if (from && event.rrule) {
      const originalStart = originalStartOf(event.id, from);
      requireOccurrence(db, event, originalStart);
      const split = splitSeries(event.rrule, event.startLocal, event.timeZone, originalStart);
      values = formValuesOf(event, split.tailFirstStartLocal, split.tailRRule);
    }
    return renderForm(c, { ...editProps(event, from && event.rrule ? from : null), values });
  });

  app.post(
    '/events/:id',
    paramValidator(idParam),
    formValidator(eventFormSchema, (c, errors, values) => {
      const event = requireEvent(c.var.deps.db, Number(c.req.param('id')));
      return renderForm(c, { ...editProps(event, typeof values.fromOccurrence === 'string' ? values.fromOccurrence : null), values, errors }, 400);
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
        const after = form.fromOccurrence && before.rrule
          ? editFollowing(db, clock, actor, viewer.person, id, originalStartOf(id, form.fromOccurrence), details)
          : updateEvent(db, clock, actor, viewer.person, id, details, (tx, old, updated) => {
              if (updated.seats > old.seats) fillFreedSeats(tx, clock, updated);
            });
        return redirectWithMessage(c, `/events/${after.id}`, 'Changes saved.');
      } catch (err) {
        const errors = formErrorsOf(err);
        if (errors) return renderForm(c, { ...editProps(before, form.fromOccurrence ?? null), values: form, errors }, 400);
        throw err;
      }
    },
  );

  app.post('/events/:id/cancel', paramValidator(idParam), (c) => {
    const { db, clock } = c.var.deps;
    const event = cancelEvent(db, clock, actorOf(c.var.viewer), viewerOf(c).person, c.req.valid('param').id, (tx, e) => notifyEventCancelled(tx, clock, e, cancellationCalendar(c, tx, e)));
    return redirectWithMessage(c, `/events/${event.id}`, `${event.title} was cancelled; everyone who accepted has been told.`);
  });

  app.post('/events/:id/invitations', paramValidator(idParam), async (c) => {
    const { id } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c);
    const body = await c.req.parseBody({ all: true });
    const raw = body.personIds;
    const personIds = [...new Set((Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => Number(v)).filter((n) => Number.isInteger(n) && n > 0))];
    const event = requireEvent(db, id);
    if (personIds.length === 0) return renderEventPage(c, event, { errors: { personIds: 'Choose at least one person to invite.' } }, 400);
    // The same bound as the API: one request's work does not grow with how many ids were sent.
    if (personIds.length > MAX_INVITED_AT_ONCE) return renderEventPage(c, event, { errors: { personIds: `Invite at most ${MAX_INVITED_AT_ONCE} people at once.` } }, 400);
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

  // ── occurrence page ──
  const agendaView = (c: AppContext, event: EventRow, originalStart: Date): AgendaView | null => {
    if (event.kind !== 'alignment_meeting') return null;
    const { db } = c.var.deps;
    const viewer = viewerOf(c).person;
    const agenda = occurrenceAgenda(db, event, originalStart);
    const zone = viewer.timeZone;
    const owners = db.select({ id: people.id, name: people.name }).from(people).where(eq(people.active, true)).orderBy(asc(people.name)).limit(2000).all();
    return {
      items: agenda.items.map((i) => ({ id: i.id, title: i.title, ownerName: i.ownerName, minutes: i.minutes, decisions: i.decisions })),
      actionItems: agenda.actionItems.map((i) => ({ id: i.id, title: i.title, ownerName: i.ownerName, dueDate: i.dueDate, done: i.doneAt !== null })),
      carriedOver: agenda.carriedOver.map((i) => ({ id: i.id, title: i.title, ownerName: i.ownerName, dueDate: i.dueDate, from: formatLocalDate(i.fromOccurrence, zone), done: i.doneAt !== null })),
      totalMinutes: agenda.totalMinutes,
      meetingMinutes: event.durationMinutes,
      canKeep: canKeepAgenda(db, viewer, event, originalStart),
      ownerOptions: owners.map((o) => ({ value: o.id, label: o.name })),
    };
  };

  /** The viewer's place at an occurrence and whether they may claim a seat there. */
  const answerState = (c: AppContext, event: EventRow, originalStart: Date) => {
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c).person;
    const attendees = namedPlacesAt(db, event, event.rrule ? originalStart : null);
    const mine = attendees.find((a) => a.personId === viewer.id);
    const myAnswer = mine ? { status: mine.status, approvalPending: mine.approvalPending, scope: event.rrule ? mine.scope : ('occurrence' as const) } : null;
    const occurrence = requireOccurrence(db, event, originalStart);
    const seatsTaken = attendees.filter((a) => a.holdsSeat).length;
    const guestOk = !event.guestDepartment || event.guestDepartment === viewer.department;
    const canClaim = !mine && event.hostId !== viewer.id && guestOk && event.seats > 0 && occurrence.start > clock.now();
    let claimNote: string | null = null;
    if (!mine && event.hostId !== viewer.id && !guestOk) claimNote = `Guests come from ${event.guestDepartment}.`;
    else if (canClaim && seatsTaken >= event.seats) claimNote = 'All seats are taken; claiming puts you on the waitlist.';
    const open = !occurrence.cancelled && occurrence.start > clock.now();
    const deciding = canClaim || (mine && !mine.holdsSeat && mine.status !== 'declined');
    const conflicts = open && deciding ? conflictsForPlace(db, clock.now(), viewer, event, event.rrule ? originalStart : null, { you: true }) : [];
    return { attendees, myAnswer, canClaim, claimNote, occurrence, seatsTaken, conflicts };
  };

  const renderOccurrence = (c: AppContext, event: EventRow, originalStart: Date, extra: { errors?: FieldErrors; values?: FormValues } = {}, status: 200 | 400 = 200) => {
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c).person;
    const state = answerState(c, event, originalStart);
    const guests = attendeesFor(state.attendees, answerAudience(db, viewer, event));
    const o = state.occurrence;
    const name = hostName(db, event.hostId);
    return html(
      c,
      OccurrencePage({
        layout: layoutProps(c, `${event.title} · ${formatLocalDate(o.start, viewer.timeZone)}`),
        // The status of this occurrence: one that took place before its series was called off is not cancelled.
        event: { ...eventSummary(event, name, viewer.timeZone), status: o.cancelled ? 'cancelled' : 'scheduled' },
        occurrence: {
          key: o.key,
          when: formatWhen(o.start, o.end, viewer.timeZone),
          whenInEventZone: formatWhen(o.start, o.end, event.timeZone),
          cancelled: o.cancelled,
          moved: o.isMoved,
          seatsTaken: state.seatsTaken,
          seatsFree: Math.max(0, event.seats - state.seatsTaken),
          past: o.start <= clock.now(),
          startLocal: formatLocal(o.start, event.timeZone),
          durationMinutes: Math.round((o.end.getTime() - o.start.getTime()) / 60_000),
        },
        attendees: guests.shown,
        hiddenAnswers: guests.hidden,
        canManage: canManageEvent(db, viewer, event),
        myAnswer: state.myAnswer,
        canClaim: state.canClaim,
        claimNote: state.claimNote,
        conflicts: state.conflicts,
        canClaimSeries: mayClaimSeries(event, viewer),
        agenda: agendaView(c, event, o.originalStart),
        errors: extra.errors,
        values: extra.values,
      }),
      status,
    );
  };

  app.get('/events/:id/occurrences/:key', paramValidator(occurrenceParam), (c) => {
    const { id, key } = c.req.valid('param');
    const event = requireEvent(c.var.deps.db, id);
    return renderOccurrence(c, event, originalStartOf(id, key));
  });

  /** The answer box of the occurrence page, after an answer, a claim or a refused join. */
  const answerBox = (c: AppContext, event: EventRow, originalStart: Date, base: string, extra: { message?: string; conflicts?: ConflictView[]; confirm?: 'claim' | 'accept'; undo?: UndoView | null }) => {
    const state = answerState(c, event, originalStart);
    const closed = state.occurrence.cancelled || state.occurrence.start <= c.var.deps.clock.now();
    return OccurrenceAnswerBox({
      action: base,
      csrfToken: viewerOf(c).csrfToken ?? null,
      myAnswer: state.myAnswer,
      canClaim: state.canClaim,
      claimNote: null,
      conflicts: extra.conflicts ?? (extra.message ? [] : state.conflicts),
      confirm: extra.confirm ?? null,
      message: extra.message ?? null,
      undo: extra.undo ?? null,
      next: base,
      closed,
      isSeries: event.rrule !== null,
      eventId: event.id,
      occurrenceKey: state.occurrence.key,
    });
  };

  /** Asks to confirm a conflicting join: in place with htmx, as a page without JavaScript. */
  const confirmJoin = (c: AppContext, opts: { htmx: () => unknown; heading: string; what: string; conflicts: Conflict[]; action: string; fields: Record<string, string>; confirmLabel: string; cancelHref: string }) => {
    if (isHtmx(c)) return html(c, opts.htmx() as never);
    return html(c, ConfirmConflictsPage({ layout: layoutProps(c, opts.heading), ...opts }), 409);
  };

  app.post('/events/:id/occurrences/:key/answer', paramValidator(occurrenceParam), formValidator(answerForm, () => {
    throw new AppError(400, 'invalid', 'Choose accept, maybe or decline.');
  }), (c) => {
    const { id, key } = c.req.valid('param');
    const form = c.req.valid('form');
    const { db, clock } = c.var.deps;
    const person = viewerOf(c).person;
    const originalStart = originalStartOf(id, key);
    const event = requireEvent(db, id);
    const base = `/events/${id}/occurrences/${key}`;
    let result;
    try {
      result = respond(db, clock, actorOf(c.var.viewer), person, { eventId: id, start: event.rrule ? originalStart : null, answer: form.status, reason: form.reason }, { confirmConflicts: form.confirmConflicts, you: true });
    } catch (err) {
      const conflicts = conflictsOf(err);
      if (!conflicts) throw err;
      return confirmJoin(c, {
        htmx: () => answerBox(c, event, originalStart, base, { conflicts, confirm: 'accept' }),
        heading: `Accept ${event.title}?`,
        what: `Accepting "${event.title}" (${formatWhen(requireOccurrence(db, event, originalStart).start, requireOccurrence(db, event, originalStart).end, person.timeZone)}) conflicts with your calendar.`,
        conflicts,
        action: `${base}/answer`,
        fields: { status: 'accepted', next: base },
        confirmLabel: 'Accept anyway',
        cancelHref: base,
      });
    }
    if (!isHtmx(c)) return redirectWithMessage(c, base, outcomeMessage(result));
    return html(c, [answerBox(c, event, originalStart, base, { message: outcomeMessage(result), conflicts: result.conflicts }), navBadgesOob(c)] as never);
  });

  app.post('/events/:id/occurrences/:key/claim', paramValidator(occurrenceParam), formValidator(claimForm, () => {
    throw new AppError(400, 'invalid', 'Bad form.');
  }), (c) => {
    const { id, key } = c.req.valid('param');
    const form = c.req.valid('form');
    const { db, clock } = c.var.deps;
    const person = viewerOf(c).person;
    const originalStart = originalStartOf(id, key);
    const event = requireEvent(db, id);
    const base = `/events/${id}/occurrences/${key}`;
    let result;
    try {
      result = claimSeat(db, clock, actorOf(c.var.viewer), person, id, event.rrule ? originalStart : null, { confirmConflicts: form.confirmConflicts, you: true });
    } catch (err) {
      const conflicts = conflictsOf(err);
      if (!conflicts) throw err;
      const occurrence = requireOccurrence(db, event, originalStart);
      return confirmJoin(c, {
        htmx: () => answerBox(c, event, originalStart, base, { conflicts, confirm: 'claim' }),
        heading: `Claim a seat on ${event.title}?`,
        what: `Claiming a seat on "${event.title}" (${formatWhen(occurrence.start, occurrence.end, person.timeZone)}) conflicts with your calendar.`,
        conflicts,
        action: `${base}/claim`,
        fields: { next: base },
        confirmLabel: 'Claim anyway',
        cancelHref: base,
      });
    }
    const undo = result.undoable ? undoView(clock, person.timeZone, [result.invitation.id]) : null;
    if (!isHtmx(c)) return html(c, ClaimDonePage({ layout: layoutProps(c, event.title), message: outcomeMessage(result), conflicts: result.conflicts, undo, next: safeNext(form.next, base) }));
    return html(c, answerBox(c, event, originalStart, base, { message: outcomeMessage(result), conflicts: result.outcome === 'waitlisted' ? [] : result.conflicts, undo }));
  });

  // ── a whole series in one step; leaving; undo ──
  const seriesClaimView = (c: AppContext, result: SeriesClaim): SeriesClaimView => {
    const zone = viewerOf(c).person.timeZone;
    return {
      eventId: result.event.id,
      title: result.event.title,
      lines: result.lines.map((l) => ({
        when: formatWhen(l.occurrence.start, l.occurrence.end, zone),
        href: occurrenceHref(result.event.id, l.occurrence.originalStart),
        outcome: l.outcome,
        waitlistPosition: l.waitlistPosition,
        conflicts: l.conflicts,
      })),
      horizonLabel: formatLocalDate(result.horizonEnd, zone),
      more: result.more,
      undo: undoView(c.var.deps.clock, zone, result.lines.filter((l) => l.invitationId !== null && l.outcome !== 'already').map((l) => l.invitationId!)),
    };
  };

  app.post('/events/:id/claim-series', paramValidator(idParam), formValidator(seriesClaimForm, () => {
    throw new AppError(400, 'invalid', 'Bad form.');
  }), (c) => {
    const { id } = c.req.valid('param');
    const form = c.req.valid('form');
    const { db, clock } = c.var.deps;
    const result = claimSeries(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, {
      confirmConflicts: form.confirmConflicts,
      // The row button has no options: join waitlists where full, skip conflicts.
      waitlist: form.options ? form.waitlist : true,
      you: true,
    });
    const view = seriesClaimView(c, result);
    const next = safeNext(form.next, `/events/${id}`);
    if (!isHtmx(c)) return html(c, SeriesClaimPage({ layout: layoutProps(c, `Claimed: ${result.event.title}`), result: view, next }));
    const csrfToken = viewerOf(c).csrfToken ?? null;
    if (form.row && /^[0-9A-Za-z_]+$/.test(form.row)) {
      return html(c, InRow({ id: `seat-${form.row}`, children: SeriesClaimResult({ result: view, csrfToken, next, id: `series-claim-${id}-${form.row}` }) }));
    }
    return html(c, SeriesClaimResult({ result: view, csrfToken, next, id: `series-claim-${id}` }));
  });

  app.post('/events/:id/leave', paramValidator(idParam), formValidator(leaveForm, () => {
    throw new AppError(400, 'invalid', 'Choose what to leave.');
  }), (c) => {
    const { id } = c.req.valid('param');
    const form = c.req.valid('form');
    const { db, clock } = c.var.deps;
    const event = requireEvent(db, id);
    const start = event.rrule && form.scope === 'occurrence' ? (form.occurrence ? originalStartOf(id, form.occurrence) : null) : null;
    if (event.rrule && form.scope === 'occurrence' && !start) throw new AppError(400, 'invalid', 'Choose the occurrence to leave.');
    const result = leaveSeat(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, start);
    const fallback = start ? occurrenceHref(id, start) : `/events/${id}`;
    const message = event.rrule && !start
      ? `You left "${event.title}": every future occurrence${result.promoted.length ? '; the waitlist moved up' : ''}. Past occurrences stay as they were.`
      : `You left "${event.title}"${event.rrule && start ? ` on ${formatWhen(requireOccurrence(db, event, start).start, requireOccurrence(db, event, start).end, viewerOf(c).person.timeZone)}` : ''}.`;
    // From a row of My schedule, htmx swaps that row for the result; the rest of the page stays.
    const target = c.req.header('hx-target') ?? '';
    if (isHtmx(c) && /^entry-[0-9A-Za-z_-]{1,120}$/.test(target)) return html(c, InListItem({ id: target, children: ResultMessage({ text: message }) }));
    return redirectWithMessage(c, safeNext(form.next, fallback), message);
  });

  app.post('/open-seats/undo', formValidator(undoForm, () => {
    throw new AppError(400, 'invalid', 'Choose the claims to undo.');
  }), (c) => {
    const form = c.req.valid('form');
    const { db, clock } = c.var.deps;
    const result = undoClaims(db, clock, actorOf(c.var.viewer), viewerOf(c).person, form.ids.split(',').map(Number));
    const message = `Undone: ${result.undone === 1 ? 'your claim was' : `${result.undone} claims were`} taken back from "${result.event.title}".`;
    const next = safeNext(form.next, '/open-seats');
    if (!isHtmx(c)) return redirectWithMessage(c, next, message);
    // The result replaces whatever showed the claim: an open-seat row, the answer box, a series result.
    const target = c.req.header('hx-target') ?? '';
    const id = /^[0-9A-Za-z_-]{1,120}$/.test(target) ? target : 'undo-result';
    const done = ResultMessage({ text: message });
    return html(c, id.startsWith('seat-') ? InRow({ id, children: done }) : ResultBox({ id, children: done, backHref: id === 'occurrence-answer' ? next : null }));
  });

  app.post('/events/:id/occurrences/:key/cancel', paramValidator(occurrenceParam), (c) => {
    const { id, key } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    cancelOccurrence(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, originalStartOf(id, key), (tx, e, o) => notifyOccurrenceCancelled(tx, clock, e, o, cancellationCalendar(c, tx, e, o)));
    return redirectWithMessage(c, `/events/${id}/occurrences/${key}`, 'This occurrence was cancelled; its guests have been told.');
  });

  app.post(
    '/events/:id/occurrences/:key/move',
    paramValidator(occurrenceParam),
    formValidator(z.object({ start: localDateTimeSchema, durationMinutes: z.preprocess(blankToUndefined, z.coerce.number().int().min(5, 'At least 5 minutes.').max(720, 'At most 12 hours.').optional()) }), (c, errors) => {
      const id = Number(c.req.param('id'));
      return renderOccurrence(c, requireEvent(c.var.deps.db, id), originalStartOf(id, c.req.param('key') ?? ''), { errors }, 400);
    }),
    (c) => {
      const { id, key } = c.req.valid('param');
      const form = c.req.valid('form');
      const { db, clock } = c.var.deps;
      const originalStart = originalStartOf(id, key);
      try {
        moveOccurrence(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, originalStart, form.start.slice(0, 16), form.durationMinutes);
      } catch (err) {
        const errors = formErrorsOf(err);
        if (errors) return renderOccurrence(c, requireEvent(db, id), originalStart, { errors }, 400);
        throw err;
      }
      return redirectWithMessage(c, `/events/${id}/occurrences/${key}`, 'This occurrence was moved.');
    },
  );

  app.post('/events/:id/occurrences/:key/restore', paramValidator(occurrenceParam), (c) => {
    const { id, key } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    restoreOccurrence(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, originalStartOf(id, key));
    return redirectWithMessage(c, `/events/${id}/occurrences/${key}`, 'This occurrence is back at its regular time.');
  });

  // ── agenda of alignment meetings ──
  app.post('/events/:id/occurrences/:key/agenda', paramValidator(occurrenceParam), formValidator(agendaItemInputSchema, (c, errors, values) => {
    const id = Number(c.req.param('id'));
    return renderOccurrence(c, requireEvent(c.var.deps.db, id), originalStartOf(id, c.req.param('key') ?? ''), { errors, values }, 400);
  }), (c) => {
    const { id, key } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    addAgendaItem(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, originalStartOf(id, key), c.req.valid('form'));
    return redirectWithMessage(c, `/events/${id}/occurrences/${key}`, 'Agenda item added.');
  });

  const actionItemForm = z.object({ actionTitle: z.unknown(), actionOwnerId: z.unknown(), dueDate: z.unknown(), agendaItemId: z.unknown().optional() }).transform((v, ctx) => {
    const parsed = actionItemInputSchema.safeParse({ title: v.actionTitle, ownerId: v.actionOwnerId, dueDate: v.dueDate, agendaItemId: v.agendaItemId });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [issue.path[0] === 'title' ? 'actionTitle' : issue.path[0] === 'ownerId' ? 'actionOwnerId' : String(issue.path[0])], message: issue.message });
      return z.NEVER;
    }
    return parsed.data;
  });
  app.post('/events/:id/occurrences/:key/action-items', paramValidator(occurrenceParam), formValidator(actionItemForm, (c, errors, values) => {
    const id = Number(c.req.param('id'));
    return renderOccurrence(c, requireEvent(c.var.deps.db, id), originalStartOf(id, c.req.param('key') ?? ''), { errors, values }, 400);
  }), (c) => {
    const { id, key } = c.req.valid('param');
    const { db, clock } = c.var.deps;
    addActionItem(db, clock, actorOf(c.var.viewer), viewerOf(c).person, id, originalStartOf(id, key), c.req.valid('form'));
    return redirectWithMessage(c, `/events/${id}/occurrences/${key}`, 'Action item added.');
  });

  app.post('/agenda-items/:id/decisions', paramValidator(idParam), formValidator(decisionsInputSchema.extend(nextForm.shape), () => {
    throw new AppError(400, 'invalid', 'Decisions are at most 5000 characters.');
  }), (c) => {
    const form = c.req.valid('form');
    const { db, clock } = c.var.deps;
    const item = recordDecisions(db, clock, actorOf(c.var.viewer), viewerOf(c).person, c.req.valid('param').id, form.decisions);
    return redirectWithMessage(c, safeNext(form.next, `/events/${item.eventId}`), 'Decisions saved.');
  });

  for (const [action, done] of [['done', true], ['reopen', false]] as const) {
    app.post(`/action-items/:id/${action}`, paramValidator(idParam), formValidator(nextForm, () => {
      throw new AppError(400, 'invalid', 'Bad form.');
    }), (c) => {
      const { db, clock } = c.var.deps;
      const item = setActionItemDone(db, clock, actorOf(c.var.viewer), viewerOf(c).person, c.req.valid('param').id, done);
      return redirectWithMessage(c, safeNext(c.req.valid('form').next, `/events/${item.eventId}`), done ? 'Marked done.' : 'Open again.');
    });
  }

  // ── invitations ──
  app.get('/invitations', (c) => {
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c).person;
    const now = clock.now();
    const rows = pendingInvitations(db, now, viewer.id);
    const items = invitationItems(db, now, viewer.timeZone, rows);
    const conflicts = conflictsForPlaces(db, now, viewer, rows.map((r) => ({ event: r.event, originalStart: r.invitation.occurrenceStart })), { you: true });
    return html(c, InvitationsPage({ layout: layoutProps(c, 'Invitations'), items, conflicts }));
  });

  app.post('/invitations/:id/answer', paramValidator(idParam), formValidator(answerForm, () => {
    throw new AppError(400, 'invalid', 'Choose accept, maybe or decline.');
  }), (c) => {
    const { id } = c.req.valid('param');
    const form = c.req.valid('form');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c).person;
    const next = safeNext(form.next, '/invitations');
    const card = (extra: { conflicts: ConflictView[]; message?: string; confirm?: boolean }) => {
      const row = requireInvitation(db, id);
      const event = requireEvent(db, row.eventId);
      const item = invitationItem(db, clock.now(), viewer.timeZone, row, event, hostName(db, event.hostId));
      return InvitationCard({ item, csrfToken: viewerOf(c).csrfToken ?? null, next, ...extra });
    };
    let result;
    try {
      result = answerInvitation(db, clock, actorOf(c.var.viewer), viewer, id, form.status, form.reason, { confirmConflicts: form.confirmConflicts });
    } catch (err) {
      const conflicts = conflictsOf(err);
      if (!conflicts) throw err;
      const row = requireInvitation(db, id);
      const event = requireEvent(db, row.eventId);
      return confirmJoin(c, {
        htmx: () => card({ conflicts, confirm: true }),
        heading: `Accept ${event.title}?`,
        what: `Accepting "${event.title}" conflicts with your calendar.`,
        conflicts,
        action: `/invitations/${id}/answer`,
        fields: { status: 'accepted', next },
        confirmLabel: 'Accept anyway',
        cancelHref: next,
      });
    }
    if (!isHtmx(c)) return redirectWithMessage(c, next, outcomeMessage(result));
    return html(c, [card({ conflicts: result.conflicts, message: outcomeMessage(result) }), navBadgesOob(c)] as never);
  });

  // ── open seats ──
  const OPEN_SEATS_PAGE_SIZE = 25;
  const openSeatsQuery = z.object({
    team: z.preprocess(blankToUndefined, idSchema.optional()),
    kind: z.preprocess(blankToUndefined, z.enum(eventKinds).optional()),
    from: z.preprocess(blankToUndefined, dateSchema.optional()),
    to: z.preprocess(blankToUndefined, dateSchema.optional()),
    account: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
    page: pageQuery.page,
  });

  app.get('/open-seats', queryValidator(openSeatsQuery), (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c).person;
    const zone = viewer.timeZone;
    const now = clock.now();
    const today = formatLocalDate(now, zone);
    const fromDate = q.from ?? today;
    let toDate = q.to ?? addDaysToLocalDate(fromDate, 14);
    if (toDate < fromDate) toDate = fromDate;
    if (toDate > addDaysToLocalDate(fromDate, 180)) toDate = addDaysToLocalDate(fromDate, 180);
    const seats = findOpenSeats(db, now, viewer, { from: startOfLocalDate(fromDate, zone), to: startOfLocalDate(addDaysToLocalDate(toDate, 1), zone), teamId: q.team, kind: q.kind, account: q.account }, 200, 150);
    const shown = seats.slice((q.page - 1) * OPEN_SEATS_PAGE_SIZE, q.page * OPEN_SEATS_PAGE_SIZE);
    const items = shown.map((s) => openSeatItem(s, zone));
    const conflicts = conflictsForPlaces(db, now, viewer, shown.map((s) => ({ event: s.event, originalStart: s.event.rrule ? s.occurrence.originalStart : null })), { you: true });
    const next = c.req.url.slice(c.req.url.indexOf('/open-seats'));
    const pages = { page: q.page, pageSize: OPEN_SEATS_PAGE_SIZE, total: seats.length, query: { team: q.team, kind: q.kind, from: q.from, to: q.to, account: q.account } };
    if (isHtmx(c)) return html(c, OpenSeatsResults({ items, conflicts, csrfToken: viewerOf(c).csrfToken ?? null, next, pages }));
    const teamChoices = teamOptions(db).map((t) => ({ value: t.id, label: t.name }));
    return html(c, OpenSeatsPage({ layout: layoutProps(c, 'Open seats'), filters: { team: q.team, kind: q.kind, from: fromDate, to: toDate, account: q.account }, teams: teamChoices, items, conflicts, next, pages }));
  });

  app.post('/open-seats/claim', formValidator(claimForm.extend({ occurrence: z.string().min(1).max(100) }), () => {
    throw new AppError(400, 'invalid', 'Choose an occurrence to claim.');
  }), (c) => {
    const form = c.req.valid('form');
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c).person;
    const parsed = parseOccurrenceKey(form.occurrence);
    if (!parsed) throw notFound('No such occurrence.');
    const eventId = Number(parsed.eventId);
    const event = requireEvent(db, eventId);
    const next = safeNext(form.next, '/open-seats');
    const row = (extra: { status: AnswerOutcome['invitation']['status'] | null; result?: { text: string; tone: 'ok' | 'warn' | 'bad' }; conflicts: ConflictView[]; confirm?: boolean; undo?: UndoView | null }) => {
      const occurrence = requireOccurrence(db, event, parsed.originalStart);
      const [seatsTaken = 0] = seatsTakenAtOccurrences(db, event, [occurrence]);
      const item = openSeatItem(
        { event: { ...event, hostName: hostName(db, event.hostId), teamName: event.teamId ? db.select({ name: teams.name }).from(teams).where(eq(teams.id, event.teamId)).get()?.name ?? null : null }, occurrence, seatsTaken, seatsFree: Math.max(0, event.seats - seatsTaken), myStatus: extra.status },
        viewer.timeZone,
      );
      return OpenSeatRow({ item, csrfToken: viewerOf(c).csrfToken ?? null, next, result: extra.result ?? null, conflicts: extra.conflicts, confirm: extra.confirm, undo: extra.undo });
    };
    let result;
    try {
      result = claimSeat(db, clock, actorOf(c.var.viewer), viewer, eventId, event.rrule ? parsed.originalStart : null, { confirmConflicts: form.confirmConflicts, you: true });
    } catch (err) {
      const conflicts = conflictsOf(err);
      if (!conflicts) throw err;
      const occurrence = requireOccurrence(db, event, parsed.originalStart);
      return confirmJoin(c, {
        htmx: () => row({ status: null, conflicts, confirm: true }),
        heading: `Claim a seat on ${event.title}?`,
        what: `Claiming a seat on "${event.title}" (${formatWhen(occurrence.start, occurrence.end, viewer.timeZone)}) conflicts with your calendar.`,
        conflicts,
        action: '/open-seats/claim',
        fields: { occurrence: form.occurrence, next },
        confirmLabel: 'Claim anyway',
        cancelHref: next,
      });
    }
    const undo = result.undoable ? undoView(clock, viewer.timeZone, [result.invitation.id]) : null;
    if (!isHtmx(c)) return html(c, ClaimDonePage({ layout: layoutProps(c, event.title), message: outcomeMessage(result), conflicts: result.conflicts, undo, next }));
    const tone = result.outcome === 'accepted' ? 'ok' : result.outcome === 'waitlisted' ? 'bad' : 'warn';
    return html(
      c,
      row({ status: result.invitation.status, result: { text: result.outcome === 'accepted' ? 'Claimed — you are on the guest list' : outcomeMessage(result), tone }, conflicts: result.outcome === 'waitlisted' ? [] : result.conflicts, undo }),
    );
  });

  // ── manager approval of claims ──
  app.get('/approvals', requireRole('hr', 'manager'), (c) => {
    const { db } = c.var.deps;
    const viewer = viewerOf(c).person;
    const items = pendingApprovals(db, viewer).map((r) => {
      const start = r.invitation.occurrenceStart ?? firstStartOf(r.event);
      return {
        invitationId: r.invitation.id,
        personName: r.personName,
        title: r.event.title,
        when: formatWhen(start, new Date(start.getTime() + r.event.durationMinutes * 60_000), viewer.timeZone),
        href: r.event.rrule && r.invitation.occurrenceStart ? occurrenceHref(r.event.id, r.invitation.occurrenceStart) : `/events/${r.event.id}`,
        status: r.invitation.status,
      };
    });
    return html(c, ApprovalsPage({ layout: layoutProps(c, 'Approvals'), items, requireApproval: viewer.role === 'manager' ? claimApprovalRequired(db, viewer.id) : null }));
  });

  app.post('/approvals/policy', requireRole('manager'), formValidator(z.object({ requireApproval: z.preprocess(blankToUndefined, z.literal('true').optional()) }), () => {
    throw new AppError(400, 'invalid', 'Bad form.');
  }), (c) => {
    const { db, clock } = c.var.deps;
    const required = c.req.valid('form').requireApproval === 'true';
    setClaimApprovalPolicy(db, clock, actorOf(c.var.viewer), viewerOf(c).person.id, required);
    return redirectWithMessage(c, '/approvals', required ? 'Your reports now need your approval for claimed seats.' : 'Claims no longer need your approval.');
  });

  app.post('/approvals/:id', requireRole('hr', 'manager'), paramValidator(idParam), formValidator(z.object({ decision: z.enum(['approve', 'reject']) }), () => {
    throw new AppError(400, 'invalid', 'Choose approve or reject.');
  }), (c) => {
    const { db, clock } = c.var.deps;
    const approve = c.req.valid('form').decision === 'approve';
    decideClaim(db, clock, actorOf(c.var.viewer), viewerOf(c).person, c.req.valid('param').id, approve);
    return redirectWithMessage(c, '/approvals', approve ? 'Claim approved.' : 'Claim rejected.');
  });

  return app;
}
