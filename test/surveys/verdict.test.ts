import { describe, expect, it } from 'vitest';
import { decideVerdict, respondentsForRate, respondentsToClear, wilsonInterval } from '../../src/surveys/verdict';

const rules = { threshold: 0.75, minResponseRatePercent: 50 };

describe('Wilson score interval (95%)', () => {
  it('matches the published values', () => {
    // 3 of 3: [3 / (3 + z²), 1]
    const allThree = wilsonInterval(3 / 3, 3);
    expect(allThree.low).toBeCloseTo(0.438503, 6);
    expect(allThree.high).toBe(1);
    // 0 of 10: [0, z² / (10 + z²)]
    const noneOfTen = wilsonInterval(0, 10);
    expect(noneOfTen.low).toBe(0);
    expect(noneOfTen.high).toBeCloseTo(0.277533, 6);
    // 54 of 71
    const round = wilsonInterval(54 / 71, 71);
    expect(round.low).toBeCloseTo(0.649588, 6);
    expect(round.high).toBeCloseTo(0.844791, 6);
    // 45 of 50
    const strong = wilsonInterval(45 / 50, 50);
    expect(strong.low).toBeCloseTo(0.786398, 6);
    expect(strong.high).toBeCloseTo(0.956524, 6);
  });

  it('refuses what has no interval', () => {
    expect(() => wilsonInterval(0.5, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(1.2, 10)).toThrow(RangeError);
  });
});

describe('respondents needed to clear 75%', () => {
  it('is the exact boundary of the interval', () => {
    // All matched: 12 respondents clear 75% (12 / (12 + z²) = 0.7575), 11 do not (0.7412).
    expect(respondentsToClear(1, 0.75)).toBe(12);
    expect(wilsonInterval(1, 12).low).toBeGreaterThan(0.75);
    expect(wilsonInterval(1, 11).low).toBeLessThan(0.75);
    expect(respondentsToClear(0.6, 0.75)).toBe(33);
    expect(respondentsToClear(0.9, 0.75)).toBe(33);
    expect(respondentsToClear(0, 0.75)).toBe(2);
    expect(respondentsToClear(54 / 71, 0.75)).toBe(6455);
    // Exactly on the threshold: never.
    expect(respondentsToClear(0.75, 0.75)).toBe(Infinity);
  });

  it('counts the response-rate floor in whole people', () => {
    expect(respondentsForRate(50, 58)).toBe(29);
    expect(respondentsForRate(50, 71)).toBe(36);
    expect(respondentsForRate(50, 10)).toBe(5);
    expect(respondentsForRate(100, 7)).toBe(7);
    expect(respondentsForRate(1, 1)).toBe(1);
  });
});

describe('verdict', () => {
  it('3 answers of 58 asked at 78% do not decide, and cannot at this rate', () => {
    const verdict = decideVerdict({ matchRate: 7 / 9, respondents: 3, participants: 58, ...rules });
    expect(verdict).toMatchObject({
      code: 'not_decided',
      label: 'not decided yet',
      enoughResponses: false,
      respondentsRequired: 29,
      answersNeeded: null,
      cannotDecide: true,
    });
    expect(verdict.interval!.low).toBeCloseTo(wilsonInterval(7 / 9, 3).low, 12);
  });

  it('decides above and below when the interval clears 75% and enough answered', () => {
    expect(decideVerdict({ matchRate: 45 / 50, respondents: 50, participants: 60, ...rules })).toMatchObject({
      code: 'shared_mindset',
      label: 'shared mindset',
      answersNeeded: null,
    });
    expect(decideVerdict({ matchRate: 0, respondents: 10, participants: 12, ...rules })).toMatchObject({
      code: 'no_shared_mindset',
      label: 'no shared mindset',
    });
    expect(decideVerdict({ matchRate: 1, respondents: 12, participants: 24, ...rules }).code).toBe('shared_mindset');
    expect(decideVerdict({ matchRate: 1, respondents: 11, participants: 22, ...rules }).code).toBe('not_decided');
  });

  it('says how many more answers at the current rate would decide', () => {
    // The interval needs 12; the floor asks for 10 of 20.
    expect(decideVerdict({ matchRate: 1, respondents: 3, participants: 20, ...rules })).toMatchObject({
      code: 'not_decided',
      answersNeeded: 9,
      cannotDecide: false,
    });
    // The interval clears at 33, but 40 of 100 is under the 50% floor: 10 more.
    expect(decideVerdict({ matchRate: 0.9, respondents: 40, participants: 100, ...rules })).toMatchObject({
      code: 'not_decided',
      enoughResponses: false,
      answersNeeded: 10,
    });
    // 54 of 71 answered in a company of 10,000: 6,455 respondents in all.
    expect(decideVerdict({ matchRate: 54 / 71, respondents: 71, participants: 10_000, ...rules }).answersNeeded).toBe(6455 - 71);
    // A higher floor moves it.
    expect(decideVerdict({ matchRate: 1, respondents: 3, participants: 20, threshold: 0.75, minResponseRatePercent: 80 }).answersNeeded).toBe(13);
  });

  it('cannot decide within the population, or exactly at 75%', () => {
    expect(decideVerdict({ matchRate: 0.6, respondents: 5, participants: 11, ...rules })).toMatchObject({
      code: 'not_decided',
      answersNeeded: null,
      cannotDecide: true,
    });
    expect(decideVerdict({ matchRate: 0.75, respondents: 4000, participants: 5000, ...rules })).toMatchObject({ code: 'not_decided', cannotDecide: true });
  });

  it('before any answer there is no interval', () => {
    expect(decideVerdict({ matchRate: 0, respondents: 0, participants: 30, ...rules })).toMatchObject({
      code: 'not_decided',
      interval: null,
      answersNeeded: null,
      respondentsRequired: 15,
    });
  });
});
