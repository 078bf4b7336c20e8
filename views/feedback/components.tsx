import type { feedbackOutcomes } from '../../db/schema';

export const OUTCOME_LABELS: Record<(typeof feedbackOutcomes)[number], string> = { won: 'Won', lost: 'Lost', open: 'Still open' };

export const outcomeTag = (outcome: string) => (outcome === 'won' ? 'ok' : outcome === 'lost' ? 'bad' : 'warn');
