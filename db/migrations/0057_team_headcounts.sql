CREATE TABLE `team_headcounts` (
	`team_id` integer PRIMARY KEY NOT NULL,
	`active` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `people_role_active_name_idx` ON `people` (`role`,`active`,`name`);
--> statement-breakpoint
-- Kept by the triggers below in the same transaction as every write to people (form, import, API, a script's raw
-- write); test/people/teams.test.ts checks it against a count after each kind of write.
CREATE TRIGGER `people_team_headcount_inserted` AFTER INSERT ON `people` WHEN NEW.active = 1 AND NEW.team_id IS NOT NULL BEGIN
  INSERT INTO team_headcounts (team_id, active) VALUES (NEW.team_id, 1)
  ON CONFLICT (team_id) DO UPDATE SET active = active + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `people_team_headcount_deleted` AFTER DELETE ON `people` WHEN OLD.active = 1 AND OLD.team_id IS NOT NULL BEGIN
  UPDATE team_headcounts SET active = active - 1 WHERE team_id = OLD.team_id;
END;
--> statement-breakpoint
CREATE TRIGGER `people_team_headcount_updated` AFTER UPDATE OF team_id, active ON `people`
  WHEN OLD.team_id IS NOT NEW.team_id OR OLD.active IS NOT NEW.active BEGIN
  UPDATE team_headcounts SET active = active - 1 WHERE team_id = OLD.team_id AND OLD.active = 1;
  INSERT INTO team_headcounts (team_id, active) SELECT NEW.team_id, 1 WHERE NEW.active = 1 AND NEW.team_id IS NOT NULL
  ON CONFLICT (team_id) DO UPDATE SET active = active + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `teams_headcount_deleted` AFTER DELETE ON `teams` BEGIN
  DELETE FROM team_headcounts WHERE team_id = OLD.id;
END;
--> statement-breakpoint
INSERT INTO team_headcounts (team_id, active) SELECT team_id, count(*) FROM people WHERE active = 1 AND team_id IS NOT NULL GROUP BY team_id;
