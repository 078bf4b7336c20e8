import { departmentLabel } from '../labels';
import type { LiaisonView, SuggestionRow, UnassignedSuggestion } from '../../src/liaisons/liaisons';
import { ButtonLink, Card, ErrorSummary, Field, PageHeader, PostButton, PostForm, queryString, Select, Table, TextArea } from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { backlogTag } from './components';

const LIAISON_HINT = "A marketer for a sales team, or a sales person for a marketing team. The team's current liaison steps down.";

export function LiaisonsPage(props: {
  layout: LayoutProps;
  isHr: boolean;
  liaisons: LiaisonView[];
  /** People and teams to choose from, or null where there are too many to list (a name is typed instead). */
  people: Option[] | null;
  teams: Option[] | null;
  values: FormValues;
  errors?: FieldErrors;
  myTeams: number[];
  /** HR and managers open every backlog; others only those of the teams they are liaison for. */
  seesAllBacklogs: boolean;
  /** Open suggestions waiting for a liaison (HR only). */
  unassigned: number;
}) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Liaisons">{props.isHr && <ButtonLink href="/liaisons/unassigned">Unassigned backlog ({props.unassigned})</ButtonLink>}</PageHeader>
      <p class="muted">
        A liaison links a team with the other department, owns the team's field-insights backlog (the suggestions from ride-along feedback and rotation
        check-ins) and hosts its alignment meetings by default.
      </p>
      {props.isHr && props.unassigned > 0 && (
        <p class="notice">
          {props.unassigned === 1 ? '1 open suggestion waits' : `${props.unassigned} open suggestions wait`} for a liaison:{' '}
          <a href="/liaisons/unassigned">see the unassigned backlog</a>, or appoint a liaison to the team below.
        </p>
      )}
      <Card name="liaisons" title="In office">
        <Table
          columns={['Team', 'Liaison', 'Since', 'Backlog', props.isHr && 'Appointment']}
          rows={props.liaisons}
          empty={'No liaison is appointed.'}
          row={(liaison) => (
            <tr>
              <td data-label="Team">
                {liaison.teamName} <span class={`tag ${liaison.teamDepartment}`}>{departmentLabel(liaison.teamDepartment)}</span>
              </td>
              <td data-label="Liaison">
                {liaison.personName} <span class={`tag ${liaison.personDepartment}`}>{departmentLabel(liaison.personDepartment)}</span>
                {props.myTeams.includes(liaison.teamId) && <span class="tag ok">you</span>}
              </td>
              <td data-label="Since">{liaison.appointedAt.toISOString().slice(0, 10)}</td>
              <td data-label="Backlog">
                {props.seesAllBacklogs || props.myTeams.includes(liaison.teamId) ? (
                  <a href={`/liaisons/teams/${liaison.teamId}/backlog`}>{liaison.openSuggestions} open</a>
                ) : (
                  `${liaison.openSuggestions} open`
                )}
              </td>
              {props.isHr && (
                <td data-label="Appointment">
                  <PostButton
                    action={`/liaisons/${liaison.id}/end`}
                    csrfToken={props.layout.csrfToken}
                    label="End"
                    class="small secondary"
                    confirm={`End ${liaison.personName}'s appointment?`}
                  />
                </td>
              )}
            </tr>
          )}
        />
      </Card>
      {props.isHr && (
        <Card name="appoint" title="Appoint a liaison">
          <ErrorSummary errors={props.errors} labels={{ personId: 'Person', person: 'Liaison', teamId: 'Team', teamName: 'Team' }} />
          <PostForm action="/liaisons" csrfToken={props.layout.csrfToken} class="stack" novalidate>
            {props.teams ? (
              <Select name="teamId" label="Team" required blank="Choose a team…" options={props.teams} values={props.values} errors={props.errors} />
            ) : (
              <Field name="teamName" label="Team" required values={props.values} errors={props.errors} hint="A team’s name, or its first letters." />
            )}
            {props.people ? (
              <Select
                name="personId"
                label="Liaison"
                required
                blank="Choose a person…"
                hint={LIAISON_HINT}
                options={props.people}
                values={props.values}
                errors={props.errors}
              />
            ) : (
              <Field
                name="person"
                label="Liaison"
                required
                values={props.values}
                errors={props.errors}
                hint={`Their email address or name (or its first letters). ${LIAISON_HINT}`}
              />
            )}
            <button type="submit">Appoint</button>
          </PostForm>
        </Card>
      )}
    </Layout>
  );
}

const STATUS_LABEL: Record<string, string> = { open: 'open', accepted: 'accepted', done: 'done', rejected: 'rejected' };

function SuggestionActions(props: { suggestion: SuggestionRow; csrfToken: string | null; from?: 'unassigned' }) {
  const s = props.suggestion;
  const action = `/liaisons/suggestions/${s.id}${queryString({ from: props.from })}`;
  const move = (name: string, label: string, kind = 'small secondary') => (
    <PostButton action={action} csrfToken={props.csrfToken} hidden={{ move: name }} label={label} class={kind} />
  );
  return (
    <div class="actions">
      {s.status === 'open' && move('accept', 'Accept', 'small')}
      {s.status === 'accepted' && move('done', 'Mark done', 'small')}
      {(s.status === 'open' || s.status === 'accepted') && (
        <PostForm action={action} csrfToken={props.csrfToken} class="inline reject-form">
          <input type="hidden" name="move" value="reject" />
          <label for={`reason-${s.id}`} class="sr-only">
            Reason for rejecting
          </label>
          <input id={`reason-${s.id}`} name="reason" placeholder="Reason" required maxlength={500} />{' '}
          <button type="submit" class="small danger">
            Reject
          </button>
        </PostForm>
      )}
      {(s.status === 'done' || s.status === 'rejected') && move('reopen', 'Reopen')}
    </div>
  );
}

export function BacklogPage(props: {
  layout: LayoutProps;
  teamName: string;
  teamId: number;
  liaisonName: string | null;
  suggestions: SuggestionRow[];
  canChange: boolean;
  isHr: boolean;
  values: FormValues;
  errors?: FieldErrors;
}) {
  const open = props.suggestions.filter((s) => s.status === 'open' || s.status === 'accepted').length;
  return (
    <Layout {...props.layout}>
      <PageHeader title={`Backlog: ${props.teamName}`}>
        <ButtonLink href="/liaisons">All liaisons</ButtonLink>
      </PageHeader>
      <p class="muted">
        {props.liaisonName
          ? `Owned by ${props.liaisonName}, the team's liaison.`
          : 'No liaison is appointed for this team: its open suggestions wait in the unassigned backlog, and go to the liaison HR appoints.'}{' '}
        {open} open of {props.suggestions.length}.
      </p>
      {props.canChange && (
        <section class="card">
          <h2>Add a suggestion</h2>
          <ErrorSummary errors={props.errors} />
          <PostForm action={`/liaisons/teams/${props.teamId}/backlog`} csrfToken={props.layout.csrfToken} class="stack" novalidate>
            <Field name="title" label="Suggestion" required values={props.values} errors={props.errors} />
            <TextArea name="detail" label="Detail" rows={3} values={props.values} errors={props.errors} />
            <button type="submit">Add</button>
          </PostForm>
        </section>
      )}
      {props.suggestions.length === 0 ? (
        <p class="card">No suggestions yet: they arrive from ride-along feedback and rotation check-ins.</p>
      ) : (
        <SuggestionList suggestions={props.suggestions} canChange={props.canChange} csrfToken={props.layout.csrfToken} />
      )}
    </Layout>
  );
}

const SOURCE_LABEL: Record<string, string> = { feedback: 'ride-along feedback', check_in: 'a rotation check-in', manual: 'added by hand' };

function SuggestionList(props: { suggestions: SuggestionRow[]; canChange: boolean; csrfToken: string | null; from?: 'unassigned' }) {
  return (
    <ul class="backlog">
      {props.suggestions.map((s) => (
        <li class="card" id={`suggestion-${s.id}`}>
          <p>
            <strong>{s.title}</strong> <span class={`tag ${backlogTag(s.status)}`}>{STATUS_LABEL[s.status]}</span>{' '}
            <span class="muted">{s.source === 'manual' ? SOURCE_LABEL.manual : `from ${SOURCE_LABEL[s.source] ?? s.source}`}</span>
          </p>
          {s.detail && <p class="suggestion-detail">{s.detail}</p>}
          {s.status === 'rejected' && s.rejectReason && <p class="muted">Rejected: {s.rejectReason}</p>}
          {props.canChange && <SuggestionActions suggestion={s} csrfToken={props.csrfToken} from={props.from} />}
        </li>
      ))}
    </ul>
  );
}

/** Open suggestions of teams without a liaison (or without a team), by team: HR's to move until a liaison is appointed. */
export function UnassignedBacklogPage(props: { layout: LayoutProps; suggestions: UnassignedSuggestion[] }) {
  const byTeam = new Map<string, { teamId: number | null; items: UnassignedSuggestion[] }>();
  for (const s of props.suggestions) {
    const key = s.teamName ?? '';
    const group = byTeam.get(key) ?? { teamId: s.teamId, items: [] };
    group.items.push(s);
    byTeam.set(key, group);
  }
  return (
    <Layout {...props.layout}>
      <PageHeader title="Unassigned backlog">
        <ButtonLink href="/liaisons">All liaisons</ButtonLink>
      </PageHeader>
      <p class="muted">
        Suggestions wait here while their team has no liaison. Appointing a liaison to the team puts them in the liaison's backlog; until then HR accepts,
        closes or rejects them.
      </p>
      {props.suggestions.length === 0 ? (
        <p class="card">Nothing waits: every open suggestion has a liaison.</p>
      ) : (
        [...byTeam].map(([teamName, group]) => (
          <section aria-labelledby={`team-${group.teamId ?? 'none'}`}>
            <h2 id={`team-${group.teamId ?? 'none'}`}>
              {teamName || 'No team'} <span class="muted">({group.items.length} open)</span>
            </h2>
            {group.teamId !== null && (
              <p>
                <a href={`/liaisons${queryString({ team: group.teamId })}#appoint-heading`}>Appoint a liaison to {teamName}</a> ·{' '}
                <a href={`/liaisons/teams/${group.teamId}/backlog`}>the team's whole backlog</a>
              </p>
            )}
            <SuggestionList suggestions={group.items} canChange csrfToken={props.layout.csrfToken} from="unassigned" />
          </section>
        ))
      )}
    </Layout>
  );
}
