import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema';
import { invitePeople } from '../../src/events/invitations';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const env = useBrowserApp({ now: '2026-03-02T12:00:00Z' });

describe('ride-alongs in a real browser', () => {
  it('a rep plans a sales call, a marketer claims an open seat in place, the rep sees them coming', async () => {
    const repPage = await env.browser.newPage();
    const repErrors = watchPageErrors(repPage);
    await signInInBrowser(repPage, env.server.url, 'rep@example.com');
    await repPage.goto(`${env.server.url}/events/new`);
    await repPage.getByLabel('Title').fill('Acme renewal call');
    await repPage.getByLabel('Date').fill('2026-03-10');
    await repPage.getByLabel('Start time').fill('10:00');
    await repPage.getByLabel('End time').fill('11:00');
    await repPage.getByLabel('Guest seats').fill('2');
    await repPage.getByLabel('Account').fill('Acme Corp');
    await Promise.all([repPage.waitForURL(/\/events\/\d+$/), repPage.getByRole('button', { name: 'Create event' }).click()]);
    await expect.poll(() => repPage.locator('h1').textContent()).toBe('Acme renewal call');
    expect(await repPage.getByRole('status').first().textContent()).toContain('Acme renewal call was created.');

    const marketerPage = await env.browser.newPage();
    const marketerErrors = watchPageErrors(marketerPage);
    await signInInBrowser(marketerPage, env.server.url, 'marketer@example.com');
    await marketerPage.goto(`${env.server.url}/open-seats`);
    const row = marketerPage.locator('tr', { hasText: 'Acme renewal call' });
    await expect.poll(() => row.count()).toBe(1);
    // Mark the document: a full reload would lose this.
    await marketerPage.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    await row.getByRole('button', { name: /Claim a seat on Acme renewal call/ }).click();
    await expect.poll(() => marketerPage.locator('tr', { hasText: 'Acme renewal call' }).textContent()).toContain('Claimed — you are on the guest list');
    expect(await marketerPage.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

    // 10:00 in New York is 15:00 in Berlin: on the marketer's schedule in their own time.
    await marketerPage.goto(`${env.server.url}/?date=2026-03-10`);
    await expect.poll(() => marketerPage.locator('.schedule-agenda').textContent()).toContain('15:00–16:00');

    await repPage.goto(`${env.server.url}/?date=2026-03-10`);
    await expect.poll(() => repPage.locator('.hosted').textContent()).toContain('1 of 2 seats taken: Mark Marketer');
    expect(repErrors).toEqual([]);
    expect(marketerErrors).toEqual([]);
  });

  it('an invitee accepts in place and the navigation badge counts pending invitations', async () => {
    const rep = env.t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!;
    const { createEvent } = await import('../../src/events/events');
    const event = createEvent(env.t.db, env.t.clock, { personId: rep.id }, rep, {
      kind: 'sales_call',
      title: 'Globex discovery',
      description: '',
      hostId: rep.id,
      startLocal: '2026-03-11T09:00',
      timeZone: 'America/New_York',
      durationMinutes: 45,
      seats: 1,
      rrule: 'FREQ=WEEKLY;BYDAY=WE;COUNT=4',
      account: 'Globex',
      opportunityStage: 'discovery',
      location: null,
      meetingUrl: null,
      topic: null,
    });
    invitePeople(env.t.db, env.t.clock, { personId: rep.id }, rep, event.id, [env.company.people['marketer2@example.com']!], null);

    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'marketer2@example.com');
    await expect
      .poll(() =>
        page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: /Invitations/, includeHidden: true })
          .textContent(),
      )
      .toContain('1');
    const card = page.locator('article.invitation', { hasText: 'Globex discovery' });
    await expect.poll(() => card.textContent()).toContain('whole series: Every week on Wednesday, 4 times');
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    await card.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => page.locator('article.invitation', { hasText: 'Globex discovery' }).textContent()).toContain('You are on the guest list.');
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await page.reload();
    await expect
      .poll(() =>
        page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: /Invitations/, includeHidden: true })
          .textContent(),
      )
      .toBe('Invitations');
    expect(errors).toEqual([]);
  });

  it('new times for a series that has begun: the edit page says the past keeps its times, and saving starts a new series from the next occurrence', async () => {
    const rep = env.t.db.select().from(people).where(eq(people.email, 'rep@example.com')).get()!;
    const { createEvent } = await import('../../src/events/events');
    // Mondays 09:00 New York from 16 February: two took place; the next is today (2 March) at 14:00Z.
    const series = createEvent(env.t.db, env.t.clock, { personId: rep.id }, rep, {
      kind: 'sales_call',
      title: 'Initech pipeline',
      description: '',
      hostId: rep.id,
      startLocal: '2026-02-16T09:00',
      timeZone: 'America/New_York',
      durationMinutes: 60,
      seats: 1,
      rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=6',
      account: 'Initech',
      opportunityStage: 'discovery',
      location: null,
      meetingUrl: null,
      topic: null,
    });
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'rep@example.com');
    await page.goto(`${env.server.url}/events/${series.id}/edit`);
    const note = page.locator('p.notice');
    await expect.poll(() => note.textContent()).toContain('occurrences that have already started keep their times');
    expect(await note.textContent()).toContain('from Mon 2 Mar 2026, 09:00–10:00 on');
    await page.getByLabel('Start time').fill('10:00');
    await page.getByLabel('End time').fill('11:00');
    await Promise.all([page.waitForURL(new RegExp(`/events/(?!${series.id}$)\\d+$`)), page.getByRole('button', { name: 'Save changes' }).click()]);
    expect(await page.getByRole('status').first().textContent()).toContain(
      'They apply from Mon 2 Mar 2026, 10:00–11:00 on; the occurrences that had started keep their times.',
    );
    await page.getByRole('link', { name: 'Initech pipeline' }).click();
    await page.waitForURL(new RegExp(`/events/${series.id}$`));
    await expect
      .poll(() => page.locator('.split-parts').textContent())
      .toContain('From Mon 2 Mar 2026, 10:00–11:00 on, this series goes on as Initech pipeline.');
    // The schedule shows 23 February as it took place and 2 March at the new time.
    await page.goto(`${env.server.url}/?view=week&date=2026-02-23`);
    await expect.poll(() => page.locator('.schedule-agenda').textContent()).toContain('09:00–10:00');
    await page.goto(`${env.server.url}/?view=week&date=2026-03-02`);
    await expect.poll(() => page.locator('.schedule-agenda').textContent()).toContain('10:00–11:00');
    expect(errors).toEqual([]);
  });
});
