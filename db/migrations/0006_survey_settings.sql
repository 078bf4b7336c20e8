CREATE TABLE `survey_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`min_response_rate_percent` integer DEFAULT 50 NOT NULL,
	`min_group_size` integer DEFAULT 5 NOT NULL,
	`updated_by_id` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `survey_rounds` ADD `min_group_size` integer DEFAULT 5 NOT NULL;