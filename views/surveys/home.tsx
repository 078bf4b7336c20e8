import { hiddenText } from '../../src/surveys/anonymity';
import type { RoundOverview, TrendPoint } from '../../src/surveys/results';
import type { RoundRow, RoundStatus } from '../../src/surveys/surveys';
import { ButtonLink, Card, PageHeader, Table } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { ShareTrendChart } from './charts';
import { StatusTag, Verdict, more, percent, responsesText } from './components';

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
        labels={points.map(
          (point) =>
            `${point.title} (closes ${point.closesOn}; ${point.respondents} of ${point.participants} answered, ${percent(point.participants ? point.respondents / point.participants : 0)})`,
        )}
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

type MyRound = RoundRow & { status: RoundStatus; answered: boolean };

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
              <ButtonLink href="/surveys/new" kind="primary">
                Open a round
              </ButtonLink>
            )}
            {props.canEditAdvantages && <ButtonLink href="/advantages">Official advantages</ButtonLink>}
            {props.isHr && <ButtonLink href="/surveys/settings">Survey settings</ButtonLink>}
          </>
        ) : undefined}
      </PageHeader>
      <Card name="mine" title="Your surveys">
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
      </Card>
      {props.canSeeResults && (
        <>
          <Card name="rounds" title="Rounds">
            <Table
              columns={['Round', 'Population', 'Status', 'Responses', 'Match rate', 'Verdict', props.isHr && 'To review']}
              rows={props.rounds}
              empty={'No round has been opened yet.'}
              row={(round) => {
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
              }}
            />
          </Card>
          <TrendSection trend={props.trend} threshold={props.threshold} />
        </>
      )}
    </Layout>
  );
}
