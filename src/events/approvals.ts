/**
 * Managers' approval of their reports' claims, and the policy that asks for it.
 */
import { and, asc, eq } from 'drizzle-orm';
import { claimApprovalPolicies, events, invitations, people } from '../../db/schema';
import type { Person } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, forbidden } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { queueMail } from '../outbox/outbox';
import { requireEvent } from './event-rules';
import { type InvitationRow, notifyPromoted, promoteWaitlist, requireInvitation, updateRow } from './invitations';

export function setClaimApprovalPolicy(db: Db, clock: Clock, actor: Actor, managerId: number, requireApproval: boolean) {
  writeTransaction(db, (tx) => {
    const now = clock.now();
    tx.insert(claimApprovalPolicies)
      .values({ managerId, requireApproval, updatedAt: now })
      .onConflictDoUpdate({ target: claimApprovalPolicies.managerId, set: { requireApproval, updatedAt: now } })
      .run();
    recordAudit(tx, now, actor, 'claim_policy.update', 'person', managerId, null, { requireApproval });
  });
}

export function claimApprovalRequired(db: Db, managerId: number): boolean {
  return !!db.select().from(claimApprovalPolicies).where(eq(claimApprovalPolicies.managerId, managerId)).get()?.requireApproval;
}

export function pendingApprovals(db: Db, manager: Person) {
  const rows = db
    .select({ invitation: invitations, personName: people.name, event: events })
    .from(invitations)
    .innerJoin(people, eq(people.id, invitations.personId))
    .innerJoin(events, eq(events.id, invitations.eventId))
    .where(and(eq(invitations.approvalStatus, 'pending'), eq(events.status, 'scheduled'), manager.role === 'hr' ? undefined : eq(people.managerId, manager.id)))
    .orderBy(asc(invitations.createdAt))
    .limit(500)
    .all();
  return rows;
}

/** The claimant's manager (or HR) approves or rejects a claim waiting for approval. */
export function decideClaim(db: Db, clock: Clock, actor: Actor, actorPerson: Person, invitationId: number, approve: boolean): InvitationRow {
  return writeTransaction(db, (tx) => {
    const row = requireInvitation(tx, invitationId);
    const claimant = tx.select().from(people).where(eq(people.id, row.personId)).get()!;
    if (actorPerson.role !== 'hr' && claimant.managerId !== actorPerson.id) throw forbidden("Only the claimant's manager or HR can decide on this claim.");
    if (row.approvalStatus !== 'pending') throw new AppError(409, 'decided', 'This claim has been decided already.');
    const event = requireEvent(tx, row.eventId);
    const now = clock.now();
    let after: InvitationRow;
    if (approve) {
      after = updateRow(tx, now, event, row, {
        approvalStatus: 'approved',
        approvalById: actorPerson.id,
        approvalAt: now,
        status: row.holdsSeat ? 'accepted' : row.status,
        updatedAt: now,
      });
    } else {
      after = updateRow(tx, now, event, row, {
        approvalStatus: 'rejected',
        approvalById: actorPerson.id,
        approvalAt: now,
        status: 'declined',
        holdsSeat: false,
        waitlistedAt: null,
        declineReason: 'Not approved by the manager.',
        updatedAt: now,
      });
      if (row.holdsSeat) notifyPromoted(tx, clock, event, promoteWaitlist(tx, now, event));
    }
    queueMail(tx, clock, {
      to: claimant.email,
      toPersonId: claimant.id,
      subject: `${approve ? 'Approved' : 'Not approved'}: ${event.title}`,
      body: approve
        ? `Your manager approved your seat claim for "${event.title}".${after.status === 'waitlisted' ? ' You are still on the waitlist.' : ''}`
        : `Your manager did not approve your seat claim for "${event.title}".`,
      dedupeKey: `claim-decision:${row.id}`,
    });
    recordAudit(tx, now, actor, approve ? 'invitation.approve' : 'invitation.reject', 'invitation', row.id, row, after);
    return after;
  });
}
