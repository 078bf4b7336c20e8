import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { enrollments, people, programs, surveyRounds } from '../../db/schema';
import { saveAdvantageVersion } from '../../src/surveys/advantages';
import { submitResponse } from '../../src/surveys/surveys';
import { createTestApp, seedCompany, type SeededCompany, type TestContext } from '../support/app';
import { launchBrowser, signInInBrowser, startTestServer, watchPageErrors } from '../support/browser';
import { RELAYBASE_ADVANTAGES } from './fixtures/labelled-answers';

let t: TestContext;
let company: SeededCompany;
let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;

beforeAll(async () => {
  t = createTestApp({ now: '2026-03-02T12:00:00Z' });
  company = await seedCompany(t.db);
  saveAdvantageVersion(
    t.db,
    t.clock,
    { personId: company.people['hr@example.com'] },
    RELAYBASE_ADVANTAGES.map((advantage) => ({ key: String(advantage.id), name: advantage.name, statement: advantage.statement ?? '', synonyms: advantage.synonyms })),
  );
  t.db.insert(programs).values({ name: 'Advantages refresher', kind: 'review', rrule: 'FREQ=MONTHLY;INTERVAL=3', anchorDate: '2026-01-01' }).run();
  server = await startTestServer(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  t?.close();
});

describe('shared-mindset survey in a real browser', () => {
  it('HR opens a round, a rep answers, HR reviews the queue, reads the verdict and enrolls the weakest team', async () => {
    const hrContext = await browser.newContext();
    const hr = await hrContext.newPage();
    const hrErrors = watchPageErrors(hr);
    await signInInBrowser(hr, server.url, 'hr@example.com');

    // HR opens a round for everyone.
    await hr.goto(`${server.url}/surveys`);
    await hr.getByRole('link', { name: 'Open a round' }).click();
    await hr.getByLabel('Title').fill('Spring shared mindset');
    await hr.getByLabel('Who is asked').selectOption('everyone');
    await hr.getByLabel('Closing date').fill('2026-03-20');
    await hr.getByRole('button', { name: 'Open the round' }).click();
    await hr.waitForURL(/\/surveys\/\d+\?flash=/);
    await expect.poll(() => hr.getByRole('status').textContent()).toContain('is open');
    const round = t.db.select().from(surveyRounds).get()!;

    // A rep answers in their own words, without seeing the official list.
    const repContext = await browser.newContext();
    const rep = await repContext.newPage();
    const repErrors = watchPageErrors(rep);
    await signInInBrowser(rep, server.url, 'rep@example.com');
    await rep.goto(`${server.url}/surveys`);
    await rep.getByRole('link', { name: 'Spring shared mindset' }).click();
    await expect.poll(() => rep.locator('main').textContent()).not.toContain('Fastest implementation');
    await rep.getByLabel('First advantage').fill('We are the cheapest');
    await rep.getByLabel('Second advantage').fill('customer suport');
    await rep.getByLabel('Third advantage').fill('they plug into anything the customer runs');
    await rep.getByRole('button', { name: 'Send my answers' }).click();
    await rep.waitForURL(/\/surveys\?flash=/);
    await expect.poll(() => rep.getByRole('status').textContent()).toContain('your answers are saved');

    // Others answered too: Sales West mostly on price.
    const id = (email: string) => t.db.select().from(people).where(eq(people.email, email)).get()!;
    submitResponse(t.db, t.clock, id('rep2@example.com'), round.id, ['fast setup', 'support', 'integrations']);
    submitResponse(t.db, t.clock, id('marketer@example.com'), round.id, ['quick implementation', '24/7 support', 'open API']);
    submitResponse(t.db, t.clock, id('westrep@example.com'), round.id, ['lowest price', 'discounts', 'support']);
    submitResponse(t.db, t.clock, id('west.manager@example.com'), round.id, ['price', 'cheap', 'brand']);

    // HR assigns an unmatched answer with one click; htmx swaps the queue in place.
    await hr.goto(`${server.url}/surveys/${round.id}/review`);
    const item = hr.locator('.review-item').filter({ hasText: 'they plug into anything' });
    await item.getByRole('button', { name: 'Integrations' }).click();
    await expect.poll(() => hr.locator('#review-queue .flash').textContent()).toContain('1 answer assigned.');
    expect(hr.url()).toContain(`/surveys/${round.id}/review`);
    await expect.poll(() => hr.locator('.review-item').filter({ hasText: 'they plug into anything' }).count()).toBe(0);

    // The verdict and what people say instead.
    await hr.getByRole('link', { name: 'Back to results' }).click();
    await expect.poll(() => hr.locator('.verdict-card').textContent()).toContain('no shared mindset');
    const instead = hr.locator('table.say-instead');
    await expect.poll(() => instead.locator('tbody tr').first().textContent()).toContain('price');

    // The weakest team goes into the review program.
    const westRow = hr.locator('section[aria-labelledby="teams-heading"] tr').filter({ hasText: 'Sales West' });
    await westRow.getByRole('button', { name: 'Enroll team in review' }).click();
    await hr.waitForURL(/flash=/);
    await expect.poll(() => hr.getByRole('status').textContent()).toContain('enrolled');
    const enrolled = t.db.select().from(enrollments).all().map((row) => row.personId).sort();
    expect(enrolled).toEqual([company.people['west.manager@example.com'], company.people['westrep@example.com']].sort());

    expect(hrErrors).toEqual([]);
    expect(repErrors).toEqual([]);
  });
});
