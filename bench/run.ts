/*
 * npm run bench — one table: crosstrain's main pages and API calls under 50 connections beside a
 * bare Hono hello-world measured in the same run, the server's peak memory, a mixed soak, and the
 * batch figures (CSV import, planner, recurrence). Written to bench/RESULTS.md with date and machine.
 *
 *   npm run bench                       full run on a fresh scale company (10,000 people, 1M invitations …)
 *   npm run bench -- --duration 5 --soak 60 --connections 50
 *   npm run bench -- --db data/scale.db  reuse a company built by npm run seed:scale
 *   npm run bench -- --scale 0.1 --soak 10 --crash-rounds 0 --no-results   quick look, RESULTS.md untouched
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db';
import { seededRandom } from '../src/demo';
import { buildScaleDatabase, loadScaleCompany, type ScaleCompany } from '../scripts/seed-scale';
import { crashFigures, importFigures, plannerFigures, recurrenceFigures, type BatchFigure } from './batch';
import { createBenchContext } from './context';
import { runLoad, startBenchServer, type LoadResult, type RequestSpec } from './load';
import { mixedLoad, scenarios, type Scenario } from './scenarios';

const here = dirname(fileURLToPath(import.meta.url));

function parseOptions(argv: string[]) {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const number = (name: string, fallback: number) => (value(name) === undefined ? fallback : Number(value(name)));
  return {
    duration: number('duration', 8),
    warmup: number('warmup', 2),
    soak: number('soak', 60),
    connections: number('connections', 50),
    people: number('people', 10_000),
    scale: number('scale', 1),
    crashRounds: number('crash-rounds', 5),
    db: value('db'),
    only: value('only'),
    writeResults: !argv.includes('--no-results'),
  };
}

type LoadRow = { scenario: Pick<Scenario, 'name' | 'kind'>; result?: LoadResult; skipped?: string; note?: string; singleMs?: number; serverErrors?: string };

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 1048576)} MB`;

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const started = new Date();
  const machine = {
    cores: cpus().length,
    model: cpus()[0]?.model ?? 'unknown CPU',
    memory: totalmem(),
    node: process.version,
    load: loadavg().map((l) => l.toFixed(2)).join(' '),
  };
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here }).toString().trim();
  } catch {
    /* not a git checkout */
  }
  const log = (line: string) => console.log(line);
  log(`crosstrain benchmark — ${started.toISOString()} — ${machine.cores} cores (${machine.model}), ${mb(machine.memory)} RAM, Node ${machine.node}, load average ${machine.load}`);

  // ── the scale company ──
  const dir = mkdtempSync(join(tmpdir(), 'crosstrain-bench-'));
  const dbPath = options.db ? resolve(options.db) : join(dir, 'scale.db');
  let company: ScaleCompany;
  let buildMs: number | null = null;
  if (options.db) {
    const db = openDatabase(dbPath);
    company = loadScaleCompany(db);
    db.$client.close();
    log(`Using the scale company in ${dbPath}.`);
  } else {
    log(`Building the scale company (${options.people.toLocaleString('en')} people, feature scale ${options.scale}) …`);
    const t0 = performance.now();
    company = await buildScaleDatabase(dbPath, { people: options.people, featureScale: options.scale, log: (l) => log(`  ${l}`) });
    buildMs = performance.now() - t0;
  }
  const db = openDatabase(dbPath);
  const ctx = createBenchContext(db, company, seededRandom(99));

  // Every request list is prepared (sessions made) before any server runs, so the load is pure HTTP.
  const selected = scenarios.filter((s) => !options.only || s.name.toLowerCase().includes(options.only.toLowerCase()));
  const plans = selected.map((scenario) => {
    const missing = scenario.routes.filter((r) => !ctx.hasRoute(r));
    if (missing.length) return { scenario, skip: `not in this build (${missing.join(', ')})` };
    const plan = scenario.build(ctx);
    return 'skip' in plan ? { scenario, skip: plan.skip } : { scenario, plan };
  });
  const soakLoad = options.soak > 0 ? mixedLoad(ctx) : null;

  const measure = async (url: string, plan: { request: Parameters<typeof runLoad>[0]['request']; ok?: (s: number) => boolean }) => {
    // Warm-up on one connection: JIT and page cache warm, and no queue of 50 slow requests left
    // behind for the measured run to wait on.
    if (options.warmup > 0) await runLoad({ url, duration: options.warmup, connections: 1, request: plan.request, ok: plan.ok });
    return runLoad({ url, duration: options.duration, connections: options.connections, request: plan.request, ok: plan.ok });
  };

  const invalidateServerCaches = db.$client.prepare('UPDATE sessions SET last_seen_at = last_seen_at + 1 WHERE rowid = (SELECT min(rowid) FROM sessions)');

  // ── hello-world baseline ──
  const hello = await startBenchServer('hello');
  log('Measuring the hello-world baseline …');
  const baseline = await measure(hello.url, { request: { path: '/' } });
  await hello.stop();

  // ── crosstrain: a fresh server per row, so a slow page's backlog never spills into the next row ──
  const rows: LoadRow[] = [];
  let peakRss = 0;
  for (const p of plans) {
    if ('skip' in p) {
      rows.push({ scenario: p.scenario, skipped: p.skip });
      continue;
    }
    log(`Measuring ${p.scenario.name} …`);
    const server = await startBenchServer('app', dbPath);
    // One request at a time first: what a single person waits, without queueing behind 49 others.
    // A write from here before each one empties the server's page cache, so this is the real work.
    const singles: number[] = [];
    const next = typeof p.plan!.request === 'function' ? p.plan!.request : () => p.plan!.request as RequestSpec;
    for (let i = 0; i < 6; i++) {
      invalidateServerCaches.run();
      const spec = next();
      const t0 = performance.now();
      const res = await fetch(`${server.url}${spec.path}`, { method: spec.method ?? 'GET', headers: spec.headers, body: spec.body, redirect: 'manual' });
      await res.arrayBuffer();
      if (i > 0) singles.push(performance.now() - t0);
    }
    singles.sort((x, y) => x - y);
    const result = await measure(server.url, p.plan!);
    peakRss = Math.max(peakRss, (await server.memory()).peakRss);
    const errors = server.stderr();
    await server.stop();
    rows.push({ scenario: p.scenario, result, note: p.plan!.note, singleMs: singles[Math.floor(singles.length / 2)], serverErrors: errors });
  }
  const app = await startBenchServer('app', dbPath);
  const SOAK_WARMUP_SECONDS = 20;

  // ── soak: mixed reads and writes, p99 per 10 s window, heap after GC ──
  let soak: { result: LoadResult; heapStart: number; heapEnd: number; rssStart: number; rssEnd: number; parts: string[] } | null = null;
  if (soakLoad) {
    log(`Soak: ${options.soak} s of mixed load (${soakLoad.parts.join('; ')}) …`);
    let heapStart = 0;
    let rssStart = 0;
    const result = await runLoad({
      url: app.url,
      duration: options.soak,
      connections: options.connections,
      request: soakLoad.request,
      ok: (s) => s >= 200 && s < 400,
      windowMs: 10_000,
      // A saturated server accepts new connections one per turn of its event loop: the soak
      // measures the steady state once all 50 are open, not the cold start.
      warmupSeconds: SOAK_WARMUP_SECONDS,
      onTick: (second) => {
        if (second === SOAK_WARMUP_SECONDS + Math.min(10, Math.floor(options.soak / 2))) {
          void app.memory(true).then((m) => {
            heapStart = m.heapUsed;
            rssStart = m.rss;
          });
        }
      },
    });
    const end = await app.memory(true);
    soak = { result, heapStart, heapEnd: end.heapUsed, rssStart, rssEnd: end.rss, parts: soakLoad.parts };
  }
  const serverErrors = [app.stderr(), ...rows.map((r) => r.serverErrors ?? '')].join('');
  peakRss = Math.max(peakRss, (await app.memory()).peakRss);
  await app.stop();

  // ── batch figures ──
  log('Timing the batch figures …');
  const batch: BatchFigure[] = [];
  if (buildMs !== null) batch.push({ name: 'Building the scale company (all feature data)', ms: buildMs, note: Object.entries(company.rows).map(([k, v]) => `${fmt(v)} ${k}`).join(', ') });
  const figure = async (name: string, f: () => Promise<BatchFigure[]>) => {
    try {
      batch.push(...(await f()));
    } catch (err) {
      batch.push({ name, ms: null, note: `FAILED: ${err instanceof Error ? err.message : String(err)}` });
    }
  };
  await figure('CSV import', () => importFigures(10_000));
  await figure('Rotation planner', () => plannerFigures(db));
  await figure('Recurrence expansion', () => recurrenceFigures());
  if (options.crashRounds > 0) {
    log(`Crash test, long version (${options.crashRounds} rounds) …`);
    await figure('Crash test', async () => crashFigures(options.crashRounds));
  }
  db.$client.close();
  if (!options.db) rmSync(dir, { recursive: true, force: true });

  // ── the table ──
  const lines: string[] = [];
  lines.push('| Measurement | Result | vs hello-world | p50 ms | p99 ms | 1 request alone, nothing cached, ms | Bad responses | Target | Met |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---|---|');
  lines.push(`| Hello-world (bare Hono, same machine, same run) | ${fmt(baseline.rps)} req/s | 100% | ${baseline.p50} | ${baseline.p99} | — | ${baseline.badResponses + baseline.errors} | — | — |`);
  for (const row of rows) {
    if (!row.result) {
      lines.push(`| ${row.scenario.name} | — | — | — | — | — | — | — | ${row.skipped} |`);
      continue;
    }
    const r = row.result;
    const ratio = r.rps / baseline.rps;
    const bad = r.badResponses + r.errors;
    const targeted = row.scenario.kind !== 'write';
    const met = targeted ? (ratio >= 0.3 && r.p99 < 50 && bad === 0 ? 'yes' : 'no') : bad === 0 ? 'no errors' : 'ERRORS';
    const name = row.note ? `${row.scenario.name} — ${row.note}` : row.scenario.name;
    const badText = bad ? `${bad} (${Object.entries(r.badStatuses).map(([s, n]) => `${n}×${s}`).join(', ')}${r.errors ? `, ${r.errors} errors` : ''})` : '0';
    lines.push(`| ${name} | ${fmt(r.rps)} req/s | ${fmt(ratio * 100, 1)}% | ${r.p50} | ${r.p99} | ${row.singleMs === undefined ? '—' : fmt(row.singleMs, 1)} | ${badText} | ${targeted ? '≥ 30%, p99 < 50 ms' : '—'} | ${met} |`);
  }
  if (soak) {
    const first = soak.result.windows[0]?.p99 ?? 0;
    const worst = Math.max(...soak.result.windows.slice(1).map((w) => w.p99), 0);
    const bad = soak.result.badResponses + soak.result.errors;
    const heapGrowth = soak.heapEnd - soak.heapStart;
    const stableP99 = worst <= 2 * first;
    const stableHeap = heapGrowth < Math.max(16 * 1048576, soak.heapStart * 0.25);
    lines.push(
      `| Soak ${options.soak} s after ${SOAK_WARMUP_SECONDS} s of warm-up on the same connections, 80% reads / 20% writes (${soak.parts.join('; ')}) | ${fmt(soak.result.rps)} req/s, ${fmt(soak.result.requests)} requests | ${fmt((soak.result.rps / baseline.rps) * 100, 1)}% | ${Math.round(soak.result.p50)} | ${Math.round(soak.result.p99)} (10-s windows: ${soak.result.windows.map((w) => Math.round(w.p99)).join(', ')}) | — | ${bad ? `${bad} (${Object.entries(soak.result.badStatuses).map(([s, n]) => `${n}×${s}`).join(', ')}${soak.result.errors ? `, ${soak.result.errors} errors` : ''})` : 0} | no errors, p99 ≤ 2× first window, heap not growing (${mb(soak.heapStart)} → ${mb(soak.heapEnd)} after GC; RSS ${mb(soak.rssStart)} → ${mb(soak.rssEnd)}) | ${bad === 0 && stableP99 && stableHeap ? 'yes' : `no${bad ? ' (errors)' : ''}${stableP99 ? '' : ' (p99 grew)'}${stableHeap ? '' : ' (heap grew)'}`} |`,
    );
  }
  lines.push(`| Server peak memory (RSS), highest of all the servers above | ${mb(peakRss)} | — | — | — | — | — | — | — |`);
  for (const b of batch) {
    const met = b.passed !== undefined ? (b.passed ? 'yes' : 'no') : b.ms === null || b.targetMs === undefined ? '—' : b.ms < b.targetMs ? 'yes' : 'no';
    const target = b.target ?? (b.targetMs ? `< ${fmt(b.targetMs / 1000)} s` : '—');
    lines.push(`| ${b.name}${b.note ? ` — ${b.note}` : ''} | ${b.ms === null ? '—' : b.ms >= 1000 ? `${fmt(b.ms / 1000, 2)} s` : `${fmt(b.ms)} ms`} | — | — | — | — | — | ${target} | ${met} |`);
  }
  const table = lines.join('\n');
  console.log(`\n${table}\n`);
  if (serverErrors.trim()) console.log(`The server logged errors during the run:\n${serverErrors.slice(0, 4000)}`);

  if (options.writeResults) {
    const doc = [
      '# Benchmark results',
      '',
      'Produced by `npm run bench` (bench/run.ts); rerun it to replace this file.',
      '',
      `- Date: ${started.toISOString()}`,
      `- Machine: ${machine.cores} cores (${machine.model}), ${mb(machine.memory)} RAM, Node ${machine.node}; load average when the run started: ${machine.load}`,
      `- Commit: ${commit}`,
      `- Load: ${options.connections} connections, ${options.duration} s measured per row after a ${options.warmup} s warm-up on one connection (autocannon); a fresh server process per row; server and load generator share the machine`,
      `- Company: ${Object.entries(company.rows).map(([k, v]) => `${fmt(v)} ${k}`).join(', ')}`,
      '- Pages under load repeat one viewer\'s request, so after the first they come from the server\'s per-viewer response cache (kept while no data changes, at most 10 s); "1 request alone, nothing cached" is the full render, measured after a write that empties that cache. The soak mixes 300 viewers with 20% writes, so most of its reads render in full.',
      '',
      table,
      '',
      'Targets (issue 7): every page at least 30% of hello-world throughput with p99 below 50 ms at 50 connections; CSV import of 10,000 rows below 3 s; planner for 5,000 people below 2 s; the long soak and crash runs pass.',
      '',
    ].join('\n');
    writeFileSync(join(here, 'RESULTS.md'), doc);
    console.log('Wrote bench/RESULTS.md');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
