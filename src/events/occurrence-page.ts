/**
 * The occurrence page as every route that answers with it renders it: its agenda, the viewer's place,
 * and the confirmation a conflicting join asks for.
 */
import { asc, eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import type { AppContext } from '../context';
import { formatLocal, formatLocalDate } from '../lib/time';
import { viewerOf } from '../guards';
import { html, isHtmx, layoutProps } from '../web';
import type { FieldErrors, FormValues } from '../../views/components';
import { formatWhen } from '../../views/events/format';
import { ConfirmConflictsPage } from '../../views/events/claims';
import { OccurrencePage, type AgendaView } from '../../views/events/occurrence';
import { canManageEvent, type EventRow } from './event-rules';
import { requireOccurrence } from './event-occurrences';
import { namedPlacesAt } from './schedule';
import { answerAudience, attendeesFor } from './visibility';
import { conflictsForPlace, type Conflict } from './conflicts';
import { canKeepAgenda, occurrenceAgenda } from './agenda';
import { eventSummary } from './present';
import { hostName, mayClaimSeries } from './route-helpers';

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
    carriedOver: agenda.carriedOver.map((i) => ({
      id: i.id,
      title: i.title,
      ownerName: i.ownerName,
      dueDate: i.dueDate,
      from: formatLocalDate(i.fromOccurrence, zone),
      done: i.doneAt !== null,
    })),
    totalMinutes: agenda.totalMinutes,
    meetingMinutes: event.durationMinutes,
    canKeep: canKeepAgenda(db, viewer, event, originalStart),
    ownerOptions: owners.map((o) => ({ value: o.id, label: o.name })),
  };
};

/** The viewer's place at an occurrence and whether they may claim a seat there. */
export const answerState = (c: AppContext, event: EventRow, originalStart: Date) => {
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

export const renderOccurrence = (
  c: AppContext,
  event: EventRow,
  originalStart: Date,
  extra: { errors?: FieldErrors; values?: FormValues } = {},
  status: 200 | 400 = 200,
) => {
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
        regularTimePassed: o.originalStart < clock.now(),
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

/** Asks to confirm a conflicting join: in place with htmx, as a page without JavaScript. */
export const confirmJoin = (
  c: AppContext,
  opts: {
    htmx: () => unknown;
    heading: string;
    what: string;
    conflicts: Conflict[];
    action: string;
    fields: Record<string, string>;
    confirmLabel: string;
    cancelHref: string;
  },
) => {
  if (isHtmx(c)) return html(c, opts.htmx() as never);
  return html(c, ConfirmConflictsPage({ layout: layoutProps(c, opts.heading), ...opts }), 409);
};
