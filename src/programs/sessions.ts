// Training sessions (events of kind `training` with a topic), booking, attendance and check-in.
import { randomInt } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { attendance, checkIns, checkInCodes, events, people, trainingSessions, trainingTopics, type AttendanceStatus } from '../../db/schema';
import type { Person } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, badRequest, conflict, forbidden, notFound } from '../lib/errors';
import { idSchema, zoneSchema } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { canManageEvent, createEvent, exceptionsOf, expandEvent, requireEvent, requireOccurrence, type EventOccurrence, type EventRow } from '../events/events';
import { claimSeat, invitePeople, type AnswerOutcome } from '../events/invitations';
import { attendeesAt, placeOf, placesOf, rowsAtOccurrence } from '../events/schedule';
import { parseOccurrenceKey } from '../events/recurrence';
import { syncCompletions } from './tracking';

const DAY_MS = 86_400_000;
/** Attendees may check in from shortly before the start until a while after the end. */
const CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;
const CHECK_IN_CLOSES_AFTER_MS = 2 * 60 * 60_000;

export type TrainingSessionInput = {
  topicId: number;
  title: string;
  description: string;
  hostId: number;
  startLocal: string;
  timeZone: string;
  durationMinutes: number;
  seats: number;
  rrule: string | null;
  location: string | null;
  meetingUrl: string | null;
};

/** HR schedules a session (one-off or a series) of a topic; it is an event of kind `training`. */
export function scheduleTrainingSession(db: Db, clock: Clock, actor: Actor, actorPerson: Person, input: TrainingSessionInput): EventRow {
  return writeTransaction(db, (tx) => {
    const topic = tx.select().from(trainingTopics).where(eq(trainingTopics.id, input.topicId)).get();
    if (!topic) throw new AppError(400, 'invalid', 'Choose an existing training topic.', [{ path: 'topicId', message: 'Choose an existing training topic.' }]);
    const event = createEvent(tx, clock, actor, actorPerson, {
      kind: 'training',
      title: input.title,
      description: input.description,
      hostId: input.hostId,
      startLocal: input.startLocal,
      timeZone: input.timeZone,
      durationMinutes: input.durationMinutes,
      seats: input.seats,
      rrule: input.rrule,
      account: null,
      opportunityStage: null,
      location: input.location,
      meetingUrl: input.meetingUrl,
      topic: topic.name,
    });
    tx.insert(trainingSessions).values({ eventId: event.id, topicId: topic.id }).run();
    return event;
  });
}

export type SessionOccurrence = {
  event: EventRow & { hostName: string };
  topicId: number;
  topicName: string;
  occurrence: EventOccurrence;
  seatsTaken: number;
  seatsFree: number;
  /** The given person's answer at this occurrence, when asked for one. */
  myStatus: string | null;
};

/**
 * Upcoming occurrences of training sessions within `days`, optionally of some topics only, with
 * seats taken; `forPersonId` adds that person's answer.
 */
export function upcomingSessions(db: Db, now: Date, options: { topicIds?: readonly number[]; days?: number; forPersonId?: number; includePast?: boolean } = {}): SessionOccurrence[] {
  const days = options.days ?? 90;
  const from = options.includePast ? new Date(now.getTime() - days * DAY_MS) : now;
  const to = new Date(now.getTime() + days * DAY_MS);
  if (options.topicIds && options.topicIds.length === 0) return [];
  const rows = db
    .select({ event: events, hostName: people.name, topicId: trainingTopics.id, topicName: trainingTopics.name })
    .from(events)
    .innerJoin(trainingSessions, eq(trainingSessions.eventId, events.id))
    .innerJoin(trainingTopics, eq(trainingTopics.id, trainingSessions.topicId))
    .innerJoin(people, eq(people.id, events.hostId))
    .where(
      and(
        eq(events.kind, 'training'),
        eq(events.status, 'scheduled'),
        sql`${events.spanStart} < ${to.getTime()}`,
        or(isNull(events.spanEnd), gt(events.spanEnd, from)),
        options.topicIds ? inArray(trainingSessions.topicId, [...options.topicIds]) : undefined,
      ),
    )
    .orderBy(asc(events.spanStart))
    .all();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.event.id);
  const exceptions = exceptionsOf(db, ids);
  const places = placesOf(db, ids);
  const found: SessionOccurrence[] = [];
  for (const row of rows) {
    const event = { ...row.event, hostName: row.hostName };
    for (const occurrence of expandEvent(event, exceptions.get(event.id) ?? [], from, to)) {
      const at = rowsAtOccurrence(places.get(event.id) ?? [], placeOf(event, occurrence));
      const seatsTaken = at.filter((r) => r.holdsSeat).length;
      const mine = options.forPersonId === undefined ? undefined : at.find((r) => r.personId === options.forPersonId);
      found.push({
        event,
        topicId: row.topicId,
        topicName: row.topicName,
        occurrence,
        seatsTaken,
        seatsFree: Math.max(0, event.seats - seatsTaken),
        myStatus: mine?.status ?? null,
      });
    }
  }
  return found.sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime() || a.event.id - b.event.id);
}

/** Active people whose current training requirement of this topic is still open. */
export function peopleNeedingTopic(db: Db, now: Date, topicId: number): number[] {
  const t = now.getTime();
  return db
    .all<{ personId: number }>(sql`
      SELECT DISTINCT rc.person_id AS personId
      FROM requirement_completions rc
      JOIN program_requirements r ON r.id = rc.requirement_id
      WHERE r.kind = 'training' AND r.topic_id = ${topicId} AND rc.active = 1
        AND (rc.completed_at IS NULL OR rc.completed_at > ${t})
        AND rc.window_from <= ${t} AND (rc.window_until IS NULL OR rc.window_until > ${t})`)
    .map((r) => r.personId);
}

export function topicOfSession(db: Db, eventId: number) {
  return db
    .select({ topicId: trainingTopics.id, topicName: trainingTopics.name })
    .from(trainingSessions)
    .innerJoin(trainingTopics, eq(trainingTopics.id, trainingSessions.topicId))
    .where(eq(trainingSessions.eventId, eventId))
    .get();
}

/** Invites everyone who still needs the session's topic to this occurrence (people already invited keep their answer). */
export function inviteWhoNeedsIt(db: Db, clock: Clock, actor: Actor, actorPerson: Person, eventId: number, originalStart: Date | null) {
  const event = requireEvent(db, eventId);
  const topic = topicOfSession(db, eventId);
  if (!topic) throw badRequest('This event is not a training session.');
  const needing = peopleNeedingTopic(db, clock.now(), topic.topicId).filter((id) => id !== event.hostId);
  if (needing.length === 0) return { invited: 0, unchanged: 0 };
  const result = invitePeople(db, clock, actor, actorPerson, eventId, needing, event.rrule ? originalStart : null);
  return { invited: result.invited.length, unchanged: result.unchanged.length };
}

/** A person books one occurrence of a training session: a seat claim (or the waitlist when full). */
export function bookSession(db: Db, clock: Clock, actor: Actor, person: Person, eventId: number, originalStart: Date): AnswerOutcome {
  const event = requireEvent(db, eventId);
  if (event.kind !== 'training') throw badRequest('Only training sessions are booked here.');
  // Booking a session keeps its own flow; conflicts are named on the learning page, not asked here.
  return claimSeat(db, clock, actor, person, eventId, event.rrule ? originalStart : null, { confirmConflicts: true, you: true });
}

// ── occurrences by key ──

export const occurrenceIdSchema = z
  .string()
  .trim()
  .refine((v) => parseOccurrenceKey(v) !== null, 'Use an occurrence id such as 12_20260309T140000Z.');

/** The event and occurrence of an occurrence id; 404 when either does not exist. */
export function resolveOccurrence(db: Db, occurrenceId: string): { event: EventRow; occurrence: EventOccurrence } {
  const parsed = parseOccurrenceKey(occurrenceId);
  if (!parsed || !/^\d+$/.test(parsed.eventId)) throw notFound('No such occurrence.');
  const event = requireEvent(db, Number(parsed.eventId));
  return { event, occurrence: requireOccurrence(db, event, parsed.originalStart) };
}

// ── attendance ──

export type AttendanceMark = { personId: number; status: AttendanceStatus };
export const attendanceMarkSchema = z.object({ personId: idSchema, status: z.enum(['attended', 'no_show'], { message: 'Status must be attended or no_show.' }) });

export type SheetRow = {
  personId: number;
  name: string;
  department: string;
  invitation: string | null;
  checkedInAt: Date | null;
  confirmedAt: Date | null;
  attendance: AttendanceStatus | null;
};

/** Everyone expected or seen at an occurrence: invitees (not declined), self check-ins, and anyone already marked. */
export function attendanceSheet(db: Db, event: EventRow, occurrence: EventOccurrence): SheetRow[] {
  const start = occurrence.originalStart;
  const rows = new Map<number, SheetRow>();
  for (const a of attendeesAt(db, event, event.rrule ? start : null)) {
    if (a.status === 'declined' || a.status === 'waitlisted') continue;
    rows.set(a.personId, { personId: a.personId, name: a.name, department: a.department, invitation: a.status, checkedInAt: null, confirmedAt: null, attendance: null });
  }
  const extra = (personId: number, name: string, department: string) => {
    let row = rows.get(personId);
    if (!row) {
      row = { personId, name, department, invitation: null, checkedInAt: null, confirmedAt: null, attendance: null };
      rows.set(personId, row);
    }
    return row;
  };
  const checked = db
    .select({ personId: checkIns.personId, name: people.name, department: people.department, checkedInAt: checkIns.checkedInAt, confirmedAt: checkIns.confirmedAt })
    .from(checkIns)
    .innerJoin(people, eq(people.id, checkIns.personId))
    .where(and(eq(checkIns.eventId, event.id), eq(checkIns.occurrenceStart, start)))
    .all();
  for (const c of checked) Object.assign(extra(c.personId, c.name, c.department), { checkedInAt: c.checkedInAt, confirmedAt: c.confirmedAt });
  const marked = db
    .select({ personId: attendance.personId, name: people.name, department: people.department, status: attendance.status })
    .from(attendance)
    .innerJoin(people, eq(people.id, attendance.personId))
    .where(and(eq(attendance.eventId, event.id), eq(attendance.occurrenceStart, start)))
    .all();
  for (const m of marked) extra(m.personId, m.name, m.department).attendance = m.status;
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function assertMayTakeAttendance(db: Db, person: Person, event: EventRow) {
  if (!canManageEvent(db, person, event)) throw forbidden('Only the host, their manager or HR can take attendance.');
}

/**
 * The host marks everyone at once (attended / no-show) after the occurrence began. All marks are
 * written in one transaction, and completion follows immediately.
 */
export function markAttendance(db: Db, clock: Clock, actor: Actor, actorPerson: Person, eventId: number, originalStart: Date, marks: AttendanceMark[]) {
  return writeTransaction(db, (tx) => {
    const event = requireEvent(tx, eventId);
    assertMayTakeAttendance(tx, actorPerson, event);
    const occurrence = requireOccurrence(tx, event, originalStart);
    const now = clock.now();
    if (occurrence.cancelled) throw conflict('cancelled', 'This occurrence was cancelled.');
    if (occurrence.start.getTime() > now.getTime()) throw conflict('not_started', 'Attendance can be taken once the occurrence has started.');
    const unique = new Map(marks.map((m) => [m.personId, m.status]));
    if (unique.size === 0) throw badRequest('Mark at least one person.');
    const ids = [...unique.keys()];
    const known = new Set(tx.select({ id: people.id }).from(people).where(inArray(people.id, ids)).all().map((p) => p.id));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) throw new AppError(400, 'invalid', `No person with id ${unknown.join(', ')}.`, unknown.map((id) => ({ path: 'marks', message: `No person with id ${id}.` })));
    if (unique.has(event.hostId)) throw new AppError(400, 'invalid', 'The host is not an attendee of their own event.', [{ path: 'marks', message: 'The host is not an attendee.' }]);
    const upsert = tx.$client.prepare(`
      INSERT INTO attendance (event_id, occurrence_start, person_id, status, marked_by_id, marked_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (event_id, occurrence_start, person_id) DO UPDATE SET status = excluded.status, marked_by_id = excluded.marked_by_id, marked_at = excluded.marked_at`);
    const confirm = tx.$client.prepare('UPDATE check_ins SET confirmed_at = ?, confirmed_by_id = ? WHERE event_id = ? AND occurrence_start = ? AND person_id = ? AND confirmed_at IS NULL');
    for (const [personId, status] of unique) {
      upsert.run(event.id, originalStart.getTime(), personId, status, actorPerson.id, now.getTime());
      if (status === 'attended') confirm.run(now.getTime(), actorPerson.id, event.id, originalStart.getTime(), personId);
    }
    recordAudit(tx, now, actor, 'attendance.mark', 'event', event.id, null, { occurrenceStart: originalStart.toISOString(), marks: [...unique].map(([personId, status]) => ({ personId, status })) });
    syncCompletions(tx, now, { personIds: ids });
    return { marked: unique.size, attended: [...unique.values()].filter((s) => s === 'attended').length };
  });
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
    const existing = tx.select().from(checkInCodes).where(and(eq(checkInCodes.eventId, eventId), eq(checkInCodes.occurrenceStart, originalStart))).get();
    if (existing) return existing;
    let code = newCode();
    // Codes are short so they can be read off a screen; keep live ones distinct.
    while (tx.select({ id: checkInCodes.id }).from(checkInCodes).where(and(eq(checkInCodes.code, code), gt(checkInCodes.expiresAt, now))).get()) code = newCode();
    const row = tx.insert(checkInCodes).values({ eventId, occurrenceStart: originalStart, code, createdById: actorPerson.id, createdAt: now, expiresAt }).returning().get();
    recordAudit(tx, now, actor, 'check_in.open', 'event', eventId, null, { occurrenceStart: originalStart.toISOString(), expiresAt: expiresAt.toISOString() });
    return row;
  });
}

export function checkInCodeOf(db: Db, eventId: number, originalStart: Date) {
  return db.select().from(checkInCodes).where(and(eq(checkInCodes.eventId, eventId), eq(checkInCodes.occurrenceStart, originalStart))).get() ?? null;
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
    if (!row) throw new AppError(400, 'invalid', 'This code is not valid (or check-in has closed). Check the code shown in the room.', [{ path: 'code', message: 'Unknown or expired code.' }]);
    const event = requireEvent(tx, row.eventId);
    const occurrence = requireOccurrence(tx, event, row.occurrenceStart);
    if (now.getTime() < occurrence.start.getTime() - CHECK_IN_OPENS_BEFORE_MS) throw conflict('too_early', 'Check-in opens 30 minutes before the session starts.');
    if (event.hostId === person.id) throw conflict('host', 'You host this session.');
    tx.insert(checkIns)
      .values({ eventId: event.id, occurrenceStart: row.occurrenceStart, personId: person.id, checkedInAt: now })
      .onConflictDoNothing()
      .run();
    recordAudit(tx, now, actor, 'check_in.create', 'event', event.id, null, { occurrenceStart: row.occurrenceStart.toISOString(), personId: person.id });
    return { event, occurrence };
  });
}

// ── forms and health ──

const optionalText = (max: number) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max).optional());

export const sessionFormSchema = z.object({
  topicId: z.coerce.number({ message: 'Choose a topic.' }).int().positive('Choose a topic.'),
  title: z.string().trim().min(1, 'Enter a title.').max(200),
  hostId: z.coerce.number({ message: 'Choose the host.' }).int().positive('Choose the host.'),
  start: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Enter a start like 2026-03-09T09:00.'),
  timeZone: zoneSchema,
  durationMinutes: z.coerce.number({ message: 'Enter the length in minutes.' }).int().min(5, 'At least 5 minutes.').max(720, 'At most 12 hours.'),
  seats: z.coerce.number({ message: 'Enter the number of seats.' }).int().min(1, 'At least one seat.').max(500, 'At most 500 seats.'),
  repeat: z.preprocess((v) => v || 'none', z.enum(['none', 'weekly', 'biweekly', 'monthly'])),
  count: z.preprocess((v) => (v === '' || v === undefined ? 4 : v), z.coerce.number().int().min(1, 'At least 1.').max(52, 'At most 52.')),
  location: optionalText(200),
  meetingUrl: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.url('Enter a full link (https://…).').max(500).optional()),
  description: z.preprocess((v) => v ?? '', z.string().trim().max(4000)),
  invite: z.preprocess((v) => v === 'yes' || v === true, z.boolean()),
});
export type SessionForm = z.infer<typeof sessionFormSchema>;

const REPEAT_RULES: Record<SessionForm['repeat'], string | null> = { none: null, weekly: 'FREQ=WEEKLY', biweekly: 'FREQ=WEEKLY;INTERVAL=2', monthly: 'FREQ=MONTHLY' };

export function sessionInputOf(form: SessionForm): TrainingSessionInput {
  const rule = REPEAT_RULES[form.repeat];
  return {
    topicId: form.topicId,
    title: form.title,
    description: form.description,
    hostId: form.hostId,
    startLocal: form.start,
    timeZone: form.timeZone,
    durationMinutes: form.durationMinutes,
    seats: form.seats,
    rrule: rule ? `${rule};COUNT=${form.count}` : null,
    location: form.location ?? null,
    meetingUrl: form.meetingUrl ?? null,
  };
}

/** Topics that open requirements need but no session offers in the next 90 days, with how many people wait. */
export function topicsWithoutUpcomingSessions(db: Db, now: Date): { topicId: number; name: string; needing: number }[] {
  const t = now.getTime();
  const needed = db.all<{ topicId: number; name: string; needing: number }>(sql`
    SELECT r.topic_id AS topicId, tt.name, count(DISTINCT rc.person_id) AS needing
    FROM requirement_completions rc
    JOIN program_requirements r ON r.id = rc.requirement_id
    JOIN training_topics tt ON tt.id = r.topic_id
    WHERE r.kind = 'training' AND rc.active = 1
      AND (rc.completed_at IS NULL OR rc.completed_at > ${t})
      AND rc.window_from <= ${t} AND (rc.window_until IS NULL OR rc.window_until > ${t})
    GROUP BY r.topic_id ORDER BY needing DESC, tt.name`);
  if (needed.length === 0) return [];
  const offered = new Set(upcomingSessions(db, now, { topicIds: needed.map((n) => n.topicId), days: 90 }).map((s) => s.topicId));
  return needed.filter((n) => !offered.has(n.topicId));
}
