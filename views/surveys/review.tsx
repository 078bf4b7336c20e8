import type { AdvantageVersion } from '../../src/surveys/advantages';
import type { ReviewItem } from '../../src/surveys/review';
import type { RoundRow } from '../../src/surveys/surveys';
import { ButtonLink, CsrfField, PageHeader } from '../components';
import { Layout, type LayoutProps } from '../layout';

export function ReviewQueue(props: {
  roundId: number;
  csrfToken: string | null;
  items: ReviewItem[];
  total: number;
  answers: number;
  advantages: AdvantageVersion['advantages'];
  message?: string | null;
}) {
  const names = new Map(props.advantages.map((advantage) => [advantage.key, advantage.name]));
  return (
    <div id="review-queue" aria-live="polite">
      {props.message && (
        <p class="flash" role="status">
          {props.message}
        </p>
      )}
      {props.items.length === 0 ? (
        <p class="card">Nothing to review: every answer is matched or assigned.</p>
      ) : (
        <>
          <p class="muted">
            {props.answers} answers in {props.total} groups of identical answers. One click assigns the whole group.
          </p>
          <ul class="review-list">
            {props.items.map((item, index) => (
              <li class="card review-item">
                <form
                  method="post"
                  action={`/surveys/${props.roundId}/review`}
                  hx-post={`/surveys/${props.roundId}/review`}
                  hx-target="#review-queue"
                  hx-swap="outerHTML"
                >
                  <CsrfField token={props.csrfToken} />
                  <input type="hidden" name="normalised" value={item.normalised} />
                  <p class="review-answer">
                    <strong>“{item.text || '(empty)'}”</strong> <span class="muted">× {item.count}</span>{' '}
                    <span class={`tag ${item.status === 'doubtful' ? 'warn' : 'bad'}`}>{item.status}</span>
                    {item.candidateKey && <span class="muted"> looks like {names.get(item.candidateKey) ?? item.candidateKey}?</span>}
                  </p>
                  {item.examples.length > 1 && (
                    <p class="muted">
                      Also written:{' '}
                      {item.examples
                        .slice(1)
                        .map((example) => `“${example}”`)
                        .join(', ')}
                    </p>
                  )}
                  <div class="actions">
                    {props.advantages.map((advantage) => (
                      <button type="submit" name="advantageKey" value={advantage.key} class={item.candidateKey === advantage.key ? 'small' : 'small secondary'}>
                        {advantage.name}
                      </button>
                    ))}
                    <button type="submit" name="advantageKey" value="" class="small secondary">
                      None
                    </button>
                    <label class="checkbox">
                      <input type="checkbox" name="saveAsSynonym" value="on" id={`synonym-${index}`} /> also save as a synonym and re-score
                    </label>
                  </div>
                </form>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function ReviewPage(props: { layout: LayoutProps; round: RoundRow; queue: Parameters<typeof ReviewQueue>[0] }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title={`Review: ${props.round.title}`}>
        <ButtonLink href={`/surveys/${props.round.id}`}>Back to results</ButtonLink>
      </PageHeader>
      <p class="muted">
        Unmatched and doubtful answers. Assign each to the advantage it names, or to none; saving it as a synonym teaches the matcher for this and later rounds.
      </p>
      <ReviewQueue {...props.queue} />
    </Layout>
  );
}
