CREATE TABLE `rotation_rule_checks` (
	`rotation_id` integer PRIMARY KEY NOT NULL,
	`broken` text DEFAULT '[]' NOT NULL,
	`stale` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`rotation_id`) REFERENCES `rotations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rotation_rule_checks_stale_idx` ON `rotation_rule_checks` (`stale`);