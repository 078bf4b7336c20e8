/**
 * Who may read a guest's answer in detail. A claim waiting for a manager's approval and the reason
 * given for declining say something about the guest and their manager, so they are shown only to
 * the people they concern: the guest, the host (and whoever may manage the event: the host's
 * managers), the guest's managers and HR. Everyone else sees who is coming and counts.
 */
import type { Person } from '../context';
import type { Db } from '../db';
import { isBelow } from '../people/people';
import type { EventRow } from './event-rules';
import type { NamedPlace } from './schedule';

/** Answers whether the viewer may read `personId`'s answer at `event` in detail. */
export type AnswerAudience = (personId: number) => boolean;

export function answerAudience(db: Db, viewer: Person, event: Pick<EventRow, 'hostId'>): AnswerAudience {
  if (viewer.role === 'hr' || viewer.id === event.hostId) return () => true;
  if (viewer.role === 'manager') {
    // The host's managers may manage the event (canManageEvent), so they read every answer there.
    if (isBelow(db, viewer.id, event.hostId)) return () => true;
    // One seek in the kept chain per guest asked: a department's head has tens of thousands below, never listed.
    const below = new Map<number, boolean>();
    return (personId) => {
      if (personId === viewer.id) return true;
      let yes = below.get(personId);
      if (yes === undefined) below.set(personId, (yes = isBelow(db, viewer.id, personId)));
      return yes;
    };
  }
  return (personId) => personId === viewer.id;
}

/** Guests nobody told the viewer about in detail: only how many stand where. */
type HiddenAnswerCounts = { waitlisted: number; unconfirmed: number; declined: number };

/** An attendee is confirmed once they hold a seat that no approval is waiting on. */
const confirmed = (a: Pick<NamedPlace, 'holdsSeat' | 'approvalPending' | 'status'>) => a.holdsSeat && !a.approvalPending && a.status === 'accepted';

/**
 * The attendee list as the viewer may see it: every answer they are concerned with in full;
 * of the others, the names of confirmed guests and counts of the rest (waitlisted, not yet
 * confirmed — invited, tentative or waiting for approval — and declined), never a reason or an
 * approval state.
 */
export function attendeesFor<A extends Pick<NamedPlace, 'personId' | 'status' | 'holdsSeat' | 'approvalPending' | 'declineReason'>>(
  attendees: A[],
  concerns: AnswerAudience,
): { shown: A[]; hidden: HiddenAnswerCounts } {
  const shown: A[] = [];
  const hidden: HiddenAnswerCounts = { waitlisted: 0, unconfirmed: 0, declined: 0 };
  for (const a of attendees) {
    if (concerns(a.personId)) shown.push(a);
    else if (confirmed(a)) shown.push({ ...a, declineReason: null, approvalPending: false });
    else if (a.status === 'waitlisted') hidden.waitlisted++;
    else if (a.status === 'declined') hidden.declined++;
    else hidden.unconfirmed++;
  }
  return { shown, hidden };
}

/** An invitation row for a reader it does not concern: no approval state, no decline reason. */
export function redactAnswer<R extends { personId: number; declineReason: string | null; approvalStatus: string | null }>(row: R, concerns: AnswerAudience): R {
  return concerns(row.personId) ? row : { ...row, declineReason: null, approvalStatus: null };
}
