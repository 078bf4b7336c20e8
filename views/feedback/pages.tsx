import { feedbackOutcomes, lossReasons } from '../../db/schema';
import type { FeedbackWithDetails, PendingFeedback } from '../../src/feedback/feedback';
import { LOSS_REASON_LABELS } from '../../src/feedback/feedback';
import type { FieldInsights, SuggestionGroup } from '../../src/feedback/insights';
import { FIELD_NAME_LABELS, type KeptNameRow } from '../../src/feedback/names';
import type { FieldNameKind } from '../../db/schema';
import { CsrfField, ErrorSummary, Field, PageHeader, Pager, Select, TextArea, formatDateTime, queryString, type FieldErrors, type FormValues, type Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { RatingChart, periodLabel } from './chart';
import { withDepartment } from '../labels';

const OUTCOME_LABELS: Record<(typeof feedbackOutcomes)[number], string> = { won: 'Won', lost: 'Lost', open: 'Still open' };
const outcomeTag = (outcome: string) => (outcome === 'won' ? 'ok' : outcome === 'lost' ? 'bad' : 'warn');
/** The tag colour of a backlog status (the same as on the backlog page). */
export const backlogTag = (status: string) => (status === 'rejected' ? 'bad' : status === 'done' ? 'done' : status === 'accepted' ? 'accepted' : 'warn');
export const MATERIAL_ROWS = 3;

function PendingList(props: { pending: PendingFeedback[]; timeZone: string; ownList: boolean }) {
  if (props.pending.length === 0) return <p class="muted">Nothing waiting: no ride-along of the last 30 days lacks {props.ownList ? 'your' : 'their'} feedback.</p>;
  return (
    <ul class="pending-feedback">
      {props.pending.map((p) => (
        <li>
          {props.ownList ? (
            <a href={`/feedback/new${queryString({ occurrence: p.occurrenceId })}`}>
              Give feedback on {p.title}
            </a>
          ) : (
            <span>{p.title}</span>
          )}{' '}
          <span class="muted">
            {p.account ? `${p.account} · ` : ''}
            {formatDateTime(p.start, props.timeZone)} · as {p.role}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function FeedbackTable(props: { rows: FeedbackWithDetails[]; timeZone: string; showAuthor: boolean }) {
  if (props.rows.length === 0) return <p class="muted">No feedback yet.</p>;
  return (
    <div class="table-wrap">
      <table class="responsive">
        <thead>
          <tr>
            <th scope="col">Ride-along</th>
            {props.showAuthor && <th scope="col">By</th>}
            <th scope="col">Outcome</th>
            <th scope="col">Competitors</th>
            <th scope="col">Material</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((f) => (
            <tr>
              <td data-label="Ride-along">
                <a href={`/feedback/${f.id}`}>{f.eventTitle}</a>
                <div class="muted">{formatDateTime(f.occurredAt, props.timeZone)}</div>
              </td>
              {props.showAuthor && (
                <td data-label="By">
                  {f.authorName} <span class="muted">({f.authorRole})</span>
                </td>
              )}
              <td data-label="Outcome">
                <span class={`tag ${outcomeTag(f.outcome)}`}>{OUTCOME_LABELS[f.outcome]}</span>
                {f.lossReason && <div class="muted">{LOSS_REASON_LABELS[f.lossReason]}</div>}
              </td>
              <td data-label="Competitors">{f.competitors.join(', ') || '—'}</td>
              <td data-label="Material">{f.materials.map((m) => `${m.name} (${m.rating}/5)`).join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The person's pending feedback forms and the reports they gave (or, for a manager, one report's). */
export function FeedbackHomePage(props: {
  layout: LayoutProps;
  subject: { id: number; name: string; isSelf: boolean };
  pending: PendingFeedback[];
  given: { rows: FeedbackWithDetails[]; total: number; page: number; pageSize: number };
  timeZone: string;
  canSeeInsights: boolean;
}) {
  const title = props.subject.isSelf ? 'Field feedback' : `Field feedback of ${props.subject.name}`;
  return (
    <Layout {...props.layout}>
      <PageHeader title={title}>
        {props.canSeeInsights && (
          <a class="button secondary" href="/insights">
            Field insights
          </a>
        )}
      </PageHeader>
      <section class="card" aria-labelledby="pending-heading">
        <h2 id="pending-heading">Waiting for {props.subject.isSelf ? 'your' : 'their'} feedback</h2>
        <PendingList pending={props.pending} timeZone={props.timeZone} ownList={props.subject.isSelf} />
      </section>
      <section aria-labelledby="given-heading">
        <h2 id="given-heading">Feedback given</h2>
        <FeedbackTable rows={props.given.rows} timeZone={props.timeZone} showAuthor={false} />
        <Pager
          page={props.given.page}
          pageSize={props.given.pageSize}
          total={props.given.total}
          href={(page) => `/feedback${queryString({ person: props.subject.isSelf ? undefined : props.subject.id, page: page > 1 ? page : undefined })}`}
        />
      </section>
    </Layout>
  );
}

export type FeedbackFormRide = { occurrenceId: string; title: string; account: string | null; start: Date; hostName: string; role: 'guest' | 'host' };

/** The short form after a ride-along; sending it again replaces the earlier answers. */
export function FeedbackFormPage(props: { layout: LayoutProps; ride: FeedbackFormRide; values: FormValues; errors?: FieldErrors; editing: boolean; timeZone: string; offered: { competitor: string[]; material: string[] } }) {
  const outcomeOptions: Option[] = feedbackOutcomes.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }));
  const reasonOptions: Option[] = lossReasons.map((r) => ({ value: r, label: LOSS_REASON_LABELS[r] }));
  const ratingOptions: Option[] = [5, 4, 3, 2, 1].map((r) => ({ value: r, label: `${r} – ${['', 'useless', 'weak', 'fair', 'good', 'excellent'][r]}` }));
  const labels: Record<string, string> = { competitors: 'Competitors met', outcome: 'Outcome', lossReason: 'Why it was lost', lossDetail: 'Loss detail', suggestion: 'What marketing should change' };
  for (let i = 1; i <= MATERIAL_ROWS; i++) Object.assign(labels, { [`material${i}`]: `Material ${i}`, [`rating${i}`]: `Rating of material ${i}` });
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.editing ? 'Change your feedback' : 'Ride-along feedback'} />
      <p class="card">
        <strong>{props.ride.title}</strong>
        {props.ride.account && <> · {props.ride.account}</>} · {formatDateTime(props.ride.start, props.timeZone)} · hosted by {props.ride.hostName} · you were the {props.ride.role}
      </p>
      <ErrorSummary errors={props.errors} labels={labels} />
      <form method="post" action="/feedback" class="stack card">
        <CsrfField token={props.layout.csrfToken} />
        <input type="hidden" name="occurrenceId" value={props.ride.occurrenceId} />
        <NameField kind="competitor" name="competitors" label="Competitors met" values={props.values} errors={props.errors} hint="Separate names with commas, e.g. Globex, Initech. Pick a known name where one fits; a new one is fine. Leave empty if none came up." />
        <Select name="outcome" label="Outcome" options={outcomeOptions} values={props.values} errors={props.errors} blank="Choose…" required />
        <Select name="lossReason" label="Why it was lost" options={reasonOptions} values={props.values} errors={props.errors} blank="—" hint="Only when the outcome is lost." />
        <Field name="lossDetail" label="Loss detail" values={props.values} errors={props.errors} hint="Optional: a sentence on what tipped it." />
        <fieldset class="materials">
          <legend>Sales material used</legend>
          <p class="hint">Deck, battlecard, case study… and how well it worked on this call.</p>
          {Array.from({ length: MATERIAL_ROWS }, (_, index) => index + 1).map((i) => (
            <div class="material-row">
              <NameField kind="material" name={`material${i}`} label={`Material ${i}`} values={props.values} errors={props.errors} />
              <Select name={`rating${i}`} label={`Rating of material ${i}`} options={ratingOptions} values={props.values} errors={props.errors} blank="—" />
            </div>
          ))}
        </fieldset>
        <datalist id="competitor-names">
          {props.offered.competitor.map((n) => (
            <option value={n} />
          ))}
        </datalist>
        <datalist id="material-names">
          {props.offered.material.map((n) => (
            <option value={n} />
          ))}
        </datalist>
        <TextArea name="suggestion" label="What marketing should change" values={props.values} errors={props.errors} rows={4} hint="Optional, but this is what marketing acts on." />
        <div class="actions">
          <button type="submit">{props.editing ? 'Save my feedback' : 'Send feedback'}</button>
          <a class="button secondary" href="/feedback">
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function FeedbackDetailPage(props: { layout: LayoutProps; item: FeedbackWithDetails; timeZone: string; canEdit: boolean; occurrenceId: string }) {
  const f = props.item;
  return (
    <Layout {...props.layout}>
      <PageHeader title={`Feedback on ${f.eventTitle}`}>
        {props.canEdit && (
          <a class="button secondary" href={`/feedback/new${queryString({ occurrence: props.occurrenceId })}`}>
            Change
          </a>
        )}
      </PageHeader>
      <section class="card">
        <dl class="details">
          <dt>Ride-along</dt>
          <dd>
            {f.eventTitle}
            {f.account ? ` · ${f.account}` : ''} · {formatDateTime(f.occurredAt, props.timeZone)}
          </dd>
          <dt>By</dt>
          <dd>
            {f.authorName} ({f.authorRole})
          </dd>
          <dt>Outcome</dt>
          <dd>
            <span class={`tag ${outcomeTag(f.outcome)}`}>{OUTCOME_LABELS[f.outcome]}</span>
            {f.lossReason && ` · ${LOSS_REASON_LABELS[f.lossReason]}`}
            {f.lossDetail && ` · ${f.lossDetail}`}
          </dd>
          <dt>Competitors met</dt>
          <dd>{f.competitors.join(', ') || 'none'}</dd>
          <dt>Material</dt>
          <dd>{f.materials.map((m) => `${m.name} (${m.rating}/5)`).join(', ') || 'none'}</dd>
          <dt>Suggestion</dt>
          <dd>
            {f.suggestion || 'none'}
            {f.backlogItem && (
              <>
                {' '}
                <span class={`tag ${backlogTag(f.backlogItem.status)}`}>{f.backlogItem.status}</span> <span class="muted">in the liaison backlog</span>
              </>
            )}
          </dd>
          <dt>Sent</dt>
          <dd>{formatDateTime(f.updatedAt ?? f.submittedAt, props.timeZone)}</dd>
        </dl>
      </section>
    </Layout>
  );
}

export type InsightsFilters = { team?: number; from: string; to: string };

export type InsightsResultsProps = {
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
  const action = `/insights/suggestions/move${queryString({ team: props.filters.team, from: props.filters.from, to: props.filters.to })}`;
  const htmx = { 'hx-post': action, 'hx-target': '#insights-results', 'hx-swap': 'outerHTML' };
  const ids = movable.map((item) => item.id).join(',');
  const reasonId = `reject-reason-${g.feedbackId}`;
  return (
    <div class="actions suggestion-actions">
      <form method="post" action={action} class="inline" {...htmx}>
        <CsrfField token={props.csrfToken} />
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
      </form>
      <form method="post" action={action} class="inline reject-form" {...htmx}>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="ids" value={ids} />
        <input type="hidden" name="move" value="reject" />
        <label for={reasonId} class="sr-only">
          Reason for rejecting
        </label>
        <input id={reasonId} name="reason" placeholder="Reason" required maxlength={500} />{' '}
        <button type="submit" class="small danger">
          Reject
        </button>
      </form>
    </div>
  );
}

function statusSummary(group: SuggestionGroup) {
  const open = group.items.filter((item) => item.status === 'open').length;
  const accepted = group.items.length - open;
  return [open ? { status: 'open', label: group.items.length > 1 ? `${open} open` : 'open' } : null, accepted ? { status: 'accepted', label: group.items.length > 1 ? `${accepted} accepted` : 'accepted' } : null].filter(
    (s): s is { status: string; label: string } => s !== null,
  );
}

/** The numbers under the filters; the page renders it and htmx swaps it when the filters change. */
export function InsightsResults(props: InsightsResultsProps) {
  const i = props.insights;
  const maxCompetitor = Math.max(1, ...i.competitors.map((c) => c.rideAlongs));
  const maxReason = Math.max(1, ...i.lossReasons.map((r) => r.count));
  return (
    <div id="insights-results" aria-live="polite">
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <p class="insights-summary">
        <strong>{i.reports}</strong> reports on <strong>{i.rideAlongs}</strong> ride-alongs · won <strong>{i.outcomes.won}</strong> · lost <strong>{i.outcomes.lost}</strong> · open{' '}
        <strong>{i.outcomes.open}</strong>
      </p>
      <div class="grid">
        <section class="card" aria-labelledby="competitors-heading">
          <h2 id="competitors-heading">Most-met competitors</h2>
          {i.competitors.length === 0 ? (
            <p class="muted">No competitors reported in this period.</p>
          ) : (
            <table class="insights-table">
              <thead>
                <tr>
                  <th scope="col">Competitor</th>
                  <th scope="col">Ride-alongs</th>
                </tr>
              </thead>
              <tbody>
                {i.competitors.map((c) => (
                  <tr>
                    <td>{c.name}</td>
                    <td>
                      <progress max={maxCompetitor} value={c.rideAlongs} aria-label={`${c.name}: ${c.rideAlongs}`}></progress> <span class="count">{c.rideAlongs}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section class="card" aria-labelledby="loss-heading">
          <h2 id="loss-heading">Top loss reasons</h2>
          {i.lossReasons.length === 0 ? (
            <p class="muted">No lost deals reported in this period.</p>
          ) : (
            <table class="insights-table">
              <thead>
                <tr>
                  <th scope="col">Reason</th>
                  <th scope="col">Reports</th>
                </tr>
              </thead>
              <tbody>
                {i.lossReasons.map((r) => (
                  <tr>
                    <td>{r.label}</td>
                    <td>
                      <progress max={maxReason} value={r.count} aria-label={`${r.label}: ${r.count}`}></progress> <span class="count">{r.count}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <section class="card" aria-labelledby="materials-heading">
        <h2 id="materials-heading">Sales material ratings</h2>
        {i.materials.length === 0 ? (
          <p class="muted">No material rated in this period.</p>
        ) : (
          <>
            <RatingChart bucket={i.ratingsOverTime.bucket} periods={i.ratingsOverTime.periods} lines={i.ratingsOverTime.lines} />
            <div class="table-wrap">
            <table class="insights-table materials-table responsive">
              <thead>
                <tr>
                  <th scope="col">Material</th>
                  <th scope="col">Ratings</th>
                  <th scope="col">Average (1–5)</th>
                  {i.ratingsOverTime.lines.length > 0 && <th scope="col">By {i.ratingsOverTime.bucket === 'week' ? 'week (from Monday)' : 'month'}</th>}
                </tr>
              </thead>
              <tbody>
                {i.materials.map((m) => {
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
                })}
              </tbody>
            </table>
            </div>
          </>
        )}
      </section>
      <section class="card" aria-labelledby="suggestions-heading">
        <h2 id="suggestions-heading">Open suggestions ({props.suggestions.length})</h2>
        <p class="muted">Each lives in the backlog of the liaison of the host's sales team, who accepts it, marks it done or rejects it — here or on the backlog page.</p>
        {props.suggestions.length === 0 ? (
          <p class="muted">No open suggestions in this period.</p>
        ) : (
          <ul class="suggestions">
            {props.suggestions.map((s) => (
              <li id={`suggestion-${s.feedbackId}`}>
                <p class="suggestion-text">
                  {s.suggestion}{' '}
                  {s.count > 1 && <span class="tag warn">{s.count} reports</span>}{' '}
                  {statusSummary(s).map((tag) => (
                    <span class={`tag ${backlogTag(tag.status)}`}>{tag.label}</span>
                  ))}
                </p>
                <p class="muted">
                  {s.count > 1 ? 'Latest: ' : ''}
                  {s.eventTitle}
                  {s.account ? ` · ${s.account}` : ''} · {formatDateTime(s.occurredAt, props.timeZone)} · from the {s.authorRole}
                  {s.teamName ? ` · ${s.teamName}` : ''} ·{' '}
                  {s.backlogHref ? <a href={s.backlogHref}>{s.ownerName ? `${s.ownerName}'s backlog` : 'waiting for a liaison'}</a> : s.ownerName ? `${s.ownerName}'s backlog` : 'waiting for a liaison'}
                </p>
                <SuggestionGroupActions group={s} filters={props.filters} csrfToken={props.csrfToken} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export function InsightsPage(props: { layout: LayoutProps; teams: { id: number; name: string; department: string }[]; errors?: FieldErrors; results: InsightsResultsProps; canKeepNames?: boolean }) {
  const filters = props.results.filters;
  const values = { team: filters.team, from: filters.from, to: filters.to };
  return (
    <Layout {...props.layout}>
      <PageHeader title="Field insights">
        {props.canKeepNames && (
          <a class="button secondary" href="/insights/names">
            Competitor and material names
          </a>
        )}
      </PageHeader>
      <p class="muted">What marketers and reps report after ride-alongs. The period is the date of the call; a team matches the host's sales team or the author's team.</p>
      <form method="get" action="/insights" class="filters card" hx-get="/insights" hx-target="#insights-results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="change, submit">
        <Select name="team" label="Team" options={props.teams.map((t) => ({ value: t.id, label: withDepartment(t) }))} values={values} errors={props.errors} blank="All teams" />
        <Field name="from" label="From" type="date" values={values} errors={props.errors} />
        <Field name="to" label="To" type="date" values={values} errors={props.errors} />
        <button type="submit">Show</button>
      </form>
      <InsightsResults {...props.results} />
    </Layout>
  );
}

/**
 * A competitor or material field: the browser offers the kept names from a <datalist> (no
 * JavaScript needed); with htmx, close matches of what is typed (typos, aliases) appear below it and
 * one click puts the kept name in.
 */
export function NameField(props: { kind: FieldNameKind; name: string; label: string; values: FormValues; errors?: FieldErrors; hint?: string }) {
  const suggest = `/feedback/names/suggest${queryString({ kind: props.kind, field: props.name })}`;
  return (
    <div id={`name-field-${props.name}`} class="name-field">
      <Field
        name={props.name}
        label={props.label}
        values={props.values}
        errors={props.errors}
        hint={props.hint}
        list={`${props.kind}-names`}
        attrs={{ autocomplete: 'off', 'hx-get': suggest, 'hx-trigger': 'input changed delay:300ms', 'hx-target': `#suggest-${props.name}`, 'hx-swap': 'innerHTML', 'hx-sync': 'this:replace' }}
      />
      <div id={`suggest-${props.name}`} class="name-suggestions" aria-live="polite"></div>
    </div>
  );
}

/** Close kept names of what was typed in one field; each button puts its name in the field. */
export function NameSuggestions(props: { kind: FieldNameKind; field: string; value: string; matches: { name: string; via: string }[] }) {
  if (props.matches.length === 0) return <></>;
  return (
    <p class="muted small">
      Known {props.kind === 'competitor' ? 'competitors' : 'material'}:{' '}
      {props.matches.map((m) => (
        <>
          <button
            type="button"
            class="small secondary"
            hx-get={`/feedback/names/complete${queryString({ kind: props.kind, field: props.field, pick: m.name })}`}
            hx-include={`#f-${props.field}`}
            hx-target={`#name-field-${props.field}`}
            hx-swap="outerHTML"
          >
            {m.name}
          </button>
          {m.via !== m.name && <span class="muted"> (also written “{m.via}”)</span>}{' '}
        </>
      ))}
    </p>
  );
}

export type KeptNamesPageProps = {
  layout: LayoutProps;
  kind: FieldNameKind;
  names: KeptNameRow[];
  total: number;
  merges: { keep: { id: number; name: string; reports: number }; merge: { id: number; name: string; reports: number }; score: number }[];
  errors?: FieldErrors;
};

/** Marketing managers and HR keep the names: merge aliases into a canonical name, or separate them again. */
export function KeptNamesPage(props: KeptNamesPageProps) {
  const label = FIELD_NAME_LABELS[props.kind];
  const options: Option[] = props.names.map((n) => ({ value: n.id, label: `${n.name} (${n.reports})` }));
  return (
    <Layout {...props.layout}>
      <PageHeader title={`${label.many}: one name for one thing`}>
        <a class="button secondary" href="/insights">
          Field insights
        </a>
      </PageHeader>
      <nav class="tabs" aria-label="Lists">
        <a href="/insights/names?kind=competitor" aria-current={props.kind === 'competitor' ? 'page' : undefined}>
          Competitors
        </a>{' '}
        <a href="/insights/names?kind=material" aria-current={props.kind === 'material' ? 'page' : undefined}>
          Sales material
        </a>
      </nav>
      <p class="muted">Reports keep what their authors wrote. A name merged into another becomes its alias: every chart, insight and export counts them together from now on, and the feedback form offers the kept name.</p>
      <ErrorSummary errors={props.errors} labels={{ canonicalId: 'Name to keep', mergedIds: 'Names to merge' }} />
      <section class="card" aria-labelledby="likely-heading">
        <h2 id="likely-heading">Probably the same</h2>
        {props.merges.length === 0 ? (
          <p class="muted">No likely duplicates among the {label.one} names.</p>
        ) : (
          <ul class="merge-suggestions">
            {props.merges.map((m) => (
              <li>
                <form method="post" action="/insights/names/merge" class="inline">
                  <CsrfField token={props.layout.csrfToken} />
                  <input type="hidden" name="kind" value={props.kind} />
                  <input type="hidden" name="canonicalId" value={String(m.keep.id)} />
                  <input type="hidden" name="mergedIds" value={String(m.merge.id)} />
                  “{m.merge.name}” ({m.merge.reports}) and “{m.keep.name}” ({m.keep.reports}){' '}
                  <button type="submit" class="small">
                    Merge “{m.merge.name}” into “{m.keep.name}”
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card" aria-labelledby="names-heading">
        <h2 id="names-heading">
          {label.many} ({props.total})
        </h2>
        {props.names.length === 0 ? (
          <p class="muted">No {label.one} named in any report yet.</p>
        ) : (
          <form method="post" action="/insights/names/merge" class="stack">
            <CsrfField token={props.layout.csrfToken} />
            <input type="hidden" name="kind" value={props.kind} />
            <div class="table-wrap">
              <table class="responsive">
                <thead>
                  <tr>
                    <th scope="col">Merge</th>
                    <th scope="col">Name</th>
                    <th scope="col">Reports</th>
                    <th scope="col">Aliases</th>
                  </tr>
                </thead>
                <tbody>
                  {props.names.map((n) => (
                    <tr>
                      <td data-label="Merge">
                        <input type="checkbox" name="mergedIds" value={String(n.id)} id={`merge-${n.id}`} aria-label={`Merge ${n.name}`} />
                      </td>
                      <td data-label="Name">
                        <label for={`merge-${n.id}`}>{n.name}</label>
                      </td>
                      <td data-label="Reports">{n.reports}</td>
                      <td data-label="Aliases">
                        {n.aliases.length === 0
                          ? '—'
                          : n.aliases.map((a) => (
                              <span class="alias">
                                {a.name} ({a.reports}){' '}
                                <button type="submit" class="small secondary" formaction={`/insights/names/${a.id}/separate`} name="aliasOf" value={String(n.id)}>
                                  Separate
                                </button>{' '}
                              </span>
                            ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Select name="canonicalId" label="Merge the ticked names into" options={options} values={{}} errors={props.errors} blank="Choose the name to keep…" hint="The name kept is what charts show; the others become its aliases." />
            <button type="submit">Merge</button>
          </form>
        )}
      </section>
    </Layout>
  );
}
