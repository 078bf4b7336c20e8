/*
 * The rotation timeline in Chromium: equal-width weeks, each bar starting under its week label
 * and as wide as its weeks; people come 50 a page and the pager swaps the chart in place (htmx).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const PEOPLE = 120;

const env = useBrowserApp({
  now: '2026-03-02T12:00:00Z',
  seed: (t, company) => {
    const db = t.db.$client;
    const programId = Number(
      db
        .prepare(
          "INSERT INTO rotation_programs (name, direction, length_weeks, coverage_percent, learning_goals, active, updated_at) VALUES ('Marketing in the field', 'marketing_to_sales', 4, 50, '', 1, 0)",
        )
        .run().lastInsertRowid,
    );
    for (const team of ['Sales East', 'Sales West'])
      db.prepare('INSERT INTO rotation_program_host_teams (program_id, team_id, capacity) VALUES (?, ?, 50)').run(programId, company.teams[team]);
    const addPerson = db.prepare(
      "INSERT INTO people (email, name, department, title, team_id, hire_date, time_zone, role, updated_at) VALUES (?, ?, 'marketing', 'Marketer', ?, '2020-01-06', 'UTC', 'employee', 0)",
    );
    const addRotation = db.prepare(
      "INSERT INTO rotations (program_id, person_id, host_team_id, start_date, end_date, status, plan_id, created_by_id, updated_at) VALUES (?, ?, ?, ?, ?, 'planned', 'browser', ?, 0)",
    );
    for (let i = 0; i < PEOPLE; i++) {
      const person = Number(
        addPerson.run(`grid${i}@example.com`, `Grid Person ${String(i).padStart(3, '0')}`, company.teams['Product Marketing']).lastInsertRowid,
      );
      const day = 9 + 7 * (i % 13) + (i % 3); // not always on a Monday: bars still fill whole weeks
      const start = new Date(Date.UTC(2026, 2, day)).toISOString().slice(0, 10);
      const end = new Date(Date.UTC(2026, 2, day + 7 * (1 + (i % 5)) - 1)).toISOString().slice(0, 10);
      addRotation.run(programId, person, i % 2 ? company.teams['Sales East'] : company.teams['Sales West'], start, end, company.people['hr@example.com']);
    }
  },
});

/** Every bar against the week labels it should sit under. */
const misaligned = (page: Page) =>
  page.evaluate(() => {
    const weeks = [...document.querySelectorAll('#timeline thead th.week')].map((th) => th.getBoundingClientRect());
    const problems: string[] = [];
    const widths = new Set(weeks.map((w) => Math.round(w.width)));
    if (widths.size !== 1) problems.push(`week widths ${weeks.map((w) => `${Math.round(w.left)}:${Math.round(w.width)}`).join(', ')}`);
    for (const bar of document.querySelectorAll<HTMLElement>('#timeline td.bar')) {
      const box = bar.getBoundingClientRect();
      const first = weeks.findIndex((w) => Math.abs(w.left - box.left) < 1.5);
      const last = weeks.findIndex((w) => Math.abs(w.right - box.right) < 1.5);
      if (first < 0 || last < first || last - first + 1 !== Number(bar.getAttribute('colspan') ?? 1))
        problems.push(`${bar.title}: ${Math.round(box.left)}–${Math.round(box.right)}`);
    }
    return problems.slice(0, 5);
  });

describe('the rotation timeline', () => {
  it('draws equal weeks with every bar under its week labels, 50 people a page, paged in place', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'hr@example.com');
    await page.goto(`${env.server.url}/rotations/timeline?from=2026-03-02&weeks=26`);
    expect(await page.locator('#timeline thead th.week').count()).toBe(26);
    expect(await page.locator('#timeline td.bar').count()).toBe(50);
    expect(await misaligned(page)).toEqual([]);
    // A bar of four weeks starting in the week of 9 March sits under exactly those labels.
    const first = page.locator('#timeline td.bar', { hasText: 'Sales West' }).first();
    expect(await first.getAttribute('title')).toContain('Grid Person 000');

    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    await page.getByRole('link', { name: /Next/ }).first().click();
    await expect.poll(() => page.locator('#timeline').textContent()).toContain('Grid Person 050');
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect(await misaligned(page)).toEqual([]);

    await page.goto(`${env.server.url}/rotations/timeline?from=2026-03-02&weeks=52&group=teams`);
    expect(await misaligned(page)).toEqual([]);
    await expect.poll(() => page.locator('#timeline').textContent()).toContain('more guests in these weeks');
    expect(errors).toEqual([]);
  });
});
