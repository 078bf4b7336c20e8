/**
 * Invitation and change mails, read from the audit log.
 *
 * Every change to events and invitations — from a page, the API or an import — writes an audit
 * entry in its own transaction. The scheduler reads the entries after its cursor and queues one
 * mail per entry and recipient (the dedupe key names both), moving the cursor in the same
 * transaction: a crash between the two can neither lose a mail nor queue it twice. Cancellations
 * are mailed by the events feature itself when they happen.
 */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { auditLog, events, invitations, notificationCursors, people } from '../../db/schema';
import type { Person } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { formatLocalDate } from '../lib/time';
import { RecurrenceError, firstStartOf, requireOccurrence, type EventRow, placesAtOccurrence, invitationRowsOf } from '../events';
import { queueMail } from '../outbox/outbox';
import { eventFacts, eventLink, formatSpan, formatWhen, MAIL_FOOTER } from './mail';
import { invitationMailCalendar } from '../calendar/imip';
import type { MailCalendar } from '../lib/mail';

const CURSOR = 'event-notices';
const BATCH = 200;
/** On the very first run, entries of the last day are still mailed; older history is not. */
const FIRST_RUN_LOOKBACK_MS = 86_400_000;
/** Fields whose change people on the event must hear about. */
const NOTICED_FIELDS = ['title', 'startLocal', 'timeZone', 'durationMinutes', 'rrule', 'location', 'meetingUrl', 'account', 'topic'] as const;

type AuditRow = typeof auditLog.$inferSelect;

function readCursor(tx: Db, now: Date): number {
  const row = tx.select().from(notificationCursors).where(eq(notificationCursors.name, CURSOR)).get();
  if (row) return row.lastAuditId;
  const before = tx.get<{ id: number | null }>(sql`SELECT max(id) AS id FROM audit_log WHERE at <= ${now.getTime() - FIRST_RUN_LOOKBACK_MS}`);
  return before?.id ?? 0;
}

function writeCursor(tx: Db, now: Date, lastAuditId: number) {
  tx.insert(notificationCursors)
    .values({ name: CURSOR, lastAuditId, updatedAt: now })
    .onConflictDoUpdate({ target: notificationCursors.name, set: { lastAuditId, updatedAt: now } })
    .run();
}

function peopleById(tx: Db, ids: number[]): Map<number, Person> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  return new Map(
    tx
      .select()
      .from(people)
      .where(inArray(people.id, unique))
      .all()
      .map((p) => [p.id, p]),
  );
}

/** People with a live place (invited, accepted, tentative) on the event, or at one occurrence of it. */
function placeHolders(tx: Db, event: EventRow, originalStart: Date | null): number[] {
  // The whole event: everyone with any row on it; one occurrence: the rows that apply there.
  const applying = originalStart === null ? invitationRowsOf(tx, event.id) : placesAtOccurrence(tx, event, { originalStart, start: originalStart });
  return [...new Set(applying.filter((r) => r.status === 'accepted' || r.status === 'tentative' || r.status === 'invited').map((r) => r.personId))];
}

const asDate = (value: unknown): Date | null => {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
};

type Notice = { to: Person; subject: string; body: string; key: string; calendar: MailCalendar | null };
type NoticeOptions = { baseUrl: string; replyDomain?: string | null };

function noticesFor(tx: Db, entry: AuditRow, now: Date, options: NoticeOptions): Notice[] {
  const baseUrl = options.baseUrl;
  const id = Number(entry.entityId);
  if (!Number.isInteger(id)) return [];

  if (entry.action === 'invitation.create') {
    const invitation = tx.select().from(invitations).where(eq(invitations.id, id)).get();
    // Answered in the meantime, or a claim waiting for approval: nothing to invite to.
    if (invitation?.status !== 'invited' || invitation.approvalStatus !== null || invitation.personId === entry.actorId) return [];
    const event = tx.select().from(events).where(eq(events.id, invitation.eventId)).get();
    if (event?.status !== 'scheduled') return [];
    const found = peopleById(tx, [invitation.personId, event.hostId]);
    const invitee = found.get(invitation.personId);
    if (!invitee?.active) return [];
    const hostName = found.get(event.hostId)?.name ?? 'a colleague';
    let when: string;
    if (invitation.occurrenceStart) {
      const occurrence = requireOccurrence(tx, event, invitation.occurrenceStart);
      if (occurrence.cancelled || occurrence.end <= now) return [];
      when = formatSpan(occurrence.start, occurrence.end, invitee.timeZone);
    } else {
      if (event.spanEnd && event.spanEnd <= now) return [];
      const start = firstStartOf(event);
      when = `${event.rrule ? 'From ' : ''}${formatSpan(start, new Date(start.getTime() + event.durationMinutes * 60_000), invitee.timeZone)}`;
    }
    const scope = invitation.occurrenceStart && event.rrule ? 'this occurrence of ' : event.rrule ? 'the series ' : '';
    return [
      {
        to: invitee,
        subject: `Invitation: ${event.title}`,
        body:
          [
            `${hostName} invites you to ${scope}"${event.title}".`,
            '',
            `When: ${when}`,
            ...eventFacts(event, hostName, invitee.timeZone),
            '',
            `Accept, decline or answer tentatively: ${eventLink(baseUrl, event.id)}`,
          ].join('\n') + MAIL_FOOTER,
        key: `invitation:${invitation.id}:${entry.id}`,
        calendar: invitationMailCalendar(tx, event, invitee.id, 'REQUEST', { ...options, now }),
      },
    ];
  }

  if (entry.action !== 'event.update' && entry.action !== 'occurrence.move' && entry.action !== 'occurrence.restore' && entry.action !== 'event.split')
    return [];
  const event = tx.select().from(events).where(eq(events.id, id)).get();
  if (event?.status !== 'scheduled') return [];
  const before = (entry.before ?? {}) as Record<string, unknown>;
  const after = (entry.after ?? {}) as Record<string, unknown>;

  let recipients: number[];
  let subject: string;
  let lead: (reader: Person) => string[];
  if (entry.action === 'event.update') {
    const changed = NOTICED_FIELDS.filter((f) => (before[f] ?? null) !== (after[f] ?? null));
    if (changed.length === 0) return [];
    if (event.spanEnd && event.spanEnd <= now) return [];
    recipients = placeHolders(tx, event, null);
    subject = `Changed: ${event.title}`;
    const start = firstStartOf(event);
    lead = (reader) => [
      `"${event.title}" has changed (${changed
        .map((f) =>
          f
            .replace(/Local$/, '')
            .replace(/([A-Z])/g, ' $1')
            .toLowerCase(),
        )
        .join(', ')}).`,
      '',
      `${event.rrule ? 'From' : 'When'}: ${formatSpan(start, new Date(start.getTime() + event.durationMinutes * 60_000), reader.timeZone)}`,
    ];
  } else if (entry.action === 'event.split') {
    const tailId = Number(after.tailEventId);
    const tail = after.tailEventId != null && Number.isInteger(tailId) ? tx.select().from(events).where(eq(events.id, tailId)).get() : undefined;
    // A re-timed series whose new times have nothing ahead ends where it is (no tail).
    const splitAt = asDate(after.splitAt);
    if (tail ? tail.status !== 'scheduled' : !splitAt) return [];
    const tailStart = tail ? firstStartOf(tail) : null;
    // The earlier part keeps the series' UID with a new RRULE (UNTIL) and SEQUENCE: without its own
    // REQUEST, mail programs would run the old series on beside the new one. A series that had
    // already ended keeps its rule and needs none.
    // Only whole-series places follow the series; one earlier occurrence someone joined is unchanged.
    const headReaders =
      (after.rrule ?? null) === (before.rrule ?? null)
        ? []
        : [
            ...new Set(
              invitationRowsOf(tx, event.id)
                .filter((r) => r.occurrenceStart === null && (r.status === 'accepted' || r.status === 'tentative' || r.status === 'invited'))
                .map((r) => r.personId),
            ),
          ];
    const endsBefore = tailStart ?? splitAt!;
    const head = buildNotices(
      tx,
      event,
      headReaders,
      entry,
      `Series ends before ${tail ? tail.startLocal.slice(0, 10) : formatLocalDate(endsBefore, event.timeZone)}: ${event.title}`,
      (reader) => [
        tail
          ? `"${event.title}" as it was ends before ${formatWhen(endsBefore, reader.timeZone)}; from then on the changed series takes over (in a mail of its own).`
          : `"${event.title}" ends before ${formatWhen(endsBefore, reader.timeZone)}: its new times have no occurrence ahead. The occurrences that took place stay as they were.`,
      ],
      options,
      now,
      'event.split-head',
    );
    if (!tail || !tailStart) return head;
    recipients = placeHolders(tx, tail, null);
    subject = `Changed from ${tail.startLocal.slice(0, 10)} on: ${tail.title}`;
    lead = (reader) => [
      `"${event.title}" changes from ${formatWhen(tailStart, reader.timeZone)} on; the earlier occurrences stay as they were.`,
      '',
      `From: ${formatSpan(tailStart, new Date(tailStart.getTime() + tail.durationMinutes * 60_000), reader.timeZone)}`,
    ];
    return [...head, ...(recipients.length ? buildNotices(tx, tail, recipients, entry, subject, lead, options, now) : [])];
  } else {
    const originalStart = asDate(before.originalStart);
    if (!originalStart) return [];
    const occurrence = requireOccurrence(tx, event, originalStart);
    if (occurrence.cancelled || occurrence.end <= now) return [];
    recipients = placeHolders(tx, event, originalStart);
    const moved = entry.action === 'occurrence.move';
    subject = `${moved ? 'Moved' : 'Back on'}: ${event.title}`;
    lead = (reader) => [
      moved
        ? `The occurrence of "${event.title}" on ${formatWhen(originalStart, reader.timeZone)} has moved.`
        : `The occurrence of "${event.title}" on ${formatWhen(occurrence.start, reader.timeZone)} takes place again as planned.`,
      '',
      `When: ${formatSpan(occurrence.start, occurrence.end, reader.timeZone)}`,
    ];
  }
  return buildNotices(tx, event, recipients, entry, subject, lead, options, now);
}

/**
 * An entry whose event or occurrence is gone by now (deleted, split away) has nobody left to tell;
 * it must not stop the entries after it.
 */
function safeNoticesFor(tx: Db, entry: AuditRow, now: Date, options: NoticeOptions): Notice[] {
  try {
    return noticesFor(tx, entry, now, options);
  } catch (err) {
    if ((err instanceof AppError && err.status === 404) || err instanceof RecurrenceError) return [];
    throw err;
  }
}

function buildNotices(
  tx: Db,
  event: EventRow,
  recipients: number[],
  entry: AuditRow,
  subject: string,
  lead: (reader: Person) => string[],
  options: NoticeOptions,
  now: Date,
  keyPrefix = entry.action,
): Notice[] {
  const baseUrl = options.baseUrl;
  const found = peopleById(tx, [...recipients, event.hostId]);
  const hostName = found.get(event.hostId)?.name ?? 'a colleague';
  return recipients
    .filter((personId) => personId !== entry.actorId)
    .map((personId) => found.get(personId))
    .filter((p): p is Person => !!p?.active)
    .map((reader) => ({
      to: reader,
      subject,
      body: [...lead(reader), ...eventFacts(event, hostName, reader.timeZone), '', eventLink(baseUrl, event.id)].join('\n') + MAIL_FOOTER,
      key: `${keyPrefix}:${entry.id}:${reader.id}`,
      calendar: invitationMailCalendar(tx, event, reader.id, 'REQUEST', { ...options, now }),
    }));
}

/**
 * Queues invitation and change mails for audit entries written since the last run. Returns how
 * many mails were queued. Safe to call from several processes: each batch moves the cursor in
 * the transaction that queues its mails.
 */
export function queueChangeNotices(db: Db, clock: Clock, options: NoticeOptions): number {
  let queued = 0;
  for (;;) {
    const done = writeTransaction(db, (tx) => {
      const now = clock.now();
      const cursor = readCursor(tx, now);
      const batch = tx
        .select()
        .from(auditLog)
        .where(and(gt(auditLog.id, cursor), inArray(auditLog.entityType, ['event', 'invitation'])))
        .orderBy(asc(auditLog.id))
        .limit(BATCH)
        .all();
      const last = tx.get<{ id: number | null }>(sql`SELECT max(id) AS id FROM audit_log`)?.id ?? cursor;
      for (const entry of batch) {
        for (const notice of safeNoticesFor(tx, entry, now, options)) {
          if (
            queueMail(tx, clock, {
              to: notice.to.email,
              toPersonId: notice.to.id,
              subject: notice.subject,
              body: notice.body,
              dedupeKey: notice.key,
              calendar: notice.calendar,
            })
          )
            queued++;
        }
      }
      // Entries of other kinds between the ones read are skipped with them.
      writeCursor(tx, now, batch.length === BATCH ? batch[batch.length - 1]!.id : Math.max(cursor, last));
      return batch.length < BATCH;
    });
    if (done) return queued;
  }
}
