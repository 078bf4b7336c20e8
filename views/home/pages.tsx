import type { EventKind, InvitationStatus } from '../../db/schema';
import { html } from 'hono/html';
import { ButtonLink, Card, PageHeader } from '../components';
import { Layout, type LayoutProps } from '../layout';
import {
  AnswerTag,
  InvitationCard,
  KindTag,
  OpenSeatsTable,
  scheduleEntryId,
  type ConflictView,
  type InvitationItem,
  type OpenSeatItem,
} from '../events/components';
import { LeaveButtons } from '../events/occurrence';
import { WEEKDAY_SHORT } from '../events/format';
import { ScheduleRotations } from '../rotations/schedule';
import type { PersonRotation } from '../../src/rotations/index';

export type ScheduleItem = {
  href: string;
  title: string;
  kind: EventKind;
  time: string;
  role: 'host' | 'guest';
  status: InvitationStatus | null;
  approvalPending: boolean;
  moved: boolean;
  cancelled: boolean;
  /** Where a guest can give up their place from the row (none for hosts or past occurrences). */
  leave: { eventId: number; occurrenceKey: string; isSeries: boolean } | null;
};

export type ScheduleDay = { date: string; heading: string; dayOfMonth: number; inRange: boolean; isToday: boolean; entries: ScheduleItem[] };

export type HostedItem = {
  title: string;
  href: string;
  when: string;
  seats: number;
  seatsTaken: number;
  /** The first guests' names (GUESTS_NAMED at most); the rest are counted: the occurrence's page lists them all. */
  guests: string[];
  waitlisted: number;
  past: boolean;
  cancelled: boolean;
};

type SchedulePageProps = {
  layout: LayoutProps;
  name: string;
  timeZone: string;
  view: 'week' | 'month';
  mode: 'agenda' | 'calendar';
  rangeLabel: string;
  links: { self: string; prev: string; next: string; today: string; week: string; month: string; agenda: string; calendar: string; newEvent: string };
  days: ScheduleDay[];
  pending: InvitationItem[];
  openSeats: OpenSeatItem[];
  hosted: HostedItem[];
  /** Hosted occurrences in the period beyond the ones listed. */
  hostedMore: number;
  pendingConflicts: ConflictView[][];
  openSeatConflicts: ConflictView[][];
  rotations: PersonRotation[];
  /** The viewer's local date, 'YYYY-MM-DD'. */
  today: string;
};

/*
 * The schedule's days and the hosted list are html`…` templates, as the invitation cards and open-seat rows
 * (views/events/components.tsx): the same markup and escaping without an element tree built and walked per
 * row; the Leave buttons, on future rows only, too.
 */

function entryLine(e: ScheduleItem, compact: boolean, csrfToken?: string | null, next?: string) {
  const classes = `schedule-entry ${e.status === 'invited' ? 'pending' : ''} ${e.cancelled ? 'cancelled' : ''}`.trim();
  const leave = !compact && e.leave && !e.cancelled ? e.leave : null;
  const id = leave ? scheduleEntryId(leave.eventId, leave.occurrenceKey) : null;
  const answer =
    e.role === 'host' ? html`<span class="tag ok">host</span>` : e.status ? AnswerTag({ status: e.status, approvalPending: e.approvalPending }) : '';
  return html`<li class="${classes}"${id ? html` id="${id}"` : ''}><span class="time">${e.time}</span> <a href="${e.href}">${e.title}</a>${
    compact ? '' : html` ${KindTag({ kind: e.kind })}`
  } ${answer}${e.cancelled ? html`<span class="tag cancelled">cancelled</span>` : ''}${e.moved && !e.cancelled ? html`<span class="tag warn">moved</span>` : ''}${
    leave && next
      ? html` ${LeaveButtons({
          eventId: leave.eventId,
          occurrenceKey: leave.occurrenceKey,
          isSeries: leave.isSeries,
          csrfToken: csrfToken ?? null,
          next,
          labels: { occurrence: 'Leave', series: 'Leave series' },
          ariaLabels: { occurrence: `Leave ${e.title} at ${e.time}`, series: `Leave series ${e.title}` },
          target: id ?? undefined,
        })}`
      : ''
  }</li>`;
}

function agendaView(days: ScheduleDay[], csrfToken: string | null, next: string) {
  const withEntries = days.filter((d) => d.inRange && d.entries.length > 0);
  if (withEntries.length === 0) return html`<p class="muted">Nothing planned in this period.</p>`;
  return html`<div class="schedule-agenda">${withEntries.map(
    (day) =>
      html`<section aria-label="${day.heading}"><h3>${day.heading} ${day.isToday ? html`<span class="tag ok">today</span>` : ''}</h3><ul class="schedule-entries">${day.entries.map(
        (entry) => entryLine(entry, false, csrfToken, next),
      )}</ul></section>`,
  )}</div>`;
}

function calendarView(days: ScheduleDay[]) {
  const weeks: ScheduleDay[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  // A phone stacks the days, without the weekday row above them: there the day says its whole name.
  const cell = (day: ScheduleDay) => {
    const classes = [day.inRange ? '' : 'outside', day.isToday ? 'today' : '', day.entries.length ? '' : 'empty'].join(' ').trim();
    return html`<td${classes ? html` class="${classes}"` : ''} aria-label="${day.heading}"><div class="day-number"><span class="wide-only">${day.dayOfMonth}</span><span class="phone-only">${day.heading}${
      day.isToday ? ' · today' : ''
    }</span></div>${day.entries.length > 0 ? html`<ul class="schedule-entries">${day.entries.map((entry) => entryLine(entry, true))}</ul>` : ''}</td>`;
  };
  return html`<div class="table-wrap"><table class="calendar"><thead><tr>${WEEKDAY_SHORT.map((d) => html`<th scope="col">${d}</th>`)}</tr></thead><tbody>${weeks.map(
    (week) => html`<tr>${week.map(cell)}</tr>`,
  )}</tbody></table></div>`;
}

function hostedLine(h: HostedItem) {
  const seats = h.cancelled
    ? html` <span class="tag cancelled">cancelled</span>`
    : html` — ${h.seatsTaken} of ${h.seats} seats taken${h.guests.length > 0 ? html`: ${h.guests.join(', ')}` : ''}${
        h.seatsTaken > h.guests.length && h.guests.length > 0 ? html` and ${h.seatsTaken - h.guests.length} more` : ''
      }`;
  return html`<li${h.past ? html` class="past"` : ''}><a href="${h.href}">${h.title}</a> <span class="muted">${h.when}</span>${seats}${
    h.waitlisted > 0 && !h.cancelled ? html`<span class="tag waitlisted">${h.waitlisted} waitlisted</span>` : ''
  }${h.past ? html`<span class="tag">past</span>` : ''}</li>`;
}

/** One choice of a switch (week or month, agenda or calendar), marked when it is the one shown. */
const SwitchLink = (props: { href: string; current: boolean; label: string }) => (
  <a href={props.href} aria-current={props.current ? 'true' : undefined}>
    {props.label}
  </a>
);

export function SchedulePage(props: SchedulePageProps) {
  const l = props.links;
  return (
    <Layout {...props.layout}>
      <PageHeader title="My schedule">
        <ButtonLink href={l.newEvent} kind="primary">
          New event
        </ButtonLink>
      </PageHeader>
      <nav class="schedule-nav card" aria-label="Schedule period">
        <a href={l.prev} rel="prev">
          ← Previous
        </a>
        <strong>{props.rangeLabel}</strong>
        <a href={l.next} rel="next">
          Next →
        </a>
        <a href={l.today}>Today</a>
        <span class="muted">·</span>
        <SwitchLink href={l.week} current={props.view === 'week'} label="Week" />
        <SwitchLink href={l.month} current={props.view === 'month'} label="Month" />
        <span class="muted">·</span>
        <SwitchLink href={l.agenda} current={props.mode === 'agenda'} label="Agenda" />
        <SwitchLink href={l.calendar} current={props.mode === 'calendar'} label="Calendar" />
        <span class="muted">Times in {props.timeZone}</span>
      </nav>
      <ScheduleRotations rotations={props.rotations} today={props.today} />
      <Card name="schedule" title={props.view === 'week' ? 'This week' : 'This month'}>
        {props.mode === 'agenda' ? agendaView(props.days, props.layout.csrfToken, props.layout.currentPath === '/' ? l.self : '/') : calendarView(props.days)}
      </Card>
      <section aria-labelledby="pending-heading">
        <h2 id="pending-heading">
          Invitations waiting for you{' '}
          {props.pending.length > 0 && (
            <a href="/invitations" class="muted">
              (see all)
            </a>
          )}
        </h2>
        {props.pending.length === 0 ? (
          <p class="card muted">No invitations waiting for an answer.</p>
        ) : (
          <div class="grid invitations">
            {props.pending.map((item, i) => (
              <InvitationCard item={item} csrfToken={props.layout.csrfToken} next="/" conflicts={props.pendingConflicts[i]} />
            ))}
          </div>
        )}
      </section>
      <Card name="hosted" title="Events you host">
        {props.hosted.length === 0 ? <p class="muted">You host nothing in this period.</p> : <ul class="hosted">{props.hosted.map(hostedLine)}</ul>}
        {props.hostedMore > 0 && <p class="muted">and {props.hostedMore} more in this period</p>}
      </Card>
      <section aria-labelledby="seats-heading">
        <h2 id="seats-heading">
          Open seats for you{' '}
          <a href="/open-seats" class="muted">
            (see all)
          </a>
        </h2>
        <OpenSeatsTable
          items={props.openSeats}
          conflicts={props.openSeatConflicts}
          csrfToken={props.layout.csrfToken}
          next="/"
          empty="No open seats in the next two weeks."
        />
      </section>
    </Layout>
  );
}
