/*
 * Answers change the future only: calling off a whole event or series cancels what has not started
 * yet. The occurrences that took place keep their status, answers, attendance, feedback and the
 * completions they gave, in the domain, the stored occurrences, the API and the pages.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { attendance, events, feedback, invitations, occurrences } from '../../db/schema';
import { systemActor } from '../../src/audit/audit';
import { requireEvent } from '../../src/events/event-rules';
import { eventOccurrences, requireOccurrence } from '../../src/events/event-occurrences';
import { cancelEvent, updateEvent } from '../../src/events/events';
import { respond } from '../../src/events/answers';
import { occurrencesInWindow, storedOccurrence } from '../../src/events/occurrences';
import { occurrenceKey } from '../../src/events/recurrence';
import { personSchedule } from '../../src/events/schedule';
import { pendingFeedback, rideAlongsEndedBetween } from '../../src/feedback/feedback';
import { zonedLocalToUtc } from '../../src/lib/time';
import { upcomingSessions } from '../../src/programs/sessions';
import { markAttendance } from '../../src/programs/attendance';
import { anonymous, createTestApp, seedCompany, sessionAs, type TestContext } from '../support/app';
import { expandCalendar } from '../calendar/ical-reader';
import { reopenAfterRerunning } from '../support/migrations';
import { personByEmail, salesCall } from '../feedback/scenario';
import { trainingAttendedOnce, weeklyCallTookPlaceTwice } from './took-place';

let t: TestContext;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  await seedCompany(t.db);
});
afterEach(() => t.close());

const rep = () => personByEmail(t, 'rep@example.com');
const marketer = () => personByEmail(t, 'marketer@example.com');
const ny = (local: string) => zonedLocalToUtc(local, 'America/New_York');
const day = (d: Date) => d.toISOString().slice(0, 10);

/** The weekly Acme call that took place on 3 and 10 March (weeklyCallTookPlaceTwice), called off on 12 March. */
function calledOffAfterTwo(cancel = true) {
  const call = weeklyCallTookPlaceTwice(t);
  if (cancel) cancelEvent(t.db, t.clock, systemActor, rep(), call.id);
  return requireEvent(t.db, call.id);
}

const MARCH = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-30T00:00:00Z') };
const EXPECTED = [
  ['2026-03-03', false],
  ['2026-03-10', false],
  ['2026-03-17', true],
  ['2026-03-24', true],
  ['2026-03-31', true],
  ['2026-04-07', true],
];

describe('calling off a series after some occurrences took place (domain)', () => {
  it('cancels only the occurrences from the moment it was called off, in the rule and in the stored rows', () => {
    const call = calledOffAfterTwo();
    expect(call.status).toBe('cancelled');
    expect(call.cancelledAt?.toISOString()).toBe('2026-03-12T12:00:00.000Z');
    expect(eventOccurrences(t.db, call, MARCH.from, MARCH.to, true).map((o) => [day(o.start), o.cancelled])).toEqual(EXPECTED);
    expect(eventOccurrences(t.db, call, MARCH.from, MARCH.to).map((o) => day(o.start))).toEqual(['2026-03-03', '2026-03-10']);
    const stored = occurrencesInWindow(t.db, [call], MARCH.from, MARCH.to, { includeCancelled: true }).get(call.id)!;
    expect(stored.map((o) => [day(o.start), o.cancelled])).toEqual(EXPECTED);
    expect(storedOccurrence(t.db, call.id, ny('2026-03-03T09:00'))).toMatchObject({ cancelled: false, seatsTaken: 1 });
    expect(requireOccurrence(t.db, call, ny('2026-03-10T09:00')).cancelled).toBe(false);
    expect(requireOccurrence(t.db, call, ny('2026-03-17T09:00')).cancelled).toBe(true);
  });

  it('keeps attendance, feedback and the ride-alongs that happened, and feedback is still asked for them', () => {
    const call = calledOffAfterTwo();
    expect(t.db.select().from(attendance).where(eq(attendance.eventId, call.id)).all()).toHaveLength(1);
    expect(t.db.select().from(feedback).where(eq(feedback.eventId, call.id)).all()).toHaveLength(1);
    const rides = rideAlongsEndedBetween(t.db, [call], MARCH.from, t.clock.now());
    expect(rides.map((r) => [day(r.occurrence.start), r.guestIds])).toEqual([
      ['2026-03-03', [marketer().id]],
      ['2026-03-10', [marketer().id]],
    ]);
    // The marketer reported on 3 March; 10 March still waits for a report, from both.
    expect(pendingFeedback(t.db, marketer(), t.clock.now()).map((p) => day(p.start))).toEqual(['2026-03-10']);
    expect(pendingFeedback(t.db, rep(), t.clock.now()).map((p) => day(p.start))).toEqual(['2026-03-10', '2026-03-03']);
    // What happened can still be recorded; what was called off cannot.
    markAttendance(t.db, t.clock, systemActor, rep(), { eventId: call.id, originalStart: ny('2026-03-10T09:00') }, [
      { personId: marketer().id, status: 'attended' },
    ]);
    t.clock.set('2026-03-18T12:00:00Z');
    expect(() =>
      markAttendance(t.db, t.clock, systemActor, rep(), { eventId: call.id, originalStart: ny('2026-03-17T09:00') }, [
        { personId: marketer().id, status: 'attended' },
      ]),
    ).toThrow(/cancelled/);
  });

  it('shows what took place in My schedule as it was, and the rest cancelled', () => {
    const call = calledOffAfterTwo();
    for (const who of [marketer(), rep()]) {
      const entries = personSchedule(t.db, who.id, MARCH.from, MARCH.to, { includeCancelled: true }).filter((e) => e.event.id === call.id);
      expect(entries.map((e) => [day(e.occurrence.start), e.occurrence.cancelled])).toEqual(EXPECTED);
    }
  });

  it('refuses to call off what has wholly taken place, and keeps it as it was', () => {
    const oneOff = salesCall(t, 'rep@example.com', { title: 'Globex intro', startLocal: '2026-03-04T10:00', timeZone: 'America/New_York' });
    const series = salesCall(t, 'rep@example.com', {
      title: 'Short series',
      startLocal: '2026-03-02T11:00',
      timeZone: 'America/New_York',
      rrule: 'FREQ=DAILY;COUNT=2',
    });
    t.clock.set('2026-03-04T15:30:00Z'); // 10:30 in New York: the call has started
    expect(() => cancelEvent(t.db, t.clock, systemActor, rep(), oneOff.id)).toThrow(/already started/);
    expect(() => cancelEvent(t.db, t.clock, systemActor, rep(), series.id)).toThrow(/Every occurrence/);
    expect(requireEvent(t.db, oneOff.id)).toMatchObject({ status: 'scheduled', cancelledAt: null });
    // Called off before it starts, the one-off event is cancelled.
    const later = salesCall(t, 'rep@example.com', { title: 'Initech intro', startLocal: '2026-03-06T10:00', timeZone: 'America/New_York' });
    const cancelled = cancelEvent(t.db, t.clock, systemActor, rep(), later.id);
    expect(eventOccurrences(t.db, cancelled, MARCH.from, MARCH.to, true).map((o) => o.cancelled)).toEqual([true]);
  });

  it('keeps the answers of past occurrences when the whole series is re-timed', () => {
    const call = calledOffAfterTwo(false);
    // A future answer of the marketer's and a past one (10 March, on its own).
    respond(t.db, t.clock, systemActor, marketer(), { eventId: call.id, start: ny('2026-03-17T09:00'), answer: 'declined', reason: 'Travelling' });
    const pastRow = { eventId: call.id, personId: marketer().id, occurrenceStart: ny('2026-03-10T09:00'), status: 'declined' as const, holdsSeat: false };
    t.db.insert(invitations).values(pastRow).run();
    updateEvent(t.db, t.clock, systemActor, rep(), call.id, { startLocal: '2026-03-03T10:00' });
    const rows = t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.eventId, call.id), eq(invitations.personId, marketer().id)))
      .all();
    const starts = rows.filter((r) => r.occurrenceStart).map((r) => r.occurrenceStart!.toISOString());
    // The past one is kept; the future one named a start the series no longer has.
    expect(starts).toEqual([ny('2026-03-10T09:00').toISOString()]);
  });
});

describe('calling off a series after some occurrences took place (HTTP)', () => {
  it('answers the past as it was and the future as cancelled through the API and the pages', async () => {
    const call = calledOffAfterTwo(false);
    const host = sessionAs(t, 'rep@example.com');
    const res = await host.request(`/api/v1/events/${call.id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'cancelled', cancelledAt: '2026-03-12T12:00:00.000Z' });
    const occurrences = (await (await host.get(`/api/v1/events/${call.id}/occurrences?from=2026-03-01T00:00:00Z&to=2026-04-30T00:00:00Z`)).json()) as {
      data: { start: string; status: string }[];
    };
    expect(occurrences.data.map((o) => [o.start.slice(0, 10), o.status === 'cancelled'])).toEqual(EXPECTED);
    // Calling it off again is refused.
    const again = await host.request(`/api/v1/events/${call.id}`, { method: 'DELETE' });
    expect(again.status).toBe(409);

    const guest = sessionAs(t, 'marketer@example.com');
    const entryOf = (html: string) => /<li class="schedule-entry[^"]*">(?:(?!<\/li>)[\s\S])*Weekly Acme call[\s\S]*?<\/li>/.exec(html)?.[0] ?? '';
    const before = await (await guest.get('/?view=week&date=2026-03-09')).text();
    expect(entryOf(before)).toContain('Weekly Acme call');
    expect(entryOf(before)).not.toMatch(/schedule-entry[^"]*cancelled/);
    const after = await (await guest.get('/?view=week&date=2026-03-16')).text();
    expect(entryOf(after)).toMatch(/schedule-entry[^"]*cancelled/);
    // The occurrence page of a past one does not say cancelled; a future one does.
    const past = await (await guest.get(`/events/${call.id}/occurrences/${occurrenceKey(call.id, ny('2026-03-03T09:00'))}`)).text();
    expect(past).not.toMatch(/tag cancelled/);
    const future = await (await guest.get(`/events/${call.id}/occurrences/${occurrenceKey(call.id, ny('2026-03-17T09:00'))}`)).text();
    expect(future).toMatch(/cancelled/i);

    // Feedback: the report stays, the other ride-along still asks for one.
    const reports = (await (await guest.get('/api/v1/feedback')).json()) as { data: { occurrenceId: string }[] };
    expect(reports.data.map((r) => r.occurrenceId)).toEqual([occurrenceKey(call.id, ny('2026-03-03T09:00'))]);
    const pending = (await (await guest.get('/api/v1/feedback/pending')).json()) as { data: { occurrenceId: string }[] };
    expect(pending.data.map((r) => r.occurrenceId)).toEqual([occurrenceKey(call.id, ny('2026-03-10T09:00'))]);
    expect(before).toMatch(/id="nav-badge-feedback">1</);
    // The calendar feed keeps what took place: the series now ends before the cancellation.
    const me = (await (await guest.get('/api/v1/me')).json()) as { calendarUrl: string };
    const feed = await (await anonymous(t.app).get(new URL(me.calendarUrl).pathname)).text();
    expect(
      expandCalendar(feed, MARCH.to)
        .filter((o) => o.summary === 'Weekly Acme call')
        .map((o) => day(o.start)),
    ).toEqual(['2026-03-03', '2026-03-10']);
    // Attendance stays on its sheet.
    const sheet = (await (await host.get(`/api/v1/attendance?occurrenceId=${occurrenceKey(call.id, ny('2026-03-03T09:00'))}`)).json()) as {
      data: { personId: number; attendance: string | null }[];
    };
    expect(sheet.data.find((r) => r.personId === marketer().id)).toMatchObject({ attendance: 'attended' });
  });

  it('refuses to cancel a meeting that has already started, with the form and the API', async () => {
    const call = salesCall(t, 'rep@example.com', { title: 'Globex intro', startLocal: '2026-03-04T10:00', timeZone: 'America/New_York' });
    t.clock.set('2026-03-05T12:00:00Z');
    const host = sessionAs(t, 'rep@example.com');
    const page = await (await host.get(`/events/${call.id}`)).text();
    expect(page).not.toContain(`action="/events/${call.id}/cancel"`);
    const api = await host.request(`/api/v1/events/${call.id}`, { method: 'DELETE' });
    expect(api.status).toBe(409);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('already_took_place');
    const form = await host.form(`/events/${call.id}/cancel`, {});
    expect(form.status).toBe(409);
    expect(requireEvent(t.db, call.id).status).toBe('scheduled');
  });

  it('keeps a training that took place in its session page and the completion it gave', async () => {
    const { topic, session, completion, done } = trainingAttendedOnce(t);
    expect(done?.completedAt?.toISOString()).toBe('2026-03-04T10:00:00.000Z');

    const res = await sessionAs(t, 'marketing.manager@example.com').form(`/events/${session.id}/cancel`, {});
    expect(res.status).toBe(303);
    expect(completion()).toEqual(done);
    const sessions = upcomingSessions(t.db, t.clock.now(), { topicIds: [topic.id], includePast: true });
    expect(sessions.map((s) => [s.occurrence.start.toISOString(), s.occurrence.cancelled])).toEqual([['2026-03-04T10:00:00.000Z', false]]);
    const page = await (await sessionAs(t, 'hr@example.com').get(`/programs/sessions/${session.id}`)).text();
    expect(page).toContain(`/programs/attendance/${occurrenceKey(session.id, new Date('2026-03-04T10:00:00Z'))}`);
    const learning = (await (await sessionAs(t, 'rep@example.com').get('/api/v1/learning')).json()) as { requirements?: { title: string; state: string }[] };
    expect(JSON.stringify(learning)).toContain('"done"');
  });
});

describe('upgrading a database with series called off before the moment was kept', () => {
  it('takes the last change as the moment and gives back what took place before it', () => {
    const call = calledOffAfterTwo();
    // As an older version left it: no moment, every stored occurrence cancelled.
    t.db
      .update(events)
      .set({ cancelledAt: null, updatedAt: new Date('2026-03-12T12:00:00Z') })
      .where(eq(events.id, call.id))
      .run();
    t.db.update(occurrences).set({ cancelled: true }).where(eq(occurrences.eventId, call.id)).run();
    const reopened = reopenAfterRerunning(t.db, t.dbPath, '0012_cancelled_series_keep_past');
    try {
      const event = requireEvent(reopened, call.id);
      expect(event.cancelledAt?.toISOString()).toBe('2026-03-12T12:00:00.000Z');
      const stored = occurrencesInWindow(reopened, [event], MARCH.from, MARCH.to, { includeCancelled: true }).get(call.id)!;
      expect(stored.map((o) => [day(o.start), o.cancelled])).toEqual(EXPECTED);
    } finally {
      reopened.$client.close();
    }
  });
});
