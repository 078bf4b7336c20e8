/**
 * Demo events around today: a month of past and upcoming sales calls and marketing meetings with
 * guests, a weekly alignment meeting with agendas and carried-over action items, pending
 * invitations, a waitlist, and a manager who approves claims. Everything goes through the domain
 * functions (with a clock set to when it would have happened), so seats and waitlists are real.
 */
import { and, eq } from 'drizzle-orm';
import { people, teams, type Department } from '../../db/schema';
import type { Person } from '../context';
import type { Db } from '../db';
import { pick, type DemoContext } from '../demo';
import type { Clock } from '../lib/clock';
import { addDaysToLocalDate, formatLocal, formatLocalDate, weekdayOfLocalDate, zonedLocalToUtc } from '../lib/time';
import { WEEKDAY_CODES } from './recurrence';
import { addActionItem, addAgendaItem, recordDecisions, setActionItemDone } from './agenda';
import type { EventDetails, EventRow } from './event-rules';
import { eventOccurrences } from './event-occurrences';
import { cancelOccurrence, moveOccurrence } from './occurrence-changes';
import { cancelEvent, createEvent, updateEvent } from './events';
import { claimSeat } from './claims';
import { invitePeople } from './invitations';
import { respond } from './answers';
import { setClaimApprovalPolicy } from './approvals';

export const order = 10;

const ACCOUNTS = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella Health',
  'Stark Logistics',
  'Wayne Retail',
  'Hooli',
  'Vandelay Imports',
  'Soylent Foods',
  'Tyrell Systems',
  'Cyberdyne',
  'Wonka Industries',
];
const STAGES = ['prospecting', 'discovery', 'demo', 'proposal', 'negotiation'] as const;
const CALL_TITLES = ['Discovery call', 'Product demo', 'Pricing discussion', 'Security review', 'Executive briefing', 'Renewal check-in'];
const MEETING_TOPICS: [string, string][] = [
  ['Q2 campaign review', 'Campaign results and what sales heard from customers'],
  ['Messaging workshop', 'Testing the new value messages against real objections'],
  ['Webinar planning', 'Topics and speakers for the next customer webinar'],
  ['Competitive update', 'What changed at the top competitors this month'],
  ['Content roadmap', 'Which sales material to write next'],
  ['Launch readiness', 'Launch plan and enablement for the spring release'],
];
const AGENDA = [
  ['Pipeline from last month’s campaigns', 'Marketing keeps the webinar follow-up sequence; sales calls back within 48 hours.'],
  ['Lead quality', 'Agreed MQL definition: fits ICP and booked a demo or attended a webinar.'],
  ['Top loss reasons', 'Pricing objections go to product marketing for a value sheet.'],
  ['Field feedback highlights', 'Share the three most-met competitors in the next newsletter.'],
] as const;
const ACTIONS = [
  'Share the updated battlecard',
  'Send the list of stalled deals',
  'Draft the integrations one-pager',
  'Book two ride-alongs for new marketers',
  'Update the MQL definition in the CRM',
];

const at = (instant: Date): Clock => ({ now: () => instant });
const DAY = 86_400_000;

function byEmail(db: Db, email: string): Person | undefined {
  return db.select().from(people).where(eq(people.email, email)).get();
}

function teamMembers(db: Db, teamName: string): Person[] {
  const team = db.select({ id: teams.id }).from(teams).where(eq(teams.name, teamName)).get();
  if (!team) return [];
  return db
    .select()
    .from(people)
    .where(and(eq(people.teamId, team.id), eq(people.active, true), eq(people.role, 'employee')))
    .all();
}

function departmentPeople(db: Db, department: Department): Person[] {
  return db
    .select()
    .from(people)
    .where(and(eq(people.department, department), eq(people.active, true), eq(people.role, 'employee')))
    .all();
}

type DemoEvent = Pick<EventDetails, 'kind' | 'title' | 'startLocal' | 'durationMinutes' | 'seats'> & Partial<Omit<EventDetails, 'hostId' | 'timeZone'>>;

/** A working day `offset` days from today in the zone (moved off weekends), at the given time. */
function localStart(today: string, offset: number, time: string): string {
  let date = addDaysToLocalDate(today, offset);
  while ([0, 6].includes(weekdayOfLocalDate(date))) date = addDaysToLocalDate(date, offset < 0 ? -1 : 1);
  return `${date}T${time}`;
}

export function seedDemo(db: Db, ctx: DemoContext) {
  const now = ctx.clock.now();
  const rep = byEmail(db, 'rep@example.com');
  const marketer = byEmail(db, 'marketer@example.com');
  const salesManager = byEmail(db, 'sales.manager@example.com');
  const marketingManager = byEmail(db, 'marketing.manager@example.com');
  const demandManager = byEmail(db, 'demand.manager@example.com');
  if (!rep || !marketer || !salesManager || !marketingManager || !demandManager) {
    ctx.log('events: demo people missing, skipped');
    return;
  }
  const salesPeople = departmentPeople(db, 'sales');
  const marketingPeople = departmentPeople(db, 'marketing');
  const actor = (p: Person) => ({ personId: p.id });
  let eventCount = 0;
  let guestCount = 0;

  /** Creates an event as the host did at `createdAt`; what is not given is left empty. */
  const create = (host: Person, details: DemoEvent, createdAt: Date): EventRow => {
    eventCount++;
    const empty = { description: '', rrule: null, account: null, opportunityStage: null, location: null, meetingUrl: null, topic: null };
    return createEvent(db, at(createdAt), actor(host), host, { ...empty, ...details, hostId: host.id, timeZone: host.timeZone });
  };
  /** Claims a seat as it would have happened a few days before the occurrence. */
  const claim = (guest: Person, event: EventRow, originalStart: Date | null, start: Date) => {
    const when = new Date(Math.min(start.getTime() - 3 * DAY, now.getTime()));
    const result = claimSeat(db, at(when), actor(guest), guest, event.id, originalStart, { confirmConflicts: true });
    if (result.outcome === 'accepted') guestCount++;
    return result;
  };

  // Sales calls of every rep: two weeks back to three weeks ahead, some with marketers riding along.
  for (const host of salesPeople) {
    const today = formatLocalDate(now, host.timeZone);
    const calls = 2 + Math.floor(ctx.random() * 2);
    for (let i = 0; i < calls; i++) {
      const offset = Math.floor(ctx.random() * 36) - 14;
      const hour = 9 + Math.floor(ctx.random() * 7);
      const startLocal = localStart(today, offset, `${String(hour).padStart(2, '0')}:${ctx.random() < 0.5 ? '00' : '30'}`);
      const start = zonedLocalToUtc(startLocal, host.timeZone);
      const account = pick(ctx.random, ACCOUNTS);
      const event = create(
        host,
        {
          kind: 'sales_call',
          title: `${pick(ctx.random, CALL_TITLES)} with ${account}`,
          startLocal,
          durationMinutes: ctx.random() < 0.5 ? 45 : 60,
          seats: 1 + Math.floor(ctx.random() * 2),
          rrule: null,
          account,
          opportunityStage: pick(ctx.random, STAGES),
          location: ctx.random() < 0.4 ? `${account} office` : null,
          meetingUrl: ctx.random() < 0.6 ? `https://meet.example.com/${account.toLowerCase().replace(/[^a-z]+/g, '-')}` : null,
          topic: null,
        },
        new Date(Math.min(start.getTime(), now.getTime()) - 10 * DAY),
      );
      const guests = offset < 0 ? event.seats : Math.floor(ctx.random() * (event.seats + 1));
      for (let g = 0; g < guests; g++) claim(pick(ctx.random, marketingPeople), event, null, start);
    }
  }

  // Marketing meetings with sales reps as guests.
  const marketingHosts = [marketer, ...marketingPeople.filter((p) => p.id !== marketer.id).slice(0, 6)];
  for (const [index, host] of marketingHosts.entries()) {
    const [title, topic] = MEETING_TOPICS[index % MEETING_TOPICS.length]!;
    const today = formatLocalDate(now, host.timeZone);
    const offset = index % 2 === 0 ? -3 - index : 2 + index;
    const startLocal = localStart(today, offset, '14:00');
    const start = zonedLocalToUtc(startLocal, host.timeZone);
    const event = create(
      host,
      {
        kind: 'marketing_meeting',
        title,
        startLocal,
        durationMinutes: 60,
        seats: 3,
        location: 'Room Atlas',
        topic,
      },
      new Date(Math.min(start.getTime(), now.getTime()) - 12 * DAY),
    );
    for (let g = 0; g < (offset < 0 ? 3 : 1); g++) claim(pick(ctx.random, salesPeople), event, null, start);
  }

  // Riley (rep@) and Morgan (marketer@): a past ride-along, an upcoming one, one open seat and a full call with a waitlist.
  const repToday = formatLocalDate(now, rep.timeZone);
  const rileysCalls: [day: number, time: string, bookedDaysAgo: number, details: Pick<DemoEvent, 'title'> & Partial<DemoEvent>][] = [
    [-2, '11:00', 9, { title: 'Product demo with Globex', account: 'Globex', opportunityStage: 'demo', meetingUrl: 'https://meet.example.com/globex' }],
    [3, '10:00', 2, { title: 'Security review with Initech', account: 'Initech', opportunityStage: 'proposal', location: 'Initech HQ, Boston' }],
    [
      5,
      '13:00',
      1,
      {
        title: 'Discovery call with Hooli',
        account: 'Hooli',
        opportunityStage: 'discovery',
        durationMinutes: 45,
        meetingUrl: 'https://meet.example.com/hooli',
      },
    ],
    [6, '15:00', 1, { title: 'Executive briefing with Tyrell Systems', account: 'Tyrell Systems', opportunityStage: 'negotiation', seats: 1 }],
  ];
  const [past, upcoming, , full] = rileysCalls.map(([day, time, bookedDaysAgo, details]) =>
    create(
      rep,
      { kind: 'sales_call', startLocal: localStart(repToday, day, time), durationMinutes: 60, seats: 2, ...details },
      new Date(now.getTime() - bookedDaysAgo * DAY),
    ),
  );
  claim(marketer, past!, null, zonedLocalToUtc(past!.startLocal, rep.timeZone));
  claim(marketer, upcoming!, null, zonedLocalToUtc(upcoming!.startLocal, rep.timeZone));
  const fullStart = zonedLocalToUtc(full!.startLocal, rep.timeZone);
  const others = marketingPeople.filter((p) => p.id !== marketer.id);
  claim(others[0]!, full!, null, fullStart);
  claim(others[1]!, full!, null, fullStart);

  // A weekly pipeline call of Riley's with open seats per occurrence, and Morgan invited to the series (unanswered).
  const pipeline = create(
    rep,
    {
      kind: 'sales_call',
      title: 'Weekly pipeline walk-through',
      startLocal: localStart(repToday, -7, '16:00'),
      durationMinutes: 30,
      seats: 2,
      rrule: `FREQ=WEEKLY;BYDAY=${['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][weekdayOfLocalDate(localStart(repToday, -7, '16:00').slice(0, 10))]}`,
      account: 'Pipeline',
      meetingUrl: 'https://meet.example.com/pipeline',
    },
    new Date(now.getTime() - 14 * DAY),
  );
  invitePeople(db, at(new Date(now.getTime() - DAY)), actor(rep), rep, pipeline.id, [marketer.id], null);
  const marketingMeeting = create(
    marketingManager,
    {
      kind: 'marketing_meeting',
      title: 'Campaign retro',
      startLocal: localStart(formatLocalDate(now, marketingManager.timeZone), 4, '15:00'),
      durationMinutes: 45,
      seats: 4,
      topic: 'What the last campaign taught us',
    },
    new Date(now.getTime() - 2 * DAY),
  );
  invitePeople(db, at(new Date(now.getTime() - DAY)), actor(marketingManager), marketingManager, marketingMeeting.id, [rep.id], null);

  // The weekly alignment meeting: Thursdays 10:00 New York time, five weeks back and open-ended.
  const managerToday = formatLocalDate(now, salesManager.timeZone);
  let firstThursday = addDaysToLocalDate(managerToday, -35);
  while (weekdayOfLocalDate(firstThursday) !== 4) firstThursday = addDaysToLocalDate(firstThursday, 1);
  const firstStart = zonedLocalToUtc(`${firstThursday}T10:00`, salesManager.timeZone);
  const alignment = create(
    salesManager,
    {
      kind: 'alignment_meeting',
      title: 'Sales & marketing alignment',
      description: 'Weekly: pipeline, lead quality, field feedback and open action items.',
      startLocal: `${firstThursday}T10:00`,
      durationMinutes: 60,
      seats: 10,
      rrule: 'FREQ=WEEKLY;BYDAY=TH',
      meetingUrl: 'https://meet.example.com/alignment',
    },
    new Date(firstStart.getTime() - 7 * DAY),
  );
  const members = [marketingManager, marketer, rep, ...teamMembers(db, 'Product Marketing').slice(1, 3), ...teamMembers(db, 'Sales East').slice(1, 3)];
  const inviteAt = at(new Date(firstStart.getTime() - 6 * DAY));
  invitePeople(
    db,
    inviteAt,
    actor(salesManager),
    salesManager,
    alignment.id,
    members.map((m) => m.id),
    null,
  );
  for (const member of members) {
    respond(
      db,
      at(new Date(firstStart.getTime() - 5 * DAY)),
      actor(member),
      member,
      { eventId: alignment.id, start: null, answer: member.id === rep.id ? 'tentative' : 'accepted' },
      { confirmConflicts: true },
    );
  }
  const meetings = eventOccurrences(db, alignment, firstStart, new Date(now.getTime() + 21 * DAY));
  const pastMeetings = meetings.filter((m) => m.start < now);
  const actionIds: number[] = [];
  for (const [index, meeting] of pastMeetings.entries()) {
    const when = at(new Date(meeting.start.getTime() + 30 * 60_000));
    for (const [title, decision] of AGENDA.slice(index % 2, (index % 2) + 2)) {
      const item = addAgendaItem(db, at(new Date(meeting.start.getTime() - DAY)), actor(salesManager), salesManager, alignment.id, meeting.originalStart, {
        title,
        ownerId: index % 2 ? marketingManager.id : salesManager.id,
        minutes: 20,
      });
      recordDecisions(db, when, actor(salesManager), salesManager, item.id, decision);
    }
    const owner = index % 2 ? marketer : rep;
    actionIds.push(
      addActionItem(db, when, actor(salesManager), salesManager, alignment.id, meeting.originalStart, {
        title: ACTIONS[index % ACTIONS.length]!,
        ownerId: owner.id,
        dueDate: formatLocalDate(new Date(meeting.start.getTime() + 6 * DAY), salesManager.timeZone),
      }).id,
    );
  }
  // Most action items got done within a week; the last two are still open and carry over.
  for (const [index, id] of actionIds.slice(0, -2).entries()) {
    setActionItemDone(db, at(new Date(pastMeetings[index]!.start.getTime() + 5 * DAY)), actor(salesManager), salesManager, id, true);
  }
  const nextMeeting = meetings.find((m) => m.start > now);
  if (nextMeeting) {
    addAgendaItem(db, ctx.clock, actor(salesManager), salesManager, alignment.id, nextMeeting.originalStart, {
      title: 'Ride-along learnings of the month',
      ownerId: marketingManager.id,
      minutes: 25,
    });
    addAgendaItem(db, ctx.clock, actor(salesManager), salesManager, alignment.id, nextMeeting.originalStart, {
      title: 'Open action items',
      ownerId: salesManager.id,
      minutes: 15,
    });
    // One later meeting falls on a holiday and another moves to Friday.
    const later = meetings.filter((m) => m.start > now);
    if (later[1]) cancelOccurrence(db, ctx.clock, actor(salesManager), salesManager, { eventId: alignment.id, originalStart: later[1].originalStart });
    if (later[2]) {
      const friday = formatLocalDate(new Date(later[2].start.getTime() + DAY), salesManager.timeZone);
      moveOccurrence(db, ctx.clock, actor(salesManager), salesManager, { eventId: alignment.id, originalStart: later[2].originalStart }, `${friday}T11:00`);
    }
  }

  // An open seat at the time of the next alignment meeting, which the marketer accepted: open seats
  // name the conflict before the click. And a weekly pipeline review whose seats can be claimed for
  // every upcoming occurrence in one step.
  const salesCall = { kind: 'sales_call' as const, opportunityStage: 'proposal' as const, location: null, meetingUrl: null, topic: null };
  if (nextMeeting) {
    create(
      rep,
      {
        ...salesCall,
        title: 'Renewal call with Initech',
        startLocal: formatLocal(nextMeeting.start, rep.timeZone).slice(0, 16),
        durationMinutes: 45,
        seats: 2,
        account: 'Initech',
      },
      new Date(now.getTime() - DAY),
    );
  }
  const reviewDate = addDaysToLocalDate(formatLocalDate(now, rep.timeZone), 2);
  const reviewDay = WEEKDAY_CODES[(weekdayOfLocalDate(reviewDate) + 6) % 7];
  create(
    rep,
    {
      ...salesCall,
      title: 'Weekly pipeline review',
      startLocal: `${reviewDate}T14:00`,
      durationMinutes: 30,
      seats: 2,
      rrule: `FREQ=WEEKLY;BYDAY=${reviewDay};COUNT=8`,
      account: 'Acme Corp',
    },
    new Date(now.getTime() - DAY),
  );

  // Demand Generation's manager approves claims; one marketer's claim is waiting.
  setClaimApprovalPolicy(db, ctx.clock, actor(demandManager), demandManager.id, true);
  const demandMarketer = teamMembers(db, 'Demand Generation')[0];
  const openCall = salesPeople.length
    ? create(
        salesPeople[salesPeople.length - 1]!,
        {
          kind: 'sales_call',
          title: 'Discovery call with Wonka Industries',
          startLocal: localStart(formatLocalDate(now, salesPeople[salesPeople.length - 1]!.timeZone), 8, '11:00'),
          durationMinutes: 45,
          seats: 2,
          rrule: null,
          account: 'Wonka Industries',
          opportunityStage: 'discovery',
          location: null,
          meetingUrl: null,
          topic: null,
        },
        new Date(now.getTime() - DAY),
      )
    : null;
  if (demandMarketer && openCall) claimSeat(db, ctx.clock, actor(demandMarketer), demandMarketer, openCall.id, null, { confirmConflicts: true });

  // A call the marketer had a seat on, called off by the rep: My schedule still shows it, marked cancelled.
  const calledOff = create(
    rep,
    {
      ...salesCall,
      title: 'Kickoff with Umbrella Corp',
      startLocal: `${addDaysToLocalDate(formatLocalDate(now, rep.timeZone), 3)}T15:00`,
      durationMinutes: 45,
      seats: 2,
      account: 'Umbrella Corp',
    },
    new Date(now.getTime() - 2 * DAY),
  );
  claimSeat(db, at(new Date(now.getTime() - 2 * DAY)), actor(marketer), marketer, calledOff.id, null, { confirmConflicts: true });
  cancelEvent(db, at(new Date(now.getTime() - DAY)), actor(rep), rep, calledOff.id);

  // A weekly account sync that began three weeks ago at 09:00 and moved to 10:30 yesterday: the
  // occurrences that took place keep 09:00, and from the next one on it goes on as a new series.
  const syncStart = localStart(formatLocalDate(now, rep.timeZone), -21, '09:00').slice(0, 10);
  const sync = create(
    rep,
    {
      ...salesCall,
      title: 'Weekly Globex account sync',
      startLocal: `${syncStart}T09:00`,
      durationMinutes: 30,
      seats: 2,
      rrule: `FREQ=WEEKLY;BYDAY=${WEEKDAY_CODES[(weekdayOfLocalDate(syncStart) + 6) % 7]};COUNT=10`,
      account: 'Globex',
    },
    new Date(now.getTime() - 22 * DAY),
  );
  invitePeople(db, at(new Date(now.getTime() - 22 * DAY)), actor(rep), rep, sync.id, [marketer.id], null);
  respond(
    db,
    at(new Date(now.getTime() - 22 * DAY)),
    actor(marketer),
    marketer,
    { eventId: sync.id, start: null, answer: 'accepted' },
    { confirmConflicts: true },
  );
  updateEvent(db, at(new Date(now.getTime() - DAY)), actor(rep), rep, sync.id, { startLocal: `${syncStart}T10:30` });

  ctx.log(`events: ${eventCount} events, ${guestCount} claimed seats, weekly alignment meeting with ${pastMeetings.length} past occurrences`);
}
