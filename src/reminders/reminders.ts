/**
 * Mails before and after occurrences: a reminder to everyone taking part (the host and people who
 * accepted) `reminderLeadMinutes` before each occurrence, and after a ride-along the request to
 * give feedback. Queued through the outbox with dedupe keys, so running the scheduler again — or
 * in two processes — never queues a mail twice; a reminder whose time passed while the service
 * was down still goes out as long as the occurrence has not started.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { events, feedback, people } from '../../db/schema';
import type { Person } from '../context';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { queuedMailKeys, queueMail } from '../outbox/outbox';
import {
  acceptedAt,
  type EventOccurrence,
  type EventRow,
  eventsOfPeople,
  eventsStartingIn,
  heldSince,
  occurrencesInWindow,
  placeKey,
  placeOf,
} from '../events';
import { rideAlongsEndedBetween } from '../feedback/feedback';
import { eventFacts, eventLink, formatSpan, MAIL_FOOTER } from './mail';
import { queueChangeNotices } from './notices';
import { readInChunks } from '../lib/chunks';

/** The longest reminder lead a person can choose (the account form allows 336 hours). */
const MAX_REMINDER_LEAD_MINUTES = 14 * 24 * 60;
/** Ride-alongs that ended this long ago or less still get their feedback request. */
const FEEDBACK_REQUEST_WINDOW_MS = 2 * 86_400_000;
/** Events read per piece of a pass: the requests of the job's process wait for each piece (a few ms). */
const EVENT_CHUNK = 50;
/**
 * Reminders queued in one write transaction at most (one occurrence with more guests is one transaction): every writer of
 * every server process waits while it holds the write lock, and a first pass after a start or a pause queues thousands
 * (8,469 for the scale company, 450 and about 0.3 s of the lock per chunk of events when it was one transaction a chunk).
 */
const MAILS_PER_WRITE = 50;

/** Runs of `items` with at most `limit` people in all (an item with more is a run of its own). */
function* byRecipients<T extends { personIds: number[] }>(items: T[], limit: number): Generator<T[], void> {
  let run: T[] = [];
  let people = 0;
  for (const item of items) {
    if (run.length > 0 && people + item.personIds.length > limit) {
      yield run;
      run = [];
      people = 0;
    }
    run.push(item);
    people += item.personIds.length;
  }
  if (run.length > 0) yield run;
}

/** `replyDomain`: where invitation mail points its reply address (replyDomainOf: INBOUND_DOMAIN or BASE_URL's host); null: the host is the organizer. */
type SchedulerOptions = { baseUrl: string; replyDomain?: string | null };

/** Key of the reminder for one person and occurrence at its current start: a moved occurrence is reminded again. */
const reminderKey = (personId: number, occurrence: Pick<EventOccurrence, 'key' | 'start'>) =>
  `reminder:${personId}:${occurrence.key}:${occurrence.start.getTime()}`;

/** Events with a span overlapping [from, to), held or called off lately; only `ids` among them when given. */
function candidateEvents(db: Db, from: Date, to: Date, onlySalesCalls: boolean, ids?: number[]): EventRow[] {
  const read = (chunk?: number[]) =>
    db
      .select()
      .from(events)
      .where(
        and(
          heldSince(from),
          sql`${events.spanStart} < ${to.getTime()}`,
          sql`(${events.spanEnd} IS NULL OR ${events.spanEnd} > ${from.getTime()})`,
          onlySalesCalls ? eq(events.kind, 'sales_call') : undefined,
          chunk ? inArray(events.id, chunk) : undefined,
        ),
      )
      .all();
  return ids ? readInChunks(ids, read) : read();
}

/** Past this many different leads, a pass reads every occurrence within the longest: a stretch per lead would read as much. */
const LEADS_READ_APART = 16;

const notes = preparedQuery((db) => ({
  any: db.$client.prepare<[], { one: number }>('SELECT 1 AS one FROM reminder_changes LIMIT 1'),
  read: db.$client.prepare<[], { kind: 'event' | 'person'; id: number }>('SELECT kind, id FROM reminder_changes'),
  remove: db.$client.prepare<[string, number]>('DELETE FROM reminder_changes WHERE kind = ? AND id = ?'),
  leads: db.$client.prepare<[], { lead: number }>('SELECT DISTINCT reminder_lead_minutes AS lead FROM people WHERE active = 1 AND reminder_lead_minutes > 0'),
}));

/**
 * What a pass reads: every occurrence within the longest lead (`since` null), or those whose reminder time some lead
 * reached after `since` (the previous pass) and every occurrence of the events that reminder_changes names, the events
 * of the people it names among them. Returns the events to read and which of their occurrences.
 */
function passScope(
  db: Db,
  now: Date,
  horizon: Date,
  since: number | null,
  read: { kind: 'event' | 'person'; id: number }[],
): { candidates: EventRow[]; reads: (eventId: number, start: number) => boolean } {
  const leads = since === null ? [] : notes(db).leads.all();
  if (since === null || leads.length > LEADS_READ_APART) return { candidates: candidateEvents(db, now, horizon, false), reads: () => true };
  const named = new Set([
    ...read.filter((note) => note.kind === 'event').map((note) => note.id),
    ...eventsOfPeople(
      db,
      read.filter((note) => note.kind === 'person').map((note) => note.id),
    ),
  ]);
  // A participant with lead L is due once the occurrence starts within L: those starting in (since + L, now + L] became due.
  const reached = leads.map(({ lead }): [number, number] => [since + lead * 60_000, now.getTime() + lead * 60_000]);
  const ids = [...new Set([...named, ...eventsStartingIn(db, reached)])];
  return {
    candidates: ids.length ? candidateEvents(db, now, horizon, false, ids) : [],
    reads: (eventId, start) => named.has(eventId) || reached.some(([lo, hi]) => start > lo && start <= hi),
  };
}

function loadPeople(db: Db, ids: Iterable<number>): Map<number, Person> {
  const unique = [...new Set(ids)];
  const found = readInChunks(unique, (chunk) => db.select().from(people).where(inArray(people.id, chunk)).all());
  return new Map(found.map((p) => [p.id, p]));
}

/**
 * Queues the reminders that are due: for every occurrence starting within the longest lead
 * anyone has chosen, each participant whose own lead has been reached gets one. Returns the
 * number of mails queued.
 */
export function queueDueReminders(db: Db, clock: Clock, options: SchedulerOptions): number {
  let queued = 0;
  for (const n of dueRemindersByChunk(db, clock, options)) queued += n;
  return queued;
}

/**
 * queueDueReminders after a pass that began at `since` (ms): only the occurrences whose reminder time a lead reached
 * since then, and those of the events and people reminder_changes names. Queues what a whole pass would.
 */
export function queueNewlyDueReminders(db: Db, clock: Clock, options: SchedulerOptions, since: number): number {
  let queued = 0;
  for (const n of dueRemindersByChunk(db, clock, options, since)) queued += n;
  return queued;
}

/**
 * queueDueReminders a chunk of EVENT_CHUNK events at a time: yields how many mails each chunk queued, so the job can
 * let requests in between (a pass over a day of a large company's occurrences is 140-180 ms of CPU, which it spent
 * every 30 s in one piece, holding up every request of its process).
 */
function* dueRemindersByChunk(db: Db, clock: Clock, options: SchedulerOptions, since: number | null = null): Generator<number, void> {
  const now = clock.now();
  const maxLead = Math.min(
    MAX_REMINDER_LEAD_MINUTES,
    db.get<{ lead: number | null }>(sql`SELECT max(reminder_lead_minutes) AS lead FROM people WHERE active = 1`)?.lead ?? 0,
  );
  // The notes are taken (read and removed at once) as the pass begins: one written while the pass runs is a row of its
  // own for the next pass, even for an event this pass has already read. A pass that fails is followed by a whole one.
  const noted = notes(db).any.get()
    ? writeTransaction(db, (tx) => {
        const taken = notes(tx).read.all();
        for (const note of taken) notes(tx).remove.run(note.kind, note.id);
        return taken;
      })
    : [];
  if (maxLead <= 0) return;
  const horizon = new Date(now.getTime() + maxLead * 60_000);
  const { candidates, reads } = passScope(db, now, new Date(horizon.getTime() + 60_000), since, noted);
  // Reading the events is a piece of its own.
  yield 0;
  for (let i = 0; i < candidates.length; i += EVENT_CHUNK) {
    const chunk = candidates.slice(i, i + EVENT_CHUNK);
    const _ids = chunk.map((e) => e.id);
    // The window is half-open; a minute more keeps an occurrence starting exactly at the horizon.
    const byEvent = occurrencesInWindow(db, chunk, now, new Date(horizon.getTime() + 60_000));
    const starting = chunk.flatMap((event) =>
      (byEvent.get(event.id) ?? [])
        .filter((o) => o.start > now && o.start <= horizon && reads(event.id, o.start.getTime()))
        .map((occurrence) => ({ event, occurrence })),
    );
    const accepted = acceptedAt(
      db,
      starting.map(({ event, occurrence }) => placeOf(event, occurrence)),
    );
    const participating = starting.map(({ event, occurrence }) => ({
      event,
      occurrence,
      personIds: [...new Set([event.hostId, ...(accepted.get(placeKey(placeOf(event, occurrence))) ?? [])])],
    }));
    const queuedBefore = queuedMailKeys(
      db,
      participating.flatMap(({ occurrence, personIds }) => personIds.map((personId) => reminderKey(personId, occurrence))),
    );
    const due: { event: EventRow; occurrence: EventOccurrence; personIds: number[] }[] = participating
      .map(({ event, occurrence, personIds }) => ({
        event,
        occurrence,
        personIds: personIds.filter((personId) => !queuedBefore.has(reminderKey(personId, occurrence))),
      }))
      .filter((d) => d.personIds.length > 0);
    if (due.length === 0) {
      yield 0;
      continue;
    }
    const found = loadPeople(
      db,
      due.flatMap((d) => [...d.personIds, d.event.hostId]),
    );
    for (const batch of byRecipients(due, MAILS_PER_WRITE))
      yield writeTransaction(db, (tx) => {
        let n = 0;
        for (const { event, occurrence, personIds } of batch) {
          const hostName = found.get(event.hostId)?.name ?? 'a colleague';
          for (const personId of personIds) {
            const person = found.get(personId);
            if (!person?.active || person.reminderLeadMinutes <= 0) continue;
            if (occurrence.start.getTime() - person.reminderLeadMinutes * 60_000 > now.getTime()) continue;
            const body = [
              `${event.hostId === person.id ? 'You host' : 'You are on'} "${event.title}".`,
              '',
              `When: ${formatSpan(occurrence.start, occurrence.end, person.timeZone)}`,
              ...eventFacts(event, hostName, person.timeZone),
              '',
              eventLink(options.baseUrl, event.id),
            ].join('\n');
            const queuedOne = queueMail(tx, clock, {
              to: person.email,
              toPersonId: person.id,
              subject: `Reminder: ${event.title}, ${formatSpan(occurrence.start, occurrence.end, person.timeZone)}`,
              body: body + MAIL_FOOTER,
              dedupeKey: reminderKey(person.id, occurrence),
            });
            if (queuedOne) n++;
          }
        }
        return n;
      });
  }
}

/** Asks the host and the marketers of each ride-along that ended recently for their feedback, once. */
function queueFeedbackRequests(db: Db, clock: Clock, options: SchedulerOptions): number {
  const now = clock.now();
  const from = new Date(now.getTime() - FEEDBACK_REQUEST_WINDOW_MS);
  const requestKey = (occurrence: EventOccurrence, personId: number) => `feedback-request:${occurrence.key}:${personId}`;
  const rides = rideAlongsEndedBetween(db, candidateEvents(db, from, now, true), from, now).map((ride) => ({
    event: ride.event,
    occurrence: ride.occurrence,
    personIds: [ride.hostId, ...ride.guestIds],
  }));
  const queuedBefore = queuedMailKeys(
    db,
    rides.flatMap(({ occurrence, personIds }) => personIds.map((personId) => requestKey(occurrence, personId))),
  );
  const requests = rides
    .map((ride) => ({ ...ride, personIds: ride.personIds.filter((personId) => !queuedBefore.has(requestKey(ride.occurrence, personId))) }))
    .filter((ride) => ride.personIds.length > 0);
  if (requests.length === 0) return 0;
  const found = loadPeople(
    db,
    requests.flatMap((r) => r.personIds),
  );
  return writeTransaction(db, (tx) => {
    let n = 0;
    for (const { event, occurrence, personIds } of requests) {
      const given = new Set(
        tx
          .select({ authorId: feedback.authorId })
          .from(feedback)
          .where(and(eq(feedback.eventId, event.id), eq(feedback.occurrenceStart, occurrence.originalStart)))
          .all()
          .map((f) => f.authorId),
      );
      for (const personId of personIds) {
        const person = found.get(personId);
        if (!person?.active || given.has(personId)) continue;
        const link = `${options.baseUrl}/feedback/new?occurrence=${encodeURIComponent(occurrence.key)}`;
        const queuedOne = queueMail(tx, clock, {
          to: person.email,
          toPersonId: person.id,
          subject: `How did it go? Feedback on ${event.title}`,
          body:
            [
              `"${event.title}" on ${formatSpan(occurrence.start, occurrence.end, person.timeZone)} is over.`,
              'Two minutes for marketing: which competitors came up, how it ended, which material helped and what marketing should change.',
              '',
              link,
            ].join('\n') + MAIL_FOOTER,
          dedupeKey: requestKey(occurrence, person.id),
        });
        if (queuedOne) n++;
      }
    }
    return n;
  });
}

/** A pass that reads every occurrence within the longest lead, whatever the notes say: once an hour. */
const WHOLE_PASS_EVERY_MS = 3_600_000;

type SchedulerRun = { notices: number; reminders: number; feedbackRequests: number };

/** One pass of everything the mail scheduler does. */
export function runMailScheduler(db: Db, clock: Clock, options: SchedulerOptions): SchedulerRun {
  return {
    notices: queueChangeNotices(db, clock, options),
    reminders: queueDueReminders(db, clock, options),
    feedbackRequests: queueFeedbackRequests(db, clock, options),
  };
}

/**
 * Runs the scheduler now and then every `intervalMs`, with or without SMTP (without it the mail
 * waits on the outbox page). Returns a function that stops it. It runs in a server process: what
 * runMailScheduler does, with the requests let in after each chunk of reminders, and never two
 * passes at once. After its first pass, a pass reads only what became due since the one before
 * (queueNewlyDueReminders), and every hour the whole stretch again.
 */
export function startMailScheduler(
  db: Db,
  clock: Clock,
  options: SchedulerOptions & { intervalMs: number },
  log: Pick<Console, 'error'> = console,
): () => void {
  let stopped = false;
  let running = false;
  // When the last pass that ran to its end began, and the last whole one: a whole pass on start and every hour besides.
  let since: number | null = null;
  let wholeAt = Number.NEGATIVE_INFINITY;
  const tick = async () => {
    if (stopped || running) return;
    running = true;
    try {
      queueChangeNotices(db, clock, options);
      const began = clock.now().getTime();
      const whole = since === null || began - wholeAt >= WHOLE_PASS_EVERY_MS;
      for (const _ of dueRemindersByChunk(db, clock, options, whole ? null : since)) {
        await new Promise((resolve) => setImmediate(resolve));
        if (stopped) return;
      }
      since = began;
      if (whole) wholeAt = began;
      queueFeedbackRequests(db, clock, options);
    } catch (err) {
      // The notes it took are gone: the next pass reads everything.
      since = null;
      log.error('mail scheduler: run failed, will retry', err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  setImmediate(tick);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
