import { html } from 'hono/html';
import { hiddenText } from '../../src/surveys/anonymity';
import type { RateCell } from '../../src/surveys/tally';
import type { RoundStatus } from '../../src/surveys/surveys';

export const percent = (value: number) => `${Math.round(value * 100)}%`;

export function StatusTag(props: { status: RoundStatus }) {
  return <span class={`tag ${props.status === 'open' ? 'active' : 'inactive'}`}>{props.status}</span>;
}

const VERDICT_TAG_CLASS = { shared_mindset: 'ok', no_shared_mindset: 'bad', not_decided: 'warn' } as const;

/** The verdict a group's evidence supports; "no answers yet" before anyone answered. An html template: it is in every row of the results' tables. */
export function Verdict(props: { cell: RateCell }) {
  if (props.cell.respondents === 0) return html`<span class="tag">no answers yet</span>`;
  const verdict = props.cell.verdict;
  return html`<span class="tag verdict ${VERDICT_TAG_CLASS[verdict.code]}">${verdict.label}</span>`;
}

export const more = (count: number) => `${count} more ${count === 1 ? 'answer' : 'answers'}`;

/** Why a verdict is what it is, in one sentence: the interval, the response rate, what would decide it. */
export function verdictEvidence(cell: RateCell, status: RoundStatus, threshold: number, minResponseRatePercent: number): string {
  const verdict = cell.verdict;
  if (cell.respondents === 0) return status === 'open' ? 'No answers yet.' : 'Nobody answered.';
  const interval = verdict.interval ? `95% interval ${percent(verdict.interval.low)}–${percent(verdict.interval.high)}` : '';
  if (verdict.code !== 'not_decided') {
    return `${interval}, wholly ${verdict.code === 'shared_mindset' ? 'above' : 'below'} ${percent(threshold)}, with ${percent(cell.responseRate)} answering (at least ${minResponseRatePercent}% needed).`;
  }
  const reasons: string[] = [];
  if (verdict.interval && verdict.interval.low <= threshold && verdict.interval.high >= threshold)
    reasons.push(`the ${interval} still includes ${percent(threshold)}`);
  if (!verdict.enoughResponses) reasons.push(`${percent(cell.responseRate)} answered, fewer than the ${minResponseRatePercent}% needed`);
  const why = reasons.join(' and ');
  if (status === 'closed') return `Closed undecided: ${why}.`;
  if (verdict.cannotDecide) return `Not decided: ${why}; even if everyone asked answered at this rate it would stay undecided.`;
  return `Not decided: ${why}. About ${more(verdict.answersNeeded ?? 0)} at this rate would decide it.`;
}

/** "54 of 71 answered (76%)", or what a hidden group says instead. */
export function responsesText(cell: RateCell, k: number): string {
  if (cell.hidden && cell.respondents === 0) return hiddenText(cell.hidden, k);
  return `${cell.respondents} of ${cell.participants} answered (${percent(cell.responseRate)})`;
}

/** A rate as a bar, an html template as Verdict. */
export function RateBar(props: { value: number; max: number; label: string }) {
  return html`<progress value="${props.value}" max="${Math.max(1, props.max)}" aria-label="${props.label}">${props.max ? percent(props.value / props.max) : '—'}</progress>`;
}
