/* A company of more than 100 teams and managers in Chromium: the teams page pages and finds teams by name, the forms that
   choose teams (survey round, rotation program, open seats' filter) take a typed name instead of listing every team, and
   the person form finds its team and manager. */
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/programs/programs';
import { addManyTeams } from '../support/app';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const env = useBrowserApp({
  now: '2026-03-02T12:00:00Z',
  seed: (t, company) => {
    addManyTeams(t, 120, 'Field', (i) => (i % 2 ? 'sales' : 'marketing'));
    const boss = t.db.$client.prepare(
      "INSERT INTO people (email, name, department, role, hire_date, time_zone) VALUES (?, ?, 'sales', 'manager', '2025-01-01', 'UTC')",
    );
    for (let i = 0; i < 110; i++) boss.run(`boss${i}@example.com`, `Boss ${String(i).padStart(3, '0')}`);
    createProgram(
      t.db,
      t.clock,
      { personId: company.people['hr@example.com']! },
      { name: 'West onboarding', kind: 'onboarding', description: '', dueSoonDays: 7 },
    );
  },
});

describe('a company of many teams', () => {
  it('pages the teams, finds one by name, and takes teams by name in a survey round, a rotation program, an enrollment rule and open seats', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'hr@example.com');

    await page.goto(`${env.server.url}/teams`);
    expect(await page.locator('td[data-label="Team"]').count()).toBe(50);
    await page.getByRole('link', { name: 'Next →' }).click();
    await page.waitForURL(/page=2/);
    await page.getByLabel('Find teams by name').fill('field 11');
    await Promise.all([page.waitForURL(/q=field/), page.getByRole('button', { name: 'Find', exact: true }).click()]);
    expect(await page.locator('td[data-label="Team"]').allTextContents()).toHaveLength(10);

    // A survey round for two teams typed by name.
    await page.goto(`${env.server.url}/surveys/new`);
    await page.getByLabel('Title').fill('Two teams');
    await page.getByLabel('Add a team').fill('sales ea');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Add', exact: true }).click()]);
    await page.getByLabel('Add a team').fill('Sales West');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Add', exact: true }).click()]);
    expect(await page.getByLabel('Title').inputValue()).toBe('Two teams');
    expect(await page.locator('input[name="teamIds"]:checked').count()).toBe(2);
    await page.getByLabel('Add a team').fill('Nowhere');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Add', exact: true }).click()]);
    await expect.poll(() => page.locator('.field-error').first().textContent()).toContain('No team is called “Nowhere”.');

    // A rotation program hosted by a team typed by name.
    await page.goto(`${env.server.url}/rotations/programs/new`);
    await page.getByLabel('Name', { exact: true }).fill('Marketers in the field');
    await page.getByLabel('Add a host team').fill('Field 117');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Add', exact: true }).click()]);
    await page.getByLabel('Guests Field 117 takes at once').fill('2');
    await page.getByRole('button', { name: 'Create program' }).click();
    await page.waitForURL(/\/rotations\/programs$/);
    await expect.poll(() => page.locator('main').textContent()).toContain('Marketers in the field');

    // A program's enrollment rule for a team typed by name.
    await page.goto(`${env.server.url}/programs`);
    await page.getByRole('link', { name: 'West onboarding' }).first().click();
    await page.locator('#rule-form').getByLabel('Team', { exact: true }).fill('sales west');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('enrolled now');

    // Open seats: the team is typed by name.
    await page.goto(`${env.server.url}/open-seats`);
    expect(await page.locator('select[name="team"]').count()).toBe(0);
    expect(await page.getByLabel('Team', { exact: true }).getAttribute('name')).toBe('teamName');
    expect(errors).toEqual([]);
  });

  it('adds a person to a team and under a manager each found by name, past a hundred of each', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'hr@example.com');
    await page.goto(`${env.server.url}/people/new`);
    await page.getByLabel('Name', { exact: true }).fill('Nia New');
    await page.getByLabel('Email').fill('nia@example.com');
    await page.getByLabel('Department').selectOption('sales');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    await page.getByLabel('Find a team').fill('field 113');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Find teams' }).click()]);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Nia New');
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Field 113 (Sales)' });
    await page.getByLabel('Find a manager').fill('boss 07');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Find managers' }).click()]);
    expect(await page.getByLabel('Team', { exact: true }).locator('option:checked').textContent()).toBe('Field 113 (Sales)');
    await page.getByLabel('Manager', { exact: true }).selectOption({ label: 'Boss 077' });
    await page.getByLabel('Send a welcome mail').uncheck();
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.waitForURL(/\/people\/\d+$/);
    const main = await page.locator('main').textContent();
    expect(main).toContain('Field 113');
    expect(main).toContain('Boss 077');
    expect(errors).toEqual([]);
  });
});
