/*
 * `npm start` on both cores: WORKERS server processes share one port through node:cluster, the
 * background jobs run in exactly one of them (and again in its replacement when it dies), and
 * sign-in throttling holds across the processes because its counts live in SQLite.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { exitOf, sleep, spawnTs, watchOutput } from './support/processes';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crosstrain-workers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The process ids of a process's children (Linux). */
const childrenOf = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);

/** A POST on a connection of its own, so the cluster hands each one to the next worker. */
function postForm(url: string, path: string, form: Record<string, string>): Promise<number> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A port nobody listens on now: the workers must find the same one again after every restart (port 0 would not). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Retries until a worker answers (a replaced worker takes a moment to start). */
async function healthy(url: string): Promise<number> {
  for (let i = 0; ; i++) {
    try {
      return (await fetch(`${url}/healthz`)).status;
    } catch (err) {
      if (i >= 150) throw err;
      await sleep(200);
    }
  }
}

const jobLines = (lines: string[]) => lines.filter((line) => /background jobs run in process \d+/.test(line));

describe('WORKERS', () => {
  it('is one server process per core unless set, and refuses what is not a whole number from 1 to 64', () => {
    expect(loadConfig({}).WORKERS).toBe(availableParallelism());
    expect(loadConfig({ WORKERS: '3' }).WORKERS).toBe(3);
    for (const bad of ['0', '65', '1.5', 'many']) expect(() => loadConfig({ WORKERS: bad }), bad).toThrow(/WORKERS/);
  });
});

describe('npm start with WORKERS=2', { timeout: 180_000 }, () => {
  it('runs two worker processes on one port, the background jobs in exactly one, and throttles sign-in across both', async () => {
    const port = await freePort();
    const child = spawnTs('src/server.ts', [], {
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKERS: '2',
      DATABASE_PATH: join(dir, 'workers.db'),
      ADMIN_EMAIL: 'admin@example.com',
    });
    const out = watchOutput(child);
    try {
      await out.waitFor(/2 worker processes/, 60_000);
      await out.waitFor(/listening on http:\/\/localhost:\d+/, 60_000);
      const url = `http://127.0.0.1:${port}`;
      await out.waitFor(/background jobs run in process \d+/, 30_000);

      // Both workers are up and answer on the port.
      let workers: number[] = [];
      for (let i = 0; i < 100 && workers.length < 2; i++, await sleep(200)) workers = childrenOf(child.pid!);
      expect(workers).toHaveLength(2);
      for (let i = 0; i < 4; i++) expect((await fetch(`${url}/healthz`)).status).toBe(200);

      // The background jobs run in one of them only.
      const [jobs] = jobLines(out.lines);
      const jobsPid = Number(/process (\d+)/.exec(jobs!)![1]);
      expect(jobLines(out.lines)).toHaveLength(1);
      expect(workers).toContain(jobsPid);

      // Failed sign-ins, each on a new connection handed to the workers in turn, are counted together:
      // five free failures, then the pair waits, whichever process answers.
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push(await postForm(url, '/login', { email: 'admin@example.com', password: `wrong-${i}` }));
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);

      // The worker without the jobs dies: it is replaced, and the jobs do not start a second time.
      const other = workers.find((pid) => pid !== jobsPid)!;
      process.kill(other, 'SIGKILL');
      for (let i = 0; i < 100; i++, await sleep(200)) {
        workers = childrenOf(child.pid!);
        if (workers.length === 2 && !workers.includes(other)) break;
      }
      expect(workers).toHaveLength(2);
      expect(workers).not.toContain(other);
      expect(jobLines(out.lines)).toHaveLength(1);

      // The worker with the jobs dies: its replacement takes them over, once.
      process.kill(jobsPid, 'SIGKILL');
      await out.waitFor((l) => /background jobs run in process \d+/.test(l) && !l.includes(String(jobsPid)), 60_000);
      const after = jobLines(out.lines);
      expect(after).toHaveLength(2);
      const newJobsPid = Number(/process (\d+)/.exec(after[1]!)![1]);
      for (let i = 0; i < 50 && !childrenOf(child.pid!).includes(newJobsPid); i++) await sleep(200);
      expect(childrenOf(child.pid!)).toContain(newJobsPid);
      expect(await healthy(url)).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exitOf(child);
    }
  });
});
