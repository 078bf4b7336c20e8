import { departmentLabel } from '../labels';
import type { CompletionState, EvidenceItem } from '../../src/programs/completion';
import type { CompletionDetailRow, CompletionReport, Counts, HistoryPoint, PersonProgress, RequirementCell, RequirementCounts, TeamCounts } from '../../src/programs/reports';
import { CsrfField, PageHeader, Pager, queryString, Select, formatDateTime, type Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { CompletionChart, ProgressBar, ShareDone, TeamComparison } from './charts';

export const STATE_LABELS: Record<CompletionState, string> = { done: 'done', due: 'due', due_soon: 'due soon', overdue: 'overdue' };

export function StateTag(props: { state: CompletionState; late?: boolean }) {
  return (
    <span class={`tag ${props.state}`}>
      {STATE_LABELS[props.state]}
      {props.state === 'done' && props.late ? ' (late)' : ''}
    </span>
  );
}

export type DashboardFilters = { program?: number; team?: number; state?: CompletionState; page: number };

export const dashboardHref = (f: DashboardFilters, page = f.page) =>
  '/programs/dashboard' + queryString({ program: f.program, team: f.team, state: f.state, page: page > 1 ? page : undefined });

/** How many teams the dashboard compares before "show all": the weakest, where help is needed first. */
export const WEAKEST_TEAMS = 15;

export type TeamsShown = 'weakest' | 'all';

export const teamsHref = (f: DashboardFilters, show: TeamsShown) =>
  '/programs/dashboard/teams' + queryString({ program: f.program, team: f.team, state: f.state, show: show === 'weakest' ? 'weakest' : undefined });

export const reportCsvHref = (f: DashboardFilters) => '/api/v1/reports/completion' + queryString({ program: f.program, team: f.team, state: f.state, format: 'csv' });

/**
 * The chart comes in its own request once the page is shown (it reads the whole history), so the
 * page itself stays quick; without scripts the link opens it.
 */
export function LazyChart(props: { href: string }) {
  return (
    <div hx-get={props.href} hx-trigger="load" hx-swap="outerHTML">
      <a href={props.href}>Show the chart</a>
    </div>
  );
}

export function ChartPage(props: { layout: LayoutProps; points: HistoryPoint[]; back: string }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Completion over time">
        <a class="button secondary" href={props.back}>
          Back
        </a>
      </PageHeader>
      <section class="card">
        <CompletionChart points={props.points} />
      </section>
    </Layout>
  );
}

/** A row's share done and its counts; what is overdue is tagged, so rows needing action stand out. */
function CountsCells(props: { counts: Counts }) {
  const c = props.counts;
  return (
    <>
      <td data-label="Progress">
        <ShareDone counts={c} />
      </td>
      <td data-label="Done">{c.done}</td>
      <td data-label="Due soon">{c.due_soon}</td>
      <td data-label="Overdue">{c.overdue ? <span class="tag overdue">{c.overdue}</span> : 0}</td>
      <td data-label="Of">{c.total}</td>
    </>
  );
}

const COUNT_HEADERS = (
  <>
    <th scope="col">Progress</th>
    <th scope="col">Done</th>
    <th scope="col">Due soon</th>
    <th scope="col">Overdue</th>
    <th scope="col">Of</th>
  </>
);

/** People with a progress bar each, and — when one program is chosen — a cell per requirement. */
export function DashboardResults(props: {
  filters: DashboardFilters;
  people: { rows: PersonProgress[]; total: number; pageSize: number };
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
      {props.people.rows.length === 0 ? (
        <p class="card">Nobody matches these filters.</p>
      ) : (
        <div class="table-wrap">
          <table class="responsive completion-grid">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Team</th>
                {COUNT_HEADERS}
                {showGrid && props.requirements.map((r) => <th scope="col">{r.title}</th>)}
              </tr>
            </thead>
            <tbody>
              {props.people.rows.map((p) => (
                <tr>
                  <td data-label="Person">
                    <a href={`/programs/people/${p.personId}`}>{p.name}</a>
                  </td>
                  <td data-label="Team">{p.teamName ?? '—'}</td>
                  <CountsCells counts={p} />
                  {showGrid &&
                    props.requirements.map((r) => {
                      const cell = byPerson.get(p.personId)?.get(r.requirementId);
                      return (
                        <td data-label={r.title}>
                          {cell ? (
                            <>
                              <StateTag state={cell.state} late={cell.late} />
                              <div class="muted fine">{cell.state === 'done' ? '' : `by ${cell.dueDate}`}{cell.need > 1 && cell.state !== 'done' ? ` · ${cell.have}/${cell.need}` : ''}</div>
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                      );
                    })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={props.filters.page} pageSize={props.people.pageSize} total={props.people.total} href={(page) => dashboardHref(props.filters, page)} target="#dashboard-results" />
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

/** Lowest share done first, then the most overdue: where help is needed first. */
function weakestFirst(teams: TeamCounts[]) {
  return [...teams].sort((a, b) => (a.percentDone ?? 101) - (b.percentDone ?? 101) || b.overdue - a.overdue || a.teamName.localeCompare(b.teamName));
}

/**
 * Teams compared: the weakest few on the dashboard, all of them (by department and name) on
 * request. The same partial answers the htmx control that switches between the two.
 */
export function TeamsCompared(props: { teams: TeamCounts[]; show: TeamsShown; filters: DashboardFilters }) {
  const teams = props.teams.filter((t) => t.total > 0);
  const many = teams.length > WEAKEST_TEAMS;
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
            The {WEAKEST_TEAMS} teams with the lowest share done, of {teams.length}.
          </p>
          <TeamComparison teams={weakestFirst(teams).slice(0, WEAKEST_TEAMS)} />
          {switchTo('all', teamsHref(props.filters, 'all'), `Show all ${teams.length} teams`)}
        </>
      ) : (
        <>
          {many && <p class="muted">All {teams.length} teams, by department and name.</p>}
          <TeamComparison teams={teams} />
          {many && switchTo('weakest', dashboardHref(props.filters, 1), `Show the ${WEAKEST_TEAMS} weakest only`)}
        </>
      )}
    </div>
  );
}

/** Every team compared, on a page of its own (where the "show all" control leads without scripts). */
export function TeamsPage(props: { layout: LayoutProps; teams: TeamCounts[]; filters: DashboardFilters }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Teams compared">
        <a class="button secondary" href={dashboardHref(props.filters, 1)}>
          Back
        </a>
      </PageHeader>
      <section class="card">
        <TeamsCompared teams={props.teams} show="all" filters={props.filters} />
      </section>
    </Layout>
  );
}

export function DashboardPage(props: {
  layout: LayoutProps;
  filters: DashboardFilters;
  programs: Option[];
  teams: Option[];
  report: CompletionReport;
  results: Parameters<typeof DashboardResults>[0];
  title: string;
}) {
  const f = props.filters;
  const r = props.report;
  const values = { program: f.program, team: f.team, state: f.state };
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.title}>
        <a class="button secondary" href={reportCsvHref(f)} download>
          Export CSV
        </a>
        {r.totals.overdue > 0 && (
          <form method="post" action={`/programs/dashboard/remind${queryString({ program: f.program, team: f.team })}`} class="inline" data-confirm="Email everyone with overdue requirements (at most once a day per person)?">
            <CsrfField token={props.layout.csrfToken} />
            <button type="submit">Remind everyone overdue</button>
          </form>
        )}
      </PageHeader>
      <form method="get" action="/programs/dashboard" class="filters card" role="search">
        <Select name="program" label="Program" blank="All programs" options={props.programs} values={values} />
        <Select name="team" label="Team" blank="All my teams" options={props.teams} values={values} />
        <Select name="state" label="Show people with" blank="Any state" options={[{ value: 'overdue', label: 'something overdue' }, { value: 'due_soon', label: 'something due soon' }, { value: 'due', label: 'something due' }, { value: 'done', label: 'something done' }]} values={values} />
        <button type="submit">Filter</button>
      </form>
      <div class="grid">
        <section class="card">
          <h2>Overall</h2>
          <p class="big-figure">{r.totals.percentDone === null ? '—' : `${r.totals.percentDone}%`} done</p>
          <ProgressBar counts={r.totals} width={260} />
          <p class="muted">
            {r.totals.people} people · {r.totals.done} done{r.totals.late ? ` (${r.totals.late} late)` : ''} · {r.totals.due_soon} due soon · {r.totals.overdue} overdue · {r.totals.due} due later
          </p>
        </section>
        <section class="card">
          <h2>Teams compared</h2>
          <TeamsCompared teams={r.byTeam} show="weakest" filters={f} />
        </section>
      </div>
      <section class="card">
        <h2>Completion over time</h2>
        <LazyChart href={'/programs/dashboard/chart' + queryString({ program: f.program, team: f.team })} />
      </section>
      {r.byRequirement.length > 0 && (
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
                  {program.requirements.map((q) => (
                    <tr>
                      <td data-label="Requirement">{q.title}</td>
                      <CountsCells counts={q} />
                    </tr>
                  ))}
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

function EvidenceList(props: { items: EvidenceItem[]; timeZone: string }) {
  if (props.items.length === 0) return null;
  return (
    <ul class="evidence">
      {props.items.map((e) => (
        <li>
          {e.type === 'training' && (
            <>
              Attended <a href={`/programs/sessions/${e.eventId}`}>{e.title ?? 'a training session'}</a> on {formatDateTime(e.at, props.timeZone)}
            </>
          )}
          {e.type === 'event' && (
            <>
              Attended {e.title ?? e.kind} on {formatDateTime(e.at, props.timeZone)}
            </>
          )}
          {e.type === 'sign_off' && (
            <>
              Signed off by {e.byName ?? `#${e.byPersonId}`} on {formatDateTime(e.at, props.timeZone)}
              {e.note ? <>: “{e.note}”</> : null}
            </>
          )}
          {e.type === 'survey' && <>Answered the shared-mindset survey on {formatDateTime(e.at, props.timeZone)}</>}
        </li>
      ))}
    </ul>
  );
}

export function CompletionTable(props: { rows: CompletionDetailRow[]; timeZone: string; csrf: string | null; personId: number; canSignOff: boolean }) {
  if (props.rows.length === 0) return <p class="muted">Nothing recorded.</p>;
  return (
    <div class="table-wrap">
      <table class="responsive">
        <thead>
          <tr>
            <th scope="col">Requirement</th>
            <th scope="col">Program</th>
            <th scope="col">Due</th>
            <th scope="col">State</th>
            <th scope="col">Evidence</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              <td data-label="Requirement">
                {row.title}
                {row.need > 1 && (
                  <div class="muted fine">
                    {row.have} of {row.need}
                  </div>
                )}
              </td>
              <td data-label="Program">
                {row.programName}
                {row.programKind === 'review' && <div class="muted fine">cycle {row.cycleIndex + 1}</div>}
              </td>
              <td data-label="Due">{row.dueDate}</td>
              <td data-label="State">
                {row.closed && row.state !== 'done' ? <span class="tag inactive">closed</span> : <StateTag state={row.state} late={row.late} />}
                {row.completedAt && <div class="muted fine">{formatDateTime(row.completedAt, props.timeZone)}</div>}
              </td>
              <td data-label="Evidence">
                <EvidenceList items={row.evidence} timeZone={props.timeZone} />
                {props.canSignOff && row.kind === 'sign_off' && row.state !== 'done' && !row.closed && (
                  <form method="post" action={`/programs/people/${props.personId}/sign-off`} class="stack compact">
                    <CsrfField token={props.csrf} />
                    <input type="hidden" name="requirementId" value={String(row.requirementId)} />
                    <div class="field">
                      <label for={`note-${row.id}`}>Note (optional)</label>
                      <input id={`note-${row.id}`} name="note" type="text" maxlength={500} />
                    </div>
                    <button type="submit" class="small">
                      Sign off
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PersonProgressPage(props: {
  layout: LayoutProps;
  person: { id: number; name: string; teamName: string | null; hireDate: string; timeZone: string };
  counts: Counts;
  current: CompletionDetailRow[];
  history: CompletionDetailRow[];
  canSignOff: boolean;
  /** Occurrences where the person was marked, most recent first; walk-ins named as such. */
  attendance: { eventId: number; occurrenceStart: Date; status: 'attended' | 'no_show'; walkIn: boolean; title: string; kind: string; timeZone: string }[];
}) {
  const p = props.person;
  return (
    <Layout {...props.layout}>
      <PageHeader title={`${p.name}: learning progress`}>
        <a class="button secondary" href="/programs/dashboard">
          Back to team progress
        </a>
      </PageHeader>
      <p class="muted">
        {p.teamName ?? 'No team'} · hired {p.hireDate} · due dates are the end of the day in {p.timeZone}
      </p>
      <section class="card">
        <h2>Now</h2>
        <ProgressBar counts={props.counts} width={260} />
        <CompletionTable rows={props.current} timeZone={p.timeZone} csrf={props.layout.csrfToken} personId={p.id} canSignOff={props.canSignOff} />
      </section>
      <section class="card" id="attendance">
        <h2>Attendance</h2>
        {props.attendance.length === 0 ? (
          <p class="muted">No attendance recorded yet.</p>
        ) : (
          <ul>
            {props.attendance.map((a) => (
              <li>
                {formatDateTime(a.occurrenceStart, p.timeZone)} — {a.title}:{' '}
                {a.status === 'attended' ? (a.walkIn ? <span class="tag waitlisted">attended as a walk-in</span> : 'attended') : <span class="tag warn">no-show</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {props.history.length > 0 && (
        <section class="card">
          <h2>History</h2>
          <p class="muted">Earlier review cycles and ended enrollments.</p>
          <CompletionTable rows={props.history} timeZone={p.timeZone} csrf={props.layout.csrfToken} personId={p.id} canSignOff={false} />
        </section>
      )}
    </Layout>
  );
}

export type EmptySeatRow = { key: string; eventId: number; title: string; topicName: string; start: Date; seats: number; seatsFree: number; timeZone: string };
export type UncoveredTopic = { topicId: number; name: string; needing: number };

export function OverviewPage(props: {
  layout: LayoutProps;
  report: CompletionReport;
  programs: { programId: number; programName: string; counts: Counts }[];
  emptySeats: EmptySeatRow[];
  uncoveredTopics: UncoveredTopic[];
}) {
  const r = props.report;
  return (
    <Layout {...props.layout}>
      <PageHeader title="Learning across the company">
        <a class="button secondary" href="/api/v1/reports/completion?format=csv" download>
          Export CSV
        </a>
        <a class="button secondary" href="/programs/dashboard">
          People
        </a>
      </PageHeader>
      <div class="grid">
        <section class="card">
          <h2>Overall</h2>
          <p class="big-figure">{r.totals.percentDone === null ? '—' : `${r.totals.percentDone}%`} done</p>
          <ProgressBar counts={r.totals} width={260} />
          <p class="muted">
            {r.totals.people} people enrolled · {r.totals.overdue} overdue · {r.totals.due_soon} due soon
          </p>
        </section>
        <section class="card">
          <h2>By department</h2>
          <div class="table-wrap">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Department</th>
                <th scope="col">Progress</th>
                <th scope="col">Overdue</th>
              </tr>
            </thead>
            <tbody>
              {r.byDepartment.map((d) => (
                <tr>
                  <td data-label="Department">
                    <span class={`tag ${d.department}`}>{departmentLabel(d.department)}</span>
                  </td>
                  <td data-label="Progress">
                    <ProgressBar counts={d} width={120} />
                  </td>
                  <td data-label="Overdue">{d.overdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        </section>
      </div>
      <section class="card">
        <h2>Completion over time</h2>
        <LazyChart href="/programs/dashboard/chart" />
      </section>
      <section class="card">
        <h2>Teams</h2>
        <TeamComparison teams={r.byTeam} />
        <div class="table-wrap">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">People</th>
                {COUNT_HEADERS}
              </tr>
            </thead>
            <tbody>
              {r.byTeam.map((t) => (
                <tr>
                  <td data-label="Team">{t.teamId ? <a href={`/programs/dashboard?team=${t.teamId}`}>{t.teamName}</a> : t.teamName}</td>
                  <td data-label="People">{t.people}</td>
                  <CountsCells counts={t} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card">
        <h2>Programs’ health</h2>
        <div class="table-wrap">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Program</th>
                {COUNT_HEADERS}
              </tr>
            </thead>
            <tbody>
              {props.programs.map((p) => (
                <tr>
                  <td data-label="Program">
                    <a href={`/programs/${p.programId}`}>{p.programName}</a>
                  </td>
                  <CountsCells counts={p.counts} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div class="grid">
          <div>
            <h3>Sessions with empty seats (next 30 days)</h3>
            {props.emptySeats.length === 0 ? (
              <p class="muted">Every upcoming session is full — or there are none.</p>
            ) : (
              <ul>
                {props.emptySeats.map((s) => (
                  <li>
                    <a href={`/programs/sessions/${s.eventId}`}>{s.title}</a> ({s.topicName}), {formatDateTime(s.start, s.timeZone)}: {s.seatsFree} of {s.seats} seats free
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <h3>Topics with no upcoming session</h3>
            {props.uncoveredTopics.length === 0 ? (
              <p class="muted">Every required topic has a session coming up.</p>
            ) : (
              <ul>
                {props.uncoveredTopics.map((t) => (
                  <li>
                    <strong>{t.name}</strong>: {t.needing} {t.needing === 1 ? 'person needs' : 'people need'} it{' '}
                    <a href={`/programs/sessions/new?topic=${t.topicId}`}>Schedule a session</a>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </section>
    </Layout>
  );
}
