CREATE INDEX `people_department_active_idx` ON `people` (`department`,`active`,`team_id`);--> statement-breakpoint
-- Statistics for the new index: without them the planner may prefer it where the team index is better.
ANALYZE `people`;
