// In-process cost of each write (one request after another, no concurrency): npx tsx bench/writes-profile.mts [db] [n]
import { createApp } from '../src/app';
import { openDatabase } from '../src/db';
import { systemClock } from '../src/lib/clock';
import { loadScaleCompany } from '../scripts/seed-scale';
import { createBenchContext } from './context';
import { attendanceMarks, invitationAnswers, seatClaims } from './scenarios';
import type { RequestSpec } from './load';

const db = openDatabase(process.argv[2] ?? 'data/writes.db');
const n = Number(process.argv[3] ?? 200);
const only = process.argv[4];
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
  times.sort((a, b) => a - b);
  console.log(
    `${name}: ${specs.length} requests, median ${times[times.length >> 1]?.toFixed(2)} ms, p99 ${times[Math.floor(times.length * 0.99)]?.toFixed(2)} ms, cpu/req ${(cpu / specs.length).toFixed(2)} ms, statuses ${JSON.stringify([...statuses])}`,
  );
}
