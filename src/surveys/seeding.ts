// Building blocks of the surveys demo: a clock it moves through the past, look-ups, alignment meetings, ride-alongs
// with feedback, reps at a marketing meeting, the review program. Not a seeder itself (see demo.ts).
import { and, eq } from 'drizzle-orm';
import { attendance, feedback, people, programs, teams } from '../../db/schema';
import type { Person } from '../context';
import { writeTransaction, type Db } from '../db';
import { pick, type DemoContext } from '../demo';
import type { Clock } from '../lib/clock';
import { addDaysToLocalDate, formatLocalDate, weekdayOfLocalDate } from '../lib/time';
import type { Actor } from '../audit/audit';
import { addAgendaItem, createEvent, eventOccurrences, type EventRow } from '../events';
import { addRequirement, createProgram } from '../programs/index';
import { placeFeedbackSuggestion } from '../feedback/feedback';

const DAY = 86_400_000;

/** A clock the demo moves through the past, so rows get believable timestamps. */
export function movableClock(start: Date): Clock & { set(at: Date): void } {
  let current = start.getTime();
  return { now: () => new Date(current), set: (at: Date) => (current = at.getTime()) };
}

export function personByEmail(db: Db, email: string): Person | undefined {
  return db.select().from(people).where(eq(people.email, email)).get();
}

export function teamByName(db: Db, name: string) {
  return db.select().from(teams).where(eq(teams.name, name)).get();
}

/**
 * Alignment meetings on a weekly or fortnightly rhythm, with an agenda on the occurrences in `withAgenda`;
 * `localTime` is in the host's zone, chosen so the meeting falls in both teams' working day.
 */
export function alignmentSeries(
  db: Db,
  clock: ReturnType<typeof movableClock>,
  host: Person,
  title: string,
  localTime: string,
  startDaysAgo: number,
  everyWeeks: number,
  now: Date,
  withAgenda: (index: number) => boolean,
): EventRow | null {
  const first = new Date(now.getTime() - startDaysAgo * DAY);
  clock.set(new Date(first.getTime() - 2 * DAY));
  const firstDate = formatLocalDate(first, host.timeZone);
  const startLocal = `${firstDate}T${localTime}`;
  const weekday = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][weekdayOfLocalDate(firstDate)];
  const rrule = everyWeeks === 1 ? `FREQ=WEEKLY;BYDAY=${weekday}` : `FREQ=WEEKLY;INTERVAL=${everyWeeks};BYDAY=${weekday}`;
  const event = createEvent(db, clock, { personId: host.id }, host, {
    kind: 'alignment_meeting',
    title,
    description: 'Pipeline, field insights and the next campaign, together.',
    hostId: host.id,
    startLocal,
    timeZone: host.timeZone,
    durationMinutes: 45,
    seats: 12,
    rrule,
    account: null,
    opportunityStage: null,
    location: 'Room Atlas / video',
    meetingUrl: null,
    topic: null,
  });
  const occurrences = eventOccurrences(db, event, new Date(first.getTime() - DAY), now).filter((occurrence) => occurrence.start.getTime() < now.getTime());
  occurrences.forEach((occurrence, index) => {
    if (!withAgenda(index)) return;
    clock.set(new Date(occurrence.start.getTime() - DAY));
    addAgendaItem(db, clock, { personId: host.id }, host, event.id, occurrence.originalStart, { title: 'Pipeline and lost deals this week', minutes: 15 });
    addAgendaItem(db, clock, { personId: host.id }, host, event.id, occurrence.originalStart, { title: 'Field insights and the backlog', minutes: 15 });
  });
  return event;
}

/** Sales calls of a team with marketers riding along (attended), some with guest feedback. */
export function rideAlongs(
  db: Db,
  ctx: DemoContext,
  clock: ReturnType<typeof movableClock>,
  hosts: Person[],
  marketers: Person[],
  salesTeamId: number,
  calls: number,
  sinceDaysAgo: number,
  now: Date,
) {
  const ridersPerCall = 2;
  const suggestionsByCall = [
    'A one-page comparison against Competitor X for late-stage deals',
    'Case study from a customer who went live in three weeks',
    'Integration checklist for SAP prospects',
    'Pricing FAQ for renewal calls',
    'Short demo video of the support hand-off',
  ];
  for (let index = 0; index < calls; index++) {
    const host = hosts[index % hosts.length];
    const start = new Date(now.getTime() - (1 + Math.floor(((calls - index) * sinceDaysAgo) / calls)) * DAY);
    clock.set(new Date(start.getTime() - 3 * DAY));
    const call = createEvent(db, clock, { personId: host.id }, host, {
      kind: 'sales_call',
      title: `${pick(ctx.random, ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay'])} ${pick(ctx.random, ['discovery', 'demo', 'proposal'])} call`,
      description: '',
      hostId: host.id,
      startLocal: `${formatLocalDate(start, host.timeZone)}T15:00`,
      timeZone: host.timeZone,
      durationMinutes: 60,
      seats: ridersPerCall,
      rrule: null,
      account: pick(ctx.random, ['Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay Industries']),
      opportunityStage: 'demo',
      location: null,
      meetingUrl: null,
      topic: null,
    });
    const [occurrence] = eventOccurrences(db, call, new Date(start.getTime() - 2 * DAY), new Date(start.getTime() + 2 * DAY));
    if (!occurrence) continue;
    for (let rider = 0; rider < ridersPerCall; rider++) {
      const marketer = marketers[(index * ridersPerCall + rider) % marketers.length];
      db.insert(attendance)
        .values({
          eventId: call.id,
          occurrenceStart: occurrence.originalStart,
          personId: marketer.id,
          status: 'attended',
          markedById: host.id,
          markedAt: occurrence.end,
        })
        .onConflictDoNothing()
        .run();
      if (rider === 0 && index % 2 === 0) {
        const submittedAt = new Date(occurrence.end.getTime() + DAY / 2);
        // The report and its suggestion in the liaison backlog are written together, as submitFeedback does.
        writeTransaction(db, (tx) => {
          const row = tx
            .insert(feedback)
            .values({
              eventId: call.id,
              occurrenceStart: occurrence.originalStart,
              occurredAt: occurrence.start,
              authorId: marketer.id,
              authorRole: 'guest',
              authorTeamId: marketer.teamId,
              hostTeamId: salesTeamId,
              outcome: index % 4 === 0 ? 'lost' : 'open',
              lossReason: index % 4 === 0 ? 'price' : null,
              lossDetail: index % 4 === 0 ? 'Went with the cheaper competitor.' : '',
              suggestion: suggestionsByCall[(index / 2) % suggestionsByCall.length],
              submittedAt,
            })
            .onConflictDoNothing()
            .returning()
            .get();
          if (row) placeFeedbackSuggestion(tx, { now: () => submittedAt }, { personId: marketer.id }, row);
        });
      }
    }
  }
}

/** Sales reps at a marketing meeting (the launch briefing). */
export function repsAtMarketingMeeting(db: Db, clock: ReturnType<typeof movableClock>, host: Person, reps: Person[], daysAgo: number, now: Date) {
  const start = new Date(now.getTime() - daysAgo * DAY);
  clock.set(new Date(start.getTime() - 5 * DAY));
  const meeting = createEvent(db, clock, { personId: host.id }, host, {
    kind: 'marketing_meeting',
    title: 'Spring launch briefing',
    description: 'What launches, for whom, and the talk track.',
    hostId: host.id,
    startLocal: `${formatLocalDate(start, host.timeZone)}T14:00`,
    timeZone: host.timeZone,
    durationMinutes: 60,
    seats: 10,
    rrule: null,
    account: null,
    opportunityStage: null,
    location: null,
    meetingUrl: null,
    topic: 'Spring launch',
  });
  const [occurrence] = eventOccurrences(db, meeting, new Date(start.getTime() - 2 * DAY), new Date(start.getTime() + 2 * DAY));
  if (!occurrence) return;
  for (const rep of reps)
    db.insert(attendance)
      .values({
        eventId: meeting.id,
        occurrenceStart: occurrence.originalStart,
        personId: rep.id,
        status: 'attended',
        markedById: host.id,
        markedAt: occurrence.end,
      })
      .onConflictDoNothing()
      .run();
}

export function findOrCreateReviewProgram(db: Db, clock: Clock, actor: Actor, today: string): number {
  const existing = db
    .select()
    .from(programs)
    .where(and(eq(programs.kind, 'review'), eq(programs.active, true)))
    .all();
  const named = existing.find((program) => /advantage|messag|position/i.test(program.name)) ?? existing[0];
  if (named) return named.id;
  const program = createProgram(db, clock, actor, {
    name: 'Competitive advantages refresher',
    kind: 'review',
    description: 'A review session on our three official advantages and how to say them, for everyone below the shared-mindset threshold.',
    rrule: 'FREQ=MONTHLY;INTERVAL=3',
    anchorDate: addDaysToLocalDate(today, -200),
    dueSoonDays: 7,
  });
  addRequirement(db, clock, actor, program.id, { title: 'Sign-off: can name and explain the three advantages', kind: 'sign_off', count: 1, dueOffsetDays: 21 });
  return program.id;
}
