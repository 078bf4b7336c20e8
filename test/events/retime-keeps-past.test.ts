/*
 * Answers change the future only: re-timing a whole series (its start, length, time zone or rule)
 * once some occurrences have started splits it at the first occurrence not yet started. What took
 * place keeps its times, answers, attendance, feedback and completions; the change applies from
 * then on, as a new series split from the old one (the old one ends by UNTIL, with a higher SEQUENCE).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { and, desc, eq } from 'drizzle-orm';
import { attendance, eventExceptions, events, feedback, invitations, outbox, trainingSessions } from '../../db/schema';
import { systemActor } from '../../src/audit/audit';
import { requireEvent } from '../../src/events/event-rules';
import { eventOccurrences } from '../../src/events/event-occurrences';
import { updateEvent } from '../../src/events/events';
import { respond } from '../../src/events/answers';
import { moveOccurrence } from '../../src/events/occurrence-changes';
import { occurrencesInWindow } from '../../src/events/occurrences';
import { occurrenceKey } from '../../src/events/recurrence';
import { retimingAt } from '../../src/events/retime';
import { personSchedule } from '../../src/events/schedule';
import { pendingFeedback } from '../../src/feedback/feedback';
import { zonedLocalToUtc } from '../../src/lib/time';
import { upcomingSessions } from '../../src/programs/sessions';
import { queueChangeNotices } from '../../src/reminders/notices';
import { anonymous, createTestApp, seedCompany, sessionAs, type TestContext } from '../support/app';
import { expandCalendar } from '../calendar/ical-reader';
import { personByEmail, salesCall } from '../feedback/scenario';
import { trainingAttendedOnce, weeklyCallTookPlaceTwice } from './took-place';
import { reopenAfterRerunning } from '../support/migrations';

let t: TestContext;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z', settings: { replyDomain: 'reply.crosstrain.test' } });
  await seedCompany(t.db);
});
afterEach(() => t.close());

const rep = () => personByEmail(t, 'rep@example.com');
const marketer = () => personByEmail(t, 'marketer@example.com');
const ny = (local: string) => zonedLocalToUtc(local, 'America/New_York');
const iso = (d: Date) => d.toISOString();
const SPRING = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-05-31T00:00:00Z') };
const startsOf = (event: typeof events.$inferSelect) => eventOccurrences(t.db, event, SPRING.from, SPRING.to).map((o) => iso(o.start));
const tailsOf = (id: number) => t.db.select().from(events).where(eq(events.splitFromEventId, id)).all();

/**
 * The weekly Acme call, Tuesdays 09:00 New York from 3 March, six times, that took place on 3 and
 * 10 March (weeklyCallTookPlaceTwice); now is 12 March. New York moves to summer time on 8 March:
 * 09:00 is 14:00Z on 3 March and 13:00Z after.
 */
const tookPlaceTwice = () => weeklyCallTookPlaceTwice(t);

const PAST = ['2026-03-03T14:00:00.000Z', '2026-03-10T13:00:00.000Z'];
/** The four occurrences not yet started, at 10:00 New York. */
const TEN_AM = ['2026-03-17T14:00:00.000Z', '2026-03-24T14:00:00.000Z', '2026-03-31T14:00:00.000Z', '2026-04-07T14:00:00.000Z'];

describe('where re-timing a series takes effect (pure)', () => {
  const weekly = { rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=6', firstStartLocal: '2026-03-03T09:00', timeZone: 'America/New_York', durationMinutes: 60 };
  const now = new Date('2026-03-12T12:00:00Z');

  it('changes the whole series when nothing has started, or when what started stays the same', () => {
    expect(retimingAt(weekly, [], { ...weekly, firstStartLocal: '2026-03-03T10:00' }, new Date('2026-03-01T00:00:00Z'))).toEqual({ kind: 'whole' });
    // Only the end changes: the occurrences that started are the same under both rules.
    expect(retimingAt(weekly, [], { ...weekly, rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=9' }, now)).toEqual({ kind: 'whole' });
    expect(retimingAt(weekly, [], { ...weekly, rrule: 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20260324T235959' }, now)).toEqual({ kind: 'whole' });
  });

  it('splits at the first occurrence not started, and the new times start at their first occurrence from now', () => {
    expect(retimingAt(weekly, [], { ...weekly, firstStartLocal: '2026-03-03T10:00' }, now)).toEqual({
      kind: 'split',
      splitAt: ny('2026-03-17T09:00'),
      headRRule: 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20260310T235959',
      tail: { startLocal: '2026-03-17T10:00', rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=4' },
    });
    // Thursdays from now on: the first is the day after tomorrow, before the next Tuesday.
    expect(retimingAt(weekly, [], { ...weekly, firstStartLocal: '2026-03-05T09:00', rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=6' }, now)).toMatchObject({
      splitAt: ny('2026-03-17T09:00'),
      tail: { startLocal: '2026-03-12T09:00', rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=5' },
    });
    // A longer meeting changes what took place too: it applies from the next one.
    expect(retimingAt(weekly, [], { ...weekly, durationMinutes: 90 }, now)).toMatchObject({ splitAt: ny('2026-03-17T09:00') });
  });

  it('counts an occurrence moved to before now as started', () => {
    const moved = {
      id: 1,
      eventId: 1,
      originalStart: ny('2026-03-17T09:00'),
      kind: 'moved' as const,
      start: ny('2026-03-11T09:00'),
      end: ny('2026-03-11T10:00'),
      sequence: 1,
      createdAt: now,
      updatedAt: now,
    };
    expect(retimingAt(weekly, [moved], { ...weekly, firstStartLocal: '2026-03-03T10:00' }, now)).toMatchObject({
      splitAt: ny('2026-03-24T09:00'),
      headRRule: 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20260317T235959',
    });
  });

  it('ends the series when the new times have nothing ahead, and refuses to rewrite a series that has wholly taken place', () => {
    expect(retimingAt(weekly, [], { ...weekly, rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=1' }, now)).toEqual({
      kind: 'split',
      splitAt: ny('2026-03-17T09:00'),
      headRRule: 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20260310T235959',
      tail: null,
    });
    const after = new Date('2026-04-08T12:00:00Z');
    expect(retimingAt(weekly, [], { ...weekly, firstStartLocal: '2026-03-03T10:00' }, after)).toEqual({ kind: 'past_only' });
    expect(retimingAt(weekly, [], { ...weekly, firstStartLocal: '2026-03-03T10:00', rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=8' }, after)).toEqual({
      kind: 'split',
      splitAt: null,
      headRRule: null,
      tail: { startLocal: '2026-04-14T10:00', rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=2' },
    });
  });
});

describe('re-timing a series after some occurrences took place (domain)', () => {
  it('keeps what took place at its times and moves what is ahead to a new series', () => {
    const call = tookPlaceTwice();
    const tail = updateEvent(t.db, t.clock, systemActor, rep(), call.id, { startLocal: '2026-03-03T10:00' });
    expect(tail.id).not.toBe(call.id);
    expect([tail.splitFromEventId, tail.startLocal, tail.rrule]).toEqual([call.id, '2026-03-17T10:00', 'FREQ=WEEKLY;BYDAY=TU;COUNT=4']);
    const head = requireEvent(t.db, call.id);
    expect([head.startLocal, head.rrule, head.sequence]).toEqual(['2026-03-03T09:00', 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20260310T235959', call.sequence + 1]);
    expect(startsOf(head)).toEqual(PAST);
    expect(startsOf(tail)).toEqual(TEN_AM);
    // The stored rows say the same.
    const stored = occurrencesInWindow(t.db, [head, tail], SPRING.from, SPRING.to);
    expect(stored.get(head.id)!.map((o) => iso(o.start))).toEqual(PAST);
    expect(stored.get(tail.id)!.map((o) => [iso(o.start), o.seatsTaken])).toEqual(TEN_AM.map((s) => [s, 1]));

    // The marketer stays on both parts; My schedule shows the past as it was.
    const place = t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.eventId, tail.id), eq(invitations.personId, marketer().id)))
      .get();
    expect(place).toMatchObject({ status: 'accepted', holdsSeat: true, occurrenceStart: null });
    const schedule = personSchedule(t.db, marketer().id, SPRING.from, SPRING.to).filter((e) => e.event.title === 'Weekly Acme call');
    expect(schedule.map((e) => [iso(e.occurrence.start), e.event.id])).toEqual([...PAST.map((s) => [s, call.id]), ...TEN_AM.map((s) => [s, tail.id])]);

    // Attendance and feedback stay where they were; 10 March still waits for a report.
    expect(t.db.select().from(attendance).where(eq(attendance.eventId, call.id)).all()).toHaveLength(1);
    expect(t.db.select().from(feedback).where(eq(feedback.eventId, call.id)).all()).toHaveLength(1);
    expect(pendingFeedback(t.db, marketer(), t.clock.now()).map((p) => [p.eventId, iso(p.start)])).toEqual([[call.id, PAST[1]]]);
  });

  it('carries answers and moves of occurrences ahead over to the new series where they keep their meaning', () => {
    const call = tookPlaceTwice();
    respond(t.db, t.clock, systemActor, marketer(), { eventId: call.id, start: ny('2026-03-24T09:00'), answer: 'declined', reason: 'Travelling' });
    moveOccurrence(t.db, t.clock, systemActor, rep(), { eventId: call.id, originalStart: ny('2026-03-31T09:00') }, '2026-04-01T09:00');
    // A 10 March answer of its own (the past) stays as it was.
    t.db
      .insert(invitations)
      .values({
        eventId: call.id,
        personId: personByEmail(t, 'marketer2@example.com').id,
        occurrenceStart: ny('2026-03-10T09:00'),
        status: 'accepted',
        holdsSeat: true,
      })
      .run();
    const tail = updateEvent(t.db, t.clock, systemActor, rep(), call.id, { durationMinutes: 90 });
    expect([tail.startLocal, tail.durationMinutes]).toEqual(['2026-03-17T09:00', 90]);
    // Same original starts: the decline and the move go with their occurrences.
    const declined = t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.personId, marketer().id), eq(invitations.occurrenceStart, ny('2026-03-24T09:00'))))
      .all();
    expect(declined.map((r) => [r.eventId, r.status])).toEqual([[tail.id, 'declined']]);
    expect(
      t.db
        .select()
        .from(eventExceptions)
        .all()
        .map((x) => [x.eventId, iso(x.originalStart)]),
    ).toEqual([[tail.id, iso(ny('2026-03-31T09:00'))]]);
    expect(eventOccurrences(t.db, tail, SPRING.from, SPRING.to).map((o) => [iso(o.start), (o.end.getTime() - o.start.getTime()) / 60_000])).toEqual([
      [iso(ny('2026-03-17T09:00')), 90],
      [iso(ny('2026-03-24T09:00')), 90],
      [iso(ny('2026-04-01T09:00')), 60],
      [iso(ny('2026-04-07T09:00')), 90],
    ]);
    const head = requireEvent(t.db, call.id);
    expect(eventOccurrences(t.db, head, SPRING.from, SPRING.to).map((o) => (o.end.getTime() - o.start.getTime()) / 60_000)).toEqual([60, 60]);
    expect(
      t.db
        .select()
        .from(invitations)
        .where(eq(invitations.occurrenceStart, ny('2026-03-10T09:00')))
        .get()?.eventId,
    ).toBe(call.id);
  });

  it('changes the series in place when nothing has started or when only its end moves', () => {
    const call = tookPlaceTwice();
    const longer = updateEvent(t.db, t.clock, systemActor, rep(), call.id, { rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=8' });
    expect(longer.id).toBe(call.id);
    expect(tailsOf(call.id)).toEqual([]);
    expect(startsOf(longer)).toHaveLength(8);
    const later = salesCall(t, 'rep@example.com', {
      title: 'Next quarter',
      startLocal: '2026-04-02T09:00',
      timeZone: 'America/New_York',
      rrule: 'FREQ=WEEKLY;COUNT=3',
    });
    const moved = updateEvent(t.db, t.clock, systemActor, rep(), later.id, { startLocal: '2026-04-03T11:00' });
    expect([moved.id, moved.startLocal, moved.rrule]).toEqual([later.id, '2026-04-03T11:00', 'FREQ=WEEKLY;BYDAY=FR;COUNT=3']);
    expect(tailsOf(later.id)).toEqual([]);
  });

  it('ends the series where it is when the new times have nothing ahead, dropping the answers ahead', () => {
    const call = tookPlaceTwice();
    respond(t.db, t.clock, systemActor, marketer(), { eventId: call.id, start: ny('2026-03-24T09:00'), answer: 'declined', reason: 'Travelling' });
    const ended = updateEvent(t.db, t.clock, systemActor, rep(), call.id, { rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=1' });
    expect([ended.id, ended.rrule]).toEqual([call.id, 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20260310T235959']);
    expect(tailsOf(call.id)).toEqual([]);
    expect(startsOf(ended)).toEqual(PAST);
    expect(
      t.db
        .select()
        .from(invitations)
        .where(eq(invitations.occurrenceStart, ny('2026-03-24T09:00')))
        .all(),
    ).toEqual([]);
  });

  it('refuses new times for a series that has wholly taken place unless they add occurrences ahead', () => {
    const call = tookPlaceTwice();
    t.clock.set('2026-04-08T12:00:00Z');
    expect(() => updateEvent(t.db, t.clock, systemActor, rep(), call.id, { startLocal: '2026-03-03T10:00' })).toThrow(/already started/);
    expect(requireEvent(t.db, call.id)).toEqual(call);
    const more = updateEvent(t.db, t.clock, systemActor, rep(), call.id, { startLocal: '2026-03-03T10:00', rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=8' });
    expect([more.splitFromEventId, more.startLocal, more.rrule]).toEqual([call.id, '2026-04-14T10:00', 'FREQ=WEEKLY;BYDAY=TU;COUNT=2']);
    // The series itself had ended: its rule and SEQUENCE stay.
    expect(requireEvent(t.db, call.id)).toMatchObject({ rrule: call.rrule, sequence: call.sequence });
  });

  it('keeps a training that took place in its sessions and the completion it gave', () => {
    const { topic, session, host, completion, done } = trainingAttendedOnce(t);
    expect(done?.completedAt?.toISOString()).toBe('2026-03-04T10:00:00.000Z');
    const tail = updateEvent(t.db, t.clock, systemActor, host, session.id, { startLocal: '2026-03-04T14:00' });
    expect(completion()).toEqual(done);
    const listed = () => upcomingSessions(t.db, t.clock.now(), { topicIds: [topic.id], includePast: true }).map((s) => [s.event.id, iso(s.occurrence.start)]);
    const expected = [
      [session.id, '2026-03-04T10:00:00.000Z'],
      [tail.id, '2026-03-11T14:00:00.000Z'],
      [tail.id, '2026-03-18T14:00:00.000Z'],
      [tail.id, '2026-03-25T14:00:00.000Z'],
    ];
    // The new series is a session of the same topic.
    expect(listed()).toEqual(expected);

    // A database where an older version split the session without its topic gets it back on upgrade.
    t.db.delete(trainingSessions).where(eq(trainingSessions.eventId, tail.id)).run();
    const reopened = reopenAfterRerunning(t.db, t.dbPath, '0019_training_sessions_follow_splits');
    try {
      expect(reopened.select().from(trainingSessions).where(eq(trainingSessions.eventId, tail.id)).get()).toEqual({ eventId: tail.id, topicId: topic.id });
    } finally {
      reopened.$client.close();
    }
  });
});

type Json = Record<string, any>;
const json = async (res: Response) => (await res.json()) as Json;
const mailsTo = (email: string) => t.db.select().from(outbox).where(eq(outbox.toEmail, email)).orderBy(desc(outbox.id)).all();
const vevents = (calendar: string) => new ICAL.Component(ICAL.parse(calendar)).getAllSubcomponents('vevent');

describe('re-timing a series after some occurrences took place (HTTP)', () => {
  it('splits through the JSON API; the feed, the mails, the occurrences and the attendance sheet keep the past', async () => {
    const call = tookPlaceTwice();
    const host = sessionAs(t, 'rep@example.com');
    queueChangeNotices(t.db, t.clock, { baseUrl: 'https://crosstrain.example.com', replyDomain: 'reply.crosstrain.test' });
    const before = mailsTo('marketer@example.com').length;
    const res = await host.json('PATCH', `/api/v1/events/${call.id}`, { start: { dateTime: '2026-03-03T10:00' }, end: { dateTime: '2026-03-03T11:00' } });
    expect(res.status).toBe(200);
    const tail = await json(res);
    expect([tail.splitFromEventId, tail.start.dateTime, tail.recurrence]).toEqual([call.id, '2026-03-17T10:00', ['RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4']]);
    const head = await json(await host.get(`/api/v1/events/${call.id}`));
    expect([head.start.dateTime, head.recurrence, head.sequence]).toEqual([
      '2026-03-03T09:00',
      ['RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20260310T235959'],
      call.sequence + 1,
    ]);
    const window = 'from=2026-03-01T00:00:00Z&to=2026-05-01T00:00:00Z';
    const pastOnes = await json(await host.get(`/api/v1/events/${call.id}/occurrences?${window}`));
    expect(pastOnes.data.map((o: Json) => new Date(o.start).toISOString())).toEqual(PAST);
    const aheadOnes = await json(await host.get(`/api/v1/events/${tail.id}/occurrences?${window}`));
    expect(aheadOnes.data.map((o: Json) => new Date(o.start).toISOString())).toEqual(TEN_AM);

    // The marketer's calendar feed: the old series ends before the new one, each occurrence once.
    const guest = sessionAs(t, 'marketer@example.com');
    const me = await json(await guest.get('/api/v1/me'));
    const feed = await (await anonymous(t.app).get(new URL(me.calendarUrl).pathname)).text();
    expect(
      expandCalendar(feed, SPRING.to)
        .filter((o) => o.summary === 'Weekly Acme call')
        .map((o) => iso(o.start)),
    ).toEqual([...PAST, ...TEN_AM]);

    // Mail programs hear of both parts: the old UID with UNTIL and a higher SEQUENCE, and the new series.
    queueChangeNotices(t.db, t.clock, { baseUrl: 'https://crosstrain.example.com', replyDomain: 'reply.crosstrain.test' });
    const sent = mailsTo('marketer@example.com')
      .slice(0, mailsTo('marketer@example.com').length - before)
      .reverse();
    expect(sent.map((m) => [m.subject, m.calendarMethod])).toEqual([
      ['Series ends before 2026-03-17: Weekly Acme call', 'REQUEST'],
      ['Changed from 2026-03-17 on: Weekly Acme call', 'REQUEST'],
    ]);
    const [headEvent] = vevents(sent[0]!.calendar!);
    expect(headEvent!.getFirstPropertyValue('uid')).toBe(`event-${call.id}@crosstrain`);
    expect(String(headEvent!.getFirstPropertyValue('rrule'))).toContain('UNTIL=');
    expect(Number(headEvent!.getFirstPropertyValue('sequence'))).toBe(call.sequence + 1);
    expect(vevents(sent[1]!.calendar!)[0]!.getFirstPropertyValue('uid')).toBe(`event-${tail.id}@crosstrain`);

    // Attendance and feedback stay on the occurrences that took place.
    const sheet = await json(await host.get(`/api/v1/attendance?occurrenceId=${occurrenceKey(call.id, ny('2026-03-03T09:00'))}`));
    expect(sheet.data.find((r: Json) => r.personId === marketer().id)).toMatchObject({ attendance: 'attended' });
    const reports = await json(await guest.get('/api/v1/feedback'));
    expect(reports.data.map((r: Json) => r.occurrenceId)).toEqual([occurrenceKey(call.id, ny('2026-03-03T09:00'))]);
  });

  it('answers 409 with nothing changed when every occurrence took place and the new times have none ahead', async () => {
    const call = tookPlaceTwice();
    t.clock.set('2026-04-08T12:00:00Z');
    const host = sessionAs(t, 'rep@example.com');
    const api = await host.json('PATCH', `/api/v1/events/${call.id}`, { start: { dateTime: '2026-03-03T10:00' }, end: { dateTime: '2026-03-03T11:00' } });
    expect(api.status).toBe(409);
    expect((await json(api)).error.code).toBe('already_took_place');
    const form = await host.form(`/events/${call.id}`, editForm({ startTime: '10:00', endTime: '11:00' }));
    expect(form.status).toBe(409);
    expect(await form.text()).toContain('what took place keeps its times');
    expect(requireEvent(t.db, call.id)).toEqual(call);
  });

  it('refuses new times for "this and following" from an occurrence that has started, and keeps other changes from there', async () => {
    const call = tookPlaceTwice();
    const host = sessionAs(t, 'rep@example.com');
    const from = occurrenceKey(call.id, ny('2026-03-10T09:00'));
    const retimed = await host.json('PATCH', `/api/v1/events/${call.id}`, {
      fromOccurrenceId: from,
      start: { dateTime: '2026-03-10T10:00' },
      end: { dateTime: '2026-03-10T11:00' },
    });
    expect(retimed.status).toBe(409);
    expect((await json(retimed)).error.code).toBe('already_took_place');
    expect(requireEvent(t.db, call.id)).toEqual(call);
    const form = await host.form(
      `/events/${call.id}`,
      editForm({ fromOccurrence: from, date: '2026-03-10', startTime: '10:00', endTime: '11:00', count: '5' }),
    );
    expect(form.status).toBe(409);
    expect(await form.text()).toContain('This occurrence has already started');
    expect(tailsOf(call.id)).toEqual([]);
    // A new title from 10 March on changes no time: the split goes ahead as before.
    const renamed = await host.json('PATCH', `/api/v1/events/${call.id}`, { fromOccurrenceId: from, title: 'Weekly Acme pipeline call' });
    expect(renamed.status).toBe(200);
    expect((await json(renamed)).start.dateTime).toBe('2026-03-10T09:00');
  });

  it('says on the edit page from when new times apply, and the form splits the series there', async () => {
    const call = tookPlaceTwice();
    const host = sessionAs(t, 'rep@example.com');
    const page = await (await host.get(`/events/${call.id}/edit`)).text();
    expect(page).toContain('occurrences that have already started keep their times');
    expect(page).toContain('from Tue 17 Mar 2026, 09:00–10:00 on');
    const saved = await host.form(`/events/${call.id}`, editForm({ startTime: '10:00', endTime: '11:00' }));
    expect(saved.status).toBe(303);
    const tailId = Number(/\/events\/(\d+)/.exec(saved.headers.get('location')!)![1]);
    expect(requireEvent(t.db, tailId)).toMatchObject({ splitFromEventId: call.id, startLocal: '2026-03-17T10:00' });
    const shown = await (await host.get(saved.headers.get('location')!)).text();
    expect(shown).toContain('They apply from Tue 17 Mar 2026, 10:00–11:00 on; the occurrences that had started keep their times.');
    // Each part links to the other.
    expect(shown).toContain(`Continues <a href="/events/${call.id}">Weekly Acme call</a>, whose earlier occurrences keep their times.`);
    const old = await (await host.get(`/events/${call.id}`)).text();
    expect(old).toContain(`From Tue 17 Mar 2026, 10:00–11:00 on, this series goes on as <a href="/events/${tailId}">Weekly Acme call</a>.`);
    expect(startsOf(requireEvent(t.db, call.id))).toEqual(PAST);
    // A series not started yet shows no such note.
    const later = salesCall(t, 'rep@example.com', {
      title: 'Next quarter',
      startLocal: '2026-04-02T09:00',
      timeZone: 'America/New_York',
      rrule: 'FREQ=WEEKLY;COUNT=3',
    });
    const laterPage = await (await host.get(`/events/${later.id}/edit`)).text();
    expect(laterPage).toContain('Changes apply to every occurrence of the series.');
    expect(laterPage).not.toContain('keep their times');
  });
});

/** The edit form of the weekly Acme call as the page shows it, with `overrides`. */
const editForm = (overrides: Record<string, string | string[]> = {}) => ({
  kind: 'sales_call',
  title: 'Weekly Acme call',
  date: '2026-03-03',
  startTime: '09:00',
  endTime: '10:00',
  timeZone: 'America/New_York',
  seats: '3',
  account: 'Acme Corp',
  opportunityStage: '',
  location: '',
  meetingUrl: '',
  topic: '',
  description: '',
  repeat: 'weekly',
  interval: '1',
  byWeekday: ['TU'],
  monthlyBy: 'date',
  ends: 'count',
  until: '',
  count: '6',
  ...overrides,
});

describe('one occurrence or a one-off event that has started', () => {
  it('keeps a one-off event that has started at its time; made a series, it repeats from now on', () => {
    const call = salesCall(t, 'rep@example.com', { title: 'Globex intro', startLocal: '2026-03-04T10:00', timeZone: 'America/New_York' });
    t.clock.set('2026-03-05T12:00:00Z');
    expect(() => updateEvent(t.db, t.clock, systemActor, rep(), call.id, { startLocal: '2026-03-04T11:00' })).toThrow(/already started/);
    expect(() => updateEvent(t.db, t.clock, systemActor, rep(), call.id, { durationMinutes: 90 })).toThrow(/already started/);
    expect(requireEvent(t.db, call.id)).toEqual(call);
    // Other details still change.
    expect(updateEvent(t.db, t.clock, systemActor, rep(), call.id, { title: 'Globex intro call' }).title).toBe('Globex intro call');
    // Weekly from 4 March, the day after: nothing between 4 March and now, so the event itself becomes the series.
    const weekly = updateEvent(t.db, t.clock, systemActor, rep(), call.id, { rrule: 'FREQ=WEEKLY;COUNT=3' });
    expect([weekly.id, weekly.startLocal, weekly.rrule]).toEqual([call.id, '2026-03-04T10:00', 'FREQ=WEEKLY;BYDAY=WE;COUNT=3']);
    // Weekly a week and a day later: 11 March never took place, so the repetition starts with 18 March as a new series.
    const other = salesCall(t, 'rep@example.com', { title: 'Initech intro', startLocal: '2026-03-04T14:00', timeZone: 'America/New_York' });
    t.clock.set('2026-03-12T12:00:00Z');
    const later = updateEvent(t.db, t.clock, systemActor, rep(), other.id, { rrule: 'FREQ=WEEKLY;COUNT=3' });
    expect([later.splitFromEventId, later.startLocal, later.rrule]).toEqual([other.id, '2026-03-18T14:00', 'FREQ=WEEKLY;BYDAY=WE;COUNT=1']);
    expect(requireEvent(t.db, other.id)).toMatchObject({ rrule: null, startLocal: '2026-03-04T14:00' });
  });

  it('neither cancels, moves nor restores an occurrence that has started, and moves none into the past', async () => {
    const call = tookPlaceTwice();
    const host = sessionAs(t, 'rep@example.com');
    const past = occurrenceKey(call.id, ny('2026-03-10T09:00'));
    for (const body of [{ status: 'cancelled' }, { start: { dateTime: '2026-03-19T09:00' } }, { status: 'scheduled' }]) {
      const res = await host.json('PATCH', `/api/v1/events/${call.id}/occurrences/${past}`, body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect((await json(res)).error.code).toBe('already_took_place');
    }
    expect((await host.form(`/events/${call.id}/occurrences/${past}/cancel`, {})).status).toBe(409);
    expect(t.db.select().from(eventExceptions).all()).toEqual([]);
    // An occurrence ahead moves, but not to a time that has passed.
    const ahead = occurrenceKey(call.id, ny('2026-03-17T09:00'));
    const back = await host.form(`/events/${call.id}/occurrences/${ahead}/move`, { start: '2026-03-11T09:00', durationMinutes: '60' });
    expect(back.status).toBe(400);
    expect(await back.text()).toContain('Choose a new start that is still ahead');
    expect(t.db.select().from(eventExceptions).all()).toEqual([]);
    // Moved ahead once its regular time has passed, it stays where it is: the page offers no way back.
    const moved = await host.json('PATCH', `/api/v1/events/${call.id}/occurrences/${ahead}`, { start: { dateTime: '2026-03-20T09:00' } });
    expect(moved.status).toBe(200);
    t.clock.set('2026-03-18T12:00:00Z');
    const later = sessionAs(t, 'rep@example.com');
    expect((await later.json('PATCH', `/api/v1/events/${call.id}/occurrences/${ahead}`, { status: 'scheduled' })).status).toBe(409);
    const page = await (await later.get(`/events/${call.id}/occurrences/${ahead}`)).text();
    expect(page).toContain('Change this occurrence');
    expect(page).not.toContain(`/events/${call.id}/occurrences/${ahead}/restore`);
  });

  it('says on the edit page of a one-off event that has started that its time stays', async () => {
    const call = salesCall(t, 'rep@example.com', { title: 'Globex intro', startLocal: '2026-03-04T10:00', timeZone: 'America/New_York' });
    t.clock.set('2026-03-05T12:00:00Z');
    const host = sessionAs(t, 'rep@example.com');
    expect(await (await host.get(`/events/${call.id}/edit`)).text()).toContain('This event has already started: its time stays as it was');
    const form = await host.form(`/events/${call.id}`, {
      ...editForm({ title: 'Globex intro', account: 'Globex', date: '2026-03-04', startTime: '11:00', endTime: '12:00', repeat: 'none' }),
    });
    expect(form.status).toBe(409);
    expect(await form.text()).toContain('what took place keeps its time');
    expect(requireEvent(t.db, call.id)).toEqual(call);
  });
});
