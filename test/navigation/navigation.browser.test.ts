import { describe, expect, it } from 'vitest';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const env = useBrowserApp();

describe('grouped navigation in a browser', () => {
  it('opens, walks and closes the menus with the keyboard alone', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'hr@example.com');
    const nav = page.locator('nav[aria-label="Main"]');
    const schedule = nav.locator('summary', { hasText: 'Schedule' });
    const people = nav.locator('summary', { hasText: 'People' });

    page.setDefaultTimeout(5000);
    await schedule.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => nav.getByRole('link', { name: 'Open seats' }).isVisible()).toBe(true);
    // Escape closes the menu and leaves focus on its button.
    await page.keyboard.press('Escape');
    await expect.poll(() => nav.getByRole('link', { name: 'Open seats' }).isVisible()).toBe(false);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toContain('Schedule');

    // Tab on to the next menu, open it with Space, and follow its first link.
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toContain('People');
    await page.keyboard.press('Space');
    await expect.poll(() => nav.locator('details.nav-menu[open]').count()).toBe(1);
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('People');
    await Promise.all([page.waitForURL(/\/people$/), page.keyboard.press('Enter')]);
    await expect.poll(() => nav.locator('a[href="/people"]').getAttribute('aria-current')).toBe('page');
    await expect.poll(() => people.evaluate((el) => el.parentElement?.classList.contains('current'))).toBe(true);

    // Opening one menu closes the other.
    await schedule.click();
    await nav.locator('summary', { hasText: 'Administration' }).click();
    await expect.poll(() => nav.locator('details.nav-menu[open]').count()).toBe(1);
    await expect.poll(() => nav.getByRole('link', { name: 'Audit log' }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('works without JavaScript', async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInInBrowser(page, env.server.url, 'sales.manager@example.com');
    const nav = page.locator('nav[aria-label="Main"]');
    await nav.locator('summary', { hasText: 'Alignment' }).click();
    await Promise.all([page.waitForURL(/\/scorecard$/), nav.getByRole('link', { name: 'Scorecard' }).click()]);
    await expect.poll(() => page.locator('h1').textContent()).toContain('corecard');
    // A manager has no administration menu.
    expect(await nav.locator('summary', { hasText: 'Administration' }).count()).toBe(0);
    await context.close();
  });

  it('folds into one Menu button on a phone', async () => {
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signInInBrowser(page, env.server.url, 'rep@example.com');
    const nav = page.locator('nav[aria-label="Main"]');
    expect(await nav.isVisible()).toBe(false);
    await page.getByText('Menu', { exact: true }).click();
    await expect.poll(() => nav.isVisible()).toBe(true);
    await nav.locator('summary', { hasText: 'Schedule' }).click();
    await expect.poll(() => nav.getByRole('link', { name: 'Invitations' }).isVisible()).toBe(true);
    await context.close();
  });
});
