// Demo: onboarding programs for the recent hires of both departments and a quarterly review for
// everyone, with months of history (sessions held, attendance, ride-alongs, sign-offs), so people are
// done, due soon and overdue, and every dashboard has real shapes.
//
// Runs after the surveys demo (order 45, not 30): survey answers are evidence for the onboarding
// programs, and the final refresh picks up everything the earlier seeders wrote.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { enrollments, people, programs, teams } from '../../db/schema';
import type { Person } from '../context';
import type { Db } from '../db';
import type { DemoContext } from '../demo';
import type { Clock } from '../lib/clock';
import { createEvent, eventOccurrences, invitePeople, respond } from '../events';
import { addDaysToLocalDate, formatLocalDate } from '../lib/time';
import { addEnrollmentRule, enrollPeople } from './enrollment';
import { addRequirement, createProgram, createTopic, type ProgramRequirement } from './programs';
import { signOff } from './sign-offs';
import { bookSession, scheduleTrainingSession } from './sessions';
import { markAttendance } from './attendance';
import { cycleOn, reviewCycles } from './schedule';
import { idList, syncCompletions } from './tracking';

export const order = 45;

const DAY = 86_400_000;

function movableClock(start: Date): Clock & { set(at: Date): void } {
  let current = start.getTime();
  return { now: () => new Date(current), set: (at: Date) => (current = at.getTime()) };
}

/** Deterministic "most people, not everyone": keeps the demo stable between runs. */
const share = (ctx: DemoContext, probability: number) => ctx.random() < probability;

export async function seedDemo(db: Db, ctx: DemoContext) {
  const now = ctx.clock.now();
  const byEmail = (email: string) => db.select().from(people).where(eq(people.email, email)).get();
  const hr = byEmail('hr@example.com');
  const trainer = byEmail('marketer@example.com');
  const salesHost = byEmail('rep@example.com');
  if (!hr || !trainer || !salesHost) {
    ctx.log('programs: the demo company is missing; skipped');
    return;
  }
  const clock = movableClock(now);
  const actor = { personId: hr.id };
  const at = (daysFromNow: number, hourUtc = 15) => {
    const day = new Date(now.getTime() + daysFromNow * DAY);
    return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hourUtc));
  };
  const managerOf = (person: Person) => {
    const team = person.teamId ? db.select().from(teams).where(eq(teams.id, person.teamId)).get() : undefined;
    // A team's own manager is signed off by the person they report to.
    const managerId = team?.managerId && team.managerId !== person.id ? team.managerId : person.managerId;
    return managerId ? db.select().from(people).where(eq(people.id, managerId)).get() : undefined;
  };

  // ── topics and programs, set up a while ago ──
  clock.set(new Date(now.getTime() - 120 * DAY));
  const ca101 = createTopic(db, clock, actor, {
    name: 'Competitive advantages 101',
    description: 'Our three official advantages, the proof behind them, and how to say them.',
  });
  const workshop = createTopic(db, clock, actor, {
    name: 'Customer story workshop',
    description: 'Practising the customer story together, sales and marketing in one room.',
  });
  createTopic(db, clock, actor, { name: 'Pricing and packaging', description: 'Editions, discounts and how to defend the price.' });

  const onboarding = (department: 'sales' | 'marketing') => {
    const program = createProgram(db, clock, actor, {
      name: department === 'sales' ? 'Sales onboarding' : 'Marketing onboarding',
      kind: 'onboarding',
      description:
        department === 'sales'
          ? 'New reps learn the story and see how marketing works.'
          : 'New marketers learn the story and hear it from customers on sales calls.',
      dueSoonDays: 7,
    });
    const requirements: ProgramRequirement[] = [
      addRequirement(db, clock, actor, program.id, { title: 'Competitive advantages 101', kind: 'training', topicId: ca101.id, count: 1, dueOffsetDays: 14 }),
      department === 'sales'
        ? addRequirement(db, clock, actor, program.id, {
            title: 'Attend a marketing meeting',
            kind: 'events',
            eventKind: 'marketing_meeting',
            count: 1,
            dueOffsetDays: 30,
          })
        : addRequirement(db, clock, actor, program.id, {
            title: 'Ride along on 2 sales calls',
            kind: 'events',
            eventKind: 'sales_call',
            count: 2,
            dueOffsetDays: 60,
          }),
      addRequirement(db, clock, actor, program.id, { title: 'Answer the shared-mindset survey', kind: 'survey', count: 1, dueOffsetDays: 30 }),
      addRequirement(db, clock, actor, program.id, { title: 'Manager sign-off: tells the story', kind: 'sign_off', count: 1, dueOffsetDays: 45 }),
    ];
    addEnrollmentRule(db, clock, actor, program.id, { department, hiredOnOrAfter: formatLocalDate(new Date(now.getTime() - 100 * DAY), 'UTC') });
    return { program, requirements };
  };
  const salesOnboarding = onboarding('sales');
  const marketingOnboarding = onboarding('marketing');

  // The review: quarterly, anchored three quarters back, everyone in sales and marketing from the start.
  const today = formatLocalDate(now, 'UTC');
  const rule = 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1';
  const currentQuarter = cycleOn(rule, '2000-01-01', today)!.start;
  const [year, month] = currentQuarter.split('-').map(Number);
  const monthsFromZero = year * 12 + (month - 1) - 9;
  const anchor = `${Math.floor(monthsFromZero / 12)}-${String((monthsFromZero % 12) + 1).padStart(2, '0')}-01`;
  const cycles = reviewCycles(rule, anchor, anchor, today);
  clock.set(new Date(`${anchor}T08:00:00Z`));
  const review = createProgram(db, clock, actor, {
    name: 'Quarterly story review',
    kind: 'review',
    description: 'Every quarter: practise the customer story together and get your manager’s sign-off.',
    rrule: rule,
    anchorDate: anchor,
    dueSoonDays: 10,
  });
  addRequirement(db, clock, actor, review.id, { title: 'Customer story workshop', kind: 'training', topicId: workshop.id, count: 1, dueOffsetDays: 45 });
  const reviewSignOff = addRequirement(db, clock, actor, review.id, { title: 'Manager sign-off', kind: 'sign_off', count: 1, dueOffsetDays: 60 });
  const staff = db
    .select()
    .from(people)
    .where(and(eq(people.active, true), eq(people.role, 'employee'), inArray(people.department, ['sales', 'marketing'])))
    .all();
  const veterans = staff.filter((p) => p.hireDate < anchor);
  enrollPeople(
    db,
    review.id,
    veterans.map((p) => p.id),
    actor,
    clock,
    { startDate: anchor },
  );
  addEnrollmentRule(db, clock, actor, review.id, { department: 'sales', role: 'employee' });
  addEnrollmentRule(db, clock, actor, review.id, { department: 'marketing', role: 'employee' });

  // ── review history: two workshops per cycle, attendance climbing, sign-offs ──
  const reviewEnrolled = db
    .select({ person: people, startDate: enrollments.startDate })
    .from(people)
    .innerJoin(enrollments, and(eq(enrollments.personId, people.id), eq(enrollments.programId, review.id), isNull(enrollments.endedAt)))
    .all();
  for (const [index, cycle] of cycles.entries()) {
    const attendRate = [0.55, 0.7, 0.8, 0.75][Math.min(index, 3)];
    const inCycle = reviewEnrolled.filter((e) => e.startDate <= cycle.start && e.person.id !== trainer.id).map((e) => e.person);
    const waiting = new Set(inCycle.map((p) => p.id));
    for (const offset of [12, 33]) {
      const start = new Date(`${addDaysToLocalDate(cycle.start, offset)}T14:00:00Z`);
      if (start.getTime() > now.getTime() - DAY) continue;
      clock.set(new Date(start.getTime() - 20 * DAY));
      const event = scheduleTrainingSession(db, clock, actor, hr, {
        topicId: workshop.id,
        title: `Customer story workshop · ${formatLocalDate(start, 'UTC')}`,
        description: '',
        hostId: trainer.id,
        startLocal: `${formatLocalDate(start, 'UTC')}T14:00`,
        timeZone: 'UTC',
        durationMinutes: 120,
        seats: 60,
        rrule: null,
        location: 'Auditorium',
        meetingUrl: null,
      });
      const attendees = [...waiting].filter(() => share(ctx, offset === 12 ? attendRate * 0.6 : attendRate * 0.55));
      attendees.forEach((id) => waiting.delete(id));
      const noShows = [...waiting].filter(() => share(ctx, 0.05));
      // The trainer invites who signed up: attendance is then recorded for people who held a place.
      if (attendees.length + noShows.length) invitePeople(db, clock, actor, hr, event.id, [...attendees, ...noShows], null);
      clock.set(new Date(start.getTime() + 3 * 3_600_000));
      const marks = [
        ...attendees.map((personId) => ({ personId, status: 'attended' as const })),
        ...noShows.map((personId) => ({ personId, status: 'no_show' as const })),
      ];
      if (marks.length) markAttendance(db, clock, { personId: trainer.id }, trainer, { eventId: event.id, originalStart: start }, marks);
    }
    const signOffDay = new Date(`${addDaysToLocalDate(cycle.start, 50)}T10:00:00Z`);
    if (signOffDay.getTime() < now.getTime()) {
      clock.set(signOffDay);
      for (const person of inCycle) {
        if (!share(ctx, attendRate)) continue;
        const manager = managerOf(person);
        if (manager) signOff(db, clock, { person: manager }, person.id, reviewSignOff.id, 'Told the story well in our 1:1.');
      }
    }
  }

  // ── onboarding: CA 101 every two weeks, ride-alongs, marketing meetings, sign-offs ──
  const newHires = db
    .all<{ id: number }>(
      sql`SELECT DISTINCT en.person_id AS id FROM enrollments en WHERE en.program_id IN (${salesOnboarding.program.id}, ${marketingOnboarding.program.id}) AND en.ended_at IS NULL`,
    )
    .map((r) => db.select().from(people).where(eq(people.id, r.id)).get()!)
    .sort((a, b) => a.hireDate.localeCompare(b.hireDate));
  // Every CA 101 is the trainer's, at 15:00 UTC in Room Atlas.
  const caSession = (start: Date) =>
    scheduleTrainingSession(db, clock, actor, hr, {
      topicId: ca101.id,
      title: 'Competitive advantages 101',
      description: 'Bring a real deal to discuss.',
      hostId: trainer.id,
      startLocal: `${formatLocalDate(start, 'UTC')}T15:00`,
      timeZone: 'UTC',
      durationMinutes: 90,
      seats: 12,
      rrule: null,
      location: 'Room Atlas',
      meetingUrl: null,
    });
  const caSessions: { eventId: number; start: Date }[] = [];
  for (let daysAgo = 84; daysAgo >= 14; daysAgo -= 14) {
    const start = at(-daysAgo, 15);
    clock.set(new Date(start.getTime() - 21 * DAY));
    const event = caSession(start);
    caSessions.push({ eventId: event.id, start });
  }
  let walkInShown = false;
  for (const [index, hire] of newHires.entries()) {
    const hired = new Date(`${hire.hireDate}T00:00:00Z`).getTime();
    // Most attend the first CA 101 after they join; every fourth misses it (overdue, or booked for the next one).
    const session = caSessions.find((s) => s.start.getTime() >= hired);
    if (session && index % 4 !== 3) {
      clock.set(new Date(session.start.getTime() - 7 * DAY));
      const booked = bookSession(db, clock, { personId: hire.id }, hire, session.eventId, session.start);
      clock.set(new Date(session.start.getTime() + 2 * 3_600_000));
      // Someone left on the waitlist who came anyway is a walk-in, and kept as one.
      markAttendance(db, clock, { personId: trainer.id }, trainer, { eventId: session.eventId, originalStart: session.start }, [
        { personId: hire.id, status: 'attended', walkIn: booked.outcome === 'waitlisted' },
      ]);
    } else if (session && !walkInShown) {
      // One who missed their session walked into the next one without booking: a walk-in, kept as such.
      const next = caSessions.find((s) => s.start.getTime() > session.start.getTime());
      if (next) {
        clock.set(new Date(next.start.getTime() + 2 * 3_600_000));
        markAttendance(db, clock, { personId: trainer.id }, trainer, { eventId: next.eventId, originalStart: next.start }, [
          { personId: hire.id, status: 'attended', walkIn: true },
        ]);
        walkInShown = true;
      }
    }
    // The department's contact requirement, a week or two after joining.
    const contactDays = hire.department === 'marketing' ? [9, 23] : [12];
    for (const [n, afterDays] of contactDays.entries()) {
      const start = new Date(hired + afterDays * DAY + 15 * 3_600_000);
      if (start.getTime() > now.getTime() - DAY || (index % 3 === 2 && n === contactDays.length - 1)) continue;
      const host = hire.department === 'marketing' ? salesHost : trainer;
      clock.set(new Date(start.getTime() - 5 * DAY));
      const event = createEvent(db, clock, { personId: host.id }, host, {
        kind: hire.department === 'marketing' ? 'sales_call' : 'marketing_meeting',
        title: hire.department === 'marketing' ? `Discovery call with ${['Acme Corp', 'Globex', 'Initech', 'Hooli'][index % 4]}` : 'Campaign planning',
        description: '',
        hostId: host.id,
        startLocal: `${formatLocalDate(start, host.timeZone)}T10:00`,
        timeZone: host.timeZone,
        durationMinutes: 60,
        seats: 3,
        rrule: null,
        account: hire.department === 'marketing' ? ['Acme Corp', 'Globex', 'Initech', 'Hooli'][index % 4] : null,
        opportunityStage: hire.department === 'marketing' ? 'discovery' : null,
        location: null,
        meetingUrl: null,
        topic: hire.department === 'marketing' ? null : 'Campaign planning',
      });
      const [occurrence] = eventOccurrences(db, event, new Date(start.getTime() - 2 * DAY), new Date(start.getTime() + 2 * DAY));
      if (!occurrence) continue;
      invitePeople(db, clock, { personId: host.id }, host, event.id, [hire.id], null);
      respond(db, clock, { personId: hire.id }, hire, { eventId: event.id, start: null, answer: 'accepted' }, { confirmConflicts: true });
      clock.set(new Date(occurrence.end.getTime() + 3_600_000));
      markAttendance(db, clock, { personId: host.id }, host, { eventId: event.id, originalStart: occurrence.originalStart }, [
        { personId: hire.id, status: 'attended' },
      ]);
    }
    // Managers sign off after about a month, not all of them yet.
    const signOn = new Date(hired + 35 * DAY + 10 * 3_600_000);
    if (signOn.getTime() < now.getTime() && index % 5 !== 1) {
      const program = hire.department === 'sales' ? salesOnboarding : marketingOnboarding;
      const manager = managerOf(hire);
      clock.set(signOn);
      if (manager) signOff(db, clock, { person: manager }, hire.id, program.requirements[3].id, 'Pitched the three advantages in a role play.');
    }
  }

  // ── what comes next: two CA 101 sessions, some seats taken; no workshop scheduled yet ──
  clock.set(new Date(now.getTime() - 2 * DAY));
  const upcoming = [at(3, 15), at(17, 15)].map(caSession);
  clock.set(now);
  const stillNeeding = db.all<{ id: number }>(sql`
    SELECT DISTINCT rc.person_id AS id FROM requirement_completions rc
    WHERE rc.requirement_id IN (${salesOnboarding.requirements[0].id}, ${marketingOnboarding.requirements[0].id}) AND rc.completed_at IS NULL`);
  for (const [index, { id }] of stillNeeding.entries()) {
    if (index % 2 === 1) continue;
    const person = db.select().from(people).where(eq(people.id, id)).get()!;
    bookSession(db, clock, { personId: person.id }, person, upcoming[0].id, at(3, 15));
  }

  // Everything other seeders wrote (survey answers, attendance, the survey loop's review) counts too;
  // managers have signed off most people of that review along the way.
  const all = db
    .select({ id: programs.id })
    .from(programs)
    .all()
    .map((p) => p.id);
  syncCompletions(db, now, { programIds: all });
  const ours = [salesOnboarding.program.id, marketingOnboarding.program.id, review.id];
  const openSignOffs = db.all<{ personId: number; requirementId: number; windowFrom: number }>(sql`
    SELECT rc.person_id AS personId, rc.requirement_id AS requirementId, rc.window_from AS windowFrom
    FROM requirement_completions rc JOIN program_requirements r ON r.id = rc.requirement_id
    WHERE r.kind = 'sign_off' AND rc.completed_at IS NULL AND rc.ended_at IS NULL
      AND rc.program_id NOT IN (${idList(ours)})
    ORDER BY rc.window_from`);
  for (const row of openSignOffs) {
    const when = Math.min(row.windowFrom + 12 * DAY, now.getTime() - DAY);
    if (when <= row.windowFrom || !share(ctx, 0.65)) continue;
    const person = db.select().from(people).where(eq(people.id, row.personId)).get()!;
    const manager = managerOf(person);
    if (!manager) continue;
    clock.set(new Date(when));
    signOff(db, clock, { person: manager }, person.id, row.requirementId, 'Can name and explain the three advantages.');
  }
  syncCompletions(db, now, { programIds: all });
  const counts = db.get<{ rows: number; done: number }>(sql`SELECT count(*) AS rows, sum(completed_at IS NOT NULL) AS done FROM requirement_completions`)!;
  ctx.log(`programs: ${all.length} programs, ${newHires.length} new hires onboarding, ${counts.rows} requirement records (${counts.done} done)`);
}
