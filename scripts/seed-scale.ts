/*
 * A large synthetic company for benchmarks and load tests: 10,000 people in 100 teams, and — for every
 * feature whose tables exist — its data at the scale the product must hold (events, invitations,
 * rotations, programs, surveys). Another size keeps the same shape: teams of about 100 people and
 * feature data in proportion to the people (100,000 people: 1,000 teams, 500,000 events, 10,000,000
 * invitations), so a page's cost at one size compares with its cost at another. Everything is
 * written with raw prepared statements in a few big transactions: the point is minutes, not hours.
 *
 *   npm run seed:scale               → data/scale.db (DATABASE_PATH overrides), replaced if present
 *   npm run seed:scale -- --people 100000      → 1,000 teams and ten times the feature data
 *   npm run seed:scale -- --people 2000 --teams 20 --scale 0.1
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { openDatabase, writeTransaction, type Db } from '../src/db';
import { extendOccurrenceHorizon } from '../src/events';
import { hashPassword } from '../src/auth/password';
import { pauseScorecardMeetings, rebuildScorecardMeetings } from '../src/scorecard/meetings';
import { seededRandom, pick } from '../src/demo';

export const SCALE_PASSWORD = 'crosstrain-scale';

export type ScaleOptions = {
  /** Total people, HR and managers included. */
  people?: number;
  /** Teams, split evenly between sales and marketing; default one per 100 people (at least 10). */
  teams?: number;
  /** The instant the data is built around (past and upcoming data relative to it). */
  now?: Date;
  /** Hash every person signs in with; computed from SCALE_PASSWORD when absent. */
  passwordHash?: string;
  /**
   * Feature data scale, 1 = the figures of issue 7 for 10,000 people (50,000 events, 1,000,000
   * invitations …); default people / 10,000, the same data per person at every size.
   */
  featureScale?: number;
  /** Which feature fillers run (by name: events, rotations, programs, surveys); default all. */
  features?: string[];
  /** Stop at a failing feature filler instead of leaving that feature's data out. */
  strict?: boolean;
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

const FIRST = [
  'Ada',
  'Bo',
  'Cem',
  'Dita',
  'Eli',
  'Fay',
  'Gus',
  'Hal',
  'Ida',
  'Jo',
  'Kai',
  'Lea',
  'Mo',
  'Nia',
  'Oli',
  'Pia',
  'Raj',
  'Sol',
  'Tom',
  'Uma',
  'Vic',
  'Wen',
  'Xan',
  'Yara',
  'Zed',
];
const LAST = [
  'Abbott',
  'Bauer',
  'Costa',
  'Dahl',
  'Evans',
  'Frost',
  'Gupta',
  'Hale',
  'Iyer',
  'Jung',
  'Klein',
  'Lund',
  'Mora',
  'Nagy',
  'Ortiz',
  'Park',
  'Quinn',
  'Roth',
  'Saar',
  'Toth',
  'Ueda',
  'Vogel',
  'Ward',
  'Yilmaz',
  'Zhou',
];
const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Asia/Singapore',
  'Australia/Sydney',
  'UTC',
];
const SALES_TITLES = ['Account Executive', 'Senior Account Executive', 'Sales Development Rep', 'Solutions Engineer'];
const MARKETING_TITLES = ['Product Marketing Manager', 'Campaign Manager', 'Content Strategist', 'Field Marketing Manager'];

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export function tableExists(db: Db, name: string) {
  return !!db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

/** Builds the people part of the scale company; returns the ids load generators need. */
export function seedScalePeople(
  db: Db,
  options: Required<Pick<ScaleOptions, 'people' | 'teams' | 'now' | 'passwordHash'>>,
): Omit<ScaleCompany, 'rows' | 'timings'> {
  const random = seededRandom(7);
  const client = db.$client;
  const now = options.now.getTime();
  const daysAgo = (n: number) => isoDate(new Date(now - n * 86_400_000));
  const insertTeam = client.prepare('INSERT INTO teams (name, department) VALUES (?, ?)');
  const setTeamManager = client.prepare('UPDATE teams SET manager_id = ? WHERE id = ?');
  const insertPerson = client.prepare(
    'INSERT INTO people (email, name, department, title, team_id, manager_id, hire_date, time_zone, role, password_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const add = (
    email: string,
    name: string,
    department: string,
    title: string,
    teamId: number | null,
    managerId: number | null,
    hireDate: string,
    zone: string,
    role: string,
  ) => Number(insertPerson.run(email, name, department, title, teamId, managerId, hireDate, zone, role, options.passwordHash, now).lastInsertRowid);

  return client.transaction(() => {
    const hr = add('hr@example.com', 'Helen Hart', 'other', 'People Partner', null, null, daysAgo(2000), 'Europe/London', 'hr');
    add('hr.ops@example.com', 'Oscar Holm', 'other', 'HR Operations', null, null, daysAgo(900), 'Europe/Berlin', 'hr');
    const vpSales = add('vp.sales@example.com', 'Victoria Sales', 'sales', 'VP Sales', null, null, daysAgo(1900), 'America/New_York', 'manager');
    const vpMarketing = add(
      'vp.marketing@example.com',
      'Valentin Marchetti',
      'marketing',
      'VP Marketing',
      null,
      null,
      daysAgo(1700),
      'Europe/London',
      'manager',
    );
    const teamIds = { sales: [] as number[], marketing: [] as number[] };
    const teamManagers: number[] = [];
    const teamMeta: { id: number; department: 'sales' | 'marketing'; zone: string; manager: number }[] = [];
    const managerEmails: Record<string, string> = {
      'sales:0': 'sales.manager@example.com',
      'sales:1': 'west.manager@example.com',
      'marketing:0': 'marketing.manager@example.com',
      'marketing:1': 'demand.manager@example.com',
    };
    for (let i = 0; i < options.teams; i++) {
      const department = i % 2 === 0 ? 'sales' : 'marketing';
      const n = Math.floor(i / 2);
      const id = Number(insertTeam.run(`${department === 'sales' ? 'Sales' : 'Marketing'} ${String(n + 1).padStart(3, '0')}`, department).lastInsertRowid);
      const zone = ZONES[i % ZONES.length];
      const email = managerEmails[`${department}:${n}`] ?? `manager.${department}.${n + 1}@example.com`;
      const manager = add(
        email,
        `${pick(random, FIRST)} ${pick(random, LAST)}`,
        department,
        department === 'sales' ? 'Sales Manager' : 'Marketing Manager',
        id,
        department === 'sales' ? vpSales : vpMarketing,
        daysAgo(800 + Math.floor(random() * 1500)),
        zone,
        'manager',
      );
      setTeamManager.run(manager, id);
      teamIds[department].push(id);
      teamManagers.push(manager);
      teamMeta.push({ id, department, zone, manager });
    }
    const special: Record<string, string> = {
      'sales:0:0': 'rep@example.com',
      'sales:0:1': 'rep2@example.com',
      'sales:1:0': 'westrep@example.com',
      'marketing:0:0': 'marketer@example.com',
      'marketing:0:1': 'marketer2@example.com',
      'marketing:1:0': 'demand@example.com',
    };
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
      const id = add(
        email,
        `${pick(random, FIRST)} ${pick(random, LAST)} ${m + 1}`,
        team.department,
        pick(random, titles),
        team.id,
        team.manager,
        hire,
        team.zone,
        'employee',
      );
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
  fill: (db: Db, company: ScaleCompany, ctx: FillContext) => Record<string, number> | Promise<Record<string, number>>;
};

type FillContext = { now: Date; random: () => number; scale: number; log: (line: string) => void };

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const localDateTime = (d: Date, hour: number, minute: number) => `${d.toISOString().slice(0, 10)}T${pad(hour)}:${pad(minute)}`;

/** k distinct items of `pool`, in random order (k much smaller than the pool: rejection sampling). */
function sample<T>(random: () => number, pool: readonly T[], k: number): T[] {
  const n = Math.min(k, pool.length);
  if (n > pool.length / 2) return [...pool].sort(() => random() - 0.5).slice(0, n);
  const chosen = new Set<number>();
  while (chosen.size < n) chosen.add(Math.floor(random() * pool.length));
  return [...chosen].map((i) => pool[i]);
}

type PersonFacts = { id: number; department: string; teamId: number | null; timeZone: string; role: string };
function loadPeople(db: Db): Map<number, PersonFacts> {
  const rows = db.$client.prepare('SELECT id, department, team_id AS teamId, time_zone AS timeZone, role FROM people WHERE active = 1').all() as PersonFacts[];
  return new Map(rows.map((r) => [r.id, r]));
}

const ACCOUNTS = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark Industries',
  'Wayne Enterprises',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
  'Vandelay',
  'Wonka',
];
const TOPICS = ['Q3 campaign brief', 'Competitive battlecard review', 'Launch messaging', 'Pricing objections', 'Win/loss readout', 'Persona refresh'];

/**
 * Events and invitations: 50,000 events (a fifth of them weekly series) hosted by reps (sales calls
 * with one or two guest seats for marketers), marketers (meetings for sales) and managers (large
 * alignment meetings), half a year back and forth around `now`; 1,000,000 invitations. The demo
 * accounts get events near today so their pages have something to show.
 */
const eventsFiller: ScaleFiller = {
  name: 'events',
  tables: ['events', 'invitations'],
  async fill(db, company, { now, random, scale }) {
    const { toRRuleString, lastOccurrenceEnd } = await import('../src/events/recurrence');
    const { zonedLocalToUtc } = await import('../src/lib/time');
    const people = loadPeople(db);
    const client = db.$client;
    const eventCount = Math.round(50_000 * scale);
    const invitationTarget = Math.round(1_000_000 * scale);
    const insertEvent = client.prepare(
      `INSERT INTO events (kind, title, description, host_id, team_id, guest_department, time_zone, start_local, duration_minutes, rrule, span_start, span_end, seats, account, opportunity_stage, location, topic, status, sequence, created_by_id, updated_at)
       VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', 0, ?, ?)`,
    );
    const insertInvitation = client.prepare(
      'INSERT INTO invitations (event_id, person_id, status, holds_seat, source, invited_by_id, responded_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const employees = [...company.salesIds, ...company.marketingIds];
    type Planned = { id: number; kind: string; seats: number; hostId: number; guestPool: number[]; past: boolean; invitations: number; recurring: boolean };
    const planned: Planned[] = [];
    const nowMs = now.getTime();
    const key = company.key;
    client.transaction(() => {
      for (let i = 0; i < eventCount; i++) {
        const r = random();
        // The first events belong to the demo accounts, around today.
        const forced = i < 40 ? (i % 2 === 0 ? key.rep : key.marketer) : null;
        const kind = forced
          ? forced === key.rep
            ? 'sales_call'
            : 'marketing_meeting'
          : r < 0.57
            ? 'sales_call'
            : r < 0.9
              ? 'marketing_meeting'
              : 'alignment_meeting';
        const hostId =
          forced ??
          (kind === 'sales_call'
            ? pick(random, company.salesIds)
            : kind === 'marketing_meeting'
              ? pick(random, company.marketingIds)
              : pick(random, company.managerIds));
        const host = people.get(hostId)!;
        const dayOffset = forced ? Math.floor(i / 2) - 5 : Math.floor(random() * 300) - 150;
        const day = new Date(nowMs + dayOffset * DAY_MS);
        const weekday = day.getUTCDay();
        if (weekday === 0 || weekday === 6) day.setTime(day.getTime() + (weekday === 0 ? 1 : 2) * DAY_MS);
        const startLocal = localDateTime(day, 8 + Math.floor(random() * 9), random() < 0.5 ? 0 : 30);
        const duration = kind === 'alignment_meeting' ? 60 : pick(random, [30, 45, 60, 90]);
        const recurring = !forced && (kind === 'alignment_meeting' ? random() < 0.7 : random() < 0.15);
        const rrule = recurring
          ? toRRuleString({ freq: 'weekly', interval: kind === 'alignment_meeting' ? 2 : 1, count: 4 + Math.floor(random() * 22) }, startLocal)
          : null;
        const spanStart = zonedLocalToUtc(startLocal, host.timeZone).getTime();
        const spanEnd = rrule
          ? lastOccurrenceEnd({ rrule, firstStartLocal: startLocal, timeZone: host.timeZone, durationMinutes: duration })!.getTime()
          : spanStart + duration * 60_000;
        const seats =
          kind === 'sales_call' ? 1 + Math.floor(random() * 2) : kind === 'marketing_meeting' ? 3 + Math.floor(random() * 6) : 40 + Math.floor(random() * 40);
        const guestDepartment = kind === 'sales_call' ? 'marketing' : kind === 'marketing_meeting' ? 'sales' : null;
        const account = kind === 'sales_call' ? pick(random, ACCOUNTS) : null;
        const title = kind === 'sales_call' ? `Call with ${account}` : kind === 'marketing_meeting' ? pick(random, TOPICS) : 'Sales & marketing alignment';
        const id = Number(
          insertEvent.run(
            kind,
            title,
            hostId,
            host.teamId,
            guestDepartment,
            host.timeZone,
            startLocal,
            duration,
            rrule,
            spanStart,
            spanEnd,
            seats,
            account,
            kind === 'sales_call' ? pick(random, ['discovery', 'demo', 'proposal']) : null,
            kind === 'sales_call' ? `${account} HQ` : 'Room 4.12',
            kind === 'marketing_meeting' ? title : null,
            hostId,
            nowMs,
          ).lastInsertRowid,
        );
        const guestPool = kind === 'sales_call' ? company.marketingIds : kind === 'marketing_meeting' ? company.salesIds : employees;
        const invitationsWanted = kind === 'sales_call' ? 1 + Math.floor(random() * 4) : kind === 'marketing_meeting' ? 4 + Math.floor(random() * 9) : 0;
        planned.push({ id, kind, seats, hostId, guestPool, past: spanEnd < nowMs, invitations: invitationsWanted, recurring: !!rrule });
      }
      // Alignment meetings share what is left of the invitation budget: they are the big ones.
      const alignment = planned.filter((p) => p.kind === 'alignment_meeting');
      const fixed = planned.reduce((sum, p) => sum + p.invitations, 0);
      const perAlignment = alignment.length ? Math.max(0, (invitationTarget - fixed) / alignment.length) : 0;
      let carry = 0;
      for (const p of alignment) {
        carry += perAlignment;
        p.invitations = Math.min(Math.floor(carry), employees.length - 1);
        carry -= p.invitations;
      }
    })();

    let written = 0;
    const batch = 100_000;
    for (let start = 0; start < planned.length; ) {
      client.transaction(() => {
        let rows = 0;
        while (start < planned.length && rows < batch) {
          const p = planned[start++];
          let accepted = 0;
          const guests = sample(random, p.guestPool, p.invitations + 1)
            .filter((g) => g !== p.hostId)
            .slice(0, p.invitations);
          for (const guest of guests) {
            const r = random();
            let status = 'invited';
            if (r < (p.past ? 0.75 : 0.45)) status = accepted < p.seats ? 'accepted' : 'waitlisted';
            else if (r < 0.65) status = 'declined';
            else if (r < 0.75) status = 'tentative';
            if (status === 'accepted') accepted++;
            const responded = status === 'invited' ? null : nowMs - Math.floor(random() * 30) * DAY_MS;
            insertInvitation.run(
              p.id,
              guest,
              status,
              status === 'accepted' ? 1 : 0,
              'invitation',
              p.hostId,
              responded,
              nowMs - 40 * DAY_MS,
              responded ?? nowMs - 40 * DAY_MS,
            );
            rows++;
          }
        }
        written += rows;
      })();
    }
    return { events: planned.length, 'of them series': planned.filter((p) => p.recurring).length, invitations: written };
  },
};

const hrActor = (company: ScaleCompany) => ({ personId: company.key.hr, tokenId: null });
const fixedAt = (now: Date) => ({ now: () => new Date(now.getTime()) });

/**
 * Rotations: two programs (marketers into sales teams and the reverse) and a year of rotations —
 * planned by the real planner for each whole department, from half a year ago, and written as the
 * planner proposed them (so every rotation keeps every rule).
 */
const rotationsFiller: ScaleFiller = {
  name: 'rotations',
  tables: ['rotation_programs', 'rotations'],
  async fill(db, company, { now }) {
    const rotations = { ...(await import('../src/rotations/programs')), ...(await import('../src/rotations/planning')) };
    const clock = fixedAt(now);
    const actor = hrActor(company);
    const start = isoDate(new Date(now.getTime() - 182 * DAY_MS));
    const programs = [
      rotations.createRotationProgram(db, clock, actor, {
        name: 'Marketing in the field',
        direction: 'marketing_to_sales',
        lengthWeeks: 4,
        coveragePercent: 25,
        learningGoals: 'Hear customers first-hand.',
        hostTeams: company.teamIds.sales.map((teamId) => ({ teamId, capacity: 2 })),
        checklist: ['Ride along on 5 calls', 'Shadow a demo', 'Present learnings'],
        active: true,
      }),
      rotations.createRotationProgram(db, clock, actor, {
        name: 'Sales in marketing',
        direction: 'sales_to_marketing',
        lengthWeeks: 3,
        coveragePercent: 25,
        learningGoals: 'See how campaigns are made.',
        hostTeams: company.teamIds.marketing.map((teamId) => ({ teamId, capacity: 2 })),
        checklist: ['Join a campaign review', 'Write a battlecard'],
        active: true,
      }),
    ];
    const insert = db.$client.prepare(
      'INSERT INTO rotations (program_id, person_id, host_team_id, mentor_id, start_date, end_date, status, plan_id, created_by_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const today = isoDate(now);
    let written = 0;
    for (const [program, department] of [
      [programs[0], 'marketing'],
      [programs[1], 'sales'],
    ] as const) {
      const { plan } = rotations.proposePlan(db, {
        programId: program.id,
        selection: 'department',
        department,
        personIds: [],
        horizonStart: start,
        weeks: 52,
        strictReciprocity: false,
      });
      db.$client.transaction(() => {
        for (const r of plan.rotations) {
          const status = r.end < today ? 'completed' : r.start <= today ? 'active' : 'planned';
          insert.run(program.id, r.personId, r.hostTeamId, r.mentorId, r.start, r.end, status, `scale-${program.id}`, company.key.hr, now.getTime());
          written++;
        }
      })();
    }
    return { 'rotation programs': programs.length, rotations: written };
  },
};

/**
 * Programs: a 30-day onboarding for everyone hired in the last half year and two review programs for
 * all of sales and marketing, enrolled by the programs' own rules, so the completion rows
 * (about 200,000) are what the product itself computes.
 */
const programsFiller: ScaleFiller = {
  name: 'programs',
  tables: ['programs', 'enrollments', 'requirement_completions'],
  async fill(db, company, { now }) {
    const programs = { ...(await import('../src/programs/programs')), ...(await import('../src/programs/enrollment')) };
    const clock = fixedAt(now);
    const actor = hrActor(company);
    const topic = programs.createTopic(db, clock, actor, { name: 'Competitive advantages 101', description: 'The official advantages and how to tell them.' });
    const monthStart = (monthsBack: number) => {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1));
      return isoDate(d);
    };
    programs.writeProgramWithParts(
      db,
      clock,
      actor,
      { name: 'New-hire onboarding', kind: 'onboarding', description: 'The first month.', dueSoonDays: 7 },
      [
        { title: 'Competitive advantages 101', kind: 'training', topicId: topic.id, count: 1, dueOffsetDays: 14 },
        { title: 'Join a meeting of the other department', kind: 'events', eventKind: 'marketing_meeting', count: 1, dueOffsetDays: 30 },
        { title: 'Manager sign-off', kind: 'sign_off', count: 1, dueOffsetDays: 30 },
      ],
      [{ hiredOnOrAfter: isoDate(new Date(now.getTime() - 182 * DAY_MS)) }],
    );
    // Two review rhythms of ten requirements each over all of sales and marketing: ~200,000 requirement rows.
    const reviewRequirements = (prefix: string) =>
      Array.from({ length: 10 }, (_, n) => {
        const due = 20 + n * 6;
        if (n % 5 === 0)
          return {
            title: `${prefix}: ride along on ${1 + (n % 3)} sales calls`,
            kind: 'events' as const,
            eventKind: 'sales_call' as const,
            count: 1 + (n % 3),
            dueOffsetDays: due,
          };
        if (n % 5 === 1)
          return {
            title: `${prefix}: attend an alignment meeting (${n})`,
            kind: 'events' as const,
            eventKind: 'alignment_meeting' as const,
            count: 1,
            dueOffsetDays: due,
          };
        if (n % 5 === 2) return { title: `${prefix}: answer the shared-mindset survey (${n})`, kind: 'survey' as const, count: 1, dueOffsetDays: due };
        if (n % 5 === 3) return { title: `${prefix}: manager sign-off (${n})`, kind: 'sign_off' as const, count: 1, dueOffsetDays: due };
        return { title: `${prefix}: advantages refresher (${n})`, kind: 'training' as const, topicId: topic.id, count: 1, dueOffsetDays: due };
      });
    for (const [name, rrule, back] of [
      ['Quarterly alignment review', 'FREQ=MONTHLY;INTERVAL=3', 9],
      ['Half-year field review', 'FREQ=MONTHLY;INTERVAL=6', 12],
    ] as const) {
      programs.writeProgramWithParts(
        db,
        clock,
        actor,
        { name, kind: 'review', description: 'A review for everyone in sales and marketing.', rrule, anchorDate: monthStart(back), dueSoonDays: 14 },
        reviewRequirements(name),
        [{ department: 'sales' }, { department: 'marketing' }],
      );
    }
    const everyone = db.$client.prepare('SELECT id FROM people WHERE active = 1').pluck().all() as number[];
    db.$client.transaction(() => programs.syncEnrollmentsForPeople(db, clock, everyone))();
    // The rules' people were enrolled just above: the rules job finds none left and stops marking the rules as enrolling.
    await programs.applyPendingRules(db, clock);
    const count = (table: string) => db.$client.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return { programs: count('programs'), enrollments: count('enrollments'), 'requirement rows': count('requirement_completions') };
  },
};

const ADVANTAGES = [
  { name: 'Fastest onboarding', statement: 'Customers are live in days, not months.', synonyms: ['quick setup', 'live in days', 'fast implementation'] },
  { name: 'Open integrations', statement: 'Connects to every CRM our customers use.', synonyms: ['integrates with everything', 'open api', 'connectors'] },
  { name: 'Predictable pricing', statement: 'One price per seat, no surprises.', synonyms: ['transparent pricing', 'no hidden fees', 'flat price'] },
  { name: 'Human support', statement: 'A named expert answers within an hour.', synonyms: ['great support', 'named account manager', 'support that answers'] },
  { name: 'Data stays in region', statement: 'Customer data never leaves its region.', synonyms: ['data residency', 'gdpr compliant', 'eu hosting'] },
];
const OFF_TOPIC = ['good product', 'nice people', 'cheap', 'we are the market leader', 'better UI', 'AI features', 'reliable', ''];
const TYPO = (text: string, random: () => number) => (random() < 0.5 ? text : text.replace(/e/, 'a'));

type RoundParticipant = { personId: number; department: string; teamId: number | null };

/** Who a survey round asks, as its participant rows hold them. */
export function roundParticipants(db: Db, roundId: number): RoundParticipant[] {
  return db.$client
    .prepare('SELECT person_id AS personId, department, team_id AS teamId FROM survey_participants WHERE round_id = ?')
    .all(roundId) as RoundParticipant[];
}

/**
 * Writes a response with its answers straight to the tables, as submitResponse stores them, for
 * filling a round in bulk. Answers are matched by the caller (a matcher is costly to build).
 */
export function surveyResponseWriter(db: Db, roundId: number, normalise: (text: string) => string) {
  const insertResponse = db.$client.prepare(
    'INSERT INTO survey_responses (round_id, person_id, department, team_id, submitted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertAnswer = db.$client.prepare(
    'INSERT INTO survey_answers (response_id, round_id, position, text, normalised, advantage_key, score_milli, status, department, team_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return (p: RoundParticipant, at: number, answers: { text: string; match: { advantageId: number | string | null; score: number; status: string } }[]) => {
    const responseId = Number(insertResponse.run(roundId, p.personId, p.department, p.teamId, at, at).lastInsertRowid);
    for (const [index, { text, match }] of answers.entries()) {
      const advantageKey = match.advantageId === null ? null : String(match.advantageId);
      insertAnswer.run(
        responseId,
        roundId,
        index + 1,
        text,
        normalise(text),
        advantageKey,
        Math.round(match.score * 1000),
        match.status,
        p.department,
        p.teamId,
      );
    }
  };
}

/**
 * Surveys: the official advantages, and a round asked to everyone with 10,000 responses of three
 * answers each, judged by the product's matcher (the results page aggregates these rows).
 */
const surveysFiller: ScaleFiller = {
  name: 'surveys',
  tables: ['survey_rounds', 'survey_responses', 'survey_answers'],
  async fill(db, company, { now, random, scale }) {
    const advantages = await import('../src/surveys/advantages');
    const surveys = await import('../src/surveys/surveys');
    const { normaliseAnswer } = await import('../src/matching/matching');
    const clock = fixedAt(new Date(now.getTime() - 20 * DAY_MS));
    const actor = hrActor(company);
    const version = advantages.saveAdvantageVersion(db, clock, actor, ADVANTAGES, 'Scale company');
    const round = surveys.openRound(
      db,
      clock,
      actor,
      { timeZone: 'UTC' },
      {
        title: 'Shared mindset — everyone',
        populationKind: 'everyone',
        teamIds: [],
        closesOn: isoDate(new Date(now.getTime() + 10 * DAY_MS)),
        anonymous: false,
      },
    );
    const matcher = (await import('../src/surveys/version-matcher')).matcherForVersion(db, version);
    const participants = roundParticipants(db, round.id);
    const wanted = Math.min(participants.length, Math.round(10_000 * scale));
    const writeResponse = surveyResponseWriter(db, round.id, normaliseAnswer);
    const cache = new Map<string, ReturnType<typeof matcher.match>>();
    let answers = 0;
    db.$client.transaction(() => {
      for (const p of sample(random, participants, wanted)) {
        const at = now.getTime() - Math.floor(random() * 15) * DAY_MS;
        const written = [1, 2, 3].map(() => {
          const a = pick(random, ADVANTAGES);
          const text = random() < 0.7 ? TYPO(random() < 0.5 ? a.name : pick(random, a.synonyms), random) : pick(random, OFF_TOPIC);
          let match = cache.get(text);
          if (!match) cache.set(text, (match = matcher.match(text)));
          return { text, match };
        });
        writeResponse(p, at, written);
        answers += written.length;
      }
    })();
    return { 'survey rounds': 1, 'survey responses': wanted, 'survey answers': answers };
  },
};

/** Feature fillers, in dependency order; each is skipped while its tables do not exist. */
export const scaleFillers: ScaleFiller[] = [eventsFiller, rotationsFiller, programsFiller, surveysFiller];

/** Teams of about 100 people, as in the 10,000-person company. */
export const teamsAlike = (people: number) => Math.max(10, Math.round(people / 100));
/** Feature data in proportion to the people: 1 at 10,000. */
export const featureScaleAlike = (people: number) => people / 10_000;

/** Builds the whole scale company into an open, migrated, empty database. */
export async function seedScale(db: Db, options: ScaleOptions = {}): Promise<ScaleCompany> {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const timings: Record<string, number> = {};
  const passwordHash = options.passwordHash ?? (await hashPassword(SCALE_PASSWORD));
  // A scale database is disposable: no fsync while building it (rebuilt from scratch if the machine dies).
  db.$client.pragma('synchronous = OFF');
  db.$client.pragma('cache_size = -262144');
  let t0 = performance.now();
  // The scorecard's kept meetings are built once at the end instead of meeting by meeting.
  if (tableExists(db, 'scorecard_aggregate_state')) pauseScorecardMeetings(db);
  const people = options.people ?? 10_000;
  const base = seedScalePeople(db, { people, teams: options.teams ?? teamsAlike(people), now, passwordHash });
  timings.people = performance.now() - t0;
  log(`people: ${base.peopleCount} in ${base.teamCount} teams (${timings.people.toFixed(0)} ms)`);
  const company: ScaleCompany = { ...base, rows: { people: base.peopleCount, teams: base.teamCount }, timings };
  const random = seededRandom(11);
  for (const filler of scaleFillers) {
    if (options.features && !options.features.includes(filler.name)) continue;
    const missing = filler.tables.filter((t) => !tableExists(db, t));
    if (missing.length) {
      log(`${filler.name}: skipped (no table ${missing.join(', ')} yet)`);
      continue;
    }
    t0 = performance.now();
    try {
      const rows = await filler.fill(db, company, { now, random, scale: options.featureScale ?? featureScaleAlike(people), log });
      timings[filler.name] = performance.now() - t0;
      Object.assign(company.rows, rows);
      log(
        `${filler.name}: ${Object.entries(rows)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')} (${(timings[filler.name] / 1000).toFixed(1)} s)`,
      );
    } catch (err) {
      // A feature's code may change under the seed; the rest of the company is still worth measuring.
      if (options.strict) throw err;
      log(`${filler.name}: FAILED (${err instanceof Error ? err.message : String(err)}); continuing without it`);
    }
  }
  // The fillers wrote with raw statements; the stored occurrences are built once for everything.
  t0 = performance.now();
  db.$client.exec('DELETE FROM occurrence_changes');
  extendOccurrenceHorizon(db, now, writeTransaction);
  timings.occurrences = performance.now() - t0;
  company.rows.occurrences = (db.$client.prepare('SELECT count(*) AS n FROM occurrences').get() as { n: number }).n;
  log(`occurrences: ${company.rows.occurrences} stored rows (${(timings.occurrences / 1000).toFixed(1)} s)`);
  // Survey responses were written raw too: the programs they count for are brought current here,
  // as the daily job would, so no page of the scale company finds catch-up work.
  if (tableExists(db, 'completion_sources')) {
    t0 = performance.now();
    const { ensureCurrentCycles } = await import('../src/programs/tracking');
    ensureCurrentCycles(db, now);
    // The weeks of the completion chart, as the background job keeps them at start.
    if (tableExists(db, 'completion_history')) (await import('../src/programs/completion-history')).recordCompletionHistory(db, now);
    timings.completions = performance.now() - t0;
    log(`completions brought current (${(timings.completions / 1000).toFixed(1)} s)`);
  }
  if (tableExists(db, 'scorecard_aggregate_state')) {
    t0 = performance.now();
    writeTransaction(db, (tx) => rebuildScorecardMeetings(tx));
    timings.scorecard = performance.now() - t0;
    log(`scorecard meetings kept (${(timings.scorecard / 1000).toFixed(1)} s)`);
  }
  db.$client.pragma('synchronous = NORMAL');
  db.$client.pragma('cache_size = -2000');
  db.$client.exec('ANALYZE');
  return company;
}

/** The ids of a scale company already in a database (built by an earlier `npm run seed:scale`). */
export function loadScaleCompany(db: Db): ScaleCompany {
  const client = db.$client;
  const idOf = (email: string) => {
    const id = client.prepare('SELECT id FROM people WHERE email = ?').pluck().get(email) as number | undefined;
    if (!id) throw new Error(`${email} is missing: this is not a scale company database (build one with npm run seed:scale).`);
    return id;
  };
  const ids = (sql: string) => client.prepare(sql).pluck().all() as number[];
  const counts: Record<string, number> = {};
  for (const table of ['people', 'teams', 'events', 'invitations', 'rotations', 'requirement_completions', 'survey_responses']) {
    if (tableExists(db, table)) counts[table] = client.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  }
  return {
    key: {
      hr: idOf('hr@example.com'),
      salesManager: idOf('sales.manager@example.com'),
      westManager: idOf('west.manager@example.com'),
      marketingManager: idOf('marketing.manager@example.com'),
      rep: idOf('rep@example.com'),
      rep2: idOf('rep2@example.com'),
      westRep: idOf('westrep@example.com'),
      marketer: idOf('marketer@example.com'),
    },
    peopleCount: counts.people,
    teamCount: counts.teams,
    salesIds: ids("SELECT id FROM people WHERE active = 1 AND role = 'employee' AND department = 'sales' ORDER BY id"),
    marketingIds: ids("SELECT id FROM people WHERE active = 1 AND role = 'employee' AND department = 'marketing' ORDER BY id"),
    managerIds: ids("SELECT id FROM people WHERE active = 1 AND role = 'manager' ORDER BY id"),
    teamIds: {
      sales: ids("SELECT id FROM teams WHERE department = 'sales' ORDER BY id"),
      marketing: ids("SELECT id FROM teams WHERE department = 'marketing' ORDER BY id"),
    },
    rows: counts,
    timings: {},
  };
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
  const company = await buildScaleDatabase(path, {
    people: option('people'),
    teams: option('teams'),
    featureScale: option('scale'),
    log: (l) => console.log(`  ${l}`),
  });
  console.log(
    `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${Object.entries(company.rows)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}.`,
  );
  console.log(`Everyone signs in with the password ${SCALE_PASSWORD} (e.g. hr@example.com, sales.manager@example.com, rep@example.com).`);
}
