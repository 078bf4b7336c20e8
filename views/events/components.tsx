import type { EventKind, InvitationStatus } from '../../db/schema';
import { CsrfField } from '../components';

export const KIND_LABELS: Record<EventKind, string> = {
  sales_call: 'Sales call',
  marketing_meeting: 'Marketing meeting',
  alignment_meeting: 'Alignment meeting',
  training: 'Training',
};

const STATUS_LABELS: Record<InvitationStatus, string> = {
  invited: 'not answered',
  accepted: 'accepted',
  tentative: 'maybe',
  declined: 'declined',
  waitlisted: 'waitlisted',
};

export type ConflictView = { code: string; message: string };

export function KindTag(props: { kind: EventKind }) {
  const department = props.kind === 'sales_call' ? 'sales' : props.kind === 'marketing_meeting' ? 'marketing' : '';
  return <span class={`tag ${department}`}>{KIND_LABELS[props.kind]}</span>;
}

export function AnswerTag(props: { status: InvitationStatus; approvalPending?: boolean; waitlistPosition?: number | null }) {
  if (props.approvalPending) return <span class="tag warn">waiting for manager approval</span>;
  const label = props.status === 'waitlisted' && props.waitlistPosition ? `waitlisted (#${props.waitlistPosition})` : STATUS_LABELS[props.status];
  return <span class={`tag ${props.status}`}>{label}</span>;
}

export function Conflicts(props: { conflicts?: ConflictView[] }) {
  if (!props.conflicts?.length) return null;
  return (
    <div class="notice conflicts" role="status">
      <strong>Heads-up:</strong>
      <ul>
        {props.conflicts.map((c) => (
          <li data-code={c.code}>{c.message}</li>
        ))}
      </ul>
    </div>
  );
}

export type InvitationItem = {
  invitationId: number;
  eventId: number;
  title: string;
  kind: EventKind;
  hostName: string;
  when: string;
  scope: 'series' | 'occurrence' | 'event';
  recurrenceText: string | null;
  href: string;
  status: InvitationStatus;
  approvalPending: boolean;
  waitlistPosition: number | null;
  declineReason: string | null;
};

/** Answer buttons for one place; htmx swaps the whole card, without JS it posts and comes back. */
export function AnswerForm(props: { action: string; target: string; csrfToken: string | null; next: string; current?: InvitationStatus | null; idPrefix: string }) {
  return (
    <form method="post" action={props.action} class="answer-form" hx-post={props.action} hx-target={props.target} hx-swap="outerHTML">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="next" value={props.next} />
      <div class="actions">
        <button type="submit" name="status" value="accepted" class={props.current === 'accepted' ? 'small' : 'small secondary'}>
          Accept
        </button>
        <button type="submit" name="status" value="tentative" class={props.current === 'tentative' ? 'small' : 'small secondary'}>
          Maybe
        </button>
        <button type="submit" name="status" value="declined" class={props.current === 'declined' ? 'small danger' : 'small secondary'}>
          Decline
        </button>
      </div>
      <details class="decline-reason">
        <summary>Add a reason for declining</summary>
        <label for={`${props.idPrefix}-reason`}>Reason (optional)</label>
        <input id={`${props.idPrefix}-reason`} name="reason" type="text" maxlength={500} />
      </details>
    </form>
  );
}

export function InvitationCard(props: { item: InvitationItem; csrfToken: string | null; next: string; conflicts?: ConflictView[]; message?: string | null }) {
  const { item } = props;
  const id = `invitation-${item.invitationId}`;
  return (
    <article class="card invitation" id={id} aria-live="polite">
      <h3>
        <a href={item.href}>{item.title}</a>
      </h3>
      <p>
        <KindTag kind={item.kind} /> <AnswerTag status={item.status} approvalPending={item.approvalPending} waitlistPosition={item.waitlistPosition} />
      </p>
      <p>
        {item.when}
        {item.scope === 'series' && item.recurrenceText ? <span class="muted"> · whole series: {item.recurrenceText}</span> : null}
      </p>
      <p class="muted">Host: {item.hostName}</p>
      {props.message && (
        <p class="flash" role="status">
          {props.message}
        </p>
      )}
      <Conflicts conflicts={props.conflicts} />
      {!item.approvalPending && (
        <AnswerForm action={`/invitations/${item.invitationId}/answer`} target={`#${id}`} csrfToken={props.csrfToken} next={props.next} current={item.status} idPrefix={id} />
      )}
    </article>
  );
}

export type OpenSeatItem = {
  eventId: number;
  occurrenceKey: string;
  title: string;
  kind: EventKind;
  hostName: string;
  teamName: string | null;
  account: string | null;
  when: string;
  seats: number;
  seatsFree: number;
  href: string;
};

/** One open seat with its claim button; the claim's answer replaces the row. */
export function OpenSeatRow(props: { item: OpenSeatItem; csrfToken: string | null; next: string; result?: { text: string; tone: 'ok' | 'warn' | 'bad' } | null; conflicts?: ConflictView[] }) {
  const { item } = props;
  const id = `seat-${item.occurrenceKey}`;
  return (
    <tr id={id}>
      <td data-label="When">{item.when}</td>
      <td data-label="Event">
        <a href={item.href}>{item.title}</a>
        <div>
          <KindTag kind={item.kind} />
        </div>
      </td>
      <td data-label="Host">
        {item.hostName}
        {item.teamName && <div class="muted">{item.teamName}</div>}
      </td>
      <td data-label="Account">{item.account ?? '—'}</td>
      <td data-label="Free seats">
        {item.seatsFree} of {item.seats}
      </td>
      <td data-label="Claim">
        {props.result ? (
          <>
            <span class={`tag ${props.result.tone}`} role="status">
              {props.result.text}
            </span>
            <Conflicts conflicts={props.conflicts} />
          </>
        ) : (
          <form method="post" action="/open-seats/claim" class="inline" hx-post="/open-seats/claim" hx-target={`#${id}`} hx-swap="outerHTML">
            <CsrfField token={props.csrfToken} />
            <input type="hidden" name="occurrence" value={item.occurrenceKey} />
            <input type="hidden" name="next" value={props.next} />
            <button type="submit" class="small" aria-label={`Claim a seat on ${item.title}, ${item.when}`}>
              Claim a seat
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

export function OpenSeatsTable(props: { items: OpenSeatItem[]; csrfToken: string | null; next: string; empty: string }) {
  if (props.items.length === 0) return <p class="card muted">{props.empty}</p>;
  return (
    <div class="table-wrap">
      <table class="responsive open-seats">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Host</th>
            <th scope="col">Account</th>
            <th scope="col">Free seats</th>
            <th scope="col">Claim</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((item) => (
            <OpenSeatRow item={item} csrfToken={props.csrfToken} next={props.next} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
