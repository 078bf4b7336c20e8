CREATE TABLE `completion_chain_totals` (
	`manager_id` integer NOT NULL,
	`requirement_id` integer NOT NULL,
	`program_id` integer NOT NULL,
	`rows` integer NOT NULL,
	`done` integer NOT NULL,
	`late` integer NOT NULL,
	`overdue` integer NOT NULL,
	`due_soon_or_overdue` integer NOT NULL,
	PRIMARY KEY(`manager_id`, `requirement_id`)
);
--> statement-breakpoint
-- Each trigger applies its own change against the other tables as they stand when it runs, so whatever order the
-- triggers of one write fire in (a team's new manager, the chain rows that move with it), the sums come out as
-- counted from scratch. A group counts at the instant of completion_totals_at as it does in completion_totals.
CREATE TRIGGER `completion_chain_totals_group_added` AFTER INSERT ON `completion_counts` BEGIN
  INSERT INTO `completion_chain_totals` (`manager_id`, `requirement_id`, `program_id`, `rows`, `done`, `late`, `overdue`, `due_soon_or_overdue`)
  SELECT c.ancestor_id, NEW.requirement_id, NEW.program_id, v.rows, v.done, v.late, v.overdue, v.due_soon_or_overdue
  FROM (SELECT NEW.rows AS rows, NEW.rows * NEW.done AS done, NEW.rows * NEW.late AS late, NEW.rows * (NOT NEW.done AND NEW.due_at <= s.at) AS overdue,
          NEW.rows * (NOT NEW.done AND NEW.due_soon_at <= s.at) AS due_soon_or_overdue
        FROM completion_totals_at s WHERE NEW.window_from <= s.at AND (NEW.window_until IS NULL OR NEW.window_until > s.at)) v,
    teams t JOIN reporting_chain c ON c.descendant_id = t.manager_id
  WHERE t.id = NEW.team_id
  ON CONFLICT (`manager_id`, `requirement_id`) DO UPDATE SET `rows` = `rows` + excluded.`rows`, `done` = `done` + excluded.`done`,
    `late` = `late` + excluded.`late`, `overdue` = `overdue` + excluded.`overdue`, `due_soon_or_overdue` = `due_soon_or_overdue` + excluded.`due_soon_or_overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_chain_totals_group_removed` AFTER DELETE ON `completion_counts` BEGIN
  INSERT INTO `completion_chain_totals` (`manager_id`, `requirement_id`, `program_id`, `rows`, `done`, `late`, `overdue`, `due_soon_or_overdue`)
  SELECT c.ancestor_id, OLD.requirement_id, OLD.program_id, -v.rows, -v.done, -v.late, -v.overdue, -v.due_soon_or_overdue
  FROM (SELECT OLD.rows AS rows, OLD.rows * OLD.done AS done, OLD.rows * OLD.late AS late, OLD.rows * (NOT OLD.done AND OLD.due_at <= s.at) AS overdue,
          OLD.rows * (NOT OLD.done AND OLD.due_soon_at <= s.at) AS due_soon_or_overdue
        FROM completion_totals_at s WHERE OLD.window_from <= s.at AND (OLD.window_until IS NULL OR OLD.window_until > s.at)) v,
    teams t JOIN reporting_chain c ON c.descendant_id = t.manager_id
  WHERE t.id = OLD.team_id
  ON CONFLICT (`manager_id`, `requirement_id`) DO UPDATE SET `rows` = `rows` + excluded.`rows`, `done` = `done` + excluded.`done`,
    `late` = `late` + excluded.`late`, `overdue` = `overdue` + excluded.`overdue`, `due_soon_or_overdue` = `due_soon_or_overdue` + excluded.`due_soon_or_overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_chain_totals_group_changed` AFTER UPDATE ON `completion_counts` BEGIN
  INSERT INTO `completion_chain_totals` (`manager_id`, `requirement_id`, `program_id`, `rows`, `done`, `late`, `overdue`, `due_soon_or_overdue`)
  SELECT c.ancestor_id, OLD.requirement_id, OLD.program_id, -v.rows, -v.done, -v.late, -v.overdue, -v.due_soon_or_overdue
  FROM (SELECT OLD.rows AS rows, OLD.rows * OLD.done AS done, OLD.rows * OLD.late AS late, OLD.rows * (NOT OLD.done AND OLD.due_at <= s.at) AS overdue,
          OLD.rows * (NOT OLD.done AND OLD.due_soon_at <= s.at) AS due_soon_or_overdue
        FROM completion_totals_at s WHERE OLD.window_from <= s.at AND (OLD.window_until IS NULL OR OLD.window_until > s.at)) v,
    teams t JOIN reporting_chain c ON c.descendant_id = t.manager_id
  WHERE t.id = OLD.team_id
  ON CONFLICT (`manager_id`, `requirement_id`) DO UPDATE SET `rows` = `rows` + excluded.`rows`, `done` = `done` + excluded.`done`,
    `late` = `late` + excluded.`late`, `overdue` = `overdue` + excluded.`overdue`, `due_soon_or_overdue` = `due_soon_or_overdue` + excluded.`due_soon_or_overdue`;
  INSERT INTO `completion_chain_totals` (`manager_id`, `requirement_id`, `program_id`, `rows`, `done`, `late`, `overdue`, `due_soon_or_overdue`)
  SELECT c.ancestor_id, NEW.requirement_id, NEW.program_id, v.rows, v.done, v.late, v.overdue, v.due_soon_or_overdue
  FROM (SELECT NEW.rows AS rows, NEW.rows * NEW.done AS done, NEW.rows * NEW.late AS late, NEW.rows * (NOT NEW.done AND NEW.due_at <= s.at) AS overdue,
          NEW.rows * (NOT NEW.done AND NEW.due_soon_at <= s.at) AS due_soon_or_overdue
        FROM completion_totals_at s WHERE NEW.window_from <= s.at AND (NEW.window_until IS NULL OR NEW.window_until > s.at)) v,
    teams t JOIN reporting_chain c ON c.descendant_id = t.manager_id
  WHERE t.id = NEW.team_id
  ON CONFLICT (`manager_id`, `requirement_id`) DO UPDATE SET `rows` = `rows` + excluded.`rows`, `done` = `done` + excluded.`done`,
    `late` = `late` + excluded.`late`, `overdue` = `overdue` + excluded.`overdue`, `due_soon_or_overdue` = `due_soon_or_overdue` + excluded.`due_soon_or_overdue`;
END;
--> statement-breakpoint
-- A team changing managers leaves the old manager's chain and joins the new one's.
CREATE TRIGGER `completion_chain_totals_team_moved` AFTER UPDATE OF `manager_id` ON `teams` WHEN NEW.manager_id IS NOT OLD.manager_id BEGIN
  INSERT INTO `completion_chain_totals` (`manager_id`, `requirement_id`, `program_id`, `rows`, `done`, `late`, `overdue`, `due_soon_or_overdue`)
  SELECT c.ancestor_id, g.requirement_id, g.program_id, -g.rows, -g.done, -g.late, -g.overdue, -g.due_soon_or_overdue
  FROM (SELECT x.requirement_id, x.program_id, sum(x.rows) AS rows, sum(x.rows * x.done) AS done, sum(x.rows * x.late) AS late,
          sum(x.rows * (NOT x.done AND x.due_at <= s.at)) AS overdue, sum(x.rows * (NOT x.done AND x.due_soon_at <= s.at)) AS due_soon_or_overdue
        FROM completion_counts x, completion_totals_at s
        WHERE x.team_id = OLD.id AND x.window_from <= s.at AND (x.window_until IS NULL OR x.window_until > s.at)
        GROUP BY x.requirement_id, x.program_id) g, reporting_chain c WHERE c.descendant_id = OLD.manager_id
  ON CONFLICT (`manager_id`, `requirement_id`) DO UPDATE SET `rows` = `rows` + excluded.`rows`, `done` = `done` + excluded.`done`,
    `late` = `late` + excluded.`late`, `overdue` = `overdue` + excluded.`overdue`, `due_soon_or_overdue` = `due_soon_or_overdue` + excluded.`due_soon_or_overdue`;
  INSERT INTO `completion_chain_totals` (`manager_id`, `requirement_id`, `program_id`, `rows`, `done`, `late`, `overdue`, `due_soon_or_overdue`)
  SELECT c.ancestor_id, g.requirement_id, g.program_id, g.rows, g.done, g.late, g.overdue, g.due_soon_or_overdue
  FROM (SELECT x.requirement_id, x.program_id, sum(x.rows) AS rows, sum(x.rows * x.done) AS done, sum(x.rows * x.late) AS late,
          sum(x.rows * (NOT x.done AND x.due_at <= s.at)) AS overdue, sum(x.rows * (NOT x.done AND x.due_soon_at <= s.at)) AS due_soon_or_overdue
        FROM completion_counts x, completion_totals_at s
        WHERE x.team_id = NEW.id AND x.window_from <= s.at AND (x.window_until IS NULL OR x.window_until > s.at)
        GROUP BY x.requirement_id, x.program_id) g, reporting_chain c WHERE c.descendant_id = NEW.manager_id
  ON CONFLICT (`manager_id`, `requirement_id`) DO UPDATE SET `rows` = `rows` + excluded.`rows`, `done` = `done` + excluded.`done`,
    `late` = `late` + excluded.`late`, `overdue` = `overdue` + excluded.`overdue`, `due_soon_or_overdue` = `due_soon_or_overdue` + excluded.`due_soon_or_overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_chain_totals_team_added` AFTER INSERT ON `teams` WHEN NEW.manager_id IS NOT NULL BEGIN
  INSERT INTO `completion_chain_totals` (`manager_id`, `requirement_id`, `program_id`, `rows`, `done`, `late`, `overdue`, `due_soon_or_overdue`)
  SELECT c.ancestor_id, g.requirement_id, g.program_id, g.rows, g.done, g.late, g.overdue, g.due_soon_or_overdue
  FROM (SELECT x.requirement_id, x.program_id, sum(x.rows) AS rows, sum(x.rows * x.done) AS done, sum(x.rows * x.late) AS late,
          sum(x.rows * (NOT x.done AND x.due_at <= s.at)) AS overdue, sum(x.rows * (NOT x.done AND x.due_soon_at <= s.at)) AS due_soon_or_overdue
        FROM completion_counts x, completion_totals_at s
        WHERE x.team_id = NEW.id AND x.window_from <= s.at AND (x.window_until IS NULL OR x.window_until > s.at)
        GROUP BY x.requirement_id, x.program_id) g, reporting_chain c WHERE c.descendant_id = NEW.manager_id
  ON CONFLICT (`manager_id`, `requirement_id`) DO UPDATE SET `rows` = `rows` + excluded.`rows`, `done` = `done` + excluded.`done`,
    `late` = `late` + excluded.`late`, `overdue` = `overdue` + excluded.`overdue`, `due_soon_or_overdue` = `due_soon_or_overdue` + excluded.`due_soon_or_overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_chain_totals_team_removed` AFTER DELETE ON `teams` WHEN OLD.manager_id IS NOT NULL BEGIN
  INSERT INTO `completion_chain_totals` (`manager_id`, `requirement_id`, `program_id`, `rows`, `done`, `late`, `overdue`, `due_soon_or_overdue`)
  SELECT c.ancestor_id, g.requirement_id, g.program_id, -g.rows, -g.done, -g.late, -g.overdue, -g.due_soon_or_overdue
  FROM (SELECT x.requirement_id, x.program_id, sum(x.rows) AS rows, sum(x.rows * x.done) AS done, sum(x.rows * x.late) AS late,
          sum(x.rows * (NOT x.done AND x.due_at <= s.at)) AS overdue, sum(x.rows * (NOT x.done AND x.due_soon_at <= s.at)) AS due_soon_or_overdue
        FROM completion_counts x, completion_totals_at s
        WHERE x.team_id = OLD.id AND x.window_from <= s.at AND (x.window_until IS NULL OR x.window_until > s.at)
        GROUP BY x.requirement_id, x.program_id) g, reporting_chain c WHERE c.descendant_id = OLD.manager_id
  ON CONFLICT (`manager_id`, `requirement_id`) DO UPDATE SET `rows` = `rows` + excluded.`rows`, `done` = `done` + excluded.`done`,
    `late` = `late` + excluded.`late`, `overdue` = `overdue` + excluded.`overdue`, `due_soon_or_overdue` = `due_soon_or_overdue` + excluded.`due_soon_or_overdue`;
END;
--> statement-breakpoint
-- Someone who manages teams coming below a manager brings their teams' sums; leaving takes them away.
CREATE TRIGGER `completion_chain_totals_chain_added` AFTER INSERT ON `reporting_chain`
  WHEN EXISTS (SELECT 1 FROM teams WHERE manager_id = NEW.descendant_id) BEGIN
  INSERT INTO `completion_chain_totals` (`manager_id`, `requirement_id`, `program_id`, `rows`, `done`, `late`, `overdue`, `due_soon_or_overdue`)
  SELECT NEW.ancestor_id, x.requirement_id, x.program_id, sum(x.rows), sum(x.rows * x.done), sum(x.rows * x.late),
    sum(x.rows * (NOT x.done AND x.due_at <= s.at)), sum(x.rows * (NOT x.done AND x.due_soon_at <= s.at))
  FROM teams t JOIN completion_counts x ON x.team_id = t.id, completion_totals_at s
  WHERE t.manager_id = NEW.descendant_id AND x.window_from <= s.at AND (x.window_until IS NULL OR x.window_until > s.at)
  GROUP BY x.requirement_id, x.program_id
  ON CONFLICT (`manager_id`, `requirement_id`) DO UPDATE SET `rows` = `rows` + excluded.`rows`, `done` = `done` + excluded.`done`,
    `late` = `late` + excluded.`late`, `overdue` = `overdue` + excluded.`overdue`, `due_soon_or_overdue` = `due_soon_or_overdue` + excluded.`due_soon_or_overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_chain_totals_chain_removed` AFTER DELETE ON `reporting_chain`
  WHEN EXISTS (SELECT 1 FROM teams WHERE manager_id = OLD.descendant_id) BEGIN
  INSERT INTO `completion_chain_totals` (`manager_id`, `requirement_id`, `program_id`, `rows`, `done`, `late`, `overdue`, `due_soon_or_overdue`)
  SELECT OLD.ancestor_id, x.requirement_id, x.program_id, -sum(x.rows), -sum(x.rows * x.done), -sum(x.rows * x.late),
    -sum(x.rows * (NOT x.done AND x.due_at <= s.at)), -sum(x.rows * (NOT x.done AND x.due_soon_at <= s.at))
  FROM teams t JOIN completion_counts x ON x.team_id = t.id, completion_totals_at s
  WHERE t.manager_id = OLD.descendant_id AND x.window_from <= s.at AND (x.window_until IS NULL OR x.window_until > s.at)
  GROUP BY x.requirement_id, x.program_id
  ON CONFLICT (`manager_id`, `requirement_id`) DO UPDATE SET `rows` = `rows` + excluded.`rows`, `done` = `done` + excluded.`done`,
    `late` = `late` + excluded.`late`, `overdue` = `overdue` + excluded.`overdue`, `due_soon_or_overdue` = `due_soon_or_overdue` + excluded.`due_soon_or_overdue`;
END;
--> statement-breakpoint
INSERT INTO `completion_chain_totals` (`manager_id`, `requirement_id`, `program_id`, `rows`, `done`, `late`, `overdue`, `due_soon_or_overdue`)
SELECT c.ancestor_id, x.requirement_id, x.program_id, sum(x.rows), sum(x.rows * x.done), sum(x.rows * x.late),
  sum(x.rows * (NOT x.done AND x.due_at <= s.at)), sum(x.rows * (NOT x.done AND x.due_soon_at <= s.at))
FROM completion_counts x JOIN teams t ON t.id = x.team_id JOIN reporting_chain c ON c.descendant_id = t.manager_id, completion_totals_at s
WHERE x.window_from <= s.at AND (x.window_until IS NULL OR x.window_until > s.at)
GROUP BY c.ancestor_id, x.requirement_id, x.program_id;
