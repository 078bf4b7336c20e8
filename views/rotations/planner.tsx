import type { UnplacedPerson } from '../../src/rotations/planner';
import type { DraftStats } from '../../src/rotations/plan-drafts';
import { readableDate, ruleBreakSentence, ruleTitle } from '../../src/rotations/rules';
import type { RuleViolation } from '../../src/rotations/rules';
import type { TimelineData } from '../../src/rotations/timeline';
import { ErrorSummary, Field, optionsOf, Pager, PostForm, Select, Table } from '../components';
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

/** The names a planner search box offers: empty until HR types (htmx fills it), or a search's matches. */
export function PeopleDatalist(props: { options: Option[] }) {
  return (
    <datalist id="planner-people">
      {props.options.map((o) => (
        <option value={o.label}></option>
      ))}
    </datalist>
  );
}

/** A search box whose name, picked from the list and added with its button, joins a list of people. */
/** The people picked so far, each a ticked box: unticking takes them off when the form is sent. */
function PickedPeople(props: { name: string; people: Option[]; prefix?: string }) {
  if (props.people.length === 0) return null;
  return (
    <ul class="excluded">
      {props.people.map((o) => (
        <li>
          <label class="checkbox">
            <input type="checkbox" name={props.name} value={String(o.value)} checked /> {props.prefix ?? ''}
            {o.label}
          </label>
        </li>
      ))}
    </ul>
  );
}

function PersonSearch(props: { name: string; label: string; button: string; buttonName: string; value: string; error?: string }) {
  return (
    <div class="inline-search">
      <label for={`f-${props.name}`}>{props.label}</label>
      {props.error && <p class="field-error">{props.error}</p>}
      <input
        id={`f-${props.name}`}
        name={props.name}
        list="planner-people"
        autocomplete="off"
        value={props.value}
        hx-get="/rotations/planner/people"
        hx-trigger="input changed delay:250ms"
        hx-target="#planner-people"
        hx-swap="outerHTML"
      />
      <button type="submit" name={props.buttonName} value="1" class="secondary small" formnovalidate>
        {props.button}
      </button>
    </div>
  );
}

export function PlannerPage(props: {
  layout: LayoutProps;
  values: FormValues;
  errors?: FieldErrors;
  programs: Option[];
  teams: Option[];
  /** The people HR picked for "A list of people" and those left out, named. */
  chosen: Option[];
  excluded: Option[];
  /** What the last search found when it named no single person. */
  matches: Option[];
}) {
  const selection = String(props.values.selection ?? 'team');
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
        <fieldset class="field" id="f-personIds">
          <legend>People</legend>
          <PickedPeople name="personIds" people={props.chosen} />
          <PersonSearch
            name="personSearch"
            label="Find a person to place"
            button="Add"
            buttonName="addPerson"
            value={String(props.values.personSearch ?? '')}
            error={props.errors?.personSearch}
          />
          <p class="hint">For “A list of people”: type a name, pick it from the list and press Add; untick someone to take them off.</p>
        </fieldset>
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
          <PickedPeople name="excludeIds" people={props.excluded} prefix="Leave out " />
          <PersonSearch
            name="excludeSearch"
            label="Find a person to leave out"
            button="Leave out"
            buttonName="addExclude"
            value={String(props.values.excludeSearch ?? '')}
            error={props.errors?.excludeSearch}
          />
          <PeopleDatalist options={props.matches} />
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

export type ReviewItem = {
  /** The row's place in the plan: what the form sends back with its values. */
  position: number;
  personId: number;
  personName: string;
  homeTeamName: string | null;
  hostTeamId: number;
  mentorId: number | null;
  /** The mentors this row offers (its host team's first members by name, and its own mentor). */
  mentorOptions: Option[];
  start: string;
  end: string;
  violations: RuleViolation[];
  /** Nearest changes that keep every rule, for an item that breaks one. */
  fixes?: { starts: FixView[]; hosts: FixView[] };
};

/** A suggested fix as the review shows it: the form value that applies it and the words for it. */
export type FixView = { value: string; start: string; hostTeamName: string; mentorName: string | null };

function FixButtons(props: { item: ReviewItem }) {
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
            <button type="submit" name="apply" value={`${props.item.position}|${f.value}`} class="small secondary">
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

/** Up to this many host teams a row chooses its host from a select; more are typed from a shared list. */
const HOSTS_AS_SELECT = 12;

export function PlanReviewPage(props: {
  layout: LayoutProps;
  draftId: number;
  programId: number;
  programName: string;
  lengthWeeks: number;
  /** This page's rows. */
  items: ReviewItem[];
  /** Rows of the whole plan, and how many of them break a rule. */
  total: number;
  broken: number;
  shown: { page: number; pages: number; pageSize: number; rows: number; onlyBroken: boolean };
  unplaced: { personId: number; name: string; rule: string; message: string }[];
  unplacedCount: number;
  alreadyPlanned: { personId: number; name: string; startDate: string; endDate: string }[];
  alreadyPlannedCount: number;
  stats: DraftStats | null;
  timeline: TimelineData;
  hostTeams: Option[];
  /** How many of a host team's members a mentor list names. */
  mentorsListed: number;
  firstStart: string;
  lastStart: string;
  message?: string | null;
  committedError?: string | null;
}) {
  const base = `/rotations/planner/plans/${props.draftId}`;
  const href = (page: number, onlyBroken = props.shown.onlyBroken) => `${base}?page=${page}${onlyBroken ? '&broken=1' : ''}`;
  const brokenHere = props.items.filter((i) => i.violations.length > 0);
  // A program with many host teams names them once, in a list every row's host field offers, not in a select per row.
  const listHosts = props.hostTeams.length <= HOSTS_AS_SELECT;
  const hostName = (id: number) => props.hostTeams.find((o) => Number(o.value) === id)?.label ?? `Team ${id}`;
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
        {props.total} rotation{props.total === 1 ? '' : 's'} proposed
        {props.stats && (
          <>
            {' '}
            · {props.unplacedCount} could not be placed
            {props.stats.withPreferences > 0 && ` · preferences met for ${props.stats.preferencesMet} of ${props.stats.withPreferences}`}
            {props.stats.placedByDirection.sales_to_marketing > 0 &&
              props.stats.placedByDirection.marketing_to_sales > 0 &&
              ` · ${props.stats.placedByDirection.marketing_to_sales} marketers into sales, ${props.stats.placedByDirection.sales_to_marketing} reps into marketing`}
          </>
        )}
        {props.broken > 0 ? (
          <strong class="bad-text"> · {props.broken} break a rule — fix or remove them before committing</strong>
        ) : (
          ' · every rotation keeps every rule'
        )}
      </p>
      <Timeline data={props.timeline} caption="Proposed rotations of this page by week" barHref={() => null} />
      <p class="muted" id="plan-paging">
        {props.shown.onlyBroken ? (
          <>
            Showing the rotations that break a rule. <a href={href(1, false)}>Show every rotation</a>
          </>
        ) : (
          props.broken > 0 && <a href={href(1, true)}>Show only the {props.broken} that break a rule</a>
        )}
      </p>
      <PostForm action={base} csrfToken={props.layout.csrfToken} id="plan-form">
        {!listHosts && (
          <datalist id="plan-hosts">
            {props.hostTeams.map((o) => (
              <option value={o.label}></option>
            ))}
          </datalist>
        )}
        <input type="hidden" name="page" value={String(props.shown.page)} />
        {props.shown.onlyBroken && <input type="hidden" name="broken" value="1" />}
        <Table
          columns={['Person', 'Host team', 'Mentor', 'Start (Monday)', 'End', 'Rules', <span class="sr-only">Remove</span>]}
          class="plan-items"
          rows={props.items}
          empty="No rotations here."
          row={(item) => (
            <tr class={item.violations.length ? 'broken' : ''} data-person={item.personId}>
              <td data-label="Person">
                <input type="hidden" name="itemPosition" value={String(item.position)} />
                {item.personName}
                {item.homeTeamName && <div class="muted">{item.homeTeamName}</div>}
              </td>
              <td data-label="Host team">
                {listHosts ? (
                  <select
                    name="itemHost"
                    aria-label={`Host team for ${item.personName}`}
                    hx-get={`/rotations/planner/mentors?row=${item.position}&personId=${item.personId}&programId=${props.programId}`}
                    hx-trigger="change"
                    hx-target={`#plan-mentor-${item.position}`}
                    hx-swap="outerHTML"
                    hx-include="this"
                  >
                    {props.hostTeams.map((o) => (
                      <option value={String(o.value)} selected={Number(o.value) === item.hostTeamId}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    name="itemHost"
                    list="plan-hosts"
                    autocomplete="off"
                    value={hostName(item.hostTeamId)}
                    aria-label={`Host team for ${item.personName}`}
                    hx-get={`/rotations/planner/mentors?row=${item.position}&personId=${item.personId}&programId=${props.programId}`}
                    hx-trigger="change"
                    hx-target={`#plan-mentor-${item.position}`}
                    hx-swap="outerHTML"
                    hx-include="this"
                  />
                )}
              </td>
              <td data-label="Mentor">
                <MentorSelect index={item.position} personName={item.personName} mentorId={item.mentorId} options={item.mentorOptions} />
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
                    <FixButtons item={item} />
                  </>
                ) : (
                  <span class="tag ok">keeps every rule</span>
                )}
              </td>
              <td>
                <button
                  type="submit"
                  name="remove"
                  value={String(item.position)}
                  class="small secondary"
                  aria-label={`Remove ${item.personName} from the plan`}
                >
                  Remove
                </button>
              </td>
            </tr>
          )}
          pager={<Pager page={props.shown.page} pageSize={props.shown.pageSize} total={props.shown.rows} href={(page) => href(page)} />}
        />
        <p class="muted">
          Moving a rotation keeps its length ({props.lengthWeeks} weeks). The mentor list follows the host team you choose and names its first{' '}
          {props.mentorsListed} members; a suggestion may name others. Check again keeps this page's changes before you move to another page; Commit writes
          every rotation of the plan, on every page.
        </p>
        {props.broken > 0 && (
          <div class="notice" id="commit-blocked">
            <p>
              <strong>
                Commit is unavailable: {props.broken} rotation{props.broken === 1 ? '' : 's'} break{props.broken === 1 ? 's' : ''} a rule.
              </strong>{' '}
              Apply a suggestion, change the row and check again, or remove it.
            </p>
            {brokenHere.length > 0 && (
              <ul>
                {brokenHere.slice(0, 10).map((item) => (
                  <li>
                    {item.personName}: {[...new Set(item.violations.map((v) => ruleTitle(v.code)))].join(', ')}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div class="actions">
          <button type="submit" class="secondary">
            Check again
          </button>
          <button
            type="submit"
            formaction={`${base}/commit`}
            disabled={props.total === 0 || props.broken > 0}
            aria-describedby={props.broken > 0 ? 'commit-blocked' : undefined}
          >
            Commit plan
          </button>
        </div>
      </PostForm>
      {props.unplacedCount > 0 && (
        <section class="card" id="unplaced">
          <h2>Could not be placed</h2>
          <ul>
            {props.unplaced.map((u) => (
              <li data-rule={u.rule}>
                <strong>{u.name}</strong> <span class="tag bad">{u.rule === 'removed' ? 'Removed' : ruleTitle(u.rule as UnplacedPerson['rule'])}</span>{' '}
                {ruleBreakSentence({ code: u.rule as UnplacedPerson['rule'], message: u.message })}
              </li>
            ))}
            {props.unplacedCount > props.unplaced.length && <li>… and {props.unplacedCount - props.unplaced.length} more.</li>}
          </ul>
        </section>
      )}
      {props.alreadyPlannedCount > 0 && (
        <section class="card">
          <h2>Already planned in this program</h2>
          <ul>
            {props.alreadyPlanned.map((a) => (
              <li>
                {a.name}: {a.startDate} to {a.endDate}
              </li>
            ))}
            {props.alreadyPlannedCount > props.alreadyPlanned.length && <li>… and {props.alreadyPlannedCount - props.alreadyPlanned.length} more.</li>}
          </ul>
        </section>
      )}
    </Layout>
  );
}
