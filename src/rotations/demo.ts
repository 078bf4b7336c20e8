import { and, eq, inArray, ne } from 'drizzle-orm';
import { people, rotationChecklistItems, rotationChecklistTicks, rotationPeriods, rotations, teams } from '../../db/schema';
import type { Db } from '../db';
import { pick, type DemoContext } from '../demo';
import { addDaysToLocalDate, isoWeekStart } from '../lib/time';
import { checkInOpensOn, submitCheckIn } from './check-ins';
import { commitPlan, itemsOfPlan, proposePlan } from './planning';
import { createBlackout } from './blackouts';
import { createRotationProgram } from './programs';
import { syncRotationStatuses, todayOf } from './lifecycle';

export const order = 20;

const LEARNED_BY_PERSON = [
  'Buyers ask about integrations before they ask about price.',
  'Reps rewrite our one-pager on every call; the second half is never used.',
  'Security reviews stall deals for weeks; nobody in marketing knew.',
  'Competitors are named in almost every discovery call.',
  'The pipeline review is where positioning really gets decided.',
];
const LEARNED_BY_MENTOR = [
  'Our guest turned two of my calls into sharper follow-ups.',
  'Seeing how campaigns are briefed explains the leads we get.',
  'Marketing has customer research we never asked for.',
  'The launch calendar is planned months before we hear about it.',
];
const CHANGE_ASKS = [
  'Give us a short integrations sheet we can send after the first call.',
  'Log loss reasons consistently so marketing can act on them.',
  'Share the launch calendar with sales a quarter ahead.',
  'Invite a rep to every campaign review.',
  'Publish a battlecard for the top two competitors.',
];

/** The two demo programs, one each way, with the department each plans from; host teams by name with their capacity. */
const DEMO_PROGRAMS = [
  {
    department: 'marketing',
    program: { name: 'Marketing in the field', direction: 'marketing_to_sales', lengthWeeks: 4, hosts: { 'Sales East': 2, 'Sales West': 2 } },
    learningGoals: 'Hear customers first hand, see how reps use our material, and bring back what the field needs.',
    checklist: ['Ride along on 5 sales calls', 'Sit in on a pipeline review', 'Interview two customers', 'Present what you learned to your home team'],
  },
  {
    department: 'sales',
    program: { name: 'Sales in marketing', direction: 'sales_to_marketing', lengthWeeks: 2, hosts: { 'Product Marketing': 1, 'Demand Generation': 1 } },
    learningGoals: 'Learn how campaigns and launches are planned, and shape the material you will sell with.',
    checklist: ['Review a campaign brief', 'Co-write a battlecard', 'Join a launch stand-up'],
  },
] as const;

/** Two programs, blackouts, a committed year of rotations around today, with ticks and check-ins. */
export function seedDemo(db: Db, ctx: DemoContext) {
  const actor = { personId: db.select({ id: people.id }).from(people).where(eq(people.email, 'hr@example.com')).get()?.id ?? null };
  const teamId = (name: string) => db.select({ id: teams.id }).from(teams).where(eq(teams.name, name)).get()!.id;
  const today = todayOf(ctx.clock);

  const programs = DEMO_PROGRAMS.map(({ department, program: { hosts, ...program }, learningGoals, checklist }) => {
    const hostTeams = Object.entries(hosts).map(([team, capacity]) => ({ teamId: teamId(team), capacity }));
    const created = createRotationProgram(db, ctx.clock, actor, {
      ...program,
      coveragePercent: 25,
      learningGoals,
      hostTeams,
      checklist: [...checklist],
      active: true,
    });
    return [created, department] as const;
  });

  // Quarter-ends for sales, a launch for product marketing, around the planned year.
  const year = Number(today.slice(0, 4));
  for (const y of [year - 1, year, year + 1]) {
    for (const [q, end] of [
      [1, '03-31'],
      [2, '06-30'],
      [3, '09-30'],
      [4, '12-31'],
    ] as const) {
      const last = `${y}-${end}`;
      createBlackout(db, ctx.clock, actor, {
        name: `Q${q} ${y} close`,
        scope: 'department',
        department: 'sales',
        startDate: addDaysToLocalDate(last, -9),
        endDate: last,
      });
    }
  }
  const launch = isoWeekStart(addDaysToLocalDate(today, 10 * 7));
  createBlackout(db, ctx.clock, actor, {
    name: 'Autumn launch',
    scope: 'team',
    teamId: teamId('Product Marketing'),
    startDate: launch,
    endDate: addDaysToLocalDate(launch, 11),
  });

  // Morgan (marketer@) and Riley (rep@) would like to go now; a few people are away for a while.
  const byEmail = (email: string) => db.select({ id: people.id }).from(people).where(eq(people.email, email)).get()?.id;
  const marketer = byEmail('marketer@example.com');
  const rep = byEmail('rep@example.com');
  const thisMonday = isoWeekStart(today);
  if (marketer)
    db.insert(rotationPeriods)
      .values({
        personId: marketer,
        kind: 'preferred',
        startDate: addDaysToLocalDate(thisMonday, -7),
        endDate: addDaysToLocalDate(thisMonday, 27),
        note: 'Before the launch',
      })
      .run();
  if (rep)
    db.insert(rotationPeriods)
      .values({
        personId: rep,
        kind: 'preferred',
        startDate: addDaysToLocalDate(thisMonday, 14),
        endDate: addDaysToLocalDate(thisMonday, 41),
        note: 'Quiet weeks after the close',
      })
      .run();
  const others = db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.role, 'employee'), inArray(people.department, ['sales', 'marketing'])))
    .all();
  for (let i = 0; i < 6; i++) {
    const who = pick(ctx.random, others).id;
    if (who === marketer || who === rep) continue;
    const start = addDaysToLocalDate(today, Math.floor(ctx.random() * 200) - 60);
    db.insert(rotationPeriods)
      .values({
        personId: who,
        kind: 'unavailable',
        startDate: start,
        endDate: addDaysToLocalDate(start, 13 + Math.floor(ctx.random() * 14)),
        note: pick(ctx.random, ['Parental leave', 'Conference', 'Vacation', 'Training']),
      })
      .run();
  }

  // A committed plan for the year, started five months ago: some rotations done, some running.
  const horizonStart = isoWeekStart(addDaysToLocalDate(today, -22 * 7));
  let committed = 0;
  for (const [program, department] of programs) {
    const request = { programId: program.id, selection: 'department' as const, department, personIds: [], horizonStart, weeks: 52, strictReciprocity: true };
    const { plan } = proposePlan(db, request);
    committed += commitPlan(db, ctx.clock, actor, request, itemsOfPlan(plan)).rotations.length;
  }
  syncRotationStatuses(db, today);

  // The past and running rotations: checklist ticks and check-ins by the person rotating and the mentor.
  const live = db
    .select()
    .from(rotations)
    .where(and(ne(rotations.status, 'planned'), ne(rotations.status, 'cancelled')))
    .all();
  let checkIns = 0;
  for (const r of live) {
    const items = db.select().from(rotationChecklistItems).where(eq(rotationChecklistItems.programId, r.programId)).all();
    const share = r.status === 'completed' ? 0.6 + ctx.random() * 0.4 : ctx.random() * 0.6;
    for (const item of items.slice(0, Math.round(items.length * share))) {
      db.insert(rotationChecklistTicks)
        .values({ rotationId: r.id, itemId: item.id, doneAt: new Date(`${addDaysToLocalDate(r.startDate, 3)}T15:00:00Z`), doneById: r.personId })
        .run();
    }
    for (const kind of ['midpoint', 'end'] as const) {
      if (today < checkInOpensOn(kind, r.startDate, r.endDate)) continue;
      for (const authorId of [r.personId, r.mentorId]) {
        if (authorId === null || ctx.random() < 0.2) continue;
        const author = db.select().from(people).where(eq(people.id, authorId)).get()!;
        const learned = authorId === r.personId ? pick(ctx.random, LEARNED_BY_PERSON) : pick(ctx.random, LEARNED_BY_MENTOR);
        submitCheckIn(db, ctx.clock, { personId: authorId }, author, r.id, {
          kind,
          learned,
          otherDepartmentShouldChange: ctx.random() < 0.7 ? pick(ctx.random, CHANGE_ASKS) : '',
        });
        checkIns++;
      }
    }
  }
  ctx.log(`rotations: 2 programs, ${committed} rotations committed (${live.length} running or done), ${checkIns} check-ins`);
}
