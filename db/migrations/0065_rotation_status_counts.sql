CREATE TABLE `rotation_status_counts` (
	`program_id` integer NOT NULL,
	`status` text NOT NULL,
	`rotations` integer NOT NULL,
	PRIMARY KEY(`program_id`, `status`)
);
--> statement-breakpoint
CREATE INDEX `rotations_status_end_idx` ON `rotations` (`status`,`end_date`);--> statement-breakpoint
-- Kept in the statement that inserts or deletes a rotation, or changes its status or program.
CREATE TRIGGER `rotation_status_counts_added` AFTER INSERT ON `rotations` BEGIN
  INSERT INTO `rotation_status_counts` (`program_id`, `status`, `rotations`) VALUES (NEW.program_id, NEW.status, 1)
  ON CONFLICT (`program_id`, `status`) DO UPDATE SET `rotations` = `rotations` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_status_counts_removed` AFTER DELETE ON `rotations` BEGIN
  UPDATE `rotation_status_counts` SET `rotations` = `rotations` - 1 WHERE `program_id` = OLD.program_id AND `status` = OLD.status;
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_status_counts_moved` AFTER UPDATE OF `status`, `program_id` ON `rotations`
  WHEN NEW.status IS NOT OLD.status OR NEW.program_id IS NOT OLD.program_id BEGIN
  UPDATE `rotation_status_counts` SET `rotations` = `rotations` - 1 WHERE `program_id` = OLD.program_id AND `status` = OLD.status;
  INSERT INTO `rotation_status_counts` (`program_id`, `status`, `rotations`) VALUES (NEW.program_id, NEW.status, 1)
  ON CONFLICT (`program_id`, `status`) DO UPDATE SET `rotations` = `rotations` + 1;
END;
--> statement-breakpoint
INSERT INTO `rotation_status_counts` (`program_id`, `status`, `rotations`) SELECT `program_id`, `status`, count(*) FROM `rotations` GROUP BY `program_id`, `status`;
