CREATE TABLE `enrolled_people` (
	`team_key` integer NOT NULL,
	`program_key` integer NOT NULL,
	`people` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrolled_people_unique` ON `enrolled_people` (`program_key`,`team_key`);--> statement-breakpoint
DROP INDEX `people_manager_idx`;--> statement-breakpoint
CREATE INDEX `people_manager_idx` ON `people` (`manager_id`,`team_id`);