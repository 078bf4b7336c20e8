import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { outbox } from '../../db/schema';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const env = useBrowserApp();

describe('password links in a real browser', () => {
  it('HR adds a person, the welcome mail waits in the outbox, its link sets the password and signs them in', async () => {
    const hrPage = await env.browser.newPage();
    await signInInBrowser(hrPage, env.server.url, 'hr@example.com');
    await hrPage.goto(`${env.server.url}/people/new`);
    await hrPage.getByLabel('Name', { exact: true }).fill('Wendy Welcome');
    await hrPage.getByLabel('Email', { exact: true }).fill('wendy@example.com');
    await hrPage.getByLabel('Department').selectOption('marketing');
    await hrPage.getByLabel('Time zone').fill('Europe/Madrid');
    expect(await hrPage.getByLabel('Send a welcome mail with a link to choose a password').isChecked()).toBe(true);
    await hrPage.getByRole('button', { name: 'Add person' }).click();
    await hrPage.waitForURL(/\/people\/\d+$/);
    await expect.poll(() => hrPage.getByRole('status').first().textContent()).toContain('was added');
    await expect.poll(() => hrPage.locator('#sign-in-heading').locator('..').textContent()).toContain('has no password yet');

    const mail = env.t.db.select().from(outbox).where(eq(outbox.toEmail, 'wendy@example.com')).get()!;
    const link = /https?:\/\/\S+\/password\/set\?token=\S+/.exec(mail.body)![0];

    const context = await env.browser.newContext();
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(link);
    // The token leaves the address bar after the first load.
    await page.waitForURL((u) => u.pathname === '/password/set' && !u.search.includes('token'));
    await expect.poll(() => page.locator('h1').textContent()).toContain('Welcome to crosstrain');
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Repeat new password').fill('short');
    await page.getByRole('button', { name: 'Set my password and sign in' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Use at least 12 characters');
    await page.getByLabel('New password', { exact: true }).fill('wendy chooses a long password');
    await page.getByLabel('Repeat new password').fill('wendy chooses a long password');
    await page.getByRole('button', { name: 'Set my password and sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => page.locator('body').textContent()).toContain('Your password is set and you are signed in.');
    await expect.poll(() => page.locator('header').textContent()).toContain('Wendy Welcome');

    // The link works once.
    const again = await context.newPage();
    await again.goto(link);
    await expect.poll(() => again.locator('.error-summary').textContent()).toContain('already used');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('"Forgot your password?" answers without telling whether the address exists', async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${env.server.url}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('If nobody@example.com belongs to a crosstrain account');
    await context.close();
  });
});
