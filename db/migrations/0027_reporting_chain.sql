CREATE TABLE `reporting_chain` (
	`ancestor_id` integer NOT NULL,
	`descendant_id` integer NOT NULL,
	`depth` integer NOT NULL,
	PRIMARY KEY(`ancestor_id`, `descendant_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `reporting_chain_descendant_idx` ON `reporting_chain` (`descendant_id`,`ancestor_id`);