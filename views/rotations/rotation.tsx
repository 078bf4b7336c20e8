import type { Child } from 'hono/jsx';
import { departmentLabel } from '../labels';
import { ruleTitle } from '../../src/rotations/rules';
import type { RotationDetails } from '../../src/rotations/reads';
import type { RuleViolation } from '../../src/rotations/rules';
import {
  ButtonLink,
  CsrfField,
  Detail,
  ErrorSummary,
  Field,
  FindField,
  FormActions,
  formatDateTime,
  PageHeader,
  PostButton,
  PostForm,
  Select,
  TextArea,
} from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { RotationsNav, StatusTag, ViolationList } from './components';

const scheduleLabels: Record<string, string> = {
  programId: 'Program',
  personId: 'Person',
  hostTeamId: 'Host team',
  mentorId: 'Mentor',
  startDate: 'Start',
  endDate: 'End',
  overrideReason: 'Reason',
  _form: '',
};

function OverrideSection(props: { violations: RuleViolation[]; values: FormValues; errors?: FieldErrors }) {
  if (!props.violations.length) return null;
  return (
    <section class="notice override" id="override">
      <h2>This rotation breaks {props.violations.length === 1 ? 'a rule' : `${props.violations.length} rules`}</h2>
      <ViolationList violations={props.violations} id="violations" />
      <p>Change the rotation, or override the rules with a written reason. The reason is kept with the rotation.</p>
      {[...new Set(props.violations.map((v) => v.code))].map((code) => (
        <label class="checkbox">
          <input type="checkbox" name="overrideRules" value={code} /> Override the rule “{ruleTitle(code)}”
        </label>
      ))}
      <TextArea name="overrideReason" label="Reason for the override" values={props.values} errors={props.errors} rows={2} />
    </section>
  );
}

/** Where and when a rotation runs, as scheduling and moving it both ask, with the rules it would break. */
function PlacementFields(props: {
  children?: Child;
  teams: Option[];
  teamBlank?: string;
  mentors: Option[];
  values: FormValues;
  errors?: FieldErrors;
  violations: RuleViolation[];
}) {
  const { values, errors } = props;
  return (
    <>
      <Select name="hostTeamId" label="Host team" required options={props.teams} values={values} errors={errors} blank={props.teamBlank} />
      <Select name="mentorId" label="Mentor" options={props.mentors} values={values} errors={errors} blank="No mentor yet" hint="Someone in the host team." />
      {props.children}
      <Field name="startDate" label="Start" type="date" required values={values} errors={errors} />
      <Field name="endDate" label="End" type="date" required values={values} errors={errors} hint="The last day of the rotation (inclusive)." />
      <OverrideSection violations={props.violations} values={values} errors={errors} />
    </>
  );
}

export function ScheduleFormPage(props: {
  layout: LayoutProps;
  values: FormValues;
  errors?: FieldErrors;
  violations: RuleViolation[];
  programs: Option[];
  people: Option[];
  teams: Option[];
  mentors: Option[];
}) {
  const form = { values: props.values, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <h1>Schedule a rotation</h1>
      <RotationsNav role="hr" current="/rotations/new" />
      <ErrorSummary errors={props.errors} labels={scheduleLabels} />
      <PostForm action="/rotations" csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        <Select name="programId" label="Program" required options={props.programs} {...form} blank="Choose…" />
        <Select name="personId" label="Person" required options={props.people} {...form} blank="Choose…" />
        <FindField name="personSearch" label="Find a person" button="findPerson" value={props.values.personSearch} />
        <PlacementFields teams={props.teams} teamBlank="Choose…" mentors={props.mentors} {...form} violations={props.violations}>
          <FindField name="mentorSearch" label="Find a mentor" button="findMentor" value={props.values.mentorSearch} />
        </PlacementFields>
        <FormActions submit="Schedule rotation" cancel="/rotations" />
      </PostForm>
    </Layout>
  );
}

export function ChangeRotationPage(props: {
  layout: LayoutProps;
  rotationId: number;
  personName: string;
  values: FormValues;
  errors?: FieldErrors;
  violations: RuleViolation[];
  hostTeams: Option[];
  mentors: Option[];
}) {
  return (
    <Layout {...props.layout}>
      <h1>Move {props.personName}'s rotation</h1>
      <ErrorSummary errors={props.errors} labels={scheduleLabels} />
      <PostForm action={`/rotations/${props.rotationId}`} csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        <PlacementFields teams={props.hostTeams} mentors={props.mentors} values={props.values} errors={props.errors} violations={props.violations} />
        <FormActions submit="Save changes" cancel={`/rotations/${props.rotationId}`} />
      </PostForm>
    </Layout>
  );
}

export function ChecklistPartial(props: { rotation: RotationDetails; canTick: boolean; csrfToken: string | null }) {
  const r = props.rotation;
  const done = r.checklist.filter((c) => c.doneAt).length;
  return (
    <section class="card" id="checklist">
      <h2>
        Checklist{' '}
        <span class="muted">
          ({done} of {r.checklist.length} done)
        </span>
      </h2>
      {r.checklist.length > 0 && <progress max={r.checklist.length} value={done} aria-label="Checklist progress"></progress>}
      {r.checklist.length === 0 ? (
        <p class="muted">This program has no checklist.</p>
      ) : (
        <ul class="checklist">
          {r.checklist.map((item) => (
            <li class={item.doneAt ? 'done' : ''}>
              {props.canTick ? (
                <PostButton
                  action={`/rotations/${r.id}/checklist/${item.id}`}
                  csrfToken={props.csrfToken}
                  hx={{ 'hx-post': `/rotations/${r.id}/checklist/${item.id}`, 'hx-target': '#checklist', 'hx-swap': 'outerHTML' }}
                  hidden={{ done: item.doneAt ? 'false' : 'true' }}
                  label={
                    <>
                      {item.doneAt ? '☑' : '☐'} <span class="sr-only">{item.doneAt ? 'Mark not done:' : 'Mark done:'}</span>
                    </>
                  }
                  class="small secondary"
                  buttonAttrs={{ 'aria-pressed': item.doneAt ? 'true' : 'false' }}
                  after={<> {item.title}</>}
                />
              ) : (
                <span>
                  {item.doneAt ? '☑' : '☐'} {item.title}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CheckInForm(props: {
  rotationId: number;
  kind: 'midpoint' | 'end';
  opensOn: string;
  open: boolean;
  values?: FormValues;
  errors?: FieldErrors;
  csrfToken: string | null;
  otherDepartment: string;
}) {
  const label = props.kind === 'midpoint' ? 'Mid-point check-in' : 'End check-in';
  if (!props.open) {
    return (
      <p class="muted">
        {label}: opens on {props.opensOn}.
      </p>
    );
  }
  return (
    <form method="post" action={`/rotations/${props.rotationId}/check-ins`} class="stack check-in-form">
      <h3>{label}</h3>
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="kind" value={props.kind} />
      <TextArea name="learned" label="What I learned" values={props.values} errors={props.errors} rows={3} required />
      <TextArea name="otherDepartmentShouldChange" label={`What ${props.otherDepartment} should change`} values={props.values} errors={props.errors} rows={3} />
      <button type="submit">Save {label.toLowerCase()}</button>
    </form>
  );
}

export function RotationPage(props: {
  layout: LayoutProps;
  rotation: RotationDetails;
  viewerRole: 'guest' | 'mentor' | null;
  isHr: boolean;
  today: string;
  checkInOpens: { midpoint: string; end: string };
  checkInValues?: { kind: 'midpoint' | 'end'; values: FormValues; errors: FieldErrors };
}) {
  const r = props.rotation;
  const personDept = r.personDepartment;
  const otherForAuthor = props.viewerRole === 'mentor' ? personDept : personDept === 'marketing' ? 'sales' : 'marketing';
  const mine = (kind: 'midpoint' | 'end') => r.checkIns.find((c) => c.kind === kind && c.authorRole === props.viewerRole);
  return (
    <Layout {...props.layout}>
      <PageHeader title={`${r.personName} in ${r.hostTeamName}`}>
        <StatusTag status={r.status} />
        {props.isHr && r.status !== 'cancelled' && r.status !== 'completed' && <ButtonLink href={`/rotations/${r.id}/edit`}>Move or change</ButtonLink>}
      </PageHeader>
      <div class="grid">
        <section class="card">
          <dl class="details">
            <Detail term="Program">{r.programName}</Detail>
            <Detail term="Guest">
              {r.personName} <span class={`tag ${r.personDepartment}`}>{departmentLabel(r.personDepartment)}</span>{' '}
              {r.homeTeamName && <span class="muted">from {r.homeTeamName}</span>}
            </Detail>
            <Detail term="Host team">{r.hostTeamName}</Detail>
            <Detail term="Mentor">{r.mentorName ?? '—'}</Detail>
            <Detail term="Dates">
              {r.startDate} to {r.endDate} <span class="muted">(mid-point {r.midpoint})</span>
            </Detail>
            <Detail term="Status">
              <StatusTag status={r.status} />
              {r.cancelReason && <span class="muted"> — {r.cancelReason}</span>}
            </Detail>
          </dl>
          {r.program.learningGoals && (
            <>
              <h3>Learning goals</h3>
              <p class="pre-line">{r.program.learningGoals}</p>
            </>
          )}
        </section>
        <ChecklistPartial rotation={r} canTick={(props.viewerRole === 'guest' || props.isHr) && r.status !== 'cancelled'} csrfToken={props.layout.csrfToken} />
      </div>
      {r.overrides.length > 0 && (
        <section class="card" id="overrides">
          <h2>Rules overridden by HR</h2>
          <ul>
            {r.overrides.map((o) => (
              <li>
                <span class="tag warn">{o.rule}</span> {o.message}
                <div>
                  <strong>Reason:</strong> {o.reason}{' '}
                  <span class="muted">
                    — {o.byName ?? 'API'}, {formatDateTime(o.at)}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="card" id="check-ins">
        <h2>Check-ins</h2>
        {r.checkIns.length === 0 ? (
          <p class="muted">No check-ins yet.</p>
        ) : (
          <ul class="check-ins">
            {r.checkIns.map((c) => (
              <li>
                <strong>
                  {c.kind === 'midpoint' ? 'Mid-point' : 'End'} — {c.authorName} ({c.authorRole})
                </strong>
                <div>
                  <span class="muted">Learned:</span> {c.learned}
                </div>
                {c.otherDepartmentShouldChange && (
                  <div>
                    <span class="muted">Should change:</span> {c.otherDepartmentShouldChange}
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
        {props.viewerRole &&
          r.status !== 'cancelled' &&
          (['midpoint', 'end'] as const).map((kind) => {
            const existing = mine(kind);
            const given = props.checkInValues?.kind === kind ? props.checkInValues : null;
            return (
              <CheckInForm
                rotationId={r.id}
                kind={kind}
                opensOn={props.checkInOpens[kind]}
                open={props.today >= props.checkInOpens[kind]}
                values={given?.values ?? (existing ? { learned: existing.learned, otherDepartmentShouldChange: existing.otherDepartmentShouldChange } : {})}
                errors={given?.errors}
                csrfToken={props.layout.csrfToken}
                otherDepartment={otherForAuthor}
              />
            );
          })}
      </section>
      {props.isHr && r.status !== 'cancelled' && r.status !== 'completed' && (
        <section class="card">
          <h2>Cancel this rotation</h2>
          <PostForm action={`/rotations/${r.id}/cancel`} csrfToken={props.layout.csrfToken} class="stack" data-confirm={`Cancel ${r.personName}'s rotation?`}>
            <Field name="reason" label="Reason" required />
            <button type="submit" class="danger">
              Cancel rotation
            </button>
          </PostForm>
        </section>
      )}
    </Layout>
  );
}
