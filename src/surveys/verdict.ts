// When answers decide a verdict: the 95% Wilson score interval of the match rate, taken over respondents,
// must lie wholly above or wholly below the threshold, and enough of those asked must have answered.
// Pure module: the caller brings the counts and HR's minimum response rate.
//
// Why respondents and not answers: a person's three answers are not independent draws, so counting them as
// three would claim three times the evidence. Each respondent contributes their own share of matched answers
// (a value in 0..1, whose variance is at most p(1-p)), so treating respondents as the sample is the honest,
// slightly cautious reading of the same match rate.

/** Two-sided 95%: the standard normal quantile 0.975. */
const CONFIDENCE_Z = 1.959963984540054;
export const DEFAULT_MIN_RESPONSE_RATE_PERCENT = 50;

export const VERDICTS = ['shared_mindset', 'no_shared_mindset', 'not_decided'] as const;
export type VerdictCode = (typeof VERDICTS)[number];
const VERDICT_LABELS: Record<VerdictCode, string> = {
  shared_mindset: 'shared mindset',
  no_shared_mindset: 'no shared mindset',
  not_decided: 'not decided yet',
};

export type Interval = { low: number; high: number };

/**
 * The Wilson score interval of a proportion `share` observed over `n` trials: every p whose score test
 * does not reject the observation, (share - p)^2 <= z^2 p(1-p) / n. `share` may come from a fraction
 * of successes (54/71) or from a mean of per-person shares.
 */
export function wilsonInterval(share: number, n: number, z = CONFIDENCE_Z): Interval {
  if (!(n > 0)) throw new RangeError('The Wilson interval needs at least one observation.');
  if (!(share >= 0 && share <= 1)) throw new RangeError('A share lies between 0 and 1.');
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (share + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((share * (1 - share)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Whether the interval lies wholly on one side of the threshold (touching it is not enough). */
function side(interval: Interval, threshold: number): 'above' | 'below' | null {
  if (interval.low > threshold) return 'above';
  if (interval.high < threshold) return 'below';
  return null;
}

/** Smallest whole number of respondents at which the interval around `share` clears `threshold`; Infinity when it never does. */
export function respondentsToClear(share: number, threshold: number, z = CONFIDENCE_Z): number {
  const distance = share - threshold;
  if (distance === 0) return Infinity;
  // The threshold lies inside the interval exactly when n (share - t)^2 <= z^2 t (1 - t).
  let n = Math.max(1, Math.floor((z * z * threshold * (1 - threshold)) / (distance * distance)) + 1);
  // The closed form can be one off through rounding; settle on the exact boundary with the interval itself.
  while (n > 1 && side(wilsonInterval(share, n - 1, z), threshold) !== null) n--;
  while (side(wilsonInterval(share, n, z), threshold) === null) n++;
  return n;
}

/** The fewest respondents that meet a minimum response rate of `percent` out of `participants`. */
export function respondentsForRate(percent: number, participants: number): number {
  return Math.ceil((percent * participants) / 100 - 1e-9);
}

type VerdictInput = {
  /** Matched answers over all answers of the respondents, 0..1. */
  matchRate: number;
  respondents: number;
  participants: number;
  threshold: number;
  minResponseRatePercent: number;
};

export type Verdict = {
  code: VerdictCode;
  label: string;
  /** The 95% interval of the match rate over respondents; null before any answer. */
  interval: Interval | null;
  /** Whether enough of those asked answered. */
  enoughResponses: boolean;
  /** Respondents the response-rate floor asks for. */
  respondentsRequired: number;
  /**
   * For a verdict not decided yet: how many more respondents, answering at the current match rate, would
   * decide it; null when decided, before any answer, or when even everyone asked could not decide it.
   */
  answersNeeded: number | null;
  /** Not decided, and could not be even if everyone asked answered at the current rate. */
  cannotDecide: boolean;
};

export function decideVerdict(input: VerdictInput): Verdict {
  const { matchRate, respondents, participants, threshold, minResponseRatePercent } = input;
  const respondentsRequired = respondentsForRate(minResponseRatePercent, participants);
  const enoughResponses = respondents >= respondentsRequired && respondents > 0;
  if (respondents <= 0) {
    return {
      code: 'not_decided',
      label: VERDICT_LABELS.not_decided,
      interval: null,
      enoughResponses: false,
      respondentsRequired,
      answersNeeded: null,
      cannotDecide: participants === 0,
    };
  }
  const share = Math.min(1, Math.max(0, matchRate));
  const interval = wilsonInterval(share, respondents);
  const clear = side(interval, threshold);
  if (clear && enoughResponses) {
    const code: VerdictCode = clear === 'above' ? 'shared_mindset' : 'no_shared_mindset';
    return { code, label: VERDICT_LABELS[code], interval, enoughResponses, respondentsRequired, answersNeeded: null, cannotDecide: false };
  }
  const total = Math.max(respondentsToClear(share, threshold), respondentsRequired);
  const reachable = total <= participants;
  return {
    code: 'not_decided',
    label: VERDICT_LABELS.not_decided,
    interval,
    enoughResponses,
    respondentsRequired,
    answersNeeded: reachable ? total - respondents : null,
    cannotDecide: !reachable,
  };
}
