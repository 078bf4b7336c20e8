import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/audit';
import { submitFeedback } from '../../src/feedback/feedback';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';
import { personByEmail, seedRideAlongs } from './scenario';

const env = useBrowserApp({
  now: '2026-02-01T12:00:00Z',
  seed: (t) => {
    const rides = seedRideAlongs(t);
    // Two spellings of one competitor already reported.
    submitFeedback(t.db, t.clock, systemActor, personByEmail(t, 'marketer2@example.com'), {
      occurrenceId: rides.occurrence.b,
      competitors: ['Hooli CRM'],
      outcome: 'open',
      lossReason: null,
      lossDetail: '',
      materials: [],
      suggestion: '',
    });
    submitFeedback(t.db, t.clock, systemActor, personByEmail(t, 'demand@example.com'), {
      occurrenceId: rides.occurrence.b,
      competitors: ['hooli'],
      outcome: 'open',
      lossReason: null,
      lossDetail: '',
      materials: [],
      suggestion: '',
    });
  },
});

describe('kept competitor names in a real browser', () => {
  it('the marketing manager merges a likely duplicate, and the form suggests the kept name as the marketer types', async () => {
    const manager = await env.browser.newPage();
    const managerErrors = watchPageErrors(manager);
    await signInInBrowser(manager, env.server.url, 'marketing.manager@example.com');
    await manager.goto(`${env.server.url}/insights`);
    await manager.getByRole('link', { name: 'Competitor and material names' }).click();
    await expect.poll(() => manager.locator('section[aria-labelledby="likely-heading"]').textContent()).toContain('Hooli CRM');
    await Promise.all([
      manager.waitForEvent('load'),
      manager
        .getByRole('button', { name: /^Merge “.+” into “.+”$/ })
        .first()
        .click(),
    ]);
    await expect.poll(() => manager.getByRole('status').first().textContent()).toMatch(/now counts as/);
    await manager.goto(`${env.server.url}/insights?from=2026-01-01&to=2026-12-31`);
    const bars = manager.locator('section[aria-labelledby="competitors-heading"] tbody tr');
    await expect.poll(() => bars.count()).toBe(1);
    expect(managerErrors).toEqual([]);

    const marketer = await env.browser.newPage();
    const errors = watchPageErrors(marketer);
    await signInInBrowser(marketer, env.server.url, 'marketer@example.com');
    await marketer.goto(`${env.server.url}/feedback`);
    await marketer.getByRole('link', { name: 'Give feedback on Acme renewal' }).click();
    await marketer.getByLabel('Competitors met').pressSequentially('Globex, hool', { delay: 20 });
    const suggestion = marketer.locator('#suggest-competitors button').first();
    await expect.poll(() => suggestion.textContent()).toMatch(/hooli|Hooli CRM/);
    const picked = (await suggestion.textContent())!.trim();
    await suggestion.click();
    await expect.poll(() => marketer.getByLabel('Competitors met').inputValue()).toBe(`Globex, ${picked}`);
    expect(errors).toEqual([]);
  });
});
