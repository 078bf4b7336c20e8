// Time per SQL statement during renders: [ROLE=manager] npx tsx bench/sqlprof.mts [db] path
import { createApp } from '../src/app';
import { openDatabase } from '../src/db';
import { systemClock } from '../src/lib/clock';
import { viewerCookies } from './context';
import { timeStatements } from './statement-timing';

const dbPath = process.argv[2] ?? 'data/scale.db';
const paths = process.argv.slice(3);
const db = openDatabase(dbPath);
const { stats, measure } = timeStatements(db);
const app = createApp({ db, clock: systemClock, mailer: null });
const cookies = viewerCookies(db);
for (const path of paths) {
  for (const cookie of cookies) await app.request(path, { headers: { host: 'localhost', cookie, accept: 'text/html' } });
  stats.clear();
  measure(true);
  let total = 0;
  for (const cookie of cookies) {
    const t = performance.now();
    await (await app.request(path, { headers: { host: 'localhost', cookie, accept: 'text/html' } })).arrayBuffer();
    total += performance.now() - t;
  }
  measure(false);
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
