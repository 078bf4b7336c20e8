// Time per SQL statement during renders: [ROLE=manager] npx tsx bench/sqlprof.mts [db] path
import type Database from 'better-sqlite3';
import { createApp } from '../src/app';
import { openDatabase } from '../src/db';
import { systemClock } from '../src/lib/clock';
import { viewerCookies } from './context';

const dbPath = process.argv[2] ?? 'data/scale.db';
const paths = process.argv.slice(3);
const db = openDatabase(dbPath);
const proto = Object.getPrototypeOf(db.$client.prepare('SELECT 1'));
const stats = new Map<string, { n: number; ms: number }>();
let on = false;
for (const m of ['all', 'get', 'run', 'iterate']) {
  const orig = proto[m];
  proto[m] = function (this: Database.Statement, ...a: unknown[]) {
    if (!on) return orig.apply(this, a);
    const t = performance.now();
    try {
      return orig.apply(this, a);
    } finally {
      const s = stats.get(this.source) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += performance.now() - t;
      stats.set(this.source, s);
    }
  };
}
const app = createApp({ db, clock: systemClock, mailer: null });
const cookies = viewerCookies(db);
for (const path of paths) {
  for (const cookie of cookies) await app.request(path, { headers: { host: 'localhost', cookie, accept: 'text/html' } });
  stats.clear();
  on = true;
  let total = 0;
  for (const cookie of cookies) {
    const t = performance.now();
    await (await app.request(path, { headers: { host: 'localhost', cookie, accept: 'text/html' } })).arrayBuffer();
    total += performance.now() - t;
  }
  on = false;
  let sqlms = 0,
    sqln = 0;
  const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
  for (const [, s] of rows) {
    sqlms += s.ms;
    sqln += s.n;
  }
  console.log(
    `\n== ${path}: per request ${(total / cookies.length).toFixed(2)} ms, SQL ${(sqlms / cookies.length).toFixed(2)} ms in ${(sqln / cookies.length).toFixed(1)} statements`,
  );
  for (const [src, s] of rows.slice(0, 12))
    console.log(
      `${(s.ms / cookies.length).toFixed(2).padStart(7)} ms ${(s.n / cookies.length).toFixed(1).padStart(5)}x  ${src
        .replace(/\s+/g, ' ')
        .replace(/^select .*? from /i, '… from ')
        .slice(0, 330)}`,
    );
}
