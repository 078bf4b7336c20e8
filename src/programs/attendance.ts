/**
 * Attendance at a training session: the sheet, marks and walk-ins, and self check-in with a code.
 */
import { randomInt } from 'node:crypto';
import { and, desc, eq, getTableColumns, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { attendance, checkIns, checkInCodes, events, people, type AttendanceStatus } from '../../db/schema';
import type { Person } from '../context';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, badRequest, conflict, forbidden } from '../lib/errors';
import { idSchema } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import {
  canManageEvent,
  requireEvent,
  requireOccurrence,
  type EventOccurrence,
  type EventRow,
  type OccurrenceRef,
  namedPlacesAt,
  placesAtOccurrence,
} from '../events';
import { syncCompletions } from './tracking';

/** Attendees may check in from shortly before the start until a while after the end. */
const CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;
const CHECK_IN_CLOSES_AFTER_MS = 2 * 60 * 60_000;

// ── attendance ──

export type AttendanceMark = { personId: number; status: AttendanceStatus; walkIn?: boolean };
export const attendanceMarkSchema = z.object({
  personId: idSchema,
  status: z.enum(['attended', 'no_show'], { message: 'Status must be attended or no_show.' }),
  walkIn: z.boolean().optional().describe('true marks someone who held no place at the occurrence as a walk-in; required for them'),
});

/** Answers that put a person on an occurrence's list: they held a place there (the host always does). */
const PLACE_ANSWERS = new Set(['invited', 'accepted', 'tentative']);

export type SheetRow = {
  personId: number;
  name: string;
  department: string;
  /** Their answer at the occurrence when they held a place there; null when they did not. */
  invitation: string | null;
  checkedInAt: Date | null;
  confirmedAt: Date | null;
  attendance: AttendanceStatus | null;
  /** Marked as attended without holding a place there. */
  walkIn: boolean;
};

/** People who held a place at the occurrence (invited, accepted or tentative there), by id. */
function placeHoldersAt(db: Db, event: EventRow, occurrence: EventOccurrence) {
  return new Map(
    namedPlacesAt(db, event, occurrence)
      .filter((a) => PLACE_ANSWERS.has(a.status))
      .map((a) => [a.personId, a]),
  );
}

/** Who held a place at the occurrence, by id alone (marking reads no names: the people marked are named already). */
function placeHolderIdsAt(db: Db, event: EventRow, occurrence: EventOccurrence): Set<number> {
  return new Set(
    placesAtOccurrence(db, event, occurrence)
      .filter((a) => PLACE_ANSWERS.has(a.status))
      .map((a) => a.personId),
  );
}

/** Everyone expected or seen at an occurrence: people with a place there, self check-ins, and anyone already marked. */
export function attendanceSheet(db: Db, event: EventRow, occurrence: EventOccurrence): SheetRow[] {
  const start = occurrence.originalStart;
  const rows = new Map<number, SheetRow>();
  for (const a of placeHoldersAt(db, event, occurrence).values()) {
    rows.set(a.personId, {
      personId: a.personId,
      name: a.name,
      department: a.department,
      invitation: a.status,
      checkedInAt: null,
      confirmedAt: null,
      attendance: null,
      walkIn: false,
    });
  }
  const extra = (personId: number, name: string, department: string) => {
    let row = rows.get(personId);
    if (!row) {
      row = { personId, name, department, invitation: null, checkedInAt: null, confirmedAt: null, attendance: null, walkIn: false };
      rows.set(personId, row);
    }
    return row;
  };
  const checked = db
    .select({
      personId: checkIns.personId,
      name: people.name,
      department: people.department,
      checkedInAt: checkIns.checkedInAt,
      confirmedAt: checkIns.confirmedAt,
    })
    .from(checkIns)
    .innerJoin(people, eq(people.id, checkIns.personId))
    .where(and(eq(checkIns.eventId, event.id), eq(checkIns.occurrenceStart, start)))
    .all();
  for (const c of checked) Object.assign(extra(c.personId, c.name, c.department), { checkedInAt: c.checkedInAt, confirmedAt: c.confirmedAt });
  const marked = db
    .select({ personId: attendance.personId, name: people.name, department: people.department, status: attendance.status, walkIn: attendance.walkIn })
    .from(attendance)
    .innerJoin(people, eq(people.id, attendance.personId))
    .where(and(eq(attendance.eventId, event.id), eq(attendance.occurrenceStart, start)))
    .all();
  for (const m of marked) Object.assign(extra(m.personId, m.name, m.department), { attendance: m.status, walkIn: m.walkIn });
  return [...rows.values()].sort((a, b) => Number(a.walkIn) - Number(b.walkIn) || a.name.localeCompare(b.name));
}

function assertMayTakeAttendance(db: Db, person: Person, event: EventRow) {
  if (!canManageEvent(db, person, event)) throw forbidden('Only the host, their manager or HR can take attendance.');
}

// Statements of marking attendance (a bulk API call, the sheet): compiled once per database, values compared as
// `= +value` so they keep that plan (see eqPlanned).
const q = {
  peopleNamed: preparedQuery((db) =>
    db.$client.prepare<{ ids: string }, { id: number; name: string }>('SELECT id, name FROM people WHERE id IN (SELECT value FROM json_each(@ids))'),
  ),
  marked: preparedQuery((db) =>
    db.$client.prepare<{ eventId: number; start: number }, { personId: number; walkIn: number }>(
      'SELECT person_id AS personId, walk_in AS walkIn FROM attendance WHERE event_id = +@eventId AND occurrence_start = +@start',
    ),
  ),
  checkedIn: preparedQuery((db) =>
    db.$client
      .prepare<{ eventId: number; start: number }, number>('SELECT person_id FROM check_ins WHERE event_id = +@eventId AND occurrence_start = +@start')
      .pluck(),
  ),
  marks: preparedQuery((db) => ({
    upsert: db.$client.prepare(`
      INSERT INTO attendance (event_id, occurrence_start, person_id, status, walk_in, marked_by_id, marked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (event_id, occurrence_start, person_id) DO UPDATE SET status = excluded.status, walk_in = excluded.walk_in, marked_by_id = excluded.marked_by_id, marked_at = excluded.marked_at`),
    confirm: db.$client.prepare(
      'UPDATE check_ins SET confirmed_at = ?, confirmed_by_id = ? WHERE event_id = +? AND occurrence_start = +? AND person_id = +? AND confirmed_at IS NULL',
    ),
    unconfirm: db.$client.prepare(
      'UPDATE check_ins SET confirmed_at = NULL, confirmed_by_id = NULL WHERE event_id = +? AND occurrence_start = +? AND person_id = +?',
    ),
    drop: db.$client.prepare('DELETE FROM attendance WHERE event_id = +? AND occurrence_start = +? AND person_id = +?'),
  })),
};

/** Attendance is what happened: only for an occurrence that exists, was not cancelled and has started. */
function requireStartedOccurrence(tx: Db, event: EventRow, originalStart: Date, now: Date): EventOccurrence {
  const occurrence = requireOccurrence(tx, event, originalStart);
  if (occurrence.cancelled) throw conflict('cancelled', 'This occurrence was cancelled, so there is no attendance to record.');
  if (occurrence.start.getTime() > now.getTime()) throw conflict('not_started', 'Attendance can be recorded once the occurrence has started.');
  return occurrence;
}

type AttendanceResult = { marked: number; attended: number; walkIns: number; removed: number };

/**
 * The host (their manager, HR) records or corrects what happened at an occurrence that has started,
 * also long afterwards: attended or no-show, a mark removed, walk-ins added. Someone who held no
 * place there can only be marked as attended, and only as an explicit walk-in (kept as such).
 * Everything is checked first and written in one transaction with the completions it changes.
 */
export function markAttendance(
  db: Db,
  clock: Clock,
  actor: Actor,
  actorPerson: Person,
  at: OccurrenceRef,
  marks: AttendanceMark[],
  remove: number[] = [],
): AttendanceResult {
  const { eventId, originalStart } = at;
  return writeTransaction(db, (tx) => {
    const event = requireEvent(tx, eventId);
    assertMayTakeAttendance(tx, actorPerson, event);
    const now = clock.now();
    const occurrence = requireStartedOccurrence(tx, event, originalStart, now);
    const unique = new Map(marks.map((m) => [m.personId, m]));
    const removed = [...new Set(remove)].filter((id) => !unique.has(id));
    if (unique.size === 0 && removed.length === 0) throw badRequest('Mark at least one person.');
    const ids = [...unique.keys()];
    const found = new Map((ids.length ? q.peopleNamed(tx).all({ ids: JSON.stringify(ids) }) : []).map((p) => [p.id, p.name]));
    const unknown = ids.filter((id) => !found.has(id));
    if (unknown.length)
      throw new AppError(
        400,
        'invalid',
        `No person with id ${unknown.join(', ')}.`,
        unknown.map((id) => ({ path: 'marks', message: `No person with id ${id}.` })),
      );
    if (unique.has(event.hostId))
      throw new AppError(400, 'invalid', 'The host is not an attendee of their own event.', [{ path: 'marks', message: 'The host is not an attendee.' }]);

    const holders = placeHolderIdsAt(tx, event, occurrence);
    const at = { eventId: event.id, start: originalStart.getTime() };
    const existing = new Map(
      q
        .marked(tx)
        .all(at)
        .map((a) => [a.personId, a.walkIn === 1]),
    );
    const checkedIn = new Set(q.checkedIn(tx).all(at));
    const walkIn = new Map<number, boolean>();
    const issues: { path: string; message: string }[] = [];
    let code: 'walk_in_required' | 'no_place' | 'invalid' = 'invalid';
    for (const [personId, mark] of unique) {
      const name = found.get(personId)!;
      if (holders.has(personId)) {
        if (mark.walkIn) issues.push({ path: 'marks', message: `${name} held a place at this occurrence, so they are not a walk-in.` });
        walkIn.set(personId, false);
      } else if (mark.status === 'no_show' && checkedIn.has(personId)) {
        // They checked in with the room's code, but the host saw they were not there.
        walkIn.set(personId, false);
      } else if (mark.status === 'no_show') {
        code = 'no_place';
        issues.push({ path: 'marks', message: `${name} held no place at this occurrence, so they cannot be a no-show; remove their mark instead.` });
      } else if (mark.walkIn || existing.get(personId) === true) {
        walkIn.set(personId, true);
      } else {
        code = 'walk_in_required';
        issues.push({ path: 'marks', message: `${name} held no place at this occurrence: mark them as a walk-in to record that they attended.` });
      }
    }
    if (issues.length) throw new AppError(code === 'invalid' ? 400 : 409, code, issues.map((i) => i.message).join(' '), issues);

    const { upsert, confirm, unconfirm, drop } = q.marks(tx);
    // Only people who checked in (read above, in this transaction) have a check-in to confirm or take back.
    for (const [personId, mark] of unique) {
      upsert.run(event.id, originalStart.getTime(), personId, mark.status, walkIn.get(personId) ? 1 : 0, actorPerson.id, now.getTime());
      if (!checkedIn.has(personId)) continue;
      if (mark.status === 'attended') confirm.run(now.getTime(), actorPerson.id, event.id, originalStart.getTime(), personId);
      else unconfirm.run(event.id, originalStart.getTime(), personId);
    }
    let removedCount = 0;
    for (const personId of removed) {
      removedCount += drop.run(event.id, originalStart.getTime(), personId).changes;
      if (checkedIn.has(personId)) unconfirm.run(event.id, originalStart.getTime(), personId);
    }
    recordAudit(tx, now, actor, 'attendance.mark', 'event', event.id, null, {
      occurrenceStart: originalStart.toISOString(),
      marks: [...unique].map(([personId, m]) => ({ personId, status: m.status, walkIn: walkIn.get(personId) ?? false })),
      removed,
    });
    // The marks are evidence at this occurrence only, of attending this kind of event: rows whose window does not hold
    // it, or whose requirement such attendance cannot meet, stay as they are.
    syncCompletions(tx, now, { personIds: [...ids, ...removed], evidenceAt: [occurrence.start, originalStart], attendedKind: event.kind });
    const statuses = [...unique.values()];
    return {
      marked: unique.size,
      attended: statuses.filter((m) => m.status === 'attended').length,
      walkIns: [...walkIn.values()].filter(Boolean).length,
      removed: removedCount,
    };
  });
}

/** "Mark everyone present": everyone who held a place at the occurrence is marked as attended. */
export function markEveryonePresent(db: Db, clock: Clock, actor: Actor, actorPerson: Person, at: OccurrenceRef): AttendanceResult {
  const { eventId, originalStart } = at;
  const event = requireEvent(db, eventId);
  const occurrence = requireOccurrence(db, event, originalStart);
  const ids = [...placeHoldersAt(db, event, occurrence).keys()].filter((id) => id !== event.hostId);
  if (ids.length === 0) throw conflict('nobody', 'Nobody held a place at this occurrence; add walk-ins instead.');
  return markAttendance(
    db,
    clock,
    actor,
    actorPerson,
    { eventId, originalStart },
    ids.map((personId) => ({ personId, status: 'attended' as const })),
  );
}

/** An active person named by their email address or their full name (one match only). */
export function findPersonForWalkIn(db: Db, text: string): { id: number; name: string } {
  const wanted = text.trim();
  if (!wanted)
    throw new AppError(400, 'invalid', 'Enter the email address or the full name of the person who walked in.', [
      { path: 'person', message: 'Enter an email address or a full name.' },
    ]);
  const byEmail = db
    .select({ id: people.id, name: people.name })
    .from(people)
    .where(and(sql`lower(${people.email}) = lower(${wanted})`, eq(people.active, true)))
    .get();
  if (byEmail) return byEmail;
  const byName = db
    .select({ id: people.id, name: people.name })
    .from(people)
    .where(and(sql`lower(${people.name}) = lower(${wanted})`, eq(people.active, true)))
    .limit(2)
    .all();
  if (byName.length === 1) return byName[0]!;
  const message =
    byName.length > 1
      ? `Several people are called ${wanted}; enter their email address.`
      : `Nobody in the directory is called ${wanted}; enter their email address or full name.`;
  throw new AppError(400, 'invalid', message, [{ path: 'person', message }]);
}

/** What a person's manager sees: the occurrences where they were marked, most recent first, walk-ins named as such. */
export function attendanceOfPerson(db: Db, personId: number, limit = 50) {
  return db
    .select({ ...getTableColumns(attendance), title: events.title, kind: events.kind, timeZone: events.timeZone })
    .from(attendance)
    .innerJoin(events, eq(events.id, attendance.eventId))
    .where(eq(attendance.personId, personId))
    .orderBy(desc(attendance.occurrenceStart))
    .limit(limit)
    .all();
}

// ── self check-in ──

function newCode() {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Shows (creating if needed) the code the host displays in the room for this occurrence. */
export function openCheckIn(db: Db, clock: Clock, actor: Actor, actorPerson: Person, eventId: number, originalStart: Date) {
  return writeTransaction(db, (tx) => {
    const event = requireEvent(tx, eventId);
    assertMayTakeAttendance(tx, actorPerson, event);
    const occurrence = requireOccurrence(tx, event, originalStart);
    if (occurrence.cancelled) throw conflict('cancelled', 'This occurrence was cancelled.');
    const now = clock.now();
    const expiresAt = new Date(occurrence.end.getTime() + CHECK_IN_CLOSES_AFTER_MS);
    if (expiresAt.getTime() <= now.getTime()) throw conflict('check_in_closed', 'Check-in has closed for this occurrence; mark attendance instead.');
    const existing = tx
      .select()
      .from(checkInCodes)
      .where(and(eq(checkInCodes.eventId, eventId), eq(checkInCodes.occurrenceStart, originalStart)))
      .get();
    if (existing) return existing;
    let code = newCode();
    // Codes are short so they can be read off a screen; keep live ones distinct.
    while (
      tx
        .select({ id: checkInCodes.id })
        .from(checkInCodes)
        .where(and(eq(checkInCodes.code, code), gt(checkInCodes.expiresAt, now)))
        .get()
    )
      code = newCode();
    const row = tx
      .insert(checkInCodes)
      .values({ eventId, occurrenceStart: originalStart, code, createdById: actorPerson.id, createdAt: now, expiresAt })
      .returning()
      .get();
    recordAudit(tx, now, actor, 'check_in.open', 'event', eventId, null, { occurrenceStart: originalStart.toISOString(), expiresAt: expiresAt.toISOString() });
    return row;
  });
}

export function checkInCodeOf(db: Db, eventId: number, originalStart: Date) {
  return (
    db
      .select()
      .from(checkInCodes)
      .where(and(eq(checkInCodes.eventId, eventId), eq(checkInCodes.occurrenceStart, originalStart)))
      .get() ?? null
  );
}

/** An attendee types the code shown in the room; the host confirms later on the attendance sheet. */
export function checkIn(db: Db, clock: Clock, actor: Actor, person: Person, code: string) {
  return writeTransaction(db, (tx) => {
    const now = clock.now();
    const row = tx
      .select()
      .from(checkInCodes)
      .where(and(eq(checkInCodes.code, code.trim()), gt(checkInCodes.expiresAt, now)))
      .get();
    if (!row)
      throw new AppError(400, 'invalid', 'This code is not valid (or check-in has closed). Check the code shown in the room.', [
        { path: 'code', message: 'Unknown or expired code.' },
      ]);
    const event = requireEvent(tx, row.eventId);
    const occurrence = requireOccurrence(tx, event, row.occurrenceStart);
    if (now.getTime() < occurrence.start.getTime() - CHECK_IN_OPENS_BEFORE_MS)
      throw conflict('too_early', 'Check-in opens 30 minutes before the session starts.');
    if (event.hostId === person.id) throw conflict('host', 'You host this session.');
    tx.insert(checkIns).values({ eventId: event.id, occurrenceStart: row.occurrenceStart, personId: person.id, checkedInAt: now }).onConflictDoNothing().run();
    recordAudit(tx, now, actor, 'check_in.create', 'event', event.id, null, { occurrenceStart: row.occurrenceStart.toISOString(), personId: person.id });
    return { event, occurrence };
  });
}
