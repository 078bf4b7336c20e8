/*
 * Load machinery shared by the benchmark (bench/run.ts) and the hardening tests: the server under
 * test in child processes (bench/server.ts: node:cluster workers as `npm start` runs them, so its
 * memory and CPU are measured apart from the load generator's), and autocannon runs that keep every
 * response's latency per time window (for the soak's "p99 stays within 2× of the start").
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

type Memory = { rss: number; heapUsed: number; peakRss: number };
/** Summed over the server's worker processes (the cluster's primary, which only hands connections over, not counted); each one's figures in `processes`. */
type MemoryReport = Memory & { processes: Memory[] };

export type BenchServer = {
  url: string;
  port: number;
  pid: number;
  /** Server processes serving the port (node:cluster workers; 1: one process, no cluster). */
  workers: number;
  /** The server's memory now, summed over its workers; `gc` runs a full garbage collection in each first (heapUsed is then what is live). */
  memory(gc?: boolean): Promise<MemoryReport>;
  /**
   * CPU time (ms) the server's processes (primary and workers) have used so far, from /proc (Linux;
   * null elsewhere): what its requests cost whatever else shares the cores. A worker that was
   * replaced takes its figure with it.
   */
  cpuMs(): number | null;
  /** Everything the server wrote to stderr (uncaught errors are logged there by the app's onError). */
  stderr(): string;
  stop(): Promise<void>;
};

/** CPU ms of a process and its children (the cluster's workers), from /proc; null where there is none. */
function processTreeCpuMs(pid: number): number | null {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
    let ticks = 0;
    for (const p of [pid, ...children]) {
      // Fields after the command name (which may hold spaces, hence after its closing parenthesis): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    // Linux counts in USER_HZ, 100 a second on every architecture Node runs on.
    return ticks * 10;
  } catch {
    return null;
  }
}

/**
 * Waits until the server's processes are idle (under 5% of one core over half a second, at most
 * 60 s): a fresh start compiles, fills caches and runs the background jobs' first pass, which a
 * server that has been up a while has behind it; a row measures that server, not the start.
 */
async function untilIdle(pid: number) {
  const deadline = Date.now() + 60_000;
  let last = processTreeCpuMs(pid);
  while (last !== null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = processTreeCpuMs(pid);
    if (now === null || now - last <= 25) return;
    last = now;
  }
}

/** Under vitest (the soak test) the environment carries Vite's variables; the server must not see them. */
function withoutVitestEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'TEST'].includes(k) && !k.startsWith('VITEST')));
}

/**
 * Starts crosstrain (`app`, on `databasePath`), the hello-world baseline (`hello`) or a render floor
 * (`floor`) on a loopback port, in `env.WORKERS` processes (default as `npm start`: one per core).
 */
export function startBenchServer(mode: 'app' | 'hello' | 'floor', databasePath?: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const child: ChildProcess = fork(resolve(root, 'bench/server.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...withoutVitestEnv(process.env), ...env, BENCH_MODE: mode, BENCH_DATABASE_PATH: databasePath ?? '', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    if (errors.length < 200_000) errors += chunk.toString();
  });
  const pendingMemory: ((m: MemoryReport) => void)[] = [];
  return new Promise((resolveStart, rejectStart) => {
    const failed = (code: number | null) => rejectStart(new Error(`The ${mode} server exited (${code}) before listening:\n${errors}`));
    child.once('exit', failed);
    child.on('message', async (message: { type: string; port?: number; workers?: number } & MemoryReport) => {
      if (message.type === 'memory') pendingMemory.shift()?.(message);
      if (message.type !== 'ready') return;
      await untilIdle(child.pid!);
      child.off('exit', failed);
      const port = message.port!;
      resolveStart({
        url: `http://127.0.0.1:${port}`,
        port,
        pid: child.pid!,
        workers: message.workers!,
        memory: (gc = false) =>
          new Promise((resolveMemory) => {
            pendingMemory.push(resolveMemory);
            child.send({ type: 'memory', gc });
          }),
        cpuMs: () => processTreeCpuMs(child.pid!),
        stderr: () => errors,
        stop: () =>
          new Promise((resolveStop) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
            child.once('exit', () => resolveStop());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

export type RequestSpec = { method?: string; path: string; headers?: Record<string, string>; body?: string };

export type LoadOptions = {
  url: string;
  /** Seconds. */
  duration: number;
  connections?: number;
  /** One fixed request, or a generator called for every request (mixed loads, changing targets). */
  request: RequestSpec | (() => RequestSpec);
  /** Statuses that count as success; anything else is an error response. Default: 2xx. */
  ok?: (status: number) => boolean;
  /** Width of the latency windows, ms. */
  windowMs?: number;
  /** The server's CPU ms so far (BenchServer.cpuMs), read when the measured stretch begins and ends. */
  serverCpuMs?: () => number | null;
  /** Called once a second with the elapsed seconds (memory sampling). */
  onTick?: (second: number) => void;
  /**
   * Seconds of load before `duration` whose requests are not counted, on the same connections: a
   * saturated server accepts new connections one per turn of its event loop, so the first seconds
   * of a cold start measure that. Only requests sent after the warm-up count.
   */
  warmupSeconds?: number;
};

export type LoadResult = {
  requests: number;
  /** Mean requests per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  /** Responses with an unexpected status, by status. */
  badStatuses: Record<number, number>;
  badResponses: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** The errors by message (`request timed out`, `ECONNRESET` …). */
  errorKinds: Record<string, number>;
  /** p99 latency (ms) and count per window of `windowMs`. */
  windows: { p99: number; count: number }[];
  /** Connections that had been answered when the measured stretch began. */
  connectionsReady: number;
  /**
   * CPU the load generator's process used over the measured stretch, as a share of one core (it
   * shares the machine's cores with the server; 1 would mean the client itself was the limit).
   */
  clientCpu: number;
  /** CPU ms the server used over the measured stretch per request counted (when serverCpuMs was given and could be read). */
  serverCpuPerRequest: number | null;
};

export function percentile(sorted: number[], p: number) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const ok = options.ok ?? ((s: number) => s >= 200 && s < 300);
  const windowMs = options.windowMs ?? 10_000;
  const latencies: number[][] = [];
  const badStatuses: Record<number, number> = {};
  let badResponses = 0;
  // A request's own headers replace autocannon's defaults, Host included; Node answers 400 without one.
  const host = new URL(options.url).host;
  const toRequest = (spec: RequestSpec) => ({ method: spec.method ?? 'GET', path: spec.path, headers: { host, ...spec.headers }, body: spec.body });
  const generate = typeof options.request === 'function' ? options.request : null;
  const fixed = typeof options.request === 'function' ? null : options.request;
  const connections = options.connections ?? 50;
  const started = Date.now();
  const warmupMs = (options.warmupSeconds ?? 0) * 1000;
  // The measured stretch starts once the warm-up is over and, with a warm-up, every connection has
  // had an answer: a saturated server accepts one new connection per turn of its event loop, so
  // until then fewer connections are really in play and latency climbs as the rest get in.
  // Waiting for that is bounded; a server that never takes them all is measured as it is.
  const gate = warmupMs > 0;
  const READY_WAIT_MS = 60_000;
  const GRACE_MS = 3_000;
  const answered = new Set<unknown>();
  let measureFrom = gate ? Infinity : started;
  const kept: number[] = [];
  let finish!: (r: autocannon.Result) => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<autocannon.Result>((res, rej) => {
    finish = res;
    fail = rej;
  });
  const instance = autocannon(
    {
      url: options.url,
      connections,
      duration: options.duration + (gate ? (warmupMs + READY_WAIT_MS) / 1000 : 0),
      timeout: 30,
      // autocannon takes the path from `url` or from `requests`, never from a top-level option.
      requests: [generate ? { setupRequest: () => toRequest(generate()) as never } : (toRequest(fixed!) as never)],
    } as autocannon.Options,
    (err, result) => (err ? fail(err) : finish(result)),
  );
  let stopTimer: NodeJS.Timeout | undefined;
  // CPU (the client's own, the server's) over exactly the counted stretch: the grace after it is not counted.
  let cpuFrom = process.cpuUsage();
  let serverCpuFrom: number | null = null;
  let cpuSpent: { client: NodeJS.CpuUsage; server: number | null; ms: number } | null = null;
  const readCpu = () => {
    cpuSpent ??= {
      client: process.cpuUsage(cpuFrom),
      server: serverCpuFrom === null ? null : (options.serverCpuMs?.() ?? null),
      ms: Math.max(1, Date.now() - (Number.isFinite(measureFrom) ? measureFrom : started)),
    };
  };
  let cpuTimer: NodeJS.Timeout | undefined;
  const startMeasuring = (now: number) => {
    measureFrom = now;
    cpuFrom = process.cpuUsage();
    serverCpuFrom = options.serverCpuMs?.() ?? null;
    cpuTimer = setTimeout(readCpu, options.duration * 1000);
    // Requests sent in the last moments are let finish: a stretch cut off at its end would keep only
    // the fast ones of its last window.
    stopTimer = setTimeout(() => instance.stop(), options.duration * 1000 + (gate ? GRACE_MS : 0));
  };
  const readyTimer = gate ? setTimeout(() => measureFrom === Infinity && startMeasuring(Date.now()), warmupMs + READY_WAIT_MS) : undefined;
  instance.on('response', (client: unknown, status: number, _bytes: number, responseTime: number) => {
    const now = Date.now();
    // A wrong answer is wrong whenever it came, warm-up included.
    if (!ok(status)) {
      badResponses++;
      badStatuses[status] = (badStatuses[status] ?? 0) + 1;
    }
    if (measureFrom === Infinity) {
      answered.add(client);
      if (answered.size >= connections && now - started >= warmupMs) startMeasuring(now);
      return;
    }
    // Counted by when the request was sent: one sent before the measured stretch (a connection's
    // first, queued while the server had not accepted it yet) describes the cold start, and windows
    // by sending time are not skewed by latencies as long as the window.
    const sentAt = now - responseTime - measureFrom;
    if (sentAt < 0 || sentAt >= options.duration * 1000) return;
    (latencies[Math.floor(sentAt / windowMs)] ??= []).push(responseTime);
    kept.push(responseTime);
  });
  const errorKinds: Record<string, number> = {};
  instance.on('reqError', (e: Error) => (errorKinds[e.message] = (errorKinds[e.message] ?? 0) + 1));
  let second = 0;
  const ticker = options.onTick ? setInterval(() => options.onTick!(++second), 1000) : null;
  const result = await done;
  clearTimeout(cpuTimer);
  readCpu();
  const spent = cpuSpent!;
  if (ticker) clearInterval(ticker);
  clearTimeout(stopTimer);
  clearTimeout(readyTimer);
  // A last, partial window would have too few responses for a meaningful p99.
  const windows = Array.from({ length: Math.max(1, Math.floor((options.duration * 1000) / windowMs)) }, (_, i) => latencies[i] ?? [])
    .filter((w) => w.length)
    .map((w) => {
      const sorted = Float64Array.from(w).sort();
      return { p99: percentile(Array.from(sorted), 99), count: w.length };
    });
  const sortedKept = Array.from(Float64Array.from(kept).sort());
  return {
    requests: kept.length,
    rps: kept.length / options.duration,
    p50: percentile(sortedKept, 50),
    p99: percentile(sortedKept, 99),
    connectionsReady: gate ? answered.size : connections,
    clientCpu: (spent.client.user + spent.client.system) / 1000 / spent.ms,
    serverCpuPerRequest: serverCpuFrom !== null && spent.server !== null && kept.length ? (spent.server - serverCpuFrom) / kept.length : null,
    badStatuses,
    badResponses,
    // autocannon counts a timeout in both.
    errors: result.errors,
    errorKinds,
    windows,
  };
}

/**
 * Writes going on beside a measured row: `rate` requests a second (autocannon's overallRate) on two
 * connections of their own, until stopped. Answers how many went through and how many were wrong.
 */
export function startBackgroundLoad(options: { url: string; rate: number; request: () => RequestSpec; ok?: (status: number) => boolean }) {
  const ok = options.ok ?? ((s: number) => s >= 200 && s < 400);
  const host = new URL(options.url).host;
  let requests = 0;
  let bad = 0;
  let finish!: () => void;
  const done = new Promise<void>((res) => (finish = res));
  const instance = autocannon(
    {
      url: options.url,
      connections: 2,
      overallRate: options.rate,
      duration: 3600,
      timeout: 30,
      requests: [
        {
          setupRequest: () => {
            const spec = options.request();
            return { method: spec.method ?? 'GET', path: spec.path, headers: { host, ...spec.headers }, body: spec.body } as never;
          },
        },
      ],
    } as autocannon.Options,
    () => finish(),
  );
  instance.on('response', (_client: unknown, status: number) => {
    requests++;
    if (!ok(status)) bad++;
  });
  return {
    async stop() {
      instance.stop();
      await done;
      return { requests, bad };
    },
  };
}
