/*
 * Leaving a seat from a row of My schedule answers in place (issue 13): with htmx the row becomes
 * the result and the page stays; a whole series still asks first. A cancelled event stays listed.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import type { EventDetails } from '../../src/events/event-rules';
import { cancelEvent, createEvent } from '../../src/events/events';
import { answerInvitation } from '../../src/events/answers';
import { invitePeople } from '../../src/events/invitations';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const env = useBrowserApp({
  now: '2026-03-02T12:00:00Z',
  seed: (t) => {
    const rep = t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!;
    const marketer = t.db.select().from(people).where(eq(people.email, 'marketer@example.com')).get()!;
    const call = (overrides: Partial<EventDetails>) => {
      const event = createEvent(t.db, t.clock, { personId: rep.id }, rep, {
        kind: 'sales_call',
        title: 'Call',
        description: '',
        hostId: rep.id,
        startLocal: '2026-03-03T09:00',
        timeZone: 'America/New_York',
        durationMinutes: 60,
        seats: 2,
        rrule: null,
        account: 'Acme Corp',
        opportunityStage: 'discovery',
        location: null,
        meetingUrl: null,
        topic: null,
        ...overrides,
      });
      const { invited } = invitePeople(t.db, t.clock, { personId: rep.id }, rep, event.id, [marketer.id], null);
      answerInvitation(t.db, t.clock, { personId: marketer.id }, marketer, invited[0]!.id, 'accepted', null, { confirmConflicts: true });
      return event;
    };
    call({ title: 'Acme discovery call' });
    call({ title: 'Globex follow-up', startLocal: '2026-03-04T10:00' });
    const called = call({ title: 'Initech demo', startLocal: '2026-03-05T11:00' });
    cancelEvent(t.db, t.clock, { personId: rep.id }, rep, called.id);
  },
});

describe('leaving from My schedule', () => {
  it('swaps the row for the result without reloading the page, and shows a cancelled event marked', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'marketer@example.com');
    await page.goto(`${env.server.url}/?view=week&date=2026-03-02`);
    const cancelled = page.locator('.schedule-entry', { hasText: 'Initech demo' });
    await expect.poll(() => cancelled.textContent()).toContain('cancelled');
    expect(await cancelled.getByRole('button').count()).toBe(0);

    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    await page.getByRole('button', { name: /Leave Acme discovery call/ }).click();
    await expect.poll(() => page.locator('.schedule-entries').first().textContent()).toContain('You left "Acme discovery call".');
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    // The result has focus; the other rows are untouched.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('You left "Acme discovery call".');
    expect(await page.getByRole('button', { name: /Leave Globex follow-up/ }).count()).toBe(1);

    // After a reload the seat is gone for good.
    await page.reload();
    expect(await page.locator('.schedule-entry', { hasText: 'Acme discovery call' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('without JavaScript the same button reloads the page with the message', async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInInBrowser(page, env.server.url, 'marketer@example.com');
    await page.goto(`${env.server.url}/?view=week&date=2026-03-02`);
    await page.getByRole('button', { name: /Leave Globex follow-up/ }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('You left "Globex follow-up".');
    expect(await page.locator('.schedule-entry', { hasText: 'Globex follow-up' }).count()).toBe(0);
    await context.close();
  });
});
