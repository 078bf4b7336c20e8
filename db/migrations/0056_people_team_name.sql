-- A team's people in name order: a page of a manager's teams reads a page of each team from the index instead of
-- sorting every member (peopleProgress); lookups by team alone use it as before.
DROP INDEX `people_team_idx`;--> statement-breakpoint
CREATE INDEX `people_team_idx` ON `people` (`team_id`,`name`);--> statement-breakpoint
-- Statistics for the rebuilt index only, as it had them.
ANALYZE `people_team_idx`;
