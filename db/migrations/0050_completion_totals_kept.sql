-- completion_totals: completion_counts summed per requirement over every team (team_key 0), per team and program
-- (requirement_key 0) and per team over the active programs (program_key 0), as they stand at the instant in
-- completion_totals_at. Kept by the triggers below in the statement that changes a group or a program's active flag;
-- a report at another instant adds the change of the groups with an instant in between, and the background job
-- moves the instant along (settleCompletionTotals). A group counts at instant s when its window holds s.
INSERT INTO completion_totals_at (id, at) VALUES (1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
--> statement-breakpoint
INSERT INTO completion_totals (team_key, program_key, requirement_key, rows, done, late, overdue, due_soon_or_overdue)
SELECT team_key, program_key, requirement_key, sum(rows), sum(done), sum(late), sum(overdue), sum(due_soon_or_overdue) FROM (
  SELECT 0 AS team_key, c.program_id AS program_key, c.requirement_id AS requirement_key, c.rows AS rows, c.rows * c.done AS done, c.rows * c.late AS late, c.rows * (NOT c.done AND c.due_at <= s.at) AS overdue, c.rows * (NOT c.done AND c.due_soon_at <= s.at) AS due_soon_or_overdue
    FROM completion_counts c, completion_totals_at s WHERE c.window_from <= s.at AND (c.window_until IS NULL OR c.window_until > s.at)
  UNION ALL SELECT c.team_id, c.program_id, 0, c.rows AS rows, c.rows * c.done AS done, c.rows * c.late AS late, c.rows * (NOT c.done AND c.due_at <= s.at) AS overdue, c.rows * (NOT c.done AND c.due_soon_at <= s.at) AS due_soon_or_overdue
    FROM completion_counts c, completion_totals_at s WHERE c.window_from <= s.at AND (c.window_until IS NULL OR c.window_until > s.at)
  UNION ALL SELECT c.team_id, 0, 0, c.rows AS rows, c.rows * c.done AS done, c.rows * c.late AS late, c.rows * (NOT c.done AND c.due_at <= s.at) AS overdue, c.rows * (NOT c.done AND c.due_soon_at <= s.at) AS due_soon_or_overdue
    FROM completion_counts c, completion_totals_at s WHERE c.window_from <= s.at AND (c.window_until IS NULL OR c.window_until > s.at) AND c.program_id IN (SELECT id FROM programs WHERE active = 1)
) GROUP BY team_key, program_key, requirement_key;
--> statement-breakpoint
-- The weakest teams first: the share done (as the report floors it), then the most overdue.
CREATE INDEX `completion_totals_rank` ON `completion_totals` (`program_key`, (`done` * 100 / `rows`), `overdue` DESC)
  WHERE `requirement_key` = 0 AND `team_key` > 0 AND `rows` > 0;
--> statement-breakpoint
CREATE TRIGGER `completion_totals_group_added` AFTER INSERT ON `completion_counts` BEGIN
  INSERT INTO completion_totals (team_key, program_key, requirement_key, rows, done, late, overdue, due_soon_or_overdue)
  SELECT k.team_key, k.program_key, k.requirement_key, v.rows, v.done, v.late, v.overdue, v.due_soon_or_overdue
  FROM (SELECT NEW.rows AS rows, NEW.rows * NEW.done AS done, NEW.rows * NEW.late AS late, NEW.rows * (NOT NEW.done AND NEW.due_at <= s.at) AS overdue, NEW.rows * (NOT NEW.done AND NEW.due_soon_at <= s.at) AS due_soon_or_overdue FROM completion_totals_at s WHERE NEW.window_from <= s.at AND (NEW.window_until IS NULL OR NEW.window_until > s.at)) v,
    (SELECT 0 AS team_key, NEW.program_id AS program_key, NEW.requirement_id AS requirement_key
     UNION ALL SELECT NEW.team_id, NEW.program_id, 0
     UNION ALL SELECT NEW.team_id, 0, 0 FROM programs WHERE id = NEW.program_id AND active = 1) k
  WHERE true
  ON CONFLICT (team_key, program_key, requirement_key) DO UPDATE SET rows = rows + excluded.rows, done = done + excluded.done,
    late = late + excluded.late, overdue = overdue + excluded.overdue, due_soon_or_overdue = due_soon_or_overdue + excluded.due_soon_or_overdue;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_totals_group_removed` AFTER DELETE ON `completion_counts` BEGIN
  INSERT INTO completion_totals (team_key, program_key, requirement_key, rows, done, late, overdue, due_soon_or_overdue)
  SELECT k.team_key, k.program_key, k.requirement_key, -v.rows, -v.done, -v.late, -v.overdue, -v.due_soon_or_overdue
  FROM (SELECT OLD.rows AS rows, OLD.rows * OLD.done AS done, OLD.rows * OLD.late AS late, OLD.rows * (NOT OLD.done AND OLD.due_at <= s.at) AS overdue, OLD.rows * (NOT OLD.done AND OLD.due_soon_at <= s.at) AS due_soon_or_overdue FROM completion_totals_at s WHERE OLD.window_from <= s.at AND (OLD.window_until IS NULL OR OLD.window_until > s.at)) v,
    (SELECT 0 AS team_key, OLD.program_id AS program_key, OLD.requirement_id AS requirement_key
     UNION ALL SELECT OLD.team_id, OLD.program_id, 0
     UNION ALL SELECT OLD.team_id, 0, 0 FROM programs WHERE id = OLD.program_id AND active = 1) k
  WHERE true
  ON CONFLICT (team_key, program_key, requirement_key) DO UPDATE SET rows = rows + excluded.rows, done = done + excluded.done,
    late = late + excluded.late, overdue = overdue + excluded.overdue, due_soon_or_overdue = due_soon_or_overdue + excluded.due_soon_or_overdue;
END;
--> statement-breakpoint
CREATE TRIGGER `completion_totals_group_changed` AFTER UPDATE ON `completion_counts` BEGIN
  INSERT INTO completion_totals (team_key, program_key, requirement_key, rows, done, late, overdue, due_soon_or_overdue)
  SELECT k.team_key, k.program_key, k.requirement_key, -v.rows, -v.done, -v.late, -v.overdue, -v.due_soon_or_overdue
  FROM (SELECT OLD.rows AS rows, OLD.rows * OLD.done AS done, OLD.rows * OLD.late AS late, OLD.rows * (NOT OLD.done AND OLD.due_at <= s.at) AS overdue, OLD.rows * (NOT OLD.done AND OLD.due_soon_at <= s.at) AS due_soon_or_overdue FROM completion_totals_at s WHERE OLD.window_from <= s.at AND (OLD.window_until IS NULL OR OLD.window_until > s.at)) v,
    (SELECT 0 AS team_key, OLD.program_id AS program_key, OLD.requirement_id AS requirement_key
     UNION ALL SELECT OLD.team_id, OLD.program_id, 0
     UNION ALL SELECT OLD.team_id, 0, 0 FROM programs WHERE id = OLD.program_id AND active = 1) k
  WHERE true
  ON CONFLICT (team_key, program_key, requirement_key) DO UPDATE SET rows = rows + excluded.rows, done = done + excluded.done,
    late = late + excluded.late, overdue = overdue + excluded.overdue, due_soon_or_overdue = due_soon_or_overdue + excluded.due_soon_or_overdue;
  INSERT INTO completion_totals (team_key, program_key, requirement_key, rows, done, late, overdue, due_soon_or_overdue)
  SELECT k.team_key, k.program_key, k.requirement_key, v.rows, v.done, v.late, v.overdue, v.due_soon_or_overdue
  FROM (SELECT NEW.rows AS rows, NEW.rows * NEW.done AS done, NEW.rows * NEW.late AS late, NEW.rows * (NOT NEW.done AND NEW.due_at <= s.at) AS overdue, NEW.rows * (NOT NEW.done AND NEW.due_soon_at <= s.at) AS due_soon_or_overdue FROM completion_totals_at s WHERE NEW.window_from <= s.at AND (NEW.window_until IS NULL OR NEW.window_until > s.at)) v,
    (SELECT 0 AS team_key, NEW.program_id AS program_key, NEW.requirement_id AS requirement_key
     UNION ALL SELECT NEW.team_id, NEW.program_id, 0
     UNION ALL SELECT NEW.team_id, 0, 0 FROM programs WHERE id = NEW.program_id AND active = 1) k
  WHERE true
  ON CONFLICT (team_key, program_key, requirement_key) DO UPDATE SET rows = rows + excluded.rows, done = done + excluded.done,
    late = late + excluded.late, overdue = overdue + excluded.overdue, due_soon_or_overdue = due_soon_or_overdue + excluded.due_soon_or_overdue;
END;
--> statement-breakpoint
-- Archiving a program takes its teams' totals out of every active program's (program_key 0); restoring puts them back.
CREATE TRIGGER `completion_totals_program_activity` AFTER UPDATE OF `active` ON `programs` WHEN NEW.active IS NOT OLD.active BEGIN
  INSERT INTO completion_totals (team_key, program_key, requirement_key, rows, done, late, overdue, due_soon_or_overdue)
  SELECT t.team_key, 0, 0, x.sign * t.rows, x.sign * t.done, x.sign * t.late, x.sign * t.overdue, x.sign * t.due_soon_or_overdue
  FROM completion_totals t, (SELECT CASE WHEN NEW.active THEN 1 ELSE -1 END AS sign) x
  WHERE t.program_key = NEW.id AND t.requirement_key = 0 AND t.team_key > 0
  ON CONFLICT (team_key, program_key, requirement_key) DO UPDATE SET rows = rows + excluded.rows, done = done + excluded.done,
    late = late + excluded.late, overdue = overdue + excluded.overdue, due_soon_or_overdue = due_soon_or_overdue + excluded.due_soon_or_overdue;
END;
