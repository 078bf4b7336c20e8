CREATE TABLE `company_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`default_time_zone` text,
	`updated_by_id` integer,
	`updated_at` integer
);
--> statement-breakpoint
CREATE TABLE `field_names` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`key` text NOT NULL,
	`merged_into_id` integer,
	`created_at` integer NOT NULL,
	`merged_at` integer,
	`merged_by_id` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `field_names_kind_key_unique` ON `field_names` (`kind`,`key`);--> statement-breakpoint
CREATE INDEX `field_names_merged_idx` ON `field_names` (`merged_into_id`);--> statement-breakpoint
CREATE TABLE `password_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_by_id` integer,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `password_links_token_unique` ON `password_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `password_links_person_idx` ON `password_links` (`person_id`,`used_at`);--> statement-breakpoint
CREATE TABLE `password_reset_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`address` text NOT NULL,
	`email` text NOT NULL,
	`person_id` integer
);
--> statement-breakpoint
CREATE INDEX `password_reset_requests_address_idx` ON `password_reset_requests` (`address`,`at`);--> statement-breakpoint
CREATE INDEX `password_reset_requests_email_idx` ON `password_reset_requests` (`email`,`at`);--> statement-breakpoint
ALTER TABLE `feedback_competitors` ADD `name_id` integer REFERENCES field_names(id);--> statement-breakpoint
ALTER TABLE `feedback_materials` ADD `name_id` integer REFERENCES field_names(id);--> statement-breakpoint
-- Existing free text becomes the kept lists: one name per key (the latest spelling written), every row linked to it.
INSERT INTO `field_names` (`kind`, `name`, `key`, `created_at`)
SELECT 'competitor', (SELECT c2.`name` FROM `feedback_competitors` c2 WHERE c2.`key` = c.`key` ORDER BY c2.`id` DESC LIMIT 1), c.`key`, CAST(unixepoch('subsec') * 1000 AS integer)
FROM `feedback_competitors` c GROUP BY c.`key`;--> statement-breakpoint
INSERT INTO `field_names` (`kind`, `name`, `key`, `created_at`)
SELECT 'material', (SELECT m2.`name` FROM `feedback_materials` m2 WHERE m2.`key` = m.`key` ORDER BY m2.`id` DESC LIMIT 1), m.`key`, CAST(unixepoch('subsec') * 1000 AS integer)
FROM `feedback_materials` m GROUP BY m.`key`;--> statement-breakpoint
UPDATE `feedback_competitors` SET `name_id` = (SELECT n.`id` FROM `field_names` n WHERE n.`kind` = 'competitor' AND n.`key` = `feedback_competitors`.`key`);--> statement-breakpoint
UPDATE `feedback_materials` SET `name_id` = (SELECT n.`id` FROM `field_names` n WHERE n.`kind` = 'material' AND n.`key` = `feedback_materials`.`key`);--> statement-breakpoint
CREATE INDEX `feedback_competitors_name_idx` ON `feedback_competitors` (`name_id`);--> statement-breakpoint
CREATE INDEX `feedback_materials_name_idx` ON `feedback_materials` (`name_id`);
