import type { Child } from 'hono/jsx';
import type { PlanStats, UnplacedPerson } from '../../src/rotations/planner';
import { readableDate, ruleBreakSentence, ruleTitle } from '../../src/rotations/rules';
import type { RuleViolation } from '../../src/rotations/rules';
import type { TimelineData } from '../../src/rotations/timeline';
import { ErrorSummary, Field, optionsOf, PostForm, Select, Table } from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { Timeline } from './timeline';
import { RotationsNav, ViolationList } from './components';

const plannerLabels: Record<string, string> = {
  programId: 'Program',
  selection: 'Who',
  teamId: 'Team',
  department: 'Department',
  personIds: 'People',
  horizonStart: 'Horizon start',
  weeks: 'Weeks',
};

export function PlannerPage(props: { layout: LayoutProps; values: FormValues; errors?: FieldErrors; programs: Option[]; teams: Option[]; people: Option[] }) {
  const selected = new Set(
    (Array.isArray(props.values.personIds) ? props.values.personIds : props.values.personIds ? [props.values.personIds] : []).map(String),
  );
  const selection = String(props.values.selection ?? 'team');
  const excludedIds = new Set(
    (Array.isArray(props.values.excludeIds) ? props.values.excludeIds : props.values.excludeIds ? [props.values.excludeIds] : []).map(String),
  );
  const excluded = props.people.filter((o) => excludedIds.has(String(o.value)));
  const form = { values: props.values, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <h1>Plan rotations</h1>
      <RotationsNav role="hr" current="/rotations/planner" />
      <p class="muted">crosstrain proposes a plan; nothing is written until you review it and commit.</p>
      <ErrorSummary errors={props.errors} labels={plannerLabels} />
      <PostForm action="/rotations/planner" csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        <Select name="programId" label="Program" required options={props.programs} {...form} blank="Choose…" />
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
        <Select name="teamId" label="Team" options={props.teams} {...form} blank="Choose…" />
        <Select name="department" label="Department" options={optionsOf({ marketing: 'marketing', sales: 'sales' })} {...form} blank="Choose…" />
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
          <input
            type="checkbox"
            name="includeManagers"
            value="true"
            aria-describedby="f-includeManagers-hint"
            checked={props.values.includeManagers === true || props.values.includeManagers === 'true'}
          />{' '}
          Include managers and leads
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
        <Field name="horizonStart" label="Horizon start" type="date" required {...form} hint="Rotations start on Mondays from here on." />
        <Field name="weeks" label="Horizon in weeks" type="number" min={1} max={104} required {...form} />
        <label class="checkbox">
          <input
            type="checkbox"
            name="strictReciprocity"
            value="true"
            checked={props.values.strictReciprocity !== false && props.values.strictReciprocity !== 'false'}
          />{' '}
          Two-way programs: as many reps into marketing as marketers into sales
        </label>
        <button type="submit">Propose a plan</button>
      </PostForm>
    </Layout>
  );
}

/** Above this many rotations the review table shows host team and mentor as text. */
const COMPACT_REVIEW_ABOVE = 300;

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
  if (all.length === 0)
    return <p class="muted fixes-none">No start week or host team in this horizon keeps every rule: remove this rotation or change the horizon.</p>;
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
  const mentorName = (teamId: number, id: number | null) =>
    id === null ? 'No mentor' : (props.mentorsByTeam[teamId]?.find((o) => Number(o.value) === id)?.label ?? `Person ${id}`);
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
            {props.stats.placedByDirection.sales_to_marketing > 0 &&
              props.stats.placedByDirection.marketing_to_sales > 0 &&
              ` · ${props.stats.placedByDirection.marketing_to_sales} marketers into sales, ${props.stats.placedByDirection.sales_to_marketing} reps into marketing`}
          </>
        )}
        {broken > 0 ? <strong class="bad-text"> · {broken} break a rule — fix or remove them before committing</strong> : ' · every rotation keeps every rule'}
      </p>
      <Timeline data={props.timeline} caption="Proposed rotations by week" barHref={() => null} />
      <PostForm action="/rotations/planner/review" csrfToken={props.layout.csrfToken} id="plan-form">
        <HiddenRequest fields={props.request} />
        <Table
          columns={['Person', 'Host team', 'Mentor', 'Start (Monday)', 'End', 'Rules', <span class="sr-only">Remove</span>]}
          class="plan-items"
          rows={props.items}
          row={(item, i) => (
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
                  <MentorSelect
                    index={i}
                    personName={item.personName}
                    mentorId={item.mentorId}
                    options={(props.mentorsByTeam[item.hostTeamId] ?? []).filter((o) => Number(o.value) !== item.personId)}
                  />
                )}
              </td>
              <td data-label="Start">
                <input
                  type="date"
                  name="itemStart"
                  value={item.start}
                  min={props.firstStart}
                  max={props.lastStart}
                  step={7}
                  aria-label={`Start for ${item.personName}`}
                />
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
          )}
        />
        <p class="muted">
          Moving a rotation keeps its length ({props.lengthWeeks} weeks).{' '}
          {compact
            ? `This plan has more than ${COMPACT_REVIEW_ABOVE} rotations: move or remove them here, and change host teams or mentors on each rotation after committing.`
            : 'The mentor list follows the host team you choose.'}
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
          <button
            type="submit"
            formaction="/rotations/planner/commit"
            disabled={props.items.length === 0 || brokenItems.length > 0}
            aria-describedby={brokenItems.length > 0 ? 'commit-blocked' : undefined}
          >
            Commit plan
          </button>
        </div>
      </PostForm>
      {props.unplaced.length > 0 && (
        <section class="card" id="unplaced">
          <h2>Could not be placed</h2>
          <ul>
            {props.unplaced.map((u) => (
              <li data-rule={u.rule}>
                <strong>{u.name}</strong> <span class="tag bad">{u.rule === ('removed' as string) ? 'Removed' : ruleTitle(u.rule)}</span>{' '}
                {ruleBreakSentence({ code: u.rule, message: u.message })}
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
