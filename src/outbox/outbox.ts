import { and, asc, count, desc, eq, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema';
import { plannedLimit, preparedPerShape, preparedQueries, preparedQuery, writeShape, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import type { MailCalendar, Mailer } from '../lib/mail';

export type OutboxMessage = typeof outbox.$inferSelect;

type NewMail = {
  to: string;
  toPersonId?: number | null;
  subject: string;
  body: string;
  /** Messages with the same key are queued once, however often this is called. */
  dedupeKey?: string;
  sendAfter?: Date;
  /** iMIP part: the same event (UID, SEQUENCE) the calendar feed carries, as REQUEST or CANCEL. */
  calendar?: MailCalendar | null;
};

const LOCK_MS = 5 * 60_000;
const MAX_ATTEMPTS = 12;

const queuedKeysQuery = preparedQuery((db) =>
  db.$client.prepare<[string], { key: string }>('SELECT dedupe_key AS key FROM outbox WHERE dedupe_key IN (SELECT value FROM json_each(?))'),
);

/**
 * Which of these dedupe keys are queued already (one indexed read): a job that looks again at what
 * may be due skips those before writing their mail, instead of building each one to have it refused.
 */
export function queuedMailKeys(db: Db, keys: string[]): Set<string> {
  if (keys.length === 0) return new Set();
  return new Set(
    queuedKeysQuery(db)
      .all(JSON.stringify(keys))
      .map((row) => row.key),
  );
}

/** Queues mail in the caller's transaction; returns false when a message with the same dedupe key exists. */
export function queueMail(db: Db, clock: Clock, mail: NewMail): boolean {
  const now = clock.now();
  const shape = writeShape({
    toEmail: mail.to,
    toPersonId: mail.toPersonId ?? null,
    subject: mail.subject,
    body: mail.body,
    dedupeKey: mail.dedupeKey ?? null,
    createdAt: now,
    sendAfter: mail.sendAfter ?? now,
    calendarMethod: mail.calendar?.method ?? null,
    calendar: mail.calendar?.content ?? null,
  });
  return insertMail(db, shape).run(shape.params).changes > 0;
}

// Jobs and bulk actions queue thousands at a time: one statement per set of columns, not an insert built per message.
const insertMail = preparedPerShape((db, columns) =>
  db
    .insert(outbox)
    .values(columns as unknown as typeof outbox.$inferInsert)
    .onConflictDoNothing()
    .prepare(),
);

/** Minutes to wait before the next try: 1, 2, 4 … capped at an hour. */
const retryDelayMs = (attempts: number) => Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;

/**
 * Sends due messages. Each message is locked before it is handed to SMTP, so two workers (or a
 * restarted one) never send it twice; a failure unlocks it with a later send time.
 */
export async function deliverDueMail(db: Db, clock: Clock, mailer: Mailer, batchSize = 50): Promise<{ sent: number; failed: number }> {
  const now = clock.now();
  const claimed = writeTransaction(db, (tx) => {
    const due = tx
      .select()
      .from(outbox)
      .where(
        and(
          isNull(outbox.sentAt),
          lte(outbox.sendAfter, now),
          sql`${outbox.attempts} < ${MAX_ATTEMPTS}`,
          or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now)),
        ),
      )
      .orderBy(asc(outbox.sendAfter), asc(outbox.id))
      .limit(batchSize)
      .all();
    for (const m of due)
      tx.update(outbox)
        .set({ lockedUntil: new Date(now.getTime() + LOCK_MS) })
        .where(eq(outbox.id, m.id))
        .run();
    return due;
  });
  let sent = 0;
  let failed = 0;
  for (const message of claimed) {
    try {
      const calendar = message.calendarMethod && message.calendar ? { method: message.calendarMethod, content: message.calendar } : undefined;
      await mailer.send({
        to: message.toEmail,
        subject: message.subject,
        text: message.body,
        messageId: `<outbox-${message.id}@crosstrain>`,
        ...(calendar ? { calendar } : {}),
      });
      db.update(outbox).set({ sentAt: clock.now(), lockedUntil: null, lastError: null }).where(eq(outbox.id, message.id)).run();
      sent++;
    } catch (err) {
      const attempts = message.attempts + 1;
      db.update(outbox)
        .set({
          attempts,
          lastError: err instanceof Error ? err.message.slice(0, 500) : String(err),
          lockedUntil: null,
          sendAfter: new Date(clock.now().getTime() + retryDelayMs(attempts)),
        })
        .where(eq(outbox.id, message.id))
        .run();
      failed++;
    }
  }
  return { sent, failed };
}

type OutboxFilter = { status?: 'pending' | 'sent' | 'failed'; page: number; pageSize: number };

const outboxWhere = (status: OutboxFilter['status'] | 'all') =>
  status === 'sent'
    ? isNotNull(outbox.sentAt)
    : status === 'failed'
      ? and(isNull(outbox.sentAt), sql`${outbox.attempts} > 0`)
      : status === 'pending'
        ? isNull(outbox.sentAt)
        : undefined;

/** The outbox list and its count, one statement each per status filter and database. */
const outboxQueries = preparedQueries((db: Db, status: NonNullable<OutboxFilter['status']> | 'all') => ({
  rows: db
    .select()
    .from(outbox)
    .where(outboxWhere(status))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(plannedLimit('limit'))
    .offset(plannedLimit('offset'))
    .prepare(),
  total: db.select({ total: count() }).from(outbox).where(outboxWhere(status)).prepare(),
}));

export function listOutbox(db: Db, filter: OutboxFilter) {
  const queries = outboxQueries(db, filter.status ?? 'all');
  const rows = queries.rows.all({ limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize });
  const [{ total }] = queries.total.all();
  return { rows, total };
}

/** Starts a background loop that delivers due mail; returns a function that stops it. */
export function startOutboxWorker(db: Db, clock: Clock, mailer: Mailer, intervalMs: number, log = console): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const { failed } = await deliverDueMail(db, clock, mailer);
      if (failed) log.warn(`outbox: ${failed} message(s) failed, will retry`);
    } catch (err) {
      log.error('outbox: delivery loop failed', err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
