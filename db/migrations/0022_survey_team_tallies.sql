CREATE TABLE `survey_department_tallies` (
	`round_id` integer NOT NULL,
	`department` text NOT NULL,
	`participants` integer NOT NULL,
	`respondents` integer NOT NULL,
	`answers` integer NOT NULL,
	`matched` integer NOT NULL,
	`named1` integer NOT NULL,
	`named2` integer NOT NULL,
	`named3` integer NOT NULL,
	`below` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_department_tallies_unique` ON `survey_department_tallies` (`round_id`,`department`);--> statement-breakpoint
CREATE TABLE `survey_team_tallies` (
	`round_id` integer NOT NULL,
	`department` text NOT NULL,
	`team_key` integer NOT NULL,
	`participants` integer NOT NULL,
	`respondents` integer NOT NULL,
	`answers` integer NOT NULL,
	`matched` integer NOT NULL,
	`named1` integer NOT NULL,
	`named2` integer NOT NULL,
	`named3` integer NOT NULL,
	`below` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_team_tallies_unique` ON `survey_team_tallies` (`round_id`,`department`,`team_key`);