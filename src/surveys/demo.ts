// Demo: the official advantages, survey rounds in which the match rate climbs after a review program (sales and
// marketing clearly saying different things in the first, decided), an anonymous round hiding a small team, an
// open round not decided yet, liaisons with backlogs, and a
// scorecard with the two sales teams at different stages.
import { and, eq } from 'drizzle-orm';
import { people, suggestions } from '../../db/schema';
import type { Person } from '../context';
import type { Db } from '../db';
import { pick, type DemoContext } from '../demo';
import { addDaysToLocalDate, formatLocalDate } from '../lib/time';
import { addSuggestion, appointLiaison, moveSuggestion } from '../liaisons/liaisons';
import { saveAdvantageVersion, type AdvantageInput } from './advantages';
import { enrollFromRound } from './loop';
import { assignAnswers, reviewQueue } from './review';
import { openRound } from './surveys';
import { submitResponse } from './answering';
import { movableClock, personByEmail, teamByName, alignmentSeries, rideAlongs, repsAtMarketingMeeting, findOrCreateReviewProgram } from './seeding';

export const order = 40;

const DAY = 86_400_000;

export const DEMO_ADVANTAGES: AdvantageInput[] = [
  {
    key: 'fastest-implementation',
    name: 'Fastest implementation',
    statement: 'Customers go live in under 30 days, half the industry average.',
    synonyms: [
      'fast implementation',
      'implementation speed',
      'fast setup',
      'easy setup',
      'fast to deploy',
      'fast rollout',
      'onboarding',
      'go live fast',
      'live in weeks',
      'time to value',
      'up and running',
    ],
  },
  {
    key: 'best-customer-support',
    name: 'Best customer support',
    statement: 'Every customer reaches a named support expert within one hour, around the clock.',
    synonyms: [
      'customer support',
      'support',
      'customer service',
      'support team',
      'responsive support',
      '24/7 support',
      'customer success',
      'dedicated account manager',
      'help desk',
    ],
  },
  {
    key: 'integrations',
    name: 'Integrations',
    statement: 'More than 200 ready-made connectors to the ERP, CRM and HR systems our customers already use.',
    synonyms: [
      'integrations',
      'connectors',
      'open api',
      'api',
      'works with salesforce',
      'works with sap',
      'erp integration',
      'crm integration',
      'plug and play',
      'ecosystem',
    ],
  },
];

// How people put the official advantages in their own words (typos included).
const OFFICIAL_ANSWERS = [
  [
    'Fastest implementation',
    'fast setup',
    'customers are live in weeks',
    'quick implementation',
    'implementation speed',
    'fastest implemntation',
    'time to value',
    'up and running in a month',
  ],
  [
    'Best customer support',
    'our support team',
    'customer service',
    '24/7 support',
    'customer suport',
    'dedicated account managers',
    'support that picks up the phone',
    'great support',
  ],
  [
    'Integrations',
    'all the integrations',
    'open API',
    'connectors to every ERP',
    'works with Salesforce and SAP',
    'intergrations',
    'plug and play with their CRM',
    'our API',
    'it talks to every system they have',
  ],
];
// What each department names instead: sales sells on price, marketing promotes quality and innovation.
const SALES_INSTEAD = [
  'price',
  'lowest price',
  'cheapest on the market',
  'discounts',
  'good value for money',
  'we are cheaper',
  'competitive pricing',
  'flexible contracts',
  'free trial',
];
const MARKETING_INSTEAD = [
  'quality',
  'high quality product',
  'innovation',
  'AI features',
  'our brand',
  'modern design',
  'premium quality',
  'market leader',
  'thought leadership',
];
const ANYONE_INSTEAD = ['easy to use', 'reliability', 'security', 'our people', 'not sure'];

function answersFor(ctx: DemoContext, department: string, chance: number): string[] {
  const chosen = new Set<number>();
  return [0, 1, 2].map(() => {
    if (ctx.random() < chance) {
      // Name an official advantage not named yet in this response, mostly.
      let index = Math.floor(ctx.random() * OFFICIAL_ANSWERS.length);
      if (chosen.has(index)) index = (index + 1) % OFFICIAL_ANSWERS.length;
      chosen.add(index);
      return pick(ctx.random, OFFICIAL_ANSWERS[index]);
    }
    const pool =
      ctx.random() < 0.8 ? (department === 'sales' ? SALES_INSTEAD : department === 'marketing' ? MARKETING_INSTEAD : ANYONE_INSTEAD) : ANYONE_INSTEAD;
    return pick(ctx.random, pool);
  });
}

type RoundPlan = {
  title: string;
  openDaysAgo: number;
  /** Two weeks unless said otherwise. */
  lengthDays?: number;
  chance: Record<'sales' | 'marketing', number>;
  responseShare: number;
  anonymous?: boolean;
  /** At most this many answers from a team (a small group an anonymous round must hide). */
  capByTeam?: Map<number, number>;
};

/** What every demo round is opened in: the company, the movable clock, HR as organiser and the surveyed teams. */
interface RoundWorld {
  db: Db;
  ctx: DemoContext;
  clock: ReturnType<typeof movableClock>;
  hr: Person;
  teamIds: number[];
  now: Date;
}

function runRound(world: RoundWorld, plan: RoundPlan) {
  const { db, ctx, clock, hr, teamIds, now } = world;
  const opens = new Date(now.getTime() - plan.openDaysAgo * DAY);
  clock.set(opens);
  const closesOn = addDaysToLocalDate(formatLocalDate(opens, hr.timeZone), plan.lengthDays ?? 14);
  const round = openRound(db, clock, { personId: hr.id }, hr, {
    title: plan.title,
    populationKind: 'teams',
    teamIds,
    closesOn,
    anonymous: plan.anonymous ?? false,
  });
  const participants = db.$client
    .prepare('SELECT person_id AS personId, department, team_id AS teamId FROM survey_participants WHERE round_id = ? ORDER BY person_id')
    .all(round.id) as {
    personId: number;
    department: 'sales' | 'marketing' | 'other';
    teamId: number | null;
  }[];
  const lastAnswer = Math.min(now.getTime() - DAY / 4, round.closesAt.getTime() - DAY / 2);
  const answeredByTeam = new Map<number | null, number>();
  for (const participant of participants) {
    if (ctx.random() > plan.responseShare) continue;
    const cap = participant.teamId === null ? undefined : plan.capByTeam?.get(participant.teamId);
    const answered = answeredByTeam.get(participant.teamId) ?? 0;
    if (cap !== undefined && answered >= cap) continue;
    answeredByTeam.set(participant.teamId, answered + 1);
    clock.set(new Date(opens.getTime() + ctx.random() * (lastAnswer - opens.getTime())));
    const chance = participant.department === 'other' ? 0.5 : plan.chance[participant.department];
    submitResponse(db, clock, { id: participant.personId }, round.id, answersFor(ctx, participant.department, chance));
  }
  return round;
}

export async function seedDemo(db: Db, ctx: DemoContext) {
  const now = ctx.clock.now();
  const hr = personByEmail(db, 'hr@example.com');
  const salesEast = teamByName(db, 'Sales East');
  const salesWest = teamByName(db, 'Sales West');
  const productMarketing = teamByName(db, 'Product Marketing');
  const demandGeneration = teamByName(db, 'Demand Generation');
  if (!hr || !salesEast || !salesWest || !productMarketing || !demandGeneration) {
    ctx.log('surveys: the demo company is missing; skipped');
    return;
  }
  const clock = movableClock(now);
  const actor = { personId: hr.id };
  const members = (teamId: number) =>
    db
      .select()
      .from(people)
      .where(and(eq(people.teamId, teamId), eq(people.active, true), eq(people.role, 'employee')))
      .all();

  // The advantages, half a year ago; a second version after the first review.
  clock.set(new Date(now.getTime() - 190 * DAY));
  saveAdvantageVersion(db, clock, actor, DEMO_ADVANTAGES, 'The three advantages from the positioning workshop');

  const teamIds = [salesEast.id, salesWest.id, productMarketing.id, demandGeneration.id];
  const world: RoundWorld = { db, ctx, clock, hr, teamIds, now };
  const first = runRound(world, { title: 'Shared mindset · spring', openDaysAgo: 165, chance: { sales: 0.38, marketing: 0.62 }, responseShare: 0.9 });

  // HR reviews the first round: the most frequent unmatched answers, one saved as a synonym.
  clock.set(new Date(first.closesAt.getTime() + DAY));
  const queue = reviewQueue(db, first.id, 50).items;
  const apiAnswer = queue.find((item) => /talks to every system/i.test(item.text));
  if (apiAnswer) assignAnswers(db, clock, actor, first.id, { normalised: apiAnswer.normalised, advantageKey: 'integrations', saveAsSynonym: true });
  for (const item of queue.filter((candidate) => candidate.status === 'unmatched').slice(0, 4)) {
    assignAnswers(db, clock, actor, first.id, { normalised: item.normalised, advantageKey: undefined, saveAsSynonym: false });
  }

  // Closing the loop: everyone below the threshold goes through the review program.
  clock.set(new Date(first.closesAt.getTime() + 3 * DAY));
  const programId = findOrCreateReviewProgram(db, clock, actor, formatLocalDate(clock.now(), hr.timeZone));
  const enrolled = enrollFromRound(db, clock, actor, first.id, { scope: 'people', programId });

  runRound(world, { title: 'Shared mindset · summer', openDaysAgo: 95, chance: { sales: 0.92, marketing: 0.94 }, responseShare: 0.92 });
  // Anonymous, closed: Sales West answered three times, fewer than the minimum group size, so its cell is
  // hidden, and so is Sales East's (sales minus Sales East would give Sales West away).
  runRound(world, {
    title: 'Anonymous pulse · early autumn',
    openDaysAgo: 40,
    lengthDays: 10,
    chance: { sales: 0.8, marketing: 0.86 },
    responseShare: 0.85,
    anonymous: true,
    capByTeam: new Map([[salesWest.id, 3]]),
  });
  // Open, with a quarter answered so far: strong answers, but not decided yet.
  const third = runRound(world, { title: 'Shared mindset · autumn', openDaysAgo: 6, chance: { sales: 0.94, marketing: 0.96 }, responseShare: 0.25 });

  // Liaisons: a marketer for each sales team (Sales East's long-standing, Sales West's new).
  const liaisonEast = personByEmail(db, 'marketer@example.com') ?? members(productMarketing.id)[0];
  const liaisonWest = members(demandGeneration.id)[0];
  clock.set(new Date(now.getTime() - 170 * DAY));
  appointLiaison(db, clock, actor, { personId: liaisonEast.id, teamId: salesEast.id });
  clock.set(new Date(now.getTime() - 40 * DAY));
  appointLiaison(db, clock, actor, { personId: liaisonWest.id, teamId: salesWest.id });

  // Sales East works together: weekly alignment meetings with agendas, ride-alongs, reps at a marketing meeting.
  // 15:00 in London is 10:00 in New York (Sales East).
  alignmentSeries(db, clock, liaisonEast, 'Sales East × Product Marketing alignment', '15:00', 84, 1, now, (index) => index !== 3);
  const marketers = members(productMarketing.id);
  const eastReps = members(salesEast.id);
  const quarterStart = new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1));
  const quarterDays = Math.max(3, Math.floor((now.getTime() - quarterStart.getTime()) / DAY) - 1);
  rideAlongs(db, ctx, clock, eastReps.slice(0, 8), marketers, salesEast.id, Math.ceil(marketers.length / 2) + 2, Math.min(quarterDays, 70), now);
  repsAtMarketingMeeting(db, clock, liaisonEast, eastReps.slice(0, 3), Math.min(quarterDays, 12), now);
  // Sales West has a liaison and a fortnightly rhythm, not yet kept.
  // 17:00 in Berlin is 08:00 in Los Angeles (Sales West).
  alignmentSeries(db, clock, liaisonWest, 'Sales West × Demand Generation alignment', '17:00', 35, 2, now, (index) => index !== 1);

  // The backlogs: suggestions from feedback and check-ins arrived in them as they were written (the
  // earlier ones waited unassigned until the appointments above); the liaison works through Sales East's.
  clock.set(now);
  const eastBacklog = db.select().from(suggestions).where(eq(suggestions.teamId, salesEast.id)).orderBy(suggestions.id).all();
  const eastLiaison = { person: liaisonEast };
  const westLiaison = { person: liaisonWest };
  eastBacklog.forEach((suggestion, index) => {
    // Moves happen after the suggestion arrived, within the last ten days.
    clock.set(new Date(Math.max(suggestion.createdAt.getTime() + DAY / 4, now.getTime() - (10 - (index % 10)) * DAY)));
    if (clock.now().getTime() > now.getTime()) return;
    if (index % 3 === 0) {
      moveSuggestion(db, clock, eastLiaison, suggestion.id, 'accept');
      moveSuggestion(db, clock, eastLiaison, suggestion.id, 'done');
    } else if (index % 3 === 1) {
      moveSuggestion(db, clock, eastLiaison, suggestion.id, 'accept');
    }
  });
  clock.set(now);
  const extra = addSuggestion(
    db,
    clock,
    { personId: liaisonEast.id },
    { teamId: salesEast.id, title: 'Battle card on our 30-day go-live for the price objection', source: 'manual' },
  );
  if (extra) moveSuggestion(db, clock, eastLiaison, extra.id, 'accept');
  const west = addSuggestion(
    db,
    clock,
    { personId: liaisonWest.id },
    { teamId: salesWest.id, title: 'Joint account plan for the three biggest renewals', source: 'manual' },
  );
  if (west) moveSuggestion(db, clock, westLiaison, west.id, 'reject', 'Covered by the account-planning rotation next quarter.');

  const participants = db.$client.prepare('SELECT count(*) AS n FROM survey_participants WHERE round_id = ?').get(third.id) as { n: number };
  ctx.log(
    `surveys: 4 rounds (spring decided, an anonymous one hiding a small team, the last open and not decided yet, ${participants.n} asked), ${enrolled.enrolled + enrolled.reopened} enrolled in review after the first; 2 liaisons with backlogs`,
  );
}
