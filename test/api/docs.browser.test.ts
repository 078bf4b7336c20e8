import { describe, expect, it } from 'vitest';
import { useBrowserApp, watchPageErrors } from '../support/browser';

const env = useBrowserApp();

describe('API reference page (browser)', () => {
  it('shows every documented group from our own openapi.json under the strict CSP, with no external request', async () => {
    const page = await env.browser.newPage();
    const errors = watchPageErrors(page);
    const response = await page.goto(`${env.server.url}/api/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.swagger-ui .info .title').waitFor();
    await expect(page.locator('.swagger-ui .info .title').innerText()).resolves.toContain('crosstrain');
    const groups = await page.locator('.swagger-ui .opblock-tag').allInnerTexts();
    expect(groups.join(' ')).toMatch(/people/i);
    expect(groups.join(' ')).toMatch(/events/i);
    expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(50);
    expect(errors).toEqual([]);
    await page.close();
  });
});
