import { describe, expect, it } from 'vitest';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';
import { seedOpenSuggestions } from './scenario';

const env = useBrowserApp({ now: '2026-02-01T12:00:00Z', seed: (t) => seedOpenSuggestions(t, 25) });

const ideas = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Idea ${String(from + i).padStart(2, '0')}`);

describe('open suggestions on field insights, a page at a time', () => {
  it('pages in place with htmx, the address following', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'marketing.manager@example.com');
    await page.goto(`${env.server.url}/insights`);
    const shown = () => page.locator('.suggestion-text').evaluateAll((ps) => ps.map((p) => p.firstChild?.textContent?.trim()));
    await expect.poll(() => page.locator('#suggestions-heading').textContent()).toContain('Open suggestions (25)');
    await expect.poll(shown).toEqual(ideas(1, 20));
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next →' }).click();
    await expect.poll(shown).toEqual(ideas(21, 25));
    await expect.poll(() => page.url()).toContain('page=2');
    await expect.poll(() => page.getByRole('navigation', { name: 'Pages' }).textContent()).toContain('Page 2 of 2');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: '← Previous' }).click();
    await expect.poll(shown).toEqual(ideas(1, 20));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pages without JavaScript', async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInInBrowser(page, env.server.url, 'marketing.manager@example.com');
    await page.goto(`${env.server.url}/insights`);
    await Promise.all([page.waitForURL(/page=2/), page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next →' }).click()]);
    const shown = await page.locator('.suggestion-text').evaluateAll((ps) => ps.map((p) => p.firstChild?.textContent?.trim()));
    expect(shown).toEqual(ideas(21, 25));
    expect(await page.locator('#suggestions-heading').textContent()).toContain('Open suggestions (25)');
    await context.close();
  });
});
