import { departmentLabel, roleLabel } from '../labels';
import { ButtonLink, Card, Detail, ErrorSummary, Field, formatDateTime, PageHeader, Pager, PostButton, PostForm, Select } from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { FindManagerField } from './components';

export function PersonPage(props: {
  layout: LayoutProps;
  person: { id: number; name: string; email: string; department: string; title: string; hireDate: string; timeZone: string; role: string; active: boolean };
  teamName: string | null;
  managerName: string | null;
  managerId: number | null;
  /** A page of the direct reports (by name), how many there are, and which page. */
  directReports: { rows: { id: number; name: string; title: string }[]; total: number; page: number; pageSize: number };
  canEdit: boolean;
  isSelf: boolean;
  /** For HR: whether the person can sign in, and their latest password link. */
  signIn?: {
    hasPassword: boolean;
    latestLink: { purpose: 'welcome' | 'reset'; createdAt: Date; expiresAt: Date; usedAt: Date | null } | null;
    now: Date;
    timeZone: string;
  };
  /** Deactivating asks who takes over: reports or managed teams. */
  hasDependents?: boolean;
}) {
  const p = props.person;
  return (
    <Layout {...props.layout}>
      <PageHeader title={p.name}>
        {props.canEdit && (
          <>
            <ButtonLink href={`/people/${p.id}/edit`} kind="primary">
              Edit
            </ButtonLink>
            {!props.isSelf && p.active && props.hasDependents ? (
              <ButtonLink href={`/people/${p.id}/deactivate`} kind="danger">
                Deactivate…
              </ButtonLink>
            ) : (
              !props.isSelf && (
                <PostButton
                  action={`/people/${p.id}/${p.active ? 'deactivate' : 'reactivate'}`}
                  csrfToken={props.layout.csrfToken}
                  label={p.active ? 'Deactivate' : 'Reactivate'}
                  class={p.active ? 'danger' : 'secondary'}
                  confirm={p.active ? `Deactivate ${p.name}? Their sessions end at once.` : undefined}
                />
              )
            )}
          </>
        )}
      </PageHeader>
      <div class="grid">
        <section class="card">
          <dl class="details">
            <Detail term="Email">{p.email}</Detail>
            <Detail term="Department">
              <span class={`tag ${p.department}`}>{departmentLabel(p.department)}</span>
            </Detail>
            <Detail term="Title">{p.title || '—'}</Detail>
            <Detail term="Team">{props.teamName ?? '—'}</Detail>
            <Detail term="Manager">{props.managerId ? <a href={`/people/${props.managerId}`}>{props.managerName}</a> : '—'}</Detail>
            <Detail term="Hire date">{p.hireDate}</Detail>
            <Detail term="Time zone">{p.timeZone}</Detail>
            <Detail term="Role">{roleLabel(p.role)}</Detail>
            <Detail term="Status">{p.active ? <span class="tag active">active</span> : <span class="tag inactive">inactive</span>}</Detail>
          </dl>
        </section>
        {props.directReports.total > 0 && (
          <section class="card" id="reports">
            <h2>Direct reports</h2>
            <ul>
              {props.directReports.rows.map((r) => (
                <li>
                  <a href={`/people/${r.id}`}>{r.name}</a> <span class="muted">{r.title}</span>
                </li>
              ))}
            </ul>
            {props.directReports.total > props.directReports.pageSize && (
              <Pager
                page={props.directReports.page}
                pageSize={props.directReports.pageSize}
                total={props.directReports.total}
                href={(page) => `/people/${p.id}?reports=${page}#reports`}
              />
            )}
          </section>
        )}
        {props.canEdit && props.signIn && p.active && <SignInCard personId={p.id} person={p} signIn={props.signIn} csrfToken={props.layout.csrfToken} />}
        {props.canEdit && !props.isSelf && (
          <section class="card">
            <h2>Temporary password</h2>
            <p class="muted">The person must choose their own at their next sign-in; their sessions end now.</p>
            <PostForm action={`/people/${p.id}/password`} csrfToken={props.layout.csrfToken} class="stack">
              <Field name="password" label="Temporary password" type="password" autocomplete="new-password" required hint="At least 12 characters." value="" />
              <button type="submit" class="secondary">
                Set password
              </button>
            </PostForm>
          </section>
        )}
      </div>
    </Layout>
  );
}

const describeLink = (link: NonNullable<NonNullable<Parameters<typeof PersonPage>[0]['signIn']>['latestLink']>, now: Date, zone: string) => {
  const what = link.purpose === 'welcome' ? 'Welcome email' : 'Password reset link';
  if (link.usedAt) return `${what} sent ${formatDateTime(link.createdAt, zone)}; no longer open (used or replaced ${formatDateTime(link.usedAt, zone)}).`;
  if (link.expiresAt.getTime() <= now.getTime())
    return `${what} sent ${formatDateTime(link.createdAt, zone)}; expired ${formatDateTime(link.expiresAt, zone)}.`;
  return `${what} sent ${formatDateTime(link.createdAt, zone)}; open until ${formatDateTime(link.expiresAt, zone)}.`;
};

function SignInCard(props: {
  personId: number;
  person: { name: string };
  signIn: NonNullable<Parameters<typeof PersonPage>[0]['signIn']>;
  csrfToken: string | null;
}) {
  const s = props.signIn;
  return (
    <Card name="sign-in" title="Sign-in">
      <p>{s.hasPassword ? `${props.person.name} has a password.` : `${props.person.name} has no password yet and cannot sign in until they choose one.`}</p>
      <p class="muted">{s.latestLink ? describeLink(s.latestLink, s.now, s.timeZone) : 'No welcome email sent yet.'}</p>
      <PostButton
        action={`/people/${props.personId}/welcome`}
        csrfToken={props.csrfToken}
        label={s.latestLink ? 'Send the welcome email again' : 'Send a welcome email'}
        class="secondary"
      />
    </Card>
  );
}

const SUCCESSOR_HINT = 'Proposed: their own manager. Everything moves in one step.';

/** Deactivating a manager: who takes over their reports and teams (required), in one transaction. */
export function DeactivatePage(props: {
  layout: LayoutProps;
  person: { id: number; name: string };
  reports: { id: number; name: string; active: boolean }[];
  managedTeams: { id: number; name: string }[];
  successors: Option[];
  /** Too many managers to list: the select holds the one chosen and those the Find field found. */
  findSuccessor?: boolean;
  values: FormValues;
  errors?: FieldErrors;
}) {
  const form = { values: props.values, errors: props.errors };
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
        <PostForm action={`/people/${props.person.id}/deactivate`} csrfToken={props.layout.csrfToken} class="stack">
          <Select name="successorId" label="Who takes over" options={props.successors} {...form} blank="Choose…" required hint={SUCCESSOR_HINT} />
          {props.findSuccessor && (
            <FindManagerField name="successorSearch" button="findSuccessor" value={props.values.successorSearch} label="Find who takes over" />
          )}
          <div class="actions">
            <button type="submit" class="danger">
              Hand over and deactivate
            </button>
            <ButtonLink href={`/people/${props.person.id}`}>Cancel</ButtonLink>
          </div>
        </PostForm>
      </section>
    </Layout>
  );
}
