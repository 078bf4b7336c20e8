import { departmentOptions, departmentLabel } from '../labels';
import type { Child } from 'hono/jsx';
import { departments } from '../../db/schema';
import type { PlanItemCheck, PlanStats, UnplacedPerson } from '../../src/rotations/planner';
import { readableDate, ruleBreakSentence, ruleTitle } from '../../src/rotations/rules';
import type { AwayPerson, PersonRotation, RotationDetails, RotationListRow } from '../../src/rotations/reads';
import type { BlackoutRow } from '../../src/rotations/blackouts';
import type { RotationProgramDetails, RotationProgramSummary } from '../../src/rotations/programs';
import type { RuleViolation } from '../../src/rotations/rules';
import type { TimelineData } from '../../src/rotations/timeline';
import { CsrfField, ErrorSummary, Field, PageHeader, Pager, PostButton, Select, TextArea, formatDateTime, type FieldErrors, type FormValues, type Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { Timeline } from './timeline';

const DIRECTIONS: Option[] = [
  { value: 'marketing_to_sales', label: 'Marketing → sales (marketers join sales teams)' },
  { value: 'sales_to_marketing', label: 'Sales → marketing (reps join marketing teams)' },
  { value: 'both', label: 'Both ways' },
];
const DIRECTION_SHORT: Record<string, string> = { marketing_to_sales: 'Marketing → sales', sales_to_marketing: 'Sales → marketing', both: 'Both ways' };

const StatusTag = (props: { status: string }) => <span class={`tag ${props.status}`}>{departmentLabel(props.status)}</span>;

function RotationsNav(props: { role: string; current: string }) {
  const links: [string, string, boolean][] = [
    ['/rotations', 'Overview', true],
    ['/rotations/timeline', 'Timeline', props.role !== 'employee'],
    ['/rotations/planner', 'Planner', props.role === 'hr'],
    ['/rotations/new', 'Schedule one', props.role === 'hr'],
    ['/rotations/programs', 'Programs', props.role === 'hr'],
    ['/rotations/blackouts', 'Blackouts', props.role === 'hr'],
    ['/rotations/periods', 'My availability', true],
  ];
  return (
    <nav class="subnav" aria-label="Rotations">
      <ul>
        {links
          .filter(([, , show]) => show)
          .map(([href, label]) => (
            <li>
              <a href={href} aria-current={props.current === href ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
      </ul>
    </nav>
  );
}

function ViolationList(props: { violations: RuleViolation[]; id?: string }) {
  if (!props.violations.length) return null;
  return (
    <ul class="violations" id={props.id}>
      {props.violations.map((v) => (
        <li data-rule={v.code}>
          <strong>{ruleTitle(v.code)}:</strong> {ruleBreakSentence(v)}
        </li>
      ))}
    </ul>
  );
}

// ── overview ────────────────────────────────────────────────────────────────

const AWAY_SHOWN = 100;

export function RotationsHomePage(props: {
  layout: LayoutProps;
  role: string;
  today: string;
  mine: PersonRotation[];
  away: AwayPerson[] | null;
  awayUntil: string;
  counts: Record<string, number> | null;
  programs: RotationProgramSummary[] | null;
}) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Rotations">
        {props.role === 'hr' && (
          <>
            <a class="button" href="/rotations/planner">
              Plan rotations
            </a>
            <a class="button secondary" href="/rotations/new">
              Schedule a rotation
            </a>
          </>
        )}
        {props.role !== 'employee' && (
          <a class="button secondary" href="/rotations/timeline">
            Timeline
          </a>
        )}
      </PageHeader>
      <RotationsNav role={props.role} current="/rotations" />
      {props.counts && (
        <p class="card" id="rotation-counts">
          {props.counts.active} active · {props.counts.planned} planned · {props.counts.completed} completed · {props.counts.cancelled} cancelled
        </p>
      )}
      <section class="card" id="my-rotations">
        <h2>My rotations</h2>
        {props.mine.length === 0 ? (
          <p class="muted">You have no rotations, as guest or as mentor. Tell HR when you would like to go: add your preferred periods under My availability.</p>
        ) : (
          <div class="table-wrap">
            <table class="responsive">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Role</th>
                  <th scope="col">Where</th>
                  <th scope="col">With</th>
                  <th scope="col">Program</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {props.mine.map((r) => (
                  <tr>
                    <td data-label="When">
                      <a href={`/rotations/${r.rotationId}`}>
                        {r.startDate} to {r.endDate}
                      </a>
                    </td>
                    <td data-label="Role">{r.role === 'guest' ? 'Guest' : 'Mentor'}</td>
                    <td data-label="Where">{r.hostTeamName}</td>
                    <td data-label="With">{r.role === 'guest' ? (r.mentorName ? `Mentor: ${r.mentorName}` : 'No mentor yet') : `Guest: ${r.guestName}`}</td>
                    <td data-label="Program">{r.programName}</td>
                    <td data-label="Status">
                      <StatusTag status={r.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {props.away && (
        <section class="card" id="away">
          <h2>
            Who is away until {props.awayUntil}
          </h2>
          {props.away.length === 0 ? (
            <p class="muted">Nobody you look after is away on a rotation in these weeks.</p>
          ) : (
            <div class="table-wrap">
              <table class="responsive">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Home team</th>
                    <th scope="col">Away with</th>
                    <th scope="col">From</th>
                    <th scope="col">Until</th>
                  </tr>
                </thead>
                <tbody>
                  {props.away.slice(0, AWAY_SHOWN).map((a) => (
                    <tr>
                      <td data-label="Person">
                        <a href={`/rotations/${a.rotationId}`}>{a.name}</a>
                      </td>
                      <td data-label="Home team">{a.homeTeamName ?? '—'}</td>
                      <td data-label="Away with">{a.hostTeamName}</td>
                      <td data-label="From">{a.startDate}</td>
                      <td data-label="Until">{a.endDate}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {props.away.length > AWAY_SHOWN && (
                <p class="muted">
                  And {props.away.length - AWAY_SHOWN} more: see the <a href="/rotations/timeline">timeline</a>.
                </p>
              )}
            </div>
          )}
        </section>
      )}
      {props.programs && (
        <section class="card">
          <h2>Programs</h2>
          {props.programs.length === 0 ? (
            <p>
              No programs yet. <a href="/rotations/programs/new">Create the first one</a>.
            </p>
          ) : (
            <ul>
              {props.programs.map((p) => (
                <li>
                  <a href={`/rotations/programs/${p.id}`}>{p.name}</a> — {DIRECTION_SHORT[p.direction]}, {p.lengthWeeks} weeks, {p.rotationCount} rotations{!p.active && ' (archived)'}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Layout>
  );
}

// ── programs ────────────────────────────────────────────────────────────────

export function ProgramsPage(props: { layout: LayoutProps; programs: RotationProgramSummary[] }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Rotation programs">
        <a class="button" href="/rotations/programs/new">
          New program
        </a>
      </PageHeader>
      <RotationsNav role="hr" current="/rotations/programs" />
      {props.programs.length === 0 ? (
        <p class="card">No rotation programs yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Program</th>
                <th scope="col">Direction</th>
                <th scope="col">Length</th>
                <th scope="col">Host teams</th>
                <th scope="col">Coverage</th>
                <th scope="col">Rotations</th>
              </tr>
            </thead>
            <tbody>
              {props.programs.map((p) => (
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
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

const programLabels: Record<string, string> = { name: 'Name', direction: 'Direction', lengthWeeks: 'Length', coveragePercent: 'Home-team coverage', learningGoals: 'Learning goals', hostTeams: 'Host teams', checklist: 'Checklist' };

export function ProgramFormPage(props: {
  layout: LayoutProps;
  programId?: number;
  values: FormValues;
  errors?: FieldErrors;
  teams: { id: number; name: string; department: string }[];
}) {
  const action = props.programId ? `/rotations/programs/${props.programId}` : '/rotations/programs';
  const capacityOf = (teamId: number) => String(props.values[`capacity_${teamId}`] ?? '');
  return (
    <Layout {...props.layout}>
      <h1>{props.programId ? `Edit ${String(props.values.name ?? 'program')}` : 'New rotation program'}</h1>
      <ErrorSummary errors={props.errors} labels={programLabels} />
      <form method="post" action={action} class="stack card" novalidate>
        <CsrfField token={props.layout.csrfToken} />
        <Field name="name" label="Name" required values={props.values} errors={props.errors} />
        <Select name="direction" label="Direction" required options={DIRECTIONS} values={props.values} errors={props.errors} />
        <Field name="lengthWeeks" label="Length in weeks" type="number" min={1} max={52} required values={props.values} errors={props.errors} />
        <Field name="coveragePercent" label="Home-team coverage (%)" type="number" min={1} max={100} required values={props.values} errors={props.errors} hint="No more than this share of a guest's home team may be away at once. Teams of 4 or more may always send one person." />
        <TextArea name="learningGoals" label="Learning goals" values={props.values} errors={props.errors} rows={3} />
        <fieldset class={props.errors?.hostTeams ? 'field has-error' : 'field'} id="f-hostTeams">
          <legend>Host teams and how many guests each takes at once</legend>
          <p class="hint">Leave blank or 0 for teams that do not host this program.</p>
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
        </fieldset>
        <TextArea name="checklist" label="Checklist (one item per line)" values={props.values} errors={props.errors} rows={5} />
        <label class="checkbox">
          <input type="checkbox" name="active" value="true" checked={props.values.active !== false && props.values.active !== 'false'} /> Active (offered in the planner)
        </label>
        <div class="actions">
          <button type="submit">{props.programId ? 'Save program' : 'Create program'}</button>
          <a class="button secondary" href="/rotations/programs">
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

// ── scheduling one rotation ─────────────────────────────────────────────────

const scheduleLabels: Record<string, string> = { programId: 'Program', personId: 'Person', hostTeamId: 'Host team', mentorId: 'Mentor', startDate: 'Start', endDate: 'End', overrideReason: 'Reason', _form: '' };

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
  return (
    <Layout {...props.layout}>
      <h1>Schedule a rotation</h1>
      <RotationsNav role="hr" current="/rotations/new" />
      <ErrorSummary errors={props.errors} labels={scheduleLabels} />
      <form method="post" action="/rotations" class="stack card" novalidate>
        <CsrfField token={props.layout.csrfToken} />
        <Select name="programId" label="Program" required options={props.programs} values={props.values} errors={props.errors} blank="Choose…" />
        <Select name="personId" label="Person" required options={props.people} values={props.values} errors={props.errors} blank="Choose…" />
        <Select name="hostTeamId" label="Host team" required options={props.teams} values={props.values} errors={props.errors} blank="Choose…" />
        <Select name="mentorId" label="Mentor" options={props.mentors} values={props.values} errors={props.errors} blank="No mentor yet" hint="Someone in the host team." />
        <Field name="startDate" label="Start" type="date" required values={props.values} errors={props.errors} />
        <Field name="endDate" label="End" type="date" required values={props.values} errors={props.errors} hint="The last day of the rotation (inclusive)." />
        <OverrideSection violations={props.violations} values={props.values} errors={props.errors} />
        <div class="actions">
          <button type="submit">Schedule rotation</button>
          <a class="button secondary" href="/rotations">
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function ChangeRotationPage(props: {
  layout: LayoutProps;
  rotationId: number;
  guestName: string;
  values: FormValues;
  errors?: FieldErrors;
  violations: RuleViolation[];
  hostTeams: Option[];
  mentors: Option[];
}) {
  return (
    <Layout {...props.layout}>
      <h1>Move {props.guestName}'s rotation</h1>
      <ErrorSummary errors={props.errors} labels={scheduleLabels} />
      <form method="post" action={`/rotations/${props.rotationId}`} class="stack card" novalidate>
        <CsrfField token={props.layout.csrfToken} />
        <Select name="hostTeamId" label="Host team" required options={props.hostTeams} values={props.values} errors={props.errors} />
        <Select name="mentorId" label="Mentor" options={props.mentors} values={props.values} errors={props.errors} blank="No mentor yet" hint="Someone in the host team." />
        <Field name="startDate" label="Start" type="date" required values={props.values} errors={props.errors} />
        <Field name="endDate" label="End" type="date" required values={props.values} errors={props.errors} hint="The last day of the rotation (inclusive)." />
        <OverrideSection violations={props.violations} values={props.values} errors={props.errors} />
        <div class="actions">
          <button type="submit">Save changes</button>
          <a class="button secondary" href={`/rotations/${props.rotationId}`}>
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

// ── one rotation ────────────────────────────────────────────────────────────

export function ChecklistPartial(props: { rotation: RotationDetails; canTick: boolean; csrfToken: string | null }) {
  const r = props.rotation;
  const done = r.checklist.filter((c) => c.doneAt).length;
  return (
    <section class="card" id="checklist">
      <h2>
        Checklist <span class="muted">({done} of {r.checklist.length} done)</span>
      </h2>
      {r.checklist.length > 0 && <progress max={r.checklist.length} value={done} aria-label="Checklist progress"></progress>}
      {r.checklist.length === 0 ? (
        <p class="muted">This program has no checklist.</p>
      ) : (
        <ul class="checklist">
          {r.checklist.map((item) => (
            <li class={item.doneAt ? 'done' : ''}>
              {props.canTick ? (
                <form method="post" action={`/rotations/${r.id}/checklist/${item.id}`} class="inline" hx-post={`/rotations/${r.id}/checklist/${item.id}`} hx-target="#checklist" hx-swap="outerHTML">
                  <CsrfField token={props.csrfToken} />
                  <input type="hidden" name="done" value={item.doneAt ? 'false' : 'true'} />
                  <button type="submit" class="small secondary" aria-pressed={item.doneAt ? 'true' : 'false'}>
                    {item.doneAt ? '☑' : '☐'} <span class="sr-only">{item.doneAt ? 'Mark not done:' : 'Mark done:'}</span>
                  </button>{' '}
                  {item.title}
                </form>
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

function CheckInForm(props: { rotationId: number; kind: 'midpoint' | 'end'; opensOn: string; open: boolean; values?: FormValues; errors?: FieldErrors; csrfToken: string | null; otherDepartment: string }) {
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
  const guestDept = r.personDepartment;
  const otherForAuthor = props.viewerRole === 'mentor' ? guestDept : guestDept === 'marketing' ? 'sales' : 'marketing';
  const mine = (kind: 'midpoint' | 'end') => r.checkIns.find((c) => c.kind === kind && c.authorRole === props.viewerRole);
  return (
    <Layout {...props.layout}>
      <PageHeader title={`${r.personName} in ${r.hostTeamName}`}>
        <StatusTag status={r.status} />
        {props.isHr && r.status !== 'cancelled' && r.status !== 'completed' && (
          <a class="button secondary" href={`/rotations/${r.id}/edit`}>
            Move or change
          </a>
        )}
      </PageHeader>
      <div class="grid">
        <section class="card">
          <dl class="details">
            <dt>Program</dt>
            <dd>{r.programName}</dd>
            <dt>Guest</dt>
            <dd>
              {r.personName} <span class={`tag ${r.personDepartment}`}>{departmentLabel(r.personDepartment)}</span> {r.homeTeamName && <span class="muted">from {r.homeTeamName}</span>}
            </dd>
            <dt>Host team</dt>
            <dd>{r.hostTeamName}</dd>
            <dt>Mentor</dt>
            <dd>{r.mentorName ?? '—'}</dd>
            <dt>Dates</dt>
            <dd>
              {r.startDate} to {r.endDate} <span class="muted">(mid-point {r.midpoint})</span>
            </dd>
            <dt>Status</dt>
            <dd>
              <StatusTag status={r.status} />
              {r.cancelReason && <span class="muted"> — {r.cancelReason}</span>}
            </dd>
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
                  <strong>Reason:</strong> {o.reason} <span class="muted">— {o.byName ?? 'API'}, {formatDateTime(o.at)}</span>
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
        {props.viewerRole && r.status !== 'cancelled' &&
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
          <form method="post" action={`/rotations/${r.id}/cancel`} class="stack" data-confirm={`Cancel ${r.personName}'s rotation?`}>
            <CsrfField token={props.layout.csrfToken} />
            <Field name="reason" label="Reason" required />
            <button type="submit" class="danger">
              Cancel rotation
            </button>
          </form>
        </section>
      )}
    </Layout>
  );
}

// ── planner ─────────────────────────────────────────────────────────────────

const plannerLabels: Record<string, string> = { programId: 'Program', selection: 'Who', teamId: 'Team', department: 'Department', personIds: 'People', horizonStart: 'Horizon start', weeks: 'Weeks' };

export function PlannerPage(props: {
  layout: LayoutProps;
  values: FormValues;
  errors?: FieldErrors;
  programs: Option[];
  teams: Option[];
  people: Option[];
}) {
  const selected = new Set((Array.isArray(props.values.personIds) ? props.values.personIds : props.values.personIds ? [props.values.personIds] : []).map(String));
  const selection = String(props.values.selection ?? 'team');
  const excludedIds = new Set((Array.isArray(props.values.excludeIds) ? props.values.excludeIds : props.values.excludeIds ? [props.values.excludeIds] : []).map(String));
  const excluded = props.people.filter((o) => excludedIds.has(String(o.value)));
  return (
    <Layout {...props.layout}>
      <h1>Plan rotations</h1>
      <RotationsNav role="hr" current="/rotations/planner" />
      <p class="muted">crosstrain proposes a plan; nothing is written until you review it and commit.</p>
      <ErrorSummary errors={props.errors} labels={plannerLabels} />
      <form method="post" action="/rotations/planner" class="stack card" novalidate>
        <CsrfField token={props.layout.csrfToken} />
        <Select name="programId" label="Program" required options={props.programs} values={props.values} errors={props.errors} blank="Choose…" />
        <fieldset class="field" id="f-selection">
          <legend>Whom to place</legend>
          {props.errors?.selection && <p class="field-error">{props.errors.selection}</p>}
          <label class="checkbox">
            <input type="radio" name="selection" value="team" checked={selection === 'team'} /> A team
          </label>
          <label class="checkbox">
            <input type="radio" name="selection" value="department" checked={selection === 'department'} /> A department
          </label>
          <label class="checkbox">
            <input type="radio" name="selection" value="people" checked={selection === 'people'} /> A list of people
          </label>
        </fieldset>
        <Select name="teamId" label="Team" options={props.teams} values={props.values} errors={props.errors} blank="Choose…" />
        <Select name="department" label="Department" options={[{ value: 'marketing', label: 'marketing' }, { value: 'sales', label: 'sales' }]} values={props.values} errors={props.errors} blank="Choose…" />
        <div class="field">
          <label for="f-personIds">People</label>
          <select id="f-personIds" name="personIds" multiple size={8}>
            {props.people.map((o) => (
              <option value={String(o.value)} selected={selected.has(String(o.value))}>
                {o.label}
              </option>
            ))}
          </select>
          <p class="hint">Hold Ctrl (or ⌘) to choose several.</p>
        </div>
        <label class="checkbox">
          <input type="checkbox" name="includeManagers" value="true" aria-describedby="f-includeManagers-hint" checked={props.values.includeManagers === true || props.values.includeManagers === 'true'} /> Include managers and leads
        </label>
        <p class="hint" id="f-includeManagers-hint">
          Managers, HR and anyone with reports stay home unless you tick this.
        </p>
        <fieldset class="field" id="f-exclude">
          <legend>Leave people out</legend>
          {props.errors?.excludeSearch && <p class="field-error">{props.errors.excludeSearch}</p>}
          {excluded.length > 0 && (
            <ul class="excluded">
              {excluded.map((o) => (
                <li>
                  <label class="checkbox">
                    <input type="checkbox" name="excludeIds" value={String(o.value)} checked /> Leave out {o.label}
                  </label>
                </li>
              ))}
            </ul>
          )}
          <div class="inline-search">
            <label for="f-excludeSearch">Find a person to leave out</label>
            <input id="f-excludeSearch" name="excludeSearch" list="planner-people" autocomplete="off" value={String(props.values.excludeSearch ?? '')} />
            <datalist id="planner-people">
              {props.people.map((o) => (
                <option value={o.label}></option>
              ))}
            </datalist>
            <button type="submit" name="addExclude" value="1" class="secondary small" formnovalidate>
              Leave out
            </button>
          </div>
          <p class="hint">Type a name, pick it from the list and press Leave out; untick someone to place them again.</p>
        </fieldset>
        <Field name="horizonStart" label="Horizon start" type="date" required values={props.values} errors={props.errors} hint="Rotations start on Mondays from here on." />
        <Field name="weeks" label="Horizon in weeks" type="number" min={1} max={104} required values={props.values} errors={props.errors} />
        <label class="checkbox">
          <input type="checkbox" name="strictReciprocity" value="true" checked={props.values.strictReciprocity !== false && props.values.strictReciprocity !== 'false'} /> Two-way programs: as many reps into marketing as marketers into sales
        </label>
        <button type="submit">Propose a plan</button>
      </form>
    </Layout>
  );
}

/** Above this many rotations the review table shows host team and mentor as text. */
export const COMPACT_REVIEW_ABOVE = 300;

export type ReviewItem = {
  personId: number;
  personName: string;
  homeTeamName: string | null;
  hostTeamId: number;
  mentorId: number | null;
  start: string;
  end: string;
  violations: RuleViolation[];
  /** Nearest changes that keep every rule, for an item that breaks one. */
  fixes?: { starts: FixView[]; hosts: FixView[] };
};

/** A suggested fix as the review shows it: the form value that applies it and the words for it. */
export type FixView = { value: string; start: string; hostTeamName: string; mentorName: string | null };

function FixButtons(props: { item: ReviewItem; index: number }) {
  const fixes = props.item.fixes;
  if (!fixes) return null;
  const all = [...fixes.starts.map((f) => ({ f, kind: 'start' as const })), ...fixes.hosts.map((f) => ({ f, kind: 'host' as const }))];
  if (all.length === 0) return <p class="muted fixes-none">No start week or host team in this horizon keeps every rule: remove this rotation or change the horizon.</p>;
  return (
    <div class="fixes">
      <p class="fixes-title">Keeps every rule:</p>
      <ul>
        {all.map(({ f, kind }) => (
          <li>
            <button type="submit" name="apply" value={`${props.index}|${f.value}`} class="small secondary">
              {kind === 'start' && f.start !== props.item.start ? `Start ${readableDate(f.start)}` : kind === 'host' ? `Host ${f.hostTeamName}` : 'Same dates'}
              {f.mentorName ? `, mentor ${f.mentorName}` : ', no mentor'}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The mentor choice of one plan row; htmx swaps it when the row's host team changes. */
export function MentorSelect(props: { index: number; personName: string; mentorId: number | null; options: Option[] }) {
  return (
    <select name="itemMentor" id={`plan-mentor-${props.index}`} aria-label={`Mentor for ${props.personName}`}>
      <option value="">No mentor</option>
      {props.options.map((o) => (
        <option value={String(o.value)} selected={Number(o.value) === props.mentorId}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export type PlanRequestFields = Record<string, string | string[]>;

function HiddenRequest(props: { fields: PlanRequestFields }) {
  const inputs: Child[] = [];
  for (const [name, value] of Object.entries(props.fields)) {
    for (const v of Array.isArray(value) ? value : [value]) inputs.push(<input type="hidden" name={name} value={v} />);
  }
  return <>{inputs}</>;
}

export function PlanReviewPage(props: {
  layout: LayoutProps;
  programName: string;
  lengthWeeks: number;
  request: PlanRequestFields;
  items: ReviewItem[];
  unplaced: (UnplacedPerson & { name: string })[];
  alreadyPlanned: { personId: number; name: string; startDate: string; endDate: string }[];
  stats: PlanStats | null;
  timeline: TimelineData;
  hostTeams: Option[];
  mentorsByTeam: Record<number, Option[]>;
  firstStart: string;
  lastStart: string;
  message?: string | null;
  committedError?: string | null;
}) {
  const brokenItems = props.items.filter((i) => i.violations.length > 0);
  const broken = brokenItems.length;
  // Large plans keep host team and mentor fixed in the table (hundreds of long selects would make
  // the page megabytes); they can be changed on each rotation after the commit.
  const compact = props.items.length > COMPACT_REVIEW_ABOVE;
  const hostName = (id: number) => props.hostTeams.find((o) => Number(o.value) === id)?.label ?? `Team ${id}`;
  const mentorName = (teamId: number, id: number | null) => (id === null ? 'No mentor' : props.mentorsByTeam[teamId]?.find((o) => Number(o.value) === id)?.label ?? `Person ${id}`);
  return (
    <Layout {...props.layout}>
      <h1>Review the plan: {props.programName}</h1>
      <RotationsNav role="hr" current="/rotations/planner" />
      {props.committedError && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <h2>Nothing was committed</h2>
          <p>{props.committedError}</p>
        </div>
      )}
      {props.message && (
        <p class="flash" role="status">
          {props.message}
        </p>
      )}
      <p class="card" id="plan-summary">
        {props.items.length} rotation{props.items.length === 1 ? '' : 's'} proposed
        {props.stats && (
          <>
            {' '}
            · {props.unplaced.length} could not be placed
            {props.stats.withPreferences > 0 && ` · preferences met for ${props.stats.preferencesMet} of ${props.stats.withPreferences}`}
            {props.stats.placedByDirection.sales_to_marketing > 0 && props.stats.placedByDirection.marketing_to_sales > 0 &&
              ` · ${props.stats.placedByDirection.marketing_to_sales} marketers into sales, ${props.stats.placedByDirection.sales_to_marketing} reps into marketing`}
          </>
        )}
        {broken > 0 ? <strong class="bad-text"> · {broken} break a rule — fix or remove them before committing</strong> : ' · every rotation keeps every rule'}
      </p>
      <Timeline data={props.timeline} caption="Proposed rotations by week" barHref={() => null} />
      <form method="post" action="/rotations/planner/review" id="plan-form">
        <CsrfField token={props.layout.csrfToken} />
        <HiddenRequest fields={props.request} />
        <div class="table-wrap">
          <table class="responsive plan-items">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Host team</th>
                <th scope="col">Mentor</th>
                <th scope="col">Start (Monday)</th>
                <th scope="col">End</th>
                <th scope="col">Rules</th>
                <th scope="col">
                  <span class="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((item, i) => (
                <tr class={item.violations.length ? 'broken' : ''} data-person={item.personId}>
                  <td data-label="Person">
                    <input type="hidden" name="itemPerson" value={String(item.personId)} />
                    {item.personName}
                    {item.homeTeamName && <div class="muted">{item.homeTeamName}</div>}
                  </td>
                  <td data-label="Host team">
                    {compact ? (
                      <>
                        <input type="hidden" name="itemHost" value={String(item.hostTeamId)} />
                        {hostName(item.hostTeamId)}
                      </>
                    ) : (
                      <select
                        name="itemHost"
                        aria-label={`Host team for ${item.personName}`}
                        hx-get={`/rotations/planner/mentors?row=${i}&personId=${item.personId}`}
                        hx-trigger="change"
                        hx-target={`#plan-mentor-${i}`}
                        hx-swap="outerHTML"
                        hx-include="this"
                      >
                        {props.hostTeams.map((o) => (
                          <option value={String(o.value)} selected={Number(o.value) === item.hostTeamId}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                  <td data-label="Mentor">
                    {compact ? (
                      <>
                        <input type="hidden" name="itemMentor" value={item.mentorId === null ? '' : String(item.mentorId)} />
                        {mentorName(item.hostTeamId, item.mentorId)}
                      </>
                    ) : (
                      <MentorSelect index={i} personName={item.personName} mentorId={item.mentorId} options={(props.mentorsByTeam[item.hostTeamId] ?? []).filter((o) => Number(o.value) !== item.personId)} />
                    )}
                  </td>
                  <td data-label="Start">
                    <input type="date" name="itemStart" value={item.start} min={props.firstStart} max={props.lastStart} step={7} aria-label={`Start for ${item.personName}`} />
                  </td>
                  <td data-label="End">{item.end}</td>
                  <td data-label="Rules">
                    {item.violations.length ? (
                      <>
                        <ViolationList violations={item.violations} />
                        <FixButtons item={item} index={i} />
                      </>
                    ) : (
                      <span class="tag ok">keeps every rule</span>
                    )}
                  </td>
                  <td>
                    <button type="submit" name="remove" value={String(i)} class="small secondary" aria-label={`Remove ${item.personName} from the plan`}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="muted">
          Moving a rotation keeps its length ({props.lengthWeeks} weeks).{' '}
          {compact ? `This plan has more than ${COMPACT_REVIEW_ABOVE} rotations: move or remove them here, and change host teams or mentors on each rotation after committing.` : 'The mentor list follows the host team you choose.'}
        </p>
        {brokenItems.length > 0 && (
          <div class="notice" id="commit-blocked">
            <p>
              <strong>
                Commit is unavailable: {brokenItems.length} rotation{brokenItems.length === 1 ? '' : 's'} break{brokenItems.length === 1 ? 's' : ''} a rule.
              </strong>{' '}
              Apply a suggestion, change the row and check again, or remove it.
            </p>
            <ul>
              {brokenItems.slice(0, 10).map((item) => (
                <li>
                  {item.personName}: {[...new Set(item.violations.map((v) => ruleTitle(v.code)))].join(', ')}
                </li>
              ))}
              {brokenItems.length > 10 && <li>… and {brokenItems.length - 10} more.</li>}
            </ul>
          </div>
        )}
        <div class="actions">
          <button type="submit" class="secondary">
            Check again
          </button>
          <button type="submit" formaction="/rotations/planner/commit" disabled={props.items.length === 0 || brokenItems.length > 0} aria-describedby={brokenItems.length > 0 ? 'commit-blocked' : undefined}>
            Commit plan
          </button>
        </div>
      </form>
      {props.unplaced.length > 0 && (
        <section class="card" id="unplaced">
          <h2>Could not be placed</h2>
          <ul>
            {props.unplaced.map((u) => (
              <li data-rule={u.rule}>
                <strong>{u.name}</strong> <span class="tag bad">{u.rule === ('removed' as string) ? 'Removed' : ruleTitle(u.rule)}</span> {ruleBreakSentence({ code: u.rule, message: u.message })}
              </li>
            ))}
          </ul>
        </section>
      )}
      {props.alreadyPlanned.length > 0 && (
        <section class="card">
          <h2>Already planned in this program</h2>
          <ul>
            {props.alreadyPlanned.map((a) => (
              <li>
                {a.name}: {a.startDate} to {a.endDate}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}

// ── timeline ────────────────────────────────────────────────────────────────

export function TimelineResults(props: { data: TimelineData; from: string; weeks: number; pageHref: (page: number) => string }) {
  const { data } = props;
  return (
    <div id="timeline-results" aria-live="polite">
      <p class="muted">
        {props.weeks} weeks from {props.from} · {data.group === 'people' ? `${data.total} people` : `${data.total} host teams`} · {data.conflictCount} conflict{data.conflictCount === 1 ? '' : 's'}
      </p>
      <Timeline data={data} caption={`Rotations by week from ${props.from}`} />
      {data.total > data.pageSize && <Pager page={data.page} pageSize={data.pageSize} total={data.total} href={props.pageHref} target="#timeline-results" />}
      <p class="legend muted">
        <span class="swatch dept-marketing"></span> marketer away · <span class="swatch dept-sales"></span> rep away · <span class="swatch conflict"></span> conflict (overridden or broken rule) · capacity cells turn red above the host team's limit.
      </p>
    </div>
  );
}

export function TimelinePage(props: {
  layout: LayoutProps;
  role: string;
  values: FormValues;
  programs: Option[];
  teams: Option[];
  data: TimelineData;
  from: string;
  weeks: number;
  pageHref: (page: number) => string;
}) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Rotation timeline" />
      <RotationsNav role={props.role} current="/rotations/timeline" />
      <form method="get" action="/rotations/timeline" class="filters card" role="search" hx-get="/rotations/timeline" hx-target="#timeline-results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="change, submit">
        <Field name="from" label="From" type="date" values={props.values} />
        <Field name="weeks" label="Weeks" type="number" min={1} max={104} values={props.values} />
        <Select name="program" label="Program" blank="All programs" options={props.programs} values={props.values} />
        <Select name="team" label="Team" blank="All teams" options={props.teams} values={props.values} />
        <Select name="department" label="Department" blank="Both" options={departmentOptions.filter((d) => d.value !== 'other')} values={props.values} />
        <Select name="group" label="Rows" options={[{ value: 'people', label: 'People' }, { value: 'teams', label: 'Host teams' }]} values={props.values} />
        <Select name="conflicts" label="Show" blank="All rotations" options={[{ value: 'only', label: 'Only conflicts' }]} values={props.values} />
        <button type="submit">Show</button>
      </form>
      <TimelineResults data={props.data} from={props.from} weeks={props.weeks} pageHref={props.pageHref} />
    </Layout>
  );
}

// ── blackouts and availability ──────────────────────────────────────────────

export function BlackoutsPage(props: { layout: LayoutProps; blackouts: BlackoutRow[]; teams: Option[]; values?: FormValues; errors?: FieldErrors }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Blackout periods" />
      <RotationsNav role="hr" current="/rotations/blackouts" />
      <p class="muted">No rotation may run while a blackout covers the guest's home team or the host team: quarter-end for sales, launches for marketing.</p>
      {props.blackouts.length === 0 ? (
        <p class="card">No blackouts.</p>
      ) : (
        <div class="table-wrap">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">For</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">
                  <span class="sr-only">Delete</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.blackouts.map((b) => (
                <tr>
                  <td data-label="Name">{b.name}</td>
                  <td data-label="For">{b.teamName ?? `all of ${departmentLabel(b.department ?? "")}`}</td>
                  <td data-label="From">{b.startDate}</td>
                  <td data-label="Until">{b.endDate}</td>
                  <td>
                    <PostButton action={`/rotations/blackouts/${b.id}/delete`} csrfToken={props.layout.csrfToken} label="Delete" class="small danger" confirm={`Delete the blackout ${b.name}?`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Add a blackout</h2>
      <ErrorSummary errors={props.errors} />
      <form method="post" action="/rotations/blackouts" class="stack card" novalidate>
        <CsrfField token={props.layout.csrfToken} />
        <Field name="name" label="Name" required values={props.values} errors={props.errors} placeholder="Q3 close" />
        <Select name="scope" label="For" options={[{ value: 'department', label: 'A whole department' }, { value: 'team', label: 'One team' }]} values={props.values} errors={props.errors} />
        <Select name="department" label="Department" blank="Choose…" options={departmentOptions} values={props.values} errors={props.errors} />
        <Select name="teamId" label="Team" blank="Choose…" options={props.teams} values={props.values} errors={props.errors} />
        <Field name="startDate" label="From" type="date" required values={props.values} errors={props.errors} />
        <Field name="endDate" label="Until" type="date" required values={props.values} errors={props.errors} />
        <button type="submit">Add blackout</button>
      </form>
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
              <span class={`tag ${p.kind === 'unavailable' ? 'bad' : 'ok'}`}>{p.kind}</span> {p.startDate} to {p.endDate} {p.note && <span class="muted">— {p.note}</span>}{' '}
              <form method="post" action={action(`/rotations/periods/${p.id}/delete`)} class="inline">
                <CsrfField token={props.layout.csrfToken} />
                <button type="submit" class="small secondary">
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h2>Add a period</h2>
      <ErrorSummary errors={props.errors} />
      <form method="post" action={action('/rotations/periods')} class="stack card" novalidate data-base={base}>
        <CsrfField token={props.layout.csrfToken} />
        <Select name="kind" label="Kind" options={[{ value: 'preferred', label: 'Preferred: I would like to rotate then' }, { value: 'unavailable', label: 'Unavailable: I cannot rotate then' }]} values={props.values} errors={props.errors} />
        <Field name="startDate" label="From" type="date" required values={props.values} errors={props.errors} />
        <Field name="endDate" label="Until" type="date" required values={props.values} errors={props.errors} />
        <Field name="note" label="Note" values={props.values} errors={props.errors} />
        <button type="submit">Add period</button>
      </form>
    </Layout>
  );
}

export type { RotationListRow };
