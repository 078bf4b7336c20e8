import { describe, expect, it } from 'vitest';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';
import { seedOpenSuggestions } from './scenario';

const env = useBrowserApp({
  now: '2026-02-01T12:00:00Z',
  seed: (t) => {
    seedOpenSuggestions(t, 25);
    // More teams than a list shows: the team filter becomes a name to type.
    const addTeam = t.db.$client.prepare("INSERT INTO teams (name, department, created_at) VALUES (?, 'other', 0)");
    for (let i = 1; i <= 100; i++) addTeam.run(`Support ${String(i).padStart(3, '0')}`);
  },
});

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

  it('filters by a team typed by name, with htmx and without JavaScript', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'marketing.manager@example.com');
    await page.goto(`${env.server.url}/insights`);
    const heading = page.locator('#suggestions-heading');
    await page.getByLabel('Team').fill('sales w');
    await page.getByLabel('Team').press('Enter');
    await expect.poll(() => heading.textContent()).toContain('Open suggestions (0)');
    await expect.poll(() => page.url()).toMatch(/teamName=sales(\+|%20)w/);
    await page.getByLabel('Team').fill('Sales East');
    await page.getByLabel('Team').press('Enter');
    await expect.poll(() => heading.textContent()).toContain('Open suggestions (25)');
    expect(errors).toEqual([]);
    await page.close();

    const context = await env.browser.newContext({ javaScriptEnabled: false });
    const plain = await context.newPage();
    await signInInBrowser(plain, env.server.url, 'marketing.manager@example.com');
    await plain.goto(`${env.server.url}/insights`);
    await plain.getByLabel('Team').fill('Nobody');
    await Promise.all([plain.waitForURL(/teamName=Nobody/), plain.getByRole('button', { name: 'Show' }).click()]);
    expect(await plain.locator('#f-teamName-error').textContent()).toContain('No team is called “Nobody”.');
    await plain.getByLabel('Team').fill('sales w');
    await Promise.all([plain.waitForURL(/teamName=sales\+w/), plain.getByRole('button', { name: 'Show' }).click()]);
    expect(await plain.getByLabel('Team').inputValue()).toBe('Sales West');
    expect(await plain.locator('#suggestions-heading').textContent()).toContain('Open suggestions (0)');
    await context.close();
  });
});
