import type { AwayPerson, PersonRotation } from '../../src/rotations/reads';
import type { RotationProgramSummary } from '../../src/rotations/programs';
import { ButtonLink, PageHeader, Table } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { DIRECTION_SHORT, RotationsNav, StatusTag } from './components';

/** Rows of who is away the overview shows; the rest are a count and a link to the timeline. */
export const AWAY_SHOWN = 100;

export function RotationsHomePage(props: {
  layout: LayoutProps;
  role: string;
  today: string;
  mine: PersonRotation[];
  /** The first AWAY_SHOWN of who is away, and how many are in all. */
  away: { rows: AwayPerson[]; total: number; more: boolean } | null;
  awayUntil: string;
  counts: Record<string, number> | null;
  programs: RotationProgramSummary[] | null;
}) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Rotations">
        {props.role === 'hr' && (
          <>
            <ButtonLink href="/rotations/planner" kind="primary">
              Plan rotations
            </ButtonLink>
            <ButtonLink href="/rotations/new">Schedule a rotation</ButtonLink>
          </>
        )}
        {props.role !== 'employee' && <ButtonLink href="/rotations/timeline">Timeline</ButtonLink>}
      </PageHeader>
      <RotationsNav role={props.role} current="/rotations" />
      {props.counts && (
        <p class="card" id="rotation-counts">
          {props.counts.active} active · {props.counts.planned} planned · {props.counts.completed} completed · {props.counts.cancelled} cancelled
        </p>
      )}
      <section class="card" id="my-rotations">
        <h2>My rotations</h2>
        <Table
          columns={['When', 'Role', 'Where', 'With', 'Program', 'Status']}
          rows={props.mine}
          empty={'You have no rotations, as guest or as mentor. Tell HR when you would like to go: add your preferred periods under My availability.'}
          row={(r) => (
            <tr>
              <td data-label="When">
                <a href={`/rotations/${r.rotationId}`}>
                  {r.startDate} to {r.endDate}
                </a>
              </td>
              <td data-label="Role">{r.role === 'person' ? 'Guest' : 'Mentor'}</td>
              <td data-label="Where">{r.hostTeamName}</td>
              <td data-label="With">{r.role === 'person' ? (r.mentorName ? `Mentor: ${r.mentorName}` : 'No mentor yet') : `Guest: ${r.personName}`}</td>
              <td data-label="Program">{r.programName}</td>
              <td data-label="Status">
                <StatusTag status={r.status} />
              </td>
            </tr>
          )}
        />
      </section>
      {props.away && (
        <section class="card" id="away">
          <h2>Who is away until {props.awayUntil}</h2>
          {props.away.total === 0 ? (
            <p class="muted">Nobody you look after is away on a rotation in these weeks.</p>
          ) : (
            <Table
              columns={['Person', 'Home team', 'Away with', 'From', 'Until']}
              rows={props.away.rows}
              row={(a) => (
                <tr>
                  <td data-label="Person">
                    <a href={`/rotations/${a.rotationId}`}>{a.name}</a>
                  </td>
                  <td data-label="Home team">{a.homeTeamName ?? '—'}</td>
                  <td data-label="Away with">{a.hostTeamName}</td>
                  <td data-label="From">{a.startDate}</td>
                  <td data-label="Until">{a.endDate}</td>
                </tr>
              )}
              pager={
                props.away.total > props.away.rows.length && (
                  <p class="muted">
                    And {props.away.more ? 'over ' : ''}
                    {props.away.total - props.away.rows.length} more: see the <a href="/rotations/timeline">timeline</a>.
                  </p>
                )
              }
            />
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
                  <a href={`/rotations/programs/${p.id}`}>{p.name}</a> — {DIRECTION_SHORT[p.direction]}, {p.lengthWeeks} weeks, {p.rotationCount} rotations
                  {!p.active && ' (archived)'}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Layout>
  );
}
