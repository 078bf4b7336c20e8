import { monthName } from '../../src/lib/time';
import { GridLine, plotArea } from '../components';

/** Server-rendered SVG line chart of average material ratings (1–5) per week or month. */

type RatingLine = { name: string; points: { period: string; averageRating: number; count: number }[] };

const COLORS = ['#1f5fbf', '#c2410c', '#1a7f37', '#7c3aed', '#9a6700'];

/** 'Mar 2026' for a month ('2026-03'), '9 Mar' for a week (its Monday, '2026-03-09'). */
export const periodLabel = (period: string) => {
  const [year, m, day] = period.split('-');
  return day ? `${Number(day)} ${monthName(Number(m), 'short')}` : `${monthName(Number(m), 'short')} ${year}`;
};

export function RatingChart(props: { bucket: 'week' | 'month'; periods: string[]; lines: RatingLine[] }) {
  const { width, height, left, right, top, plotWidth, plotHeight } = plotArea({ width: 640, height: 260, left: 36, right: 16, top: 16, bottom: 34 });
  const months = props.periods;
  const x = (month: string) => {
    const index = months.indexOf(month);
    return months.length <= 1 ? left + plotWidth / 2 : left + (index / (months.length - 1)) * plotWidth;
  };
  const y = (rating: number) => top + ((5 - rating) / 4) * plotHeight;
  const labelEvery = Math.max(1, Math.ceil(months.length / 8));
  const summary = props.lines
    .map((line) => `${line.name}: ${line.points.map((p) => `${periodLabel(p.period)} ${p.averageRating}`).join(', ') || 'no ratings'}`)
    .join('; ');
  return (
    <figure class="rating-chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby="rating-chart-title rating-chart-desc">
        <title id="rating-chart-title">Average material rating per {props.bucket}</title>
        <desc id="rating-chart-desc">{summary}</desc>
        {[1, 2, 3, 4, 5].map((r) => (
          <GridLine y={y(r)} left={left} right={width - right} label={r} stroke="#d6dce4" fill="#5b6675" fontSize="12" labelGap={8} />
        ))}
        {months.map((m, i) =>
          i % labelEvery === 0 ? (
            <text x={x(m)} y={height - 10} text-anchor="middle" font-size="12" fill="#5b6675">
              {periodLabel(m)}
            </text>
          ) : null,
        )}
        {props.lines.map((line, i) => {
          const color = COLORS[i % COLORS.length]!;
          const points = line.points.filter((p) => months.includes(p.period));
          return (
            <g class="rating-line">
              {points.length > 1 && (
                <polyline
                  fill="none"
                  stroke={color}
                  stroke-width="2.5"
                  points={points.map((p) => `${x(p.period).toFixed(1)},${y(p.averageRating).toFixed(1)}`).join(' ')}
                />
              )}
              {points.map((p) => (
                <circle cx={x(p.period).toFixed(1)} cy={y(p.averageRating).toFixed(1)} r="4.5" fill={color}>
                  <title>{`${line.name}, ${periodLabel(p.period)}: ${p.averageRating} from ${p.count} rating${p.count === 1 ? '' : 's'}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="chart-legend">
          {props.lines.map((line, i) => (
            <li>
              <svg viewBox="0 0 14 14" width="14" height="14" aria-hidden="true">
                <rect width="14" height="14" rx="3" fill={COLORS[i % COLORS.length]} />
              </svg>{' '}
              {line.name}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
