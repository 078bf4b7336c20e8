/*
 * The server under load, in processes of its own so its memory and CPU are its own, run the way
 * `npm start` runs: WORKERS processes (default one per core) share the port through node:cluster,
 * forked by src/server.ts's own code; WORKERS=1 is one process, as `npm start` with WORKERS=1.
 *   app    crosstrain on BENCH_DATABASE_PATH through startCluster (page cache on with
 *          BENCH_PAGE_CACHE=true; background jobs in worker 1, as in production);
 *   hello  a bare Hono hello-world, in as many processes;
 *   floor  a bare Hono server rendering a static page of BENCH_FLOOR_BYTES with Hono JSX, in as many.
 * Started by bench/load.ts with IPC: says { type: 'ready', port, workers } once every worker
 * listens, and answers { type: 'memory', gc? } with the memory figures summed over the workers
 * (each one's figures in `processes`).
 */
import cluster from 'node:cluster';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { jsx } from 'hono/jsx';
import { loadConfig } from '../src/config';
import { forkWorkers } from '../src/cluster';

type Memory = { rss: number; heapUsed: number; peakRss: number };
type MemoryReport = Memory & { type: 'memory'; processes: Memory[] };

const mode = process.env.BENCH_MODE;
const config = loadConfig({
  ...process.env,
  DATABASE_PATH: process.env.BENCH_DATABASE_PATH || undefined,
  PORT: '0',
  HOST: '127.0.0.1',
  PAGE_CACHE: process.env.BENCH_PAGE_CACHE === 'true' ? 'true' : 'false',
});

function bareServer(): Hono {
  if (mode === 'hello') {
    const hello = new Hono();
    hello.get('/', (c) => c.text('Hello, world!'));
    return hello;
  }
  // The render floor of a page of BENCH_FLOOR_BYTES: a static page of that size, rendered by Hono
  // JSX on every request (rows of a table, as the real pages are mostly lists), by a bare server.
  const bytes = Number(process.env.BENCH_FLOOR_BYTES ?? 10_000);
  const row = (i: number) =>
    jsx('tr', {}, jsx('td', {}, `Row ${i}`), jsx('td', {}, 'Sales East · Account Executive'), jsx('td', {}, jsx('a', { href: `/people/${i}` }, 'open')));
  const rowBytes = String(row(0)).length;
  const rows = Math.max(1, Math.round((bytes - 300) / rowBytes));
  const floor = new Hono();
  floor.get('/', (c) =>
    c.html(
      `<!doctype html>${String(
        jsx(
          'html',
          { lang: 'en' },
          jsx('head', {}, jsx('title', {}, 'Floor')),
          jsx(
            'body',
            {},
            jsx(
              'main',
              {},
              jsx('h1', {}, 'A page'),
              jsx(
                'table',
                {},
                Array.from({ length: rows }, (_, i) => row(i)),
              ),
            ),
          ),
        ),
      )}`,
    ),
  );
  return floor;
}

/** crosstrain as `npm start` starts it (loaded only for it: the bare servers must not pay for loading the app). */
async function startApp() {
  const { startCluster } = await import('../src/server');
  return startCluster(config, { quiet: true });
}

function ownMemory(gc: boolean): Memory {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) collect();
  const usage = process.memoryUsage();
  // resourceUsage().maxRSS is the kernel's high-water mark, in kilobytes.
  return { rss: usage.rss, heapUsed: usage.heapUsed, peakRss: process.resourceUsage().maxRSS * 1024 };
}

const isMemoryRequest = (message: unknown): message is { type: 'memory'; gc?: boolean } => (message as { type?: string })?.type === 'memory';

/** A process that serves: its port once it listens, its own memory when asked (by the bench, or by the cluster's primary). */
async function serveHere(): Promise<number> {
  const server = mode === 'app' ? (await startApp())!.server : serve({ fetch: bareServer().fetch, port: 0, hostname: '127.0.0.1' });
  process.on('message', (message) => {
    if (!isMemoryRequest(message)) return;
    const own = ownMemory(!!message.gc);
    process.send?.(cluster.isWorker ? { type: 'memory', ...own } : ({ type: 'memory', ...own, processes: [own] } satisfies MemoryReport));
  });
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as { port: number }).port;
}

/** The cluster's primary: ready once every worker listens; memory asked of every worker and summed. */
function primary() {
  const listening = new Set<number>();
  let ready = false;
  cluster.on('listening', (worker, address) => {
    listening.add(worker.id);
    if (ready || listening.size < config.WORKERS) return;
    ready = true;
    process.send?.({ type: 'ready', port: address.port, workers: config.WORKERS });
  });
  // A worker that cannot start would be started again and again: the bench is told instead (its stderr says why).
  cluster.on('exit', (worker, code, signal) => {
    if (ready) return;
    console.error(`worker ${worker.id} ended (${signal ?? code}) before listening`);
    process.exit(1);
  });
  process.on('message', async (message) => {
    if (!isMemoryRequest(message)) return;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    const processes = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<Memory>((resolve) => {
            const answer = (reply: unknown) => {
              if (!isMemoryRequest(reply)) return;
              worker.off('message', answer);
              resolve(reply as unknown as Memory);
            };
            worker.on('message', answer);
            worker.send({ type: 'memory', gc: message.gc });
          }),
      ),
    );
    const sum = (key: keyof Memory) => processes.reduce((s, p) => s + p[key], 0);
    const report: MemoryReport = { type: 'memory', rss: sum('rss'), heapUsed: sum('heapUsed'), peakRss: sum('peakRss'), processes };
    process.send?.(report);
  });
}

if (config.WORKERS > 1 && cluster.isPrimary) {
  primary();
  if (mode === 'app') await startApp();
  else {
    const workers = forkWorkers(config.WORKERS);
    process.once('SIGTERM', () => void workers.stop().then(() => process.exit(0)));
  }
  // The bench went away: end the workers with the primary.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
} else {
  const port = await serveHere();
  if (cluster.isPrimary) {
    process.send?.({ type: 'ready', port, workers: 1 });
    process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  }
}
