import { people, teams, type Department, type Role } from '../../db/schema';
import type { Db } from '../db';
import { pick, type DemoContext } from '../demo';
import { systemActor } from '../audit/audit';
import { sendWelcomeLinks } from '../auth/links';
import { createPerson } from './people';
import { setCompanySettings } from './settings';

export const order = 0;

const FIRST = [
  'Ava',
  'Ben',
  'Chloe',
  'Diego',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kira',
  'Liam',
  'Maya',
  'Noah',
  'Olivia',
  'Pavel',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Umar',
  'Vera',
  'Wei',
  'Ximena',
  'Yusuf',
  'Zoe',
  'Amir',
  'Bianca',
  'Carlos',
  'Dana',
  'Emil',
  'Freya',
  'Gil',
  'Hana',
  'Ivan',
  'Jade',
];
const LAST = [
  'Adler',
  'Brooks',
  'Castro',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quist',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Usman',
  'Varga',
  'Weber',
  'Young',
  'Zimmer',
];

type DemoTeam = { name: string; department: Department; zone: string; size: number; managerEmail: string; managerName: string; titles: string[] };

export const DEMO_TEAMS: DemoTeam[] = [
  {
    name: 'Sales East',
    department: 'sales',
    zone: 'America/New_York',
    size: 22,
    managerEmail: 'sales.manager@example.com',
    managerName: 'Sofia Martinez',
    titles: ['Account Executive', 'Senior Account Executive', 'Sales Development Rep'],
  },
  {
    name: 'Sales West',
    department: 'sales',
    zone: 'America/Los_Angeles',
    size: 20,
    managerEmail: 'west.manager@example.com',
    managerName: 'Marcus Lee',
    titles: ['Account Executive', 'Enterprise Account Executive', 'Sales Development Rep'],
  },
  {
    name: 'Product Marketing',
    department: 'marketing',
    zone: 'Europe/London',
    size: 20,
    managerEmail: 'marketing.manager@example.com',
    managerName: 'Priya Natarajan',
    titles: ['Product Marketing Manager', 'Competitive Intelligence Analyst', 'Content Strategist'],
  },
  {
    name: 'Demand Generation',
    department: 'marketing',
    zone: 'Europe/Berlin',
    size: 18,
    managerEmail: 'demand.manager@example.com',
    managerName: 'Lukas Becker',
    titles: ['Campaign Manager', 'Marketing Operations Specialist', 'Field Marketing Manager'],
  },
];

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** The demo company: HR, two VPs, four teams with managers and ~80 people, hire dates spread over four years. */
export function seedDemo(db: Db, ctx: DemoContext) {
  const today = ctx.clock.now();
  const daysAgo = (n: number) => isoDate(new Date(today.getTime() - n * 86_400_000));
  const insert = (values: {
    email: string;
    name: string;
    department: Department;
    role: Role;
    title: string;
    teamId?: number | null;
    managerId?: number | null;
    hireDate: string;
    timeZone: string;
  }) =>
    db
      .insert(people)
      .values({ ...values, passwordHash: ctx.passwordHash })
      .returning({ id: people.id })
      .get().id;

  insert({
    email: 'hr@example.com',
    name: 'Helen Hart',
    department: 'other',
    role: 'hr',
    title: 'People Partner',
    hireDate: daysAgo(2100),
    timeZone: 'Europe/London',
  });
  insert({
    email: 'hr.ops@example.com',
    name: 'Oscar Holm',
    department: 'other',
    role: 'hr',
    title: 'HR Operations',
    hireDate: daysAgo(900),
    timeZone: 'Europe/Berlin',
  });
  const vpSales = insert({
    email: 'vp.sales@example.com',
    name: 'Victoria Sales',
    department: 'sales',
    role: 'manager',
    title: 'VP Sales',
    hireDate: daysAgo(1900),
    timeZone: 'America/New_York',
  });
  const vpMarketing = insert({
    email: 'vp.marketing@example.com',
    name: 'Valentin Marchetti',
    department: 'marketing',
    role: 'manager',
    title: 'VP Marketing',
    hireDate: daysAgo(1700),
    timeZone: 'Europe/London',
  });

  const used = new Set<string>();
  let n = 0;
  for (const [teamIndex, team] of DEMO_TEAMS.entries()) {
    const teamId = db.insert(teams).values({ name: team.name, department: team.department }).returning({ id: teams.id }).get().id;
    const managerId = insert({
      email: team.managerEmail,
      name: team.managerName,
      department: team.department,
      role: 'manager',
      title: team.department === 'sales' ? 'Sales Manager' : 'Marketing Manager',
      teamId,
      managerId: team.department === 'sales' ? vpSales : vpMarketing,
      hireDate: daysAgo(1200 + teamIndex * 90),
      timeZone: team.zone,
    });
    db.update(teams).set({ managerId }).where(eqId(teamId)).run();
    for (let i = 0; i < team.size; i++) {
      let name: string;
      do name = `${pick(ctx.random, FIRST)} ${pick(ctx.random, LAST)}`;
      while (used.has(name));
      used.add(name);
      const special = i === 0 && teamIndex === 0 ? 'rep@example.com' : i === 0 && teamIndex === 2 ? 'marketer@example.com' : null;
      const email = special ?? `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.com`;
      // A few recent hires in every team, so onboarding has something to show.
      const hireDaysAgo = i >= team.size - 3 ? 10 + (i - team.size + 3) * 25 + teamIndex * 3 : 120 + Math.floor(ctx.random() * 1300);
      insert({
        email,
        name: special === 'rep@example.com' ? 'Riley Chen' : special === 'marketer@example.com' ? 'Morgan Blake' : name,
        department: team.department,
        role: 'employee',
        title: special ? team.titles[0] : pick(ctx.random, team.titles),
        teamId,
        managerId,
        hireDate: daysAgo(hireDaysAgo),
        timeZone: team.zone,
      });
      n++;
    }
  }
  // The company's default time zone, and a new hire HR just added: no password yet, the welcome mail waits in the outbox.
  setCompanySettings(db, ctx.clock, systemActor, { defaultTimeZone: 'Europe/London' });
  const newHire = createPerson(
    db,
    ctx.clock,
    { personId: null },
    { email: 'new.hire@example.com', name: 'Nora Newhire', department: 'marketing', title: 'Content Strategist', hireDate: daysAgo(-3), role: 'employee' },
  );
  sendWelcomeLinks(db, ctx.clock, systemActor, [newHire.id], process.env.BASE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`);
  ctx.log(`people: ${n + 11} people in ${DEMO_TEAMS.length} teams; a welcome mail for new.hire@example.com waits in the outbox`);
}

import { eq } from 'drizzle-orm';
const eqId = (id: number) => eq(teams.id, id);
