/**
 * Sign-offs: a manager or HR marks a sign-off requirement done for a person.
 */
import { and, eq } from 'drizzle-orm';
import { enrollments, programRequirements, signOffs } from '../../db/schema';
import type { Viewer } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { badRequest, conflict, forbidden, notFound } from '../lib/errors';
import { actorOf, recordAudit } from '../audit/audit';
import { canViewPerson } from '../people/people';
import { syncCompletions } from './tracking';

// ── sign-offs ──

/** Whether the viewer may act as this person's manager for programs (HR, or someone they report to). */
export function canManagePerson(db: Db, viewer: Viewer, personId: number) {
  if (viewer.person.role === 'hr') return true;
  return viewer.person.role === 'manager' && viewer.person.id !== personId && canViewPerson(db, viewer, personId);
}

export function signOff(db: Db, clock: Clock, viewer: Viewer, personId: number, requirementId: number, note: string) {
  if (!canManagePerson(db, viewer, personId)) throw forbidden('Only HR or the person’s manager can sign off.');
  return writeTransaction(db, (tx) => {
    const requirement = tx.select().from(programRequirements).where(eq(programRequirements.id, requirementId)).get();
    if (!requirement) throw notFound('No such requirement.');
    if (requirement.kind !== 'sign_off') throw badRequest('This requirement is not met by a sign-off.');
    const enrollment = tx
      .select()
      .from(enrollments)
      .where(and(eq(enrollments.programId, requirement.programId), eq(enrollments.personId, personId)))
      .get();
    if (!enrollment || enrollment.endedAt) throw conflict('not_enrolled', 'This person is not enrolled in the program.');
    const now = clock.now();
    const row = tx.insert(signOffs).values({ requirementId, personId, byPersonId: viewer.person.id, at: now, note }).returning().get();
    recordAudit(tx, now, actorOf(viewer), 'requirement.sign_off', 'person', personId, null, row);
    syncCompletions(tx, now, { enrollmentIds: [enrollment.id] });
    return row;
  });
}
