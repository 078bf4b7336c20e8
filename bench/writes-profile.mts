// In-process cost of each write (one request after another, no concurrency):
//   npx tsx bench/writes-profile.mts [db] [n] [kind prefix] [--sql] [--no-checkpoint]
// --sql adds the time and count per SQL statement of each write kind (as bench/sqlprof.mts does for pages);
// --no-checkpoint leaves the WAL unchecked (no automatic checkpoint inside a COMMIT), to tell the two costs apart, and
// counts the pages each write adds to the WAL (what its COMMIT writes and a checkpoint copies back).
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
  const statuses = new Map<number, number>();
  let cpu = 0;
  stats.clear();
  const noCheckpoint = flags.has('--no-checkpoint');
  if (noCheckpoint) db.$client.pragma('wal_checkpoint(TRUNCATE)');
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
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
  timing?.measure(false);
  times.sort((a, b) => a - b);
  console.log(
    `${name}: ${specs.length} requests, median ${times[times.length >> 1]?.toFixed(2)} ms, p99 ${times[Math.floor(times.length * 0.99)]?.toFixed(2)} ms, cpu/req ${(cpu / specs.length).toFixed(2)} ms, statuses ${JSON.stringify([...statuses])}${
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
