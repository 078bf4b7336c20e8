DROP INDEX `occurrences_start_idx`;--> statement-breakpoint
CREATE INDEX `occurrences_start_idx` ON `occurrences` (`start`,`cancelled`,`seats_taken`,`end`,`event_id`,`original_start`);