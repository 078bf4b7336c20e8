/*
 * Every page of every role on a phone (390 × 844, the width of a current iPhone): the page never
 * scrolls sideways, tables read as lists (no table wider than the screen; the rotation timeline
 * scrolls inside its own frame), and no form field or button sticks out of the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createSession, SESSION_COOKIE } from '../../src/auth/auth';
import { defaultSettings } from '../../src/config';
import { systemClock } from '../../src/lib/clock';
import { openDemoCompany, type DemoCompany } from '../hardening/support/company';
import { ACCESS, concretePath } from '../hardening/support/routes';
import { launchBrowser, startTestServer } from '../support/browser';
import { PAGE_KEYS, ROLES } from './pages';

export const PHONE = { width: 390, height: 844 } as const;

let company: DemoCompany;
let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let paths: string[];

beforeAll(async () => {
  company = await openDemoCompany();
  server = await startTestServer(company.app);
  browser = await launchBrowser();
  const extra = ['/?view=month&mode=calendar', '/?view=week&mode=calendar', '/?view=month'];
  paths = [...new Set([...PAGE_KEYS.map((key) => concretePath(key, ACCESS[key]!, company)), ...extra])];
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  company?.close();
});

/** What sticks out on the page in the browser: the page's own width and every element wider than the screen. */
export const phoneLayoutProblems = () => {
  const width = document.documentElement.clientWidth;
  const problems: string[] = [];
  if (document.documentElement.scrollWidth > width) problems.push(`page scrolls sideways (${document.documentElement.scrollWidth}px)`);
  const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
  // Inside a frame of its own that scrolls (the rotation timeline), wide content is meant to be.
  const inScroller = (el: Element) => el.closest('.gantt-wrap, .timeline-wrap, pre');
  for (const el of document.querySelectorAll('table, input, select, textarea, button, .button')) {
    if (inScroller(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    if (box.right > width + 0.5 || box.left < -0.5) problems.push(`${describe(el)} reaches past the screen (${Math.round(box.left)}–${Math.round(box.right)}px)`);
  }
  // A cell of links or buttons (Edit, Revoke) says what it does by itself.
  const isActionCell = (cell: Element) => cell.children.length > 0 && [...cell.children].every((child) => child.matches('a, form, button, .actions'));
  // A table of three columns or more reads as a list of cards, each value with its column's name.
  for (const table of document.querySelectorAll('table')) {
    if (inScroller(table) || table.getBoundingClientRect().width === 0) continue;
    const columns = Math.max(0, ...[...table.rows].map((r) => r.cells.length));
    if (columns < 3) continue;
    const row = table.tBodies[0]?.rows[0];
    if (!row) continue;
    if (getComputedStyle(row).display === 'table-row') problems.push(`${describe(table)} (${columns} columns) stays a table`);
    else if ([...row.cells].some((cell) => cell.tagName === 'TD' && !cell.dataset.label && !cell.hasAttribute('aria-label') && cell.textContent!.trim() !== '' && !isActionCell(cell))) problems.push(`${describe(table)} has values without their column's name`);
  }
  return [...new Set(problems)].slice(0, 8);
};

describe('every page on a 390 px phone', () => {
  for (const role of ROLES) {
    it(`nothing scrolls sideways for ${role.name}`, async () => {
      const { token } = createSession(company.db, systemClock, defaultSettings, company.personId(role.email));
      const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
      await context.addCookies([{ name: SESSION_COOKIE, value: token, url: server.url }]);
      const page = await context.newPage();
      const found: string[] = [];
      let checked = 0;
      for (const path of paths) {
        const response = await page.goto(`${server.url}${path}`);
        if (!response || !(response.headers()['content-type'] ?? '').includes('text/html')) continue;
        if (!(await page.evaluate(() => document.doctype !== null))) continue;
        checked++;
        for (const problem of await page.evaluate(phoneLayoutProblems)) found.push(`${path}: ${problem}`);
      }
      await context.close();
      expect(checked).toBeGreaterThan(15);
      expect(found).toEqual([]);
    }, 600_000);
  }
});
