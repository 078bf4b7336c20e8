import { departmentLabel } from '../labels';
import type { EventKind, InvitationStatus } from '../../db/schema';
import { CsrfField, ErrorSummary, Field, ZoneField, PageHeader, Pager, Select, TextArea, type FieldErrors, type FormValues, type Option } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { KIND_LABELS } from '../../src/events/events';
import { KIND_FIELDS } from '../../src/events/forms';
import {
  AnswerForm,
  AnswerTag,
  ConfirmField,
  Conflicts,
  InvitationCard,
  KindTag,
  OpenSeatsTable,
  ResultMessage,
  SeriesClaimResult,
  UndoForm,
  type ConflictView,
  type InvitationItem,
  type OpenSeatItem,
  type SeriesClaimView,
  type UndoView,
  type EventSummary,
} from './components';

const WEEKDAY_OPTIONS = [
  ['MO', 'Mon'],
  ['TU', 'Tue'],
  ['WE', 'Wed'],
  ['TH', 'Thu'],
  ['FR', 'Fri'],
  ['SA', 'Sat'],
  ['SU', 'Sun'],
] as const;
const WEEK_OF_MONTH_OPTIONS = [
  ['1', 'first'],
  ['2', 'second'],
  ['3', 'third'],
  ['4', 'fourth'],
  ['-1', 'last'],
] as const;

const FIELD_LABELS: Record<string, string> = {
  kind: 'Kind',
  title: 'Title',
  hostId: 'Host',
  date: 'Date',
  startTime: 'Start time',
  endTime: 'End time',
  timeZone: 'Time zone',
  seats: 'Guest seats',
  account: 'Account',
  opportunityStage: 'Opportunity stage',
  location: 'Location',
  meetingUrl: 'Meeting link',
  topic: 'Topic',
  repeat: 'Repeat',
  interval: 'Every',
  byWeekday: 'Days',
  monthlyBy: 'Monthly on',
  weeksOfMonth: 'Weeks of the month',
  rrule: 'Custom rule',
  until: 'Until',
  count: 'Occurrences',
};

export type EventFormProps = {
  layout: LayoutProps;
  heading: string;
  action: string;
  submitLabel: string;
  values: FormValues;
  errors?: FieldErrors;
  kindFixed: EventKind | null;
  hostOptions: Option[] | null;
  stageOptions: Option[];
  fromOccurrence?: string | null;
  note?: string | null;
  /** An event of the same title, host and start exists: warn, and submitting again creates it anyway. */
  duplicate?: { href: string; title: string; you: boolean } | null;
};

const kindOf = (value: unknown): EventKind => (typeof value === 'string' && value in KIND_FIELDS ? (value as EventKind) : 'sales_call');

/**
 * The fields of one kind of event, in their own fieldset. The page shows it for the kind chosen;
 * with htmx, choosing another kind swaps in this same partial (GET /events/kind-fields).
 */
export function KindFields(props: { kind: EventKind; values: FormValues; errors?: FieldErrors; stageOptions: Option[] }) {
  const fields: readonly string[] = KIND_FIELDS[props.kind];
  const v = props.values;
  return (
    <fieldset id="kind-fields" aria-live="polite">
      <legend>{KIND_LABELS[props.kind]}</legend>
      {fields.includes('account') && <Field name="account" label="Account" required values={v} errors={props.errors} hint="The customer the call is with." />}
      {fields.includes('opportunityStage') && <Select name="opportunityStage" label="Opportunity stage" blank="—" options={props.stageOptions} values={v} errors={props.errors} />}
      {fields.includes('topic') && <Field name="topic" label="Topic" required={props.kind === 'marketing_meeting'} values={v} errors={props.errors} hint="What it is about." />}
      {fields.includes('location') && <Field name="location" label="Location" values={v} errors={props.errors} />}
      {fields.includes('meetingUrl') && <Field name="meetingUrl" label="Meeting link" type="url" values={v} errors={props.errors} />}
    </fieldset>
  );
}

export function EventFormPage(props: EventFormProps) {
  const v = props.values;
  const checkedDays = new Set(Array.isArray(v.byWeekday) ? (v.byWeekday as string[]) : v.byWeekday ? [String(v.byWeekday)] : []);
  const dayError = props.errors?.byWeekday;
  const checkedWeeks = new Set(Array.isArray(v.weeksOfMonth) ? (v.weeksOfMonth as string[]).map(String) : v.weeksOfMonth ? [String(v.weeksOfMonth)] : []);
  const weeksError = props.errors?.weeksOfMonth;
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.heading} />
      {props.note && <p class="notice">{props.note}</p>}
      {props.duplicate && (
        <div class="notice duplicate" role="alert" tabindex={-1} data-focus-result="">
          <strong>This looks like a duplicate.</strong>{' '}
          {props.duplicate.you ? 'You already host' : 'This host already has'} <a href={props.duplicate.href}>{props.duplicate.title}</a> at the same start. Check it first; to create
          another one anyway, press "{props.submitLabel}" below.
        </div>
      )}
      <ErrorSummary errors={props.errors} labels={FIELD_LABELS} />
      <form method="post" action={props.action} class="stack card" novalidate>
        <CsrfField token={props.layout.csrfToken} />
        {props.duplicate && <input type="hidden" name="confirmDuplicate" value="1" />}
        {props.fromOccurrence && <input type="hidden" name="fromOccurrence" value={props.fromOccurrence} />}
        {props.kindFixed ? (
          <>
            <input type="hidden" name="kind" value={props.kindFixed} />
            <p>
              Kind: <KindTag kind={props.kindFixed} />
            </p>
          </>
        ) : (
          <div class="kind-choice">
            <Select
              name="kind"
              label="Kind"
              required
              options={kindOptions}
              values={v}
              errors={props.errors}
              hint="The form shows the fields of the kind chosen."
              attrs={{ 'hx-get': '/events/kind-fields', 'hx-trigger': 'change', 'hx-target': '#kind-fields', 'hx-swap': 'outerHTML', 'hx-include': '#kind-fields' }}
            />
            {/* Without JavaScript this button shows the fields of the kind chosen; what was typed stays. */}
            <button type="submit" name="changeKind" value="1" class="secondary small no-js-only" formnovalidate>
              Show the fields of this kind
            </button>
          </div>
        )}
        <Field name="title" label="Title" required values={v} errors={props.errors} />
        {props.hostOptions && <Select name="hostId" label="Host" options={props.hostOptions} values={v} errors={props.errors} />}
        <div class="grid">
          <Field name="date" label="Date" type="date" required values={v} errors={props.errors} />
          <Field name="startTime" label="Start time" type="time" required values={v} errors={props.errors} />
          <Field name="endTime" label="End time" type="time" required values={v} errors={props.errors} />
          <ZoneField name="timeZone" label="Time zone" required values={v} errors={props.errors} hint="Type a city and pick the zone from the list. The event keeps its wall-clock time in this zone." />
        </div>
        <Field name="seats" label="Guest seats" type="number" min={0} max={500} values={v} errors={props.errors} hint="How many people from the other department may join each occurrence." />
        <KindFields kind={kindOf(props.kindFixed ?? v.kind)} values={v} errors={props.errors} stageOptions={props.stageOptions} />
        <TextArea name="description" label="Description" values={v} errors={props.errors} />
        <fieldset>
          <legend>Repeat</legend>
          <Select
            name="repeat"
            label="Repeat"
            options={[
              { value: 'none', label: 'Does not repeat' },
              { value: 'daily', label: 'Daily' },
              { value: 'weekly', label: 'Weekly' },
              { value: 'monthly', label: 'Monthly' },
              { value: 'yearly', label: 'Yearly (on the same date)' },
              { value: 'custom', label: 'Custom rule (RRULE)' },
            ]}
            values={v}
            errors={props.errors}
          />
          <Field name="interval" label="Every" type="number" min={1} max={99} values={v} errors={props.errors} hint="1 = every day/week/month, 2 = every other …" />
          <fieldset class={dayError ? 'field has-error weekdays' : 'field weekdays'} aria-describedby={dayError ? 'f-byWeekday-error' : undefined}>
            <legend>Days (weekly)</legend>
            {WEEKDAY_OPTIONS.map(([code, label]) => (
              <label class="checkbox">
                <input type="checkbox" name="byWeekday" value={code} checked={checkedDays.has(code)} /> {label}
              </label>
            ))}
            {dayError && (
              <p class="field-error" id="f-byWeekday-error">
                {dayError}
              </p>
            )}
          </fieldset>
          <Select
            name="monthlyBy"
            label="Monthly on"
            options={[
              { value: 'date', label: 'the same day of the month' },
              { value: 'weekday', label: 'the same weekday (e.g. second Tuesday, last Friday)' },
              { value: 'weeks', label: 'the same weekday in the weeks chosen below (e.g. first and third Tuesday)' },
              { value: 'lastDay', label: 'the last day of the month' },
              { value: 'lastWeekday', label: 'the last weekday (Monday to Friday) of the month' },
            ]}
            values={v}
            errors={props.errors}
          />
          <fieldset class={weeksError ? 'field has-error weekdays' : 'field weekdays'} aria-describedby={weeksError ? 'f-weeksOfMonth-error' : undefined}>
            <legend>Weeks of the month (monthly on the same weekday in chosen weeks)</legend>
            {WEEK_OF_MONTH_OPTIONS.map(([value, label]) => (
              <label class="checkbox">
                <input type="checkbox" name="weeksOfMonth" value={value} checked={checkedWeeks.has(value)} /> {label}
              </label>
            ))}
            {weeksError && (
              <p class="field-error" id="f-weeksOfMonth-error">
                {weeksError}
              </p>
            )}
          </fieldset>
          <Field
            name="rrule"
            label="Custom rule"
            values={v}
            errors={props.errors}
            hint="Any RFC 5545 RRULE at daily frequency or coarser, e.g. FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1 (it carries its own end)."
          />
          <Select
            name="ends"
            label="Ends"
            options={[
              { value: 'never', label: 'Never' },
              { value: 'until', label: 'On a date' },
              { value: 'count', label: 'After a number of occurrences' },
            ]}
            values={v}
            errors={props.errors}
          />
          <Field name="until" label="Until" type="date" values={v} errors={props.errors} />
          <Field name="count" label="Occurrences" type="number" min={1} max={500} values={v} errors={props.errors} />
        </fieldset>
        <button type="submit">{props.submitLabel}</button>
      </form>
    </Layout>
  );
}

const kindOptions = Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }));

export type OccurrenceLine = { key: string; href: string; when: string; cancelled: boolean; moved: boolean; seatsTaken: number };
export type AttendeeView = { personId: number; name: string; department: string; status: InvitationStatus; holdsSeat: boolean; approvalPending: boolean; declineReason: string | null; scope: 'occurrence' | 'event' };
/** Guests whose answers do not concern the viewer: counted, never named with their answer. */
export type HiddenAnswersView = { waitlisted: number; unconfirmed: number; declined: number };

function EventDetails(props: { event: EventSummary }) {
  const e = props.event;
  return (
    <dl class="details">
      <dt>Kind</dt>
      <dd>
        <KindTag kind={e.kind} />
      </dd>
      <dt>Host</dt>
      <dd>{e.hostName}</dd>
      <dt>{e.isSeries ? 'First occurrence' : 'When'}</dt>
      <dd>
        {e.firstWhen}
        {e.firstWhenHost !== e.firstWhen && <div class="muted">Host's time: {e.firstWhenHost} ({e.timeZone})</div>}
      </dd>
      {e.recurrenceText && (
        <>
          <dt>Repeats</dt>
          <dd>{e.recurrenceText}</dd>
        </>
      )}
      <dt>Guest seats</dt>
      <dd>
        {e.seats}
        {e.guestDepartment ? <span class="muted"> for {e.guestDepartment}</span> : null}
      </dd>
      {e.account && (
        <>
          <dt>Account</dt>
          <dd>{e.account}</dd>
        </>
      )}
      {e.opportunityStage && (
        <>
          <dt>Opportunity stage</dt>
          <dd>{e.opportunityStage.replace('_', ' ')}</dd>
        </>
      )}
      {e.topic && (
        <>
          <dt>Topic</dt>
          <dd>{e.topic}</dd>
        </>
      )}
      {e.location && (
        <>
          <dt>Location</dt>
          <dd>{e.location}</dd>
        </>
      )}
      {e.meetingUrl && (
        <>
          <dt>Meeting link</dt>
          <dd>
            <a href={e.meetingUrl} rel="noopener noreferrer">
              {e.meetingUrl}
            </a>
          </dd>
        </>
      )}
      <dt>Status</dt>
      <dd>
        <span class={`tag ${e.status === 'cancelled' ? 'cancelled' : 'ok'}`}>{e.status}</span>
      </dd>
    </dl>
  );
}

function AttendeeList(props: { attendees: AttendeeView[]; hidden?: HiddenAnswersView; empty: string }) {
  const hidden = props.hidden ?? { waitlisted: 0, unconfirmed: 0, declined: 0 };
  const counts = [
    hidden.unconfirmed ? `${hidden.unconfirmed} not confirmed yet` : null,
    hidden.waitlisted ? `${hidden.waitlisted} on the waitlist` : null,
    hidden.declined ? `${hidden.declined} declined` : null,
  ].filter((t): t is string => t !== null);
  if (props.attendees.length === 0 && counts.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <>
      {props.attendees.length > 0 && (
        <ul class="attendees">
          {props.attendees.map((a) => (
            <li>
              {a.name} <span class={`tag ${a.department}`}>{departmentLabel(a.department)}</span> <AnswerTag status={a.status} approvalPending={a.approvalPending} />
              {a.scope === 'event' ? null : <span class="muted"> (this occurrence)</span>}
              {a.declineReason && <span class="decline-reason-text"> — “{a.declineReason}”</span>}
            </li>
          ))}
        </ul>
      )}
      {counts.length > 0 && (
        <p class="muted attendee-counts">
          {props.attendees.length > 0 ? 'Also: ' : ''}
          {counts.join(', ')}.
        </p>
      )}
    </>
  );
}

function InviteForm(props: { action: string; csrfToken: string | null; options: Option[]; scopeLabel: string; errors?: FieldErrors }) {
  return (
    <form method="post" action={props.action} class="stack">
      <CsrfField token={props.csrfToken} />
      <div class={props.errors?.personIds ? 'field has-error' : 'field'}>
        <label for="f-personIds">People to invite ({props.scopeLabel})</label>
        <select id="f-personIds" name="personIds" multiple size={6} aria-describedby={props.errors?.personIds ? 'f-personIds-error' : undefined}>
          {props.options.map((o) => (
            <option value={String(o.value)}>{o.label}</option>
          ))}
        </select>
        {props.errors?.personIds && (
          <p class="field-error" id="f-personIds-error">
            {props.errors.personIds}
          </p>
        )}
      </div>
      <button type="submit">Invite</button>
    </form>
  );
}

export type EventPageProps = {
  layout: LayoutProps;
  event: EventSummary;
  canManage: boolean;
  /** Something of the event is still to start, so calling it off would cancel it. */
  canCancel: boolean;
  occurrences: OccurrenceLine[];
  attendees: AttendeeView[];
  hiddenAnswers?: HiddenAnswersView;
  inviteOptions: Option[];
  myInvitation: InvitationItem | null;
  /** Conflicts of the viewer with their invitation or the open seat, named before they answer. */
  myConflicts?: ConflictView[];
  claim: OpenSeatItem | null;
  /** The viewer may claim every upcoming occurrence of this series. */
  canClaimSeries: boolean;
  /** How many occurrences the series has in the horizon, and the page of them shown. */
  occurrencePages: { total: number; more: boolean; horizonLabel: string; page: number; pageSize: number };
  conflicts?: ConflictView[];
  errors?: FieldErrors;
};

/** Download links for calendars: the event (all occurrences) as an .ics file. */
function CalendarLink(props: { eventId: number }) {
  return (
    <a class="button secondary" href={`/calendar/events/${props.eventId}.ics`} download={`event-${props.eventId}.ics`}>
      Add to calendar (.ics)
    </a>
  );
}

/** Claim every upcoming occurrence of a series; each answers claimed, waitlisted or skipped. */
export function SeriesClaimForm(props: { eventId: number; csrfToken: string | null; next: string }) {
  const id = `series-claim-${props.eventId}`;
  return (
    <form method="post" action={`/events/${props.eventId}/claim-series`} class="stack series-claim" id={id} hx-post={`/events/${props.eventId}/claim-series`} hx-target={`#${id}`} hx-swap="outerHTML">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="next" value={props.next} />
      <h3>Join every upcoming occurrence</h3>
      <label class="checkbox">
        <input type="checkbox" name="waitlist" value="1" checked /> Where an occurrence is full, put me on its waitlist
      </label>
      <label class="checkbox">
        <input type="checkbox" name="confirmConflicts" value="1" /> Also claim occurrences that conflict with my calendar
      </label>
      <input type="hidden" name="options" value="1" />
      <button type="submit">Claim all upcoming occurrences</button>
    </form>
  );
}

export function EventPage(props: EventPageProps) {
  const e = props.event;
  const next = `/events/${e.id}`;
  return (
    <Layout {...props.layout}>
      <PageHeader title={e.title}>
        <CalendarLink eventId={e.id} />
        {props.canManage && e.status === 'scheduled' && (
          <>
            <a class="button secondary" href={`/events/${e.id}/edit`}>
              Edit {e.isSeries ? 'series' : 'event'}
            </a>
            {props.canCancel && (
              <form method="post" action={`/events/${e.id}/cancel`} class="inline" data-confirm={`Cancel "${e.title}"${e.isSeries ? ' and all its occurrences still to come' : ''}? Everyone who accepted is told.`}>
                <CsrfField token={props.layout.csrfToken} />
                <button type="submit" class="danger">
                  Cancel {e.isSeries ? 'series' : 'event'}
                </button>
              </form>
            )}
          </>
        )}
      </PageHeader>
      <Conflicts conflicts={props.conflicts} />
      <div class="grid">
        <section class="card">
          <EventDetails event={e} />
          {e.description && <p class="description">{e.description}</p>}
        </section>
        <section class="card">
          <h2>{e.isSeries ? 'Guests of the whole series' : 'Guests'}</h2>
          <AttendeeList attendees={props.attendees} hidden={props.hiddenAnswers} empty="No guests yet." />
          {props.myInvitation && <InvitationCard item={props.myInvitation} csrfToken={props.layout.csrfToken} next={next} conflicts={props.myConflicts} />}
          {props.claim && (
            <OpenSeatsTable items={[props.claim]} conflicts={[props.myConflicts ?? []]} csrfToken={props.layout.csrfToken} next={next} empty="" />
          )}
          {props.canClaimSeries && <SeriesClaimForm eventId={e.id} csrfToken={props.layout.csrfToken} next={next} />}
          {props.canManage && e.status === 'scheduled' && (
            <InviteForm action={`/events/${e.id}/invitations`} csrfToken={props.layout.csrfToken} options={props.inviteOptions} scopeLabel={e.isSeries ? 'every occurrence' : 'this event'} errors={props.errors} />
          )}
        </section>
      </div>
      {e.isSeries && (
        <section class="card" id="occurrences">
          <h2>Upcoming occurrences</h2>
          <p>
            {props.occurrencePages.total === 0
              ? `No upcoming occurrences until ${props.occurrencePages.horizonLabel}`
              : `${props.occurrencePages.total} ${props.occurrencePages.total === 1 ? 'occurrence' : 'occurrences'} until ${props.occurrencePages.horizonLabel}`}
            {props.occurrencePages.more ? ', and more after that.' : '.'}
          </p>
          <div class="table-wrap">
            <table class="responsive">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Seats taken</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {props.occurrences.map((o) => (
                  <tr>
                    <td data-label="When">
                      <a href={o.href}>{o.when}</a>
                    </td>
                    <td data-label="Seats taken">
                      {o.seatsTaken} of {e.seats}
                    </td>
                    <td data-label="Status">
                      {o.cancelled ? <span class="tag cancelled">cancelled</span> : o.moved ? <span class="tag warn">moved</span> : <span class="tag ok">scheduled</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {props.occurrencePages.total > props.occurrencePages.pageSize && (
            <Pager page={props.occurrencePages.page} pageSize={props.occurrencePages.pageSize} total={props.occurrencePages.total} href={(page) => `/events/${e.id}?page=${page}#occurrences`} />
          )}
        </section>
      )}
    </Layout>
  );
}

export type AgendaView = {
  items: { id: number; title: string; ownerName: string | null; minutes: number; decisions: string }[];
  actionItems: { id: number; title: string; ownerName: string; dueDate: string | null; done: boolean }[];
  carriedOver: { id: number; title: string; ownerName: string; dueDate: string | null; from: string; done: boolean }[];
  totalMinutes: number;
  meetingMinutes: number;
  canKeep: boolean;
  ownerOptions: Option[];
};

function ActionItemLine(props: { item: { id: number; title: string; ownerName: string; dueDate: string | null; done: boolean }; from?: string; canKeep: boolean; csrfToken: string | null; next: string }) {
  const i = props.item;
  return (
    <li>
      <span class={i.done ? 'done' : ''}>{i.title}</span> — {i.ownerName}
      {i.dueDate && <span class="muted"> · due {i.dueDate}</span>}
      {props.from && <span class="muted"> · from {props.from}</span>} {i.done ? <span class="tag done">done</span> : <span class="tag due_soon">open</span>}
      {props.canKeep && (
        <form method="post" action={`/action-items/${i.id}/${i.done ? 'reopen' : 'done'}`} class="inline">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="next" value={props.next} />
          <button type="submit" class="small secondary">
            {i.done ? 'Reopen' : 'Mark done'}
          </button>
        </form>
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
            <strong>{item.title}</strong> <span class="muted">({item.minutes} min{item.ownerName ? `, ${item.ownerName}` : ''})</span>
            {a.canKeep ? (
              <form method="post" action={`/agenda-items/${item.id}/decisions`} class="stack">
                <CsrfField token={props.csrfToken} />
                <input type="hidden" name="next" value={props.next} />
                <label for={`decisions-${item.id}`}>Decisions on “{item.title}”</label>
                <textarea id={`decisions-${item.id}`} name="decisions" rows={2}>
                  {item.decisions}
                </textarea>
                <button type="submit" class="small secondary">
                  Save decisions
                </button>
              </form>
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

export type OccurrencePageProps = {
  layout: LayoutProps;
  event: EventSummary;
  occurrence: { key: string; when: string; whenInEventZone: string; cancelled: boolean; moved: boolean; seatsTaken: number; seatsFree: number; past: boolean; startLocal: string; durationMinutes: number };
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

export type AnswerBoxProps = {
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
        <AnswerForm action={`${props.action}/answer`} target="#occurrence-answer" csrfToken={props.csrfToken} next={props.next} current={props.myAnswer.scope === 'occurrence' ? props.myAnswer.status : null} idPrefix="occurrence" confirm={props.confirm === 'accept'} />
      )}
      {!props.closed && !props.myAnswer && props.canClaim && (
        <form method="post" action={`${props.action}/claim`} hx-post={`${props.action}/claim`} hx-target="#occurrence-answer" hx-swap="outerHTML" class="inline">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="next" value={props.next} />
          {props.confirm === 'claim' && <ConfirmField />}
          <button type="submit">{props.confirm === 'claim' ? 'Claim anyway' : 'Claim a seat'}</button>
        </form>
      )}
      {props.confirm && (
        <a href={props.next} class="button secondary">
          Cancel
        </a>
      )}
      {!props.closed && holds && (
        <div class="actions leave">
          <LeaveButton eventId={props.eventId} occurrenceKey={props.occurrenceKey} scope="occurrence" csrfToken={props.csrfToken} next={props.next} label={props.isSeries ? 'Leave this occurrence' : 'Leave this event'} />
          {props.isSeries && <LeaveButton eventId={props.eventId} occurrenceKey={props.occurrenceKey} scope="series" csrfToken={props.csrfToken} next={props.next} label="Leave the whole series" />}
        </div>
      )}
      {props.claimNote && <p class="muted">{props.claimNote}</p>}
    </div>
  );
}

/** Gives up a place: this occurrence, or every future occurrence of the series (asks first). */
/**
 * Leaves one occurrence or a whole series. With `target` (a row's id) htmx posts it and the answer
 * replaces that row in place; without JavaScript the page reloads with a message. A series changes
 * many rows, so it always reloads the page.
 */
export function LeaveButton(props: { eventId: number; occurrenceKey: string; scope: 'occurrence' | 'series'; csrfToken: string | null; next: string; label: string; class?: string; ariaLabel?: string; target?: string }) {
  const action = `/events/${props.eventId}/leave`;
  const inPlace = props.target && props.scope === 'occurrence' ? { 'hx-post': action, 'hx-target': `#${props.target}`, 'hx-swap': 'outerHTML' } : {};
  return (
    <form
      method="post"
      action={action}
      class="inline"
      data-confirm={props.scope === 'series' ? 'Leave every future occurrence of this series? Past ones stay as they were.' : undefined}
      {...inPlace}
    >
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="occurrence" value={props.occurrenceKey} />
      <input type="hidden" name="scope" value={props.scope} />
      <input type="hidden" name="next" value={props.next} />
      <button type="submit" class={props.class ?? 'small secondary'} aria-label={props.ariaLabel}>
        {props.label}
      </button>
    </form>
  );
}

/** Without JavaScript: asks whether to join although the place conflicts. */
export function ConfirmConflictsPage(props: { layout: LayoutProps; heading: string; what: string; conflicts: ConflictView[]; action: string; fields: Record<string, string>; confirmLabel: string; cancelHref: string }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.heading} />
      <section class="card stack">
        <p>{props.what}</p>
        <Conflicts conflicts={props.conflicts} title="Conflicts:" />
        <form method="post" action={props.action} class="inline">
          <CsrfField token={props.layout.csrfToken} />
          {Object.entries(props.fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <ConfirmField />
          <button type="submit">{props.confirmLabel}</button>
        </form>{' '}
        <a href={props.cancelHref} class="button secondary">
          Cancel
        </a>
      </section>
    </Layout>
  );
}

/** Without JavaScript: what a claim did, with Undo for a short while. */
export function ClaimDonePage(props: { layout: LayoutProps; message: string; conflicts: ConflictView[]; undo: UndoView | null; next: string }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title={props.layout.title} />
      <section class="card stack" id="claim-result">
        <ResultMessage text={props.message} />
        <Conflicts conflicts={props.conflicts} />
        {props.undo && <UndoForm undo={props.undo} csrfToken={props.layout.csrfToken} next={props.next} target="#claim-result" />}
        <p>
          <a href={props.next}>Back</a>
        </p>
      </section>
    </Layout>
  );
}

/** Without JavaScript: what claiming a whole series did. */
export function SeriesClaimPage(props: { layout: LayoutProps; result: SeriesClaimView; next: string }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title={`Claimed: ${props.result.title}`} />
      <section class="card">
        <SeriesClaimResult result={props.result} csrfToken={props.layout.csrfToken} next={props.next} id={`series-claim-${props.result.eventId}`} />
        <p>
          <a href={props.next}>Back</a>
        </p>
      </section>
    </Layout>
  );
}

export function OccurrencePage(props: OccurrencePageProps) {
  const e = props.event;
  const o = props.occurrence;
  const base = `/events/${e.id}/occurrences/${o.key}`;
  const closed = o.cancelled || o.past || e.status === 'cancelled';
  return (
    <Layout {...props.layout}>
      <PageHeader title={e.title}>
        <a class="button secondary" href={`/events/${e.id}`}>
          {e.isSeries ? 'Whole series' : 'Event'}
        </a>
        <CalendarLink eventId={e.id} />
      </PageHeader>
      <p class="lead">
        {o.when} {o.cancelled && <span class="tag cancelled">cancelled</span>} {o.moved && <span class="tag warn">moved</span>}
      </p>
      <p class="muted">Host time: {o.whenInEventZone} ({e.timeZone})</p>
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
            <form method="post" action={`${base}/move`} class="stack">
              <CsrfField token={props.layout.csrfToken} />
              <Field name="start" label="New start (host's time zone)" type="datetime-local" value={o.startLocal} errors={props.errors} required />
              <Field name="durationMinutes" label="Length in minutes" type="number" min={5} max={720} value={String(o.durationMinutes)} errors={props.errors} />
              <button type="submit" class="secondary">
                Move this occurrence
              </button>
            </form>
            <div class="stack">
              <form method="post" action={`${base}/cancel`} data-confirm="Cancel this occurrence? Its guests are told; the other occurrences stay.">
                <CsrfField token={props.layout.csrfToken} />
                <button type="submit" class="danger">
                  Cancel this occurrence
                </button>
              </form>
              <a class="button secondary" href={`/events/${e.id}/edit?from=${o.key}`}>
                Edit this and following
              </a>
            </div>
          </div>
        </section>
      )}
      {props.canManage && (o.cancelled || o.moved) && e.status === 'scheduled' && !o.past && (
        <form method="post" action={`${base}/restore`} class="inline">
          <CsrfField token={props.layout.csrfToken} />
          <button type="submit" class="secondary">
            Restore to the regular time
          </button>
        </form>
      )}
      {props.agenda && <AgendaSection agenda={props.agenda} action={base} csrfToken={props.layout.csrfToken} next={base} errors={props.errors} values={props.values} />}
    </Layout>
  );
}

export function InvitationsPage(props: { layout: LayoutProps; items: InvitationItem[]; conflicts: ConflictView[][] }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Invitations" />
      {props.items.length === 0 ? (
        <p class="card muted">No invitations waiting for an answer.</p>
      ) : (
        <div class="grid invitations">
          {props.items.map((item, i) => (
            <InvitationCard item={item} csrfToken={props.layout.csrfToken} next="/invitations" conflicts={props.conflicts[i]} />
          ))}
        </div>
      )}
    </Layout>
  );
}

export type OpenSeatsFilters = { team?: number; kind?: string; from: string; to: string; account?: string };

/** Which page of open seats is shown, and the filters every page link keeps. */
export type OpenSeatsPages = { page: number; pageSize: number; total: number; query: Record<string, string | number | undefined> };

function openSeatsHref(query: OpenSeatsPages['query'], page: number) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `/open-seats?${search}` : '/open-seats';
}

export function OpenSeatsResults(props: { items: OpenSeatItem[]; conflicts: ConflictView[][]; csrfToken: string | null; next: string; pages: OpenSeatsPages }) {
  const { pages } = props;
  return (
    <div id="open-seats-results" aria-live="polite">
      <OpenSeatsTable items={props.items} conflicts={props.conflicts} csrfToken={props.csrfToken} next={props.next} empty="No open seats match these filters." />
      {pages.total > 0 && <Pager page={pages.page} pageSize={pages.pageSize} total={pages.total} href={(page) => openSeatsHref(pages.query, page)} target="#open-seats-results" />}
    </div>
  );
}

export function OpenSeatsPage(props: { layout: LayoutProps; filters: OpenSeatsFilters; teams: Option[]; items: OpenSeatItem[]; conflicts: ConflictView[][]; next: string; pages: OpenSeatsPages; errors?: FieldErrors }) {
  const values = { ...props.filters };
  return (
    <Layout {...props.layout}>
      <PageHeader title="Open seats" />
      <p class="muted">Upcoming events of the other department with free seats. Claim one to join as a guest.</p>
      <form method="get" action="/open-seats" class="filters card" role="search" hx-get="/open-seats" hx-target="#open-seats-results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="change, submit">
        <Select name="team" label="Team" blank="All teams" options={props.teams} values={values} errors={props.errors} />
        <Select name="kind" label="Kind" blank="All kinds" options={kindOptions} values={values} errors={props.errors} />
        <Field name="from" label="From" type="date" values={values} errors={props.errors} />
        <Field name="to" label="To" type="date" values={values} errors={props.errors} />
        <Field name="account" label="Account" type="search" values={values} errors={props.errors} />
        <button type="submit">Filter</button>
      </form>
      <OpenSeatsResults items={props.items} conflicts={props.conflicts} csrfToken={props.layout.csrfToken} next={props.next} pages={props.pages} />
    </Layout>
  );
}

export type ApprovalItem = { invitationId: number; personName: string; title: string; when: string; href: string; status: InvitationStatus };

export function ApprovalsPage(props: { layout: LayoutProps; items: ApprovalItem[]; requireApproval: boolean | null }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Seat claim approvals" />
      {props.requireApproval !== null && (
        <form method="post" action="/approvals/policy" class="card stack">
          <CsrfField token={props.layout.csrfToken} />
          <label class="checkbox">
            <input type="checkbox" name="requireApproval" value="true" checked={props.requireApproval} /> My reports need my approval before a claimed seat is theirs
          </label>
          <button type="submit" class="secondary">
            Save
          </button>
        </form>
      )}
      {props.items.length === 0 ? (
        <p class="card muted">No claims waiting for approval.</p>
      ) : (
        <div class="table-wrap">
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">Event</th>
                <th scope="col">When</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((i) => (
                <tr>
                  <td data-label="Who">{i.personName}</td>
                  <td data-label="Event">
                    <a href={i.href}>{i.title}</a> {i.status === 'waitlisted' && <span class="tag waitlisted">waitlisted</span>}
                  </td>
                  <td data-label="When">{i.when}</td>
                  <td data-label="Decision">
                    <form method="post" action={`/approvals/${i.invitationId}`} class="inline">
                      <CsrfField token={props.layout.csrfToken} />
                      <button type="submit" name="decision" value="approve" class="small">
                        Approve
                      </button>{' '}
                      <button type="submit" name="decision" value="reject" class="small danger">
                        Reject
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
