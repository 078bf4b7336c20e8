-- Every change that moves, cancels or re-times occurrences, or changes who holds a seat, is noted
-- here; writeTransaction rebuilds or recounts the stored occurrences before it commits
-- (src/events/occurrences.ts), so every write path keeps them current without knowing about them.
CREATE TRIGGER IF NOT EXISTS `occurrences_event_inserted` AFTER INSERT ON `events` BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`) VALUES (NEW.`id`, 'timing', NULL);
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `occurrences_event_retimed` AFTER UPDATE OF `rrule`, `start_local`, `time_zone`, `duration_minutes`, `status`, `span_start`, `span_end`, `seats` ON `events` BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`) VALUES (NEW.`id`, 'timing', NULL);
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `occurrences_exception_inserted` AFTER INSERT ON `event_exceptions` BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`) VALUES (NEW.`event_id`, 'timing', NULL);
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `occurrences_exception_updated` AFTER UPDATE ON `event_exceptions` BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`) VALUES (OLD.`event_id`, 'timing', NULL), (NEW.`event_id`, 'timing', NULL);
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `occurrences_exception_deleted` AFTER DELETE ON `event_exceptions` BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`) VALUES (OLD.`event_id`, 'timing', NULL);
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `occurrences_invitation_inserted` AFTER INSERT ON `invitations` BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`) VALUES (NEW.`event_id`, 'seats', NEW.`occurrence_start`);
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `occurrences_invitation_updated` AFTER UPDATE OF `event_id`, `person_id`, `occurrence_start`, `holds_seat` ON `invitations` BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`) VALUES (OLD.`event_id`, 'seats', OLD.`occurrence_start`), (NEW.`event_id`, 'seats', NEW.`occurrence_start`);
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `occurrences_invitation_deleted` AFTER DELETE ON `invitations` BEGIN
  INSERT INTO `occurrence_changes` (`event_id`, `kind`, `original_start`) VALUES (OLD.`event_id`, 'seats', OLD.`occurrence_start`);
END;
