// Answers change the future only: a whole-series answer never rewrites an occurrence that had started.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { attendance, feedback, invitations, suggestions } from '../../db/schema';
import { systemActor } from '../../src/audit/audit';
import { requireEvent } from '../../src/events/event-rules';
import { eventOccurrences } from '../../src/events/event-occurrences';
import { cancelOccurrence } from '../../src/events/occurrence-changes';
import { claimSeat } from '../../src/events/claims';
import { decideClaim, setClaimApprovalPolicy } from '../../src/events/approvals';
import { invitePeople } from '../../src/events/invitations';
import { respond } from '../../src/events/answers';
import { namedPlacesAt, personSchedule, placeRowAt, placesOf, rowsAtOccurrence, wholeRowApplies } from '../../src/events/schedule';
import { pendingFeedback, rideAlongsEndedBetween } from '../../src/feedback/feedback';
import { zonedLocalToUtc } from '../../src/lib/time';
import { createTestApp, seedCompany, sessionAs, type TestContext } from '../support/app';
import { personByEmail, salesCall } from '../feedback/scenario';
import { reopenAfterRerunning } from '../support/migrations';

let t: TestContext;
beforeEach(async () => {
  t = createTestApp({ now: '2026-11-01T12:00:00Z' });
  await seedCompany(t.db);
});
afterEach(() => t.close());

const at = (local: string) => zonedLocalToUtc(local, 'America/New_York');
const rep = () => personByEmail(t, 'rep@example.com');
const marketer = () => personByEmail(t, 'marketer@example.com');

/** The weekly pipeline call of the issue: Fridays from 6 Nov 2026, 10:00 New York. */
function weeklyCall() {
  return salesCall(t, 'rep@example.com', {
    title: 'Pipeline review',
    startLocal: '2026-11-06T10:00',
    timeZone: 'America/New_York',
    rrule: 'FREQ=WEEKLY;COUNT=10',
  });
}
function statusAt(eventId: number, local: string, personId: number) {
  const event = requireEvent(t.db, eventId);
  const [occurrence] = eventOccurrences(t.db, event, at(local), new Date(at(local).getTime() + 1));
  return (
    placeRowAt(placesOf(t.db, [eventId]).get(eventId) ?? [], { originalStart: occurrence!.originalStart, start: occurrence!.start }, personId)?.status ?? null
  );
}

describe('the place rule', () => {
  it('applies a whole-event row only to occurrences that start after it took effect', () => {
    const whole = { personId: 1, occurrenceStart: null, effectiveFrom: new Date('2026-12-05T12:00:00Z'), status: 'accepted' };
    expect(wholeRowApplies(whole, new Date('2026-12-04T15:00:00Z'))).toBe(false);
    expect(wholeRowApplies(whole, new Date('2026-12-05T12:00:00Z'))).toBe(false);
    expect(wholeRowApplies(whole, new Date('2026-12-11T15:00:00Z'))).toBe(true);
    expect(wholeRowApplies({ effectiveFrom: null }, new Date(0))).toBe(true);
    const own = { personId: 1, occurrenceStart: new Date('2026-12-04T15:00:00Z'), effectiveFrom: null, status: 'declined' };
    const occurrence = (iso: string) => ({ originalStart: new Date(iso), start: new Date(iso) });
    expect(rowsAtOccurrence([whole, own], occurrence('2026-12-04T15:00:00Z'))).toEqual([own]);
    expect(rowsAtOccurrence([whole, own], occurrence('2026-11-27T15:00:00Z'))).toEqual([]);
    expect(rowsAtOccurrence([whole, own], occurrence('2026-12-11T15:00:00Z'))).toEqual([whole]);
    // A one-off event: its whole-event rows.
    expect(rowsAtOccurrence([whole], null)).toEqual([whole]);
  });
});

describe('answering a series', () => {
  it('accepting on 5 Dec leaves 27 Nov and 4 Dec as they were, and feedback is asked only from then on', () => {
    const call = weeklyCall();
    invitePeople(t.db, t.clock, systemActor, rep(), call.id, [marketer().id], null);
    t.clock.set('2026-12-05T09:00:00Z');
    respond(t.db, t.clock, systemActor, marketer(), { eventId: call.id, start: null, answer: 'accepted' });
    expect(statusAt(call.id, '2026-11-27T10:00', marketer().id)).toBe('invited');
    expect(statusAt(call.id, '2026-12-04T10:00', marketer().id)).toBe('invited');
    expect(statusAt(call.id, '2026-12-11T10:00', marketer().id)).toBe('accepted');

    // Nothing to report on the two calls he never joined; the 11 Dec call is his first ride-along.
    const event = requireEvent(t.db, call.id);
    expect(rideAlongsEndedBetween(t.db, [event], new Date('2026-11-01T00:00:00Z'), new Date('2026-12-06T00:00:00Z'))).toEqual([]);
    expect(pendingFeedback(t.db, marketer(), t.clock.now())).toEqual([]);
    t.clock.set('2026-12-12T09:00:00Z');
    expect(pendingFeedback(t.db, marketer(), t.clock.now()).map((p) => p.start.toISOString())).toEqual([at('2026-12-11T10:00').toISOString()]);
    expect(pendingFeedback(t.db, rep(), t.clock.now()).map((p) => p.start.toISOString())).toEqual([at('2026-12-11T10:00').toISOString()]);
    // His schedule of the past weeks does not show calls he had not accepted as accepted.
    const past = personSchedule(t.db, marketer().id, at('2026-11-20T00:00'), at('2026-12-12T00:00'));
    expect(past.map((e) => [e.occurrence.start.toISOString(), e.answer])).toEqual([
      [at('2026-11-20T10:00').toISOString(), 'invited'],
      [at('2026-11-27T10:00').toISOString(), 'invited'],
      [at('2026-12-04T10:00').toISOString(), 'invited'],
      [at('2026-12-11T10:00').toISOString(), 'accepted'],
    ]);
  });

  it('declining later keeps the occurrences he accepted, and the started ones keep their seat', () => {
    const call = weeklyCall();
    invitePeople(t.db, t.clock, systemActor, rep(), call.id, [marketer().id], null);
    respond(t.db, t.clock, systemActor, marketer(), { eventId: call.id, start: null, answer: 'accepted' });
    t.clock.set('2026-11-21T09:00:00Z');
    respond(t.db, t.clock, systemActor, marketer(), { eventId: call.id, start: null, answer: 'tentative' });
    t.clock.set('2026-12-05T09:00:00Z');
    respond(t.db, t.clock, systemActor, marketer(), { eventId: call.id, start: null, answer: 'declined', reason: 'Moved to another region' });
    expect(statusAt(call.id, '2026-11-06T10:00', marketer().id)).toBe('accepted');
    expect(statusAt(call.id, '2026-11-20T10:00', marketer().id)).toBe('accepted');
    expect(statusAt(call.id, '2026-11-27T10:00', marketer().id)).toBe('tentative');
    expect(statusAt(call.id, '2026-12-04T10:00', marketer().id)).toBe('tentative');
    expect(statusAt(call.id, '2026-12-11T10:00', marketer().id)).toBe('declined');
    const event = requireEvent(t.db, call.id);
    const attendees = namedPlacesAt(t.db, event, at('2026-11-13T10:00'));
    expect(attendees.map((a) => [a.name, a.status, a.holdsSeat])).toEqual([['Mark Marketer', 'accepted', true]]);
    // One row per started occurrence since the last change, never more.
    const rows = t.db.select().from(invitations).where(eq(invitations.eventId, call.id)).all();
    expect(rows.filter((r) => r.occurrenceStart !== null)).toHaveLength(5);
    // Answering the same again changes nothing in the past.
    respond(t.db, t.clock, systemActor, marketer(), { eventId: call.id, start: null, answer: 'declined' });
    expect(t.db.select().from(invitations).where(eq(invitations.eventId, call.id)).all()).toHaveLength(6);
  });

  it('a cancelled occurrence gets no row, and a person invited mid-way held no place before', () => {
    const call = weeklyCall();
    cancelOccurrence(t.db, t.clock, systemActor, rep(), { eventId: call.id, originalStart: at('2026-11-13T10:00') });
    t.clock.set('2026-11-18T09:00:00Z');
    invitePeople(t.db, t.clock, systemActor, rep(), call.id, [marketer().id], null);
    expect(statusAt(call.id, '2026-11-06T10:00', marketer().id)).toBeNull();
    expect(statusAt(call.id, '2026-11-20T10:00', marketer().id)).toBe('invited');
    t.clock.set('2026-11-28T09:00:00Z');
    respond(t.db, t.clock, systemActor, marketer(), { eventId: call.id, start: null, answer: 'accepted' });
    expect(statusAt(call.id, '2026-11-06T10:00', marketer().id)).toBeNull();
    expect(statusAt(call.id, '2026-11-20T10:00', marketer().id)).toBe('invited');
    expect(statusAt(call.id, '2026-11-27T10:00', marketer().id)).toBe('invited');
    expect(statusAt(call.id, '2026-12-04T10:00', marketer().id)).toBe('accepted');
    const own = t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.eventId, call.id), sql`${invitations.occurrenceStart} IS NOT NULL`))
      .all();
    expect(own.map((r) => r.occurrenceStart!.toISOString()).sort()).toEqual([at('2026-11-20T10:00').toISOString(), at('2026-11-27T10:00').toISOString()]);
  });

  it('a waitlist promotion and a claim decision change the future only', () => {
    const call = salesCall(t, 'rep@example.com', {
      title: 'Small series',
      startLocal: '2026-11-06T10:00',
      timeZone: 'America/New_York',
      rrule: 'FREQ=WEEKLY;COUNT=10',
      seats: 1,
    });
    const other = personByEmail(t, 'marketer2@example.com');
    invitePeople(t.db, t.clock, systemActor, rep(), call.id, [other.id, marketer().id], null);
    respond(t.db, t.clock, systemActor, other, { eventId: call.id, start: null, answer: 'accepted' });
    expect(respond(t.db, t.clock, systemActor, marketer(), { eventId: call.id, start: null, answer: 'accepted' }).outcome).toBe('waitlisted');
    t.clock.set('2026-11-25T09:00:00Z');
    const declined = respond(t.db, t.clock, systemActor, other, { eventId: call.id, start: null, answer: 'declined' });
    expect(declined.promoted.map((r) => r.personId)).toEqual([marketer().id]);
    expect(statusAt(call.id, '2026-11-20T10:00', marketer().id)).toBe('waitlisted');
    expect(statusAt(call.id, '2026-11-20T10:00', other.id)).toBe('accepted');
    expect(statusAt(call.id, '2026-11-27T10:00', marketer().id)).toBe('accepted');
    expect(statusAt(call.id, '2026-11-27T10:00', other.id)).toBe('declined');

    // A claim waiting for approval that the manager decides after the call: that call keeps "waiting".
    const oneOff = salesCall(t, 'rep@example.com', {
      title: 'Claim series',
      startLocal: '2026-11-27T11:00',
      timeZone: 'America/New_York',
      rrule: 'FREQ=WEEKLY;COUNT=4',
    });
    setClaimApprovalPolicy(t.db, t.clock, systemActor, personByEmail(t, 'marketing.manager@example.com').id, true);
    t.db
      .insert(invitations)
      .values({
        eventId: oneOff.id,
        personId: marketer().id,
        occurrenceStart: null,
        status: 'invited',
        holdsSeat: true,
        source: 'claim',
        approvalStatus: 'pending',
        effectiveFrom: new Date('2026-11-25T09:00:00Z'),
        respondedAt: t.clock.now(),
      })
      .run();
    t.clock.set('2026-12-05T09:00:00Z');
    const row = t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.eventId, oneOff.id), isNull(invitations.occurrenceStart)))
      .get()!;
    decideClaim(t.db, t.clock, systemActor, personByEmail(t, 'marketing.manager@example.com'), row.id, true);
    expect(statusAt(oneOff.id, '2026-11-27T11:00', marketer().id)).toBe('invited');
    expect(statusAt(oneOff.id, '2026-12-04T11:00', marketer().id)).toBe('invited');
    expect(statusAt(oneOff.id, '2026-12-11T11:00', marketer().id)).toBe('accepted');
  });

  it('claims on a one-off event still work and the API answers for occurrences read the same rule', async () => {
    const call = weeklyCall();
    invitePeople(t.db, t.clock, systemActor, rep(), call.id, [marketer().id], null);
    t.clock.set('2026-12-05T09:00:00Z');
    const row = t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.eventId, call.id), isNull(invitations.occurrenceStart)))
      .get()!;
    const patched = await sessionAs(t, 'marketer@example.com').json('PATCH', `/api/v1/invitations/${row.id}`, { status: 'accepted' });
    expect(patched.status).toBe(200);
    expect(statusAt(call.id, '2026-12-04T10:00', marketer().id)).toBe('invited');
    expect(statusAt(call.id, '2026-12-11T10:00', marketer().id)).toBe('accepted');
    const pending = (await (await sessionAs(t, 'marketer@example.com').get('/api/v1/feedback/pending')).json()) as { data: unknown[] };
    expect(pending.data).toEqual([]);
    const single = salesCall(t, 'rep@example.com', { title: 'Single', startLocal: '2026-12-10T10:00', timeZone: 'America/New_York' });
    expect(claimSeat(t.db, t.clock, systemActor, marketer(), single.id, null).outcome).toBe('accepted');
  });
});

describe('the repair migration', () => {
  it('repairs a database where a series answer counted for occurrences before it, and keeps what attendance rests on', () => {
    const call = weeklyCall();
    invitePeople(t.db, t.clock, systemActor, rep(), call.id, [marketer().id, personByEmail(t, 'marketer2@example.com').id], null);
    t.clock.set('2026-11-14T09:00:00Z');
    respond(t.db, t.clock, systemActor, personByEmail(t, 'marketer2@example.com'), { eventId: call.id, start: null, answer: 'accepted' });
    t.clock.set('2026-12-05T09:00:00Z');
    respond(t.db, t.clock, systemActor, marketer(), { eventId: call.id, start: null, answer: 'accepted' });
    const marketerId = marketer().id;
    const m2 = personByEmail(t, 'marketer2@example.com').id;
    // The old shape: one whole-event row per person, no effective_from, no rows of started occurrences.
    t.db.run(sql`DELETE FROM invitations WHERE occurrence_start IS NOT NULL`);
    // Marked as attended on 13 Nov (was there, row read as accepted then); a report on 27 Nov he never joined.
    t.db
      .insert(attendance)
      .values({ eventId: call.id, occurrenceStart: at('2026-11-13T10:00'), personId: marketerId, status: 'attended', markedAt: t.clock.now() })
      .run();
    t.db
      .insert(attendance)
      .values({
        eventId: call.id,
        occurrenceStart: at('2026-11-20T10:00'),
        personId: personByEmail(t, 'rep2@example.com').id,
        status: 'attended',
        markedAt: t.clock.now(),
      })
      .run();
    const wrong = t.db
      .insert(feedback)
      .values({
        eventId: call.id,
        occurrenceStart: at('2026-11-27T10:00'),
        occurredAt: at('2026-11-27T10:00'),
        authorId: marketerId,
        authorRole: 'guest',
        outcome: 'open',
        submittedAt: t.clock.now(),
      })
      .returning()
      .get();
    t.db
      .insert(suggestions)
      .values({
        teamId: rep().teamId!,
        source: 'feedback',
        sourceRef: `feedback:${wrong.id}`,
        title: 'Never joined',
        createdAt: t.clock.now(),
        updatedAt: t.clock.now(),
      })
      .run();
    const right = t.db
      .insert(feedback)
      .values({
        eventId: call.id,
        occurrenceStart: at('2026-11-20T10:00'),
        occurredAt: at('2026-11-20T10:00'),
        authorId: m2,
        authorRole: 'guest',
        outcome: 'won',
        submittedAt: t.clock.now(),
      })
      .returning()
      .get();
    // Back to how the database looked before migrations 0003 and 0004, then upgrade it as the app does.
    const reopened = reopenAfterRerunning(t.db, t.dbPath, '0003_effective_from_walk_in', '0004_answers_change_future_only');
    try {
      const places = placesOf(reopened, [call.id]).get(call.id) ?? [];
      const event = requireEvent(reopened, call.id);
      const status = (local: string, personId: number) => {
        const [o] = eventOccurrences(reopened, event, at(local), new Date(at(local).getTime() + 1));
        return placeRowAt(places, { originalStart: o!.originalStart, start: o!.start }, personId)?.status ?? null;
      };
      expect(status('2026-11-13T10:00', marketerId)).toBe('accepted');
      expect(status('2026-11-20T10:00', marketerId)).toBeNull();
      expect(status('2026-11-27T10:00', marketerId)).toBeNull();
      expect(status('2026-12-11T10:00', marketerId)).toBe('accepted');
      expect(status('2026-11-13T10:00', m2)).toBeNull();
      expect(status('2026-11-20T10:00', m2)).toBe('accepted');
      expect(reopened.select({ id: feedback.id }).from(feedback).all()).toEqual([{ id: right.id }]);
      expect(reopened.select().from(suggestions).all()).toEqual([]);
      const walkIns = reopened.select({ personId: attendance.personId, walkIn: attendance.walkIn }).from(attendance).all();
      expect(walkIns.sort((a, b) => a.personId - b.personId)).toEqual(
        [
          { personId: marketerId, walkIn: false },
          { personId: personByEmail(t, 'rep2@example.com').id, walkIn: true },
        ].sort((a, b) => a.personId - b.personId),
      );
    } finally {
      reopened.$client.close();
    }
  });
});
