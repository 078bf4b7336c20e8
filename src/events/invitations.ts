/**
 * Invitations, answers, seats, waitlists, claims and claim approval.
 *
 * A place is a person's row on one occurrence (`occurrenceStart` = its original start) or on the
 * whole event (`occurrenceStart` null). An occurrence row overrides the whole-event row there.
 * Seats are checked and taken inside one write transaction (BEGIN IMMEDIATE), so however many
 * people answer at once, an occurrence never has more seat holders than seats.
 */
import { and, asc, eq, gte, inArray, isNull, sql, type AnyColumn, type SQLWrapper } from 'drizzle-orm';
import { claimApprovalPolicies, events, invitations, people, type InvitationStatus } from '../../db/schema';
import type { Person } from '../context';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, forbidden, notFound } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { queueMail } from '../outbox/outbox';
import { formatLocal } from '../lib/time';
import { canManageEvent, eventOccurrences, exceptionsOf, expandEvent, firstStartOf, requireEvent, requireOccurrence, type EventOccurrence, type EventRow } from './events';
import { MAX_EXPANSION_WINDOW_MS, occurrenceKey } from './recurrence';
import { atOccurrence } from './places';
import type { MailCalendar } from '../outbox/mailer';
import { conflictsForPlace, conflictsOfCandidates, type Conflict } from './conflicts';
import { auditLog } from '../../db/schema';
import { desc } from 'drizzle-orm';

export type InvitationRow = typeof invitations.$inferSelect;
export type Answer = 'accepted' | 'declined' | 'tentative';

export type AnswerOutcome = {
  invitation: InvitationRow;
  /** What the answer led to: a seat, the waitlist, a claim waiting for the manager, or just the answer. */
  outcome: 'accepted' | 'waitlisted' | 'pending_approval' | 'declined' | 'tentative';
  waitlistPosition: number | null;
  /** People who moved from the waitlist to a seat because of this change. */
  promoted: InvitationRow[];
  /** Conflicts of the place the person joined anyway (confirmed, or an answer that takes no time). */
  conflicts: Conflict[];
  /** A claim that just took a place, which its person may undo for a while. */
  undoable?: boolean;
};

/**
 * `confirmConflicts`: go ahead although the place conflicts; without it a conflicting acceptance
 * or claim is refused with 409 `conflict` listing them, so the person can decide first.
 * `you`: the person acts for themselves, so messages say "you".
 */
type JoinOptions = { confirmConflicts?: boolean; you?: boolean };

/** A claim can be undone by its person for this long. */
export const UNDO_WINDOW_MS = 10 * 60_000;

// ── prepared statements (hot path of claims and answers) ────────────────────

// Answers are given for occurrences that have not started, so the original start stands in for the actual one.
const SQL = {
  holdersAt: `SELECT i.person_id AS personId FROM invitations i WHERE i.event_id = @eventId AND i.holds_seat = 1 AND ${atOccurrence('i', '@start', '@start')}`,
  waitlistAt: `SELECT i.id FROM invitations i WHERE i.event_id = @eventId AND i.status = 'waitlisted' AND ${atOccurrence('i', '@start', '@start')} ORDER BY i.waitlisted_at, i.id`,
  futureStarts: `SELECT DISTINCT occurrence_start AS start FROM invitations WHERE event_id = @eventId AND occurrence_start >= @now ORDER BY 1`,
};
const holdersAt = preparedQuery((db) => db.$client.prepare<{ eventId: number; start: number | null }, { personId: number }>(SQL.holdersAt));
const waitlistAt = preparedQuery((db) => db.$client.prepare<{ eventId: number; start: number | null }, { id: number }>(SQL.waitlistAt));
const futureStarts = preparedQuery((db) => db.$client.prepare<{ eventId: number; now: number }, { start: number }>(SQL.futureStarts));
const invitationById = preparedQuery((db) => db.select().from(invitations).where(eq(invitations.id, sql.placeholder('id'))).prepare());
const wholePlace = preparedQuery((db) =>
  db
    .select()
    .from(invitations)
    .where(and(eq(invitations.eventId, sql.placeholder('eventId')), eq(invitations.personId, sql.placeholder('personId')), isNull(invitations.occurrenceStart)))
    .prepare(),
);
const occurrencePlace = preparedQuery((db) =>
  db
    .select()
    .from(invitations)
    .where(sql`${invitations.eventId} = ${sql.placeholder('eventId')} AND ${invitations.personId} = ${sql.placeholder('personId')} AND ${invitations.occurrenceStart} = ${sql.placeholder('start')}`)
    .prepare(),
);

type Place = { eventId: number; start: Date | null };

function seatHolders(db: Db, place: Place): number[] {
  return holdersAt(db).all({ eventId: place.eventId, start: place.start?.getTime() ?? null }).map((r) => r.personId);
}

function waitlistIds(db: Db, place: Place): number[] {
  return waitlistAt(db).all({ eventId: place.eventId, start: place.start?.getTime() ?? null }).map((r) => r.id);
}

/** Original starts of future occurrences that have rows of their own. */
function futureOccurrenceStarts(db: Db, eventId: number, now: Date): Date[] {
  return futureStarts(db).all({ eventId, now: now.getTime() }).map((r) => new Date(r.start));
}

export function findPlace(db: Db, eventId: number, personId: number, start: Date | null): InvitationRow | undefined {
  return start === null ? wholePlace(db).get({ eventId, personId }) : occurrencePlace(db).get({ eventId, personId, start: start.getTime() });
}

export function requireInvitation(db: Db, id: number): InvitationRow {
  const row = invitationById(db).get({ id });
  if (!row) throw notFound('No invitation with this id.');
  return row;
}

/** 1-based place on the waitlist of the row's occurrence (or of the whole event), or null. */
export function waitlistPosition(db: Db, row: InvitationRow): number | null {
  if (row.status !== 'waitlisted') return null;
  const ids = waitlistIds(db, { eventId: row.eventId, start: row.occurrenceStart });
  const index = ids.indexOf(row.id);
  return index === -1 ? null : index + 1;
}

type RowValues = Partial<InvitationRow> & { eventId: number; personId: number; occurrenceStart: Date | null };

/** Whether writing `values` over `row` leaves the person's standing as it was (only details change). */
function sameStanding(row: InvitationRow, values: RowValues): boolean {
  return (
    (values.status ?? row.status) === row.status &&
    (values.holdsSeat ?? row.holdsSeat) === row.holdsSeat &&
    (values.approvalStatus === undefined ? row.approvalStatus : values.approvalStatus) === row.approvalStatus
  );
}

/**
 * Before a whole-event row of a series changes, every occurrence that started since the row took
 * effect (and has no row of its own) gets one holding the row's state: an answer changes the future
 * only. Bounded by the longest expansion window; occurrences older than that are history nobody edits.
 */
function keepStartedOccurrences(tx: Db, now: Date, event: EventRow, whole: InvitationRow) {
  if (!event.rrule || whole.occurrenceStart !== null) return;
  const after = whole.effectiveFrom?.getTime() ?? Number.NEGATIVE_INFINITY;
  const from = new Date(Math.max(after, event.spanStart.getTime(), now.getTime() - MAX_EXPANSION_WINDOW_MS + 86_400_000));
  if (from.getTime() > now.getTime()) return;
  const { id: _id, createdAt: _createdAt, ...state } = whole;
  for (const occurrence of eventOccurrences(tx, event, from, new Date(now.getTime() + 1))) {
    const start = occurrence.start.getTime();
    if (start > now.getTime() || start <= after) continue;
    if (findPlace(tx, event.id, whole.personId, occurrence.originalStart)) continue;
    tx.insert(invitations).values({ ...state, occurrenceStart: occurrence.originalStart, effectiveFrom: null }).run();
  }
}

/**
 * Writes a person's row at a place. A whole-event row of a series is where answers for every
 * occurrence live: when the person's standing there changes, the occurrences that already started
 * keep what was true (keepStartedOccurrences) and the row takes effect from now.
 */
function writeRow(tx: Db, now: Date, event: EventRow, existing: InvitationRow | undefined, values: RowValues): InvitationRow {
  const seriesWide = event.rrule !== null && values.occurrenceStart === null;
  if (existing) {
    const changes = seriesWide && !sameStanding(existing, values);
    if (changes) keepStartedOccurrences(tx, now, event, existing);
    return tx
      .update(invitations)
      .set(changes ? { ...values, effectiveFrom: now } : values)
      .where(eq(invitations.id, existing.id))
      .returning()
      .get();
  }
  return tx
    .insert(invitations)
    .values(seriesWide ? { ...values, effectiveFrom: now } : values)
    .returning()
    .get();
}

/** Changes some fields of an existing row (see writeRow). */
function updateRow(tx: Db, now: Date, event: EventRow, row: InvitationRow, set: Partial<InvitationRow>): InvitationRow {
  return writeRow(tx, now, event, row, { ...set, eventId: row.eventId, personId: row.personId, occurrenceStart: row.occurrenceStart });
}

/**
 * Fills free seats from waitlists. Whole-event waitlists come first (they take a seat in every
 * occurrence); then each future occurrence with rows of its own fills what is still free there
 * in waitlist order, and a whole-event promotion that would overfill such an occurrence puts that
 * person on its waitlist instead.
 */
function promoteWaitlist(tx: Db, now: Date, event: EventRow): InvitationRow[] {
  if (event.status !== 'scheduled') return [];
  const promoted: InvitationRow[] = [];
  const seatFor = (row: InvitationRow) => ({ holdsSeat: true, status: (row.approvalStatus === 'pending' ? 'invited' : 'accepted') as InvitationStatus, waitlistedAt: null, updatedAt: now });

  for (;;) {
    if (seatHolders(tx, { eventId: event.id, start: null }).length >= event.seats) break;
    const [nextId] = waitlistIds(tx, { eventId: event.id, start: null });
    if (nextId === undefined) break;
    const row = requireInvitation(tx, nextId);
    const updated = updateRow(tx, now, event, row, seatFor(row));
    promoted.push(updated);
    if (event.rrule) waitlistWhereOverfull(tx, now, event, row.personId, row.waitlistedAt ?? now);
  }
  if (!event.rrule) return promoted;

  for (const start of futureOccurrenceStarts(tx, event.id, now)) {
    const place = { eventId: event.id, start };
    for (;;) {
      if (seatHolders(tx, place).length >= event.seats) break;
      const [nextId] = waitlistIds(tx, place);
      if (nextId === undefined) break;
      const row = requireInvitation(tx, nextId);
      if (row.occurrenceStart !== null) {
        promoted.push(updateRow(tx, now, event, row, seatFor(row)));
      } else {
        // A whole-event waiter gets this one occurrence.
        promoted.push(
          tx
            .insert(invitations)
            .values({
              eventId: event.id,
              personId: row.personId,
              occurrenceStart: start,
              source: row.source,
              invitedById: row.invitedById,
              approvalStatus: row.approvalStatus,
              respondedAt: now,
              ...seatFor(row),
            })
            .returning()
            .get(),
        );
      }
    }
  }
  return promoted;
}

/** After `personId` took a whole-event seat: occurrences that are now over their seats put them on the waitlist there. */
function waitlistWhereOverfull(tx: Db, now: Date, event: EventRow, personId: number, waitlistedAt: Date) {
  for (const start of futureOccurrenceStarts(tx, event.id, now)) {
    if (findPlace(tx, event.id, personId, start)) continue;
    if (seatHolders(tx, { eventId: event.id, start }).length > event.seats) {
      const whole = findPlace(tx, event.id, personId, null);
      tx.insert(invitations)
        .values({
          eventId: event.id,
          personId,
          occurrenceStart: start,
          status: 'waitlisted',
          holdsSeat: false,
          waitlistedAt,
          source: whole?.source ?? 'invitation',
          invitedById: whole?.invitedById ?? null,
          approvalStatus: whole?.approvalStatus ?? null,
          respondedAt: now,
          updatedAt: now,
        })
        .run();
    }
  }
}

type PlaceAnswerOptions = {
  reason?: string | null;
  source?: 'invitation' | 'claim';
  approvalPending?: boolean;
};

/**
 * Records `answer` for a person at a place, taking a seat or a waitlist spot for "accepted".
 * Must run inside a write transaction. A whole-event answer on a series also replaces the person's
 * answers for future occurrences.
 */
function placeAnswer(tx: Db, now: Date, event: EventRow, personId: number, start: Date | null, answer: Answer, options: PlaceAnswerOptions = {}): AnswerOutcome {
  let freedSeat = false;
  if (start === null && event.rrule) {
    const later = tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.eventId, event.id), eq(invitations.personId, personId), gte(invitations.occurrenceStart, now)))
      .all();
    if (later.length > 0) {
      freedSeat = later.some((r) => r.holdsSeat);
      tx.delete(invitations).where(inArray(invitations.id, later.map((r) => r.id))).run();
    }
  }
  const existing = findPlace(tx, event.id, personId, start);
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
    const holders = seatHolders(tx, place);
    const hasSeat = holders.includes(personId);
    const othersHolding = holders.filter((id) => id !== personId).length;
    if (hasSeat || othersHolding < event.seats) {
      row = writeRow(tx, now, event, existing, { ...base, status: approvalPending ? 'invited' : 'accepted', holdsSeat: true, waitlistedAt: null, declineReason: null });
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
      declineReason: answer === 'declined' ? (options.reason?.trim() || null) : null,
    });
    outcome = answer;
  }
  const promoted = freedSeat ? promoteWaitlist(tx, now, event) : [];
  row = requireInvitation(tx, row.id);
  return { invitation: row, outcome, waitlistPosition: waitlistPosition(tx, row), promoted, conflicts: [] };
}

function assertAnswerable(event: EventRow, occurrence: EventOccurrence | null, now: Date) {
  if (event.status === 'cancelled') throw new AppError(409, 'cancelled', 'This event has been cancelled.');
  if (occurrence?.cancelled) throw new AppError(409, 'cancelled', 'This occurrence has been cancelled.');
  if (occurrence && occurrence.start.getTime() <= now.getTime()) throw new AppError(409, 'past', 'This occurrence has already started.');
}

/** A one-off event has only its whole-event place; a series place is one occurrence or the whole series. */
function normalizePlace(tx: Db, event: EventRow, start: Date | null): { start: Date | null; occurrence: EventOccurrence | null } {
  if (!event.rrule) return { start: null, occurrence: requireOccurrence(tx, event, start ?? firstStartOf(event)) };
  if (start === null) return { start: null, occurrence: null };
  const occurrence = requireOccurrence(tx, event, start);
  return { start: occurrence.originalStart, occurrence };
}

function notifyPromoted(tx: Db, clock: Clock, event: EventRow, promoted: InvitationRow[]) {
  for (const row of promoted) {
    const person = tx.select().from(people).where(eq(people.id, row.personId)).get();
    if (!person) continue;
    const when = row.occurrenceStart ? ` on ${formatLocal(row.occurrenceStart, person.timeZone).replace('T', ' ')} (${person.timeZone})` : '';
    queueMail(tx, clock, {
      to: person.email,
      toPersonId: person.id,
      subject: `You have a seat: ${event.title}`,
      body: `A seat became free and it is yours: "${event.title}"${when}. ${row.status === 'invited' ? 'Your manager still needs to approve your claim.' : 'You are on the guest list.'}`,
      dedupeKey: `seat-promoted:${row.id}:${row.updatedAt?.getTime() ?? 0}`,
    });
  }
}

/** `via: 'email'` marks an answer sent from a mail program (iMIP REPLY) in the audit log. */
type RespondInput = { eventId: number; start: Date | null; answer: Answer; reason?: string | null; via?: 'email' };

/** Refuses to join a conflicting place unless confirmed; answers the conflicts otherwise. */
function checkConflicts(tx: Db, now: Date, person: Person, event: EventRow, start: Date | null, options: JoinOptions): Conflict[] {
  const conflicts = conflictsForPlace(tx, now, person, event, start, { you: options.you });
  if (conflicts.length > 0 && !options.confirmConflicts) {
    const message = conflicts.length === 1 ? conflicts[0]!.message : `This conflicts with ${conflicts.length} things: ${conflicts.map((c) => c.message).join(' ')}`;
    throw new AppError(409, 'conflict', message, undefined, { conflicts });
  }
  return conflicts;
}

function respondInTx(tx: Db, clock: Clock, actor: Actor, person: Person, input: RespondInput, options: JoinOptions): AnswerOutcome {
  const event = requireEvent(tx, input.eventId);
  const now = clock.now();
  const { start, occurrence } = normalizePlace(tx, event, input.start);
  assertAnswerable(event, occurrence, now);
  const own = findPlace(tx, event.id, person.id, start) ?? (start === null ? undefined : findPlace(tx, event.id, person.id, null));
  if (!own) throw forbidden('You are not invited to this event; claim an open seat instead.');
  const before = findPlace(tx, event.id, person.id, start) ?? null;
  const conflicts = input.answer === 'accepted' && !(before?.holdsSeat) ? checkConflicts(tx, now, person, event, start, options) : [];
  const result = placeAnswer(tx, now, event, person.id, start, input.answer, { reason: input.reason });
  notifyPromoted(tx, clock, event, result.promoted);
  recordAudit(tx, now, actor, `invitation.${input.answer === 'accepted' ? 'accept' : input.answer === 'declined' ? 'decline' : 'tentative'}`, 'invitation', result.invitation.id, before, input.via ? { ...result.invitation, via: input.via } : result.invitation);
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
export function answerInvitation(db: Db, clock: Clock, actor: Actor, actorPerson: Person, invitationId: number, answer: Answer, reason?: string | null, options: Omit<JoinOptions, 'you'> = {}): AnswerOutcome {
  const row = requireInvitation(db, invitationId);
  if (row.personId !== actorPerson.id && actorPerson.role !== 'hr') throw forbidden('Only the invited person can answer this invitation.');
  const person = db.select().from(people).where(eq(people.id, row.personId)).get()!;
  return respond(db, clock, actor, person, { eventId: row.eventId, start: row.occurrenceStart, answer, reason }, { ...options, you: person.id === actorPerson.id });
}

type InviteResult = { invited: InvitationRow[]; unchanged: InvitationRow[] };

/**
 * The host (or HR, or the host's manager) invites people to one occurrence or the whole event.
 * People already invited keep their answer; someone who declined is asked again.
 */
export function invitePeople(db: Db, clock: Clock, actor: Actor, actorPerson: Person, eventId: number, personIds: number[], start: Date | null): InviteResult {
  return writeTransaction(db, (tx) => {
    const event = requireEvent(tx, eventId);
    if (!canManageEvent(tx, actorPerson, event)) throw forbidden('Only the host, their manager or HR can invite people to this event.');
    const now = clock.now();
    const place = normalizePlace(tx, event, start);
    assertAnswerable(event, place.occurrence, now);
    const unique = [...new Set(personIds)];
    const found = unique.length ? tx.select().from(people).where(inArray(people.id, unique)).all() : [];
    const missing = unique.filter((id) => !found.some((p) => p.id === id && p.active));
    if (missing.length) throw new AppError(400, 'invalid', `No active person with id ${missing.join(', ')}.`, [{ path: 'personIds', message: 'Choose active people from the directory.' }]);
    if (unique.includes(event.hostId)) throw new AppError(400, 'invalid', 'The host is not a guest of their own event.', [{ path: 'personIds', message: 'The host is not a guest of their own event.' }]);

    const invited: InvitationRow[] = [];
    const unchanged: InvitationRow[] = [];
    for (const personId of unique) {
      const existing = findPlace(tx, event.id, personId, place.start);
      if (existing && existing.status !== 'declined') {
        unchanged.push(existing);
        continue;
      }
      const row = writeRow(tx, now, event, existing, {
        eventId: event.id,
        personId,
        occurrenceStart: place.start,
        status: 'invited',
        holdsSeat: false,
        source: 'invitation',
        invitedById: actorPerson.id,
        declineReason: null,
        waitlistedAt: null,
        respondedAt: null,
        updatedAt: now,
      });
      recordAudit(tx, now, actor, 'invitation.create', 'invitation', row.id, existing ?? null, row);
      invited.push(row);
    }
    return { invited, unchanged };
  });
}

function requiresClaimApproval(db: Db, person: Person): boolean {
  if (!person.managerId) return false;
  const policy = db.select().from(claimApprovalPolicies).where(eq(claimApprovalPolicies.managerId, person.managerId)).get();
  return !!policy?.requireApproval;
}

/** Who may claim a seat on the event at all; throws the reason otherwise. */
function assertMayClaim(event: EventRow, person: Person) {
  if (event.hostId === person.id) throw new AppError(409, 'host', 'You host this event.');
  if (event.guestDepartment && event.guestDepartment !== person.department) {
    throw forbidden(`This event takes guests from ${event.guestDepartment}.`);
  }
  if (event.seats === 0) throw new AppError(409, 'full', 'This event has no guest seats.', undefined, { waitlistPosition: null });
}

/** The person's standing at a place when they already hold a seat or wait for one there, else null. */
function standingAt(tx: Db, event: EventRow, person: Person, start: Date | null): AnswerOutcome | null {
  const existing = findPlace(tx, event.id, person.id, start);
  if (seatHolders(tx, { eventId: event.id, start }).includes(person.id)) {
    const row = existing ?? findPlace(tx, event.id, person.id, null)!;
    return { invitation: row, outcome: row.status === 'invited' ? 'pending_approval' : 'accepted', waitlistPosition: null, promoted: [], conflicts: [] };
  }
  if (existing?.status === 'waitlisted') {
    return { invitation: existing, outcome: 'waitlisted', waitlistPosition: waitlistPosition(tx, existing), promoted: [], conflicts: [] };
  }
  return null;
}

function takeSeat(tx: Db, now: Date, actor: Actor, person: Person, event: EventRow, start: Date | null, approvalPending: boolean): AnswerOutcome {
  const existing = findPlace(tx, event.id, person.id, start);
  const result = placeAnswer(tx, now, event, person.id, start, 'accepted', { source: existing?.source ?? 'claim', approvalPending });
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
    if (event.rrule && start === null) throw new AppError(400, 'invalid', 'Choose the occurrence to claim a seat on.', [{ path: 'occurrenceId', message: 'Choose an occurrence.' }]);
    const place = normalizePlace(tx, event, start);
    assertAnswerable(event, place.occurrence, now);
    assertMayClaim(event, person);
    const standing = standingAt(tx, event, person, place.start);
    if (standing) return standing;
    const conflicts = checkConflicts(tx, now, person, event, place.start ?? place.occurrence?.originalStart ?? null, options);
    return { ...takeSeat(tx, now, actor, person, event, place.start, requiresClaimApproval(tx, person)), conflicts };
  });
}

/** How far ahead "all future occurrences" of a series reaches, and at most how many. */
const SERIES_CLAIM_HORIZON_DAYS = 182;
const SERIES_CLAIM_MAX = 60;

export type SeriesClaimLine = {
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
    const more = upcoming.length > occurrences.length || expandEvent(event, exceptions, horizonEnd, new Date(horizonEnd.getTime() + 400 * 86_400_000)).length > 0;
    const conflicts = conflictsOfCandidates(tx, person, occurrences.map((o) => ({ slots: [o], eventId: event.id })), { you: options.you });
    const approvalPending = requiresClaimApproval(tx, person);
    const lines: SeriesClaimLine[] = [];
    const promoted: InvitationRow[] = [];
    occurrences.forEach((occurrence, i) => {
      const start = occurrence.originalStart;
      const found = conflicts[i]!;
      const standing = standingAt(tx, event, person, start);
      if (standing) {
        lines.push({ occurrence, outcome: 'already', waitlistPosition: standing.waitlistPosition, conflicts: [], invitationId: standing.invitation.id });
        return;
      }
      if (found.length > 0 && !options.confirmConflicts) {
        lines.push({ occurrence, outcome: 'conflict', waitlistPosition: null, conflicts: found, invitationId: null });
        return;
      }
      if (options.waitlist === false && seatHolders(tx, { eventId: event.id, start }).length >= event.seats) {
        lines.push({ occurrence, outcome: 'full', waitlistPosition: null, conflicts: found, invitationId: null });
        return;
      }
      const result = takeSeat(tx, now, actor, person, event, start, approvalPending);
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
      const claim = tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'invitation'), eq(auditLog.entityId, String(id))))
        .orderBy(desc(auditLog.id))
        .limit(1)
        .get();
      const unchanged = claim?.action === 'invitation.claim' && row.updatedAt?.getTime() === claim.at.getTime();
      if (!claim || !unchanged || now.getTime() - claim.at.getTime() > UNDO_WINDOW_MS) {
        throw new AppError(409, 'undo_expired', 'This claim can no longer be undone; leave the seat instead.');
      }
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

// ── manager approval of claims ──────────────────────────────────────────────

export function setClaimApprovalPolicy(db: Db, clock: Clock, actor: Actor, managerId: number, requireApproval: boolean) {
  writeTransaction(db, (tx) => {
    const now = clock.now();
    tx.insert(claimApprovalPolicies)
      .values({ managerId, requireApproval, updatedAt: now })
      .onConflictDoUpdate({ target: claimApprovalPolicies.managerId, set: { requireApproval, updatedAt: now } })
      .run();
    recordAudit(tx, now, actor, 'claim_policy.update', 'person', managerId, null, { requireApproval });
  });
}

export function claimApprovalRequired(db: Db, managerId: number): boolean {
  return !!db.select().from(claimApprovalPolicies).where(eq(claimApprovalPolicies.managerId, managerId)).get()?.requireApproval;
}

export function pendingApprovals(db: Db, manager: Person) {
  const rows = db
    .select({ invitation: invitations, personName: people.name, event: events })
    .from(invitations)
    .innerJoin(people, eq(people.id, invitations.personId))
    .innerJoin(events, eq(events.id, invitations.eventId))
    .where(
      and(
        eq(invitations.approvalStatus, 'pending'),
        eq(events.status, 'scheduled'),
        manager.role === 'hr' ? undefined : eq(people.managerId, manager.id),
      ),
    )
    .orderBy(asc(invitations.createdAt))
    .limit(500)
    .all();
  return rows;
}

/** The claimant's manager (or HR) approves or rejects a claim waiting for approval. */
export function decideClaim(db: Db, clock: Clock, actor: Actor, actorPerson: Person, invitationId: number, approve: boolean): InvitationRow {
  return writeTransaction(db, (tx) => {
    const row = requireInvitation(tx, invitationId);
    const claimant = tx.select().from(people).where(eq(people.id, row.personId)).get()!;
    if (actorPerson.role !== 'hr' && claimant.managerId !== actorPerson.id) throw forbidden("Only the claimant's manager or HR can decide on this claim.");
    if (row.approvalStatus !== 'pending') throw new AppError(409, 'decided', 'This claim has been decided already.');
    const event = requireEvent(tx, row.eventId);
    const now = clock.now();
    let after: InvitationRow;
    if (approve) {
      after = updateRow(tx, now, event, row, { approvalStatus: 'approved', approvalById: actorPerson.id, approvalAt: now, status: row.holdsSeat ? 'accepted' : row.status, updatedAt: now });
    } else {
      after = updateRow(tx, now, event, row, { approvalStatus: 'rejected', approvalById: actorPerson.id, approvalAt: now, status: 'declined', holdsSeat: false, waitlistedAt: null, declineReason: 'Not approved by the manager.', updatedAt: now });
      if (row.holdsSeat) notifyPromoted(tx, clock, event, promoteWaitlist(tx, now, event));
    }
    queueMail(tx, clock, {
      to: claimant.email,
      toPersonId: claimant.id,
      subject: `${approve ? 'Approved' : 'Not approved'}: ${event.title}`,
      body: approve
        ? `Your manager approved your seat claim for "${event.title}".${after.status === 'waitlisted' ? ' You are still on the waitlist.' : ''}`
        : `Your manager did not approve your seat claim for "${event.title}".`,
      dedupeKey: `claim-decision:${row.id}`,
    });
    recordAudit(tx, now, actor, approve ? 'invitation.approve' : 'invitation.reject', 'invitation', row.id, row, after);
    return after;
  });
}

// ── cancellations tell the people who had a seat ────────────────────────────

function seatHoldersWithPeople(tx: Db, place: Place) {
  const ids = seatHolders(tx, place);
  return ids.length ? tx.select().from(people).where(inArray(people.id, ids)).all() : [];
}

/** Queues a cancellation mail to everyone holding a seat in any future occurrence (or the event). */
/**
 * The calendar part (iMIP CANCEL) of one person's cancellation mail, or null for none. The calendar
 * feature builds it (cancellationCalendarOf in src/calendar/imip.ts); the routes hand it in, so
 * the events feature never imports calendar building, which reads the events feature.
 */
type CancellationCalendar = (personId: number) => MailCalendar | null;

export function notifyEventCancelled(tx: Db, clock: Clock, event: EventRow, calendarOf?: CancellationCalendar) {
  const now = clock.now();
  const recipients = new Map<number, Person>();
  for (const p of seatHoldersWithPeople(tx, { eventId: event.id, start: null })) recipients.set(p.id, p);
  const rows = tx
    .select({ person: people })
    .from(invitations)
    .innerJoin(people, eq(people.id, invitations.personId))
    .where(and(eq(invitations.eventId, event.id), eq(invitations.holdsSeat, true), gte(invitations.occurrenceStart, now)))
    .all();
  for (const { person } of rows) recipients.set(person.id, person);
  // Cancelling changes the future only: a series that had begun keeps what took place.
  const begun = event.rrule !== null && event.spanStart.getTime() < now.getTime();
  const scope = !event.rrule ? '' : begun ? ' (every occurrence still to come; those that took place stay as they were)' : ' (all occurrences)';
  for (const person of recipients.values()) {
    queueMail(tx, clock, {
      to: person.email,
      toPersonId: person.id,
      subject: `Cancelled: ${event.title}`,
      body: `"${event.title}" has been cancelled by the host${scope}. Nothing else to do on your side.`,
      dedupeKey: `event-cancelled:${event.id}:${person.id}`,
      calendar: calendarOf?.(person.id) ?? null,
    });
  }
}

/** Queues a cancellation mail to the seat holders of one occurrence. */
export function notifyOccurrenceCancelled(tx: Db, clock: Clock, event: EventRow, occurrence: EventOccurrence, calendarOf?: CancellationCalendar) {
  for (const person of seatHoldersWithPeople(tx, { eventId: event.id, start: occurrence.originalStart })) {
    const when = `${formatLocal(occurrence.start, person.timeZone).replace('T', ' ')} (${person.timeZone})`;
    queueMail(tx, clock, {
      to: person.email,
      toPersonId: person.id,
      subject: `Cancelled: ${event.title} on ${when}`,
      body: `The occurrence of "${event.title}" on ${when} has been cancelled. The other occurrences stay as they are.`,
      dedupeKey: `occurrence-cancelled:${occurrenceKey(event.id, occurrence.originalStart)}:${person.id}`,
      calendar: calendarOf?.(person.id) ?? null,
    });
  }
}

/** After seats grew (event edited): fill them from the waitlists. */
export function fillFreedSeats(tx: Db, clock: Clock, event: EventRow) {
  notifyPromoted(tx, clock, event, promoteWaitlist(tx, clock.now(), event));
}

/** The navigation's count of the viewer's pending invitations (as pendingInvitations lists them): a SQL expression. */
export const pendingInvitationsCount = (person: AnyColumn, now: SQLWrapper) => sql`
  SELECT count(*) FROM invitations i JOIN events e ON e.id = i.event_id
  WHERE i.person_id = ${person} AND i.status = 'invited' AND i.approval_status IS NULL AND e.status = 'scheduled'
    AND (e.span_end IS NULL OR e.span_end > ${now}) AND (i.occurrence_start IS NULL OR i.occurrence_start > ${now})`;

/** The navigation's count of claims waiting for the viewer's approval (HR: all of them; employees approve none): a SQL expression. */
export const pendingApprovalsCount = (person: AnyColumn, role: AnyColumn) => sql`
  SELECT CASE WHEN ${role} = 'employee' THEN 0 ELSE (
    SELECT count(*) FROM invitations i JOIN people p ON p.id = i.person_id JOIN events e ON e.id = i.event_id
    WHERE i.approval_status = 'pending' AND e.status = 'scheduled' AND (${role} = 'hr' OR p.manager_id = ${person})) END`;
