import type { ListedSession, SessionOccurrence, SheetRow } from '../../src/programs/sessions';
import type { CompletionDetailRow, Counts } from '../../src/programs/reports';
import { CsrfField, ErrorSummary, Field, ZoneField, PageHeader, Pager, Select, TextArea, formatDateTime, type FieldErrors, type FormValues, type Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { ProgressBar } from './charts';
import { CompletionTable, StateTag } from './dashboard';

function SeatsText(props: { s: SessionOccurrence }) {
  const { s } = props;
  return (
    <span>
      {s.seatsTaken} booked · {s.seatsFree > 0 ? `${s.seatsFree} seats free` : <span class="tag warn">full</span>}
    </span>
  );
}

export type SessionsListProps = {
  sessions: ListedSession[];
  total: number;
  page: number;
  pageSize: number;
  /** The filters as asked (strings as typed, for the form and the paging links). */
  query: FormValues;
  errors?: FieldErrors;
  programs: Option[];
  topics: Option[];
  timeZone: string;
};

const WHEN_LABELS: Record<string, string> = { upcoming: 'Coming up (90 days)', past: 'Past (the last year)', dates: 'Between dates' };

/** What attendance recorded at a session that started, or what is left to do. */
function AttendanceSummary(props: { s: ListedSession }) {
  const { s } = props;
  if (s.attended + s.noShows === 0) return <span class="tag warn">not recorded yet</span>;
  return (
    <span>
      {s.attended} attended · {s.noShows} no-show{s.walkIns > 0 ? ` · ${s.walkIns} walk-in${s.walkIns === 1 ? '' : 's'}` : ''}
    </span>
  );
}

/** The sessions list with its filters; the same partial answers htmx and the full page. */
export function SessionsList(props: SessionsListProps) {
  const when = String(props.query.when ?? 'upcoming');
  const params = (page: number) => {
    const search = new URLSearchParams();
    for (const key of ['when', 'from', 'to', 'program', 'topic']) {
      const value = props.query[key];
      if (value !== undefined && value !== null && String(value) !== '') search.set(key, String(value));
    }
    if (page > 1) search.set('page', String(page));
    const text = search.toString();
    return `/programs/sessions${text ? `?${text}` : ''}`;
  };
  return (
    <section class="card" id="sessions-list">
      <h2>{WHEN_LABELS[when] ?? 'Sessions'}</h2>
      <form method="get" action="/programs/sessions" class="filters" hx-get="/programs/sessions" hx-target="#sessions-list" hx-swap="outerHTML" hx-push-url="true" novalidate>
        <ErrorSummary errors={props.errors} labels={{ when: 'Period', from: 'From', to: 'To', program: 'Program', topic: 'Topic', page: 'Page' }} />
        <Select name="when" label="Period" options={Object.entries(WHEN_LABELS).map(([value, label]) => ({ value, label }))} values={props.query} errors={props.errors} />
        <Field name="from" label="From (between dates)" type="date" values={props.query} errors={props.errors} />
        <Field name="to" label="To (between dates)" type="date" values={props.query} errors={props.errors} />
        <Select name="program" label="Program" options={props.programs} blank="Any program" values={props.query} errors={props.errors} />
        <Select name="topic" label="Topic" options={props.topics} blank="Any topic" values={props.query} errors={props.errors} />
        <div class="actions">
          <button type="submit" class="secondary">
            Show
          </button>
        </div>
      </form>
      {props.sessions.length === 0 ? (
        <p class="muted">{props.errors ? 'Correct the filters to see sessions.' : when === 'past' ? 'No session took place in this period.' : 'No sessions scheduled in this period.'}</p>
      ) : (
        <div class="table-wrap">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Session</th>
                <th scope="col">Topic</th>
                <th scope="col">Host</th>
                <th scope="col">Seats</th>
                <th scope="col">Attendance</th>
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((s) => (
                <tr>
                  <td data-label="When">{formatDateTime(s.occurrence.start, props.timeZone)}</td>
                  <td data-label="Session">
                    <a href={`/programs/sessions/${s.event.id}`}>{s.event.title}</a>
                  </td>
                  <td data-label="Topic">{s.topicName}</td>
                  <td data-label="Host">{s.event.hostName}</td>
                  <td data-label="Seats">
                    <SeatsText s={s} />
                  </td>
                  <td data-label="Attendance">
                    {s.started ? (
                      <>
                        <AttendanceSummary s={s} /> · <a href={`/programs/attendance/${s.occurrence.key}`}>record attendance</a>
                      </>
                    ) : (
                      <span class="muted">once it has started</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={props.page} pageSize={props.pageSize} total={props.total} href={params} target="#sessions-list" />
    </section>
  );
}

export function SessionsPage(props: { layout: LayoutProps; list: SessionsListProps; topics: { id: number; name: string; description: string }[]; topicValues?: FormValues; topicErrors?: FieldErrors }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Training sessions">
        <a class="button" href="/programs/sessions/new">
          Schedule a session
        </a>
      </PageHeader>
      <SessionsList {...props.list} />
      <section class="card" id="topics">
        <h2>Topics</h2>
        {props.topics.length === 0 ? (
          <p class="muted">No topics yet. A training requirement names a topic; every session teaches one.</p>
        ) : (
          <ul>
            {props.topics.map((t) => (
              <li>
                <strong>{t.name}</strong> {t.description && <span class="muted">— {t.description}</span>}
              </li>
            ))}
          </ul>
        )}
        <form method="post" action="/programs/topics" class="stack" novalidate>
          <h3>Add a topic</h3>
          <ErrorSummary errors={props.topicErrors} labels={{ name: 'Name', description: 'Description' }} />
          <CsrfField token={props.layout.csrfToken} />
          <Field name="name" label="Topic name" required values={props.topicValues} errors={props.topicErrors} placeholder="Competitive advantages 101" />
          <TextArea name="description" label="Description" rows={2} values={props.topicValues} errors={props.topicErrors} />
          <button type="submit">Add topic</button>
        </form>
      </section>
    </Layout>
  );
}

const sessionLabels: Record<string, string> = { topicId: 'Topic', title: 'Title', hostId: 'Host', start: 'Start', timeZone: 'Time zone', durationMinutes: 'Length', seats: 'Seats', repeat: 'Repeat', count: 'Occurrences', location: 'Place', meetingUrl: 'Meeting link' };

export function SessionFormPage(props: { layout: LayoutProps; topics: Option[]; hosts: Option[]; values: FormValues; errors?: FieldErrors }) {
  return (
    <Layout {...props.layout}>
      <h1>Schedule a training session</h1>
      <ErrorSummary errors={props.errors} labels={sessionLabels} />
      <form method="post" action="/programs/sessions" class="stack card" novalidate>
        <CsrfField token={props.layout.csrfToken} />
        <Select name="topicId" label="Topic" required options={props.topics} values={props.values} errors={props.errors} blank="Choose…" />
        <Field name="title" label="Title" required values={props.values} errors={props.errors} />
        <Select name="hostId" label="Host" required options={props.hosts} values={props.values} errors={props.errors} />
        <Field name="start" label="Start (host’s local time)" type="datetime-local" required values={props.values} errors={props.errors} />
        <ZoneField name="timeZone" label="Time zone" required values={props.values} errors={props.errors} />
        <Field name="durationMinutes" label="Length (minutes)" type="number" min={5} max={720} required values={props.values} errors={props.errors} />
        <Field name="seats" label="Seats" type="number" min={1} max={500} required values={props.values} errors={props.errors} />
        <Select name="repeat" label="Repeat" options={[{ value: 'none', label: 'Once' }, { value: 'weekly', label: 'Every week' }, { value: 'biweekly', label: 'Every two weeks' }, { value: 'monthly', label: 'Every month' }]} values={props.values} errors={props.errors} />
        <Field name="count" label="Number of occurrences (when repeating)" type="number" min={1} max={52} values={props.values} errors={props.errors} />
        <Field name="location" label="Place" values={props.values} errors={props.errors} />
        <Field name="meetingUrl" label="Meeting link" type="url" values={props.values} errors={props.errors} />
        <TextArea name="description" label="Description" rows={3} values={props.values} errors={props.errors} />
        <div class="field">
          <label>
            <input type="checkbox" name="invite" value="yes" checked={props.values.invite === 'yes'} /> Invite everyone who still needs this topic to the first occurrence
          </label>
        </div>
        <div class="actions">
          <button type="submit">Schedule</button>
          <a class="button secondary" href="/programs/sessions">
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function SessionPage(props: { layout: LayoutProps; title: string; topicName: string; hostName: string; timeZone: string; location: string | null; occurrences: SessionOccurrence[]; canManage: boolean; needing: number; now: Date }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.title} />
      <p>
        Topic: <strong>{props.topicName}</strong> · host {props.hostName}
        {props.location ? ` · ${props.location}` : ''}
      </p>
      {props.canManage && <p class="muted">{props.needing} enrolled {props.needing === 1 ? 'person still needs' : 'people still need'} this topic.</p>}
      <div class="table-wrap">
        <table class="responsive">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Seats</th>
              {props.canManage && <th scope="col">Host tools</th>}
            </tr>
          </thead>
          <tbody>
            {props.occurrences.map((s) => (
              <tr>
                <td data-label="When">{formatDateTime(s.occurrence.start, props.timeZone)}</td>
                <td data-label="Seats">
                  <SeatsText s={s} />
                </td>
                {props.canManage && (
                  <td data-label="Host tools">
                    <a href={`/programs/attendance/${s.occurrence.key}`}>{s.occurrence.start.getTime() <= props.now.getTime() ? 'Record attendance' : 'Attendance and check-in'}</a>
                    {s.occurrence.start.getTime() > props.now.getTime() && s.seatsFree > 0 && props.needing > 0 && (
                      <form method="post" action={`/programs/attendance/${s.occurrence.key}/invite`} class="inline">
                        <CsrfField token={props.layout.csrfToken} />{' '}
                        <button type="submit" class="small secondary">
                          Invite who needs it
                        </button>
                      </form>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export type AttendanceSheetProps = {
  occurrenceId: string;
  rows: SheetRow[];
  csrf: string | null;
  started: boolean;
  cancelled: boolean;
  message?: string;
  /** The message says why nothing was saved. */
  error?: boolean;
  walkInValue?: string;
  walkInError?: string;
};

/** Where the person stood at the occurrence, in words. */
function placeText(r: SheetRow): string {
  if (r.walkIn) return 'walk-in';
  if (r.invitation) return r.invitation;
  return r.checkedInAt ? 'no place (checked in)' : 'no place';
}

/**
 * The host's sheet: everyone who held a place, checked in or was marked, with attended / no-show /
 * not marked, saved at once; "mark everyone present" and walk-ins. Works long after the occurrence.
 */
export function AttendanceSheet(props: AttendanceSheetProps) {
  const base = `/programs/attendance/${props.occurrenceId}`;
  const hx = (action: string) => ({ 'hx-post': action, 'hx-target': '#attendance-sheet', 'hx-swap': 'outerHTML' });
  return (
    <section class="card" id="attendance-sheet">
      <h2>Attendance</h2>
      {props.message && (
        <p class={props.error ? 'flash error' : 'flash'} role={props.error ? 'alert' : 'status'}>
          {props.message}
        </p>
      )}
      {props.cancelled ? (
        <p class="muted">This occurrence was cancelled, so there is no attendance to record.</p>
      ) : !props.started ? (
        <p class="muted">Attendance can be recorded once the session has started.</p>
      ) : (
        <>
          {props.rows.some((r) => r.invitation !== null) && (
            <form method="post" action={`${base}/everyone-present`} {...hx(`${base}/everyone-present`)} class="inline">
              <CsrfField token={props.csrf} />
              <button type="submit" class="secondary">
                Mark everyone present
              </button>
            </form>
          )}
          {props.rows.length === 0 ? (
            <p class="muted">Nobody held a place or checked in. Add the people who came as walk-ins.</p>
          ) : (
            <form method="post" action={base} {...hx(base)}>
              <CsrfField token={props.csrf} />
              <table class="responsive">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Place</th>
                    <th scope="col">Checked in</th>
                    <th scope="col">Attended</th>
                    <th scope="col">No-show</th>
                    <th scope="col">Not marked</th>
                  </tr>
                </thead>
                <tbody>
                  {props.rows.map((r) => {
                    // Someone who checked in is presumed present; the host confirms by saving.
                    const status = r.attendance ?? (r.checkedInAt ? 'attended' : null);
                    const noPlace = r.invitation === null;
                    return (
                      <tr>
                        <td data-label="Person">
                          {r.name}
                          <input type="hidden" name="personId" value={String(r.personId)} />
                          {/* Without a place, "attended" can only mean a walk-in: the sheet says so in the Place column. */}
                          {noPlace && <input type="hidden" name={`walkIn_${r.personId}`} value="yes" />}
                        </td>
                        <td data-label="Place">{r.walkIn || noPlace ? <span class="tag waitlisted">{placeText(r)}</span> : placeText(r)}</td>
                        <td data-label="Checked in">{r.checkedInAt ? (r.confirmedAt ? 'yes, confirmed' : 'yes') : '—'}</td>
                        <td data-label="Attended">
                          <input type="radio" name={`status_${r.personId}`} value="attended" checked={status === 'attended'} aria-label={`${r.name} attended${noPlace ? ' (walk-in)' : ''}`} />
                        </td>
                        <td data-label="No-show">
                          {noPlace ? <span class="muted">—</span> : <input type="radio" name={`status_${r.personId}`} value="no_show" checked={status === 'no_show'} aria-label={`${r.name} did not come`} />}
                        </td>
                        <td data-label="Not marked">
                          <input type="radio" name={`status_${r.personId}`} value="none" checked={status === null} aria-label={`${r.name} not marked`} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <div class="actions">
                <button type="submit">Save attendance</button>
              </div>
            </form>
          )}
          <form method="post" action={`${base}/walk-in`} {...hx(`${base}/walk-in`)} class="stack" novalidate>
            <h3>Add a walk-in</h3>
            <p class="muted">Someone who came without a place. They are kept as a walk-in, and their manager sees it.</p>
            <CsrfField token={props.csrf} />
            <Field name="person" label="Email address or full name" required value={props.walkInValue} errors={props.walkInError ? { person: props.walkInError } : undefined} autocomplete="off" />
            <button type="submit" class="secondary">
              Add as walk-in
            </button>
          </form>
        </>
      )}
    </section>
  );
}

export function AttendancePage(props: {
  layout: LayoutProps;
  occurrenceId: string;
  backHref: string;
  title: string;
  when: string;
  code: { code: string; expiresAt: Date } | null;
  canOpenCheckIn: boolean;
  sheet: AttendanceSheetProps;
}) {
  return (
    <Layout {...props.layout}>
      <PageHeader title={`${props.title}: attendance`}>
        <a class="button secondary" href={props.backHref}>
          All occurrences
        </a>
      </PageHeader>
      <p>{props.when}</p>
      <section class="card">
        <h2>Self check-in</h2>
        {props.code ? (
          <>
            <p>Show this code in the room; attendees enter it under “My learning → Check in”.</p>
            <p class="check-in-code" aria-label={`Check-in code ${props.code.code.split('').join(' ')}`}>
              {props.code.code}
            </p>
            <p class="muted">Valid until {formatDateTime(props.code.expiresAt, 'UTC')} UTC. Refresh this page to see who checked in.</p>
          </>
        ) : props.canOpenCheckIn ? (
          <form method="post" action={`/programs/attendance/${props.occurrenceId}/code`}>
            <CsrfField token={props.layout.csrfToken} />
            <button type="submit" class="secondary">
              Show a check-in code
            </button>
          </form>
        ) : (
          <p class="muted">Check-in has closed.</p>
        )}
      </section>
      <AttendanceSheet {...props.sheet} />
    </Layout>
  );
}

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
        <form method="post" action="/learning/book" hx-post="/learning/book" hx-target={`#${id}`} hx-swap="outerHTML">
          <CsrfField token={props.csrf} />
          <input type="hidden" name="occurrenceId" value={s.occurrence.key} />
          <button type="submit" class="small">
            {s.seatsFree > 0 ? 'Book' : 'Join the waitlist'}
          </button>
        </form>
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
          <form method="post" action="/learning/check-in" class="stack" novalidate>
            <CsrfField token={csrf} />
            <Field name="code" label="Code shown in the room" required autocomplete="off" errors={props.checkInError ? { code: props.checkInError } : undefined} />
            <button type="submit">Check in</button>
          </form>
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
        {props.sessions.length === 0 ? (
          <p class="muted">{props.needsTraining ? 'No session of the topics you still need is scheduled yet; HR sees that in their overview.' : 'Nothing to book: none of your open requirements is a training session.'}</p>
        ) : (
          <div class="table-wrap">
            <table class="responsive">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Session</th>
                  <th scope="col">Seats</th>
                  <th scope="col">Booking</th>
                </tr>
              </thead>
              <tbody>
                {props.sessions.map((s) => (
                  <tr>
                    <td data-label="When">{formatDateTime(s.occurrence.start, props.timeZone)}</td>
                    <td data-label="Session">
                      {s.event.title} <span class="muted">({s.topicName}, {s.event.hostName})</span>
                    </td>
                    <td data-label="Seats">
                      <SeatsText s={s} />
                    </td>
                    <td data-label="Booking">
                      <BookingCell s={s} csrf={csrf} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {props.hosting.length > 0 && (
        <section class="card">
          <h2>Sessions I host</h2>
          <ul>
            {props.hosting.map((s) => (
              <li>
                {formatDateTime(s.occurrence.start, props.timeZone)} — {s.event.title}: <a href={`/programs/attendance/${s.occurrence.key}`}>attendance and check-in</a>
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
