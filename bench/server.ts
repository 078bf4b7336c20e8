/*
 * The server under load, in its own process so its memory is its own: `app` serves crosstrain on
 * BENCH_DATABASE_PATH, `hello` a bare Hono hello-world (the baseline every ratio is measured against).
 * Started by bench/load.ts with IPC; answers { type: 'memory', gc? } with its memory figures.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

type MemoryReport = { type: 'memory'; rss: number; heapUsed: number; peakRss: number };

async function buildFetch(): Promise<(req: Request) => Response | Promise<Response>> {
  if (process.env.BENCH_MODE === 'hello') {
    const hello = new Hono();
    hello.get('/', (c) => c.text('Hello, world!'));
    return hello.fetch;
  }
  const { openDatabase } = await import('../src/db');
  const { createApp } = await import('../src/app');
  const { systemClock } = await import('../src/lib/clock');
  const db = openDatabase(process.env.BENCH_DATABASE_PATH!);
  // The login limiter is per address and every load client is 127.0.0.1; benchmarks never sign in through it anyway.
  return createApp({ db, clock: systemClock, mailer: null }).fetch;
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
