import type { FeedbackWithDetails, PendingFeedback } from '../../src/feedback/feedback';
import { LOSS_REASON_LABELS } from '../../src/feedback/feedback';
import { ButtonLink, Card, formatDateTime, PageHeader, Pager, queryString, Table } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { OUTCOME_LABELS, outcomeTag } from './components';

function PendingList(props: { pending: PendingFeedback[]; timeZone: string; ownList: boolean }) {
  if (props.pending.length === 0)
    return <p class="muted">Nothing waiting: no ride-along of the last 30 days lacks {props.ownList ? 'your' : 'their'} feedback.</p>;
  return (
    <ul class="pending-feedback">
      {props.pending.map((p) => (
        <li>
          {props.ownList ? <a href={`/feedback/new${queryString({ occurrence: p.occurrenceId })}`}>Give feedback on {p.title}</a> : <span>{p.title}</span>}{' '}
          <span class="muted">
            {p.account ? `${p.account} · ` : ''}
            {formatDateTime(p.start, props.timeZone)} · as {p.role}
          </span>
        </li>
      ))}
    </ul>
  );
}

function FeedbackTable(props: { rows: FeedbackWithDetails[]; timeZone: string; showAuthor: boolean }) {
  if (props.rows.length === 0) return <p class="muted">No feedback yet.</p>;
  return (
    <Table
      columns={['Ride-along', props.showAuthor && 'By', 'Outcome', 'Competitors', 'Material']}
      rows={props.rows}
      row={(f) => (
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
      )}
    />
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
      <PageHeader title={title}>{props.canSeeInsights && <ButtonLink href="/insights">Field insights</ButtonLink>}</PageHeader>
      <Card name="pending" title={<>Waiting for {props.subject.isSelf ? 'your' : 'their'} feedback</>}>
        <PendingList pending={props.pending} timeZone={props.timeZone} ownList={props.subject.isSelf} />
      </Card>
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
