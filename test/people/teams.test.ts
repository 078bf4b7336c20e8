// HR's list of teams reads each team's active members from team_headcounts, kept by triggers on people in the same
// transaction as every write to them, instead of counting every member on every view. After each kind of write the
// kept counts equal a count of the people themselves, and the page shows them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import { createPerson, setPersonActive, updatePerson } from '../../src/people/people';
import { importPeople } from '../../src/people/import';
import { createTeam, listTeams } from '../../src/people/teams';
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

const kept = () => t.db.$client.prepare('SELECT team_id AS teamId, active FROM team_headcounts WHERE active <> 0 ORDER BY team_id').all();
const counted = () =>
  t.db.$client
    .prepare('SELECT team_id AS teamId, count(*) AS active FROM people WHERE active = 1 AND team_id IS NOT NULL GROUP BY team_id ORDER BY team_id')
    .all();
const membersOf = (team: string) => listTeams(t.db, { page: 1, pageSize: 200 }).rows.find((r) => r.id === company.teams[team])!.members;

describe('team_headcounts', () => {
  it('equals a count of active members after people are added, imported, moved, deactivated, reactivated and removed', () => {
    expect(kept()).toEqual(counted());
    const east = membersOf('Sales East');
    expect(east).toBeGreaterThan(0);

    const joiner = createPerson(t.db, t.clock, hr(), {
      email: 'joiner@example.com',
      name: 'Jo Joiner',
      department: 'sales',
      title: 'AE',
      role: 'employee',
      teamId: company.teams['Sales East']!,
      hireDate: '2025-06-01',
      timeZone: 'UTC',
    });
    expect(kept()).toEqual(counted());
    expect(membersOf('Sales East')).toBe(east + 1);

    // A person without a team counts in none.
    createPerson(t.db, t.clock, hr(), {
      email: 'loner@example.com',
      name: 'Lo Loner',
      department: 'other',
      title: 'Analyst',
      role: 'employee',
      teamId: null,
      hireDate: '2025-06-01',
      timeZone: 'UTC',
    });
    expect(kept()).toEqual(counted());

    // Import: new people in a new team and an existing one, and someone moved by the file.
    const csv = [
      'email,name,department,title,team,manager_email,hire_date,time_zone,role',
      'new.lead@example.com,Nora Lead,sales,Team lead,Sales North,,2025-05-01,America/Chicago,manager',
      'new.rep@example.com,Nick Rep,sales,AE,Sales North,new.lead@example.com,2026-02-20,America/Chicago,employee',
      'joiner@example.com,Jo Joiner,sales,AE,Sales West,,2025-06-01,UTC,employee',
    ].join('\n');
    expect(importPeople(t.db, t.clock, hr(), csv).errors).toEqual([]);
    expect(kept()).toEqual(counted());
    expect(membersOf('Sales East')).toBe(east);
    expect(listTeams(t.db, { page: 1, pageSize: 200 }).rows.find((r) => r.name === 'Sales North')!.members).toBe(2);

    // Moved on the form, out of a team and into one.
    updatePerson(t.db, t.clock, hr(), joiner.id, { teamId: company.teams['Sales East']!, managerId: id('sales.manager@example.com') });
    expect(kept()).toEqual(counted());
    updatePerson(t.db, t.clock, hr(), joiner.id, { teamId: null, managerId: null });
    expect(kept()).toEqual(counted());
    updatePerson(t.db, t.clock, hr(), joiner.id, { teamId: company.teams['Sales West']!, managerId: id('west.manager@example.com') });
    expect(kept()).toEqual(counted());

    setPersonActive(t.db, t.clock, hr(), joiner.id, false);
    expect(kept()).toEqual(counted());
    // An inactive person moving team counts nowhere.
    updatePerson(t.db, t.clock, hr(), joiner.id, { teamId: company.teams['Sales East']!, managerId: id('sales.manager@example.com') });
    expect(kept()).toEqual(counted());
    expect(membersOf('Sales East')).toBe(east);
    setPersonActive(t.db, t.clock, hr(), joiner.id, true);
    expect(kept()).toEqual(counted());
    expect(membersOf('Sales East')).toBe(east + 1);

    // Deactivating a manager hands their reports to a successor in the same step.
    updatePerson(t.db, t.clock, hr(), id('sales.manager@example.com'), { active: false, successorId: id('west.manager@example.com') });
    expect(kept()).toEqual(counted());

    // Removed outright (a script's raw write): the triggers keep up too.
    t.db.delete(people).where(eq(people.id, joiner.id)).run();
    expect(kept()).toEqual(counted());

    // A new team starts with nobody.
    const team = createTeam(t.db, t.clock, hr(), { name: 'Field Marketing', department: 'marketing', managerId: null });
    expect(listTeams(t.db, { page: 1, pageSize: 200 }).rows.find((r) => r.id === team.id)!.members).toBe(0);
    expect(kept()).toEqual(counted());
  });

  it('the teams page shows each team with its kept count of active members', async () => {
    const html = await (await sessionAs(t, 'hr@example.com').get('/teams')).text();
    const east = membersOf('Sales East');
    expect(html).toMatch(new RegExp(`Sales East</a></td>.*?<td data-label="Members">${east}</td>`, 's'));
  });
});

describe('the teams page of a company with many teams', () => {
  it('shows a page of teams at a time, in department and name order, and finds teams by a part of their name', async () => {
    for (let i = 0; i < 120; i++)
      createTeam(t.db, t.clock, hr(), { name: `Field ${String(i).padStart(3, '0')}`, department: i % 2 ? 'sales' : 'marketing', managerId: null });
    const all = t.db.$client.prepare('SELECT name FROM teams ORDER BY department, name').pluck().all() as string[];
    const hrClient = sessionAs(t, 'hr@example.com');
    const names = (html: string) => [...html.matchAll(/<td data-label="Team"><a href="\/people\?team=\d+">([^<]*)<\/a>/g)].map((m) => m[1]);
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push(...names(await (await hrClient.get(`/teams?page=${page}`)).text()));
    expect(pages).toEqual(all);
    const first = await (await hrClient.get('/teams')).text();
    expect(names(first)).toHaveLength(50);
    expect(first).toContain(`Page 1 of 3 · ${all.length} in all`);
    const found = await (await hrClient.get('/teams?q=ield 11')).text();
    expect(names(found).sort()).toEqual([
      'Field 110',
      'Field 111',
      'Field 112',
      'Field 113',
      'Field 114',
      'Field 115',
      'Field 116',
      'Field 117',
      'Field 118',
      'Field 119',
    ]);
    expect(names(await (await hrClient.get('/teams?q=100%25')).text())).toEqual([]);
    expect((await hrClient.get('/teams?page=0')).status).toBe(400);
    expect((await hrClient.get(`/teams?q=${'x'.repeat(121)}`)).status).toBe(400);
  });
});
