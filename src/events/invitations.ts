/**
 * Invitations: places, seats and waitlists, inviting people, and the counts the navigation shows.
 * Answering a place lives in answers.ts, claims in claims.ts, approval in approvals.ts.
 *
 * A place is a person's row on one occurrence (`occurrenceStart` = its original start) or on the
 * whole event (`occurrenceStart` null). An occurrence row overrides the whole-event row there.
 * Seats are checked and taken inside one write transaction (BEGIN IMMEDIATE), so however many
 * people answer at once, an occurrence never has more seat holders than seats.
 */
import { and, eq, inArray, isNull, sql, type AnyColumn, type SQLWrapper } from 'drizzle-orm';
import { invitations, people, type InvitationStatus } from '../../db/schema';
import type { Person } from '../context';
import { eqPlanned, preparedPerShape, preparedQuery, writeShape, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, forbidden, notFound } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { queueMail } from '../outbox/outbox';
import { formatLocal } from '../lib/time';
import { canManageEvent, firstStartOf, requireEvent, type EventRow } from './event-rules';
import { eventOccurrences, requireOccurrence } from './event-occurrences';
import type { EventOccurrence } from './expand';
import { MAX_EXPANSION_WINDOW_MS } from './recurrence';
import { atOccurrence } from './places';
import type { Conflict } from './conflicts';

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
 * `conflictsShown: false`: the caller shows no conflicts of a confirmed join (a form post that
 * redirects), so they are not read at all; an unconfirmed join is checked all the same.
 */
export type JoinOptions = { confirmConflicts?: boolean; you?: boolean; conflictsShown?: boolean };

/** A claim can be undone by its person for this long. */
export const UNDO_WINDOW_MS = 10 * 60_000;

// ── prepared statements (hot path of claims and answers) ────────────────────

// Answers are given for occurrences that have not started, so the original start stands in for the actual one.
// Values are compared as `= +@value` so the statements keep their plan (see eqPlanned).
const SQL = {
  holdersAt: `SELECT i.person_id AS personId FROM invitations i WHERE i.event_id = +@eventId AND i.holds_seat = 1 AND ${atOccurrence('i', '+@start', '+@start')}`,
  waitlistAt: `SELECT i.id FROM invitations i WHERE i.event_id = +@eventId AND i.status = 'waitlisted' AND ${atOccurrence('i', '+@start', '+@start')} ORDER BY i.waitlisted_at, i.id`,
  futureStarts: `SELECT DISTINCT occurrence_start AS start FROM invitations WHERE event_id = +@eventId AND occurrence_start >= +@now ORDER BY 1`,
};
const holdersAt = preparedQuery((db) => db.$client.prepare<{ eventId: number; start: number | null }, { personId: number }>(SQL.holdersAt));
const waitlistAt = preparedQuery((db) => db.$client.prepare<{ eventId: number; start: number | null }, { id: number }>(SQL.waitlistAt));
const futureStarts = preparedQuery((db) => db.$client.prepare<{ eventId: number; now: number }, { start: number }>(SQL.futureStarts));
export const invitationById = preparedQuery((db) =>
  db
    .select()
    .from(invitations)
    .where(eq(invitations.id, sql.placeholder('id')))
    .prepare(),
);
const wholePlace = preparedQuery((db) =>
  db
    .select()
    .from(invitations)
    .where(
      and(
        eqPlanned(invitations.eventId, sql.placeholder('eventId')),
        eqPlanned(invitations.personId, sql.placeholder('personId')),
        isNull(invitations.occurrenceStart),
      ),
    )
    .prepare(),
);
const occurrencePlace = preparedQuery((db) =>
  db
    .select()
    .from(invitations)
    .where(
      sql`${eqPlanned(invitations.eventId, sql.placeholder('eventId'))} AND ${eqPlanned(invitations.personId, sql.placeholder('personId'))} AND ${eqPlanned(invitations.occurrenceStart, sql.placeholder('start'))}`,
    )
    .prepare(),
);

export type Place = { eventId: number; start: Date | null };

export function seatHolders(db: Db, place: Place): number[] {
  return holdersAt(db)
    .all({ eventId: place.eventId, start: place.start?.getTime() ?? null })
    .map((r) => r.personId);
}

function waitlistIds(db: Db, place: Place): number[] {
  return waitlistAt(db)
    .all({ eventId: place.eventId, start: place.start?.getTime() ?? null })
    .map((r) => r.id);
}

/** Original starts of future occurrences that have rows of their own. */
function futureOccurrenceStarts(db: Db, eventId: number, now: Date): Date[] {
  return futureStarts(db)
    .all({ eventId, now: now.getTime() })
    .map((r) => new Date(r.start));
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
    tx.insert(invitations)
      .values({ ...state, occurrenceStart: occurrence.originalStart, effectiveFrom: null })
      .run();
  }
}

/**
 * Writes a person's row at a place. A whole-event row of a series is where answers for every
 * occurrence live: when the person's standing there changes, the occurrences that already started
 * keep what was true (keepStartedOccurrences) and the row takes effect from now.
 */
export function writeRow(tx: Db, now: Date, event: EventRow, existing: InvitationRow | undefined, values: RowValues): InvitationRow {
  const seriesWide = event.rrule !== null && values.occurrenceStart === null;
  if (existing) {
    const changes = seriesWide && !sameStanding(existing, values);
    if (changes) keepStartedOccurrences(tx, now, event, existing);
    const shape = writeShape(changedColumns(existing, changes ? { ...values, effectiveFrom: now } : values));
    if (shape.key === '') return existing;
    return updateInvitation(tx, shape).get({ ...shape.params, rowId: existing.id })!;
  }
  const shape = writeShape(seriesWide ? { ...values, effectiveFrom: now } : values);
  return insertInvitation(tx, shape).get(shape.params)!;
}

const sameValue = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

/**
 * The columns of an update that change the row. The triggers that keep seat counts and the
 * scorecard current fire on UPDATE OF a column named in the SET, changed or not: naming only what
 * changes spares a recount when an answer moves no seat (a new effective_from is watched itself).
 */
function changedColumns(row: InvitationRow, values: RowValues): Partial<InvitationRow> {
  const set: Partial<Record<keyof InvitationRow, unknown>> = {};
  for (const [key, value] of Object.entries(values) as [keyof InvitationRow, unknown][]) {
    if (value !== undefined && !sameValue(row[key], value)) set[key] = value;
  }
  return set as Partial<InvitationRow>;
}

// Answers and claims write a row each: statements prepared once per set of columns written.
const updateInvitation = preparedPerShape((db, columns) =>
  db
    .update(invitations)
    .set(columns)
    .where(eq(invitations.id, sql.placeholder('rowId')))
    .returning()
    .prepare(),
);
const insertInvitation = preparedPerShape((db, columns) =>
  db
    .insert(invitations)
    // The shape carries the row's required columns whenever a caller writes one (RowValues).
    .values(columns as unknown as typeof invitations.$inferInsert)
    .returning()
    .prepare(),
);

/** Changes some fields of an existing row (see writeRow). */
export function updateRow(tx: Db, now: Date, event: EventRow, row: InvitationRow, set: Partial<InvitationRow>): InvitationRow {
  return writeRow(tx, now, event, row, { ...set, eventId: row.eventId, personId: row.personId, occurrenceStart: row.occurrenceStart });
}

/**
 * Fills free seats from waitlists. Whole-event waitlists come first (they take a seat in every
 * occurrence); then each future occurrence with rows of its own fills what is still free there
 * in waitlist order, and a whole-event promotion that would overfill such an occurrence puts that
 * person on its waitlist instead.
 */
export function promoteWaitlist(tx: Db, now: Date, event: EventRow): InvitationRow[] {
  if (event.status !== 'scheduled') return [];
  const promoted: InvitationRow[] = [];
  const seatFor = (row: InvitationRow) => ({
    holdsSeat: true,
    status: (row.approvalStatus === 'pending' ? 'invited' : 'accepted') as InvitationStatus,
    waitlistedAt: null,
    updatedAt: now,
  });

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
export function waitlistWhereOverfull(tx: Db, now: Date, event: EventRow, personId: number, waitlistedAt: Date) {
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

export function assertAnswerable(event: EventRow, occurrence: EventOccurrence | null, now: Date) {
  if (event.status === 'cancelled') throw new AppError(409, 'cancelled', 'This event has been cancelled.');
  if (occurrence?.cancelled) throw new AppError(409, 'cancelled', 'This occurrence has been cancelled.');
  if (occurrence && occurrence.start.getTime() <= now.getTime()) throw new AppError(409, 'past', 'This occurrence has already started.');
}

/** A one-off event has only its whole-event place; a series place is one occurrence or the whole series. */
export function normalizePlace(tx: Db, event: EventRow, start: Date | null): { start: Date | null; occurrence: EventOccurrence | null } {
  if (!event.rrule) return { start: null, occurrence: requireOccurrence(tx, event, start ?? firstStartOf(event)) };
  if (start === null) return { start: null, occurrence: null };
  const occurrence = requireOccurrence(tx, event, start);
  return { start: occurrence.originalStart, occurrence };
}

export function notifyPromoted(tx: Db, clock: Clock, event: EventRow, promoted: InvitationRow[]) {
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
    if (missing.length)
      throw new AppError(400, 'invalid', `No active person with id ${missing.join(', ')}.`, [
        { path: 'personIds', message: 'Choose active people from the directory.' },
      ]);
    if (unique.includes(event.hostId))
      throw new AppError(400, 'invalid', 'The host is not a guest of their own event.', [
        { path: 'personIds', message: 'The host is not a guest of their own event.' },
      ]);

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

/**
 * The navigation's count of invitations waiting for the viewer's answer (of scheduled events, neither past their
 * span nor their occurrence's start), read from the kept rows (pending_invitations): one index range read.
 */
export const pendingInvitationsCount = (person: AnyColumn, now: SQLWrapper) => sql`
  SELECT count(*) FROM pending_invitations p WHERE p.person_id = ${person} AND p.open_until > ${now}`;

/** The navigation's count of claims waiting for the viewer's approval (HR: all of them; employees approve none): a SQL expression. */
export const pendingApprovalsCount = (person: AnyColumn, role: AnyColumn) => sql`
  SELECT CASE WHEN ${role} = 'employee' THEN 0 ELSE (
    SELECT count(*) FROM invitations i JOIN people p ON p.id = i.person_id JOIN events e ON e.id = i.event_id
    WHERE i.approval_status = 'pending' AND e.status = 'scheduled' AND (${role} = 'hr' OR p.manager_id = ${person})) END`;
