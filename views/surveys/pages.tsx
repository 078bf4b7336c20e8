import { departmentOptions, departmentLabel } from '../labels';
import { departments } from '../../db/schema';
import type { AdvantageVersion } from '../../src/surveys/advantages';
import { hiddenText, type HiddenReason } from '../../src/surveys/anonymity';
import { anonymityRule, isWeakTeam, type RateCell, type RecallCell, type RoundOverview, type RoundResults, type TeamPage, type TrendPoint } from '../../src/surveys/results';
import type { ReviewItem, RoundRow, RoundStatus } from '../../src/surveys/surveys';
import { CsrfField, ErrorSummary, Field, PageHeader, Pager, Select, TextArea, type FieldErrors, type FormValues, type Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { ShareTrendChart } from './charts';

const percent = (value: number) => `${Math.round(value * 100)}%`;

function StatusTag(props: { status: RoundStatus }) {
  return <span class={`tag ${props.status === 'open' ? 'active' : 'inactive'}`}>{props.status}</span>;
}

const VERDICT_TAG_CLASS = { shared_mindset: 'ok', no_shared_mindset: 'bad', not_decided: 'warn' } as const;

/** The verdict a group's evidence supports; "no answers yet" before anyone answered. */
export function Verdict(props: { cell: RateCell }) {
  if (props.cell.respondents === 0) return <span class="tag">no answers yet</span>;
  const verdict = props.cell.verdict;
  return <span class={`tag verdict ${VERDICT_TAG_CLASS[verdict.code]}`}>{verdict.label}</span>;
}

const more = (count: number) => `${count} more ${count === 1 ? 'answer' : 'answers'}`;

/** Why a verdict is what it is, in one sentence: the interval, the response rate, what would decide it. */
export function verdictEvidence(cell: RateCell, status: RoundStatus, threshold: number, minResponseRatePercent: number): string {
  const verdict = cell.verdict;
  if (cell.respondents === 0) return status === 'open' ? 'No answers yet.' : 'Nobody answered.';
  const interval = verdict.interval ? `95% interval ${percent(verdict.interval.low)}–${percent(verdict.interval.high)}` : '';
  if (verdict.code !== 'not_decided') {
    return `${interval}, wholly ${verdict.code === 'shared_mindset' ? 'above' : 'below'} ${percent(threshold)}, with ${percent(cell.responseRate)} answering (at least ${minResponseRatePercent}% needed).`;
  }
  const reasons: string[] = [];
  if (verdict.interval && verdict.interval.low <= threshold && verdict.interval.high >= threshold) reasons.push(`the ${interval} still includes ${percent(threshold)}`);
  if (!verdict.enoughResponses) reasons.push(`${percent(cell.responseRate)} answered, fewer than the ${minResponseRatePercent}% needed`);
  const why = reasons.join(' and ');
  if (status === 'closed') return `Closed undecided: ${why}.`;
  if (verdict.cannotDecide) return `Not decided: ${why}; even if everyone asked answered at this rate it would stay undecided.`;
  return `Not decided: ${why}. About ${more(verdict.answersNeeded ?? 0)} at this rate would decide it.`;
}

/** "54 of 71 answered (76%)", or what a hidden group says instead. */
function responsesText(cell: RateCell, k: number): string {
  if (cell.hidden && cell.respondents === 0) return hiddenText(cell.hidden, k);
  return `${cell.respondents} of ${cell.participants} answered (${percent(cell.responseRate)})`;
}

function RateBar(props: { value: number; max: number; label: string }) {
  return (
    <progress value={props.value} max={Math.max(1, props.max)} aria-label={props.label}>
      {props.max ? percent(props.value / props.max) : '—'}
    </progress>
  );
}

export function TrendSection(props: { trend: TrendPoint[]; threshold: number }) {
  const points = props.trend.filter((point) => point.matchRate !== null);
  if (points.length === 0) return null;
  const hidden = props.trend.filter((point) => point.hidden).length;
  return (
    <section class="card">
      <h2>Match rate across rounds</h2>
      <ShareTrendChart
        id="match-trend"
        title="Match rate per survey round, overall and by department, against the 75% threshold"
        labels={points.map((point) => `${point.title} (closes ${point.closesOn}; ${point.respondents} of ${point.participants} answered, ${percent(point.participants ? point.respondents / point.participants : 0)})`)}
        axisLabels={points.map((point) => point.closesOn)}
        threshold={props.threshold}
        thresholdLabel={`shared mindset ${percent(props.threshold)}`}
        series={[
          { label: 'All answers', className: 'series-all', colour: '#1f4e99', values: points.map((point) => point.matchRate) },
          { label: 'Sales', className: 'series-sales', colour: '#c26a00', values: points.map((point) => point.byDepartment.sales) },
          { label: 'Marketing', className: 'series-marketing', colour: '#6b3fa0', values: points.map((point) => point.byDepartment.marketing) },
        ]}
      />
      <ul class="muted trend-evidence">
        {points.map((point) => (
          <li>
            {point.title}: {percent(point.matchRate ?? 0)} of answers, {point.respondents} of {point.participants} answered (
            {percent(point.participants ? point.respondents / point.participants : 0)})
          </li>
        ))}
      </ul>
      {hidden > 0 && (
        <p class="muted">
          {hidden} anonymous {hidden === 1 ? 'round is' : 'rounds are'} left out: still open, or with too few answers to stay anonymous.
        </p>
      )}
    </section>
  );
}

// ── list ──

export type MyRound = RoundRow & { status: RoundStatus; answered: boolean };

export function SurveysPage(props: {
  layout: LayoutProps;
  isHr: boolean;
  canSeeResults: boolean;
  canEditAdvantages: boolean;
  rounds: RoundOverview[];
  mine: MyRound[];
  trend: TrendPoint[];
  threshold: number;
}) {
  const openMine = props.mine.filter((round) => round.status === 'open');
  return (
    <Layout {...props.layout}>
      <PageHeader title="Shared-mindset surveys">
        {props.isHr || props.canEditAdvantages ? (
          <>
            {props.isHr && (
              <a class="button" href="/surveys/new">
                Open a round
              </a>
            )}
            {props.canEditAdvantages && (
              <a class="button secondary" href="/advantages">
                Official advantages
              </a>
            )}
            {props.isHr && (
              <a class="button secondary" href="/surveys/settings">
                Survey settings
              </a>
            )}
          </>
        ) : undefined}
      </PageHeader>
      <section class="card" aria-labelledby="mine-heading">
        <h2 id="mine-heading">Your surveys</h2>
        {openMine.length === 0 ? (
          <p class="muted">No survey is waiting for you.</p>
        ) : (
          <ul class="survey-list">
            {openMine.map((round) => (
              <li>
                <a href={`/surveys/${round.id}/answer`}>{round.title}</a> <span class="muted">closes at the end of {round.closesOn}</span>{' '}
                {round.answered ? <span class="tag done">answered — you can still change it</span> : <span class="tag due_soon">waiting for your answers</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {props.canSeeResults && (
        <>
          <section class="card" aria-labelledby="rounds-heading">
            <h2 id="rounds-heading">Rounds</h2>
            {props.rounds.length === 0 ? (
              <p class="muted">No round has been opened yet.</p>
            ) : (
              <div class="table-wrap">
                <table class="responsive">
                  <thead>
                    <tr>
                      <th scope="col">Round</th>
                      <th scope="col">Population</th>
                      <th scope="col">Status</th>
                      <th scope="col">Responses</th>
                      <th scope="col">Match rate</th>
                      <th scope="col">Verdict</th>
                      {props.isHr && <th scope="col">To review</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {props.rounds.map((round) => {
                      const cell = round.cell;
                      return (
                        <tr>
                          <td data-label="Round">
                            <a href={`/surveys/${round.id}`}>{round.title}</a>
                            {round.anonymous && <span class="tag">anonymous</span>}
                            <div class="muted">closes {round.closesOn}</div>
                          </td>
                          <td data-label="Population">{round.population}</td>
                          <td data-label="Status">
                            <StatusTag status={round.status} />
                          </td>
                          <td data-label="Responses">{responsesText(cell, round.minGroupSize)}</td>
                          {cell.hidden ? (
                            <td data-label="Match rate" colspan={2}>
                              <span class="muted">{hiddenText(cell.hidden, round.minGroupSize)}</span>
                            </td>
                          ) : (
                            <>
                              <td data-label="Match rate">{cell.answers ? percent(cell.matchRate) : '—'}</td>
                              <td data-label="Verdict">
                                <Verdict cell={cell} />
                                {cell.verdict.code === 'not_decided' && cell.respondents > 0 && round.status === 'open' && (
                                  <div class="muted">
                                    {cell.verdict.answersNeeded !== null ? `${more(cell.verdict.answersNeeded)} would decide it` : 'cannot be decided at this rate'}
                                  </div>
                                )}
                              </td>
                            </>
                          )}
                          {props.isHr && (
                            <td data-label="To review">
                              {cell.hidden ? (
                                <span class="muted">after closing</span>
                              ) : round.toReview ? (
                                <a href={`/surveys/${round.id}/review`}>{round.toReview} answers</a>
                              ) : (
                                <span class="muted">none</span>
                              )}
                            </td>
                          )}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <TrendSection trend={props.trend} threshold={props.threshold} />
        </>
      )}
    </Layout>
  );
}

// ── HR's settings ──

export function SurveySettingsPage(props: { layout: LayoutProps; values: FormValues; errors?: FieldErrors }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Survey settings">
        <a class="button secondary" href="/surveys">
          Back to surveys
        </a>
      </PageHeader>
      <ErrorSummary errors={props.errors} labels={{ minResponseRatePercent: 'Minimum response rate', minGroupSize: 'Minimum group size' }} />
      <form method="post" action="/surveys/settings" class="stack card" novalidate>
        <CsrfField token={props.layout.csrfToken} />
        <Field
          name="minResponseRatePercent"
          label="Minimum response rate for a verdict (%)"
          type="number"
          min={1}
          max={100}
          required
          hint="A round, department or team gets a verdict only when at least this share of those asked answered (and the 95% interval lies wholly on one side of 75%)."
          values={props.values}
          errors={props.errors}
        />
        <Field
          name="minGroupSize"
          label="Minimum group size in anonymous rounds"
          type="number"
          min={3}
          max={50}
          required
          hint="No figure or answer of an anonymous round describes fewer respondents than this; at least 3. Raising it applies to every round at once; lowering it applies to rounds opened afterwards, since earlier ones were promised the higher number."
          values={props.values}
          errors={props.errors}
        />
        <button type="submit">Save settings</button>
      </form>
    </Layout>
  );
}

// ── opening a round ──

const roundLabels: Record<string, string> = {
  title: 'Title', populationKind: 'Who is asked', department: 'Department', teamIds: 'Teams', hiredWithinDays: 'Hired within', closesOn: 'Closing date', anonymous: 'Anonymous',
};

export function RoundFormPage(props: { layout: LayoutProps; values: FormValues; errors?: FieldErrors; teams: Option[]; advantageCount: number }) {
  const chosenTeams = new Set((Array.isArray(props.values.teamIds) ? props.values.teamIds : props.values.teamIds ? [props.values.teamIds] : []).map(String));
  const teamError = props.errors?.teamIds;
  return (
    <Layout {...props.layout}>
      <h1>Open a survey round</h1>
      {props.advantageCount === 0 && (
        <p class="notice">
          There are no official advantages yet. <a href="/advantages">Set them first</a>: answers are judged against them.
        </p>
      )}
      <ErrorSummary errors={props.errors} labels={roundLabels} />
      <form method="post" action="/surveys" class="stack card" novalidate>
        <CsrfField token={props.layout.csrfToken} />
        <Field name="title" label="Title" required values={props.values} errors={props.errors} placeholder="Shared mindset, spring" />
        <Select
          name="populationKind"
          label="Who is asked"
          required
          values={props.values}
          errors={props.errors}
          options={[
            { value: 'everyone', label: 'Everyone' },
            { value: 'department', label: 'One department' },
            { value: 'teams', label: 'Chosen teams' },
            { value: 'new_hires', label: 'New hires' },
          ]}
        />
        <Select name="department" label="Department" hint="For one department." blank="Choose…" values={props.values} errors={props.errors} options={departmentOptions} />
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
        </fieldset>
        <Field name="hiredWithinDays" label="Hired within (days)" type="number" min={1} max={730} hint="For new hires; 90 when empty." values={props.values} errors={props.errors} />
        <Field name="closesOn" label="Closing date" type="date" required hint="The round closes at the end of this day." values={props.values} errors={props.errors} />
        <label class="checkbox">
          <input type="checkbox" name="anonymous" value="on" checked={props.values.anonymous === true || props.values.anonymous === 'on'} /> Anonymous: no names in any report, export or API
        </label>
        <button type="submit">Open the round</button>
      </form>
    </Layout>
  );
}

// ── answering ──

export function AnswerPage(props: { layout: LayoutProps; round: RoundRow & { status: RoundStatus }; values: string[]; errors?: FieldErrors; answered: boolean }) {
  const closed = props.round.status === 'closed';
  return (
    <Layout {...props.layout}>
      <h1>{props.round.title}</h1>
      <p class="lead">
        What are our company's top three competitive advantages? Answer in your own words — there is no list to choose from.
        {props.round.anonymous && ' Your answers are anonymous: no report shows your name.'}
      </p>
      {closed ? (
        <section class="card">
          <p class="notice">This round is closed{props.answered ? '. Your answers:' : ' and you did not answer it.'}</p>
          {props.answered && (
            <ol>
              {props.values.map((value) => (
                <li>{value}</li>
              ))}
            </ol>
          )}
        </section>
      ) : (
        <>
          {props.answered && <p class="muted">You answered already; you can change your answers until the end of {props.round.closesOn}.</p>}
          <ErrorSummary errors={props.errors} labels={{ answer1: 'First answer', answer2: 'Second answer', answer3: 'Third answer' }} />
          <form method="post" action={`/surveys/${props.round.id}/answer`} class="stack card" novalidate>
            <CsrfField token={props.layout.csrfToken} />
            {[1, 2, 3].map((position) => (
              <Field
                name={`answer${position}`}
                label={position === 1 ? 'First advantage' : position === 2 ? 'Second advantage' : 'Third advantage'}
                required
                value={props.values[position - 1] ?? ''}
                errors={props.errors}
                autocomplete="off"
              />
            ))}
            <button type="submit">{props.answered ? 'Save my answers' : 'Send my answers'}</button>
          </form>
        </>
      )}
    </Layout>
  );
}

// ── round page: status, results, closing the loop ──

function DepartmentTag(props: { department: string }) {
  return <span class={`tag ${props.department}`}>{departmentLabel(props.department)}</span>;
}

function RateTable(props: {
  rows: Array<{ label: unknown; cell: RateCell; department?: string }>;
  threshold: number;
  status: RoundStatus;
  minGroupSize: number;
  firstColumn: string;
  /** A last column, e.g. the checkboxes of the bulk enroll form. */
  extra?: { header: string; cell: (index: number) => unknown };
}) {
  return (
    <div class="table-wrap">
      <table class="responsive">
        <thead>
          <tr>
            <th scope="col">{props.firstColumn}</th>
            <th scope="col">Responses</th>
            <th scope="col">Match rate</th>
            <th scope="col">Verdict</th>
            <th scope="col">Named all</th>
            {props.extra && <th scope="col">{props.extra.header}</th>}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, index) => (
            <tr>
              <th scope="row" data-label={props.firstColumn}>
                {row.label}
              </th>
              <td data-label="Responses">{responsesText(row.cell, props.minGroupSize)}</td>
              {row.cell.hidden ? (
                <td data-label="Match rate" colspan={3}>
                  <span class="muted hidden-cell">{hiddenText(row.cell.hidden, props.minGroupSize)}</span>
                </td>
              ) : (
                <>
                  <td data-label="Match rate">
                    {row.cell.answers ? percent(row.cell.matchRate) : '—'} <RateBar value={row.cell.matched} max={row.cell.answers} label="match rate" />
                  </td>
                  <td data-label="Verdict">
                    <Verdict cell={row.cell} />
                    {row.cell.verdict.code === 'not_decided' && row.cell.respondents > 0 && props.status === 'open' && (
                      <div class="muted">
                        {row.cell.verdict.answersNeeded !== null ? `${more(row.cell.verdict.answersNeeded)} would decide it` : 'cannot be decided at this rate'}
                      </div>
                    )}
                  </td>
                  <td data-label="Named all">{row.cell.respondents ? percent(row.cell.namedAllShare) : '—'}</td>
                </>
              )}
              {props.extra && <td data-label={props.extra.header}>{props.extra.cell(index)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RecallTable(props: { recall: RecallCell[] }) {
  const weakest = props.recall.reduce<RecallCell | null>((lowest, cell) => (!lowest || cell.share < lowest.share ? cell : lowest), null);
  return (
    <div class="table-wrap">
      <table class="responsive">
        <thead>
          <tr>
            <th scope="col">Official advantage</th>
            <th scope="col">Named by</th>
            <th scope="col">Sales</th>
            <th scope="col">Marketing</th>
          </tr>
        </thead>
        <tbody>
          {props.recall.map((cell) => (
            <tr>
              <th scope="row" data-label="Official advantage">
                {cell.name} {weakest && weakest.key === cell.key && props.recall.length > 1 && <span class="tag warn">least remembered</span>}
              </th>
              <td data-label="Named by">
                {percent(cell.share)} <RateBar value={cell.share * 1000} max={1000} label={`recall of ${cell.name}`} />
              </td>
              <td data-label="Sales">{cell.byDepartment.sales === null ? '—' : percent(cell.byDepartment.sales)}</td>
              <td data-label="Marketing">{cell.byDepartment.marketing === null ? '—' : percent(cell.byDepartment.marketing)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SayInstead(props: { groups: RoundResults['sayInstead']; answers: number; matched: number }) {
  if (props.answers === 0) return <p class="muted">No answers yet.</p>;
  if (props.groups.length === 0) return <p class="muted">{props.matched === props.answers ? 'Every answer named an official advantage.' : 'Nothing to show yet.'}</p>;
  const count = (value: number | null) => (value === null ? '—' : value);
  return (
    <div class="table-wrap">
      <table class="responsive say-instead">
        <thead>
          <tr>
            <th scope="col">What they say</th>
            <th scope="col">Answers</th>
            <th scope="col">Sales</th>
            <th scope="col">Marketing</th>
            <th scope="col">Other</th>
            <th scope="col">For example</th>
          </tr>
        </thead>
        <tbody>
          {props.groups.map((group) => (
            <tr>
              <th scope="row" data-label="What they say">
                {group.label}
              </th>
              <td data-label="Answers">{group.count}</td>
              <td data-label="Sales">{count(group.byDepartment.sales)}</td>
              <td data-label="Marketing">{count(group.byDepartment.marketing)}</td>
              <td data-label="Other">{count(group.byDepartment.other)}</td>
              <td data-label="For example" class="muted">
                {group.examples.map((example) => `“${example}”`).join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export type ReviewProgramOption = { id: number; name: string };

/** What was sent to the enroll form when it comes back with errors: which form, the values, the messages. */
export type EnrollFormState = { scope: 'people' | 'team'; values: FormValues; errors: FieldErrors };

const enrollLabels: Record<string, string> = { teamIds: 'Teams', programId: 'Review program', scope: 'Whom to enroll' };

const listOf = (value: unknown): string[] => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

function ProgramSelect(props: { id: string; label: string; programs: ReviewProgramOption[]; selected?: unknown; error?: string; showLabel?: boolean }) {
  return (
    <>
      <label class={props.showLabel ? undefined : 'sr-only'} for={props.id}>
        {props.label}
      </label>
      <select name="programId" id={props.id} aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? `${props.id}-error` : undefined}>
        {props.programs.map((program) => (
          <option value={String(program.id)} selected={String(program.id) === String(props.selected ?? '')}>
            {program.name}
          </option>
        ))}
      </select>
    </>
  );
}

/** Everyone below the threshold in one review program (named rounds). */
function EnrollPeopleForm(props: { roundId: number; csrfToken: string | null; programs: ReviewProgramOption[]; label: string; disabled?: boolean; state?: EnrollFormState }) {
  if (props.programs.length === 0) {
    return (
      <>
        <ErrorSummary errors={props.state?.errors} labels={enrollLabels} />
        <span class="muted">No active review program</span>
      </>
    );
  }
  return (
    <form method="post" action={`/surveys/${props.roundId}/enroll`} class="inline enroll-form">
      <ErrorSummary errors={props.state?.errors} labels={enrollLabels} />
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="scope" value="people" />
      <ProgramSelect id="program-people" label="Review program for everyone below the threshold" programs={props.programs} selected={props.state?.values.programId} />{' '}
      <button type="submit" class="small" disabled={props.disabled}>
        {props.label}
      </button>
    </form>
  );
}

export type TeamResultsProps = {
  roundId: number;
  teams: TeamPage;
  threshold: number;
  status: RoundStatus;
  minGroupSize: number;
  /** HR with an active review program: weak teams' rows get a checkbox of the enroll form around the table. */
  selectable: boolean;
  /** Team ids ticked when the form comes back with an error. */
  checked?: string[];
};

/**
 * One page of the By-team table, weakest first, with its pager: the full page renders it and htmx swaps it
 * in place (GET /surveys/:id?teamPage=N). Without JavaScript the pager's links load the whole page.
 */
export function TeamResults(props: TeamResultsProps) {
  const checked = new Set(props.checked ?? []);
  const rows = props.teams.rows;
  return (
    <div id="team-results">
      {/* The page the form was sent from, so an error shows the same rows with the same ticks. */}
      {props.selectable && <input type="hidden" name="teamPage" value={String(props.teams.page)} />}
      <RateTable
        firstColumn="Team"
        threshold={props.threshold}
        status={props.status}
        minGroupSize={props.minGroupSize}
        rows={rows.map((cell) => ({
          label: (
            <>
              {cell.teamName} <DepartmentTag department={cell.department} />
            </>
          ),
          cell,
        }))}
        extra={
          props.selectable
            ? {
                header: 'Enroll',
                cell: (index) => {
                  const team = rows[index];
                  if (team.teamId === null || !isWeakTeam(team)) return <span class="muted">—</span>;
                  return <input type="checkbox" name="teamIds" value={String(team.teamId)} checked={checked.has(String(team.teamId))} aria-label={`Enroll ${team.teamName}`} />;
                },
              }
            : undefined
        }
      />
      <Pager
        page={props.teams.page}
        pageSize={props.teams.pageSize}
        total={props.teams.total}
        href={(page) => `/surveys/${props.roundId}?teamPage=${page}#teams-heading`}
        target="#team-results"
      />
    </div>
  );
}

export function RoundPage(props: {
  layout: LayoutProps;
  results: RoundResults;
  isHr: boolean;
  programs: ReviewProgramOption[];
  belowThresholdPeople: number;
  /** Teams below the threshold in the whole table, not just the page shown. */
  weakTeamCount: number;
  teams: TeamPage;
  trend: TrendPoint[];
  versionIsCurrent: boolean;
  enroll?: EnrollFormState;
}) {
  const r = props.results;
  const round = r.round;
  const csrf = props.layout.csrfToken;
  const canEnroll = props.isHr && props.programs.length > 0;
  const teamForm = props.enroll?.scope === 'team' ? props.enroll : undefined;
  const teamResults = (
    <TeamResults
      roundId={round.id}
      teams={props.teams}
      threshold={r.threshold}
      status={round.status}
      minGroupSize={r.minGroupSize}
      selectable={canEnroll}
      checked={teamForm ? [...listOf(teamForm.values.teamIds), ...listOf(teamForm.values.teamId)] : undefined}
    />
  );
  return (
    <Layout {...props.layout}>
      <PageHeader title={round.title}>
        {props.isHr && !r.detailHidden ? (
          <>
            <a class="button" href={`/surveys/${round.id}/review`}>
              Review queue ({r.toReview ?? 0})
            </a>
            <a class="button secondary" href={`/surveys/${round.id}/export.csv`} download>
              Export CSV
            </a>
          </>
        ) : undefined}
      </PageHeader>
      <section class="card">
        <dl class="details">
          <dt>Status</dt>
          <dd>
            <StatusTag status={round.status} /> {round.status === 'open' ? `closes at the end of ${round.closesOn}` : `closed (${round.closesOn})`}
          </dd>
          <dt>Asked</dt>
          <dd>{round.population}</dd>
          <dt>Reports</dt>
          <dd>{round.anonymous ? `anonymous — no names anywhere, no group smaller than ${r.minGroupSize}` : 'named'}</dd>
          <dt>Judged against</dt>
          <dd>
            version {r.version.number} of the official advantages ({r.version.advantages.map((advantage) => advantage.name).join(', ')})
            {!props.versionIsCurrent && props.isHr && (
              <form method="post" action={`/surveys/${round.id}/rejudge`} class="inline">
                <CsrfField token={csrf} />{' '}
                <button type="submit" class="small secondary">
                  Re-score against the current advantages
                </button>
              </form>
            )}
          </dd>
        </dl>
        {props.isHr && round.status === 'open' && (
          <div class="actions">
            <form method="post" action={`/surveys/${round.id}/remind`} class="inline">
              <CsrfField token={csrf} />
              <button type="submit" class="secondary">
                {round.anonymous ? 'Remind those who have not answered' : `Remind those who have not answered (${r.overall.participants - r.overall.respondents})`}
              </button>
            </form>
            <form method="post" action={`/surveys/${round.id}/close`} class="inline" data-confirm="Close this round now? Nobody can answer or change answers afterwards.">
              <CsrfField token={csrf} />
              <button type="submit" class="danger">
                Close now
              </button>
            </form>
          </div>
        )}
      </section>

      {round.anonymous && (
        <p class="notice anonymity-rule" role="note">
          {anonymityRule(r)}
        </p>
      )}

      <section class="card verdict-card" aria-labelledby="verdict-heading">
        <h2 id="verdict-heading">Verdict</h2>
        {r.overall.hidden ? (
          <>
            <p class="big-figure">
              <strong>{hiddenText(r.overall.hidden, r.minGroupSize)}</strong>
            </p>
            <p class="muted">
              {r.overall.participants} people asked
              {r.overall.respondents > 0 ? `; ${r.overall.respondents} answered so far (${percent(r.overall.responseRate)})` : ''}.
            </p>
          </>
        ) : r.overall.respondents === 0 ? (
          <p class="big-figure">
            <strong>No answers yet</strong> <span class="muted">— {r.overall.participants} people asked.</span>
          </p>
        ) : (
          <>
            <p class="big-figure">
              <strong>{percent(r.overall.matchRate)}</strong> of answers name an official advantage, {r.overall.respondents} of {r.overall.participants} people answered (
              {percent(r.overall.responseRate)}) <Verdict cell={r.overall} />
            </p>
            <p class="verdict-evidence">{verdictEvidence(r.overall, round.status, r.threshold, r.minResponseRatePercent)}</p>
            <p class="muted">
              A verdict needs the 95% interval of the match rate (over respondents) wholly above or below {percent(r.threshold)}, and at least {r.minResponseRatePercent}% of those asked
              answering. {percent(r.overall.namedAllShare)} named all {r.allCount}.
              {(r.toReview ?? 0) > 0 && ` ${r.toReview} answers wait for review and count as not matching until assigned.`}
            </p>
          </>
        )}
      </section>

      <section class="card" aria-labelledby="departments-heading">
        <h2 id="departments-heading">By department</h2>
        <RateTable
          firstColumn="Department"
          threshold={r.threshold}
          status={round.status}
          minGroupSize={r.minGroupSize}
          rows={r.byDepartment.map((cell) => ({ label: <DepartmentTag department={cell.department} />, cell }))}
        />
      </section>

      <section class="card" aria-labelledby="teams-heading">
        <h2 id="teams-heading">By team</h2>
        <p class="muted">
          Weakest first. {props.weakTeamCount} of {props.teams.total} {props.weakTeamCount === 1 ? 'team is' : 'teams are'} below {percent(r.threshold)}.
          {canEnroll && props.weakTeamCount > 0 && ' Tick the teams to enroll on this page, choose a review program and enroll them together.'}
          {props.isHr && !canEnroll && ' There is no active review program to enroll teams in.'}
        </p>
        {canEnroll ? (
          // One form for the whole table: the rows carry only a checkbox, the program and the button come once.
          <form method="post" action={`/surveys/${round.id}/enroll`} class="enroll-teams" novalidate>
            <ErrorSummary errors={teamForm?.errors} labels={enrollLabels} />
            <CsrfField token={csrf} />
            <input type="hidden" name="scope" value="team" />
            {teamForm?.errors.teamIds && (
              <p class="field-error" id="f-teamIds">
                {teamForm.errors.teamIds}
              </p>
            )}
            {teamResults}
            <div class="actions enroll-form">
              <ProgramSelect id="f-programId" label="Review program" programs={props.programs} selected={teamForm?.values.programId} error={teamForm?.errors.programId} showLabel />
              <button type="submit" class="small">
                Enroll selected teams in review
              </button>
            </div>
            {teamForm?.errors.programId && (
              <p class="field-error" id="f-programId-error">
                {teamForm.errors.programId}
              </p>
            )}
          </form>
        ) : (
          <>
            {/* The last review program was archived while the form was open: the message still shows. */}
            <ErrorSummary errors={teamForm?.errors} labels={enrollLabels} />
            {teamResults}
          </>
        )}
      </section>

      <section class="card" aria-labelledby="recall-heading">
        <h2 id="recall-heading">Recall per advantage</h2>
        {r.detailHidden ? (
          <p class="muted">{hiddenText(r.detailHidden, r.minGroupSize)}</p>
        ) : r.overall.respondents === 0 ? (
          <p class="muted">No answers yet.</p>
        ) : (
          <RecallTable recall={r.recall} />
        )}
      </section>

      <section class="card" aria-labelledby="instead-heading">
        <h2 id="instead-heading">What people say instead</h2>
        {r.detailHidden ? <p class="muted">{hiddenText(r.detailHidden, r.minGroupSize)}</p> : <SayInstead groups={r.sayInstead} answers={r.overall.answers} matched={r.overall.matched} />}
      </section>

      {props.isHr && (
        <section class="card" aria-labelledby="loop-heading">
          <h2 id="loop-heading">Close the loop</h2>
          {round.anonymous ? (
            <p class="muted">This round is anonymous, so people cannot be picked out: tick whole teams below the threshold in the By team table above, weakest first.</p>
          ) : (
            <>
              <p>
                {props.belowThresholdPeople} {props.belowThresholdPeople === 1 ? 'person' : 'people'} named fewer than {percent(r.threshold)} of their answers right. Enroll them in a review
                session of the training programs; the next round shows whether it worked.
              </p>
              <EnrollPeopleForm
                roundId={round.id}
                csrfToken={csrf}
                programs={props.programs}
                label={`Enroll ${props.belowThresholdPeople} below threshold`}
                disabled={props.belowThresholdPeople === 0}
                state={props.enroll?.scope === 'people' ? props.enroll : undefined}
              />
            </>
          )}
        </section>
      )}

      <TrendSection trend={props.trend} threshold={r.threshold} />
    </Layout>
  );
}

// ── review queue ──

export function ReviewQueue(props: { roundId: number; csrfToken: string | null; items: ReviewItem[]; total: number; answers: number; advantages: AdvantageVersion['advantages']; message?: string | null }) {
  const names = new Map(props.advantages.map((advantage) => [advantage.key, advantage.name]));
  return (
    <div id="review-queue" aria-live="polite">
      {props.message && (
        <p class="flash" role="status">
          {props.message}
        </p>
      )}
      {props.items.length === 0 ? (
        <p class="card">Nothing to review: every answer is matched or assigned.</p>
      ) : (
        <>
          <p class="muted">
            {props.answers} answers in {props.total} groups of identical answers. One click assigns the whole group.
          </p>
          <ul class="review-list">
            {props.items.map((item, index) => (
              <li class="card review-item">
                <form method="post" action={`/surveys/${props.roundId}/review`} hx-post={`/surveys/${props.roundId}/review`} hx-target="#review-queue" hx-swap="outerHTML">
                  <CsrfField token={props.csrfToken} />
                  <input type="hidden" name="normalised" value={item.normalised} />
                  <p class="review-answer">
                    <strong>“{item.text || '(empty)'}”</strong> <span class="muted">× {item.count}</span>{' '}
                    <span class={`tag ${item.status === 'doubtful' ? 'warn' : 'bad'}`}>{item.status}</span>
                    {item.candidateKey && <span class="muted"> looks like {names.get(item.candidateKey) ?? item.candidateKey}?</span>}
                  </p>
                  {item.examples.length > 1 && <p class="muted">Also written: {item.examples.slice(1).map((example) => `“${example}”`).join(', ')}</p>}
                  <div class="actions">
                    {props.advantages.map((advantage) => (
                      <button type="submit" name="advantageKey" value={advantage.key} class={item.candidateKey === advantage.key ? 'small' : 'small secondary'}>
                        {advantage.name}
                      </button>
                    ))}
                    <button type="submit" name="advantageKey" value="" class="small secondary">
                      None
                    </button>
                    <label class="checkbox">
                      <input type="checkbox" name="saveAsSynonym" value="on" id={`synonym-${index}`} /> also save as a synonym and re-score
                    </label>
                  </div>
                </form>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function ReviewPage(props: { layout: LayoutProps; round: RoundRow; queue: Parameters<typeof ReviewQueue>[0] }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title={`Review: ${props.round.title}`}>
        <a class="button secondary" href={`/surveys/${props.round.id}`}>
          Back to results
        </a>
      </PageHeader>
      <p class="muted">Unmatched and doubtful answers. Assign each to the advantage it names, or to none; saving it as a synonym teaches the matcher for this and later rounds.</p>
      <ReviewQueue {...props.queue} />
    </Layout>
  );
}

// ── official advantages ──

export function AdvantagesPage(props: {
  layout: LayoutProps;
  version: AdvantageVersion | null;
  versions: { number: number; note: string; createdAt: Date }[];
  values: FormValues;
  errors?: FieldErrors;
  rows: number;
  shownVersion?: AdvantageVersion | null;
}) {
  const current = props.version;
  return (
    <Layout {...props.layout}>
      <PageHeader title="Official advantages" />
      <p class="muted">
        The company's top competitive advantages, each with a short statement and the phrases people use for it. Every save makes a new version; a survey round remembers the version it was judged
        against.
      </p>
      {props.shownVersion && props.shownVersion.id !== current?.id && (
        <section class="card">
          <h2>Version {props.shownVersion.number}</h2>
          <AdvantageList version={props.shownVersion} />
        </section>
      )}
      <ErrorSummary errors={props.errors} />
      <form method="post" action="/advantages" class="stack card" novalidate>
        <CsrfField token={props.layout.csrfToken} />
        <h2>{current ? `Version ${current.number} — edit to make version ${current.number + 1}` : 'Set the first version'}</h2>
        {Array.from({ length: props.rows }, (_, index) => (
          <fieldset class="advantage-fields">
            <legend>{index < (current?.advantages.length ?? 0) ? `Advantage ${index + 1}` : 'Add an advantage'}</legend>
            <input type="hidden" name={`key_${index}`} value={String(props.values[`key_${index}`] ?? '')} />
            <Field name={`name_${index}`} label="Name" values={props.values} errors={props.errors} />
            <Field name={`statement_${index}`} label="Statement" values={props.values} errors={props.errors} />
            <TextArea name={`synonyms_${index}`} label="Phrases people use (one per line)" rows={5} values={props.values} errors={props.errors} />
            {index < (current?.advantages.length ?? 0) && (
              <label class="checkbox">
                <input type="checkbox" name={`remove_${index}`} value="on" /> Remove this advantage
              </label>
            )}
          </fieldset>
        ))}
        <Field name="note" label="What changed (optional)" values={props.values} errors={props.errors} />
        <button type="submit">Save as a new version</button>
      </form>
      {props.versions.length > 0 && (
        <section class="card">
          <h2>Versions</h2>
          <ul>
            {props.versions.map((version) => (
              <li>
                <a href={`/advantages?version=${version.number}`}>Version {version.number}</a> <span class="muted">{version.createdAt.toISOString().slice(0, 10)}</span>{' '}
                {version.note}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}

function AdvantageList(props: { version: AdvantageVersion }) {
  return (
    <dl class="details">
      {props.version.advantages.map((advantage) => (
        <>
          <dt>{advantage.name}</dt>
          <dd>
            {advantage.statement && <p>{advantage.statement}</p>}
            <p class="muted">{advantage.synonyms.join(' · ') || 'no synonyms'}</p>
          </dd>
        </>
      ))}
    </dl>
  );
}
