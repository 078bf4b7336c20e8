/**
 * Hot read paths of My schedule and open seats as cached prepared statements. The query builder
 * prepares its SQL anew on every call, which costs more than the queries themselves here. Id lists
 * go in as one JSON parameter (json_each), so each statement is prepared once per connection.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db';
import type { EventRow, ExceptionRow } from './events';

const cache = new WeakMap<object, Map<string, Statement>>();

export function statement(db: Db, text: string): Statement {
  let statements = cache.get(db.$client);
  if (!statements) {
    statements = new Map();
    cache.set(db.$client, statements);
  }
  let prepared = statements.get(text);
  if (!prepared) {
    prepared = db.$client.prepare(text);
    statements.set(text, prepared);
  }
  return prepared;
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

type RawEvent = Record<string, unknown> & { host_name: string; team_name?: string | null };

export const EVENT_COLUMNS = `e.id, e.kind, e.title, e.description, e.host_id, e.team_id, e.guest_department, e.time_zone, e.start_local,
  e.duration_minutes, e.rrule, e.span_start, e.span_end, e.seats, e.account, e.opportunity_stage, e.location, e.meeting_url, e.topic,
  e.status, e.cancelled_at, e.split_from_event_id, e.sequence, e.created_by_id, e.created_at, e.updated_at`;

export function eventFromRow(r: RawEvent): EventRow & { hostName: string } {
  return {
    id: r.id as number,
    kind: r.kind as EventRow['kind'],
    title: r.title as string,
    description: r.description as string,
    hostId: r.host_id as number,
    teamId: r.team_id as number | null,
    guestDepartment: r.guest_department as EventRow['guestDepartment'],
    timeZone: r.time_zone as string,
    startLocal: r.start_local as string,
    durationMinutes: r.duration_minutes as number,
    rrule: r.rrule as string | null,
    spanStart: new Date(r.span_start as number),
    spanEnd: date(r.span_end as number | null),
    seats: r.seats as number,
    account: r.account as string | null,
    opportunityStage: r.opportunity_stage as EventRow['opportunityStage'],
    location: r.location as string | null,
    meetingUrl: r.meeting_url as string | null,
    topic: r.topic as string | null,
    status: r.status as EventRow['status'],
    cancelledAt: date(r.cancelled_at as number | null),
    splitFromEventId: r.split_from_event_id as number | null,
    sequence: r.sequence as number,
    createdById: r.created_by_id as number | null,
    createdAt: new Date(r.created_at as number),
    updatedAt: date(r.updated_at as number | null),
    hostName: r.host_name,
  };
}

/** Scheduled events overlapping [from, to) that the person hosts or has a row on. */
export function eventsOfPersonFast(db: Db, personId: number, from: Date, to: Date, limit: number) {
  const rows = statement(
    db,
    `SELECT ${EVENT_COLUMNS}, h.name AS host_name FROM events e JOIN people h ON h.id = e.host_id
     WHERE e.id IN (SELECT event_id FROM invitations WHERE person_id = @person UNION SELECT id FROM events WHERE host_id = @person)
       AND e.status = 'scheduled' AND e.span_start < @to AND (e.span_end IS NULL OR e.span_end > @from)
     LIMIT @limit`,
  ).all({ person: personId, from: from.getTime(), to: to.getTime(), limit }) as RawEvent[];
  return rows.map(eventFromRow);
}

export function exceptionsOfFast(db: Db, eventIds: number[]): Map<number, ExceptionRow[]> {
  const byEvent = new Map<number, ExceptionRow[]>();
  if (eventIds.length === 0) return byEvent;
  const rows = statement(
    db,
    `SELECT id, event_id AS eventId, original_start AS originalStart, kind, start, "end", sequence, created_at AS createdAt, updated_at AS updatedAt
     FROM event_exceptions WHERE event_id IN (SELECT value FROM json_each(@ids))`,
  ).all({ ids: JSON.stringify(eventIds) }) as Record<string, number | string | null>[];
  for (const r of rows) {
    const row: ExceptionRow = {
      id: r.id as number,
      eventId: r.eventId as number,
      originalStart: new Date(r.originalStart as number),
      kind: r.kind as ExceptionRow['kind'],
      start: date(r.start as number | null),
      end: date(r.end as number | null),
      sequence: r.sequence as number,
      createdAt: new Date(r.createdAt as number),
      updatedAt: date(r.updatedAt as number | null),
    };
    const list = byEvent.get(row.eventId) ?? [];
    list.push(row);
    byEvent.set(row.eventId, list);
  }
  return byEvent;
}

export type FastPlaceRow = {
  id: number;
  eventId: number;
  personId: number;
  occurrenceStart: Date | null;
  status: 'invited' | 'accepted' | 'tentative' | 'declined' | 'waitlisted';
  holdsSeat: boolean;
  approvalStatus: 'pending' | 'approved' | 'rejected' | null;
  waitlistedAt: Date | null;
  source: 'invitation' | 'claim';
  effectiveFrom: Date | null;
};

/** One person's rows on the given events. */
export function placesOfPersonFast(db: Db, personId: number, eventIds: number[]): Map<number, FastPlaceRow[]> {
  const byEvent = new Map<number, FastPlaceRow[]>();
  if (eventIds.length === 0) return byEvent;
  const rows = statement(
    db,
    `SELECT id, event_id AS eventId, person_id AS personId, occurrence_start AS occurrenceStart, status, holds_seat AS holdsSeat,
            approval_status AS approvalStatus, waitlisted_at AS waitlistedAt, source, effective_from AS effectiveFrom
     FROM invitations WHERE person_id = @person AND event_id IN (SELECT value FROM json_each(@ids))`,
  ).all({ person: personId, ids: JSON.stringify(eventIds) }) as Record<string, number | string | null>[];
  for (const r of rows) {
    const row: FastPlaceRow = {
      id: r.id as number,
      eventId: r.eventId as number,
      personId: r.personId as number,
      occurrenceStart: date(r.occurrenceStart as number | null),
      status: r.status as FastPlaceRow['status'],
      holdsSeat: r.holdsSeat === 1,
      approvalStatus: r.approvalStatus as FastPlaceRow['approvalStatus'],
      waitlistedAt: date(r.waitlistedAt as number | null),
      source: r.source as FastPlaceRow['source'],
      effectiveFrom: date(r.effectiveFrom as number | null),
    };
    const list = byEvent.get(row.eventId) ?? [];
    list.push(row);
    byEvent.set(row.eventId, list);
  }
  return byEvent;
}

/** Whole-event seat holders per event, and the rows of single occurrences (see SeatUsage). */
export function seatUsageRows(db: Db, eventIds: number[]) {
  const ids = JSON.stringify(eventIds);
  const whole = statement(
    db,
    `SELECT event_id AS eventId, count(*) AS n FROM invitations
     WHERE event_id IN (SELECT value FROM json_each(@ids)) AND occurrence_start IS NULL AND holds_seat = 1 GROUP BY event_id`,
  ).all({ ids }) as { eventId: number; n: number }[];
  const occurrenceRows = statement(
    db,
    `SELECT o.event_id AS eventId, o.person_id AS personId, o.occurrence_start AS start, o.holds_seat AS holds, w.holds_seat AS wholeHolds
     FROM invitations o LEFT JOIN invitations w ON w.event_id = o.event_id AND w.person_id = o.person_id AND w.occurrence_start IS NULL
     WHERE o.event_id IN (SELECT value FROM json_each(@ids)) AND o.occurrence_start IS NOT NULL`,
  ).all({ ids }) as { eventId: number; personId: number; start: number; holds: number; wholeHolds: number | null }[];
  return { whole, occurrenceRows };
}

/**
 * Open-seat candidates: one-off events starting in the window (soonest first) and series (newest
 * first), each for the person's guest department and for events open to anyone, capped at `limit`.
 */
export function openSeatCandidatesFast(
  db: Db,
  params: { department: string; personId: number; from: Date; to: Date; teamId: number | null; kind: string | null; account: string | null; limit: number },
) {
  const filters = `e.status = 'scheduled' AND e.seats > 0 AND e.host_id <> @person
    AND (@team IS NULL OR e.team_id = @team) AND (@kind IS NULL OR e.kind = @kind)
    AND (@account IS NULL OR e.account LIKE '%' || @account || '%' ESCAPE '\\')`;
  const args = {
    person: params.personId,
    from: params.from.getTime(),
    to: params.to.getTime(),
    team: params.teamId,
    kind: params.kind,
    account: params.account === null ? null : params.account.replace(/[\\%_]/g, (m) => '\\' + m),
    limit: params.limit,
  };
  const select = `SELECT ${EVENT_COLUMNS}, h.name AS host_name, (SELECT name FROM teams t WHERE t.id = e.team_id) AS team_name FROM events e JOIN people h ON h.id = e.host_id`;
  const rows: RawEvent[] = [];
  for (const [guests, department] of [['e.guest_department = @department', params.department], ['e.guest_department IS NULL', null]] as const) {
    const withDepartment = department === null ? args : { ...args, department };
    rows.push(...(statement(db, `${select} WHERE ${guests} AND e.rrule IS NULL AND e.span_start >= @from AND e.span_start < @to AND ${filters} ORDER BY e.span_start LIMIT @limit`).all(withDepartment) as RawEvent[]));
    rows.push(
      ...(statement(db, `${select} WHERE ${guests} AND e.rrule IS NOT NULL AND e.span_start < @to AND (e.span_end IS NULL OR e.span_end > @from) AND ${filters} ORDER BY e.id DESC LIMIT @limit`).all(withDepartment) as RawEvent[]),
    );
  }
  return rows.map((r) => ({ ...eventFromRow(r), teamName: (r.team_name ?? null) as string | null }));
}

type InvitationRow = import('./invitations').InvitationRow;

export function invitationFromRow(r: Record<string, unknown>): InvitationRow {
  return {
    id: r.i_id as number,
    eventId: r.i_event_id as number,
    personId: r.i_person_id as number,
    occurrenceStart: date(r.i_occurrence_start as number | null),
    status: r.i_status as InvitationRow['status'],
    holdsSeat: r.i_holds_seat === 1,
    source: r.i_source as InvitationRow['source'],
    invitedById: r.i_invited_by_id as number | null,
    declineReason: r.i_decline_reason as string | null,
    waitlistedAt: date(r.i_waitlisted_at as number | null),
    approvalStatus: r.i_approval_status as InvitationRow['approvalStatus'],
    approvalById: r.i_approval_by_id as number | null,
    approvalAt: date(r.i_approval_at as number | null),
    respondedAt: date(r.i_responded_at as number | null),
    effectiveFrom: date((r.i_effective_from ?? null) as number | null),
    createdAt: new Date(r.i_created_at as number),
    updatedAt: date(r.i_updated_at as number | null),
  };
}

/** Rows still 'invited' (not a claim awaiting approval) on future occurrences of scheduled events. */
export function pendingInvitationsFast(db: Db, now: Date, personId: number, limit: number) {
  const rows = statement(
    db,
    `SELECT ${EVENT_COLUMNS}, h.name AS host_name,
       i.id AS i_id, i.event_id AS i_event_id, i.person_id AS i_person_id, i.occurrence_start AS i_occurrence_start, i.status AS i_status,
       i.holds_seat AS i_holds_seat, i.source AS i_source, i.invited_by_id AS i_invited_by_id, i.decline_reason AS i_decline_reason,
       i.waitlisted_at AS i_waitlisted_at, i.approval_status AS i_approval_status, i.approval_by_id AS i_approval_by_id,
       i.approval_at AS i_approval_at, i.responded_at AS i_responded_at, i.effective_from AS i_effective_from, i.created_at AS i_created_at, i.updated_at AS i_updated_at
     FROM invitations i JOIN events e ON e.id = i.event_id JOIN people h ON h.id = e.host_id
     WHERE i.person_id = @person AND i.status = 'invited' AND i.approval_status IS NULL AND e.status = 'scheduled'
       AND (e.span_end IS NULL OR e.span_end > @now) AND (i.occurrence_start IS NULL OR i.occurrence_start > @now)
     ORDER BY e.span_start LIMIT @limit`,
  ).all({ person: personId, now: now.getTime(), limit }) as RawEvent[];
  return rows.map((r) => {
    const event = eventFromRow(r);
    return { invitation: invitationFromRow(r), event, hostName: event.hostName };
  });
}

/** One event by id (the hot lookup of every claim and answer). */
export function eventByIdFast(db: Db, id: number): EventRow | undefined {
  const row = statement(db, `SELECT ${EVENT_COLUMNS}, '' AS host_name FROM events e WHERE e.id = ?`).get(id) as RawEvent | undefined;
  if (!row) return undefined;
  const { hostName: _hostName, ...event } = eventFromRow(row);
  return event;
}

const INVITATION_COLUMNS = `i.id AS i_id, i.event_id AS i_event_id, i.person_id AS i_person_id, i.occurrence_start AS i_occurrence_start, i.status AS i_status,
  i.holds_seat AS i_holds_seat, i.source AS i_source, i.invited_by_id AS i_invited_by_id, i.decline_reason AS i_decline_reason,
  i.waitlisted_at AS i_waitlisted_at, i.approval_status AS i_approval_status, i.approval_by_id AS i_approval_by_id,
  i.approval_at AS i_approval_at, i.responded_at AS i_responded_at, i.effective_from AS i_effective_from, i.created_at AS i_created_at, i.updated_at AS i_updated_at`;

export function invitationByIdFast(db: Db, id: number): InvitationRow | undefined {
  const row = statement(db, `SELECT ${INVITATION_COLUMNS} FROM invitations i WHERE i.id = ?`).get(id) as Record<string, unknown> | undefined;
  return row ? invitationFromRow(row) : undefined;
}

/** A person's row at a place: one occurrence, or the whole event when `start` is null. */
export function placeRowFast(db: Db, eventId: number, personId: number, start: Date | null): InvitationRow | undefined {
  const row = (
    start === null
      ? statement(db, `SELECT ${INVITATION_COLUMNS} FROM invitations i WHERE i.event_id = ? AND i.person_id = ? AND i.occurrence_start IS NULL`).get(eventId, personId)
      : statement(db, `SELECT ${INVITATION_COLUMNS} FROM invitations i WHERE i.event_id = ? AND i.person_id = ? AND i.occurrence_start = ?`).get(eventId, personId, start.getTime())
  ) as Record<string, unknown> | undefined;
  return row ? invitationFromRow(row) : undefined;
}
