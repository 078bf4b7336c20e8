import { ButtonLink, CsrfField, PageHeader, Pager, PostButton, PostForm, Table } from '../components';
import type { FieldErrors, Option } from '../components';
import { PEOPLE_FOUND } from '../../src/people/choices';
import { Layout, type LayoutProps } from '../layout';
import { Conflicts, InvitationCard, OpenSeatsTable, type ConflictView, type InvitationItem, type OpenSeatItem, type EventSummary } from './components';
import { AttendeeList, type AttendeeView, CalendarLink, EventDetails, type HiddenAnswersView } from './details';

type OccurrenceLine = { key: string; href: string; when: string; cancelled: boolean; moved: boolean; seatsTaken: number };

/**
 * The host's invite form: a search (a plain GET of this page) lists the first people it finds in the list below;
 * without words, the first by name.
 */
function InviteForm(props: {
  eventHref: string;
  action: string;
  csrfToken: string | null;
  options: Option[];
  search: string;
  scopeLabel: string;
  errors?: FieldErrors;
}) {
  return (
    <div class="stack" id="invite">
      <form method="get" action={`${props.eventHref}#invite`} class="inline-search" role="search">
        <label for="f-invite">Find people to invite</label>
        <input id="f-invite" name="invite" type="search" autocomplete="off" value={props.search} />
        <button type="submit" class="secondary small">
          Find
        </button>
        <p class="hint">By name, address or title; the list shows the first {PEOPLE_FOUND} people found.</p>
      </form>
      <PostForm action={props.action} csrfToken={props.csrfToken} class="stack">
        <div class={props.errors?.personIds ? 'field has-error' : 'field'}>
          <label for="f-personIds">People to invite ({props.scopeLabel})</label>
          <select id="f-personIds" name="personIds" multiple size={6} aria-describedby={props.errors?.personIds ? 'f-personIds-error' : undefined}>
            {props.options.map((o) => (
              <option value={String(o.value)}>{o.label}</option>
            ))}
          </select>
          {props.options.length === 0 && <p class="hint">No one found{props.search ? ` for “${props.search}”` : ''}.</p>}
          {props.errors?.personIds && (
            <p class="field-error" id="f-personIds-error">
              {props.errors.personIds}
            </p>
          )}
        </div>
        <button type="submit">Invite</button>
      </PostForm>
    </div>
  );
}

type EventPageProps = {
  layout: LayoutProps;
  event: EventSummary;
  canManage: boolean;
  /** Something of the event is still to start, so calling it off would cancel it. */
  canCancel: boolean;
  occurrences: OccurrenceLine[];
  attendees: AttendeeView[];
  hiddenAnswers?: HiddenAnswersView;
  inviteOptions: Option[];
  /** What the invite form looked for. */
  inviteSearch: string;
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
  /** A series split at an occurrence (new times, or "this and following"): the part before it and the parts after it. */
  splitParts?: { earlier: { href: string; title: string } | null; later: { href: string; title: string; from: string }[] };
};

/** Links between the parts of a split series: the earlier occurrences kept their times, the later ones went on as a new series. */
function SplitParts(props: { parts: NonNullable<EventPageProps['splitParts']> }) {
  const { earlier, later } = props.parts;
  if (!earlier && later.length === 0) return null;
  return (
    <div class="split-parts">
      {earlier && (
        <p class="muted">
          Continues <a href={earlier.href}>{earlier.title}</a>, whose earlier occurrences keep their times.
        </p>
      )}
      {later.map((part) => (
        <p class="muted">
          From {part.from} on, this series goes on as <a href={part.href}>{part.title}</a>.
        </p>
      ))}
    </div>
  );
}

/** Claim every upcoming occurrence of a series; each answers claimed, waitlisted or skipped. */
export function SeriesClaimForm(props: { eventId: number; csrfToken: string | null; next: string }) {
  const id = `series-claim-${props.eventId}`;
  return (
    <form
      method="post"
      action={`/events/${props.eventId}/claim-series`}
      class="stack series-claim"
      id={id}
      hx-post={`/events/${props.eventId}/claim-series`}
      hx-target={`#${id}`}
      hx-swap="outerHTML"
    >
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
            <ButtonLink href={`/events/${e.id}/edit`}>Edit {e.isSeries ? 'series' : 'event'}</ButtonLink>
            {props.canCancel && (
              <PostButton
                action={`/events/${e.id}/cancel`}
                csrfToken={props.layout.csrfToken}
                label={`Cancel ${e.isSeries ? 'series' : 'event'}`}
                class="danger"
                confirm={`Cancel "${e.title}"${e.isSeries ? ' and all its occurrences still to come' : ''}? Everyone who accepted is told.`}
              />
            )}
          </>
        )}
      </PageHeader>
      <Conflicts conflicts={props.conflicts} />
      <div class="grid">
        <section class="card">
          <EventDetails event={e} />
          {props.splitParts && <SplitParts parts={props.splitParts} />}
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
            <InviteForm
              eventHref={`/events/${e.id}`}
              action={`/events/${e.id}/invitations`}
              csrfToken={props.layout.csrfToken}
              options={props.inviteOptions}
              search={props.inviteSearch}
              scopeLabel={e.isSeries ? 'every occurrence' : 'this event'}
              errors={props.errors}
            />
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
          <Table
            columns={['When', 'Seats taken', 'Status']}
            rows={props.occurrences}
            row={(o) => (
              <tr>
                <td data-label="When">
                  <a href={o.href}>{o.when}</a>
                </td>
                <td data-label="Seats taken">
                  {o.seatsTaken} of {e.seats}
                </td>
                <td data-label="Status">
                  {o.cancelled ? (
                    <span class="tag cancelled">cancelled</span>
                  ) : o.moved ? (
                    <span class="tag warn">moved</span>
                  ) : (
                    <span class="tag ok">scheduled</span>
                  )}
                </td>
              </tr>
            )}
          />
          {props.occurrencePages.total > props.occurrencePages.pageSize && (
            <Pager
              page={props.occurrencePages.page}
              pageSize={props.occurrencePages.pageSize}
              total={props.occurrencePages.total}
              href={(page) => `/events/${e.id}?page=${page}#occurrences`}
            />
          )}
        </section>
      )}
    </Layout>
  );
}
