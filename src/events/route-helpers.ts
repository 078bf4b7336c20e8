/**
 * What the event pages share: path parameters and small forms, the options of their selects, and how an answer reads.
 */
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { opportunityStages, people } from '../../db/schema';
import type { Person, Viewer } from '../context';
import type { Db } from '../db';
import { AppError, notFound } from '../lib/errors';
import { blankToUndefined, pathIdSchema } from '../lib/validation';
import { formatLocal } from '../lib/time';
import { canViewPerson } from '../people/people';
import { peopleChoices } from '../people/choices';
import type { Option } from '../../views/components';
import type { UndoView } from '../../views/events/components';
import type { EventRow } from './event-rules';
import { UNDO_WINDOW_MS, type AnswerOutcome } from './invitations';
import type { Conflict } from './conflicts';
import { parseOccurrenceKey } from './recurrence';
import { safeRedirectPath } from '../lib/redirects';
import { withDepartment } from '../../views/labels';

export const idParam = z.object({ id: pathIdSchema });
export const occurrenceParam = z.object({ id: pathIdSchema, key: z.string().min(1).max(100) });
/** A ticked box or a hidden "1": the person confirmed. */
const confirmFlag = z.preprocess(blankToUndefined, z.literal('1').optional()).transform((v) => v === '1');
export const answerForm = z.object({
  status: z.enum(['accepted', 'declined', 'tentative'], { error: 'Choose accept, maybe or decline.' }),
  reason: z.preprocess(blankToUndefined, z.string().trim().max(500).optional()),
  next: z.string().max(2000).optional(),
  confirmConflicts: confirmFlag,
});
export const nextForm = z.object({ next: z.string().max(2000).optional() });
export const claimForm = z.object({ next: z.string().max(2000).optional(), confirmConflicts: confirmFlag });
export const seriesClaimForm = z.object({
  next: z.string().max(2000).optional(),
  row: z.string().max(100).optional(),
  options: confirmFlag,
  waitlist: confirmFlag,
  confirmConflicts: confirmFlag,
});
export const leaveForm = z.object({
  occurrence: z.preprocess(blankToUndefined, z.string().max(100).optional()),
  scope: z.enum(['occurrence', 'series']).default('occurrence'),
  next: z.string().max(2000).optional(),
});
export const undoForm = z.object({ ids: z.string().regex(/^\d{1,12}(,\d{1,12}){0,99}$/, 'Choose the claims to undo.'), next: z.string().max(2000).optional() });

/** The conflicts a refused join named, when the refusal was for conflicts. */
export function conflictsOf(err: unknown): Conflict[] | null {
  return err instanceof AppError && err.code === 'conflict' && Array.isArray(err.details?.conflicts) ? (err.details.conflicts as Conflict[]) : null;
}

export const undoView = (clock: { now(): Date }, zone: string, ids: number[]): UndoView | null =>
  ids.length ? { invitationIds: ids, until: formatLocal(new Date(clock.now().getTime() + UNDO_WINDOW_MS), zone).slice(11, 16) } : null;

/** Where a claim made without JavaScript shows what it did (POST, redirect, GET: a reload claims nothing twice). */
export const claimResultPath = (invitationId: number, next: string) => `/open-seats/claims/${invitationId}?next=${encodeURIComponent(next)}`;

/** Only our own paths are followed after a form post. */
export const safeNext = (next: unknown, fallback: string) => safeRedirectPath(next, fallback);

export function originalStartOf(eventId: number, key: string): Date {
  const parsed = parseOccurrenceKey(key);
  if (!parsed || parsed.eventId !== String(eventId)) throw notFound('No such occurrence of this event.');
  return parsed.originalStart;
}

export function hostName(db: Db, id: number) {
  return db.select({ name: people.name }).from(people).where(eq(people.id, id)).get()?.name ?? '';
}

/**
 * The host field of the event form, for HR and managers (null: the viewer hosts): the host chosen and the viewer,
 * then the first people `search` finds among those the viewer may make host (HR: anyone; a manager: their people).
 */
export function hostOptions(db: Db, viewer: Viewer, hostId: unknown, search: unknown): Option[] | null {
  if (viewer.person.role === 'employee') return null;
  // A posted id is named only when the viewer may see that person.
  const chosen = [viewer.person.id, Number(hostId)].filter((id) => Number.isInteger(id) && id > 0 && canViewPerson(db, viewer, id));
  return peopleChoices(db, { q: typeof search === 'string' ? search : '', viewer, chosen }).map((p) => ({ value: p.id, label: withDepartment(p) }));
}

/** Whom the invite form offers: the first people `search` finds in the guest department (anyone's, if it has none), the host left out. */
export function inviteOptions(db: Db, event: EventRow, search: string | undefined): Option[] {
  return peopleChoices(db, { q: search, viewer: null, department: event.guestDepartment, exclude: [event.hostId] }).map((p) => ({
    value: p.id,
    label: withDepartment(p),
  }));
}

export const stageOptions = opportunityStages.map((s) => ({ value: s, label: s.replace('_', ' ') }));

export function outcomeMessage(result: Pick<AnswerOutcome, 'outcome' | 'waitlistPosition'>): string {
  switch (result.outcome) {
    case 'accepted':
      return 'You are on the guest list.';
    case 'pending_approval':
      return 'Your seat is held until your manager approves the claim.';
    case 'waitlisted':
      return `It is full: you are number ${result.waitlistPosition} on the waitlist and move up when a seat frees.`;
    case 'tentative':
      return 'Answered maybe.';
    case 'declined':
      return 'Declined.';
  }
}

/** A guest of the right department may claim every upcoming occurrence of a scheduled series with seats. */
export function mayClaimSeries(event: EventRow, viewer: Person): boolean {
  return (
    !!event.rrule &&
    event.status === 'scheduled' &&
    event.hostId !== viewer.id &&
    event.seats > 0 &&
    (!event.guestDepartment || event.guestDepartment === viewer.department)
  );
}
