CREATE TABLE `completion_history` (
	`week_at` integer NOT NULL,
	`team_key` integer NOT NULL,
	`program_id` integer NOT NULL,
	`total` integer NOT NULL,
	`done` integer NOT NULL,
	`overdue` integer NOT NULL,
	PRIMARY KEY(`week_at`, `team_key`, `program_id`)
);
--> statement-breakpoint
CREATE TABLE `completion_history_weeks` (
	`week_at` integer PRIMARY KEY NOT NULL
);
