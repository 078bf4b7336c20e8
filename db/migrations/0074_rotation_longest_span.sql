-- A window's rotations (who is away, the list, the timeline) were read by walking the start-date index from the first
-- rotation ever: a page's cost grew with every year of history. rotation_longest_span keeps the longest any rotation has
-- lasted (days from start date to end date), so a rotation overlapping [from, to] is looked for among those starting
-- in [from - days, to]. Raised by every insert and change of dates, never lowered: removing or shortening a rotation
-- leaves a bound that is still true. The start-date index now covers what such a window asks of each rotation it
-- passes (end date, status, person), so those that ended before the window are passed over without reading the row.
CREATE TABLE `rotation_longest_span` (
	`id` integer PRIMARY KEY NOT NULL,
	`days` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `rotation_longest_span` (`id`, `days`)
SELECT 1, coalesce(max(CAST(julianday(end_date) - julianday(start_date) AS INTEGER)), 0) FROM rotations;
--> statement-breakpoint
CREATE TRIGGER `rotation_longest_span_inserted` AFTER INSERT ON `rotations` BEGIN
  UPDATE rotation_longest_span SET days = max(days, coalesce(CAST(julianday(NEW.end_date) - julianday(NEW.start_date) AS INTEGER), 0)) WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_longest_span_dates_changed` AFTER UPDATE OF start_date, end_date ON `rotations` BEGIN
  UPDATE rotation_longest_span SET days = max(days, coalesce(CAST(julianday(NEW.end_date) - julianday(NEW.start_date) AS INTEGER), 0)) WHERE id = 1;
END;
--> statement-breakpoint
DROP INDEX `rotations_start_idx`;--> statement-breakpoint
CREATE INDEX `rotations_start_idx` ON `rotations` (`start_date`,`end_date`,`status`,`person_id`);
