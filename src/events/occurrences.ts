/**
 * Occurrences as rows. Every occurrence overlapping [start of its event, horizon) is stored with its
 * instants, whether it is cancelled, and the seats taken there, so the pages read them with indexed
 * range queries instead of expanding rules and counting seats per view.
 *
 * Kept current without any write path knowing: triggers (db/migrations/0009) note every change to
 * events, exceptions and invitations in `occurrence_changes`, and every writeTransaction runs
 * `applyOccurrenceChanges` before it commits (registered below with beforeEveryCommit), which
 * rebuilds the events whose timing changed and recounts the seats where answers changed. The horizon moves forward once a day
 * (`extendOccurrenceHorizon`, a background job); windows past it are expanded from the rule within
 * the request's bounded window (`occurrencesInWindow` falls back by itself).
 */
import { sql } from 'drizzle-orm';
import { eventExceptions, events, type occurrences } from '../../db/schema';
import { beforeEveryCommit, preparedQuery, type Db } from '../db';
import { LONGEST_OCCURRENCE_MS, expandEvent, type EventOccurrence } from './expand';
import { atOccurrence, seatsTakenSql } from './places';
import { MAX_EXPANSION_WINDOW_MS, occurrenceKey } from './recurrence';

type EventRow = typeof events.$inferSelect;
type ExceptionRow = typeof eventExceptions.$inferSelect;

/** How far ahead occurrences are stored: 13 months. */
export const HORIZON_MS = 396 * 86_400_000;
const BUILD_BATCH = 250;

type StoredOccurrence = EventOccurrence & { seatsTaken: number };

// ── statements ────────────────────────────────────────────────────────────

/** A stored row's columns as OccurrenceColumns names them, for fromColumns (every read of whole rows selects these). */
const OCCURRENCE_COLUMNS =
  'o.event_id AS eventId, o.original_start AS originalStart, o.start, o."end", o.is_moved AS isMoved, o.cancelled, o.seats_taken AS seatsTaken';

const q = {
  horizon: preparedQuery((db) =>
    db.$client.prepare<[], { until: number; building: number | null }>('SELECT until, building FROM occurrence_horizon WHERE id = 1'),
  ),
  setHorizon: preparedQuery((db) =>
    db.$client.prepare<{ until: number; building: number | null }>(
      'INSERT INTO occurrence_horizon (id, until, building) VALUES (1, @until, @building) ON CONFLICT (id) DO UPDATE SET until = excluded.until, building = excluded.building',
    ),
  ),
  changes: preparedQuery((db) =>
    db.$client.prepare<[], { eventId: number; kind: 'timing' | 'seats'; start: number | null; startsAfter: number | null }>(
      'SELECT DISTINCT event_id AS eventId, kind, original_start AS start, starts_after AS startsAfter FROM occurrence_changes',
    ),
  ),
  clearChanges: preparedQuery((db) => db.$client.prepare('DELETE FROM occurrence_changes')),
  event: preparedQuery((db) =>
    db
      .select()
      .from(events)
      .where(sql`${events.id} = ${sql.placeholder('id')}`)
      .prepare(),
  ),
  exceptions: preparedQuery((db) =>
    db
      .select()
      .from(eventExceptions)
      .where(sql`${eventExceptions.eventId} = ${sql.placeholder('id')}`)
      .prepare(),
  ),
  deleteOf: preparedQuery((db) => db.$client.prepare<[number]>('DELETE FROM occurrences WHERE event_id = ?')),
  insert: preparedQuery((db) =>
    db.$client.prepare<[number, number, number, number, number, number]>(
      'INSERT OR REPLACE INTO occurrences (event_id, original_start, start, "end", is_moved, cancelled, seats_taken) VALUES (?, ?, ?, ?, ?, ?, 0)',
    ),
  ),
  // `= +?` keeps the recounts' plans (see eqPlanned).
  recountEvent: preparedQuery((db) => db.$client.prepare<[number]>(`UPDATE occurrences SET seats_taken = ${seatsTakenSql('occurrences')} WHERE event_id = +?`)),
  recountOne: preparedQuery((db) =>
    db.$client.prepare<[number, number]>(`UPDATE occurrences SET seats_taken = ${seatsTakenSql('occurrences')} WHERE event_id = +? AND original_start = +?`),
  ),
  recountFrom: preparedQuery((db) =>
    db.$client.prepare<[number, number]>(`UPDATE occurrences SET seats_taken = ${seatsTakenSql('occurrences')} WHERE event_id = +? AND start >= +?`),
  ),
  recountAfter: preparedQuery((db) =>
    db.$client.prepare<[number, number]>(`UPDATE occurrences SET seats_taken = ${seatsTakenSql('occurrences')} WHERE event_id = +? AND start > +?`),
  ),
  // `+` on the window's bounds keeps the plan (see eqPlanned). Rows as plain columns (fromColumns): windows of
  // busy checks and series span weeks of occurrences, and drizzle's mapping of each row cost more than reading it.
  inWindow: preparedQuery((db) =>
    db.$client.prepare<{ ids: string; from: number; to: number; lowest: number; cancelled: number }, OccurrenceColumns>(
      `SELECT ${OCCURRENCE_COLUMNS}
       FROM occurrences o
       WHERE o.event_id IN (SELECT value FROM json_each(@ids)) AND o.start < +@to AND o.start > +@lowest AND o."end" > +@from
         AND (@cancelled = 1 OR o.cancelled = 0)`,
    ),
  ),
  // Seats taken at occurrences that are not stored (past the horizon): the same rule, asked directly.
  seatsAt: preparedQuery((db) =>
    db.$client.prepare<{ at: string }, { eventId: number; start: number | null; n: number }>(
      `SELECT at.value ->> 0 AS eventId, at.value ->> 1 AS start,
         (SELECT count(*) FROM invitations i WHERE i.event_id = at.value ->> 0 AND i.holds_seat = 1 AND ${atOccurrence('i', 'at.value ->> 1', 'at.value ->> 2')}) AS n
       FROM json_each(@at) AS at`,
    ),
  ),
};

// ── the horizon ───────────────────────────────────────────────────────────

/** Occurrences overlapping [event start, until) are stored; 0 = nothing stored yet. */
export function storedUntil(db: Db): number {
  return q.horizon(db).get()?.until ?? 0;
}

/** Where rebuilds reach: an extension in progress has already carried rebuilt events to its target. */
function buildUntil(db: Db): number {
  const row = q.horizon(db).get();
  return row ? Math.max(row.until, row.building ?? 0) : 0;
}

/** Expansion windows are at most three years long; a long stretch is expanded in pieces. */
function expandStretch(event: EventRow, exceptions: ExceptionRow[], from: number, to: number): EventOccurrence[] {
  const found = new Map<number, EventOccurrence>();
  for (let low = from; low < to; low += MAX_EXPANSION_WINDOW_MS) {
    const high = Math.min(to, low + MAX_EXPANSION_WINDOW_MS);
    for (const o of expandEvent(event, exceptions, new Date(low), new Date(high), true)) found.set(o.originalStart.getTime(), o);
  }
  return [...found.values()];
}

function insertOccurrences(db: Db, event: EventRow, list: EventOccurrence[]) {
  const insert = q.insert(db);
  for (const o of list) {
    insert.run(event.id, o.originalStart.getTime(), o.start.getTime(), o.end.getTime(), o.isMoved ? 1 : 0, o.cancelled ? 1 : 0);
  }
}

/** Replaces the stored occurrences of one event with what its rule, exceptions and answers give now. */
function rebuildEventOccurrences(db: Db, eventId: number, until = buildUntil(db)) {
  q.deleteOf(db).run(eventId);
  if (until <= 0) return;
  const event = q.event(db).get({ id: eventId });
  if (!event || event.spanStart.getTime() >= until) return;
  const exceptions = event.rrule ? q.exceptions(db).all({ id: eventId }) : [];
  insertOccurrences(db, event, expandStretch(event, exceptions, event.spanStart.getTime(), until));
  q.recountEvent(db).run(eventId);
}

/**
 * Applies what the triggers noted in this transaction: rebuilds events whose timing changed and
 * recounts seats where answers changed. Called by writeTransaction before COMMIT (and by the
 * horizon job for writes made outside it), so the stored rows never disagree with the rule.
 */
function applyOccurrenceChanges(db: Db) {
  const changes = q.changes(db).all();
  if (changes.length === 0) return;
  q.clearChanges(db).run();
  if (buildUntil(db) <= 0) return;
  const rebuilt = new Set<number>();
  for (const change of changes) {
    if (change.kind !== 'timing' || rebuilt.has(change.eventId)) continue;
    rebuilt.add(change.eventId);
    rebuildEventOccurrences(db, change.eventId);
  }
  // A whole-event row reaches the occurrences starting after its change's startsAfter (null: all of them).
  const wholeFrom = new Map<number, number | null>();
  for (const change of changes) {
    if (change.kind !== 'seats' || change.start !== null || rebuilt.has(change.eventId)) continue;
    const known = wholeFrom.get(change.eventId);
    const after = change.startsAfter;
    wholeFrom.set(change.eventId, known === null || after === null ? null : Math.min(known ?? after, after));
  }
  for (const [eventId, after] of wholeFrom) {
    if (after === null) q.recountEvent(db).run(eventId);
    else q.recountAfter(db).run(eventId, after);
  }
  const recounted = new Set<string>();
  for (const change of changes) {
    if (change.kind !== 'seats' || change.start === null || rebuilt.has(change.eventId)) continue;
    // An occurrence the whole-event recount reached is counted already.
    const after = wholeFrom.get(change.eventId);
    if (after === null) continue;
    const key = `${change.eventId}:${change.start}`;
    if (recounted.has(key)) continue;
    recounted.add(key);
    q.recountOne(db).run(change.eventId, change.start);
  }
}

// Whatever a transaction changed about events, exceptions or seats is in the stored occurrences before COMMIT.
beforeEveryCommit(applyOccurrenceChanges);

type Transact = <T>(db: Db, fn: (tx: Db) => T) => T;

/**
 * Moves the horizon to `now` + 13 months (the daily job; a no-op when it is already there). A
 * first build rebuilds every event in batches of short transactions, so readers and writers get
 * turns; later runs only add the occurrences of the days that came into reach. Reads trust the
 * new horizon only when every event has reached it.
 */
export function extendOccurrenceHorizon(db: Db, now: Date, transact: Transact, options: { horizonMs?: number } = {}): { until: number; events: number } {
  const target = now.getTime() + (options.horizonMs ?? HORIZON_MS);
  const current = q.horizon(db).get();
  const from = current?.until ?? 0;
  // Moves in whole days: an hourly check is a no-op until the horizon is a day short.
  if (from >= target - 86_400_000) return { until: from, events: 0 };
  transact(db, (tx) => q.setHorizon(tx).run({ until: from, building: target }));
  const ids = db.$client
    .prepare<[number], { id: number }>('SELECT id FROM events WHERE span_end IS NULL OR span_end > ? ORDER BY id')
    .all(from)
    .map((r) => r.id);
  for (let i = 0; i < ids.length; i += BUILD_BATCH) {
    transact(db, (tx) => {
      for (const id of ids.slice(i, i + BUILD_BATCH)) {
        if (from === 0) {
          rebuildEventOccurrences(tx, id, target);
          continue;
        }
        const event = q.event(tx).get({ id });
        if (!event || event.spanStart.getTime() >= target) continue;
        const exceptions = event.rrule ? q.exceptions(tx).all({ id }) : [];
        insertOccurrences(tx, event, expandStretch(event, exceptions, Math.max(from - LONGEST_OCCURRENCE_MS, event.spanStart.getTime()), target));
        q.recountFrom(tx).run(id, from - LONGEST_OCCURRENCE_MS);
      }
    });
  }
  transact(db, (tx) => q.setHorizon(tx).run({ until: target, building: null }));
  return { until: target, events: ids.length };
}

// ── reads ─────────────────────────────────────────────────────────────────

/**
 * A stored row as the occurrence it stands for (its seats taken are the row's): built as its own object, where taking
 * the seats out of a copy (`{ seatsTaken, ...occurrence }`) copied it key by key, microseconds a row.
 */
export function storedOccurrenceOf(row: Omit<typeof occurrences.$inferSelect, 'openTo'>): EventOccurrence {
  return {
    originalStart: row.originalStart,
    start: row.start,
    end: row.end,
    isMoved: row.isMoved,
    key: occurrenceKey(row.eventId, row.originalStart),
    eventId: row.eventId,
    cancelled: row.cancelled,
  };
}

/** Seats taken at occurrences that are not stored, by the same rule (keys: `${eventId}:${originalStart ms}`). */
export function seatsTakenAt(db: Db, places: { eventId: number; originalStart: Date | null; start: Date | null }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < places.length; i += 500) {
    const at = JSON.stringify(places.slice(i, i + 500).map((p) => [p.eventId, p.originalStart?.getTime() ?? null, p.start?.getTime() ?? null]));
    for (const row of q.seatsAt(db).all({ at })) counts.set(`${row.eventId}:${row.start ?? ''}`, row.n);
  }
  return counts;
}

/**
 * Occurrences of the given events overlapping [from, to), by event, each with its seats taken.
 * Cancelled occurrences only with `includeCancelled` (marked). Stored rows answer when the window
 * lies within the horizon; otherwise the rule is expanded within this (bounded) window.
 */
export function occurrencesInWindow(
  db: Db,
  found: Pick<EventRow, 'id' | 'rrule' | 'startLocal' | 'timeZone' | 'durationMinutes' | 'status' | 'cancelledAt'>[],
  from: Date,
  to: Date,
  options: { includeCancelled?: boolean } = {},
): Map<number, StoredOccurrence[]> {
  const byEvent = new Map<number, StoredOccurrence[]>();
  if (found.length === 0 || to.getTime() <= from.getTime()) return byEvent;
  const includeCancelled = !!options.includeCancelled;
  if (to.getTime() <= storedUntil(db)) {
    const query = q.inWindow(db);
    for (let i = 0; i < found.length; i += 1000) {
      const ids = JSON.stringify(found.slice(i, i + 1000).map((e) => e.id));
      const rows = query.all({
        ids,
        from: from.getTime(),
        to: to.getTime(),
        lowest: from.getTime() - LONGEST_OCCURRENCE_MS - 1,
        cancelled: includeCancelled ? 1 : 0,
      });
      for (const row of rows) {
        const list = byEvent.get(row.eventId);
        if (list) list.push(fromColumns(row));
        else byEvent.set(row.eventId, [fromColumns(row)]);
      }
    }
    for (const list of byEvent.values()) list.sort((a, b) => a.start.getTime() - b.start.getTime() || a.originalStart.getTime() - b.originalStart.getTime());
    return byEvent;
  }
  const exceptions = exceptionsByEvent(
    db,
    found.filter((e) => e.rrule).map((e) => e.id),
  );
  const expanded = found.map((event) => ({ event, list: expandEvent(event, exceptions.get(event.id) ?? [], from, to, includeCancelled) }));
  const seats = seatsTakenAt(
    db,
    expanded.flatMap(({ event, list }) =>
      list.map((o) => ({ eventId: event.id, originalStart: event.rrule ? o.originalStart : null, start: event.rrule ? o.start : null })),
    ),
  );
  for (const { event, list } of expanded) {
    if (list.length === 0) continue;
    byEvent.set(
      event.id,
      list.map((o) => ({ ...o, seatsTaken: seats.get(`${event.id}:${event.rrule ? o.originalStart.getTime() : ''}`) ?? 0 })),
    );
  }
  return byEvent;
}

type OccurrenceColumns = { eventId: number; originalStart: number; start: number; end: number; isMoved: number; cancelled: number; seatsTaken: number };

function fromColumns(row: OccurrenceColumns): StoredOccurrence {
  const originalStart = new Date(row.originalStart);
  return {
    originalStart,
    start: new Date(row.start),
    end: new Date(row.end),
    isMoved: row.isMoved === 1,
    key: occurrenceKey(row.eventId, originalStart),
    eventId: row.eventId,
    cancelled: row.cancelled === 1,
    seatsTaken: row.seatsTaken,
  };
}

// Driven by the list (CROSS JOIN), so each is one seek of the primary key.
const storedAtQuery = preparedQuery((db) =>
  db.$client.prepare<{ at: string }, OccurrenceColumns>(
    `SELECT ${OCCURRENCE_COLUMNS}
     FROM json_each(@at) AS at CROSS JOIN occurrences o ON o.event_id = at.value ->> 0 AND o.original_start = at.value ->> 1`,
  ),
);

/** The stored occurrences with these original starts, in one read (keys: `${eventId}:${originalStart ms}`); missing ones are not stored. */
export function storedOccurrencesAt(db: Db, refs: { eventId: number; originalStart: Date }[]): Map<string, StoredOccurrence> {
  const found = new Map<string, StoredOccurrence>();
  for (let i = 0; i < refs.length; i += 500) {
    const at = JSON.stringify(refs.slice(i, i + 500).map((r) => [r.eventId, r.originalStart.getTime()]));
    for (const row of storedAtQuery(db).all({ at })) found.set(`${row.eventId}:${row.originalStart}`, fromColumns(row));
  }
  return found;
}

const exceptionsQuery = preparedQuery((db) =>
  db
    .select()
    .from(eventExceptions)
    .where(sql`${eventExceptions.eventId} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`)
    .prepare(),
);

/** Exceptions of the given events, by event. */
export function exceptionsByEvent(db: Db, eventIds: number[]): Map<number, ExceptionRow[]> {
  const byEvent = new Map<number, ExceptionRow[]>();
  for (let i = 0; i < eventIds.length; i += 1000) {
    for (const row of exceptionsQuery(db).all({ ids: JSON.stringify(eventIds.slice(i, i + 1000)) })) {
      const list = byEvent.get(row.eventId) ?? [];
      list.push(row);
      byEvent.set(row.eventId, list);
    }
  }
  return byEvent;
}

/**
 * A fresh database (no events yet) gets its horizon at once, so stored occurrences hold from the
 * first write; a database with events but no horizon waits for the background job (catch-up work
 * never runs inside a request).
 */
export function startHorizonIfEmpty(db: Db, now: Date, transact: Transact) {
  if (q.horizon(db).get()) return;
  if (db.$client.prepare('SELECT 1 FROM events LIMIT 1').get()) return;
  extendOccurrenceHorizon(db, now, transact);
}

/** The daily job: applies changes written outside writeTransaction, then moves the horizon forward. */
export function startOccurrenceHorizonJob(db: Db, clock: { now(): Date }, transact: Transact, intervalMs = 3_600_000): () => void {
  const run = () => {
    try {
      transact(db, () => undefined);
      extendOccurrenceHorizon(db, clock.now(), transact);
    } catch (err) {
      console.error('occurrence horizon:', err instanceof Error ? err.message : err);
    }
  };
  const first = setTimeout(run, 0);
  // Hourly checks; the horizon only moves once it is a day short, so this is a no-op most hours.
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

// For each event of the list, its first occurrence (by start) that is not cancelled and has not ended at @now.
// Bound values as `+@value` keep the plan instead of compiling it again every run (see eqPlanned).
const nextQuery = preparedQuery((db) =>
  db.$client.prepare<{ ids: string; now: number; lowest: number; to: number }, OccurrenceColumns>(
    `SELECT ${OCCURRENCE_COLUMNS}
     FROM json_each(@ids) AS ev CROSS JOIN occurrences o ON o.rowid = (
       SELECT n.rowid FROM occurrences n WHERE n.event_id = ev.value AND n.start > +@lowest AND n.start < +@to AND n."end" > +@now AND n.cancelled = 0
       ORDER BY n.start, n.original_start LIMIT 1)`,
  ),
);

/**
 * The next occurrence of each event (not cancelled, not over at `now`, starting before `to`), by
 * event id, from the stored rows; null when [now, to) reaches past the horizon (expand instead).
 */
export function nextStoredOccurrences(db: Db, eventIds: number[], now: Date, to: Date): Map<number, StoredOccurrence> | null {
  if (to.getTime() > storedUntil(db)) return null;
  const found = new Map<number, StoredOccurrence>();
  for (let i = 0; i < eventIds.length; i += 500) {
    const rows = nextQuery(db).all({
      ids: JSON.stringify(eventIds.slice(i, i + 500)),
      now: now.getTime(),
      lowest: now.getTime() - LONGEST_OCCURRENCE_MS - 1,
      to: to.getTime(),
    });
    for (const row of rows) found.set(row.eventId, fromColumns(row));
  }
  return found;
}

// The first few of each event's occurrences in a window, times only: numbered per event in SQL, so the rest are never read out.
const firstSlotsQuery = preparedQuery((db) =>
  db.$client
    .prepare<{ ids: string; from: number; lowest: number; to: number; count: number }, [eventId: number, start: number, end: number]>(
      `SELECT event_id, start, "end" FROM (
         SELECT o.event_id, o.start, o."end", row_number() OVER (PARTITION BY o.event_id ORDER BY o.start, o.original_start) AS n
         FROM occurrences o
         WHERE o.event_id IN (SELECT value FROM json_each(@ids)) AND o.start < +@to AND o.start > +@lowest AND o."end" > +@from AND o.cancelled = 0)
       WHERE n <= +@count`,
    )
    .raw(true),
);

/**
 * The times of the first `count` occurrences (not cancelled) of each event overlapping [from, to), soonest first, by event
 * id, from the stored rows: what occurrencesInWindow gives, cut to `count`; null when [from, to) reaches past the horizon.
 */
export function firstStoredSlots(db: Db, eventIds: number[], from: Date, to: Date, count: number): Map<number, { start: Date; end: Date }[]> | null {
  const byEvent = new Map<number, { start: Date; end: Date }[]>();
  if (eventIds.length === 0 || to.getTime() <= from.getTime()) return byEvent;
  if (to.getTime() > storedUntil(db)) return null;
  for (let i = 0; i < eventIds.length; i += 500) {
    const rows = firstSlotsQuery(db).all({
      ids: JSON.stringify(eventIds.slice(i, i + 500)),
      from: from.getTime(),
      lowest: from.getTime() - LONGEST_OCCURRENCE_MS - 1,
      to: to.getTime(),
      count,
    });
    for (const [eventId, start, end] of rows) {
      const slot = { start: new Date(start), end: new Date(end) };
      const list = byEvent.get(eventId);
      if (list) list.push(slot);
      else byEvent.set(eventId, [slot]);
    }
  }
  return byEvent;
}

const currentAtQuery = preparedQuery((db) =>
  db.$client.prepare<{ event: number; start: number }, OccurrenceColumns>(
    `SELECT ${OCCURRENCE_COLUMNS}
     FROM occurrences o WHERE o.event_id = +@event AND o.original_start = +@start
      AND NOT EXISTS (SELECT 1 FROM occurrence_changes c WHERE c.event_id = o.event_id AND c.kind = 'timing')`,
  ),
);

/**
 * The stored occurrence with that original start as it stands now, or null when it is not stored, or when this
 * transaction (or a write outside one) changed the event's timing: its stored rows are rebuilt only before COMMIT.
 */
export function currentStoredOccurrence(db: Db, eventId: number, originalStart: Date): StoredOccurrence | null {
  const row = currentAtQuery(db).get({ event: eventId, start: originalStart.getTime() });
  return row ? fromColumns(row) : null;
}

/** The stored occurrence with that original start, or null when it is not stored (past the horizon, or none). */
export function storedOccurrence(db: Db, eventId: number, originalStart: Date): StoredOccurrence | null {
  return storedOccurrencesAt(db, [{ eventId, originalStart }]).get(`${eventId}:${originalStart.getTime()}`) ?? null;
}

const startingInQuery = preparedQuery((db) =>
  db.$client.prepare<[string], { id: number }>(
    `SELECT DISTINCT o.event_id AS id FROM json_each(?) w
       CROSS JOIN occurrences o ON o.start > w.value ->> 0 AND o.start <= w.value ->> 1 AND o.cancelled = 0`,
  ),
);

/** The events with an occurrence (not called off) starting in any of the stretches (lo, hi] (ms), read from the stored rows. */
export function eventsStartingIn(db: Db, stretches: [lo: number, hi: number][]): number[] {
  if (stretches.length === 0) return [];
  return startingInQuery(db)
    .all(JSON.stringify(stretches))
    .map((row) => row.id);
}
