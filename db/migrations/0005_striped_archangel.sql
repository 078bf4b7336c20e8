CREATE TABLE `sign_in_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`window_start` integer NOT NULL,
	`blocked_until` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_throttle_updated_idx` ON `sign_in_throttle` (`updated_at`);--> statement-breakpoint
ALTER TABLE `people` ADD `password_expires_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `flash` text;