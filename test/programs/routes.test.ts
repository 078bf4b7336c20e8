import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { attendance, enrollmentRules, enrollments, people, programs } from '../../db/schema';
import { createApiToken } from '../../src/auth/auth';
import { recordCompletionHistory } from '../../src/programs/completion-history';
import { addManyTeams, bannerAfter, createTestApp, seedCompany, sessionAs, withToken, anonymous, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;

beforeEach(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const NEW_HIRES = [
  'email,name,department,team,manager_email,hire_date,time_zone,role',
  'nora@example.com,Nora Newrep,sales,Sales East,sales.manager@example.com,2026-02-25,America/New_York,employee',
].join('\n');

async function createOnboardingByApi() {
  const hr = sessionAs(t, 'hr@example.com');
  const topic = await (await hr.json('POST', '/api/v1/training-topics', { name: 'Competitive advantages 101', description: 'Our story' })).json();
  const res = await hr.json('POST', '/api/v1/programs', {
    name: 'Sales onboarding',
    kind: 'onboarding',
    description: 'From day one',
    requirements: [
      { title: 'Competitive advantages 101', kind: 'training', topicId: topic.id, dueOffsetDays: 14 },
      { title: 'Ride along on 2 sales calls', kind: 'events', eventKind: 'sales_call', count: 2, dueOffsetDays: 60 },
      { title: 'Manager sign-off', kind: 'sign_off', dueOffsetDays: 30 },
    ],
    rules: [{ department: 'sales', hiredOnOrAfter: '2026-01-01' }],
  });
  expect(res.status).toBe(201);
  return { hr, topic, program: await res.json() };
}

describe('programs API', () => {
  it('creates a program with requirements and rules, and enrolls an imported new hire at once', async () => {
    const { hr, program } = await createOnboardingByApi();
    expect(program.requirements.map((r: { title: string }) => r.title)).toEqual([
      'Competitive advantages 101',
      'Ride along on 2 sales calls',
      'Manager sign-off',
    ]);
    expect(program.rules).toEqual([
      { id: expect.any(Number), department: 'sales', teamId: null, role: null, hiredOnOrAfter: '2026-01-01', hiredOnOrBefore: null, enrolling: false },
    ]);

    const imported = await hr.request('/api/v1/people/import', { method: 'POST', body: NEW_HIRES, headers: { 'content-type': 'text/csv' } });
    expect(imported.status).toBe(200);
    const list = await (await hr.get(`/api/v1/enrollments?program=${program.id}`)).json();
    expect(list.data).toEqual([expect.objectContaining({ name: 'Nora Newrep', source: 'rule', startDate: '2026-02-25', endedAt: null })]);

    const report = await (await hr.get(`/api/v1/reports/completion?program=${program.id}`)).json();
    // Training due 11 March, sign-off 27 March, calls 26 April: nothing is due soon or overdue yet.
    expect(report.totals).toEqual({ total: 3, done: 0, due: 3, due_soon: 0, overdue: 0, late: 0, percentDone: 0, people: 1 });
    expect(report.byTeam).toEqual([expect.objectContaining({ teamName: 'Sales East', total: 3, people: 1 })]);
  });

  it('refuses invalid bodies with the error shape and writes nothing', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const cases = [
      { name: 'Review without rhythm', kind: 'review' },
      { name: 'Bad rhythm', kind: 'review', rrule: 'FREQ=HOURLY', anchorDate: '2026-01-01' },
      { name: 'Unknown field', kind: 'onboarding', color: 'red' },
      { name: 'Training without topic', kind: 'onboarding', requirements: [{ title: 'x', kind: 'training', dueOffsetDays: 3 }] },
      { name: 'Empty rule', kind: 'onboarding', rules: [{}] },
    ];
    for (const body of cases) {
      const res = await hr.json('POST', '/api/v1/programs', body);
      expect(res.status, body.name).toBe(400);
      const error = (await res.json()).error;
      expect(error.code).toBe('invalid');
      expect(error.issues.length).toBeGreaterThan(0);
    }
    // A topic that does not exist: 409, and the program is not half-written.
    const res = await hr.json('POST', '/api/v1/programs', {
      name: 'Dangling',
      kind: 'onboarding',
      requirements: [{ title: 'x', kind: 'training', topicId: 999, dueOffsetDays: 3 }],
    });
    expect(res.status).toBe(409);
    expect(t.db.select().from(programs).all()).toEqual([]);
  });

  it('keeps roles apart', async () => {
    const { program } = await createOnboardingByApi();
    const employee = sessionAs(t, 'rep@example.com');
    expect((await employee.get('/api/v1/programs')).status).toBe(403);
    expect((await employee.json('POST', '/api/v1/programs', { name: 'x', kind: 'onboarding' })).status).toBe(403);
    expect((await employee.get('/api/v1/reports/completion')).status).toBe(403);
    expect((await employee.json('POST', '/api/v1/enrollments', { programId: program.id, personIds: [company.people['rep@example.com']] })).status).toBe(403);
    expect((await employee.get('/api/v1/learning')).status).toBe(200);
    expect((await anonymous(t.app).get('/api/v1/learning')).status).toBe(401);

    // A manager enrolls their own reports, not someone else's.
    const manager = sessionAs(t, 'sales.manager@example.com');
    expect((await manager.json('POST', '/api/v1/enrollments', { programId: program.id, personIds: [company.people['marketer@example.com']] })).status).toBe(
      403,
    );
    const ok = await manager.json('POST', '/api/v1/enrollments', { programId: program.id, personIds: [company.people['rep@example.com']] });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ enrolled: 1, reopened: 0, alreadyEnrolled: 0, skipped: 0 });
    // The marketing manager does not see the sales rep in their report.
    const marketingReport = await (await sessionAs(t, 'marketing.manager@example.com').get('/api/v1/reports/completion')).json();
    expect(marketingReport.totals.total).toBe(0);
    const salesReport = await (await manager.get('/api/v1/reports/completion')).json();
    expect(salesReport.totals.total).toBe(3);
  });

  it('works with an API token acting for HR', async () => {
    const { secret: token } = createApiToken(t.db, t.clock, { personId: company.people['hr@example.com'] }, 'HRIS');
    const client = withToken(t.app, token);
    const res = await client.json('POST', '/api/v1/programs', {
      name: 'Quarterly refresh',
      kind: 'review',
      rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1',
      anchorDate: '2026-01-01',
      requirements: [{ title: 'Sign-off', kind: 'sign_off', dueOffsetDays: 45 }],
    });
    expect(res.status).toBe(201);
    const program = await res.json();
    const enrolled = await client.json('POST', '/api/v1/enrollments', { programId: program.id, personIds: [company.people['marketer@example.com']] });
    expect(await enrolled.json()).toMatchObject({ enrolled: 1 });
    const report = await (await client.get(`/api/v1/reports/completion?program=${program.id}`)).json();
    // The cycle started 1 January; the sign-off was due 15 February.
    expect(report.totals).toMatchObject({ total: 1, overdue: 1 });
    const signed = await client.json('POST', '/api/v1/sign-offs', {
      personId: company.people['marketer@example.com'],
      requirementId: program.requirements[0].id,
      note: 'Done in 1:1',
    });
    expect(signed.status).toBe(201);
    expect((await (await client.get(`/api/v1/reports/completion?program=${program.id}`)).json()).totals).toMatchObject({ done: 1, late: 1, percentDone: 100 });
  });
});

describe('attendance and the completion report', () => {
  it('bulk-marks attendance through the API and the report moves', async () => {
    const { hr, topic, program } = await createOnboardingByApi();
    await hr.request('/api/v1/people/import', { method: 'POST', body: NEW_HIRES, headers: { 'content-type': 'text/csv' } });
    const session = await hr.json('POST', '/api/v1/training-sessions', {
      topicId: topic.id,
      title: 'CA 101',
      hostId: company.people['marketing.manager@example.com'],
      start: '2026-03-04T15:00',
      timeZone: 'Europe/Berlin',
      durationMinutes: 90,
      seats: 8,
      repeat: 'none',
      invite: true,
    });
    expect(session.status).toBe(201);
    const { eventId, invited } = await session.json();
    expect(invited).toBe(1);
    const occurrenceId = `${eventId}_20260304T140000Z`;
    const nora = t.db.select().from(people).where(eq(people.email, 'nora@example.com')).get()!;

    t.clock.set('2026-03-04T16:00:00Z');
    const host = sessionAs(t, 'marketing.manager@example.com');
    const sheet = await (await host.get(`/api/v1/attendance?occurrenceId=${occurrenceId}`)).json();
    expect(sheet.data).toEqual([expect.objectContaining({ personId: nora.id, invitation: 'invited', attendance: null })]);

    // Somebody else's occurrence or a bad body changes nothing.
    expect(
      (await sessionAs(t, 'rep2@example.com').json('POST', '/api/v1/attendance', { occurrenceId, marks: [{ personId: nora.id, status: 'attended' }] })).status,
    ).toBe(403);
    const bad = await host.json('POST', '/api/v1/attendance', { occurrenceId, marks: [{ personId: nora.id, status: 'present' }] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid');
    expect(
      (await host.json('POST', '/api/v1/attendance', { occurrenceId: `${eventId}_20260305T140000Z`, marks: [{ personId: nora.id, status: 'attended' }] }))
        .status,
    ).toBe(404);

    // Ravi held no place there: he can be neither a no-show nor silently present (issue 11 item 8); nothing is written.
    const noPlace = await host.json('POST', '/api/v1/attendance', {
      occurrenceId,
      marks: [
        { personId: nora.id, status: 'attended' },
        { personId: company.people['rep2@example.com'], status: 'no_show' },
      ],
    });
    expect(noPlace.status).toBe(409);
    expect((await noPlace.json()).error).toMatchObject({ code: 'no_place', message: expect.stringContaining('Ravi Rep held no place at this occurrence') });
    const silent = await host.json('POST', '/api/v1/attendance', {
      occurrenceId,
      marks: [{ personId: company.people['rep2@example.com'], status: 'attended' }],
    });
    expect(silent.status).toBe(409);
    expect((await silent.json()).error).toMatchObject({
      code: 'walk_in_required',
      message: 'Ravi Rep held no place at this occurrence: mark them as a walk-in to record that they attended.',
    });
    expect(t.db.select().from(attendance).all()).toEqual([]);

    const marked = await host.json('POST', '/api/v1/attendance', { occurrenceId, marks: [{ personId: nora.id, status: 'attended' }] });
    expect(marked.status).toBe(200);
    expect(await marked.json()).toEqual({ marked: 1, attended: 1, walkIns: 0, removed: 0 });

    // Sessions idle out while the clock moves on: sign in again.
    const hrLater = sessionAs(t, 'hr@example.com');
    const report = await (await hrLater.get(`/api/v1/reports/completion?program=${program.id}`)).json();
    expect(report.totals).toMatchObject({ total: 3, done: 1, percentDone: 33 });
    expect(report.byRequirement[0]).toMatchObject({ title: 'Competitive advantages 101', done: 1 });

    const csv = await hrLater.get(`/api/v1/reports/completion?program=${program.id}&format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      'Nora Newrep,nora@example.com,sales,Sales East,Sales onboarding,Competitive advantages 101,0,2026-03-11,done,2026-03-04T14:00:00.000Z,no,1,1',
    );

    const mine = await (await sessionAs(t, 'nora@example.com').get('/api/v1/learning')).json();
    expect(mine.data.map((r: { title: string; state: string }) => [r.title, r.state])).toEqual([
      ['Competitive advantages 101', 'done'],
      ['Manager sign-off', 'due'],
      ['Ride along on 2 sales calls', 'due'],
    ]);
  });
});

describe('pages', () => {
  it('lets HR build a program with forms, re-showing mistakes on the form', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    expect((await hr.get('/programs/new')).status).toBe(200);
    const invalid = await hr.form('/programs', { name: '', kind: 'review', rrule: 'FREQ=SECONDLY', anchorDate: '' });
    expect(invalid.status).toBe(400);
    const invalidHtml = await invalid.text();
    expect(invalidHtml).toContain('Enter a program name.');
    expect(invalidHtml).toContain('The rhythm is not usable');
    expect(t.db.select().from(programs).all()).toEqual([]);

    const created = await hr.form('/programs', {
      name: '<script>alert(1)</script> onboarding',
      kind: 'onboarding',
      description: '',
      rrule: '',
      anchorDate: '',
      dueSoonDays: '7',
    });
    expect(created.status).toBe(303);
    const location = created.headers.get('location')!;
    const id = Number(/\/programs\/(\d+)/.exec(location)![1]);
    const page = await (await hr.get(`/programs/${id}`)).text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; onboarding');

    const badRequirement = await hr.form(`/programs/${id}/requirements`, {
      title: 'Sign-off',
      kind: 'events',
      topicId: '',
      eventKind: '',
      count: '1',
      dueOffsetDays: '30',
    });
    expect(badRequirement.status).toBe(400);
    expect(await badRequirement.text()).toContain('Choose the kind of event.');
    expect(
      (await hr.form(`/programs/${id}/requirements`, { title: 'Sign-off', kind: 'sign_off', topicId: '', eventKind: '', count: '', dueOffsetDays: '30' }))
        .status,
    ).toBe(303);
    const rule = await hr.form(`/programs/${id}/rules`, {
      department: '',
      teamId: String(company.teams['Sales West']),
      role: '',
      hiredOnOrAfter: '',
      hiredOnOrBefore: '',
    });
    expect(rule.status).toBe(303);
    expect(await bannerAfter(hr, rule)).toContain('2 people enrolled now');
    const enrolled = t.db.select().from(enrollments).all();
    expect(enrolled.map((e) => e.personId).sort()).toEqual([company.people['west.manager@example.com'], company.people['westrep@example.com']].sort());
    // A rule whose people are still being enrolled (past what a request enrolls) says so, on the page and in the API.
    t.db.update(enrollmentRules).set({ pendingSince: t.clock.now() }).run();
    expect(await (await hr.get(`/programs/${id}`)).text()).toContain('enrolling the people it matches');
    expect((await (await hr.get(`/api/v1/programs/${id}`)).json()).rules).toEqual([
      expect.objectContaining({ teamId: company.teams['Sales West'], enrolling: true }),
    ]);
  });

  it('in a company of many teams, the program page takes teams by name: its filter and a rule', async () => {
    addManyTeams(t, 120, 'Field Sales', () => 'sales');
    const hr = sessionAs(t, 'hr@example.com');
    const created = await hr.form('/programs', { name: 'West onboarding', kind: 'onboarding', description: '', rrule: '', anchorDate: '', dueSoonDays: '7' });
    const id = Number(/\/programs\/(\d+)/.exec(created.headers.get('location')!)![1]);
    await hr.form(`/programs/${id}/requirements`, { title: 'Sign-off', kind: 'sign_off', topicId: '', eventKind: '', count: '', dueOffsetDays: '30' });
    const page = await (await hr.get(`/programs/${id}`)).text();
    expect(page).not.toContain('name="teamId"');
    expect(page).not.toContain('<select id="f-team"');
    const unknown = await hr.form(`/programs/${id}/rules`, { department: '', teamName: 'Nowhere', role: '', hiredOnOrAfter: '', hiredOnOrBefore: '' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('No team is called “Nowhere”.');
    const rule = await hr.form(`/programs/${id}/rules`, { department: '', teamName: 'sales we', role: '', hiredOnOrAfter: '', hiredOnOrBefore: '' });
    expect(rule.status).toBe(303);
    expect(await bannerAfter(hr, rule)).toContain('2 people enrolled now');
    expect(
      t.db
        .select()
        .from(enrollmentRules)
        .all()
        .map((r) => r.teamId),
    ).toEqual([company.teams['Sales West']]);
    const west = await (await hr.get(`/programs/${id}?teamName=Sales%20West`)).text();
    expect(west).toContain('Wanda Westrep');
    expect(west).toContain('value="Sales West"');
    const east = await hr.get(`/programs/${id}?teamName=Sales%20East`);
    expect(await east.text()).not.toContain('Wanda Westrep');
    expect((await hr.get(`/programs/${id}?teamName=Nowhere`)).status).toBe(400);
  });

  it('shows managers the progress of their reports only, and reminds the overdue by email', async () => {
    const { hr, program } = await createOnboardingByApi();
    await hr.json('POST', '/api/v1/enrollments', {
      programId: program.id,
      personIds: [company.people['rep@example.com'], company.people['westrep@example.com']],
    });
    const manager = sessionAs(t, 'sales.manager@example.com');
    const page = await manager.get(`/programs/dashboard?program=${program.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Rita Rep');
    expect(html).not.toContain('Wanda Westrep');
    expect(html).toContain('aria-label="0% done: 0 of 3 done, 0 due soon, 3 overdue"');
    expect(html).toContain('<svg');
    expect(html).toContain('<progress max="3" value="0" aria-label="Share done">0%</progress> 0%');
    expect(html).toContain('<td data-label="Overdue"><span class="tag overdue">3</span></td>');
    const teams = await manager.get(`/programs/dashboard/teams?program=${program.id}`, { 'hx-request': 'true' });
    expect(teams.status).toBe(200);
    expect(await teams.text()).toContain('Sales East: 0% done: 0 of 3 done, 0 due soon, 3 overdue');
    recordCompletionHistory(t.db, t.clock.now()); // the background job, at start
    const chart = await manager.get(`/programs/dashboard/chart?program=${program.id}`, { 'hx-request': 'true' });
    expect(chart.status).toBe(200);
    expect(await chart.text()).toMatch(/^<figure class="chart"><svg/);
    expect((await sessionAs(t, 'rep@example.com').get('/programs/dashboard/chart')).status).toBe(403);

    const remind = await manager.form(`/programs/dashboard/remind?program=${program.id}`, {});
    expect(remind.status).toBe(303);
    const outbox = t.db.all<{ to_email: string }>(sql`SELECT to_email FROM outbox`);
    expect(outbox.map((m) => m.to_email)).toEqual(['rep@example.com']);

    // Drill-down: the manager sees Rita, not Wanda; Rita sees herself.
    expect((await manager.get(`/programs/people/${company.people['rep@example.com']}`)).status).toBe(200);
    expect((await manager.get(`/programs/people/${company.people['westrep@example.com']}`)).status).toBe(403);
    expect((await sessionAs(t, 'rep@example.com').get(`/programs/people/${company.people['rep@example.com']}`)).status).toBe(200);
  });

  it('refuses employees the HR and manager pages, and gives everyone My learning', async () => {
    const employee = sessionAs(t, 'rep@example.com');
    for (const path of ['/programs', '/programs/new', '/programs/dashboard', '/programs/overview', '/programs/sessions']) {
      expect((await employee.get(path)).status, path).toBe(403);
    }
    expect((await sessionAs(t, 'sales.manager@example.com').get('/programs/overview')).status).toBe(403);
    expect((await sessionAs(t, 'hr@example.com').get('/programs/overview')).status).toBe(200);
    expect((await employee.get('/learning')).status).toBe(200);
    const anon = await anonymous(t.app).get('/learning');
    expect(anon.status).toBe(303);
  });

  it('books a session from My learning and checks in with the code', async () => {
    const { hr, topic } = await createOnboardingByApi();
    await hr.request('/api/v1/people/import', { method: 'POST', body: NEW_HIRES, headers: { 'content-type': 'text/csv' } });
    const { eventId } = await (
      await hr.json('POST', '/api/v1/training-sessions', {
        topicId: topic.id,
        title: 'CA 101',
        hostId: company.people['marketing.manager@example.com'],
        start: '2026-03-04T15:00',
        timeZone: 'UTC',
        durationMinutes: 60,
        seats: 1,
        repeat: 'weekly',
        count: 2,
        invite: false,
      })
    ).json();
    const nora = sessionAs(t, 'nora@example.com');
    const learning = await (await nora.get('/learning')).text();
    expect(learning).toContain('Competitive advantages 101');
    expect(learning).toContain('CA 101');
    const occurrenceId = `${eventId}_20260304T150000Z`;
    const booked = await nora.form('/learning/book', { occurrenceId }, { 'hx-request': 'true' });
    expect(booked.status).toBe(200);
    expect(await booked.text()).toContain('booked');

    t.clock.set('2026-03-04T15:05:00Z');
    const host = sessionAs(t, 'marketing.manager@example.com');
    const noraLater = sessionAs(t, 'nora@example.com');
    expect((await host.form(`/programs/attendance/${occurrenceId}/code`, {})).status).toBe(303);
    const attendancePage = await (await host.get(`/programs/attendance/${occurrenceId}`)).text();
    const code = /class="check-in-code"[^>]*>(\d{6})</.exec(attendancePage)![1];
    const wrong = await noraLater.form('/learning/check-in', { code: '000000' === code ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('This code is not valid');
    expect((await noraLater.form('/learning/check-in', { code })).status).toBe(303);

    const noraId = t.db.select().from(people).where(eq(people.email, 'nora@example.com')).get()!.id;
    const saved = await host.form(`/programs/attendance/${occurrenceId}`, { personId: [noraId], [`status_${noraId}`]: 'attended' }, { 'hx-request': 'true' });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Attendance saved: 1 attended, 0 no-show.');
    const mine = await (await noraLater.get('/api/v1/learning')).json();
    expect(mine.data.find((r: { title: string }) => r.title === 'Competitive advantages 101').state).toBe('done');
  });

  it('counts who waits for an uncovered topic no further than a thousand, and says so', async () => {
    const { hr, topic, program } = await createOnboardingByApi();
    const addPerson = t.db.$client.prepare(
      "INSERT INTO people (email, name, department, title, hire_date, time_zone, role, active) VALUES (?, ?, 'sales', 'Rep', '2026-02-01', 'UTC', 'employee', 1)",
    );
    const ids = t.db.$client.transaction(() =>
      Array.from({ length: 1_000 }, (_, i) => Number(addPerson.run(`waiting${i}@example.com`, `Wai Ting ${i}`).lastInsertRowid)),
    )();
    expect((await hr.json('POST', '/api/v1/enrollments', { programId: program.id, personIds: ids })).status).toBe(201);
    const exactly = await (await hr.get('/programs/overview')).text();
    expect(exactly).toMatch(/<strong>Competitive advantages 101<\/strong>: 1000 people need\s*it/);
    expect((await hr.json('POST', '/api/v1/enrollments', { programId: program.id, personIds: [company.people['rep@example.com']] })).status).toBe(201);
    const capped = await (await hr.get('/programs/overview')).text();
    expect(capped).toMatch(/<strong>Competitive advantages 101<\/strong>: more than 1,000 people need\s*it/);
    // A session's page says it the same way to whoever manages it.
    const created = await hr.json('POST', '/api/v1/training-sessions', {
      topicId: topic.id,
      title: 'CA 101',
      hostId: company.people['marketing.manager@example.com'],
      start: '2026-03-10T09:00',
      timeZone: 'Europe/Berlin',
      durationMinutes: 60,
      seats: 10,
      invite: false,
    });
    expect(created.status).toBe(201);
    const session = await (await hr.get(`/programs/sessions/${(await created.json()).eventId}`)).text();
    expect(session).toMatch(/More than 1,000 enrolled\s*people still need this topic\./);
  });

  it('schedules sessions by form, shows uncovered topics to HR, and lets the right manager end an enrollment', async () => {
    const { hr, topic, program } = await createOnboardingByApi();
    const bad = await hr.form('/programs/sessions', {
      topicId: String(topic.id),
      title: 'CA 101',
      hostId: String(company.people['marketing.manager@example.com']),
      start: '2026-03-10T09:00',
      timeZone: 'Mars/Base',
      durationMinutes: '60',
      seats: '10',
      repeat: 'weekly',
      count: '3',
      location: '',
      meetingUrl: '',
      description: '',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Use an IANA time zone');

    await hr.json('POST', '/api/v1/enrollments', { programId: program.id, personIds: [company.people['rep@example.com']] });
    let overview = await (await hr.get('/programs/overview')).text();
    expect(overview).toContain('Topics with no upcoming session');
    expect(overview).toMatch(/<strong>Competitive advantages 101<\/strong>: 1 person needs it/);

    const good = await hr.form('/programs/sessions', {
      topicId: String(topic.id),
      title: 'CA 101',
      hostId: String(company.people['marketing.manager@example.com']),
      start: '2026-03-10T09:00',
      timeZone: 'Europe/Berlin',
      durationMinutes: '60',
      seats: '10',
      repeat: 'weekly',
      count: '3',
      location: 'Room 1',
      meetingUrl: '',
      description: '',
    });
    expect(good.status).toBe(303);
    const sessionPage = await (await hr.get(good.headers.get('location')!)).text();
    expect(sessionPage.match(/Attendance and check-in/g)).toHaveLength(3);
    overview = await (await hr.get('/programs/overview')).text();
    expect(overview).toContain('Every required topic has a session coming up.');
    expect(overview).toContain('10 of 10 seats free');

    const enrollment = t.db.select().from(enrollments).where(eq(enrollments.personId, company.people['rep@example.com'])).get()!;
    expect((await sessionAs(t, 'west.manager@example.com').form(`/programs/enrollments/${enrollment.id}/end`, {})).status).toBe(403);
    expect((await sessionAs(t, 'sales.manager@example.com').form(`/programs/enrollments/${enrollment.id}/end`, {})).status).toBe(303);
    expect(t.db.select().from(enrollments).where(eq(enrollments.id, enrollment.id)).get()).toMatchObject({ endReason: 'manual' });
    const list = await (await hr.get(`/api/v1/enrollments?program=${program.id}&includeEnded=true`)).json();
    expect(list.data).toEqual([expect.objectContaining({ name: 'Rita Rep', endReason: 'manual' })]);
  });
});
