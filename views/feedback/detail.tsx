import type { FeedbackWithDetails } from '../../src/feedback/feedback';
import { LOSS_REASON_LABELS } from '../../src/feedback/feedback';
import { ButtonLink, Detail, formatDateTime, PageHeader, queryString } from '../components';
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
          <Detail term="Ride-along">
            {f.eventTitle}
            {f.account ? ` · ${f.account}` : ''} · {formatDateTime(f.occurredAt, props.timeZone)}
          </Detail>
          <Detail term="By">
            {f.authorName} ({f.authorRole})
          </Detail>
          <Detail term="Outcome">
            <span class={`tag ${outcomeTag(f.outcome)}`}>{OUTCOME_LABELS[f.outcome]}</span>
            {f.lossReason && ` · ${LOSS_REASON_LABELS[f.lossReason]}`}
            {f.lossDetail && ` · ${f.lossDetail}`}
          </Detail>
          <Detail term="Competitors met">{f.competitors.join(', ') || 'none'}</Detail>
          <Detail term="Material">{f.materials.map((m) => `${m.name} (${m.rating}/5)`).join(', ') || 'none'}</Detail>
          <Detail term="Suggestion">
            {f.suggestion || 'none'}
            {f.backlogItem && (
              <>
                {' '}
                <span class={`tag ${backlogTag(f.backlogItem.status)}`}>{f.backlogItem.status}</span> <span class="muted">in the liaison backlog</span>
              </>
            )}
          </Detail>
          <Detail term="Sent">{formatDateTime(f.updatedAt ?? f.submittedAt, props.timeZone)}</Detail>
        </dl>
      </section>
    </Layout>
  );
}
