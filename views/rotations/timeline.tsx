import { html } from 'hono/html';
import type { TimelineBar, TimelineData } from '../../src/rotations/timeline';
import { departmentOptions } from '../labels';
import { Field, FilterForm, optionsOf, PageHeader, Pager, Select, TeamFilter } from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { RotationsNav } from './components';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const shortDate = (iso: string) => `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`;

function barTitle(bar: TimelineBar) {
  const parts = [
    `${bar.personName} in ${bar.hostTeamName}`,
    `${bar.start} to ${bar.end}`,
    bar.programName,
    bar.mentorName ? `mentor ${bar.mentorName}` : 'no mentor',
    bar.status,
  ];
  if (bar.conflicts.length) parts.push(`conflict: ${bar.conflicts.join(', ')}`);
  return parts.join(' · ');
}

/** The cells of one lane: empty runs merged into one cell, each bar one cell spanning its weeks. */
function LaneCells(props: { lane: TimelineBar[]; weeks: number; group: 'people' | 'teams'; barHref?: (bar: TimelineBar) => string | null }) {
  const cells = [];
  let week = 0;
  for (const bar of props.lane) {
    if (bar.startWeek > week) cells.push(gap(bar.startWeek - week));
    const classes = [
      'bar',
      `status-${bar.status}`,
      `dept-${bar.department}`,
      bar.conflicts.length ? 'conflict' : '',
      bar.clippedStart ? 'clip-start' : '',
      bar.clippedEnd ? 'clip-end' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const text = props.group === 'people' ? bar.hostTeamName : bar.personName;
    const href = props.barHref?.(bar) ?? (bar.rotationId ? `/rotations/${bar.rotationId}` : null);
    const conflicts = bar.conflicts.join(', ');
    // A template, as the busy pages' rows (views/events/components.tsx): the markup JSX wrote, without an element tree per bar.
    cells.push(
      html`<td class="${classes}" colspan="${bar.endWeek - bar.startWeek + 1}" title="${barTitle(bar)}">${href ? html`<a href="${href}">${text}</a>` : html`<span>${text}</span>`}${
        bar.conflicts.length > 0 ? html`<span class="conflict-mark" role="img" aria-label="${`Conflict: ${conflicts}`}" title="${conflicts}"> ⚠</span>` : ''
      }</td>`,
    );
    week = bar.endWeek + 1;
  }
  if (week < props.weeks) cells.push(gap(props.weeks - week));
  return cells;
}

/**
 * The chart is a CSS grid (app.css): the label column, then one equal column per week shared by the
 * week labels and every row, so a bar starts exactly under its week; a cell's colspan is its span
 * in the grid too. Explicit roles keep the table for screen readers while rows take no box.
 */
function Gap(props: { span: number }) {
  return gap(props.span);
}
// No class: the week lines are drawn on every classless cell outside the capacity rows (app.css), a few bytes a row.
const gap = (span: number) => html`<td colspan="${span}"></td>`;

/**
 * A Gantt chart as an HTML table (no inline styles under our CSP): week columns, blackout and
 * capacity rows on top, then one row per person or host team with as many lanes as overlaps need.
 */
/** Weeks with the same count side by side become one cell: a hundred host teams must not cost a cell per team and week. */
function runsOf(values: number[]): { first: number; length: number; value: number }[] {
  const runs: { first: number; length: number; value: number }[] = [];
  values.forEach((value, i) => {
    const last = runs[runs.length - 1];
    if (last && last.value === value) last.length++;
    else runs.push({ first: i, length: 1, value });
  });
  return runs;
}

export function Timeline(props: { data: TimelineData; caption: string; barHref?: (bar: TimelineBar) => string | null }) {
  const { data } = props;
  const weeks = data.weekStarts.length;
  return (
    <div class="gantt-wrap" id="timeline">
      <table class={`gantt weeks-${weeks}`} role="table">
        <caption class="sr-only">{props.caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">
              {data.group === 'people' ? 'Person' : 'Host team'}
            </th>
            {data.weekStarts.map((w, i) => (
              <th scope="col" role="columnheader" class={i === data.todayWeek ? 'week today' : 'week'} title={`Week of ${w}`}>
                {shortDate(w)}
              </th>
            ))}
          </tr>
        </thead>
        {(data.blackouts.length > 0 || data.capacity.length > 0) && (
          <tbody class="gantt-meta" role="rowgroup">
            {data.blackouts.map((b) => (
              <tr class="blackout-row" role="row">
                <th scope="row" role="rowheader">
                  Blackout: {b.label}
                </th>
                {b.startWeek > 0 && <Gap span={b.startWeek} />}
                <td class="blackout" colspan={b.endWeek - b.startWeek + 1} title={b.title}>
                  {b.label}
                </td>
                {b.endWeek < weeks - 1 && <Gap span={weeks - 1 - b.endWeek} />}
              </tr>
            ))}
            {data.capacity.map((c) => (
              <tr class="capacity-row" role="row">
                <th scope="row" role="rowheader">
                  Capacity {c.label} <span class="muted">(max {c.capacity})</span>
                </th>
                {runsOf(c.perWeek).map((run) => {
                  // The weeks a cell covers are its columns' headers: the title says only the count against the limit.
                  const state = run.value > c.capacity ? html` class="over"` : run.value === c.capacity ? html` class="full"` : '';
                  const colspan = run.length > 1 ? html` colspan="${run.length}"` : '';
                  return html`<td${state}${colspan} title="${run.value} of ${c.capacity}">${run.value > 0 ? run.value : ''}</td>`;
                })}
              </tr>
            ))}
          </tbody>
        )}
        <tbody role="rowgroup">
          {data.rows.length === 0 && (
            <tr role="row">
              <td colspan={weeks + 1} class="muted">
                No rotations in these weeks.
              </td>
            </tr>
          )}
          {data.rows.map((row) => {
            const lanes = row.lanes.length ? row.lanes : [[]];
            const more = row.morePeople ? (
              <tr class="lane" role="row">
                <td class="more-guests" colspan={weeks}>
                  and {row.morePeople} more {row.morePeople === 1 ? 'guest' : 'guests'} in these weeks: the capacity rows count them, the person view shows each
                </td>
              </tr>
            ) : null;
            const span = lanes.length + (more ? 1 : 0);
            return [
              ...lanes.map((lane, i) => {
                const cells = LaneCells({ lane, weeks, group: data.group, barHref: props.barHref });
                if (i > 0) return html`<tr class="lane" role="row">${cells}</tr>`;
                const label = row.href ? html`<a href="${row.href}">${row.label}</a>` : row.label;
                const rowspan = span > 1 ? html` rowspan="${span}"` : '';
                return html`<tr role="row"><th scope="row" role="rowheader"${rowspan}>${label}${row.sublabel ? html`<small>${row.sublabel}</small>` : ''}</th>${cells}</tr>`;
              }),
              more,
            ];
          })}
        </tbody>
      </table>
    </div>
  );
}

export function TimelineResults(props: { data: TimelineData; from: string; weeks: number; pageHref: (page: number) => string }) {
  const { data } = props;
  return (
    <div id="timeline-results" aria-live="polite">
      <p class="muted">
        {props.weeks} weeks from {props.from} · {`${data.total}${data.more ? '+' : ''} ${data.group === 'people' ? 'people' : 'host teams'}`} ·{' '}
        {data.conflictCount} conflict
        {data.conflictCount === 1 ? '' : 's'}
      </p>
      {data.rotationsLeftOut ? (
        <p class="notice" role="status">
          This page draws the first {data.rotationsLeftOut} of its rotations by start date and leaves the rest out: choose fewer weeks, a program or a team to
          see them all.
        </p>
      ) : null}
      <Timeline data={data} caption={`Rotations by week from ${props.from}`} />
      {(data.total > data.pageSize || data.more) && (
        <Pager page={data.page} pageSize={data.pageSize} total={data.total} more={data.more} href={props.pageHref} target="#timeline-results" />
      )}
      <p class="legend muted">
        <span class="swatch dept-marketing"></span> marketer away · <span class="swatch dept-sales"></span> rep away · <span class="swatch conflict"></span>{' '}
        conflict (overridden or broken rule) · capacity cells turn red above the host team's limit.
      </p>
    </div>
  );
}

export function TimelinePage(props: {
  layout: LayoutProps;
  role: string;
  values: FormValues;
  programs: Option[];
  /** Null when the company has too many teams to list: the team is typed by name. */
  teams: Option[] | null;
  teamName?: string;
  errors?: FieldErrors;
  data: TimelineData;
  from: string;
  weeks: number;
  pageHref: (page: number) => string;
}) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Rotation timeline" />
      <RotationsNav role={props.role} current="/rotations/timeline" />
      <FilterForm action="/rotations/timeline" results="timeline-results" trigger="change, submit" search submit="Show">
        <Field name="from" label="From" type="date" values={props.values} />
        <Field name="weeks" label="Weeks" type="number" min={1} max={104} values={props.values} />
        <Select name="program" label="Program" blank="All programs" options={props.programs} values={props.values} />
        <TeamFilter teams={props.teams} team={props.values.team as number | undefined} teamName={props.teamName} blank="All teams" errors={props.errors} />
        <Select name="department" label="Department" blank="Both" options={departmentOptions.filter((d) => d.value !== 'other')} values={props.values} />
        <Select name="group" label="Rows" options={optionsOf({ people: 'People', teams: 'Host teams' })} values={props.values} />
        <Select name="conflicts" label="Show" blank="All rotations" options={[{ value: 'only', label: 'Only conflicts' }]} values={props.values} />
      </FilterForm>
      <TimelineResults data={props.data} from={props.from} weeks={props.weeks} pageHref={props.pageHref} />
    </Layout>
  );
}
