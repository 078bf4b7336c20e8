import type { AdvantageVersion } from '../../src/surveys/advantages';
import { ErrorSummary, Field, PageHeader, PostForm, TextArea } from '../components';
import type { FieldErrors, FormValues } from '../components';
import { Layout, type LayoutProps } from '../layout';

export function AdvantagesPage(props: {
  layout: LayoutProps;
  version: AdvantageVersion | null;
  versions: { number: number; note: string; createdAt: Date }[];
  values: FormValues;
  errors?: FieldErrors;
  rows: number;
  shownVersion?: AdvantageVersion | null;
}) {
  const current = props.version;
  const form = { values: props.values, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <PageHeader title="Official advantages" />
      <p class="muted">
        The company's top competitive advantages, each with a short statement and the phrases people use for it. Every save makes a new version; a survey round
        remembers the version it was judged against.
      </p>
      {props.shownVersion && props.shownVersion.id !== current?.id && (
        <section class="card">
          <h2>Version {props.shownVersion.number}</h2>
          <AdvantageList version={props.shownVersion} />
        </section>
      )}
      <ErrorSummary errors={props.errors} />
      <PostForm action="/advantages" csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        <h2>{current ? `Version ${current.number} — edit to make version ${current.number + 1}` : 'Set the first version'}</h2>
        {Array.from({ length: props.rows }, (_, index) => (
          <fieldset class="advantage-fields">
            <legend>{index < (current?.advantages.length ?? 0) ? `Advantage ${index + 1}` : 'Add an advantage'}</legend>
            <input type="hidden" name={`key_${index}`} value={String(props.values[`key_${index}`] ?? '')} />
            <Field name={`name_${index}`} label="Name" {...form} />
            <Field name={`statement_${index}`} label="Statement" {...form} />
            <TextArea name={`synonyms_${index}`} label="Phrases people use (one per line)" rows={5} {...form} />
            {index < (current?.advantages.length ?? 0) && (
              <label class="checkbox">
                <input type="checkbox" name={`remove_${index}`} value="on" /> Remove this advantage
              </label>
            )}
          </fieldset>
        ))}
        <Field name="note" label="What changed (optional)" {...form} />
        <button type="submit">Save as a new version</button>
      </PostForm>
      {props.versions.length > 0 && (
        <section class="card">
          <h2>Versions</h2>
          <ul>
            {props.versions.map((version) => (
              <li>
                <a href={`/advantages?version=${version.number}`}>Version {version.number}</a>{' '}
                <span class="muted">{version.createdAt.toISOString().slice(0, 10)}</span> {version.note}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}

function AdvantageList(props: { version: AdvantageVersion }) {
  return (
    <dl class="details">
      {props.version.advantages.map((advantage) => (
        <>
          <dt>{advantage.name}</dt>
          <dd>
            {advantage.statement && <p>{advantage.statement}</p>}
            <p class="muted">{advantage.synonyms.join(' · ') || 'no synonyms'}</p>
          </dd>
        </>
      ))}
    </dl>
  );
}
