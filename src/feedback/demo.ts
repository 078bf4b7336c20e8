/**
 * Demo feedback: most hosts and marketers report on the ride-alongs of the last weeks (written
 * through submitFeedback at a time just after each call), so field insights have competitors,
 * loss reasons, material ratings that move over time and open suggestions. The latest ride-along
 * of rep@ and marketer@ is left open, so their pending list shows what to do next.
 */
import { and, eq, sql } from 'drizzle-orm';
import { events, people } from '../../db/schema';
import { systemActor } from '../audit/audit';
import type { Db } from '../db';
import { pick, type DemoContext } from '../demo';
import type { Clock } from '../lib/clock';
import { rideAlongsEndedBetween, submitFeedback, type FeedbackInput } from './feedback';
import { listKeptNames, mergeKeptNames } from './names';
import type { LossReason } from '../../db/schema';

export const order = 15;

const DAY = 86_400_000;
const HISTORY_DAYS = 60;
// Reps write names their own way: "hooli" is merged into "Hooli CRM" below; "Initech" stays for HR to merge (a likely duplicate).
const COMPETITORS = [
  'Globex Analytics',
  'Globex Analytics',
  'Initech Cloud',
  'Initech Cloud',
  'Initech',
  'Umbrella Suite',
  'Hooli CRM',
  'hooli',
  'Vandelay Data',
];
const LOSS_REASONS: LossReason[] = ['price', 'price', 'missing_feature', 'competitor', 'timing', 'no_decision'];
/** Material with a base rating and how much it improves per week (marketing reworking it). */
const MATERIALS: [string, number, number][] = [
  ['Pricing one-pager', 2.0, 0.25],
  ['Product deck', 3.6, 0],
  ['ROI calculator', 3.2, 0.1],
  ['Competitive battlecard', 2.6, 0.2],
  ['Case study: retail', 4.3, 0],
  ['Security whitepaper', 3.0, -0.05],
];
const SUGGESTIONS = [
  'The pricing one-pager needs a mid-market example; the enterprise numbers scare smaller buyers.',
  'Give us a two-slide answer to "why not Globex" — it came up twice in one call.',
  'The ROI calculator should export to PDF so the champion can forward it.',
  'Customers asked for a retail case study with numbers from the last year.',
  'The security whitepaper is out of date on SSO; procurement noticed.',
  'A short demo video we can send after discovery calls would help.',
  'Battlecard: add Initech Cloud’s new bundle pricing.',
];

const at = (instant: Date): Clock => ({ now: () => instant });
const round = (n: number) => Math.max(1, Math.min(5, Math.round(n)));

export function seedDemo(db: Db, ctx: DemoContext) {
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - HISTORY_DAYS * DAY);
  const calls = db
    .select()
    .from(events)
    .where(
      and(
        eq(events.kind, 'sales_call'),
        eq(events.status, 'scheduled'),
        sql`${events.spanStart} < ${now.getTime()}`,
        sql`(${events.spanEnd} IS NULL OR ${events.spanEnd} > ${from.getTime()})`,
      ),
    )
    .all();
  const rides = rideAlongsEndedBetween(db, calls, from, now);

  const keyAccounts = new Set(
    db
      .select({ id: people.id })
      .from(people)
      .where(sql`${people.email} IN ('rep@example.com', 'marketer@example.com')`)
      .all()
      .map((p) => p.id),
  );
  // The last ride-along of each key account stays open for the demo's pending list.
  const keepOpen = new Set<string>();
  for (const personId of keyAccounts) {
    const last = [...rides].reverse().find((r) => r.hostId === personId || r.guestIds.includes(personId));
    if (last) keepOpen.add(`${last.occurrence.key}:${personId}`);
  }

  let written = 0;
  for (const ride of rides) {
    const weeksAgo = (now.getTime() - ride.occurrence.start.getTime()) / (7 * DAY);
    const met = [...new Set([pick(ctx.random, COMPETITORS), ...(ctx.random() < 0.4 ? [pick(ctx.random, COMPETITORS)] : [])])];
    const roll = ctx.random();
    const outcome: FeedbackInput['outcome'] = roll < 0.35 ? 'won' : roll < 0.7 ? 'lost' : 'open';
    const lossReason = outcome === 'lost' ? pick(ctx.random, LOSS_REASONS) : null;
    for (const authorId of [ride.hostId, ...ride.guestIds]) {
      if (keepOpen.has(`${ride.occurrence.key}:${authorId}`) || ctx.random() < 0.15) continue;
      const author = db.select().from(people).where(eq(people.id, authorId)).get();
      if (!author?.active) continue;
      const used = [...new Set([pick(ctx.random, MATERIALS), ...(ctx.random() < 0.5 ? [pick(ctx.random, MATERIALS)] : [])])];
      const input: FeedbackInput = {
        occurrenceId: ride.occurrence.key,
        // Host and guest mostly agree on who was in the deal; sometimes one of them names only one.
        competitors: authorId === ride.hostId || ctx.random() < 0.7 ? met : met.slice(0, 1),
        outcome,
        lossReason,
        lossDetail: lossReason === 'price' ? 'Came in under our list price by a wide margin.' : '',
        materials: used.map(([name, base, perWeek]) => ({ name, rating: round(base + perWeek * (HISTORY_DAYS / 7 - weeksAgo) + (ctx.random() - 0.5) * 1.2) })),
        suggestion: ctx.random() < 0.4 ? pick(ctx.random, SUGGESTIONS) : '',
      };
      const sentAt = Math.min(now.getTime(), ride.occurrence.end.getTime() + (2 + ctx.random() * 30) * 3_600_000);
      submitFeedback(db, at(new Date(sentAt)), systemActor, author, input);
      written++;
    }
  }
  const names = listKeptNames(db, 'competitor').rows;
  const canonical = names.find((n) => n.name === 'Hooli CRM');
  const alias = names.find((n) => n.name === 'hooli');
  const marketingManager = db.select({ id: people.id }).from(people).where(eq(people.email, 'marketing.manager@example.com')).get();
  if (canonical && alias)
    mergeKeptNames(db, ctx.clock, { personId: marketingManager?.id ?? null }, { kind: 'competitor', canonicalId: canonical.id, mergedIds: [alias.id] });
  ctx.log(`feedback: ${written} reports on ${rides.length} ride-alongs; "hooli" merged into "Hooli CRM"`);
}
