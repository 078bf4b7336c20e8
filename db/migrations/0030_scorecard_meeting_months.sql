CREATE TABLE `department_headcounts` (
	`department` text PRIMARY KEY NOT NULL,
	`active` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `scorecard_meeting_months` (
	`team_id` integer NOT NULL,
	`month` integer NOT NULL,
	`started` integer NOT NULL,
	`started_held` integer NOT NULL,
	PRIMARY KEY(`team_id`, `month`)
);
--> statement-breakpoint
CREATE INDEX `scorecard_rotations_team_end_idx` ON `scorecard_rotations` (`team_id`,`end_date`,`start_date`);