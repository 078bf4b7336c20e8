/**
 * Claims: a guest takes an open seat on one occurrence or along a series, leaves it, or undoes claims.
 */
import { and, eq, desc, sql } from 'drizzle-orm';
import { claimApprovalPolicies, invitations, type InvitationStatus, auditLog } from '../../db/schema';
import type { Person } from '../context';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, forbidden, notFound } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { requireEvent, type EventRow } from './event-rules';
import { exceptionsOf } from './event-occurrences';
import { expandEvent, type EventOccurrence } from './expand';
import { conflictsOfCandidates, type Conflict } from './conflicts';
import {
  type AnswerOutcome,
  type InvitationRow,
  type JoinOptions,
  UNDO_WINDOW_MS,
  assertAnswerable,
  findPlace,
  invitationById,
  normalizePlace,
  notifyPromoted,
  promoteWaitlist,
  seatHolders,
  waitlistPosition,
} from './invitations';
import { checkConflicts, placeAnswer, respondInTx } from './answers';

const approvalPolicyOf = preparedQuery((db) =>
  db
    .select({ requireApproval: claimApprovalPolicies.requireApproval })
    .from(claimApprovalPolicies)
    .where(eq(claimApprovalPolicies.managerId, sql.placeholder('managerId')))
    .prepare(),
);

function requiresClaimApproval(db: Db, person: Person): boolean {
  if (!person.managerId) return false;
  return !!approvalPolicyOf(db).get({ managerId: person.managerId })?.requireApproval;
}

/** Who may claim a seat on the event at all; throws the reason otherwise. */
function assertMayClaim(event: EventRow, person: Person) {
  if (event.hostId === person.id) throw new AppError(409, 'host', 'You host this event.');
  if (event.guestDepartment && event.guestDepartment !== person.department) {
    throw forbidden(`This event takes guests from ${event.guestDepartment}.`);
  }
  if (event.seats === 0) throw new AppError(409, 'full', 'This event has no guest seats.', undefined, { waitlistPosition: null });
}

type Known = { existing: InvitationRow | undefined; holders: number[] };

/**
 * The person's standing at a place when they already hold a seat or wait for one there (`standing`),
 * and what was read to tell (`known`, for taking the seat in the same transaction).
 */
function standingAt(tx: Db, event: EventRow, person: Person, start: Date | null): { standing: AnswerOutcome | null; known: Known } {
  const existing = findPlace(tx, event.id, person.id, start);
  const holders = seatHolders(tx, { eventId: event.id, start });
  const known = { existing, holders };
  if (holders.includes(person.id)) {
    const row = existing ?? findPlace(tx, event.id, person.id, null)!;
    const outcome = row.status === 'invited' ? 'pending_approval' : 'accepted';
    return { standing: { invitation: row, outcome, waitlistPosition: null, promoted: [], conflicts: [] }, known };
  }
  if (existing?.status === 'waitlisted') {
    return { standing: { invitation: existing, outcome: 'waitlisted', waitlistPosition: waitlistPosition(tx, existing), promoted: [], conflicts: [] }, known };
  }
  return { standing: null, known };
}

function takeSeat(tx: Db, now: Date, actor: Actor, person: Person, event: EventRow, start: Date | null, approvalPending: boolean, known: Known): AnswerOutcome {
  const { existing } = known;
  const result = placeAnswer(tx, now, event, person.id, start, 'accepted', { source: existing?.source ?? 'claim', approvalPending, known });
  recordAudit(tx, now, actor, 'invitation.claim', 'invitation', result.invitation.id, existing ?? null, result.invitation);
  return { ...result, undoable: true };
}

/**
 * A guest takes an open seat for themselves on one occurrence (or a one-off event). Answers the
 * outcome; a full occurrence puts them on the waitlist (outcome 'waitlisted', kept). A place that
 * conflicts needs `confirmConflicts`.
 */
export function claimSeat(db: Db, clock: Clock, actor: Actor, person: Person, eventId: number, start: Date | null, options: JoinOptions = {}): AnswerOutcome {
  return writeTransaction(db, (tx) => {
    const event = requireEvent(tx, eventId);
    const now = clock.now();
    if (event.hostId === person.id) throw new AppError(409, 'host', 'You host this event.');
    if (event.guestDepartment && event.guestDepartment !== person.department) {
      throw forbidden(`This event takes guests from ${event.guestDepartment}.`);
    }
    if (event.rrule && start === null)
      throw new AppError(400, 'invalid', 'Choose the occurrence to claim a seat on.', [{ path: 'occurrenceId', message: 'Choose an occurrence.' }]);
    const place = normalizePlace(tx, event, start);
    assertAnswerable(event, place.occurrence, now);
    assertMayClaim(event, person);
    const { standing, known } = standingAt(tx, event, person, place.start);
    if (standing) return standing;
    const conflicts = checkConflicts(tx, now, person, event, place.start ?? place.occurrence?.originalStart ?? null, options);
    return { ...takeSeat(tx, now, actor, person, event, place.start, requiresClaimApproval(tx, person), known), conflicts };
  });
}

/** How far ahead "all future occurrences" of a series reaches, and at most how many. */
const SERIES_CLAIM_HORIZON_DAYS = 182;
const SERIES_CLAIM_MAX = 60;

type SeriesClaimLine = {
  occurrence: EventOccurrence;
  /** claimed, pending_approval and waitlisted took a place; the others were skipped. */
  outcome: 'claimed' | 'pending_approval' | 'waitlisted' | 'already' | 'conflict' | 'full';
  waitlistPosition: number | null;
  conflicts: Conflict[];
  invitationId: number | null;
};
export type SeriesClaim = { event: EventRow; lines: SeriesClaimLine[]; horizonEnd: Date; more: boolean; promoted: InvitationRow[] };
/** `confirmConflicts`: claim conflicting occurrences too (else skipped); `waitlist`: wait where full (else skipped). */
type SeriesClaimOptions = { confirmConflicts?: boolean; waitlist?: boolean; you?: boolean };

/**
 * Claims a seat on every future occurrence of a series (up to the horizon) in one transaction:
 * each occurrence is checked for seats and conflicts on its own and answers its outcome.
 */
export function claimSeries(db: Db, clock: Clock, actor: Actor, person: Person, eventId: number, options: SeriesClaimOptions = {}): SeriesClaim {
  return writeTransaction(db, (tx) => {
    const event = requireEvent(tx, eventId);
    const now = clock.now();
    assertMayClaim(event, person);
    if (!event.rrule) throw new AppError(409, 'not_a_series', 'This is a one-off event; claim its seat instead.');
    if (event.status === 'cancelled') throw new AppError(409, 'cancelled', 'This event has been cancelled.');
    const horizonEnd = new Date(now.getTime() + SERIES_CLAIM_HORIZON_DAYS * 86_400_000);
    const exceptions = exceptionsOf(tx, [event.id]).get(event.id) ?? [];
    const upcoming = expandEvent(event, exceptions, now, horizonEnd).filter((o) => o.start.getTime() > now.getTime());
    const occurrences = upcoming.slice(0, SERIES_CLAIM_MAX);
    const more =
      upcoming.length > occurrences.length || expandEvent(event, exceptions, horizonEnd, new Date(horizonEnd.getTime() + 400 * 86_400_000)).length > 0;
    const conflicts = conflictsOfCandidates(
      tx,
      person,
      occurrences.map((o) => ({ slots: [o], eventId: event.id })),
      { you: options.you },
    );
    const approvalPending = requiresClaimApproval(tx, person);
    const lines: SeriesClaimLine[] = [];
    const promoted: InvitationRow[] = [];
    occurrences.forEach((occurrence, i) => {
      const start = occurrence.originalStart;
      const found = conflicts[i]!;
      const { standing, known } = standingAt(tx, event, person, start);
      if (standing) {
        lines.push({ occurrence, outcome: 'already', waitlistPosition: standing.waitlistPosition, conflicts: [], invitationId: standing.invitation.id });
        return;
      }
      if (found.length > 0 && !options.confirmConflicts) {
        lines.push({ occurrence, outcome: 'conflict', waitlistPosition: null, conflicts: found, invitationId: null });
        return;
      }
      if (options.waitlist === false && known.holders.length >= event.seats) {
        lines.push({ occurrence, outcome: 'full', waitlistPosition: null, conflicts: found, invitationId: null });
        return;
      }
      const result = takeSeat(tx, now, actor, person, event, start, approvalPending, known);
      promoted.push(...result.promoted);
      lines.push({
        occurrence,
        outcome: result.outcome === 'accepted' ? 'claimed' : result.outcome === 'waitlisted' ? 'waitlisted' : 'pending_approval',
        waitlistPosition: result.waitlistPosition,
        conflicts: found,
        invitationId: result.invitation.id,
      });
    });
    return { event, lines, horizonEnd, more, promoted };
  });
}

type LeaveResult = { event: EventRow; left: InvitationRow[]; promoted: InvitationRow[] };

/**
 * The person gives up their place: one occurrence (or a one-off event), or with `start` null on a
 * series every future occurrence and the whole-series place. Past occurrences stay as they were;
 * freed seats go to the waitlist.
 */
export function leaveSeat(db: Db, clock: Clock, actor: Actor, person: Person, eventId: number, start: Date | null): LeaveResult {
  return writeTransaction(db, (tx) => {
    const event = requireEvent(tx, eventId);
    const now = clock.now();
    if (!event.rrule || start !== null) {
      const { start: placeStart } = normalizePlace(tx, event, start);
      const mine = findPlace(tx, event.id, person.id, placeStart) ?? (placeStart === null ? undefined : findPlace(tx, event.id, person.id, null));
      if (!mine || mine.status === 'declined') throw new AppError(409, 'no_place', 'You have no place here to leave.');
      const result = respondInTx(tx, clock, actor, person, { eventId, start, answer: 'declined' }, {});
      return { event, left: [result.invitation], promoted: result.promoted };
    }
    if (event.status === 'cancelled') throw new AppError(409, 'cancelled', 'This event has been cancelled.');
    const rows = tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.eventId, event.id), eq(invitations.personId, person.id)))
      .all()
      .filter((r) => r.status !== 'declined' && (r.occurrenceStart === null || r.occurrenceStart.getTime() > now.getTime()));
    if (rows.length === 0) throw new AppError(409, 'no_place', 'You have no place in this series to leave.');
    const left: InvitationRow[] = [];
    const promoted: InvitationRow[] = [];
    // Whole-series place first, then each future occurrence that has a row of its own.
    for (const row of rows.sort((a, b) => (a.occurrenceStart?.getTime() ?? 0) - (b.occurrenceStart?.getTime() ?? 0))) {
      const result = placeAnswer(tx, now, event, person.id, row.occurrenceStart, 'declined', {});
      recordAudit(tx, now, actor, 'invitation.leave', 'invitation', row.id, row, result.invitation);
      left.push(result.invitation);
      promoted.push(...result.promoted);
    }
    notifyPromoted(tx, clock, event, promoted);
    return { event, left, promoted };
  });
}

const lastAuditOf = preparedQuery((db) =>
  db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'invitation'), eq(auditLog.entityId, sql.placeholder('id'))))
    .orderBy(desc(auditLog.id))
    .limit(1)
    .prepare(),
);

/**
 * The claim that made `row` what it is, while its person may still undo it: the row's last audit
 * entry is that claim, nothing changed the row since, and it is at most UNDO_WINDOW_MS old.
 */
export function undoableClaim(db: Db, row: InvitationRow, now: Date) {
  const claim = lastAuditOf(db).get({ id: String(row.id) });
  if (claim?.action !== 'invitation.claim' || row.updatedAt?.getTime() !== claim.at.getTime()) return null;
  return now.getTime() - claim.at.getTime() > UNDO_WINDOW_MS ? null : claim;
}

/** A person's standing on a place they claimed, read back (the page after a claim without JavaScript). */
export function claimStanding(db: Db, row: InvitationRow): Pick<AnswerOutcome, 'outcome' | 'waitlistPosition'> {
  // A claimed place stays "invited" only while the manager has still to approve it.
  if (row.status === 'invited') return { outcome: 'pending_approval', waitlistPosition: null };
  if (row.status === 'waitlisted') return { outcome: 'waitlisted', waitlistPosition: waitlistPosition(db, row) };
  return { outcome: row.status, waitlistPosition: null };
}

type UndoResult = { event: EventRow; undone: number; promoted: InvitationRow[] };

/**
 * Takes back claims the person just made (within UNDO_WINDOW_MS, and only while nothing changed
 * them since): a place the claim created disappears, an earlier answer comes back.
 */
export function undoClaims(db: Db, clock: Clock, actor: Actor, person: Person, invitationIds: number[]): UndoResult {
  return writeTransaction(db, (tx) => {
    const now = clock.now();
    const ids = [...new Set(invitationIds)];
    let event: EventRow | null = null;
    let freed = false;
    for (const id of ids) {
      const row = invitationById(tx).get({ id });
      if (!row || row.personId !== person.id) throw notFound('No claim of yours with this id.');
      if (event && row.eventId !== event.id) throw new AppError(400, 'invalid', 'Undo the claims of one event at a time.');
      event ??= requireEvent(tx, row.eventId);
      const claim = undoableClaim(tx, row, now);
      if (!claim) throw new AppError(409, 'undo_expired', 'This claim can no longer be undone; leave the seat instead.');
      freed ||= row.holdsSeat;
      const before = claim.before as Partial<Record<keyof InvitationRow, unknown>> | null;
      if (!before) {
        tx.delete(invitations).where(eq(invitations.id, id)).run();
      } else {
        const asDate = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? new Date(v) : null);
        tx.update(invitations)
          .set({
            status: before.status as InvitationStatus,
            holdsSeat: !!before.holdsSeat,
            declineReason: (before.declineReason as string | null) ?? null,
            source: (before.source as InvitationRow['source']) ?? row.source,
            approvalStatus: (before.approvalStatus as InvitationRow['approvalStatus']) ?? null,
            waitlistedAt: asDate(before.waitlistedAt),
            respondedAt: asDate(before.respondedAt),
            effectiveFrom: asDate(before.effectiveFrom),
            updatedAt: now,
          })
          .where(eq(invitations.id, id))
          .run();
      }
      recordAudit(tx, now, actor, 'invitation.undo_claim', 'invitation', id, row, before ?? null);
    }
    if (!event) throw new AppError(400, 'invalid', 'Choose the claim to undo.');
    const promoted = freed ? promoteWaitlist(tx, now, event) : [];
    notifyPromoted(tx, clock, event, promoted);
    return { event, undone: ids.length, promoted };
  });
}
