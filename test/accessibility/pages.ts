import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { createSession, SESSION_COOKIE } from '../../src/auth/auth';
import { defaultSettings } from '../../src/config';
import { systemClock } from '../../src/lib/clock';
import { openDemoCompany, type DemoCompany } from '../hardening/support/company';
import { ACCESS, concretePath } from '../hardening/support/routes';
import { launchBrowser, startTestServer } from '../support/browser';

/** Every page a person opens: GET routes that answer HTML (no API, downloads, feeds or static files). */
const PAGE_KEYS = Object.keys(ACCESS).filter(
  (key) =>
    key.startsWith('GET /') &&
    !key.startsWith('GET /api/') &&
    !key.startsWith('GET /static') &&
    !key.startsWith('GET /calendar/') &&
    !/\.(csv|ics|json)\b/.test(key) &&
    key !== 'GET /healthz',
);

/** One demo person per role (and department) who visits every page. */
export const ROLES = [
  { name: 'HR', email: 'hr@example.com' },
  { name: 'manager', email: 'sales.manager@example.com' },
  { name: 'employee in sales', email: 'rep@example.com' },
  { name: 'employee in marketing', email: 'marketer@example.com' },
] as const;

/**
 * The demo company served to a real browser, for tests that visit every page as each role: call at
 * the top of a test file (it registers its own beforeAll/afterAll), then `visitAs` per role.
 */
export function usePageSweep(extraPaths: string[] = []) {
  let company: DemoCompany;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let paths: string[];
  beforeAll(async () => {
    company = await openDemoCompany();
    server = await startTestServer(company.app);
    browser = await launchBrowser();
    paths = [...new Set([...PAGE_KEYS.map((key) => concretePath(key, ACCESS[key]!, company)), ...extraPaths])];
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    company?.close();
  });
  return {
    /**
     * Opens every page signed in as `email` and calls `check` on each whole page (HTML with a doctype:
     * partials htmx swaps in are checked inside the pages that use them). Answers how many were checked.
     */
    async visitAs(email: string, contextOptions: BrowserContextOptions, check: (page: Page, path: string) => Promise<void>): Promise<number> {
      const { token } = createSession(company.db, systemClock, defaultSettings, company.personId(email));
      const context = await browser.newContext(contextOptions);
      await context.addCookies([{ name: SESSION_COOKIE, value: token, url: server.url }]);
      const page = await context.newPage();
      let checked = 0;
      try {
        for (const path of paths) {
          const response = await page.goto(`${server.url}${path}`);
          if (!response || !(response.headers()['content-type'] ?? '').includes('text/html')) continue;
          if (!(await page.evaluate(() => document.doctype !== null))) continue;
          checked++;
          await check(page, path);
        }
      } finally {
        await context.close();
      }
      return checked;
    },
  };
}
