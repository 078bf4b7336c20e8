ALTER TABLE `attendance` ADD `walk_in` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `invitations` ADD `effective_from` integer;