// Whether a person has met one requirement of a program, from their evidence.
// Pure: callers load the evidence and compute the window and due instant
// (see schedule.ts: onboardingWindow / cycleWindow / dueInstant).
import type { EvidenceWindow } from './schedule';

export const COMPLETION_STATES = ['done', 'due', 'due_soon', 'overdue'] as const;
export type CompletionState = (typeof COMPLETION_STATES)[number];

/** Event kinds an `events` requirement can ask for (training is its own requirement kind). */
export const COUNTED_EVENT_KINDS = ['sales_call', 'marketing_meeting', 'alignment_meeting'] as const;
export type CountedEventKind = (typeof COUNTED_EVENT_KINDS)[number];

export type InvitationAnswer = 'invited' | 'accepted' | 'tentative' | 'declined' | 'waitlisted';
export type Attendance = 'attended' | 'no_show';

export type Requirement =
  | { id: number | string; kind: 'training'; topic: string }
  | { id: number | string; kind: 'events'; eventKind: CountedEventKind; count: number }
  | { id: number | string; kind: 'sign_off' }
  | { id: number | string; kind: 'survey' };

/** One occurrence of a training session the person was recorded at. */
export interface TrainingEvidence {
  eventId: number | string;
  topic: string;
  /** Start of the occurrence. */
  at: Date;
  attendance: Attendance | null;
  title?: string;
}

/** One occurrence of another event the person was invited to. */
export interface EventEvidence {
  eventId: number | string;
  kind: string;
  /** Start of the occurrence; together with eventId it identifies the occurrence. */
  at: Date;
  answer: InvitationAnswer;
  attendance: Attendance | null;
  title?: string;
}

export interface SignOffEvidence {
  requirementId: number | string;
  byPersonId: number | string;
  byName?: string;
  at: Date;
  note?: string;
}

export interface SurveyResponseEvidence {
  roundId: number | string;
  at: Date;
}

export interface PersonEvidence {
  trainings?: TrainingEvidence[];
  events?: EventEvidence[];
  signOffs?: SignOffEvidence[];
  surveyResponses?: SurveyResponseEvidence[];
}

/** What met (or partly met) a requirement, for drill-down. */
export type EvidenceItem =
  | { type: 'training'; eventId: number | string; topic: string; at: Date; title?: string }
  | { type: 'event'; eventId: number | string; kind: string; at: Date; title?: string }
  | { type: 'sign_off'; byPersonId: number | string; byName?: string; at: Date; note?: string }
  | { type: 'survey'; roundId: number | string; at: Date };

interface RequirementCompletion {
  state: CompletionState;
  /** When the evidence that completed the requirement happened. */
  completedAt?: Date;
  /** Completed after the due instant. */
  late?: boolean;
  /** Qualifying evidence inside the window, oldest first. */
  evidence: EvidenceItem[];
  /** `have` is capped at `need`, so it can drive a progress bar directly. */
  progress: { have: number; need: number };
}

export interface EvaluateRequirementInput {
  requirement: Requirement;
  evidence: PersonEvidence;
  window: EvidenceWindow;
  dueAt: Date;
  now: Date;
  /** A requirement not yet done is `due_soon` when its due instant is at most this many days away. */
  dueSoonDays?: number;
}

const DEFAULT_DUE_SOON_DAYS = 7;
const DAY_MS = 86_400_000;

function inWindow(at: Date, window: EvidenceWindow, now: Date): boolean {
  const time = at.getTime();
  // Evidence later than `now` is ignored so that the same function answers
  // "what was the state on day X" for history charts.
  if (time > now.getTime()) return false;
  if (time < window.from.getTime()) return false;
  if (window.until && time >= window.until.getTime()) return false;
  return true;
}

function byTime(a: { at: Date }, b: { at: Date }): number {
  return a.at.getTime() - b.at.getTime();
}

function qualifyingEvidence(input: EvaluateRequirementInput): { items: EvidenceItem[]; need: number } {
  const { requirement, evidence, window, now } = input;
  switch (requirement.kind) {
    case 'training': {
      const items = (evidence.trainings ?? [])
        .filter((t) => t.attendance === 'attended' && t.topic === requirement.topic && inWindow(t.at, window, now))
        .sort(byTime)
        .map((t): EvidenceItem => ({ type: 'training', eventId: t.eventId, topic: t.topic, at: t.at, title: t.title }));
      return { items, need: 1 };
    }
    case 'events': {
      const seen = new Set<string>();
      const items: EvidenceItem[] = [];
      for (const e of [...(evidence.events ?? [])].sort(byTime)) {
        if (e.kind !== requirement.eventKind || e.answer !== 'accepted' || e.attendance !== 'attended') continue;
        if (!inWindow(e.at, window, now)) continue;
        // One occurrence counts once, even if it shows up through two invitations.
        const occurrence = `${e.eventId}@${e.at.getTime()}`;
        if (seen.has(occurrence)) continue;
        seen.add(occurrence);
        items.push({ type: 'event', eventId: e.eventId, kind: e.kind, at: e.at, title: e.title });
      }
      return { items, need: Math.max(1, Math.floor(requirement.count)) };
    }
    case 'sign_off': {
      const items = (evidence.signOffs ?? [])
        .filter((s) => String(s.requirementId) === String(requirement.id) && inWindow(s.at, window, now))
        .sort(byTime)
        .map((s): EvidenceItem => ({ type: 'sign_off', byPersonId: s.byPersonId, byName: s.byName, at: s.at, note: s.note }));
      return { items, need: 1 };
    }
    case 'survey': {
      const items = (evidence.surveyResponses ?? [])
        .filter((r) => inWindow(r.at, window, now))
        .sort(byTime)
        .map((r): EvidenceItem => ({ type: 'survey', roundId: r.roundId, at: r.at }));
      return { items, need: 1 };
    }
  }
}

export function evaluateRequirement(input: EvaluateRequirementInput): RequirementCompletion {
  const dueSoonDays = input.dueSoonDays ?? DEFAULT_DUE_SOON_DAYS;
  const { items, need } = qualifyingEvidence(input);
  const progress = { have: Math.min(items.length, need), need };
  if (items.length >= need) {
    const completedAt = items[need - 1].at;
    return {
      state: 'done',
      completedAt,
      late: completedAt.getTime() >= input.dueAt.getTime(),
      evidence: items,
      progress,
    };
  }
  const untilDue = input.dueAt.getTime() - input.now.getTime();
  const state: CompletionState = untilDue <= 0 ? 'overdue' : untilDue <= dueSoonDays * DAY_MS ? 'due_soon' : 'due';
  return { state, evidence: items, progress };
}

interface CompletionSummary {
  total: number;
  done: number;
  due: number;
  due_soon: number;
  overdue: number;
  /** Done, but after the due instant (included in `done`). */
  late: number;
  /** Whole percent done, rounded down so that 100 means everything is done; null when nothing is required. */
  percentDone: number | null;
}

export function summariseCompletion(completions: ReadonlyArray<CompletionState | Pick<RequirementCompletion, 'state' | 'late'>>): CompletionSummary {
  const summary: CompletionSummary = { total: 0, done: 0, due: 0, due_soon: 0, overdue: 0, late: 0, percentDone: null };
  for (const completion of completions) {
    const state = typeof completion === 'string' ? completion : completion.state;
    summary.total += 1;
    summary[state] += 1;
    if (typeof completion !== 'string' && completion.state === 'done' && completion.late) summary.late += 1;
  }
  if (summary.total > 0) summary.percentDone = Math.floor((summary.done * 100) / summary.total);
  return summary;
}
