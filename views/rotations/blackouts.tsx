import { departmentOptions, departmentLabel } from '../labels';
import type { BlackoutRow } from '../../src/rotations/blackouts';
import { ErrorSummary, Field, optionsOf, PageHeader, PostButton, PostForm, Select, Table } from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { RotationsNav } from './components';

export function BlackoutsPage(props: { layout: LayoutProps; blackouts: BlackoutRow[]; teams: Option[]; values?: FormValues; errors?: FieldErrors }) {
  const form = { values: props.values, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <PageHeader title="Blackout periods" />
      <RotationsNav role="hr" current="/rotations/blackouts" />
      <p class="muted">No rotation may run while a blackout covers the guest's home team or the host team: quarter-end for sales, launches for marketing.</p>
      {props.blackouts.length === 0 ? (
        <p class="card">No blackouts.</p>
      ) : (
        <Table
          columns={['Name', 'For', 'From', 'Until', <span class="sr-only">Delete</span>]}
          rows={props.blackouts}
          row={(b) => (
            <tr>
              <td data-label="Name">{b.name}</td>
              <td data-label="For">{b.teamName ?? `all of ${departmentLabel(b.department ?? '')}`}</td>
              <td data-label="From">{b.startDate}</td>
              <td data-label="Until">{b.endDate}</td>
              <td>
                <PostButton
                  action={`/rotations/blackouts/${b.id}/delete`}
                  csrfToken={props.layout.csrfToken}
                  label="Delete"
                  class="small danger"
                  confirm={`Delete the blackout ${b.name}?`}
                />
              </td>
            </tr>
          )}
        />
      )}
      <h2>Add a blackout</h2>
      <ErrorSummary errors={props.errors} />
      <PostForm action="/rotations/blackouts" csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        <Field name="name" label="Name" required {...form} placeholder="Q3 close" />
        <Select name="scope" label="For" options={optionsOf({ department: 'A whole department', team: 'One team' })} {...form} />
        <Select name="department" label="Department" blank="Choose…" options={departmentOptions} {...form} />
        <Select name="teamId" label="Team" blank="Choose…" options={props.teams} {...form} />
        <Field name="startDate" label="From" type="date" required {...form} />
        <Field name="endDate" label="Until" type="date" required {...form} />
        <button type="submit">Add blackout</button>
      </PostForm>
    </Layout>
  );
}

export function PeriodsPage(props: {
  layout: LayoutProps;
  role: string;
  person: { id: number; name: string };
  isSelf: boolean;
  periods: { id: number; kind: string; startDate: string; endDate: string; note: string }[];
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const base = props.isSelf ? '/rotations/periods' : `/rotations/periods?person=${props.person.id}`;
  const action = (path: string) => (props.isSelf ? path : `${path}?person=${props.person.id}`);
  const form = { values: props.values, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.isSelf ? 'My availability for rotations' : `Availability of ${props.person.name}`} />
      <RotationsNav role={props.role} current="/rotations/periods" />
      <p class="muted">The planner places rotations inside preferred periods where it can, and never inside unavailable ones.</p>
      {props.periods.length === 0 ? (
        <p class="card">No periods yet.</p>
      ) : (
        <ul class="card">
          {props.periods.map((p) => (
            <li>
              <span class={`tag ${p.kind === 'unavailable' ? 'bad' : 'ok'}`}>{p.kind}</span> {p.startDate} to {p.endDate}{' '}
              {p.note && <span class="muted">— {p.note}</span>}{' '}
              <PostButton action={action(`/rotations/periods/${p.id}/delete`)} csrfToken={props.layout.csrfToken} label="Remove" class="small secondary" />
            </li>
          ))}
        </ul>
      )}
      <h2>Add a period</h2>
      <ErrorSummary errors={props.errors} />
      <PostForm action={action('/rotations/periods')} csrfToken={props.layout.csrfToken} class="stack card" novalidate data-base={base}>
        <Select
          name="kind"
          label="Kind"
          options={optionsOf({ preferred: 'Preferred: I would like to rotate then', unavailable: 'Unavailable: I cannot rotate then' })}
          {...form}
        />
        <Field name="startDate" label="From" type="date" required {...form} />
        <Field name="endDate" label="Until" type="date" required {...form} />
        <Field name="note" label="Note" {...form} />
        <button type="submit">Add period</button>
      </PostForm>
    </Layout>
  );
}
