import { AUDIT_HEAD, AUDIT_PART, AUDIT_SCAN_ROWS, type AuditCursor, type getAuditEntry, type listAudit } from '../../src/audit/audit';
import { Card, Detail, Field, FilterForm, formatDateTime, queryString, Select, Table } from '../components';
import { Layout, type LayoutProps } from '../layout';

type AuditListPage = ReturnType<typeof listAudit>;
type AuditRow = AuditListPage['rows'][number];
type AuditEntry = NonNullable<ReturnType<typeof getAuditEntry>>;
type AuditFilters = { entityType?: string; entityId?: string; actor?: number; action?: string; from?: string; to?: string };

/** A whole value as the log stored it (JSON text), laid out for reading; text that is not JSON as it is. */
function pretty(text: string) {
  try {
    return JSON.stringify(JSON.parse(text), null, 1);
  } catch {
    return text;
  }
}

const placeOf = (cursor: AuditCursor | undefined) => (cursor ? `${cursor.at}-${cursor.id}` : undefined);
const when = (at: number) => formatDateTime(new Date(at));
const characters = (n: number) => `${n.toLocaleString('en-US')} characters`;

/** A value on the list: whole when short, else its first characters and a link to the entry, which shows it all. */
function ValueHead(props: { id: number; head: string | null; chars: number | null }) {
  if (props.head == null) return <>—</>;
  const whole = (props.chars ?? 0) <= AUDIT_HEAD;
  return (
    <>
      <pre class="json" tabindex={0}>
        {whole ? pretty(props.head) : `${props.head}…`}
      </pre>
      {!whole && <a href={`/audit/${props.id}`}>All {characters(props.chars ?? 0)}</a>}
    </>
  );
}

export function AuditPage(props: { layout: LayoutProps; filters: AuditFilters; entityTypes: string[] } & AuditListPage) {
  const f = props.filters;
  const href = (place: { before?: AuditCursor; after?: AuditCursor }) =>
    `/audit${queryString({ entityType: f.entityType, entityId: f.entityId, actor: f.actor, action: f.action, from: f.from, to: f.to, before: placeOf(place.before), after: placeOf(place.after) })}`;
  return (
    <Layout {...props.layout}>
      <h1>Audit log</h1>
      <FilterForm action="/audit">
        <Select name="entityType" label="What" blank="Everything" options={props.entityTypes.map((t) => ({ value: t, label: t }))} values={f} />
        <Field name="entityId" label="Id" values={f} />
        <Field name="action" label="Action" values={f} placeholder="e.g. person.update" />
        <Field name="actor" label="Changed by (person id)" type="number" values={f} />
        <Field name="from" label="From" type="date" values={f} />
        <Field name="to" label="Until" type="date" values={f} />
      </FilterForm>
      <Table
        columns={['When (UTC)', 'Who', 'Action', 'What', 'Before', 'After']}
        rows={props.rows}
        empty="No entries."
        row={(r: AuditRow) => (
          <tr>
            <td data-label="When">
              <a href={`/audit/${r.id}`}>{when(r.at)}</a>
            </td>
            <td data-label="Who">
              {r.actorName ?? 'system'}
              {r.actorTokenId ? <span class="tag">API token #{r.actorTokenId}</span> : null}
            </td>
            <td data-label="Action">{r.action}</td>
            <td data-label="What">
              {r.entityType} {r.entityId}
            </td>
            <td data-label="Before">
              <ValueHead id={r.id} head={r.beforeHead} chars={r.beforeChars} />
            </td>
            <td data-label="After">
              <ValueHead id={r.id} head={r.afterHead} chars={r.afterChars} />
            </td>
          </tr>
        )}
      />
      {props.searchedTo !== undefined && (
        <p class="muted" role="status">
          Searched {AUDIT_SCAN_ROWS.toLocaleString('en-US')} entries back to {when(props.searchedTo)} for these filters; “Older” searches on.
        </p>
      )}
      <nav class="pager" aria-label="Pages">
        {props.newer ? (
          <a href={href({ after: props.newer })} rel="prev">
            ← Newer
          </a>
        ) : (
          <span class="muted">← Newer</span>
        )}
        {props.newer ? <a href={href({})}>Newest</a> : <span>Newest first</span>}
        {props.older ? (
          <a href={href({ before: props.older })} rel="next">
            Older →
          </a>
        ) : (
          <span class="muted">Older →</span>
        )}
      </nav>
    </Layout>
  );
}

/** One value on the entry's page: whole when it fits a part, else the part asked for and links to the others. */
function ValuePart(props: { entry: AuditEntry; name: 'before' | 'after'; part: number; parts: { before: number; after: number } }) {
  const text = props.name === 'before' ? props.entry.beforePart : props.entry.afterPart;
  const chars = (props.name === 'before' ? props.entry.beforeChars : props.entry.afterChars) ?? 0;
  if (text == null) return <p>—</p>;
  if (chars <= AUDIT_PART) {
    return (
      <pre class="json" tabindex={0}>
        {pretty(text)}
      </pre>
    );
  }
  const last = Math.ceil(chars / AUDIT_PART);
  const first = (props.part - 1) * AUDIT_PART + 1;
  const partHref = (part: number) =>
    `/audit/${props.entry.id}${queryString({ ...Object.fromEntries(Object.entries(props.parts).map(([k, v]) => [`${k}Part`, v > 1 ? v : undefined])), [`${props.name}Part`]: part > 1 ? part : undefined })}`;
  return (
    <>
      <p class="muted">
        Characters {first.toLocaleString('en-US')}–{(first + text.length - 1).toLocaleString('en-US')} of {chars.toLocaleString('en-US')} (part {props.part} of{' '}
        {last}), as stored.
      </p>
      <pre class="json" tabindex={0}>
        {text}
      </pre>
      <nav class="pager" aria-label={`Parts of ${props.name}`}>
        {props.part > 1 ? (
          <a href={partHref(props.part - 1)} rel="prev">
            ← Previous part
          </a>
        ) : (
          <span class="muted">← Previous part</span>
        )}
        {props.part < last ? (
          <a href={partHref(props.part + 1)} rel="next">
            Next part →
          </a>
        ) : (
          <span class="muted">Next part →</span>
        )}
      </nav>
    </>
  );
}

export function AuditEntryPage(props: { layout: LayoutProps; entry: AuditEntry; parts: { before: number; after: number } }) {
  const e = props.entry;
  return (
    <Layout {...props.layout}>
      <h1>Audit entry #{e.id}</h1>
      <dl class="details">
        <Detail term="When (UTC)">{when(e.at)}</Detail>
        <Detail term="Who">
          {e.actorName ?? 'system'}
          {e.actorTokenId ? <span class="tag">API token #{e.actorTokenId}</span> : null}
        </Detail>
        <Detail term="Action">{e.action}</Detail>
        <Detail term="What">
          {e.entityType} {e.entityId}
        </Detail>
      </dl>
      <Card name="before" title="Before">
        <ValuePart entry={e} name="before" part={props.parts.before} parts={props.parts} />
      </Card>
      <Card name="after" title="After">
        <ValuePart entry={e} name="after" part={props.parts.after} parts={props.parts} />
      </Card>
      <p>
        {e.entityId != null && (
          <a href={`/audit${queryString({ entityType: e.entityType, entityId: e.entityId })}`}>
            Every entry about {e.entityType} {e.entityId}
          </a>
        )}{' '}
        · <a href="/audit">The audit log</a>
      </p>
    </Layout>
  );
}
