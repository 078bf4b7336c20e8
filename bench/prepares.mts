// Statements compiled per request once pages are warm (should be 0: every query is prepared once per database):
//   ROLE=employee|manager|hr npx tsx bench/prepares.mts [db] path...
import Database from 'better-sqlite3';

// Counted below the app: every compile of SQL by better-sqlite3, whoever asks for it.
const compile = Database.prototype.prepare;
let counting = false;
const compiled = new Map<string, number>();
Database.prototype.prepare = function (this: Database.Database, source: string) {
  if (counting) compiled.set(source, (compiled.get(source) ?? 0) + 1);
  return compile.call(this, source);
} as typeof compile;

const { createApp } = await import('../src/app');
const { createSession, SESSION_COOKIE } = await import('../src/auth/auth');
const { defaultSettings } = await import('../src/config');
const { openDatabase } = await import('../src/db');
const { systemClock } = await import('../src/lib/clock');

const dbPath = process.argv[2] ?? 'data/scale.db';
const paths = process.argv.slice(3).length ? process.argv.slice(3) : ['/', '/open-seats', '/invitations', '/learning'];
const role = process.env.ROLE ?? 'employee';
const db = openDatabase(dbPath);
const app = createApp({ db, clock: systemClock, mailer: null });
const ids = (db.$client.prepare('SELECT id FROM people WHERE role = ? AND active = 1 ORDER BY id LIMIT 400').all(role) as { id: number }[]).map((r) => r.id);
const viewers = ids.length > 40 ? ids.filter((_, i) => i % 20 === 0).slice(0, 20) : ids.slice(0, 5);
const cookies = viewers.map((id) => `${SESSION_COOKIE}=${createSession(db, systemClock, { ...defaultSettings, SESSION_TTL_HOURS: 24 }, id).token}`);
const view = async (path: string, cookie: string) => (await app.request(path, { headers: { host: 'localhost', cookie, accept: 'text/html' } })).arrayBuffer();
for (const path of paths) {
  for (const cookie of cookies.slice(0, 3)) await view(path, cookie);
  compiled.clear();
  counting = true;
  for (const cookie of cookies) await view(path, cookie);
  counting = false;
  const total = [...compiled.values()].reduce((a, b) => a + b, 0);
  console.log(`${path}: ${(total / cookies.length).toFixed(1)} statements compiled per request (${cookies.length} ${role} viewers)`);
  for (const [source, n] of [...compiled].sort((a, b) => b[1] - a[1]).slice(0, 20))
    console.log(`  ${(n / cookies.length).toFixed(2)}  ${source.replace(/\s+/g, ' ').slice(0, 150)}`);
}
db.$client.close();
