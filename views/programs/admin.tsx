import { departmentOptions, roleOptions } from '../labels';
import { countedEventKinds } from '../../db/schema';
import type { EnrollmentListRow } from '../../src/programs/enrollment';
import type { ProgramDetails, ProgramListRow } from '../../src/programs/programs';
import { describeRule } from '../../src/programs/programs';
import { describeRhythm, RHYTHM_UNITS, ruleToRhythm } from '../../src/programs/rhythm';
import {
  ButtonLink,
  CsrfField,
  ErrorSummary,
  Field,
  FormActions,
  optionsOf,
  PageHeader,
  PostButton,
  PostForm,
  Select,
  Table,
  TeamFilter,
  TextArea,
} from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { readableLocalDate } from '../../src/lib/time';
import { KIND_LABELS } from '../../src/events/event-rules';

/** A stored day as people write it: 1 Mar 2027. */
const formatDay = (iso: string | null) => (iso ? readableLocalDate(iso) : '');

const REQUIREMENT_KIND_LABELS: Record<string, string> = {
  training: 'Attend a training session',
  events: 'Attend events',
  sign_off: 'Manager sign-off',
  survey: 'Answer the shared-mindset survey',
};

function describeRequirement(
  r: { kind: string; topicName?: string | null; eventKind: string | null; count: number; dueOffsetDays: number },
  programKind: string,
) {
  const what =
    r.kind === 'training'
      ? `training: ${r.topicName ?? 'topic'}`
      : r.kind === 'events'
        ? `${r.count} × ${(KIND_LABELS as Record<string, string>)[r.eventKind ?? ''] ?? r.eventKind} (accepted and attended)`
        : r.kind === 'sign_off'
          ? 'a manager’s sign-off'
          : 'an answer to the shared-mindset survey';
  const from = programKind === 'onboarding' ? 'of the hire date' : 'of the cycle start';
  return `${what}, within ${r.dueOffsetDays} days ${from}`;
}

export function ProgramsPage(props: { layout: LayoutProps; programs: ProgramListRow[]; canEdit: boolean }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Programs">
        <ButtonLink href="/programs/dashboard">Team progress</ButtonLink>
        {props.canEdit && (
          <>
            <ButtonLink href="/programs/overview">HR overview</ButtonLink>
            <ButtonLink href="/programs/sessions">Training sessions</ButtonLink>
            <ButtonLink href="/programs/new" kind="primary">
              New program
            </ButtonLink>
          </>
        )}
      </PageHeader>
      {props.programs.length === 0 ? (
        <p class="card">No programs yet. {props.canEdit ? 'Create an onboarding program for new hires, or a review program that repeats for everyone.' : ''}</p>
      ) : (
        <Table
          columns={['Program', 'Kind', 'Requirements', 'Enrolled']}
          rows={props.programs}
          row={(p) => (
            <tr>
              <td data-label="Program">
                <a href={`/programs/${p.id}`}>{p.name}</a>
                {!p.active && <span class="tag inactive">archived</span>}
                {p.description && <div class="muted">{p.description}</div>}
              </td>
              <td data-label="Kind">
                {p.kind}
                {p.kind === 'review' && (
                  <div class="muted">
                    {describeRhythm(p.rrule, p.anchorDate)}, from {formatDay(p.anchorDate)}
                  </div>
                )}
              </td>
              <td data-label="Requirements">{p.requirementCount}</td>
              <td data-label="Enrolled">
                <a href={`/programs/dashboard?program=${p.id}`}>{p.enrolledCount}</a>
              </td>
            </tr>
          )}
        />
      )}
    </Layout>
  );
}

const programLabels: Record<string, string> = {
  name: 'Name',
  kind: 'Kind',
  description: 'Description',
  rrule: 'Rhythm',
  anchorDate: 'First cycle starts',
  dueSoonDays: 'Due soon',
};

const PROGRAM_KIND_OPTIONS = optionsOf({
  onboarding: 'Onboarding — counts from each person’s hire date',
  review: 'Review — repeats in cycles for existing staff',
});

export function ProgramFormPage(props: { layout: LayoutProps; values: FormValues; errors?: FieldErrors }) {
  const v = props.values;
  const rhythm =
    v.rhythmUnit !== undefined
      ? { rhythmEvery: v.rhythmEvery, rhythmUnit: v.rhythmUnit, rhythmDay: v.rhythmDay }
      : (ruleToRhythm(typeof v.rrule === 'string' ? v.rrule : null) ?? { rhythmEvery: 3, rhythmUnit: 'month', rhythmDay: 1 });
  const form = { values: props.values, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <h1>New program</h1>
      <ErrorSummary errors={props.errors} labels={programLabels} />
      <PostForm action="/programs" csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        <Field name="name" label="Name" required {...form} placeholder="Sales onboarding" />
        <Select name="kind" label="Kind" required options={PROGRAM_KIND_OPTIONS} {...form} />
        <TextArea name="description" label="Description" rows={3} {...form} />
        <fieldset>
          <legend>Review programs only</legend>
          <fieldset class="field rhythm" id="f-rrule">
            <legend>Rhythm</legend>
            {props.errors?.rrule && <p class="field-error">{props.errors.rrule}</p>}
            <div class="rhythm-fields">
              <label for="f-rhythmEvery">Every</label>
              <input id="f-rhythmEvery" name="rhythmEvery" type="number" min={1} max={60} value={String(rhythm.rhythmEvery ?? '')} />
              <label for="f-rhythmUnit" class="sr-only">
                Unit
              </label>
              <select id="f-rhythmUnit" name="rhythmUnit">
                {RHYTHM_UNITS.map((u) => (
                  <option value={u} selected={rhythm.rhythmUnit === u}>
                    {u}s
                  </option>
                ))}
              </select>
              <label for="f-rhythmDay">on day</label>
              <input
                id="f-rhythmDay"
                name="rhythmDay"
                type="number"
                min={1}
                max={31}
                value={String(rhythm.rhythmDay ?? '')}
                aria-describedby="f-rhythmDay-hint"
              />
            </div>
            <p class="hint" id="f-rhythmDay-hint">
              For example every 3 months on day 1. Leave the day empty to repeat on the first cycle’s day; a day past the 28th falls on shorter months’ last
              day.
            </p>
          </fieldset>
          <Field name="anchorDate" label="First cycle starts" type="date" {...form} />
        </fieldset>
        <Field name="dueSoonDays" label="Due soon (days before the due date)" type="number" min={0} max={90} {...form} />
        <FormActions submit="Create program" cancel="/programs" />
      </PostForm>
    </Layout>
  );
}

type ProgramPageProps = {
  layout: LayoutProps;
  details: ProgramDetails;
  canEdit: boolean;
  topics: Option[];
  /** Teams to choose from, or null when there are too many to list (a name is typed instead). */
  teams: Option[] | null;
  enrolled: {
    rows: EnrollmentListRow[];
    filter: { show: 'enrolled' | 'ended'; team?: number; teamName?: string; name?: string; errors?: FieldErrors };
    /** How many running and ended enrollments the team filter (not the name) holds. */
    counts: { running: number; ended: number };
    /** The first page's address, when this is not it; the next page's, when there is one. */
    first: string | null;
    next: string | null;
  };
  candidates: { options: Option[]; more: boolean };
  requirementValues?: FormValues;
  requirementErrors?: FieldErrors;
  ruleValues?: FormValues;
  ruleErrors?: FieldErrors;
  enrollErrors?: FieldErrors;
};

export function ProgramPage(props: ProgramPageProps) {
  const { program, requirements, rules } = props.details;
  const { enrolled } = props;
  const csrf = props.layout.csrfToken;
  return (
    <Layout {...props.layout}>
      <PageHeader title={program.name}>
        <ButtonLink href={`/programs/dashboard?program=${program.id}`}>Progress</ButtonLink>
        <ButtonLink href={`/api/v1/reports/completion?program=${program.id}&format=csv`}>Export CSV</ButtonLink>
      </PageHeader>
      <p>
        <span class="tag">{program.kind}</span> {!program.active && <span class="tag inactive">archived</span>}{' '}
        {program.kind === 'review' ? (
          <span>
            Cycles {describeRhythm(program.rrule, program.anchorDate)}, from {formatDay(program.anchorDate)}.
          </span>
        ) : (
          <span>Due dates count from each person’s hire date.</span>
        )}{' '}
        Due soon: {program.dueSoonDays} days before.
      </p>
      {program.description && <p class="muted">{program.description}</p>}

      <section class="card" id="requirements">
        <h2>Requirements</h2>
        {requirements.length === 0 ? (
          <p class="muted">No requirements yet.</p>
        ) : (
          <ol>
            {requirements.map((r) => (
              <li>
                <strong>{r.title}</strong> — {describeRequirement(r, program.kind)}
                {props.canEdit && (
                  <PostButton
                    action={`/programs/${program.id}/requirements/${r.id}/delete`}
                    csrfToken={csrf}
                    label="Remove"
                    class="link-button"
                    confirm={`Remove “${r.title}”? Its completion records go too.`}
                  />
                )}
              </li>
            ))}
          </ol>
        )}
        {props.canEdit && (
          <RequirementForm programId={program.id} csrf={csrf} topics={props.topics} values={props.requirementValues} errors={props.requirementErrors} />
        )}
      </section>

      <section class="card" id="rules">
        <h2>Enrollment rules</h2>
        <p class="muted">
          Active people matching every criterion of a rule are enrolled at once — also new hires created by hand, by the API or by a CSV import.
        </p>
        {rules.length === 0 ? (
          <p class="muted">No rules: people are enrolled by hand only.</p>
        ) : (
          <ul>
            {rules.map((r) => (
              <li>
                {describeRule(r)}
                {r.pendingSince && <span class="muted"> — enrolling the people it matches (reload to see them)</span>}
                {props.canEdit && <PostButton action={`/programs/${program.id}/rules/${r.id}/delete`} csrfToken={csrf} label="Remove" class="link-button" />}
              </li>
            ))}
          </ul>
        )}
        {props.canEdit && <RuleForm programId={program.id} csrf={csrf} teams={props.teams} values={props.ruleValues} errors={props.ruleErrors} />}
      </section>

      <section class="card" id="enrollments">
        <h2>Enrolled people</h2>
        <form method="get" action={`/programs/${program.id}#enrollments`} class="filters" aria-label="Find people">
          <Select
            name="show"
            label="Show"
            options={[
              { value: 'enrolled', label: `Enrolled (${enrolled.counts.running})` },
              { value: 'ended', label: `Ended (${enrolled.counts.ended})` },
            ]}
            values={enrolled.filter}
          />
          <TeamFilter teams={props.teams} team={enrolled.filter.team} teamName={enrolled.filter.teamName} blank="Any team" errors={enrolled.filter.errors} />
          <Field name="name" label="Name starts with" values={enrolled.filter} />
          <button type="submit" class="secondary">
            Filter
          </button>
        </form>
        {program.active && (
          <PostForm action={`/programs/${program.id}/enrollments`} csrfToken={csrf} class="stack" novalidate>
            <ErrorSummary errors={props.enrollErrors} />
            {props.candidates.options.length === 0 ? (
              <p class="muted">Nobody to enroll by hand among the people looked at. Choose a team or type the start of a name to find others.</p>
            ) : (
              <div class="field">
                <label for="f-personIds">Enroll people by hand</label>
                <select id="f-personIds" name="personIds" multiple size={Math.min(8, props.candidates.options.length)} aria-describedby="f-personIds-hint">
                  {props.candidates.options.map((c) => (
                    <option value={String(c.value)}>{c.label}</option>
                  ))}
                </select>
                <p class="hint" id="f-personIds-hint">
                  Hold Ctrl (or ⌘) to choose several.
                  {props.candidates.more &&
                    ` The first ${props.candidates.options.length} people by name who are not enrolled; choose a team or type the start of a name to find others.`}
                </p>
              </div>
            )}
            {props.candidates.options.length > 0 && program.kind === 'review' && (
              <Field name="startDate" label="Count cycles starting on or after" type="date" hint="Leave empty to count from the cycle running now." />
            )}
            {props.candidates.options.length > 0 && <button type="submit">Enroll</button>}
          </PostForm>
        )}
        <Table
          columns={['Person', 'Team', 'How', 'Counts from', 'Status']}
          rows={enrolled.rows}
          empty={enrolled.filter.show === 'ended' ? 'No enrollment here has ended.' : 'Nobody here is enrolled.'}
          row={(e) => (
            <tr>
              <td data-label="Person">
                <a href={`/programs/people/${e.personId}`}>{e.name}</a>
              </td>
              <td data-label="Team">{e.teamName ?? '—'}</td>
              <td data-label="How">{e.source === 'rule' ? 'by rule' : 'by hand'}</td>
              <td data-label="Counts from">{e.startDate}</td>
              <td data-label="Status">
                {e.endedAt ? (
                  <span class="tag inactive">ended ({e.endReason?.replace(/_/g, ' ')})</span>
                ) : (
                  <PostButton
                    action={`/programs/enrollments/${e.id}/end`}
                    csrfToken={csrf}
                    confirm={`End ${e.name}’s enrollment? Open requirements stop counting; completed ones stay.`}
                    before={
                      <>
                        <span class="tag active">enrolled</span>{' '}
                      </>
                    }
                    label="End"
                    class="link-button"
                  />
                )}
              </td>
            </tr>
          )}
        />
        {(enrolled.first || enrolled.next) && (
          <nav class="pager" aria-label="Pages of enrolled people">
            {enrolled.first ? <a href={enrolled.first}>← First page</a> : <span class="muted">← First page</span>}
            <span>{`${enrolled.rows.length} shown, in name order`}</span>
            {enrolled.next ? (
              <a href={enrolled.next} rel="next">
                Next {enrolled.rows.length} →
              </a>
            ) : (
              <span class="muted">Next →</span>
            )}
          </nav>
        )}
      </section>

      {props.canEdit && (
        <section class="card">
          <h2>Settings</h2>
          <PostForm action={`/programs/${program.id}`} csrfToken={csrf} class="stack" novalidate>
            <Field name="name" label="Name" required values={program} />
            <TextArea name="description" label="Description" rows={2} values={program} />
            <Field name="dueSoonDays" label="Due soon (days before the due date)" type="number" min={0} max={90} values={program} />
            <Select
              name="active"
              label="Status"
              options={optionsOf({ true: 'Active', false: 'Archived (no new enrollments)' })}
              values={{ active: String(program.active) }}
            />
            <button type="submit" class="secondary">
              Save settings
            </button>
          </PostForm>
        </section>
      )}
    </Layout>
  );
}

const requirementLabels: Record<string, string> = {
  title: 'Title',
  kind: 'Kind',
  topicId: 'Topic',
  eventKind: 'Event kind',
  count: 'How many',
  dueOffsetDays: 'Due within',
};

function RequirementForm(props: { programId: number; csrf: string | null; topics: Option[]; values?: FormValues; errors?: FieldErrors }) {
  const values = props.values ?? { count: 1 };
  return (
    <form method="post" action={`/programs/${props.programId}/requirements`} class="stack" id="requirement-form" novalidate>
      <h3>Add a requirement</h3>
      <ErrorSummary errors={props.errors} labels={requirementLabels} />
      <CsrfField token={props.csrf} />
      <Field name="title" label="Title" required values={values} errors={props.errors} placeholder="Competitive advantages 101" />
      <Select name="kind" label="Kind" required options={optionsOf(REQUIREMENT_KIND_LABELS)} values={values} errors={props.errors} />
      <Select
        name="topicId"
        label="Training topic"
        options={props.topics}
        values={values}
        errors={props.errors}
        blank="— for training requirements —"
        hint={props.topics.length ? undefined : 'Add topics on the training sessions page first.'}
      />
      <Select
        name="eventKind"
        label="Event kind"
        options={countedEventKinds.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
        values={values}
        errors={props.errors}
        blank="— for event requirements —"
      />
      <Field name="count" label="How many events" type="number" min={1} max={100} values={values} errors={props.errors} />
      <Field
        name="dueOffsetDays"
        label="Due within (days)"
        type="number"
        min={0}
        max={3650}
        required
        values={values}
        errors={props.errors}
        hint="Counted from the hire date (onboarding) or the cycle start (review)."
      />
      <button type="submit">Add requirement</button>
    </form>
  );
}

const ruleLabels: Record<string, string> = {
  department: 'Department',
  teamId: 'Team',
  teamName: 'Team',
  role: 'Role',
  hiredOnOrAfter: 'Hired on or after',
  hiredOnOrBefore: 'Hired on or before',
};

function RuleForm(props: { programId: number; csrf: string | null; teams: Option[] | null; values?: FormValues; errors?: FieldErrors }) {
  const values = props.values ?? {};
  return (
    <form method="post" action={`/programs/${props.programId}/rules`} class="stack" id="rule-form" novalidate>
      <h3>Add a rule</h3>
      <ErrorSummary errors={props.errors} labels={ruleLabels} />
      <CsrfField token={props.csrf} />
      <Select name="department" label="Department" options={departmentOptions} values={values} errors={props.errors} blank="Any department" />
      {props.teams ? (
        <Select name="teamId" label="Team" options={props.teams} values={values} errors={props.errors} blank="Any team" />
      ) : (
        <Field name="teamName" label="Team" values={values} errors={props.errors} hint="A team’s name, or its first letters; empty for any team." />
      )}
      <Select name="role" label="Role" options={roleOptions} values={values} errors={props.errors} blank="Any role" />
      <Field name="hiredOnOrAfter" label="Hired on or after" type="date" values={values} errors={props.errors} />
      <Field name="hiredOnOrBefore" label="Hired on or before" type="date" values={values} errors={props.errors} />
      <button type="submit">Add rule</button>
    </form>
  );
}
