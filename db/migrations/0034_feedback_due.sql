CREATE TABLE `feedback_due` (
	`person_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	`occurrence_start` integer NOT NULL,
	`ends_at` integer NOT NULL,
	PRIMARY KEY(`event_id`, `occurrence_start`, `person_id`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `feedback_due_person_idx` ON `feedback_due` (`person_id`,`ends_at`);--> statement-breakpoint
CREATE TABLE `feedback_due_changes` (
	`event_id` integer NOT NULL,
	`original_start` integer
);
