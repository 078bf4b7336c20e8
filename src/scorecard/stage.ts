// The alignment stage of a sales team and its marketing counterpart, decided from a quarter's signals.
// Pure module: the caller gathers the signals; thresholds are HR's settings.
import { z } from 'zod';

export const ALIGNMENT_STAGES = ['undisciplined', 'defined', 'aligned', 'integrated'] as const;
export type AlignmentStage = (typeof ALIGNMENT_STAGES)[number];

export const STAGE_DESCRIPTIONS: Record<AlignmentStage, string> = {
  undisciplined: 'No regular contact between the sales team and marketing.',
  defined: 'Rules and a rhythm exist: a liaison is appointed and alignment meetings are scheduled and held.',
  aligned: 'Regular two-way exchange and a shared mindset of at least 75%.',
  integrated: 'Joint planning, rotations running and feedback closed in a loop.',
};

/** What happened between one sales team and its marketing counterpart in one quarter. */
export interface AlignmentSignals {
  /** Alignment meetings held on rhythm with an agenda. */
  alignmentMeetingsHeld: number;
  /** Alignment meetings the rhythm asked for in the quarter (0 when no series exists). */
  alignmentMeetingsExpected: number;
  /** Ride-alongs in the quarter divided by the number of marketers in the pair. */
  rideAlongsPerMarketer: number;
  /** Sales reps who attended a marketing meeting in the quarter. */
  salesRepsAtMarketingMeetings: number;
  rotationsCompleted: number;
  rotationsActive: number;
  liaisonAppointed: boolean;
  /** Match rate of the pair's latest survey round whose answers decide a verdict, 0..1; null when none has decided. */
  sharedMindsetMatchRate: number | null;
  /** What that match rate rests on; null when no round has decided, left out when not gathered. */
  sharedMindsetEvidence?: SharedMindsetEvidence | null;
  /** Feedback reports given after ride-alongs in the quarter. */
  feedbackGiven: number;
  /** Share of the liaison backlog's suggestions that are done or rejected with a reason, 0..1; null when there are none. */
  suggestionsClosedShare: number | null;
}

/** The round a pair's shared-mindset match rate comes from and how many answered. */
export interface SharedMindsetEvidence {
  roundTitle: string;
  respondents: number;
  participants: number;
  verdict: 'shared_mindset' | 'no_shared_mindset';
}

/** "54 of 71 answered (76%) in Spring: shared mindset" */
export function describeEvidence(evidence: SharedMindsetEvidence): string {
  const rate = evidence.participants ? Math.round((evidence.respondents / evidence.participants) * 100) : 0;
  return `${evidence.respondents} of ${evidence.participants} answered (${rate}%) in "${evidence.roundTitle}": ${evidence.verdict === 'shared_mindset' ? 'shared mindset' : 'no shared mindset'}`;
}

const share = z.number().min(0).max(1);
const count = z.number().min(0);

/** HR's settings for what each stage requires; every field has a default. */
export const scorecardThresholdsSchema = z
  .object({
    definedRequiresLiaison: z.boolean().default(true),
    definedMeetingShare: share.default(0.5),
    alignedMeetingShare: share.default(0.75),
    alignedRideAlongsPerMarketer: count.default(1),
    alignedSalesRepsAtMarketingMeetings: count.default(2),
    alignedFeedbackGiven: count.default(3),
    alignedMatchRate: share.default(0.75),
    integratedMeetingShare: share.default(0.9),
    integratedRideAlongsPerMarketer: count.default(2),
    integratedSalesRepsAtMarketingMeetings: count.default(4),
    integratedRotations: count.default(1),
    integratedSuggestionsClosedShare: share.default(0.6),
  })
  .superRefine((thresholds, context) => {
    const mustNotDecrease: Array<[keyof typeof thresholds, keyof typeof thresholds]> = [
      ['definedMeetingShare', 'alignedMeetingShare'],
      ['alignedMeetingShare', 'integratedMeetingShare'],
      ['alignedRideAlongsPerMarketer', 'integratedRideAlongsPerMarketer'],
      ['alignedSalesRepsAtMarketingMeetings', 'integratedSalesRepsAtMarketingMeetings'],
    ];
    for (const [lower, higher] of mustNotDecrease) {
      if ((thresholds[higher] as number) < (thresholds[lower] as number)) {
        context.addIssue({
          code: 'custom',
          path: [higher],
          message: `must be at least ${lower} (${thresholds[lower]}): a higher stage cannot ask for less`,
        });
      }
    }
  });

export type ScorecardThresholds = z.output<typeof scorecardThresholdsSchema>;

export const DEFAULT_SCORECARD_THRESHOLDS: ScorecardThresholds = scorecardThresholdsSchema.parse({});

export type SignalName =
  | 'liaisonAppointed'
  | 'alignmentMeetingShare'
  | 'rideAlongsPerMarketer'
  | 'salesRepsAtMarketingMeetings'
  | 'feedbackGiven'
  | 'sharedMindsetMatchRate'
  | 'rotations'
  | 'suggestionsClosedShare';

export interface SignalCheck {
  /** The stage this check belongs to. */
  stage: Exclude<AlignmentStage, 'undisciplined'>;
  signal: SignalName;
  value: number | boolean | null;
  threshold: number | boolean;
  met: boolean;
  /** What the check asks, with the current value, in words HR and managers read on the scorecard. */
  requirement: string;
  /** What the value rests on, where that matters (the survey round and how many answered). */
  evidence?: string;
}

export interface StageDecision {
  stage: AlignmentStage;
  /** Every check of the stages up to and including the next one: what earned the stage and what blocks the next. */
  decidedBy: SignalCheck[];
  nextStage: AlignmentStage | null;
  /** The missing signals, in words, that would move the pair to the next stage. */
  toReachNext: string[];
}

/** Held meetings as a share of those the rhythm expected; no rhythm means no share. */
export function alignmentMeetingShare(signals: Pick<AlignmentSignals, 'alignmentMeetingsHeld' | 'alignmentMeetingsExpected'>): number {
  if (signals.alignmentMeetingsExpected <= 0) return 0;
  return Math.min(1, signals.alignmentMeetingsHeld / signals.alignmentMeetingsExpected);
}

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

function plural(amount: number, singular: string, pluralForm = `${singular}s`): string {
  return `${amount} ${amount === 1 ? singular : pluralForm}`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function rideAlongs(amount: number): string {
  return `${formatNumber(amount)} ${amount === 1 ? 'ride-along' : 'ride-alongs'}`;
}

/**
 * One check a stage asks: how its value is read from the signals and its threshold from HR's settings, and
 * its requirement in words. The stage alone (every quarter of a trend) reads only values; the words are
 * written for the quarter shown.
 */
type CheckRule = {
  stage: SignalCheck['stage'];
  signal: SignalName;
  value: (signals: AlignmentSignals) => number | boolean | null;
  threshold: (thresholds: ScorecardThresholds) => number | boolean;
  requirement: (signals: AlignmentSignals, thresholds: ScorecardThresholds) => string;
  evidence?: (signals: AlignmentSignals) => string | undefined;
};

const meetingsNow = (signals: AlignmentSignals) => `now ${signals.alignmentMeetingsHeld} of ${signals.alignmentMeetingsExpected} expected`;

const LIAISON_RULE: CheckRule = {
  stage: 'defined',
  signal: 'liaisonAppointed',
  value: (signals) => signals.liaisonAppointed,
  threshold: () => true,
  requirement: () => 'Appoint a liaison between the sales team and marketing',
};

/** Every check after the liaison's (which HR may leave out), in the order the scorecard lists them. */
const CHECK_RULES: CheckRule[] = [
  {
    stage: 'defined',
    signal: 'alignmentMeetingShare',
    value: alignmentMeetingShare,
    threshold: (thresholds) => thresholds.definedMeetingShare,
    requirement: (signals, thresholds) =>
      signals.alignmentMeetingsExpected > 0
        ? `Hold at least ${percent(thresholds.definedMeetingShare)} of the expected alignment meetings with an agenda (${meetingsNow(signals)})`
        : `Schedule a rhythm of alignment meetings and hold at least ${percent(thresholds.definedMeetingShare)} of them with an agenda (no rhythm yet)`,
  },
  {
    stage: 'aligned',
    signal: 'alignmentMeetingShare',
    value: alignmentMeetingShare,
    threshold: (thresholds) => thresholds.alignedMeetingShare,
    requirement: (signals, thresholds) =>
      `Hold at least ${percent(thresholds.alignedMeetingShare)} of the expected alignment meetings with an agenda (${meetingsNow(signals)})`,
  },
  {
    stage: 'aligned',
    signal: 'rideAlongsPerMarketer',
    value: (signals) => signals.rideAlongsPerMarketer,
    threshold: (thresholds) => thresholds.alignedRideAlongsPerMarketer,
    requirement: (signals, thresholds) =>
      `At least ${rideAlongs(thresholds.alignedRideAlongsPerMarketer)} per marketer this quarter (now ${formatNumber(signals.rideAlongsPerMarketer)})`,
  },
  {
    stage: 'aligned',
    signal: 'salesRepsAtMarketingMeetings',
    value: (signals) => signals.salesRepsAtMarketingMeetings,
    threshold: (thresholds) => thresholds.alignedSalesRepsAtMarketingMeetings,
    requirement: (signals, thresholds) =>
      `At least ${plural(thresholds.alignedSalesRepsAtMarketingMeetings, 'sales rep')} at marketing meetings this quarter (now ${signals.salesRepsAtMarketingMeetings})`,
  },
  {
    stage: 'aligned',
    signal: 'feedbackGiven',
    value: (signals) => signals.feedbackGiven,
    threshold: (thresholds) => thresholds.alignedFeedbackGiven,
    requirement: (signals, thresholds) =>
      `At least ${plural(thresholds.alignedFeedbackGiven, 'feedback report')} after ride-alongs this quarter (now ${signals.feedbackGiven})`,
  },
  {
    stage: 'aligned',
    signal: 'sharedMindsetMatchRate',
    value: (signals) => signals.sharedMindsetMatchRate,
    threshold: (thresholds) => thresholds.alignedMatchRate,
    requirement: (signals, thresholds) =>
      signals.sharedMindsetMatchRate === null
        ? signals.sharedMindsetEvidence === null
          ? `Run a shared-mindset survey round whose answers decide a verdict, with a match rate of at least ${percent(thresholds.alignedMatchRate)} (no round has decided yet)`
          : `Run a shared-mindset survey round with a match rate of at least ${percent(thresholds.alignedMatchRate)} (no round yet)`
        : `Shared-mindset match rate of at least ${percent(thresholds.alignedMatchRate)} (now ${percent(signals.sharedMindsetMatchRate)}${signals.sharedMindsetEvidence ? `, ${describeEvidence(signals.sharedMindsetEvidence)}` : ''})`,
    evidence: (signals) => (signals.sharedMindsetEvidence ? describeEvidence(signals.sharedMindsetEvidence) : undefined),
  },
  {
    stage: 'integrated',
    signal: 'alignmentMeetingShare',
    value: alignmentMeetingShare,
    threshold: (thresholds) => thresholds.integratedMeetingShare,
    requirement: (signals, thresholds) =>
      `Plan jointly: hold at least ${percent(thresholds.integratedMeetingShare)} of the expected alignment meetings with an agenda (${meetingsNow(signals)})`,
  },
  {
    stage: 'integrated',
    signal: 'rideAlongsPerMarketer',
    value: (signals) => signals.rideAlongsPerMarketer,
    threshold: (thresholds) => thresholds.integratedRideAlongsPerMarketer,
    requirement: (signals, thresholds) =>
      `At least ${rideAlongs(thresholds.integratedRideAlongsPerMarketer)} per marketer this quarter (now ${formatNumber(signals.rideAlongsPerMarketer)})`,
  },
  {
    stage: 'integrated',
    signal: 'salesRepsAtMarketingMeetings',
    value: (signals) => signals.salesRepsAtMarketingMeetings,
    threshold: (thresholds) => thresholds.integratedSalesRepsAtMarketingMeetings,
    requirement: (signals, thresholds) =>
      `At least ${plural(thresholds.integratedSalesRepsAtMarketingMeetings, 'sales rep')} at marketing meetings this quarter (now ${signals.salesRepsAtMarketingMeetings})`,
  },
  {
    stage: 'integrated',
    signal: 'rotations',
    value: (signals) => signals.rotationsCompleted + signals.rotationsActive,
    threshold: (thresholds) => thresholds.integratedRotations,
    requirement: (signals, thresholds) =>
      `At least ${plural(thresholds.integratedRotations, 'rotation')} completed or running (now ${signals.rotationsCompleted} completed, ${signals.rotationsActive} active)`,
  },
  {
    stage: 'integrated',
    signal: 'suggestionsClosedShare',
    value: (signals) => signals.suggestionsClosedShare,
    threshold: (thresholds) => thresholds.integratedSuggestionsClosedShare,
    requirement: (signals, thresholds) =>
      signals.suggestionsClosedShare === null
        ? `Close at least ${percent(thresholds.integratedSuggestionsClosedShare)} of the liaison backlog's suggestions (no suggestions yet)`
        : `Close at least ${percent(thresholds.integratedSuggestionsClosedShare)} of the liaison backlog's suggestions (now ${percent(signals.suggestionsClosedShare)})`,
  },
];

const WITH_LIAISON = [LIAISON_RULE, ...CHECK_RULES];
/** The checks of each stage above undisciplined, in order, with and without the liaison's. */
const byStage = (rules: CheckRule[]) => ALIGNMENT_STAGES.slice(1).map((stage) => rules.filter((rule) => rule.stage === stage));
const STAGE_RULES = { withLiaison: byStage(WITH_LIAISON), withoutLiaison: byStage(CHECK_RULES) };

/** The checks HR's thresholds ask for: the liaison's only when a defined pair must have one. */
const rulesOf = (thresholds: ScorecardThresholds) => (thresholds.definedRequiresLiaison ? WITH_LIAISON : CHECK_RULES);

/** A yes/no check is met by yes; a measure by a value at least its threshold (none yet is not met). */
function isMet(value: number | boolean | null, threshold: number | boolean): boolean {
  if (typeof threshold === 'boolean') return value === threshold;
  return value !== null && (value as number) >= threshold;
}

function checkOf(rule: CheckRule, signals: AlignmentSignals, thresholds: ScorecardThresholds): SignalCheck {
  const value = rule.value(signals);
  const threshold = rule.threshold(thresholds);
  const check: SignalCheck = {
    stage: rule.stage,
    signal: rule.signal,
    value,
    threshold,
    met: isMet(value, threshold),
    requirement: rule.requirement(signals, thresholds),
  };
  const evidence = rule.evidence?.(signals);
  if (evidence) check.evidence = evidence;
  return check;
}

/**
 * The highest stage whose checks, and those of every stage below it, are all met.
 * Stages build on each other: a pair with great exchange but no rhythm is still undisciplined.
 * Only the stage, without the words of its checks: what a trend's earlier quarters show.
 */
export function stageOf(signals: AlignmentSignals, thresholds: ScorecardThresholds = DEFAULT_SCORECARD_THRESHOLDS): AlignmentStage {
  const levels = thresholds.definedRequiresLiaison ? STAGE_RULES.withLiaison : STAGE_RULES.withoutLiaison;
  let reached = 0;
  for (const rules of levels) {
    if (!rules.every((rule) => isMet(rule.value(signals), rule.threshold(thresholds)))) break;
    reached++;
  }
  return ALIGNMENT_STAGES[reached];
}

/** The stage (as stageOf) with every check of the stages up to the next one and what the next one still needs. */
export function decideStage(signals: AlignmentSignals, thresholds: ScorecardThresholds = DEFAULT_SCORECARD_THRESHOLDS): StageDecision {
  const stage = stageOf(signals, thresholds);
  const reached = ALIGNMENT_STAGES.indexOf(stage);
  const nextStage = reached + 1 < ALIGNMENT_STAGES.length ? ALIGNMENT_STAGES[reached + 1] : null;
  const considered = new Set<AlignmentStage>(ALIGNMENT_STAGES.slice(1, nextStage ? reached + 2 : reached + 1));
  const decidedBy = rulesOf(thresholds)
    .filter((rule) => considered.has(rule.stage))
    .map((rule) => checkOf(rule, signals, thresholds));
  const toReachNext = nextStage ? decidedBy.filter((check) => check.stage === nextStage && !check.met).map((check) => check.requirement) : [];
  return { stage, decidedBy, nextStage, toReachNext };
}

/** Position of a stage, 0 for undisciplined to 3 for integrated; for trends and sorting. */
export function stageRank(stage: AlignmentStage): number {
  return ALIGNMENT_STAGES.indexOf(stage);
}
