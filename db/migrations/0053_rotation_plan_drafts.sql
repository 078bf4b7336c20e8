CREATE TABLE `rotation_plan_draft_items` (
	`draft_id` integer NOT NULL,
	`position` integer NOT NULL,
	`person_id` integer NOT NULL,
	`host_team_id` integer NOT NULL,
	`mentor_id` integer,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`violations` text,
	`fixes` text,
	PRIMARY KEY(`draft_id`, `position`),
	FOREIGN KEY (`draft_id`) REFERENCES `rotation_plan_drafts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rotation_plan_draft_items_broken_idx` ON `rotation_plan_draft_items` (`draft_id`,`position`) WHERE violations IS NOT NULL;--> statement-breakpoint
CREATE TABLE `rotation_plan_draft_unplaced` (
	`draft_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`rule` text NOT NULL,
	`message` text NOT NULL,
	PRIMARY KEY(`draft_id`, `person_id`),
	FOREIGN KEY (`draft_id`) REFERENCES `rotation_plan_drafts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `rotation_plan_drafts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`request` text NOT NULL,
	`stats` text,
	`already_planned` text DEFAULT '[]' NOT NULL,
	`already_planned_count` integer DEFAULT 0 NOT NULL,
	`capacity` text DEFAULT '[]' NOT NULL,
	`items` integer DEFAULT 0 NOT NULL,
	`broken` integer DEFAULT 0 NOT NULL,
	`unplaced` integer DEFAULT 0 NOT NULL,
	`created_by_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `rotation_programs`(`id`) ON UPDATE no action ON DELETE cascade
);
