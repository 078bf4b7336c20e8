import { serve, type ServerType } from '@hono/node-server';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App, CreateAppOptions } from '../../src/app';
import { afterAll, beforeAll } from 'vitest';
import { createTestApp, seedCompany, TEST_PASSWORD, type SeededCompany, type TestContext } from './app';

export const chromiumPath = () => process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** Serves the app on a free loopback port for a real browser. */
export async function startTestServer(app: App): Promise<{ url: string; close: () => Promise<void> }> {
  let server: ServerType;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Headless Debian Chromium with the flags this machine's closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is not installed: run `apt-get install -y chromium` (npm test does this when it can).');
  // playwright gives every launch a fresh temporary profile of its own.
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  return browser;
}

export async function signInInBrowser(page: Page, baseUrl: string, email: string, password = TEST_PASSWORD) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** Fails the test on any console error or blocked request (e.g. a CSP violation or an external fetch). */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A failed load is reported below with its address; the console line says less.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document' && !r.request().headers()['hx-request']) errors.push(`${r.status()} ${r.url()}`);
  });
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.hostname !== '127.0.0.1' && url.protocol !== 'data:') errors.push(`external request: ${r.url()}`);
  });
  return errors;
}

/** What a real-browser test file shares: the app on a temporary database, served, and one Chromium. */
export type BrowserApp = { t: TestContext; company: SeededCompany; server: Awaited<ReturnType<typeof startTestServer>>; browser: Browser };

/**
 * Builds the seeded company at `now`, lets `seed` add the file's own data, serves the app and
 * launches Chromium before the file's tests, and closes all of it after them. The fields are
 * filled in when the tests run.
 */
export function useBrowserApp(
  options: { now?: string; seed?: (t: TestContext, company: SeededCompany) => void | Promise<void>; settings?: CreateAppOptions['settings'] } = {},
): BrowserApp {
  const env = {} as BrowserApp;
  beforeAll(async () => {
    env.t = createTestApp({ ...(options.now ? { now: options.now } : {}), ...(options.settings ? { settings: options.settings } : {}) });
    env.company = await seedCompany(env.t.db);
    await options.seed?.(env.t, env.company);
    env.server = await startTestServer(env.t.app);
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
    env.t?.close();
  });
  return env;
}

/** Follows a link of the main navigation the way a person does: opening its menu first when it sits in one. */
export async function clickNavLink(page: Page, name: string) {
  const nav = page.locator('nav[aria-label="Main"]');
  // The name may be followed by its pending count ("Feedback 2 pending").
  const exactName = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s*\\d+ pending)?$`);
  const link = nav.getByRole('link', { name: exactName });
  if (!(await link.isVisible())) {
    const hidden = page.getByRole('link', { name: exactName, includeHidden: true });
    await nav.locator('details.nav-menu', { has: hidden }).locator('summary').click();
  }
  await link.click();
}
