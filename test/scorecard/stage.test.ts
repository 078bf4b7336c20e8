import { describe, expect, it } from 'vitest';
import {
  ALIGNMENT_STAGES,
  DEFAULT_SCORECARD_THRESHOLDS,
  alignmentMeetingShare,
  decideStage,
  scorecardThresholdsSchema,
  stageOf,
  stageRank,
  type AlignmentSignals,
} from '../../src/scorecard/stage';

// Hand-built quarters for one sales team and its marketing counterpart.
const noContact: AlignmentSignals = {
  alignmentMeetingsHeld: 0,
  alignmentMeetingsExpected: 0,
  rideAlongsPerMarketer: 0,
  salesRepsAtMarketingMeetings: 0,
  rotationsCompleted: 0,
  rotationsActive: 0,
  liaisonAppointed: false,
  sharedMindsetMatchRate: null,
  feedbackGiven: 0,
  suggestionsClosedShare: null,
};

const rulesAndRhythm: AlignmentSignals = {
  ...noContact,
  liaisonAppointed: true,
  alignmentMeetingsExpected: 6,
  alignmentMeetingsHeld: 4,
  rideAlongsPerMarketer: 0.5,
  sharedMindsetMatchRate: 0.6,
};

const twoWayExchange: AlignmentSignals = {
  ...rulesAndRhythm,
  alignmentMeetingsHeld: 5,
  rideAlongsPerMarketer: 1.5,
  salesRepsAtMarketingMeetings: 3,
  feedbackGiven: 8,
  sharedMindsetMatchRate: 0.8,
  suggestionsClosedShare: 0.3,
};

const jointPlanning: AlignmentSignals = {
  ...twoWayExchange,
  alignmentMeetingsHeld: 6,
  rideAlongsPerMarketer: 2.5,
  salesRepsAtMarketingMeetings: 5,
  rotationsCompleted: 1,
  rotationsActive: 1,
  feedbackGiven: 14,
  sharedMindsetMatchRate: 0.86,
  suggestionsClosedShare: 0.75,
};

describe('decideStage', () => {
  it('calls a pair with no regular contact undisciplined', () => {
    const decision = decideStage(noContact);
    expect(decision.stage).toBe('undisciplined');
    expect(decision.nextStage).toBe('defined');
    expect(decision.toReachNext).toEqual([
      'Appoint a liaison between the sales team and marketing',
      'Schedule a rhythm of alignment meetings and hold at least 50% of them with an agenda (no rhythm yet)',
    ]);
  });

  it('calls a pair with a liaison and a kept rhythm defined', () => {
    const decision = decideStage(rulesAndRhythm);
    expect(decision.stage).toBe('defined');
    expect(decision.nextStage).toBe('aligned');
    expect(decision.toReachNext).toEqual([
      'Hold at least 75% of the expected alignment meetings with an agenda (now 4 of 6 expected)',
      'At least 1 ride-along per marketer this quarter (now 0.5)',
      'At least 2 sales reps at marketing meetings this quarter (now 0)',
      'At least 3 feedback reports after ride-alongs this quarter (now 0)',
      'Shared-mindset match rate of at least 75% (now 60%)',
    ]);
  });

  it('calls a pair with regular two-way exchange and a shared mindset aligned', () => {
    const decision = decideStage(twoWayExchange);
    expect(decision.stage).toBe('aligned');
    expect(decision.nextStage).toBe('integrated');
    expect(decision.toReachNext).toEqual([
      'Plan jointly: hold at least 90% of the expected alignment meetings with an agenda (now 5 of 6 expected)',
      'At least 2 ride-alongs per marketer this quarter (now 1.5)',
      'At least 4 sales reps at marketing meetings this quarter (now 3)',
      'At least 1 rotation completed or running (now 0 completed, 0 active)',
      "Close at least 60% of the liaison backlog's suggestions (now 30%)",
    ]);
  });

  it('calls a pair planning jointly with rotations and a closed feedback loop integrated', () => {
    const decision = decideStage(jointPlanning);
    expect(decision.stage).toBe('integrated');
    expect(decision.nextStage).toBeNull();
    expect(decision.toReachNext).toEqual([]);
    expect(decision.decidedBy.every((check) => check.met)).toBe(true);
    expect(new Set(decision.decidedBy.map((check) => check.stage))).toEqual(new Set(['defined', 'aligned', 'integrated']));
  });

  it('lists the checks that earned the stage and those that block the next, with values and thresholds', () => {
    const decision = decideStage(rulesAndRhythm);
    expect(decision.decidedBy.filter((check) => check.stage === 'defined')).toEqual([
      expect.objectContaining({ signal: 'liaisonAppointed', value: true, threshold: true, met: true }),
      expect.objectContaining({ signal: 'alignmentMeetingShare', value: 4 / 6, threshold: 0.5, met: true }),
    ]);
    const aligned = decision.decidedBy.filter((check) => check.stage === 'aligned');
    expect(aligned.map((check) => [check.signal, check.met])).toEqual([
      ['alignmentMeetingShare', false],
      ['rideAlongsPerMarketer', false],
      ['salesRepsAtMarketingMeetings', false],
      ['feedbackGiven', false],
      ['sharedMindsetMatchRate', false],
    ]);
    expect(decision.decidedBy.some((check) => check.stage === 'integrated')).toBe(false);
  });

  it('climbs stages in order: great exchange without a liaison is still undisciplined', () => {
    const decision = decideStage({ ...jointPlanning, liaisonAppointed: false });
    expect(decision.stage).toBe('undisciplined');
    expect(decision.toReachNext).toEqual(['Appoint a liaison between the sales team and marketing']);
  });

  it('does not count a missing survey round as a shared mindset', () => {
    const decision = decideStage({ ...twoWayExchange, sharedMindsetMatchRate: null });
    expect(decision.stage).toBe('defined');
    expect(decision.toReachNext).toEqual(['Run a shared-mindset survey round with a match rate of at least 75% (no round yet)']);
  });

  it('does not count a backlog without suggestions as a closed loop', () => {
    const decision = decideStage({ ...jointPlanning, suggestionsClosedShare: null });
    expect(decision.stage).toBe('aligned');
    expect(decision.toReachNext).toEqual(["Close at least 60% of the liaison backlog's suggestions (no suggestions yet)"]);
  });

  it('counts running rotations as well as completed ones', () => {
    expect(decideStage({ ...jointPlanning, rotationsCompleted: 0, rotationsActive: 1 }).stage).toBe('integrated');
    expect(decideStage({ ...jointPlanning, rotationsCompleted: 1, rotationsActive: 0 }).stage).toBe('integrated');
    expect(decideStage({ ...jointPlanning, rotationsCompleted: 0, rotationsActive: 0 }).stage).toBe('aligned');
  });

  describe('boundaries', () => {
    it('is aligned at a match rate of exactly 75% and defined just under it', () => {
      expect(decideStage({ ...twoWayExchange, sharedMindsetMatchRate: 0.75 }).stage).toBe('aligned');
      expect(decideStage({ ...twoWayExchange, sharedMindsetMatchRate: 0.7499 }).stage).toBe('defined');
    });

    it('is defined at exactly half the expected meetings and undisciplined just under', () => {
      expect(decideStage({ ...rulesAndRhythm, alignmentMeetingsHeld: 3, alignmentMeetingsExpected: 6 }).stage).toBe('defined');
      expect(decideStage({ ...rulesAndRhythm, alignmentMeetingsHeld: 49, alignmentMeetingsExpected: 100 }).stage).toBe('undisciplined');
    });

    it('is aligned at exactly the ride-along, sales-rep and feedback thresholds and not one under', () => {
      const atThresholds = { ...twoWayExchange, rideAlongsPerMarketer: 1, salesRepsAtMarketingMeetings: 2, feedbackGiven: 3 };
      expect(decideStage(atThresholds).stage).toBe('aligned');
      expect(decideStage({ ...atThresholds, rideAlongsPerMarketer: 0.99 }).stage).toBe('defined');
      expect(decideStage({ ...atThresholds, salesRepsAtMarketingMeetings: 1 }).stage).toBe('defined');
      expect(decideStage({ ...atThresholds, feedbackGiven: 2 }).stage).toBe('defined');
    });

    it('is integrated at exactly 90% of the meetings and 60% of suggestions closed', () => {
      const atThresholds = { ...jointPlanning, alignmentMeetingsHeld: 9, alignmentMeetingsExpected: 10, suggestionsClosedShare: 0.6 };
      expect(decideStage(atThresholds).stage).toBe('integrated');
      expect(decideStage({ ...atThresholds, alignmentMeetingsHeld: 8 }).stage).toBe('aligned');
      expect(decideStage({ ...atThresholds, suggestionsClosedShare: 0.59 }).stage).toBe('aligned');
    });
  });

  it('follows thresholds HR changed', () => {
    const lenient = scorecardThresholdsSchema.parse({ alignedMatchRate: 0.5, definedRequiresLiaison: false });
    expect(decideStage({ ...twoWayExchange, sharedMindsetMatchRate: 0.55 }, lenient).stage).toBe('aligned');
    expect(decideStage({ ...rulesAndRhythm, liaisonAppointed: false }, lenient).stage).toBe('defined');
    expect(decideStage({ ...rulesAndRhythm, liaisonAppointed: false }, lenient).decidedBy.some((check) => check.signal === 'liaisonAppointed')).toBe(false);
  });
});

describe('scorecardThresholdsSchema', () => {
  it('fills every setting with its default', () => {
    expect(scorecardThresholdsSchema.parse({})).toEqual(DEFAULT_SCORECARD_THRESHOLDS);
    expect(DEFAULT_SCORECARD_THRESHOLDS).toMatchObject({ definedMeetingShare: 0.5, alignedMatchRate: 0.75, integratedMeetingShare: 0.9 });
  });

  it('keeps what HR set and defaults the rest', () => {
    const thresholds = scorecardThresholdsSchema.parse({ integratedRotations: 3 });
    expect(thresholds.integratedRotations).toBe(3);
    expect(thresholds.alignedFeedbackGiven).toBe(DEFAULT_SCORECARD_THRESHOLDS.alignedFeedbackGiven);
  });

  it('rejects shares outside 0..1 and negative counts', () => {
    expect(scorecardThresholdsSchema.safeParse({ alignedMatchRate: 1.2 }).success).toBe(false);
    expect(scorecardThresholdsSchema.safeParse({ alignedFeedbackGiven: -1 }).success).toBe(false);
  });

  it('rejects a higher stage asking for less than a lower one', () => {
    const result = scorecardThresholdsSchema.safeParse({ alignedMeetingShare: 0.8, integratedMeetingShare: 0.7 });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0].path).toEqual(['integratedMeetingShare']);
  });
});

describe('helpers', () => {
  it('has no meeting share without a rhythm, and caps it at 1', () => {
    expect(alignmentMeetingShare({ alignmentMeetingsHeld: 3, alignmentMeetingsExpected: 0 })).toBe(0);
    expect(alignmentMeetingShare({ alignmentMeetingsHeld: 8, alignmentMeetingsExpected: 6 })).toBe(1);
  });

  it('ranks stages in order', () => {
    expect(ALIGNMENT_STAGES.map(stageRank)).toEqual([0, 1, 2, 3]);
  });
});

describe('stageOf', () => {
  it('is the stage decideStage decides, for every stage reached, at the boundaries and with the liaison left out', () => {
    const variants: AlignmentSignals[] = [noContact, rulesAndRhythm, twoWayExchange, jointPlanning];
    for (const base of [rulesAndRhythm, twoWayExchange, jointPlanning]) {
      variants.push(
        { ...base, liaisonAppointed: false },
        { ...base, alignmentMeetingsExpected: 0 },
        { ...base, alignmentMeetingsHeld: 3 },
        { ...base, rideAlongsPerMarketer: 1 },
        { ...base, rideAlongsPerMarketer: 2 },
        { ...base, salesRepsAtMarketingMeetings: 2 },
        { ...base, salesRepsAtMarketingMeetings: 4 },
        { ...base, feedbackGiven: 2 },
        { ...base, sharedMindsetMatchRate: null },
        { ...base, sharedMindsetMatchRate: 0.75 },
        { ...base, rotationsCompleted: 0, rotationsActive: 0 },
        { ...base, suggestionsClosedShare: null },
        { ...base, suggestionsClosedShare: 0.6 },
      );
    }
    const thresholdSets = [
      DEFAULT_SCORECARD_THRESHOLDS,
      scorecardThresholdsSchema.parse({ definedRequiresLiaison: false }),
      scorecardThresholdsSchema.parse({ alignedFeedbackGiven: 0, integratedRotations: 0, alignedMatchRate: 0 }),
    ];
    const reached = new Set<string>();
    for (const thresholds of thresholdSets)
      for (const signals of variants) {
        expect(stageOf(signals, thresholds)).toBe(decideStage(signals, thresholds).stage);
        reached.add(stageOf(signals, thresholds));
      }
    expect([...reached].sort()).toEqual([...ALIGNMENT_STAGES].sort());
  });
});
