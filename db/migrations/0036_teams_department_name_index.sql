DROP INDEX `teams_department_idx`;--> statement-breakpoint
CREATE INDEX `teams_department_name_idx` ON `teams` (`department`,`name`);