CREATE TABLE `scorecard_rotations` (
	`team_id` integer NOT NULL,
	`rotation_id` integer NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	PRIMARY KEY(`team_id`, `rotation_id`)
);
--> statement-breakpoint
CREATE INDEX `scorecard_rotations_rotation_idx` ON `scorecard_rotations` (`rotation_id`);--> statement-breakpoint
CREATE INDEX `scorecard_meeting_occurrences_event_start_idx` ON `scorecard_meeting_occurrences` (`event_id`,`start`);