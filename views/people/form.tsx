import { departmentOptions, roleOptions } from '../labels';
import { ErrorSummary, Field, FindField, FormActions, PostForm, Select, ZoneField } from '../components';
import { PEOPLE_FOUND } from '../../src/people/choices';
import { FindManagerField } from './components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { WelcomeCheckbox } from './components';

const personLabels: Record<string, string> = {
  email: 'Email',
  name: 'Name',
  department: 'Department',
  title: 'Title',
  teamId: 'Team',
  managerId: 'Manager',
  hireDate: 'Hire date',
  timeZone: 'Time zone',
  role: 'Role',
  password: 'Password',
};

export function PersonFormPage(props: {
  layout: LayoutProps;
  mode: 'new' | 'edit';
  personId?: number;
  values: FormValues;
  errors?: FieldErrors;
  teams: Option[];
  managers: Option[];
  /** Too many teams or managers to list: each select holds the one chosen and those its Find field found. */
  findTeam?: boolean;
  findManager?: boolean;
  /** A team move asks for the new manager: the question, with the proposal preselected. */
  managerQuestion?: string;
  /** The company's default time zone (used when the field is left empty); null while HR has not set one. */
  defaultZone?: string | null;
}) {
  const action = props.mode === 'new' ? '/people' : `/people/${props.personId}`;
  const form = { values: props.values, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <h1>{props.mode === 'new' ? 'Add a person' : `Edit ${String(props.values.name ?? '')}`}</h1>
      <ErrorSummary errors={props.errors} labels={personLabels} />
      {props.managerQuestion && (
        <p class="notice" role="status">
          {props.managerQuestion} Check the manager below and save again.
        </p>
      )}
      <PostForm action={action} csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        {props.managerQuestion && <input type="hidden" name="confirmManager" value="1" />}
        <Field name="name" label="Name" required {...form} autocomplete="off" />
        <Field name="email" label="Email" type="email" required {...form} autocomplete="off" />
        <Select name="department" label="Department" required options={departmentOptions} {...form} blank="Choose…" />
        <Field name="title" label="Title" {...form} />
        <Select name="teamId" label="Team" options={props.teams} {...form} blank="No team" />
        {props.findTeam && (
          <FindField
            name="teamSearch"
            label="Find a team"
            button="findTeam"
            buttonLabel="Find teams"
            value={props.values.teamSearch}
            hint={`By part of its name: the team list then shows the first ${PEOPLE_FOUND} teams found.`}
          />
        )}
        <Select name="managerId" label="Manager" options={props.managers} {...form} blank="No manager" />
        {props.findManager && <FindManagerField name="managerSearch" button="findManager" value={props.values.managerSearch} />}
        <Field name="hireDate" label="Hire date" type="date" required {...form} />
        <ZoneField
          name="timeZone"
          label="Time zone"
          {...form}
          hint={
            props.defaultZone
              ? `Type a city and pick the zone from the list. Left empty: the company's default, ${props.defaultZone}.`
              : 'Type a city and pick the zone from the list. Required until HR sets a company default time zone.'
          }
        />
        <Select name="role" label="Role" required options={roleOptions} {...form} />
        {props.mode === 'new' && (
          <>
            <WelcomeCheckbox checked={props.values.sendWelcome !== undefined ? !!props.values.sendWelcome && props.values.sendWelcome !== 'false' : true} />
            <Field
              name="password"
              label="Temporary password"
              type="password"
              {...form}
              autocomplete="new-password"
              hint="Optional, instead of or besides the welcome email. At least 12 characters; the person changes it at first sign-in."
            />
          </>
        )}
        <FormActions submit={props.mode === 'new' ? 'Add person' : 'Save changes'} cancel={props.personId ? `/people/${props.personId}` : '/people'} />
      </PostForm>
    </Layout>
  );
}
