// The alignment scorecard: for each sales team and its marketing counterpart, this quarter's signals, the
// stage they decide, what would move the pair on, and the stage over recent quarters.
import { eq } from 'drizzle-orm';
import { scorecardSettings } from '../../db/schema';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { badRequest } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { gatherSignals, recentQuarters, teamPairs, type Quarter, type TeamPair } from './signals';
import { decideStage, DEFAULT_SCORECARD_THRESHOLDS, scorecardThresholdsSchema, type AlignmentSignals, type AlignmentStage, type ScorecardThresholds, type StageDecision } from './stage';

const SETTINGS_ROW = 1;
const TREND_QUARTERS = 4;

/** HR's thresholds, or the defaults; a stored value that no longer parses falls back to the defaults. */
export function loadThresholds(db: Db): ScorecardThresholds {
  const row = db.select().from(scorecardSettings).where(eq(scorecardSettings.id, SETTINGS_ROW)).get();
  if (!row) return DEFAULT_SCORECARD_THRESHOLDS;
  const parsed = scorecardThresholdsSchema.safeParse(row.thresholds);
  return parsed.success ? parsed.data : DEFAULT_SCORECARD_THRESHOLDS;
}

export function saveThresholds(db: Db, clock: Clock, actor: Actor, input: unknown): ScorecardThresholds {
  const parsed = scorecardThresholdsSchema.safeParse(input);
  if (!parsed.success) throw badRequest('The thresholds are not valid.', parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
  return writeTransaction(db, (tx) => {
    const before = loadThresholds(tx);
    const now = clock.now();
    tx.insert(scorecardSettings)
      .values({ id: SETTINGS_ROW, thresholds: parsed.data, updatedById: actor.personId, updatedAt: now })
      .onConflictDoUpdate({ target: scorecardSettings.id, set: { thresholds: parsed.data, updatedById: actor.personId, updatedAt: now } })
      .run();
    recordAudit(tx, now, actor, 'scorecard.thresholds', 'scorecard_settings', SETTINGS_ROW, before, parsed.data);
    return parsed.data;
  });
}

export type ScorecardRow = TeamPair & {
  quarter: Quarter;
  signals: AlignmentSignals;
  decision: StageDecision;
  trend: Array<{ quarter: string; stage: AlignmentStage }>;
};

/** One row per sales team, for the quarter containing `now`, with the stage in each of the recent quarters. */
export function buildScorecard(db: Db, now: Date, thresholds: ScorecardThresholds = loadThresholds(db), options: { salesTeamIds?: number[] } = {}): ScorecardRow[] {
  const quarters = recentQuarters(now, TREND_QUARTERS);
  const current = quarters[quarters.length - 1];
  return teamPairs(db, now)
    .filter((pair) => !options.salesTeamIds || options.salesTeamIds.includes(pair.salesTeamId))
    .map((pair) => {
      const trend = quarters.map((quarter) => {
        const signals = gatherSignals(db, pair, quarter, now);
        return { quarter, signals, decision: decideStage(signals, thresholds) };
      });
      const latest = trend[trend.length - 1];
      return {
        ...pair,
        quarter: current,
        signals: latest.signals,
        decision: latest.decision,
        trend: trend.map((point) => ({ quarter: point.quarter.label, stage: point.decision.stage })),
      };
    });
}
