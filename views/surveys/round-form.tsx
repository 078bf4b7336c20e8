import { departmentOptions } from '../labels';
import { AddTeamField, ErrorSummary, Field, optionsOf, PostForm, Select } from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';

const roundLabels: Record<string, string> = {
  title: 'Title',
  populationKind: 'Who is asked',
  department: 'Department',
  teamIds: 'Teams',
  teamName: 'Add a team',
  hiredWithinDays: 'Hired within',
  closesOn: 'Closing date',
  anonymous: 'Anonymous',
};

const POPULATION_OPTIONS = optionsOf({ everyone: 'Everyone', department: 'One department', teams: 'Chosen teams', new_hires: 'New hires' });

export function RoundFormPage(props: {
  layout: LayoutProps;
  values: FormValues;
  errors?: FieldErrors;
  teams: Option[];
  /** A company with too many teams to list: the form lists the teams chosen, and another is added by name. */
  addByName: boolean;
  advantageCount: number;
}) {
  const chosenTeams = new Set((Array.isArray(props.values.teamIds) ? props.values.teamIds : props.values.teamIds ? [props.values.teamIds] : []).map(String));
  const teamError = props.errors?.teamIds;
  const form = { values: props.values, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <h1>Open a survey round</h1>
      {props.advantageCount === 0 && (
        <p class="notice">
          There are no official advantages yet. <a href="/advantages">Set them first</a>: answers are judged against them.
        </p>
      )}
      <ErrorSummary errors={props.errors} labels={roundLabels} />
      <PostForm action="/surveys" csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        <Field name="title" label="Title" required {...form} placeholder="Shared mindset, spring" />
        <Select name="populationKind" label="Who is asked" required {...form} options={POPULATION_OPTIONS} />
        <Select name="department" label="Department" hint="For one department." blank="Choose…" {...form} options={departmentOptions} />
        <fieldset class={teamError ? 'field has-error' : 'field'} aria-describedby={teamError ? 'f-teamIds-error' : undefined}>
          <legend>Teams (for chosen teams)</legend>
          {props.teams.map((team) => (
            <label class="checkbox">
              <input type="checkbox" name="teamIds" value={String(team.value)} checked={chosenTeams.has(String(team.value))} /> {team.label}
            </label>
          ))}
          {teamError && (
            <p class="field-error" id="f-teamIds-error">
              {teamError}
            </p>
          )}
          {props.addByName && (
            <AddTeamField
              name="teamName"
              label="Add a team"
              button="addTeam"
              form={form}
              hint="A team's name, or its first letters; untick a team to leave it out."
            />
          )}
        </fieldset>
        <Field name="hiredWithinDays" label="Hired within (days)" type="number" min={1} max={730} hint="For new hires; 90 when empty." {...form} />
        <Field name="closesOn" label="Closing date" type="date" required hint="The round closes at the end of this day." {...form} />
        <label class="checkbox">
          <input type="checkbox" name="anonymous" value="on" checked={props.values.anonymous === true || props.values.anonymous === 'on'} /> Anonymous: no names
          in any report, export or API
        </label>
        <button type="submit">Open the round</button>
      </PostForm>
    </Layout>
  );
}
