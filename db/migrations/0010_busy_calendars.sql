CREATE TABLE `busy_calendars` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`label` text NOT NULL,
	`url` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`etag` text,
	`last_modified` text,
	`last_attempt_at` integer,
	`last_success_at` integer,
	`expanded_at` integer,
	`last_error` text,
	`last_error_message` text,
	`next_fetch_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `busy_calendars_person_idx` ON `busy_calendars` (`person_id`);--> statement-breakpoint
CREATE INDEX `busy_calendars_due_idx` ON `busy_calendars` (`next_fetch_at`);--> statement-breakpoint
CREATE TABLE `busy_intervals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`calendar_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`start_at` integer NOT NULL,
	`end_at` integer NOT NULL,
	FOREIGN KEY (`calendar_id`) REFERENCES `busy_calendars`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `busy_intervals_person_idx` ON `busy_intervals` (`person_id`,`start_at`);--> statement-breakpoint
CREATE INDEX `busy_intervals_calendar_idx` ON `busy_intervals` (`calendar_id`);