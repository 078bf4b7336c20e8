/**
 * Training sessions: scheduling, the sessions list, booking, who needs a topic, occurrences by key,
 * the session form and topics without sessions.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { events, people, trainingSessions, trainingTopics } from '../../db/schema';
import type { Person } from '../context';
import { eqPlanned, preparedQueries, preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, badRequest, conflict, notFound } from '../lib/errors';
import { blankToUndefined, dateSchema, idSchema, zoneSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { addDaysToLocalDate, zonedLocalToUtc } from '../lib/time';
import type { Actor } from '../audit/audit';
import {
  createEvent,
  requireEvent,
  requireOccurrence,
  type EventOccurrence,
  type EventDetails,
  type EventRow,
  heldSince,
  claimSeat,
  invitePeople,
  type AnswerOutcome,
  occurrencesInWindow,
  placeKey,
  placeOf,
  placesAt,
  type PlaceRow,
  parseOccurrenceKey,
} from '../events';

const DAY_MS = 86_400_000;

/** A session is an event of kind `training` about one topic; deal and meeting-topic fields do not apply. */
type TrainingSessionInput = Omit<EventDetails, 'kind' | 'account' | 'opportunityStage' | 'topic'> & { topicId: number };

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
 * seats taken; `forPersonId` adds that person's answer; `hostId` keeps the sessions that person hosts.
 */
export function upcomingSessions(
  db: Db,
  now: Date,
  options: { topicIds?: readonly number[]; days?: number; forPersonId?: number; includePast?: boolean; hostId?: number } = {},
): SessionOccurrence[] {
  const days = options.days ?? 90;
  const from = options.includePast ? new Date(now.getTime() - days * DAY_MS) : now;
  return sessionOccurrences(db, from, new Date(now.getTime() + days * DAY_MS), options);
}

/**
 * Training events overlapping [from, to) (`topics`: a JSON array of topic ids, or null for all), with the place rule of
 * heldSince; `host`: only the events one person hosts, read through the host's index (what they host costs what it
 * shows, not every session in the company). Bound values are compared as `+?` (eqPlanned) so the statement keeps its
 * plan instead of being compiled again on every run.
 */
const sessionEventsQuery = preparedQueries((db: Db, shape: 'all' | 'host') =>
  db
    .select({ event: events, hostName: people.name, topicId: trainingTopics.id, topicName: trainingTopics.name })
    .from(events)
    .innerJoin(trainingSessions, eq(trainingSessions.eventId, events.id))
    .innerJoin(trainingTopics, eq(trainingTopics.id, trainingSessions.topicId))
    .innerJoin(people, eq(people.id, events.hostId))
    .where(
      sql`${shape === 'host' ? sql`${eqPlanned(events.hostId, sql.placeholder('host'))} AND ` : sql``}${events.kind} = 'training'
        AND ${heldSince(sql.placeholder('from'))}
        AND ${events.spanStart} < +${sql.placeholder('to')} AND (${events.spanEnd} IS NULL OR ${events.spanEnd} > +${sql.placeholder('from')})
        AND (${sql.placeholder('topics')} IS NULL OR ${trainingSessions.topicId} IN (SELECT value FROM json_each(${sql.placeholder('topics')})))`,
    )
    .orderBy(asc(events.spanStart))
    .prepare(),
);

/** Occurrences of training sessions overlapping [from, to), soonest first (see upcomingSessions). */
function sessionOccurrences(
  db: Db,
  from: Date,
  to: Date,
  options: { topicIds?: readonly number[]; forPersonId?: number; hostId?: number },
): SessionOccurrence[] {
  if (options.topicIds && options.topicIds.length === 0) return [];
  const rows = sessionEventsQuery(db, options.hostId === undefined ? 'all' : 'host').all({
    from: from.getTime(),
    to: to.getTime(),
    topics: options.topicIds ? JSON.stringify(options.topicIds) : null,
    host: options.hostId ?? null,
  });
  if (rows.length === 0) return [];
  const byEvent = occurrencesInWindow(
    db,
    rows.map((r) => r.event),
    from,
    to,
  );
  const mineAt =
    options.forPersonId === undefined
      ? new Map<string, PlaceRow[]>()
      : placesAt(
          db,
          rows.flatMap((r) => (byEvent.get(r.event.id) ?? []).map((o) => placeOf(r.event, o))),
          options.forPersonId,
        );
  const found: SessionOccurrence[] = [];
  for (const row of rows) {
    const event = { ...row.event, hostName: row.hostName };
    for (const { seatsTaken, ...occurrence } of byEvent.get(event.id) ?? []) {
      const place = placeOf(event, occurrence);
      const mine = mineAt.get(placeKey(place))?.[0];
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

// ── the sessions list: coming up and past, filtered and paged ──

export const SESSIONS_PAGE_SIZE = 25;
/** The longest period one list covers, so no request expands more than a year of sessions. */
const MAX_LIST_DAYS = 366;

const listDate = dateSchema.refine((v) => v >= '2000-01-01' && v <= '2100-12-31', 'Choose a date between 2000 and 2100.');
export const sessionsQuerySchema = z
  .object({
    when: z.preprocess(blankToUndefined, z.enum(['upcoming', 'past', 'dates'], { message: 'Choose coming up, past or between dates.' }).default('upcoming')),
    from: z.preprocess(blankToUndefined, listDate.optional()),
    to: z.preprocess(blankToUndefined, listDate.optional()),
    program: z.preprocess(blankToUndefined, idSchema.optional()),
    topic: z.preprocess(blankToUndefined, idSchema.optional()),
    page: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ message: 'Use a page number.' })
        .int('Use a page number.')
        .min(1, 'Use a page number.')
        .max(1000, 'Use a page number up to 1000.')
        .default(1),
    ),
  })
  .superRefine((q, ctx) => {
    if (q.when !== 'dates') return;
    if (!q.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'Choose the first day.' });
    if (!q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Choose the last day.' });
    if (q.from && q.to && q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The last day comes after the first.' });
    if (q.from && q.to && (Date.parse(q.to) - Date.parse(q.from)) / DAY_MS >= MAX_LIST_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `Choose at most ${MAX_LIST_DAYS} days.` });
  });
type SessionsQuery = z.infer<typeof sessionsQuerySchema>;

export type ListedSession = SessionOccurrence & { started: boolean; attended: number; noShows: number; walkIns: number };

/**
 * Training session occurrences for the sessions list: coming up (90 days, soonest first), past
 * (the last year, most recent first) or between two dates in `timeZone`, of one program's topics
 * or one topic, a page at a time, with what attendance recorded for those that started.
 */
export function listSessions(
  db: Db,
  now: Date,
  query: SessionsQuery,
  timeZone: string,
): { sessions: ListedSession[]; total: number; page: number; pageSize: number } {
  let from: Date;
  let to: Date;
  if (query.when === 'dates' && query.from && query.to) {
    from = zonedLocalToUtc(`${query.from}T00:00`, timeZone);
    to = zonedLocalToUtc(`${addDaysToLocalDate(query.to, 1)}T00:00`, timeZone);
  } else if (query.when === 'past') {
    from = new Date(now.getTime() - 365 * DAY_MS);
    to = now;
  } else {
    from = now;
    to = new Date(now.getTime() + 90 * DAY_MS);
  }
  let topicIds: number[] | undefined;
  if (query.program !== undefined) {
    topicIds = db
      .all<{ topicId: number }>(
        sql`SELECT DISTINCT topic_id AS topicId FROM program_requirements WHERE program_id = ${query.program} AND kind = 'training' AND topic_id IS NOT NULL`,
      )
      .map((r) => r.topicId);
    if (query.topic !== undefined) topicIds = topicIds.filter((id) => id === query.topic);
  } else if (query.topic !== undefined) topicIds = [query.topic];
  let found = sessionOccurrences(db, from, to, { topicIds });
  // Past: what started before now, most recent first.
  if (query.when === 'past') found = found.filter((s) => s.occurrence.start.getTime() <= now.getTime()).reverse();
  if (query.when === 'upcoming') found = found.filter((s) => s.occurrence.start.getTime() > now.getTime());
  const pageSize = SESSIONS_PAGE_SIZE;
  const page = Math.min(query.page, Math.max(1, Math.ceil(found.length / pageSize)));
  const shown = found.slice((page - 1) * pageSize, page * pageSize);
  const marks = attendanceCounts(
    db,
    shown.filter((s) => s.occurrence.start.getTime() <= now.getTime()).map((s) => s.event.id),
  );
  return {
    sessions: shown.map((s) => {
      const counted = marks.get(`${s.event.id}:${s.occurrence.originalStart.getTime()}`);
      return {
        ...s,
        started: s.occurrence.start.getTime() <= now.getTime(),
        attended: counted?.attended ?? 0,
        noShows: counted?.noShows ?? 0,
        walkIns: counted?.walkIns ?? 0,
      };
    }),
    total: found.length,
    page,
    pageSize,
  };
}

function attendanceCounts(db: Db, eventIds: number[]) {
  const counts = new Map<string, { attended: number; noShows: number; walkIns: number }>();
  if (eventIds.length === 0) return counts;
  const rows = db.all<{ eventId: number; start: number; attended: number; noShows: number; walkIns: number }>(sql`
    SELECT event_id AS eventId, occurrence_start AS start, sum(status = 'attended') AS attended, sum(status = 'no_show') AS noShows, sum(walk_in) AS walkIns
    FROM attendance WHERE event_id IN (SELECT value FROM json_each(${JSON.stringify([...new Set(eventIds)])}))
    GROUP BY event_id, occurrence_start`);
  for (const r of rows) counts.set(`${r.eventId}:${r.start}`, { attended: r.attended, noShows: r.noShows, walkIns: r.walkIns });
  return counts;
}

/** Active people whose current training requirement of this topic is still open. */
function peopleNeedingTopic(db: Db, now: Date, topicId: number): number[] {
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
  const occurrence = requireOccurrence(db, event, originalStart ?? event.spanStart);
  if (occurrence.cancelled) throw conflict('cancelled', 'This session was cancelled; invite people to a coming session instead.');
  if (occurrence.start.getTime() <= clock.now().getTime())
    throw conflict('started', 'This session has already started, so nobody can be invited to it any more; invite people to a coming session instead.');
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

// ── forms and health ──

const optionalText = (max: number) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max).optional());

export const sessionFormSchema = z.object({
  topicId: z.coerce.number({ message: 'Choose a topic.' }).int().positive('Choose a topic.'),
  title: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter a title.').max(200),
  hostId: z.coerce.number({ message: 'Choose the host.' }).int().positive('Choose the host.'),
  start: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Enter a start like 2026-03-09T09:00.'),
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
type SessionForm = z.infer<typeof sessionFormSchema>;

const REPEAT_RULES: Record<SessionForm['repeat'], string | null> = {
  none: null,
  weekly: 'FREQ=WEEKLY',
  biweekly: 'FREQ=WEEKLY;INTERVAL=2',
  monthly: 'FREQ=MONTHLY',
};

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

/**
 * How many people wait for a topic is counted up to this many and no further: a page says "more than 1,000", and
 * costs the same for a company of ten thousand as of a hundred thousand.
 */
const NEEDING_COUNTED = 1_000;

/** How many active people's current training requirement of a topic is open (peopleNeedingTopic's rule), up to NEEDING_COUNTED; `more` when more do. */
export function countPeopleNeedingTopic(db: Db, now: Date, topicId: number): { needing: number; more: boolean } {
  const n = uncoveredTopicQueries(db).needing.get({ now: now.getTime(), topic: topicId, limit: NEEDING_COUNTED + 1 })?.n ?? 0;
  return { needing: Math.min(n, NEEDING_COUNTED), more: n > NEEDING_COUNTED };
}

/** Topics that open requirements need but no session offers in the next 90 days, with how many people wait (counted up to NEEDING_COUNTED). */
export function topicsWithoutUpcomingSessions(db: Db, now: Date): { topicId: number; name: string; needing: number; more: boolean }[] {
  const queries = uncoveredTopicQueries(db);
  // The topics of training requirements are few: those a session covers need no count of who waits.
  const topics = queries.required.all();
  if (topics.length === 0) return [];
  const offered = new Set(upcomingSessions(db, now, { topicIds: topics.map((t) => t.topicId), days: 90 }).map((s) => s.topicId));
  return topics
    .filter((t) => !offered.has(t.topicId))
    .map((t) => ({ ...t, ...countPeopleNeedingTopic(db, now, t.topicId) }))
    .filter((t) => t.needing > 0)
    .sort((a, b) => b.needing - a.needing || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const uncoveredTopicQueries = preparedQuery((db) => ({
  required: db.$client.prepare<[], { topicId: number; name: string }>(
    "SELECT tt.id AS topicId, tt.name FROM training_topics tt WHERE tt.id IN (SELECT r.topic_id FROM program_requirements r WHERE r.kind = 'training')",
  ),
  // The first LIMIT people found are enough to say "more than NEEDING_COUNTED": the scan stops there. CROSS JOIN keeps
  // the topic's few requirements outside, so the scan reads their rows only, never the whole table in person order.
  needing: db.$client.prepare<{ now: number; topic: number; limit: number }, { n: number }>(`
    SELECT count(*) AS n FROM (
      SELECT DISTINCT rc.person_id
      FROM program_requirements r
      CROSS JOIN requirement_completions rc ON rc.requirement_id = r.id
      WHERE r.kind = 'training' AND r.topic_id = @topic AND rc.active = 1
        AND (rc.completed_at IS NULL OR rc.completed_at > @now)
        AND rc.window_from <= @now AND (rc.window_until IS NULL OR rc.window_until > @now)
      LIMIT @limit)`),
}));
