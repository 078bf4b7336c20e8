import type { CompletionState } from '../../src/programs/completion';
import type { Counts } from '../../src/programs/report-queries';
import { queryString } from '../components';
import type { Child } from 'hono/jsx';
import { html } from 'hono/html';
import { ProgressBar } from './charts';
import type { SessionOccurrence } from '../../src/programs/sessions';

const STATE_LABELS: Record<CompletionState, string> = { done: 'done', due: 'due', due_soon: 'due soon', overdue: 'overdue' };

export function StateTag(props: { state: CompletionState; late?: boolean }) {
  return (
    <span class={`tag ${props.state}`}>
      {STATE_LABELS[props.state]}
      {props.state === 'done' && props.late ? ' (late)' : ''}
    </span>
  );
}

export type DashboardFilters = { program?: number; team?: number; state?: CompletionState; page: number };

export const dashboardHref = (f: DashboardFilters, page = f.page) =>
  `/programs/dashboard${queryString({ program: f.program, team: f.team, state: f.state, page: page > 1 ? page : undefined })}`;

/** How many teams the dashboard compares before "show all": the weakest, where help is needed first. */
export const WEAKEST_TEAMS = 15;

export type TeamsShown = 'weakest' | 'all';

export const teamsHref = (f: DashboardFilters, show: TeamsShown, page = 1) =>
  `/programs/dashboard/teams${queryString({ program: f.program, team: f.team, state: f.state, show: show === 'weakest' ? 'weakest' : undefined, page: page > 1 ? page : undefined })}`;

/** Teams per page where every team is compared. */
export const TEAMS_COMPARED_PAGE = 50;

export const reportCsvHref = (f: DashboardFilters) =>
  `/api/v1/reports/completion${queryString({ program: f.program, team: f.team, state: f.state, format: 'csv' })}`;

/**
 * The chart comes in its own request once the page is shown (it reads the whole history), so the
 * page itself stays quick; without scripts the link opens it.
 */
/** The share done of everything required, big, with its bar and what the page says it is made of. */
export function OverallCard(props: { totals: Counts; children: Child }) {
  const t = props.totals;
  return (
    <section class="card">
      <h2>Overall</h2>
      <p class="big-figure">{t.percentDone === null ? '—' : `${t.percentDone}%`} done</p>
      <ProgressBar counts={t} width={260} />
      <p class="muted">{props.children}</p>
    </section>
  );
}

export function LazyChart(props: { href: string }) {
  return (
    <div hx-get={props.href} hx-trigger="load" hx-swap="outerHTML">
      <a href={props.href}>Show the chart</a>
    </div>
  );
}

/**
 * A row's share done and its counts; what is overdue is tagged, so rows needing action stand out. The share done
 * is the browser's own progress bar with its figure (the counts stand in the cells beside it): a few dozen bytes
 * instead of an SVG. An html template (escaped as JSX escapes): a dashboard writes it for every person, team and
 * requirement it shows, and as JSX elements these cells were a large part of its render.
 */
export function CountsCells(props: { counts: Counts }) {
  const c = props.counts;
  const share = c.total ? html`<progress max="${c.total}" value="${c.done}" aria-label="Share done">${c.percentDone}%</progress> ${c.percentDone}%` : NO_SHARE;
  return html`<td data-label="Progress">${share}</td><td data-label="Done">${c.done}</td><td data-label="Due soon">${c.due_soon}</td><td data-label="Overdue">${c.overdue ? html`<span class="tag overdue">${c.overdue}</span>` : 0}</td><td data-label="Of">${c.total}</td>`;
}

/** The share done when nothing is required. */
const NO_SHARE = html`<span class="muted">—</span>`;

/** The heads of the cells CountsCells writes, in its order. */
export const COUNT_COLUMNS = ['Progress', 'Done', 'Due soon', 'Overdue', 'Of'];

export const COUNT_HEADERS = (
  <>
    {COUNT_COLUMNS.map((c) => (
      <th scope="col">{c}</th>
    ))}
  </>
);

export function SeatsText(props: { s: SessionOccurrence }) {
  const { s } = props;
  return (
    <span>
      {s.seatsTaken} booked · {s.seatsFree > 0 ? `${s.seatsFree} seats free` : <span class="tag warn">full</span>}
    </span>
  );
}
