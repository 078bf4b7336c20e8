-- A manager's scope kept, not walked: the dashboards, reports and enrollment lists of a department's head found
-- their 500 teams by walking the company's managers and each one's reports on every view.
--   manager_scope_teams (manager, team): the team's manager is the manager or below them (a reporting_chain row).
--   manager_scope_people (manager, person): the person is below the manager or is them (a chain row), in no team
--   or in a team not in the manager's scope_teams.
-- Each trigger sets the rows its own change touches to that definition from the other tables as they stand, so
-- the order triggers of one write fire in does not matter. A person's team change rebuilds their chain rows
-- (people_chain_moved), which sets their scope rows again.
CREATE TABLE `manager_scope_people` (
	`manager_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	PRIMARY KEY(`manager_id`, `person_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `manager_scope_people_person_idx` ON `manager_scope_people` (`person_id`);--> statement-breakpoint
CREATE TABLE `manager_scope_teams` (
	`manager_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	PRIMARY KEY(`manager_id`, `team_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `manager_scope_teams_team_idx` ON `manager_scope_teams` (`team_id`);
--> statement-breakpoint
INSERT INTO `manager_scope_teams` (`manager_id`, `team_id`) SELECT c.ancestor_id, t.id FROM teams t JOIN reporting_chain c ON c.descendant_id = t.manager_id;
--> statement-breakpoint
INSERT INTO `manager_scope_people` (`manager_id`, `person_id`)
SELECT c.ancestor_id, c.descendant_id FROM reporting_chain c JOIN people x ON x.id = c.descendant_id
WHERE x.team_id IS NULL OR NOT EXISTS (SELECT 1 FROM manager_scope_teams s WHERE s.manager_id = c.ancestor_id AND s.team_id = x.team_id);
--> statement-breakpoint
CREATE TRIGGER `manager_scope_team_added` AFTER INSERT ON `teams` WHEN NEW.manager_id IS NOT NULL BEGIN
  INSERT OR IGNORE INTO `manager_scope_teams` (`manager_id`, `team_id`) SELECT c.ancestor_id, NEW.id FROM reporting_chain c WHERE c.descendant_id = NEW.manager_id;
END;
--> statement-breakpoint
CREATE TRIGGER `manager_scope_team_moved` AFTER UPDATE OF `manager_id` ON `teams` WHEN NEW.manager_id IS NOT OLD.manager_id BEGIN
  DELETE FROM `manager_scope_teams` WHERE team_id = NEW.id;
  INSERT OR IGNORE INTO `manager_scope_teams` (`manager_id`, `team_id`) SELECT c.ancestor_id, NEW.id FROM reporting_chain c WHERE c.descendant_id = NEW.manager_id;
END;
--> statement-breakpoint
CREATE TRIGGER `manager_scope_team_removed` AFTER DELETE ON `teams` BEGIN
  DELETE FROM `manager_scope_teams` WHERE team_id = OLD.id;
END;
--> statement-breakpoint
CREATE TRIGGER `manager_scope_chain_added` AFTER INSERT ON `reporting_chain` BEGIN
  INSERT OR IGNORE INTO `manager_scope_teams` (`manager_id`, `team_id`) SELECT NEW.ancestor_id, t.id FROM teams t WHERE t.manager_id = NEW.descendant_id;
  INSERT OR IGNORE INTO `manager_scope_people` (`manager_id`, `person_id`)
  SELECT NEW.ancestor_id, x.id FROM people x WHERE x.id = NEW.descendant_id
    AND (x.team_id IS NULL OR NOT EXISTS (SELECT 1 FROM manager_scope_teams s WHERE s.manager_id = NEW.ancestor_id AND s.team_id = x.team_id));
END;
--> statement-breakpoint
CREATE TRIGGER `manager_scope_chain_removed` AFTER DELETE ON `reporting_chain` BEGIN
  DELETE FROM `manager_scope_teams` WHERE manager_id = OLD.ancestor_id AND team_id IN (SELECT id FROM teams WHERE manager_id = OLD.descendant_id);
  DELETE FROM `manager_scope_people` WHERE manager_id = OLD.ancestor_id AND person_id = OLD.descendant_id;
END;
--> statement-breakpoint
CREATE TRIGGER `manager_scope_team_in_scope` AFTER INSERT ON `manager_scope_teams` BEGIN
  DELETE FROM `manager_scope_people` WHERE manager_id = NEW.manager_id AND person_id IN (SELECT id FROM people WHERE team_id = NEW.team_id);
END;
--> statement-breakpoint
CREATE TRIGGER `manager_scope_team_out_of_scope` AFTER DELETE ON `manager_scope_teams` BEGIN
  INSERT OR IGNORE INTO `manager_scope_people` (`manager_id`, `person_id`)
  SELECT OLD.manager_id, x.id FROM people x JOIN reporting_chain c ON c.ancestor_id = OLD.manager_id AND c.descendant_id = x.id WHERE x.team_id = OLD.team_id;
END;
