// The navigation's count of invitations waiting for an answer reads kept rows (pending_invitations) instead of
// joining every invitation of the viewer to its event: after every kind of write that changes an invitation, its
// answer or approval, or its event's status or span, the kept rows equal the definition worked out from scratch,
// and every person's count equals the count the definition gives, at any instant.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { invitations, people } from '../../db/schema';
import { systemActor } from '../../src/audit/audit';
import type { Person } from '../../src/context';
import { writeTransaction } from '../../src/db';
import { respond } from '../../src/events/answers';
import { decideClaim, setClaimApprovalPolicy } from '../../src/events/approvals';
import { claimSeat, leaveSeat, undoClaims } from '../../src/events/claims';
import type { EventDetails } from '../../src/events/event-rules';
import { cancelEvent, createEvent, editFollowing, updateEvent } from '../../src/events/events';
import { invitePeople } from '../../src/events/invitations';
import { cancelOccurrence, moveOccurrence, restoreOccurrence } from '../../src/events/occurrence-changes';
import { zonedLocalToUtc } from '../../src/lib/time';
import { badgeCounts } from '../../src/nav';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const person = (email: string): Person => t.db.select().from(people).where(eq(people.email, email)).get()!;

function meeting(hostEmail: string, details: Partial<EventDetails> & Pick<EventDetails, 'title' | 'startLocal'>) {
  const host = person(hostEmail);
  return createEvent(t.db, t.clock, systemActor, host, {
    kind: 'sales_call',
    description: '',
    hostId: host.id,
    timeZone: 'America/New_York',
    durationMinutes: 60,
    seats: 2,
    rrule: null,
    account: 'Acme',
    opportunityStage: 'proposal',
    location: null,
    meetingUrl: null,
    topic: null,
    ...details,
  });
}

const kept = () => t.db.all(sql`SELECT invitation_id, person_id, event_id, open_until FROM pending_invitations ORDER BY 1`);
// The definition: an invitation waiting for an answer, not a claim awaiting approval, of a scheduled event, until
// the earlier of the event's span end and the occurrence's start.
const fromScratch = () =>
  t.db.all(sql`
    SELECT i.id AS invitation_id, i.person_id, i.event_id,
      min(coalesce(e.span_end, 9223372036854775807), coalesce(i.occurrence_start, 9223372036854775807)) AS open_until
    FROM invitations i JOIN events e ON e.id = i.event_id
    WHERE i.status = 'invited' AND i.approval_status IS NULL AND e.status = 'scheduled' ORDER BY 1`);
const definedCount = (personId: number, now: number) =>
  t.db.get<{ n: number }>(sql`
    SELECT count(*) AS n FROM invitations i JOIN events e ON e.id = i.event_id
    WHERE i.person_id = ${personId} AND i.status = 'invited' AND i.approval_status IS NULL AND e.status = 'scheduled'
      AND (e.span_end IS NULL OR e.span_end > ${now}) AND (i.occurrence_start IS NULL OR i.occurrence_start > ${now})`)!.n;

/** The kept rows equal the definition; every person's badge equals the defined count now. Returns the non-zero counts. */
function expectCountsCurrent() {
  expect(kept()).toEqual(fromScratch());
  const now = t.clock.now();
  const everyone = t.db.select().from(people).all();
  const counts = everyone.map((p) => [p.email, badgeCounts(t.db, p, now).invitations ?? 0] as const);
  expect(counts).toEqual(everyone.map((p) => [p.email, definedCount(p.id, now.getTime())]));
  return Object.fromEntries(counts.filter(([, n]) => n));
}

describe('kept pending-invitation counts', () => {
  it('equal the definition after invitations, answers, claims, approvals, undoing, cancelling, moving, retiming, deleting and time passing', () => {
    const rep = person('rep@example.com');
    const marketer = company.people['marketer@example.com']!;
    const marketer2 = company.people['marketer2@example.com']!;
    const demand = company.people['demand@example.com']!;
    expectCountsCurrent();

    // Invitations to a one-off call and to a weekly series.
    const call = meeting('rep@example.com', { title: 'Acme intro', startLocal: '2026-03-10T10:00' });
    const weekly = meeting('rep@example.com', { title: 'Acme weekly', startLocal: '2026-03-09T09:00', rrule: 'FREQ=WEEKLY;COUNT=6' });
    invitePeople(t.db, t.clock, systemActor, rep, call.id, [marketer, marketer2, demand], null);
    invitePeople(t.db, t.clock, systemActor, rep, weekly.id, [marketer, marketer2], null);
    const third = zonedLocalToUtc('2026-03-23T09:00', 'America/New_York');
    invitePeople(t.db, t.clock, systemActor, rep, weekly.id, [demand], third);
    expect(expectCountsCurrent()).toEqual({ 'marketer@example.com': 2, 'marketer2@example.com': 2, 'demand@example.com': 2 });

    // Answers: accepted, declined, tentative; one occurrence of a series answered on its own; a whole-series answer.
    respond(t.db, t.clock, systemActor, person('marketer@example.com'), { eventId: call.id, start: null, answer: 'accepted' }, { confirmConflicts: true });
    respond(t.db, t.clock, systemActor, person('marketer2@example.com'), { eventId: call.id, start: null, answer: 'declined' });
    respond(t.db, t.clock, systemActor, person('demand@example.com'), { eventId: call.id, start: null, answer: 'tentative' }, { confirmConflicts: true });
    expectCountsCurrent();
    respond(t.db, t.clock, systemActor, person('marketer@example.com'), { eventId: weekly.id, start: third, answer: 'declined' });
    expectCountsCurrent();
    respond(t.db, t.clock, systemActor, person('marketer2@example.com'), { eventId: weekly.id, start: null, answer: 'accepted' }, { confirmConflicts: true });
    expectCountsCurrent();
    // Invited again after declining.
    invitePeople(t.db, t.clock, systemActor, rep, call.id, [marketer2], null);
    expect(expectCountsCurrent()['marketer2@example.com']).toBe(1);

    // Claims: a seat taken and left, a claim undone, a claim waiting for the manager's approval, approved and rejected.
    const open = meeting('westrep@example.com', { title: 'Globex demo', startLocal: '2026-03-12T14:00', seats: 3 });
    claimSeat(t.db, t.clock, systemActor, person('demand@example.com'), open.id, null, { confirmConflicts: true });
    expectCountsCurrent();
    leaveSeat(t.db, t.clock, systemActor, person('demand@example.com'), open.id, null);
    expectCountsCurrent();
    const claimed = claimSeat(t.db, t.clock, systemActor, person('marketer@example.com'), open.id, null, { confirmConflicts: true });
    undoClaims(t.db, t.clock, systemActor, person('marketer@example.com'), [claimed.invitation.id]);
    expectCountsCurrent();
    setClaimApprovalPolicy(t.db, t.clock, systemActor, company.people['marketing.manager@example.com']!, true);
    const waiting = claimSeat(t.db, t.clock, systemActor, person('marketer2@example.com'), open.id, null, { confirmConflicts: true });
    expect(waiting.invitation.approvalStatus).toBe('pending');
    expectCountsCurrent();
    decideClaim(t.db, t.clock, systemActor, person('marketing.manager@example.com'), waiting.invitation.id, false);
    expectCountsCurrent();
    const again = claimSeat(t.db, t.clock, systemActor, person('marketer@example.com'), open.id, null, { confirmConflicts: true });
    decideClaim(t.db, t.clock, systemActor, person('marketing.manager@example.com'), again.invitation.id, true);
    expectCountsCurrent();
    // An invitation written straight to waiting-for-approval and back, as a raw write would.
    writeTransaction(t.db, (tx) => {
      tx.update(invitations).set({ approvalStatus: 'pending' }).where(eq(invitations.personId, demand)).run();
    });
    expectCountsCurrent();
    writeTransaction(t.db, (tx) => {
      tx.update(invitations).set({ approvalStatus: null }).where(eq(invitations.personId, demand)).run();
    });
    expectCountsCurrent();

    // The series: an occurrence cancelled, restored, moved; the series retimed from an occurrence on; the call retimed.
    const second = { eventId: weekly.id, originalStart: zonedLocalToUtc('2026-03-16T09:00', 'America/New_York') };
    cancelOccurrence(t.db, t.clock, systemActor, rep, second);
    expectCountsCurrent();
    restoreOccurrence(t.db, t.clock, systemActor, rep, weekly.id, second.originalStart);
    expectCountsCurrent();
    moveOccurrence(t.db, t.clock, systemActor, rep, { eventId: weekly.id, originalStart: third }, '2026-03-25T15:00');
    expectCountsCurrent();
    updateEvent(t.db, t.clock, systemActor, rep, weekly.id, { rrule: 'FREQ=WEEKLY;COUNT=3' });
    expectCountsCurrent();
    updateEvent(t.db, t.clock, systemActor, rep, call.id, { startLocal: '2026-03-11T10:00' });
    expectCountsCurrent();
    const followed = editFollowing(
      t.db,
      t.clock,
      systemActor,
      rep,
      { eventId: weekly.id, originalStart: zonedLocalToUtc('2026-03-16T09:00', 'America/New_York') },
      { startLocal: '2026-03-16T11:00' },
    );
    expect(followed.id).not.toBe(weekly.id);
    expectCountsCurrent();

    // A call called off; an event and its invitations deleted; a host moved to another department's rows untouched.
    cancelEvent(t.db, t.clock, systemActor, rep, call.id);
    expectCountsCurrent();
    const gone = meeting('rep@example.com', { title: 'Initech intro', startLocal: '2026-03-20T10:00' });
    invitePeople(t.db, t.clock, systemActor, rep, gone.id, [demand], null);
    expectCountsCurrent();
    t.db.$client.prepare('DELETE FROM events WHERE id = ?').run(gone.id);
    expectCountsCurrent();

    // An invitation deleted on its own, then time passing over the occurrences' starts and the series' end.
    const another = meeting('rep@example.com', { title: 'Umbrella intro', startLocal: '2026-04-20T10:00', rrule: 'FREQ=DAILY;COUNT=3' });
    invitePeople(t.db, t.clock, systemActor, rep, another.id, [marketer, demand], null);
    expectCountsCurrent();
    t.db.$client.prepare('DELETE FROM invitations WHERE event_id = ? AND person_id = ?').run(another.id, marketer);
    expectCountsCurrent();
    for (const at of ['2026-03-11T12:00:00Z', '2026-03-17T12:00:00Z', '2026-03-30T12:00:00Z', '2026-04-21T12:00:00Z', '2026-04-23T12:00:00Z']) {
      t.clock.set(at);
      expectCountsCurrent();
    }
    expect(expectCountsCurrent()).toEqual({});
  });
});
