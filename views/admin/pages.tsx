import type { listApiTokens } from '../../src/auth/auth';
import type { OutboxMessage } from '../../src/outbox/outbox';
import { ErrorSummary, Field, FilterForm, formatDateTime, optionsOf, Pager, PostButton, PostForm, queryString, Select, Table } from '../components';
import type { FieldErrors } from '../components';
import { Layout, type LayoutProps } from '../layout';

export function TokensPage(props: {
  layout: LayoutProps;
  tokens: ReturnType<typeof listApiTokens>;
  created?: { name: string; secret: string };
  errors?: FieldErrors;
}) {
  return (
    <Layout {...props.layout}>
      <h1>API tokens</h1>
      <p class="muted">
        Tokens let other systems (such as an HRIS sync) use the <a href="/api/v1/openapi.json">crosstrain API</a> with your HR rights. Send one as{' '}
        <code>Authorization: Bearer …</code>.
      </p>
      {props.created && (
        <div class="notice" role="status">
          <p>
            Token <strong>{props.created.name}</strong> created. Copy it now: it is not shown again.
          </p>
          <p>
            <code id="new-token">{props.created.secret}</code>
          </p>
        </div>
      )}
      <section class="card">
        <h2>New token</h2>
        <ErrorSummary errors={props.errors} />
        <PostForm action="/admin/tokens" csrfToken={props.layout.csrfToken} class="stack">
          <Field name="name" label="Name" required errors={props.errors} hint="What uses it, e.g. Workday sync" />
          <button type="submit">Create token</button>
        </PostForm>
      </section>
      <Table
        columns={['Name', 'Starts with', 'Created', 'Last used', 'Status', '']}
        rows={props.tokens}
        row={({ token, createdBy }) => (
          <tr>
            <td data-label="Name">{token.name}</td>
            <td data-label="Starts with">
              <code>{token.prefix}…</code>
            </td>
            <td data-label="Created">
              {formatDateTime(token.createdAt)} by {createdBy}
            </td>
            <td data-label="Last used">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'never'}</td>
            <td data-label="Status">{token.revokedAt ? <span class="tag bad">revoked</span> : <span class="tag ok">active</span>}</td>
            <td>
              {!token.revokedAt && (
                <PostButton
                  action={`/admin/tokens/${token.id}/revoke`}
                  csrfToken={props.layout.csrfToken}
                  label="Revoke"
                  class="danger small"
                  confirm={`Revoke ${token.name}? Systems using it stop working at once.`}
                />
              )}
            </td>
          </tr>
        )}
      />
    </Layout>
  );
}

export function OutboxPage(props: {
  layout: LayoutProps;
  rows: OutboxMessage[];
  total: number;
  page: number;
  pageSize: number;
  status?: string;
  smtpConfigured: boolean;
}) {
  const href = (page: number) => `/outbox${queryString({ status: props.status, page: page > 1 ? page : undefined })}`;
  return (
    <Layout {...props.layout}>
      <h1>Outbox</h1>
      <p class="muted">
        {props.smtpConfigured
          ? 'Every email crosstrain sends passes through here; failed deliveries are retried with back-off.'
          : 'No SMTP server is configured, so emails stay here instead of being sent. Set SMTP_HOST to deliver them.'}
      </p>
      <FilterForm action="/outbox" class="filters">
        <Select
          name="status"
          label="Status"
          blank="All"
          options={optionsOf({ pending: 'Not sent yet', sent: 'Sent', failed: 'Failed at least once' })}
          values={{ status: props.status }}
        />
      </FilterForm>
      {props.rows.length === 0 ? (
        <p class="card">No messages.</p>
      ) : (
        props.rows.map((m) => (
          <details class="card outbox-message">
            <summary>
              <strong>{m.subject}</strong> → {m.toEmail} · {formatDateTime(m.createdAt)}{' '}
              {m.sentAt ? (
                <span class="tag ok">sent</span>
              ) : m.attempts > 0 ? (
                <span class="tag bad">failed {m.attempts}×</span>
              ) : (
                <span class="tag warn">not sent</span>
              )}
            </summary>
            <pre class="json" tabindex={0}>
              {m.body}
            </pre>
            {m.lastError && <p class="field-error">Last error: {m.lastError}</p>}
          </details>
        ))
      )}
      <Pager page={props.page} pageSize={props.pageSize} total={props.total} href={href} />
    </Layout>
  );
}
