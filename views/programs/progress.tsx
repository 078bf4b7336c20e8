import type { EvidenceItem } from '../../src/programs/completion';
import type { CompletionDetailRow } from '../../src/programs/progress';
import type { Counts } from '../../src/programs/report-queries';
import { ButtonLink, formatDateTime, PageHeader, PostForm, Table } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { ProgressBar } from './charts';
import { StateTag } from './components';

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
    <Table
      columns={['Requirement', 'Program', 'Due', 'State', 'Evidence']}
      rows={props.rows}
      row={(row) => (
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
              <PostForm action={`/programs/people/${props.personId}/sign-off`} csrfToken={props.csrf} class="stack compact">
                <input type="hidden" name="requirementId" value={String(row.requirementId)} />
                <div class="field">
                  <label for={`note-${row.id}`}>Note (optional)</label>
                  <input id={`note-${row.id}`} name="note" type="text" maxlength={500} />
                </div>
                <button type="submit" class="small">
                  Sign off
                </button>
              </PostForm>
            )}
          </td>
        </tr>
      )}
    />
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
        <ButtonLink href="/programs/dashboard">Back to team progress</ButtonLink>
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
                {a.status === 'attended' ? (
                  a.walkIn ? (
                    <span class="tag waitlisted">attended as a walk-in</span>
                  ) : (
                    'attended'
                  )
                ) : (
                  <span class="tag warn">no-show</span>
                )}
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
