import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import type { EventDetails } from '../../src/events/event-rules';
import { createEvent } from '../../src/events/events';
import { invitePeople } from '../../src/events/invitations';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const env = useBrowserApp({ now: '2026-03-02T12:00:00Z' });

function call(overrides: Partial<EventDetails>) {
  const rep = env.t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!;
  return createEvent(env.t.db, env.t.clock, { personId: rep.id }, rep, {
    kind: 'sales_call',
    title: 'Call',
    description: '',
    hostId: rep.id,
    startLocal: '2026-03-09T09:00',
    timeZone: 'America/New_York',
    durationMinutes: 60,
    seats: 1,
    rrule: null,
    account: 'Acme Corp',
    opportunityStage: 'discovery',
    location: null,
    meetingUrl: null,
    topic: null,
    ...overrides,
  });
}

describe('booking like a booking tool, in a real browser', () => {
  it('shows a conflict before claiming, asks in place, claims after confirming and undoes', async () => {
    call({ title: 'Late Acme call', startLocal: '2026-03-10T12:00' }); // 17:00 in Berlin, after Mark's working day
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'marketer@example.com');
    await page.goto(`${env.server.url}/open-seats?from=2026-03-01&to=2026-03-20`);
    const row = () => page.locator('tr', { hasText: 'Late Acme call' });
    // Named before the click.
    await expect.poll(() => row().textContent()).toContain('is outside your working hours (09:00–17:00)');
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

    await row()
      .getByRole('button', { name: /Claim a seat on Late Acme call/ })
      .click();
    await expect.poll(() => row().textContent()).toContain('This conflicts with your calendar. Claim anyway?');
    await row()
      .getByRole('button', { name: /Claim anyway/ })
      .click();
    await expect.poll(() => row().textContent()).toContain('Claimed — you are on the guest list');
    // Focus moved to the result.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Claimed — you are on the guest list');

    await row().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => row().textContent()).toContain('Undone: your claim was taken back from "Late Acme call".');
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('claims a whole series in one step with the outcome of each occurrence', async () => {
    call({ title: 'Weekly pipeline', rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3' });
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'marketer2@example.com');
    await page.goto(`${env.server.url}/open-seats?from=2026-03-01&to=2026-03-31`);
    const first = page.locator('tr', { hasText: 'Weekly pipeline' }).first();
    await first.getByRole('button', { name: 'Claim all upcoming: Weekly pipeline' }).click();
    const result = page.locator('.series-claim');
    await expect.poll(() => result.textContent()).toContain('"Weekly pipeline": 3 claimed.');
    expect(await result.locator('li').allTextContents()).toEqual([
      'Mon 9 Mar 2026, 13:00–14:00 claimed',
      'Mon 16 Mar 2026, 13:00–14:00 claimed',
      'Mon 23 Mar 2026, 13:00–14:00 claimed',
    ]);
    await result.getByRole('button', { name: 'Undo these claims' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Undone: 3 claims were taken back from "Weekly pipeline".');
    expect(errors).toEqual([]);
  });

  it('updates the navigation count in place after answering', async () => {
    const event = call({ title: 'Globex call', startLocal: '2026-03-11T09:00' });
    const rep = env.t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!;
    invitePeople(env.t.db, env.t.clock, { personId: rep.id }, rep, event.id, [env.company.people['demand@example.com']!], null);
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'demand@example.com');
    await page.goto(`${env.server.url}/invitations`);
    const badge = page.locator('#nav-badge-invitations');
    await expect.poll(() => badge.textContent()).toBe('1');
    await page.locator('article.invitation', { hasText: 'Globex call' }).getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => page.locator('article.invitation').textContent()).toContain('You are on the guest list.');
    await expect.poll(() => badge.isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });
});
