// The navigation's count of pending feedback reads kept rows (feedback_due) instead of working out every ride-along per
// page: after every kind of write that changes who owes a report, the kept rows equal the rule applied from scratch,
// and every person's count equals their pending list (pendingFeedback, worked out from the events themselves).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { attendance, people } from '../../db/schema';
import { systemActor } from '../../src/audit/audit';
import { writeTransaction } from '../../src/db';
import { respond } from '../../src/events/answers';
import { claimSeat } from '../../src/events/claims';
import { invitePeople } from '../../src/events/invitations';
import { zonedLocalToUtc } from '../../src/lib/time';
import { cancelEvent, updateEvent } from '../../src/events/events';
import { cancelOccurrence, moveOccurrence, restoreOccurrence } from '../../src/events/occurrence-changes';
import { parseOccurrenceKey } from '../../src/events/recurrence';
import { feedbackDueRows } from '../../src/feedback/feedback-due';
import { pendingFeedback, submitFeedback } from '../../src/feedback/feedback';
import { badgeCounts } from '../../src/nav';
import { updatePerson } from '../../src/people/people';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';
import { personByEmail, salesCall, seedRideAlongs } from './scenario';

let t: TestContext;
let company: SeededCompany;
let rides: ReturnType<typeof seedRideAlongs>;
beforeEach(async () => {
  t = createTestApp({ now: '2026-02-01T12:00:00Z' });
  company = await seedCompany(t.db);
  rides = seedRideAlongs(t);
});
afterEach(() => t.close());

const kept = () => t.db.all(sql`SELECT person_id, event_id, occurrence_start, ends_at FROM feedback_due ORDER BY 1, 2, 3`);
const fromScratch = () =>
  t.db.all(
    sql.raw(`SELECT person_id, event_id, original_start AS occurrence_start, "end" AS ends_at FROM (${feedbackDueRows(() => '1 = 1')}) ORDER BY 1, 2, 3`),
  );

/** Every person: the navigation's count equals their pending list; and the kept rows equal the rule from scratch. */
function expectCountsCurrent() {
  expect(t.db.all(sql`SELECT event_id FROM feedback_due_changes`)).toEqual([]);
  expect(kept()).toEqual(fromScratch());
  const now = t.clock.now();
  const everyone = t.db.select().from(people).all();
  const counts = everyone.map((p) => [p.email, badgeCounts(t.db, p, now).feedback ?? 0]);
  expect(counts).toEqual(everyone.map((p) => [p.email, pendingFeedback(t.db, p, now).length]));
  return Object.fromEntries(counts.filter(([, n]) => n));
}

const report = (email: string, occurrenceId: string) =>
  submitFeedback(t.db, t.clock, systemActor, personByEmail(t, email), {
    occurrenceId,
    outcome: 'open',
    competitors: [],
    lossDetail: '',
    materials: [],
    suggestion: '',
  });

describe('kept pending-feedback counts', () => {
  it('equal the pending lists after invitations, answers, reports, attendance, cancelling, moving, a new host and moving departments', () => {
    expect(kept()).not.toEqual([]);
    const start = expectCountsCurrent();
    expect(start['rep@example.com']).toBeGreaterThan(0);
    expect(start['marketer@example.com']).toBeGreaterThan(0);

    // A report written.
    report('marketer@example.com', rides.occurrence.a);
    expect(expectCountsCurrent()['marketer@example.com']).toBe(start['marketer@example.com']! - 1);

    // A marketer declines a call still to come: it is no longer theirs, nor a ride-along for its host.
    respond(t.db, t.clock, systemActor, personByEmail(t, 'marketer@example.com'), { eventId: rides.d.id, start: null, answer: 'declined' });
    expectCountsCurrent();

    // Attendance: a marketer marked attended at the solo call makes it a ride-along; a no-show takes one away.
    const e = parseOccurrenceKey(rides.occurrence.e)!;
    const a = parseOccurrenceKey(rides.occurrence.a)!;
    writeTransaction(t.db, (tx) => {
      tx.insert(attendance)
        .values([
          {
            eventId: rides.e.id,
            occurrenceStart: e.originalStart,
            personId: company.people['demand@example.com']!,
            status: 'attended',
            markedAt: t.clock.now(),
          },
          {
            eventId: rides.a.id,
            occurrenceStart: a.originalStart,
            personId: company.people['marketer@example.com']!,
            status: 'no_show',
            markedAt: t.clock.now(),
          },
        ])
        .run();
    });
    expect(expectCountsCurrent()['demand@example.com']).toBeGreaterThan(0);

    // A call still to come that a marketer claims a seat on.
    const f = salesCall(t, 'westrep@example.com', { title: 'Hooli intro', startLocal: '2026-03-23T10:00', timeZone: 'America/Los_Angeles' });
    claimSeat(t.db, t.clock, systemActor, personByEmail(t, 'marketer2@example.com'), f.id, null, { confirmConflicts: true });
    expectCountsCurrent();

    // A weekly call still to come with a marketer on the series: one occurrence cancelled, restored, another moved.
    const rep = personByEmail(t, 'rep@example.com');
    const g = salesCall(t, 'rep@example.com', {
      title: 'Stark weekly',
      startLocal: '2026-03-23T09:00',
      timeZone: 'America/New_York',
      rrule: 'FREQ=WEEKLY;COUNT=4',
    });
    invitePeople(t.db, t.clock, systemActor, rep, g.id, [company.people['marketer2@example.com']!], null);
    respond(
      t.db,
      t.clock,
      systemActor,
      personByEmail(t, 'marketer2@example.com'),
      { eventId: g.id, start: null, answer: 'accepted' },
      { confirmConflicts: true },
    );
    expectCountsCurrent();
    const second = { eventId: g.id, originalStart: zonedLocalToUtc('2026-03-30T09:00', 'America/New_York') };
    const third = { eventId: g.id, originalStart: zonedLocalToUtc('2026-04-06T09:00', 'America/New_York') };
    cancelOccurrence(t.db, t.clock, systemActor, rep, second);
    expectCountsCurrent();
    restoreOccurrence(t.db, t.clock, systemActor, rep, g.id, second.originalStart);
    expectCountsCurrent();
    cancelOccurrence(t.db, t.clock, systemActor, rep, second);
    moveOccurrence(t.db, t.clock, systemActor, rep, third, '2026-04-08T15:00');
    expectCountsCurrent();

    // A call handed to another host; another called off.
    updateEvent(t.db, t.clock, systemActor, personByEmail(t, 'hr@example.com'), rides.d.id, { hostId: company.people['westrep@example.com']! });
    expectCountsCurrent();
    cancelEvent(t.db, t.clock, systemActor, personByEmail(t, 'westrep@example.com'), f.id);
    expectCountsCurrent();

    // A marketer moves to sales: they no longer owe reports, and the calls they rode along to are no longer ride-alongs.
    updatePerson(t.db, t.clock, systemActor, company.people['marketer@example.com']!, { department: 'sales' });
    expectCountsCurrent();
    updatePerson(t.db, t.clock, systemActor, company.people['marketer@example.com']!, { department: 'marketing' });
    expectCountsCurrent();

    // Time passing over the calls' ends: counted once they ended, never after the window.
    for (const day of ['2026-03-24', '2026-03-31', '2026-04-09', '2026-04-14', '2026-05-01']) {
      t.clock.set(`${day}T12:00:00Z`);
      expectCountsCurrent();
    }
    t.clock.set('2026-05-30T12:00:00Z');
    expect(expectCountsCurrent()).toEqual({});
  });
});
