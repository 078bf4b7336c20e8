import { afterEach, describe, expect, it } from 'vitest';
import { apiOperations } from '../../src/api/routes';
import { anonymous, createTestApp, type TestContext } from '../support/app';

// The API document is generated from the operations features declare; nothing ties those declarations
// to the routes they register, so this compares the two sets both ways.
const documentedPath = (honoPath: string) => honoPath.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');
const UNDOCUMENTED = new Set(['GET /api/v1/openapi.json']);

describe('openapi.json', () => {
  let t: TestContext | undefined;
  afterEach(() => t?.close());

  it('documents every registered /api/v1 route and names no route that does not exist', () => {
    t = createTestApp();
    const registered = new Set(
      t.app.routes
        .filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL')
        .map((r) => `${r.method} ${documentedPath(r.path)}`)
        .filter((key) => !UNDOCUMENTED.has(key)),
    );
    const documented = new Set(apiOperations.map((op) => `${op.method.toUpperCase()} ${op.path}`));
    expect([...registered].filter((key) => !documented.has(key)).sort(), 'registered but not documented').toEqual([]);
    expect([...documented].filter((key) => !registered.has(key)).sort(), 'documented but not registered').toEqual([]);
  });

  it('is served as JSON and names every operation once', async () => {
    t = createTestApp();
    const res = await anonymous(t.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.openapi).toMatch(/^3\./);
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
