import { PageHeader, PostForm } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { ConfirmField, Conflicts, ResultMessage, SeriesClaimResult, UndoForm, type ConflictView, type SeriesClaimView, type UndoView } from './components';

/** Without JavaScript: asks whether to join although the place conflicts. */
export function ConfirmConflictsPage(props: {
  layout: LayoutProps;
  heading: string;
  what: string;
  conflicts: ConflictView[];
  action: string;
  fields: Record<string, string>;
  confirmLabel: string;
  cancelHref: string;
}) {
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.heading} />
      <section class="card stack">
        <p>{props.what}</p>
        <Conflicts conflicts={props.conflicts} title="Conflicts:" />
        <PostForm action={props.action} csrfToken={props.layout.csrfToken} class="inline">
          {Object.entries(props.fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <ConfirmField />
          <button type="submit">{props.confirmLabel}</button>
        </PostForm>{' '}
        <a href={props.cancelHref} class="button secondary">
          Cancel
        </a>
      </section>
    </Layout>
  );
}

/** Without JavaScript: what a claim did, with Undo for a short while. */
export function ClaimDonePage(props: { layout: LayoutProps; message: string; conflicts: ConflictView[]; undo: UndoView | null; next: string }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.layout.title} />
      <section class="card stack" id="claim-result">
        <ResultMessage text={props.message} />
        <Conflicts conflicts={props.conflicts} />
        {props.undo && <UndoForm undo={props.undo} csrfToken={props.layout.csrfToken} next={props.next} target="#claim-result" />}
        <p>
          <a href={props.next}>Back</a>
        </p>
      </section>
    </Layout>
  );
}

/** Without JavaScript: what claiming a whole series did. */
export function SeriesClaimPage(props: { layout: LayoutProps; result: SeriesClaimView; next: string }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title={`Claimed: ${props.result.title}`} />
      <section class="card">
        <SeriesClaimResult result={props.result} csrfToken={props.layout.csrfToken} next={props.next} id={`series-claim-${props.result.eventId}`} />
        <p>
          <a href={props.next}>Back</a>
        </p>
      </section>
    </Layout>
  );
}
