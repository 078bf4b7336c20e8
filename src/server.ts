import cluster from 'node:cluster';
import { forkWorkers } from './cluster';
import { serve } from '@hono/node-server';
import { and, count, eq, isNotNull, lte } from 'drizzle-orm';
import { people } from '../db/schema';
import { createApp } from './app';
import { withPageCache } from './page-cache';
import { loadConfig, type AppSettings, type Config } from './config';
import { leaveCheckpointsToCheckpointer, openDatabase, startWalCheckpointer, writeTransaction, type Db } from './db';
import { startOccurrenceHorizonJob } from './events';
import { startEnrollmentRulesJob } from './programs/enrollment';
import { startCompletionCyclesJob } from './programs/tracking';
import { startRotationStatusJob } from './rotations';
import { startRoundMailJob } from './surveys/surveys';
import { systemClock, type Clock } from './lib/clock';
import { hashPassword, generatePassword } from './auth/password';
import { createPerson } from './people/people';
import { companyDefaultTimeZone, seedDefaultTimeZone } from './people/settings';
import { systemActor } from './audit/audit';
import { ONE_TIME_PASSWORD_HOURS, pruneExpiredSessions } from './auth/auth';
import { pruneSignInThrottle } from './auth/throttle';
import { smtpMailer } from './outbox/mailer';
import { startOutboxWorker } from './outbox/outbox';
import { startMailScheduler } from './reminders/reminders';
import { startInboundSmtp } from './inbound/smtp';
import { replyDomainOf } from './lib/reply-domain';
import { startBusyCalendarJob } from './busy';

function printOneTimePassword(heading: string, email: string, password: string) {
  console.log(`\n${heading}`);
  console.log(`  email:              ${email}`);
  console.log(`  one-time password:  ${password}`);
  console.log(`  It works for ${ONE_TIME_PASSWORD_HOURS} hours and must be changed at first sign-in; restart the service for a new one.\n`);
}

/**
 * On an empty database, creates the first HR account with a one-time password printed once. While
 * that account has not chosen its own password and the printed one has expired, each start prints
 * a new one (the way an operator who missed the window gets in).
 */
export async function ensureFirstAdmin(db: Db, config: Config, clock: Clock = systemClock) {
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + ONE_TIME_PASSWORD_HOURS * 3_600_000);
  const [{ n }] = db.select({ n: count() }).from(people).all();
  if (n > 0) {
    const waiting = db
      .select()
      .from(people)
      .where(and(eq(people.role, 'hr'), eq(people.mustChangePassword, true), isNotNull(people.passwordExpiresAt), lte(people.passwordExpiresAt, now)))
      .all();
    for (const person of waiting) {
      const password = generatePassword();
      const passwordHash = await hashPassword(password);
      db.update(people).set({ passwordHash, passwordExpiresAt: expiresAt, updatedAt: now }).where(eq(people.id, person.id)).run();
      printOneTimePassword('The one-time password of the first HR account had expired; here is a new one.', person.email, password);
    }
    return;
  }
  const password = generatePassword();
  const person = createPerson(
    db,
    clock,
    systemActor,
    {
      email: config.ADMIN_EMAIL,
      name: 'HR Administrator',
      department: 'other',
      title: 'HR administrator',
      hireDate: now.toISOString().slice(0, 10),
      timeZone: companyDefaultTimeZone(db) ?? 'UTC',
      role: 'hr',
    },
    await hashPassword(password),
  );
  db.update(people).set({ passwordExpiresAt: expiresAt }).where(eq(people.id, person.id)).run();
  printOneTimePassword('First start: created the HR administrator account.', config.ADMIN_EMAIL, password);
  if (!companyDefaultTimeZone(db))
    console.log("  Then choose the company's default time zone at /settings (or start with DEFAULT_TIME_ZONE); the administrator starts in UTC.\n");
}

/** The background jobs (outbox, reminders and notices, session pruning, the occurrence horizon, review cycles, enrollment rules, people's own calendars); run in one process only. */
async function startBackgroundJobs(db: Db, config: Config, mailer: ReturnType<typeof smtpMailer> | null, replyDomain: string | null): Promise<() => void> {
  const stopOutbox = mailer ? startOutboxWorker(db, systemClock, mailer, config.OUTBOX_INTERVAL_MS) : () => {};
  // Invitation, change and reminder mails are queued whether or not SMTP is set up (HR reads them on /outbox then).
  const stopMailScheduler = startMailScheduler(db, systemClock, {
    baseUrl: config.BASE_URL ?? `http://localhost:${config.PORT}`,
    replyDomain,
    intervalMs: Math.max(config.OUTBOX_INTERVAL_MS, 30_000),
  });
  // Answers from mail programs (Accept/Decline in Outlook, Gmail, Apple Mail) arrive here.
  // loadConfig refuses INBOUND_SMTP_PORT without a reply domain.
  const inbound =
    config.INBOUND_SMTP_PORT !== undefined && replyDomain
      ? await startInboundSmtp(db, systemClock, {
          port: config.INBOUND_SMTP_PORT,
          host: config.INBOUND_SMTP_HOST,
          domain: replyDomain,
          maxBytes: config.INBOUND_MAX_BYTES,
        })
      : null;
  if (inbound) console.log(`crosstrain takes answers by mail on SMTP port ${inbound.port} for reply+…@${replyDomain}`);
  // The WAL goes back into the database file here, beside the requests, not inside one's COMMIT.
  const stopCheckpoints = startWalCheckpointer(config.DATABASE_PATH);
  const stopHorizon = startOccurrenceHorizonJob(db, systemClock, writeTransaction);
  const stopCycles = startCompletionCyclesJob(db, systemClock);
  // A rule matching more people than its request enrolls: the rest here, a part at a time.
  const stopRules = startEnrollmentRulesJob(db, systemClock);
  // Rotation statuses follow the calendar here, not in requests (reads derive them from the dates meanwhile).
  const stopRotationStatuses = startRotationStatusJob(db, systemClock);
  // Survey invitations a stopped server left unqueued (a round queues them in parts after it opens).
  const stopRoundMails = startRoundMailJob(db, systemClock);
  // People's own outside calendars: each read every 15 minutes, new ones within seconds.
  const stopBusyCalendars = startBusyCalendarJob(db, systemClock, { allowPrivateHosts: config.ALLOW_PRIVATE_CALENDAR_HOSTS });
  const prune = setInterval(() => {
    pruneExpiredSessions(db, systemClock);
    pruneSignInThrottle(db, systemClock.now());
  }, 3_600_000);
  prune.unref();
  // Said once per start of the jobs, so an operator (and the test of WORKERS) sees which process runs them.
  console.log(`crosstrain: background jobs run in process ${process.pid}`);
  return () => {
    stopCheckpoints();
    stopOutbox();
    stopMailScheduler();
    stopHorizon();
    stopCycles();
    stopRules();
    stopRotationStatuses();
    stopRoundMails();
    stopBusyCalendars();
    clearInterval(prune);
    void inbound?.close();
  };
}

/**
 * One server process: the app on the port, and the background jobs when `jobs` (true unless this
 * is a cluster worker other than the first).
 */
export async function startServer(config: Config, options: { banner?: string[]; jobs?: boolean; quiet?: boolean } = {}) {
  const db = openDatabase(config.DATABASE_PATH);
  // Every server process, with or without the jobs: the jobs' checkpointer serves them all.
  leaveCheckpointsToCheckpointer(db);
  seedDefaultTimeZone(db, systemClock, systemActor, config.DEFAULT_TIME_ZONE);
  await ensureFirstAdmin(db, config);
  const mailer = config.SMTP_HOST ? smtpMailer(config) : null;
  const replyDomain = replyDomainOf({ replyDomain: config.INBOUND_DOMAIN, baseUrl: config.BASE_URL });
  const settings: AppSettings = {
    SESSION_TTL_HOURS: config.SESSION_TTL_HOURS,
    SESSION_IDLE_MINUTES: config.SESSION_IDLE_MINUTES,
    baseUrl: config.BASE_URL,
    trustProxy: config.TRUST_PROXY,
    replyDomain: replyDomain ?? undefined,
    allowPrivateCalendarHosts: config.ALLOW_PRIVATE_CALENDAR_HOSTS,
  };
  const app = createApp({ db, clock: systemClock, mailer, settings });
  // The page cache is an option (PAGE_CACHE), off unless asked for: every page must be fast without it.
  const served = config.PAGE_CACHE ? withPageCache(app, { db, clock: systemClock, settings }) : app;
  const stopJobs = options.jobs === false ? () => {} : await startBackgroundJobs(db, config, mailer, replyDomain);
  const server = serve({ fetch: served.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    if (options.quiet) return;
    console.log(
      `crosstrain listening on http://localhost:${info.port} (database ${config.DATABASE_PATH}${mailer ? `, SMTP ${config.SMTP_HOST}` : ', mail kept in the outbox'}${config.PAGE_CACHE ? ', page cache on' : ''})`,
    );
    for (const line of options.banner ?? []) console.log(line);
  });
  const shutdown = () => {
    stopJobs();
    server.close(() => {
      db.$client.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return { server, db, app };
}

/** Once per start, before any server process: migrations, the company's default time zone, the first HR account. */
async function prepareDatabase(config: Config) {
  const db = openDatabase(config.DATABASE_PATH);
  seedDefaultTimeZone(db, systemClock, systemActor, config.DEFAULT_TIME_ZONE);
  await ensureFirstAdmin(db, config);
  db.$client.close();
}

/** A worker forked by forkWorkers: the server, with the background jobs in worker 1 only; only worker 1 says where it listens unless `quiet`. */
function startWorker(config: Config, options: { quiet?: boolean } = {}) {
  const role = process.env.CROSSTRAIN_WORKER ?? '1';
  return startServer(config, { jobs: role === '1', quiet: options.quiet ?? role !== '1' });
}

/**
 * `npm start`: WORKERS processes (default one per core) share the port through node:cluster. The
 * primary migrates the database and creates the first HR account before any worker starts; worker
 * 1 also runs the background jobs, so they run exactly once. A worker that dies is replaced in its
 * role. Everything shared lives in SQLite (sessions, sign-in throttling, the outbox). Answers the
 * server of this process (null in the cluster's primary, which serves nothing itself).
 */
export async function startCluster(config: Config, options: { quiet?: boolean } = {}) {
  if (config.WORKERS <= 1) return startServer(config, { quiet: options.quiet });
  if (cluster.isWorker) return startWorker(config, options);
  await prepareDatabase(config);
  const workers = forkWorkers(config.WORKERS);
  const stop = () => void workers.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (!options.quiet) console.log(`crosstrain: ${config.WORKERS} worker processes on port ${config.PORT}`);
  return null;
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  startCluster(loadConfig()).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
