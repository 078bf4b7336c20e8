import { html } from 'hono/html';
import { departmentLabel } from '../labels';
import { hiddenText } from '../../src/surveys/anonymity';
import type { RateCell, RecallCell } from '../../src/surveys/tally';
import type { RoundFigures, TrendPoint } from '../../src/surveys/results';
import { anonymityRule, isWeakTeam, type TeamPage } from '../../src/surveys/presentation';
import type { RoundStatus } from '../../src/surveys/surveys';
import { ButtonLink, Card, CsrfField, Detail, ErrorSummary, PageHeader, Pager, PostButton, Table } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { RateBar, StatusTag, Verdict, more, percent, responsesText, verdictEvidence } from './components';
import { type EnrollFormState, EnrollPeopleForm, ProgramSelect, type ReviewProgramOption, enrollLabels, listOf } from './enroll';
import { TrendSection } from './home';

function DepartmentTag(props: { department: string }) {
  return html`<span class="tag ${props.department}">${departmentLabel(props.department)}</span>`;
}

type RateTableProps = {
  rows: Array<{ label: unknown; cell: RateCell; department?: string }>;
  threshold: number;
  status: RoundStatus;
  minGroupSize: number;
  firstColumn: string;
  /** A last column, e.g. the checkboxes of the bulk enroll form. */
  extra?: { header: string; cell: (index: number) => unknown };
};

/**
 * A row of a rate table as an html template, as the busy pages' rows (views/events/components.tsx): the same markup
 * and escaping without an element tree built and walked per row.
 */
function rateRow(row: RateTableProps['rows'][number], index: number, props: RateTableProps) {
  const { cell } = row;
  const figures = cell.hidden
    ? html`<td data-label="Match rate" colspan="3"><span class="muted hidden-cell">${hiddenText(cell.hidden, props.minGroupSize)}</span></td>`
    : html`<td data-label="Match rate">${cell.answers ? percent(cell.matchRate) : '—'} ${RateBar({ value: cell.matched, max: cell.answers, label: 'match rate' })}</td><td data-label="Verdict">${Verdict({ cell })}${
        cell.verdict.code === 'not_decided' && cell.respondents > 0 && props.status === 'open'
          ? html`<div class="muted">${cell.verdict.answersNeeded !== null ? `${more(cell.verdict.answersNeeded)} would decide it` : 'cannot be decided at this rate'}</div>`
          : ''
      }</td><td data-label="Named all">${cell.respondents ? percent(cell.namedAllShare) : '—'}</td>`;
  return html`<tr><th scope="row" data-label="${props.firstColumn}">${row.label}</th><td data-label="Responses">${responsesText(cell, props.minGroupSize)}</td>${figures}${
    props.extra ? html`<td data-label="${props.extra.header}">${props.extra.cell(index)}</td>` : ''
  }</tr>`;
}

function RateTable(props: RateTableProps) {
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
        <tbody>{props.rows.map((row, index) => rateRow(row, index, props))}</tbody>
      </table>
    </div>
  );
}

function RecallTable(props: { recall: RecallCell[] }) {
  const weakest = props.recall.reduce<RecallCell | null>((lowest, cell) => (!lowest || cell.share < lowest.share ? cell : lowest), null);
  return (
    <Table
      columns={['Official advantage', 'Named by', 'Sales', 'Marketing']}
      rows={props.recall}
      row={(cell) => (
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
      )}
    />
  );
}

function SayInstead(props: { groups: RoundFigures['sayInstead']; answers: number; matched: number }) {
  if (props.answers === 0) return <p class="muted">No answers yet.</p>;
  if (props.groups.length === 0)
    return <p class="muted">{props.matched === props.answers ? 'Every answer named an official advantage.' : 'Nothing to show yet.'}</p>;
  const count = (value: number | null) => (value === null ? '—' : value);
  return (
    <Table
      class="say-instead"
      columns={['What they say', 'Answers', 'Sales', 'Marketing', 'Other', 'For example']}
      rows={props.groups}
      row={(group) => (
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
      )}
    />
  );
}

type TeamResultsProps = {
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
          label: html`${cell.teamName} ${DepartmentTag({ department: cell.department })}`,
          cell,
        }))}
        extra={
          props.selectable
            ? {
                header: 'Enroll',
                cell: (index) => {
                  const team = rows[index];
                  if (team.teamId === null || !isWeakTeam(team)) return <span class="muted">—</span>;
                  return (
                    <input
                      type="checkbox"
                      name="teamIds"
                      value={String(team.teamId)}
                      checked={checked.has(String(team.teamId))}
                      aria-label={`Enroll ${team.teamName}`}
                    />
                  );
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
  results: RoundFigures;
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
  const checked = teamForm ? [...listOf(teamForm.values.teamIds), ...listOf(teamForm.values.teamId)] : undefined;
  const scale = { threshold: r.threshold, status: round.status, minGroupSize: r.minGroupSize };
  const teamResults = <TeamResults roundId={round.id} teams={props.teams} {...scale} selectable={canEnroll} checked={checked} />;
  return (
    <Layout {...props.layout}>
      <PageHeader title={round.title}>
        {props.isHr && !r.detailHidden ? (
          <>
            <ButtonLink href={`/surveys/${round.id}/review`} kind="primary">
              Review queue ({r.toReview ?? 0})
            </ButtonLink>
            <ButtonLink href={`/surveys/${round.id}/export.csv`} download>
              Export CSV
            </ButtonLink>
          </>
        ) : undefined}
      </PageHeader>
      <section class="card">
        <dl class="details">
          <Detail term="Status">
            <StatusTag status={round.status} /> {round.status === 'open' ? `closes at the end of ${round.closesOn}` : `closed (${round.closesOn})`}
          </Detail>
          <Detail term="Asked">{round.population}</Detail>
          <Detail term="Reports">{round.anonymous ? `anonymous — no names anywhere, no group smaller than ${r.minGroupSize}` : 'named'}</Detail>
          <Detail term="Judged against">
            version {r.version.number} of the official advantages ({r.version.advantages.map((advantage) => advantage.name).join(', ')})
            {!props.versionIsCurrent && props.isHr && (
              <PostButton
                action={`/surveys/${round.id}/rejudge`}
                csrfToken={csrf}
                before={' '}
                label="Re-score against the current advantages"
                class="small secondary"
              />
            )}
          </Detail>
        </dl>
        {props.isHr && round.status === 'open' && (
          <div class="actions">
            <PostButton
              action={`/surveys/${round.id}/remind`}
              csrfToken={csrf}
              label={
                round.anonymous
                  ? 'Remind those who have not answered'
                  : `Remind those who have not answered (${r.overall.participants - r.overall.respondents})`
              }
              class="secondary"
            />
            <PostButton
              action={`/surveys/${round.id}/close`}
              csrfToken={csrf}
              label="Close now"
              class="danger"
              confirm="Close this round now? Nobody can answer or change answers afterwards."
            />
          </div>
        )}
      </section>

      {round.anonymous && (
        <p class="notice anonymity-rule" role="note">
          {anonymityRule(r)}
        </p>
      )}

      <Card name="verdict" title="Verdict" class="card verdict-card">
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
              <strong>{percent(r.overall.matchRate)}</strong> of answers name an official advantage, {r.overall.respondents} of {r.overall.participants} people
              answered ({percent(r.overall.responseRate)}) <Verdict cell={r.overall} />
            </p>
            <p class="verdict-evidence">{verdictEvidence(r.overall, round.status, r.threshold, r.minResponseRatePercent)}</p>
            <p class="muted">
              A verdict needs the 95% interval of the match rate (over respondents) wholly above or below {percent(r.threshold)}, and at least{' '}
              {r.minResponseRatePercent}% of those asked answering. {percent(r.overall.namedAllShare)} named all {r.allCount}.
              {(r.toReview ?? 0) > 0 && ` ${r.toReview} answers wait for review and count as not matching until assigned.`}
            </p>
          </>
        )}
      </Card>

      <Card name="departments" title="By department">
        <RateTable
          firstColumn="Department"
          threshold={r.threshold}
          status={round.status}
          minGroupSize={r.minGroupSize}
          rows={r.byDepartment.map((cell) => ({ label: <DepartmentTag department={cell.department} />, cell }))}
        />
      </Card>

      <Card name="teams" title="By team">
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
              <ProgramSelect
                id="f-programId"
                label="Review program"
                programs={props.programs}
                selected={teamForm?.values.programId}
                error={teamForm?.errors.programId}
                showLabel
              />
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
      </Card>

      <Card name="recall" title="Recall per advantage">
        {r.detailHidden ? (
          <p class="muted">{hiddenText(r.detailHidden, r.minGroupSize)}</p>
        ) : r.overall.respondents === 0 ? (
          <p class="muted">No answers yet.</p>
        ) : (
          <RecallTable recall={r.recall} />
        )}
      </Card>

      <Card name="instead" title="What people say instead">
        {r.detailHidden ? (
          <p class="muted">{hiddenText(r.detailHidden, r.minGroupSize)}</p>
        ) : (
          <SayInstead groups={r.sayInstead} answers={r.overall.answers} matched={r.overall.matched} />
        )}
      </Card>

      {props.isHr && (
        <Card name="loop" title="Close the loop">
          {round.anonymous ? (
            <p class="muted">
              This round is anonymous, so people cannot be picked out: tick whole teams below the threshold in the By team table above, weakest first.
            </p>
          ) : (
            <>
              <p>
                {props.belowThresholdPeople} {props.belowThresholdPeople === 1 ? 'person' : 'people'} named fewer than {percent(r.threshold)} of their answers
                right. Enroll them in a review session of the training programs; the next round shows whether it worked.
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
        </Card>
      )}

      <TrendSection trend={props.trend} threshold={r.threshold} />
    </Layout>
  );
}
