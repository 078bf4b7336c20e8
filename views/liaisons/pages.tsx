import type { LiaisonView, SuggestionRow } from '../../src/liaisons/liaisons';
import { CsrfField, ErrorSummary, Field, PageHeader, Select, TextArea, type FieldErrors, type FormValues, type Option } from '../components';
import { Layout, type LayoutProps } from '../layout';

export function LiaisonsPage(props: {
  layout: LayoutProps;
  isHr: boolean;
  liaisons: LiaisonView[];
  people: Option[];
  teams: Option[];
  values: FormValues;
  errors?: FieldErrors;
  myTeams: number[];
}) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Liaisons" />
      <p class="muted">A liaison links a team with the other department, owns the team's field-insights backlog and hosts its alignment meetings by default.</p>
      <section class="card" aria-labelledby="liaisons-heading">
        <h2 id="liaisons-heading">In office</h2>
        {props.liaisons.length === 0 ? (
          <p class="muted">No liaison is appointed.</p>
        ) : (
          <div class="table-wrap">
            <table class="responsive">
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col">Liaison</th>
                  <th scope="col">Since</th>
                  <th scope="col">Backlog</th>
                  {props.isHr && <th scope="col">Appointment</th>}
                </tr>
              </thead>
              <tbody>
                {props.liaisons.map((liaison) => (
                  <tr>
                    <td data-label="Team">
                      {liaison.teamName} <span class={`tag ${liaison.teamDepartment}`}>{liaison.teamDepartment}</span>
                    </td>
                    <td data-label="Liaison">
                      {liaison.personName} <span class={`tag ${liaison.personDepartment}`}>{liaison.personDepartment}</span>
                      {props.myTeams.includes(liaison.teamId) && <span class="tag ok">you</span>}
                    </td>
                    <td data-label="Since">{liaison.appointedAt.toISOString().slice(0, 10)}</td>
                    <td data-label="Backlog">
                      <a href={`/liaisons/teams/${liaison.teamId}/backlog`}>{liaison.openSuggestions} open</a>
                    </td>
                    {props.isHr && (
                      <td data-label="Appointment">
                        <form method="post" action={`/liaisons/${liaison.id}/end`} class="inline" data-confirm={`End ${liaison.personName}'s appointment?`}>
                          <CsrfField token={props.layout.csrfToken} />
                          <button type="submit" class="small secondary">
                            End
                          </button>
                        </form>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {props.isHr && (
        <section class="card" aria-labelledby="appoint-heading">
          <h2 id="appoint-heading">Appoint a liaison</h2>
          <ErrorSummary errors={props.errors} labels={{ personId: 'Person', teamId: 'Team' }} />
          <form method="post" action="/liaisons" class="stack" novalidate>
            <CsrfField token={props.layout.csrfToken} />
            <Select name="teamId" label="Team" required blank="Choose a team…" options={props.teams} values={props.values} errors={props.errors} />
            <Select name="personId" label="Liaison" required blank="Choose a person…" hint="A marketer for a sales team, or a sales person for a marketing team. The team's current liaison steps down." options={props.people} values={props.values} errors={props.errors} />
            <button type="submit">Appoint</button>
          </form>
        </section>
      )}
    </Layout>
  );
}

const STATUS_LABEL: Record<string, string> = { open: 'open', accepted: 'accepted', done: 'done', rejected: 'rejected' };

function SuggestionActions(props: { suggestion: SuggestionRow; csrfToken: string | null }) {
  const s = props.suggestion;
  const move = (name: string, label: string, kind = 'small secondary') => (
    <form method="post" action={`/liaisons/suggestions/${s.id}`} class="inline">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="move" value={name} />
      <button type="submit" class={kind}>
        {label}
      </button>
    </form>
  );
  return (
    <div class="actions">
      {s.status === 'open' && move('accept', 'Accept', 'small')}
      {s.status === 'accepted' && move('done', 'Mark done', 'small')}
      {(s.status === 'open' || s.status === 'accepted') && (
        <form method="post" action={`/liaisons/suggestions/${s.id}`} class="inline reject-form">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="move" value="reject" />
          <label for={`reason-${s.id}`} class="sr-only">
            Reason for rejecting
          </label>
          <input id={`reason-${s.id}`} name="reason" placeholder="Reason" required maxlength={500} />{' '}
          <button type="submit" class="small danger">
            Reject
          </button>
        </form>
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
  values: FormValues;
  errors?: FieldErrors;
}) {
  const open = props.suggestions.filter((s) => s.status === 'open' || s.status === 'accepted').length;
  return (
    <Layout {...props.layout}>
      <PageHeader title={`Backlog: ${props.teamName}`}>
        <a class="button secondary" href="/liaisons">
          All liaisons
        </a>
      </PageHeader>
      <p class="muted">
        {props.liaisonName ? `Owned by ${props.liaisonName}, the team's liaison.` : 'No liaison is appointed for this team.'} {open} open of {props.suggestions.length}.
      </p>
      {props.canChange && (
        <section class="card">
          <h2>Add a suggestion</h2>
          <ErrorSummary errors={props.errors} />
          <form method="post" action={`/liaisons/teams/${props.teamId}/backlog`} class="stack" novalidate>
            <CsrfField token={props.layout.csrfToken} />
            <Field name="title" label="Suggestion" required values={props.values} errors={props.errors} />
            <TextArea name="detail" label="Detail" rows={3} values={props.values} errors={props.errors} />
            <button type="submit">Add</button>
          </form>
        </section>
      )}
      {props.suggestions.length === 0 ? (
        <p class="card">No suggestions yet: they arrive from ride-along feedback and rotation check-ins.</p>
      ) : (
        <ul class="backlog">
          {props.suggestions.map((s) => (
            <li class="card">
              <p>
                <strong>{s.title}</strong> <span class={`tag ${s.status === 'rejected' ? 'bad' : s.status === 'done' ? 'done' : s.status === 'accepted' ? 'accepted' : 'warn'}`}>{STATUS_LABEL[s.status]}</span>{' '}
                <span class="muted">from {s.source.replace('_', '-')}</span>
              </p>
              {s.detail && <p>{s.detail}</p>}
              {s.status === 'rejected' && s.rejectReason && <p class="muted">Rejected: {s.rejectReason}</p>}
              {props.canChange && <SuggestionActions suggestion={s} csrfToken={props.layout.csrfToken} />}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
