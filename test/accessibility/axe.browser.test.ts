import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createSession, SESSION_COOKIE } from '../../src/auth/auth';
import { defaultSettings } from '../../src/config';
import { systemClock } from '../../src/lib/clock';
import { openDemoCompany, type DemoCompany } from '../hardening/support/company';
import { ACCESS, concretePath } from '../hardening/support/routes';
import { launchBrowser, startTestServer } from '../support/browser';
import { PAGE_KEYS, ROLES } from './pages';

// axe-core is served from the project's own node_modules, never a CDN.
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let company: DemoCompany;
let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let paths: string[];

beforeAll(async () => {
  company = await openDemoCompany();
  server = await startTestServer(company.app);
  browser = await launchBrowser();
  paths = [...new Set(PAGE_KEYS.map((key) => concretePath(key, ACCESS[key]!, company)))];
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  company?.close();
});

describe('axe-core on every page for every role', () => {
  for (const role of ROLES) {
    it(`finds no serious or critical violations for ${role.name}`, async () => {
      const { token } = createSession(company.db, systemClock, defaultSettings, company.personId(role.email));
      // The page's CSP forbids inline scripts; the test lifts it only to add axe itself.
      const context = await browser.newContext({ bypassCSP: true });
      await context.addCookies([{ name: SESSION_COOKIE, value: token, url: server.url }]);
      const page = await context.newPage();
      const found: string[] = [];
      for (const path of paths) {
        const response = await page.goto(`${server.url}${path}`);
        if (!response || !(response.headers()['content-type'] ?? '').includes('text/html')) continue;
        // Partials htmx swaps into a page (no doctype) are checked inside the pages that use them.
        if (!(await page.evaluate(() => document.doctype !== null))) continue;
        await page.addScriptTag({ path: AXE_PATH });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
          const result = await axe.run(document, { resultTypes: ['violations'] });
          return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => String(n.target[0])) }));
        });
        for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') found.push(`${path}: ${v.id} (${v.impact}) at ${v.targets.join(', ')}`);
      }
      await context.close();
      expect(found).toEqual([]);
    }, 600_000);
  }
});
