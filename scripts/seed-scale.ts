/*
 * A large synthetic company for benchmarks and load tests: 10,000 people in 100 teams, and — for every
 * feature whose tables exist — its data at the scale the product must hold (events, invitations,
 * rotations, programs, surveys). Everything is written with raw prepared statements in a few big
 * transactions: the point is minutes, not hours.
 *
 *   npm run seed:scale               → data/scale.db (DATABASE_PATH overrides), replaced if present
 *   npm run seed:scale -- --people 2000
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { openDatabase, type Db } from '../src/db';
import { hashPassword } from '../src/auth/password';
import { seededRandom, pick } from '../src/demo';

export const SCALE_PASSWORD = 'crosstrain-scale';

export type ScaleOptions = {
  /** Total people, HR and managers included. */
  people?: number;
  /** Teams, split evenly between sales and marketing. */
  teams?: number;
  /** The instant the data is built around (past and upcoming data relative to it). */
  now?: Date;
  /** Hash every person signs in with; computed from SCALE_PASSWORD when absent. */
  passwordHash?: string;
  /** Feature data scale, 1 = the full figures of issue 7 (50,000 events, 1,000,000 invitations …). */
  featureScale?: number;
  log?: (line: string) => void;
};

/** Well-known accounts of the scale company, the same emails as the demo and the test company. */
export type ScaleKeyPeople = {
  hr: number;
  salesManager: number;
  westManager: number;
  marketingManager: number;
  rep: number;
  rep2: number;
  westRep: number;
  marketer: number;
};

export type ScaleCompany = {
  key: ScaleKeyPeople;
  peopleCount: number;
  teamCount: number;
  /** Ids of active employees by department, for load generators that pick random people. */
  salesIds: number[];
  marketingIds: number[];
  managerIds: number[];
  teamIds: { sales: number[]; marketing: number[] };
  /** What each feature filler wrote, e.g. { events: 50000, invitations: 1000000 }. */
  rows: Record<string, number>;
  timings: Record<string, number>;
};

const FIRST = ['Ada', 'Bo', 'Cem', 'Dita', 'Eli', 'Fay', 'Gus', 'Hal', 'Ida', 'Jo', 'Kai', 'Lea', 'Mo', 'Nia', 'Oli', 'Pia', 'Raj', 'Sol', 'Tom', 'Uma', 'Vic', 'Wen', 'Xan', 'Yara', 'Zed'];
const LAST = ['Abbott', 'Bauer', 'Costa', 'Dahl', 'Evans', 'Frost', 'Gupta', 'Hale', 'Iyer', 'Jung', 'Klein', 'Lund', 'Mora', 'Nagy', 'Ortiz', 'Park', 'Quinn', 'Roth', 'Saar', 'Toth', 'Ueda', 'Vogel', 'Ward', 'Yilmaz', 'Zhou'];
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'Asia/Singapore', 'Australia/Sydney', 'UTC'];
const SALES_TITLES = ['Account Executive', 'Senior Account Executive', 'Sales Development Rep', 'Solutions Engineer'];
const MARKETING_TITLES = ['Product Marketing Manager', 'Campaign Manager', 'Content Strategist', 'Field Marketing Manager'];

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export function tableExists(db: Db, name: string) {
  return !!db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

/** Builds the people part of the scale company; returns the ids load generators need. */
export function seedScalePeople(db: Db, options: Required<Pick<ScaleOptions, 'people' | 'teams' | 'now' | 'passwordHash'>>): Omit<ScaleCompany, 'rows' | 'timings'> {
  const random = seededRandom(7);
  const client = db.$client;
  const now = options.now.getTime();
  const daysAgo = (n: number) => isoDate(new Date(now - n * 86_400_000));
  const insertTeam = client.prepare('INSERT INTO teams (name, department) VALUES (?, ?)');
  const setTeamManager = client.prepare('UPDATE teams SET manager_id = ? WHERE id = ?');
  const insertPerson = client.prepare(
    'INSERT INTO people (email, name, department, title, team_id, manager_id, hire_date, time_zone, role, password_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const add = (email: string, name: string, department: string, title: string, teamId: number | null, managerId: number | null, hireDate: string, zone: string, role: string) =>
    Number(insertPerson.run(email, name, department, title, teamId, managerId, hireDate, zone, role, options.passwordHash, now).lastInsertRowid);

  return client.transaction(() => {
    const hr = add('hr@example.com', 'Helen Hart', 'other', 'People Partner', null, null, daysAgo(2000), 'Europe/London', 'hr');
    add('hr.ops@example.com', 'Oscar Holm', 'other', 'HR Operations', null, null, daysAgo(900), 'Europe/Berlin', 'hr');
    const vpSales = add('vp.sales@example.com', 'Victoria Sales', 'sales', 'VP Sales', null, null, daysAgo(1900), 'America/New_York', 'manager');
    const vpMarketing = add('vp.marketing@example.com', 'Valentin Marchetti', 'marketing', 'VP Marketing', null, null, daysAgo(1700), 'Europe/London', 'manager');
    const teamIds = { sales: [] as number[], marketing: [] as number[] };
    const teamManagers: number[] = [];
    const teamMeta: { id: number; department: 'sales' | 'marketing'; zone: string; manager: number }[] = [];
    const managerEmails: Record<string, string> = { 'sales:0': 'sales.manager@example.com', 'sales:1': 'west.manager@example.com', 'marketing:0': 'marketing.manager@example.com', 'marketing:1': 'demand.manager@example.com' };
    for (let i = 0; i < options.teams; i++) {
      const department = i % 2 === 0 ? 'sales' : 'marketing';
      const n = Math.floor(i / 2);
      const id = Number(insertTeam.run(`${department === 'sales' ? 'Sales' : 'Marketing'} ${String(n + 1).padStart(3, '0')}`, department).lastInsertRowid);
      const zone = ZONES[i % ZONES.length];
      const email = managerEmails[`${department}:${n}`] ?? `manager.${department}.${n + 1}@example.com`;
      const manager = add(email, `${pick(random, FIRST)} ${pick(random, LAST)}`, department, department === 'sales' ? 'Sales Manager' : 'Marketing Manager', id, department === 'sales' ? vpSales : vpMarketing, daysAgo(800 + Math.floor(random() * 1500)), zone, 'manager');
      setTeamManager.run(manager, id);
      teamIds[department].push(id);
      teamManagers.push(manager);
      teamMeta.push({ id, department, zone, manager });
    }
    const special: Record<string, string> = { 'sales:0:0': 'rep@example.com', 'sales:0:1': 'rep2@example.com', 'sales:1:0': 'westrep@example.com', 'marketing:0:0': 'marketer@example.com', 'marketing:0:1': 'marketer2@example.com', 'marketing:1:0': 'demand@example.com' };
    const salesIds: number[] = [];
    const marketingIds: number[] = [];
    const key: Partial<ScaleKeyPeople> = { hr };
    const members = options.people - 4 - options.teams;
    const perTeam = new Array<number>(options.teams).fill(0);
    for (let m = 0; m < members; m++) {
      const t = m % options.teams;
      const team = teamMeta[t];
      const index = perTeam[t]++;
      const n = Math.floor(t / 2);
      const email = special[`${team.department}:${n}:${index}`] ?? `person${m + 1}@example.com`;
      const titles = team.department === 'sales' ? SALES_TITLES : MARKETING_TITLES;
      // Every 40th person is a new hire, so new-hire rules and onboarding programs have work.
      const hire = m % 40 === 0 ? daysAgo(Math.floor(random() * 80)) : daysAgo(90 + Math.floor(random() * 2000));
      const id = add(email, `${pick(random, FIRST)} ${pick(random, LAST)} ${m + 1}`, team.department, pick(random, titles), team.id, team.manager, hire, team.zone, 'employee');
      (team.department === 'sales' ? salesIds : marketingIds).push(id);
      if (email === 'rep@example.com') key.rep = id;
      if (email === 'rep2@example.com') key.rep2 = id;
      if (email === 'westrep@example.com') key.westRep = id;
      if (email === 'marketer@example.com') key.marketer = id;
    }
    key.salesManager = teamMeta.find((t) => t.department === 'sales')!.manager;
    key.westManager = teamMeta.filter((t) => t.department === 'sales')[1]?.manager ?? key.salesManager;
    key.marketingManager = teamMeta.find((t) => t.department === 'marketing')!.manager;
    return {
      key: key as ScaleKeyPeople,
      peopleCount: options.people,
      teamCount: options.teams,
      salesIds,
      marketingIds,
      managerIds: [vpSales, vpMarketing, ...teamManagers],
      teamIds,
    };
  })();
}

/**
 * A feature's part of the scale company. `tables` must all exist for it to run, so the seed works at
 * every stage of the product; fillers run in order and may use what earlier ones wrote (`rows`).
 */
export type ScaleFiller = {
  name: string;
  tables: string[];
  fill: (db: Db, company: ScaleCompany, ctx: { now: Date; random: () => number; scale: number; log: (line: string) => void }) => Record<string, number>;
};

/** Feature fillers, in dependency order; each is skipped while its tables do not exist. */
export const scaleFillers: ScaleFiller[] = [];

/** Builds the whole scale company into an open, migrated, empty database. */
export async function seedScale(db: Db, options: ScaleOptions = {}): Promise<ScaleCompany> {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const timings: Record<string, number> = {};
  const passwordHash = options.passwordHash ?? (await hashPassword(SCALE_PASSWORD));
  let t0 = performance.now();
  const base = seedScalePeople(db, { people: options.people ?? 10_000, teams: options.teams ?? 100, now, passwordHash });
  timings.people = performance.now() - t0;
  log(`people: ${base.peopleCount} in ${base.teamCount} teams (${timings.people.toFixed(0)} ms)`);
  const company: ScaleCompany = { ...base, rows: { people: base.peopleCount, teams: base.teamCount }, timings };
  const random = seededRandom(11);
  for (const filler of scaleFillers) {
    const missing = filler.tables.filter((t) => !tableExists(db, t));
    if (missing.length) {
      log(`${filler.name}: skipped (no table ${missing.join(', ')} yet)`);
      continue;
    }
    t0 = performance.now();
    const rows = filler.fill(db, company, { now, random, scale: options.featureScale ?? 1, log });
    timings[filler.name] = performance.now() - t0;
    Object.assign(company.rows, rows);
    log(`${filler.name}: ${Object.entries(rows).map(([k, v]) => `${v} ${k}`).join(', ')} (${(timings[filler.name] / 1000).toFixed(1)} s)`);
  }
  db.$client.pragma('optimize');
  return company;
}

/** Deletes `path` (and its WAL files) and builds the scale company there. */
export async function buildScaleDatabase(path: string, options: ScaleOptions = {}) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = openDatabase(path);
  try {
    const company = await seedScale(db, options);
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    return company;
  } finally {
    db.$client.close();
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const path = process.env.DATABASE_PATH ?? 'data/scale.db';
  console.log(`Building the scale company in ${path} …`);
  const t0 = performance.now();
  const company = await buildScaleDatabase(path, { people: option('people'), teams: option('teams'), featureScale: option('scale'), log: (l) => console.log(`  ${l}`) });
  console.log(`Done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${Object.entries(company.rows).map(([k, v]) => `${v} ${k}`).join(', ')}.`);
  console.log(`Everyone signs in with the password ${SCALE_PASSWORD} (e.g. hr@example.com, sales.manager@example.com, rep@example.com).`);
}
