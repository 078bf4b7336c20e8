/*
 * A wrong or malformed id in an address is a plain "not found" everywhere (issue 13): every route with
 * a path parameter (the access matrix's route list, so a new route is swept as soon as it is added),
 * for HR (who may open everything), with ids that are not numbers, not whole, negative, zero, too
 * large or simply unknown. Pages answer a readable 404 page in the layout; the API answers the JSON
 * error shape with code not_found. Never a 400 with validation internals, never a 500, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { openDatabase } from '../../src/db';
import { databaseFingerprint, openDemoCompany, type DemoCompany } from './support/company';
import { ACCESS, concretePath, registeredRoutes } from './support/routes';

const ROUTES = registeredRoutes(createApp({ db: openDatabase(':memory:') })).filter(
  (r) => /:\w+/.test(r.path) && !r.path.startsWith('/calendar/:file') && !r.path.startsWith('/static'),
);

/** What a person might type or paste instead of an id. */
const BAD_IDS = ['abc', '99999999', '1.5', '-1', '0', '1e3', '99999999999999999999', '%20', 'null'];

let company: DemoCompany;
beforeAll(async () => {
  company = await openDemoCompany();
}, 180_000);
afterAll(() => company?.close());

/** The route's concrete path with one parameter replaced by a bad value, the others valid. */
function pathsFor(key: string): { param: string; path: string }[] {
  const rule = ACCESS[key]!;
  const valid = concretePath(key, rule, company);
  const template = rule.path ?? key.slice(key.indexOf(' ') + 1);
  const names = [...template.matchAll(/[:{](\w+)/g)].map((m) => m[1]!);
  const out: { param: string; path: string }[] = [];
  for (const name of names) {
    const filled = concretePath(key, { ...rule, params: { ...rule.params, [name]: () => '\u0000' } }, company);
    const at = filled.indexOf('%00');
    if (at < 0) continue;
    for (const bad of BAD_IDS) out.push({ param: name, path: filled.slice(0, at) + bad + filled.slice(at + 3) });
  }
  // Keep the valid path referenced so a broken fixture fails loudly here rather than silently.
  expect(valid).toBeTruthy();
  return out;
}

describe('a wrong or malformed id is a plain not found', () => {
  it('covers routes with ids', () => {
    expect(ROUTES.length).toBeGreaterThan(60);
  });
  for (const { key, method } of ROUTES) {
    it(`${key}`, async () => {
      const before = method === 'GET' ? null : databaseFingerprint(company.db);
      const hr = company.client('hr');
      const problems: string[] = [];
      for (const { path } of pathsFor(key)) {
        const api = path.startsWith('/api/');
        const rule = ACCESS[key]!;
        const res =
          method === 'GET'
            ? await hr.get(path)
            : api
              ? await hr.json(method, path, rule.body ?? {})
              : await hr.form(path, (rule.body ?? {}) as Record<string, string>);
        const type = res.headers.get('content-type') ?? '';
        const text = await res.text();
        if (res.status !== 404) {
          problems.push(`${method} ${path} → ${res.status} ${text.slice(0, 160)}`);
          continue;
        }
        if (api) {
          const body = JSON.parse(text) as { error?: { code?: string; message?: string; issues?: unknown } };
          if (body.error?.code !== 'not_found' || !body.error.message || body.error.issues) problems.push(`${method} ${path}: ${text.slice(0, 160)}`);
        } else if (
          !type.includes('text/html') ||
          !text.includes('<h1>Not found</h1>') ||
          !text.includes('aria-label="Main"') ||
          /invalid_type|expected number|expected int|too big|too small/i.test(text)
        ) {
          problems.push(`${method} ${path}: not the plain not-found page`);
        }
      }
      expect(problems).toEqual([]);
      if (before !== null) expect(databaseFingerprint(company.db)).toBe(before);
    }, 60_000);
  }
});
