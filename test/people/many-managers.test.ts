// The person form, the team form and the deactivation form in a company with more teams and managers than a list
// holds: each select holds the one chosen and the first few its Find field finds, never everyone; with few of them,
// every one is listed as before.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people, teams } from '../../db/schema';
import { LISTED_MANAGERS, managerChoices, PEOPLE_FOUND } from '../../src/people/choices';
import { LISTED_TEAMS, teamChoices } from '../../src/people/teams';
import { addManyTeams, createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp();
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

/** Managers named "Boss 000"… beside the company's own. */
function addManagers(count: number) {
  const insert = t.db.$client.prepare(
    "INSERT INTO people (email, name, department, role, hire_date, time_zone) VALUES (?, ?, 'sales', 'manager', '2025-01-01', 'UTC')",
  );
  t.db.$client.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`boss${i}@example.com`, `Boss ${String(i).padStart(3, '0')}`);
  })();
}

const optionsOf = (page: string, name: string) => {
  const select = page.match(new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`))?.[1] ?? '';
  return [...select.matchAll(/<option value="(\d*)"[^>]*>([^<]*)<\/option>/g)].filter((m) => m[1] !== '').map((m) => m[2]!);
};
const selectedIn = (page: string, name: string) => page.match(new RegExp(`<select[^>]*name="${name}"[^>]*>[\\s\\S]*?<option value="(\\d+)" selected`))?.[1];

describe('team and manager choices', () => {
  it('lists every team and manager in a small company, and offers no Find field', async () => {
    expect(teamChoices(t.db).listed).toBe(true);
    expect(managerChoices(t.db).listed).toBe(true);
    const page = await (await sessionAs(t, 'hr@example.com').get('/people/new')).text();
    expect(optionsOf(page, 'teamId')).toHaveLength(Object.keys(company.teams).length);
    expect(page).not.toContain('Find a team');
    expect(page).not.toContain('Find a manager');
  });

  it('past the listed, the forms hold the one chosen and the first found, and keep what was typed', async () => {
    addManyTeams(t, LISTED_TEAMS + 20, 'Extra', (i) => (i % 2 ? 'sales' : 'marketing'));
    addManagers(LISTED_MANAGERS + 5);
    const hr = sessionAs(t, 'hr@example.com');

    const blank = await (await hr.get('/people/new')).text();
    expect(blank).toContain('Find a team');
    expect(blank).toContain('Find a manager');
    expect(optionsOf(blank, 'teamId').length).toBeLessThanOrEqual(PEOPLE_FOUND);
    expect(optionsOf(blank, 'managerId').length).toBeLessThanOrEqual(PEOPLE_FOUND);

    // Find a team and a manager: the form comes back with what was typed, the lists holding what was found.
    const typed = { name: 'Nia New', email: 'nia@example.com', department: 'sales', hireDate: '2026-03-01', timeZone: 'UTC', role: 'employee' };
    const foundTeam = await hr.form('/people', { ...typed, teamSearch: 'extra 11', findTeam: '1' });
    expect(foundTeam.status).toBe(200);
    const teamPage = await foundTeam.text();
    // By department, then name: Marketing's (the even ones) first.
    expect(optionsOf(teamPage, 'teamId')).toEqual([0, 2, 4, 6, 8, 1, 3, 5, 7, 9].map((i) => expect.stringContaining(`Extra 11${i}`)));
    expect(teamPage).toContain('value="Nia New"');
    const teamId = t.db.select().from(teams).where(eq(teams.name, 'Extra 113')).get()!.id;
    const foundManager = await hr.form('/people', { ...typed, teamId, managerSearch: 'boss 10', findManager: '1' });
    const managerPage = await foundManager.text();
    expect(optionsOf(managerPage, 'managerId')).toEqual(['Boss 100', 'Boss 101', 'Boss 102', 'Boss 103', 'Boss 104']);
    // The team chosen before stays chosen while the manager is found.
    expect(selectedIn(managerPage, 'teamId')).toBe(String(teamId));
    expect(optionsOf(managerPage, 'teamId')[0]).toContain('Extra 113');
    expect(t.db.select().from(people).where(eq(people.email, 'nia@example.com')).get()).toBeUndefined();

    const managerId = t.db.select().from(people).where(eq(people.email, 'boss101@example.com')).get()!.id;
    const added = await hr.form('/people', { ...typed, teamId, managerId, sendWelcome: 'false', teamSearch: 'left typed' });
    expect(added.status).toBe(303);
    const nia = t.db.select().from(people).where(eq(people.email, 'nia@example.com')).get()!;
    expect([nia.teamId, nia.managerId]).toEqual([teamId, managerId]);

    // Editing: the person's own team and manager are in the lists whatever the first found.
    const edit = await (await hr.get(`/people/${nia.id}/edit`)).text();
    expect(selectedIn(edit, 'teamId')).toBe(String(teamId));
    expect(selectedIn(edit, 'managerId')).toBe(String(managerId));
    const editFind = await (await hr.form(`/people/${nia.id}`, { ...typed, teamId, managerId, managerSearch: 'boss 00', findManager: '1' })).text();
    expect(optionsOf(editFind, 'managerId')[0]).toBe('Boss 101');
    expect(optionsOf(editFind, 'managerId').slice(1)).toEqual(Array.from({ length: 10 }, (_, i) => `Boss 00${i}`));
    expect((await hr.form('/people/999999', { ...typed, findManager: '1' })).status).toBe(404);

    // The team form: its manager found the same way.
    const teamsPage = await (await hr.get('/teams')).text();
    expect(teamsPage).toContain('Find a manager');
    const teamFind = await (await hr.form('/teams', { name: 'Field marketing', department: 'marketing', managerSearch: 'boss 104', findManager: '1' })).text();
    expect(optionsOf(teamFind, 'managerId')).toEqual(['Boss 104']);
    expect(teamFind).toContain('value="Field marketing"');
    const bossId = t.db.select().from(people).where(eq(people.email, 'boss104@example.com')).get()!.id;
    expect((await hr.form('/teams', { name: 'Field marketing', department: 'marketing', managerId: bossId })).status).toBe(303);
    const fieldTeam = t.db.select().from(teams).where(eq(teams.name, 'Field marketing')).get()!;
    expect(fieldTeam.managerId).toBe(bossId);
    expect(selectedIn(await (await hr.get(`/teams/${fieldTeam.id}/edit`)).text(), 'managerId')).toBe(String(bossId));

    // Deactivating a manager: who takes over is found the same way, never the person leaving.
    const deactivate = await (await hr.form(`/people/${bossId}/deactivate`, { successorSearch: 'boss 10', findSuccessor: '1' })).text();
    expect(optionsOf(deactivate, 'successorId')).toEqual(['Boss 100', 'Boss 101', 'Boss 102', 'Boss 103']);
  });
});

describe("a person's direct reports", () => {
  it('are listed fifty at a time by name, with the rest a page further, for HR and for the manager', async () => {
    const manager = company.people['sales.manager@example.com']!;
    const own = t.db.select({ id: people.id }).from(people).where(eq(people.managerId, manager)).all().length;
    for (let i = 0; i < 60; i++)
      t.db
        .insert(people)
        .values({
          email: `r${i}@example.com`,
          name: `Report ${String(i).padStart(2, '0')}`,
          department: 'sales',
          managerId: manager,
          hireDate: '2026-01-05',
          timeZone: 'UTC',
        })
        .run();
    const total = own + 60;
    for (const viewer of ['hr@example.com', 'sales.manager@example.com']) {
      const first = await (await sessionAs(t, viewer).get(`/people/${manager}`)).text();
      const listed = (page: string) => [...page.matchAll(/<li><a href="\/people\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
      expect(listed(first)).toHaveLength(50);
      expect(first).toContain(`Page 1 of 2 · ${total} in all`);
      const second = await (await sessionAs(t, viewer).get(`/people/${manager}?reports=2`)).text();
      expect(listed(second)).toHaveLength(total - 50);
      // Every report once, in name order, over the two pages.
      const all = [...listed(first), ...listed(second)];
      expect(new Set(all).size).toBe(total);
      expect(all).toEqual([...all].sort());
      // Past the last page: the last.
      expect(listed(await (await sessionAs(t, viewer).get(`/people/${manager}?reports=9`)).text())).toEqual(listed(second));
    }
    const bad = await sessionAs(t, 'hr@example.com').get(`/people/${manager}?reports=0`);
    expect(bad.status).toBe(400);
  });
});
