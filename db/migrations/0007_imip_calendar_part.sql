ALTER TABLE `outbox` ADD `calendar_method` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `calendar` text;