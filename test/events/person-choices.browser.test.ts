/* Choosing people in Chromium: HR finds a host by name on the event form, then, as the event's manager, finds a guest to invite. */
import { describe, expect, it } from 'vitest';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const env = useBrowserApp({ now: '2026-03-02T12:00:00Z' });

describe('finding people in forms', () => {
  it('finds a host by name, keeps what was typed, creates the event and finds a guest to invite', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'hr@example.com');
    await page.goto(`${env.server.url}/events/new?kind=sales_call`);
    await page.getByLabel('Title').fill('Call with Initech');
    await page.getByLabel('Account').fill('Initech');
    await page.getByLabel('Find a host').fill('rita');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Find' }).click()]);
    // What was typed is still there, and the host list now holds whom the words found.
    expect(await page.getByLabel('Title').inputValue()).toBe('Call with Initech');
    const host = page.getByLabel('Host', { exact: true });
    expect(await host.locator('option').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Rita Rep')]));
    await host.selectOption({ label: (await host.locator('option', { hasText: 'Rita Rep' }).textContent())! });
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.waitForURL(/\/events\/\d+$/);
    await expect.poll(() => page.locator('main').textContent()).toContain('Rita Rep');

    // The invite form: find a marketer by name, pick them, invite.
    await page.getByLabel('Find people to invite').fill('marketer');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Find' }).click()]);
    const guests = page.getByLabel(/People to invite/);
    const labels = await guests.locator('option').allTextContents();
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.every((l) => l.includes('Marketing'))).toBe(true);
    await guests.selectOption({ label: labels[0]! });
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Invited 1 person');
    expect(errors).toEqual([]);
  });
});
