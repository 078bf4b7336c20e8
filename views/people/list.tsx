import { departmentOptions, departmentLabel, roleLabel } from '../labels';
import type { PeopleListRow } from '../../src/people/people';
import { ButtonLink, Field, FilterForm, optionsOf, PageHeader, Pager, PostButton, queryString, Select, TeamFilter } from '../components';
import type { FieldErrors } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { ZonePrompt } from './components';

/** pageSize only when the address chose one; page links keep it. */
type PeopleFilters = { q?: string; department?: string; team?: number; status: string; pageSize?: number };

const peopleHref = (f: PeopleFilters, page: number) =>
  '/people' +
  queryString({
    q: f.q,
    department: f.department,
    team: f.team,
    status: f.status === 'active' ? undefined : f.status,
    pageSize: f.pageSize,
    page: page > 1 ? page : undefined,
  });

/** The table of people; the page renders it and htmx's live search swaps it. */
export function PeopleResults(props: {
  rows: PeopleListRow[];
  total: number;
  /** More than `total` match (a search counted no further). */
  more?: boolean;
  page: number;
  pageSize: number;
  filters: PeopleFilters;
  selectable?: boolean;
  csrfToken?: string | null;
  /** A team typed by name that no team answers to: nobody is listed, and this says why. */
  error?: string;
}) {
  const table = (
    <div class="table-wrap">
      <table class="responsive">
        <thead>
          <tr>
            {props.selectable && (
              <th scope="col">
                <span class="sr-only">Select</span>
              </th>
            )}
            <th scope="col">Name</th>
            <th scope="col">Department</th>
            <th scope="col">Team</th>
            <th scope="col">Title</th>
            <th scope="col">Manager</th>
            <th scope="col">Role</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((p) => (
            <tr>
              {props.selectable && (
                <td data-label="Select">
                  <input
                    type="checkbox"
                    name="ids"
                    value={String(p.id)}
                    id={`select-${p.id}`}
                    form="people-bulk"
                    aria-label={`Select ${p.name}`}
                    disabled={!p.active}
                  />
                </td>
              )}
              <td data-label="Name">
                <a href={`/people/${p.id}`}>{p.name}</a>
                <div class="muted">{p.email}</div>
                {!p.active && <span class="tag inactive">inactive</span>}
              </td>
              <td data-label="Department">
                <span class={`tag ${p.department}`}>{departmentLabel(p.department)}</span>
              </td>
              <td data-label="Team">{p.teamName ?? '—'}</td>
              <td data-label="Title">{p.title || '—'}</td>
              <td data-label="Manager">{p.managerName ?? '—'}</td>
              <td data-label="Role">{roleLabel(p.role)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <div id="people-results" aria-live="polite">
      {props.error ? (
        <div class="error-summary" role="alert">
          <p>{props.error}</p>
        </div>
      ) : props.rows.length === 0 ? (
        <p class="card">No one matches these filters.</p>
      ) : props.selectable ? (
        <>
          <PostButton
            action="/people/welcome"
            csrfToken={props.csrfToken ?? null}
            id="people-bulk"
            formClass="actions bulk-actions"
            label="Send the welcome mail to the selected"
            class="secondary small"
            after={<span class="muted">Each gets a new single-use link to choose a password, valid 7 days; earlier links stop working.</span>}
          />
          {table}
        </>
      ) : (
        table
      )}
      <Pager
        page={props.page}
        pageSize={props.pageSize}
        total={props.total}
        more={props.more}
        href={(page) => peopleHref(props.filters, page)}
        target="#people-results"
      />
    </div>
  );
}

export function PeopleListPage(props: {
  layout: LayoutProps;
  canEdit: boolean;
  /** HR, while the company has no default time zone: the prompt to choose it. */
  zoneMissing?: boolean;
  /** Teams to choose from, or null when there are too many to list (a name is typed instead). */
  teams: { id: number; name: string }[] | null;
  teamName?: string;
  errors?: FieldErrors;
  results: Parameters<typeof PeopleResults>[0];
}) {
  const f = props.results.filters;
  const values = { q: f.q, department: f.department, team: f.team, status: f.status };
  const teams = props.teams?.map((t) => ({ value: t.id, label: t.name })) ?? null;
  return (
    <Layout {...props.layout}>
      <PageHeader title="People">
        {props.canEdit && (
          <>
            <ButtonLink href="/people/new" kind="primary">
              Add person
            </ButtonLink>
            <ButtonLink href="/people/import">Import CSV</ButtonLink>
            <ButtonLink href="/settings">Company settings</ButtonLink>
          </>
        )}
      </PageHeader>
      {props.zoneMissing && <ZonePrompt />}
      <FilterForm action="/people" results="people-results" trigger="input changed delay:250ms from:#f-q, change, submit" search>
        <Field name="q" label="Search" type="search" values={values} placeholder="Name, email or title" />
        <Select name="department" label="Department" blank="All departments" options={departmentOptions} values={values} />
        <TeamFilter teams={teams} team={f.team} teamName={props.teamName} blank="All teams" errors={props.errors} />
        <Select name="status" label="Status" options={optionsOf({ active: 'Active', inactive: 'Inactive', all: 'All' })} values={values} />
      </FilterForm>
      <PeopleResults {...props.results} />
    </Layout>
  );
}
