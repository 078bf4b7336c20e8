/*
 * The server under load, in its own process so its memory is its own: `app` serves crosstrain on
 * BENCH_DATABASE_PATH (page cache on with BENCH_PAGE_CACHE=true), `hello` a bare Hono hello-world,
 * `floor` a bare Hono server rendering a static page of BENCH_FLOOR_BYTES with Hono JSX.
 * Started by bench/load.ts with IPC; answers { type: 'memory', gc? } with its memory figures.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { jsx } from 'hono/jsx';

type MemoryReport = { type: 'memory'; rss: number; heapUsed: number; peakRss: number };

async function buildFetch(): Promise<(req: Request) => Response | Promise<Response>> {
  if (process.env.BENCH_MODE === 'hello') {
    const hello = new Hono();
    hello.get('/', (c) => c.text('Hello, world!'));
    return hello.fetch;
  }
  if (process.env.BENCH_MODE === 'floor') {
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
    return floor.fetch;
  }
  const { openDatabase } = await import('../src/db');
  const { createApp } = await import('../src/app');
  const { systemClock } = await import('../src/lib/clock');
  const { defaultSettings } = await import('../src/config');
  const { withPageCache } = await import('../src/page-cache');
  const db = openDatabase(process.env.BENCH_DATABASE_PATH!);
  // The login limiter is per address and every load client is 127.0.0.1; benchmarks never sign in through it anyway.
  const app = createApp({ db, clock: systemClock, mailer: null });
  // With the page cache on, the app is wrapped the way server.ts wraps it.
  return process.env.BENCH_PAGE_CACHE === 'true' ? withPageCache(app, { db, clock: systemClock, settings: defaultSettings }).fetch : app.fetch;
}

const fetch = await buildFetch();
serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.send?.({ type: 'ready', port: info.port }));

process.on('message', (message: { type?: string; gc?: boolean }) => {
  if (message?.type !== 'memory') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (message.gc && gc) gc();
  const usage = process.memoryUsage();
  // resourceUsage().maxRSS is the kernel's high-water mark, in kilobytes.
  const report: MemoryReport = { type: 'memory', rss: usage.rss, heapUsed: usage.heapUsed, peakRss: process.resourceUsage().maxRSS * 1024 };
  process.send?.(report);
});
process.on('disconnect', () => process.exit(0));
