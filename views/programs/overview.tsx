import { departmentLabel } from '../labels';
import type { CompletionOverview } from '../../src/programs/reports';
import type { Counts } from '../../src/programs/report-queries';
import { ButtonLink, formatDateTime, PageHeader, Table } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { ProgressBar, TeamComparison } from './charts';
import { COUNT_COLUMNS, CountsCells, LazyChart, OverallCard, teamsHref, WEAKEST_TEAMS } from './components';

type EmptySeatRow = { key: string; eventId: number; title: string; topicName: string; start: Date; seats: number; seatsFree: number; timeZone: string };

/** `more`: more than `needing` people wait (counted no further). */
type UncoveredTopic = { topicId: number; name: string; needing: number; more: boolean };

export function OverviewPage(props: {
  layout: LayoutProps;
  /** Its `manyTeams`: more teams than a page lists, so the weakest few are shown here and the dashboard compares them all. */
  report: CompletionOverview;
  programs: { programId: number; programName: string; counts: Counts }[];
  emptySeats: EmptySeatRow[];
  uncoveredTopics: UncoveredTopic[];
}) {
  const r = props.report;
  const manyTeams = r.manyTeams;
  const teams = r.teams.teams;
  return (
    <Layout {...props.layout}>
      <PageHeader title="Learning across the company">
        <ButtonLink href="/api/v1/reports/completion?format=csv" download>
          Export CSV
        </ButtonLink>
        <ButtonLink href="/programs/dashboard">People</ButtonLink>
      </PageHeader>
      <div class="grid">
        <OverallCard totals={r.totals}>
          {r.totals.people} people enrolled · {r.totals.overdue} overdue · {r.totals.due_soon} due soon
        </OverallCard>
        <section class="card">
          <h2>By department</h2>
          <Table
            columns={['Department', 'Progress', 'Overdue']}
            rows={r.byDepartment}
            row={(d) => (
              <tr>
                <td data-label="Department">
                  <span class={`tag ${d.department}`}>{departmentLabel(d.department)}</span>
                </td>
                <td data-label="Progress">
                  <ProgressBar counts={d} width={120} />
                </td>
                <td data-label="Overdue">{d.overdue}</td>
              </tr>
            )}
          />
        </section>
      </div>
      <section class="card">
        <h2>Completion over time</h2>
        <LazyChart href="/programs/dashboard/chart" />
      </section>
      <section class="card">
        <h2>Teams</h2>
        {manyTeams && (
          <p class="muted">
            The {WEAKEST_TEAMS} teams with the lowest share done, of {r.teams.count}: <a href={teamsHref({ page: 1 }, 'all')}>all teams compared</a>.
          </p>
        )}
        <TeamComparison teams={teams} />
        <Table
          columns={['Team', 'People', ...COUNT_COLUMNS]}
          rows={teams}
          row={(t) => (
            <tr>
              <td data-label="Team">{t.teamId ? <a href={`/programs/dashboard?team=${t.teamId}`}>{t.teamName}</a> : t.teamName}</td>
              <td data-label="People">{t.people}</td>
              <CountsCells counts={t} />
            </tr>
          )}
        />
      </section>
      <section class="card">
        <h2>Programs’ health</h2>
        <Table
          columns={['Program', ...COUNT_COLUMNS]}
          rows={props.programs}
          row={(p) => (
            <tr>
              <td data-label="Program">
                <a href={`/programs/${p.programId}`}>{p.programName}</a>
              </td>
              <CountsCells counts={p.counts} />
            </tr>
          )}
        />
        <div class="grid">
          <div>
            <h3>Sessions with empty seats (next 30 days)</h3>
            {props.emptySeats.length === 0 ? (
              <p class="muted">Every upcoming session is full — or there are none.</p>
            ) : (
              <ul>
                {props.emptySeats.map((s) => (
                  <li>
                    <a href={`/programs/sessions/${s.eventId}`}>{s.title}</a> ({s.topicName}), {formatDateTime(s.start, s.timeZone)}: {s.seatsFree} of {s.seats}{' '}
                    seats free
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
                    <strong>{t.name}</strong>: {t.more ? `more than ${t.needing.toLocaleString('en-US')}` : t.needing}{' '}
                    {t.needing === 1 && !t.more ? 'person needs' : 'people need'} it{' '}
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
