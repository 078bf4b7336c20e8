CREATE TABLE `reporting_counts` (
	`ancestor_id` integer PRIMARY KEY NOT NULL,
	`people` integer NOT NULL,
	`active_people` integer NOT NULL
);
--> statement-breakpoint
-- Kept in the same statement as every change of a chain row (whatever trigger or write makes it) and of a person's
-- `active`. A change of `active` is applied BEFORE the row changes, to the chain it has then: a chain move in the
-- same UPDATE runs after it and takes the rows out and back with the person's new `active`, so both orders add up.
-- A deleted person leaves their ancestors' active count before they go; their chain rows then count as inactive.
CREATE TRIGGER `reporting_counts_chain_inserted` AFTER INSERT ON `reporting_chain` BEGIN
  INSERT INTO `reporting_counts` (`ancestor_id`, `people`, `active_people`)
  VALUES (NEW.ancestor_id, 1, coalesce((SELECT `active` FROM `people` WHERE `id` = NEW.descendant_id), 0))
  ON CONFLICT (`ancestor_id`) DO UPDATE SET `people` = `people` + 1, `active_people` = `active_people` + excluded.`active_people`;
END;
--> statement-breakpoint
CREATE TRIGGER `reporting_counts_chain_deleted` AFTER DELETE ON `reporting_chain` BEGIN
  UPDATE `reporting_counts`
     SET `people` = `people` - 1, `active_people` = `active_people` - coalesce((SELECT `active` FROM `people` WHERE `id` = OLD.descendant_id), 0)
   WHERE `ancestor_id` = OLD.ancestor_id;
  DELETE FROM `reporting_counts` WHERE `ancestor_id` = OLD.ancestor_id AND `people` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `reporting_counts_person_activity` BEFORE UPDATE OF `active` ON `people` WHEN NEW.active IS NOT OLD.active BEGIN
  UPDATE `reporting_counts` SET `active_people` = `active_people` + (coalesce(NEW.active, 0) - coalesce(OLD.active, 0))
   WHERE `ancestor_id` IN (SELECT `ancestor_id` FROM `reporting_chain` WHERE `descendant_id` = OLD.id);
END;
--> statement-breakpoint
CREATE TRIGGER `reporting_counts_person_leaving` BEFORE DELETE ON `people` WHEN OLD.active BEGIN
  UPDATE `reporting_counts` SET `active_people` = `active_people` - 1
   WHERE `ancestor_id` IN (SELECT `ancestor_id` FROM `reporting_chain` WHERE `descendant_id` = OLD.id);
END;
--> statement-breakpoint
INSERT INTO `reporting_counts` (`ancestor_id`, `people`, `active_people`)
SELECT c.ancestor_id, count(*), coalesce(sum(coalesce(p.active, 0)), 0)
  FROM `reporting_chain` c LEFT JOIN `people` p ON p.id = c.descendant_id
 GROUP BY c.ancestor_id;
