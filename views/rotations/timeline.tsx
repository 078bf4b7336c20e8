import { raw } from 'hono/html';
import { escapeToBuffer, type StringBuffer } from 'hono/utils/html';
import type { TimelineBar, TimelineCapacityRow, TimelineData } from '../../src/rotations/timeline';
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

/**
 * The chart is written into one string (`Out`), escaped as JSX escapes: a page draws hundreds of cells, and an element
 * tree or a template per cell cost more than the SQL behind them, most of it in short-lived objects (the same bytes).
 */
type Out = [string];
const text = (out: Out, value: string) => escapeToBuffer(value, out as StringBuffer);

// No class: the week lines are drawn on every classless cell outside the capacity rows (app.css), a few bytes a row.
const gap = (out: Out, span: number) => {
  out[0] += `<td colspan="${span}"></td>`;
};

/** The cells of one lane: empty runs merged into one cell, each bar one cell spanning its weeks. */
function laneCells(out: Out, lane: TimelineBar[], weeks: number, group: 'people' | 'teams', barHref?: (bar: TimelineBar) => string | null) {
  let week = 0;
  for (const bar of lane) {
    if (bar.startWeek > week) gap(out, bar.startWeek - week);
    let classes = `bar status-${bar.status} dept-${bar.department}`;
    if (bar.conflicts.length) classes += ' conflict';
    if (bar.clippedStart) classes += ' clip-start';
    if (bar.clippedEnd) classes += ' clip-end';
    out[0] += '<td class="';
    text(out, classes);
    out[0] += `" colspan="${bar.endWeek - bar.startWeek + 1}" title="`;
    text(out, barTitle(bar));
    out[0] += '">';
    const label = group === 'people' ? bar.hostTeamName : bar.personName;
    const href = barHref?.(bar) ?? (bar.rotationId ? `/rotations/${bar.rotationId}` : null);
    if (href) {
      out[0] += '<a href="';
      text(out, href);
      out[0] += '">';
      text(out, label);
      out[0] += '</a>';
    } else {
      out[0] += '<span>';
      text(out, label);
      out[0] += '</span>';
    }
    if (bar.conflicts.length > 0) {
      const conflicts = bar.conflicts.join(', ');
      out[0] += '<span class="conflict-mark" role="img" aria-label="';
      text(out, `Conflict: ${conflicts}`);
      out[0] += '" title="';
      text(out, conflicts);
      out[0] += '"> ⚠</span>';
    }
    out[0] += '</td>';
    week = bar.endWeek + 1;
  }
  if (week < weeks) gap(out, weeks - week);
}

/** Weeks with the same count side by side become one cell: a hundred host teams must not cost a cell per team and week. */
function capacityCells(out: Out, row: TimelineCapacityRow) {
  const { perWeek, capacity } = row;
  for (let first = 0; first < perWeek.length; ) {
    const value = perWeek[first];
    let length = 1;
    while (first + length < perWeek.length && perWeek[first + length] === value) length++;
    // The weeks a cell covers are its columns' headers: the title says only the count against the limit.
    out[0] += `<td${value > capacity ? ' class="over"' : value === capacity ? ' class="full"' : ''}${length > 1 ? ` colspan="${length}"` : ''} title="${value} of ${capacity}">${value > 0 ? value : ''}</td>`;
    first += length;
  }
}

/**
 * A Gantt chart as an HTML table (no inline styles under our CSP): week columns, blackout and capacity rows on top,
 * then one row per person or host team with as many lanes as overlaps need. The chart is a CSS grid (app.css): the
 * label column, then one equal column per week shared by the week labels and every row, so a bar starts exactly under
 * its week; a cell's colspan is its span in the grid too. Explicit roles keep the table for screen readers while rows
 * take no box.
 */
export function Timeline(props: { data: TimelineData; caption: string; barHref?: (bar: TimelineBar) => string | null }) {
  const { data } = props;
  const weeks = data.weekStarts.length;
  const out: Out = [`<div class="gantt-wrap" id="timeline"><table class="gantt weeks-${weeks}" role="table"><caption class="sr-only">`];
  text(out, props.caption);
  out[0] += `</caption><thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">${data.group === 'people' ? 'Person' : 'Host team'}</th>`;
  data.weekStarts.forEach((w, i) => {
    out[0] += `<th scope="col" role="columnheader" class="${i === data.todayWeek ? 'week today' : 'week'}" title="Week of `;
    text(out, w);
    out[0] += `">${shortDate(w)}</th>`;
  });
  out[0] += '</tr></thead>';
  if (data.blackouts.length > 0 || data.capacity.length > 0) {
    out[0] += '<tbody class="gantt-meta" role="rowgroup">';
    for (const b of data.blackouts) {
      out[0] += '<tr class="blackout-row" role="row"><th scope="row" role="rowheader">Blackout: ';
      text(out, b.label);
      out[0] += '</th>';
      if (b.startWeek > 0) gap(out, b.startWeek);
      out[0] += `<td class="blackout" colspan="${b.endWeek - b.startWeek + 1}" title="`;
      text(out, b.title);
      out[0] += '">';
      text(out, b.label);
      out[0] += '</td>';
      if (b.endWeek < weeks - 1) gap(out, weeks - 1 - b.endWeek);
      out[0] += '</tr>';
    }
    for (const c of data.capacity) {
      out[0] += '<tr class="capacity-row" role="row"><th scope="row" role="rowheader">Capacity ';
      text(out, c.label);
      out[0] += ` <span class="muted">(max ${c.capacity})</span></th>`;
      capacityCells(out, c);
      out[0] += '</tr>';
    }
    out[0] += '</tbody>';
  }
  out[0] += '<tbody role="rowgroup">';
  if (data.rows.length === 0) out[0] += `<tr role="row"><td colspan="${weeks + 1}" class="muted">No rotations in these weeks.</td></tr>`;
  for (const row of data.rows) {
    const lanes = row.lanes.length ? row.lanes : [[]];
    const span = lanes.length + (row.morePeople ? 1 : 0);
    lanes.forEach((lane, i) => {
      if (i > 0) out[0] += '<tr class="lane" role="row">';
      else {
        out[0] += `<tr role="row"><th scope="row" role="rowheader"${span > 1 ? ` rowspan="${span}"` : ''}>`;
        if (row.href) {
          out[0] += '<a href="';
          text(out, row.href);
          out[0] += '">';
          text(out, row.label);
          out[0] += '</a>';
        } else text(out, row.label);
        if (row.sublabel) {
          out[0] += '<small>';
          text(out, row.sublabel);
          out[0] += '</small>';
        }
        out[0] += '</th>';
      }
      laneCells(out, lane, weeks, data.group, props.barHref);
      out[0] += '</tr>';
    });
    if (row.morePeople)
      out[0] += `<tr class="lane" role="row"><td class="more-guests" colspan="${weeks}">and ${row.morePeople} more ${row.morePeople === 1 ? 'guest' : 'guests'} in these weeks: the capacity rows count them, the person view shows each</td></tr>`;
  }
  out[0] += '</tbody></table></div>';
  return raw(out[0]);
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
