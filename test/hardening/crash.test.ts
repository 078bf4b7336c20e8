/*
 * Crash safety: the real server (`tsx src/server.ts`) is killed with SIGKILL in the middle of a
 * write load — single creates and 500-row CSV imports over HTTP — and restarted on the same file.
 * After the restart the database must pass integrity_check, hold every write the clients saw
 * acknowledged, and show every import either completely or not at all.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/auth';
import { openDatabase } from '../../src/db';
import { systemClock } from '../../src/lib/clock';
import { createPerson } from '../../src/people/people';
import { exitOf, sleep, spawnTs, watchOutput } from './support/processes';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstrain-crash-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startServer(databasePath: string) {
  const child = spawnTs('src/server.ts', [], { PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: databasePath, ADMIN_EMAIL: 'admin@example.com' });
  const out = watchOutput(child);
  const line = await out.waitFor(/listening on http:\/\/localhost:\d+/, 30_000);
  const port = Number(/localhost:(\d+)/.exec(line)![1]);
  return { child, out, url: `http://127.0.0.1:${port}` };
}

const IMPORT_ROWS = 500;
function importFile(n: number) {
  const lines = ['email,name,department,title,team,manager_email,hire_date,time_zone,role'];
  for (let i = 0; i < IMPORT_ROWS; i++) lines.push(`import${n}.${i}@example.com,Imported ${n} ${i},${i % 2 ? 'sales' : 'marketing'},Rep,Crash ${i % 2 ? 'Sales' : 'Marketing'} ${n},,2025-06-01,Europe/Berlin,employee`);
  return lines.join('\n');
}

describe('SIGKILL in the middle of a write load', () => {
  it('loses no acknowledged write and leaves no half-written import', async () => {
    const path = join(dir, 'crash.db');
    const seed = openDatabase(path);
    const hr = createPerson(seed, systemClock, { personId: null }, { email: 'hr@example.com', name: 'Crash HR', department: 'other', title: '', hireDate: '2024-01-01', timeZone: 'UTC', role: 'hr' });
    const { secret } = createApiToken(seed, systemClock, { personId: hr.id }, 'crash test');
    seed.$client.close();

    const server = await startServer(path);
    const headers = { authorization: `Bearer ${secret}` };
    const acknowledged: string[] = [];
    const importsSent: number[] = [];
    const importsAcknowledged: number[] = [];
    let stop = false;
    let serverErrors = 0;

    const creator = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        const email = `crash${worker}.${i}@example.com`;
        try {
          const res = await fetch(`${server.url}/api/v1/people`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify({ email, name: `Crash ${worker} ${i}`, department: 'sales', hireDate: '2025-01-01', timeZone: 'UTC' }),
          });
          if (res.status === 201) acknowledged.push(email);
          else if (res.status >= 500) serverErrors++;
          await res.arrayBuffer();
        } catch {
          return; // the server is gone
        }
      }
    };
    let importCount = 0;
    let importInFlightSince = 0;
    const importer = async () => {
      while (!stop) {
        const n = importCount++;
        importsSent.push(n);
        importInFlightSince = Date.now();
        try {
          const res = await fetch(`${server.url}/api/v1/people/import`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body: importFile(n) });
          const body = (await res.json()) as { created?: number };
          if (res.status === 200 && body.created === IMPORT_ROWS) importsAcknowledged.push(n);
          else if (res.status >= 500) serverErrors++;
        } catch {
          return;
        }
        // Imports hold the write lock for a while; leave the single creates room between them.
        await sleep(100);
      }
    };

    const load = [...Array.from({ length: 6 }, (_, w) => creator(w)), importer()];
    // Kill only once both kinds of write have been acknowledged, and shortly after an import went out,
    // so the kill lands inside an import's transaction as often as not.
    const deadline = Date.now() + 30_000;
    while ((acknowledged.length < 50 || importsAcknowledged.length < 2) && Date.now() < deadline) await sleep(20);
    const sentBefore = importCount;
    while (importCount === sentBefore && Date.now() < deadline) await sleep(2);
    await sleep(Math.max(0, 40 - (Date.now() - importInFlightSince)));
    server.child.kill('SIGKILL');
    const { signal } = await exitOf(server.child);
    stop = true;
    await Promise.all(load);
    expect(signal).toBe('SIGKILL');
    expect(serverErrors).toBe(0);
    expect(acknowledged.length).toBeGreaterThanOrEqual(50);
    expect(importsAcknowledged.length).toBeGreaterThanOrEqual(2);

    // The restarted server recovers the file (WAL replay) and serves.
    const again = await startServer(path);
    try {
      const health = await fetch(`${again.url}/healthz`);
      expect(health.status).toBe(200);
      const count = await fetch(`${again.url}/api/v1/people?q=crash0.&pageSize=1`, { headers });
      expect(count.status).toBe(200);
    } finally {
      again.child.kill('SIGTERM');
      await exitOf(again.child);
    }

    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const emails = new Set(db.prepare('SELECT email FROM people').pluck().all() as string[]);
      expect(acknowledged.filter((e) => !emails.has(e))).toEqual([]);
      const perImport = new Map<number, number>();
      for (const e of emails) {
        const m = /^import(\d+)\./.exec(e);
        if (m) perImport.set(Number(m[1]), (perImport.get(Number(m[1])) ?? 0) + 1);
      }
      for (const n of importsSent) {
        const rows = perImport.get(n) ?? 0;
        expect([0, IMPORT_ROWS], `import ${n} has ${rows} of ${IMPORT_ROWS} rows`).toContain(rows);
      }
      for (const n of importsAcknowledged) expect(perImport.get(n)).toBe(IMPORT_ROWS);
      // A person and their audit entry are one transaction: never one without the other.
      const unaudited = db.prepare("SELECT count(*) FROM people p WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_type = 'person' AND a.entity_id = CAST(p.id AS TEXT))").pluck().get();
      expect(unaudited).toBe(0);
    } finally {
      db.close();
    }
  }, 90_000);
});
