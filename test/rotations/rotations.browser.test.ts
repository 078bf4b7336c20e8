import { describe, expect, it } from 'vitest';
import { people } from '../../db/schema';
import { createRotationProgram } from '../../src/rotations/programs';
import { clickNavLink, signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const env = useBrowserApp({
  now: '2026-03-02T12:00:00Z',
  seed: (t, company) => {
    // Product Marketing grows to 8 marketers besides its manager (who stays home by default), so a
    // quarter of it (two people) may be away at once.
    for (let i = 0; i < 6; i++) {
      t.db
        .insert(people)
        .values({
          email: `pm${i}@example.com`,
          name: `Pia Marketer ${i}`,
          department: 'marketing',
          teamId: company.teams['Product Marketing'],
          hireDate: '2024-01-15',
        })
        .run();
    }
    createRotationProgram(
      t.db,
      t.clock,
      { personId: company.people['hr@example.com'] },
      {
        name: 'Marketing in the field',
        direction: 'marketing_to_sales',
        lengthWeeks: 4,
        coveragePercent: 25,
        learningGoals: 'Hear customers first hand.',
        hostTeams: [
          { teamId: company.teams['Sales East'], capacity: 1 },
          { teamId: company.teams['Sales West'], capacity: 1 },
        ],
        checklist: ['Ride along on 5 calls', 'Present at a pipeline review'],
        active: true,
      },
    );
  },
});

describe('rotations in a real browser', () => {
  it('HR plans a year for a marketing team, moves one rotation, commits, sees the timeline; the marketer sees it', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'hr@example.com');

    await clickNavLink(page, 'Rotations');
    await page.getByRole('link', { name: 'Plan rotations' }).click();
    await page.getByLabel('Program', { exact: true }).selectOption({ label: 'Marketing in the field (4 weeks)' });
    await page.getByLabel('A team').check();
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Product Marketing (Marketing)' });
    await page.getByLabel('Horizon start').fill('2026-03-02');
    await page.getByLabel('Horizon in weeks').fill('52');
    await page.getByRole('button', { name: 'Propose a plan' }).click();

    // The proposal is kept and reviewed at its own address, a page of rows at a time.
    await page.waitForURL(/\/rotations\/planner\/plans\/\d+$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Review the plan: Marketing in the field');
    await expect.poll(() => page.locator('#plan-summary').textContent()).toContain('8 rotations proposed');
    await expect.poll(() => page.locator('#plan-summary').textContent()).toContain('every rotation keeps every rule');
    // The proposal is drawn as a Gantt chart before anything is written.
    await expect.poll(() => page.locator('#timeline td.bar').count()).toBe(8);

    // Move Mark's rotation one week later and check again.
    const start = page.getByLabel('Start for Mark Marketer');
    const before = await start.inputValue();
    const later = new Date(Date.parse(`${before}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    await start.fill(later);
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(() => page.locator('#plan-summary').textContent()).toContain('every rotation keeps every rule');
    await expect.poll(() => page.getByLabel('Start for Mark Marketer').inputValue()).toBe(later);

    await page.getByRole('button', { name: 'Commit plan' }).click();
    await page.waitForURL(/\/rotations\/timeline\?/);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Plan committed: 8 rotations of Marketing in the field.');
    const markRow = page.locator('#timeline tbody tr', { has: page.getByRole('rowheader', { name: /Mark Marketer/ }) });
    await expect.poll(() => markRow.locator('td.bar').count()).toBe(1);
    await expect.poll(() => markRow.locator('td.bar').getAttribute('title')).toContain(`${later} to`);

    // Filters re-render the chart in place (htmx).
    await page.getByLabel('Rows').selectOption('teams');
    await page.waitForURL(/group=teams/);
    await expect
      .poll(() => page.locator('#timeline tbody th[scope="row"]').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('Sales East'), expect.stringContaining('Sales West')]));
    expect(errors).toEqual([]);

    // The rotating marketer sees the rotation in their schedule.
    const marketer = await env.browser.newPage();
    const marketerErrors = watchPageErrors(marketer);
    await signInInBrowser(marketer, env.server.url, 'marketer@example.com');
    await marketer.goto(`${env.server.url}/rotations`);
    const mine = marketer.locator('#my-rotations');
    await expect.poll(() => mine.textContent()).toContain(`${later} to`);
    await expect.poll(() => mine.textContent()).toContain('Guest');
    await mine.getByRole('link').first().click();
    await expect.poll(() => marketer.locator('#checklist').textContent()).toContain('Ride along on 5 calls');
    expect(marketerErrors).toEqual([]);
  });

  it('HR fixes a broken plan item through its suggestions; the mentor list follows the host team', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'hr@example.com');
    await page.goto(`${env.server.url}/rotations/planner`);
    await page.getByLabel('Program', { exact: true }).selectOption({ label: 'Marketing in the field (4 weeks)' });
    await page.getByLabel('A team').check();
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Product Marketing (Marketing)' });
    await page.getByLabel('Horizon start').fill('2027-06-07');
    await page.getByLabel('Horizon in weeks').fill('40');
    // The search box offers the names typed so far (htmx fills its list); Leave out keeps the one picked.
    const search = page.getByLabel('Find a person to leave out');
    await search.pressSequentially('mark mar');
    await expect
      .poll(() => page.locator('#planner-people option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)))
      .toContain('Mark Marketer — Product Marketing (Marketing)');
    await search.fill('Mark Marketer — Product Marketing (Marketing)');
    await page.getByRole('button', { name: 'Leave out' }).click();
    await expect.poll(() => page.getByLabel('Leave out Mark Marketer — Product Marketing (Marketing)').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Propose a plan' }).click();
    await expect.poll(() => page.locator('#plan-summary').textContent()).toContain('7 rotations proposed');
    expect(await page.getByLabel('Start for Mark Marketer').count()).toBe(0);
    await expect.poll(() => page.locator('#plan-summary').textContent()).toContain('every rotation keeps every rule');

    // The mentor list follows the host team in place.
    const host = page.getByLabel('Host team for Pia Marketer 0');
    const mentor = page.getByLabel('Mentor for Pia Marketer 0');
    const other = (await host.inputValue()) === String(env.company.teams['Sales East']) ? 'Sales West' : 'Sales East';
    const member = other === 'Sales West' ? 'Wanda Westrep' : 'Rita Rep';
    await host.selectOption({ label: other });
    await expect.poll(() => mentor.locator('option').allTextContents()).toContain(member);

    // Put Pia 1 into Pia 0's seat and weeks: one host seat, so a rule breaks and Commit is blocked.
    await host.selectOption({ label: other === 'Sales West' ? 'Sales East' : 'Sales West' });
    const pia0Host = await host.inputValue();
    await page.getByLabel('Host team for Pia Marketer 1').selectOption(pia0Host);
    await page.getByLabel('Start for Pia Marketer 1').fill(await page.getByLabel('Start for Pia Marketer 0').inputValue());
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(() => page.locator('#commit-blocked').textContent()).toContain('Commit is unavailable');
    expect(await page.getByRole('button', { name: 'Commit plan' }).isDisabled()).toBe(true);
    const broken = page.locator('tr.broken').first();
    await expect.poll(() => broken.textContent()).toContain('Host team capacity');
    expect(await broken.textContent()).not.toContain('host_capacity');

    // One click on a suggestion repairs the row and frees Commit.
    await broken.locator('.fixes button').first().click();
    await expect.poll(() => page.locator('#plan-summary').textContent()).toContain('every rotation keeps every rule');
    await expect.poll(() => page.getByRole('button', { name: 'Commit plan' }).isDisabled()).toBe(false);
    expect(await page.locator('tr.broken').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
