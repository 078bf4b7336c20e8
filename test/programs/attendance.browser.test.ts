// Attendance after the fact in a real browser: a past session found in the list, everyone marked
// present, one mistake corrected, a walk-in added; what the manager then sees.
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/audit';
import { invitePeople } from '../../src/events/invitations';
import { createTopic } from '../../src/programs/programs';
import { scheduleTrainingSession } from '../../src/programs/sessions';
import { people } from '../../db/schema';
import { eq } from 'drizzle-orm';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';
import { trainingSessionInput } from '../support/programs';

const env = useBrowserApp({
  now: '2026-02-20T09:00:00Z',
  seed: (t, company) => {
    const hr = t.db.select().from(people).where(eq(people.email, 'hr@example.com')).get()!;
    const topic = createTopic(t.db, t.clock, systemActor, { name: 'Competitive advantages 101', description: '' });
    const event = scheduleTrainingSession(
      t.db,
      t.clock,
      systemActor,
      hr,
      trainingSessionInput({ topicId: topic.id, title: 'CA 101 February', hostId: hr.id, startLocal: '2026-02-24T10:00', location: 'Room Atlas' }),
    );
    invitePeople(t.db, t.clock, systemActor, hr, event.id, [company.people['rep@example.com']!, company.people['rep2@example.com']!], null);
    // Ten days later the session is well over and nobody took attendance.
    t.clock.set('2026-03-06T09:00:00Z');
  },
});

describe('attendance after the fact', () => {
  it('HR finds a past session, marks everyone present, corrects one and adds a walk-in', async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'hr@example.com');

    await page.goto(`${env.server.url}/programs/sessions`);
    await expect.poll(() => page.locator('#sessions-list').textContent()).toContain('No sessions scheduled in this period.');
    await page.getByLabel('Period').selectOption('past');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('#sessions-list').textContent()).toContain('CA 101 February');
    await expect.poll(() => page.locator('#sessions-list').textContent()).toContain('not recorded yet');
    await page.getByRole('link', { name: 'record attendance' }).click();
    await page.waitForURL(/\/programs\/attendance\//);

    await page.getByRole('button', { name: 'Mark everyone present' }).click();
    await expect.poll(() => page.locator('#attendance-sheet').textContent()).toContain('Everyone with a place is marked present (2).');
    expect(await page.getByLabel('Ravi Rep attended').isChecked()).toBe(true);

    // Ravi did not come after all.
    await page.getByLabel('Ravi Rep did not come').check();
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await expect.poll(() => page.locator('#attendance-sheet').textContent()).toContain('Attendance saved: 1 attended, 1 no-show.');

    // Mark came without a place: added as a walk-in, kept as such.
    await page.getByLabel('Email address or full name').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Add as walk-in' }).click();
    await expect.poll(() => page.locator('#attendance-sheet').textContent()).toContain('Nobody in the directory is called nobody@example.com');
    await page.getByLabel('Email address or full name').fill('marketer@example.com');
    await page.getByRole('button', { name: 'Add as walk-in' }).click();
    await expect.poll(() => page.locator('#attendance-sheet').textContent()).toContain('Mark Marketer is recorded as a walk-in who attended.');
    const row = page.locator('#attendance-sheet tr', { hasText: 'Mark Marketer' });
    await expect.poll(() => row.textContent()).toContain('walk-in');
    expect(await page.getByLabel('Mark Marketer attended (walk-in)').isChecked()).toBe(true);

    // The list now says what happened.
    await page.goto(`${env.server.url}/programs/sessions?when=past`);
    await expect.poll(() => page.locator('#sessions-list').textContent()).toContain('2 attended · 1 no-show · 1 walk-in');

    // His manager sees the walk-in on his progress page.
    const manager = await env.browser.newContext();
    const mp = await manager.newPage();
    await signInInBrowser(mp, env.server.url, 'marketing.manager@example.com');
    await mp.goto(`${env.server.url}/programs/people/${env.company.people['marketer@example.com']}`);
    await expect.poll(() => mp.locator('#attendance').textContent()).toContain('CA 101 February: attended as a walk-in');
    expect(errors).toEqual([]);
    await manager.close();
    await context.close();
  });
});
