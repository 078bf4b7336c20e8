/**
 * A rotation's checklist and its mid-point and end check-ins.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { people, rotationCheckIns, rotationChecklistItems, rotationChecklistTicks } from '../../db/schema';
import type { Person } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { conflict, forbidden, notFound } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { placeSuggestion, suggestionTitleOf } from '../liaisons/liaisons';
import { addDaysToLocalDate, daysBetween } from '../lib/time';
import { midpointOf, requireRotation, todayOf } from './lifecycle';

/** The person on the rotation ticks (or unticks) a checklist item; HR may too. */
export function setChecklistItem(db: Db, clock: Clock, actor: Actor, actorPerson: Person, rotationId: number, itemId: number, done: boolean) {
  return writeTransaction(db, (tx) => {
    const row = requireRotation(tx, rotationId);
    if (actorPerson.role !== 'hr' && actorPerson.id !== row.personId) throw forbidden('Only the guest (or HR) ticks off the checklist.');
    if (row.status === 'cancelled') throw conflict('cancelled', 'This rotation was cancelled.');
    const item = tx
      .select()
      .from(rotationChecklistItems)
      .where(and(eq(rotationChecklistItems.id, itemId), eq(rotationChecklistItems.programId, row.programId)))
      .get();
    if (!item) throw notFound('No such checklist item in this rotation.');
    const existing = tx
      .select()
      .from(rotationChecklistTicks)
      .where(and(eq(rotationChecklistTicks.rotationId, rotationId), eq(rotationChecklistTicks.itemId, itemId)))
      .get();
    if (done && !existing) tx.insert(rotationChecklistTicks).values({ rotationId, itemId, doneAt: clock.now(), doneById: actorPerson.id }).run();
    if (!done && existing) tx.delete(rotationChecklistTicks).where(eq(rotationChecklistTicks.id, existing.id)).run();
    if (done !== !!existing)
      recordAudit(tx, clock.now(), actor, done ? 'rotation.checklist_tick' : 'rotation.checklist_untick', 'rotation', rotationId, null, {
        itemId,
        title: item.title,
      });
  });
}

export const checkInInputSchema = z.object({
  kind: z.enum(['midpoint', 'end'], { message: 'Choose mid-point or end.' }),
  learned: z.string().trim().min(1, 'Write what you learned.').max(4000),
  otherDepartmentShouldChange: z.string().trim().max(4000).default(''),
});
type CheckInInput = z.infer<typeof checkInInputSchema>;

/** When a check-in may be written: the mid-point one from the mid-point on, the end one in the last week. */
export function checkInOpensOn(kind: 'midpoint' | 'end', start: string, end: string): string {
  return kind === 'midpoint' ? midpointOf(start, end) : addDaysToLocalDate(end, -Math.min(6, daysBetween(start, end)));
}

/**
 * The person on the rotation or the mentor writes (or rewrites) their mid-point or end check-in. What the other
 * department should change goes to that side's liaison backlog as a suggestion (source 'check_in',
 * through the liaisons module), where field insights pick it up.
 */
export function submitCheckIn(db: Db, clock: Clock, actor: Actor, actorPerson: Person, rotationId: number, input: CheckInInput) {
  return writeTransaction(db, (tx) => {
    const row = requireRotation(tx, rotationId);
    // 'guest' is the stored author role of the person on the rotation (rotationCheckInRoles), kept for the API and old rows.
    const role = actorPerson.id === row.personId ? 'guest' : actorPerson.id === row.mentorId ? 'mentor' : null;
    if (!role) throw forbidden('Only the guest and the mentor write check-ins.');
    if (row.status === 'cancelled') throw conflict('cancelled', 'This rotation was cancelled.');
    const opens = checkInOpensOn(input.kind, row.startDate, row.endDate);
    if (todayOf(clock) < opens) throw conflict('too_early', `The ${input.kind === 'midpoint' ? 'mid-point' : 'end'} check-in opens on ${opens}.`);
    const person = tx.select({ teamId: people.teamId, name: people.name }).from(people).where(eq(people.id, row.personId)).get();
    // The person rotating speaks about the host team's side; the mentor about that person's home side.
    const suggestionTeamId = role === 'guest' ? row.hostTeamId : (person?.teamId ?? null);
    const existing = tx
      .select()
      .from(rotationCheckIns)
      .where(and(eq(rotationCheckIns.rotationId, rotationId), eq(rotationCheckIns.authorId, actorPerson.id), eq(rotationCheckIns.kind, input.kind)))
      .get();
    const values = { learned: input.learned, otherDepartmentShouldChange: input.otherDepartmentShouldChange, suggestionTeamId, updatedAt: clock.now() };
    const saved = existing
      ? tx.update(rotationCheckIns).set(values).where(eq(rotationCheckIns.id, existing.id)).returning().get()
      : tx
          .insert(rotationCheckIns)
          .values({ rotationId, authorId: actorPerson.id, authorRole: role, kind: input.kind, submittedAt: clock.now(), ...values })
          .returning()
          .get();
    if (suggestionTeamId !== null && input.otherDepartmentShouldChange) {
      const whose = role === 'guest' ? 'their own rotation' : `${person?.name ?? 'a guest'}'s rotation`;
      const detail = `From ${actorPerson.name}'s ${input.kind === 'midpoint' ? 'mid-point' : 'end'} check-in as ${role === 'guest' ? 'guest' : 'mentor'}, on ${whose} (${row.startDate} to ${row.endDate}).\n\n${input.otherDepartmentShouldChange}`;
      placeSuggestion(tx, clock, actor, {
        teamId: suggestionTeamId,
        title: suggestionTitleOf(input.otherDepartmentShouldChange),
        detail,
        source: 'check_in',
        sourceRef: `check_in:${saved.id}`,
      });
    }
    recordAudit(tx, clock.now(), actor, existing ? 'rotation.check_in_update' : 'rotation.check_in', 'rotation', rotationId, existing ?? null, saved);
    return saved;
  });
}
