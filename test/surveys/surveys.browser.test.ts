import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { enrollments, people, programs, surveyRounds, teams } from '../../db/schema';
import { saveAdvantageVersion } from '../../src/surveys/advantages';
import { openRound } from '../../src/surveys/surveys';
import { submitResponse } from '../../src/surveys/answering';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';
import { RELAYBASE_ADVANTAGES } from './fixtures/labelled-answers';

const env = useBrowserApp({
  now: '2026-03-02T12:00:00Z',
  seed: (t, company) => {
    saveAdvantageVersion(
      t.db,
      t.clock,
      { personId: company.people['hr@example.com'] },
      RELAYBASE_ADVANTAGES.map((advantage) => ({
        key: String(advantage.id),
        name: advantage.name,
        statement: advantage.statement ?? '',
        synonyms: advantage.synonyms,
      })),
    );
    t.db.insert(programs).values({ name: 'Advantages refresher', kind: 'review', rrule: 'FREQ=MONTHLY;INTERVAL=3', anchorDate: '2026-01-01' }).run();
  },
});

describe('shared-mindset survey in a real browser', () => {
  it('HR opens a round, a rep answers, HR reviews the queue, reads the verdict and enrolls the weakest team', async () => {
    const hrContext = await env.browser.newContext();
    const hr = await hrContext.newPage();
    const hrErrors = watchPageErrors(hr);
    await signInInBrowser(hr, env.server.url, 'hr@example.com');

    // HR opens a round for everyone.
    await hr.goto(`${env.server.url}/surveys`);
    await hr.getByRole('link', { name: 'Open a round' }).click();
    await hr.getByLabel('Title').fill('Spring shared mindset');
    await hr.getByLabel('Who is asked').selectOption('everyone');
    await hr.getByLabel('Closing date').fill('2026-03-20');
    await hr.getByRole('button', { name: 'Open the round' }).click();
    await hr.waitForURL(/\/surveys\/\d+$/);
    await expect.poll(() => hr.getByRole('status').textContent()).toContain('is open');
    const round = env.t.db.select().from(surveyRounds).get()!;

    // A rep answers in their own words, without seeing the official list.
    const repContext = await env.browser.newContext();
    const rep = await repContext.newPage();
    const repErrors = watchPageErrors(rep);
    await signInInBrowser(rep, env.server.url, 'rep@example.com');
    await rep.goto(`${env.server.url}/surveys`);
    await rep.getByRole('link', { name: 'Spring shared mindset' }).click();
    await expect.poll(() => rep.locator('main').textContent()).not.toContain('Fastest implementation');
    await rep.getByLabel('First advantage').fill('We are the cheapest');
    await rep.getByLabel('Second advantage').fill('customer suport');
    await rep.getByLabel('Third advantage').fill('they plug into anything the customer runs');
    await rep.getByRole('button', { name: 'Send my answers' }).click();
    await rep.waitForURL(/\/surveys$/);
    await expect.poll(() => rep.getByRole('status').textContent()).toContain('your answers are saved');

    // Others answered too: Sales West mostly on price.
    const id = (email: string) => env.t.db.select().from(people).where(eq(people.email, email)).get()!;
    submitResponse(env.t.db, env.t.clock, id('rep2@example.com'), round.id, ['fast setup', 'support', 'integrations']);
    submitResponse(env.t.db, env.t.clock, id('marketer@example.com'), round.id, ['quick implementation', '24/7 support', 'open API']);
    submitResponse(env.t.db, env.t.clock, id('westrep@example.com'), round.id, ['lowest price', 'discounts', 'support']);
    submitResponse(env.t.db, env.t.clock, id('west.manager@example.com'), round.id, ['price', 'cheap', 'brand']);

    // HR assigns an unmatched answer with one click; htmx swaps the queue in place.
    await hr.goto(`${env.server.url}/surveys/${round.id}/review`);
    const item = hr.locator('.review-item').filter({ hasText: 'they plug into anything' });
    await item.getByRole('button', { name: 'Integrations' }).click();
    await expect.poll(() => hr.locator('#review-queue .flash').textContent()).toContain('1 answer assigned.');
    expect(hr.url()).toContain(`/surveys/${round.id}/review`);
    await expect.poll(() => hr.locator('.review-item').filter({ hasText: 'they plug into anything' }).count()).toBe(0);

    // The verdict and what people say instead.
    await hr.getByRole('link', { name: 'Back to results' }).click();
    // Five answers of eleven asked at 60%: the evidence does not decide, and the page says why.
    await expect.poll(() => hr.locator('.verdict-card').textContent()).toContain('not decided yet');
    const verdictCard = (await hr.locator('.verdict-card').textContent()) ?? '';
    expect(verdictCard).toContain('5 of 11 people answered (45%)');
    expect(verdictCard).toContain('95% interval 23%–88% still includes 75%');
    expect(verdictCard).not.toMatch(/(^|[^o] )shared mindset/);
    const instead = hr.locator('table.say-instead');
    await expect.poll(() => instead.locator('tbody tr').first().textContent()).toContain('price');

    // The weakest team leads the By-team table and goes into the review program: tick it, enroll.
    const teamRows = hr.locator('#team-results tbody tr');
    await expect.poll(() => teamRows.first().locator('th').textContent()).toContain('Sales West');
    // Nothing ticked: the form says so at the checkboxes.
    await hr.getByRole('button', { name: 'Enroll selected teams in review' }).click();
    await expect.poll(() => hr.locator('#f-teamIds').textContent()).toContain('Choose at least one team.');
    const westRow = teamRows.filter({ hasText: 'Sales West' });
    await westRow.getByRole('checkbox', { name: 'Enroll Sales West' }).check();
    await hr.getByLabel('Review program', { exact: true }).selectOption({ label: 'Advantages refresher' });
    await Promise.all([hr.waitForEvent('load'), hr.getByRole('button', { name: 'Enroll selected teams in review' }).click()]);
    await expect.poll(() => hr.getByRole('status').textContent()).toContain('enrolled');
    const enrolled = env.t.db
      .select()
      .from(enrollments)
      .all()
      .map((row) => row.personId)
      .sort();
    expect(enrolled).toEqual([env.company.people['west.manager@example.com'], env.company.people['westrep@example.com']].sort());

    expect(hrErrors).toEqual([]);
    expect(repErrors).toEqual([]);
  });

  it('an anonymous round shows nothing while open, then hides the team under the minimum group size', async () => {
    const hrPerson = { personId: env.company.people['hr@example.com'] };
    const teamId = env.t.db.insert(teams).values({ name: 'Inside Sales', department: 'sales' }).returning().get().id;
    const inside = Array.from(
      { length: 7 },
      (_, index) =>
        env.t.db
          .insert(people)
          .values({ email: `inside${index}@example.com`, name: `Inside Rep ${index}`, department: 'sales', teamId, hireDate: '2024-01-15' })
          .returning()
          .get().id,
    );
    const round = openRound(
      env.t.db,
      env.t.clock,
      hrPerson,
      { timeZone: 'UTC' },
      { title: 'Anonymous pulse', populationKind: 'teams', teamIds: [teamId, env.company.teams['Sales West']], closesOn: '2026-03-25', anonymous: true },
    );
    for (const personId of inside) submitResponse(env.t.db, env.t.clock, { id: personId }, round.id, ['support', 'integrations', 'fast setup']);
    const westrep = env.t.db.select().from(people).where(eq(people.email, 'westrep@example.com')).get()!;
    submitResponse(env.t.db, env.t.clock, westrep, round.id, ['zebra pricing', 'support', 'integrations']);

    const context = await env.browser.newContext();
    const hr = await context.newPage();
    const errors = watchPageErrors(hr);
    await signInInBrowser(hr, env.server.url, 'hr@example.com');
    await hr.goto(`${env.server.url}/surveys/${round.id}`);
    await expect.poll(() => hr.locator('.anonymity-rule').textContent()).toContain('results appear only once the round closes');
    expect(await hr.locator('.verdict-card').textContent()).toContain('shown when the round closes');
    expect(await hr.locator('main').textContent()).not.toContain('zebra');

    // HR closes the round (confirming), and the results appear, held to the minimum group size.
    hr.once('dialog', (dialog) => void dialog.accept());
    await Promise.all([hr.waitForEvent('load'), hr.getByRole('button', { name: 'Close now' }).click()]);
    await expect.poll(() => hr.getByRole('status').first().textContent()).toContain('The round is closed.');
    const westRow = hr.locator('#team-results tbody tr').filter({ hasText: 'Sales West' });
    await expect.poll(() => westRow.textContent()).toContain('fewer than 5 answers');
    expect(await hr.locator('#team-results tbody tr').filter({ hasText: 'Inside Sales' }).textContent()).toContain(
      'hidden, so that a group of fewer than 5 cannot be worked out',
    );
    expect(await hr.locator('.verdict-card').textContent()).toContain('8 of 9 people answered');
    expect(errors).toEqual([]);
  });

  it('pages the By-team table in place and enrolls teams ticked on a later page', async () => {
    // 36 more teams of one rep each, asked in a second round; three in four are below the threshold,
    // more than one page holds.
    const added: { teamId: number; personId: number }[] = [];
    for (let index = 1; index <= 36; index++) {
      const teamId = env.t.db
        .insert(teams)
        .values({ name: `Field ${String(index).padStart(2, '0')}`, department: 'sales' })
        .returning()
        .get().id;
      const personId = env.t.db
        .insert(people)
        .values({ email: `field${index}@example.com`, name: `Field Rep ${index}`, department: 'sales', teamId, hireDate: '2024-01-15' })
        .returning()
        .get().id;
      added.push({ teamId, personId });
    }
    const round = openRound(
      env.t.db,
      env.t.clock,
      { personId: env.company.people['hr@example.com'] },
      { timeZone: 'UTC' },
      { title: 'Wide round', populationKind: 'everyone', teamIds: [], closesOn: '2026-03-25', anonymous: false },
    );
    const answers = [
      ['price', 'brand', 'quality'],
      ['support', 'brand', 'quality'],
      ['support', 'integrations', 'quality'],
      ['support', 'integrations', 'fast setup'],
    ];
    added.forEach((member, index) => submitResponse(env.t.db, env.t.clock, { id: member.personId }, round.id, answers[index % 4]));

    const context = await env.browser.newContext();
    const hr = await context.newPage();
    const errors = watchPageErrors(hr);
    await signInInBrowser(hr, env.server.url, 'hr@example.com');
    await hr.goto(`${env.server.url}/surveys/${round.id}`);
    const pager = hr.locator('#team-results .pager');
    await expect.poll(() => pager.textContent()).toContain('Page 1 of 2');
    const firstPage = await hr.locator('#team-results tbody th').allTextContents();

    // htmx swaps the table without reloading the page and puts the page in the address.
    await hr.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await pager.getByRole('link', { name: 'Next →' }).click();
    await expect.poll(() => pager.textContent()).toContain('Page 2 of 2');
    expect(await hr.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(new URL(hr.url()).searchParams.get('teamPage')).toBe('2');
    const secondPage = await hr.locator('#team-results tbody th').allTextContents();
    expect(secondPage.some((name) => firstPage.includes(name))).toBe(false);

    // Tick a weak team on this page and enroll it: back on page 2 with the message.
    const box = hr.locator('#team-results input[name="teamIds"]').first();
    const teamId = Number(await box.getAttribute('value'));
    await box.check();
    await Promise.all([hr.waitForEvent('load'), hr.getByRole('button', { name: 'Enroll selected teams in review' }).click()]);
    await expect.poll(() => hr.getByRole('status').textContent()).toContain('1 enrolled');
    expect(new URL(hr.url()).searchParams.get('teamPage')).toBe('2');
    const member = env.t.db.select().from(people).where(eq(people.teamId, teamId)).all();
    const enrolledIds = new Set(
      env.t.db
        .select()
        .from(enrollments)
        .all()
        .map((row) => row.personId),
    );
    expect(member.every((person) => enrolledIds.has(person.id))).toBe(true);
    expect(errors).toEqual([]);
  });
});
