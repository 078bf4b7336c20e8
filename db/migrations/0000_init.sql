CREATE TABLE `action_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`occurrence_start` integer NOT NULL,
	`agenda_item_id` integer,
	`title` text NOT NULL,
	`owner_id` integer NOT NULL,
	`due_date` text,
	`done_at` integer,
	`done_by_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agenda_item_id`) REFERENCES `agenda_items`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`owner_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `action_items_event_idx` ON `action_items` (`event_id`,`occurrence_start`);--> statement-breakpoint
CREATE INDEX `action_items_owner_idx` ON `action_items` (`owner_id`,`done_at`);--> statement-breakpoint
CREATE TABLE `advantage_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` integer NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_by_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`created_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `advantage_versions_number_unique` ON `advantage_versions` (`number`);--> statement-breakpoint
CREATE TABLE `advantages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`version_id` integer NOT NULL,
	`key` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`name` text NOT NULL,
	`statement` text DEFAULT '' NOT NULL,
	`synonyms` text NOT NULL,
	FOREIGN KEY (`version_id`) REFERENCES `advantage_versions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `advantages_version_key_unique` ON `advantages` (`version_id`,`key`);--> statement-breakpoint
CREATE TABLE `agenda_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`occurrence_start` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`title` text NOT NULL,
	`owner_id` integer,
	`minutes` integer DEFAULT 10 NOT NULL,
	`decisions` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `agenda_items_occurrence_idx` ON `agenda_items` (`event_id`,`occurrence_start`,`position`);--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_by_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`created_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `attendance` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`occurrence_start` integer NOT NULL,
	`person_id` integer NOT NULL,
	`status` text NOT NULL,
	`marked_by_id` integer,
	`marked_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attendance_occurrence_person_unique` ON `attendance` (`event_id`,`occurrence_start`,`person_id`);--> statement-breakpoint
CREATE INDEX `attendance_person_idx` ON `attendance` (`person_id`,`status`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`actor_token_id` integer,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_actor_idx` ON `audit_log` (`actor_id`,`at`);--> statement-breakpoint
CREATE TABLE `calendar_feeds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`nonce` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	`last_fetched_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token_unique` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
CREATE INDEX `calendar_feeds_person_idx` ON `calendar_feeds` (`person_id`,`revoked_at`);--> statement-breakpoint
CREATE TABLE `check_in_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`occurrence_start` integer NOT NULL,
	`code` text NOT NULL,
	`created_by_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `check_in_codes_occurrence_unique` ON `check_in_codes` (`event_id`,`occurrence_start`);--> statement-breakpoint
CREATE INDEX `check_in_codes_code_idx` ON `check_in_codes` (`code`,`expires_at`);--> statement-breakpoint
CREATE TABLE `check_ins` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`occurrence_start` integer NOT NULL,
	`person_id` integer NOT NULL,
	`checked_in_at` integer NOT NULL,
	`confirmed_at` integer,
	`confirmed_by_id` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `check_ins_unique` ON `check_ins` (`event_id`,`occurrence_start`,`person_id`);--> statement-breakpoint
CREATE TABLE `claim_approval_policies` (
	`manager_id` integer PRIMARY KEY NOT NULL,
	`require_approval` integer DEFAULT false NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`manager_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `completion_sources` (
	`source` text PRIMARY KEY NOT NULL,
	`seen_id` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `enrollment_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`department` text,
	`team_id` integer,
	`role` text,
	`hired_on_or_after` text,
	`hired_on_or_before` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `enrollment_rules_program_idx` ON `enrollment_rules` (`program_id`);--> statement-breakpoint
CREATE TABLE `enrollments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`start_date` text NOT NULL,
	`team_id` integer,
	`source` text NOT NULL,
	`rule_id` integer,
	`enrolled_by_id` integer,
	`enrolled_at` integer NOT NULL,
	`ended_at` integer,
	`end_reason` text,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrollments_program_person_unique` ON `enrollments` (`program_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `enrollments_person_idx` ON `enrollments` (`person_id`);--> statement-breakpoint
CREATE TABLE `event_exceptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`original_start` integer NOT NULL,
	`kind` text NOT NULL,
	`start` integer,
	`end` integer,
	`sequence` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `event_exceptions_occurrence_unique` ON `event_exceptions` (`event_id`,`original_start`);--> statement-breakpoint
CREATE INDEX `event_exceptions_moved_idx` ON `event_exceptions` (`start`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`host_id` integer NOT NULL,
	`team_id` integer,
	`guest_department` text,
	`time_zone` text NOT NULL,
	`start_local` text NOT NULL,
	`duration_minutes` integer NOT NULL,
	`rrule` text,
	`span_start` integer NOT NULL,
	`span_end` integer,
	`seats` integer DEFAULT 0 NOT NULL,
	`account` text,
	`opportunity_stage` text,
	`location` text,
	`meeting_url` text,
	`topic` text,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`cancelled_at` integer,
	`split_from_event_id` integer,
	`sequence` integer DEFAULT 0 NOT NULL,
	`created_by_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`host_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `events_host_window_idx` ON `events` (`host_id`,`span_start`);--> statement-breakpoint
CREATE INDEX `events_open_seats_idx` ON `events` (`guest_department`,`status`,`span_start`);--> statement-breakpoint
CREATE INDEX `events_open_series_idx` ON `events` (`guest_department`,`status`,`id`) WHERE "events"."rrule" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `events_window_idx` ON `events` (`status`,`span_start`);--> statement-breakpoint
CREATE INDEX `events_team_idx` ON `events` (`team_id`);--> statement-breakpoint
CREATE INDEX `events_kind_idx` ON `events` (`kind`,`span_start`);--> statement-breakpoint
CREATE TABLE `feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`occurrence_start` integer NOT NULL,
	`occurred_at` integer NOT NULL,
	`author_id` integer NOT NULL,
	`author_role` text NOT NULL,
	`author_team_id` integer,
	`host_team_id` integer,
	`outcome` text NOT NULL,
	`loss_reason` text,
	`loss_detail` text DEFAULT '' NOT NULL,
	`suggestion` text DEFAULT '' NOT NULL,
	`submitted_at` integer NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_author_occurrence_unique` ON `feedback` (`event_id`,`occurrence_start`,`author_id`);--> statement-breakpoint
CREATE INDEX `feedback_occurred_idx` ON `feedback` (`occurred_at`);--> statement-breakpoint
CREATE INDEX `feedback_author_idx` ON `feedback` (`author_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `feedback_host_team_idx` ON `feedback` (`host_team_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `feedback_author_team_idx` ON `feedback` (`author_team_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `feedback_competitors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`feedback_id` integer NOT NULL,
	`name` text NOT NULL,
	`key` text NOT NULL,
	FOREIGN KEY (`feedback_id`) REFERENCES `feedback`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_competitors_unique` ON `feedback_competitors` (`feedback_id`,`key`);--> statement-breakpoint
CREATE INDEX `feedback_competitors_key_idx` ON `feedback_competitors` (`key`);--> statement-breakpoint
CREATE TABLE `feedback_materials` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`feedback_id` integer NOT NULL,
	`name` text NOT NULL,
	`key` text NOT NULL,
	`rating` integer NOT NULL,
	FOREIGN KEY (`feedback_id`) REFERENCES `feedback`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_materials_unique` ON `feedback_materials` (`feedback_id`,`key`);--> statement-breakpoint
CREATE INDEX `feedback_materials_key_idx` ON `feedback_materials` (`key`);--> statement-breakpoint
CREATE TABLE `invitations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`occurrence_start` integer,
	`status` text DEFAULT 'invited' NOT NULL,
	`holds_seat` integer DEFAULT false NOT NULL,
	`source` text DEFAULT 'invitation' NOT NULL,
	`invited_by_id` integer,
	`decline_reason` text,
	`waitlisted_at` integer,
	`approval_status` text,
	`approval_by_id` integer,
	`approval_at` integer,
	`responded_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invited_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_occurrence_place_unique` ON `invitations` (`event_id`,`person_id`,`occurrence_start`);--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_event_place_unique` ON `invitations` (`event_id`,`person_id`) WHERE "invitations"."occurrence_start" IS NULL;--> statement-breakpoint
CREATE INDEX `invitations_person_status_idx` ON `invitations` (`person_id`,`status`);--> statement-breakpoint
CREATE INDEX `invitations_event_occurrence_idx` ON `invitations` (`event_id`,`occurrence_start`,`holds_seat`);--> statement-breakpoint
CREATE INDEX `invitations_waitlist_idx` ON `invitations` (`event_id`,`status`,`waitlisted_at`);--> statement-breakpoint
CREATE INDEX `invitations_approval_idx` ON `invitations` (`approval_status`,`person_id`);--> statement-breakpoint
CREATE TABLE `liaisons` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	`appointed_by_id` integer,
	`appointed_at` integer NOT NULL,
	`ended_at` integer,
	`ended_by_id` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`appointed_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `liaisons_team_idx` ON `liaisons` (`team_id`,`ended_at`);--> statement-breakpoint
CREATE INDEX `liaisons_person_idx` ON `liaisons` (`person_id`,`ended_at`);--> statement-breakpoint
CREATE TABLE `notification_cursors` (
	`name` text PRIMARY KEY NOT NULL,
	`last_audit_id` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedupe_key` text,
	`to_email` text NOT NULL,
	`to_person_id` integer,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`send_after` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`locked_until` integer,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_unique` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_pending_idx` ON `outbox` (`sent_at`,`send_after`);--> statement-breakpoint
CREATE INDEX `outbox_created_idx` ON `outbox` (`created_at`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`department` text NOT NULL,
	`title` text DEFAULT '' NOT NULL,
	`team_id` integer,
	`manager_id` integer,
	`hire_date` text NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`role` text DEFAULT 'employee' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`password_hash` text,
	`must_change_password` integer DEFAULT false NOT NULL,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`workday_start_minute` integer DEFAULT 540 NOT NULL,
	`workday_end_minute` integer DEFAULT 1020 NOT NULL,
	`reminder_lead_minutes` integer DEFAULT 1440 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_email_unique` ON `people` (lower("email"));--> statement-breakpoint
CREATE INDEX `people_team_idx` ON `people` (`team_id`);--> statement-breakpoint
CREATE INDEX `people_manager_idx` ON `people` (`manager_id`);--> statement-breakpoint
CREATE INDEX `people_department_name_idx` ON `people` (`department`,`name`);--> statement-breakpoint
CREATE INDEX `people_name_idx` ON `people` (`name`);--> statement-breakpoint
CREATE TABLE `program_requirements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`title` text NOT NULL,
	`kind` text NOT NULL,
	`topic_id` integer,
	`event_kind` text,
	`count` integer DEFAULT 1 NOT NULL,
	`due_offset_days` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`topic_id`) REFERENCES `training_topics`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `program_requirements_program_idx` ON `program_requirements` (`program_id`,`position`);--> statement-breakpoint
CREATE INDEX `program_requirements_topic_idx` ON `program_requirements` (`topic_id`);--> statement-breakpoint
CREATE TABLE `programs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`rrule` text,
	`anchor_date` text,
	`due_soon_days` integer DEFAULT 7 NOT NULL,
	`cycles_checked_on` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `programs_name_unique` ON `programs` (lower("name"));--> statement-breakpoint
CREATE TABLE `requirement_completions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enrollment_id` integer NOT NULL,
	`program_id` integer NOT NULL,
	`requirement_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`team_id` integer,
	`department` text,
	`active` integer DEFAULT true NOT NULL,
	`cycle_index` integer DEFAULT 0 NOT NULL,
	`window_from` integer NOT NULL,
	`window_until` integer,
	`due_date` text NOT NULL,
	`due_at` integer NOT NULL,
	`due_soon_at` integer NOT NULL,
	`completed_at` integer,
	`late` integer DEFAULT false NOT NULL,
	`have` integer DEFAULT 0 NOT NULL,
	`need` integer DEFAULT 1 NOT NULL,
	`evidence` text,
	`ended_at` integer,
	`reminded_at` integer,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`requirement_id`) REFERENCES `program_requirements`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `requirement_completions_unique` ON `requirement_completions` (`enrollment_id`,`requirement_id`,`cycle_index`);--> statement-breakpoint
CREATE INDEX `requirement_completions_person_idx` ON `requirement_completions` (`person_id`);--> statement-breakpoint
CREATE INDEX `requirement_completions_report_idx` ON `requirement_completions` (`active`,`team_id`,`requirement_id`,`program_id`,`window_from`,`window_until`,`completed_at`,`due_at`,`due_soon_at`,`late`,`person_id`,`department`);--> statement-breakpoint
CREATE INDEX `requirement_completions_program_report_idx` ON `requirement_completions` (`program_id`,`active`,`team_id`,`requirement_id`,`window_from`,`window_until`,`completed_at`,`due_at`,`due_soon_at`,`late`,`person_id`,`department`);--> statement-breakpoint
CREATE TABLE `rotation_blackouts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`team_id` integer,
	`department` text,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`created_by_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rotation_blackouts_window_idx` ON `rotation_blackouts` (`start_date`,`end_date`);--> statement-breakpoint
CREATE TABLE `rotation_check_ins` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rotation_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`author_role` text NOT NULL,
	`kind` text NOT NULL,
	`learned` text DEFAULT '' NOT NULL,
	`other_department_should_change` text DEFAULT '' NOT NULL,
	`suggestion_team_id` integer,
	`submitted_at` integer NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`rotation_id`) REFERENCES `rotations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rotation_check_ins_unique` ON `rotation_check_ins` (`rotation_id`,`author_id`,`kind`);--> statement-breakpoint
CREATE INDEX `rotation_check_ins_submitted_idx` ON `rotation_check_ins` (`submitted_at`);--> statement-breakpoint
CREATE TABLE `rotation_checklist_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`title` text NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `rotation_programs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rotation_checklist_items_program_idx` ON `rotation_checklist_items` (`program_id`,`position`);--> statement-breakpoint
CREATE TABLE `rotation_checklist_ticks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rotation_id` integer NOT NULL,
	`item_id` integer NOT NULL,
	`done_at` integer NOT NULL,
	`done_by_id` integer,
	FOREIGN KEY (`rotation_id`) REFERENCES `rotations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `rotation_checklist_items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rotation_checklist_ticks_unique` ON `rotation_checklist_ticks` (`rotation_id`,`item_id`);--> statement-breakpoint
CREATE TABLE `rotation_overrides` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rotation_id` integer NOT NULL,
	`rule` text NOT NULL,
	`message` text NOT NULL,
	`reason` text NOT NULL,
	`overridden_by_id` integer,
	`at` integer NOT NULL,
	FOREIGN KEY (`rotation_id`) REFERENCES `rotations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rotation_overrides_rotation_idx` ON `rotation_overrides` (`rotation_id`);--> statement-breakpoint
CREATE TABLE `rotation_periods` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`kind` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rotation_periods_person_idx` ON `rotation_periods` (`person_id`,`kind`);--> statement-breakpoint
CREATE TABLE `rotation_program_host_teams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	`capacity` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `rotation_programs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rotation_program_host_teams_unique` ON `rotation_program_host_teams` (`program_id`,`team_id`);--> statement-breakpoint
CREATE INDEX `rotation_program_host_teams_team_idx` ON `rotation_program_host_teams` (`team_id`);--> statement-breakpoint
CREATE TABLE `rotation_programs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`direction` text NOT NULL,
	`length_weeks` integer NOT NULL,
	`learning_goals` text DEFAULT '' NOT NULL,
	`coverage_percent` integer DEFAULT 25 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rotation_programs_name_unique` ON `rotation_programs` (lower("name"));--> statement-breakpoint
CREATE TABLE `rotations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`host_team_id` integer NOT NULL,
	`mentor_id` integer,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`status` text DEFAULT 'planned' NOT NULL,
	`plan_id` text,
	`created_by_id` integer,
	`cancelled_at` integer,
	`cancel_reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`program_id`) REFERENCES `rotation_programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`host_team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mentor_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rotations_person_idx` ON `rotations` (`person_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `rotations_mentor_idx` ON `rotations` (`mentor_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `rotations_host_idx` ON `rotations` (`host_team_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `rotations_program_idx` ON `rotations` (`program_id`,`start_date`);--> statement-breakpoint
CREATE INDEX `rotations_window_idx` ON `rotations` (`status`,`start_date`,`end_date`);--> statement-breakpoint
CREATE INDEX `rotations_end_idx` ON `rotations` (`end_date`);--> statement-breakpoint
CREATE TABLE `scorecard_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`thresholds` text NOT NULL,
	`updated_by_id` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` integer NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`user_agent` text,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_person_idx` ON `sessions` (`person_id`);--> statement-breakpoint
CREATE TABLE `sign_offs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`requirement_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`by_person_id` integer NOT NULL,
	`at` integer NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`requirement_id`) REFERENCES `program_requirements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sign_offs_person_idx` ON `sign_offs` (`person_id`,`requirement_id`);--> statement-breakpoint
CREATE TABLE `suggestions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` integer,
	`title` text NOT NULL,
	`detail` text DEFAULT '' NOT NULL,
	`source` text NOT NULL,
	`source_ref` text,
	`status` text DEFAULT 'open' NOT NULL,
	`reject_reason` text,
	`created_by_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`accepted_at` integer,
	`closed_at` integer,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `suggestions_team_status_idx` ON `suggestions` (`team_id`,`status`);--> statement-breakpoint
CREATE INDEX `suggestions_status_team_idx` ON `suggestions` (`status`,`team_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `suggestions_source_unique` ON `suggestions` (`source_ref`);--> statement-breakpoint
CREATE TABLE `survey_answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`response_id` integer NOT NULL,
	`round_id` integer NOT NULL,
	`position` integer NOT NULL,
	`text` text NOT NULL,
	`normalised` text NOT NULL,
	`advantage_key` text,
	`score_milli` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`department` text NOT NULL,
	`team_id` integer,
	`assigned_by_id` integer,
	`assigned_at` integer,
	FOREIGN KEY (`response_id`) REFERENCES `survey_responses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_answers_position_unique` ON `survey_answers` (`response_id`,`position`);--> statement-breakpoint
CREATE INDEX `survey_answers_round_status_idx` ON `survey_answers` (`round_id`,`status`,`normalised`);--> statement-breakpoint
CREATE INDEX `survey_answers_round_department_idx` ON `survey_answers` (`round_id`,`department`,`team_id`);--> statement-breakpoint
CREATE TABLE `survey_participants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`department` text NOT NULL,
	`team_id` integer,
	`reminded_at` integer,
	FOREIGN KEY (`round_id`) REFERENCES `survey_rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_participants_unique` ON `survey_participants` (`round_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `survey_participants_person_idx` ON `survey_participants` (`person_id`);--> statement-breakpoint
CREATE INDEX `survey_participants_round_team_idx` ON `survey_participants` (`round_id`,`department`,`team_id`);--> statement-breakpoint
CREATE TABLE `survey_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`department` text NOT NULL,
	`team_id` integer,
	`submitted_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `survey_rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_responses_unique` ON `survey_responses` (`round_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `survey_responses_person_idx` ON `survey_responses` (`person_id`);--> statement-breakpoint
CREATE TABLE `survey_rounds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`population_kind` text NOT NULL,
	`population_department` text,
	`population_team_ids` text,
	`population_hired_within_days` integer,
	`anonymous` integer DEFAULT false NOT NULL,
	`advantage_version_id` integer NOT NULL,
	`opens_at` integer NOT NULL,
	`closes_on` text NOT NULL,
	`closes_at` integer NOT NULL,
	`closed_early_at` integer,
	`change_count` integer DEFAULT 0 NOT NULL,
	`created_by_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`advantage_version_id`) REFERENCES `advantage_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `survey_rounds_closes_idx` ON `survey_rounds` (`closes_at`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`department` text NOT NULL,
	`manager_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `teams_name_unique` ON `teams` (lower("name"));--> statement-breakpoint
CREATE INDEX `teams_department_idx` ON `teams` (`department`);--> statement-breakpoint
CREATE TABLE `training_sessions` (
	`event_id` integer PRIMARY KEY NOT NULL,
	`topic_id` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`topic_id`) REFERENCES `training_topics`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `training_sessions_topic_idx` ON `training_sessions` (`topic_id`);--> statement-breakpoint
CREATE TABLE `training_topics` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `training_topics_name_unique` ON `training_topics` (lower("name"));