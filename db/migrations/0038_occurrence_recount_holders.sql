-- A whole-event row that holds no seat before or after a change counts at no occurrence either way: its
-- change is not noted, so answering "maybe" or "no" to a series invitation recounts nothing. A row of
-- one occurrence is always noted: even holding no seat it displaces the person's whole-event row there.
DROP TRIGGER IF EXISTS `occurrences_invitation_inserted`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `occurrences_invitation_updated`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `occurrences_invitation_deleted`;
--> statement-breakpoint
CREATE TRIGGER `occurrences_invitation_inserted` AFTER INSERT ON `invitations`
WHEN NEW.`occurrence_start` IS NOT NULL OR NEW.`holds_seat` = 1 BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`, `starts_after`)
  VALUES (NEW.`event_id`, 'seats', NEW.`occurrence_start`, CASE WHEN NEW.`occurrence_start` IS NULL THEN NEW.`effective_from` END);
END;
--> statement-breakpoint
CREATE TRIGGER `occurrences_invitation_updated` AFTER UPDATE OF `event_id`, `person_id`, `occurrence_start`, `holds_seat`, `effective_from` ON `invitations`
WHEN OLD.`occurrence_start` IS NOT NULL OR NEW.`occurrence_start` IS NOT NULL OR OLD.`holds_seat` = 1 OR NEW.`holds_seat` = 1 BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`, `starts_after`)
  VALUES
    (OLD.`event_id`, 'seats', OLD.`occurrence_start`, CASE WHEN OLD.`occurrence_start` IS NULL THEN coalesce(max(OLD.`effective_from`, NEW.`effective_from`), OLD.`effective_from`, NEW.`effective_from`) END),
    (NEW.`event_id`, 'seats', NEW.`occurrence_start`, CASE WHEN NEW.`occurrence_start` IS NULL THEN coalesce(max(OLD.`effective_from`, NEW.`effective_from`), OLD.`effective_from`, NEW.`effective_from`) END);
END;
--> statement-breakpoint
CREATE TRIGGER `occurrences_invitation_deleted` AFTER DELETE ON `invitations`
WHEN OLD.`occurrence_start` IS NOT NULL OR OLD.`holds_seat` = 1 BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`, `starts_after`)
  VALUES (OLD.`event_id`, 'seats', OLD.`occurrence_start`, CASE WHEN OLD.`occurrence_start` IS NULL THEN OLD.`effective_from` END);
END;
