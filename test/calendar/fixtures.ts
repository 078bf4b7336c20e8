/** Event rows written straight into the events tables, the way the events feature stores them. */
import { eventExceptions, events, invitations, type EventKind, type InvitationStatus } from '../../db/schema';
import type { Db } from '../../src/db';
import { lastOccurrenceEnd } from '../../src/events/recurrence';
import { zonedLocalToUtc } from '../../src/lib/time';

export type EventSeed = {
  kind?: EventKind;
  title: string;
  hostId: number;
  timeZone: string;
  startLocal: string;
  durationMinutes?: number;
  rrule?: string | null;
  seats?: number;
  guestDepartment?: 'sales' | 'marketing' | null;
  teamId?: number | null;
  status?: 'scheduled' | 'cancelled';
  account?: string;
  location?: string;
};

export function insertEvent(db: Db, seed: EventSeed) {
  const durationMinutes = seed.durationMinutes ?? 60;
  const rrule = seed.rrule ?? null;
  const spanStart = zonedLocalToUtc(seed.startLocal, seed.timeZone);
  const spanEnd = lastOccurrenceEnd({ rrule, firstStartLocal: seed.startLocal, timeZone: seed.timeZone, durationMinutes });
  return db
    .insert(events)
    .values({
      kind: seed.kind ?? 'sales_call',
      title: seed.title,
      hostId: seed.hostId,
      teamId: seed.teamId ?? null,
      guestDepartment: seed.guestDepartment === undefined ? 'marketing' : seed.guestDepartment,
      timeZone: seed.timeZone,
      startLocal: seed.startLocal,
      durationMinutes,
      rrule,
      spanStart,
      spanEnd,
      seats: seed.seats ?? 2,
      account: seed.account ?? null,
      location: seed.location ?? null,
      status: seed.status ?? 'scheduled',
    })
    .returning()
    .get();
}

export function insertInvitation(db: Db, eventId: number, personId: number, status: InvitationStatus, occurrenceStart: Date | null = null) {
  return db
    .insert(invitations)
    .values({ eventId, personId, status, occurrenceStart, holdsSeat: status === 'accepted', respondedAt: status === 'invited' ? null : new Date() })
    .returning()
    .get();
}

export function cancelOccurrence(db: Db, eventId: number, originalStart: Date) {
  return db.insert(eventExceptions).values({ eventId, originalStart, kind: 'cancelled' }).returning().get();
}

export function moveOccurrence(db: Db, eventId: number, originalStart: Date, start: Date, end: Date) {
  return db.insert(eventExceptions).values({ eventId, originalStart, kind: 'moved', start, end }).returning().get();
}
