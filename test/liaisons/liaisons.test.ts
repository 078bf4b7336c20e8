import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { liaisons, suggestions } from '../../db/schema';
import { addSuggestion, appointLiaison, defaultAlignmentHost, liaisonOfTeam, suggestionsClosedShare } from '../../src/liaisons/liaisons';
import { bannerAfter, createTestApp, seedCompany, sessionAs, type SeededCompany, type TestContext } from '../support/app';

let t: TestContext;
let company: SeededCompany;
beforeEach(async () => {
  t = createTestApp();
  company = await seedCompany(t.db);
});
afterEach(() => t.close());

const id = (email: string) => company.people[email];

describe('liaisons', () => {
  it('HR appoints a marketer to a sales team (or the reverse); a new appointment replaces the old one', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const salesEast = company.teams['Sales East'];
    expect((await hr.form('/liaisons', { personId: id('marketer@example.com'), teamId: salesEast })).status).toBe(303);
    expect(defaultAlignmentHost(t.db, salesEast)).toBe(id('marketer@example.com'));

    const wrong = await hr.form('/liaisons', { personId: id('rep@example.com'), teamId: company.teams['Sales West'] });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('a marketer for a sales team');
    const reverse = await hr.form('/liaisons', { personId: id('rep@example.com'), teamId: company.teams['Product Marketing'] });
    expect(reverse.status).toBe(303);

    t.clock.advance(60_000);
    await hr.form('/liaisons', { personId: id('marketer2@example.com'), teamId: salesEast });
    expect(liaisonOfTeam(t.db, salesEast)!.personId).toBe(id('marketer2@example.com'));
    const history = t.db.select().from(liaisons).where(eq(liaisons.teamId, salesEast)).orderBy(liaisons.id).all();
    expect(history.map((row) => [row.personId, row.endedAt !== null])).toEqual([
      [id('marketer@example.com'), true],
      [id('marketer2@example.com'), false],
    ]);
    // Who was liaison at a past instant is still known (the scorecard's history uses it).
    expect(liaisonOfTeam(t.db, salesEast, new Date(t.clock.now().getTime() - 30_000))!.personId).toBe(id('marketer@example.com'));

    const page = await (await hr.get('/liaisons')).text();
    expect(page).toContain('Maya Marketer');
    expect((await sessionAs(t, 'rep2@example.com').form('/liaisons', { personId: id('marketer@example.com'), teamId: salesEast })).status).toBe(403);
  });

  it('the liaison owns the backlog: open -> accepted -> done, or rejected with a reason', async () => {
    const salesEast = company.teams['Sales East'];
    appointLiaison(t.db, t.clock, { personId: id('hr@example.com') }, { personId: id('marketer@example.com'), teamId: salesEast });
    const fromFeedback = addSuggestion(
      t.db,
      t.clock,
      { personId: null },
      { teamId: salesEast, title: 'A one-pager against Competitor X', source: 'feedback', sourceRef: 'feedback:1' },
    );
    expect(fromFeedback).not.toBeNull();
    // The same source adds its suggestion once.
    expect(addSuggestion(t.db, t.clock, { personId: null }, { teamId: salesEast, title: 'again', source: 'feedback', sourceRef: 'feedback:1' })).toBeNull();

    const liaison = sessionAs(t, 'marketer@example.com');
    const added = await liaison.form(`/liaisons/teams/${salesEast}/backlog`, {
      title: 'Pricing FAQ for renewals',
      detail: 'Reps get the same three questions.',
    });
    expect(added.status).toBe(303);
    const rows = t.db.select().from(suggestions).all();
    expect(rows).toHaveLength(2);
    const faq = rows.find((row) => row.title === 'Pricing FAQ for renewals')!;

    const noReason = await liaison.form(`/liaisons/suggestions/${fromFeedback!.id}`, { move: 'reject', reason: '' });
    expect(noReason.status).toBe(400);
    expect(t.db.select().from(suggestions).where(eq(suggestions.id, fromFeedback!.id)).get()!.status).toBe('open');
    expect((await liaison.form(`/liaisons/suggestions/${fromFeedback!.id}`, { move: 'reject', reason: 'Legal will not approve comparisons.' })).status).toBe(
      303,
    );
    expect((await liaison.form(`/liaisons/suggestions/${faq.id}`, { move: 'done' })).status).toBe(409);
    expect((await liaison.form(`/liaisons/suggestions/${faq.id}`, { move: 'accept' })).status).toBe(303);
    expect((await liaison.form(`/liaisons/suggestions/${faq.id}`, { move: 'done' })).status).toBe(303);
    const after = t.db.select().from(suggestions).all();
    expect(after.map((row) => [row.title, row.status, row.rejectReason])).toEqual([
      ['A one-pager against Competitor X', 'rejected', 'Legal will not approve comparisons.'],
      ['Pricing FAQ for renewals', 'done', null],
    ]);
    expect(suggestionsClosedShare(t.db, salesEast, t.clock.now())).toBe(1);

    const page = await (await liaison.get(`/liaisons/teams/${salesEast}/backlog`)).text();
    expect(page).toContain('Legal will not approve comparisons.');
    // Others may look (managers) or not at all (employees), and only HR and the liaison change it.
    expect((await sessionAs(t, 'sales.manager@example.com').get(`/liaisons/teams/${salesEast}/backlog`)).status).toBe(200);
    expect((await sessionAs(t, 'sales.manager@example.com').form(`/liaisons/suggestions/${faq.id}`, { move: 'reopen' })).status).toBe(403);
    expect((await sessionAs(t, 'rep@example.com').get(`/liaisons/teams/${salesEast}/backlog`)).status).toBe(403);
  });

  it('suggestions wait in the unassigned backlog HR sees until their team has a liaison, and go back there when the appointment ends', async () => {
    const salesWest = company.teams['Sales West'];
    const system = { personId: null };
    const west = addSuggestion(t.db, t.clock, system, {
      teamId: salesWest,
      title: 'Joint account plan for renewals',
      source: 'check_in',
      sourceRef: 'check_in:7',
    })!;
    const teamless = addSuggestion(t.db, t.clock, system, {
      teamId: null,
      title: 'A glossary of our product names',
      source: 'feedback',
      sourceRef: 'feedback:8',
    })!;
    const hr = sessionAs(t, 'hr@example.com');
    const page = await (await hr.get('/liaisons/unassigned')).text();
    expect(page).toContain('Joint account plan for renewals');
    expect(page).toContain('No team');
    expect(page).toContain(`href="/liaisons?team=${salesWest}#appoint-heading"`);
    expect(await (await hr.get(`/liaisons?team=${salesWest}`)).text()).toContain(`<option value="${salesWest}" selected="">`);

    // Only HR moves the ones without a team; the move answers back on the unassigned backlog.
    expect((await sessionAs(t, 'marketer@example.com').form(`/liaisons/suggestions/${teamless.id}`, { move: 'accept' })).status).toBe(403);
    const rejected = await hr.form(`/liaisons/suggestions/${teamless.id}?from=unassigned`, { move: 'reject', reason: 'The style guide covers it.' });
    expect(rejected.headers.get('location')).toBe('/liaisons/unassigned');
    expect(await bannerAfter(hr, rejected)).toMatch(/ is rejected\.$/);

    const appointed = await hr.form('/liaisons', { personId: id('demand@example.com'), teamId: salesWest });
    expect(await bannerAfter(hr, appointed)).toContain('1 open suggestion is in their backlog now');
    expect(await (await hr.get('/liaisons/unassigned')).text()).not.toContain('Joint account plan for renewals');
    const liaison = sessionAs(t, 'demand@example.com');
    const mine = (await (await liaison.get('/api/v1/suggestions')).json()) as { data: { id: number; liaisonId: number | null }[]; total: number };
    expect(mine.data.map((s) => [s.id, s.liaisonId])).toEqual([[west.id, id('demand@example.com')]]);
    expect((await liaison.get(`/api/v1/suggestions/${teamless.id}`)).status).toBe(403);
    expect((await liaison.get(`/api/v1/suggestions?team=${company.teams['Sales East']}`)).status).toBe(403);

    const appointment = liaisonOfTeam(t.db, salesWest)!;
    expect((await hr.form(`/liaisons/${appointment.id}/end`, {})).status).toBe(303);
    expect(await (await hr.get('/liaisons/unassigned')).text()).toContain('Joint account plan for renewals');
    expect(((await (await liaison.get('/api/v1/suggestions')).json()) as { total: number }).total).toBe(0);
    expect((await liaison.form(`/liaisons/suggestions/${west.id}`, { move: 'accept' })).status).toBe(403);
    expect(t.db.select().from(suggestions).where(eq(suggestions.id, west.id)).get()!.status).toBe('open');
  });

  it('in a company too large to list, HR types the liaison (an address or a name) and the team (a name): the page keeps its size', async () => {
    const hr = sessionAs(t, 'hr@example.com');
    const listed = await (await hr.get('/liaisons')).text();
    expect(listed).toContain('name="personId"');
    expect(listed).toContain('name="teamId"');
    const addPerson = t.db.$client.prepare(
      "INSERT INTO people (email, name, department, title, hire_date, time_zone, role, active) VALUES (?, ?, 'marketing', 'Marketer', '2026-01-05', 'UTC', 'employee', 1)",
    );
    const addTeam = t.db.$client.prepare("INSERT INTO teams (name, department, created_at) VALUES (?, 'marketing', 0)");
    t.db.$client.transaction(() => {
      for (let i = 0; i < 400; i++) addPerson.run(`many${i}@example.com`, `Mo Many ${String(i).padStart(3, '0')}`);
      for (let i = 1; i <= 100; i++) addTeam.run(`Field Marketing ${String(i).padStart(3, '0')}`);
    })();
    const page = await (await hr.get(`/liaisons?team=${company.teams['Sales East']}`)).text();
    expect(page).not.toContain('name="personId"');
    expect(page).not.toContain('name="teamId"');
    expect(page).toContain('name="person"');
    expect(page).toMatch(/name="teamName"[^>]*value="Sales East"|value="Sales East"[^>]*name="teamName"/);
    expect(Buffer.byteLength(page)).toBeLessThan(20_000);

    const salesEast = company.teams['Sales East'];
    const byAddress = await hr.form('/liaisons', { person: 'MANY7@example.com', teamName: 'sales east' });
    expect(byAddress.status).toBe(303);
    expect(liaisonOfTeam(t.db, salesEast)!.personId).toBe(t.db.$client.prepare("SELECT id FROM people WHERE email = 'many7@example.com'").pluck().get());
    t.clock.advance(60_000);
    expect((await hr.form('/liaisons', { person: 'mark marketer', teamName: 'Sales E' })).status).toBe(303);
    expect(liaisonOfTeam(t.db, salesEast)!.personId).toBe(id('marketer@example.com'));

    const several = await hr.form('/liaisons', { person: 'Mo Many 00', teamName: 'Sales East' });
    expect(several.status).toBe(400);
    expect(await several.text()).toContain('Several people’s names start with “Mo Many 00”: Mo Many 000 (many0@example.com)');
    const nobody = await hr.form('/liaisons', { person: 'Nobody Known', teamName: 'Nowhere' });
    expect(nobody.status).toBe(400);
    const nobodyHtml = await nobody.text();
    expect(nobodyHtml).toContain('No active person in sales or marketing is called “Nobody Known” or has this address.');
    expect(nobodyHtml).toContain('No team is called “Nowhere”.');
    expect(nobodyHtml).toContain('value="Nobody Known"');
    const empty = await hr.form('/liaisons', { person: '', teamName: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Choose a person.');
    // The rule still holds for a typed person: a sales rep is no liaison for a sales team.
    const wrong = await hr.form('/liaisons', { person: 'rep@example.com', teamName: 'Sales West' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('a marketer for a sales team');
    // Ids still work (the API and scripts post them).
    expect((await hr.form('/liaisons', { personId: id('marketer2@example.com'), teamId: salesEast })).status).toBe(303);
    expect(liaisonOfTeam(t.db, salesEast)!.personId).toBe(id('marketer2@example.com'));
  });
});
