CREATE TABLE `completion_totals` (
	`team_key` integer NOT NULL,
	`program_key` integer NOT NULL,
	`requirement_key` integer NOT NULL,
	`rows` integer NOT NULL,
	`done` integer NOT NULL,
	`late` integer NOT NULL,
	`overdue` integer NOT NULL,
	`due_soon_or_overdue` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `completion_totals_key` ON `completion_totals` (`team_key`,`program_key`,`requirement_key`);--> statement-breakpoint
CREATE TABLE `completion_totals_at` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `completion_counts_window_from_idx` ON `completion_counts` (`window_from`);--> statement-breakpoint
CREATE INDEX `completion_counts_window_until_idx` ON `completion_counts` (`window_until`);--> statement-breakpoint
CREATE INDEX `completion_counts_due_idx` ON `completion_counts` (`due_at`);--> statement-breakpoint
CREATE INDEX `completion_counts_due_soon_idx` ON `completion_counts` (`due_soon_at`);