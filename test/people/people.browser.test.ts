import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signInInBrowser, useBrowserApp, watchPageErrors } from '../support/browser';

const env = useBrowserApp();

describe('people pages in a real browser', () => {
  it('HR imports a CSV, finds a person with live search and edits them', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, env.server.url, 'hr@example.com');

    const csv = join(mkdtempSync(join(tmpdir(), 'ct-csv-')), 'people.csv');
    writeFileSync(
      csv,
      'email,name,department,title,team,manager_email,hire_date,time_zone,role\nquentin@example.com,Quentin Quill,marketing,Writer,Content Studio,marketing.manager@example.com,2026-02-01,Europe/Paris,employee\n',
    );
    await page.goto(`${env.server.url}/people/import`);
    await page.getByLabel('CSV file').setInputFiles(csv);
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('1 created');

    await page.goto(`${env.server.url}/people`);
    await page.getByLabel('Search').fill('Quill');
    // htmx swaps the results without a reload; the URL follows the search.
    await page.waitForURL(/q=Quill/);
    const rows = page.locator('#people-results tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByRole('link', { name: 'Quentin Quill' }).click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Title').fill('Senior Writer');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/people\/\d+$/);
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Changes saved.');
    await expect.poll(() => page.locator('dl.details').textContent()).toContain('Senior Writer');
    expect(errors).toEqual([]);
  });

  it('shows field-level errors on a bad form', async () => {
    const page = await env.browser.newPage();
    await signInInBrowser(page, env.server.url, 'hr@example.com');
    await page.goto(`${env.server.url}/people/new`);
    await page.getByLabel('Name', { exact: true }).fill('No Email');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Add person' }).click();
    const email = page.getByLabel('Email');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.locator('#f-email-error').textContent()).toContain('valid email');
  });

  it('an employee is refused the HR pages', async () => {
    const page = await env.browser.newPage();
    await signInInBrowser(page, env.server.url, 'rep@example.com');
    for (const path of ['/people', '/people/import', '/teams', '/audit', '/admin/tokens', '/outbox']) {
      const res = await page.goto(`${env.server.url}${path}`);
      expect(res?.status(), path).toBe(403);
      await expect.poll(() => page.locator('h1').textContent()).toBe('Not allowed');
    }
    await expect.poll(() => page.locator('nav[aria-label="Main"]').textContent()).not.toContain('People');
  });
});
