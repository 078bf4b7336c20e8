import type { EventKind, InvitationStatus } from '../../db/schema';
import type { Child } from 'hono/jsx';
import { html } from 'hono/html';
import { optionsOf, PostButton, Table } from '../components';
import { KIND_LABELS } from '../../src/events/event-rules';

/** What the event page says about an event, in the viewer's zone. */
export type EventSummary = {
  id: number;
  title: string;
  kind: EventKind;
  hostName: string;
  description: string;
  account: string | null;
  opportunityStage: string | null;
  location: string | null;
  meetingUrl: string | null;
  topic: string | null;
  seats: number;
  status: 'scheduled' | 'cancelled';
  recurrenceText: string | null;
  firstWhen: string;
  firstWhenHost: string;
  timeZone: string;
  guestDepartment: string | null;
  isSeries: boolean;
};

const STATUS_LABELS: Record<InvitationStatus, string> = {
  invited: 'not answered',
  accepted: 'accepted',
  tentative: 'maybe',
  declined: 'declined',
  waitlisted: 'waitlisted',
};

export type ConflictView = { code: string; message: string };

/*
 * The rows and cards of the busiest pages (open seats, invitations, My schedule) are written as html`…` templates
 * rather than JSX: the same markup and escaping (html`` escapes every value as JSX does) in about a seventh of the
 * rendering time, since no element tree is built and walked per row. Rare parts (results, Undo) stay JSX inside them.
 */

export function KindTag(props: { kind: EventKind }) {
  const department = props.kind === 'sales_call' ? 'sales' : props.kind === 'marketing_meeting' ? 'marketing' : '';
  return html`<span class="tag ${department}">${KIND_LABELS[props.kind]}</span>`;
}

export function AnswerTag(props: { status: InvitationStatus; approvalPending?: boolean; waitlistPosition?: number | null }) {
  if (props.approvalPending) return html`<span class="tag warn">waiting for manager approval</span>`;
  const label = props.status === 'waitlisted' && props.waitlistPosition ? `waitlisted (#${props.waitlistPosition})` : STATUS_LABELS[props.status];
  return html`<span class="tag ${props.status}">${label}</span>`;
}

export function Conflicts(props: { conflicts?: ConflictView[]; title?: string }) {
  if (!props.conflicts?.length) return null;
  return html`<div class="notice conflicts" role="status"><strong>${props.title ?? 'Heads-up:'}</strong><ul>${props.conflicts.map(
    (c) => html`<li data-code="${c.code}">${c.message}</li>`,
  )}</ul></div>`;
}

/** The CSRF field of a form written as a template (CsrfField's markup). */
export const csrfInput = (token: string | null) => html`<input type="hidden" name="_csrf" value="${token ?? ''}"/>`;

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
  /** The occurrence (or the whole event) was cancelled. */
  cancelled: boolean;
};

/** A message after an in-place answer; focus moves to it (views/static/app.js) so people hear what happened. */
export function ResultMessage(props: { text: string; tone?: 'ok' | 'warn' | 'bad' | null; tag?: boolean }) {
  if (props.tag) {
    return (
      <span class={`tag ${props.tone ?? 'ok'}`} role="status" tabindex={-1} data-focus-result="">
        {props.text}
      </span>
    );
  }
  return (
    <p class="flash" role="status" tabindex={-1} data-focus-result="">
      {props.text}
    </p>
  );
}

/** Claims just made, and until when they can be taken back. */
export type UndoView = { invitationIds: number[]; until: string };

/** "Undo" for claims just made: posts their ids; htmx swaps the result in place. */
export function UndoForm(props: { undo: UndoView; csrfToken: string | null; next: string; target: string; label?: string }) {
  return (
    <PostButton
      action="/open-seats/undo"
      csrfToken={props.csrfToken}
      formClass="inline undo"
      hx={{ 'hx-post': '/open-seats/undo', 'hx-target': props.target, 'hx-swap': 'outerHTML' }}
      hidden={{ ids: props.undo.invitationIds.join(','), next: props.next }}
      label={props.label ?? 'Undo'}
      class="small secondary"
      after={
        <>
          {' '}
          <span class="muted">until {props.undo.until}</span>
        </>
      }
    />
  );
}

const confirmInput = html`<input type="hidden" name="confirmConflicts" value="1"/>`;
export const ConfirmField = () => confirmInput;

/** Answer buttons for one place; htmx swaps the whole card, without JS it posts and comes back. */
export function AnswerForm(props: {
  action: string;
  target: string;
  csrfToken: string | null;
  next: string;
  current?: InvitationStatus | null;
  idPrefix: string;
  confirm?: boolean;
}) {
  const reasonId = `${props.idPrefix}-reason`;
  return html`<form method="post" action="${props.action}" class="answer-form" hx-post="${props.action}" hx-target="${props.target}" hx-swap="outerHTML">${csrfInput(
    props.csrfToken,
  )}<input type="hidden" name="next" value="${props.next}"/>${props.confirm ? confirmInput : ''}<div class="actions"><button type="submit" name="status" value="accepted" class="${
    props.current === 'accepted' || props.confirm ? 'small' : 'small secondary'
  }">${props.confirm ? 'Accept anyway' : 'Accept'}</button><button type="submit" name="status" value="tentative" class="${
    props.current === 'tentative' ? 'small' : 'small secondary'
  }">Maybe</button><button type="submit" name="status" value="declined" class="${
    props.current === 'declined' ? 'small danger' : 'small secondary'
  }">Decline</button></div><details class="decline-reason"><summary>Add a reason for declining</summary><label for="${reasonId}">Reason (optional)</label><input id="${reasonId}" name="reason" type="text" maxlength="500"/></details></form>`;
}

/**
 * An invitation with its answer buttons. `conflicts` are named before the click; with `confirm`
 * the person tried to accept into them and is asked to accept anyway.
 */
export function InvitationCard(props: {
  item: InvitationItem;
  csrfToken: string | null;
  next: string;
  conflicts?: ConflictView[];
  message?: string | null;
  confirm?: boolean;
}) {
  const { item } = props;
  const id = `invitation-${item.invitationId}`;
  return html`<article class="card invitation" id="${id}" aria-live="polite"><h3><a href="${item.href}">${item.title}</a></h3><p>${KindTag({ kind: item.kind })} ${
    item.cancelled
      ? html`<span class="tag cancelled">cancelled</span>`
      : AnswerTag({ status: item.status, approvalPending: item.approvalPending, waitlistPosition: item.waitlistPosition })
  }</p><p>${item.when}${
    item.scope === 'series' && item.recurrenceText ? html`<span class="muted"> · whole series: ${item.recurrenceText}</span>` : ''
  }</p><p class="muted">Host: ${item.hostName}</p>${props.message ? <ResultMessage text={props.message} /> : ''}${
    props.confirm ? <ResultMessage text="Accepting this conflicts with what you already have. Accept anyway, or answer differently." tone="warn" /> : ''
  }${item.cancelled ? '' : Conflicts({ conflicts: props.conflicts, title: props.confirm ? 'Conflicts:' : undefined })}${
    !item.approvalPending && !item.cancelled
      ? AnswerForm({
          action: `/invitations/${item.invitationId}/answer`,
          target: `#${id}`,
          csrfToken: props.csrfToken,
          next: props.next,
          current: item.status,
          idPrefix: id,
          confirm: props.confirm,
        })
      : ''
  }</article>`;
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
  /** The occurrence belongs to a series, whose future occurrences can be claimed in one step. */
  isSeries: boolean;
};

/**
 * One open seat with its claim button; the claim's answer replaces the row. `conflicts` are named
 * before the click; with `confirm` the person tried to claim into them and is asked to go ahead.
 */
export function OpenSeatRow(props: {
  item: OpenSeatItem;
  csrfToken: string | null;
  next: string;
  result?: { text: string; tone: 'ok' | 'warn' | 'bad' } | null;
  conflicts?: ConflictView[];
  confirm?: boolean;
  undo?: UndoView | null;
}) {
  const { item } = props;
  const id = `seat-${item.occurrenceKey}`;
  const claim = props.result
    ? html`${<ResultMessage text={props.result.text} tone={props.result.tone} tag />}${Conflicts({ conflicts: props.conflicts })}${
        props.undo ? <UndoForm undo={props.undo} csrfToken={props.csrfToken} next={props.next} target={`#${id}`} /> : ''
      }`
    : html`${props.confirm ? <ResultMessage text="This conflicts with your calendar. Claim anyway?" tone="warn" tag /> : ''}${Conflicts({
        conflicts: props.conflicts,
        title: props.confirm ? 'Conflicts:' : undefined,
      })}<form method="post" action="/open-seats/claim" class="inline" hx-post="/open-seats/claim" hx-target="#${id}" hx-swap="outerHTML">${csrfInput(
        props.csrfToken,
      )}<input type="hidden" name="occurrence" value="${item.occurrenceKey}"/><input type="hidden" name="next" value="${props.next}"/>${
        props.confirm ? confirmInput : ''
      }<button type="submit" class="small" aria-label="${
        props.confirm ? `Claim anyway: ${item.title}, ${item.when}` : `Claim a seat on ${item.title}, ${item.when}`
      }">${props.confirm ? 'Claim anyway' : 'Claim a seat'}</button></form>${props.confirm ? html`<a href="${props.next}" class="small">Cancel</a>` : ''}${
        item.isSeries && !props.confirm
          ? html`<form method="post" action="/events/${item.eventId}/claim-series" class="inline" hx-post="/events/${item.eventId}/claim-series" hx-target="#${id}" hx-swap="outerHTML">${csrfInput(
              props.csrfToken,
            )}<input type="hidden" name="next" value="${props.next}"/><input type="hidden" name="row" value="${item.occurrenceKey}"/><button type="submit" class="small secondary" aria-label="Claim all upcoming: ${item.title}">Claim all upcoming</button></form>`
          : ''
      }`;
  return html`<tr id="${id}"><td data-label="When">${item.when}</td><td data-label="Event"><a href="${item.href}">${item.title}</a><div>${KindTag({
    kind: item.kind,
  })}</div></td><td data-label="Host">${item.hostName}${item.teamName ? html`<div class="muted">${item.teamName}</div>` : ''}</td><td data-label="Account">${
    item.account ?? '—'
  }</td><td data-label="Free seats">${item.seatsFree} of ${item.seats}</td><td data-label="Claim">${claim}</td></tr>`;
}

export function OpenSeatsTable(props: { items: OpenSeatItem[]; conflicts?: ConflictView[][]; csrfToken: string | null; next: string; empty: string }) {
  if (props.items.length === 0) return <p class="card muted">{props.empty}</p>;
  return (
    <Table
      class="open-seats"
      columns={['When', 'Event', 'Host', 'Account', 'Free seats', 'Claim']}
      rows={props.items}
      row={(item, i) => <OpenSeatRow item={item} conflicts={props.conflicts?.[i]} csrfToken={props.csrfToken} next={props.next} />}
    />
  );
}

export type SeriesClaimLineView = {
  when: string;
  href: string;
  outcome: 'claimed' | 'pending_approval' | 'waitlisted' | 'already' | 'conflict' | 'full';
  waitlistPosition: number | null;
  conflicts: ConflictView[];
};
export type SeriesClaimView = { eventId: number; title: string; lines: SeriesClaimLineView[]; horizonLabel: string; more: boolean; undo: UndoView | null };

const SERIES_OUTCOME: Record<SeriesClaimLineView['outcome'], { text: string; tone: string }> = {
  claimed: { text: 'claimed', tone: 'ok' },
  pending_approval: { text: 'claimed, waiting for manager approval', tone: 'warn' },
  waitlisted: { text: 'waitlisted', tone: 'warn' },
  already: { text: 'you already had a place', tone: 'ok' },
  conflict: { text: 'skipped because of a conflict', tone: 'bad' },
  full: { text: 'skipped: full', tone: 'bad' },
};

/** What claiming a whole series did, occurrence by occurrence, with Undo. */
export function SeriesClaimResult(props: { result: SeriesClaimView; csrfToken: string | null; next: string; id: string }) {
  const r = props.result;
  const count = (o: SeriesClaimLineView['outcome']) => r.lines.filter((l) => l.outcome === o).length;
  const parts = [
    [count('claimed') + count('pending_approval'), 'claimed'],
    [count('waitlisted'), 'waitlisted'],
    [count('already'), 'already yours'],
    [count('conflict'), 'skipped because of a conflict'],
    [count('full'), 'skipped because full'],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, label]) => `${n} ${label}`);
  return (
    <div class="series-claim" id={props.id} aria-live="polite">
      <ResultMessage text={r.lines.length === 0 ? `"${r.title}" has no upcoming occurrences to claim.` : `"${r.title}": ${parts.join(', ')}.`} />
      {r.lines.length > 0 && (
        <ul class="series-claim-lines">
          {r.lines.map((l) => (
            <li>
              <a href={l.href}>{l.when}</a>{' '}
              <span class={`tag ${SERIES_OUTCOME[l.outcome].tone}`}>
                {l.outcome === 'waitlisted' && l.waitlistPosition ? `waitlisted #${l.waitlistPosition}` : SERIES_OUTCOME[l.outcome].text}
              </span>
              {l.conflicts.length > 0 && <span class="muted"> — {l.conflicts.map((c) => c.message).join(' ')}</span>}
            </li>
          ))}
        </ul>
      )}
      <p class="muted">
        Occurrences up to {r.horizonLabel} were considered{r.more ? '; the series goes on after that — claim those later.' : '.'}
      </p>
      {r.undo && <UndoForm undo={r.undo} csrfToken={props.csrfToken} next={props.next} target={`#${props.id}`} label="Undo these claims" />}
    </div>
  );
}

/** A result in place of an open-seat row (the table keeps its shape). */
export function InRow(props: { id: string; children?: Child }) {
  return (
    <tr id={props.id}>
      <td colspan={6}>{props.children}</td>
    </tr>
  );
}

/** A result in place of an entry of My schedule (a seat just left). */
export function InListItem(props: { id: string; children?: Child }) {
  return (
    <li id={props.id} class="schedule-entry">
      {props.children}
    </li>
  );
}

/** The id of an entry of My schedule, which an in-place answer replaces. */
export const scheduleEntryId = (eventId: number, occurrenceKey: string) => `entry-${eventId}-${occurrenceKey.replace(/[^0-9A-Za-z_-]/g, '_')}`;

/** A result in place of a box that showed a claim. */
export function ResultBox(props: { id: string; children?: Child; backHref?: string | null }) {
  return (
    <div id={props.id} aria-live="polite">
      {props.children}
      {props.backHref && (
        <p>
          <a href={props.backHref}>Show the occurrence again</a>
        </p>
      )}
    </div>
  );
}

export const kindOptions = optionsOf(KIND_LABELS);
