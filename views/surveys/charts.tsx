// Server-rendered SVG charts (CSP allows presentation attributes, not inline styles or scripts).
import { GridLine, plotArea } from '../components';

type TrendSeries = { label: string; className: string; colour: string; values: (number | null)[] };

const percent = (value: number) => `${Math.round(value * 100)}%`;

/**
 * A line chart of shares (0..1) over labelled points, with a dashed threshold line. A table with the
 * same figures follows for screen readers and for reading exact values.
 */
export function ShareTrendChart(props: {
  title: string;
  labels: string[];
  axisLabels?: string[];
  series: TrendSeries[];
  threshold?: number;
  thresholdLabel?: string;
  id?: string;
}) {
  const { width, height, left, right, top, bottom, plotWidth, plotHeight } = plotArea({ width: 640, height: 240, left: 44, right: 16, top: 16, bottom: 40 });
  const count = props.labels.length;
  // Points keep clear of the plot's edges so the first and last labels are not cut off.
  const inset = 48;
  const x = (index: number) => left + inset + (count <= 1 ? (plotWidth - 2 * inset) / 2 : (index * (plotWidth - 2 * inset)) / (count - 1));
  const y = (value: number) => top + plotHeight - value * plotHeight;
  const titleId = `${props.id ?? 'trend'}-title`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId} class="share-trend" width="100%">
        <title id={titleId}>{props.title}</title>
        {[0, 0.25, 0.5, 0.75, 1].map((tick) => (
          <GridLine y={y(tick)} left={left} right={width - right} label={percent(tick)} stroke="#d9dde3" fill="#5b6470" fontSize="11" labelGap={6} />
        ))}
        {props.threshold !== undefined && (
          <g>
            <line x1={left} x2={width - right} y1={y(props.threshold)} y2={y(props.threshold)} stroke="#b42318" stroke-width="1.5" stroke-dasharray="6 4" />
            <text x={width - right} y={y(props.threshold) - 5} text-anchor="end" font-size="11" fill="#b42318">
              {props.thresholdLabel ?? `threshold ${percent(props.threshold)}`}
            </text>
          </g>
        )}
        {(props.axisLabels ?? props.labels).map((label, index) => (
          <text x={x(index)} y={height - bottom + 18} text-anchor="middle" font-size="11" fill="#5b6470">
            {label.length > 18 ? `${label.slice(0, 17)}…` : label}
          </text>
        ))}
        {props.series.map((series) => {
          const points = series.values
            .map((value, index) => (value === null ? null : `${x(index).toFixed(1)},${y(value).toFixed(1)}`))
            .filter((point): point is string => point !== null);
          return (
            <g class={series.className}>
              {points.length > 1 && <polyline points={points.join(' ')} fill="none" stroke={series.colour} stroke-width="2.5" />}
              {series.values.map((value, index) =>
                value === null ? null : (
                  <circle cx={x(index)} cy={y(value)} r="4" fill={series.colour}>
                    <title>{`${series.label}, ${props.labels[index]}: ${percent(value)}`}</title>
                  </circle>
                ),
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="chart-legend">
        {props.series.map((series) => (
          <span class="legend-item">
            <svg width="14" height="14" aria-hidden="true">
              <rect width="14" height="14" rx="3" fill={series.colour} />
            </svg>{' '}
            {series.label}
          </span>
        ))}
      </figcaption>
      <details>
        <summary>Figures</summary>
        <div class="table-wrap">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Point</th>
                {props.series.map((series) => (
                  <th scope="col">{series.label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.labels.map((label, index) => (
                <tr>
                  <th scope="row">{label}</th>
                  {props.series.map((series) => (
                    <td data-label={series.label}>{series.values[index] === null ? '—' : percent(series.values[index] as number)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
