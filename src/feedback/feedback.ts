/**
 * Field feedback: after a ride-along (an occurrence of a sales call that a marketer joined), the
 * marketing guests and the host each report competitors met, the outcome, the sales material used
 * with a 1–5 rating and what marketing should change.
 */
import { and, desc, eq, sql, type AnyColumn, type SQL, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';
import {
  attendance,
  events,
  feedback,
  feedbackCompetitors,
  feedbackMaterials,
  feedbackOutcomes,
  lossReasons,
  people,
  suggestions,
  type FeedbackRole,
  type LossReason,
  type SuggestionStatus,
} from '../../db/schema';
import type { Person, Viewer } from '../context';
import { plannedLimit, preparedQueries, preparedQuery, writeTransaction, type Db } from '../db';
import type { Clock } from '../lib/clock';
import { AppError, forbidden, notFound } from '../lib/errors';
import { recordAudit, type Actor } from '../audit/audit';
import { canViewPerson, fewVisiblePersonIds } from '../people/people';
import {
  parseOccurrenceKey,
  requireOccurrence,
  type EventOccurrence,
  type EventRow,
  heldSince,
  occurrencesInWindow,
  placeKey,
  placeOf,
  placesAt,
  type PlaceKey,
} from '../events';
import { placeSuggestion, suggestionTitleOf, withdrawSuggestion } from '../liaisons/liaisons';
import { keepNames } from './names';
import { keptFeedbackCount } from './feedback-due';
import { readInChunks } from '../lib/chunks';

export type FeedbackRow = typeof feedback.$inferSelect;

/** How long after a ride-along its participants are still asked for feedback. */
const FEEDBACK_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
const MAX_COMPETITORS = 10;
const MAX_MATERIALS = 5;

export const LOSS_REASON_LABELS: Record<LossReason, string> = {
  price: 'Price',
  missing_feature: 'Missing feature',
  competitor: 'Competitor preferred',
  timing: 'Timing / budget',
  no_decision: 'No decision',
  other: 'Other',
};

const nameSchema = (what: string) => z.string().trim().min(1, `Enter the ${what}'s name.`).max(80, `Keep the ${what}'s name under 80 characters.`);

/** The report itself, as both the form (after parsing) and the API send it. */
export const feedbackInputSchema = z
  .object({
    occurrenceId: z.string().trim().min(1, 'Choose the ride-along.').max(120),
    competitors: z.array(nameSchema('competitor')).max(MAX_COMPETITORS, `Name at most ${MAX_COMPETITORS} competitors.`).default([]),
    outcome: z.enum(feedbackOutcomes, { message: 'Choose the outcome: won, lost or open.' }),
    lossReason: z.enum(lossReasons, { message: 'Choose why the deal was lost.' }).nullish(),
    lossDetail: z.string().trim().max(500, 'Keep the detail under 500 characters.').default(''),
    materials: z
      .array(
        z
          .object({ name: nameSchema('material'), rating: z.number().int('Rate from 1 to 5.').min(1, 'Rate from 1 to 5.').max(5, 'Rate from 1 to 5.') })
          .strict(),
      )
      .max(MAX_MATERIALS, `Rate at most ${MAX_MATERIALS} pieces of material.`)
      .default([]),
    suggestion: z.string().trim().max(2000, 'Keep the suggestion under 2000 characters.').default(''),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.outcome === 'lost' && !v.lossReason) ctx.addIssue({ code: 'custom', path: ['lossReason'], message: 'Choose why the deal was lost.' });
    if (v.outcome !== 'lost' && v.lossReason)
      ctx.addIssue({ code: 'custom', path: ['lossReason'], message: 'A loss reason only goes with the outcome "lost".' });
    const keys = v.materials.map((m) => keyOf(m.name));
    if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', path: ['materials'], message: 'Name each piece of material once.' });
  });
export type FeedbackInput = z.infer<typeof feedbackInputSchema>;

/** Grouping key of a competitor or material name: case and spacing do not make a new one. */
const keyOf = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

type RideAlong = {
  event: EventRow;
  occurrence: EventOccurrence;
  hostId: number;
  /** Marketing guests who accepted (or were marked attended) and were not marked as no-show. */
  guestIds: number[];
};

type Attendance = { eventId: number; occurrenceStart: Date; personId: number; status: 'attended' | 'no_show' };

/**
 * Everything needed to tell the guests of any occurrence of the given events, in four queries:
 * their invitation rows, attendance, and which of those people are marketers.
 */
/** guestFacts' reads of a list of events and of people (:ids, a JSON array), prepared once per database. */
const guestFactQueries = preparedQuery((db) => {
  const ids = sql`(SELECT value FROM json_each(${sql.placeholder('ids')}))`;
  return {
    marked: db
      .select({ eventId: attendance.eventId, occurrenceStart: attendance.occurrenceStart, personId: attendance.personId, status: attendance.status })
      .from(attendance)
      .where(sql`${attendance.eventId} IN ${ids}`)
      .prepare(),
    marketers: db
      .select({ id: people.id })
      .from(people)
      .where(and(sql`${people.id} IN ${ids}`, eq(people.department, 'marketing')))
      .prepare(),
  };
});

function guestFacts(db: Db, eventIds: number[], at: PlaceKey[]) {
  const places = placesAt(db, at);
  const queries = guestFactQueries(db);
  const marked: Attendance[] = readInChunks(eventIds, (chunk) => queries.marked.all({ ids: JSON.stringify(chunk) }));
  const personIds = [...new Set([...[...places.values()].flat().map((r) => r.personId), ...marked.map((a) => a.personId)])];
  const marketers = new Set(readInChunks(personIds, (chunk) => queries.marketers.all({ ids: JSON.stringify(chunk) }).map((p) => p.id)));
  return { places, marked, marketers };
}

function rideAlongFrom(event: EventRow, occurrence: EventOccurrence, facts: ReturnType<typeof guestFacts>): RideAlong | null {
  if (event.kind !== 'sales_call' || occurrence.cancelled) return null;
  const place = placeOf(event, occurrence);
  const rows = facts.places.get(placeKey(place)) ?? [];
  const marked = facts.marked.filter((a) => a.eventId === event.id && a.occurrenceStart.getTime() === occurrence.originalStart.getTime());
  // Accepted, or marked as attended by the host even without an answer; a no-show is not a guest.
  const noShows = new Set(marked.filter((a) => a.status === 'no_show').map((a) => a.personId));
  const joined = new Set([
    ...rows.filter((r) => r.status === 'accepted').map((r) => r.personId),
    ...marked.filter((a) => a.status === 'attended').map((a) => a.personId),
  ]);
  const guestIds = [...joined].filter((id) => id !== event.hostId && !noShows.has(id) && facts.marketers.has(id)).sort((a, b) => a - b);
  return guestIds.length ? { event, occurrence, hostId: event.hostId, guestIds } : null;
}

/** A sales call occurrence with the marketers who joined it; null when it is not a ride-along. */
function rideAlongAt(db: Db, event: EventRow, occurrence: EventOccurrence): RideAlong | null {
  if (event.kind !== 'sales_call' || occurrence.cancelled) return null;
  return rideAlongFrom(event, occurrence, guestFacts(db, [event.id], [placeOf(event, occurrence)]));
}

/** The ride-alongs among the given events' occurrences that ended in (from, to], oldest first. */
export function rideAlongsEndedBetween(db: Db, candidates: EventRow[], from: Date, to: Date): RideAlong[] {
  const calls = candidates.filter((e) => e.kind === 'sales_call');
  if (calls.length === 0) return [];
  const ids = calls.map((e) => e.id);
  const byEvent = occurrencesInWindow(db, calls, from, to);
  const ended = calls.flatMap((event) =>
    (byEvent.get(event.id) ?? [])
      .filter((o) => o.end.getTime() <= to.getTime() && o.end.getTime() > from.getTime())
      .map(({ seatsTaken: _seats, ...occurrence }) => ({ event, occurrence })),
  );
  const facts = guestFacts(
    db,
    ids,
    ended.map(({ event, occurrence }) => placeOf(event, occurrence)),
  );
  const rides: RideAlong[] = [];
  for (const { event, occurrence } of ended) {
    const ride = rideAlongFrom(event, occurrence, facts);
    if (ride) rides.push(ride);
  }
  return rides.sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime() || a.event.id - b.event.id);
}

/** The ride-along an occurrence id names; 404 when there is no such occurrence or it is not a ride-along. */
export function requireRideAlong(db: Db, occurrenceId: string): RideAlong {
  const parsed = parseOccurrenceKey(occurrenceId);
  const eventId = parsed ? Number(parsed.eventId) : NaN;
  if (!parsed || !Number.isInteger(eventId) || eventId <= 0) throw notFound('No such ride-along.');
  const event = db.select().from(events).where(eq(events.id, eventId)).get();
  if (!event) throw notFound('No such ride-along.');
  const occurrence = requireOccurrence(db, event, parsed.originalStart);
  const ride = rideAlongAt(db, event, occurrence);
  if (!ride) throw notFound('This occurrence is not a ride-along: feedback is for sales calls a marketer joined.');
  return ride;
}

export function roleIn(ride: RideAlong, personId: number): FeedbackRole | null {
  if (ride.hostId === personId) return 'host';
  return ride.guestIds.includes(personId) ? 'guest' : null;
}

export type FeedbackWithDetails = FeedbackRow & {
  competitors: string[];
  materials: { name: string; rating: number }[];
  authorName: string;
  eventTitle: string;
  account: string | null;
  /** The report's suggestion in the liaison backlog, where its state lives; null without a suggestion. */
  backlogItem: { id: number; status: SuggestionStatus; teamId: number | null } | null;
};

/** The backlog's source reference of a report's suggestion. */
const feedbackSourceRef = (feedbackId: number) => `feedback:${feedbackId}`;

/** The competitors, materials and backlog items of some reports (:ids, a JSON array of their ids). */
const detailsQueries = preparedQuery((db) => {
  const ids = sql`(SELECT value FROM json_each(${sql.placeholder('ids')}))`;
  return {
    competitors: db.select().from(feedbackCompetitors).where(sql`${feedbackCompetitors.feedbackId} IN ${ids}`).orderBy(feedbackCompetitors.id).prepare(),
    materials: db.select().from(feedbackMaterials).where(sql`${feedbackMaterials.feedbackId} IN ${ids}`).orderBy(feedbackMaterials.id).prepare(),
    items: db
      .select({ id: suggestions.id, status: suggestions.status, teamId: suggestions.teamId, sourceRef: suggestions.sourceRef })
      .from(suggestions)
      .where(sql`${suggestions.sourceRef} IN (SELECT 'feedback:' || value FROM json_each(${sql.placeholder('ids')}))`)
      .prepare(),
  };
});

function withDetails(db: Db, rows: (FeedbackRow & { authorName: string; eventTitle: string; account: string | null })[]): FeedbackWithDetails[] {
  if (rows.length === 0) return [];
  const values = { ids: JSON.stringify(rows.map((r) => r.id)) };
  const queries = detailsQueries(db);
  const competitors = queries.competitors.all(values);
  const materials = queries.materials.all(values);
  const items = new Map(queries.items.all(values).map(({ sourceRef, ...item }) => [sourceRef, item]));
  return rows.map((r) => ({
    ...r,
    competitors: competitors.filter((c) => c.feedbackId === r.id).map((c) => c.name),
    materials: materials.filter((m) => m.feedbackId === r.id).map((m) => ({ name: m.name, rating: m.rating })),
    backlogItem: items.get(feedbackSourceRef(r.id)) ?? null,
  }));
}

const feedbackColumns = { row: feedback, authorName: people.name, eventTitle: events.title, account: events.account };

function selectFeedback(db: Db, where: SQL | undefined, limit: number, offset = 0) {
  return db
    .select(feedbackColumns)
    .from(feedback)
    .innerJoin(people, eq(people.id, feedback.authorId))
    .innerJoin(events, eq(events.id, feedback.eventId))
    .where(where)
    .orderBy(desc(feedback.occurredAt), desc(feedback.id))
    .limit(limit)
    .offset(offset)
    .all()
    .map((r) => ({ ...r.row, authorName: r.authorName, eventTitle: r.eventTitle, account: r.account }));
}

export function findFeedback(db: Db, eventId: number, originalStart: Date, authorId: number): FeedbackWithDetails | null {
  const rows = selectFeedback(db, and(eq(feedback.eventId, eventId), eq(feedback.occurrenceStart, originalStart), eq(feedback.authorId, authorId)), 1);
  return withDetails(db, rows)[0] ?? null;
}

/** Who may read one report: its author, HR, and managers above the author. */
function canReadFeedback(db: Db, viewer: Viewer, row: Pick<FeedbackRow, 'authorId'>): boolean {
  return canViewPerson(db, viewer, row.authorId);
}

/** Up to this many people in view, a manager's feedback is found by its authors; a department's head's is asked of the chain. */
const LISTED_AUTHORS = 2_000;

export function getFeedback(db: Db, viewer: Viewer, id: number): FeedbackWithDetails {
  const [row] = withDetails(db, selectFeedback(db, eq(feedback.id, id), 1));
  if (!row) throw notFound('No such feedback.');
  if (!canReadFeedback(db, viewer, row)) throw forbidden('Feedback can be read by its author, their managers and HR.');
  return row;
}

type FeedbackListFilter = { authorId?: number; from?: Date; to?: Date; page: number; pageSize: number };

/**
 * listFeedback's page and count, one statement each per set of filters ('v' visible people listed, 'c' those below the
 * viewer in the kept chain, 'a' author, 'f' from, 't' to); values are placeholders.
 */
const feedbackListQueries = preparedQueries((db: Db, shape: string) => {
  const where = and(
    shape.includes('v') ? sql`${feedback.authorId} IN (SELECT value FROM json_each(${sql.placeholder('visible')}))` : undefined,
    shape.includes('c')
      ? sql`EXISTS (SELECT 1 FROM reporting_chain WHERE ancestor_id = ${sql.placeholder('viewerId')} AND descendant_id = ${feedback.authorId})`
      : undefined,
    shape.includes('a') ? eq(feedback.authorId, sql.placeholder('authorId')) : undefined,
    shape.includes('f') ? sql`${feedback.occurredAt} >= ${sql.placeholder('from')}` : undefined,
    shape.includes('t') ? sql`${feedback.occurredAt} < ${sql.placeholder('to')}` : undefined,
  );
  return {
    rows: db
      .select(feedbackColumns)
      .from(feedback)
      .innerJoin(people, eq(people.id, feedback.authorId))
      .innerJoin(events, eq(events.id, feedback.eventId))
      .where(where)
      .orderBy(desc(feedback.occurredAt), desc(feedback.id))
      .limit(plannedLimit('limit'))
      .offset(plannedLimit('offset'))
      .prepare(),
    total: db.select({ n: sql<number>`count(*)` }).from(feedback).where(where).prepare(),
  };
});

/** Reports the viewer may read, newest ride-along first. */
export function listFeedback(db: Db, viewer: Viewer, filter: FeedbackListFilter) {
  if (filter.authorId !== undefined && !canViewPerson(db, viewer, filter.authorId)) {
    throw forbidden('You can list your own feedback and that of the people who report to you.');
  }
  const everyone = viewer.person.role === 'hr';
  // A manager's few people are listed; a department's head's tens of thousands are asked of the chain row by row.
  const visible = everyone ? undefined : fewVisiblePersonIds(db, viewer, LISTED_AUTHORS);
  const viewing = everyone ? '' : visible ? 'v' : 'c';
  const shape = [viewing, filter.authorId === undefined ? '' : 'a', filter.from ? 'f' : '', filter.to ? 't' : ''].join('');
  const values = {
    visible: JSON.stringify(visible ?? []),
    viewerId: viewer.person.id,
    authorId: filter.authorId ?? null,
    from: filter.from?.getTime() ?? null,
    to: filter.to?.getTime() ?? null,
  };
  const queries = feedbackListQueries(db, shape);
  const rows = queries.rows
    .all({ ...values, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize })
    .map((r) => ({ ...r.row, authorName: r.authorName, eventTitle: r.eventTitle, account: r.account }));
  const total = queries.total.get(values)?.n ?? 0;
  return { rows: withDetails(db, rows), total, page: filter.page, pageSize: filter.pageSize };
}

/**
 * The author (the host or a marketing guest of the ride-along) reports, once the occurrence has
 * ended; sending again replaces their earlier report.
 */
export function submitFeedback(db: Db, clock: Clock, actor: Actor, author: Person, input: FeedbackInput): { item: FeedbackWithDetails; created: boolean } {
  const now = clock.now();
  const { id, created } = writeTransaction(db, (tx) => {
    const ride = requireRideAlong(tx, input.occurrenceId);
    const role = roleIn(ride, author.id);
    if (!role) throw forbidden('Only the host and the marketers who joined this ride-along give feedback on it.');
    if (ride.occurrence.end.getTime() > now.getTime()) throw new AppError(409, 'not_ended', 'Feedback opens when the ride-along has ended.');
    const host = tx.select({ teamId: people.teamId }).from(people).where(eq(people.id, ride.hostId)).get();
    const values = {
      outcome: input.outcome,
      lossReason: input.outcome === 'lost' ? (input.lossReason ?? null) : null,
      lossDetail: input.outcome === 'lost' ? input.lossDetail : '',
      suggestion: input.suggestion,
      occurredAt: ride.occurrence.start,
      authorRole: role,
      authorTeamId: author.teamId,
      hostTeamId: ride.event.teamId ?? host?.teamId ?? null,
    };
    const before = tx
      .select()
      .from(feedback)
      .where(and(eq(feedback.eventId, ride.event.id), eq(feedback.occurrenceStart, ride.occurrence.originalStart), eq(feedback.authorId, author.id)))
      .get();
    let row: FeedbackRow;
    if (before) {
      row = tx
        .update(feedback)
        .set({ ...values, updatedAt: now })
        .where(eq(feedback.id, before.id))
        .returning()
        .get();
      tx.delete(feedbackCompetitors).where(eq(feedbackCompetitors.feedbackId, row.id)).run();
      tx.delete(feedbackMaterials).where(eq(feedbackMaterials.feedbackId, row.id)).run();
    } else {
      row = tx
        .insert(feedback)
        .values({ ...values, eventId: ride.event.id, occurrenceStart: ride.occurrence.originalStart, authorId: author.id, submittedAt: now })
        .returning()
        .get();
    }
    // Names are kept lists (./names): a name merged into another counts once with it.
    const competitorNames = keepNames(tx, clock, 'competitor', input.competitors);
    const competitors = new Map<string, string>();
    for (const name of input.competitors) {
      const key = keyOf(name);
      const kept = competitorNames.get(key)!;
      if (competitors.has(key)) continue;
      // Two names of one competitor in a report stay as written; aggregates count the report once.
      competitors.set(key, name.trim().replace(/\s+/g, ' '));
      tx.insert(feedbackCompetitors)
        .values({ feedbackId: row.id, key, name: competitors.get(key)!, nameId: kept.id })
        .run();
    }
    const materialNames = keepNames(
      tx,
      clock,
      'material',
      input.materials.map((m) => m.name),
    );
    const ratedMaterials = new Set<number>();
    input.materials.forEach((m, index) => {
      const kept = materialNames.get(keyOf(m.name))!;
      if (ratedMaterials.has(kept.canonicalId)) {
        throw new AppError(400, 'invalid', 'Name each piece of material once: two of these names are one material.', [
          { path: `materials.${index}.name`, message: `${m.name} is another name of material you rated already.` },
        ]);
      }
      ratedMaterials.add(kept.canonicalId);
      tx.insert(feedbackMaterials)
        .values({ feedbackId: row.id, key: keyOf(m.name), name: m.name.trim().replace(/\s+/g, ' '), rating: m.rating, nameId: kept.id })
        .run();
    });
    recordAudit(tx, now, actor, before ? 'feedback.update' : 'feedback.submit', 'feedback', row.id, before ?? null, {
      ...row,
      competitors: [...competitors.values()],
      materials: input.materials,
    });
    // The suggestion goes to the liaison backlog with the report; an unchanged one keeps its state there.
    if (!before || before.suggestion !== row.suggestion) {
      if (row.suggestion) placeFeedbackSuggestion(tx, clock, actor, row);
      else withdrawSuggestion(tx, clock, actor, feedbackSourceRef(row.id));
    }
    return { id: row.id, created: !before };
  });
  return { item: withDetails(db, selectFeedback(db, eq(feedback.id, id), 1))[0]!, created };
}

export type PendingFeedback = {
  occurrenceId: string;
  eventId: number;
  title: string;
  account: string | null;
  start: Date;
  end: Date;
  role: FeedbackRole;
};

/** pendingFeedback's reads: the ride-alongs a marketer joined ('joined') or anyone else hosted ('hosted'), and the reports already given. */
const pendingQueries = preparedQueries((db: Db, shape: 'joined' | 'hosted') => {
  const [person, now, from] = [sql.placeholder('person'), sql.placeholder('now'), sql.placeholder('from')];
  return {
    candidates: db
      .select()
      .from(events)
      .where(
        and(
          eq(events.kind, 'sales_call'),
          heldSince(from),
          sql`${events.spanStart} < ${now}`,
          sql`(${events.spanEnd} IS NULL OR ${events.spanEnd} > ${from})`,
          shape === 'joined'
            ? sql`(${events.id} IN (SELECT event_id FROM invitations WHERE person_id = ${person} AND status = 'accepted')
                 OR ${events.id} IN (SELECT event_id FROM attendance WHERE person_id = ${person} AND status = 'attended'))`
            : sql`${events.hostId} = ${person} AND (EXISTS (SELECT 1 FROM invitations i WHERE i.event_id = ${events.id} AND i.status = 'accepted')
                 OR EXISTS (SELECT 1 FROM attendance a WHERE a.event_id = ${events.id} AND a.status = 'attended'))`,
        ),
      )
      .limit(500)
      .prepare(),
    given: db
      .select({ eventId: feedback.eventId, occurrenceStart: feedback.occurrenceStart })
      .from(feedback)
      .where(and(eq(feedback.authorId, person), sql`${feedback.eventId} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`))
      .prepare(),
  };
});

/**
 * Ride-alongs of the last FEEDBACK_WINDOW_DAYS the person hosted or joined as a marketing guest
 * and has not reported on yet, most recent first.
 */
export function pendingFeedback(db: Db, person: Pick<Person, 'id' | 'department'>, now: Date): PendingFeedback[] {
  const from = new Date(now.getTime() - FEEDBACK_WINDOW_DAYS * DAY_MS);
  const queries = pendingQueries(db, person.department === 'marketing' ? 'joined' : 'hosted');
  const candidates = queries.candidates.all({ person: person.id, now: now.getTime(), from: from.getTime() });
  if (candidates.length === 0) return [];
  const given = new Set(
    queries.given.all({ person: person.id, ids: JSON.stringify(candidates.map((e) => e.id)) }).map((f) => `${f.eventId}:${f.occurrenceStart.getTime()}`),
  );
  const pending: PendingFeedback[] = [];
  for (const ride of rideAlongsEndedBetween(db, candidates, from, now)) {
    const { event, occurrence } = ride;
    if (given.has(`${event.id}:${occurrence.originalStart.getTime()}`)) continue;
    const role = roleIn(ride, person.id);
    if (!role) continue;
    pending.push({
      occurrenceId: occurrence.key,
      eventId: event.id,
      title: event.title,
      account: event.account,
      start: occurrence.start,
      end: occurrence.end,
      role,
    });
  }
  return pending.sort((a, b) => b.start.getTime() - a.start.getTime());
}

/** The navigation's count of `pendingFeedback`, read from the kept rows (feedback-due.ts): one index range read. */
export const pendingFeedbackCount = (person: AnyColumn, now: SQLWrapper) => keptFeedbackCount(person, now, sql`${now} - ${FEEDBACK_WINDOW_DAYS * DAY_MS}`);

/**
 * Places a report's suggestion in the backlog of the liaison of the host's sales team (unassigned while
 * the team has none). Joins the caller's write transaction: `submitFeedback` calls it for every report
 * it writes with a suggestion.
 */
export function placeFeedbackSuggestion(db: Db, clock: Clock, actor: Actor, row: FeedbackRow) {
  const text = row.suggestion.trim();
  const context = db
    .select({ authorName: people.name, eventTitle: events.title, account: events.account })
    .from(feedback)
    .innerJoin(people, eq(people.id, feedback.authorId))
    .innerJoin(events, eq(events.id, feedback.eventId))
    .where(eq(feedback.id, row.id))
    .get();
  const title = suggestionTitleOf(text);
  const from = context
    ? `From ${context.authorName}'s feedback as ${row.authorRole} on the ride-along "${context.eventTitle}"${context.account ? ` (${context.account})` : ''}.`
    : '';
  return placeSuggestion(db, clock, actor, {
    teamId: row.hostTeamId,
    title,
    detail: [text === title ? '' : text, from].filter(Boolean).join('\n\n'),
    source: 'feedback',
    sourceRef: feedbackSourceRef(row.id),
  });
}
