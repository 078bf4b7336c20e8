import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { events, outbox, people } from '../../db/schema';
import { systemActor } from '../../src/audit/audit';
import type { EventDetails } from '../../src/events/event-rules';
import { moveOccurrence } from '../../src/events/occurrence-changes';
import { createEvent, updateEvent } from '../../src/events/events';
import { invitePeople } from '../../src/events/invitations';
import { respond } from '../../src/events/answers';
import { zonedLocalToUtc } from '../../src/lib/time';
import { smtpMailer } from '../../src/outbox/mailer';
import { deliverDueMail } from '../../src/outbox/outbox';
import { queueChangeNotices } from '../../src/reminders/notices';
import { queueDueReminders, queueNewlyDueReminders, runMailScheduler, startMailScheduler } from '../../src/reminders/reminders';
import type { Person } from '../../src/context';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';
import { SmtpSink } from './smtp-sink';

let t: TestContext;
let _company: SeededCompany;
let sink: SmtpSink;
const options = { baseUrl: 'https://crosstrain.example' };
const NY = 'America/New_York';

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  _company = await seedCompany(t.db);
  sink = new SmtpSink();
  await sink.start();
});
afterEach(async () => {
  await sink.stop();
  t.close();
});

const person = (email: string): Person => t.db.select().from(people).where(eq(people.email, email)).get()!;
const smtp = () =>
  smtpMailer({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: sink.port,
    SMTP_SECURE: false,
    SMTP_USER: undefined,
    SMTP_PASSWORD: undefined,
    SMTP_FROM: 'crosstrain <no-reply@crosstrain.test>',
  });

function salesCall(overrides: Partial<EventDetails> = {}) {
  const rep = person('rep@example.com');
  return createEvent(t.db, t.clock, systemActor, rep, {
    kind: 'sales_call',
    title: 'Acme renewal',
    description: '',
    hostId: rep.id,
    startLocal: '2026-03-03T10:00',
    timeZone: NY,
    durationMinutes: 60,
    seats: 3,
    rrule: null,
    account: 'Acme',
    opportunityStage: 'proposal',
    location: 'Acme HQ',
    meetingUrl: null,
    topic: null,
    ...overrides,
  });
}

function acceptedBy(eventId: number, ...emails: string[]) {
  const rep = person('rep@example.com');
  invitePeople(
    t.db,
    t.clock,
    systemActor,
    rep,
    eventId,
    emails.map((e) => person(e).id),
    null,
  );
  for (const email of emails) respond(t.db, t.clock, systemActor, person(email), { eventId, start: null, answer: 'accepted' });
}

describe('reminders through a real SMTP server', () => {
  it('arrive once per person and occurrence, at each person’s own lead time', async () => {
    const call = salesCall();
    acceptedBy(call.id, 'marketer@example.com', 'marketer2@example.com');
    t.db.update(people).set({ reminderLeadMinutes: 120 }).where(eq(people.email, 'marketer2@example.com')).run();
    t.db.update(people).set({ reminderLeadMinutes: 0 }).where(eq(people.email, 'demand@example.com')).run();
    const mailer = smtp();
    const reminders = () => sink.received.filter((m) => m.subject.startsWith('Reminder:'));

    // 10:00 New York on 3 March is 15:00Z: with a 24-hour lead nothing is due on 2 March at 12:00Z.
    expect(queueDueReminders(t.db, t.clock, options)).toBe(0);
    t.clock.set('2026-03-02T15:00:00Z');
    expect(queueDueReminders(t.db, t.clock, options)).toBe(2);
    expect(queueDueReminders(t.db, t.clock, options)).toBe(0);
    await deliverDueMail(t.db, t.clock, mailer);
    await deliverDueMail(t.db, t.clock, mailer);
    expect(
      reminders()
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(['marketer@example.com', 'rep@example.com']);

    // The two-hour lead of marketer2 is reached at 13:00Z on the day.
    t.clock.set('2026-03-03T12:59:00Z');
    runMailScheduler(t.db, t.clock, options);
    await deliverDueMail(t.db, t.clock, mailer);
    expect(reminders()).toHaveLength(2);
    t.clock.set('2026-03-03T13:00:00Z');
    runMailScheduler(t.db, t.clock, options);
    runMailScheduler(t.db, t.clock, options);
    await deliverDueMail(t.db, t.clock, mailer);
    expect(
      reminders()
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(['marketer2@example.com', 'marketer@example.com', 'rep@example.com']);
    const marketerMail = reminders().find((m) => m.to[0] === 'marketer@example.com')!;
    // Berlin is six hours ahead of New York: the marketer reads 16:00.
    expect(marketerMail.subject).toBe('Reminder: Acme renewal, Tue, 3 Mar 2026, 16:00–17:00 (Europe/Berlin)');
    expect(marketerMail.text).toContain(`https://crosstrain.example/events/${call.id}`);

    // After the start, nothing more is queued however often the scheduler runs.
    t.clock.set('2026-03-03T15:30:00Z');
    expect(queueDueReminders(t.db, t.clock, options)).toBe(0);
  });

  it('survive the mail server being down: delivery fails, retries later and the message arrives once', async () => {
    const call = salesCall();
    acceptedBy(call.id, 'marketer@example.com');
    t.db.update(people).set({ reminderLeadMinutes: 0 }).where(eq(people.email, 'rep@example.com')).run();
    const mailer = smtp();
    const port = sink.port;

    t.clock.set('2026-03-02T15:05:00Z');
    await sink.stop();
    expect(queueDueReminders(t.db, t.clock, options)).toBe(1);
    const first = await deliverDueMail(t.db, t.clock, mailer);
    expect(first).toEqual({ sent: 0, failed: 1 });
    const [row] = t.db
      .select()
      .from(outbox)
      .where(eq(outbox.toEmail, 'marketer@example.com'))
      .all()
      .filter((m) => m.dedupeKey?.startsWith('reminder:'));
    expect(row!.attempts).toBe(1);
    expect(row!.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(row!.sentAt).toBeNull();

    // Still down a few minutes later: a second failure, the retry moves further out.
    t.clock.advance(60_000);
    expect(await deliverDueMail(t.db, t.clock, mailer)).toEqual({ sent: 0, failed: 1 });
    expect(queueDueReminders(t.db, t.clock, options)).toBe(0);

    sink.port = port;
    await sink.start();
    // Before the retry time nothing is tried; after it the message goes out exactly once.
    expect(await deliverDueMail(t.db, t.clock, mailer)).toEqual({ sent: 0, failed: 0 });
    t.clock.advance(2 * 60_000);
    expect(await deliverDueMail(t.db, t.clock, mailer)).toEqual({ sent: 1, failed: 0 });
    t.clock.advance(60 * 60_000);
    expect(queueDueReminders(t.db, t.clock, options)).toBe(0);
    expect(await deliverDueMail(t.db, t.clock, mailer)).toEqual({ sent: 0, failed: 0 });
    const arrived = sink.received.filter((m) => m.subject.startsWith('Reminder:'));
    expect(arrived).toHaveLength(1);
    expect(arrived[0]!.to).toEqual(['marketer@example.com']);
    expect(arrived[0]!.messageId).toBe(`<outbox-${row!.id}@crosstrain>`);
  });

  it('mail invitations and changes once, and remind a moved occurrence at its new time', async () => {
    const rep = person('rep@example.com');
    const series = salesCall({ title: 'Weekly Acme sync', rrule: 'FREQ=WEEKLY;COUNT=4' });
    invitePeople(t.db, t.clock, systemActor, rep, series.id, [person('marketer@example.com').id, person('marketer2@example.com').id], null);
    expect(queueChangeNotices(t.db, t.clock, options)).toBe(2);
    expect(queueChangeNotices(t.db, t.clock, options)).toBe(0);
    respond(t.db, t.clock, systemActor, person('marketer@example.com'), { eventId: series.id, start: null, answer: 'accepted' });
    respond(t.db, t.clock, systemActor, person('marketer2@example.com'), { eventId: series.id, start: null, answer: 'declined' });

    updateEvent(t.db, t.clock, { personId: rep.id }, rep, series.id, { location: 'Acme HQ, room 12' });
    // The host made the change: only the marketer who accepted hears of it.
    expect(queueChangeNotices(t.db, t.clock, options)).toBe(1);
    const original = zonedLocalToUtc('2026-03-10T10:00', NY);
    moveOccurrence(t.db, t.clock, { personId: rep.id }, rep, { eventId: series.id, originalStart: original }, '2026-03-11T15:00');
    expect(queueChangeNotices(t.db, t.clock, options)).toBe(1);

    const mailer = smtp();
    await deliverDueMail(t.db, t.clock, mailer);
    const subjects = sink.received.map((m) => `${m.to[0]} ${m.subject}`).sort();
    expect(subjects).toEqual([
      'marketer2@example.com Invitation: Weekly Acme sync',
      'marketer@example.com Changed: Weekly Acme sync',
      'marketer@example.com Invitation: Weekly Acme sync',
      'marketer@example.com Moved: Weekly Acme sync',
    ]);
    const moved = sink.received.find((m) => m.subject.startsWith('Moved'))!;
    expect(moved.text).toContain('When: Wed, 11 Mar 2026, 20:00–21:00 (Europe/Berlin)');
    expect(moved.text).toContain('Where: Acme HQ, room 12');

    // The moved occurrence (11 March 15:00 New York = 19:00Z) is reminded 24 hours before its new start.
    t.clock.set('2026-03-10T14:00:00Z');
    runMailScheduler(t.db, t.clock, options);
    t.clock.set('2026-03-10T19:00:00Z');
    runMailScheduler(t.db, t.clock, options);
    await deliverDueMail(t.db, t.clock, mailer);
    const reminders = sink.received.filter((m) => m.subject.startsWith('Reminder:') && m.to[0] === 'marketer@example.com');
    expect(reminders.map((m) => m.subject)).toEqual(['Reminder: Weekly Acme sync, Wed, 11 Mar 2026, 20:00–21:00 (Europe/Berlin)']);
  });
});

describe('change notices', () => {
  it('skip an entry whose occurrence is gone and go on with the next ones', async () => {
    const rep = person('rep@example.com');
    const series = salesCall({ title: 'Weekly Acme sync', rrule: 'FREQ=WEEKLY;COUNT=4' });
    // An invitation to an occurrence that a later edit of the series no longer has.
    invitePeople(t.db, t.clock, systemActor, rep, series.id, [person('marketer@example.com').id], zonedLocalToUtc('2026-03-17T10:00', NY));
    t.db.update(events).set({ rrule: 'FREQ=WEEKLY;COUNT=1' }).where(eq(events.id, series.id)).run();
    invitePeople(t.db, t.clock, systemActor, rep, series.id, [person('marketer2@example.com').id], null);
    expect(queueChangeNotices(t.db, t.clock, options)).toBe(1);
    expect(
      t.db
        .select()
        .from(outbox)
        .all()
        .map((m) => m.toEmail),
    ).toEqual(['marketer2@example.com']);
  });
});

describe('a pass after the one before', () => {
  it('queues what a whole pass would, after answers, moves, new hosts, new events, changed leads and time passing', () => {
    const setLead = (email: string, minutes: number) => t.db.update(people).set({ reminderLeadMinutes: minutes }).where(eq(people.email, email)).run();
    setLead('rep@example.com', 60);
    setLead('marketer@example.com', 15);
    setLead('marketer2@example.com', 0);
    const rep = person('rep@example.com');
    // A weekly call from 3 March, and a one-off the next afternoon; the marketers accept the series.
    const series = salesCall({ title: 'Weekly pipeline', rrule: 'FREQ=WEEKLY;COUNT=6', durationMinutes: 30 });
    acceptedBy(series.id, 'marketer@example.com', 'marketer2@example.com');
    const oneOff = salesCall({ title: 'Acme visit', startLocal: '2026-03-03T15:00' });
    let viaNotes = 0;
    let since = t.clock.now().getTime();
    queueDueReminders(t.db, t.clock, options);
    /** Time passes, a pass reads what is new since the one before; a whole pass then finds nothing left. */
    const pass = (minutes: number) => {
      t.clock.advance(minutes * 60_000);
      const began = t.clock.now().getTime();
      viaNotes += queueNewlyDueReminders(t.db, t.clock, options, since);
      since = began;
      expect(queueDueReminders(t.db, t.clock, options), t.clock.now().toISOString()).toBe(0);
    };
    pass(30);
    pass(60 * 12);
    // The rep's own lead reached by time alone: the call at 10:00 New York, 15:00 UTC.
    pass(60 * 8 + 10);
    pass(1);
    // A late answer for an occurrence whose reminder time has passed.
    invitePeople(t.db, t.clock, systemActor, rep, oneOff.id, [person('demand@example.com').id], null);
    respond(t.db, t.clock, systemActor, person('demand@example.com'), { eventId: oneOff.id, start: null, answer: 'accepted' }, { confirmConflicts: true });
    pass(0.5);
    // A lead that turns on, and one that grows to reach the next occurrence.
    setLead('marketer2@example.com', 60 * 24);
    pass(0.5);
    setLead('marketer@example.com', 60 * 24 * 7);
    pass(0.5);
    // The next occurrence moved sooner; the one-off gets a new host.
    const next = zonedLocalToUtc('2026-03-10T10:00', NY);
    moveOccurrence(t.db, t.clock, { personId: rep.id }, rep, { eventId: series.id, originalStart: next }, '2026-03-04T09:00');
    pass(0.5);
    const hr = person('hr@example.com');
    updateEvent(t.db, t.clock, { personId: hr.id }, hr, oneOff.id, { hostId: person('rep2@example.com').id });
    pass(0.5);
    // Someone leaves and comes back; a new call an hour ahead.
    t.db.update(people).set({ active: false }).where(eq(people.email, 'marketer2@example.com')).run();
    pass(0.5);
    t.db.update(people).set({ active: true }).where(eq(people.email, 'marketer2@example.com')).run();
    salesCall({ title: 'Quick sync', startLocal: '2026-03-04T05:00', durationMinutes: 15 });
    pass(0.5);
    for (let i = 0; i < 20; i++) pass(37);
    expect(viaNotes).toBeGreaterThan(3);
    expect(t.db.$client.prepare('SELECT count(*) AS n FROM reminder_changes').get()).toEqual({ n: 0 });
  });
});

describe('the mail scheduler job', () => {
  it('queues the same reminders as one pass, letting the process answer requests between chunks of events', async () => {
    // 401 one-off calls the rep hosts, ten minutes apart from 10:00 New York on 3 March: each is due a reminder for its host.
    for (let i = 0; i < 401; i++) {
      const at = new Date(Date.UTC(2026, 2, 3, 10, 0) + i * 600_000).toISOString().slice(0, 16);
      salesCall({ title: `Call ${i}`, startLocal: at, durationMinutes: 5 });
    }
    // Four days ahead: the rep is reminded of all of them at once.
    t.db
      .update(people)
      .set({ reminderLeadMinutes: 4 * 24 * 60 })
      .where(eq(people.email, 'rep@example.com'))
      .run();
    t.clock.set('2026-03-03T14:00:00Z');
    const reminders = () =>
      t.db
        .select()
        .from(outbox)
        .all()
        .filter((m) => m.subject.startsWith('Reminder:')).length;
    const stop = startMailScheduler(t.db, t.clock, { ...options, intervalMs: 3_600_000 });
    // What the process does between two turns of its event loop, as a request would.
    const seen: number[] = [];
    while (reminders() < 401 && seen.length < 100) {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(reminders());
    }
    stop();
    expect(reminders()).toBe(401);
    // Requests got in between the chunks of 50 events (after the fourth and the eighth among them).
    expect(seen).toContain(200);
    expect(seen).toContain(400);
    // A pass run afterwards finds nothing left to queue.
    expect(runMailScheduler(t.db, t.clock, options).reminders).toBe(0);
  }, 30_000);
});
