DROP INDEX `invitations_person_status_idx`;--> statement-breakpoint
CREATE INDEX `invitations_person_status_idx` ON `invitations` (`person_id`,`status`,`event_id`);--> statement-breakpoint
-- Statistics for the rebuilt index only, as it had them: a person's events read from it alone (schedule, busy checks).
ANALYZE `invitations_person_status_idx`;
