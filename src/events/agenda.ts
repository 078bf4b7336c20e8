/**
 * Agendas of alignment meetings: timeboxed agenda items with owners, the decisions recorded on
 * them, and action items. Open action items carry over: every later occurrence of the same
 * meeting (including the part of a series split off by a "this and following" edit) shows them
 * until they are done.
 */
import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { actionItems, agendaItems, people } from '../../db/schema';
import type { Person } from '../context';
import { writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, forbidden, notFound } from '../lib/errors';
import { blankToUndefined, dateSchema, idSchema, isSingleLine, SINGLE_LINE_MESSAGE } from '../lib/validation';
import { recordAudit, type Actor } from '../audit/audit';
import { canManageEvent, requireEvent, type EventRow } from './event-rules';
import { requireOccurrence } from './event-occurrences';
import { lineageOf } from './events';
import { namedPlacesAt } from './schedule';

type AgendaItemRow = typeof agendaItems.$inferSelect;
type ActionItemRow = typeof actionItems.$inferSelect;

export const agendaItemInputSchema = z.object({
  title: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Enter the topic of the agenda item.').max(200),
  ownerId: z.preprocess(blankToUndefined, idSchema.optional()),
  minutes: z.preprocess(
    blankToUndefined,
    z.coerce.number().int('Minutes must be a whole number.').min(1, 'Give the item at least 1 minute.').max(240, 'At most 240 minutes.').default(10),
  ),
});
type AgendaItemInput = z.infer<typeof agendaItemInputSchema>;
export const decisionsInputSchema = z.object({ decisions: z.preprocess((v) => v ?? '', z.string().max(5000, 'At most 5000 characters.')) });
export const actionItemInputSchema = z.object({
  title: z.string().trim().refine(isSingleLine, SINGLE_LINE_MESSAGE).min(1, 'Describe the action item.').max(300),
  ownerId: idSchema,
  dueDate: z.preprocess(blankToUndefined, dateSchema.optional()),
  agendaItemId: z.preprocess(blankToUndefined, idSchema.optional()),
});

type ActionItemInput = z.infer<typeof actionItemInputSchema>;

/** Host, HR, the host's manager and everyone with a seat at the occurrence may keep its agenda. */
export function canKeepAgenda(db: Db, person: Person, event: EventRow, originalStart: Date): boolean {
  if (canManageEvent(db, person, event)) return true;
  return namedPlacesAt(db, event, originalStart).some((a) => a.personId === person.id && a.holdsSeat);
}

/** The alignment meeting whose occurrence gets a new agenda or action item, once the person may keep its agenda. */
function requireKeptAlignmentOccurrence(db: Db, person: Person, eventId: number, originalStart: Date): EventRow {
  const event = requireEvent(db, eventId);
  if (event.kind !== 'alignment_meeting') throw new AppError(409, 'not_alignment_meeting', 'Only alignment meetings have an agenda.');
  requireOccurrence(db, event, originalStart);
  assertKeeper(db, person, event, originalStart);
  return event;
}

function assertKeeper(db: Db, person: Person, event: EventRow, originalStart: Date) {
  if (!canKeepAgenda(db, person, event, originalStart)) throw forbidden('Only the host and the people attending can keep this agenda.');
}

function assertActivePerson(db: Db, personId: number, field: string) {
  const person = db.select({ id: people.id, active: people.active }).from(people).where(eq(people.id, personId)).get();
  if (!person?.active) throw new AppError(400, 'invalid', 'Choose an active person as owner.', [{ path: field, message: 'Choose an active person as owner.' }]);
}

type OccurrenceAgenda = {
  items: (AgendaItemRow & { ownerName: string | null })[];
  actionItems: (ActionItemRow & { ownerName: string })[];
  /** Open action items from earlier occurrences of this meeting that were not done by its start. */
  carriedOver: (ActionItemRow & { ownerName: string; fromOccurrence: Date })[];
  totalMinutes: number;
};

export function occurrenceAgenda(db: Db, event: EventRow, originalStart: Date): OccurrenceAgenda {
  const occurrence = requireOccurrence(db, event, originalStart);
  const items = db
    .select({ item: agendaItems, ownerName: people.name })
    .from(agendaItems)
    .leftJoin(people, eq(people.id, agendaItems.ownerId))
    .where(and(eq(agendaItems.eventId, event.id), eq(agendaItems.occurrenceStart, originalStart)))
    .orderBy(asc(agendaItems.position), asc(agendaItems.id))
    .all()
    .map((r) => ({ ...r.item, ownerName: r.ownerName }));
  const actions = db
    .select({ item: actionItems, ownerName: people.name })
    .from(actionItems)
    .innerJoin(people, eq(people.id, actionItems.ownerId))
    .where(and(eq(actionItems.eventId, event.id), eq(actionItems.occurrenceStart, originalStart)))
    .orderBy(asc(actionItems.id))
    .all()
    .map((r) => ({ ...r.item, ownerName: r.ownerName }));
  const carriedOver = db
    .select({ item: actionItems, ownerName: people.name })
    .from(actionItems)
    .innerJoin(people, eq(people.id, actionItems.ownerId))
    .where(
      and(
        inArray(actionItems.eventId, lineageOf(db, event.id)),
        lt(actionItems.occurrenceStart, originalStart),
        or(isNull(actionItems.doneAt), sql`${actionItems.doneAt} >= ${occurrence.start.getTime()}`),
      ),
    )
    .orderBy(asc(actionItems.occurrenceStart), asc(actionItems.id))
    .all()
    .map((r) => ({ ...r.item, ownerName: r.ownerName, fromOccurrence: r.item.occurrenceStart }));
  return { items, actionItems: actions, carriedOver, totalMinutes: items.reduce((sum, i) => sum + i.minutes, 0) };
}

export function addAgendaItem(db: Db, clock: Clock, actor: Actor, person: Person, eventId: number, originalStart: Date, input: AgendaItemInput): AgendaItemRow {
  return writeTransaction(db, (tx) => {
    requireKeptAlignmentOccurrence(tx, person, eventId, originalStart);
    if (input.ownerId) assertActivePerson(tx, input.ownerId, 'ownerId');
    const now = clock.now();
    const position = tx.get<{ n: number }>(
      sql`SELECT coalesce(max(position), 0) + 1 AS n FROM agenda_items WHERE event_id = ${eventId} AND occurrence_start = ${originalStart.getTime()}`,
    )!.n;
    const row = tx
      .insert(agendaItems)
      .values({ eventId, occurrenceStart: originalStart, position, title: input.title, ownerId: input.ownerId ?? null, minutes: input.minutes, updatedAt: now })
      .returning()
      .get();
    recordAudit(tx, now, actor, 'agenda_item.create', 'agenda_item', row.id, null, row);
    return row;
  });
}

function requireAgendaItem(db: Db, id: number): AgendaItemRow {
  const row = db.select().from(agendaItems).where(eq(agendaItems.id, id)).get();
  if (!row) throw notFound('No agenda item with this id.');
  return row;
}

export function recordDecisions(db: Db, clock: Clock, actor: Actor, person: Person, agendaItemId: number, decisions: string): AgendaItemRow {
  return writeTransaction(db, (tx) => {
    const before = requireAgendaItem(tx, agendaItemId);
    const event = requireEvent(tx, before.eventId);
    assertKeeper(tx, person, event, before.occurrenceStart);
    const now = clock.now();
    const after = tx.update(agendaItems).set({ decisions: decisions.trim(), updatedAt: now }).where(eq(agendaItems.id, agendaItemId)).returning().get();
    recordAudit(tx, now, actor, 'agenda_item.decisions', 'agenda_item', agendaItemId, { decisions: before.decisions }, { decisions: after.decisions });
    return after;
  });
}

export function removeAgendaItem(db: Db, clock: Clock, actor: Actor, person: Person, agendaItemId: number): AgendaItemRow {
  return writeTransaction(db, (tx) => {
    const row = requireAgendaItem(tx, agendaItemId);
    assertKeeper(tx, person, requireEvent(tx, row.eventId), row.occurrenceStart);
    tx.delete(agendaItems).where(eq(agendaItems.id, agendaItemId)).run();
    recordAudit(tx, clock.now(), actor, 'agenda_item.delete', 'agenda_item', agendaItemId, row, null);
    return row;
  });
}

export function addActionItem(db: Db, clock: Clock, actor: Actor, person: Person, eventId: number, originalStart: Date, input: ActionItemInput): ActionItemRow {
  return writeTransaction(db, (tx) => {
    requireKeptAlignmentOccurrence(tx, person, eventId, originalStart);
    assertActivePerson(tx, input.ownerId, 'ownerId');
    if (input.agendaItemId) {
      const item = requireAgendaItem(tx, input.agendaItemId);
      if (item.eventId !== eventId || item.occurrenceStart.getTime() !== originalStart.getTime()) {
        throw new AppError(400, 'invalid', 'The agenda item belongs to another meeting.', [
          { path: 'agendaItemId', message: 'Choose an item of this meeting.' },
        ]);
      }
    }
    const now = clock.now();
    const row = tx
      .insert(actionItems)
      .values({
        eventId,
        occurrenceStart: originalStart,
        agendaItemId: input.agendaItemId ?? null,
        title: input.title,
        ownerId: input.ownerId,
        dueDate: input.dueDate ?? null,
        updatedAt: now,
      })
      .returning()
      .get();
    recordAudit(tx, now, actor, 'action_item.create', 'action_item', row.id, null, row);
    return row;
  });
}

/** Marks an action item done (or open again); its owner, the host or an agenda keeper may. */
export function setActionItemDone(db: Db, clock: Clock, actor: Actor, person: Person, actionItemId: number, done: boolean): ActionItemRow {
  return writeTransaction(db, (tx) => {
    const before = tx.select().from(actionItems).where(eq(actionItems.id, actionItemId)).get();
    if (!before) throw notFound('No action item with this id.');
    const event = requireEvent(tx, before.eventId);
    if (before.ownerId !== person.id && !canKeepAgenda(tx, person, event, before.occurrenceStart)) {
      throw forbidden('Only the owner, the host and the people attending can change this action item.');
    }
    const now = clock.now();
    const after = tx
      .update(actionItems)
      .set({ doneAt: done ? now : null, doneById: done ? person.id : null, updatedAt: now })
      .where(eq(actionItems.id, actionItemId))
      .returning()
      .get();
    recordAudit(
      tx,
      now,
      actor,
      done ? 'action_item.done' : 'action_item.reopen',
      'action_item',
      actionItemId,
      { doneAt: before.doneAt },
      { doneAt: after.doneAt },
    );
    return after;
  });
}
