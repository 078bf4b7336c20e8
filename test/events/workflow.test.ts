/**
 * Booking-tool workflows in the domain: conflicts named before the click and confirmed before a
 * conflicting join, claiming a whole series, leaving, undoing a claim, duplicate events.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { invitations, people } from '../../db/schema';
import type { Person } from '../../src/context';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';
import type { EventDetails } from '../../src/events/event-rules';
import { eventOccurrences } from '../../src/events/event-occurrences';
import { cancelOccurrence } from '../../src/events/occurrence-changes';
import { createEvent, findDuplicateEvent } from '../../src/events/events';
import { claimSeat, claimSeries, leaveSeat, undoClaims } from '../../src/events/claims';
import { invitePeople, UNDO_WINDOW_MS } from '../../src/events/invitations';
import { respond } from '../../src/events/answers';
import { conflictsForPlaces } from '../../src/events/conflicts';
import { namedPlacesAt } from '../../src/events/schedule';
import { AppError } from '../../src/lib/errors';

let t: TestContext;
let company: SeededCompany;
const actor = { personId: null };

const person = (email: string): Person => t.db.select().from(people).where(eq(people.email, email)).get()!;

function call(overrides: Partial<EventDetails> = {}): EventDetails {
  return {
    kind: 'sales_call',
    title: 'Weekly pipeline call',
    description: '',
    hostId: company.people['rep@example.com']!,
    startLocal: '2026-03-09T09:00',
    timeZone: 'America/New_York',
    durationMinutes: 60,
    seats: 1,
    rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4',
    account: 'Acme Corp',
    opportunityStage: 'discovery',
    location: null,
    meetingUrl: null,
    topic: null,
    ...overrides,
  };
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

describe('conflicts before the click', () => {
  it('names the conflicts of many rows in one call, speaking to the person as "you"', () => {
    const rep = person('rep@example.com');
    const marketer = person('marketer@example.com'); // Europe/Berlin, 09:00–17:00
    const demo = createEvent(t.db, t.clock, actor, rep, call({ title: 'Acme demo', rrule: null, startLocal: '2026-03-16T09:30' }));
    claimSeat(t.db, t.clock, actor, marketer, demo.id, null);
    const series = createEvent(t.db, t.clock, actor, rep, call());
    const late = createEvent(t.db, t.clock, actor, rep, call({ title: 'Late call', rrule: null, startLocal: '2026-03-10T12:00' }));
    const [first, second] = eventOccurrences(t.db, series, t.clock.now(), new Date('2026-04-01T00:00:00Z'));
    const found = conflictsForPlaces(
      t.db,
      t.clock.now(),
      marketer,
      [
        { event: series, originalStart: first!.originalStart },
        { event: series, originalStart: second!.originalStart },
        { event: late, originalStart: null },
      ],
      { you: true },
    );
    expect(found[0]).toEqual([]);
    expect(found[1]!.map((c) => c.message)).toEqual(['You already have "Acme demo" at Mon 16 Mar 14:30–15:30 (Europe/Berlin).']);
    expect(found[2]!.map((c) => c.message)).toEqual(['Tue 10 Mar 17:00–18:00 (Europe/Berlin) is outside your working hours (09:00–17:00).']);
  });

  it('refuses a conflicting claim or acceptance until it is confirmed, and writes nothing before', () => {
    const rep = person('rep@example.com');
    const marketer = person('marketer@example.com');
    const late = createEvent(t.db, t.clock, actor, rep, call({ title: 'Late call', rrule: null, startLocal: '2026-03-10T12:00' }));
    const refused = thrown(() => claimSeat(t.db, t.clock, actor, marketer, late.id, null, { you: true }));
    expect([refused.status, refused.code]).toEqual([409, 'conflict']);
    expect((refused.details!.conflicts as { code: string }[]).map((c) => c.code)).toEqual(['working_hours']);
    expect(refused.message).toContain('your working hours');
    expect(t.db.select().from(invitations).all()).toEqual([]);
    const confirmed = claimSeat(t.db, t.clock, actor, marketer, late.id, null, { you: true, confirmConflicts: true });
    expect([confirmed.outcome, confirmed.conflicts.length, confirmed.undoable]).toEqual(['accepted', 1, true]);

    const other = createEvent(t.db, t.clock, actor, rep, call({ title: 'Other late call', rrule: null, startLocal: '2026-03-11T12:00' }));
    invitePeople(t.db, t.clock, actor, rep, other.id, [marketer.id], null);
    expect(thrown(() => respond(t.db, t.clock, actor, marketer, { eventId: other.id, start: null, answer: 'accepted' })).code).toBe('conflict');
    // Declining never asks.
    expect(respond(t.db, t.clock, actor, marketer, { eventId: other.id, start: null, answer: 'declined' }).outcome).toBe('declined');
  });
});

describe('claiming a whole series', () => {
  it('claims each future occurrence in one step and answers the outcome of each', () => {
    const rep = person('rep@example.com');
    const marketer = person('marketer@example.com');
    const series = createEvent(t.db, t.clock, actor, rep, call());
    const [first, second, third, fourth] = eventOccurrences(t.db, series, t.clock.now(), new Date('2026-04-30T00:00:00Z'));
    // The second occurrence is taken; the third overlaps a call the marketer accepted.
    claimSeat(t.db, t.clock, actor, person('marketer2@example.com'), series.id, second!.originalStart);
    const demo = createEvent(t.db, t.clock, actor, rep, call({ title: 'Acme demo', rrule: null, startLocal: '2026-03-23T09:30' }));
    claimSeat(t.db, t.clock, actor, marketer, demo.id, null);

    const result = claimSeries(t.db, t.clock, actor, marketer, series.id, { you: true });
    expect(result.lines.map((l) => [l.occurrence.key, l.outcome, l.waitlistPosition])).toEqual([
      [first!.key, 'claimed', null],
      [second!.key, 'waitlisted', 1],
      [third!.key, 'conflict', null],
      [fourth!.key, 'claimed', null],
    ]);
    expect(result.lines[2]!.conflicts[0]!.message).toBe('You already have "Acme demo" at Mon 23 Mar 14:30–15:30 (Europe/Berlin).');
    expect(result.more).toBe(false);
    expect(
      namedPlacesAt(t.db, series, fourth!.originalStart)
        .filter((a) => a.holdsSeat)
        .map((a) => a.name),
    ).toEqual(['Mark Marketer']);

    // Again: what is already theirs stays; with confirmation the conflicting one is taken too, and
    // without the waitlist a full occurrence is skipped.
    const again = claimSeries(t.db, t.clock, actor, marketer, series.id, { you: true, confirmConflicts: true, waitlist: false });
    expect(again.lines.map((l) => l.outcome)).toEqual(['already', 'already', 'claimed', 'already']);
    const third2 = claimSeries(t.db, t.clock, actor, person('demand@example.com'), series.id, { waitlist: false });
    expect(third2.lines.map((l) => l.outcome)).toEqual(['full', 'full', 'full', 'full']);
  });

  it('reaches a bounded horizon of an endless series and says there is more', () => {
    const series = createEvent(t.db, t.clock, actor, person('rep@example.com'), call({ rrule: 'FREQ=WEEKLY;BYDAY=MO', seats: 3 }));
    const result = claimSeries(t.db, t.clock, actor, person('marketer2@example.com'), series.id);
    expect(result.lines.length).toBe(25); // Mondays from 9 Mar up to 182 days ahead
    expect(result.more).toBe(true);
    expect(result.lines.every((l) => l.outcome === 'claimed')).toBe(true);
  });

  it('refuses one-off events and the own department', () => {
    const rep = person('rep@example.com');
    const oneOff = createEvent(t.db, t.clock, actor, rep, call({ rrule: null }));
    expect(thrown(() => claimSeries(t.db, t.clock, actor, person('marketer2@example.com'), oneOff.id)).code).toBe('not_a_series');
    const series = createEvent(t.db, t.clock, actor, rep, call());
    expect(thrown(() => claimSeries(t.db, t.clock, actor, person('rep2@example.com'), series.id)).status).toBe(403);
  });
});

describe('leaving and undoing', () => {
  it('undoes a claim just made, for its person only and only for a while; the waitlist moves up', () => {
    const rep = person('rep@example.com');
    const series = createEvent(t.db, t.clock, actor, rep, call());
    const marketer2 = person('marketer2@example.com');
    const claimed = claimSeries(t.db, t.clock, actor, marketer2, series.id);
    const ids = claimed.lines.map((l) => l.invitationId!);
    const waiting = claimSeat(t.db, t.clock, actor, person('demand@example.com'), series.id, claimed.lines[0]!.occurrence.originalStart);
    expect(waiting.outcome).toBe('waitlisted');
    expect(thrown(() => undoClaims(t.db, t.clock, actor, person('demand@example.com'), ids)).status).toBe(404);

    const undone = undoClaims(t.db, t.clock, actor, marketer2, ids);
    expect(undone.undone).toBe(4);
    expect(undone.promoted.map((r) => r.personId)).toEqual([person('demand@example.com').id]);
    expect(t.db.select().from(invitations).where(eq(invitations.personId, marketer2.id)).all()).toEqual([]);

    const late = claimSeat(t.db, t.clock, actor, marketer2, series.id, claimed.lines[1]!.occurrence.originalStart);
    t.clock.set(new Date(t.clock.now().getTime() + UNDO_WINDOW_MS + 1000).toISOString());
    expect(thrown(() => undoClaims(t.db, t.clock, actor, marketer2, [late.invitation.id])).code).toBe('undo_expired');
  });

  it('undo brings back an earlier answer and refuses once the place changed', () => {
    const rep = person('rep@example.com');
    const marketer2 = person('marketer2@example.com');
    const event = createEvent(t.db, t.clock, actor, rep, call({ rrule: null, seats: 2 }));
    invitePeople(t.db, t.clock, actor, rep, event.id, [marketer2.id], null);
    respond(t.db, t.clock, actor, marketer2, { eventId: event.id, start: null, answer: 'declined', reason: 'Busy' });
    const claim = claimSeat(t.db, t.clock, actor, marketer2, event.id, null);
    undoClaims(t.db, t.clock, actor, marketer2, [claim.invitation.id]);
    const row = t.db.select().from(invitations).where(eq(invitations.id, claim.invitation.id)).get()!;
    expect([row.status, row.holdsSeat, row.declineReason]).toEqual(['declined', false, 'Busy']);

    const again = claimSeat(t.db, t.clock, actor, marketer2, event.id, null);
    respond(t.db, t.clock, actor, marketer2, { eventId: event.id, start: null, answer: 'tentative' });
    expect(thrown(() => undoClaims(t.db, t.clock, actor, marketer2, [again.invitation.id])).code).toBe('undo_expired');
  });

  it('leaves one occurrence or every future one of a series; past ones stay', () => {
    const rep = person('rep@example.com');
    const marketer2 = person('marketer2@example.com');
    const series = createEvent(t.db, t.clock, actor, rep, call());
    const [first, second] = eventOccurrences(t.db, series, t.clock.now(), new Date('2026-04-30T00:00:00Z'));
    claimSeries(t.db, t.clock, actor, marketer2, series.id);
    const waiting = claimSeat(t.db, t.clock, actor, person('demand@example.com'), series.id, second!.originalStart);
    expect(waiting.outcome).toBe('waitlisted');

    t.clock.set('2026-03-12T12:00:00Z'); // the first occurrence is past
    const left = leaveSeat(t.db, t.clock, actor, marketer2, series.id, null);
    expect(left.left.length).toBe(3);
    expect(left.promoted.map((r) => r.personId)).toEqual([person('demand@example.com').id]);
    const past = t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.personId, marketer2.id), eq(invitations.occurrenceStart, first!.originalStart)))
      .get()!;
    expect([past.status, past.holdsSeat]).toEqual(['accepted', true]);
    expect(thrown(() => leaveSeat(t.db, t.clock, actor, marketer2, series.id, null)).code).toBe('no_place');
  });
});

describe('duplicates and cancelled occurrences', () => {
  it('finds an event of the same title, host, start and repetition', () => {
    const rep = person('rep@example.com');
    const event = createEvent(t.db, t.clock, actor, rep, call({ rrule: null }));
    expect(
      findDuplicateEvent(t.db, { hostId: rep.id, title: '  weekly PIPELINE call ', startLocal: '2026-03-09T09:00', timeZone: 'America/New_York', rrule: null })
        ?.id,
    ).toBe(event.id);
    expect(
      findDuplicateEvent(t.db, { hostId: rep.id, title: 'Weekly pipeline call', startLocal: '2026-03-09T10:00', timeZone: 'America/New_York', rrule: null }),
    ).toBeUndefined();
    expect(
      findDuplicateEvent(t.db, {
        hostId: rep.id,
        title: 'Weekly pipeline call',
        startLocal: '2026-03-09T09:00',
        timeZone: 'America/New_York',
        rrule: 'FREQ=WEEKLY;BYDAY=MO',
      }),
    ).toBeUndefined();
    expect(
      findDuplicateEvent(t.db, {
        hostId: company.people['rep2@example.com']!,
        title: 'Weekly pipeline call',
        startLocal: '2026-03-09T09:00',
        timeZone: 'America/New_York',
        rrule: null,
      }),
    ).toBeUndefined();
  });

  it('a cancelled occurrence is no conflict and cannot be claimed', () => {
    const rep = person('rep@example.com');
    const marketer2 = person('marketer2@example.com');
    const series = createEvent(t.db, t.clock, actor, rep, call({ seats: 2 }));
    const [first] = eventOccurrences(t.db, series, t.clock.now(), new Date('2026-04-30T00:00:00Z'));
    claimSeat(t.db, t.clock, actor, marketer2, series.id, first!.originalStart);
    cancelOccurrence(t.db, t.clock, actor, rep, { eventId: series.id, originalStart: first!.originalStart });
    const other = createEvent(t.db, t.clock, actor, rep, call({ title: 'Same time', rrule: null }));
    expect(claimSeat(t.db, t.clock, actor, marketer2, other.id, null).conflicts).toEqual([]);
    expect(claimSeries(t.db, t.clock, actor, person('demand@example.com'), series.id).lines.map((l) => l.occurrence.key)).not.toContain(first!.key);
  });
});
