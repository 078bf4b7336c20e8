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

function atLeast(stage: SignalCheck['stage'], signal: SignalName, value: number | null, threshold: number, requirement: string): SignalCheck {
  return { stage, signal, value, threshold, met: value !== null && value >= threshold, requirement };
}

function checksFor(signals: AlignmentSignals, thresholds: ScorecardThresholds): SignalCheck[] {
  const meetingShare = alignmentMeetingShare(signals);
  const meetings = `now ${signals.alignmentMeetingsHeld} of ${signals.alignmentMeetingsExpected} expected`;
  const rotations = signals.rotationsCompleted + signals.rotationsActive;
  const checks: SignalCheck[] = [];

  if (thresholds.definedRequiresLiaison) {
    checks.push({
      stage: 'defined',
      signal: 'liaisonAppointed',
      value: signals.liaisonAppointed,
      threshold: true,
      met: signals.liaisonAppointed,
      requirement: 'Appoint a liaison between the sales team and marketing',
    });
  }
  checks.push(
    atLeast(
      'defined',
      'alignmentMeetingShare',
      meetingShare,
      thresholds.definedMeetingShare,
      signals.alignmentMeetingsExpected > 0
        ? `Hold at least ${percent(thresholds.definedMeetingShare)} of the expected alignment meetings with an agenda (${meetings})`
        : `Schedule a rhythm of alignment meetings and hold at least ${percent(thresholds.definedMeetingShare)} of them with an agenda (no rhythm yet)`,
    ),
    atLeast(
      'aligned',
      'alignmentMeetingShare',
      meetingShare,
      thresholds.alignedMeetingShare,
      `Hold at least ${percent(thresholds.alignedMeetingShare)} of the expected alignment meetings with an agenda (${meetings})`,
    ),
    atLeast(
      'aligned',
      'rideAlongsPerMarketer',
      signals.rideAlongsPerMarketer,
      thresholds.alignedRideAlongsPerMarketer,
      `At least ${rideAlongs(thresholds.alignedRideAlongsPerMarketer)} per marketer this quarter (now ${formatNumber(signals.rideAlongsPerMarketer)})`,
    ),
    atLeast(
      'aligned',
      'salesRepsAtMarketingMeetings',
      signals.salesRepsAtMarketingMeetings,
      thresholds.alignedSalesRepsAtMarketingMeetings,
      `At least ${plural(thresholds.alignedSalesRepsAtMarketingMeetings, 'sales rep')} at marketing meetings this quarter (now ${signals.salesRepsAtMarketingMeetings})`,
    ),
    atLeast(
      'aligned',
      'feedbackGiven',
      signals.feedbackGiven,
      thresholds.alignedFeedbackGiven,
      `At least ${plural(thresholds.alignedFeedbackGiven, 'feedback report')} after ride-alongs this quarter (now ${signals.feedbackGiven})`,
    ),
    {
      ...atLeast(
        'aligned',
        'sharedMindsetMatchRate',
        signals.sharedMindsetMatchRate,
        thresholds.alignedMatchRate,
        signals.sharedMindsetMatchRate === null
          ? signals.sharedMindsetEvidence === null
            ? `Run a shared-mindset survey round whose answers decide a verdict, with a match rate of at least ${percent(thresholds.alignedMatchRate)} (no round has decided yet)`
            : `Run a shared-mindset survey round with a match rate of at least ${percent(thresholds.alignedMatchRate)} (no round yet)`
          : `Shared-mindset match rate of at least ${percent(thresholds.alignedMatchRate)} (now ${percent(signals.sharedMindsetMatchRate)}${signals.sharedMindsetEvidence ? `, ${describeEvidence(signals.sharedMindsetEvidence)}` : ''})`,
      ),
      ...(signals.sharedMindsetEvidence ? { evidence: describeEvidence(signals.sharedMindsetEvidence) } : {}),
    },
    atLeast(
      'integrated',
      'alignmentMeetingShare',
      meetingShare,
      thresholds.integratedMeetingShare,
      `Plan jointly: hold at least ${percent(thresholds.integratedMeetingShare)} of the expected alignment meetings with an agenda (${meetings})`,
    ),
    atLeast(
      'integrated',
      'rideAlongsPerMarketer',
      signals.rideAlongsPerMarketer,
      thresholds.integratedRideAlongsPerMarketer,
      `At least ${rideAlongs(thresholds.integratedRideAlongsPerMarketer)} per marketer this quarter (now ${formatNumber(signals.rideAlongsPerMarketer)})`,
    ),
    atLeast(
      'integrated',
      'salesRepsAtMarketingMeetings',
      signals.salesRepsAtMarketingMeetings,
      thresholds.integratedSalesRepsAtMarketingMeetings,
      `At least ${plural(thresholds.integratedSalesRepsAtMarketingMeetings, 'sales rep')} at marketing meetings this quarter (now ${signals.salesRepsAtMarketingMeetings})`,
    ),
    atLeast(
      'integrated',
      'rotations',
      rotations,
      thresholds.integratedRotations,
      `At least ${plural(thresholds.integratedRotations, 'rotation')} completed or running (now ${signals.rotationsCompleted} completed, ${signals.rotationsActive} active)`,
    ),
    atLeast(
      'integrated',
      'suggestionsClosedShare',
      signals.suggestionsClosedShare,
      thresholds.integratedSuggestionsClosedShare,
      signals.suggestionsClosedShare === null
        ? `Close at least ${percent(thresholds.integratedSuggestionsClosedShare)} of the liaison backlog's suggestions (no suggestions yet)`
        : `Close at least ${percent(thresholds.integratedSuggestionsClosedShare)} of the liaison backlog's suggestions (now ${percent(signals.suggestionsClosedShare)})`,
    ),
  );
  return checks;
}

/**
 * The highest stage whose checks, and those of every stage below it, are all met.
 * Stages build on each other: a pair with great exchange but no rhythm is still undisciplined.
 */
export function decideStage(signals: AlignmentSignals, thresholds: ScorecardThresholds = DEFAULT_SCORECARD_THRESHOLDS): StageDecision {
  const checks = checksFor(signals, thresholds);
  let reached = 0;
  for (let level = 1; level < ALIGNMENT_STAGES.length; level++) {
    const stage = ALIGNMENT_STAGES[level];
    if (!checks.filter((check) => check.stage === stage).every((check) => check.met)) break;
    reached = level;
  }
  const stage = ALIGNMENT_STAGES[reached];
  const nextStage = reached + 1 < ALIGNMENT_STAGES.length ? ALIGNMENT_STAGES[reached + 1] : null;
  const considered = new Set<AlignmentStage>(ALIGNMENT_STAGES.slice(1, nextStage ? reached + 2 : reached + 1));
  const decidedBy = checks.filter((check) => considered.has(check.stage));
  const toReachNext = nextStage ? checks.filter((check) => check.stage === nextStage && !check.met).map((check) => check.requirement) : [];
  return { stage, decidedBy, nextStage, toReachNext };
}

/** Position of a stage, 0 for undisciplined to 3 for integrated; for trends and sorting. */
export function stageRank(stage: AlignmentStage): number {
  return ALIGNMENT_STAGES.indexOf(stage);
}
