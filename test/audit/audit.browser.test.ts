import { describe, expect, it } from 'vitest';
import { AUDIT_PAGE_ROWS, recordAudit } from '../../src/audit/audit';
import { writeTransaction } from '../../src/db';
import { clickNavLink, signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const START = Date.parse('2026-02-01T00:00:00Z');
const env = useBrowserApp({
  seed: (t) =>
    writeTransaction(t.db, (tx) => {
      for (let i = 0; i < 40; i++) recordAudit(tx, new Date(START + i * 60_000), { personId: null }, 'widget.update', 'widget', i, { n: i - 1 }, { n: i });
      const personIds = Array.from({ length: 20_000 }, (_, i) => 100_000 + i);
      recordAudit(tx, new Date(START + 100 * 60_000), { personId: null }, 'enrollment.create', 'program', 1, null, { source: 'rule', personIds });
    }),
});

describe('the audit log in a real browser', () => {
  it('HR filters the log, pages to older entries and back, and reads a huge entry in parts', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'hr@example.com');
    await page.goto(`${env.server.url}/`);
    await clickNavLink(page, 'Audit log');
    await page.waitForURL(/\/audit$/);

    await page.getByLabel('What').selectOption('widget');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/entityType=widget/);
    const what = page.locator('td[data-label="What"]');
    await expect.poll(() => what.count()).toBe(AUDIT_PAGE_ROWS);
    await expect.poll(() => what.first().textContent()).toBe('widget 39');

    await page.getByRole('link', { name: 'Older →' }).click();
    await page.waitForURL(/entityType=widget&before=/);
    await expect.poll(() => what.count()).toBe(40 - AUDIT_PAGE_ROWS);
    await expect.poll(() => what.first().textContent()).toBe(`widget ${39 - AUDIT_PAGE_ROWS}`);
    await expect.poll(() => what.last().textContent()).toBe('widget 0');
    await expect.poll(() => page.getByRole('link', { name: 'Older →' }).count()).toBe(0);

    await page.getByRole('link', { name: '← Newer' }).click();
    await page.waitForURL(/entityType=widget/);
    await expect.poll(() => what.first().textContent()).toBe('widget 39');
    await expect.poll(() => page.getByLabel('What').inputValue()).toBe('widget');

    await page.goto(`${env.server.url}/audit`);
    await page.getByRole('link', { name: /^All [\d,]+ characters$/ }).click();
    await page.waitForURL(/\/audit\/\d+$/);
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/^Audit entry #\d+$/);
    await expect
      .poll(() => page.locator('section[aria-labelledby="after-heading"] p.muted').textContent())
      .toMatch(/^Characters 1–10,000 of [\d,]+ \(part 1 of \d+\)/);
    await page.getByRole('navigation', { name: 'Parts of after' }).getByRole('link', { name: 'Next part →' }).click();
    await page.waitForURL(/afterPart=2/);
    await expect.poll(() => page.locator('section[aria-labelledby="after-heading"] p.muted').textContent()).toMatch(/^Characters 10,001–20,000 of/);
    expect(errors).toEqual([]);
  });
});
