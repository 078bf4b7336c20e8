import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { people } from '../../db/schema';
import { testPasswordHash } from '../support/app';
import { clickNavLink, signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const env = useBrowserApp({ now: '2026-03-02T09:00:00Z' });

async function pageAs(email: string): Promise<{ page: Page; errors: string[] }> {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await signInInBrowser(page, env.server.url, email);
  return { page, errors };
}

/** A person's line on the dashboard: the share done (its progress bar, found by its accessible name) and what is overdue. */
async function progressOf(page: Page, name: string) {
  const row = page.locator('#dashboard-results tr', { hasText: name });
  const bar = row.getByRole('progressbar', { name: 'Share done' });
  return `${await bar.getAttribute('value')} of ${await bar.getAttribute('max')} done, ${await row.locator('td[data-label="Overdue"]').textContent()} overdue`;
}

describe('onboarding in a real browser', () => {
  it('HR sets up a program, a new hire is enrolled on import, books and attends a session, and the manager sees it and exports it', async () => {
    const hr = await pageAs('hr@example.com');
    const p = hr.page;

    // A topic, then the program with two requirements and a rule for sales new hires.
    await p.goto(`${env.server.url}/programs/sessions`);
    await p.getByLabel('Topic name').fill('Competitive advantages 101');
    await p.getByRole('button', { name: 'Add topic' }).click();
    await expect.poll(() => p.locator('#topics').textContent()).toContain('Competitive advantages 101');

    await p.goto(`${env.server.url}/programs/new`);
    await p.getByLabel('Name').fill('Sales onboarding');
    await p.getByLabel('Kind', { exact: true }).selectOption('onboarding');
    await p.getByRole('button', { name: 'Create program' }).click();
    await p.waitForURL(/\/programs\/\d+$/);
    await expect.poll(() => p.getByRole('status').first().textContent()).toContain('was created');
    const programUrl = p.url().split('?')[0];
    const programId = Number(/\/programs\/(\d+)/.exec(programUrl)![1]);

    await p.getByLabel('Title').fill('Competitive advantages 101');
    await p.getByLabel('Kind', { exact: true }).selectOption('training');
    await p.getByLabel('Training topic').selectOption({ label: 'Competitive advantages 101' });
    await p.getByLabel('Due within (days)').fill('14');
    await Promise.all([p.waitForEvent('load'), p.getByRole('button', { name: 'Add requirement' }).click()]);
    await expect.poll(() => p.getByRole('status').first().textContent()).toContain('added');
    await p.getByLabel('Title').fill('Manager sign-off');
    await p.getByLabel('Kind', { exact: true }).selectOption('sign_off');
    await p.getByLabel('Due within (days)').fill('30');
    await Promise.all([p.waitForEvent('load'), p.getByRole('button', { name: 'Add requirement' }).click()]);
    await expect.poll(() => p.getByRole('status').first().textContent()).toContain('added');
    await expect.poll(() => p.locator('#requirements ol').textContent()).toContain('Manager sign-off');

    await p.getByLabel('Department').selectOption('sales');
    await p.getByLabel('Hired on or after').fill('2026-01-01');
    await p.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => p.getByRole('status').first().textContent()).toContain('0 people enrolled now');

    // The new hire arrives by CSV and is enrolled at once.
    const csv = join(mkdtempSync(join(tmpdir(), 'ct-programs-')), 'hires.csv');
    writeFileSync(
      csv,
      'email,name,department,team,manager_email,hire_date,time_zone,role\nnora@example.com,Nora Newrep,sales,Sales East,sales.manager@example.com,2026-03-02,UTC,employee\n',
    );
    await p.goto(`${env.server.url}/people/import`);
    await p.getByLabel('CSV file').setInputFiles(csv);
    await p.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => p.getByRole('status').textContent()).toContain('1 created');
    await p.goto(programUrl);
    await expect.poll(() => p.locator('#enrollments').textContent()).toContain('Nora Newrep');
    // The enrolled people are listed a page at a time, filtered by the start of a name (any case) or by status.
    await p.getByLabel('Name starts with').fill('nor');
    await Promise.all([p.waitForEvent('load'), p.getByRole('button', { name: 'Filter' }).click()]);
    await expect.poll(() => p.locator('#enrollments table').textContent()).toContain('Nora Newrep');
    await p.getByLabel('Show', { exact: true }).selectOption('ended');
    await Promise.all([p.waitForEvent('load'), p.getByRole('button', { name: 'Filter' }).click()]);
    await expect.poll(() => p.locator('#enrollments').textContent()).toContain('No enrollment here has ended.');

    // HR schedules a session later today, hosted by a marketing manager.
    await p.goto(`${env.server.url}/programs/sessions/new`);
    await p.getByLabel('Topic', { exact: true }).selectOption({ label: 'Competitive advantages 101' });
    await p.getByLabel('Title').fill('CA 101 — March');
    // The host list holds the few people a search finds: find her by name first (what was typed stays).
    await p.getByLabel('Find a host').fill('mia');
    await Promise.all([p.waitForEvent('load'), p.getByRole('button', { name: 'Find' }).click()]);
    expect(await p.getByLabel('Title').inputValue()).toBe('CA 101 — March');
    await p.getByLabel('Host', { exact: true }).selectOption({ label: 'Mia Marketingmanager (Marketing)' });
    await p.getByLabel('Start (host’s local time)').fill('2026-03-02T13:00');
    await p.getByLabel('Time zone', { exact: true }).fill('UTC');
    await p.getByLabel('Seats', { exact: true }).fill('10');
    await p.getByRole('button', { name: 'Schedule' }).click();
    await p.waitForURL(/\/programs\/sessions\/\d+$/);
    await expect.poll(() => p.getByRole('status').first().textContent()).toContain('1 person who needs the topic was invited');

    // The manager sees Nora at 0%.
    const manager = await pageAs('sales.manager@example.com');
    await manager.page.goto(`${env.server.url}/programs`);
    await manager.page.getByRole('link', { name: 'Team progress' }).click();
    await manager.page.getByLabel('Program').selectOption({ label: 'Sales onboarding' });
    await manager.page.getByRole('button', { name: 'Filter' }).click();
    await manager.page.waitForURL(new RegExp(`program=${programId}`));
    expect(await progressOf(manager.page, 'Nora Newrep')).toBe('0 of 2 done, 0 overdue');

    // The new hire books the session from My learning (in place, htmx).
    env.t.db
      .update(people)
      .set({ passwordHash: await testPasswordHash() })
      .where(eq(people.email, 'nora@example.com'))
      .run();
    const nora = await pageAs('nora@example.com');
    await clickNavLink(nora.page, 'My learning');
    await expect.poll(() => nora.page.locator('main').textContent()).toContain('Competitive advantages 101');
    await nora.page.getByRole('button', { name: 'Book' }).click();
    await expect.poll(() => nora.page.locator('.booking').first().textContent()).toContain('booked');

    // After the session starts the host marks attendance for everyone at once.
    env.t.clock.set('2026-03-02T14:10:00Z');
    const host = await pageAs('marketing.manager@example.com');
    await clickNavLink(host.page, 'My learning');
    await host.page.getByRole('link', { name: 'attendance and check-in' }).click();
    await host.page.getByRole('radio', { name: 'Nora Newrep attended' }).check();
    await host.page.getByRole('button', { name: 'Save attendance' }).click();
    await expect.poll(() => host.page.locator('#attendance-sheet').textContent()).toContain('Attendance saved: 1 attended, 0 no-show.');

    // The manager's bar moves, and the export has it.
    await manager.page.reload();
    expect(await progressOf(manager.page, 'Nora Newrep')).toBe('1 of 2 done, 0 overdue');
    const [download] = await Promise.all([manager.page.waitForEvent('download'), manager.page.getByRole('link', { name: 'Export CSV' }).click()]);
    const exported = readFileSync((await download.path())!, 'utf8');
    expect(exported).toContain(
      'Nora Newrep,nora@example.com,sales,Sales East,Sales onboarding,Competitive advantages 101,0,2026-03-16,done,2026-03-02T13:00:00.000Z,no,1,1',
    );

    // Drill-down to the evidence, and the sign-off completes it.
    await manager.page.getByRole('link', { name: 'Nora Newrep' }).click();
    await expect.poll(() => manager.page.locator('main').textContent()).toContain('Attended CA 101 — March');
    await Promise.all([manager.page.waitForEvent('load'), manager.page.getByRole('button', { name: 'Sign off' }).click()]);
    await expect.poll(() => manager.page.getByRole('status').first().textContent()).toContain('Signed off.');
    await manager.page.goto(`${env.server.url}/programs/dashboard?program=${programId}`);
    expect(await progressOf(manager.page, 'Nora Newrep')).toBe('2 of 2 done, 0 overdue');

    expect(hr.errors).toEqual([]);
    expect(manager.errors).toEqual([]);
    expect(nora.errors).toEqual([]);
    expect(host.errors).toEqual([]);
    // One long flow through four browsers: on two busy cores it can outlast the default minute.
  }, 150_000);
});
