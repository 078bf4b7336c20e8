import { Hono } from 'hono';
import { z } from 'zod';
import { preparedQuery } from '../db';
import type { AppEnv } from '../context';
import { requireSignedIn, viewerOf } from '../guards';
import { blankToUndefined, dateSchema } from '../lib/validation';
import { addDaysToLocalDate, formatLocalDate, startOfLocalDate, weekdayOfLocalDate } from '../lib/time';
import { html, layoutProps, queryValidator, readPage } from '../web';
import { queryString } from '../../views/components';
import { rotationsForPerson } from '../rotations/index';
import { SchedulePage, type HostedItem, type ScheduleDay, type ScheduleItem } from '../../views/home/pages';
import { formatLocalDateHeading, formatMonth, formatTime, formatWhen } from '../../views/events/format';
import {
  findOpenSeats,
  invitationItems,
  occurrenceHref,
  occurrencesOfInvitations,
  openSeatItem,
  pendingInvitations,
  personSchedule,
  placeKey,
  placeOf,
  seatsAt,
  conflictsForPlaces,
} from '../events';

/** Names by id, as [id, name] arrays: a week's hosted list names hundreds of guests, and mapping them to objects cost more than the read. */
const namesOf = preparedQuery((db) =>
  db.$client.prepare<[string], [id: number, name: string]>('SELECT id, name FROM people WHERE id IN (SELECT value FROM json_each(?))').raw(true),
);

/** Hosted occurrences listed on My schedule; the rest of the period is counted. */
const HOSTED_LIMIT = 30;

/**
 * Guests named on a hosted occurrence's line; the others are counted (the occurrence's page names them all). A week of
 * full events of eighty seats named every guest: two thousand names read and written for one page.
 */
const GUESTS_NAMED = 8;

const scheduleQuery = z.object({
  view: z.preprocess(blankToUndefined, z.enum(['week', 'month']).default('week')),
  mode: z.preprocess(blankToUndefined, z.enum(['agenda', 'calendar']).default('agenda')),
  date: z.preprocess(blankToUndefined, dateSchema.optional()),
});

/** Monday on or before a local date. */
const mondayOf = (localDate: string) => addDaysToLocalDate(localDate, -((weekdayOfLocalDate(localDate) + 6) % 7));

function monthStart(localDate: string) {
  return `${localDate.slice(0, 7)}-01`;
}

function addMonths(localDate: string, months: number) {
  const [y, m] = localDate.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** My schedule: the person's home page. */
export function homeRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', requireSignedIn, queryValidator(scheduleQuery), (c) => {
    const { db, clock } = c.var.deps;
    const viewer = viewerOf(c).person;
    const zone = viewer.timeZone;
    const now = clock.now();
    const today = formatLocalDate(now, zone);
    const q = c.req.valid('query');
    const anchor = q.date ?? today;

    let rangeStart: string;
    let rangeEnd: string; // exclusive
    let gridStart: string;
    let gridEnd: string; // exclusive
    let prev: string;
    let next: string;
    let rangeLabel: string;
    if (q.view === 'week') {
      rangeStart = gridStart = mondayOf(anchor);
      rangeEnd = gridEnd = addDaysToLocalDate(rangeStart, 7);
      prev = addDaysToLocalDate(rangeStart, -7);
      next = rangeEnd;
      rangeLabel = `${formatLocalDateHeading(rangeStart)} – ${formatLocalDateHeading(addDaysToLocalDate(rangeEnd, -1))}`;
    } else {
      rangeStart = monthStart(anchor);
      rangeEnd = addMonths(rangeStart, 1);
      gridStart = mondayOf(rangeStart);
      gridEnd = addDaysToLocalDate(mondayOf(addDaysToLocalDate(rangeEnd, -1)), 7);
      prev = addMonths(rangeStart, -1);
      next = rangeEnd;
      rangeLabel = formatMonth(rangeStart);
    }

    const windowStart = startOfLocalDate(gridStart, zone);
    const windowEnd = startOfLocalDate(gridEnd, zone);
    // The page's reads in one snapshot; the layout's after it (taking the status message may write).
    const shown = readPage(c, () => {
      const entries = personSchedule(db, viewer.id, windowStart, windowEnd, { includeCancelled: true });
      const byDay = new Map<string, ScheduleItem[]>();
      // Each entry's local date, formatted once for its day and for the hosted list below.
      const entryDays = entries.map((entry) => formatLocalDate(entry.occurrence.start, zone));
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i]!;
        const day = entryDays[i]!;
        const list = byDay.get(day) ?? [];
        list.push({
          // The occurrence's key as read (occurrenceHref would format it again for every row).
          href: `/events/${entry.event.id}/occurrences/${entry.occurrence.key}`,
          title: entry.event.title,
          kind: entry.event.kind,
          time: `${formatTime(entry.occurrence.start, zone)}–${formatTime(entry.occurrence.end, zone)}`,
          role: entry.role,
          status: entry.answer,
          approvalPending: entry.approvalPending,
          moved: entry.occurrence.isMoved,
          cancelled: entry.occurrence.cancelled,
          leave:
            entry.role === 'guest' && entry.answer !== 'invited' && !entry.approvalPending && entry.occurrence.start > now
              ? { eventId: entry.event.id, occurrenceKey: entry.occurrence.key, isSeries: entry.event.rrule !== null }
              : null,
        });
        byDay.set(day, list);
      }
      const days: ScheduleDay[] = [];
      for (let day = gridStart; day < gridEnd; day = addDaysToLocalDate(day, 1)) {
        days.push({
          date: day,
          heading: formatLocalDateHeading(day),
          dayOfMonth: Number(day.slice(8, 10)),
          inRange: day >= rangeStart && day < rangeEnd,
          isToday: day === today,
          entries: byDay.get(day) ?? [],
        });
      }

      // Events the person hosts in the period, past ones included, with who is coming.
      const hostedInRange = entries.filter((e, i) => e.role === 'host' && entryDays[i]! >= rangeStart && entryDays[i]! < rangeEnd);
      const hostedEntries = hostedInRange.slice(0, HOSTED_LIMIT);
      const places = hostedEntries.map((e) => placeOf(e.event, e.occurrence));
      const seatsOf = seatsAt(db, places);
      const guestIds = [...new Set([...seatsOf.values()].flatMap((s) => s.holders.slice(0, GUESTS_NAMED)))];
      const names = new Map(guestIds.length ? namesOf(db).all(JSON.stringify(guestIds)) : []);
      const hosted: HostedItem[] = hostedEntries.map((e, i) => {
        const { holders, waitlisted } = seatsOf.get(placeKey(places[i]!))!;
        return {
          title: e.event.title,
          href: occurrenceHref(e.event.id, e.occurrence.originalStart),
          when: formatWhen(e.occurrence.start, e.occurrence.end, zone),
          seats: e.event.seats,
          seatsTaken: holders.length,
          guests: holders.slice(0, GUESTS_NAMED).map((id) => names.get(id) ?? `#${id}`),
          waitlisted,
          past: e.occurrence.end <= now,
          cancelled: e.occurrence.cancelled,
        };
      });

      // The soonest few; the invitations page has them all.
      const pendingRows = pendingInvitations(db, now, viewer.id, 5);
      const shownOccurrences = occurrencesOfInvitations(db, pendingRows);
      const pending = invitationItems(db, now, zone, pendingRows, shownOccurrences);
      const seats = findOpenSeats(db, now, viewer, { from: now, to: new Date(now.getTime() + 14 * 86_400_000) }, 5, 20);
      const openSeats = seats.map((s) => openSeatItem(s, zone));
      // The occurrences of the cards and seats, as read for them, stand in for reading them again for their conflicts.
      for (const s of seats) if (s.event.rrule) shownOccurrences.set(`${s.event.id}:${s.occurrence.originalStart.getTime()}`, s.occurrence);
      // Conflicts of every invitation and open seat shown, named before the click, in one read.
      const conflicts = conflictsForPlaces(
        db,
        now,
        viewer,
        [
          ...pendingRows.map((r) => ({ event: r.event, originalStart: r.invitation.occurrenceStart })),
          ...seats.map((s) => ({ event: s.event, originalStart: s.event.rrule ? s.occurrence.originalStart : null })),
        ],
        { you: true },
        { from: windowStart, to: windowEnd, entries },
        shownOccurrences,
      );

      return {
        days,
        pending,
        openSeats,
        hosted,
        hostedMore: hostedInRange.length - hostedEntries.length,
        pendingConflicts: conflicts.slice(0, pendingRows.length),
        openSeatConflicts: conflicts.slice(pendingRows.length),
        rotations: rotationsForPerson(db, viewer.id, rangeStart, addDaysToLocalDate(rangeEnd, -1)),
      };
    });

    const link = (params: { view?: string; mode?: string; date?: string }) =>
      `/${queryString({ view: params.view ?? q.view, mode: params.mode ?? q.mode, date: params.date ?? q.date })}`;
    return html(
      c,
      SchedulePage({
        layout: layoutProps(c, 'My schedule', undefined, shown.badges),
        name: viewer.name,
        timeZone: zone,
        view: q.view,
        mode: q.mode,
        rangeLabel,
        links: {
          self: link({}),
          prev: link({ date: prev }),
          next: link({ date: next }),
          today: `/${queryString({ view: q.view, mode: q.mode })}`,
          week: link({ view: 'week' }),
          month: link({ view: 'month' }),
          agenda: link({ mode: 'agenda' }),
          calendar: link({ mode: 'calendar' }),
          newEvent: '/events/new',
        },
        ...shown,
        today,
      }),
    );
  });
  return app;
}
