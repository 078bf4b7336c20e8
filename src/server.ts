import { serve } from '@hono/node-server';
import { count } from 'drizzle-orm';
import { people } from '../db/schema';
import { createApp } from './app';
import { loadConfig, type Config } from './config';
import { openDatabase, type Db } from './db';
import { systemClock } from './lib/clock';
import { hashPassword, generatePassword } from './auth/password';
import { createPerson } from './people/people';
import { companyDefaultTimeZone, seedDefaultTimeZone } from './people/settings';
import { systemActor } from './audit/audit';
import { pruneExpiredSessions } from './auth/auth';
import { smtpMailer } from './outbox/mailer';
import { startOutboxWorker } from './outbox/outbox';
import { startMailScheduler } from './reminders/reminders';
import { startInboundSmtp } from './inbound/smtp';
import { replyDomainOf } from './inbound/reply-address';

/** On an empty directory, creates the first HR account with a one-time password printed once. */
export async function ensureFirstAdmin(db: Db, config: Config) {
  const [{ n }] = db.select({ n: count() }).from(people).all();
  if (n > 0) return;
  const password = generatePassword();
  createPerson(
    db,
    systemClock,
    systemActor,
    { email: config.ADMIN_EMAIL, name: 'HR Administrator', department: 'other', title: 'HR administrator', hireDate: new Date().toISOString().slice(0, 10), timeZone: companyDefaultTimeZone(db) ?? 'UTC', role: 'hr' },
    await hashPassword(password),
  );
  console.log('\nFirst start: created the HR administrator account.');
  console.log(`  email:              ${config.ADMIN_EMAIL}`);
  console.log(`  one-time password:  ${password}`);
  console.log('  You will be asked to choose a new password at first sign-in.');
  if (!companyDefaultTimeZone(db)) console.log('  Then choose the company\'s default time zone at /settings (or start with DEFAULT_TIME_ZONE); the administrator starts in UTC.');
  console.log('');
}

export async function startServer(config: Config, options: { banner?: string[] } = {}) {
  const db = openDatabase(config.DATABASE_PATH);
  seedDefaultTimeZone(db, systemClock, systemActor, config.DEFAULT_TIME_ZONE);
  await ensureFirstAdmin(db, config);
  const mailer = config.SMTP_HOST ? smtpMailer(config) : null;
  const replyDomain = replyDomainOf({ replyDomain: config.INBOUND_DOMAIN, baseUrl: config.BASE_URL });
  const app = createApp({ db, clock: systemClock, mailer, settings: { SESSION_TTL_HOURS: config.SESSION_TTL_HOURS, SESSION_IDLE_MINUTES: config.SESSION_IDLE_MINUTES, baseUrl: config.BASE_URL, trustProxy: config.TRUST_PROXY, replyDomain } });
  const stopOutbox = mailer ? startOutboxWorker(db, systemClock, mailer, config.OUTBOX_INTERVAL_MS) : () => {};
  // Invitation, change and reminder mails are queued whether or not SMTP is set up (HR reads them on /outbox then).
  const stopMailScheduler = startMailScheduler(db, systemClock, { baseUrl: config.BASE_URL ?? `http://localhost:${config.PORT}`, replyDomain, intervalMs: Math.max(config.OUTBOX_INTERVAL_MS, 30_000) });
  // Answers from mail programs (Accept/Decline in Outlook, Gmail, Apple Mail) arrive here.
  const inbound = config.INBOUND_SMTP_PORT !== undefined
    ? await startInboundSmtp(db, systemClock, { port: config.INBOUND_SMTP_PORT, host: config.INBOUND_SMTP_HOST, domain: replyDomain, maxBytes: config.INBOUND_MAX_BYTES })
    : null;
  if (inbound) console.log(`crosstrain takes answers by mail on SMTP port ${inbound.port} for reply+…@${replyDomain}`);
  const prune = setInterval(() => pruneExpiredSessions(db, systemClock), 3_600_000);
  prune.unref();
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    console.log(`crosstrain listening on http://localhost:${info.port} (database ${config.DATABASE_PATH}${mailer ? `, SMTP ${config.SMTP_HOST}` : ', mail kept in the outbox'})`);
    for (const line of options.banner ?? []) console.log(line);
  });
  const shutdown = () => {
    stopOutbox();
    stopMailScheduler();
    void inbound?.close();
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

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  startServer(loadConfig()).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
