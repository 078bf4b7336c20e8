import { html } from 'hono/html';
import type { ComparedTeams, CompletionSummary, RequirementCounts } from '../../src/programs/reports';
import { PROBED_PEOPLE, type PersonProgress, type RequirementCell } from '../../src/programs/progress';
import type { CompletionState } from '../../src/programs/completion';
import { STATE_PEOPLE_LIMIT } from '../../src/programs/report-queries';
import type { HistoryPoint } from '../../src/programs/completion-history';
import { ButtonLink, FilterForm, optionsOf, PageHeader, Pager, PostButton, queryString, Select, Table, TeamFilter } from '../components';
import type { FieldErrors, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { CompletionChart, TeamComparison } from './charts';
import {
  COUNT_COLUMNS,
  COUNT_HEADERS,
  CountsCells,
  type DashboardFilters,
  LazyChart,
  OverallCard,
  StateTag,
  type TeamsShown,
  WEAKEST_TEAMS,
  dashboardHref,
  reportCsvHref,
  teamsHref,
  TEAMS_COMPARED_PAGE,
} from './components';

export function ChartPage(props: { layout: LayoutProps; points: HistoryPoint[]; back: string }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Completion over time">
        <ButtonLink href={props.back}>Back</ButtonLink>
      </PageHeader>
      <section class="card">
        <CompletionChart points={props.points} />
      </section>
    </Layout>
  );
}

/** People with a progress bar each, and — when one program is chosen — a cell per requirement. */
export function DashboardResults(props: {
  filters: DashboardFilters;
  people: { rows: PersonProgress[]; total: number; more: boolean; pageSize: number };
  requirements: RequirementCounts[];
  cells: RequirementCell[];
}) {
  const byPerson = new Map<number, Map<number, RequirementCell>>();
  for (const cell of props.cells) {
    const row = byPerson.get(cell.personId) ?? new Map<number, RequirementCell>();
    row.set(cell.requirementId, cell);
    byPerson.set(cell.personId, row);
  }
  const showGrid = props.filters.program !== undefined && props.requirements.length > 0;
  return (
    <div id="dashboard-results" aria-live="polite">
      {props.people.more && (
        <p class="muted">
          More than {STATE_PEOPLE_LIMIT} people are in this state: the list shows the first {STATE_PEOPLE_LIMIT} of them by name, looking no further than the
          first {PROBED_PEOPLE.toLocaleString('en')} people here. Choose a team to see all of them.
        </p>
      )}
      {props.people.rows.length === 0 ? (
        <p class="card">{props.people.more ? 'The list stops here.' : 'Nobody matches these filters.'}</p>
      ) : (
        <Table
          class="completion-grid"
          columns={['Person', 'Team', ...COUNT_COLUMNS, ...(showGrid ? props.requirements.map((r) => r.title) : [])]}
          rows={props.people.rows}
          row={(p) =>
            html`<tr><td data-label="Person"><a href="/programs/people/${p.personId}">${p.name}</a></td><td data-label="Team">${p.teamName ?? '—'}</td>${CountsCells({ counts: p })}${
              showGrid &&
              props.requirements.map((r) => {
                const cell = byPerson.get(p.personId)?.get(r.requirementId);
                return (
                  <td data-label={r.title}>
                    {cell ? (
                      <>
                        <StateTag state={cell.state} late={cell.late} />
                        <div class="muted fine">
                          {cell.state === 'done' ? '' : `by ${cell.dueDate}`}
                          {cell.need > 1 && cell.state !== 'done' ? ` · ${cell.have}/${cell.need}` : ''}
                        </div>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                );
              })
            }</tr>`
          }
        />
      )}
      <Pager
        page={props.filters.page}
        pageSize={props.people.pageSize}
        total={props.people.total}
        more={props.people.more}
        href={(page) => dashboardHref(props.filters, page)}
        target="#dashboard-results"
      />
    </div>
  );
}

/** Requirements under their program, in the report's order (programs by name). */
function byProgram(requirements: RequirementCounts[]) {
  const programs: { programName: string; requirements: RequirementCounts[] }[] = [];
  for (const q of requirements) {
    const last = programs[programs.length - 1];
    if (last && last.programName === q.programName) last.requirements.push(q);
    else programs.push({ programName: q.programName, requirements: [q] });
  }
  return programs;
}

/**
 * Teams compared: the weakest few on the dashboard, all of them (by department and name) on
 * request (see compareTeams). The same partial answers the htmx control that switches between the two.
 */
export function TeamsCompared(props: ComparedTeams & { show: TeamsShown; filters: DashboardFilters }) {
  const { teams, count } = props;
  const many = count > WEAKEST_TEAMS;
  const switchTo = (show: TeamsShown, href: string, label: string) => (
    <p>
      <a href={href} hx-get={teamsHref(props.filters, show)} hx-target="#teams-compared" hx-swap="outerHTML">
        {label}
      </a>
    </p>
  );
  return (
    <div id="teams-compared">
      {many && props.show === 'weakest' ? (
        <>
          <p class="muted">
            The {WEAKEST_TEAMS} teams with the lowest share done, of {count}.
          </p>
          <TeamComparison teams={teams} />
          {switchTo('all', teamsHref(props.filters, 'all'), `Show all ${count} teams`)}
        </>
      ) : (
        <>
          {many && <p class="muted">All {count} teams, by department and name.</p>}
          <TeamComparison teams={teams} />
          {count > TEAMS_COMPARED_PAGE && (
            <Pager
              page={props.filters.page}
              pageSize={TEAMS_COMPARED_PAGE}
              total={count}
              href={(page) => teamsHref(props.filters, 'all', page)}
              target="#teams-compared"
            />
          )}
          {many && switchTo('weakest', dashboardHref(props.filters, 1), `Show the ${WEAKEST_TEAMS} weakest only`)}
        </>
      )}
    </div>
  );
}

/** Every team compared, on a page of its own (where the "show all" control leads without scripts). */
export function TeamsPage(props: { layout: LayoutProps; compared: ComparedTeams; filters: DashboardFilters }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Teams compared">
        <ButtonLink href={dashboardHref(props.filters, 1)}>Back</ButtonLink>
      </PageHeader>
      <section class="card">
        <TeamsCompared {...props.compared} show="all" filters={props.filters} />
      </section>
    </Layout>
  );
}

/** What people in each state have, as the state filter names it. */
const STATE_PHRASES: Record<CompletionState, string> = {
  overdue: 'something overdue',
  due_soon: 'something due soon',
  due: 'something due',
  done: 'something done',
};

export function DashboardPage(props: {
  layout: LayoutProps;
  filters: DashboardFilters;
  programs: Option[];
  /** Teams to choose from, or null when there are too many to list (a name is typed instead). */
  teams: Option[] | null;
  teamName?: string;
  errors?: FieldErrors;
  /** Null when the state filter names too many people to total (STATE_PEOPLE_LIMIT). */
  report: CompletionSummary | null;
  results: Parameters<typeof DashboardResults>[0];
  title: string;
}) {
  const f = props.filters;
  const r = props.report;
  const values = { program: f.program, team: f.team, state: f.state };
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.title}>
        <ButtonLink href={reportCsvHref(f)} download>
          Export CSV
        </ButtonLink>
        {(!r || r.totals.overdue > 0) && (
          <PostButton
            action={`/programs/dashboard/remind${queryString({ program: f.program, team: f.team })}`}
            csrfToken={props.layout.csrfToken}
            label="Remind everyone overdue"
            confirm="Email everyone with overdue requirements (at most once a day per person)?"
          />
        )}
      </PageHeader>
      <FilterForm action="/programs/dashboard" search>
        <Select name="program" label="Program" blank="All programs" options={props.programs} values={values} />
        <TeamFilter teams={props.teams} team={f.team} teamName={props.teamName} blank="All my teams" errors={props.errors} />
        <Select name="state" label="Show people with" blank="Any state" options={optionsOf(STATE_PHRASES)} values={values} />
      </FilterForm>
      {r ? (
        <div class="grid">
          <OverallCard totals={r.totals}>
            {r.totals.people} people · {r.totals.done} done{r.totals.late ? ` (${r.totals.late} late)` : ''} · {r.totals.due_soon} due soon · {r.totals.overdue}{' '}
            overdue · {r.totals.due} due later
          </OverallCard>
          <section class="card">
            <h2>Teams compared</h2>
            <TeamsCompared {...r.teams} show="weakest" filters={f} />
          </section>
        </div>
      ) : (
        <section class="card">
          <h2>Overall</h2>
          <p>
            More than {STATE_PEOPLE_LIMIT} people here have {STATE_PHRASES[f.state ?? 'due']}: too many to total. Choose a team (or a program and a team) to see
            their figures, or remove the state filter to see everyone's.
          </p>
        </section>
      )}
      <section class="card">
        <h2>Completion over time</h2>
        <LazyChart href={`/programs/dashboard/chart${queryString({ program: f.program, team: f.team })}`} />
      </section>
      {r && r.byRequirement.length > 0 && (
        <section class="card">
          <h2>By requirement</h2>
          <div class="table-wrap">
            <table class="responsive">
              <thead>
                <tr>
                  <th scope="col">Requirement</th>
                  {COUNT_HEADERS}
                </tr>
              </thead>
              {byProgram(r.byRequirement).map((program) => (
                <tbody>
                  <tr>
                    <th scope="rowgroup" colspan={6}>
                      {program.programName}
                    </th>
                  </tr>
                  {program.requirements.map((q) => html`<tr><td data-label="Requirement">${q.title}</td>${CountsCells({ counts: q })}</tr>`)}
                </tbody>
              ))}
            </table>
          </div>
        </section>
      )}
      <h2>People</h2>
      <DashboardResults {...props.results} />
    </Layout>
  );
}
