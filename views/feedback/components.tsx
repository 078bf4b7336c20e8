import type { feedbackOutcomes } from '../../db/schema';

export const OUTCOME_LABELS: Record<(typeof feedbackOutcomes)[number], string> = { won: 'Won', lost: 'Lost', open: 'Still open' };

export const outcomeTag = (outcome: string) => (outcome === 'won' ? 'ok' : outcome === 'lost' ? 'bad' : 'warn');

/** The tag colour of a backlog status (the same as on the backlog page). */
export const backlogTag = (status: string) => (status === 'rejected' ? 'bad' : status === 'done' ? 'done' : status === 'accepted' ? 'accepted' : 'warn');
