// In-process cost of each write (one request after another, no concurrency):
//   npx tsx bench/writes-profile.mts [db] [n] [kind prefix] [--sql] [--no-checkpoint]
// --sql adds the time and count per SQL statement of each write kind (as bench/sqlprof.mts does for pages);
// --no-checkpoint leaves the WAL unchecked (no automatic checkpoint inside a COMMIT), to tell the two costs apart, and
// counts the pages each write adds to the WAL (what its COMMIT writes and a checkpoint copies back);
// --cpu-prof writes a CPU profile of each kind's requests alone (writes-<kind>.cpuprofile, for Chrome's DevTools).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createApp } from '../src/app';
import { openDatabase } from '../src/db';
import { systemClock } from '../src/lib/clock';
import { loadScaleCompany } from '../scripts/seed-scale';
import { createBenchContext } from './context';
import { attendanceMarks, invitationAnswers, seatClaims } from './scenarios';
import type { RequestSpec } from './load';
import { timeStatements } from './statement-timing';

const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
const [dbPath, count, only] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const db = openDatabase(dbPath ?? 'data/writes.db');
// The time each write holds the write lock (BEGIN IMMEDIATE to the end of COMMIT): under load the other
// writers queue behind it, so it bounds the writes a second and sets their p99.
let lockMs = 0;
const transaction = db.$client.transaction.bind(db.$client);
db.$client.transaction = ((fn: (...args: never[]) => unknown) => {
  const { immediate } = transaction(fn);
  // writeTransaction takes only the immediate variant (better-sqlite3 freezes the function's own).
  return {
    immediate: (...args: never[]) => {
      // Nested, it is a savepoint inside the time already counted.
      if (db.$client.inTransaction) return immediate(...args);
      const t0 = performance.now();
      try {
        return immediate(...args);
      } finally {
        lockMs += performance.now() - t0;
      }
    },
  };
}) as unknown as typeof db.$client.transaction;
const n = Number(count ?? 200);
if (flags.has('--no-checkpoint')) db.$client.pragma('wal_autocheckpoint = 0');
const timing = flags.has('--sql') ? timeStatements(db) : null;
const stats = timing?.stats ?? new Map<string, { n: number; ms: number }>();
const app = createApp({ db, clock: systemClock, mailer: null });
const ctx = createBenchContext(
  db,
  loadScaleCompany(db),
  (() => {
    let s = 1;
    return () => (s = (s * 16807) % 2147483647) / 2147483647;
  })(),
);
const ids = ctx.company.salesIds;
let k = 0;
const kinds: [string, RequestSpec[]][] = [
  ['seat claim', seatClaims(ctx, n)],
  ['invitation answer', invitationAnswers(ctx, n)],
  [
    'person update',
    Array.from({ length: n }, () => ({
      method: 'PATCH',
      path: `/api/v1/people/${ids[k % ids.length]}`,
      headers: { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Account Executive ${k++ % 7}` }),
    })),
  ],
  ['attendance', attendanceMarks(ctx, n)],
];
for (const [name, specs] of kinds) {
  if (only && !name.startsWith(only)) continue;
  const times: number[] = [];
  const locks: number[] = [];
  const statuses = new Map<number, number>();
  let cpu = 0;
  lockMs = 0;
  stats.clear();
  const noCheckpoint = flags.has('--no-checkpoint');
  if (noCheckpoint) db.$client.pragma('wal_checkpoint(TRUNCATE)');
  const profiler = flags.has('--cpu-prof') ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  timing?.measure(true);
  for (const spec of specs) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const res = await app.request(spec.path, {
      method: spec.method ?? 'GET',
      headers: { host: 'localhost', origin: 'http://localhost', ...spec.headers },
      body: spec.body,
    });
    await res.arrayBuffer();
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1000;
    times.push(performance.now() - t0);
    locks.push(lockMs);
    lockMs = 0;
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
  timing?.measure(false);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(`writes-${name.replace(/ /g, '-')}.cpuprofile`, JSON.stringify(profile));
    profiler.disconnect();
  }
  const meanTime = times.reduce((t, x) => t + x, 0) / times.length;
  const meanLock = locks.reduce((t, x) => t + x, 0) / locks.length;
  times.sort((a, b) => a - b);
  locks.sort((a, b) => a - b);
  console.log(
    `${name}: ${specs.length} requests, median ${times[times.length >> 1]?.toFixed(2)} ms (mean ${meanTime.toFixed(2)}), p99 ${times[Math.floor(times.length * 0.99)]?.toFixed(2)} ms, cpu/req ${(cpu / specs.length).toFixed(2)} ms, write lock held: median ${locks[locks.length >> 1]?.toFixed(2)} ms (mean ${meanLock.toFixed(2)}), statuses ${JSON.stringify([...statuses])}${
      noCheckpoint ? `, WAL pages/req ${((db.$client.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log / specs.length).toFixed(1)}` : ''
    }`,
  );
  if (!flags.has('--sql')) continue;
  const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
  const per = (x: number) => (x / specs.length).toFixed(3);
  console.log(`  SQL ${per(rows.reduce((t, [, s]) => t + s.ms, 0))} ms in ${per(rows.reduce((t, [, s]) => t + s.n, 0))} statements per request`);
  for (const [src, s] of rows.slice(0, 25))
    console.log(
      `  ${per(s.ms).padStart(7)} ms ${per(s.n).padStart(6)}x  ${src
        .replace(/\s+/g, ' ')
        .replace(/^select .*? from /i, '… from ')
        .slice(0, 300)}`,
    );
}
