import type { ImportColumn, ImportReport } from '../../src/people/import';
import { ButtonLink, PostForm, Table } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { WelcomeCheckbox, ZonePrompt } from './components';

const ERROR_COLUMNS = ['Line', 'Column', 'Problem'];

export function ImportPage(props: {
  layout: LayoutProps;
  report?: ImportReport;
  error?: string;
  columns: readonly ImportColumn[];
  defaultZone?: string | null;
  sendWelcome?: boolean;
}) {
  const r = props.report;
  return (
    <Layout {...props.layout}>
      <h1>Import people from CSV</h1>
      {props.defaultZone === null && <ZonePrompt />}
      {r && r.errors.length === 0 && (
        <p class="flash" role="status">
          Imported: {r.created} created, {r.updated} updated, {r.unchanged} unchanged
          {r.separator ? ` (the file was read as separated by ${r.separator})` : ''}.
          {props.sendWelcome && r.created ? ` Welcome mails queued for the ${r.created} new ${r.created === 1 ? 'person' : 'people'}.` : ''}
        </p>
      )}
      {r && r.errors.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <h2>
            Nothing was imported: the file has {r.errors.length} problem{r.errors.length === 1 ? '' : 's'}.
          </h2>
          <div class="table-wrap">
            <table id="import-errors">
              <thead>
                <tr>
                  {ERROR_COLUMNS.map((c) => (
                    <th scope="col">{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {r.errors.slice(0, 500).map((e) => (
                  <tr>
                    <td>{e.line}</td>
                    <td>{e.column || '—'}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.errors.length > 500 && <p>… and {r.errors.length - 500} more.</p>}
        </div>
      )}
      {props.error && (
        <div class="error-summary" role="alert">
          <p>{props.error}</p>
        </div>
      )}
      <PostForm action="/people/import" csrfToken={props.layout.csrfToken} enctype="multipart/form-data" class="stack card">
        <div class="field">
          <label for="f-file">CSV file</label>
          <input id="f-file" type="file" name="file" accept=".csv,.txt,text/csv" required aria-describedby="f-file-hint" />
          <p class="hint" id="f-file-hint">
            A header row with the columns below, in any order, then one person per row. Fields may be separated by commas, semicolons (as Excel saves "CSV" in
            many European locales) or tabs. People are matched by email: new ones are created, known ones updated. If any row is wrong, nothing is written.
            {props.defaultZone ? ` An empty time_zone means the company's default, ${props.defaultZone} (known people keep theirs).` : ''}
          </p>
        </div>
        <WelcomeCheckbox
          checked={props.sendWelcome ?? true}
          hint="Only people the file creates; each gets a single-use link to choose a password, valid 7 days."
        />
        <button type="submit">Import</button>
      </PostForm>
      <section class="card" aria-labelledby="import-columns">
        <div class="page-header">
          <h2 id="import-columns">Columns</h2>
          <ButtonLink href="/people/import/template.csv" download>
            Download the template (CSV)
          </ButtonLink>
        </div>
        <Table
          columns={['Column', 'Required', 'What it holds', 'Example']}
          rows={props.columns}
          row={(c) => (
            <tr>
              <td data-label="Column">
                <code>{c.name}</code>
              </td>
              <td data-label="Required">{c.required ? 'required' : 'optional'}</td>
              <td data-label="What it holds">{c.format}</td>
              <td data-label="Example">{c.example}</td>
            </tr>
          )}
        />
      </section>
    </Layout>
  );
}
