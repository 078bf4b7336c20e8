/**
 * Conflict warnings for inviting and accepting: the person already has an accepted (or hosted)
 * event at that time, is away on a rotation, or the time is outside their working hours.
 * Warnings never block; they name the conflict so people can decide.
 */
import type { Person } from '../context';
import type { Db } from '../db';
import { formatLocalDate, utcToZonedParts } from '../lib/time';
import { personSchedule } from './schedule';
import { eventOccurrences, firstStartOf, requireOccurrence, type EventRow } from './events';

export type Conflict = { code: 'overlap' | 'rotation' | 'working_hours'; message: string };
export type Slot = { start: Date; end: Date };

const MAX_CONFLICTS = 5;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** 'Mon 9 Mar 09:00–10:00' in the zone. */
export function describeSlot(slot: Slot, zone: string): string {
  const s = utcToZonedParts(slot.start, zone);
  const e = utcToZonedParts(slot.end, zone);
  return `${WEEKDAYS[s.weekday]!.slice(0, 3)} ${s.day} ${MONTHS[s.month - 1]} ${hhmm(s.hour * 60 + s.minute)}–${hhmm(e.hour * 60 + e.minute)}`;
}

function workingHoursConflict(person: Person, slot: Slot): Conflict | null {
  const s = utcToZonedParts(slot.start, person.timeZone);
  const e = utcToZonedParts(slot.end, person.timeZone);
  const startMinute = s.hour * 60 + s.minute;
  const sameDay = s.year === e.year && s.month === e.month && s.day === e.day;
  const endMinute = sameDay ? e.hour * 60 + e.minute : 24 * 60;
  const hours = `${hhmm(person.workdayStartMinute)}–${hhmm(person.workdayEndMinute)}`;
  if (s.weekday === 0 || s.weekday === 6) {
    return { code: 'working_hours', message: `${describeSlot(slot, person.timeZone)} (${person.timeZone}) is on a ${WEEKDAYS[s.weekday]}, outside ${person.name}'s working week.` };
  }
  if (startMinute < person.workdayStartMinute || endMinute > person.workdayEndMinute) {
    return {
      code: 'working_hours',
      message: `${describeSlot(slot, person.timeZone)} (${person.timeZone}) is outside ${person.name}'s working hours (${hours}).`,
    };
  }
  return null;
}

const rotationTableCache = new WeakMap<object, boolean>();

/** Rotations (other than cancelled ones) of the person that cover one of the local dates. */
function rotationsCovering(db: Db, personId: number, localDates: string[]): { startDate: string; endDate: string; teamName: string | null }[] {
  let exists = rotationTableCache.get(db.$client);
  if (exists === undefined) {
    exists = !!db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rotations'").get();
    rotationTableCache.set(db.$client, exists);
  }
  if (!exists || localDates.length === 0) return [];
  const first = localDates.reduce((a, b) => (a < b ? a : b));
  const last = localDates.reduce((a, b) => (a > b ? a : b));
  const rows = db.$client
    .prepare(
      `SELECT r.start_date AS startDate, r.end_date AS endDate, t.name AS teamName FROM rotations r LEFT JOIN teams t ON t.id = r.host_team_id
       WHERE r.person_id = ? AND r.status <> 'cancelled' AND r.start_date <= ? AND r.end_date >= ?`,
    )
    .all(personId, last, first) as { startDate: string; endDate: string; teamName: string | null }[];
  return rows.filter((r) => localDates.some((d) => d >= r.startDate && d <= r.endDate));
}

/**
 * What stands in the way of `person` joining at these times. `ignoreEventId` leaves out the event
 * being answered, so accepting does not conflict with one's own invitation.
 */
export function findConflicts(db: Db, person: Person, slots: Slot[], ignoreEventId?: number): Conflict[] {
  if (slots.length === 0) return [];
  const conflicts: Conflict[] = [];
  const from = new Date(Math.min(...slots.map((s) => s.start.getTime())));
  const to = new Date(Math.max(...slots.map((s) => s.end.getTime())));
  const busy = personSchedule(db, person.id, from, to).filter(
    (entry) => entry.event.id !== ignoreEventId && (entry.role === 'host' || entry.answer === 'accepted'),
  );
  for (const slot of slots) {
    for (const entry of busy) {
      const overlaps = entry.occurrence.start < slot.end && entry.occurrence.end > slot.start;
      if (overlaps) {
        conflicts.push({
          code: 'overlap',
          message: `${person.name} already ${entry.role === 'host' ? 'hosts' : 'has'} "${entry.event.title}" at ${describeSlot(entry.occurrence, person.timeZone)} (${person.timeZone}).`,
        });
      }
    }
  }
  for (const rotation of rotationsCovering(db, person.id, slots.map((s) => formatLocalDate(s.start, person.timeZone)))) {
    conflicts.push({
      code: 'rotation',
      message: `${person.name} is away on a rotation${rotation.teamName ? ` with ${rotation.teamName}` : ''} from ${rotation.startDate} to ${rotation.endDate}.`,
    });
  }
  for (const slot of slots) {
    const conflict = workingHoursConflict(person, slot);
    if (conflict) conflicts.push(conflict);
  }
  const unique = [...new Map(conflicts.map((c) => [c.message, c])).values()];
  return unique.slice(0, MAX_CONFLICTS);
}

/**
 * Conflicts for one place: a single occurrence, or the next few occurrences (up to five in the
 * coming 60 days) when the whole series is meant.
 */
export function conflictsForPlace(db: Db, now: Date, person: Person, event: EventRow, originalStart: Date | null): Conflict[] {
  let slots: Slot[];
  if (originalStart !== null || !event.rrule) {
    const occurrence = requireOccurrence(db, event, originalStart ?? firstStartOf(event));
    slots = occurrence.cancelled ? [] : [occurrence];
  } else {
    slots = eventOccurrences(db, event, now, new Date(now.getTime() + 60 * 86_400_000)).slice(0, 5);
  }
  return findConflicts(db, person, slots, event.id);
}
