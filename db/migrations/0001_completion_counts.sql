CREATE TABLE `completion_counts` (
	`team_id` integer NOT NULL,
	`requirement_id` integer NOT NULL,
	`program_id` integer NOT NULL,
	`window_from` integer NOT NULL,
	`window_until` integer,
	`due_at` integer NOT NULL,
	`due_soon_at` integer NOT NULL,
	`done` integer NOT NULL,
	`late` integer NOT NULL,
	`rows` integer NOT NULL,
	FOREIGN KEY (`requirement_id`) REFERENCES `program_requirements`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `completion_counts_group_idx` ON `completion_counts` (`team_id`,`requirement_id`,`program_id`,`window_from`,`window_until`,`due_at`,`due_soon_at`,`done`,`late`,`rows`);--> statement-breakpoint
DROP INDEX `enrollments_person_idx`;--> statement-breakpoint
CREATE INDEX `enrollments_person_idx` ON `enrollments` (`person_id`,`ended_at`,`program_id`);--> statement-breakpoint
-- Databases made before this table: count their current rows once (the app keeps the counts from here on).
INSERT INTO `completion_counts` (`team_id`, `requirement_id`, `program_id`, `window_from`, `window_until`, `due_at`, `due_soon_at`, `done`, `late`, `rows`)
SELECT `team_id`, `requirement_id`, `program_id`, `window_from`, `window_until`, `due_at`, `due_soon_at`, `completed_at` IS NOT NULL, `late`, count(*)
FROM `requirement_completions`
WHERE `active` = 1 AND `team_id` IS NOT NULL
GROUP BY `team_id`, `requirement_id`, `program_id`, `window_from`, `window_until`, `due_at`, `due_soon_at`, `completed_at` IS NOT NULL, `late`;
