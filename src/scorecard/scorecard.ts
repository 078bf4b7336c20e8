// The alignment scorecard: for each sales team and its marketing counterpart, this quarter's signals, the
// stage they decide, what would move the pair on, and the stage over recent quarters.
import { eq } from 'drizzle-orm';
import { scorecardSettings } from '../../db/schema';
import { preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { badRequest } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { catchUpScorecardMeetings, scorecardMeetingsBehind } from './meetings';
import { gatherTrends, recentQuarters, salesTeamCount, teamPairs, teamPairsPage, type Quarter, type TeamPair } from './signals';
import {
  decideStage,
  stageOf,
  DEFAULT_SCORECARD_THRESHOLDS,
  scorecardThresholdsSchema,
  type AlignmentSignals,
  type AlignmentStage,
  type ScorecardThresholds,
  type StageDecision,
} from './stage';

const SETTINGS_ROW = 1;
const TREND_QUARTERS = 4;

/** HR's thresholds, or the defaults; a stored value that no longer parses falls back to the defaults. */
const thresholdsQuery = preparedQuery((db) => db.select().from(scorecardSettings).where(eq(scorecardSettings.id, SETTINGS_ROW)).prepare());

export function loadThresholds(db: Db): ScorecardThresholds {
  const row = thresholdsQuery(db).get();
  if (!row) return DEFAULT_SCORECARD_THRESHOLDS;
  const parsed = scorecardThresholdsSchema.safeParse(row.thresholds);
  return parsed.success ? parsed.data : DEFAULT_SCORECARD_THRESHOLDS;
}

export function saveThresholds(db: Db, clock: Clock, actor: Actor, input: unknown): ScorecardThresholds {
  const parsed = scorecardThresholdsSchema.safeParse(input);
  if (!parsed.success)
    throw badRequest(
      'The thresholds are not valid.',
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
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

/** Pairs on one page of the scorecard: what a view costs follows what it shows, not how many teams there are. */
export const SCORECARD_PAGE_SIZE = 25;

/** One row per sales team, for the quarter containing `now`, with the stage in each of the recent quarters. */
export function buildScorecard(
  db: Db,
  now: Date,
  thresholds: ScorecardThresholds = loadThresholds(db),
  options: { salesTeamIds?: number[] } = {},
): ScorecardRow[] {
  return rowsOf(
    db,
    now,
    thresholds,
    teamPairs(db, now).filter((pair) => !options.salesTeamIds || options.salesTeamIds.includes(pair.salesTeamId)),
  );
}

/**
 * One page of the scorecard (pages from 1, sales teams by name, `pageSize` pairs a page) and how many
 * pages there are. The page shown is kept within the pages there are unless `clamp` is false (the
 * API answers a page past the last with no rows, as its other lists do).
 */
export function scorecardPage(
  db: Db,
  now: Date,
  page: number,
  options: { thresholds?: ScorecardThresholds; pageSize?: number; clamp?: boolean } = {},
): { rows: ScorecardRow[]; page: number; pages: number; total: number } {
  const { thresholds = loadThresholds(db), pageSize = SCORECARD_PAGE_SIZE, clamp = true } = options;
  const total = salesTeamCount(db);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const shown = clamp ? Math.min(Math.max(1, page), pages) : page;
  if (shown > pages) return { rows: [], page: shown, pages, total };
  return { rows: rowsOf(db, now, thresholds, teamPairsPage(db, now, (shown - 1) * pageSize, pageSize)), page: shown, pages, total };
}

function rowsOf(db: Db, now: Date, thresholds: ScorecardThresholds, pairs: TeamPair[]): ScorecardRow[] {
  if (scorecardMeetingsBehind(db)) writeTransaction(db, (tx) => catchUpScorecardMeetings(tx));
  const quarters = recentQuarters(now, TREND_QUARTERS);
  const current = quarters[quarters.length - 1];
  const trends = gatherTrends(db, pairs, quarters, now);
  const last = quarters.length - 1;
  return pairs.map((pair, pairIndex) => {
    const signals = trends[pairIndex][last];
    const decision = decideStage(signals, thresholds);
    // Earlier quarters show their stage alone: the words of their checks are never shown.
    const trend = quarters.map((quarter, index) => ({
      quarter: quarter.label,
      stage: index === last ? decision.stage : stageOf(trends[pairIndex][index], thresholds),
    }));
    return { ...pair, quarter: current, signals, decision, trend };
  });
}
