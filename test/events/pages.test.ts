import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { events, invitations, people } from '../../db/schema';
import { cancelEvent, createEvent } from '../../src/events/events';
import { addManyTeams, bannerAfter, createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;

const weeklyForm = (overrides: Record<string, string | string[]> = {}) => ({
  kind: 'sales_call',
  title: 'Pipeline review with Acme',
  date: '2026-03-09',
  startTime: '09:00',
  endTime: '10:00',
  timeZone: 'America/New_York',
  seats: '2',
  account: 'Acme Corp',
  opportunityStage: 'discovery',
  location: '',
  meetingUrl: '',
  topic: '',
  description: '',
  repeat: 'weekly',
  interval: '1',
  byWeekday: ['MO'],
  monthlyBy: 'date',
  ends: 'count',
  until: '',
  count: '4',
  ...overrides,
});

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

async function createSeries(overrides: Record<string, string | string[]> = {}) {
  const rep = sessionAs(t, 'rep@example.com');
  const res = await rep.form('/events', weeklyForm(overrides));
  expect(res.status).toBe(303);
  return Number(/\/events\/(\d+)/.exec(res.headers.get('location')!)![1]);
}

describe('event pages', () => {
  it('creates a weekly series from the form and shows its occurrences', async () => {
    const id = await createSeries();
    const rep = sessionAs(t, 'rep@example.com');
    const page = await (await rep.get(`/events/${id}`)).text();
    expect(page).toContain('Pipeline review with Acme');
    expect(page).toContain('Every week on Monday, 4 times');
    expect(page).toContain('Mon 9 Mar 2026, 09:00–10:00');
    expect(page).toContain('Mon 30 Mar 2026, 09:00–10:00');
    expect(page).not.toContain('Mon 6 Apr 2026');
  });

  it('offers the common monthly and yearly patterns and a custom RRULE, and describes each in words', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const cases: [Record<string, string | string[]>, string, string][] = [
      [
        { repeat: 'monthly', monthlyBy: 'lastDay', date: '2026-03-31', count: '3' },
        'FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3',
        'Every month on the last day, 3 times',
      ],
      [
        { repeat: 'monthly', monthlyBy: 'lastWeekday', date: '2026-03-31', count: '3' },
        'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3',
        'Every month on the last weekday (Monday to Friday), 3 times',
      ],
      [
        { repeat: 'monthly', monthlyBy: 'weeks', weeksOfMonth: ['1', '3'], date: '2026-03-03', count: '4' },
        'FREQ=MONTHLY;BYDAY=1TU,3TU;COUNT=4',
        'Every month on the first and third Tuesday of the month, 4 times',
      ],
      [{ repeat: 'yearly', date: '2026-03-13', ends: 'never' }, 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=13', 'Every year on 13 Mar'],
      [
        { repeat: 'custom', rrule: 'RRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO', date: '2026-03-09', ends: 'never' },
        'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO',
        'Every year in week 20 of the year on Mondays',
      ],
    ];
    for (const [fields, rrule, words] of cases) {
      const res = await rep.form('/events', weeklyForm(fields));
      expect(res.status, JSON.stringify(fields)).toBe(303);
      const id = Number(/\/events\/(\d+)/.exec(res.headers.get('location')!)![1]);
      expect(t.db.select().from(events).where(eq(events.id, id)).get()!.rrule).toBe(rrule);
      expect(await (await rep.get(`/events/${id}`)).text()).toContain(words);
    }
    // The custom rule's first occurrence is the series' start: Monday of week 20 of 2026 is 11 May.
    const custom = t.db.select().from(events).where(eq(events.rrule, 'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO')).get()!;
    expect(custom.startLocal).toBe('2026-05-11T09:00');
    const edit = await (await rep.get(`/events/${custom.id}/edit`)).text();
    expect(edit).toContain('value="FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO"');
    const bad = await rep.form('/events', weeklyForm({ repeat: 'custom', rrule: 'FREQ=HOURLY;INTERVAL=3', ends: 'never' }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('FREQ=HOURLY is not supported: events repeat at most daily');
  });

  it('re-renders the form with field messages and writes nothing on bad input', async () => {
    const rep = sessionAs(t, 'rep@example.com');
    const res = await rep.form('/events', weeklyForm({ endTime: '08:00', byWeekday: ['TU'], title: '' }));
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('Enter a title.');
    expect(body).toContain('The end time must be after the start time.');
    const ruleMismatch = await rep.form('/events', weeklyForm({ byWeekday: ['TU'] }));
    expect(ruleMismatch.status).toBe(400);
    expect(await ruleMismatch.text()).toContain('is a Monday, but the series repeats on Tuesday');
    const marketerHost = await sessionAs(t, 'marketer@example.com').form('/events', weeklyForm());
    expect(marketerHost.status).toBe(400);
    expect(await marketerHost.text()).toContain('A sales call is hosted by someone from sales.');
    expect(t.db.select({ n: count() }).from(events).get()!.n).toBe(0);
  });

  it('invites, shows the badge and answers in place with htmx', async () => {
    const id = await createSeries();
    const rep = sessionAs(t, 'rep@example.com');
    const invited = await rep.form(`/events/${id}/invitations`, { personIds: [String(company.people['marketer@example.com'])] });
    expect(invited.status).toBe(200);
    const invitedPage = await invited.text();
    expect(invitedPage).toContain('Invited 1 person.');
    // 09:00 New York is 14:00 in Berlin, inside working hours: no warning.
    expect(invitedPage).not.toContain('Heads-up');

    const marketer = sessionAs(t, 'marketer@example.com');
    const home = await (await marketer.get('/')).text();
    expect(home).toMatch(/Invitations<span class="badge"[^>]*>1<\/span>/);
    expect(home).toContain('Pipeline review with Acme');
    const row = t.db.select().from(invitations).get()!;
    const partial = await marketer.form(`/invitations/${row.id}/answer`, { status: 'accepted', next: '/' }, { 'hx-request': 'true' });
    expect(partial.status).toBe(200);
    const card = await partial.text();
    expect(card).toMatch(/^<article class="card invitation" id="invitation-\d+"/);
    expect(card).toContain('You are on the guest list.');
    // The card, then the navigation's counts swapped out of band, and nothing between them.
    expect(card).toMatch(/<\/article><span class="badge" id="nav-badge-invitations"[^>]*hx-swap-oob/);
    expect(card).not.toMatch(/>,</);
    const noJs = await marketer.form(`/invitations/${row.id}/answer`, { status: 'declined', reason: 'On leave', next: '/' });
    expect(noJs.status).toBe(303);
    expect(noJs.headers.get('location')).toBe('/');
    expect(await bannerAfter(marketer, noJs)).toBe('Declined.');
    expect(t.db.select().from(invitations).get()!.declineReason).toBe('On leave');
  });

  it('pages open seats 25 at a time and keeps the filters in the page links', async () => {
    const id = await createSeries({ repeat: 'daily', count: '30', byWeekday: [] });
    const marketer = sessionAs(t, 'marketer@example.com');
    const first = await (await marketer.get('/open-seats?from=2026-03-01&to=2026-04-30&kind=sales_call')).text();
    expect(first).toContain('Page 1 of 2 · 30 in all');
    expect(first).toContain(`value="${id}_20260309T130000Z"`);
    expect(first).not.toContain(`value="${id}_20260403T130000Z"`);
    expect(first).toContain('href="/open-seats?kind=sales_call&amp;from=2026-03-01&amp;to=2026-04-30&amp;page=2"');
    const second = await (await marketer.get('/open-seats?from=2026-03-01&to=2026-04-30&kind=sales_call&page=2', { 'hx-request': 'true' })).text();
    expect(second).not.toContain('<!doctype html>');
    expect(second).toContain('Page 2 of 2 · 30 in all');
    expect(second).toContain(`value="${id}_20260407T130000Z"`);
    expect(second).not.toContain(`value="${id}_20260309T130000Z"`);
  });

  it('lists at most 200 open seats and says there are more past them', async () => {
    await createSeries({ repeat: 'daily', count: '110', byWeekday: [] });
    await createSeries({ repeat: 'daily', count: '110', byWeekday: [], title: 'Forecast review' });
    const marketer = sessionAs(t, 'marketer@example.com');
    const first = await (await marketer.get('/open-seats?from=2026-03-01&to=2026-08-20')).text();
    expect(first).toContain('Page 1 of 8 · 200+ in all');
    const last = await (await marketer.get('/open-seats?from=2026-03-01&to=2026-08-20&page=8')).text();
    expect(last).toContain('Page 8 of 8 · 200+ in all');
    expect(last.match(/name="occurrence"/g)?.length).toBe(25);
  });

  it('names on My schedule the conflicts of the open seats shown, with the schedule it already read', async () => {
    await createSeries({ byWeekday: ['MO'] });
    const marketerRow = t.db.select().from(people).where(eq(people.email, 'marketer@example.com')).get()!;
    const own = createEvent(t.db, t.clock, { personId: marketerRow.id }, marketerRow, {
      kind: 'marketing_meeting',
      title: 'Campaign sync',
      description: '',
      hostId: marketerRow.id,
      startLocal: '2026-03-09T09:30',
      timeZone: 'America/New_York',
      durationMinutes: 30,
      seats: 0,
      rrule: null,
      account: null,
      opportunityStage: null,
      location: null,
      meetingUrl: null,
      topic: 'Q2',
    });
    const marketer = sessionAs(t, 'marketer@example.com');
    expect(await (await marketer.get('/')).text()).toContain('You already host &quot;Campaign sync&quot; at Mon 9 Mar 14:30');
    // Once they call it off, it is no longer in the way.
    cancelEvent(t.db, t.clock, { personId: marketerRow.id }, marketerRow, own.id);
    const after = await (await marketer.get('/')).text();
    expect(after).not.toContain('You already host &quot;Campaign sync&quot;');
  });

  it('lists open seats and claims one in place', async () => {
    const id = await createSeries({ seats: '1' });
    const marketer = sessionAs(t, 'marketer@example.com');
    const page = await (await marketer.get('/open-seats?from=2026-03-01&to=2026-03-20')).text();
    expect(page).toContain('Pipeline review with Acme');
    expect(page).toContain(`value="${id}_20260309T130000Z"`);
    const claimed = await marketer.form('/open-seats/claim', { occurrence: `${id}_20260309T130000Z`, next: '/open-seats' }, { 'hx-request': 'true' });
    expect(await claimed.text()).toContain('Claimed — you are on the guest list');
    const second = await sessionAs(t, 'marketer2@example.com').form('/open-seats/claim', { occurrence: `${id}_20260309T130000Z` }, { 'hx-request': 'true' });
    expect(await second.text()).toContain('It is full: you are number 1 on the waitlist');
    const occurrencePage = await (await sessionAs(t, 'rep@example.com').get(`/events/${id}/occurrences/${id}_20260309T130000Z`)).text();
    expect(occurrencePage).toContain('1 of 1 seats taken');
    expect(occurrencePage).toContain('Mark Marketer');
    const home = await (await sessionAs(t, 'rep@example.com').get('/?date=2026-03-09')).text();
    expect(home).toContain('1 of 1 seats taken: Mark Marketer');
  });

  it("names a hosted occurrence's first eight guests on My schedule and counts the others", async () => {
    const id = await createSeries({ seats: '12' });
    const occurrence = `${id}_20260309T130000Z`;
    const names: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const email = `guest${i}@example.com`;
      t.db
        .insert(people)
        .values({ email, name: `Guest ${String(i).padStart(2, '0')}`, department: 'marketing', hireDate: '2026-01-05', timeZone: 'UTC' })
        .run();
      expect((await sessionAs(t, email).form('/open-seats/claim', { occurrence })).status).toBe(303);
      names.push(`Guest ${String(i).padStart(2, '0')}`);
    }
    const home = await (await sessionAs(t, 'rep@example.com').get('/?date=2026-03-09')).text();
    const line = home.slice(home.indexOf('10 of 12 seats taken'));
    expect(line.slice(0, line.indexOf('</li>'))).toMatch(/^10 of 12 seats taken: (Guest \d\d, ){7}Guest \d\d and 2 more/);
    // The occurrence's own page names every guest.
    const page = await (await sessionAs(t, 'rep@example.com').get(`/events/${id}/occurrences/${occurrence}`)).text();
    for (const name of names) expect(page).toContain(name);
  });

  it('shows the month calendar and the week agenda', async () => {
    await createSeries();
    const rep = sessionAs(t, 'rep@example.com');
    const month = await (await rep.get('/?view=month&mode=calendar&date=2026-03-15')).text();
    expect(month).toContain('March 2026');
    expect((month.match(/Pipeline review with Acme/g) ?? []).length).toBeGreaterThanOrEqual(4);
    const week = await (await rep.get('/?date=2026-03-16')).text();
    expect(week).toContain('Monday 16 March');
    expect(week).toContain('09:00–10:00');
    expect((await rep.get('/?view=year')).status).toBe(400);
  });

  it('cancels and moves one occurrence and edits this and following from the pages', async () => {
    const id = await createSeries();
    const rep = sessionAs(t, 'rep@example.com');
    const key = `${id}_20260316T130000Z`;
    expect((await rep.form(`/events/${id}/occurrences/${key}/move`, { start: '2026-03-17T11:00', durationMinutes: '30' })).status).toBe(303);
    const moved = await (await rep.get(`/events/${id}/occurrences/${key}`)).text();
    expect(moved).toContain('Tue 17 Mar 2026, 11:00–11:30');
    expect((await rep.form(`/events/${id}/occurrences/${id}_20260323T130000Z/cancel`, {})).status).toBe(303);
    const edit = await (await rep.get(`/events/${id}/edit?from=${id}_20260330T130000Z`)).text();
    expect(edit).toContain('this and following');
    const saved = await rep.form(
      `/events/${id}`,
      weeklyForm({
        fromOccurrence: `${id}_20260330T130000Z`,
        date: '2026-03-30',
        startTime: '15:00',
        endTime: '16:00',
        count: '1',
        title: 'Pipeline review (afternoon)',
      }),
    );
    expect(saved.status).toBe(303);
    const tailId = Number(/\/events\/(\d+)/.exec(saved.headers.get('location')!)![1]);
    expect(tailId).not.toBe(id);
    const other = sessionAs(t, 'rep2@example.com');
    expect((await other.form(`/events/${id}/cancel`, {})).status).toBe(403);
  });

  it('lets a manager require approval and decide claims', async () => {
    const id = await createSeries();
    const manager = sessionAs(t, 'marketing.manager@example.com');
    expect((await manager.form('/approvals/policy', { requireApproval: 'true' })).status).toBe(303);
    const marketer = sessionAs(t, 'marketer@example.com');
    const claim = await marketer.form(`/events/${id}/occurrences/${id}_20260309T130000Z/claim`, {}, { 'hx-request': 'true' });
    expect(await claim.text()).toContain('Your seat is held until your manager approves the claim.');
    const approvals = await (await manager.get('/approvals')).text();
    expect(approvals).toContain('Mark Marketer');
    const row = t.db.select().from(invitations).where(eq(invitations.approvalStatus, 'pending')).get()!;
    expect((await manager.form(`/approvals/${row.id}`, { decision: 'approve' })).status).toBe(303);
    expect(t.db.select().from(invitations).where(eq(invitations.id, row.id)).get()!.status).toBe('accepted');
    expect((await sessionAs(t, 'rep@example.com').get('/approvals')).status).toBe(403);
  });

  it('keeps the agenda of an alignment meeting', async () => {
    const manager = sessionAs(t, 'sales.manager@example.com');
    const res = await manager.form(
      '/events',
      weeklyForm({ kind: 'alignment_meeting', title: 'Weekly alignment', account: '', date: '2026-03-05', byWeekday: ['TH'], count: '3' }),
    );
    expect(res.status).toBe(303);
    const id = Number(/\/events\/(\d+)/.exec(res.headers.get('location')!)![1]);
    const key = `${id}_20260305T140000Z`;
    expect(
      (
        await manager.form(`/events/${id}/occurrences/${key}/agenda`, {
          title: 'Lead quality',
          ownerId: String(company.people['marketer@example.com']),
          minutes: '20',
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await manager.form(`/events/${id}/occurrences/${key}/action-items`, {
          actionTitle: 'Define MQL criteria',
          actionOwnerId: String(company.people['marketer@example.com']),
          dueDate: '2026-03-12',
        })
      ).status,
    ).toBe(303);
    const next = await (await manager.get(`/events/${id}/occurrences/${id}_20260312T130000Z`)).text();
    expect(next).toContain('Carried over');
    expect(next).toContain('Define MQL criteria');
    const bad = await manager.form(`/events/${id}/occurrences/${key}/action-items`, { actionTitle: '', actionOwnerId: '', dueDate: '' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Describe the action item.');
  });
});

describe('open seats of a company with many teams', () => {
  it('takes the team by name instead of listing every team, and says so when no team has the name', async () => {
    addManyTeams(t, 120, 'Field Marketing', () => 'marketing');
    const rep = sessionAs(t, 'rep@example.com');
    const page = await (await rep.get('/open-seats')).text();
    expect(page).not.toContain('<select id="f-team"');
    expect(page).toContain('name="teamName"');
    expect(Buffer.byteLength(page)).toBeLessThan(60_000);
    const unknown = await rep.get('/open-seats?teamName=Nowhere');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('No team is called “Nowhere”.');
    const named = await rep.get('/open-seats?teamName=product%20marketing');
    expect(named.status).toBe(200);
    expect(await named.text()).toContain('value="Product Marketing"');
  });
});
