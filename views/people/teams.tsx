import { departmentOptions, departmentLabel } from '../labels';
import type { TeamRow } from '../../src/people/teams';
import { CsrfField, ErrorSummary, Field, Pager, queryString, Select, Table } from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { FindManagerField } from './components';

export function TeamsPage(props: {
  layout: LayoutProps;
  list: { rows: TeamRow[]; total: number; page: number; pageSize: number };
  q: string;
  managers: Option[];
  /** Too many managers to list: the select holds the one chosen and those the Find field found. */
  findManager?: boolean;
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const href = (page: number) => `/teams${queryString({ q: props.q, page: page > 1 ? page : undefined })}`;
  return (
    <Layout {...props.layout}>
      <h1>Teams</h1>
      <form method="get" action="/teams" class="inline-search" role="search">
        <label for="f-q">Find teams by name</label>
        <input id="f-q" name="q" type="search" value={props.q} autocomplete="off" />
        <button type="submit" class="secondary small">
          Find
        </button>
      </form>
      <Table
        columns={['Team', 'Department', 'Manager', 'Active members', '']}
        rows={props.list.rows}
        empty={props.q ? `No team's name holds “${props.q}”.` : 'No teams yet.'}
        row={(t) => (
          <tr>
            <td data-label="Team">
              <a href={`/people?team=${t.id}`}>{t.name}</a>
            </td>
            <td data-label="Department">
              <span class={`tag ${t.department}`}>{departmentLabel(t.department)}</span>
            </td>
            <td data-label="Manager">{t.managerName ?? '—'}</td>
            <td data-label="Members">{t.members}</td>
            <td>
              <a href={`/teams/${t.id}/edit`}>Edit</a>
            </td>
          </tr>
        )}
      />
      <Pager page={props.list.page} pageSize={props.list.pageSize} total={props.list.total} href={href} />
      <h2>Add a team</h2>
      <TeamForm
        action="/teams"
        layout={props.layout}
        managers={props.managers}
        findManager={props.findManager}
        values={props.values ?? {}}
        errors={props.errors}
        submit="Add team"
      />
    </Layout>
  );
}

function TeamForm(props: {
  action: string;
  layout: LayoutProps;
  managers: Option[];
  findManager?: boolean;
  values: FormValues;
  errors?: FieldErrors;
  submit: string;
}) {
  return (
    <form method="post" action={props.action} class="stack card" novalidate>
      <ErrorSummary errors={props.errors} />
      <CsrfField token={props.layout.csrfToken} />
      <Field name="name" label="Team name" required values={props.values} errors={props.errors} />
      <Select name="department" label="Department" required blank="Choose…" options={departmentOptions} values={props.values} errors={props.errors} />
      <Select name="managerId" label="Manager" blank="No manager" options={props.managers} values={props.values} errors={props.errors} />
      {props.findManager && <FindManagerField name="managerSearch" button="findManager" value={props.values.managerSearch} />}
      <button type="submit">{props.submit}</button>
    </form>
  );
}

export function TeamEditPage(props: {
  layout: LayoutProps;
  teamId: number;
  managers: Option[];
  findManager?: boolean;
  values: FormValues;
  errors?: FieldErrors;
}) {
  return (
    <Layout {...props.layout}>
      <h1>Edit team</h1>
      <TeamForm
        action={`/teams/${props.teamId}`}
        layout={props.layout}
        managers={props.managers}
        findManager={props.findManager}
        values={props.values}
        errors={props.errors}
        submit="Save team"
      />
    </Layout>
  );
}
