/**
 * Answering a place: accept, tentative or decline at one occurrence or the whole event, taking a seat or a
 * waitlist spot, refusing a conflicting place unless confirmed. Runs inside one write transaction.
 */
import { and, inArray, sql } from 'drizzle-orm';
import { invitations } from '../../db/schema';
import type { Person } from '../context';
import { eqPlanned, preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, forbidden } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { requirePerson } from '../people/people';
import { requireEvent, type EventRow } from './event-rules';
import { conflictsForPlace, type Conflict } from './conflicts';
import {
  type Answer,
  type AnswerOutcome,
  type InvitationRow,
  type JoinOptions,
  assertAnswerable,
  findPlace,
  normalizePlace,
  notifyPromoted,
  promoteWaitlist,
  requireInvitation,
  seatHolders,
  waitlistPosition,
  waitlistWhereOverfull,
  writeRow,
} from './invitations';

type PlaceAnswerOptions = {
  reason?: string | null;
  source?: 'invitation' | 'claim';
  approvalPending?: boolean;
  /** The person's row at the place and the seat holders there, when the caller read them in this transaction already. */
  known?: { existing: InvitationRow | undefined; holders: number[] };
};

/** A person's own rows at the occurrences of an event from `now` on (values kept out of planning: see eqPlanned). */
const laterRowsOf = preparedQuery((db) =>
  db
    .select()
    .from(invitations)
    .where(
      and(
        eqPlanned(invitations.eventId, sql.placeholder('eventId')),
        eqPlanned(invitations.personId, sql.placeholder('personId')),
        sql`${invitations.occurrenceStart} >= +${sql.placeholder('now')}`,
      ),
    )
    .prepare(),
);

/**
 * Records `answer` for a person at a place, taking a seat or a waitlist spot for "accepted".
 * Must run inside a write transaction. A whole-event answer on a series also replaces the person's
 * answers for future occurrences.
 */
export function placeAnswer(
  tx: Db,
  now: Date,
  event: EventRow,
  personId: number,
  start: Date | null,
  answer: Answer,
  options: PlaceAnswerOptions = {},
): AnswerOutcome {
  let freedSeat = false;
  if (start === null && event.rrule) {
    const later = laterRowsOf(tx).all({ eventId: event.id, personId, now: now.getTime() });
    if (later.length > 0) {
      freedSeat = later.some((r) => r.holdsSeat);
      tx.delete(invitations)
        .where(
          inArray(
            invitations.id,
            later.map((r) => r.id),
          ),
        )
        .run();
    }
  }
  // Rows deleted just above make what the caller read stale.
  const known = freedSeat ? undefined : options.known;
  const existing = known ? known.existing : findPlace(tx, event.id, personId, start);
  const inherited = start === null ? undefined : findPlace(tx, event.id, personId, null);
  const approvalPending = options.approvalPending ?? existing?.approvalStatus === 'pending';
  const base = {
    eventId: event.id,
    personId,
    occurrenceStart: start,
    source: options.source ?? existing?.source ?? inherited?.source ?? 'invitation',
    invitedById: existing?.invitedById ?? inherited?.invitedById ?? null,
    approvalStatus: approvalPending ? ('pending' as const) : (existing?.approvalStatus ?? inherited?.approvalStatus ?? null),
    respondedAt: now,
    updatedAt: now,
  };

  let row: InvitationRow;
  let outcome: AnswerOutcome['outcome'];
  if (answer === 'accepted') {
    const place = { eventId: event.id, start };
    const holders = known?.holders ?? seatHolders(tx, place);
    const hasSeat = holders.includes(personId);
    const othersHolding = holders.filter((id) => id !== personId).length;
    if (hasSeat || othersHolding < event.seats) {
      row = writeRow(tx, now, event, existing, {
        ...base,
        status: approvalPending ? 'invited' : 'accepted',
        holdsSeat: true,
        waitlistedAt: null,
        declineReason: null,
      });
      outcome = approvalPending ? 'pending_approval' : 'accepted';
      if (start === null && event.rrule) waitlistWhereOverfull(tx, now, event, personId, now);
    } else {
      const waitlistedAt = existing?.status === 'waitlisted' && existing.waitlistedAt ? existing.waitlistedAt : now;
      row = writeRow(tx, now, event, existing, { ...base, status: 'waitlisted', holdsSeat: false, waitlistedAt, declineReason: null });
      outcome = 'waitlisted';
    }
  } else {
    freedSeat ||= !!existing?.holdsSeat || (start !== null && !existing && !!inherited?.holdsSeat);
    row = writeRow(tx, now, event, existing, {
      ...base,
      status: answer,
      holdsSeat: false,
      waitlistedAt: null,
      declineReason: answer === 'declined' ? options.reason?.trim() || null : null,
    });
    outcome = answer;
  }
  const promoted = freedSeat ? promoteWaitlist(tx, now, event) : [];
  row = requireInvitation(tx, row.id);
  return { invitation: row, outcome, waitlistPosition: waitlistPosition(tx, row), promoted, conflicts: [] };
}

/** `via: 'email'` marks an answer sent from a mail program (iMIP REPLY) in the audit log. */
type RespondInput = { eventId: number; start: Date | null; answer: Answer; reason?: string | null; via?: 'email' };

/** Refuses to join a conflicting place unless confirmed; answers the conflicts otherwise. */
export function checkConflicts(tx: Db, now: Date, person: Person, event: EventRow, start: Date | null, options: JoinOptions): Conflict[] {
  if (options.confirmConflicts && options.conflictsShown === false) return [];
  const conflicts = conflictsForPlace(tx, now, person, event, start, { you: options.you });
  if (conflicts.length > 0 && !options.confirmConflicts) {
    const message =
      conflicts.length === 1 ? conflicts[0]!.message : `This conflicts with ${conflicts.length} things: ${conflicts.map((c) => c.message).join(' ')}`;
    throw new AppError(409, 'conflict', message, undefined, { conflicts });
  }
  return conflicts;
}

export function respondInTx(tx: Db, clock: Clock, actor: Actor, person: Person, input: RespondInput, options: JoinOptions): AnswerOutcome {
  const event = requireEvent(tx, input.eventId);
  const now = clock.now();
  const { start, occurrence } = normalizePlace(tx, event, input.start);
  assertAnswerable(event, occurrence, now);
  const own = findPlace(tx, event.id, person.id, start) ?? (start === null ? undefined : findPlace(tx, event.id, person.id, null));
  if (!own) throw forbidden('You are not invited to this event; claim an open seat instead.');
  const before = findPlace(tx, event.id, person.id, start) ?? null;
  const conflicts = input.answer === 'accepted' && !before?.holdsSeat ? checkConflicts(tx, now, person, event, start, options) : [];
  const result = placeAnswer(tx, now, event, person.id, start, input.answer, { reason: input.reason });
  notifyPromoted(tx, clock, event, result.promoted);
  recordAudit(
    tx,
    now,
    actor,
    `invitation.${input.answer === 'accepted' ? 'accept' : input.answer === 'declined' ? 'decline' : 'tentative'}`,
    'invitation',
    result.invitation.id,
    before,
    input.via ? { ...result.invitation, via: input.via } : result.invitation,
  );
  return { ...result, conflicts };
}

/**
 * The person answers their invitation at a place: the whole event, or one occurrence of a series
 * (which overrides their whole-series answer there). They must have been invited or have claimed.
 * Accepting into a conflict needs `confirmConflicts`.
 */
export function respond(db: Db, clock: Clock, actor: Actor, person: Person, input: RespondInput, options: JoinOptions = {}): AnswerOutcome {
  return writeTransaction(db, (tx) => respondInTx(tx, clock, actor, person, input, options));
}

/** PATCH of one invitation row by its id: its person answers (HR and API tokens may answer for them). */
export function answerInvitation(
  db: Db,
  clock: Clock,
  actor: Actor,
  actorPerson: Person,
  invitationId: number,
  answer: Answer,
  reason?: string | null,
  options: Omit<JoinOptions, 'you'> = {},
): AnswerOutcome {
  const row = requireInvitation(db, invitationId);
  if (row.personId !== actorPerson.id && actorPerson.role !== 'hr') throw forbidden('Only the invited person can answer this invitation.');
  const person = requirePerson(db, row.personId);
  return respond(
    db,
    clock,
    actor,
    person,
    { eventId: row.eventId, start: row.occurrenceStart, answer, reason },
    { ...options, you: person.id === actorPerson.id },
  );
}
