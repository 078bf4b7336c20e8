import { describe, expect, it } from 'vitest';
import { appointLiaison } from '../../src/liaisons/liaisons';
import { clickNavLink, signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';
import { seedRideAlongs } from './scenario';

const env = useBrowserApp({
  now: '2026-02-01T12:00:00Z',
  seed: (t, company) => {
    // The marketer claimed a seat on Acme renewal (3 March); the clock now stands at 20 March.
    seedRideAlongs(t);
    // The marketer is Sales East's liaison: its suggestions are theirs to act on.
    appointLiaison(
      t.db,
      t.clock,
      { personId: company.people['hr@example.com']! },
      { personId: company.people['marketer@example.com']!, teamId: company.teams['Sales East']! },
    );
  },
});

describe('field feedback in a real browser', () => {
  it('a marketer reports on a ride-along and the marketing manager sees it in field insights', async () => {
    const marketer = await env.browser.newPage();
    const marketerErrors = watchPageErrors(marketer);
    await signInInBrowser(marketer, env.server.url, 'marketer@example.com');
    const feedbackLink = marketer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Feedback/, includeHidden: true });
    await expect.poll(() => feedbackLink.textContent()).toContain('2');
    await clickNavLink(marketer, 'Feedback');
    await marketer.getByRole('link', { name: 'Give feedback on Acme renewal' }).click();
    await expect.poll(() => marketer.locator('h1').textContent()).toBe('Ride-along feedback');

    // A rating without the material it rates brings the form back with the message at the field.
    await marketer.getByLabel('Competitors met').fill('Globex, Initech');
    await marketer.getByLabel('Outcome').selectOption('lost');
    await marketer.getByLabel('Why it was lost').selectOption('price');
    await marketer.getByLabel('Rating of material 1').selectOption('2');
    await marketer.getByRole('button', { name: 'Send feedback' }).click();
    const material = marketer.getByLabel('Material 1', { exact: true });
    await expect.poll(() => material.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => marketer.locator('#f-material1-error').textContent()).toContain('Name the material you rate');
    await expect.poll(() => marketer.getByLabel('Competitors met').inputValue()).toBe('Globex, Initech');
    await expect.poll(() => marketer.getByLabel('Why it was lost').inputValue()).toBe('price');

    await material.fill('Pricing deck');
    await marketer.getByLabel('What marketing should change').fill('A cheaper entry tier for mid-market deals');
    await Promise.all([marketer.waitForURL(/\/feedback$/), marketer.getByRole('button', { name: 'Send feedback' }).click()]);
    await expect.poll(() => marketer.getByRole('status').textContent()).toContain('your feedback reached marketing');
    await expect.poll(() => marketer.locator('main').textContent()).not.toContain('Give feedback on Acme renewal');
    await expect.poll(() => marketer.locator('table').textContent()).toContain('Pricing deck (2/5)');
    expect(marketerErrors).toEqual([]);

    const manager = await env.browser.newPage();
    const managerErrors = watchPageErrors(manager);
    await signInInBrowser(manager, env.server.url, 'marketing.manager@example.com');
    await clickNavLink(manager, 'Field insights');
    await expect.poll(() => manager.locator('h1').textContent()).toBe('Field insights');
    const results = manager.locator('#insights-results');
    await expect.poll(() => results.locator('.insights-summary').textContent()).toMatch(/1\s*reports on\s*1\s*ride-alongs/);
    await expect.poll(() => manager.locator('section[aria-labelledby="competitors-heading"]').textContent()).toContain('Globex');
    await expect.poll(() => manager.locator('section[aria-labelledby="loss-heading"]').textContent()).toContain('Price');
    await expect.poll(() => manager.getByRole('img', { name: /Average material rating per week/ }).count()).toBe(1);
    await expect
      .poll(() => manager.locator('section[aria-labelledby="suggestions-heading"]').textContent())
      .toContain('A cheaper entry tier for mid-market deals');

    // The team filter swaps the numbers in place (htmx) and keeps the address in step.
    await manager.getByLabel('Team').selectOption({ label: 'Sales West (Sales)' });
    await manager.waitForURL(/team=/);
    await expect.poll(() => results.locator('.insights-summary').textContent()).toMatch(/0\s*reports on\s*0\s*ride-alongs/);
    await manager.getByLabel('Team').selectOption({ label: 'Sales East (Sales)' });
    await expect.poll(() => manager.locator('#insights-results .insights-summary').textContent()).toMatch(/1\s*reports on\s*1\s*ride-alongs/);

    // The suggestion is in the liaison's backlog: the manager reads it there, the liaison acts on it.
    const managerSuggestions = manager.locator('section[aria-labelledby="suggestions-heading"]');
    await expect.poll(() => managerSuggestions.getByRole('link', { name: "Mark Marketer's backlog" }).count()).toBe(1);
    expect(await managerSuggestions.getByRole('button').count()).toBe(0);
    expect(managerErrors).toEqual([]);

    await marketer.goto(`${env.server.url}/insights`);
    const suggestions = marketer.locator('section[aria-labelledby="suggestions-heading"]');
    await suggestions.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => marketer.locator('#insights-results .notice').textContent()).toContain('Suggestion accepted.');
    await expect.poll(() => suggestions.locator('.tag.accepted').textContent()).toBe('accepted');
    await suggestions.getByRole('button', { name: 'Mark done' }).click();
    await expect.poll(() => suggestions.textContent()).toContain('No open suggestions');
    await clickNavLink(marketer, 'Liaisons');
    await marketer.getByRole('link', { name: /open/ }).click();
    await expect.poll(() => marketer.locator('.backlog').textContent()).toContain('A cheaper entry tier for mid-market deals');
    await expect.poll(() => marketer.locator('.backlog .tag').first().textContent()).toBe('done');
    expect(marketerErrors).toEqual([]);
  });
});
