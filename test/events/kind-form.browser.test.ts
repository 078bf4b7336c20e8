/* The event form in Chromium: choosing another kind swaps in that kind's fields (htmx), and the event is created with them. */
import { describe, expect, it } from 'vitest';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const env = useBrowserApp({ now: '2026-03-02T12:00:00Z' });

describe('the event form per kind', () => {
  it('swaps the fieldset when the kind changes and creates the event with the fields of its kind', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'marketer@example.com');
    await page.goto(`${env.server.url}/events/new?kind=sales_call`);
    expect(await page.getByLabel('Account').isVisible()).toBe(true);
    expect(await page.getByLabel('Topic').count()).toBe(0);
    // With JavaScript the no-JS button is not shown.
    expect(await page.getByRole('button', { name: 'Show the fields of this kind' }).isVisible()).toBe(false);
    await page.getByLabel('Location').fill('Room 4');

    await page.getByLabel('Kind', { exact: true }).selectOption('marketing_meeting');
    await expect.poll(() => page.locator('#kind-fields legend').textContent()).toBe('Marketing meeting');
    expect(await page.getByLabel('Account').count()).toBe(0);
    expect(await page.getByLabel('Location').inputValue()).toBe('Room 4');

    await page.getByLabel('Title').fill('Launch briefing');
    await page.getByLabel('Topic').fill('Spring launch');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.waitForURL(/\/events\/\d+$/);
    await expect.poll(() => page.locator('main').textContent()).toContain('Spring launch');
    expect(errors).toEqual([]);
  });
});
