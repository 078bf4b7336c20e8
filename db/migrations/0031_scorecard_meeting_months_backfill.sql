-- scorecard_meeting_months: the per-day meeting counts of scorecard_meeting_days summed per UTC month (months since
-- January 1970), written by the same step that writes the days (src/scorecard/meetings.ts); filled here from the days.
INSERT INTO scorecard_meeting_months (team_id, month, started, started_held)
SELECT team_id, (CAST(strftime('%Y', day * 86400, 'unixepoch') AS INTEGER) - 1970) * 12 + CAST(strftime('%m', day * 86400, 'unixepoch') AS INTEGER) - 1 AS month,
       sum(started), sum(started_held)
  FROM scorecard_meeting_days GROUP BY 1, 2 HAVING sum(started) <> 0;
--> statement-breakpoint
-- department_headcounts: active people per department, kept by the triggers below in the same transaction as every
-- write to people; test/scorecard/rotations.test.ts checks it against a count after each kind of write.
CREATE TRIGGER `people_headcount_inserted` AFTER INSERT ON `people` WHEN NEW.active = 1 BEGIN
  INSERT INTO department_headcounts (department, active) VALUES (NEW.department, 1)
  ON CONFLICT (department) DO UPDATE SET active = active + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `people_headcount_deleted` AFTER DELETE ON `people` WHEN OLD.active = 1 BEGIN
  UPDATE department_headcounts SET active = active - 1 WHERE department = OLD.department;
END;
--> statement-breakpoint
CREATE TRIGGER `people_headcount_updated` AFTER UPDATE OF department, active ON `people`
  WHEN OLD.department IS NOT NEW.department OR OLD.active IS NOT NEW.active BEGIN
  UPDATE department_headcounts SET active = active - 1 WHERE department = OLD.department AND OLD.active = 1;
  INSERT INTO department_headcounts (department, active) SELECT NEW.department, 1 WHERE NEW.active = 1
  ON CONFLICT (department) DO UPDATE SET active = active + 1;
END;
--> statement-breakpoint
INSERT INTO department_headcounts (department, active) SELECT department, count(*) FROM people WHERE active = 1 GROUP BY department;
