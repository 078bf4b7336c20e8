import { SUGGESTIONS_PAGE_SIZE, type FieldInsights, type SuggestionGroup } from '../../src/feedback/insights';
import { ButtonLink, Card, Field, FilterForm, formatDateTime, PageHeader, Pager, PostForm, queryString, Table, TeamFilter } from '../components';
import type { FieldErrors, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { RatingChart, periodLabel } from './chart';
import { backlogTag } from '../liaisons/components';

export type InsightsFilters = { team?: number; from: string; to: string; page: number };

/** The insights page of these filters, at page `page` of the open suggestions. */
const insightsHref = (f: InsightsFilters, page: number) =>
  `/insights${queryString({ team: f.team, from: f.from, to: f.to, page: page > 1 ? page : undefined })}`;

type InsightsResultsProps = {
  insights: FieldInsights;
  suggestions: SuggestionGroup[];
  filters: InsightsFilters;
  timeZone: string;
  csrfToken: string | null;
  /** What the last action on a suggestion did (htmx swaps the results; without JS it is the flash). */
  notice?: string;
};

/** The actions of one group of open suggestions: they move its backlog items as the backlog page does. */
function SuggestionGroupActions(props: { group: SuggestionGroup; filters: InsightsFilters; csrfToken: string | null }) {
  const g = props.group;
  const movable = g.items.filter((item) => g.movableIds.includes(item.id));
  if (movable.length === 0) return null;
  const f = props.filters;
  const action = `/insights/suggestions/move${queryString({ team: f.team, from: f.from, to: f.to, page: f.page > 1 ? f.page : undefined })}`;
  const htmx = { 'hx-post': action, 'hx-target': '#insights-results', 'hx-swap': 'outerHTML' };
  const ids = movable.map((item) => item.id).join(',');
  const reasonId = `reject-reason-${g.feedbackId}`;
  return (
    <div class="actions suggestion-actions">
      <PostForm action={action} csrfToken={props.csrfToken} class="inline" {...htmx}>
        <input type="hidden" name="ids" value={ids} />
        {movable.some((item) => item.status === 'open') && (
          <button type="submit" name="move" value="accept" class="small">
            Accept
          </button>
        )}{' '}
        {movable.some((item) => item.status === 'accepted') && (
          <button type="submit" name="move" value="done" class="small secondary">
            Mark done
          </button>
        )}
      </PostForm>
      <PostForm action={action} csrfToken={props.csrfToken} class="inline reject-form" {...htmx}>
        <input type="hidden" name="ids" value={ids} />
        <input type="hidden" name="move" value="reject" />
        <label for={reasonId} class="sr-only">
          Reason for rejecting
        </label>
        <input id={reasonId} name="reason" placeholder="Reason" required maxlength={500} />{' '}
        <button type="submit" class="small danger">
          Reject
        </button>
      </PostForm>
    </div>
  );
}

function statusSummary(group: SuggestionGroup) {
  const open = group.items.filter((item) => item.status === 'open').length;
  const accepted = group.items.length - open;
  return [
    open ? { status: 'open', label: group.items.length > 1 ? `${open} open` : 'open' } : null,
    accepted ? { status: 'accepted', label: group.items.length > 1 ? `${accepted} accepted` : 'accepted' } : null,
  ].filter((s): s is { status: string; label: string } => s !== null);
}

/** The numbers under the filters; the page renders it and htmx swaps it when the filters change. */
/** Names with a bar each, scaled to the largest count, and the count beside it. */
function CountBars(props: { nameHead: string; countHead: string; rows: { name: string; count: number }[] }) {
  const max = Math.max(1, ...props.rows.map((r) => r.count));
  return (
    <table class="insights-table">
      <thead>
        <tr>
          <th scope="col">{props.nameHead}</th>
          <th scope="col">{props.countHead}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            <td>{r.name}</td>
            <td>
              <progress max={max} value={r.count} aria-label={`${r.name}: ${r.count}`}></progress> <span class="count">{r.count}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function InsightsResults(props: InsightsResultsProps) {
  const i = props.insights;
  return (
    <div id="insights-results" aria-live="polite">
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <p class="insights-summary">
        <strong>{i.reports}</strong> reports on <strong>{i.rideAlongs}</strong> ride-alongs · won <strong>{i.outcomes.won}</strong> · lost{' '}
        <strong>{i.outcomes.lost}</strong> · open <strong>{i.outcomes.open}</strong>
      </p>
      <div class="grid">
        <Card name="competitors" title="Most-met competitors">
          {i.competitors.length === 0 ? (
            <p class="muted">No competitors reported in this period.</p>
          ) : (
            <CountBars nameHead="Competitor" countHead="Ride-alongs" rows={i.competitors.map((c) => ({ name: c.name, count: c.rideAlongs }))} />
          )}
        </Card>
        <Card name="loss" title="Top loss reasons">
          {i.lossReasons.length === 0 ? (
            <p class="muted">No lost deals reported in this period.</p>
          ) : (
            <CountBars nameHead="Reason" countHead="Reports" rows={i.lossReasons.map((r) => ({ name: r.label, count: r.count }))} />
          )}
        </Card>
      </div>
      <Card name="materials" title="Sales material ratings">
        {i.materials.length === 0 ? (
          <p class="muted">No material rated in this period.</p>
        ) : (
          <>
            <RatingChart bucket={i.ratingsOverTime.bucket} periods={i.ratingsOverTime.periods} lines={i.ratingsOverTime.lines} />
            <Table
              columns={[
                'Material',
                'Ratings',
                'Average (1–5)',
                i.ratingsOverTime.lines.length > 0 && `By ${i.ratingsOverTime.bucket === 'week' ? 'week (from Monday)' : 'month'}`,
              ]}
              class="insights-table materials-table"
              rows={i.materials}
              row={(m) => {
                const line = i.ratingsOverTime.lines.find((l) => l.name === m.name);
                return (
                  <tr>
                    <td data-label="Material">{m.name}</td>
                    <td data-label="Ratings">{m.reports}</td>
                    <td data-label="Average (1–5)">{m.averageRating.toFixed(1)}</td>
                    {i.ratingsOverTime.lines.length > 0 && (
                      <td class="muted" data-label={`By ${i.ratingsOverTime.bucket}`}>
                        {line ? line.points.map((p) => `${periodLabel(p.period)}: ${p.averageRating.toFixed(1)}`).join(' · ') : '—'}
                      </td>
                    )}
                  </tr>
                );
              }}
            />
          </>
        )}
      </Card>
      <Card name="suggestions" title={<>Open suggestions ({i.suggestionCount})</>}>
        <p class="muted">
          Each lives in the backlog of the liaison of the host's sales team, who accepts it, marks it done or rejects it — here or on the backlog page.
        </p>
        {props.suggestions.length === 0 ? (
          <p class="muted">No open suggestions in this period.</p>
        ) : (
          <ul class="suggestions">
            {props.suggestions.map((s) => (
              <li id={`suggestion-${s.feedbackId}`}>
                <p class="suggestion-text">
                  {s.suggestion} {s.count > 1 && <span class="tag warn">{s.count} reports</span>}{' '}
                  {statusSummary(s).map((tag) => (
                    <span class={`tag ${backlogTag(tag.status)}`}>{tag.label}</span>
                  ))}
                </p>
                <p class="muted">
                  {s.count > 1 ? 'Latest: ' : ''}
                  {s.eventTitle}
                  {s.account ? ` · ${s.account}` : ''} · {formatDateTime(s.occurredAt, props.timeZone)} · from the {s.authorRole}
                  {s.teamName ? ` · ${s.teamName}` : ''} ·{' '}
                  {s.backlogHref ? (
                    <a href={s.backlogHref}>{s.ownerName ? `${s.ownerName}'s backlog` : 'waiting for a liaison'}</a>
                  ) : s.ownerName ? (
                    `${s.ownerName}'s backlog`
                  ) : (
                    'waiting for a liaison'
                  )}
                </p>
                <SuggestionGroupActions group={s} filters={props.filters} csrfToken={props.csrfToken} />
              </li>
            ))}
          </ul>
        )}
        {i.suggestionCount > SUGGESTIONS_PAGE_SIZE && (
          <Pager
            page={i.suggestionsPage}
            pageSize={SUGGESTIONS_PAGE_SIZE}
            total={i.suggestionCount}
            href={(page) => insightsHref(props.filters, page)}
            target="#insights-results"
          />
        )}
      </Card>
    </div>
  );
}

export function InsightsPage(props: {
  layout: LayoutProps;
  /** Teams to choose from, or null when there are too many to list (a name is typed instead). */
  teams: Option[] | null;
  teamName?: string;
  errors?: FieldErrors;
  results: InsightsResultsProps;
  canKeepNames?: boolean;
}) {
  const filters = props.results.filters;
  const values = { team: filters.team, from: filters.from, to: filters.to };
  return (
    <Layout {...props.layout}>
      <PageHeader title="Field insights">{props.canKeepNames && <ButtonLink href="/insights/names">Competitor and material names</ButtonLink>}</PageHeader>
      <p class="muted">
        What marketers and reps report after ride-alongs. The period is the date of the call; a team matches the host's sales team or the author's team.
      </p>
      <FilterForm action="/insights" results="insights-results" trigger="change, submit" submit="Show">
        <TeamFilter teams={props.teams} team={filters.team} teamName={props.teamName} blank="All teams" errors={props.errors} />
        <Field name="from" label="From" type="date" values={values} errors={props.errors} />
        <Field name="to" label="To" type="date" values={values} errors={props.errors} />
      </FilterForm>
      <InsightsResults {...props.results} />
    </Layout>
  );
}
