import type { EventKind, InvitationStatus } from '../../db/schema';
import { PageHeader } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { AnswerTag, InvitationCard, KindTag, OpenSeatsTable, type InvitationItem, type OpenSeatItem } from '../events/components';
import { WEEKDAY_SHORT } from '../events/format';
import { ScheduleRotations } from '../rotations/schedule';
import type { PersonRotation } from '../../src/rotations/rotations';

export type ScheduleItem = {
  href: string;
  title: string;
  kind: EventKind;
  time: string;
  role: 'host' | 'guest';
  status: InvitationStatus | null;
  approvalPending: boolean;
  moved: boolean;
};

export type ScheduleDay = { date: string; heading: string; dayOfMonth: number; inRange: boolean; isToday: boolean; entries: ScheduleItem[] };

export type HostedItem = { title: string; href: string; when: string; seats: number; seatsTaken: number; guests: string[]; waitlisted: number };

export type SchedulePageProps = {
  layout: LayoutProps;
  name: string;
  timeZone: string;
  view: 'week' | 'month';
  mode: 'agenda' | 'calendar';
  rangeLabel: string;
  links: { prev: string; next: string; today: string; week: string; month: string; agenda: string; calendar: string; newEvent: string };
  days: ScheduleDay[];
  pending: InvitationItem[];
  openSeats: OpenSeatItem[];
  hosted: HostedItem[];
  rotations: PersonRotation[];
  /** The viewer's local date, 'YYYY-MM-DD'. */
  today: string;
};

function EntryLine(props: { entry: ScheduleItem; compact?: boolean }) {
  const e = props.entry;
  return (
    <li class={`schedule-entry ${e.status === 'invited' ? 'pending' : ''}`}>
      <span class="time">{e.time}</span> <a href={e.href}>{e.title}</a>
      {!props.compact && (
        <>
          {' '}
          <KindTag kind={e.kind} />
        </>
      )}{' '}
      {e.role === 'host' ? <span class="tag ok">host</span> : e.status && <AnswerTag status={e.status} approvalPending={e.approvalPending} />}
      {e.moved && <span class="tag warn">moved</span>}
    </li>
  );
}

function AgendaView(props: { days: ScheduleDay[] }) {
  const withEntries = props.days.filter((d) => d.inRange && d.entries.length > 0);
  if (withEntries.length === 0) return <p class="muted">Nothing planned in this period.</p>;
  return (
    <div class="schedule-agenda">
      {withEntries.map((day) => (
        <section aria-label={day.heading}>
          <h3>
            {day.heading} {day.isToday && <span class="tag ok">today</span>}
          </h3>
          <ul class="schedule-entries">
            {day.entries.map((entry) => (
              <EntryLine entry={entry} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function CalendarView(props: { days: ScheduleDay[] }) {
  const weeks: ScheduleDay[][] = [];
  for (let i = 0; i < props.days.length; i += 7) weeks.push(props.days.slice(i, i + 7));
  return (
    <div class="table-wrap">
      <table class="calendar">
        <thead>
          <tr>
            {WEEKDAY_SHORT.map((d) => (
              <th scope="col">{d}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr>
              {week.map((day) => (
                <td class={[day.inRange ? '' : 'outside', day.isToday ? 'today' : ''].join(' ').trim() || undefined} aria-label={day.heading}>
                  <div class="day-number">{day.dayOfMonth}</div>
                  {day.entries.length > 0 && (
                    <ul class="schedule-entries">
                      {day.entries.map((entry) => (
                        <EntryLine entry={entry} compact />
                      ))}
                    </ul>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SchedulePage(props: SchedulePageProps) {
  const l = props.links;
  return (
    <Layout {...props.layout}>
      <PageHeader title="My schedule">
        <a class="button" href={l.newEvent}>
          New event
        </a>
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
        <a href={l.week} aria-current={props.view === 'week' ? 'true' : undefined}>
          Week
        </a>
        <a href={l.month} aria-current={props.view === 'month' ? 'true' : undefined}>
          Month
        </a>
        <span class="muted">·</span>
        <a href={l.agenda} aria-current={props.mode === 'agenda' ? 'true' : undefined}>
          Agenda
        </a>
        <a href={l.calendar} aria-current={props.mode === 'calendar' ? 'true' : undefined}>
          Calendar
        </a>
        <span class="muted">Times in {props.timeZone}</span>
      </nav>
      <ScheduleRotations rotations={props.rotations} today={props.today} />
      <section class="card" aria-labelledby="schedule-heading">
        <h2 id="schedule-heading">{props.view === 'week' ? 'This week' : 'This month'}</h2>
        {props.mode === 'agenda' ? <AgendaView days={props.days} /> : <CalendarView days={props.days} />}
      </section>
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
            {props.pending.map((item) => (
              <InvitationCard item={item} csrfToken={props.layout.csrfToken} next="/" />
            ))}
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="hosted-heading">
        <h2 id="hosted-heading">Events you host</h2>
        {props.hosted.length === 0 ? (
          <p class="muted">You host nothing in this period.</p>
        ) : (
          <ul class="hosted">
            {props.hosted.map((h) => (
              <li>
                <a href={h.href}>{h.title}</a> <span class="muted">{h.when}</span> — {h.seatsTaken} of {h.seats} seats taken
                {h.guests.length > 0 && <>: {h.guests.join(', ')}</>}
                {h.waitlisted > 0 && <span class="tag waitlisted">{h.waitlisted} waitlisted</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="seats-heading">
        <h2 id="seats-heading">
          Open seats for you <a href="/open-seats" class="muted">(see all)</a>
        </h2>
        <OpenSeatsTable items={props.openSeats} csrfToken={props.layout.csrfToken} next="/" empty="No open seats in the next two weeks." />
      </section>
    </Layout>
  );
}
