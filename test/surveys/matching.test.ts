import { describe, expect, it } from 'vitest';
import {
  SHARED_MINDSET_THRESHOLD,
  createAnswerMatcher,
  groupSimilarAnswers,
  hasSharedMindset,
  matchAnswer,
  matchAnswers,
  matchRate,
  normaliseAnswer,
  similarity,
  stem,
  typoDistance,
  type Advantage,
  type AnswerMatch,
} from '../../src/matching/matching';
import { LABELLED_ANSWERS, RELAYBASE_ADVANTAGES, syntheticRoundAnswers, type LabelledAnswer } from './fixtures/labelled-answers';

describe('normaliseAnswer', () => {
  it('lowercases, strips accents and punctuation, drops stop words and stems', () => {
    expect(normaliseAnswer('The FASTEST Implementation!!!')).toBe('fast implement');
    expect(normaliseAnswer('Réactivité — SUPPORT…')).toBe(normaliseAnswer('reactivite support'));
    expect(normaliseAnswer("Our customers' integrations")).toBe('custom integr');
  });

  it('keeps numbers and splits on any punctuation', () => {
    expect(normaliseAnswer('24/7 support')).toBe('24 7 support');
    expect(normaliseAnswer('set-up')).toBe('set up');
  });

  it('folds interchangeable words onto one stem', () => {
    expect(normaliseAnswer('quick setup')).toBe(normaliseAnswer('fast setup'));
    expect(normaliseAnswer('rapid rollout')).toBe(normaliseAnswer('fast rollout'));
    expect(normaliseAnswer('clients')).toBe(normaliseAnswer('customers'));
  });

  it('returns an empty string for empty or stop-word-only answers', () => {
    expect(normaliseAnswer('')).toBe('');
    expect(normaliseAnswer('   ...  ')).toBe('');
    expect(normaliseAnswer('it is the one that we have')).toBe('');
  });
});

describe('stem', () => {
  it('reduces the forms of a word to one stem', () => {
    const integrate = ['integrate', 'integrates', 'integrated', 'integrating', 'integration', 'integrations'].map(stem);
    expect(new Set(integrate).size).toBe(1);
    const implement = ['implement', 'implements', 'implemented', 'implementing', 'implementation', 'implementations'].map(stem);
    expect(new Set(implement).size).toBe(1);
    expect(stem('customers')).toBe(stem('customer'));
    expect(stem('services')).toBe(stem('service'));
    expect(stem('prices')).toBe(stem('pricing'));
  });

  it('strips comparatives, superlatives and adverbs', () => {
    expect(stem('fastest')).toBe('fast');
    expect(stem('faster')).toBe('fast');
    expect(stem('quickly')).toBe('quick');
    expect(stem('cheapest')).toBe('cheap');
    expect(stem('easiest')).toBe(stem('easy'));
    expect(stem('easily')).toBe(stem('easy'));
  });

  it('handles classic suffix rules', () => {
    expect(stem('caresses')).toBe('caress');
    expect(stem('ponies')).toBe('poni');
    expect(stem('hopping')).toBe('hop');
    expect(stem('relational')).toBe('relat');
    expect(stem('customization')).toBe(stem('customisation'));
    expect(stem('adjustable')).toBe('adjust');
  });

  it('leaves short words, numbers and words ending in -us or -ss alone', () => {
    expect(stem('ai')).toBe('ai');
    expect(stem('27001')).toBe('27001');
    expect(stem('status')).toBe('status');
    expect(stem('focus')).toBe('focus');
    expect(stem('business')).toBe(stem('business'));
    expect(stem('best')).toBe('best');
  });
});

describe('typoDistance', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours', () => {
    expect(typoDistance('support', 'support')).toBe(0);
    expect(typoDistance('suport', 'support')).toBe(1);
    expect(typoDistance('supprot', 'support')).toBe(1);
    expect(typoDistance('costumer', 'customer')).toBe(2);
    expect(typoDistance('price', 'integrations')).toBe(3);
  });
});

describe('similarity', () => {
  it('is 1 for the same meaning in other words forms and 0 for nothing in common', () => {
    expect(similarity('Lowest prices', 'low price')).toBe(1);
    expect(similarity('support', 'integrations')).toBe(0);
    expect(similarity('', 'support')).toBe(0);
  });

  it('tolerates typos', () => {
    expect(similarity('great suport', 'great support')).toBeGreaterThan(0.8);
    expect(similarity('intergrations', 'integrations')).toBeGreaterThan(0.8);
  });

  it('is symmetric and partial for partial overlap', () => {
    const forward = similarity('mobile app for field reps', 'mobile app');
    expect(forward).toBe(similarity('mobile app', 'mobile app for field reps'));
    expect(forward).toBeGreaterThan(0.4);
    expect(forward).toBeLessThan(1);
  });
});

describe('matchAnswer', () => {
  const advantages: Advantage[] = RELAYBASE_ADVANTAGES;

  it('matches the official name and each synonym', () => {
    for (const advantage of advantages) {
      for (const phrase of [advantage.name, ...advantage.synonyms]) {
        const result = matchAnswer(phrase, advantages);
        expect({ phrase, status: result.status, id: result.advantageId }).toEqual({
          phrase,
          status: 'matched',
          id: advantage.id,
        });
      }
    }
  });

  it('tells which phrase produced the match', () => {
    expect(matchAnswer('our helpdesk', advantages)).toMatchObject({ advantageId: 'support', matchedPhrase: 'help desk' });
  });

  it('matches an answer only once a synonym for it exists', () => {
    const withoutSynonym: Advantage[] = [{ id: 1, name: 'Integrations', synonyms: [] }];
    expect(matchAnswer('plays nicely with SAP', withoutSynonym).status).toBe('unmatched');
    const withSynonym: Advantage[] = [{ id: 1, name: 'Integrations', synonyms: ['plays nicely with sap'] }];
    expect(matchAnswer('plays nicely with SAP', withSynonym)).toMatchObject({ advantageId: 1, status: 'matched', score: 1 });
  });

  it('accepts numeric advantage ids', () => {
    const numbered: Advantage[] = [{ id: 7, name: 'Best customer support', synonyms: ['support'] }];
    expect(matchAnswer('support', numbered).advantageId).toBe(7);
  });

  it('returns unmatched with score 0 for empty answers', () => {
    for (const text of ['', '   ', '?!', 'the']) {
      expect(matchAnswer(text, advantages)).toEqual({ advantageId: null, score: 0, status: 'unmatched', matchedPhrase: null });
    }
  });

  it('keeps the score within 0..1', () => {
    for (const { text } of LABELLED_ANSWERS) {
      const { score } = matchAnswer(text, advantages);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });

  describe('threshold boundary', () => {
    const text = 'Great after-sales service for big accounts';
    const { score } = matchAnswer(text, advantages);

    it('has a partial score to test with', () => {
      expect(score).toBeGreaterThan(0.3);
      expect(score).toBeLessThan(1);
    });

    it('matches when the score equals the threshold', () => {
      expect(matchAnswer(text, advantages, { threshold: score }).status).toBe('matched');
    });

    it('is doubtful just under the threshold, inside the band', () => {
      const result = matchAnswer(text, advantages, { threshold: score + 0.001, doubtfulBand: 0.1 });
      expect(result).toMatchObject({ status: 'doubtful', advantageId: 'support' });
    });

    it('is doubtful at the bottom edge of the band and unmatched below it', () => {
      expect(matchAnswer(text, advantages, { threshold: score + 0.1, doubtfulBand: 0.1 }).status).toBe('doubtful');
      const below = matchAnswer(text, advantages, { threshold: score + 0.101, doubtfulBand: 0.1 });
      expect(below).toMatchObject({ status: 'unmatched', advantageId: null });
    });
  });

  it('is doubtful when an answer names two advantages', () => {
    for (const text of ['Fast implementation and great support', 'support and integrations', 'API and customer service']) {
      expect(matchAnswer(text, advantages).status).toBe('doubtful');
    }
  });

  it('is doubtful when two advantages are too close to call', () => {
    const lookalikes: Advantage[] = [
      { id: 'a', name: 'Onboarding programme', synonyms: ['fast onboarding'] },
      { id: 'b', name: 'Onboarding academy', synonyms: ['onboarding courses'] },
    ];
    const result = matchAnswer('onboarding', lookalikes, { threshold: 0.6, doubtfulBand: 0.2, ambiguityMargin: 0.05 });
    expect(result.status).toBe('doubtful');
  });

  it('matches an official advantage named among other things', () => {
    expect(matchAnswer('cheap and great customer service', advantages)).toMatchObject({ status: 'matched', advantageId: 'support' });
  });

  it('does not match other things people name', () => {
    for (const text of ['lowest price', 'brand', 'easy to use', 'AI features', 'security']) {
      expect(matchAnswer(text, advantages).status).toBe('unmatched');
    }
  });
});

describe('matchAnswers on the labelled set', () => {
  const results = matchAnswers(
    LABELLED_ANSWERS.map((answer) => answer.text),
    RELAYBASE_ADVANTAGES,
  );

  const isCorrect = (answer: LabelledAnswer, result: AnswerMatch) => result.status === 'matched' && result.advantageId === answer.label;

  it('has at least 200 realistic labelled answers of every kind', () => {
    expect(LABELLED_ANSWERS.length).toBeGreaterThanOrEqual(200);
    const kinds = new Set(LABELLED_ANSWERS.map((answer) => answer.kind));
    expect([...kinds].sort()).toEqual(['exact', 'garbage', 'mixed', 'other', 'paraphrase', 'two-advantages', 'typo']);
  });

  it('reaches precision and recall of at least 0.9', () => {
    let truePositives = 0;
    let falsePositives = 0;
    let labelled = 0;
    const misses: string[] = [];
    LABELLED_ANSWERS.forEach((answer, index) => {
      const result = results[index];
      if (answer.label !== null) labelled++;
      if (result.status === 'matched') {
        if (isCorrect(answer, result)) truePositives++;
        else falsePositives++;
      }
      if ((answer.label !== null) !== isCorrect(answer, result) || (answer.label === null && result.status === 'matched')) {
        misses.push(`  ${JSON.stringify(answer.text)}: label ${answer.label}, got ${result.status} ${result.advantageId} (${result.score})`);
      }
    });
    const precision = truePositives / (truePositives + falsePositives);
    const recall = truePositives / labelled;
    console.log(
      `labelled answers: ${LABELLED_ANSWERS.length} (${labelled} name one official advantage)\n` +
        `precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}\n` +
        `disagreements with the labels:\n${misses.join('\n')}`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('never matches empty or garbage answers', () => {
    LABELLED_ANSWERS.forEach((answer, index) => {
      if (answer.kind === 'garbage') expect(results[index].status).toBe('unmatched');
    });
  });

  it('gives the same result as matching one at a time', () => {
    LABELLED_ANSWERS.slice(0, 40).forEach((answer, index) => {
      expect(matchAnswer(answer.text, RELAYBASE_ADVANTAGES)).toEqual(results[index]);
    });
  });

  it('scores a round of 10,000 responses of three answers consistently with one-at-a-time matching', () => {
    // Timing is measured by bench/surveys.ts (no timing assertions in unit tests); this checks the batch path.
    const answers = syntheticRoundAnswers(30_000);
    const scored = matchAnswers(answers, RELAYBASE_ADVANTAGES);
    expect(scored).toHaveLength(30_000);
    for (const index of [0, 1, 17, 4_321, 29_999]) expect(scored[index]).toEqual(matchAnswer(answers[index], RELAYBASE_ADVANTAGES));
  });

  it('shares work across a batch through createAnswerMatcher', () => {
    const matcher = createAnswerMatcher(RELAYBASE_ADVANTAGES);
    expect(matcher.match('Integrations')).toEqual(matcher.match('integrations!'));
    expect(matcher.options.threshold).toBeGreaterThan(0);
  });
});

describe('matchRate and the shared-mindset verdict', () => {
  const statuses = (matched: number, total: number) =>
    Array.from({ length: total }, (_, index) => ({ status: index < matched ? ('matched' as const) : ('unmatched' as const) }));

  it('is the share of matched answers; doubtful ones do not count', () => {
    expect(matchRate([{ status: 'matched' }, { status: 'doubtful' }, { status: 'unmatched' }, { status: 'matched' }])).toBe(0.5);
    expect(matchRate([])).toBe(0);
  });

  it('has a shared mindset at exactly 75%', () => {
    expect(SHARED_MINDSET_THRESHOLD).toBe(0.75);
    expect(hasSharedMindset(0.75)).toBe(true);
    expect(hasSharedMindset(matchRate(statuses(3, 4)))).toBe(true);
    expect(hasSharedMindset(matchRate(statuses(2250, 3000)))).toBe(true);
    expect(hasSharedMindset(1)).toBe(true);
  });

  it('has none just under 75%', () => {
    expect(hasSharedMindset(0.7499)).toBe(false);
    expect(hasSharedMindset(matchRate(statuses(2249, 3000)))).toBe(false);
    expect(hasSharedMindset(0)).toBe(false);
  });
});

describe('groupSimilarAnswers', () => {
  it('groups what means the same thing and counts by department', () => {
    const groups = groupSimilarAnswers([
      { text: 'price', department: 'sales' },
      { text: 'Cheap', department: 'sales' },
      { text: 'lowest cost', department: 'sales' },
      { text: 'affordable', department: 'marketing' },
      { text: 'Price', department: 'sales' },
      { text: 'High quality', department: 'marketing' },
      { text: 'quality', department: 'marketing' },
      { text: 'brand', department: 'marketing' },
    ]);
    expect(groups[0]).toEqual({
      label: 'price',
      count: 5,
      byDepartment: { sales: 4, marketing: 1, other: 0 },
      examples: ['price', 'affordable', 'Cheap'],
    });
    expect(groups[1]).toMatchObject({ label: 'quality', count: 2, byDepartment: { sales: 0, marketing: 2, other: 0 } });
    expect(groups[2]).toMatchObject({ label: 'brand', count: 1 });
  });

  it('groups unknown answers by similarity, typos included, and names them after the most common wording', () => {
    const groups = groupSimilarAnswers([
      { text: 'on-premise hosting', department: 'sales' },
      { text: 'on premise hosting', department: 'sales' },
      { text: 'on premise hostng', department: 'other' },
      { text: 'Mobile app', department: 'marketing' },
    ]);
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({ count: 3, byDepartment: { sales: 2, marketing: 0, other: 1 } });
    expect(groups[1]).toMatchObject({ label: 'mobile app', count: 1, byDepartment: { sales: 0, marketing: 1, other: 0 } });
  });

  it('puts answers without a department under other and empty answers in one group', () => {
    const groups = groupSimilarAnswers([{ text: '' }, { text: '  ' }, { text: 'n/a' }, { text: 'mobile app' }]);
    const empty = groups.find((group) => group.label === '(empty answer)');
    expect(empty).toMatchObject({ count: 2, byDepartment: { sales: 0, marketing: 0, other: 2 } });
    expect(groups.reduce((sum, group) => sum + group.count, 0)).toBe(4);
  });

  it('counts rows that stand for several identical answers', () => {
    const groups = groupSimilarAnswers([
      { text: 'price', department: 'sales', count: 40 },
      { text: 'cheap', department: 'marketing', count: 2 },
      { text: 'mobile app', department: 'sales', count: 3 },
    ]);
    expect(groups[0]).toMatchObject({ label: 'price', count: 42, byDepartment: { sales: 40, marketing: 2, other: 0 }, examples: ['price', 'cheap'] });
    expect(groups[1]).toMatchObject({ label: 'mobile app', count: 3 });
  });

  it('sorts by count, largest first, and limits examples', () => {
    const texts = [
      ...Array.from({ length: 4 }, () => ({ text: 'reliability' })),
      ...['cheap', 'cheaper', 'cheapest', 'low price', 'price', 'pricing'].map((text) => ({ text })),
    ];
    const groups = groupSimilarAnswers(texts, { maxExamples: 2 });
    expect(groups.map((group) => [group.label, group.count])).toEqual([
      ['price', 6],
      ['reliability', 4],
    ]);
    expect(groups[0].examples).toHaveLength(2);
  });

  it('shows sales and marketing saying different things in the labelled set', () => {
    const unmatched = LABELLED_ANSWERS.filter((answer) => answer.kind === 'other');
    const groups = groupSimilarAnswers(unmatched);
    const price = groups.find((group) => group.label === 'price');
    expect(price?.byDepartment.sales).toBeGreaterThan(price ? price.byDepartment.marketing : 0);
    expect(groups[0].label).toBe('price');
  });
});
