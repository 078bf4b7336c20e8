import { FIELD_NAME_LABELS, type KeptNameRow } from '../../src/feedback/names';
import type { FieldNameKind } from '../../db/schema';
import { ButtonLink, Card, ErrorSummary, PageHeader, PostButton, PostForm, Select, Table } from '../components';
import type { FieldErrors, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';

type KeptNamesPageProps = {
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
        <ButtonLink href="/insights">Field insights</ButtonLink>
      </PageHeader>
      <nav class="tabs" aria-label="Lists">
        <a href="/insights/names?kind=competitor" aria-current={props.kind === 'competitor' ? 'page' : undefined}>
          Competitors
        </a>{' '}
        <a href="/insights/names?kind=material" aria-current={props.kind === 'material' ? 'page' : undefined}>
          Sales material
        </a>
      </nav>
      <p class="muted">
        Reports keep what their authors wrote. A name merged into another becomes its alias: every chart, insight and export counts them together from now on,
        and the feedback form offers the kept name.
      </p>
      <ErrorSummary errors={props.errors} labels={{ canonicalId: 'Name to keep', mergedIds: 'Names to merge' }} />
      <Card name="likely" title="Probably the same">
        {props.merges.length === 0 ? (
          <p class="muted">No likely duplicates among the {label.one} names.</p>
        ) : (
          <ul class="merge-suggestions">
            {props.merges.map((m) => (
              <li>
                <PostButton
                  action="/insights/names/merge"
                  csrfToken={props.layout.csrfToken}
                  hidden={{ kind: props.kind, canonicalId: String(m.keep.id), mergedIds: String(m.merge.id) }}
                  before={
                    <>
                      “{m.merge.name}” ({m.merge.reports}) and “{m.keep.name}” ({m.keep.reports}){' '}
                    </>
                  }
                  label={`Merge “${m.merge.name}” into “${m.keep.name}”`}
                  class="small"
                />
              </li>
            ))}
          </ul>
        )}
      </Card>
      <section class="card" aria-labelledby="names-heading">
        <h2 id="names-heading">
          {label.many} ({props.total})
        </h2>
        {props.names.length === 0 ? (
          <p class="muted">No {label.one} named in any report yet.</p>
        ) : (
          <PostForm action="/insights/names/merge" csrfToken={props.layout.csrfToken} class="stack">
            <input type="hidden" name="kind" value={props.kind} />
            <Table
              columns={['Merge', 'Name', 'Reports', 'Aliases']}
              rows={props.names}
              row={(n) => (
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
              )}
            />
            <Select
              name="canonicalId"
              label="Merge the ticked names into"
              options={options}
              values={{}}
              errors={props.errors}
              blank="Choose the name to keep…"
              hint="The name kept is what charts show; the others become its aliases."
            />
            <button type="submit">Merge</button>
          </PostForm>
        )}
      </section>
    </Layout>
  );
}
