CREATE TABLE `completion_history_sums` (
	`week_at` integer NOT NULL,
	`scope_key` integer NOT NULL,
	`program_id` integer NOT NULL,
	`total` integer NOT NULL,
	`done` integer NOT NULL,
	`overdue` integer NOT NULL,
	PRIMARY KEY(`scope_key`, `week_at`, `program_id`)
);
--> statement-breakpoint
-- As completion_chain_totals: each trigger applies its own change against the other tables as they stand, so the
-- sums equal completion_history summed per scope from scratch whatever order one write's triggers fire in.
CREATE TRIGGER `completion_history_sums_added` AFTER INSERT ON `completion_history` BEGIN
  INSERT INTO `completion_history_sums` (`week_at`, `scope_key`, `program_id`, `total`, `done`, `overdue`)
  SELECT NEW.week_at, 0, NEW.program_id, NEW.total, NEW.done, NEW.overdue WHERE true
  ON CONFLICT (`scope_key`, `week_at`, `program_id`) DO UPDATE SET `total` = `total` + excluded.`total`, `done` = `done` + excluded.`done`,
    `overdue` = `overdue` + excluded.`overdue`;
  INSERT INTO `completion_history_sums` (`week_at`, `scope_key`, `program_id`, `total`, `done`, `overdue`)
  SELECT NEW.week_at, c.ancestor_id, NEW.program_id, NEW.total, NEW.done, NEW.overdue
  FROM teams t JOIN reporting_chain c ON c.descendant_id = t.manager_id WHERE t.id = NEW.team_key
  ON CONFLICT (`scope_key`, `week_at`, `program_id`) DO UPDATE SET `total` = `total` + excluded.`total`, `done` = `done` + excluded.`done`,
    `overdue` = `overdue` + excluded.`overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_history_sums_removed` AFTER DELETE ON `completion_history` BEGIN
  INSERT INTO `completion_history_sums` (`week_at`, `scope_key`, `program_id`, `total`, `done`, `overdue`)
  SELECT OLD.week_at, 0, OLD.program_id, -OLD.total, -OLD.done, -OLD.overdue WHERE true
  ON CONFLICT (`scope_key`, `week_at`, `program_id`) DO UPDATE SET `total` = `total` + excluded.`total`, `done` = `done` + excluded.`done`,
    `overdue` = `overdue` + excluded.`overdue`;
  INSERT INTO `completion_history_sums` (`week_at`, `scope_key`, `program_id`, `total`, `done`, `overdue`)
  SELECT OLD.week_at, c.ancestor_id, OLD.program_id, -OLD.total, -OLD.done, -OLD.overdue
  FROM teams t JOIN reporting_chain c ON c.descendant_id = t.manager_id WHERE t.id = OLD.team_key
  ON CONFLICT (`scope_key`, `week_at`, `program_id`) DO UPDATE SET `total` = `total` + excluded.`total`, `done` = `done` + excluded.`done`,
    `overdue` = `overdue` + excluded.`overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_history_sums_team_moved` AFTER UPDATE OF `manager_id` ON `teams` WHEN NEW.manager_id IS NOT OLD.manager_id BEGIN
  INSERT INTO `completion_history_sums` (`week_at`, `scope_key`, `program_id`, `total`, `done`, `overdue`)
  SELECT h.week_at, c.ancestor_id, h.program_id, -h.total, -h.done, -h.overdue
  FROM completion_history h, reporting_chain c WHERE h.team_key = OLD.id AND c.descendant_id = OLD.manager_id
  ON CONFLICT (`scope_key`, `week_at`, `program_id`) DO UPDATE SET `total` = `total` + excluded.`total`, `done` = `done` + excluded.`done`,
    `overdue` = `overdue` + excluded.`overdue`;
  INSERT INTO `completion_history_sums` (`week_at`, `scope_key`, `program_id`, `total`, `done`, `overdue`)
  SELECT h.week_at, c.ancestor_id, h.program_id, h.total, h.done, h.overdue
  FROM completion_history h, reporting_chain c WHERE h.team_key = NEW.id AND c.descendant_id = NEW.manager_id
  ON CONFLICT (`scope_key`, `week_at`, `program_id`) DO UPDATE SET `total` = `total` + excluded.`total`, `done` = `done` + excluded.`done`,
    `overdue` = `overdue` + excluded.`overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_history_sums_team_added` AFTER INSERT ON `teams` WHEN NEW.manager_id IS NOT NULL BEGIN
  INSERT INTO `completion_history_sums` (`week_at`, `scope_key`, `program_id`, `total`, `done`, `overdue`)
  SELECT h.week_at, c.ancestor_id, h.program_id, h.total, h.done, h.overdue
  FROM completion_history h, reporting_chain c WHERE h.team_key = NEW.id AND c.descendant_id = NEW.manager_id
  ON CONFLICT (`scope_key`, `week_at`, `program_id`) DO UPDATE SET `total` = `total` + excluded.`total`, `done` = `done` + excluded.`done`,
    `overdue` = `overdue` + excluded.`overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_history_sums_team_removed` AFTER DELETE ON `teams` WHEN OLD.manager_id IS NOT NULL BEGIN
  INSERT INTO `completion_history_sums` (`week_at`, `scope_key`, `program_id`, `total`, `done`, `overdue`)
  SELECT h.week_at, c.ancestor_id, h.program_id, -h.total, -h.done, -h.overdue
  FROM completion_history h, reporting_chain c WHERE h.team_key = OLD.id AND c.descendant_id = OLD.manager_id
  ON CONFLICT (`scope_key`, `week_at`, `program_id`) DO UPDATE SET `total` = `total` + excluded.`total`, `done` = `done` + excluded.`done`,
    `overdue` = `overdue` + excluded.`overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_history_sums_chain_added` AFTER INSERT ON `reporting_chain`
  WHEN EXISTS (SELECT 1 FROM teams WHERE manager_id = NEW.descendant_id) BEGIN
  INSERT INTO `completion_history_sums` (`week_at`, `scope_key`, `program_id`, `total`, `done`, `overdue`)
  SELECT h.week_at, NEW.ancestor_id, h.program_id, sum(h.total), sum(h.done), sum(h.overdue)
  FROM teams t JOIN completion_history h ON h.team_key = t.id WHERE t.manager_id = NEW.descendant_id
  GROUP BY h.week_at, h.program_id
  ON CONFLICT (`scope_key`, `week_at`, `program_id`) DO UPDATE SET `total` = `total` + excluded.`total`, `done` = `done` + excluded.`done`,
    `overdue` = `overdue` + excluded.`overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_history_sums_chain_removed` AFTER DELETE ON `reporting_chain`
  WHEN EXISTS (SELECT 1 FROM teams WHERE manager_id = OLD.descendant_id) BEGIN
  INSERT INTO `completion_history_sums` (`week_at`, `scope_key`, `program_id`, `total`, `done`, `overdue`)
  SELECT h.week_at, OLD.ancestor_id, h.program_id, -sum(h.total), -sum(h.done), -sum(h.overdue)
  FROM teams t JOIN completion_history h ON h.team_key = t.id WHERE t.manager_id = OLD.descendant_id
  GROUP BY h.week_at, h.program_id
  ON CONFLICT (`scope_key`, `week_at`, `program_id`) DO UPDATE SET `total` = `total` + excluded.`total`, `done` = `done` + excluded.`done`,
    `overdue` = `overdue` + excluded.`overdue`;
END;
--> statement-breakpoint
INSERT INTO `completion_history_sums` (`week_at`, `scope_key`, `program_id`, `total`, `done`, `overdue`)
SELECT week_at, 0, program_id, sum(total), sum(done), sum(overdue) FROM completion_history GROUP BY week_at, program_id;
--> statement-breakpoint
INSERT INTO `completion_history_sums` (`week_at`, `scope_key`, `program_id`, `total`, `done`, `overdue`)
SELECT h.week_at, c.ancestor_id, h.program_id, sum(h.total), sum(h.done), sum(h.overdue)
FROM completion_history h JOIN teams t ON t.id = h.team_key JOIN reporting_chain c ON c.descendant_id = t.manager_id
GROUP BY c.ancestor_id, h.week_at, h.program_id;
