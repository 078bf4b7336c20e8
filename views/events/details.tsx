import type { InvitationStatus } from '../../db/schema';
import { departmentLabel } from '../labels';
import { AnswerTag, KindTag, type EventSummary } from './components';
import { ButtonLink } from '../components';

export type AttendeeView = {
  personId: number;
  name: string;
  department: string;
  status: InvitationStatus;
  holdsSeat: boolean;
  approvalPending: boolean;
  declineReason: string | null;
  scope: 'occurrence' | 'event';
};

/** Guests whose answers do not concern the viewer: counted, never named with their answer. */
export type HiddenAnswersView = { waitlisted: number; unconfirmed: number; declined: number };

export function EventDetails(props: { event: EventSummary }) {
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
        {e.firstWhenHost !== e.firstWhen && (
          <div class="muted">
            Host's time: {e.firstWhenHost} ({e.timeZone})
          </div>
        )}
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

export function AttendeeList(props: { attendees: AttendeeView[]; hidden?: HiddenAnswersView; empty: string }) {
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
              {a.name} <span class={`tag ${a.department}`}>{departmentLabel(a.department)}</span>{' '}
              <AnswerTag status={a.status} approvalPending={a.approvalPending} />
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

/** Download links for calendars: the event (all occurrences) as an .ics file. */
export function CalendarLink(props: { eventId: number }) {
  return (
    <ButtonLink href={`/calendar/events/${props.eventId}.ics`} download={`event-${props.eventId}.ics`}>
      Add to calendar (.ics)
    </ButtonLink>
  );
}
