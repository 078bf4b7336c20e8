/*
 * Approval states and decline reasons are shown only to whom they concern: the guest, the host (and
 * the host's managers), the guest's managers and HR. Everyone else sees names of confirmed guests
 * and counts — on the event page, the occurrence page and in every API answer that carries them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import type { Person } from '../../src/context';
import type { EventRow } from '../../src/events/event-rules';
import { createEvent } from '../../src/events/events';
import { claimSeat } from '../../src/events/claims';
import { invitePeople } from '../../src/events/invitations';
import { respond } from '../../src/events/answers';
import { setClaimApprovalPolicy } from '../../src/events/approvals';
import { occurrenceKey } from '../../src/events/recurrence';
import { answerAudience, attendeesFor } from '../../src/events/visibility';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let _company: SeededCompany;
let event: EventRow;
const actor = { personId: null };
const REASON = 'Clashes with the pricing review';
const PENDING = 'waiting for manager approval';

const person = (email: string): Person => t.db.select().from(people).where(eq(people.email, email)).get()!;

function salesCall(seats: number): EventRow {
  return createEvent(t.db, t.clock, actor, person('rep@example.com'), {
    kind: 'sales_call',
    title: 'Discovery call with Acme',
    description: '',
    hostId: person('rep@example.com').id,
    startLocal: '2026-03-09T10:00',
    timeZone: 'America/New_York',
    durationMinutes: 60,
    seats,
    rrule: null,
    account: 'Acme Corp',
    opportunityStage: 'discovery',
    location: null,
    meetingUrl: null,
    topic: null,
  });
}

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  _company = await seedCompany(t.db);
  event = salesCall(3);
  // Maya accepts an invitation; Dora declines one with a reason; Mark claims a seat his manager must approve.
  invitePeople(t.db, t.clock, actor, person('rep@example.com'), event.id, [person('marketer2@example.com').id, person('demand@example.com').id], null);
  respond(t.db, t.clock, actor, person('marketer2@example.com'), { eventId: event.id, start: null, answer: 'accepted' });
  respond(t.db, t.clock, actor, person('demand@example.com'), { eventId: event.id, start: null, answer: 'declined', reason: REASON });
  setClaimApprovalPolicy(t.db, t.clock, actor, person('marketing.manager@example.com').id, true);
  expect(claimSeat(t.db, t.clock, actor, person('marketer@example.com'), event.id, null).outcome).toBe('pending_approval');
});
afterEach(() => t.close());

/** What each viewer may read: the pending approval (Mark's) and the decline reason (Dora's). */
const cases: { email: string; who: string; pending: boolean; reason: boolean }[] = [
  { email: 'rep@example.com', who: 'the host', pending: true, reason: true },
  { email: 'sales.manager@example.com', who: "the host's manager", pending: true, reason: true },
  { email: 'hr@example.com', who: 'HR', pending: true, reason: true },
  { email: 'marketer@example.com', who: 'the guest waiting for approval', pending: true, reason: false },
  { email: 'marketing.manager@example.com', who: "that guest's manager", pending: true, reason: false },
  { email: 'demand@example.com', who: 'the guest who declined', pending: false, reason: true },
  { email: 'demand.manager@example.com', who: "that guest's manager", pending: false, reason: true },
  { email: 'marketer2@example.com', who: 'another guest', pending: false, reason: false },
  { email: 'west.manager@example.com', who: 'an unrelated manager', pending: false, reason: false },
  { email: 'rep2@example.com', who: 'a colleague of the host', pending: false, reason: false },
];

describe('event and occurrence pages', () => {
  for (const c of cases) {
    it(`${c.who} (${c.email}) sees ${c.pending ? 'the approval state' : 'no approval state'} and ${c.reason ? 'the decline reason' : 'no decline reason'}`, async () => {
      const client = sessionAs(t, c.email);
      for (const path of [`/events/${event.id}`, `/events/${event.id}/occurrences/${occurrenceKey(event.id, new Date('2026-03-09T14:00:00Z'))}`]) {
        const res = await client.get(path);
        expect(res.status, path).toBe(200);
        const page = await res.text();
        expect(page.includes(PENDING), `${path}: approval state`).toBe(c.pending);
        expect(page.includes(REASON), `${path}: decline reason`).toBe(c.reason);
        // Names of confirmed guests are for everyone.
        expect(page).toContain('Maya Marketer');
        if (!c.pending) {
          // Mark's claim is only counted, never named with its state.
          expect(page).not.toContain('Mark Marketer');
          expect(page).toContain('1 not confirmed yet');
        }
        if (!c.reason && c.email !== 'demand@example.com') {
          expect(page).not.toContain('Dora Demand');
          expect(page).toContain('1 declined');
        }
      }
    });
  }
});

describe('API answers', () => {
  it('the host, their manager and HR list every invitation with states and reasons; others are refused', async () => {
    for (const email of ['rep@example.com', 'sales.manager@example.com', 'hr@example.com']) {
      const res = await sessionAs(t, email).get(`/api/v1/events/${event.id}/invitations`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { personId: number; approvalStatus: string | null; declineReason: string | null }[] };
      expect(body.data.find((r) => r.personId === person('marketer@example.com').id)?.approvalStatus).toBe('pending');
      expect(body.data.find((r) => r.personId === person('demand@example.com').id)?.declineReason).toBe(REASON);
    }
    for (const email of ['marketer2@example.com', 'west.manager@example.com', 'marketing.manager@example.com']) {
      const res = await sessionAs(t, email).get(`/api/v1/events/${event.id}/invitations`);
      expect(res.status).toBe(403);
      expect(JSON.stringify(await res.json())).not.toContain(REASON);
    }
  });

  it("a guest's own invitations carry their own state", async () => {
    const res = await sessionAs(t, 'marketer@example.com').get('/api/v1/invitations');
    expect(res.status).toBe(200);
    const demand = await (
      await sessionAs(t, 'demand@example.com').json(
        'PATCH',
        `/api/v1/invitations/${t.db.$client.prepare('SELECT id FROM invitations WHERE person_id = ?').pluck().get(person('demand@example.com').id)}`,
        { status: 'declined', reason: 'Still clashing' },
      )
    ).json();
    expect((demand as { invitation: { declineReason: string } }).invitation.declineReason).toBe('Still clashing');
  });

  it('someone leaving a full event is not told the approval state of the person promoted', async () => {
    const full = salesCall(1);
    invitePeople(t.db, t.clock, actor, person('rep@example.com'), full.id, [person('demand@example.com').id], null);
    respond(t.db, t.clock, actor, person('demand@example.com'), { eventId: full.id, start: null, answer: 'accepted' });
    // Mark claims the full event: waitlisted, and his manager must approve.
    expect(claimSeat(t.db, t.clock, actor, person('marketer@example.com'), full.id, null).outcome).toBe('waitlisted');
    const res = await sessionAs(t, 'demand@example.com').json('POST', `/api/v1/events/${full.id}/leave`, {});
    expect(res.status).toBe(200);
    const body = (await res.json()) as { promoted: { personId: number; approvalStatus: string | null }[] };
    expect(body.promoted.map((r) => r.personId)).toEqual([person('marketer@example.com').id]);
    expect(body.promoted[0]!.approvalStatus).toBeNull();
  });
});

describe('who an answer concerns (no HTTP)', () => {
  it('counts what it hides and never hands on a reason or an approval state', () => {
    const attendees = [
      { personId: 1, status: 'accepted' as const, holdsSeat: true, approvalPending: false, declineReason: null },
      { personId: 2, status: 'invited' as const, holdsSeat: true, approvalPending: true, declineReason: null },
      { personId: 3, status: 'declined' as const, holdsSeat: false, approvalPending: false, declineReason: 'Busy' },
      { personId: 4, status: 'waitlisted' as const, holdsSeat: false, approvalPending: false, declineReason: null },
      { personId: 5, status: 'tentative' as const, holdsSeat: false, approvalPending: false, declineReason: null },
    ];
    expect(attendeesFor(attendees, () => true).shown).toEqual(attendees);
    const own = attendeesFor(attendees, (id) => id === 3);
    expect(own.shown.map((a) => a.personId)).toEqual([1, 3]);
    expect(own.hidden).toEqual({ waitlisted: 1, unconfirmed: 2, declined: 0 });
    const none = attendeesFor(attendees, () => false);
    expect(none.shown.map((a) => a.personId)).toEqual([1]);
    expect(none.hidden).toEqual({ waitlisted: 1, unconfirmed: 2, declined: 1 });
  });

  it("reads the host's managers and the guest's managers from the directory", () => {
    const concerns = (email: string) => answerAudience(t.db, person(email), event);
    const mark = person('marketer@example.com').id;
    expect(concerns('sales.manager@example.com')(mark)).toBe(true);
    expect(concerns('marketing.manager@example.com')(mark)).toBe(true);
    expect(concerns('demand.manager@example.com')(mark)).toBe(false);
    expect(concerns('marketer2@example.com')(mark)).toBe(false);
    expect(concerns('marketer@example.com')(mark)).toBe(true);
  });
});
