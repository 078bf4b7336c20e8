import type { InvitationStatus } from '../../db/schema';
import { html } from 'hono/html';
import { ButtonLink, CsrfField, Field, PageHeader, PostButton, PostForm, Select } from '../components';
import type { FieldErrors, FormValues, Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import {
  AnswerForm,
  AnswerTag,
  ConfirmField,
  Conflicts,
  csrfInput,
  ResultMessage,
  UndoForm,
  type ConflictView,
  type UndoView,
  type EventSummary,
} from './components';
import { AttendeeList, type AttendeeView, CalendarLink, EventDetails, type HiddenAnswersView } from './details';
import { SeriesClaimForm } from './event';

export type AgendaView = {
  items: { id: number; title: string; ownerName: string | null; minutes: number; decisions: string }[];
  actionItems: { id: number; title: string; ownerName: string; dueDate: string | null; done: boolean }[];
  carriedOver: { id: number; title: string; ownerName: string; dueDate: string | null; from: string; done: boolean }[];
  totalMinutes: number;
  meetingMinutes: number;
  canKeep: boolean;
  ownerOptions: Option[];
};

function ActionItemLine(props: {
  item: { id: number; title: string; ownerName: string; dueDate: string | null; done: boolean };
  from?: string;
  canKeep: boolean;
  csrfToken: string | null;
  next: string;
}) {
  const i = props.item;
  return (
    <li>
      <span class={i.done ? 'done' : ''}>{i.title}</span> — {i.ownerName}
      {i.dueDate && <span class="muted"> · due {i.dueDate}</span>}
      {props.from && <span class="muted"> · from {props.from}</span>} {i.done ? <span class="tag done">done</span> : <span class="tag due_soon">open</span>}
      {props.canKeep && (
        <PostButton
          action={`/action-items/${i.id}/${i.done ? 'reopen' : 'done'}`}
          csrfToken={props.csrfToken}
          hidden={{ next: props.next }}
          label={i.done ? 'Reopen' : 'Mark done'}
          class="small secondary"
        />
      )}
    </li>
  );
}

function AgendaSection(props: { agenda: AgendaView; action: string; csrfToken: string | null; next: string; errors?: FieldErrors; values?: FormValues }) {
  const a = props.agenda;
  return (
    <section class="card agenda">
      <h2>Agenda</h2>
      <p class="muted">
        {a.totalMinutes} of {a.meetingMinutes} minutes planned
      </p>
      <progress value={Math.min(a.totalMinutes, a.meetingMinutes)} max={a.meetingMinutes} aria-label="Minutes planned" />
      {a.carriedOver.length > 0 && (
        <>
          <h3>Carried over</h3>
          <ul class="action-items">
            {a.carriedOver.map((i) => (
              <ActionItemLine item={i} from={i.from} canKeep={a.canKeep} csrfToken={props.csrfToken} next={props.next} />
            ))}
          </ul>
        </>
      )}
      <ol class="agenda-items">
        {a.items.map((item) => (
          <li>
            <strong>{item.title}</strong>{' '}
            <span class="muted">
              ({item.minutes} min{item.ownerName ? `, ${item.ownerName}` : ''})
            </span>
            {a.canKeep ? (
              <PostForm action={`/agenda-items/${item.id}/decisions`} csrfToken={props.csrfToken} class="stack">
                <input type="hidden" name="next" value={props.next} />
                <label for={`decisions-${item.id}`}>Decisions on “{item.title}”</label>
                <textarea id={`decisions-${item.id}`} name="decisions" rows={2}>
                  {item.decisions}
                </textarea>
                <button type="submit" class="small secondary">
                  Save decisions
                </button>
              </PostForm>
            ) : (
              item.decisions && <p>Decided: {item.decisions}</p>
            )}
          </li>
        ))}
      </ol>
      {a.items.length === 0 && <p class="muted">No agenda items yet.</p>}
      <h3>Action items</h3>
      {a.actionItems.length === 0 ? (
        <p class="muted">None decided yet.</p>
      ) : (
        <ul class="action-items">
          {a.actionItems.map((i) => (
            <ActionItemLine item={i} canKeep={a.canKeep} csrfToken={props.csrfToken} next={props.next} />
          ))}
        </ul>
      )}
      {a.canKeep && (
        <div class="grid">
          <form method="post" action={`${props.action}/agenda`} class="stack">
            <h3>Add an agenda item</h3>
            <CsrfField token={props.csrfToken} />
            <Field name="title" label="Topic" required values={props.values} errors={props.errors} />
            <Select name="ownerId" label="Owner" blank="—" options={a.ownerOptions} values={props.values} errors={props.errors} />
            <Field name="minutes" label="Minutes" type="number" min={1} max={240} value="10" errors={props.errors} />
            <button type="submit">Add to agenda</button>
          </form>
          <form method="post" action={`${props.action}/action-items`} class="stack">
            <h3>Add an action item</h3>
            <CsrfField token={props.csrfToken} />
            <Field name="actionTitle" label="Action item" required values={props.values} errors={props.errors} />
            <Select name="actionOwnerId" label="Action owner" options={a.ownerOptions} values={props.values} errors={props.errors} />
            <Field name="dueDate" label="Due date" type="date" values={props.values} errors={props.errors} />
            <button type="submit">Add action item</button>
          </form>
        </div>
      )}
    </section>
  );
}

type OccurrencePageProps = {
  layout: LayoutProps;
  event: EventSummary;
  occurrence: {
    key: string;
    when: string;
    whenInEventZone: string;
    cancelled: boolean;
    moved: boolean;
    seatsTaken: number;
    seatsFree: number;
    past: boolean;
    /** Its regular time has passed: moved elsewhere, it cannot go back there (what has passed stays). */
    regularTimePassed: boolean;
    startLocal: string;
    durationMinutes: number;
  };
  attendees: AttendeeView[];
  hiddenAnswers?: HiddenAnswersView;
  canManage: boolean;
  myAnswer: { status: InvitationStatus; approvalPending: boolean; scope: 'occurrence' | 'event' } | null;
  canClaim: boolean;
  claimNote: string | null;
  conflicts?: ConflictView[];
  message?: string | null;
  canClaimSeries: boolean;
  agenda: AgendaView | null;
  errors?: FieldErrors;
  values?: FormValues;
};

type AnswerBoxProps = {
  action: string;
  csrfToken: string | null;
  myAnswer: OccurrencePageProps['myAnswer'];
  canClaim: boolean;
  claimNote: string | null;
  /** Named before the click; with `confirm` the person tried to join into them. */
  conflicts?: ConflictView[];
  confirm?: 'claim' | 'accept' | null;
  message?: string | null;
  undo?: UndoView | null;
  next: string;
  closed: boolean;
  isSeries: boolean;
  eventId: number;
  occurrenceKey: string;
};

/** The answer box of the occurrence page; htmx swaps it in place. */
export function OccurrenceAnswerBox(props: AnswerBoxProps) {
  const holds = props.myAnswer && props.myAnswer.status !== 'declined';
  const labels = { occurrence: props.isSeries ? 'Leave this occurrence' : 'Leave this event', series: 'Leave the whole series' };
  const leave = { eventId: props.eventId, occurrenceKey: props.occurrenceKey, isSeries: props.isSeries, csrfToken: props.csrfToken, next: props.next, labels };
  return (
    <div id="occurrence-answer" aria-live="polite">
      {props.message && <ResultMessage text={props.message} />}
      {props.confirm && <ResultMessage text={`This conflicts with your calendar. ${props.confirm === 'claim' ? 'Claim' : 'Accept'} anyway?`} tone="warn" />}
      <Conflicts conflicts={props.conflicts} title={props.confirm ? 'Conflicts:' : undefined} />
      {props.undo && <UndoForm undo={props.undo} csrfToken={props.csrfToken} next={props.next} target="#occurrence-answer" />}
      {props.myAnswer && (
        <p>
          Your answer: <AnswerTag status={props.myAnswer.status} approvalPending={props.myAnswer.approvalPending} />
          {props.myAnswer.scope === 'event' ? <span class="muted"> (from your answer to the whole series)</span> : null}
        </p>
      )}
      {!props.closed && props.myAnswer && !props.myAnswer.approvalPending && (
        <AnswerForm
          action={`${props.action}/answer`}
          target="#occurrence-answer"
          csrfToken={props.csrfToken}
          next={props.next}
          current={props.myAnswer.scope === 'occurrence' ? props.myAnswer.status : null}
          idPrefix="occurrence"
          confirm={props.confirm === 'accept'}
        />
      )}
      {!props.closed && !props.myAnswer && props.canClaim && (
        <form
          method="post"
          action={`${props.action}/claim`}
          hx-post={`${props.action}/claim`}
          hx-target="#occurrence-answer"
          hx-swap="outerHTML"
          class="inline"
        >
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="next" value={props.next} />
          {props.confirm === 'claim' && <ConfirmField />}
          <button type="submit">{props.confirm === 'claim' ? 'Claim anyway' : 'Claim a seat'}</button>
        </form>
      )}
      {props.confirm && <ButtonLink href={props.next}>Cancel</ButtonLink>}
      {!props.closed && holds && (
        <div class="actions leave">
          <LeaveButtons {...leave} />
        </div>
      )}
      {props.claimNote && <p class="muted">{props.claimNote}</p>}
    </div>
  );
}

/**
 * Gives up a place: this occurrence, and for a series also every future occurrence (asks first). With `target`
 * (a row's id) htmx posts the occurrence's button and the answer replaces that row in place; a series changes many
 * rows, so its button always reloads the page, as both do without JavaScript.
 */
export function LeaveButtons(props: {
  eventId: number;
  occurrenceKey: string;
  isSeries: boolean;
  csrfToken: string | null;
  next: string;
  labels: { occurrence: string; series: string };
  ariaLabels?: { occurrence: string; series: string };
  target?: string;
}) {
  // A template, as the schedule's rows it sits in (views/home/pages.tsx): the same markup as PostButton's forms
  // without an element tree built and walked for every row of a month.
  const action = `/events/${props.eventId}/leave`;
  const button = (scope: 'occurrence' | 'series') => {
    const aria = props.ariaLabels?.[scope];
    return html`<form method="post" action="${action}" class="inline"${
      scope === 'series' ? html` data-confirm="Leave every future occurrence of this series? Past ones stay as they were."` : ''
    }${props.target && scope === 'occurrence' ? html` hx-post="${action}" hx-target="#${props.target}" hx-swap="outerHTML"` : ''}>${csrfInput(
      props.csrfToken,
    )}<input type="hidden" name="occurrence" value="${props.occurrenceKey}"/><input type="hidden" name="scope" value="${scope}"/><input type="hidden" name="next" value="${
      props.next
    }"/><button type="submit" class="small secondary"${aria === undefined ? '' : html` aria-label="${aria}"`}>${props.labels[scope]}</button></form>`;
  };
  return html`${button('occurrence')}${props.isSeries ? button('series') : ''}`;
}

export function OccurrencePage(props: OccurrencePageProps) {
  const e = props.event;
  const o = props.occurrence;
  const base = `/events/${e.id}/occurrences/${o.key}`;
  const closed = o.cancelled || o.past || e.status === 'cancelled';
  return (
    <Layout {...props.layout}>
      <PageHeader title={e.title}>
        <ButtonLink href={`/events/${e.id}`}>{e.isSeries ? 'Whole series' : 'Event'}</ButtonLink>
        <CalendarLink eventId={e.id} />
      </PageHeader>
      <p class="lead">
        {o.when} {o.cancelled && <span class="tag cancelled">cancelled</span>} {o.moved && <span class="tag warn">moved</span>}
      </p>
      <p class="muted">
        Host time: {o.whenInEventZone} ({e.timeZone})
      </p>
      <div class="grid">
        <section class="card">
          <h2>Who is coming</h2>
          <p>
            {o.seatsTaken} of {e.seats} seats taken
          </p>
          <progress value={o.seatsTaken} max={Math.max(e.seats, 1)} aria-label="Seats taken" />
          <AttendeeList attendees={props.attendees} hidden={props.hiddenAnswers} empty="No guests yet." />
          <OccurrenceAnswerBox
            action={base}
            csrfToken={props.layout.csrfToken}
            myAnswer={props.myAnswer}
            canClaim={props.canClaim}
            claimNote={props.claimNote}
            conflicts={props.conflicts}
            message={props.message}
            next={base}
            closed={closed}
            isSeries={e.isSeries}
            eventId={e.id}
            occurrenceKey={o.key}
          />
          {props.canClaimSeries && !closed && <SeriesClaimForm eventId={e.id} csrfToken={props.layout.csrfToken} next={base} />}
        </section>
        <section class="card">
          <EventDetails event={e} />
        </section>
      </div>
      {props.canManage && !closed && e.isSeries && (
        <section class="card">
          <h2>Change this occurrence</h2>
          <div class="grid">
            <PostForm action={`${base}/move`} csrfToken={props.layout.csrfToken} class="stack">
              <Field name="start" label="New start (host's time zone)" type="datetime-local" value={o.startLocal} errors={props.errors} required />
              <Field name="durationMinutes" label="Length in minutes" type="number" min={5} max={720} value={String(o.durationMinutes)} errors={props.errors} />
              <button type="submit" class="secondary">
                Move this occurrence
              </button>
            </PostForm>
            <div class="stack">
              <PostButton
                action={`${base}/cancel`}
                csrfToken={props.layout.csrfToken}
                formClass={false}
                label="Cancel this occurrence"
                class="danger"
                confirm="Cancel this occurrence? Its guests are told; the other occurrences stay."
              />
              <ButtonLink href={`/events/${e.id}/edit?from=${o.key}`}>Edit this and following</ButtonLink>
            </div>
          </div>
        </section>
      )}
      {props.canManage && (o.cancelled || o.moved) && e.status === 'scheduled' && !o.past && !o.regularTimePassed && (
        <PostButton action={`${base}/restore`} csrfToken={props.layout.csrfToken} label="Restore to the regular time" class="secondary" />
      )}
      {props.agenda && (
        <AgendaSection agenda={props.agenda} action={base} csrfToken={props.layout.csrfToken} next={base} errors={props.errors} values={props.values} />
      )}
    </Layout>
  );
}
