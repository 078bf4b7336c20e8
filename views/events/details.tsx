import type { NamedPlace } from '../../src/events/schedule';
import { departmentLabel } from '../labels';
import { AnswerTag, KindTag, type EventSummary } from './components';
import { ButtonLink, Detail } from '../components';

/** A place as the event page lists it: the domain's named place, without the row id. */
export type AttendeeView = Omit<NamedPlace, 'invitationId'>;

/** Guests whose answers do not concern the viewer: counted, never named with their answer. */
export type HiddenAnswersView = { waitlisted: number; unconfirmed: number; declined: number };

export function EventDetails(props: { event: EventSummary }) {
  const e = props.event;
  return (
    <dl class="details">
      <Detail term="Kind">
        <KindTag kind={e.kind} />
      </Detail>
      <Detail term="Host">{e.hostName}</Detail>
      <Detail term={e.isSeries ? 'First occurrence' : 'When'}>
        {e.firstWhen}
        {e.firstWhenHost !== e.firstWhen && (
          <div class="muted">
            Host's time: {e.firstWhenHost} ({e.timeZone})
          </div>
        )}
      </Detail>
      {e.recurrenceText && <Detail term="Repeats">{e.recurrenceText}</Detail>}
      <Detail term="Guest seats">
        {e.seats}
        {e.guestDepartment ? <span class="muted"> for {e.guestDepartment}</span> : null}
      </Detail>
      {e.account && <Detail term="Account">{e.account}</Detail>}
      {e.opportunityStage && <Detail term="Opportunity stage">{e.opportunityStage.replace('_', ' ')}</Detail>}
      {e.topic && <Detail term="Topic">{e.topic}</Detail>}
      {e.location && <Detail term="Location">{e.location}</Detail>}
      {e.meetingUrl && (
        <Detail term="Meeting link">
          <a href={e.meetingUrl} rel="noopener noreferrer">
            {e.meetingUrl}
          </a>
        </Detail>
      )}
      <Detail term="Status">
        <span class={`tag ${e.status === 'cancelled' ? 'cancelled' : 'ok'}`}>{e.status}</span>
      </Detail>
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
