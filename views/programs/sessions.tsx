import type { ListedSession, SessionOccurrence } from '../../src/programs/sessions';
import {
  ButtonLink,
  CsrfField,
  ErrorSummary,
  Field,
  FilterForm,
  FindField,
  FormActions,
  formatDateTime,
  optionsOf,
  PageHeader,
  Pager,
  PostButton,
  PostForm,
  Select,
  Table,
  TextArea,
  ZoneField,
} from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { PEOPLE_FOUND } from '../../src/people/choices';
import { Layout, type LayoutProps } from '../layout';
import { SeatsText } from './components';

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
      <FilterForm action="/programs/sessions" results="sessions-list" class="filters" novalidate submit={false}>
        <ErrorSummary errors={props.errors} labels={{ when: 'Period', from: 'From', to: 'To', program: 'Program', topic: 'Topic', page: 'Page' }} />
        <Select name="when" label="Period" options={optionsOf(WHEN_LABELS)} values={props.query} errors={props.errors} />
        <Field name="from" label="From (between dates)" type="date" values={props.query} errors={props.errors} />
        <Field name="to" label="To (between dates)" type="date" values={props.query} errors={props.errors} />
        <Select name="program" label="Program" options={props.programs} blank="Any program" values={props.query} errors={props.errors} />
        <Select name="topic" label="Topic" options={props.topics} blank="Any topic" values={props.query} errors={props.errors} />
        <div class="actions">
          <button type="submit" class="secondary">
            Show
          </button>
        </div>
      </FilterForm>
      <Table
        columns={['When', 'Session', 'Topic', 'Host', 'Seats', 'Attendance']}
        rows={props.sessions}
        empty={
          props.errors
            ? 'Correct the filters to see sessions.'
            : when === 'past'
              ? 'No session took place in this period.'
              : 'No sessions scheduled in this period.'
        }
        row={(s) => (
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
        )}
        pager={<Pager page={props.page} pageSize={props.pageSize} total={props.total} href={params} target="#sessions-list" />}
      />
    </section>
  );
}

export function SessionsPage(props: {
  layout: LayoutProps;
  list: SessionsListProps;
  topics: { id: number; name: string; description: string }[];
  topicValues?: FormValues;
  topicErrors?: FieldErrors;
}) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Training sessions">
        <ButtonLink href="/programs/sessions/new" kind="primary">
          Schedule a session
        </ButtonLink>
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

const sessionLabels: Record<string, string> = {
  topicId: 'Topic',
  title: 'Title',
  hostId: 'Host',
  start: 'Start',
  timeZone: 'Time zone',
  durationMinutes: 'Length',
  seats: 'Seats',
  repeat: 'Repeat',
  count: 'Occurrences',
  location: 'Place',
  meetingUrl: 'Meeting link',
};

export function SessionFormPage(props: { layout: LayoutProps; topics: Option[]; hosts: Option[]; values: FormValues; errors?: FieldErrors }) {
  const form = { values: props.values, errors: props.errors };
  return (
    <Layout {...props.layout}>
      <h1>Schedule a training session</h1>
      <ErrorSummary errors={props.errors} labels={sessionLabels} />
      <PostForm action="/programs/sessions" csrfToken={props.layout.csrfToken} class="stack card" novalidate>
        <Select name="topicId" label="Topic" required options={props.topics} {...form} blank="Choose…" />
        <Field name="title" label="Title" required {...form} />
        <Select name="hostId" label="Host" required options={props.hosts} {...form} />
        <FindField
          name="hostSearch"
          label="Find a host"
          button="findHost"
          value={props.values.hostSearch}
          hint={`By name, address or title: the host list then shows the first ${PEOPLE_FOUND} people found.`}
        />
        <Field name="start" label="Start (host’s local time)" type="datetime-local" required {...form} />
        <ZoneField name="timeZone" label="Time zone" required {...form} />
        <Field name="durationMinutes" label="Length (minutes)" type="number" min={5} max={720} required {...form} />
        <Field name="seats" label="Seats" type="number" min={1} max={500} required {...form} />
        <Select
          name="repeat"
          label="Repeat"
          options={optionsOf({ none: 'Once', weekly: 'Every week', biweekly: 'Every two weeks', monthly: 'Every month' })}
          {...form}
        />
        <Field name="count" label="Number of occurrences (when repeating)" type="number" min={1} max={52} {...form} />
        <Field name="location" label="Place" {...form} />
        <Field name="meetingUrl" label="Meeting link" type="url" {...form} />
        <TextArea name="description" label="Description" rows={3} {...form} />
        <div class="field">
          <label>
            <input type="checkbox" name="invite" value="yes" checked={props.values.invite === 'yes'} /> Invite everyone who still needs this topic to the first
            occurrence
          </label>
        </div>
        <FormActions submit="Schedule" cancel="/programs/sessions" />
      </PostForm>
    </Layout>
  );
}

export function SessionPage(props: {
  layout: LayoutProps;
  title: string;
  topicName: string;
  hostName: string;
  timeZone: string;
  location: string | null;
  occurrences: SessionOccurrence[];
  canManage: boolean;
  needing: number;
  /** More than `needing` people need the topic (counted no further). */
  needingMore?: boolean;
  now: Date;
}) {
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.title} />
      <p>
        Topic: <strong>{props.topicName}</strong> · host {props.hostName}
        {props.location ? ` · ${props.location}` : ''}
      </p>
      {props.canManage && (
        <p class="muted">
          {props.needingMore ? `More than ${props.needing.toLocaleString('en-US')}` : props.needing} enrolled{' '}
          {props.needing === 1 && !props.needingMore ? 'person still needs' : 'people still need'} this topic.
        </p>
      )}
      <Table
        columns={['When', 'Seats', props.canManage && 'Host tools']}
        rows={props.occurrences}
        row={(s) => (
          <tr>
            <td data-label="When">{formatDateTime(s.occurrence.start, props.timeZone)}</td>
            <td data-label="Seats">
              <SeatsText s={s} />
            </td>
            {props.canManage && (
              <td data-label="Host tools">
                <a href={`/programs/attendance/${s.occurrence.key}`}>
                  {s.occurrence.start.getTime() <= props.now.getTime() ? 'Record attendance' : 'Attendance and check-in'}
                </a>
                {s.occurrence.start.getTime() > props.now.getTime() && s.seatsFree > 0 && props.needing > 0 && (
                  <PostButton
                    action={`/programs/attendance/${s.occurrence.key}/invite`}
                    csrfToken={props.layout.csrfToken}
                    before={' '}
                    label="Invite who needs it"
                    class="small secondary"
                  />
                )}
              </td>
            )}
          </tr>
        )}
      />
    </Layout>
  );
}
