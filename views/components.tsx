import type { Child } from 'hono/jsx';
import { html } from 'hono/html';
import { dateTimeFormat } from '../src/lib/time';
import { TIME_ZONES } from '../src/lib/zones';

export type FieldErrors = Record<string, string | undefined>;
export type FormValues = Record<string, unknown>;

const fieldId = (name: string) => `f-${name}`;
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

type FrameProps = { name: string; label: string; errors?: FieldErrors; hint?: string };

/** The ids a control points at with aria-describedby: its hint and its error. */
function describedBy(props: FrameProps) {
  const id = fieldId(props.name);
  return [props.hint ? `${id}-hint` : '', props.errors?.[props.name] ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** Label, control, hint and error of one form field, wired for screen readers. */
function FieldFrame(props: FrameProps & { children: Child }) {
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input whose error is tied to it with aria-describedby. */
export function Field(
  props: FrameProps & {
    values?: FormValues;
    type?: string;
    required?: boolean;
    autocomplete?: string;
    value?: string;
    min?: string | number;
    max?: string | number;
    step?: string | number;
    placeholder?: string;
    /** The id of a <datalist> the browser suggests from, without JavaScript. */
    list?: string;
    /** Further attributes of the input (htmx). */
    attrs?: Record<string, string>;
  },
) {
  return (
    <FieldFrame {...props}>
      <input
        {...props.attrs}
        list={props.list}
        id={fieldId(props.name)}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? str(props.values?.[props.name])}
        required={props.required}
        aria-invalid={props.errors?.[props.name] ? 'true' : undefined}
        aria-describedby={describedBy(props)}
        autocomplete={props.autocomplete}
        min={props.min}
        max={props.max}
        step={props.step}
        placeholder={props.placeholder}
      />
    </FieldFrame>
  );
}

/**
 * A time zone, picked from the IANA list: the browser filters the <datalist> as the person types
 * ("berl" offers Europe/Berlin), without JavaScript; the server checks the value against the same list.
 */
export function ZoneField(props: FrameProps & { values?: FormValues; required?: boolean; value?: string }) {
  const listId = `${fieldId(props.name)}-zones`;
  return (
    <>
      <Field
        {...props}
        list={listId}
        autocomplete="off"
        placeholder="Type a city, e.g. Berlin"
        hint={props.hint ?? 'Type a city or region and pick the zone from the list.'}
      />
      <datalist id={listId}>
        {TIME_ZONES.map((zone) => (
          <option value={zone}></option>
        ))}
      </datalist>
    </>
  );
}

export function TextArea(props: FrameProps & { values?: FormValues; rows?: number; required?: boolean; maxlength?: number }) {
  return (
    <FieldFrame {...props}>
      <textarea
        id={fieldId(props.name)}
        name={props.name}
        rows={props.rows ?? 4}
        required={props.required}
        maxlength={props.maxlength}
        aria-invalid={props.errors?.[props.name] ? 'true' : undefined}
        aria-describedby={describedBy(props)}
      >
        {str(props.values?.[props.name])}
      </textarea>
    </FieldFrame>
  );
}

export type Option = { value: string | number; label: string };

/** Options from a table of values and their labels, in the table's order. */
export const optionsOf = (labels: Record<string, string>): Option[] => Object.entries(labels).map(([value, label]) => ({ value, label }));

export function Select(props: FrameProps & { options: Option[]; values?: FormValues; required?: boolean; blank?: string; attrs?: Record<string, string> }) {
  const current = str(props.values?.[props.name]);
  return (
    <FieldFrame {...props}>
      <select
        {...props.attrs}
        id={fieldId(props.name)}
        name={props.name}
        required={props.required}
        aria-invalid={props.errors?.[props.name] ? 'true' : undefined}
        aria-describedby={describedBy(props)}
      >
        {props.blank !== undefined && <option value="">{props.blank}</option>}
        {/* Lists of a hundred teams: each option as a template, not an element tree (same markup). */}
        {props.options.map((o) => {
          const value = String(o.value);
          return value === current ? html`<option value="${value}" selected="">${o.label}</option>` : html`<option value="${value}">${o.label}</option>`;
        })}
      </select>
    </FieldFrame>
  );
}

/**
 * A filter by team: a list when the teams are few (`teams`), else a field for a team's name
 * (`teamName`, resolved by the server), so a company of a thousand teams does not ship them all.
 */
export function TeamFilter(props: { teams: Option[] | null; team?: number; teamName?: string; blank: string; errors?: FieldErrors }) {
  if (props.teams) return <Select name="team" label="Team" blank={props.blank} options={props.teams} values={{ team: props.team }} errors={props.errors} />;
  return (
    <Field
      name="teamName"
      label="Team"
      values={{ teamName: props.teamName }}
      errors={props.errors}
      placeholder={props.blank}
      hint="A team’s name, or its first letters; empty for all."
    />
  );
}

/** Lists a form's errors at the top, each linking to its field. */
export function ErrorSummary(props: { errors?: FieldErrors; labels?: Record<string, string> }) {
  const entries = Object.entries(props.errors ?? {}).filter(([, v]) => v);
  if (!entries.length) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1}>
      <h2>Please correct {entries.length === 1 ? 'this' : `these ${entries.length}`}:</h2>
      <ul>
        {entries.map(([name, message]) => (
          <li>
            {name === '_form' ? (
              message
            ) : (
              <a href={`#${fieldId(name)}`}>
                {props.labels?.[name] ? `${props.labels[name]}: ` : ''}
                {message}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export const CsrfField = (props: { token: string | null }) => <input type="hidden" name="_csrf" value={props.token ?? ''} />;

/** A form that posts, its CSRF field first; further attributes (class, novalidate, htmx …) go on the form as given. */
export function PostForm(props: {
  action: string;
  csrfToken: string | null;
  class?: string;
  novalidate?: boolean;
  children: Child;
  [attribute: string]: unknown;
}) {
  const { csrfToken, children, ...attributes } = props;
  return (
    <form method="post" {...attributes}>
      <CsrfField token={csrfToken} />
      {children}
    </form>
  );
}

/**
 * A form that is only a button: posts an action (revoke, delete, book …) with the CSRF field and any hidden
 * fields, asking first when `confirm` is set. `hx` enhances it with htmx; without JavaScript it posts the same.
 */
export function PostButton(props: {
  action: string;
  csrfToken: string | null;
  label: Child;
  confirm?: string;
  /** The button's class. */
  class?: string;
  /** The form's class: `inline` unless set; `false` for none. */
  formClass?: string | false;
  id?: string;
  /** Hidden fields after the CSRF field, in this order. */
  hidden?: Record<string, string>;
  /** htmx attributes of the form. */
  hx?: Record<string, string | undefined>;
  /** Further attributes of the button (aria-label, aria-pressed, name and value). */
  buttonAttrs?: Record<string, string | undefined>;
  /** What the form shows before and after its button. */
  before?: Child;
  after?: Child;
}) {
  return (
    <form
      method="post"
      action={props.action}
      id={props.id}
      class={props.formClass === undefined ? 'inline' : props.formClass || undefined}
      data-confirm={props.confirm}
      {...props.hx}
    >
      <CsrfField token={props.csrfToken} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {props.before}
      <button type="submit" class={props.class} {...props.buttonAttrs}>
        {props.label}
      </button>
      {props.after}
    </form>
  );
}

/**
 * The filter row above a list: a GET form that works without JavaScript. With `results` (the id of the list it
 * fills) htmx asks for the same partial, swaps it in and keeps the address bar in step.
 */
export function FilterForm(props: {
  action: string;
  results?: string;
  /** When htmx asks; on submit unless set. */
  trigger?: string;
  /** The form's class: `filters card` unless set. */
  class?: string;
  /** Marks the form as the page's search landmark. */
  search?: boolean;
  novalidate?: boolean;
  /** The label of the submit button after the fields (`Filter` unless set); false when the fields bring their own. */
  submit?: Child | false;
  children: Child;
}) {
  const hx = props.results ? { 'hx-get': props.action, 'hx-target': `#${props.results}`, 'hx-swap': 'outerHTML', 'hx-push-url': 'true' } : {};
  return (
    <form
      method="get"
      action={props.action}
      class={props.class ?? 'filters card'}
      role={props.search ? 'search' : undefined}
      {...hx}
      hx-trigger={props.trigger}
      novalidate={props.novalidate}
    >
      {props.children}
      {props.submit !== false && <button type="submit">{props.submit ?? 'Filter'}</button>}
    </form>
  );
}

/** A link that looks like a button (secondary unless `kind` says otherwise); `download` saves what it links to. */
export function ButtonLink(props: { href: string; kind?: 'primary' | 'secondary' | 'danger'; download?: boolean | string; children: Child }) {
  const kind = props.kind ?? 'secondary';
  return (
    <a class={kind === 'primary' ? 'button' : `button ${kind}`} href={props.href} download={props.download}>
      {props.children}
    </a>
  );
}

/** A form's closing row: its submit button and a way back without saving. */
export function FormActions(props: { submit: Child; cancel: string }) {
  return (
    <div class="actions">
      <button type="submit">{props.submit}</button>
      <ButtonLink href={props.cancel}>Cancel</ButtonLink>
    </div>
  );
}

/** A chart's drawing size and margins, with the plot's own width and height between the margins. */
export function plotArea(size: { width: number; height: number; left: number; right: number; top: number; bottom: number }) {
  return { ...size, plotWidth: size.width - size.left - size.right, plotHeight: size.height - size.top - size.bottom };
}

/** A chart's horizontal grid line across the plot with its value label at the left (server-rendered SVG). */
export function GridLine(props: { y: number; left: number; right: number; label: Child; stroke: string; fill: string; fontSize: string; labelGap: number }) {
  return (
    <g>
      <line x1={props.left} x2={props.right} y1={props.y} y2={props.y} stroke={props.stroke} stroke-width="1" />
      <text x={props.left - props.labelGap} y={props.y + 4} text-anchor="end" font-size={props.fontSize} fill={props.fill}>
        {props.label}
      </text>
    </g>
  );
}

/**
 * The one table shell: a scrolling wrapper around a responsive table, its column heads and a row per item; the
 * empty message instead of the table when there are no items (when one is given), and the pager after.
 * A falsy column is left out (a column only some viewers see); `row` leaves out its cell the same way.
 */
export function Table<T>(props: {
  columns: Child[];
  rows: readonly T[];
  row: (item: T, index: number) => Child;
  /** Classes beside `responsive`. */
  class?: string;
  caption?: Child;
  empty?: Child;
  pager?: Child;
}) {
  const heads = props.columns.filter((c) => c !== false && c !== null && c !== undefined && c !== '');
  const table =
    props.empty !== undefined && props.rows.length === 0 ? (
      <p class="muted">{props.empty}</p>
    ) : (
      <div class="table-wrap">
        <table class={props.class ? `responsive ${props.class}` : 'responsive'}>
          {props.caption !== undefined && <caption>{props.caption}</caption>}
          <thead>
            <tr>
              {heads.map((c) => (
                <th scope="col">{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>{props.rows.map((item, i) => props.row(item, i))}</tbody>
        </table>
      </div>
    );
  if (props.pager === undefined) return table;
  return (
    <>
      {table}
      {props.pager}
    </>
  );
}

/** Previous/next links that keep the current filters. `more`: the list stops at `total` and there are more past it. */
export function Pager(props: { page: number; pageSize: number; total: number; more?: boolean; href: (page: number) => string; target?: string }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const inAll = `${props.total}${props.more ? '+' : ''} in all`;
  if (pages <= 1) return <p class="muted">{inAll}</p>;
  const hx = (page: number) => (props.target ? { 'hx-get': props.href(page), 'hx-target': props.target, 'hx-push-url': 'true', 'hx-swap': 'outerHTML' } : {});
  return (
    <nav class="pager" aria-label="Pages">
      {props.page > 1 ? (
        <a href={props.href(props.page - 1)} rel="prev" {...hx(props.page - 1)}>
          ← Previous
        </a>
      ) : (
        <span class="muted">← Previous</span>
      )}
      <span>
        Page {props.page} of {pages} · {inAll}
      </span>
      {props.page < pages ? (
        <a href={props.href(props.page + 1)} rel="next" {...hx(props.page + 1)}>
          Next →
        </a>
      ) : (
        <span class="muted">Next →</span>
      )}
    </nav>
  );
}

/** One term and its description in a `<dl class="details">`. */
export function Detail(props: { term: Child; children?: Child }) {
  return (
    <>
      <dt>{props.term}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

/** A card of the page under its heading, which names it for screen readers (`<name>-heading`). */
export function Card(props: { name: string; title: Child; class?: string; id?: string; children?: Child }) {
  const headingId = `${props.name}-heading`;
  return (
    <section class={props.class ?? 'card'} aria-labelledby={headingId} id={props.id}>
      <h2 id={headingId}>{props.title}</h2>
      {props.children}
    </section>
  );
}

export function PageHeader(props: { title: string; children?: Child }) {
  return (
    <div class="page-header">
      <h1>{props.title}</h1>
      {props.children && <div class="actions">{props.children}</div>}
    </div>
  );
}

const MEDIUM_DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

export const formatDateTime = (d: Date | null | undefined, timeZone = 'UTC') => (d ? dateTimeFormat('en-GB', MEDIUM_DATE_TIME, timeZone).format(d) : '');

/** A query string from the defined values, for links that keep filters. */
export function queryString(params: Record<string, string | number | undefined | null>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A name to look for: Find lists the first people it matches in the select above it (the form keeps what was typed). */
export function FindField(props: {
  name: string;
  label: string;
  button: string;
  value: unknown;
  hint?: string;
  /** What the button says: Find unless told. */
  buttonLabel?: string;
  error?: string;
}) {
  const errorId = `f-${props.name}-error`;
  return (
    <div class={props.error ? 'inline-search has-error' : 'inline-search'}>
      <label for={`f-${props.name}`}>{props.label}</label>
      <input
        id={`f-${props.name}`}
        name={props.name}
        autocomplete="off"
        value={typeof props.value === 'string' ? props.value : ''}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? errorId : undefined}
      />
      <button type="submit" name={props.button} value="1" class="secondary small" formnovalidate>
        {props.buttonLabel ?? 'Find'}
      </button>
      {props.error && (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      )}
      {props.hint && <p class="hint">{props.hint}</p>}
    </div>
  );
}

/** A team added to a form's chosen teams by its name (a company with too many to list): the field, its Add button and its error. */
export function AddTeamField(props: { name: string; label: string; button: string; form: { values: FormValues; errors?: FieldErrors }; hint: string }) {
  return (
    <FindField
      name={props.name}
      label={props.label}
      button={props.button}
      buttonLabel="Add"
      value={props.form.values[props.name]}
      error={props.form.errors?.[props.name]}
      hint={props.hint}
    />
  );
}
