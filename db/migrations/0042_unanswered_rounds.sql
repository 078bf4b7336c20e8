CREATE TABLE `unanswered_rounds` (
	`round_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	PRIMARY KEY(`round_id`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `unanswered_rounds_person_idx` ON `unanswered_rounds` (`person_id`,`closes_at`,`opens_at`);--> statement-breakpoint
-- Kept by the writing transaction: asking, answering, closing early or retiming a round brings its rows in line with
-- the definition (test/surveys/unanswered-rounds.test.ts).
CREATE TRIGGER `unanswered_rounds_participant_inserted` AFTER INSERT ON `survey_participants` BEGIN
  INSERT OR IGNORE INTO `unanswered_rounds` (`round_id`, `person_id`, `opens_at`, `closes_at`)
    SELECT r.`id`, NEW.`person_id`, r.`opens_at`, r.`closes_at` FROM `survey_rounds` r
    WHERE r.`id` = NEW.`round_id` AND r.`closed_early_at` IS NULL
      AND NOT EXISTS (SELECT 1 FROM `survey_responses` sr WHERE sr.`round_id` = NEW.`round_id` AND sr.`person_id` = NEW.`person_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `unanswered_rounds_participant_updated` AFTER UPDATE OF `round_id`, `person_id` ON `survey_participants`
  WHEN OLD.`round_id` IS NOT NEW.`round_id` OR OLD.`person_id` IS NOT NEW.`person_id` BEGIN
  DELETE FROM `unanswered_rounds` WHERE `round_id` = OLD.`round_id` AND `person_id` = OLD.`person_id`;
  INSERT OR IGNORE INTO `unanswered_rounds` (`round_id`, `person_id`, `opens_at`, `closes_at`)
    SELECT r.`id`, NEW.`person_id`, r.`opens_at`, r.`closes_at` FROM `survey_rounds` r
    WHERE r.`id` = NEW.`round_id` AND r.`closed_early_at` IS NULL
      AND NOT EXISTS (SELECT 1 FROM `survey_responses` sr WHERE sr.`round_id` = NEW.`round_id` AND sr.`person_id` = NEW.`person_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `unanswered_rounds_participant_deleted` AFTER DELETE ON `survey_participants` BEGIN
  DELETE FROM `unanswered_rounds` WHERE `round_id` = OLD.`round_id` AND `person_id` = OLD.`person_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `unanswered_rounds_response_inserted` AFTER INSERT ON `survey_responses` BEGIN
  DELETE FROM `unanswered_rounds` WHERE `round_id` = NEW.`round_id` AND `person_id` = NEW.`person_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `unanswered_rounds_response_updated` AFTER UPDATE OF `round_id`, `person_id` ON `survey_responses`
  WHEN OLD.`round_id` IS NOT NEW.`round_id` OR OLD.`person_id` IS NOT NEW.`person_id` BEGIN
  DELETE FROM `unanswered_rounds` WHERE `round_id` = NEW.`round_id` AND `person_id` = NEW.`person_id`;
  INSERT OR IGNORE INTO `unanswered_rounds` (`round_id`, `person_id`, `opens_at`, `closes_at`)
    SELECT r.`id`, sp.`person_id`, r.`opens_at`, r.`closes_at` FROM `survey_participants` sp JOIN `survey_rounds` r ON r.`id` = sp.`round_id`
    WHERE sp.`round_id` = OLD.`round_id` AND sp.`person_id` = OLD.`person_id` AND r.`closed_early_at` IS NULL
      AND NOT EXISTS (SELECT 1 FROM `survey_responses` sr WHERE sr.`round_id` = OLD.`round_id` AND sr.`person_id` = OLD.`person_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `unanswered_rounds_response_deleted` AFTER DELETE ON `survey_responses` BEGIN
  INSERT OR IGNORE INTO `unanswered_rounds` (`round_id`, `person_id`, `opens_at`, `closes_at`)
    SELECT r.`id`, sp.`person_id`, r.`opens_at`, r.`closes_at` FROM `survey_participants` sp JOIN `survey_rounds` r ON r.`id` = sp.`round_id`
    WHERE sp.`round_id` = OLD.`round_id` AND sp.`person_id` = OLD.`person_id` AND r.`closed_early_at` IS NULL
      AND NOT EXISTS (SELECT 1 FROM `survey_responses` sr WHERE sr.`round_id` = OLD.`round_id` AND sr.`person_id` = OLD.`person_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `unanswered_rounds_round_updated` AFTER UPDATE OF `opens_at`, `closes_at`, `closed_early_at` ON `survey_rounds`
  WHEN OLD.`opens_at` IS NOT NEW.`opens_at` OR OLD.`closes_at` IS NOT NEW.`closes_at` OR OLD.`closed_early_at` IS NOT NEW.`closed_early_at` BEGIN
  DELETE FROM `unanswered_rounds` WHERE `round_id` = NEW.`id`;
  INSERT INTO `unanswered_rounds` (`round_id`, `person_id`, `opens_at`, `closes_at`)
    SELECT NEW.`id`, sp.`person_id`, NEW.`opens_at`, NEW.`closes_at` FROM `survey_participants` sp
    WHERE sp.`round_id` = NEW.`id` AND NEW.`closed_early_at` IS NULL
      AND NOT EXISTS (SELECT 1 FROM `survey_responses` sr WHERE sr.`round_id` = NEW.`id` AND sr.`person_id` = sp.`person_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `unanswered_rounds_round_deleted` AFTER DELETE ON `survey_rounds` BEGIN
  DELETE FROM `unanswered_rounds` WHERE `round_id` = OLD.`id`;
END;
--> statement-breakpoint
INSERT INTO `unanswered_rounds` (`round_id`, `person_id`, `opens_at`, `closes_at`)
  SELECT r.`id`, sp.`person_id`, r.`opens_at`, r.`closes_at` FROM `survey_participants` sp JOIN `survey_rounds` r ON r.`id` = sp.`round_id`
  WHERE r.`closed_early_at` IS NULL
    AND NOT EXISTS (SELECT 1 FROM `survey_responses` sr WHERE sr.`round_id` = r.`id` AND sr.`person_id` = sp.`person_id`);
