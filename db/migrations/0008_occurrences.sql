CREATE TABLE IF NOT EXISTS `occurrence_changes` (
	`event_id` integer NOT NULL,
	`kind` text NOT NULL,
	`original_start` integer
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `occurrence_horizon` (
	`id` integer PRIMARY KEY NOT NULL,
	`until` integer NOT NULL,
	`building` integer
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `occurrences` (
	`event_id` integer NOT NULL,
	`original_start` integer NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`is_moved` integer DEFAULT false NOT NULL,
	`cancelled` integer DEFAULT false NOT NULL,
	`seats_taken` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`event_id`, `original_start`),
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `occurrences_event_start_idx` ON `occurrences` (`event_id`,`start`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `occurrences_start_idx` ON `occurrences` (`start`);