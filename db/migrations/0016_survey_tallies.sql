CREATE TABLE `survey_participant_tallies` (
	`round_id` integer NOT NULL,
	`department` text NOT NULL,
	`team_key` integer NOT NULL,
	`participants` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_participant_tallies_unique` ON `survey_participant_tallies` (`round_id`,`department`,`team_key`);--> statement-breakpoint
CREATE TABLE `survey_recall_tallies` (
	`round_id` integer NOT NULL,
	`department` text NOT NULL,
	`advantage_key` text NOT NULL,
	`respondents` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_recall_tallies_unique` ON `survey_recall_tallies` (`round_id`,`department`,`advantage_key`);--> statement-breakpoint
CREATE TABLE `survey_tallies` (
	`round_id` integer NOT NULL,
	`department` text NOT NULL,
	`team_key` integer NOT NULL,
	`answers` integer NOT NULL,
	`matched` integer NOT NULL,
	`named` integer NOT NULL,
	`respondents` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_tallies_bucket_unique` ON `survey_tallies` (`round_id`,`department`,`team_key`,`answers`,`matched`,`named`);--> statement-breakpoint
CREATE TABLE `survey_unmatched_tallies` (
	`round_id` integer NOT NULL,
	`normalised` text NOT NULL,
	`department` text NOT NULL,
	`answers` integer NOT NULL,
	`unassigned` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_unmatched_tallies_unique` ON `survey_unmatched_tallies` (`round_id`,`normalised`,`department`);--> statement-breakpoint
CREATE INDEX `survey_answers_unmatched_text_idx` ON `survey_answers` (`round_id`,`normalised`,`department`,`text`) WHERE "survey_answers"."status" <> 'matched';