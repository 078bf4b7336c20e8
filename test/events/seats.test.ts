import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { invitations, outbox, people } from '../../db/schema';
import type { Person } from '../../src/context';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';
import { requireEvent, type EventDetails } from '../../src/events/event-rules';
import { eventOccurrences } from '../../src/events/event-occurrences';
import { cancelOccurrence, moveOccurrence } from '../../src/events/occurrence-changes';
import { cancelEvent, createEvent, editFollowing } from '../../src/events/events';
import { answerInvitation, respond } from '../../src/events/answers';
import { invitePeople } from '../../src/events/invitations';
import { claimSeat } from '../../src/events/claims';
import { decideClaim, setClaimApprovalPolicy } from '../../src/events/approvals';
import { notifyEventCancelled, notifyOccurrenceCancelled } from '../../src/events/cancellation-notices';
import { namedPlacesAt, personSchedule } from '../../src/events/schedule';
import { findOpenSeats, openSeatsPage } from '../../src/events/open-seats';
import { findConflicts, conflictsForPlace } from '../../src/events/conflicts';
import { addActionItem, addAgendaItem, occurrenceAgenda, recordDecisions, setActionItemDone } from '../../src/events/agenda';

let t: TestContext;
let company: SeededCompany;
const actor = { personId: null };

function person(email: string): Person {
  return t.db.select().from(people).where(eq(people.email, email)).get()!;
}

function salesCall(overrides: Partial<EventDetails> = {}): EventDetails {
  return {
    kind: 'sales_call',
    title: 'Discovery call with Acme',
    description: '',
    hostId: company.people['rep@example.com']!,
    startLocal: '2026-03-09T10:00',
    timeZone: 'America/New_York',
    durationMinutes: 60,
    seats: 3,
    rrule: null,
    account: 'Acme Corp',
    opportunityStage: 'discovery',
    location: null,
    meetingUrl: 'https://meet.example.com/acme',
    topic: null,
    ...overrides,
  };
}

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
  for (let i = 1; i <= 6; i++) {
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

describe('claims and the waitlist', () => {
  it('gives seats in order, waitlists the rest and promotes when someone declines', () => {
    const rep = person('rep@example.com');
    const event = createEvent(t.db, t.clock, actor, rep, salesCall({ seats: 2 }));
    const results = ['mk1', 'mk2', 'mk3', 'mk4'].map((m) => claimSeat(t.db, t.clock, actor, person(`${m}@example.com`), event.id, null));
    expect(results.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'waitlisted', 'waitlisted']);
    expect(results.map((r) => r.waitlistPosition)).toEqual([null, null, 1, 2]);

    const declined = respond(t.db, t.clock, actor, person('mk1@example.com'), {
      eventId: event.id,
      start: null,
      answer: 'declined',
      reason: 'Customer asked for a smaller group',
    });
    expect(declined.invitation.declineReason).toBe('Customer asked for a smaller group');
    expect(declined.promoted.map((r) => r.personId)).toEqual([person('mk3@example.com').id]);
    const attendees = namedPlacesAt(t.db, event, null);
    expect(
      attendees
        .filter((a) => a.holdsSeat)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['Marketer 2', 'Marketer 3']);
    expect(attendees.find((a) => a.name === 'Marketer 4')?.status).toBe('waitlisted');
    // The promoted person hears about it.
    const mails = t.db.select().from(outbox).all();
    expect(mails.map((m) => [m.toEmail, m.subject])).toEqual([['mk3@example.com', 'You have a seat: Discovery call with Acme']]);
  });

  it('refuses claims on the own department, the host and the past', () => {
    const rep = person('rep@example.com');
    const event = createEvent(t.db, t.clock, actor, rep, salesCall());
    expect(() => claimSeat(t.db, t.clock, actor, person('rep2@example.com'), event.id, null)).toThrow('This event takes guests from marketing.');
    expect(() => claimSeat(t.db, t.clock, actor, rep, event.id, null)).toThrow('You host this event.');
    t.clock.set('2026-03-09T15:00:00Z');
    expect(() => claimSeat(t.db, t.clock, actor, person('marketer@example.com'), event.id, null)).toThrow('already started');
  });

  it('keeps seats per occurrence of a series, with series answers and occurrence overrides', () => {
    const rep = person('rep@example.com');
    const series = createEvent(t.db, t.clock, actor, rep, salesCall({ title: 'Weekly pipeline call', seats: 1, rrule: 'FREQ=WEEKLY;BYDAY=MO' }));
    const [first, second, third] = eventOccurrences(t.db, series, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-24T00:00:00Z'));
    expect(first!.start.toISOString()).toBe('2026-03-09T14:00:00.000Z');
    expect(second!.start.toISOString()).toBe('2026-03-16T14:00:00.000Z');

    // mk1 claims the second occurrence only.
    expect(claimSeat(t.db, t.clock, actor, person('mk1@example.com'), series.id, second!.originalStart).outcome).toBe('accepted');
    // mk2 is invited to the whole series and accepts: a seat everywhere except the second, where they wait.
    invitePeople(t.db, t.clock, actor, rep, series.id, [person('mk2@example.com').id], null);
    const accepted = respond(t.db, t.clock, actor, person('mk2@example.com'), { eventId: series.id, start: null, answer: 'accepted' });
    expect(accepted.outcome).toBe('accepted');
    expect(namedPlacesAt(t.db, series, first!.originalStart).map((a) => [a.name, a.status])).toEqual([['Marketer 2', 'accepted']]);
    expect(namedPlacesAt(t.db, series, second!.originalStart).map((a) => [a.name, a.status])).toEqual([
      ['Marketer 1', 'accepted'],
      ['Marketer 2', 'waitlisted'],
    ]);
    expect(namedPlacesAt(t.db, series, third!.originalStart).map((a) => [a.name, a.status])).toEqual([['Marketer 2', 'accepted']]);

    // mk2 skips the third one; mk3 claims it.
    respond(t.db, t.clock, actor, person('mk2@example.com'), { eventId: series.id, start: third!.originalStart, answer: 'declined' });
    expect(claimSeat(t.db, t.clock, actor, person('mk3@example.com'), series.id, third!.originalStart).outcome).toBe('accepted');
    // mk1 leaves the second: mk2 (waiting there) gets it.
    const left = respond(t.db, t.clock, actor, person('mk1@example.com'), { eventId: series.id, start: second!.originalStart, answer: 'declined' });
    expect(left.promoted.map((r) => r.personId)).toEqual([person('mk2@example.com').id]);
    expect(
      namedPlacesAt(t.db, series, second!.originalStart)
        .filter((a) => a.holdsSeat)
        .map((a) => a.name),
    ).toEqual(['Marketer 2']);

    const schedule = personSchedule(t.db, person('mk2@example.com').id, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-24T00:00:00Z'));
    expect(schedule.map((e) => [e.occurrence.start.toISOString(), e.answer])).toEqual([
      ['2026-03-09T14:00:00.000Z', 'accepted'],
      ['2026-03-16T14:00:00.000Z', 'accepted'],
    ]);
  });

  it('waitlists a whole-series accept when the series is full and promotes it when a seat frees', () => {
    const rep = person('rep@example.com');
    const series = createEvent(t.db, t.clock, actor, rep, salesCall({ seats: 1, rrule: 'FREQ=WEEKLY;BYDAY=MO' }));
    invitePeople(t.db, t.clock, actor, rep, series.id, [person('mk1@example.com').id, person('mk2@example.com').id], null);
    expect(respond(t.db, t.clock, actor, person('mk1@example.com'), { eventId: series.id, start: null, answer: 'accepted' }).outcome).toBe('accepted');
    const waiting = respond(t.db, t.clock, actor, person('mk2@example.com'), { eventId: series.id, start: null, answer: 'accepted' });
    expect([waiting.outcome, waiting.waitlistPosition]).toEqual(['waitlisted', 1]);
    const left = respond(t.db, t.clock, actor, person('mk1@example.com'), { eventId: series.id, start: null, answer: 'declined' });
    expect(left.promoted.map((r) => [r.personId, r.status, r.occurrenceStart])).toEqual([[person('mk2@example.com').id, 'accepted', null]]);
  });

  it('asks the manager first when they require approval', () => {
    const rep = person('rep@example.com');
    const manager = person('marketing.manager@example.com');
    setClaimApprovalPolicy(t.db, t.clock, actor, manager.id, true);
    const event = createEvent(t.db, t.clock, actor, rep, salesCall({ seats: 1 }));
    const claim = claimSeat(t.db, t.clock, actor, person('mk1@example.com'), event.id, null);
    expect([claim.outcome, claim.invitation.status, claim.invitation.holdsSeat]).toEqual(['pending_approval', 'invited', true]);
    // The pending claim holds the seat.
    expect(claimSeat(t.db, t.clock, actor, person('mk2@example.com'), event.id, null).outcome).toBe('waitlisted');
    expect(() => decideClaim(t.db, t.clock, actor, person('sales.manager@example.com'), claim.invitation.id, true)).toThrow("Only the claimant's manager");
    const approved = decideClaim(t.db, t.clock, actor, manager, claim.invitation.id, true);
    expect([approved.status, approved.approvalStatus]).toEqual(['accepted', 'approved']);
    // mk2 waits with a pending approval; a rejection frees the seat for nobody else here.
    const mk2Row = t.db
      .select()
      .from(invitations)
      .where(eq(invitations.personId, person('mk2@example.com').id))
      .get()!;
    expect(mk2Row.approvalStatus).toBe('pending');
    const rejected = decideClaim(t.db, t.clock, actor, manager, mk2Row.id, false);
    expect([rejected.status, rejected.holdsSeat]).toEqual(['declined', false]);
  });
});

describe('cancelling, moving and splitting', () => {
  it('tells everyone who accepted when an event or one occurrence is cancelled', () => {
    const rep = person('rep@example.com');
    const event = createEvent(t.db, t.clock, actor, rep, salesCall());
    claimSeat(t.db, t.clock, actor, person('mk1@example.com'), event.id, null);
    invitePeople(t.db, t.clock, actor, rep, event.id, [person('mk2@example.com').id], null);
    cancelEvent(t.db, t.clock, actor, rep, event.id, (tx, e) => notifyEventCancelled(tx, t.clock, e));
    expect(
      t.db
        .select()
        .from(outbox)
        .all()
        .map((m) => [m.toEmail, m.subject]),
    ).toEqual([['mk1@example.com', 'Cancelled: Discovery call with Acme']]);

    const series = createEvent(t.db, t.clock, actor, rep, salesCall({ title: 'Weekly', rrule: 'FREQ=WEEKLY;BYDAY=MO' }));
    const [first] = eventOccurrences(t.db, series, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-10T00:00:00Z'));
    claimSeat(t.db, t.clock, actor, person('mk3@example.com'), series.id, first!.originalStart);
    cancelOccurrence(t.db, t.clock, actor, rep, { eventId: series.id, originalStart: first!.originalStart }, (tx, e, o) =>
      notifyOccurrenceCancelled(tx, t.clock, e, o),
    );
    expect(t.db.select().from(outbox).all().at(-1)!.subject).toBe('Cancelled: Weekly on 2026-03-09 14:00 (Europe/London)');
    expect(eventOccurrences(t.db, series, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-17T00:00:00Z')).map((o) => o.start.toISOString())).toEqual([
      '2026-03-16T14:00:00.000Z',
    ]);
  });

  it('moves one occurrence and splits "this and following" keeping answers', () => {
    const rep = person('rep@example.com');
    const series = createEvent(t.db, t.clock, actor, rep, salesCall({ title: 'Weekly', rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=6' }));
    invitePeople(t.db, t.clock, actor, rep, series.id, [person('mk1@example.com').id], null);
    respond(t.db, t.clock, actor, person('mk1@example.com'), { eventId: series.id, start: null, answer: 'accepted' });
    const occurrences = eventOccurrences(t.db, series, new Date('2026-03-01T00:00:00Z'), new Date('2026-05-01T00:00:00Z'));
    expect(occurrences).toHaveLength(6);
    moveOccurrence(t.db, t.clock, actor, rep, { eventId: series.id, originalStart: occurrences[1]!.originalStart }, '2026-03-17T15:00');
    const tail = editFollowing(
      t.db,
      t.clock,
      actor,
      rep,
      { eventId: series.id, originalStart: occurrences[3]!.originalStart },
      {
        startLocal: '2026-03-31T11:00',
        title: 'Weekly (new time)',
      },
    );
    expect(tail.rrule).toBe('FREQ=WEEKLY;BYDAY=TU;COUNT=3');
    const headEvent = requireEvent(t.db, series.id);
    expect(headEvent.rrule).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260323T235959');
    const head = eventOccurrences(t.db, headEvent, new Date('2026-03-01T00:00:00Z'), new Date('2026-05-01T00:00:00Z'));
    expect(head.map((o) => o.start.toISOString())).toEqual(['2026-03-09T14:00:00.000Z', '2026-03-17T19:00:00.000Z', '2026-03-23T14:00:00.000Z']);
    expect(eventOccurrences(t.db, tail, new Date('2026-03-01T00:00:00Z'), new Date('2026-05-01T00:00:00Z')).map((o) => o.start.toISOString())).toEqual([
      '2026-03-31T15:00:00.000Z',
      '2026-04-07T15:00:00.000Z',
      '2026-04-14T15:00:00.000Z',
    ]);
    // The guest of the series keeps their seat on the new part.
    expect(namedPlacesAt(t.db, tail, null).map((a) => [a.name, a.status])).toEqual([['Marketer 1', 'accepted']]);
  });
});

describe('conflicts', () => {
  it('names overlapping accepted events, rotations and working hours', () => {
    const rep = person('rep@example.com');
    const marketer = person('marketer@example.com'); // Europe/Berlin, 09:00–17:00
    const first = createEvent(t.db, t.clock, actor, rep, salesCall({ title: 'Acme demo', startLocal: '2026-03-10T11:00' }));
    claimSeat(t.db, t.clock, actor, marketer, first.id, null);
    const second = createEvent(t.db, t.clock, actor, rep, salesCall({ title: 'Globex call', startLocal: '2026-03-10T11:30' }));
    const conflicts = conflictsForPlace(t.db, t.clock.now(), marketer, second, null);
    expect(conflicts.map((c) => c.code)).toEqual(['overlap', 'working_hours']);
    expect(conflicts[0]!.message).toBe('Mark Marketer already has "Acme demo" at Tue 10 Mar 16:00–17:00 (Europe/Berlin).');
    expect(conflicts[1]!.message).toBe("Tue 10 Mar 16:30–17:30 (Europe/Berlin) is outside Mark Marketer's working hours (09:00–17:00).");
    // Away on a rotation with Sales East that week.
    const programId = Number(
      t.db.$client.prepare("INSERT INTO rotation_programs (name, direction, length_weeks) VALUES ('Field weeks', 'marketing_to_sales', 2)").run()
        .lastInsertRowid,
    );
    t.db.$client
      .prepare(
        "INSERT INTO rotations (program_id, person_id, host_team_id, start_date, end_date, status) VALUES (?, ?, ?, '2026-03-09', '2026-03-20', 'planned')",
      )
      .run(programId, marketer.id, company.teams['Sales East']);
    expect(conflictsForPlace(t.db, t.clock.now(), marketer, second, null).map((c) => c.message)).toContain(
      'Mark Marketer is away on a rotation with Sales East from 2026-03-09 to 2026-03-20.',
    );
    const weekend = findConflicts(t.db, marketer, [{ start: new Date('2026-03-21T10:00:00Z'), end: new Date('2026-03-21T11:00:00Z') }]);
    expect(weekend.map((c) => c.message)).toEqual(["Sat 21 Mar 11:00–12:00 (Europe/Berlin) is on a Saturday, outside Mark Marketer's working week."]);
  });
});

describe('alignment meeting agenda', () => {
  it('records decisions and carries open action items over to the next occurrence', () => {
    const manager = person('sales.manager@example.com');
    const meeting = createEvent(
      t.db,
      t.clock,
      actor,
      manager,
      salesCall({
        kind: 'alignment_meeting',
        title: 'Sales & marketing alignment',
        hostId: manager.id,
        account: null,
        rrule: 'FREQ=WEEKLY;BYDAY=TH',
        startLocal: '2026-03-05T09:00',
      }),
    );
    const [first, second, third] = eventOccurrences(t.db, meeting, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-25T00:00:00Z'));
    const item = addAgendaItem(t.db, t.clock, actor, manager, meeting.id, first!.originalStart, {
      title: 'Q2 campaign handoff',
      ownerId: person('marketer@example.com').id,
      minutes: 15,
    });
    recordDecisions(t.db, t.clock, actor, manager, item.id, 'Marketing owns the webinar follow-up.');
    const action = addActionItem(t.db, t.clock, actor, manager, meeting.id, first!.originalStart, {
      title: 'Share the battlecard',
      ownerId: person('marketer@example.com').id,
      agendaItemId: item.id,
    });
    addActionItem(t.db, t.clock, actor, manager, meeting.id, first!.originalStart, { title: 'Send lead list', ownerId: person('rep@example.com').id });
    const agenda = occurrenceAgenda(t.db, meeting, first!.originalStart);
    expect([agenda.items[0]!.decisions, agenda.totalMinutes, agenda.actionItems.length]).toEqual(['Marketing owns the webinar follow-up.', 15, 2]);
    expect(occurrenceAgenda(t.db, meeting, second!.originalStart).carriedOver.map((a) => a.title)).toEqual(['Share the battlecard', 'Send lead list']);
    t.clock.set('2026-03-13T10:00:00Z');
    setActionItemDone(t.db, t.clock, actor, person('marketer@example.com'), action.id, true);
    // Done after the second meeting: still shown there, gone from the third.
    expect(occurrenceAgenda(t.db, meeting, second!.originalStart).carriedOver.map((a) => a.title)).toEqual(['Share the battlecard', 'Send lead list']);
    expect(occurrenceAgenda(t.db, meeting, third!.originalStart).carriedOver.map((a) => a.title)).toEqual(['Send lead list']);
    expect(() => addAgendaItem(t.db, t.clock, actor, person('demand@example.com'), meeting.id, first!.originalStart, { title: 'x', minutes: 5 })).toThrow(
      'Only the host and the people attending',
    );
  });
});

describe('open seats', () => {
  it('lists upcoming occurrences of the other department with free seats', () => {
    const rep = person('rep@example.com');
    const marketer = person('marketer@example.com');
    const full = createEvent(t.db, t.clock, actor, rep, salesCall({ title: 'Full call', seats: 1 }));
    claimSeat(t.db, t.clock, actor, person('mk1@example.com'), full.id, null);
    createEvent(t.db, t.clock, actor, rep, salesCall({ title: 'Open call', account: 'Globex' }));
    createEvent(
      t.db,
      t.clock,
      actor,
      person('marketing.manager@example.com'),
      salesCall({
        kind: 'marketing_meeting',
        title: 'Campaign review',
        hostId: person('marketing.manager@example.com').id,
        account: null,
        topic: 'Q2 campaigns',
      }),
    );
    const seats = findOpenSeats(t.db, t.clock.now(), marketer, { from: t.clock.now(), to: new Date('2026-03-31T00:00:00Z') });
    expect(seats.map((s) => [s.event.title, s.seatsFree])).toEqual([['Open call', 3]]);
    expect(findOpenSeats(t.db, t.clock.now(), marketer, { from: t.clock.now(), to: new Date('2026-03-31T00:00:00Z'), account: 'acme' })).toEqual([]);
    expect(findOpenSeats(t.db, t.clock.now(), rep, { from: t.clock.now(), to: new Date('2026-03-31T00:00:00Z') }).map((s) => s.event.title)).toEqual([
      'Campaign review',
    ]);
  });

  it('counts every open seat in SQL and builds only the page shown, at the page boundary and with occurrence overrides', () => {
    const rep = person('rep@example.com');
    const mk = person('mk1@example.com');
    const series = createEvent(t.db, t.clock, actor, rep, salesCall({ title: 'Daily standup', rrule: 'FREQ=DAILY;COUNT=26' }));
    const window = { from: t.clock.now(), to: new Date('2026-05-01T00:00:00Z') };
    const pageOf = (page: number, limit = 200) => openSeatsPage(t.db, t.clock.now(), mk, window, { page, pageSize: 25 }, limit);
    const starts = (seats: { occurrence: { originalStart: Date } }[]) => seats.map((s) => s.occurrence.originalStart.toISOString());
    const all = findOpenSeats(t.db, t.clock.now(), mk, window, 200);
    expect(all).toHaveLength(26);
    // 26 open: a full first page, the 26th alone on the second, nothing past the last page.
    expect(pageOf(1).total).toBe(26);
    expect(starts(pageOf(1).seats)).toEqual(starts(all.slice(0, 25)));
    expect(starts(pageOf(2).seats)).toEqual(starts(all.slice(25)));
    expect(pageOf(3)).toEqual({ seats: [], total: 26, more: false });
    // Counting stops past the list's limit: the first 20 of them, and more past those.
    expect(pageOf(1, 20)).toMatchObject({ total: 20, more: true });
    expect(starts(pageOf(1, 20).seats)).toEqual(starts(all.slice(0, 20)));
    expect(pageOf(1, 26)).toMatchObject({ total: 26, more: false });

    // Invited to the whole series: no open seat left for them (they answer the invitation instead)…
    invitePeople(t.db, t.clock, actor, rep, series.id, [mk.id], null);
    expect(pageOf(1)).toEqual({ seats: [], total: 0, more: false });
    // …except where their own row at an occurrence overrides it with a decline: that one they may claim again.
    const third = all[2]!.occurrence.originalStart;
    respond(t.db, t.clock, actor, mk, { eventId: series.id, start: third, answer: 'declined' });
    const declined = pageOf(1);
    expect(declined.total).toBe(1);
    expect(declined.seats.map((s) => [s.occurrence.originalStart.toISOString(), s.myStatus])).toEqual([[third.toISOString(), 'declined']]);

    // Declining the whole series opens every occurrence again, but an accepted occurrence row overrides it there.
    respond(t.db, t.clock, actor, mk, { eventId: series.id, start: null, answer: 'declined' });
    const fifth = all[4]!.occurrence.originalStart;
    respond(t.db, t.clock, actor, mk, { eventId: series.id, start: fifth, answer: 'accepted' });
    const reopened = pageOf(1);
    expect(reopened.total).toBe(25);
    expect(starts(reopened.seats)).not.toContain(fifth.toISOString());
    expect(starts(reopened.seats)).toEqual(starts(findOpenSeats(t.db, t.clock.now(), mk, window, 200)));
    expect(pageOf(2)).toEqual({ seats: [], total: 25, more: false });
  });

  it('answers by invitation id only for the invited person', () => {
    const rep = person('rep@example.com');
    const event = createEvent(t.db, t.clock, actor, rep, salesCall());
    const { invited } = invitePeople(t.db, t.clock, actor, rep, event.id, [person('mk1@example.com').id], null);
    expect(() => answerInvitation(t.db, t.clock, actor, person('mk2@example.com'), invited[0]!.id, 'accepted')).toThrow('Only the invited person');
    expect(answerInvitation(t.db, t.clock, actor, person('mk1@example.com'), invited[0]!.id, 'tentative').outcome).toBe('tentative');
  });
});
