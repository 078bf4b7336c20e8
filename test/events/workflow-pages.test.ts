/** The booking-tool workflows over HTTP: pages (htmx and without JavaScript) and the API. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { invitations, people } from '../../db/schema';
import type { Person } from '../../src/context';
import { bannerAfter, createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';
import type { EventDetails } from '../../src/events/event-rules';
import { cancelOccurrence } from '../../src/events/occurrence-changes';
import { createEvent } from '../../src/events/events';
import { claimSeat } from '../../src/events/claims';
import { invitePeople } from '../../src/events/invitations';

let t: TestContext;
let company: SeededCompany;
const actor = { personId: null };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<Json> => (await res.json()) as Json;
const person = (email: string): Person => t.db.select().from(people).where(eq(people.email, email)).get()!;
const htmx = { 'hx-request': 'true' };

function call(overrides: Partial<EventDetails> = {}) {
  const rep = person('rep@example.com');
  return createEvent(t.db, t.clock, actor, rep, {
    kind: 'sales_call',
    title: 'Pipeline call',
    description: '',
    hostId: rep.id,
    startLocal: '2026-03-09T09:00',
    timeZone: 'America/New_York',
    durationMinutes: 60,
    seats: 1,
    rrule: null,
    account: 'Acme Corp',
    opportunityStage: 'discovery',
    location: null,
    meetingUrl: null,
    topic: null,
    ...overrides,
  });
}
/** 12:00 in New York is 17:00 in Berlin: after Mark Marketer's working day. */
const lateCall = () => call({ title: 'Late Acme call', startLocal: '2026-03-10T12:00' });
const keyOf = (eventId: number, iso: string) => `${eventId}_${iso.replace(/[-:]/g, '').replace('.000', '')}`;

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

describe('a conflict shown before claiming, and the confirm step', () => {
  it('names it on the open-seat row, asks in place with htmx, and claims and undoes after confirmation', async () => {
    const event = lateCall();
    const key = keyOf(event.id, '2026-03-10T16:00:00Z');
    const marketer = sessionAs(t, 'marketer@example.com');
    const list = await (await marketer.get('/open-seats?from=2026-03-01&to=2026-03-20')).text();
    expect(list).toContain('Tue 10 Mar 17:00–18:00 (Europe/Berlin) is outside your working hours (09:00–17:00).');
    expect(list).not.toContain('Mark Marketer&#39;s working hours');

    const asked = await marketer.form('/open-seats/claim', { occurrence: key, next: '/open-seats' }, htmx);
    expect(asked.status).toBe(200);
    const askedRow = await asked.text();
    expect(askedRow).toMatch(new RegExp(`^<tr id="seat-${key}"`));
    expect(askedRow).toContain('Claim anyway');
    expect(askedRow).toContain('name="confirmConflicts" value="1"');
    expect(t.db.select().from(invitations).all()).toEqual([]);

    const noJs = await marketer.form('/open-seats/claim', { occurrence: key, next: '/open-seats' });
    expect(noJs.status).toBe(409);
    const page = await noJs.text();
    expect(page).toContain('<!doctype html>');
    expect(page).toContain('conflicts with your calendar');
    expect(page).toContain('href="/open-seats"');
    expect(t.db.select().from(invitations).all()).toEqual([]);

    const claimed = await (await marketer.form('/open-seats/claim', { occurrence: key, next: '/open-seats', confirmConflicts: '1' }, htmx)).text();
    expect(claimed).toContain('Claimed — you are on the guest list');
    expect(claimed).toContain('data-focus-result');
    const ids = /name="ids" value="([\d,]+)"/.exec(claimed)![1]!;
    expect(
      t.db
        .select()
        .from(invitations)
        .all()
        .map((r) => r.status),
    ).toEqual(['accepted']);

    // Someone else cannot undo it.
    expect((await sessionAs(t, 'marketer2@example.com').form('/open-seats/undo', { ids, next: '/open-seats' })).status).toBe(404);
    const undone = await marketer.form('/open-seats/undo', { ids, next: '/open-seats' }, { ...htmx, 'hx-target': `seat-${key}` });
    const undoneRow = await undone.text();
    expect(undoneRow).toMatch(new RegExp(`^<tr id="seat-${key}"`));
    expect(undoneRow).toContain('Undone: your claim was taken back');
    expect(t.db.select().from(invitations).all()).toEqual([]);
  });

  it('without JavaScript a claim redirects to what it did (Undo while it may), seen by its person only; with htmx only the row answers', async () => {
    const event = lateCall();
    const key = keyOf(event.id, '2026-03-10T16:00:00Z');
    const marketer = sessionAs(t, 'marketer@example.com');
    const posted = await marketer.form('/open-seats/claim', { occurrence: key, next: '/open-seats?from=2026-03-01', confirmConflicts: '1' });
    expect(posted.status).toBe(303);
    const row = t.db.select().from(invitations).get()!;
    expect(row.status).toBe('accepted');
    const location = posted.headers.get('location')!;
    expect(location).toBe(`/open-seats/claims/${row.id}?next=${encodeURIComponent('/open-seats?from=2026-03-01')}`);
    const page = await (await marketer.get(location)).text();
    expect(page).toContain('<!doctype html>');
    expect(page).toContain('You are on the guest list.');
    // The conflict confirmed before is named on the result page, read there and not by the claim.
    expect(page).toContain('is outside your working hours (09:00–17:00).');
    expect(page).toContain(`name="ids" value="${row.id}"`);
    expect(page).toContain('href="/open-seats?from=2026-03-01"');
    // A reload claims nothing twice; someone else (HR included) does not see it.
    expect((await marketer.get(location)).status).toBe(200);
    expect(t.db.select().from(invitations).all()).toHaveLength(1);
    expect((await sessionAs(t, 'marketer2@example.com').get(location)).status).toBe(404);
    expect((await sessionAs(t, 'hr@example.com').get(location)).status).toBe(404);
    // Past the undo window the page still says what the claim did, without Undo.
    t.clock.advance(11 * 60_000);
    const later = await (await marketer.get(location)).text();
    expect(later).toContain('You are on the guest list.');
    expect(later).not.toContain('name="ids"');

    // A full occurrence: the page names the waitlist position and no conflicts.
    const second = await sessionAs(t, 'marketer2@example.com').form('/open-seats/claim', { occurrence: key, confirmConflicts: '1' });
    expect(second.status).toBe(303);
    const waiting = await (await sessionAs(t, 'marketer2@example.com').get(second.headers.get('location')!)).text();
    expect(waiting).toContain('you are number 1 on the waitlist');
    expect(waiting).not.toContain('outside your working hours');

    // With htmx, the answer is the open-seat row alone (the partial the page shows), never a page.
    const other = lateCall();
    const otherKey = keyOf(other.id, '2026-03-10T16:00:00Z');
    const inPlace = await (await marketer.form('/open-seats/claim', { occurrence: otherKey, next: '/open-seats', confirmConflicts: '1' }, htmx)).text();
    expect(inPlace).toMatch(new RegExp(`^<tr id="seat-${otherKey}"`));
    expect(inPlace).not.toContain('<!doctype html>');
    expect(inPlace).toContain('is outside your working hours');
  });

  it('asks before accepting an invitation into a conflict, then updates the navigation count out of band', async () => {
    const event = lateCall();
    const rep = person('rep@example.com');
    invitePeople(t.db, t.clock, actor, rep, event.id, [company.people['marketer@example.com']!], null);
    const marketer = sessionAs(t, 'marketer@example.com');
    const list = await (await marketer.get('/invitations')).text();
    expect(list).toContain('is outside your working hours');
    const row = t.db.select().from(invitations).get()!;

    const asked = await (await marketer.form(`/invitations/${row.id}/answer`, { status: 'accepted', next: '/invitations' }, htmx)).text();
    expect(asked).toContain('Accept anyway');
    expect(t.db.select().from(invitations).get()!.status).toBe('invited');
    const noJs = await marketer.form(`/invitations/${row.id}/answer`, { status: 'accepted', next: '/invitations' });
    expect(noJs.status).toBe(409);

    const accepted = await (
      await marketer.form(`/invitations/${row.id}/answer`, { status: 'accepted', next: '/invitations', confirmConflicts: '1' }, htmx)
    ).text();
    expect(accepted).toMatch(/^<article class="card invitation"/);
    expect(accepted).toContain('You are on the guest list.');
    expect(accepted).toMatch(/<span class="badge" id="nav-badge-invitations" hidden="" hx-swap-oob="true"><\/span>/);
    expect(t.db.select().from(invitations).get()!.status).toBe('accepted');
  });

  it('asks on the occurrence page too, and names the conflict there before the click', async () => {
    const event = lateCall();
    const key = keyOf(event.id, '2026-03-10T16:00:00Z');
    const marketer = sessionAs(t, 'marketer@example.com');
    const page = await (await marketer.get(`/events/${event.id}/occurrences/${key}`)).text();
    expect(page).toContain('is outside your working hours');
    const asked = await (await marketer.form(`/events/${event.id}/occurrences/${key}/claim`, {}, htmx)).text();
    expect(asked).toMatch(/^<div id="occurrence-answer"/);
    expect(asked).toContain('Claim anyway');
    const claimed = await (await marketer.form(`/events/${event.id}/occurrences/${key}/claim`, { confirmConflicts: '1' }, htmx)).text();
    expect(claimed).toContain('You are on the guest list.');
    expect(claimed).toContain('Undo');
    expect(claimed).toContain('Leave this event');
  });
});

describe('claiming a whole series, leaving it', () => {
  it('claims every upcoming occurrence from the open-seat row and shows the outcome of each', async () => {
    const series = call({ rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4' });
    const second = keyOf(series.id, '2026-03-16T13:00:00Z');
    claimSeat(t.db, t.clock, actor, person('demand@example.com'), series.id, new Date('2026-03-16T13:00:00Z'));
    const marketer2 = sessionAs(t, 'marketer2@example.com');
    const list = await (await marketer2.get('/open-seats?from=2026-03-01&to=2026-03-31')).text();
    expect(list).toContain(`action="/events/${series.id}/claim-series"`);
    const first = keyOf(series.id, '2026-03-09T13:00:00Z');
    const result = await (await marketer2.form(`/events/${series.id}/claim-series`, { next: '/open-seats', row: first }, htmx)).text();
    expect(result).toMatch(new RegExp(`^<tr id="seat-${first}"`));
    expect(result).toContain('&quot;Pipeline call&quot;: 3 claimed, 1 waitlisted.');
    expect(result).toContain('waitlisted #1');
    expect(result).toContain(`/events/${series.id}/occurrences/${second}`);
    expect(result).toContain('Undo these claims');

    // Without JavaScript, with options from the event page: a page with the same result.
    const maya = sessionAs(t, 'marketer@example.com');
    const noJs = await maya.form(`/events/${series.id}/claim-series`, { next: `/events/${series.id}`, options: '1' });
    expect(noJs.status).toBe(200);
    const page = await noJs.text();
    expect(page).toContain('Claimed: Pipeline call');
    expect(page).toContain('skipped: full');

    const left = await marketer2.form(`/events/${series.id}/leave`, { occurrence: first, scope: 'series', next: '/' });
    expect(left.status).toBe(303);
    expect(await bannerAfter(marketer2, left)).toContain('You left "Pipeline call": every future occurrence. Past occurrences stay as they were.');
  });

  it('leaves one occurrence from the schedule row', async () => {
    const series = call({ rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4' });
    claimSeat(t.db, t.clock, actor, person('marketer2@example.com'), series.id, new Date('2026-03-09T13:00:00Z'));
    const marketer2 = sessionAs(t, 'marketer2@example.com');
    const week = await (await marketer2.get('/?date=2026-03-09')).text();
    expect(week).toContain(`action="/events/${series.id}/leave"`);
    const left = await marketer2.form(`/events/${series.id}/leave`, {
      occurrence: keyOf(series.id, '2026-03-09T13:00:00Z'),
      scope: 'occurrence',
      next: '/?date=2026-03-09',
    });
    expect(left.status).toBe(303);
    expect(t.db.select().from(invitations).get()!.status).toBe('declined');
  });
});

describe('know what happened', () => {
  it('links the .ics download, counts and pages occurrences, and warns before a duplicate', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const series = call({ rrule: 'FREQ=DAILY' });
    const page = await (await rep.get(`/events/${series.id}`)).text();
    expect(page).toContain(`href="/calendar/events/${series.id}.ics"`);
    expect(page).toContain('Add to calendar (.ics)');
    expect(page).toContain('359 occurrences until 2027-03-03, and more after that.');
    expect(page).toContain(`/events/${series.id}?page=2#occurrences`);
    const second = await (await rep.get(`/events/${series.id}?page=2`)).text();
    expect(second).toContain('Page 2 of 18 · 359 in all');
    const occurrence = await (await rep.get(`/events/${series.id}/occurrences/${keyOf(series.id, '2026-03-09T13:00:00Z')}`)).text();
    expect(occurrence).toContain(`href="/calendar/events/${series.id}.ics"`);

    const form = {
      kind: 'sales_call',
      title: 'Pipeline call',
      date: '2026-03-09',
      startTime: '09:00',
      endTime: '10:00',
      timeZone: 'America/New_York',
      seats: '1',
      account: 'Acme Corp',
      repeat: 'none',
    };
    expect((await rep.form('/events', form)).status).toBe(303);
    // The same again (a double submit): warned first.
    const warned = await rep.form('/events', form);
    expect(warned.status).toBe(409);
    const warning = await warned.text();
    expect(warning).toContain('This looks like a duplicate.');
    expect(warning).toContain('You already host');
    expect(warning).toContain('Create anyway');
    const created = await rep.form('/events', { ...form, confirmDuplicate: '1' });
    expect(created.status).toBe(303);
  });

  it('says cancelled on the schedule and the invitation, and lists past hosted events of the period', async () => {
    const series = call({ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4', seats: 2 });
    const rep = person('rep@example.com');
    claimSeat(t.db, t.clock, actor, person('marketer2@example.com'), series.id, new Date('2026-03-09T13:00:00Z'));
    invitePeople(t.db, t.clock, actor, rep, series.id, [company.people['marketer@example.com']!], new Date('2026-03-11T13:00:00Z'));
    cancelOccurrence(t.db, t.clock, actor, rep, { eventId: series.id, originalStart: new Date('2026-03-09T13:00:00Z') });
    cancelOccurrence(t.db, t.clock, actor, rep, { eventId: series.id, originalStart: new Date('2026-03-11T13:00:00Z') });
    const week = await (await sessionAs(t, 'marketer2@example.com').get('/?date=2026-03-09')).text();
    expect(week).toMatch(/Pipeline call<\/a>[\s\S]*?<span class="tag cancelled">cancelled<\/span>/);
    const invitationsPage = await (await sessionAs(t, 'marketer@example.com').get('/invitations')).text();
    expect(invitationsPage).toContain('<span class="tag cancelled">cancelled</span>');
    expect(invitationsPage).not.toContain('Accept anyway');

    t.clock.set('2026-03-12T20:00:00Z');
    const hosted = await (await sessionAs(t, 'rep@example.com').get('/?date=2026-03-12')).text();
    const section = hosted.slice(hosted.indexOf('Events you host'));
    expect(section).toContain('Mon 9 Mar 2026');
    expect(section).toContain('<span class="tag">past</span>');
  });
});

describe('the API', () => {
  it('refuses a conflicting claim with 409 conflict unless confirmed, claims a series, undoes and leaves', async () => {
    const late = lateCall();
    const marketer = sessionAs(t, 'marketer@example.com');
    const refused = await marketer.json('POST', `/api/v1/events/${late.id}/seats`, {});
    expect(refused.status).toBe(409);
    const body = await json(refused);
    expect(body.error.code).toBe('conflict');
    expect(body.error.conflicts).toEqual([
      { code: 'working_hours', message: 'Tue 10 Mar 17:00–18:00 (Europe/Berlin) is outside your working hours (09:00–17:00).' },
    ]);
    const confirmed = await marketer.json('POST', `/api/v1/events/${late.id}/seats`, { confirmConflicts: true });
    expect(confirmed.status).toBe(201);
    expect((await json(confirmed)).warnings.length).toBe(1);

    const series = call({ rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3', seats: 2 });
    const marketer2 = sessionAs(t, 'marketer2@example.com');
    const claimed = await json(await marketer2.json('POST', `/api/v1/events/${series.id}/series-seats`, {}));
    expect(claimed.occurrences.map((o: Json) => [o.occurrenceId, o.outcome])).toEqual([
      [keyOf(series.id, '2026-03-09T13:00:00Z'), 'claimed'],
      [keyOf(series.id, '2026-03-16T13:00:00Z'), 'claimed'],
      [keyOf(series.id, '2026-03-23T13:00:00Z'), 'claimed'],
    ]);
    expect(claimed.more).toBe(false);
    const undone = await json(await marketer2.json('POST', '/api/v1/seats/undo', { invitationIds: claimed.undo.invitationIds }));
    expect(undone.undone).toBe(3);
    expect(t.db.select().from(invitations).where(eq(invitations.personId, company.people['marketer2@example.com']!)).all()).toEqual([]);

    await marketer2.json('POST', `/api/v1/events/${series.id}/series-seats`, {});
    const left = await json(await marketer2.json('POST', `/api/v1/events/${series.id}/leave`, { occurrenceId: keyOf(series.id, '2026-03-16T13:00:00Z') }));
    expect(left.left.map((r: Json) => [r.occurrenceId, r.status])).toEqual([[keyOf(series.id, '2026-03-16T13:00:00Z'), 'declined']]);
    expect((await marketer2.json('POST', `/api/v1/events/${series.id}/series-seats`, { bogus: 1 })).status).toBe(400);
  });
});
