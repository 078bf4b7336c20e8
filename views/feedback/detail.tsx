import type { FeedbackWithDetails } from '../../src/feedback/feedback';
import { LOSS_REASON_LABELS } from '../../src/feedback/feedback';
import { ButtonLink, PageHeader, formatDateTime, queryString } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { backlogTag } from '../liaisons/components';
import { OUTCOME_LABELS, outcomeTag } from './components';

export function FeedbackDetailPage(props: { layout: LayoutProps; item: FeedbackWithDetails; timeZone: string; canEdit: boolean; occurrenceId: string }) {
  const f = props.item;
  return (
    <Layout {...props.layout}>
      <PageHeader title={`Feedback on ${f.eventTitle}`}>
        {props.canEdit && <ButtonLink href={`/feedback/new${queryString({ occurrence: props.occurrenceId })}`}>Change</ButtonLink>}
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
