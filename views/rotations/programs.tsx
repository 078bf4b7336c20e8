import { departmentLabel } from '../labels';
import type { RotationProgramSummary } from '../../src/rotations/programs';
import { ButtonLink, ErrorSummary, Field, AddTeamField, FormActions, PageHeader, PostForm, Select, Table, TextArea } from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { DIRECTION_SHORT, RotationsNav } from './components';

const DIRECTIONS: Option[] = [
  { value: 'marketing_to_sales', label: 'Marketing → sales (marketers join sales teams)' },
  { value: 'sales_to_marketing', label: 'Sales → marketing (reps join marketing teams)' },
  { value: 'both', label: 'Both ways' },
];

export function ProgramsPage(props: { layout: LayoutProps; programs: RotationProgramSummary[] }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Rotation programs">
        <ButtonLink href="/rotations/programs/new" kind="primary">
          New program
        </ButtonLink>
      </PageHeader>
      <RotationsNav role="hr" current="/rotations/programs" />
      {props.programs.length === 0 ? (
        <p class="card">No rotation programs yet.</p>
      ) : (
        <Table
          columns={['Program', 'Direction', 'Length', 'Host teams', 'Coverage', 'Rotations']}
          rows={props.programs}
          row={(p) => (
            <tr>
              <td data-label="Program">
                <a href={`/rotations/programs/${p.id}`}>{p.name}</a>
                {!p.active && <span class="tag inactive">archived</span>}
              </td>
              <td data-label="Direction">{DIRECTION_SHORT[p.direction]}</td>
              <td data-label="Length">{p.lengthWeeks} weeks</td>
              <td data-label="Host teams">{p.hostTeamCount}</td>
              <td data-label="Coverage">{p.coveragePercent}%</td>
              <td data-label="Rotations">{p.rotationCount}</td>
            </tr>
          )}
        />
      )}
    </Layout>
  );
}

const programLabels: Record<string, string> = {
  name: 'Name',
  direction: 'Direction',
  lengthWeeks: 'Length',
  coveragePercent: 'Home-team coverage',
  learningGoals: 'Learning goals',
  hostTeams: 'Host teams',
  checklist: 'Checklist',
};

export function ProgramFormPage(props: {
  layout: LayoutProps;
  programId?: number;
  values: FormValues;
  errors?: FieldErrors;
  teams: { id: number; name: string; department: string }[];
  /** A company with too many teams to list: the form lists the host teams, and another is added by name. */
  addByName: boolean;
}) {
  const action = props.programId ? `/rotations/programs/${props.programId}` : '/rotations/programs';
  const capacityOf = (teamId: number) => String(props.values[`capacity_${teamId}`] ?? '');
  const form = { values: props.values, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <h1>{props.programId ? `Edit ${String(props.values.name ?? 'program')}` : 'New rotation program'}</h1>
      <ErrorSummary errors={props.errors} labels={programLabels} />
      <PostForm action={action} csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        <Field name="name" label="Name" required {...form} />
        <Select name="direction" label="Direction" required options={DIRECTIONS} {...form} />
        <Field name="lengthWeeks" label="Length in weeks" type="number" min={1} max={52} required {...form} />
        <Field
          name="coveragePercent"
          label="Home-team coverage (%)"
          type="number"
          min={1}
          max={100}
          required
          {...form}
          hint="No more than this share of a guest's home team may be away at once. Teams of 4 or more may always send one person."
        />
        <TextArea name="learningGoals" label="Learning goals" {...form} rows={3} />
        <fieldset class={props.errors?.hostTeams ? 'field has-error' : 'field'} id="f-hostTeams">
          <legend>Host teams and how many guests each takes at once</legend>
          <p class="hint">
            {props.addByName
              ? 'The host teams of this program; add another by name below. Set a team to 0 to take it out.'
              : 'Leave blank or 0 for teams that do not host this program.'}
          </p>
          {props.errors?.hostTeams && <p class="field-error">{props.errors.hostTeams}</p>}
          <div class="host-capacity">
            {props.teams.map((t) => (
              <label class="inline-field">
                <span>
                  {t.name} <span class={`tag ${t.department}`}>{departmentLabel(t.department)}</span>
                </span>
                <input type="number" name={`capacity_${t.id}`} min={0} max={50} value={capacityOf(t.id)} aria-label={`Guests ${t.name} takes at once`} />
              </label>
            ))}
          </div>
          {props.addByName && (
            <AddTeamField
              name="hostTeamName"
              label="Add a host team"
              button="addHostTeam"
              form={form}
              hint="A sales or marketing team's name, or its first letters."
            />
          )}
        </fieldset>
        <TextArea name="checklist" label="Checklist (one item per line)" {...form} rows={5} />
        <label class="checkbox">
          <input type="checkbox" name="active" value="true" checked={props.values.active !== false && props.values.active !== 'false'} /> Active (offered in the
          planner)
        </label>
        <FormActions submit={props.programId ? 'Save program' : 'Create program'} cancel="/rotations/programs" />
      </PostForm>
    </Layout>
  );
}
