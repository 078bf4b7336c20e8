import { departmentOptions, roleOptions, departmentLabel, roleLabel } from '../labels';
import { departments, roles } from '../../db/schema';
import type { PeopleListRow, TeamRow } from '../../src/people/people';
import type { ImportColumn, ImportReport } from '../../src/people/import';
import { CsrfField, ErrorSummary, Field, ZoneField, formatDateTime, PageHeader, PostButton, Pager, queryString, Select, type FieldErrors, type FormValues, type Option } from '../components';
import { Layout, type LayoutProps } from '../layout';

/** pageSize only when the address chose one; page links keep it. */
export type PeopleFilters = { q?: string; department?: string; team?: number; status: string; pageSize?: number };

const peopleHref = (f: PeopleFilters, page: number) =>
  '/people' +
  queryString({ q: f.q, department: f.department, team: f.team, status: f.status === 'active' ? undefined : f.status, pageSize: f.pageSize, page: page > 1 ? page : undefined });

/** The table of people; the page renders it and htmx's live search swaps it. */
export function PeopleResults(props: { rows: PeopleListRow[]; total: number; page: number; pageSize: number; filters: PeopleFilters; selectable?: boolean; csrfToken?: string | null }) {
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
                      <input type="checkbox" name="ids" value={String(p.id)} id={`select-${p.id}`} form="people-bulk" aria-label={`Select ${p.name}`} disabled={!p.active} />
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
      {props.rows.length === 0 ? (
        <p class="card">No one matches these filters.</p>
      ) : props.selectable ? (
        <>
          <form method="post" action="/people/welcome" id="people-bulk" class="actions bulk-actions">
            <CsrfField token={props.csrfToken ?? null} />
            <button type="submit" class="secondary small">
              Send the welcome mail to the selected
            </button>
            <span class="muted">Each gets a new single-use link to choose a password, valid 7 days; earlier links stop working.</span>
          </form>
          {table}
        </>
      ) : (
        table
      )}
      <Pager page={props.page} pageSize={props.pageSize} total={props.total} href={(page) => peopleHref(props.filters, page)} target="#people-results" />
    </div>
  );
}

export function PeopleListPage(props: {
  layout: LayoutProps;
  canEdit: boolean;
  /** HR, while the company has no default time zone: the prompt to choose it. */
  zoneMissing?: boolean;
  teams: { id: number; name: string }[];
  results: Parameters<typeof PeopleResults>[0];
}) {
  const f = props.results.filters;
  const values = { q: f.q, department: f.department, team: f.team, status: f.status };
  return (
    <Layout {...props.layout}>
      <PageHeader title="People">
        {props.canEdit && (
          <>
            <a class="button" href="/people/new">
              Add person
            </a>
            <a class="button secondary" href="/people/import">
              Import CSV
            </a>
            <a class="button secondary" href="/settings">
              Company settings
            </a>
          </>
        )}
      </PageHeader>
      {props.zoneMissing && <ZonePrompt />}
      <form method="get" action="/people" class="filters card" role="search" hx-get="/people" hx-target="#people-results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="input changed delay:250ms from:#f-q, change, submit">
        <Field name="q" label="Search" type="search" values={values} placeholder="Name, email or title" />
        <Select name="department" label="Department" blank="All departments" options={departmentOptions} values={values} />
        <Select name="team" label="Team" blank="All teams" options={props.teams.map((t) => ({ value: t.id, label: t.name }))} values={values} />
        <Select name="status" label="Status" options={[{ value: 'active', label: 'Active' }, { value: 'inactive', label: 'Inactive' }, { value: 'all', label: 'All' }]} values={values} />
        <button type="submit">Filter</button>
      </form>
      <PeopleResults {...props.results} />
    </Layout>
  );
}

export function PersonPage(props: {
  layout: LayoutProps;
  person: { id: number; name: string; email: string; department: string; title: string; hireDate: string; timeZone: string; role: string; active: boolean };
  teamName: string | null;
  managerName: string | null;
  managerId: number | null;
  directReports: { id: number; name: string; title: string }[];
  canEdit: boolean;
  isSelf: boolean;
  /** For HR: whether the person can sign in, and their latest password link. */
  signIn?: { hasPassword: boolean; latestLink: { purpose: 'welcome' | 'reset'; createdAt: Date; expiresAt: Date; usedAt: Date | null } | null; now: Date; timeZone: string };
  /** Deactivating asks who takes over: reports or managed teams. */
  hasDependents?: boolean;
}) {
  const p = props.person;
  return (
    <Layout {...props.layout}>
      <PageHeader title={p.name}>
        {props.canEdit && (
          <>
            <a class="button" href={`/people/${p.id}/edit`}>
              Edit
            </a>
            {!props.isSelf && p.active && props.hasDependents ? (
              <a class="button danger" href={`/people/${p.id}/deactivate`}>
                Deactivate…
              </a>
            ) : !props.isSelf && (
              <PostButton
                action={`/people/${p.id}/${p.active ? 'deactivate' : 'reactivate'}`}
                csrfToken={props.layout.csrfToken}
                label={p.active ? 'Deactivate' : 'Reactivate'}
                class={p.active ? 'danger' : 'secondary'}
                confirm={p.active ? `Deactivate ${p.name}? Their sessions end at once.` : undefined}
              />
            )}
          </>
        )}
      </PageHeader>
      <div class="grid">
        <section class="card">
          <dl class="details">
            <dt>Email</dt>
            <dd>{p.email}</dd>
            <dt>Department</dt>
            <dd>
              <span class={`tag ${p.department}`}>{departmentLabel(p.department)}</span>
            </dd>
            <dt>Title</dt>
            <dd>{p.title || '—'}</dd>
            <dt>Team</dt>
            <dd>{props.teamName ?? '—'}</dd>
            <dt>Manager</dt>
            <dd>{props.managerId ? <a href={`/people/${props.managerId}`}>{props.managerName}</a> : '—'}</dd>
            <dt>Hire date</dt>
            <dd>{p.hireDate}</dd>
            <dt>Time zone</dt>
            <dd>{p.timeZone}</dd>
            <dt>Role</dt>
            <dd>{roleLabel(p.role)}</dd>
            <dt>Status</dt>
            <dd>{p.active ? <span class="tag active">active</span> : <span class="tag inactive">inactive</span>}</dd>
          </dl>
        </section>
        {props.directReports.length > 0 && (
          <section class="card">
            <h2>Direct reports</h2>
            <ul>
              {props.directReports.map((r) => (
                <li>
                  <a href={`/people/${r.id}`}>{r.name}</a> <span class="muted">{r.title}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        {props.canEdit && props.signIn && p.active && <SignInCard personId={p.id} person={p} signIn={props.signIn} csrfToken={props.layout.csrfToken} />}
        {props.canEdit && !props.isSelf && (
          <section class="card">
            <h2>Temporary password</h2>
            <p class="muted">The person must choose their own at their next sign-in; their sessions end now.</p>
            <form method="post" action={`/people/${p.id}/password`} class="stack">
              <CsrfField token={props.layout.csrfToken} />
              <Field name="password" label="Temporary password" type="password" autocomplete="new-password" required hint="At least 12 characters." value="" />
              <button type="submit" class="secondary">
                Set password
              </button>
            </form>
          </section>
        )}
      </div>
    </Layout>
  );
}

const personLabels: Record<string, string> = {
  email: 'Email', name: 'Name', department: 'Department', title: 'Title', teamId: 'Team', managerId: 'Manager', hireDate: 'Hire date', timeZone: 'Time zone', role: 'Role', password: 'Password',
};

export function PersonFormPage(props: {
  layout: LayoutProps;
  mode: 'new' | 'edit';
  personId?: number;
  values: FormValues;
  errors?: FieldErrors;
  teams: Option[];
  managers: Option[];
  /** A team move asks for the new manager: the question, with the proposal preselected. */
  managerQuestion?: string;
  /** The company's default time zone (used when the field is left empty); null while HR has not set one. */
  defaultZone?: string | null;
}) {
  const action = props.mode === 'new' ? '/people' : `/people/${props.personId}`;
  return (
    <Layout {...props.layout}>
      <h1>{props.mode === 'new' ? 'Add a person' : `Edit ${String(props.values.name ?? '')}`}</h1>
      <ErrorSummary errors={props.errors} labels={personLabels} />
      {props.managerQuestion && (
        <p class="notice" role="status">
          {props.managerQuestion} Check the manager below and save again.
        </p>
      )}
      <form method="post" action={action} class="stack card" novalidate>
        <CsrfField token={props.layout.csrfToken} />
        {props.managerQuestion && <input type="hidden" name="confirmManager" value="1" />}
        <Field name="name" label="Name" required values={props.values} errors={props.errors} autocomplete="off" />
        <Field name="email" label="Email" type="email" required values={props.values} errors={props.errors} autocomplete="off" />
        <Select name="department" label="Department" required options={departmentOptions} values={props.values} errors={props.errors} blank="Choose…" />
        <Field name="title" label="Title" values={props.values} errors={props.errors} />
        <Select name="teamId" label="Team" options={props.teams} values={props.values} errors={props.errors} blank="No team" />
        <Select name="managerId" label="Manager" options={props.managers} values={props.values} errors={props.errors} blank="No manager" />
        <Field name="hireDate" label="Hire date" type="date" required values={props.values} errors={props.errors} />
        <ZoneField
          name="timeZone"
          label="Time zone"
          values={props.values}
          errors={props.errors}
          hint={props.defaultZone ? `Type a city and pick the zone from the list. Left empty: the company's default, ${props.defaultZone}.` : 'Type a city and pick the zone from the list. Required until HR sets a company default time zone.'}
        />
        <Select name="role" label="Role" required options={roleOptions} values={props.values} errors={props.errors} />
        {props.mode === 'new' && (
          <>
            <WelcomeCheckbox checked={props.values.sendWelcome !== undefined ? !!props.values.sendWelcome && props.values.sendWelcome !== 'false' : true} />
            <Field name="password" label="Temporary password" type="password" values={props.values} errors={props.errors} autocomplete="new-password" hint="Optional, instead of or besides the welcome email. At least 12 characters; the person changes it at first sign-in." />
          </>
        )}
        <div class="actions">
          <button type="submit">{props.mode === 'new' ? 'Add person' : 'Save changes'}</button>
          <a class="button secondary" href={props.personId ? `/people/${props.personId}` : '/people'}>
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function ImportPage(props: { layout: LayoutProps; report?: ImportReport; error?: string; columns: readonly ImportColumn[]; defaultZone?: string | null; sendWelcome?: boolean }) {
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
          <h2>Nothing was imported: the file has {r.errors.length} problem{r.errors.length === 1 ? '' : 's'}.</h2>
          <div class="table-wrap">
            <table id="import-errors">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Column</th>
                  <th scope="col">Problem</th>
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
      <form method="post" action="/people/import" enctype="multipart/form-data" class="stack card">
        <CsrfField token={props.layout.csrfToken} />
        <div class="field">
          <label for="f-file">CSV file</label>
          <input id="f-file" type="file" name="file" accept=".csv,.txt,text/csv" required aria-describedby="f-file-hint" />
          <p class="hint" id="f-file-hint">
            A header row with the columns below, in any order, then one person per row. Fields may be separated by commas, semicolons (as Excel saves "CSV"
            in many European locales) or tabs. People are matched by email: new ones are created, known ones updated. If any row is wrong, nothing is written.
            {props.defaultZone ? ` An empty time_zone means the company's default, ${props.defaultZone} (known people keep theirs).` : ''}
          </p>
        </div>
        <WelcomeCheckbox checked={props.sendWelcome ?? true} hint="Only people the file creates; each gets a single-use link to choose a password, valid 7 days." />
        <button type="submit">Import</button>
      </form>
      <section class="card" aria-labelledby="import-columns">
        <div class="page-header">
          <h2 id="import-columns">Columns</h2>
          <a class="button secondary" href="/people/import/template.csv" download>
            Download the template (CSV)
          </a>
        </div>
        <div class="table-wrap">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Required</th>
                <th scope="col">What it holds</th>
                <th scope="col">Example</th>
              </tr>
            </thead>
            <tbody>
              {props.columns.map((c) => (
                <tr>
                  <td data-label="Column">
                    <code>{c.name}</code>
                  </td>
                  <td data-label="Required">{c.required ? 'required' : 'optional'}</td>
                  <td data-label="What it holds">{c.format}</td>
                  <td data-label="Example">{c.example}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
}

export function TeamsPage(props: { layout: LayoutProps; teams: TeamRow[]; managers: Option[]; values?: FormValues; errors?: FieldErrors }) {
  return (
    <Layout {...props.layout}>
      <h1>Teams</h1>
      <div class="table-wrap">
        <table class="responsive">
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Department</th>
              <th scope="col">Manager</th>
              <th scope="col">Active members</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {props.teams.map((t) => (
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
            ))}
          </tbody>
        </table>
      </div>
      <h2>Add a team</h2>
      <TeamForm action="/teams" layout={props.layout} managers={props.managers} values={props.values ?? {}} errors={props.errors} submit="Add team" />
    </Layout>
  );
}

export function TeamForm(props: { action: string; layout: LayoutProps; managers: Option[]; values: FormValues; errors?: FieldErrors; submit: string }) {
  return (
    <form method="post" action={props.action} class="stack card" novalidate>
      <ErrorSummary errors={props.errors} />
      <CsrfField token={props.layout.csrfToken} />
      <Field name="name" label="Team name" required values={props.values} errors={props.errors} />
      <Select name="department" label="Department" required blank="Choose…" options={departmentOptions} values={props.values} errors={props.errors} />
      <Select name="managerId" label="Manager" blank="No manager" options={props.managers} values={props.values} errors={props.errors} />
      <button type="submit">{props.submit}</button>
    </form>
  );
}

export function TeamEditPage(props: { layout: LayoutProps; teamId: number; managers: Option[]; values: FormValues; errors?: FieldErrors }) {
  return (
    <Layout {...props.layout}>
      <h1>Edit team</h1>
      <TeamForm action={`/teams/${props.teamId}`} layout={props.layout} managers={props.managers} values={props.values} errors={props.errors} submit="Save team" />
    </Layout>
  );
}

/** Shown to HR until the company has a default time zone. */
export function ZonePrompt() {
  return (
    <p class="notice">
      Choose the company's default time zone: people added or imported without a time zone get it. <a href="/settings">Set it in company settings</a>.
    </p>
  );
}

function WelcomeCheckbox(props: { checked: boolean; hint?: string }) {
  return (
    <div class="field checkbox">
      <input type="hidden" name="sendWelcome" value="false" />
      <label>
        <input type="checkbox" name="sendWelcome" value="true" checked={props.checked} /> Send a welcome mail with a link to choose a password
      </label>
      <p class="hint">{props.hint ?? 'A single-use link, valid 7 days. Untick it to add the person without mail.'}</p>
    </div>
  );
}

const describeLink = (link: NonNullable<NonNullable<Parameters<typeof PersonPage>[0]['signIn']>['latestLink']>, now: Date, zone: string) => {
  const what = link.purpose === 'welcome' ? 'Welcome email' : 'Password reset link';
  if (link.usedAt) return `${what} sent ${formatDateTime(link.createdAt, zone)}; no longer open (used or replaced ${formatDateTime(link.usedAt, zone)}).`;
  if (link.expiresAt.getTime() <= now.getTime()) return `${what} sent ${formatDateTime(link.createdAt, zone)}; expired ${formatDateTime(link.expiresAt, zone)}.`;
  return `${what} sent ${formatDateTime(link.createdAt, zone)}; open until ${formatDateTime(link.expiresAt, zone)}.`;
};

function SignInCard(props: { personId: number; person: { name: string }; signIn: NonNullable<Parameters<typeof PersonPage>[0]['signIn']>; csrfToken: string | null }) {
  const s = props.signIn;
  return (
    <section class="card" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign-in</h2>
      <p>{s.hasPassword ? `${props.person.name} has a password.` : `${props.person.name} has no password yet and cannot sign in until they choose one.`}</p>
      <p class="muted">{s.latestLink ? describeLink(s.latestLink, s.now, s.timeZone) : 'No welcome email sent yet.'}</p>
      <PostButton action={`/people/${props.personId}/welcome`} csrfToken={props.csrfToken} label={s.latestLink ? 'Send the welcome email again' : 'Send a welcome email'} class="secondary" />
    </section>
  );
}

/** Deactivating a manager: who takes over their reports and teams (required), in one transaction. */
export function DeactivatePage(props: {
  layout: LayoutProps;
  person: { id: number; name: string };
  reports: { id: number; name: string; active: boolean }[];
  managedTeams: { id: number; name: string }[];
  successors: Option[];
  values: FormValues;
  errors?: FieldErrors;
}) {
  return (
    <Layout {...props.layout}>
      <h1>Deactivate {props.person.name}</h1>
      <ErrorSummary errors={props.errors} labels={{ successorId: 'Who takes over' }} />
      <section class="card">
        <p>Their sessions end at once. Before that, choose who takes over:</p>
        {props.reports.length > 0 && (
          <>
            <h2>Reports ({props.reports.length})</h2>
            <ul>
              {props.reports.map((r) => (
                <li>
                  {r.name}
                  {!r.active && <span class="muted"> (inactive)</span>}
                </li>
              ))}
            </ul>
          </>
        )}
        {props.managedTeams.length > 0 && (
          <>
            <h2>Teams they manage</h2>
            <ul>
              {props.managedTeams.map((t) => (
                <li>{t.name}</li>
              ))}
            </ul>
          </>
        )}
        <form method="post" action={`/people/${props.person.id}/deactivate`} class="stack">
          <CsrfField token={props.layout.csrfToken} />
          <Select name="successorId" label="Who takes over" options={props.successors} values={props.values} errors={props.errors} blank="Choose…" required hint="Proposed: their own manager. Everything moves in one step." />
          <div class="actions">
            <button type="submit" class="danger">
              Hand over and deactivate
            </button>
            <a class="button secondary" href={`/people/${props.person.id}`}>
              Cancel
            </a>
          </div>
        </form>
      </section>
    </Layout>
  );
}

/** Company settings HR keeps; the default time zone is asked until it is set. */
export function CompanySettingsPage(props: { layout: LayoutProps; values: FormValues; errors?: FieldErrors; isSet: boolean }) {
  return (
    <Layout {...props.layout}>
      <h1>Company settings</h1>
      {!props.isSet && (
        <p class="notice" role="status">
          The company has no default time zone yet. Choose it now: people added or imported without a time zone get it.
        </p>
      )}
      <ErrorSummary errors={props.errors} labels={{ defaultTimeZone: 'Default time zone' }} />
      <form method="post" action="/settings" class="stack card">
        <CsrfField token={props.layout.csrfToken} />
        <ZoneField name="defaultTimeZone" label="Default time zone" required values={props.values} errors={props.errors} hint="Type a city and pick the zone from the list. Changing it affects only people added later." />
        <button type="submit">Save settings</button>
      </form>
    </Layout>
  );
}
