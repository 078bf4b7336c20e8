CREATE TABLE `reporting_department_counts` (
	`ancestor_id` integer NOT NULL,
	`department` text NOT NULL,
	`people` integer NOT NULL,
	`active_people` integer NOT NULL,
	PRIMARY KEY(`ancestor_id`, `department`)
);
--> statement-breakpoint
-- As reporting_counts, per department of the person below. A chain row counts its person as the person's row stands
-- (department, active) when the row comes or goes. A change of department or active is applied BEFORE the row
-- changes, to the chain it has then, so a chain move in the same UPDATE (which runs after it) takes the rows out and
-- back as the person now is. A deleted person leaves every count before they go: their chain rows, deleted after the
-- person, no longer find them.
CREATE TRIGGER `reporting_department_counts_chain_inserted` AFTER INSERT ON `reporting_chain` BEGIN
  INSERT INTO `reporting_department_counts` (`ancestor_id`, `department`, `people`, `active_people`)
  SELECT NEW.ancestor_id, p.department, 1, coalesce(p.active, 0) FROM `people` p WHERE p.id = NEW.descendant_id
  ON CONFLICT (`ancestor_id`, `department`) DO UPDATE SET `people` = `people` + 1, `active_people` = `active_people` + excluded.`active_people`;
END;
--> statement-breakpoint
CREATE TRIGGER `reporting_department_counts_chain_deleted` AFTER DELETE ON `reporting_chain` BEGIN
  UPDATE `reporting_department_counts`
     SET `people` = `people` - 1, `active_people` = `active_people` - (SELECT coalesce(p.active, 0) FROM `people` p WHERE p.id = OLD.descendant_id)
   WHERE `ancestor_id` = OLD.ancestor_id AND `department` = (SELECT p.department FROM `people` p WHERE p.id = OLD.descendant_id);
END;
--> statement-breakpoint
CREATE TRIGGER `reporting_department_counts_person_changed` BEFORE UPDATE OF `active`, `department` ON `people`
  WHEN NEW.active IS NOT OLD.active OR NEW.department IS NOT OLD.department BEGIN
  UPDATE `reporting_department_counts` SET `people` = `people` - 1, `active_people` = `active_people` - coalesce(OLD.active, 0)
   WHERE `department` = OLD.department AND `ancestor_id` IN (SELECT `ancestor_id` FROM `reporting_chain` WHERE `descendant_id` = OLD.id);
  INSERT INTO `reporting_department_counts` (`ancestor_id`, `department`, `people`, `active_people`)
  SELECT c.ancestor_id, NEW.department, 1, coalesce(NEW.active, 0) FROM `reporting_chain` c WHERE c.descendant_id = OLD.id
  ON CONFLICT (`ancestor_id`, `department`) DO UPDATE SET `people` = `people` + 1, `active_people` = `active_people` + excluded.`active_people`;
END;
--> statement-breakpoint
CREATE TRIGGER `reporting_department_counts_person_leaving` BEFORE DELETE ON `people` BEGIN
  UPDATE `reporting_department_counts` SET `people` = `people` - 1, `active_people` = `active_people` - coalesce(OLD.active, 0)
   WHERE `department` = OLD.department AND `ancestor_id` IN (SELECT `ancestor_id` FROM `reporting_chain` WHERE `descendant_id` = OLD.id);
END;
--> statement-breakpoint
INSERT INTO `reporting_department_counts` (`ancestor_id`, `department`, `people`, `active_people`)
SELECT c.ancestor_id, p.department, count(*), coalesce(sum(coalesce(p.active, 0)), 0)
  FROM `reporting_chain` c JOIN `people` p ON p.id = c.descendant_id
 GROUP BY c.ancestor_id, p.department;
