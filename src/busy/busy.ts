/**
 * A person's own outside calendars (Google, Outlook) read by their private ICS addresses, kept as
 * busy intervals only, for conflict warnings. Adding and removing are the person's own doing; the
 * reading happens in the background job (one process), every 15 minutes and soon after adding.
 */
import { and, asc, count, eq, gt, lte, sql } from 'drizzle-orm';
import { busyCalendars, busyIntervals, people, type BusyCalendarError } from '../../db/schema';
import type { Db } from '../db';
import { plannedLimit, preparedQuery, writeTransaction } from '../db';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { z } from 'zod';
import { forbiddenLiteralHost } from './address-guard';
import { expandBusyIntervals, NotACalendarError } from './expand';
import { CalendarFetchError, fetchCalendar, type FetchOptions } from './fetch';

/** A few per person: each one costs a fetch every 15 minutes. */
export const MAX_BUSY_CALENDARS = 3;
const REFRESH_INTERVAL_MS = 15 * 60_000;
/** Even with 304 answers, the intervals are expanded afresh daily so the window moves on. */
const REEXPAND_AFTER_MS = 24 * 3_600_000;
/** Busy intervals cover from a day ago to as far ahead as occurrences are kept (13 months). */
const WINDOW_BACK_MS = 86_400_000;
const WINDOW_AHEAD_MS = 396 * 86_400_000;

type BusyCalendarRow = typeof busyCalendars.$inferSelect;
/** What pages show of a calendar: never the secret address itself. */
type BusyCalendarView = Omit<BusyCalendarRow, 'url' | 'etag' | 'lastModified'> & { maskedUrl: string; intervalCount: number };
export type BusyIntervalOf = { start: Date; end: Date; label: string };

/**
 * 'calendar.google.com/…c3d4': enough to tell calendars apart, not enough to read one. The four
 * characters end the secret part, not the file name after it ('basic.ics', 'calendar.ics').
 */
function maskCalendarAddress(address: string): string {
  try {
    const url = new URL(address);
    const path = url.pathname.replace(/\/[^/]*\.ics$/i, '');
    const tail = (path.length >= 8 ? path : url.pathname + url.search).replace(/\/+$/, '').slice(-4);
    return `${url.host}/…${tail}`;
  } catch {
    return '…';
  }
}

/** webcal:// (what "subscribe" links use) is https:// underneath. */
function normalizeCalendarAddress(raw: string): string {
  return raw.trim().replace(/^webcals?:\/\//i, 'https://');
}

export const busyCalendarInputSchema = z.object({
  label: z
    .string({ error: 'Give the calendar a name, such as Work Google.' })
    .trim()
    .min(1, 'Give the calendar a name, such as Work Google.')
    .max(60, 'Keep the name to 60 characters.')
    .refine(isSingleLine, SINGLE_LINE_MESSAGE),
  url: z
    .string({ error: 'Paste the private address of your calendar.' })
    .trim()
    .min(1, 'Paste the private address of your calendar.')
    .max(2048, 'This address is longer than 2,048 characters.')
    .transform(normalizeCalendarAddress)
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'Paste a whole address starting with https://, http:// or webcal://.' });
        return;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        ctx.addIssue({ code: 'custom', message: 'Use an address starting with https://, http:// or webcal://.' });
      else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'Use the address without a user name or password in it.' });
      else if (!url.hostname) ctx.addIssue({ code: 'custom', message: 'The address has no host name.' });
    }),
});
type BusyCalendarInput = z.output<typeof busyCalendarInputSchema>;

const calendarsOfPerson = preparedQuery((db) =>
  db
    .select()
    .from(busyCalendars)
    .where(eq(busyCalendars.personId, sql.placeholder('person')))
    .orderBy(asc(busyCalendars.id))
    .prepare(),
);

export function listBusyCalendars(db: Db, personId: number, now: Date): BusyCalendarView[] {
  const rows = calendarsOfPerson(db).all({ person: personId });
  return rows.map(({ url, etag: _etag, lastModified: _lastModified, ...row }) => ({
    ...row,
    maskedUrl: maskCalendarAddress(url),
    intervalCount: db
      .select({ n: count() })
      .from(busyIntervals)
      .where(and(eq(busyIntervals.calendarId, row.id), gt(busyIntervals.endAt, now)))
      .get()!.n,
  }));
}

/**
 * Why this address cannot be added for the person (a message for the address field), or null.
 * `allowPrivateHosts`: see ALLOW_PRIVATE_CALENDAR_HOSTS.
 */
export function busyCalendarProblem(db: Db, personId: number, input: BusyCalendarInput, allowPrivateHosts: boolean): string | null {
  const own = db.select({ url: busyCalendars.url }).from(busyCalendars).where(eq(busyCalendars.personId, personId)).all();
  if (own.length >= MAX_BUSY_CALENDARS) return `You already read ${MAX_BUSY_CALENDARS} calendars; remove one first.`;
  if (own.some((c) => c.url === input.url)) return 'You already added this calendar.';
  if (forbiddenLiteralHost(new URL(input.url), allowPrivateHosts))
    return 'This address leads into a private network; crosstrain only reads public calendar addresses.';
  return null;
}

export function addBusyCalendar(db: Db, clock: Clock, actor: Actor, personId: number, input: BusyCalendarInput, allowPrivateHosts = false): BusyCalendarRow {
  return writeTransaction(db, (tx) => {
    const problem = busyCalendarProblem(tx, personId, input, allowPrivateHosts);
    if (problem) throw new AppError(409, 'conflict', problem, [{ path: 'url', message: problem }]);
    const now = clock.now();
    // Due at once: the background job reads it on its next round (within seconds).
    const row = tx.insert(busyCalendars).values({ personId, label: input.label, url: input.url, createdAt: now, nextFetchAt: now }).returning().get();
    recordAudit(tx, now, actor, 'busy_calendar.add', 'busy_calendar', row.id, null, { personId, label: row.label, address: maskCalendarAddress(row.url) });
    return row;
  });
}

function ownCalendar(db: Db, personId: number, id: number): BusyCalendarRow {
  const row = db
    .select()
    .from(busyCalendars)
    .where(and(eq(busyCalendars.id, id), eq(busyCalendars.personId, personId)))
    .get();
  // Someone else's calendar answers exactly like one that does not exist.
  if (!row) throw new AppError(404, 'not_found', 'No such calendar of yours.');
  return row;
}

export function removeBusyCalendar(db: Db, clock: Clock, actor: Actor, personId: number, id: number): BusyCalendarRow {
  return writeTransaction(db, (tx) => {
    const row = ownCalendar(tx, personId, id);
    tx.delete(busyCalendars).where(eq(busyCalendars.id, id)).run();
    recordAudit(
      tx,
      clock.now(),
      actor,
      'busy_calendar.remove',
      'busy_calendar',
      id,
      { personId, label: row.label, address: maskCalendarAddress(row.url) },
      null,
    );
    return row;
  });
}

/** "Read it again now": due at the job's next round, and read in full (no conditional GET). */
export function requestBusyRefresh(db: Db, clock: Clock, personId: number, id: number): BusyCalendarRow {
  return writeTransaction(db, (tx) => {
    const row = ownCalendar(tx, personId, id);
    tx.update(busyCalendars).set({ nextFetchAt: clock.now(), expandedAt: null }).where(eq(busyCalendars.id, id)).run();
    return row;
  });
}

/** The person's busy intervals overlapping [from, to), with the label of their calendar. */
const busyBetweenQuery = preparedQuery((db) =>
  db
    .select({ start: busyIntervals.startAt, end: busyIntervals.endAt, label: busyCalendars.label })
    .from(busyIntervals)
    .innerJoin(busyCalendars, eq(busyCalendars.id, busyIntervals.calendarId))
    // `= +@value` keeps the plan instead of compiling it again for each person and window (see eqPlanned).
    .where(
      sql`${busyIntervals.personId} = +${sql.placeholder('person')} AND ${busyIntervals.startAt} < +${sql.placeholder('to')} AND ${busyIntervals.endAt} > +${sql.placeholder('from')}`,
    )
    .orderBy(asc(busyIntervals.startAt))
    .limit(plannedLimit(1000))
    .prepare(),
);

export function busyIntervalsBetween(db: Db, personId: number, from: Date, to: Date): BusyIntervalOf[] {
  return busyBetweenQuery(db).all({ person: personId, from: from.getTime(), to: to.getTime() });
}

type RefreshOptions = Pick<FetchOptions, 'allowPrivateHosts' | 'timeoutMs' | 'maxBytes'> & { log?: (line: string) => void };
type RefreshOutcome =
  | { status: 'updated'; intervals: number }
  | { status: 'not_modified' }
  | { status: 'failed'; error: BusyCalendarError; message: string }
  | { status: 'gone' };

const defaultLog = (line: string) => console.warn(line);

/**
 * Reads one calendar and replaces its intervals; a 304 keeps them. A failure is recorded on the
 * calendar (shown on the account page) and logged by host only — the address is a secret.
 */
export async function refreshBusyCalendar(db: Db, clock: Clock, calendarId: number, options: RefreshOptions = {}): Promise<RefreshOutcome> {
  const calendar = db.select().from(busyCalendars).where(eq(busyCalendars.id, calendarId)).get();
  if (!calendar) return { status: 'gone' };
  const person = db
    .select({ timeZone: people.timeZone, email: people.email, active: people.active })
    .from(people)
    .where(eq(people.id, calendar.personId))
    .get();
  if (!person) return { status: 'gone' };
  if (!person.active) {
    // Nobody to warn: no reads for a deactivated person (looked at again daily, in case they return).
    db.update(busyCalendars)
      .set({ nextFetchAt: new Date(clock.now().getTime() + REEXPAND_AFTER_MS) })
      .where(eq(busyCalendars.id, calendarId))
      .run();
    return { status: 'gone' };
  }
  const started = clock.now();
  const conditional = calendar.expandedAt !== null && started.getTime() - calendar.expandedAt.getTime() < REEXPAND_AFTER_MS;
  let outcome: RefreshOutcome;
  let fetched: Awaited<ReturnType<typeof fetchCalendar>> | null = null;
  let intervals: ReturnType<typeof expandBusyIntervals>['intervals'] = [];
  try {
    fetched = await fetchCalendar(calendar.url, {
      ...options,
      etag: conditional ? calendar.etag : null,
      lastModified: conditional ? calendar.lastModified : null,
    });
    if (fetched.status === 'ok') {
      const expansion = expandBusyIntervals(fetched.body, {
        timeZone: person.timeZone,
        from: new Date(started.getTime() - WINDOW_BACK_MS),
        to: new Date(started.getTime() + WINDOW_AHEAD_MS),
        ownEmails: [person.email],
      });
      intervals = expansion.intervals;
      outcome = { status: 'updated', intervals: intervals.length };
    } else outcome = { status: 'not_modified' };
  } catch (err) {
    const error: BusyCalendarError = err instanceof CalendarFetchError ? err.code : err instanceof NotACalendarError ? 'not_calendar' : 'network';
    const message = err instanceof Error ? err.message : 'The calendar could not be read.';
    outcome = { status: 'failed', error, message };
    if (!(err instanceof CalendarFetchError) && !(err instanceof NotACalendarError)) console.error(`busy calendar ${calendarId}:`, err);
    (options.log ?? defaultLog)(`busy calendar ${calendarId} (${maskCalendarAddress(calendar.url)}): ${error}: ${message}`);
  }
  const finished = clock.now();
  writeTransaction(db, (tx) => {
    // Removed while it was being read: nothing to keep.
    if (!tx.select({ id: busyCalendars.id }).from(busyCalendars).where(eq(busyCalendars.id, calendarId)).get()) return;
    const next = new Date(finished.getTime() + REFRESH_INTERVAL_MS);
    if (outcome.status === 'failed') {
      // The last good intervals stay in use until the calendar can be read again.
      tx.update(busyCalendars)
        .set({ lastAttemptAt: finished, lastError: outcome.error, lastErrorMessage: outcome.message.slice(0, 500), nextFetchAt: next })
        .where(eq(busyCalendars.id, calendarId))
        .run();
      return;
    }
    if (fetched?.status === 'ok') {
      tx.delete(busyIntervals).where(eq(busyIntervals.calendarId, calendarId)).run();
      for (let i = 0; i < intervals.length; i += 200) {
        tx.insert(busyIntervals)
          .values(intervals.slice(i, i + 200).map((s) => ({ calendarId, personId: calendar.personId, startAt: s.start, endAt: s.end })))
          .run();
      }
    }
    tx.update(busyCalendars)
      .set({
        lastAttemptAt: finished,
        lastSuccessAt: finished,
        lastError: null,
        lastErrorMessage: null,
        nextFetchAt: next,
        ...(fetched?.status === 'ok' ? { etag: fetched.etag, lastModified: fetched.lastModified, expandedAt: finished } : {}),
      })
      .where(eq(busyCalendars.id, calendarId))
      .run();
  });
  return outcome;
}

/** Reads every calendar that is due, a few at a time. */
export async function refreshDueBusyCalendars(db: Db, clock: Clock, options: RefreshOptions & { batch?: number } = {}): Promise<number> {
  const due = db
    .select({ id: busyCalendars.id })
    .from(busyCalendars)
    .where(lte(busyCalendars.nextFetchAt, clock.now()))
    .orderBy(asc(busyCalendars.nextFetchAt))
    .limit(options.batch ?? 20)
    .all();
  const queue = [...due];
  // Two at a time: a slow calendar does not hold up the others, and the job stays light.
  await Promise.all(
    [0, 1].map(async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await refreshBusyCalendar(db, clock, next.id, options);
    }),
  );
  return due.length;
}

/** The background job: looks for due calendars every `pollMs` (run in exactly one process). */
export function startBusyCalendarJob(db: Db, clock: Clock, options: RefreshOptions & { pollMs?: number } = {}): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    refreshDueBusyCalendars(db, clock, options)
      .catch((err: unknown) => console.error('busy calendars:', err instanceof Error ? err.message : err))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(run, options.pollMs ?? 15_000);
  timer.unref();
  const first = setTimeout(run, 1000);
  first.unref();
  return () => {
    clearInterval(timer);
    clearTimeout(first);
  };
}
