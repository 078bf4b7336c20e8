-- The timeline's window questions (a page's people, the host teams it shows, their capacity) answered from the index alone.
DROP INDEX `rotations_person_idx`;--> statement-breakpoint
DROP INDEX `rotations_host_end_idx`;--> statement-breakpoint
CREATE INDEX `rotations_person_idx` ON `rotations` (`person_id`,`start_date`,`end_date`,`status`,`mentor_id`);--> statement-breakpoint
CREATE INDEX `rotations_host_end_idx` ON `rotations` (`host_team_id`,`end_date`,`start_date`,`status`,`program_id`);