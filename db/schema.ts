import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/*
 * All tables of crosstrain. Each feature keeps its tables in its own section below.
 * Instants are stored as integer milliseconds since the epoch (UTC); calendar dates as 'YYYY-MM-DD' text.
 */

export const departments = ['sales', 'marketing', 'other'] as const;
export type Department = (typeof departments)[number];
export const roles = ['hr', 'manager', 'employee'] as const;
export type Role = (typeof roles)[number];

/** An auto-numbered row id. */
const id = () => integer('id').primaryKey({ autoIncrement: true });
/** An instant, stored as integer milliseconds since the epoch (UTC). */
const instant = (name: string) => integer(name, { mode: 'timestamp_ms' });
/** A required reference to another row; `onDelete` says what becomes of this row when that one goes. */
const link = (name: string, ref: () => AnySQLiteColumn, onDelete?: 'cascade' | 'set null') =>
  integer(name)
    .notNull()
    .references(ref, onDelete ? { onDelete } : {});
const createdAt = () => instant('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);

// ── foundation: people, teams, accounts, audit, outbox ─────────────────────

export const teams = sqliteTable(
  'teams',
  {
    id: id(),
    name: text('name').notNull(),
    department: text('department', { enum: departments }).notNull(),
    managerId: integer('manager_id'),
    createdAt: createdAt(),
  },
  // manager_id: who is below a manager (reportIds) asks "which teams does this person manage" once per person below.
  (t) => [
    uniqueIndex('teams_name_unique').on(sql`lower(${t.name})`),
    // A department's teams by name, a page at a time (the scorecard's sales teams), without sorting them all.
    index('teams_department_name_idx').on(t.department, t.name),
    index('teams_manager_idx').on(t.managerId),
  ],
);

export const people = sqliteTable(
  'people',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    department: text('department', { enum: departments }).notNull(),
    title: text('title').notNull().default(''),
    teamId: integer('team_id').references(() => teams.id),
    managerId: integer('manager_id'),
    hireDate: text('hire_date').notNull(),
    timeZone: text('time_zone').notNull().default('UTC'),
    role: text('role', { enum: roles }).notNull().default('employee'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    passwordHash: text('password_hash'),
    mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
    // A one-time password (first HR account) stops working at this instant if still unchanged.
    passwordExpiresAt: instant('password_expires_at'),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: instant('locked_until'),
    // Working hours in the person's own zone, minutes after local midnight; used for conflict warnings.
    workdayStartMinute: integer('workday_start_minute').notNull().default(540),
    workdayEndMinute: integer('workday_end_minute').notNull().default(1020),
    reminderLeadMinutes: integer('reminder_lead_minutes').notNull().default(1440),
    createdAt: createdAt(),
    updatedAt: instant('updated_at'),
  },
  (t) => [
    uniqueIndex('people_email_unique').on(sql`lower(${t.email})`),
    // With the name: a team's people in name order, so a page of a manager's team reads a page, not the whole team (peopleProgress).
    index('people_team_idx').on(t.teamId, t.name),
    // With the team: which teams a manager's reports are in is a few seeks, not a read of every report (managerScope).
    index('people_manager_idx').on(t.managerId, t.teamId),
    index('people_department_name_idx').on(t.department, t.name),
    index('people_name_idx').on(t.name),
    // Name order as lists show it (case-insensitive): the timeline walks it a page at a time instead of sorting everyone in view.
    index('people_name_nocase_idx').on(sql`${t.name} COLLATE NOCASE`, t.id),
    // The same order within a team: a program's enrolled people of one team, and who of it to enroll, a page at a time.
    index('people_team_name_idx').on(t.teamId, sql`${t.name} COLLATE NOCASE`, t.id),
    // Counting a department's active people (the scorecard's marketers) reads this index alone, no row.
    index('people_department_active_idx').on(t.department, t.active, t.teamId),
    // Who may manage (active managers and HR), by name: the manager choices of every people and team form, without reading everyone.
    index('people_role_active_name_idx').on(t.role, t.active, t.name),
  ],
);

/**
 * Who reports to whom at any depth (a closure table): a row for every person below `ancestor_id` by
 * manager or by a team they manage, transitively, with the length of the shortest such path, and
 * each person's own row at depth 0. Kept by triggers (migration reporting_chain_triggers) in the
 * same statement as every write to people's managers and teams and to teams' managers, so asking
 * "is this person below that manager" is one index seek and "everyone below" one range.
 */
export const reportingChain = sqliteTable(
  'reporting_chain',
  {
    ancestorId: integer('ancestor_id').notNull(),
    descendantId: integer('descendant_id').notNull(),
    depth: integer('depth').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ancestorId, t.descendantId] }), index('reporting_chain_descendant_idx').on(t.descendantId, t.ancestorId)],
);

/**
 * How many people are below a manager in the reporting chain (their own row included), in all and active: the
 * people list's total for a department's head without a filter, kept by triggers (migration reporting_counts) on
 * reporting_chain's rows and on people's `active`, so the total is one row, not a count of tens of thousands.
 */
export const reportingCounts = sqliteTable('reporting_counts', {
  ancestorId: integer('ancestor_id').primaryKey(),
  people: integer('people').notNull(),
  activePeople: integer('active_people').notNull(),
});

/**
 * reporting_counts per department of the people below (their own row included): the people list's total for a
 * department's head filtering by department, kept by triggers (migration reporting_department_counts) on
 * reporting_chain's rows and on people's `active` and `department`.
 */
export const reportingDepartmentCounts = sqliteTable(
  'reporting_department_counts',
  {
    ancestorId: integer('ancestor_id').notNull(),
    department: text('department', { enum: departments }).notNull(),
    people: integer('people').notNull(),
    activePeople: integer('active_people').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ancestorId, t.department] })],
);

/**
 * A manager's scope (managerScope) kept by triggers on teams, people, reporting_chain and each other (db/migrations):
 * the teams managed by the manager or anyone below them, whose members are all below them...
 */
export const managerScopeTeams = sqliteTable(
  'manager_scope_teams',
  {
    managerId: integer('manager_id').notNull(),
    teamId: integer('team_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.managerId, t.teamId] }), index('manager_scope_teams_team_idx').on(t.teamId)],
);

/** ...and the people below the manager (themselves included) outside those teams. */
export const managerScopePeople = sqliteTable(
  'manager_scope_people',
  {
    managerId: integer('manager_id').notNull(),
    personId: integer('person_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.managerId, t.personId] }), index('manager_scope_people_person_idx').on(t.personId)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    // sha256 of the cookie value: a stolen database does not yield live sessions.
    id: text('id').primaryKey(),
    personId: link('person_id', () => people.id, 'cascade'),
    csrfToken: text('csrf_token').notNull(),
    createdAt: instant('created_at').notNull(),
    lastSeenAt: instant('last_seen_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    userAgent: text('user_agent'),
    // The one-time status message the next page of this session shows (set by the server only).
    flash: text('flash'),
  },
  (t) => [index('sessions_person_idx').on(t.personId)],
);

/**
 * What may have made reminders due other than time passing, noted by triggers (migration reminder_changes) for the
 * mail scheduler's next pass: an event whose guests, host or occurrences changed (`kind` 'event'), a person whose lead
 * or activity changed ('person'). A pass reads the occurrences starting within the lead that has just been reached and
 * these, not every participant of every occurrence within the longest lead; it removes the notes it has read.
 */
export const reminderChanges = sqliteTable(
  'reminder_changes',
  {
    kind: text('kind', { enum: ['event', 'person'] }).notNull(),
    id: integer('id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.id] })],
);

/**
 * Failed sign-ins, kept in the database so every server process counts the same. Keys are
 * `pair:<sha256 of the address typed>:<client address>` (growing delays for that pair only, so a
 * stranger cannot lock out someone signing in from their own machine) and `ip:<client address>`
 * (a fixed window of attempts per client address, whatever addresses it tries).
 */
export const signInThrottle = sqliteTable(
  'sign_in_throttle',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull().default(0),
    windowStart: instant('window_start').notNull(),
    blockedUntil: instant('blocked_until'),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [index('sign_in_throttle_updated_idx').on(t.updatedAt)],
);

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: id(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    prefix: text('prefix').notNull(),
    // A token acts with the rights of the HR person who created it; the audit log names the token.
    createdById: link('created_by_id', () => people.id),
    createdAt: instant('created_at').notNull(),
    lastUsedAt: instant('last_used_at'),
    revokedAt: instant('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_unique').on(t.tokenHash)],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: id(),
    at: instant('at').notNull(),
    actorId: integer('actor_id'),
    actorTokenId: integer('actor_token_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    // The first AUDIT_HEAD characters of before and after and their lengths, kept by triggers (db/migrations) from
    // whatever writes the row. They come before the values themselves, so the list reads a page of entries without
    // walking a bulk change's megabyte of overflow pages.
    beforeChars: integer('before_chars'),
    afterChars: integer('after_chars'),
    beforeHead: text('before_head'),
    afterHead: text('after_head'),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
  },
  // Each filter of the list walks its own index newest first: (filter, at) and the rowid after it.
  (t) => [
    index('audit_at_idx').on(t.at),
    index('audit_entity_idx').on(t.entityType, t.entityId, t.at),
    index('audit_actor_idx').on(t.actorId, t.at),
    index('audit_action_idx').on(t.action, t.at),
  ],
);

export const outbox = sqliteTable(
  'outbox',
  {
    id: id(),
    // A stable key per logical message (e.g. reminder:<invitation>:<occurrence>) so nothing is queued twice.
    dedupeKey: text('dedupe_key'),
    toEmail: text('to_email').notNull(),
    toPersonId: integer('to_person_id'),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    createdAt: instant('created_at').notNull(),
    sendAfter: instant('send_after').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    // Set before handing a message to SMTP and cleared on failure, so two workers never send one message.
    lockedUntil: instant('locked_until'),
    sentAt: instant('sent_at'),
    // iMIP (RFC 6047): the text/calendar part sent beside the text, so mail programs offer Accept/Decline.
    calendarMethod: text('calendar_method', { enum: ['REQUEST', 'CANCEL'] }),
    calendar: text('calendar'),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_unique').on(t.dedupeKey),
    index('outbox_pending_idx').on(t.sentAt, t.sendAfter),
    index('outbox_created_idx').on(t.createdAt),
  ],
);

/**
 * Company-wide settings HR keeps (one row, id 1). `default_time_zone` is the zone of people created or
 * imported without one; null until HR chooses it at first start (src/people/settings.ts).
 */
export const companySettings = sqliteTable('company_settings', {
  id: integer('id').primaryKey(),
  defaultTimeZone: text('default_time_zone'),
  updatedById: integer('updated_by_id'),
  updatedAt: instant('updated_at'),
});

export const passwordLinkPurposes = ['welcome', 'reset'] as const;
export type PasswordLinkPurpose = (typeof passwordLinkPurposes)[number];

/**
 * A single-use link to choose a password: a welcome link (valid 7 days) when HR adds a person, a
 * reset link (valid 1 hour) from "Forgot your password?". Only the token's SHA-256 is stored.
 */
export const passwordLinks = sqliteTable(
  'password_links',
  {
    id: id(),
    personId: link('person_id', () => people.id, 'cascade'),
    purpose: text('purpose', { enum: passwordLinkPurposes }).notNull(),
    tokenHash: text('token_hash').notNull(),
    createdById: integer('created_by_id'),
    createdAt: instant('created_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    // Set when the link is used, or when a newer link or a password change makes it void.
    usedAt: instant('used_at'),
  },
  (t) => [uniqueIndex('password_links_token_unique').on(t.tokenHash), index('password_links_person_idx').on(t.personId, t.usedAt)],
);

/** Every "Forgot your password?" request, kept to limit them per network address and per account. */
export const passwordResetRequests = sqliteTable(
  'password_reset_requests',
  {
    id: id(),
    at: instant('at').notNull(),
    address: text('address').notNull(),
    email: text('email').notNull(),
    personId: integer('person_id'),
  },
  (t) => [index('password_reset_requests_address_idx').on(t.address, t.at), index('password_reset_requests_email_idx').on(t.email, t.at)],
);

// ── events (ride-alongs, meetings, invitations) ────────────────────────────

/*
 * Events and their occurrences
 * - An event is one-off (rrule NULL) or a series (rrule = canonical RRULE without DTSTART, see
 *   src/events/recurrence.ts). Its first start is `startLocal` (wall clock) in `timeZone`, the host's
 *   IANA zone; every occurrence lasts `durationMinutes`. `spanStart`..`spanEnd` covers every occurrence
 *   including moved ones (`spanEnd` NULL: an open-ended series) and exists only for window queries;
 *   occurrences themselves are expanded from the rule for the window shown.
 * - An occurrence is identified by (event id, original start): its key is `${eventId}_${YYYYMMDDTHHmmssZ}`
 *   (occurrenceKey in src/events/recurrence.ts). A one-off event's only occurrence starts at `startLocal`.
 * - `event_exceptions` cancels or moves one occurrence of a series (keyed by its original start).
 * - `sequence` is bumped on every change that calendars must pick up (time, rule, title, place, cancel).
 * - "This and following" edits end the old series with UNTIL and create a new event with
 *   `splitFromEventId` pointing at the old one.
 */
export const eventKinds = ['sales_call', 'marketing_meeting', 'alignment_meeting', 'training'] as const;
export type EventKind = (typeof eventKinds)[number];
export const eventStatuses = ['scheduled', 'cancelled'] as const;
export const opportunityStages = ['prospecting', 'discovery', 'demo', 'proposal', 'negotiation', 'closed_won', 'closed_lost'] as const;

export const events = sqliteTable(
  'events',
  {
    id: id(),
    kind: text('kind', { enum: eventKinds }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    hostId: link('host_id', () => people.id),
    // The host's team when the event was made; open seats filter by it.
    teamId: integer('team_id').references(() => teams.id),
    // Guests come from this department (the host's other department); NULL = anyone (alignment meetings, trainings).
    guestDepartment: text('guest_department', { enum: departments }),
    timeZone: text('time_zone').notNull(),
    startLocal: text('start_local').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    rrule: text('rrule'),
    spanStart: instant('span_start').notNull(),
    spanEnd: instant('span_end'),
    seats: integer('seats').notNull().default(0),
    // sales_call
    account: text('account'),
    opportunityStage: text('opportunity_stage', { enum: opportunityStages }),
    location: text('location'),
    meetingUrl: text('meeting_url'),
    // marketing_meeting
    topic: text('topic'),
    status: text('status', { enum: eventStatuses }).notNull().default('scheduled'),
    cancelledAt: instant('cancelled_at'),
    splitFromEventId: integer('split_from_event_id'),
    sequence: integer('sequence').notNull().default(0),
    createdById: integer('created_by_id').references(() => people.id),
    createdAt: createdAt(),
    updatedAt: instant('updated_at'),
  },
  (t) => [
    index('events_host_window_idx').on(t.hostId, t.spanStart),
    index('events_open_seats_idx').on(t.guestDepartment, t.status, t.spanStart),
    index('events_open_series_idx').on(t.guestDepartment, t.status, t.id).where(sql`${t.rrule} IS NOT NULL`),
    index('events_window_idx').on(t.status, t.spanStart),
    index('events_team_idx').on(t.teamId),
    index('events_kind_idx').on(t.kind, t.spanStart),
    // The API's list of events in a window, in (first start, id) order, a page at a time: the index gives the order and
    // answers whether an event ends before the window without reading its row.
    index('events_span_idx').on(t.spanStart, t.id, t.spanEnd),
    // The parts split from a series, linked on its page: few events are split, so only those are indexed.
    index('events_split_from_idx').on(t.splitFromEventId).where(sql`${t.splitFromEventId} IS NOT NULL`),
  ],
);

export const exceptionKinds = ['cancelled', 'moved'] as const;

/** One occurrence of a series cancelled or moved; `originalStart` is the start the rule gives it. */
export const eventExceptions = sqliteTable(
  'event_exceptions',
  {
    id: id(),
    eventId: link('event_id', () => events.id, 'cascade'),
    originalStart: instant('original_start').notNull(),
    kind: text('kind', { enum: exceptionKinds }).notNull(),
    // moved only: the new instants
    start: instant('start'),
    end: instant('end'),
    sequence: integer('sequence').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: instant('updated_at'),
  },
  (t) => [uniqueIndex('event_exceptions_occurrence_unique').on(t.eventId, t.originalStart), index('event_exceptions_moved_idx').on(t.start)],
);

export const invitationStatuses = ['invited', 'accepted', 'tentative', 'declined', 'waitlisted'] as const;
export type InvitationStatus = (typeof invitationStatuses)[number];
export const invitationSources = ['invitation', 'claim'] as const;
export const approvalStatuses = ['pending', 'approved', 'rejected'] as const;

/*
 * A person's place on one occurrence (`occurrenceStart` = its original start) or on the whole
 * event (`occurrenceStart` NULL: every occurrence of a series, or a one-off event). An occurrence
 * row overrides the whole-event row for that occurrence only.
 * - `holdsSeat` is true while the row takes one of the occurrence's seats: an accepted answer, or a
 *   claim waiting for manager approval. Seats taken by occurrence O = whole-event rows holding a seat
 *   of people without an O row + O rows holding a seat. Never more than `events.seats`.
 * - `waitlistedAt` orders the waitlist; whole-event waitlists are promoted first, then each
 *   occurrence's own waitlist fills seats that are still free there.
 * - Claims (`source` = 'claim') by a person whose manager requires approval carry
 *   approvalStatus 'pending' until the manager decides.
 */
export const invitations = sqliteTable(
  'invitations',
  {
    id: id(),
    eventId: link('event_id', () => events.id, 'cascade'),
    personId: link('person_id', () => people.id),
    occurrenceStart: instant('occurrence_start'),
    status: text('status', { enum: invitationStatuses }).notNull().default('invited'),
    holdsSeat: integer('holds_seat', { mode: 'boolean' }).notNull().default(false),
    source: text('source', { enum: invitationSources }).notNull().default('invitation'),
    invitedById: integer('invited_by_id').references(() => people.id),
    declineReason: text('decline_reason'),
    waitlistedAt: instant('waitlisted_at'),
    approvalStatus: text('approval_status', { enum: approvalStatuses }),
    approvalById: integer('approval_by_id'),
    approvalAt: instant('approval_at'),
    respondedAt: instant('responded_at'),
    // Whole-event rows of a series: the row applies to occurrences starting after this instant (when
    // its state was last set); earlier ones keep rows of their own with what was true then. NULL: all.
    effectiveFrom: instant('effective_from'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at'),
  },
  (t) => [
    uniqueIndex('invitations_occurrence_place_unique').on(t.eventId, t.personId, t.occurrenceStart),
    uniqueIndex('invitations_event_place_unique').on(t.eventId, t.personId).where(sql`${t.occurrenceStart} IS NULL`),
    // With the event: a person's events (all, or those accepted) are read from the index alone (schedule, busy checks).
    index('invitations_person_status_idx').on(t.personId, t.status, t.eventId),
    index('invitations_event_occurrence_idx').on(t.eventId, t.occurrenceStart, t.holdsSeat),
    index('invitations_waitlist_idx').on(t.eventId, t.status, t.waitlistedAt),
    // Only claims a manager approves have an approval status: every other invitation written leaves the index alone.
    index('invitations_approval_idx').on(t.approvalStatus, t.personId).where(sql`${t.approvalStatus} IS NOT NULL`),
  ],
);

/*
 * The invitations waiting for an answer, kept for the navigation's count (pendingInvitationsCount) so a page
 * reads a few index entries instead of joining every invitation of the viewer to its event. A row per
 * invitation that is `invited`, not a claim awaiting approval, of a scheduled event; `open_until` is the
 * instant it stops counting: the earlier of the event's span end and the occurrence's start (never: the
 * largest integer). Triggers on invitations and events keep it in the writing transaction (migration 0041).
 */
export const pendingInvitations = sqliteTable(
  'pending_invitations',
  {
    invitationId: integer('invitation_id').primaryKey(),
    personId: integer('person_id').notNull(),
    eventId: integer('event_id').notNull(),
    openUntil: integer('open_until').notNull(),
  },
  (t) => [index('pending_invitations_person_idx').on(t.personId, t.openUntil), index('pending_invitations_event_idx').on(t.eventId)],
);

/*
 * Occurrences as rows (src/events/occurrences.ts): every occurrence of every event whose original
 * times overlap the stored horizon (before occurrence_horizon.until), with
 * its current instants, whether it is cancelled, and the seats taken there. Rebuilt from the rule
 * in the same transaction as any change to the event, its exceptions or its invitations (triggers
 * note the change in `occurrence_changes`; writeTransaction applies it before COMMIT). Windows
 * outside the horizon are expanded from the rule within the request's bounded window instead.
 */
export const occurrences = sqliteTable(
  'occurrences',
  {
    eventId: link('event_id', () => events.id, 'cascade'),
    originalStart: instant('original_start').notNull(),
    start: instant('start').notNull(),
    end: instant('end').notNull(),
    isMoved: integer('is_moved', { mode: 'boolean' }).notNull().default(false),
    cancelled: integer('cancelled', { mode: 'boolean' }).notNull().default(false),
    seatsTaken: integer('seats_taken').notNull().default(0),
    /**
     * Kept by triggers (migration 0043): while a seat is free here, the occurrence is not cancelled and its event is
     * scheduled with seats, the department whose people may claim one (the event's guest department, '*' for anyone);
     * null otherwise. The open-seats scan reads only these, in start order, not every occurrence of the window.
     */
    openTo: text('open_to'),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.originalStart] }),
    index('occurrences_event_start_idx').on(t.eventId, t.start),
    // By start, carrying what the open-seats scan checks before it reads an event: counting a page's worth of open
    // seats reads this index alone, not every occurrence row it passes.
    index('occurrences_start_idx').on(t.start, t.cancelled, t.seatsTaken, t.end, t.eventId, t.originalStart),
    index('occurrences_open_idx').on(t.start, t.openTo, t.end, t.eventId, t.originalStart).where(sql`${t.openTo} IS NOT NULL`),
  ],
);

/**
 * The one row saying how far `occurrences` reaches: every occurrence overlapping [start of the event,
 * `until`) is stored. `building` is the target of an extension in progress (rebuilt events already
 * reach it; reads trust only `until`). No row: nothing is stored yet and every read expands.
 */
export const occurrenceHorizon = sqliteTable('occurrence_horizon', {
  id: integer('id').primaryKey(),
  until: instant('until').notNull(),
  building: instant('building'),
});

/** Events whose stored occurrences must be rebuilt (timing) or recounted (seats) before the transaction ends. */
export const occurrenceChanges = sqliteTable('occurrence_changes', {
  eventId: integer('event_id').notNull(),
  // 'timing': rebuild every row of the event; 'seats': recount `originalStart` (NULL: the occurrences a whole-event row reaches).
  kind: text('kind', { enum: ['timing', 'seats'] }).notNull(),
  originalStart: instant('original_start'),
  // A whole-event row's seat change reaches only occurrences starting after this instant (the later of
  // its effective_from before and after: what started earlier is the past, kept by rows of its own); NULL: all.
  startsAfter: instant('starts_after'),
});

/** A manager who wants to approve their reports' seat claims first. */
export const claimApprovalPolicies = sqliteTable('claim_approval_policies', {
  managerId: integer('manager_id')
    .primaryKey()
    .references(() => people.id),
  requireApproval: integer('require_approval', { mode: 'boolean' }).notNull().default(false),
  updatedAt: instant('updated_at'),
});

/** A timeboxed topic of one alignment meeting occurrence. */
export const agendaItems = sqliteTable(
  'agenda_items',
  {
    id: id(),
    eventId: link('event_id', () => events.id, 'cascade'),
    occurrenceStart: instant('occurrence_start').notNull(),
    position: integer('position').notNull().default(0),
    title: text('title').notNull(),
    ownerId: integer('owner_id').references(() => people.id),
    minutes: integer('minutes').notNull().default(10),
    // What the meeting decided on this item, recorded during the meeting.
    decisions: text('decisions').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: instant('updated_at'),
  },
  (t) => [index('agenda_items_occurrence_idx').on(t.eventId, t.occurrenceStart, t.position)],
);

/**
 * A task decided in an alignment meeting occurrence; open until `doneAt`. Open ones show on every
 * later occurrence of the same event (carried over) until done.
 */
export const actionItems = sqliteTable(
  'action_items',
  {
    id: id(),
    eventId: link('event_id', () => events.id, 'cascade'),
    occurrenceStart: instant('occurrence_start').notNull(),
    agendaItemId: integer('agenda_item_id').references(() => agendaItems.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    ownerId: link('owner_id', () => people.id),
    dueDate: text('due_date'),
    doneAt: instant('done_at'),
    doneById: integer('done_by_id'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at'),
  },
  (t) => [index('action_items_event_idx').on(t.eventId, t.occurrenceStart), index('action_items_owner_idx').on(t.ownerId, t.doneAt)],
);

// ── calendar feeds, reminders, field feedback ──────────────────────────────

/*
 * A person's private iCalendar feed. The address carries a token derived from `nonce` with a key
 * kept outside the database (src/calendar/feeds.ts); only its sha256 is stored, so a copy of the
 * database alone does not open anyone's calendar. Regenerating revokes the row and makes a new one.
 */
export const calendarFeeds = sqliteTable(
  'calendar_feeds',
  {
    id: id(),
    personId: link('person_id', () => people.id, 'cascade'),
    nonce: text('nonce').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: instant('created_at').notNull(),
    revokedAt: instant('revoked_at'),
    lastFetchedAt: instant('last_fetched_at'),
  },
  (t) => [uniqueIndex('calendar_feeds_token_unique').on(t.tokenHash), index('calendar_feeds_person_idx').on(t.personId, t.revokedAt)],
);

export const busyCalendarErrors = ['dns', 'refused_address', 'timeout', 'too_large', 'http', 'not_calendar', 'network', 'too_many_redirects'] as const;
export type BusyCalendarError = (typeof busyCalendarErrors)[number];

/**
 * A person's own outside calendar (Google, Outlook) read by its private ICS address. The address is
 * a secret: pages show it masked. Only busy intervals are kept from what it publishes.
 */
export const busyCalendars = sqliteTable(
  'busy_calendars',
  {
    id: id(),
    personId: link('person_id', () => people.id, 'cascade'),
    label: text('label').notNull(),
    url: text('url').notNull(),
    createdAt: createdAt(),
    /** Validators of the last full answer, sent back for a conditional GET. */
    etag: text('etag'),
    lastModified: text('last_modified'),
    lastAttemptAt: instant('last_attempt_at'),
    lastSuccessAt: instant('last_success_at'),
    /** When the intervals were last expanded from a full answer (a 304 keeps them). */
    expandedAt: instant('expanded_at'),
    lastError: text('last_error', { enum: busyCalendarErrors }),
    lastErrorMessage: text('last_error_message'),
    nextFetchAt: instant('next_fetch_at').notNull(),
  },
  (t) => [index('busy_calendars_person_idx').on(t.personId), index('busy_calendars_due_idx').on(t.nextFetchAt)],
);

/** A busy interval of a person's own calendar: only the span, never a title or attendee. */
export const busyIntervals = sqliteTable(
  'busy_intervals',
  {
    id: id(),
    calendarId: link('calendar_id', () => busyCalendars.id, 'cascade'),
    personId: link('person_id', () => people.id, 'cascade'),
    startAt: instant('start_at').notNull(),
    endAt: instant('end_at').notNull(),
  },
  (t) => [index('busy_intervals_person_idx').on(t.personId, t.startAt), index('busy_intervals_calendar_idx').on(t.calendarId)],
);

/**
 * How far the mail scheduler has read the audit log: invitation and change mails are queued for
 * every audit entry after `lastAuditId` (src/reminders/notices.ts), whichever screen or API made it.
 */
export const notificationCursors = sqliteTable('notification_cursors', {
  name: text('name').primaryKey(),
  lastAuditId: integer('last_audit_id').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

export const feedbackOutcomes = ['won', 'lost', 'open'] as const;
export type FeedbackOutcome = (typeof feedbackOutcomes)[number];
export const lossReasons = ['price', 'missing_feature', 'competitor', 'timing', 'no_decision', 'other'] as const;
export type LossReason = (typeof lossReasons)[number];
export const feedbackRoles = ['guest', 'host'] as const;
export type FeedbackRole = (typeof feedbackRoles)[number];

/*
 * What a guest or host reports after a ride-along (one occurrence of a sales call), one row per
 * person and occurrence. Teams and the occurrence's start are copied in when written, so field
 * insights aggregate without expanding series and keep history when people change teams.
 */
export const feedback = sqliteTable(
  'feedback',
  {
    id: id(),
    eventId: link('event_id', () => events.id, 'cascade'),
    // The occurrence's original start (its identity) and when it actually started.
    occurrenceStart: instant('occurrence_start').notNull(),
    occurredAt: instant('occurred_at').notNull(),
    authorId: link('author_id', () => people.id),
    authorRole: text('author_role', { enum: feedbackRoles }).notNull(),
    authorTeamId: integer('author_team_id'),
    // The team of the sales call's host: the field the feedback comes from.
    hostTeamId: integer('host_team_id'),
    outcome: text('outcome', { enum: feedbackOutcomes }).notNull(),
    lossReason: text('loss_reason', { enum: lossReasons }),
    lossDetail: text('loss_detail').notNull().default(''),
    // What marketing should change; its state lives in the liaison backlog (suggestions, source_ref 'feedback:<id>').
    suggestion: text('suggestion').notNull().default(''),
    submittedAt: instant('submitted_at').notNull(),
    updatedAt: instant('updated_at'),
  },
  (t) => [
    uniqueIndex('feedback_author_occurrence_unique').on(t.eventId, t.occurrenceStart, t.authorId),
    index('feedback_occurred_idx').on(t.occurredAt),
    index('feedback_author_idx').on(t.authorId, t.occurredAt),
    index('feedback_host_team_idx').on(t.hostTeamId, t.occurredAt),
    index('feedback_author_team_idx').on(t.authorTeamId, t.occurredAt),
  ],
);

/*
 * Who owes a report on which sales-call occurrence, whenever it ends: the ride-alongs of pendingFeedback
 * without their time window, kept for the navigation's count (src/feedback/feedback-due.ts). Triggers note
 * the events whose rows a write may change in `feedback_due_changes`; every write transaction rebuilds
 * those events' rows before it commits. The count reads the rows that ended in the window.
 */
export const feedbackDue = sqliteTable(
  'feedback_due',
  {
    personId: link('person_id', () => people.id, 'cascade'),
    eventId: link('event_id', () => events.id, 'cascade'),
    occurrenceStart: instant('occurrence_start').notNull(),
    endsAt: instant('ends_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.occurrenceStart, t.personId] }), index('feedback_due_person_idx').on(t.personId, t.endsAt)],
);

/** Occurrences (NULL: every occurrence of the event) whose feedback_due rows wait to be rebuilt by the next write transaction. */
export const feedbackDueChanges = sqliteTable('feedback_due_changes', {
  eventId: integer('event_id').notNull(),
  originalStart: instant('original_start'),
});

export const fieldNameKinds = ['competitor', 'material'] as const;
export type FieldNameKind = (typeof fieldNameKinds)[number];

/*
 * The kept lists of competitor and sales-material names. A name merged into another is an alias
 * (`merged_into_id` points at the canonical name, never at another alias): reports keep the name
 * as written and every aggregate counts it under its canonical name.
 */
export const fieldNames = sqliteTable(
  'field_names',
  {
    id: id(),
    kind: text('kind', { enum: fieldNameKinds }).notNull(),
    name: text('name').notNull(),
    // Lower-cased, spacing collapsed: "Hooli  crm" and "hooli CRM" are one name.
    key: text('key').notNull(),
    mergedIntoId: integer('merged_into_id'),
    createdAt: instant('created_at').notNull(),
    mergedAt: instant('merged_at'),
    mergedById: integer('merged_by_id'),
  },
  (t) => [uniqueIndex('field_names_kind_key_unique').on(t.kind, t.key), index('field_names_merged_idx').on(t.mergedIntoId)],
);

/** A competitor met on the call; `key` is the lower-cased name that insights group by. */
export const feedbackCompetitors = sqliteTable(
  'feedback_competitors',
  {
    id: id(),
    feedbackId: link('feedback_id', () => feedback.id, 'cascade'),
    name: text('name').notNull(),
    key: text('key').notNull(),
    // The kept name this was written as (src/feedback/names.ts); aggregates count its canonical name.
    nameId: integer('name_id').references(() => fieldNames.id),
  },
  (t) => [
    uniqueIndex('feedback_competitors_unique').on(t.feedbackId, t.key),
    index('feedback_competitors_key_idx').on(t.key),
    index('feedback_competitors_name_idx').on(t.nameId),
  ],
);

/** A piece of sales material used on the call and how good it was (1–5). */
export const feedbackMaterials = sqliteTable(
  'feedback_materials',
  {
    id: id(),
    feedbackId: link('feedback_id', () => feedback.id, 'cascade'),
    name: text('name').notNull(),
    key: text('key').notNull(),
    rating: integer('rating').notNull(),
    nameId: integer('name_id').references(() => fieldNames.id),
  },
  (t) => [
    uniqueIndex('feedback_materials_unique').on(t.feedbackId, t.key),
    index('feedback_materials_key_idx').on(t.key),
    index('feedback_materials_name_idx').on(t.nameId),
  ],
);

// ── rotations ──────────────────────────────────────────────────────────────

/*
 * Rotations: one person's joint assignment in a team of the other department (src/rotations).
 * - A rotation program is a kind of joint assignment: direction, length in weeks, host teams each
 *   with a capacity (guests of this program at once), learning goals and a checklist.
 * - A rotation is an all-day span of local calendar dates, `startDate`..`endDate` inclusive
 *   ('YYYY-MM-DD'). `status` moves planned -> active -> completed with the calendar (synced on
 *   read, see syncRotationStatuses); cancelled is set by HR and ignored by every rule.
 * - A rotation that breaks a rule exists only with a `rotation_overrides` row per broken rule,
 *   keeping HR's written reason and the rule's message at the time.
 * - `planId` groups the rotations one planner commit wrote.
 */
export const rotationDirections = ['marketing_to_sales', 'sales_to_marketing', 'both'] as const;
export type RotationDirectionName = (typeof rotationDirections)[number];
export const rotationStatuses = ['planned', 'active', 'completed', 'cancelled'] as const;
export type RotationStatusName = (typeof rotationStatuses)[number];
export const rotationCheckInKinds = ['midpoint', 'end'] as const;
export const rotationCheckInRoles = ['guest', 'mentor'] as const;
export const rotationPeriodKinds = ['preferred', 'unavailable'] as const;

export const rotationPrograms = sqliteTable(
  'rotation_programs',
  {
    id: id(),
    name: text('name').notNull(),
    direction: text('direction', { enum: rotationDirections }).notNull(),
    lengthWeeks: integer('length_weeks').notNull(),
    learningGoals: text('learning_goals').notNull().default(''),
    // Largest share of a home team away on rotation at once, in percent.
    coveragePercent: integer('coverage_percent').notNull().default(25),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: instant('updated_at'),
  },
  (t) => [uniqueIndex('rotation_programs_name_unique').on(sql`lower(${t.name})`)],
);

export const rotationProgramHostTeams = sqliteTable(
  'rotation_program_host_teams',
  {
    id: id(),
    programId: link('program_id', () => rotationPrograms.id, 'cascade'),
    teamId: link('team_id', () => teams.id),
    capacity: integer('capacity').notNull().default(1),
  },
  (t) => [uniqueIndex('rotation_program_host_teams_unique').on(t.programId, t.teamId), index('rotation_program_host_teams_team_idx').on(t.teamId)],
);

/**
 * The rules each rotation breaks, kept current instead of checked per view: triggers (migration
 * rotation_rule_check_triggers) mark a rotation `stale` in the same statement as any write its rules read
 * (the rotation and those overlapping it of the same people, host team or home team; people's teams, hire
 * dates, departments and active flags; unavailable periods; blackouts; programs and their host teams), and
 * every write transaction checks the stale ones again before it commits (src/rotations/rule-checks.ts).
 * The rules read data only, never the clock: a kept answer stays true until such a write.
 */
export const rotationRuleChecks = sqliteTable(
  'rotation_rule_checks',
  {
    rotationId: integer('rotation_id')
      .primaryKey()
      .references(() => rotations.id, { onDelete: 'cascade' }),
    // The codes of the rules broken (RULE_TITLES' keys), as a JSON array; '[]' keeps them all.
    broken: text('broken').notNull().default('[]'),
    // 0: checked; 1: marked by a write, checked before that write commits; 2: not checked since the table was made (the job checks it).
    stale: integer('stale').notNull().default(1),
  },
  (t) => [index('rotation_rule_checks_stale_idx').on(t.stale)],
);

/** One thing a program's guest works through, e.g. "Ride along on 5 calls". */
export const rotationChecklistItems = sqliteTable(
  'rotation_checklist_items',
  {
    id: id(),
    programId: link('program_id', () => rotationPrograms.id, 'cascade'),
    position: integer('position').notNull().default(0),
    title: text('title').notNull(),
  },
  (t) => [index('rotation_checklist_items_program_idx').on(t.programId, t.position)],
);

export const rotations = sqliteTable(
  'rotations',
  {
    id: id(),
    programId: link('program_id', () => rotationPrograms.id),
    personId: link('person_id', () => people.id),
    hostTeamId: link('host_team_id', () => teams.id),
    mentorId: integer('mentor_id').references(() => people.id),
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
    status: text('status', { enum: rotationStatuses }).notNull().default('planned'),
    planId: text('plan_id'),
    createdById: integer('created_by_id'),
    cancelledAt: instant('cancelled_at'),
    cancelReason: text('cancel_reason'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at'),
  },
  (t) => [
    // Covering the timeline's window questions (dates, status, mentor) so a page's people are asked without reading the table.
    index('rotations_person_idx').on(t.personId, t.startDate, t.endDate, t.status, t.mentorId),
    index('rotations_mentor_idx').on(t.mentorId, t.startDate),
    index('rotations_host_idx').on(t.hostTeamId, t.startDate),
    // A host team's rotations not ended before a window: what its capacity rules look at, without its whole history.
    // Covering host capacity and the timeline's host-team pages (dates, status, program) likewise.
    index('rotations_host_end_idx').on(t.hostTeamId, t.endDate, t.startDate, t.status, t.programId),
    index('rotations_program_idx').on(t.programId, t.startDate),
    index('rotations_window_idx').on(t.status, t.startDate, t.endDate),
    index('rotations_end_idx').on(t.endDate),
    // Rows whose stored status the calendar has passed (ended but still active, done but moved later): a few seeks.
    index('rotations_status_end_idx').on(t.status, t.endDate),
    // The list of every rotation in start order: a page walks it and stops, instead of sorting the company's rotations.
    // Covering what a window asks of each rotation it passes (end date, status, person), so those that ended before it are passed over in the index.
    index('rotations_start_idx').on(t.startDate, t.endDate, t.status, t.personId),
  ],
);

/**
 * The longest any rotation has lasted, in days from its start date to its end date (one row, id 1), kept by triggers on
 * rotations (migration rotation_longest_span) and never lowered: a rotation overlapping a window started at most this many
 * days before it, so a window's rotations are read from a bounded stretch of the start-date index, not the company's history.
 */
export const rotationLongestSpan = sqliteTable('rotation_longest_span', {
  id: integer('id').primaryKey(),
  days: integer('days').notNull(),
});

/**
 * How many rotations of each program hold each stored status, kept by triggers (migration rotation_status_counts) on rotations:
 * the overview's counts are these, corrected by the few rows whose stored status the calendar has passed since the
 * status job last ran, not a count of the company's every rotation.
 */
export const rotationStatusCounts = sqliteTable(
  'rotation_status_counts',
  {
    programId: integer('program_id').notNull(),
    status: text('status', { enum: rotationStatuses }).notNull(),
    rotations: integer('rotations').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.status] })],
);

/** A rule HR overrode for one rotation, with the written reason. */
export const rotationOverrides = sqliteTable(
  'rotation_overrides',
  {
    id: id(),
    rotationId: link('rotation_id', () => rotations.id, 'cascade'),
    rule: text('rule').notNull(),
    message: text('message').notNull(),
    reason: text('reason').notNull(),
    overriddenById: integer('overridden_by_id'),
    at: instant('at').notNull(),
  },
  (t) => [index('rotation_overrides_rotation_idx').on(t.rotationId)],
);

export const rotationChecklistTicks = sqliteTable(
  'rotation_checklist_ticks',
  {
    id: id(),
    rotationId: link('rotation_id', () => rotations.id, 'cascade'),
    itemId: link('item_id', () => rotationChecklistItems.id, 'cascade'),
    doneAt: instant('done_at').notNull(),
    doneById: integer('done_by_id'),
  },
  (t) => [uniqueIndex('rotation_checklist_ticks_unique').on(t.rotationId, t.itemId)],
);

/** A mid-point or end reflection by the guest or the mentor of a rotation. */
export const rotationCheckIns = sqliteTable(
  'rotation_check_ins',
  {
    id: id(),
    rotationId: link('rotation_id', () => rotations.id, 'cascade'),
    authorId: link('author_id', () => people.id),
    authorRole: text('author_role', { enum: rotationCheckInRoles }).notNull(),
    kind: text('kind', { enum: rotationCheckInKinds }).notNull(),
    learned: text('learned').notNull().default(''),
    otherDepartmentShouldChange: text('other_department_should_change').notNull().default(''),
    // The team the suggestion is for (the other department's side of this rotation), for insights.
    suggestionTeamId: integer('suggestion_team_id'),
    submittedAt: instant('submitted_at').notNull(),
    updatedAt: instant('updated_at'),
  },
  (t) => [uniqueIndex('rotation_check_ins_unique').on(t.rotationId, t.authorId, t.kind), index('rotation_check_ins_submitted_idx').on(t.submittedAt)],
);

/**
 * A plan the planner proposed, held while HR reviews it a page at a time: the request it answers, the
 * planner's figures, the people it left out (up to a page's worth) and counts of its rows, kept by each write.
 */
export const rotationPlanDrafts = sqliteTable('rotation_plan_drafts', {
  id: id(),
  programId: link('program_id', () => rotationPrograms.id, 'cascade'),
  /** The plan request (JSON), so checks and the commit rebuild the same planning input. */
  request: text('request').notNull(),
  /** The planner's figures of the proposal (JSON), null after an edit. */
  stats: text('stats'),
  /** People of the selection already planned in this program (JSON: the first few) and how many in all. */
  alreadyPlanned: text('already_planned').notNull().default('[]'),
  alreadyPlannedCount: integer('already_planned_count').notNull().default(0),
  /** Capacity rows of the whole plan by host team and week (JSON), drawn under a page's chart. */
  capacity: text('capacity').notNull().default('[]'),
  items: integer('items').notNull().default(0),
  broken: integer('broken').notNull().default(0),
  unplaced: integer('unplaced').notNull().default(0),
  createdById: integer('created_by_id'),
  createdAt: createdAt(),
});

/** A rotation of a plan under review: where it sits in the plan, its values and the rules it breaks (JSON). */
export const rotationPlanDraftItems = sqliteTable(
  'rotation_plan_draft_items',
  {
    draftId: link('draft_id', () => rotationPlanDrafts.id, 'cascade'),
    position: integer('position').notNull(),
    personId: integer('person_id').notNull(),
    hostTeamId: integer('host_team_id').notNull(),
    mentorId: integer('mentor_id'),
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
    violations: text('violations'),
    /** Suggested fixes (JSON) for the first broken rows. */
    fixes: text('fixes'),
  },
  (t) => [
    primaryKey({ columns: [t.draftId, t.position] }),
    // A review page of only the broken rows.
    index('rotation_plan_draft_items_broken_idx').on(t.draftId, t.position).where(sql`violations IS NOT NULL`),
  ],
);

/** Someone a plan under review does not place: the rule that kept them out, or removed by HR. */
export const rotationPlanDraftUnplaced = sqliteTable(
  'rotation_plan_draft_unplaced',
  {
    draftId: link('draft_id', () => rotationPlanDrafts.id, 'cascade'),
    personId: integer('person_id').notNull(),
    rule: text('rule').notNull(),
    message: text('message').notNull(),
  },
  (t) => [primaryKey({ columns: [t.draftId, t.personId] })],
);

/** A period when no rotation may run for a team or a whole department (quarter-end, launches). */
export const rotationBlackouts = sqliteTable(
  'rotation_blackouts',
  {
    id: id(),
    name: text('name').notNull(),
    teamId: integer('team_id').references(() => teams.id),
    department: text('department', { enum: departments }),
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
    createdById: integer('created_by_id'),
    createdAt: createdAt(),
  },
  (t) => [index('rotation_blackouts_window_idx').on(t.startDate, t.endDate)],
);

/** A person's preferred or unavailable period for rotations. */
export const rotationPeriods = sqliteTable(
  'rotation_periods',
  {
    id: id(),
    personId: link('person_id', () => people.id, 'cascade'),
    kind: text('kind', { enum: rotationPeriodKinds }).notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('rotation_periods_person_idx').on(t.personId, t.kind)],
);

// ── programs (onboarding, review, training completion) ─────────────────────

export const programKinds = ['onboarding', 'review'] as const;
export type ProgramKind = (typeof programKinds)[number];
export const requirementKinds = ['training', 'events', 'sign_off', 'survey'] as const;
export type RequirementKindName = (typeof requirementKinds)[number];
export const countedEventKinds = ['sales_call', 'marketing_meeting', 'alignment_meeting'] as const;
export const enrollmentSources = ['rule', 'manual'] as const;

/** What a training session teaches; a `training` requirement names one. */
export const trainingTopics = sqliteTable(
  'training_topics',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('training_topics_name_unique').on(sql`lower(${t.name})`)],
);

/** A training session is an event of kind `training`; this row says which topic it teaches. */
export const trainingSessions = sqliteTable(
  'training_sessions',
  {
    eventId: integer('event_id')
      .primaryKey()
      .references(() => events.id, { onDelete: 'cascade' }),
    topicId: link('topic_id', () => trainingTopics.id),
  },
  (t) => [index('training_sessions_topic_idx').on(t.topicId)],
);

export const programs = sqliteTable(
  'programs',
  {
    id: id(),
    name: text('name').notNull(),
    kind: text('kind', { enum: programKinds }).notNull(),
    description: text('description').notNull().default(''),
    // Review programs only: the rhythm (RRULE without DTSTART) and the local date it is anchored at.
    rrule: text('rrule'),
    anchorDate: text('anchor_date'),
    dueSoonDays: integer('due_soon_days').notNull().default(7),
    // UTC date on which new review cycles were last materialised (see ensureCurrentCycles).
    cyclesCheckedOn: text('cycles_checked_on'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: instant('updated_at'),
  },
  (t) => [uniqueIndex('programs_name_unique').on(sql`lower(${t.name})`)],
);

export const programRequirements = sqliteTable(
  'program_requirements',
  {
    id: id(),
    programId: link('program_id', () => programs.id, 'cascade'),
    position: integer('position').notNull().default(0),
    title: text('title').notNull(),
    kind: text('kind', { enum: requirementKinds }).notNull(),
    topicId: integer('topic_id').references(() => trainingTopics.id),
    eventKind: text('event_kind', { enum: countedEventKinds }),
    count: integer('count').notNull().default(1),
    dueOffsetDays: integer('due_offset_days').notNull(),
  },
  (t) => [index('program_requirements_program_idx').on(t.programId, t.position), index('program_requirements_topic_idx').on(t.topicId)],
);

/** Enrolls every active person who matches all of the criteria that are set. */
export const enrollmentRules = sqliteTable(
  'enrollment_rules',
  {
    id: id(),
    programId: link('program_id', () => programs.id, 'cascade'),
    department: text('department', { enum: departments }),
    teamId: integer('team_id').references(() => teams.id),
    role: text('role', { enum: roles }),
    hiredOnOrAfter: text('hired_on_or_after'),
    hiredOnOrBefore: text('hired_on_or_before'),
    createdAt: createdAt(),
    // Set while people the rule matches are still to be enrolled: a rule matching more than its request enrolls
    // leaves them to the rules job, which enrolls them a part at a time (and after a restart) and then clears it.
    pendingSince: instant('pending_since'),
  },
  (t) => [
    index('enrollment_rules_program_idx').on(t.programId),
    index('enrollment_rules_pending_idx').on(t.pendingSince).where(sql`${t.pendingSince} IS NOT NULL`),
  ],
);

export const enrollments = sqliteTable(
  'enrollments',
  {
    id: id(),
    programId: link('program_id', () => programs.id, 'cascade'),
    personId: link('person_id', () => people.id),
    // Onboarding: the hire date. Review: cycles starting on or after this local date count.
    startDate: text('start_date').notNull(),
    // The person's team when enrolled; leaving it ends open requirements.
    teamId: integer('team_id'),
    source: text('source', { enum: enrollmentSources }).notNull(),
    ruleId: integer('rule_id'),
    enrolledById: integer('enrolled_by_id'),
    enrolledAt: instant('enrolled_at').notNull(),
    endedAt: instant('ended_at'),
    endReason: text('end_reason'),
  },
  (t) => [
    uniqueIndex('enrollments_program_person_unique').on(t.programId, t.personId),
    // Covers "has a running enrollment (in this program)", asked per person by the dashboards.
    index('enrollments_person_idx').on(t.personId, t.endedAt, t.programId),
    // Ended enrollments of a program (lists and counts of who left), read without the far more numerous running ones.
    index('enrollments_ended_idx').on(t.programId, t.personId).where(sql`${t.endedAt} IS NOT NULL`),
  ],
);

/**
 * One requirement for one enrolled person (and one cycle of a review program), kept up to date
 * whenever evidence changes, so reports aggregate in SQL. The state is derived from the instants:
 * done when completed_at <= now, overdue when due_at <= now, due soon when due_soon_at <= now.
 */
export const requirementCompletions = sqliteTable(
  'requirement_completions',
  {
    id: id(),
    enrollmentId: link('enrollment_id', () => enrollments.id, 'cascade'),
    programId: integer('program_id').notNull(),
    requirementId: link('requirement_id', () => programRequirements.id, 'cascade'),
    personId: integer('person_id').notNull(),
    // Copied from the person and the enrollment so reports aggregate this table alone (no joins).
    teamId: integer('team_id'),
    department: text('department'),
    // The enrollment is running (and so the person is active); ended enrollments keep their rows as history.
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    cycleIndex: integer('cycle_index').notNull().default(0),
    windowFrom: instant('window_from').notNull(),
    windowUntil: instant('window_until'),
    dueDate: text('due_date').notNull(),
    dueAt: instant('due_at').notNull(),
    dueSoonAt: instant('due_soon_at').notNull(),
    completedAt: instant('completed_at'),
    late: integer('late', { mode: 'boolean' }).notNull().default(false),
    have: integer('have').notNull().default(0),
    need: integer('need').notNull().default(1),
    evidence: text('evidence', { mode: 'json' }),
    // Set when the enrollment ended before the requirement was met; the row stays as history.
    endedAt: instant('ended_at'),
    remindedAt: instant('reminded_at'),
  },
  (t) => [
    uniqueIndex('requirement_completions_unique').on(t.enrollmentId, t.requirementId, t.cycleIndex),
    // A person's rows, covering what decides their current state and their counts (late too): the state filter probes a
    // person, and a page of people's progress counts them, with this index alone.
    index('requirement_completions_person_idx').on(t.personId, t.active, t.programId, t.windowFrom, t.windowUntil, t.completedAt, t.dueSoonAt, t.dueAt, t.late),
    // Covering indexes of the completion report: it reads only index pages, already grouped by team and requirement.
    index('requirement_completions_report_idx').on(
      t.active,
      t.teamId,
      t.requirementId,
      t.programId,
      t.windowFrom,
      t.windowUntil,
      t.completedAt,
      t.dueAt,
      t.dueSoonAt,
      t.late,
      t.personId,
      t.department,
    ),
    index('requirement_completions_program_report_idx').on(
      t.programId,
      t.active,
      t.teamId,
      t.requirementId,
      t.windowFrom,
      t.windowUntil,
      t.completedAt,
      t.dueAt,
      t.dueSoonAt,
      t.late,
      t.personId,
      t.department,
    ),
    // The rows not done whose due-soon instant has passed (overdue or due soon), in that instant's order: the people in
    // those states come from these few rows instead of every row of the scope (the dashboard's state filter, peopleDueBy).
    index('requirement_completions_open_due_idx')
      .on(t.dueSoonAt, t.dueAt, t.windowFrom, t.windowUntil, t.programId, t.teamId, t.department, t.personId)
      .where(sql`${t.completedAt} IS NULL AND ${t.active} = 1`),
    // The rows done, latest window first: the people with something done come from these until enough are found.
    index('requirement_completions_done_idx')
      .on(t.windowFrom, t.windowUntil, t.programId, t.teamId, t.department, t.personId)
      .where(sql`${t.completedAt} IS NOT NULL AND ${t.active} = 1`),
  ],
);

/**
 * People with a running enrollment, per team (team_key: the team's id, 0 for no team) and program
 * (program_key: the program's id, 0 for "any active program": someone counted once however many
 * programs they are in). Kept by triggers on enrollments, people and programs in the same
 * transaction as every write (db/migrations), so a dashboard reads its teams' rows instead of
 * probing every person in scope.
 */
export const enrolledPeople = sqliteTable(
  'enrolled_people',
  { teamKey: integer('team_key').notNull(), programKey: integer('program_key').notNull(), people: integer('people').notNull() },
  (t) => [uniqueIndex('enrolled_people_unique').on(t.programKey, t.teamKey)],
);

/**
 * enrolled_people summed over teams, one row per program key (0: any active program), kept by triggers on
 * enrolled_people: "everyone enrolled" (HR's dashboard, the programs list) reads one row, not a row per team.
 */
export const enrolledProgramPeople = sqliteTable('enrolled_program_people', {
  programKey: integer('program_key').primaryKey(),
  people: integer('people').notNull(),
});

/**
 * The current requirement_completions rows of people in a team, counted per team, requirement and
 * everything the state at report time depends on (window, due instants, done, late), so the
 * company-wide report sums a few thousand groups instead of a row per person and requirement.
 * Time passing changes no count: the report compares the instants with now, as it does for rows.
 * tracking.ts moves the counts along in the transaction that writes the rows; people without a
 * team are left out (the report reads their rows directly).
 */
export const completionCounts = sqliteTable(
  'completion_counts',
  {
    teamId: integer('team_id').notNull(),
    requirementId: link('requirement_id', () => programRequirements.id, 'cascade'),
    programId: integer('program_id').notNull(),
    windowFrom: instant('window_from').notNull(),
    windowUntil: instant('window_until'),
    dueAt: instant('due_at').notNull(),
    dueSoonAt: instant('due_soon_at').notNull(),
    done: integer('done', { mode: 'boolean' }).notNull(),
    late: integer('late', { mode: 'boolean' }).notNull(),
    rows: integer('rows').notNull(),
  },
  // Covering, in report order: the report reads only this index, already grouped by team. The
  // instants' indexes find the groups whose state changed between two instants (completion_totals).
  (t) => [
    index('completion_counts_group_idx').on(t.teamId, t.requirementId, t.programId, t.windowFrom, t.windowUntil, t.dueAt, t.dueSoonAt, t.done, t.late, t.rows),
    index('completion_counts_window_from_idx').on(t.windowFrom),
    index('completion_counts_window_until_idx').on(t.windowUntil),
    index('completion_counts_due_idx').on(t.dueAt),
    index('completion_counts_due_soon_idx').on(t.dueSoonAt),
  ],
);

/**
 * completion_counts summed as the report shows them, as they stand at one instant (completion_totals_at):
 * per requirement over every team (team_key 0), per team and program (requirement_key 0), and per
 * team over every active program (program_key 0, requirement_key 0). Triggers on completion_counts and
 * on programs' active flag keep them in the write's transaction; a report at another instant adds what
 * changed in between (the groups with an instant in between, few), and a background job moves the
 * instant along. The company-wide report reads these instead of every team's groups.
 */
export const completionTotals = sqliteTable(
  'completion_totals',
  {
    teamKey: integer('team_key').notNull(),
    programKey: integer('program_key').notNull(),
    requirementKey: integer('requirement_key').notNull(),
    rows: integer('rows').notNull(),
    done: integer('done').notNull(),
    late: integer('late').notNull(),
    overdue: integer('overdue').notNull(),
    dueSoonOrOverdue: integer('due_soon_or_overdue').notNull(),
  },
  // A second, partial index on the share done ranks the teams (hand-written in its migration: an expression).
  (t) => [uniqueIndex('completion_totals_key').on(t.teamKey, t.programKey, t.requirementKey)],
);

/**
 * completion_counts summed per requirement over the teams a manager's reports show as whole teams: those managed by
 * the manager or by anyone below them in the reporting chain, at the instant of completion_totals_at. Kept by triggers
 * on completion_counts, on teams' managers and on reporting_chain's rows, so a department's head's figures per
 * requirement are one row each, not the sum of hundreds of teams' groups.
 */
export const completionChainTotals = sqliteTable(
  'completion_chain_totals',
  {
    managerId: integer('manager_id').notNull(),
    requirementId: integer('requirement_id').notNull(),
    programId: integer('program_id').notNull(),
    rows: integer('rows').notNull(),
    done: integer('done').notNull(),
    late: integer('late').notNull(),
    overdue: integer('overdue').notNull(),
    dueSoonOrOverdue: integer('due_soon_or_overdue').notNull(),
  },
  (t) => [primaryKey({ columns: [t.managerId, t.requirementId] })],
);

/** The instant completion_totals stand at: one row. */
export const completionTotalsAt = sqliteTable('completion_totals_at', {
  id: integer('id').primaryKey(),
  at: integer('at').notNull(),
});

/**
 * Completion over time, kept: at each week's start (Monday 00:00 UTC, `weekAt`) the rows that counted then
 * (window open, not ended), done and overdue by then, per team the row had then (team_key 0: no team) and
 * program. Written once per week by the background job (recordCompletionHistory) and never rewritten: later
 * answers change the future only.
 */
export const completionHistory = sqliteTable(
  'completion_history',
  {
    weekAt: integer('week_at').notNull(),
    teamKey: integer('team_key').notNull(),
    programId: integer('program_id').notNull(),
    total: integer('total').notNull(),
    done: integer('done').notNull(),
    overdue: integer('overdue').notNull(),
  },
  (t) => [primaryKey({ columns: [t.weekAt, t.teamKey, t.programId] })],
);

/**
 * completion_history summed for the chart's scopes: everyone (scope_key 0: every team and no team) and each manager's
 * whole teams (scope_key: the manager's id; the teams managed by them or anyone below them, as they are now). Kept by
 * triggers on completion_history, on teams' managers and on reporting_chain's rows, so a week of the chart is one row
 * per program, not one per team.
 */
export const completionHistorySums = sqliteTable(
  'completion_history_sums',
  {
    weekAt: integer('week_at').notNull(),
    scopeKey: integer('scope_key').notNull(),
    programId: integer('program_id').notNull(),
    total: integer('total').notNull(),
    done: integer('done').notNull(),
    overdue: integer('overdue').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scopeKey, t.weekAt, t.programId] })],
);

/** The week starts completion_history has been recorded for (a week may have no rows at all). */
export const completionHistoryWeeks = sqliteTable('completion_history_weeks', {
  weekAt: integer('week_at').primaryKey(),
});

/**
 * How far completion rows have taken in evidence other features write (the last survey response id
 * seen), so reports pick up new answers without the surveys feature having to call in.
 */
export const completionSources = sqliteTable('completion_sources', {
  source: text('source').primaryKey(),
  seenId: integer('seen_id').notNull().default(0),
});

export const signOffs = sqliteTable(
  'sign_offs',
  {
    id: id(),
    requirementId: link('requirement_id', () => programRequirements.id, 'cascade'),
    personId: link('person_id', () => people.id),
    byPersonId: link('by_person_id', () => people.id),
    at: instant('at').notNull(),
    note: text('note').notNull().default(''),
  },
  (t) => [index('sign_offs_person_idx').on(t.personId, t.requirementId)],
);

export const attendanceStatuses = ['attended', 'no_show'] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];

/** What actually happened at one occurrence for one person, marked by the host (or HR). */
export const attendance = sqliteTable(
  'attendance',
  {
    id: id(),
    eventId: link('event_id', () => events.id, 'cascade'),
    occurrenceStart: instant('occurrence_start').notNull(),
    personId: link('person_id', () => people.id),
    status: text('status', { enum: attendanceStatuses }).notNull(),
    // Marked although they held no place there (no invitation, or declined / waitlisted): kept as such.
    walkIn: integer('walk_in', { mode: 'boolean' }).notNull().default(false),
    markedById: integer('marked_by_id'),
    markedAt: instant('marked_at').notNull(),
  },
  (t) => [
    uniqueIndex('attendance_occurrence_person_unique').on(t.eventId, t.occurrenceStart, t.personId),
    index('attendance_person_idx').on(t.personId, t.status),
  ],
);

/** The code a host shows in the room; attendees type it to check in, the host confirms. */
export const checkInCodes = sqliteTable(
  'check_in_codes',
  {
    id: id(),
    eventId: link('event_id', () => events.id, 'cascade'),
    occurrenceStart: instant('occurrence_start').notNull(),
    code: text('code').notNull(),
    createdById: integer('created_by_id').notNull(),
    createdAt: instant('created_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
  },
  (t) => [uniqueIndex('check_in_codes_occurrence_unique').on(t.eventId, t.occurrenceStart), index('check_in_codes_code_idx').on(t.code, t.expiresAt)],
);

export const checkIns = sqliteTable(
  'check_ins',
  {
    id: id(),
    eventId: link('event_id', () => events.id, 'cascade'),
    occurrenceStart: instant('occurrence_start').notNull(),
    personId: link('person_id', () => people.id),
    checkedInAt: instant('checked_in_at').notNull(),
    confirmedAt: instant('confirmed_at'),
    confirmedById: integer('confirmed_by_id'),
  },
  (t) => [uniqueIndex('check_ins_unique').on(t.eventId, t.occurrenceStart, t.personId)],
);

// ── surveys, advantages, liaisons, scorecard ───────────────────────────────
export const answerStatuses = ['matched', 'doubtful', 'unmatched'] as const;
export type AnswerStatus = (typeof answerStatuses)[number];
export const populationKinds = ['everyone', 'department', 'teams', 'new_hires'] as const;
export type PopulationKind = (typeof populationKinds)[number];
export const suggestionStatuses = ['open', 'accepted', 'done', 'rejected'] as const;
export type SuggestionStatus = (typeof suggestionStatuses)[number];
export const suggestionSources = ['feedback', 'check_in', 'manual'] as const;
export type SuggestionSource = (typeof suggestionSources)[number];

/** One edition of the official advantages; editing them makes a new version, rounds keep theirs. */
export const advantageVersions = sqliteTable(
  'advantage_versions',
  {
    id: id(),
    number: integer('number').notNull(),
    note: text('note').notNull().default(''),
    createdById: integer('created_by_id').references(() => people.id),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [uniqueIndex('advantage_versions_number_unique').on(t.number)],
);

/** An official advantage within one version; `key` stays the same across versions (recall trends follow it). */
export const advantages = sqliteTable(
  'advantages',
  {
    id: id(),
    versionId: link('version_id', () => advantageVersions.id, 'cascade'),
    key: text('key').notNull(),
    position: integer('position').notNull().default(0),
    name: text('name').notNull(),
    statement: text('statement').notNull().default(''),
    synonyms: text('synonyms', { mode: 'json' }).$type<string[]>().notNull(),
  },
  (t) => [uniqueIndex('advantages_version_key_unique').on(t.versionId, t.key)],
);

/** A shared-mindset survey for a population, open until `closesAt` (or until HR closes it early). */
export const surveyRounds = sqliteTable(
  'survey_rounds',
  {
    id: id(),
    title: text('title').notNull(),
    populationKind: text('population_kind', { enum: populationKinds }).notNull(),
    populationDepartment: text('population_department', { enum: departments }),
    populationTeamIds: text('population_team_ids', { mode: 'json' }).$type<number[]>(),
    populationHiredWithinDays: integer('population_hired_within_days'),
    anonymous: integer('anonymous', { mode: 'boolean' }).notNull().default(false),
    // The advantages the answers are judged against; saving a synonym from the review queue moves it on.
    advantageVersionId: link('advantage_version_id', () => advantageVersions.id),
    opensAt: instant('opens_at').notNull(),
    closesOn: text('closes_on').notNull(),
    closesAt: instant('closes_at').notNull(),
    closedEarlyAt: instant('closed_early_at'),
    // The minimum group size (k) promised when the round opened: raising HR's setting later raises it, lowering never does.
    minGroupSize: integer('min_group_size').notNull().default(5),
    createdById: integer('created_by_id').references(() => people.id),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [index('survey_rounds_closes_idx').on(t.closesAt)],
);

/** Who a round asks (fixed when it opens), with their department and team then: the response rate's base. */
export const surveyParticipants = sqliteTable(
  'survey_participants',
  {
    id: id(),
    roundId: link('round_id', () => surveyRounds.id, 'cascade'),
    personId: link('person_id', () => people.id),
    department: text('department', { enum: departments }).notNull(),
    teamId: integer('team_id'),
    remindedAt: instant('reminded_at'),
  },
  (t) => [
    uniqueIndex('survey_participants_unique').on(t.roundId, t.personId),
    index('survey_participants_person_idx').on(t.personId),
    index('survey_participants_round_team_idx').on(t.roundId, t.department, t.teamId),
  ],
);

/** One person's three answers in a round. */
export const surveyResponses = sqliteTable(
  'survey_responses',
  {
    id: id(),
    roundId: link('round_id', () => surveyRounds.id, 'cascade'),
    personId: link('person_id', () => people.id),
    department: text('department', { enum: departments }).notNull(),
    teamId: integer('team_id'),
    submittedAt: instant('submitted_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [uniqueIndex('survey_responses_unique').on(t.roundId, t.personId), index('survey_responses_person_idx').on(t.personId)],
);

/*
 * The rounds a participant has not answered yet, kept for the navigation's count (unansweredRoundsCount) so a
 * page reads a few index entries instead of every round: a row per participant without a response in a round
 * not closed early, with the round's opening and closing instants. Triggers on participants, responses and
 * rounds keep it in the writing transaction (migration 0042).
 */
export const unansweredRounds = sqliteTable(
  'unanswered_rounds',
  {
    roundId: integer('round_id').notNull(),
    personId: integer('person_id').notNull(),
    opensAt: integer('opens_at').notNull(),
    closesAt: integer('closes_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.personId] }), index('unanswered_rounds_person_idx').on(t.personId, t.closesAt, t.opensAt)],
);

/**
 * One free-text answer and what it was matched to. `normalised` groups identical answers for the review
 * queue and "what people say instead"; department and team are copied from the response for fast reports.
 * An answer HR assigned (`assignedById` set) keeps its assignment when the round is re-scored.
 */
export const surveyAnswers = sqliteTable(
  'survey_answers',
  {
    id: id(),
    responseId: link('response_id', () => surveyResponses.id, 'cascade'),
    roundId: integer('round_id').notNull(),
    position: integer('position').notNull(),
    text: text('text').notNull(),
    normalised: text('normalised').notNull(),
    advantageKey: text('advantage_key'),
    // 0..1000: the matcher's score in thousandths.
    scoreMilli: integer('score_milli').notNull().default(0),
    status: text('status', { enum: answerStatuses }).notNull(),
    department: text('department', { enum: departments }).notNull(),
    teamId: integer('team_id'),
    assignedById: integer('assigned_by_id'),
    assignedAt: instant('assigned_at'),
  },
  (t) => [
    uniqueIndex('survey_answers_position_unique').on(t.responseId, t.position),
    index('survey_answers_round_status_idx').on(t.roundId, t.status, t.normalised),
    index('survey_answers_round_department_idx').on(t.roundId, t.department, t.teamId),
    // The first text of a group of answers not matched, read by min() in one step ("what people say instead").
    index('survey_answers_unmatched_text_idx').on(t.roundId, t.normalised, t.department, t.text).where(sql`${t.status} <> 'matched'`),
    // The highest score and advantage among a review group's answers (survey_review_groups), each found in one step
    // when an answer leaves the group.
    index('survey_answers_review_score_idx').on(t.roundId, t.normalised, t.scoreMilli).where(sql`${t.status} <> 'matched' AND ${t.assignedById} IS NULL`),
    index('survey_answers_review_key_idx').on(t.roundId, t.normalised, t.advantageKey).where(sql`${t.status} <> 'matched' AND ${t.assignedById} IS NULL`),
    // The export's two orders, read a part at a time from where the last part ended (roundAnswersCsv): a named
    // round by response, an anonymous one by what each line shows.
    index('survey_answers_export_idx').on(t.roundId, t.responseId, t.position),
    index('survey_answers_anonymous_export_idx').on(
      t.roundId,
      t.text,
      t.department,
      t.status,
      sql`ifnull(${t.advantageKey}, '')`,
      t.scoreMilli,
      sql`${t.assignedById} IS NOT NULL`,
    ),
  ],
);

/** The columns every kept survey tally is grouped by first: the round and the department. */
const roundDepartment = () => ({
  roundId: integer('round_id').notNull(),
  department: text('department', { enum: departments }).notNull(),
});
/** A count kept by triggers. */
const counter = (name: string) => integer(name).notNull();

/**
 * A round's respondents counted per department, team (0: no team) and what their answers came to: how many
 * answers, how many matched, how many distinct advantages they named. Kept by triggers on responses and
 * answers in the same transaction as every write (migration 0017), so results read counts, not answers.
 */
export const surveyTallies = sqliteTable(
  'survey_tallies',
  {
    ...roundDepartment(),
    teamKey: integer('team_key').notNull(),
    answers: counter('answers'),
    matched: counter('matched'),
    named: counter('named'),
    respondents: counter('respondents'),
  },
  (t) => [uniqueIndex('survey_tallies_bucket_unique').on(t.roundId, t.department, t.teamKey, t.answers, t.matched, t.named)],
);

/** Respondents of a round per department who named an advantage (matched at least one answer to it); kept by triggers. */
export const surveyRecallTallies = sqliteTable(
  'survey_recall_tallies',
  { ...roundDepartment(), advantageKey: text('advantage_key').notNull(), respondents: counter('respondents') },
  (t) => [uniqueIndex('survey_recall_tallies_unique').on(t.roundId, t.department, t.advantageKey)],
);

/** Answers of a round not matched (unmatched or doubtful) per normalised text and department, and how many nobody assigned; kept by triggers. */
export const surveyUnmatchedTallies = sqliteTable(
  'survey_unmatched_tallies',
  { ...roundDepartment(), normalised: text('normalised').notNull(), answers: counter('answers'), unassigned: counter('unassigned') },
  (t) => [uniqueIndex('survey_unmatched_tallies_unique').on(t.roundId, t.normalised, t.department)],
);

/**
 * HR's review queue of a round: its answers waiting for review (not matched, not assigned) per normalised text, with
 * how many are doubtful and the highest score and advantage among them; kept by triggers on survey_answers, so the
 * queue's first page is read in its order (answers, score: the index is descending, written in the migration).
 */
export const surveyReviewGroups = sqliteTable(
  'survey_review_groups',
  {
    roundId: integer('round_id').notNull(),
    normalised: text('normalised').notNull(),
    answers: counter('answers'),
    doubtful: counter('doubtful'),
    scoreMilli: integer('score_milli').notNull(),
    candidateKey: text('candidate_key'),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.normalised] }), index('survey_review_groups_order_idx').on(t.roundId, t.answers, t.scoreMilli, t.normalised)],
);

/** The texts of a review group as people wrote them, each with how many answers; kept by triggers on survey_answers. */
export const surveyReviewTexts = sqliteTable(
  'survey_review_texts',
  { roundId: integer('round_id').notNull(), normalised: text('normalised').notNull(), text: text('text').notNull(), answers: counter('answers') },
  (t) => [primaryKey({ columns: [t.roundId, t.normalised, t.text] }), index('survey_review_texts_order_idx').on(t.roundId, t.normalised, t.answers, t.text)],
);

/** A round's review groups and answers waiting for review, summed from survey_review_groups by triggers. */
export const surveyReviewTotals = sqliteTable('survey_review_totals', {
  roundId: integer('round_id').primaryKey(),
  groups: counter('groups'),
  answers: counter('answers'),
});

/** Who a round asks per department and team (0: no team); kept by triggers on survey_participants. */
export const surveyParticipantTallies = sqliteTable(
  'survey_participant_tallies',
  { ...roundDepartment(), teamKey: integer('team_key').notNull(), participants: counter('participants') },
  (t) => [uniqueIndex('survey_participant_tallies_unique').on(t.roundId, t.department, t.teamKey)],
);

/** A group's figures as the results show them, summed from survey_tallies and survey_participant_tallies by triggers. */
const groupCounters = () => ({
  participants: counter('participants'),
  respondents: counter('respondents'),
  answers: counter('answers'),
  matched: counter('matched'),
  /** Respondents who named at least one, two, three distinct advantages ("named all" is the one of the version's count). */
  named1: counter('named1'),
  named2: counter('named2'),
  named3: counter('named3'),
  /** Respondents whose own matched answers are under the shared-mindset threshold. */
  below: counter('below'),
});

/**
 * A round's figures per department and team (0: no team), one row each: the By-team table pages, ranks and counts
 * its teams in SQL from these rows (migration 0023), instead of summing every team's buckets on each view.
 */
export const surveyTeamTallies = sqliteTable(
  'survey_team_tallies',
  { ...roundDepartment(), teamKey: integer('team_key').notNull(), ...groupCounters() },
  (t) => [
    uniqueIndex('survey_team_tallies_unique').on(t.roundId, t.department, t.teamKey),
    // A named round's By-team page in rank order (teams with answers first, weakest match rate first), read a page at a time.
    index('survey_team_tallies_rank_idx').on(t.roundId, sql`${t.answers} = 0`, sql`CAST(${t.matched} AS REAL) / ${t.answers}`),
  ],
);

/** A round's figures per department: the overall and department cells and the trend read these few rows (migration 0023). */
export const surveyDepartmentTallies = sqliteTable('survey_department_tallies', { ...roundDepartment(), ...groupCounters() }, (t) => [
  uniqueIndex('survey_department_tallies_unique').on(t.roundId, t.department),
]);

/** A person appointed to link a team with the other department (a marketer for a sales team, or the reverse). */
export const liaisons = sqliteTable(
  'liaisons',
  {
    id: id(),
    personId: link('person_id', () => people.id),
    teamId: link('team_id', () => teams.id),
    appointedById: integer('appointed_by_id').references(() => people.id),
    appointedAt: instant('appointed_at').notNull(),
    endedAt: instant('ended_at'),
    endedById: integer('ended_by_id'),
  },
  (t) => [index('liaisons_team_idx').on(t.teamId, t.endedAt), index('liaisons_person_idx').on(t.personId, t.endedAt)],
);

/**
 * A field suggestion in a team's liaison backlog: open -> accepted -> done, or rejected with a reason.
 * Its owner is the team's liaison in office; without one (or without a team) it waits in the
 * unassigned backlog HR sees. The one place a suggestion's state is kept.
 */
export const suggestions = sqliteTable(
  'suggestions',
  {
    id: id(),
    teamId: integer('team_id').references(() => teams.id),
    title: text('title').notNull(),
    detail: text('detail').notNull().default(''),
    source: text('source', { enum: suggestionSources }).notNull(),
    // Where it came from, e.g. 'feedback:12' or 'check_in:7'; one suggestion per source.
    sourceRef: text('source_ref'),
    status: text('status', { enum: suggestionStatuses }).notNull().default('open'),
    rejectReason: text('reject_reason'),
    createdById: integer('created_by_id'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    acceptedAt: instant('accepted_at'),
    closedAt: instant('closed_at'),
  },
  (t) => [
    index('suggestions_team_status_idx').on(t.teamId, t.status),
    // The unassigned backlog: open and accepted suggestions across teams.
    index('suggestions_status_team_idx').on(t.status, t.teamId),
    uniqueIndex('suggestions_source_unique').on(t.sourceRef),
  ],
);

/** HR's survey settings (one row): the response rate a verdict needs and the minimum group size of anonymous rounds. */
export const surveySettings = sqliteTable('survey_settings', {
  id: integer('id').primaryKey(),
  minResponseRatePercent: integer('min_response_rate_percent').notNull().default(50),
  minGroupSize: integer('min_group_size').notNull().default(5),
  updatedById: integer('updated_by_id'),
  updatedAt: instant('updated_at').notNull(),
});

/** HR's scorecard thresholds (one row; see scorecardThresholdsSchema in src/scorecard/stage.ts). */
export const scorecardSettings = sqliteTable('scorecard_settings', {
  id: integer('id').primaryKey(),
  thresholds: text('thresholds', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  updatedById: integer('updated_by_id'),
  updatedAt: instant('updated_at').notNull(),
});

/*
 * The scorecard's alignment meetings, kept current by the writes that change them (triggers note the
 * meeting in scorecard_changes, writeTransaction applies it before COMMIT; src/scorecard/meetings.ts),
 * so a view sums a few rows per team instead of walking every invitation of every meeting.
 */

/** Teams an alignment meeting belongs to: its own team, its host's team, the teams of everyone invited. */
export const scorecardMeetingTeams = sqliteTable(
  'scorecard_meeting_teams',
  {
    teamId: integer('team_id').notNull(),
    eventId: integer('event_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.eventId] }), index('scorecard_meeting_teams_event_idx').on(t.eventId)],
);

/** The occurrences counted for alignment meetings (not called off), held = with an agenda. */
export const scorecardMeetingOccurrences = sqliteTable(
  'scorecard_meeting_occurrences',
  {
    eventId: integer('event_id').notNull(),
    originalStart: integer('original_start').notNull(),
    start: integer('start').notNull(),
    end: integer('end').notNull(),
    held: integer('held').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.originalStart] }),
    index('scorecard_meeting_occurrences_start_idx').on(t.start),
    // A page of teams reads its meetings' occurrences in a stretch of time.
    index('scorecard_meeting_occurrences_event_start_idx').on(t.eventId, t.start),
  ],
);

/**
 * Per team and UTC day (days since 1970): the meeting occurrences starting that day, and those of them
 * running past the next midnight (at most 12 hours long, so they reach only the next day).
 */
export const scorecardMeetingDays = sqliteTable(
  'scorecard_meeting_days',
  {
    teamId: integer('team_id').notNull(),
    day: integer('day').notNull(),
    started: integer('started').notNull(),
    startedHeld: integer('started_held').notNull(),
    crossing: integer('crossing').notNull(),
    crossingHeld: integer('crossing_held').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.day] })],
);

/**
 * The same counts of occurrences starting in each UTC month (months since January 1970), so a view sums a
 * page of teams' quarters from a few months and the days of the current one, not from every day.
 */
export const scorecardMeetingMonths = sqliteTable(
  'scorecard_meeting_months',
  {
    teamId: integer('team_id').notNull(),
    month: integer('month').notNull(),
    started: integer('started').notNull(),
    startedHeld: integer('started_held').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.month] })],
);

/**
 * The same counts per team and UTC hour (hours since 1970): the part of a day up to an instant, such as
 * today up to now, is read from its whole hours, and only the part of an hour before it occurrence by occurrence.
 */
export const scorecardMeetingHours = sqliteTable(
  'scorecard_meeting_hours',
  {
    teamId: integer('team_id').notNull(),
    hour: integer('hour').notNull(),
    started: integer('started').notNull(),
    startedHeld: integer('started_held').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.hour] })],
);

/**
 * Each alignment meeting's teams (its rows of scorecard_meeting_teams) in one value, team ids as 4-byte
 * big-endian integers: the occurrences in part of an hour are matched to a page's teams in one read each,
 * not one lookup per occurrence and team.
 */
export const scorecardMeetingTeamSets = sqliteTable('scorecard_meeting_team_sets', {
  eventId: integer('event_id').primaryKey(),
  teams: blob('teams', { mode: 'buffer' }).notNull(),
});

/** Active people per team, kept by triggers on people (db/migrations): HR's list of teams without counting every member. */
export const teamHeadcounts = sqliteTable('team_headcounts', {
  teamId: integer('team_id').primaryKey(),
  active: integer('active').notNull(),
});

/** Active people per department, kept by triggers on people (db/migrations): the scorecard's marketers without counting them. */
export const departmentHeadcounts = sqliteTable('department_headcounts', {
  department: text('department').primaryKey(),
  active: integer('active').notNull(),
});

/**
 * Ride-alongs as the scorecard counts them: a marketer attended a sales call, kept for the call's own
 * team and its host's team (both may be the pair's sales team), at the occurrence's start.
 */
export const scorecardRideAlongs = sqliteTable(
  'scorecard_ride_alongs',
  {
    teamId: integer('team_id').notNull(),
    eventId: integer('event_id').notNull(),
    occurrenceStart: integer('occurrence_start').notNull(),
    personId: integer('person_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.eventId, t.occurrenceStart, t.personId] }),
    index('scorecard_ride_alongs_team_start_idx').on(t.teamId, t.occurrenceStart),
    index('scorecard_ride_alongs_event_idx').on(t.eventId),
  ],
);

/**
 * Rotations between a team and marketing, as the scorecard counts them: a member of the team rotating into a
 * marketing team, or a marketer rotating into the team; cancelled ones left out. Kept by triggers on rotations,
 * people (team, department) and teams (department), see db/migrations, so a view reads a page of teams' rows.
 */
export const scorecardRotations = sqliteTable(
  'scorecard_rotations',
  {
    teamId: integer('team_id').notNull(),
    rotationId: integer('rotation_id').notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.rotationId] }),
    index('scorecard_rotations_rotation_idx').on(t.rotationId),
    // A page of teams reads the rotations overlapping the trend from this index alone.
    index('scorecard_rotations_team_end_idx').on(t.teamId, t.endDate, t.startDate),
  ],
);

/** Alignment meetings and sales calls whose kept rows a write in this transaction changed (see the triggers in db/migrations). */
export const scorecardChanges = sqliteTable('scorecard_changes', {
  eventId: integer('event_id').primaryKey(),
});

/** One row: built = 1 once the kept rows match the data; 0 makes the triggers idle until a rebuild (bulk loads). */
export const scorecardAggregateState = sqliteTable('scorecard_aggregate_state', {
  id: integer('id').primaryKey(),
  built: integer('built').notNull(),
});
