import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { eventExceptions, events, invitations, occurrences, people } from '../../db/schema';
import type { Person } from '../../src/context';
import { writeTransaction } from '../../src/db';
import { createTestApp, createTestDb, seedCompany, type SeededCompany, type TestContext } from '../support/app';
import type { EventDetails } from '../../src/events/event-rules';
import { cancelOccurrence, moveOccurrence, restoreOccurrence } from '../../src/events/occurrence-changes';
import { cancelEvent, createEvent, editFollowing, updateEvent } from '../../src/events/events';
import { claimSeat } from '../../src/events/claims';
import { decideClaim, setClaimApprovalPolicy } from '../../src/events/approvals';
import { invitePeople } from '../../src/events/invitations';
import { respond } from '../../src/events/answers';
import { expandEvent } from '../../src/events/expand';
import { occurrenceAtOf, requireOccurrence } from '../../src/events/event-occurrences';
import { extendOccurrenceHorizon, firstStoredSlots, occurrencesInWindow, storedUntil } from '../../src/events/occurrences';
import { findOpenSeats } from '../../src/events/open-seats';
import { acceptedAt, pendingInvitations, personBusyAt, personSchedule, placeKey, placeOf, seatsAt as seatsAtPlaces } from '../../src/events/schedule';
import { invitationItems } from '../../src/events/present';
import { rowsAtOccurrence } from '../../src/events/places';

let t: TestContext;
let company: SeededCompany;
const actor = { personId: null };
const DAY = 86_400_000;
// These tests are about stored rows, not about conflicts between the test events.
const join = { confirmConflicts: true };

function person(email: string): Person {
  return t.db.select().from(people).where(eq(people.email, email)).get()!;
}

function salesCall(overrides: Partial<EventDetails> = {}): EventDetails {
  return {
    kind: 'sales_call',
    title: 'Call with Acme',
    description: '',
    hostId: company.people['rep@example.com']!,
    startLocal: '2026-03-09T10:00',
    timeZone: 'America/New_York',
    durationMinutes: 60,
    seats: 2,
    rrule: null,
    account: 'Acme Corp',
    opportunityStage: 'discovery',
    location: null,
    meetingUrl: null,
    topic: null,
    ...overrides,
  };
}

/**
 * The oracle: every stored row equals what the rule, the exceptions and the invitation rows give
 * (seats counted here from all the rows in memory, not by the SQL that maintains them).
 */
function expectStoredMatchesRule() {
  const db = t.db;
  const until = storedUntil(db);
  expect(until).toBeGreaterThan(0);
  for (const event of db.select().from(events).all()) {
    const exceptions = db.select().from(eventExceptions).where(eq(eventExceptions.eventId, event.id)).all();
    const expected = expandEvent(event, exceptions, event.spanStart, new Date(until), true);
    const rows = db.select().from(invitations).where(eq(invitations.eventId, event.id)).all();
    // The rule as rowsAtOccurrence states it for rows in memory; the stored counts come from its SQL form.
    const seatsAt = (o: { originalStart: Date; start: Date }) => rowsAtOccurrence(rows, event.rrule ? o : null).filter((r) => r.holdsSeat).length;
    const stored = db
      .select()
      .from(occurrences)
      .where(eq(occurrences.eventId, event.id))
      .all()
      .sort((a, b) => a.start.getTime() - b.start.getTime() || a.originalStart.getTime() - b.originalStart.getTime());
    // Kept by triggers: who may claim a free seat there (the event's guest department, '*' for anyone), null when none is free.
    const openTo = (o: { cancelled: boolean }, seatsTaken: number) =>
      !o.cancelled && seatsTaken < event.seats && event.status === 'scheduled' && event.seats > 0 ? (event.guestDepartment ?? '*') : null;
    expect(
      stored.map((o) => ({ originalStart: o.originalStart, start: o.start, end: o.end, cancelled: o.cancelled, seatsTaken: o.seatsTaken, openTo: o.openTo })),
      `event ${event.id}`,
    ).toEqual(
      expected.map((o) => ({
        originalStart: o.originalStart,
        start: o.start,
        end: o.end,
        cancelled: o.cancelled,
        seatsTaken: seatsAt(o),
        openTo: openTo(o, seatsAt(o)),
      })),
    );
    // Seat holders and waitlist as My schedule's hosted list reads them (only those rows, by kind): the same rule.
    const places = stored.map((o) => placeOf(event, o));
    const read = seatsAtPlaces(db, places);
    expect(
      places.map((p) => read.get(placeKey(p))),
      `event ${event.id} seats`,
    ).toEqual(
      stored.map((o) => {
        const here = rowsAtOccurrence(rows, event.rrule ? o : null);
        return {
          holders: here
            .filter((r) => r.holdsSeat)
            .sort((a, b) => Number(a.occurrenceStart !== null) - Number(b.occurrenceStart !== null) || a.id - b.id)
            .map((r) => r.personId),
          waitlisted: here.filter((r) => r.status === 'waitlisted').length,
        };
      }),
    );
    // Who accepted, as the reminders read it (only those rows): the same rule.
    const accepted = acceptedAt(db, places);
    expect(
      places.map((p) => accepted.get(placeKey(p))),
      `event ${event.id} accepted`,
    ).toEqual(
      stored.map((o) =>
        rowsAtOccurrence(rows, event.rrule ? o : null)
          .filter((r) => r.status === 'accepted')
          .map((r) => r.personId)
          .sort((a, b) => a - b),
      ),
    );
  }
  expect(db.$client.prepare('SELECT count(*) AS n FROM occurrence_changes').get()).toEqual({ n: 0 });
}

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
  for (let i = 1; i <= 4; i++) {
    t.db
      .insert(people)
      .values({
        email: `mk${i}@example.com`,
        name: `Marketer ${i}`,
        department: 'marketing',
        role: 'employee',
        hireDate: '2025-01-01',
        timeZone: 'Europe/London',
        managerId: company.people['marketing.manager@example.com'],
      })
      .run();
  }
});
afterEach(() => t.close());

describe('stored occurrences', () => {
  it('match the rule and the seat rule after every kind of write', () => {
    const rep = person('rep@example.com');
    const [mk1, mk2, mk3, mk4] = [1, 2, 3, 4].map((i) => person(`mk${i}@example.com`));
    const clock = t.clock;
    expect(storedUntil(t.db)).toBe(clock.now().getTime() + 396 * DAY);

    const oneOff = createEvent(t.db, clock, actor, rep, salesCall());
    expectStoredMatchesRule();
    const series = createEvent(t.db, clock, actor, rep, salesCall({ title: 'Weekly', rrule: 'FREQ=WEEKLY;BYDAY=MO', seats: 2 }));
    const open = createEvent(t.db, clock, actor, rep, salesCall({ title: 'Daily', startLocal: '2026-03-03T09:00', rrule: 'FREQ=DAILY;INTERVAL=3' }));
    expectStoredMatchesRule();

    invitePeople(t.db, clock, actor, rep, series.id, [mk1!.id, mk2!.id, mk3!.id], null);
    invitePeople(t.db, clock, actor, rep, oneOff.id, [mk1!.id], null);
    expectStoredMatchesRule();
    respond(t.db, clock, actor, mk1!, { eventId: series.id, start: null, answer: 'accepted' }, join);
    respond(t.db, clock, actor, mk2!, { eventId: series.id, start: null, answer: 'accepted' }, join);
    respond(t.db, clock, actor, mk1!, { eventId: oneOff.id, start: null, answer: 'accepted' }, join);
    expectStoredMatchesRule();
    // An occurrence answer overrides the series answer there, and frees a seat for the waitlist.
    const third = new Date('2026-03-23T14:00:00Z');
    respond(t.db, clock, actor, mk3!, { eventId: series.id, start: null, answer: 'accepted' }, join);
    respond(t.db, clock, actor, mk1!, { eventId: series.id, start: third, answer: 'declined' }, join);
    expectStoredMatchesRule();
    claimSeat(t.db, clock, actor, mk4!, open.id, new Date('2026-03-06T14:00:00Z'), join);
    setClaimApprovalPolicy(t.db, clock, actor, company.people['marketing.manager@example.com']!, true);
    const pending = claimSeat(t.db, clock, actor, mk4!, series.id, new Date('2026-03-30T14:00:00Z'), join);
    expectStoredMatchesRule();
    decideClaim(t.db, clock, actor, person('marketing.manager@example.com'), pending.invitation.id, false);
    expectStoredMatchesRule();

    updateEvent(t.db, clock, actor, rep, series.id, { title: 'Weekly sync' });
    updateEvent(t.db, clock, actor, rep, open.id, { startLocal: '2026-03-03T11:30', durationMinutes: 45 });
    expectStoredMatchesRule();
    // Seats and guests: a full one-off, seats taken away and given back, a host from the other department.
    const openOf = (eventId: number) => [
      ...new Set(
        t.db
          .select()
          .from(occurrences)
          .where(eq(occurrences.eventId, eventId))
          .all()
          .map((o) => o.openTo),
      ),
    ];
    expect(openOf(open.id)).toEqual(['marketing']);
    updateEvent(t.db, clock, actor, rep, oneOff.id, { seats: 1 });
    expectStoredMatchesRule();
    updateEvent(t.db, clock, actor, rep, open.id, { seats: 0 });
    expect(openOf(open.id)).toEqual([null]);
    expectStoredMatchesRule();
    updateEvent(t.db, clock, actor, rep, open.id, { seats: 3 });
    updateEvent(t.db, clock, actor, rep, oneOff.id, { seats: 2 });
    expectStoredMatchesRule();
    const handedOver = createEvent(
      t.db,
      clock,
      actor,
      rep,
      salesCall({ kind: 'alignment_meeting', title: 'Handed over', startLocal: '2026-03-12T10:00', rrule: 'FREQ=WEEKLY;COUNT=3' }),
    );
    const training = createEvent(t.db, clock, actor, rep, salesCall({ kind: 'training', title: 'Open to anyone', startLocal: '2026-03-13T10:00' }));
    expect([openOf(handedOver.id), openOf(training.id)]).toEqual([['marketing'], ['*']]);
    updateEvent(t.db, clock, actor, person('hr@example.com'), handedOver.id, { hostId: mk3!.id });
    expect(openOf(handedOver.id)).toEqual(['sales']);
    expectStoredMatchesRule();
    cancelOccurrence(t.db, clock, actor, rep, { eventId: series.id, originalStart: new Date('2026-03-16T14:00:00Z') });
    moveOccurrence(t.db, clock, actor, rep, { eventId: series.id, originalStart: third }, '2026-03-24T15:00');
    expectStoredMatchesRule();
    restoreOccurrence(t.db, clock, actor, rep, series.id, new Date('2026-03-16T14:00:00Z'));
    expectStoredMatchesRule();
    const tail = editFollowing(
      t.db,
      clock,
      actor,
      rep,
      { eventId: series.id, originalStart: new Date('2026-04-06T14:00:00Z') },
      { seats: 1, startLocal: '2026-04-07T10:00' },
    );
    expect(tail.splitFromEventId).toBe(series.id);
    expectStoredMatchesRule();
    cancelEvent(t.db, clock, actor, rep, oneOff.id);
    expectStoredMatchesRule();
    t.db.delete(events).where(eq(events.id, open.id)).run();
    expect(t.db.select().from(occurrences).where(eq(occurrences.eventId, open.id)).all()).toEqual([]);
    expectStoredMatchesRule();

    // A write made outside writeTransaction is applied by the next transaction (or the horizon job).
    t.db.update(invitations).set({ holdsSeat: false, status: 'declined' }).where(eq(invitations.personId, mk2!.id)).run();
    writeTransaction(t.db, () => undefined);
    expectStoredMatchesRule();

    // The daily job: a week later the horizon moves a week, adding only the days that came into reach.
    clock.advance(7 * DAY);
    const before = storedUntil(t.db);
    expect(extendOccurrenceHorizon(t.db, clock.now(), writeTransaction).until).toBe(before + 7 * DAY);
    expectStoredMatchesRule();

    // New times for a series that has begun: the rows of what began stay as they were, the rest is a new series.
    clock.set('2026-03-18T12:00:00Z');
    const pastRows = () =>
      t.db
        .select()
        .from(occurrences)
        .where(eq(occurrences.eventId, series.id))
        .all()
        .filter((o) => o.start.getTime() < clock.now().getTime());
    const began = pastRows();
    expect(began.map((o) => o.start.toISOString())).toEqual(['2026-03-09T14:00:00.000Z', '2026-03-16T14:00:00.000Z']);
    const retimed = updateEvent(t.db, clock, actor, rep, series.id, { startLocal: '2026-03-09T11:30' });
    expect([retimed.splitFromEventId, retimed.startLocal]).toEqual([series.id, '2026-03-23T11:30']);
    expect(pastRows()).toEqual(began);
    expectStoredMatchesRule();
    // The new series has not begun: changed in place.
    expect(updateEvent(t.db, clock, actor, rep, retimed.id, { durationMinutes: 30 }).id).toBe(retimed.id);
    expectStoredMatchesRule();
  });

  it('recount only what a series answer reaches: later occurrences equal a count from scratch, those that started are left as they were', () => {
    const rep = person('rep@example.com');
    const [mk1, mk2] = [1, 2].map((i) => person(`mk${i}@example.com`));
    const series = createEvent(t.db, t.clock, actor, rep, salesCall({ title: 'Weekly', rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=12', seats: 2 }));
    invitePeople(t.db, t.clock, actor, rep, series.id, [mk1!.id], null);
    respond(t.db, t.clock, actor, mk1!, { eventId: series.id, start: null, answer: 'accepted' }, join);
    expectStoredMatchesRule();
    // Three Mondays later; a started occurrence's stored count is marked, to see whether anything rewrites it.
    t.clock.set('2026-03-25T12:00:00Z');
    const marked = new Date('2026-03-16T14:00:00Z');
    const mark = () =>
      t.db.$client.prepare('UPDATE occurrences SET seats_taken = 99 WHERE event_id = ? AND original_start = ?').run(series.id, marked.getTime());
    mark();
    const storedAt = (at: Date) =>
      t.db.$client.prepare('SELECT seats_taken AS n FROM occurrences WHERE event_id = ? AND original_start = ?').pluck().get(series.id, at.getTime());
    const expectLaterFromScratch = () => {
      const rows = t.db.select().from(invitations).where(eq(invitations.eventId, series.id)).all();
      const later = t.db
        .select()
        .from(occurrences)
        .where(eq(occurrences.eventId, series.id))
        .all()
        .filter((o) => o.start.getTime() > t.clock.now().getTime());
      expect(later).toHaveLength(9);
      for (const o of later) expect(o.seatsTaken, o.start.toISOString()).toBe(rowsAtOccurrence(rows, o).filter((r) => r.holdsSeat).length);
    };

    // A new guest of the whole series, and their answer: seats change from now on only.
    invitePeople(t.db, t.clock, actor, rep, series.id, [mk2!.id], null);
    respond(t.db, t.clock, actor, mk2!, { eventId: series.id, start: null, answer: 'accepted' }, join);
    expect(storedAt(marked)).toBe(99);
    expectLaterFromScratch();
    expect(storedAt(new Date('2026-03-30T14:00:00Z'))).toBe(2);
    respond(t.db, t.clock, actor, mk2!, { eventId: series.id, start: null, answer: 'declined' }, join);
    expect(storedAt(marked)).toBe(99);
    expectLaterFromScratch();
    expect(storedAt(new Date('2026-03-30T14:00:00Z'))).toBe(1);
    // A guest of three weeks leaving: the occurrences that started get rows of their own, each recounted
    // as that row says (the marked one too); answering again later leaves them alone.
    respond(t.db, t.clock, actor, mk1!, { eventId: series.id, start: null, answer: 'declined' }, join);
    expect(storedAt(marked)).toBe(1);
    expectLaterFromScratch();
    expect(storedAt(new Date('2026-03-30T14:00:00Z'))).toBe(0);
    mark();
    t.clock.set('2026-03-26T12:00:00Z');
    respond(t.db, t.clock, actor, mk1!, { eventId: series.id, start: null, answer: 'accepted' }, join);
    expect(storedAt(marked)).toBe(99);
    expectLaterFromScratch();
    expect(storedAt(new Date('2026-03-30T14:00:00Z'))).toBe(1);
    // A whole-series answer that holds no seat before or after moves no count: nothing is recounted.
    const mk3 = person('mk3@example.com');
    invitePeople(t.db, t.clock, actor, rep, series.id, [mk3!.id], null);
    const later = new Date('2026-04-20T14:00:00Z');
    const right = storedAt(later);
    t.db.$client.prepare('UPDATE occurrences SET seats_taken = 99 WHERE event_id = ? AND original_start = ?').run(series.id, later.getTime());
    respond(t.db, t.clock, actor, mk3!, { eventId: series.id, start: null, answer: 'tentative' }, join);
    respond(t.db, t.clock, actor, mk3!, { eventId: series.id, start: null, answer: 'declined' }, join);
    expect(storedAt(later)).toBe(99);
    t.db.$client.prepare('UPDATE occurrences SET seats_taken = ? WHERE event_id = ? AND original_start = ?').run(right, series.id, later.getTime());
    expectLaterFromScratch();
    // One occurrence's own answer recounts that occurrence alone.
    respond(t.db, t.clock, actor, mk1!, { eventId: series.id, start: new Date('2026-04-06T14:00:00Z'), answer: 'declined' }, join);
    expect(storedAt(new Date('2026-04-06T14:00:00Z'))).toBe(0);
    expect(storedAt(new Date('2026-04-13T14:00:00Z'))).toBe(1);
    expect(storedAt(marked)).toBe(99);
    expectLaterFromScratch();
  });

  it('answers from the rows inside the horizon and expands the rule past it, alike', () => {
    const rep = person('rep@example.com');
    const mk1 = person('mk1@example.com');
    const series = createEvent(t.db, t.clock, actor, rep, salesCall({ rrule: 'FREQ=WEEKLY;BYDAY=MO,TH', seats: 3 }));
    invitePeople(t.db, t.clock, actor, rep, series.id, [mk1.id], null);
    respond(t.db, t.clock, actor, mk1, { eventId: series.id, start: null, answer: 'accepted' }, join);
    const until = storedUntil(t.db);
    const window = (from: number, to: number) => occurrencesInWindow(t.db, [series], new Date(from), new Date(to)).get(series.id) ?? [];
    const inside = window(until - 30 * DAY, until);
    expect(inside.length).toBeGreaterThan(5);
    expect(inside.every((o) => o.seatsTaken === 1)).toBe(true);
    // The same stretch straddling the horizon comes from expansion with the same seats.
    const straddling = window(until - 30 * DAY, until + DAY);
    expect(straddling.slice(0, inside.length)).toEqual(inside);
    expect(window(until + 100 * DAY, until + 130 * DAY).every((o) => o.seatsTaken === 1)).toBe(true);
    // A schedule far ahead reads the expansion too.
    expect(personSchedule(t.db, mk1.id, new Date(until + 100 * DAY), new Date(until + 107 * DAY))).toHaveLength(2);
  });

  it('finds one occurrence from its stored row as the rule finds it, and from the rule once the transaction changed its timing', () => {
    const rep = person('rep@example.com');
    const series = createEvent(t.db, t.clock, actor, rep, salesCall({ rrule: 'FREQ=WEEKLY;BYDAY=MO', seats: 3 }));
    cancelOccurrence(t.db, t.clock, actor, rep, { eventId: series.id, originalStart: new Date('2026-03-16T14:00:00Z') });
    moveOccurrence(t.db, t.clock, actor, rep, { eventId: series.id, originalStart: new Date('2026-03-23T14:00:00Z') }, '2026-03-24T15:00');
    const event = t.db.select().from(events).where(eq(events.id, series.id)).get()!;
    const fromRule = (originalStart: Date) =>
      occurrenceAtOf(event, t.db.select().from(eventExceptions).where(eq(eventExceptions.eventId, series.id)).all(), originalStart);
    const found = (originalStart: Date) => {
      try {
        return requireOccurrence(t.db, event, originalStart);
      } catch {
        return null;
      }
    };
    const until = storedUntil(t.db);
    const starts = [
      '2026-03-09T14:00:00Z',
      '2026-03-16T14:00:00Z',
      '2026-03-23T14:00:00Z',
      '2026-03-30T14:00:00Z',
      '2026-03-30T14:30:00Z',
      '2026-03-31T14:00:00Z',
      '2026-03-02T14:00:00Z',
    ].map((s) => new Date(s));
    const farAhead = new Date(until + 14 * DAY);
    const monday = new Date(farAhead.getTime() - ((farAhead.getUTCDay() + 6) % 7) * DAY);
    starts.push(new Date(Date.UTC(monday.getUTCFullYear(), monday.getUTCMonth(), monday.getUTCDate(), 13)));
    starts.push(new Date(Date.UTC(monday.getUTCFullYear(), monday.getUTCMonth(), monday.getUTCDate(), 14)));
    const stored = new Set(
      t.db
        .select()
        .from(occurrences)
        .where(eq(occurrences.eventId, series.id))
        .all()
        .map((o) => o.originalStart.getTime()),
    );
    expect(starts.filter((s) => stored.has(s.getTime()))).toHaveLength(4);
    expect(starts.map(found).filter(Boolean)).toHaveLength(5);
    for (const start of starts) expect(found(start), start.toISOString()).toEqual(fromRule(start));
    expect(found(new Date('2026-03-23T14:00:00Z'))?.start.toISOString()).toBe('2026-03-24T19:00:00.000Z');
    expect(found(new Date('2026-03-16T14:00:00Z'))?.cancelled).toBe(true);

    // Inside a transaction that moved an occurrence, its stored row is rebuilt only before COMMIT: the rule answers.
    const moved = writeTransaction(t.db, (tx) => {
      tx.insert(eventExceptions)
        .values({
          eventId: series.id,
          originalStart: new Date('2026-03-30T14:00:00Z'),
          kind: 'moved',
          start: new Date('2026-03-31T13:00:00Z'),
          end: new Date('2026-03-31T14:00:00Z'),
        })
        .run();
      return requireOccurrence(tx, event, new Date('2026-03-30T14:00:00Z'));
    });
    expect([moved.start.toISOString(), moved.isMoved]).toEqual(['2026-03-31T13:00:00.000Z', true]);
    expect(found(new Date('2026-03-30T14:00:00Z'))).toEqual(moved);
    expectStoredMatchesRule();
  });

  it("reads a series' first few occurrences in a window as the window's occurrences cut to that many, cancelled and moved ones as they are", () => {
    const rep = person('rep@example.com');
    const daily = createEvent(t.db, t.clock, actor, rep, salesCall({ rrule: 'FREQ=DAILY' }));
    const weekly = createEvent(t.db, t.clock, actor, rep, salesCall({ rrule: 'FREQ=WEEKLY;BYDAY=MO,TH', startLocal: '2026-03-09T16:00' }));
    const short = createEvent(t.db, t.clock, actor, rep, salesCall({ rrule: 'FREQ=DAILY;COUNT=2', startLocal: '2026-03-10T09:00' }));
    const [, second, third] = occurrencesInWindow(t.db, [daily], t.clock.now(), new Date(t.clock.now().getTime() + 10 * DAY)).get(daily.id)!;
    cancelOccurrence(t.db, t.clock, actor, rep, second!);
    // Moved before the one ahead of it: the first few are the soonest by their actual start.
    moveOccurrence(t.db, t.clock, actor, rep, third!, '2026-03-09T08:00', 30);
    const series = [daily, weekly, short].map((id) => t.db.select().from(events).where(eq(events.id, id.id)).get()!);
    for (const [from, days] of [
      [t.clock.now(), 60],
      [new Date(t.clock.now().getTime() + 3 * DAY), 2],
      [new Date(t.clock.now().getTime() + 20 * DAY), 60],
    ] as const) {
      const to = new Date(from.getTime() + days * DAY);
      const expected = occurrencesInWindow(t.db, series, from, to);
      const found = firstStoredSlots(
        t.db,
        series.map((e) => e.id),
        from,
        to,
        5,
      );
      for (const event of series) {
        expect(found?.get(event.id) ?? []).toEqual((expected.get(event.id) ?? []).slice(0, 5).map((o) => ({ start: o.start, end: o.end })));
      }
    }
    const firsts = firstStoredSlots(t.db, [daily.id], t.clock.now(), new Date(t.clock.now().getTime() + 60 * DAY), 5)?.get(daily.id) ?? [];
    expect(firsts).toHaveLength(5);
    expect(firsts[0]!.start).toEqual(new Date('2026-03-09T12:00:00Z'));
    expect(firsts.map((s) => s.start.getTime())).not.toContain(second!.start.getTime());
    // Past the horizon the caller expands instead.
    const until = storedUntil(t.db);
    expect(firstStoredSlots(t.db, [daily.id], new Date(until - DAY), new Date(until + DAY), 5)).toBeNull();
  });

  it('reads schedules, busy times and invitation cards from the rows exactly as expanding the rules gives them', () => {
    const rep = person('rep@example.com');
    const [mk1, mk2, mk3] = [1, 2, 3].map((i) => person(`mk${i}@example.com`)) as [Person, Person, Person];
    const clock = t.clock;
    const weekly = createEvent(t.db, clock, actor, rep, salesCall({ title: 'Weekly', rrule: 'FREQ=WEEKLY;BYDAY=MO,TH', seats: 2 }));
    const oneOff = createEvent(t.db, clock, actor, rep, salesCall({ title: 'One-off', startLocal: '2026-03-05T13:00' }));
    const called = createEvent(t.db, clock, actor, rep, salesCall({ title: 'Called off', startLocal: '2026-03-04T09:00', rrule: 'FREQ=DAILY' }));
    const mine = createEvent(
      t.db,
      clock,
      actor,
      mk1,
      salesCall({
        kind: 'marketing_meeting',
        title: 'Hosted by a marketer',
        hostId: mk1.id,
        startLocal: '2026-03-10T08:00',
        account: null,
        opportunityStage: null,
        topic: 'Launch',
      }),
    );
    invitePeople(t.db, clock, actor, rep, weekly.id, [mk1.id, mk2.id, mk3.id], null);
    invitePeople(t.db, clock, actor, rep, oneOff.id, [mk1.id, mk2.id], null);
    invitePeople(t.db, clock, actor, rep, called.id, [mk1.id], null);
    respond(t.db, clock, actor, mk1, { eventId: weekly.id, start: null, answer: 'accepted' }, join);
    respond(t.db, clock, actor, mk2, { eventId: weekly.id, start: null, answer: 'declined' }, join);
    // Per occurrence: one declined within an accepted series, one accepted within a declined one.
    respond(t.db, clock, actor, mk1, { eventId: weekly.id, start: new Date('2026-03-12T14:00:00Z'), answer: 'declined' }, join);
    respond(t.db, clock, actor, mk2, { eventId: weekly.id, start: new Date('2026-03-16T14:00:00Z'), answer: 'accepted' }, join);
    respond(t.db, clock, actor, mk1, { eventId: oneOff.id, start: null, answer: 'accepted' }, join);
    respond(t.db, clock, actor, mk1, { eventId: called.id, start: null, answer: 'accepted' }, join);
    moveOccurrence(t.db, clock, actor, rep, { eventId: weekly.id, originalStart: new Date('2026-03-19T14:00:00Z') }, '2026-03-20T16:00');
    cancelOccurrence(t.db, clock, actor, rep, { eventId: weekly.id, originalStart: new Date('2026-03-23T14:00:00Z') });
    clock.set('2026-03-06T12:00:00Z');
    cancelEvent(t.db, clock, actor, rep, called.id);
    expect(mine.hostId).toBe(mk1.id);

    const now = clock.now();
    const windows: [Date, Date][] = [
      [new Date('2026-03-02T00:00:00Z'), new Date('2026-03-09T00:00:00Z')],
      [new Date('2026-03-09T00:00:00Z'), new Date('2026-04-06T00:00:00Z')],
      [new Date('2026-02-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z')],
    ];
    const slots = [
      { start: new Date('2026-03-05T18:00:00Z'), end: new Date('2026-03-05T19:00:00Z') },
      { start: new Date('2026-03-12T14:30:00Z'), end: new Date('2026-03-12T15:00:00Z') },
      { start: new Date('2026-03-16T13:30:00Z'), end: new Date('2026-03-16T14:30:00Z') },
      { start: new Date('2026-03-20T20:00:00Z'), end: new Date('2026-03-20T21:00:00Z') },
      { start: new Date('2026-03-23T14:00:00Z'), end: new Date('2026-03-23T15:00:00Z') },
    ];
    // What a schedule shows of its events (the expansion reads whole event rows).
    const shown = (entries: ReturnType<typeof personSchedule>) =>
      entries.map(({ event: e, ...entry }) => ({
        ...entry,
        event: { id: e.id, title: e.title, kind: e.kind, rrule: e.rrule, seats: e.seats, status: e.status, hostId: e.hostId, hostName: e.hostName },
      }));
    const read = () =>
      [rep, mk1, mk2, mk3].map((p) => ({
        schedules: windows.flatMap(([from, to]) => [
          shown(personSchedule(t.db, p.id, from, to)),
          shown(personSchedule(t.db, p.id, from, to, { includeCancelled: true })),
          shown(personSchedule(t.db, p.id, from, to, { includeDeclined: true, includeCancelled: true })),
        ]),
        busy: personBusyAt(t.db, p.id, slots),
        cards: invitationItems(t.db, now, p.timeZone, pendingInvitations(t.db, now, p.id)),
      }));
    const fromRows = read();
    // The declined Thursday and the cancelled Monday keep nobody busy; the moved Thursday does, at its new time.
    expect(fromRows[1]!.busy.map((b) => `${b.title} ${b.start.toISOString()}`)).toEqual([
      'One-off 2026-03-05T18:00:00.000Z',
      'Weekly 2026-03-16T14:00:00.000Z',
      'Weekly 2026-03-20T20:00:00.000Z',
    ]);
    expect(fromRows[2]!.busy.map((b) => b.start.toISOString())).toEqual(['2026-03-16T14:00:00.000Z']);
    expect(fromRows[0]!.schedules[3]!.some((e) => e.occurrence.isMoved)).toBe(true);
    // Without a horizon every read expands the rules and applies the place rule in memory: the oracle.
    const horizon = t.db.$client.prepare('SELECT until FROM occurrence_horizon WHERE id = 1').get() as { until: number };
    t.db.$client.prepare('UPDATE occurrence_horizon SET until = 0 WHERE id = 1').run();
    const expanded = read();
    t.db.$client.prepare('UPDATE occurrence_horizon SET until = ? WHERE id = 1').run(horizon.until);
    expect(fromRows).toEqual(expanded);
  });

  it('falls back to expansion on a database whose horizon was never built', async () => {
    const { db, cleanup } = createTestDb();
    try {
      const seeded = await seedCompany(db);
      const rep = db.select().from(people).where(eq(people.id, seeded.people['rep@example.com']!)).get()!;
      const marketer = db.select().from(people).where(eq(people.id, seeded.people['marketer@example.com']!)).get()!;
      const e = createEvent(db, t.clock, actor, rep, { ...salesCall(), hostId: rep.id, seats: 1 });
      expect(storedUntil(db)).toBe(0);
      expect(db.select().from(occurrences).all()).toEqual([]);
      const seats = findOpenSeats(db, t.clock.now(), marketer, { from: t.clock.now(), to: new Date(t.clock.now().getTime() + 30 * DAY) });
      expect(seats.map((s) => s.event.id)).toEqual([e.id]);
      // The job builds the rows; the answer stays the same.
      extendOccurrenceHorizon(db, t.clock.now(), writeTransaction);
      expect(db.select().from(occurrences).all()).toHaveLength(1);
      expect(findOpenSeats(db, t.clock.now(), marketer, { from: t.clock.now(), to: new Date(t.clock.now().getTime() + 30 * DAY) })).toEqual(seats);
    } finally {
      cleanup();
    }
  });
});
