/** A person's rotations (as the one rotating or as mentor) as all-day entries of their calendar feed. */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import type { Person } from '../context';
import type { Db } from '../db';
import { addDaysToLocalDate } from '../lib/time';
import { rotationsForPerson } from '../rotations/index';
import type { IcsEvent } from './ics';
import { FEED_HISTORY_DAYS } from './calendar';

const ROTATIONS_AHEAD_DAYS = 2 * 366;

const rotationUid = (rotationId: number) => `rotation-${rotationId}@crosstrain`;

/**
 * Rotations overlapping the feed's window. SEQUENCE counts the rotation's recorded changes after
 * its creation, so a moved or shortened rotation replaces the old entry in subscribed calendars.
 */
export function rotationFeedEvents(db: Db, person: Pick<Person, 'id'>, options: { baseUrl: string; now: Date }): IcsEvent[] {
  const today = options.now.toISOString().slice(0, 10);
  const found = rotationsForPerson(db, person.id, addDaysToLocalDate(today, -FEED_HISTORY_DAYS), addDaysToLocalDate(today, ROTATIONS_AHEAD_DAYS));
  if (found.length === 0) return [];
  const versions = new Map(
    db
      .select({ id: auditLog.entityId, changes: sql<number>`count(*)`, last: sql<number>`max(${auditLog.at})` })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.entityType, 'rotation'),
          inArray(
            auditLog.entityId,
            found.map((r) => String(r.rotationId)),
          ),
          inArray(auditLog.action, ['rotation.create', 'rotation.change', 'rotation.cancel']),
        ),
      )
      .groupBy(auditLog.entityId)
      .all()
      .map((v) => [Number(v.id), v]),
  );
  return found.map((r) => {
    const version = versions.get(r.rotationId);
    const summary = r.role === 'person' ? `Rotation: ${r.programName} with ${r.hostTeamName}` : `Mentoring ${r.personName} (${r.programName})`;
    const lines = [r.role === 'person' ? `You join ${r.hostTeamName} for the ${r.programName} rotation.` : `You mentor ${r.personName} in ${r.hostTeamName}.`];
    if (r.role === 'person' && r.mentorName) lines.push(`Mentor: ${r.mentorName}`);
    lines.push('', `${options.baseUrl}/rotations/${r.rotationId}`);
    return {
      uid: rotationUid(r.rotationId),
      sequence: Math.max(0, (version?.changes ?? 1) - 1),
      stamp: version ? new Date(version.last) : options.now,
      summary,
      description: lines.join('\n'),
      url: `${options.baseUrl}/rotations/${r.rotationId}`,
      categories: ['Rotation'],
      status: 'CONFIRMED',
      // A rotation spans weeks; it should not mark the whole period as busy.
      transparent: true,
      timing: { kind: 'allDay', startDate: r.startDate, endDate: addDaysToLocalDate(r.endDate, 1) },
    } satisfies IcsEvent;
  });
}
