import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db';
import { systemClock } from '../src/lib/clock';
import { hashPassword } from '../src/auth/password';
import { DEMO_PASSWORD, seededRandom, type DemoSeeder } from '../src/demo';
import { startServer } from '../src/server';
import { wireFeatureListeners } from '../src/wiring';

/** Builds the demo database from every feature's src/<feature>/demo.ts (and demo-*.ts), in their order. */
export async function buildDemo(path: string, log: (line: string) => void = console.log) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = openDatabase(path);
  wireFeatureListeners(db);
  const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
  const seeders: (DemoSeeder & { name: string })[] = [];
  for (const dir of readdirSync(src, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(join(src, dir.name)).filter((name) => /^demo(-[a-z-]+)?\.ts$/.test(name))) {
      const seeder = (await import(pathToFileURL(join(src, dir.name, file)).href)) as DemoSeeder;
      seeders.push({ name: `${dir.name}/${file}`, ...seeder });
    }
  }
  seeders.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  const ctx = { clock: systemClock, passwordHash: await hashPassword(DEMO_PASSWORD), random: seededRandom(20261123), log };
  for (const seeder of seeders) await seeder.seedDemo(db, ctx);
  db.$client.pragma('optimize');
  db.$client.close();
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const config = loadConfig({ ...process.env, DATABASE_PATH: process.env.DATABASE_PATH ?? 'data/demo.db' });
  console.log(`Building the demo company in ${config.DATABASE_PATH} …`);
  await buildDemo(config.DATABASE_PATH);
  await startServer(config, {
    banner: [
      '',
      `Demo accounts (password: ${DEMO_PASSWORD}):`,
      '  hr@example.com                 HR',
      '  sales.manager@example.com      manager of Sales East',
      '  marketing.manager@example.com  manager of Product Marketing',
      '  rep@example.com                sales rep in Sales East',
      '  marketer@example.com           marketer in Product Marketing',
      '',
    ],
  });
}
