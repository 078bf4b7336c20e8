import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import { refreshDueBusyCalendars } from '../../src/busy/busy';
import { createEvent } from '../../src/events/events';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';
import { startCalendarServer, type CalendarServer } from './fixture-server';

const env = useBrowserApp({ now: '2026-03-01T12:00:00Z', settings: { allowPrivateCalendarHosts: true } });
let calendars: CalendarServer;
beforeAll(async () => {
  calendars = await startCalendarServer();
});
afterAll(() => calendars.close());

describe('your own calendar’s busy times, in a real browser', () => {
  it('a marketer adds their Google calendar and sees its busy time as a conflict on an open seat', async () => {
    const rep = env.t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!;
    createEvent(env.t.db, env.t.clock, { personId: rep.id }, rep, {
      kind: 'sales_call',
      title: 'Acme renewal',
      description: '',
      hostId: rep.id,
      startLocal: '2026-03-02T10:30',
      timeZone: 'Europe/Berlin',
      durationMinutes: 60,
      seats: 2,
      rrule: null,
      account: 'Acme Corp',
      opportunityStage: 'discovery',
      location: null,
      meetingUrl: null,
      topic: null,
    });
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'marketer@example.com');
    await page.goto(`${env.server.url}/account/calendar`);

    // A mistake first: the field says what is wrong, nothing is added.
    await page.getByLabel('Name', { exact: true }).fill('Work Google');
    await page.getByLabel('Private address').fill('calendar.google.com/basic.ics');
    await page.getByRole('button', { name: 'Add calendar' }).click();
    await expect.poll(() => page.locator('.field-error').first().textContent()).toContain('Paste a whole address');

    await page.getByLabel('Private address').fill(calendars.url('/google.ics'));
    await page.getByRole('button', { name: 'Add calendar' }).click();
    await expect.poll(() => page.locator('#busy-calendars').textContent()).toContain('Waiting to be read');
    expect(await page.locator('#busy-calendars').textContent()).not.toContain('/google.ics');

    // The background job's round (it runs in the one job process of a real server).
    expect(await refreshDueBusyCalendars(env.t.db, env.t.clock, { allowPrivateHosts: true })).toBe(1);
    await page.reload();
    await expect.poll(() => page.locator('#busy-calendars').textContent()).toMatch(/\d+ busy times ahead/);

    await page.goto(`${env.server.url}/open-seats?from=2026-03-01&to=2026-03-20`);
    const row = page.locator('tr', { hasText: 'Acme renewal' });
    await expect.poll(() => row.textContent()).toContain('You are busy in your own calendar (Work Google) at Mon 2 Mar 10:00–11:00 (Europe/Berlin).');
    expect(await page.locator('main').textContent()).not.toContain('Secret one-on-one');

    // Claiming asks first, like any conflict.
    await row.getByRole('button', { name: /Claim a seat on Acme renewal/ }).click();
    await expect.poll(() => row.textContent()).toContain('Claim anyway?');

    // Removing the calendar removes the warning.
    await page.goto(`${env.server.url}/account/calendar`);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Remove Work Google' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Work Google removed');
    await page.goto(`${env.server.url}/open-seats?from=2026-03-01&to=2026-03-20`);
    expect(await page.locator('tr', { hasText: 'Acme renewal' }).textContent()).not.toContain('busy in your own calendar');
    expect(errors).toEqual([]);
  });
});
