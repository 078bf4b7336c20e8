// Server-rendered SVG: progress bars and charts need no script and no inline style (CSP allows
// SVG presentation attributes).
import type { Counts } from '../../src/programs/report-queries';
import type { HistoryPoint } from '../../src/programs/completion-history';
import type { TeamCounts } from '../../src/programs/reports';
import { dateTimeFormat } from '../../src/lib/time';
import { GridLine, plotArea } from '../components';

const COLORS = { done: '#1a7f37', due: '#c9d1db', due_soon: '#d29922', overdue: '#b42318', grid: '#dde2e8', text: '#5b6675', line: '#1f5fbf' };

const percent = (part: number, total: number) => (total ? (part * 100) / total : 0);

function describeCounts(c: Pick<Counts, 'total' | 'done' | 'due_soon' | 'overdue' | 'percentDone'>) {
  if (!c.total) return 'nothing required';
  return `${c.percentDone}% done: ${c.done} of ${c.total} done, ${c.due_soon} due soon, ${c.overdue} overdue`;
}

/** A bar split into done, due soon, overdue and the rest, labelled for screen readers. */
const DAY_AND_MONTH: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };

export function ProgressBar(props: { counts: Pick<Counts, 'total' | 'done' | 'due' | 'due_soon' | 'overdue' | 'percentDone'>; width?: number }) {
  const c = props.counts;
  const label = describeCounts(c);
  const segments: [string, number][] = [
    [COLORS.done, percent(c.done, c.total)],
    [COLORS.overdue, percent(c.overdue, c.total)],
    [COLORS.due_soon, percent(c.due_soon, c.total)],
  ];
  let x = 0;
  return (
    <span class="progress-cell">
      <svg class="progress-bar" width={props.width ?? 160} height="12" viewBox="0 0 100 12" preserveAspectRatio="none" role="img" aria-label={label}>
        <title>{label}</title>
        <rect x="0" y="0" width="100" height="12" rx="3" fill={COLORS.due} />
        {segments.map(([fill, width]) => {
          const rect = width > 0 ? <rect x={x.toFixed(2)} y="0" width={width.toFixed(2)} height="12" fill={fill} /> : null;
          x += width;
          return rect;
        })}
      </svg>
      <span class="progress-figure">{c.total ? `${c.percentDone}%` : '—'}</span>
    </span>
  );
}

/** Share done (line) and overdue count (bars) over the sampled weeks. */
export function CompletionChart(props: { points: HistoryPoint[]; timeZone?: string }) {
  const points = props.points;
  if (points.length < 2 || points.every((p) => p.total === 0)) return <p class="muted">No history yet.</p>;
  const {
    width,
    height,
    left,
    right,
    top,
    plotWidth: plotW,
    plotHeight: plotH,
  } = plotArea({ width: 640, height: 220, left: 40, right: 40, top: 14, bottom: 36 });
  const xAt = (i: number) => left + (plotW * i) / (points.length - 1);
  const yAt = (pct: number) => top + plotH - (plotH * pct) / 100;
  const maxOverdue = Math.max(1, ...points.map((p) => p.overdue));
  const barW = Math.max(4, plotW / points.length / 3);
  const fmt = dateTimeFormat('en-GB', DAY_AND_MONTH, props.timeZone ?? 'UTC');
  const line = points
    .map((p, i) => (p.percentDone === null ? null : `${xAt(i).toFixed(1)},${yAt(p.percentDone).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  const last = points[points.length - 1];
  const summary = `Completion over the last ${points.length - 1} weeks: from ${points[0].percentDone ?? 0}% to ${last.percentDone ?? 0}% done; ${last.overdue} overdue now.`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={summary}>
        <title>{summary}</title>
        {[0, 25, 50, 75, 100].map((pct) => (
          <GridLine y={yAt(pct)} left={left} right={width - right} label={`${pct}%`} stroke={COLORS.grid} fill={COLORS.text} fontSize="11" labelGap={6} />
        ))}
        {points.map((p, i) => {
          const h = (plotH * 0.5 * p.overdue) / maxOverdue;
          return p.overdue > 0 ? (
            <rect
              x={(xAt(i) - barW / 2).toFixed(1)}
              y={(top + plotH - h).toFixed(1)}
              width={barW.toFixed(1)}
              height={h.toFixed(1)}
              fill={COLORS.overdue}
              opacity="0.55"
            />
          ) : null;
        })}
        <polyline points={line} fill="none" stroke={COLORS.done} stroke-width="2.5" />
        {points.map((p, i) =>
          p.percentDone === null ? null : (
            <circle cx={xAt(i).toFixed(1)} cy={yAt(p.percentDone).toFixed(1)} r="3" fill={COLORS.done}>
              <title>{`${fmt.format(p.at)}: ${p.percentDone}% done (${p.done} of ${p.total}), ${p.overdue} overdue`}</title>
            </circle>
          ),
        )}
        {points.map((p, i) =>
          i % 2 === 0 || i === points.length - 1 ? (
            <text x={xAt(i).toFixed(1)} y={height - 12} text-anchor={i === points.length - 1 ? 'end' : 'middle'} font-size="11" fill={COLORS.text}>
              {fmt.format(p.at)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption class="muted">
        <span class="legend done">■</span> share done · <span class="legend overdue">■</span> overdue requirements (count, scaled to the busiest week). Each
        week is counted at its start (Monday 00:00 UTC) as it stood then; the last point is now, as the dashboard counts it.
      </figcaption>
    </figure>
  );
}

/**
 * Teams side by side, in the order given: one stacked bar per team. The bars of one colour are one
 * path and shared presentation attributes sit on the chart once (SVG inherits them), so a team
 * costs about 250 bytes; its counts show on hovering its name.
 */
export function TeamComparison(props: { teams: TeamCounts[] }) {
  const teams = props.teams.filter((t) => t.total > 0);
  if (teams.length === 0) return <p class="muted">No team has requirements yet.</p>;
  const rowH = 26;
  const labelW = 170;
  const barW = 360;
  const width = labelW + barW + 60;
  const height = teams.length * rowH + 8;
  const px = (n: number) => Number(n.toFixed(1));
  const bars = { due: '', done: '', overdue: '', due_soon: '' };
  const bar = (key: keyof typeof bars, x: number, y: number, w: number) => {
    if (w > 0) bars[key] += `M${px(x)} ${y}h${px(w)}v16h${-px(w)}z`;
  };
  teams.forEach((team, i) => {
    const y = 7 + i * rowH;
    const done = (barW * percent(team.done, team.total)) / 100;
    const overdue = (barW * percent(team.overdue, team.total)) / 100;
    const soon = (barW * percent(team.due_soon, team.total)) / 100;
    bar('due', labelW, y, barW);
    bar('done', labelW, y, done);
    bar('overdue', labelW + done, y, overdue);
    bar('due_soon', labelW + done + overdue, y, soon);
  });
  const summary = `Share of requirements done per team: ${teams.map((t) => `${t.teamName} ${t.percentDone}%`).join(', ')}`;
  return (
    <svg class="team-chart" viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={summary} font-size="12" fill={COLORS.text}>
      {(['due', 'done', 'overdue', 'due_soon'] as const).map((key) => (bars[key] ? <path fill={COLORS[key]} d={bars[key]} /> : null))}
      <g text-anchor="end">
        {teams.map((team, i) => (
          <text x={labelW - 8} y={19 + i * rowH}>
            <title>{`${team.teamName}: ${describeCounts(team)}`}</title>
            {team.teamName}
          </text>
        ))}
      </g>
      {teams.map((team, i) => (
        <text x={labelW + barW + 8} y={19 + i * rowH}>
          {team.percentDone}%
        </text>
      ))}
    </svg>
  );
}
