/*
 * My schedule on a 390 px phone (issue 13, item 7): the week and month calendars stack their days
 * one under the other, every day says its name, the page never scrolls sideways and no word of an
 * event title is split across lines.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { people } from '../../db/schema';
import type { EventDetails } from '../../src/events/event-rules';
import { createEvent } from '../../src/events/events';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const PHONE = { width: 390, height: 844 };
const LONG_TITLE = 'Quarterly pipeline review with Internationalisation counterparts';

const env = useBrowserApp({
  now: '2026-03-02T12:00:00Z',
  seed: (t) => {
    const rep = t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!;
    const call = (overrides: Partial<EventDetails>) =>
      createEvent(t.db, t.clock, { personId: rep.id }, rep, {
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
    call({ title: LONG_TITLE });
    call({ title: 'Standup with Acme', startLocal: '2026-03-05T10:00' });
    call({ title: 'Extraordinarily-long-hyphenated-account-workshop session', startLocal: '2026-03-19T14:00' });
  },
});

async function phonePage(): Promise<{ page: Page; errors: string[] }> {
  const context = await env.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await signInInBrowser(page, env.server.url, 'rep@example.com');
  return { page, errors };
}

/** Words of event titles that the browser put on more than one line. */
const brokenWords = (page: Page) =>
  page.evaluate(() => {
    const broken: string[] = [];
    for (const link of document.querySelectorAll('.schedule-entry a')) {
      const text = link.firstChild;
      if (!text || text.nodeType !== Node.TEXT_NODE) continue;
      const value = text.textContent ?? '';
      // A line may end after a space or a hyphen, never inside a word.
      for (const match of value.matchAll(/[^\s-]+/g)) {
        const range = document.createRange();
        range.setStart(text, match.index!);
        range.setEnd(text, match.index! + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
    return broken;
  });

/** The visible days of the calendar, in order, with where they sit. */
const dayBoxes = (page: Page) =>
  page.locator('table.calendar td').evaluateAll((cells) =>
    cells
      .filter((c) => c.getBoundingClientRect().height > 0)
      .map((c) => {
        const box = c.getBoundingClientRect();
        return {
          label: (c.querySelector('.phone-only') as HTMLElement | null)?.innerText ?? '',
          top: box.top,
          bottom: box.bottom,
          left: box.left,
          width: box.width,
        };
      }),
  );

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('My schedule on a phone', () => {
  it('the week calendar stacks its seven days, names them, and splits no word', async () => {
    const { page, errors } = await phonePage();
    await page.goto(`${env.server.url}/?view=week&mode=calendar&date=2026-03-02`);
    const days = await dayBoxes(page);
    expect(days).toHaveLength(7);
    for (let i = 1; i < days.length; i++) {
      expect(days[i]!.top).toBeGreaterThanOrEqual(days[i - 1]!.bottom - 1);
      expect(Math.abs(days[i]!.left - days[0]!.left)).toBeLessThan(1);
    }
    // Each day is nearly as wide as the screen, and says which day it is.
    for (const day of days) expect(day.width).toBeGreaterThan(300);
    expect(days.map((d) => d.label)).toEqual(expect.arrayContaining([expect.stringMatching(/Tuesday.*3 March|Tue.*3 Mar/)]));
    await expect.poll(() => page.locator('.schedule-entry', { hasText: LONG_TITLE }).count()).toBe(1);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await brokenWords(page)).toEqual([]);
    // The weekday row of the wide calendar is not shown above stacked days.
    expect(await page.locator('table.calendar thead').isVisible()).toBe(false);
    expect(errors).toEqual([]);
  });

  it('the month calendar stacks the days of the month only, without sideways scrolling', async () => {
    const { page, errors } = await phonePage();
    await page.goto(`${env.server.url}/?view=month&mode=calendar&date=2026-03-02`);
    const days = await dayBoxes(page);
    expect(days).toHaveLength(31);
    for (let i = 1; i < days.length; i++) expect(days[i]!.top).toBeGreaterThanOrEqual(days[i - 1]!.bottom - 1);
    expect(days[0]!.label).toMatch(/1 March/);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(await brokenWords(page)).toEqual([]);
    expect(await page.locator('.schedule-entry', { hasText: 'Extraordinarily-long-hyphenated-account-workshop' }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('the agenda and the week calendar keep seven columns on a desktop screen', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInInBrowser(page, env.server.url, 'rep@example.com');
    await page.goto(`${env.server.url}/?view=week&mode=calendar&date=2026-03-02`);
    const days = await dayBoxes(page);
    expect(new Set(days.map((d) => Math.round(d.top))).size).toBe(1);
    expect(await page.locator('table.calendar thead').isVisible()).toBe(true);
    expect(await brokenWords(page)).toEqual([]);
  });
});
