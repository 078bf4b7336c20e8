import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { auditLog, people, sessions, teams } from '../../db/schema';
import { createSession } from '../../src/auth/auth';
import { defaultSettings } from '../../src/config';
import type { AppError } from '../../src/lib/errors';
import type { Viewer } from '../../src/context';
import { canViewPerson, createPerson, listPeople, SEARCH_COUNTED, updatePerson, visiblePersonIds } from '../../src/people/people';
import { importPeople } from '../../src/people/import';
import { companyDefaultTimeZone, setCompanySettings } from '../../src/people/settings';
import { createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp();
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const id = (email: string) => company.people[email]!;
const hr = () => ({ personId: id('hr@example.com') });
const personRow = (personId: number) => t.db.select().from(people).where(eq(people.id, personId)).get()!;
const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected an error');
};

describe('moving a person to another team', () => {
  it('asks for the new manager, proposing the new team’s manager; an explicit answer is kept', () => {
    const rep = id('rep@example.com');
    const err = thrown(() => updatePerson(t.db, t.clock, hr(), rep, { teamId: company.teams['Sales West'] }));
    expect([err.status, err.code]).toEqual([409, 'manager_required']);
    expect(err.details).toEqual({ proposedManagerId: id('west.manager@example.com') });
    expect(err.message).toContain('Wes Westmanager');
    expect(personRow(rep).teamId).toBe(company.teams['Sales East']);
    // The old manager sent back unchanged is not an answer until confirmed.
    expect(thrown(() => updatePerson(t.db, t.clock, hr(), rep, { teamId: company.teams['Sales West'], managerId: id('sales.manager@example.com') })).code).toBe(
      'manager_required',
    );
    updatePerson(t.db, t.clock, hr(), rep, { teamId: company.teams['Sales West'], managerId: id('west.manager@example.com') });
    expect(personRow(rep)).toMatchObject({ teamId: company.teams['Sales West'], managerId: id('west.manager@example.com') });
    updatePerson(
      t.db,
      t.clock,
      hr(),
      id('rep2@example.com'),
      { teamId: company.teams['Sales West'], managerId: id('sales.manager@example.com') },
      { managerConfirmed: true },
    );
    expect(personRow(id('rep2@example.com')).managerId).toBe(id('sales.manager@example.com'));
  });

  it('the edit form asks the question with the proposal chosen, and saves on the second send', async () => {
    const rep = id('rep@example.com');
    const client = sessionAs(t, 'hr@example.com');
    const form = {
      email: 'rep@example.com',
      name: 'Rita Rep',
      department: 'sales',
      title: '',
      teamId: company.teams['Sales West']!,
      managerId: id('sales.manager@example.com'),
      hireDate: '2024-01-15',
      timeZone: 'America/New_York',
      role: 'employee',
    };
    const asked = await client.form(`/people/${rep}`, form);
    expect(asked.status).toBe(409);
    const html = await asked.text();
    expect(html).toContain('moves to Sales West');
    expect(html).toContain('name="confirmManager"');
    expect(html).toMatch(new RegExp(`<option value="${id('west.manager@example.com')}" selected`));
    expect(personRow(rep).teamId).toBe(company.teams['Sales East']);
    const saved = await client.form(`/people/${rep}`, { ...form, managerId: id('west.manager@example.com'), confirmManager: '1' });
    expect(saved.status).toBe(303);
    expect(personRow(rep).managerId).toBe(id('west.manager@example.com'));
    // The API: a team move without managerId is refused with the proposal; with it, saved.
    const api = await client.json('PATCH', `/api/v1/people/${id('rep2@example.com')}`, { teamId: company.teams['Sales West'] });
    expect(api.status).toBe(409);
    expect(await api.json()).toMatchObject({ error: { code: 'manager_required' } });
  });
});

describe('deactivating a manager', () => {
  it('requires who takes their reports and teams, and hands them over in one transaction', () => {
    const manager = id('sales.manager@example.com');
    createSession(t.db, t.clock, defaultSettings, manager);
    const err = thrown(() => updatePerson(t.db, t.clock, hr(), manager, { active: false }));
    expect([err.status, err.code]).toEqual([409, 'successor_required']);
    expect(personRow(manager).active).toBe(true);
    expect(thrown(() => updatePerson(t.db, t.clock, hr(), manager, { active: false, successorId: manager })).status).toBe(400);

    updatePerson(t.db, t.clock, hr(), manager, { active: false, successorId: id('west.manager@example.com') });
    expect(personRow(manager).active).toBe(false);
    for (const email of ['rep@example.com', 'rep2@example.com']) expect(personRow(id(email)).managerId).toBe(id('west.manager@example.com'));
    expect(t.db.select().from(teams).where(eq(teams.id, company.teams['Sales East']!)).get()!.managerId).toBe(id('west.manager@example.com'));
    expect(t.db.select().from(sessions).where(eq(sessions.personId, manager)).all()).toEqual([]);
    const handover = t.db.select().from(auditLog).where(eq(auditLog.action, 'person.reports_handed_over')).get()!;
    expect(handover.after).toMatchObject({ managerId: id('west.manager@example.com'), teams: [company.teams['Sales East']] });
    expect((handover.after as { reports: number[] }).reports.sort((a, b) => a - b)).toEqual(
      [id('rep@example.com'), id('rep2@example.com')].sort((a, b) => a - b),
    );
  });

  it('a direct report may take over and then reports to the departing manager’s own manager', () => {
    const manager = id('sales.manager@example.com');
    t.db
      .update(people)
      .set({ managerId: id('hr@example.com') })
      .where(eq(people.id, manager))
      .run();
    updatePerson(t.db, t.clock, hr(), manager, { active: false, successorId: id('rep@example.com') });
    expect(personRow(id('rep@example.com')).managerId).toBe(id('hr@example.com'));
    expect(personRow(id('rep2@example.com')).managerId).toBe(id('rep@example.com'));
  });

  it('over HTTP: the deactivate button asks, lists the reports and proposes their manager; the answer deactivates', async () => {
    const manager = id('sales.manager@example.com');
    const client = sessionAs(t, 'hr@example.com');
    const personPage = await (await client.get(`/people/${manager}`)).text();
    expect(personPage).toContain(`href="/people/${manager}/deactivate"`);
    const asked = await client.form(`/people/${manager}/deactivate`, {});
    expect(asked.status).toBe(409);
    const html = await asked.text();
    expect(html).toContain('Rita Rep');
    expect(html).toContain('Sales East');
    expect(personRow(manager).active).toBe(true);
    const done = await client.form(`/people/${manager}/deactivate`, { successorId: id('west.manager@example.com') });
    expect(done.status).toBe(303);
    expect(personRow(manager).active).toBe(false);
    // Someone without reports is deactivated at once, as before.
    expect((await client.form(`/people/${id('rep2@example.com')}/deactivate`, {})).status).toBe(303);
  });
});

describe('the company default time zone', () => {
  const base = { name: 'Zed Zone', department: 'sales' as const, title: '', hireDate: '2026-03-01', role: 'employee' as const };

  it('is never a silent UTC: without a default a person needs a zone; with one they get it', () => {
    expect(companyDefaultTimeZone(t.db)).toBeNull();
    const err = thrown(() => createPerson(t.db, t.clock, hr(), { ...base, email: 'zed@example.com' }));
    expect(err.status).toBe(400);
    expect(t.db.select().from(people).where(eq(people.email, 'zed@example.com')).get()).toBeUndefined();
    setCompanySettings(t.db, t.clock, hr(), { defaultTimeZone: 'Europe/Lisbon' });
    expect(createPerson(t.db, t.clock, hr(), { ...base, email: 'zed@example.com' }).timeZone).toBe('Europe/Lisbon');
    expect(createPerson(t.db, t.clock, hr(), { ...base, email: 'zed2@example.com', timeZone: 'Asia/Tokyo' }).timeZone).toBe('Asia/Tokyo');
  });

  it('applies to the CSV import: refused without a default, the default for new people, known people keep theirs', () => {
    const header = 'email,name,department,title,team,manager_email,hire_date,time_zone,role';
    const file = `${header}\nnew@example.com,New One,sales,,,,2026-02-01,,employee\nrep@example.com,Rita Rep,sales,,Sales East,sales.manager@example.com,2024-01-15,,employee\n`;
    const refused = importPeople(t.db, t.clock, hr(), file);
    expect(refused.errors).toEqual([{ line: 2, column: 'time_zone', message: expect.stringContaining('no default time zone') }]);
    setCompanySettings(t.db, t.clock, hr(), { defaultTimeZone: 'America/Chicago' });
    expect(importPeople(t.db, t.clock, hr(), file).errors).toEqual([]);
    expect(t.db.select().from(people).where(eq(people.email, 'new@example.com')).get()!.timeZone).toBe('America/Chicago');
    expect(personRow(id('rep@example.com')).timeZone).toBe('America/New_York');
  });

  it('HR sets it on the settings page (asked until set) or through the API; the form and API fall back to it', async () => {
    const client = sessionAs(t, 'hr@example.com');
    expect(await (await client.get('/people')).text()).toContain('Choose the company&#39;s default time zone');
    const settings = await client.get('/settings');
    expect(await settings.text()).toContain('no default time zone yet');
    expect((await client.form('/settings', { defaultTimeZone: 'Mars/Olympus' })).status).toBe(400);
    expect((await client.form('/settings', { defaultTimeZone: 'Europe/Vienna' })).status).toBe(303);
    expect(companyDefaultTimeZone(t.db)).toBe('Europe/Vienna');
    expect(await (await client.get('/people')).text()).not.toContain('Choose the company&#39;s default time zone');
    const created = await client.form('/people', { ...base, email: 'formzone@example.com', timeZone: '', sendWelcome: 'false' });
    expect(created.status).toBe(303);
    expect(t.db.select().from(people).where(eq(people.email, 'formzone@example.com')).get()!.timeZone).toBe('Europe/Vienna');
    const put = await client.json('PUT', '/api/v1/settings', { defaultTimeZone: 'Asia/Singapore' });
    expect(await put.json()).toEqual({ defaultTimeZone: 'Asia/Singapore' });
    const api = await client.json('POST', '/api/v1/people', { ...base, email: 'apizone@example.com', sendWelcome: false });
    expect(api.status).toBe(201);
    expect(((await api.json()) as { timeZone: string }).timeZone).toBe('Asia/Singapore');
    expect((await sessionAs(t, 'sales.manager@example.com').get('/settings')).status).toBe(403);
  });

  it('the form without a default and without a zone answers with the field error and writes nothing', async () => {
    const client = sessionAs(t, 'hr@example.com');
    const res = await client.form('/people', { ...base, email: 'nozone@example.com', timeZone: '', sendWelcome: 'false' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Give a time zone, or set the company default first.');
    expect(t.db.select().from(people).where(eq(people.email, 'nozone@example.com')).get()).toBeUndefined();
  });
});

describe('people search (FTS5 trigram index kept by triggers)', () => {
  /** What the search must find: LIKE '%q%' on name, email and title, asked of the table itself. */
  const byScan = (q: string) =>
    t.db.$client
      .prepare("SELECT id FROM people WHERE name LIKE @p ESCAPE '\\' OR email LIKE @p ESCAPE '\\' OR title LIKE @p ESCAPE '\\' ORDER BY name, id")
      .pluck()
      .all({ p: `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` }) as number[];
  const bySearch = (q: string) => listPeople(t.db, { q, page: 1, pageSize: 1000 }).rows.map((r) => r.id);
  const words = ['smith', 'Quill', 'quil', 'example.com', 'rep@', 'Account Exec', 'count exec', 'ZZZ', 'ri', 'a', '100%', 'o"b'];
  const agree = () => {
    for (const q of words) expect(bySearch(q), q).toEqual(byScan(q));
  };

  it('finds what a scan of the table finds, after every kind of write', () => {
    agree();
    const added = createPerson(t.db, t.clock, hr(), {
      email: 'rita.smith@example.com',
      name: 'Rita Smith',
      department: 'sales',
      title: 'Account Executive',
      teamId: company.teams['Sales East'],
      managerId: id('sales.manager@example.com'),
      hireDate: '2026-01-05',
      timeZone: 'Europe/Berlin',
      role: 'employee',
    });
    agree();
    expect(bySearch('smith')).toEqual([added.id]);
    updatePerson(t.db, t.clock, hr(), added.id, { name: 'Rita Quillfeather', title: 'Solutions Engineer' });
    agree();
    expect(bySearch('smith')).toEqual([added.id]); // still in her address
    expect(bySearch('Quillfeather')).toEqual([added.id]);
    expect(bySearch('Account Exec')).not.toContain(added.id);
    importPeople(
      t.db,
      t.clock,
      hr(),
      'email,name,department,title,team,manager_email,hire_date,time_zone,role\nsam.smithers@example.com,Sam Smithers,marketing,Content "Strategist",Product Marketing,marketing.manager@example.com,2026-01-05,UTC,employee\n',
    );
    agree();
    updatePerson(t.db, t.clock, hr(), added.id, { active: false });
    agree();
    t.db.delete(people).where(eq(people.email, 'sam.smithers@example.com')).run();
    agree();
    expect(bySearch('smithers')).toEqual([]);
  });

  it('pages through the matches in name order with their total, whatever the page, filter or viewer', () => {
    // The page's ids and the count come from one statement (count(*) OVER ()); a page past the last is counted apart.
    const manager: Viewer = { person: t.db.select().from(people).where(eq(people.email, 'sales.manager@example.com')).get()! };
    const below = new Set(visiblePersonIds(t.db, manager));
    const activeIds = new Set(t.db.$client.prepare('SELECT id FROM people WHERE active = 1').pluck().all() as number[]);
    for (const q of ['example.com', 'Account Exec', 'rep@', 'ZZZ', 'o"b']) {
      for (const [viewer, visible] of [
        [null, () => true],
        [manager, (personId: number) => below.has(personId)],
      ] as const) {
        for (const active of [undefined, true]) {
          const expected = byScan(q).filter((personId) => visible(personId) && (active === undefined || activeIds.has(personId)));
          for (let page = 1; page <= Math.ceil(expected.length / 3) + 1; page++) {
            const found = listPeople(t.db, { q, active, page, pageSize: 3 }, viewer);
            expect(
              found.rows.map((r) => r.id),
              `${q} page ${page}`,
            ).toEqual(expected.slice((page - 1) * 3, page * 3));
            expect(found.total, `${q} page ${page}`).toBe(expected.length);
          }
        }
      }
    }
  });

  it('over HTTP: HR searches by part of a name, address or title', async () => {
    createPerson(t.db, t.clock, hr(), {
      email: 'rita.smith@example.com',
      name: 'Rita Smith',
      department: 'sales',
      title: 'Account Executive',
      teamId: company.teams['Sales East'],
      managerId: id('sales.manager@example.com'),
      hireDate: '2026-01-05',
      timeZone: 'Europe/Berlin',
      role: 'employee',
    });
    const page = await (await sessionAs(t, 'hr@example.com').get('/people?q=smith')).text();
    expect(page).toContain('Rita Smith');
    expect(page).not.toContain('Rita Rep');
    const none = await sessionAs(t, 'hr@example.com').get('/people?q=%22%22%22');
    expect(none.status).toBe(200);
  });
});

describe('the directory’s totals (active people per department kept by triggers, the few inactive counted)', () => {
  it('equal a count of the directory after every kind of write, for the whole company and each department', () => {
    const agree = () => {
      for (const department of [undefined, 'sales', 'marketing', 'other'] as const)
        for (const active of [undefined, true, false]) {
          const all = listPeople(t.db, { department, active, page: 1, pageSize: 10_000 });
          expect(listPeople(t.db, { department, active, page: 2, pageSize: 3 }).total, `${department} ${active}`).toBe(all.rows.length);
        }
    };
    agree();
    const added = createPerson(t.db, t.clock, hr(), {
      email: 'rita.smith@example.com',
      name: 'Rita Smith',
      department: 'sales',
      title: 'Account Executive',
      teamId: company.teams['Sales East'],
      managerId: id('sales.manager@example.com'),
      hireDate: '2026-01-05',
      timeZone: 'Europe/Berlin',
      role: 'employee',
    });
    agree();
    updatePerson(t.db, t.clock, hr(), added.id, { active: false });
    agree();
    t.db.update(people).set({ department: 'marketing', active: true }).where(eq(people.id, added.id)).run();
    agree();
    t.db.update(people).set({ department: 'other' }).where(eq(people.id, added.id)).run();
    agree();
    importPeople(
      t.db,
      t.clock,
      hr(),
      'email,name,department,title,team,manager_email,hire_date,time_zone,role\nsam.smithers@example.com,Sam Smithers,marketing,Writer,Product Marketing,marketing.manager@example.com,2026-01-05,UTC,employee\n',
    );
    agree();
    t.db.delete(people).where(eq(people.id, added.id)).run();
    agree();
    t.db.delete(people).where(eq(people.email, 'sam.smithers@example.com')).run();
    agree();
  });
});

describe('the people list’s team filter', () => {
  it('takes the team as a name once there are too many teams to list, for the page and the live search', async () => {
    const hrClient = sessionAs(t, 'hr@example.com');
    expect(await (await hrClient.get('/people')).text()).toContain('name="team"');
    const addTeam = t.db.$client.prepare("INSERT INTO teams (name, department, created_at) VALUES (?, 'other', 0)");
    for (let i = 1; i <= 100; i++) addTeam.run(`Support ${String(i).padStart(3, '0')}`);
    const page = await (await hrClient.get('/people')).text();
    expect(page).not.toContain('name="team"');
    expect(page).toContain('name="teamName"');
    const results = (html: string) => html.slice(html.indexOf('<div id="people-results"'));
    const byId = await (await hrClient.get(`/people?team=${company.teams['Sales West']}`)).text();
    const byName = await hrClient.get('/people?teamName=sales%20w');
    expect(byName.status).toBe(200);
    const byNameHtml = await byName.text();
    expect(results(byNameHtml)).toEqual(results(byId));
    expect(results(byId)).toContain('Wes Westmanager');
    expect(results(byId)).not.toContain('Rita Rep');
    expect(byNameHtml).toContain('value="Sales West"');
    const unknown = await hrClient.get('/people?teamName=Nobody');
    expect(unknown.status).toBe(400);
    const unknownHtml = await unknown.text();
    expect(unknownHtml).toContain('No team is called “Nobody”.');
    expect(unknownHtml).not.toContain('Rita Rep');
    const partial = await hrClient.get('/people?teamName=Sales', { 'HX-Request': 'true' });
    expect(partial.status).toBe(400);
    expect(await partial.text()).toMatch(/^<div id="people-results"[\s\S]*Several teams start with “Sales”/);
  });
});

describe('who a manager finds in the people list (reports listed, or asked row by row for a large department)', () => {
  const viewerOf = (email: string): Viewer => ({ person: personRow(id(email)) });
  const listed = (email: string, filter: { q?: string; active?: boolean } = {}) =>
    listPeople(t.db, { ...filter, page: 1, pageSize: 10_000 }, viewerOf(email))
      .rows.map((r) => r.id)
      .sort((a, b) => a - b);
  /** What the list must hold: visiblePersonIds, the rule every other page uses. */
  const visible = (email: string) => (visiblePersonIds(t.db, viewerOf(email)) ?? []).filter((personId) => personRow(personId).active).sort((a, b) => a - b);
  /** A sales team of `n` people under a new team manager reporting to the sales manager, so the sales manager is above them all. */
  function bigTeam(n: number) {
    const lead = createPerson(t.db, t.clock, hr(), {
      email: 'big.lead@example.com',
      name: 'Bea Biglead',
      department: 'sales',
      title: 'Team Lead',
      teamId: null,
      managerId: id('sales.manager@example.com'),
      hireDate: '2026-01-05',
      timeZone: 'UTC',
      role: 'manager',
    });
    const team = t.db.insert(teams).values({ name: 'Sales Big', department: 'sales', managerId: lead.id }).returning().get();
    const insert = t.db.$client.prepare(
      "INSERT INTO people (email, name, department, title, team_id, manager_id, hire_date, time_zone, role, active) VALUES (?, ?, 'sales', 'Account Executive', ?, NULL, '2026-01-05', 'UTC', 'employee', 1)",
    );
    t.db.$client.transaction(() => {
      for (let i = 0; i < n; i++) insert.run(`big${i}@example.com`, `Bo Big ${i}`, team.id);
    })();
    return { lead: lead.id, team: team.id };
  }

  it('is exactly who the manager may see, for a small team and for thousands below', () => {
    for (const email of ['sales.manager@example.com', 'west.manager@example.com', 'marketing.manager@example.com', 'rep@example.com'])
      expect(listed(email), email).toEqual(visible(email));
    bigTeam(2_100);
    const salesManager = listed('sales.manager@example.com');
    expect(salesManager.length).toBeGreaterThan(2_100);
    expect(salesManager).toEqual(visible('sales.manager@example.com'));
    expect(listed('west.manager@example.com')).toEqual(visible('west.manager@example.com'));
    // Searching within them: the same people as filtering the visible list by the word.
    const bigOnes = listPeople(t.db, { q: 'big 20', page: 1, pageSize: 10_000 }, viewerOf('sales.manager@example.com')).rows.map((r) => r.name);
    expect(bigOnes).toHaveLength(111); // "Bo Big 20", "Bo Big 200" … "Bo Big 2099"
    expect(listPeople(t.db, { q: 'big 20', page: 1, pageSize: 10 }, viewerOf('west.manager@example.com')).total).toBe(0);
    expect(canViewPerson(t.db, viewerOf('sales.manager@example.com'), id('rep@example.com'))).toBe(true);
    expect(canViewPerson(t.db, viewerOf('west.manager@example.com'), id('rep@example.com'))).toBe(false);
  });

  it('finds within a few people below as the search finds in the directory, in name order, with the same totals', () => {
    // A few below: read from the chain and compared by LIKE; thousands below: the trigram index. Both are the directory's search.
    const { lead } = bigTeam(30);
    const leadViewer: Viewer = { person: personRow(lead) };
    const below = new Set(visiblePersonIds(t.db, leadViewer));
    expect(below.size).toBe(31);
    for (const q of ['big 2', 'Bo', 'b', 'example.com', 'Account Exec', 'ZZZ', '100%', 'o"b', undefined]) {
      const all = listPeople(t.db, { q, page: 1, pageSize: 10_000 }).rows.map((r) => r.id);
      const expected = all.filter((personId) => below.has(personId) && personRow(personId).active);
      const page = listPeople(t.db, { q, active: true, page: 2, pageSize: 7 }, leadViewer);
      expect(
        page.rows.map((r) => r.id),
        String(q),
      ).toEqual(expected.slice(7, 14));
      expect(page.total, String(q)).toBe(expected.length);
    }
  });

  it('over HTTP: a department manager pages through everyone below them, and no one else', async () => {
    bigTeam(2_100);
    const client = sessionAs(t, 'sales.manager@example.com');
    const res = await client.get('/people?q=Bo+Big+2099');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Bo Big 2099');
    const page = await (await client.get('/people?q=big&page=3')).text();
    // Everyone below the manager whose name says "big" (the team and its lead, 2,101) is more than a search counts.
    expect(page).toContain(`Page 3 of ${SEARCH_COUNTED / 25} · ${SEARCH_COUNTED}+ in all`);
    expect(page).toContain('Bo Big 1041');
    // Fewer than that are counted exactly: "Bo Big 20", 200–209 and 2000–2099.
    expect(await (await client.get('/people?q=big+20')).text()).toContain('Page 1 of 5 · 111 in all');
    const west = await (await sessionAs(t, 'west.manager@example.com').get('/people?q=big')).text();
    expect(west).not.toContain('Bo Big');
    const api = (await (await client.get('/api/v1/people?q=big&pageSize=5')).json()) as { total: number; totalExact: boolean; data: unknown[] };
    expect([api.total, api.totalExact, api.data.length]).toEqual([SEARCH_COUNTED, false, 5]);
    const exact = (await (await client.get('/api/v1/people?q=big%2020&pageSize=5')).json()) as { total: number; totalExact: boolean };
    expect([exact.total, exact.totalExact]).toEqual([111, true]);
  });

  it('counts a search no further than SEARCH_COUNTED, pages it in name order as the full list, and counts the inactive it leaves out', () => {
    // More people below the head and the lead than a chain's range is read for (FEW_BELOW): the trigram index finds them.
    const { lead } = bigTeam(2_100);
    const hrViewer: Viewer = { person: personRow(id('hr@example.com')) };
    const headViewer: Viewer = { person: personRow(id('sales.manager@example.com')) };
    const leadViewer: Viewer = { person: personRow(lead) };
    /** Everyone whose name, email or title holds `q`, as the directory orders them, among those the viewer may see. */
    const expected = (viewer: Viewer, q: string, active: boolean | undefined) => {
      const visible = visiblePersonIds(t.db, viewer);
      return t.db.$client
        .prepare("SELECT id, active FROM people WHERE name LIKE ? OR email LIKE ? OR coalesce(title, '') LIKE ? ORDER BY name, id")
        .all(`%${q}%`, `%${q}%`, `%${q}%`)
        .map((r) => r as { id: number; active: number })
        .filter((r) => (visible === null || visible.includes(r.id)) && (active === undefined || Boolean(r.active) === active))
        .map((r) => r.id);
    };
    const check = (viewer: Viewer, q: string, active: boolean | undefined, label: string) => {
      const all = expected(viewer, q, active);
      for (const page of [1, 2, 40]) {
        const found = listPeople(t.db, { q, active, page, pageSize: 25 }, viewer);
        expect(
          found.rows.map((r) => r.id),
          `${label} ${q} ${active} page ${page}`,
        ).toEqual(all.slice((page - 1) * 25, page * 25));
        expect([found.total, found.more], `${label} ${q} ${active}`).toEqual(all.length > SEARCH_COUNTED ? [SEARCH_COUNTED, true] : [all.length, false]);
      }
    };
    const views: [Viewer, string][] = [
      [hrViewer, 'HR'],
      [headViewer, 'department head'],
      [leadViewer, 'team lead'],
    ];
    // "big 1": 1, 10–19, 100–199 and 1000–1999; "big 2": 2, 20–29, 200–299 and 2000–2099.
    for (const [viewer, label] of views)
      for (const active of [true, undefined, false]) for (const q of ['Bo Big', 'example', 'big 1', 'big 2']) check(viewer, q, active, label);
    // 112 of the 1,111 "big 1" leave: 999 active people match, counted exactly; with those who left, more.
    t.db.run(
      sql`UPDATE people SET active = 0 WHERE email GLOB 'big1@*' OR email GLOB 'big1[0-9]@*' OR email GLOB 'big1[0-9][0-9]@*' OR email = 'big1000@example.com'`,
    );
    for (const [viewer, label] of views) for (const active of [true, undefined, false]) check(viewer, 'big 1', active, label);
    expect(listPeople(t.db, { q: 'big 1', active: true, page: 1, pageSize: 25 }, hrViewer)).toMatchObject({ total: SEARCH_COUNTED - 1, more: false });
    expect(listPeople(t.db, { q: 'big 1', page: 1, pageSize: 25 }, hrViewer)).toMatchObject({ total: SEARCH_COUNTED, more: true });
    expect(listPeople(t.db, { q: 'big 1', active: false, page: 1, pageSize: 25 }, headViewer)).toMatchObject({ total: 112, more: false });
  });
});
