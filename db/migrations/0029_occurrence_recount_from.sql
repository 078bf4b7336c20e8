ALTER TABLE `occurrence_changes` ADD `starts_after` integer;--> statement-breakpoint
-- A seat change of a whole-event row recounts only the occurrences it reaches from now on: those starting
-- after the later of the row's effective_from before and after the change (an answer sets it to its own
-- instant; what started earlier keeps rows of its own, written before the change). Own rows recount their
-- one occurrence. effective_from is watched too, as it alone moves where the row applies.
DROP TRIGGER IF EXISTS `occurrences_invitation_inserted`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `occurrences_invitation_updated`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `occurrences_invitation_deleted`;
--> statement-breakpoint
CREATE TRIGGER `occurrences_invitation_inserted` AFTER INSERT ON `invitations` BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`, `starts_after`)
  VALUES (NEW.`event_id`, 'seats', NEW.`occurrence_start`, CASE WHEN NEW.`occurrence_start` IS NULL THEN NEW.`effective_from` END);
END;
--> statement-breakpoint
CREATE TRIGGER `occurrences_invitation_updated` AFTER UPDATE OF `event_id`, `person_id`, `occurrence_start`, `holds_seat`, `effective_from` ON `invitations` BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`, `starts_after`)
  VALUES
    (OLD.`event_id`, 'seats', OLD.`occurrence_start`, CASE WHEN OLD.`occurrence_start` IS NULL THEN coalesce(max(OLD.`effective_from`, NEW.`effective_from`), OLD.`effective_from`, NEW.`effective_from`) END),
    (NEW.`event_id`, 'seats', NEW.`occurrence_start`, CASE WHEN NEW.`occurrence_start` IS NULL THEN coalesce(max(OLD.`effective_from`, NEW.`effective_from`), OLD.`effective_from`, NEW.`effective_from`) END);
END;
--> statement-breakpoint
CREATE TRIGGER `occurrences_invitation_deleted` AFTER DELETE ON `invitations` BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`, `starts_after`)
  VALUES (OLD.`event_id`, 'seats', OLD.`occurrence_start`, CASE WHEN OLD.`occurrence_start` IS NULL THEN OLD.`effective_from` END);
END;
