import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/*
 * All tables of crosstrain. Each feature keeps its tables in its own section below.
 * Instants are stored as integer milliseconds since the epoch (UTC); calendar dates as 'YYYY-MM-DD' text.
 */

export const departments = ['sales', 'marketing', 'other'] as const;
export type Department = (typeof departments)[number];
export const roles = ['hr', 'manager', 'employee'] as const;
export type Role = (typeof roles)[number];

const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

// ── foundation: people, teams, accounts, audit, outbox ─────────────────────

export const teams = sqliteTable(
  'teams',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    department: text('department', { enum: departments }).notNull(),
    managerId: integer('manager_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('teams_name_unique').on(sql`lower(${t.name})`), index('teams_department_idx').on(t.department)],
);

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: integer('locked_until', { mode: 'timestamp_ms' }),
    // Working hours in the person's own zone, minutes after local midnight; used for conflict warnings.
    workdayStartMinute: integer('workday_start_minute').notNull().default(540),
    workdayEndMinute: integer('workday_end_minute').notNull().default(1020),
    reminderLeadMinutes: integer('reminder_lead_minutes').notNull().default(1440),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('people_email_unique').on(sql`lower(${t.email})`),
    index('people_team_idx').on(t.teamId),
    index('people_manager_idx').on(t.managerId),
    index('people_department_name_idx').on(t.department, t.name),
    index('people_name_idx').on(t.name),
  ],
);

export const sessions = sqliteTable(
  'sessions',
  {
    // sha256 of the cookie value: a stolen database does not yield live sessions.
    id: text('id').primaryKey(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_person_idx').on(t.personId)],
);

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    prefix: text('prefix').notNull(),
    // A token acts with the rights of the HR person who created it; the audit log names the token.
    createdById: integer('created_by_id')
      .notNull()
      .references(() => people.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('api_tokens_hash_unique').on(t.tokenHash)],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    actorId: integer('actor_id'),
    actorTokenId: integer('actor_token_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
  },
  (t) => [
    index('audit_at_idx').on(t.at),
    index('audit_entity_idx').on(t.entityType, t.entityId),
    index('audit_actor_idx').on(t.actorId, t.at),
  ],
);

export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // A stable key per logical message (e.g. reminder:<invitation>:<occurrence>) so nothing is queued twice.
    dedupeKey: text('dedupe_key'),
    toEmail: text('to_email').notNull(),
    toPersonId: integer('to_person_id'),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    sendAfter: integer('send_after', { mode: 'timestamp_ms' }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    // Set before handing a message to SMTP and cleared on failure, so two workers never send one message.
    lockedUntil: integer('locked_until', { mode: 'timestamp_ms' }),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_unique').on(t.dedupeKey),
    index('outbox_pending_idx').on(t.sentAt, t.sendAfter),
    index('outbox_created_idx').on(t.createdAt),
  ],
);

// ── events (ride-alongs, meetings, invitations) ────────────────────────────

// ── calendar feeds, reminders, field feedback ──────────────────────────────

// ── rotations ──────────────────────────────────────────────────────────────

// ── programs (onboarding, review, training completion) ─────────────────────

// ── surveys, advantages, liaisons, scorecard ───────────────────────────────
