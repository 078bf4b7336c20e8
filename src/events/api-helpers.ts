/**
 * What the events API's sub-apps share: presenters of events, occurrences and invitations, and readers of
 * Google-Calendar-style timing, rules and windows.
 */
import type { z } from 'zod';
import { people } from '../../db/schema';
import type { AppContext } from '../context';
import type { Db } from '../db';
import { AppError, notFound } from '../lib/errors';
import { toIsoWithOffset, zonedLocalToUtc, formatLocal } from '../lib/time';
import { viewerOf } from '../guards';
import { eq } from 'drizzle-orm';
import { requireEvent, type EventRow } from './event-rules';
import type { EventOccurrence } from './expand';
import { waitlistPosition, type AnswerOutcome, type InvitationRow } from './invitations';
import { namedPlacesAt } from './schedule';
import type { Conflict } from './conflicts';
import { describeRecurrence, occurrenceKey, parseOccurrenceKey, type recurrenceSchema, simpleRecurrence, toRRuleString } from './recurrence';
import { answerAudience, redactAnswer, type AnswerAudience } from './visibility';
import type { dateTimeSchema } from './api-schemas';

export const tags = ['events'];

// ── presenters ──────────────────────────────────────────────────────────────

export function presentEvent(event: EventRow, hostName: string) {
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

export function presentOccurrence(event: EventRow, occurrence: EventOccurrence, seatsTaken: number) {
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
export function invitationPresenter(c: AppContext) {
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

export function hostNameOf(db: Db, hostId: number) {
  return db.select({ name: people.name }).from(people).where(eq(people.id, hostId)).get()?.name ?? '';
}

/** The original start an occurrence id names, checked against the event in the path. */
export function originalStartFromKey(eventId: number, key: string): Date {
  const parsed = parseOccurrenceKey(key);
  if (!parsed || parsed.eventId !== String(eventId)) throw notFound('No such occurrence of this event.');
  return parsed.originalStart;
}

type TimingInput = { start?: z.infer<typeof dateTimeSchema>; end?: z.infer<typeof dateTimeSchema> };

/** Start, zone and length from Google-Calendar-style start/end; the end may be in another zone. */
export function timingFrom(input: TimingInput, defaults: { startLocal: string; timeZone: string; durationMinutes: number }) {
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

export function ruleFrom(input: { recurrence?: string[]; repeat?: z.infer<typeof recurrenceSchema> | null }, startLocal: string): string | null | undefined {
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

export function parseWindow(c: AppContext, query: { from?: string; to?: string }, defaultDays: number) {
  const now = c.var.deps.clock.now();
  const from = query.from ? new Date(query.from) : now;
  const to = query.to ? new Date(query.to) : new Date(from.getTime() + defaultDays * 86_400_000);
  if (to.getTime() <= from.getTime())
    throw new AppError(400, 'invalid', 'The window must end after it starts.', [{ path: 'to', message: 'Must be after from.' }]);
  if (to.getTime() - from.getTime() > 366 * 86_400_000)
    throw new AppError(400, 'invalid', 'Ask for at most 366 days at once.', [{ path: 'to', message: 'At most 366 days after from.' }]);
  return { from, to };
}

export function answerResponse(c: AppContext, result: AnswerOutcome, warnings: Conflict[], status: 200 | 201) {
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

export function seatsTakenOf(db: Db, event: EventRow, occurrence: EventOccurrence) {
  return namedPlacesAt(db, event, occurrence).filter((a) => a.holdsSeat).length;
}
