import type { SessionOccurrence } from '../../src/programs/sessions';
import type { CompletionDetailRow } from '../../src/programs/progress';
import type { Counts } from '../../src/programs/report-queries';
import { Field, formatDateTime, PageHeader, PostButton, PostForm, Table } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { ProgressBar } from './charts';
import { StateTag } from './components';
import { CompletionTable } from './progress';
import { SeatsText } from './components';

/** One session the person can book: when, what (topic and host), seats left, and the booking button. */
const bookableRow = (s: SessionOccurrence, timeZone: string, csrf: string | null) => (
  <tr>
    <td data-label="When">{formatDateTime(s.occurrence.start, timeZone)}</td>
    <td data-label="Session">
      {s.event.title}{' '}
      <span class="muted">
        ({s.topicName}, {s.event.hostName})
      </span>
    </td>
    <td data-label="Seats">
      <SeatsText s={s} />
    </td>
    <td data-label="Booking">
      <BookingCell s={s} csrf={csrf} />
    </td>
  </tr>
);

export const StatusMessage = (props: { message: string }) => <p role="status">{props.message}</p>;

export function BookingCell(props: { s: SessionOccurrence; csrf: string | null; message?: string }) {
  const { s } = props;
  const id = `book-${s.occurrence.key}`;
  const booked = s.myStatus === 'accepted';
  return (
    <div id={id} class="booking">
      {props.message && <p role="status">{props.message}</p>}
      {booked ? (
        <span class="tag accepted">booked</span>
      ) : s.myStatus === 'waitlisted' ? (
        <span class="tag waitlisted">on the waitlist</span>
      ) : (
        <PostButton
          action="/learning/book"
          csrfToken={props.csrf}
          formClass={false}
          hx={{ 'hx-post': '/learning/book', 'hx-target': `#${id}`, 'hx-swap': 'outerHTML' }}
          hidden={{ occurrenceId: s.occurrence.key }}
          label={s.seatsFree > 0 ? 'Book' : 'Join the waitlist'}
          class="small"
        />
      )}
    </div>
  );
}

export function MyLearningPage(props: {
  layout: LayoutProps;
  timeZone: string;
  counts: Counts;
  open: CompletionDetailRow[];
  done: CompletionDetailRow[];
  sessions: SessionOccurrence[];
  hosting: SessionOccurrence[];
  /** Whether any open requirement is met by a training session. */
  needsTraining: boolean;
  checkInError?: string;
}) {
  const csrf = props.layout.csrfToken;
  const noSessions = props.needsTraining
    ? 'No session of the topics you still need is scheduled yet; HR sees that in their overview.'
    : 'Nothing to book: none of your open requirements is a training session.';
  return (
    <Layout {...props.layout}>
      <PageHeader title="My learning" />
      <div class="grid">
        <section class="card">
          <h2>Progress</h2>
          <ProgressBar counts={props.counts} width={260} />
          <p class="muted">Due dates are the end of that day in {props.timeZone}.</p>
        </section>
        <section class="card" id="check-in">
          <h2>Check in</h2>
          <PostForm action="/learning/check-in" csrfToken={csrf} class="stack" novalidate>
            <Field
              name="code"
              label="Code shown in the room"
              required
              autocomplete="off"
              errors={props.checkInError ? { code: props.checkInError } : undefined}
            />
            <button type="submit">Check in</button>
          </PostForm>
        </section>
      </div>
      <section class="card">
        <h2>Required of me</h2>
        {props.open.length === 0 ? (
          <p>Nothing open — well done.</p>
        ) : (
          <ul class="requirements">
            {props.open.map((r) => (
              <li>
                <StateTag state={r.state} /> <strong>{r.title}</strong> ({r.programName}) — by {r.dueDate}
                {r.need > 1 && (
                  <span class="muted">
                    {' '}
                    · {r.have} of {r.need} so far
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card">
        <h2>Sessions I can book</h2>
        <Table columns={['When', 'Session', 'Seats', 'Booking']} rows={props.sessions} empty={noSessions} row={(s) => bookableRow(s, props.timeZone, csrf)} />
      </section>
      {props.hosting.length > 0 && (
        <section class="card">
          <h2>Sessions I host</h2>
          <ul>
            {props.hosting.map((s) => (
              <li>
                {formatDateTime(s.occurrence.start, props.timeZone)} — {s.event.title}:{' '}
                <a href={`/programs/attendance/${s.occurrence.key}`}>attendance and check-in</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="card">
        <h2>Completed</h2>
        <CompletionTable rows={props.done} timeZone={props.timeZone} csrf={csrf} personId={0} canSignOff={false} />
      </section>
    </Layout>
  );
}
