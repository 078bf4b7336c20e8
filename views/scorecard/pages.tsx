import type { ScorecardRow } from '../../src/scorecard/scorecard';
import { ALIGNMENT_STAGES, STAGE_DESCRIPTIONS, type AlignmentStage, type SignalCheck } from '../../src/scorecard/stage';
import { escapeToBuffer, raw } from 'hono/utils/html';
import { ButtonLink, ErrorSummary, Field, PageHeader, Pager, PostForm } from '../components';
import type { FieldErrors, FormValues } from '../components';
import { Layout, type LayoutProps } from '../layout';

const STAGE_TAG: Record<AlignmentStage, string> = { undisciplined: 'bad', defined: 'warn', aligned: 'accepted', integrated: 'ok' };

/*
 * A page shows 25 pairs of some sixty elements each. Each pair is written as one string, its texts escaped by
 * Hono's own escaping (as html templates and JSX escape them), and handed to the page as one raw value: an html
 * template per row and bar allocated a buffer, an array per value and a String per template, most of a view's
 * garbage (the page's bytes are the same).
 */
const text = (value: string): string => {
  const buffer: [string] = [''];
  escapeToBuffer(value, buffer);
  return buffer[0];
};

const stageTagText = (stage: AlignmentStage) => `<span class="tag stage ${STAGE_TAG[stage]}">${stage}</span>`;
const stageTag = (stage: AlignmentStage) => raw(stageTagText(stage));

function formatValue(check: SignalCheck): string {
  if (check.value === null) return 'none yet';
  if (typeof check.value === 'boolean') return check.value ? 'yes' : 'no';
  if (check.signal === 'alignmentMeetingShare' || check.signal === 'sharedMindsetMatchRate' || check.signal === 'suggestionsClosedShare')
    return `${Math.round(check.value * 100)}%`;
  return Number.isInteger(check.value) ? String(check.value) : check.value.toFixed(1);
}

function formatThreshold(check: SignalCheck): string {
  if (typeof check.threshold === 'boolean') return 'required';
  if (check.signal === 'alignmentMeetingShare' || check.signal === 'sharedMindsetMatchRate' || check.signal === 'suggestionsClosedShare')
    return `≥ ${Math.round(check.threshold * 100)}%`;
  return `≥ ${check.threshold}`;
}

const SIGNAL_LABELS: Record<string, string> = {
  liaisonAppointed: 'Liaison appointed',
  alignmentMeetingShare: 'Alignment meetings held with agenda',
  rideAlongsPerMarketer: 'Ride-alongs per marketer',
  salesRepsAtMarketingMeetings: 'Sales reps at marketing meetings',
  feedbackGiven: 'Feedback given',
  sharedMindsetMatchRate: 'Shared-mindset match rate',
  rotations: 'Rotations completed or running',
  suggestionsClosedShare: 'Suggestions closed',
};

const MET = '<span class="tag ok">met</span>';
const NOT_MET = '<span class="tag bad">not yet</span>';
const CHECK_HEADS =
  '<thead><tr><th scope="col">Signal</th><th scope="col">Stage</th><th scope="col">Now</th><th scope="col">Needs</th><th scope="col">Met</th></tr></thead>';

/** The signals that decided the stage, as the responsive table of components' Table. */
function checksTable(checks: SignalCheck[]): string {
  let rows = '';
  for (const check of checks)
    rows += `<tr><th scope="row" data-label="Signal">${text(SIGNAL_LABELS[check.signal] ?? check.signal)}</th><td data-label="Stage">${check.stage}</td><td data-label="Now">${text(formatValue(check))}${check.evidence ? `<div class="muted">${text(check.evidence)}</div>` : ''}</td><td data-label="Needs">${text(formatThreshold(check))}</td><td data-label="Met">${check.met ? MET : NOT_MET}</td></tr>`;
  return `<div class="table-wrap"><table class="responsive">${CHECK_HEADS}<tbody>${rows}</tbody></table></div>`;
}

const STAGE_FILLS = ['#b42318', '#c26a00', '#1f4e99', '#127a3a'];

/** The stage per quarter as small bars (taller is further along), with the stages in words beside. */
function stageTrend(trend: ScorecardRow['trend'], id: string): string {
  const width = 30 * trend.length;
  const height = 48;
  let bars = '';
  let items = '';
  for (let index = 0; index < trend.length; index++) {
    const point = trend[index];
    const rank = ALIGNMENT_STAGES.indexOf(point.stage);
    const barHeight = 8 + rank * 12;
    bars += `<rect x="${index * 30 + 4}" y="${height - barHeight}" width="22" height="${barHeight}" rx="3" fill="${STAGE_FILLS[rank]}"></rect>`;
    items += `<li>${text(point.quarter)}: ${point.stage}</li>`;
  }
  const title = text(trend.map((point) => `${point.quarter}: ${point.stage}`).join('; '));
  return `<div class="stage-trend"><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${text(id)}-title"><title id="${text(id)}-title">${title}</title>${bars}</svg><ol class="stage-trend-list">${items}</ol></div>`;
}

/** One pair: its stage, the signals that decided it, what would move it on, and its trend. */
function pairSection(row: ScorecardRow) {
  let next = '<p>Every signal is met: keep the rhythm.</p>';
  if (row.decision.nextStage) {
    next = '';
    for (const step of row.decision.toReachNext) next += `<li>${text(step)}</li>`;
    next = `<ul class="to-reach-next">${next}</ul>`;
  }
  const team = row.salesTeamId;
  return raw(
    `<section class="card scorecard-pair" aria-labelledby="pair-${team}"><h2 id="pair-${team}">${text(row.salesTeamName)} × ${text(row.marketingTeamName)} ${stageTagText(row.decision.stage)}</h2><p class="muted">${text(STAGE_DESCRIPTIONS[row.decision.stage])} Liaison: ${text(row.liaisonName ?? 'none')}.</p><div class="grid"><div><h3>Decided by</h3>${checksTable(row.decision.decidedBy)}</div><div><h3>${row.decision.nextStage ? `To reach ${row.decision.nextStage}` : 'Integrated'}</h3>${next}<h3>Trend</h3>${stageTrend(row.trend, `trend-${team}`)}<p><a href="/liaisons/teams/${team}/backlog">Liaison backlog</a></p></div></div></section>`,
  );
}

export function ScorecardPage(props: {
  layout: LayoutProps;
  rows: ScorecardRow[];
  isHr: boolean;
  quarterLabel: string;
  paging?: { page: number; pageSize: number; total: number };
}) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Alignment scorecard">{props.isHr ? <ButtonLink href="/scorecard/settings">Thresholds</ButtonLink> : undefined}</PageHeader>
      <p class="muted">
        Each sales team with its marketing counterpart (the team of its liaison), for {props.quarterLabel} so far. Stages build on each other:{' '}
        {ALIGNMENT_STAGES.map((stage, index) => (
          <>
            {index > 0 && ' → '}
            {stageTag(stage)}
          </>
        ))}
        .
      </p>
      {props.rows.length === 0 && <p class="card">There are no sales teams yet.</p>}
      {props.rows.map(pairSection)}
      {props.paging && props.paging.total > props.paging.pageSize && (
        <Pager page={props.paging.page} pageSize={props.paging.pageSize} total={props.paging.total} href={(page) => `/scorecard?page=${page}`} />
      )}
    </Layout>
  );
}

type ThresholdField = { name: string; label: string; kind: 'percent' | 'count' | 'boolean'; stage: string };

const STAGES = ['defined', 'aligned', 'integrated'];

/** What the stages may ask: each measure once, with the stages that ask it. */
const MEASURES: { key: string; label: string; kind: ThresholdField['kind']; stages: string[] }[] = [
  { key: 'RequiresLiaison', label: 'A liaison must be appointed', kind: 'boolean', stages: ['defined'] },
  { key: 'MeetingShare', label: 'Alignment meetings held with agenda (%)', kind: 'percent', stages: STAGES },
  { key: 'RideAlongsPerMarketer', label: 'Ride-alongs per marketer per quarter', kind: 'count', stages: ['aligned', 'integrated'] },
  { key: 'SalesRepsAtMarketingMeetings', label: 'Sales reps at marketing meetings', kind: 'count', stages: ['aligned', 'integrated'] },
  { key: 'FeedbackGiven', label: 'Feedback reports after ride-alongs', kind: 'count', stages: ['aligned'] },
  { key: 'MatchRate', label: 'Shared-mindset match rate (%)', kind: 'percent', stages: ['aligned'] },
  { key: 'Rotations', label: 'Rotations completed or running', kind: 'count', stages: ['integrated'] },
  { key: 'SuggestionsClosedShare', label: 'Liaison suggestions closed (%)', kind: 'percent', stages: ['integrated'] },
];

/** One field a stage and measure, named like the setting (`alignedMatchRate`), stage by stage. */
export const THRESHOLD_FIELDS: ThresholdField[] = STAGES.flatMap((stage) =>
  MEASURES.filter((measure) => measure.stages.includes(stage)).map((measure) => ({
    name: `${stage}${measure.key}`,
    label: measure.label,
    kind: measure.kind,
    stage,
  })),
);

export function ThresholdsPage(props: { layout: LayoutProps; values: FormValues; errors?: FieldErrors }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Scorecard thresholds">
        <ButtonLink href="/scorecard">Back to the scorecard</ButtonLink>
      </PageHeader>
      <p class="muted">What each stage asks of a sales team and its marketing counterpart in a quarter. A higher stage cannot ask for less than a lower one.</p>
      <ErrorSummary errors={props.errors} labels={Object.fromEntries(THRESHOLD_FIELDS.map((field) => [field.name, `${field.stage}: ${field.label}`]))} />
      <PostForm action="/scorecard/settings" csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        {STAGES.map((stage) => (
          <fieldset>
            <legend>{stage}</legend>
            {THRESHOLD_FIELDS.filter((field) => field.stage === stage).map((field) =>
              field.kind === 'boolean' ? (
                <label class="checkbox">
                  <input type="checkbox" name={field.name} value="on" checked={props.values[field.name] === true || props.values[field.name] === 'on'} />{' '}
                  {field.label}
                </label>
              ) : (
                <Field
                  name={field.name}
                  label={field.label}
                  type="number"
                  min={0}
                  max={field.kind === 'percent' ? 100 : 1000}
                  step={field.kind === 'percent' ? 1 : 0.5}
                  required
                  values={props.values}
                  errors={props.errors}
                />
              ),
            )}
          </fieldset>
        ))}
        <button type="submit">Save thresholds</button>
      </PostForm>
    </Layout>
  );
}
