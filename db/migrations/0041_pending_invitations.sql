CREATE TABLE `pending_invitations` (
	`invitation_id` integer PRIMARY KEY NOT NULL,
	`person_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	`open_until` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pending_invitations_person_idx` ON `pending_invitations` (`person_id`,`open_until`);--> statement-breakpoint
CREATE INDEX `pending_invitations_event_idx` ON `pending_invitations` (`event_id`);--> statement-breakpoint
-- Kept by the writing transaction: every write to an invitation's answer, approval, occurrence or event, and to an
-- event's status or span, brings its rows in line with the definition (test/events/pending-invitations.test.ts).
CREATE TRIGGER `pending_invitations_invitation_inserted` AFTER INSERT ON `invitations`
  WHEN NEW.`status` = 'invited' AND NEW.`approval_status` IS NULL BEGIN
  INSERT INTO `pending_invitations` (`invitation_id`, `person_id`, `event_id`, `open_until`)
    SELECT NEW.`id`, NEW.`person_id`, NEW.`event_id`,
      min(coalesce(e.`span_end`, 9223372036854775807), coalesce(NEW.`occurrence_start`, 9223372036854775807))
    FROM `events` e WHERE e.`id` = NEW.`event_id` AND e.`status` = 'scheduled';
END;
--> statement-breakpoint
CREATE TRIGGER `pending_invitations_invitation_updated` AFTER UPDATE OF `event_id`, `person_id`, `occurrence_start`, `status`, `approval_status` ON `invitations`
  WHEN OLD.`event_id` IS NOT NEW.`event_id` OR OLD.`person_id` IS NOT NEW.`person_id` OR OLD.`occurrence_start` IS NOT NEW.`occurrence_start`
    OR OLD.`status` IS NOT NEW.`status` OR OLD.`approval_status` IS NOT NEW.`approval_status` BEGIN
  DELETE FROM `pending_invitations` WHERE `invitation_id` = OLD.`id`;
  INSERT INTO `pending_invitations` (`invitation_id`, `person_id`, `event_id`, `open_until`)
    SELECT NEW.`id`, NEW.`person_id`, NEW.`event_id`,
      min(coalesce(e.`span_end`, 9223372036854775807), coalesce(NEW.`occurrence_start`, 9223372036854775807))
    FROM `events` e WHERE e.`id` = NEW.`event_id` AND e.`status` = 'scheduled' AND NEW.`status` = 'invited' AND NEW.`approval_status` IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `pending_invitations_invitation_deleted` AFTER DELETE ON `invitations` BEGIN
  DELETE FROM `pending_invitations` WHERE `invitation_id` = OLD.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `pending_invitations_event_updated` AFTER UPDATE OF `status`, `span_end` ON `events`
  WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`span_end` IS NOT NEW.`span_end` BEGIN
  DELETE FROM `pending_invitations` WHERE `event_id` = NEW.`id`;
  INSERT INTO `pending_invitations` (`invitation_id`, `person_id`, `event_id`, `open_until`)
    SELECT i.`id`, i.`person_id`, i.`event_id`,
      min(coalesce(NEW.`span_end`, 9223372036854775807), coalesce(i.`occurrence_start`, 9223372036854775807))
    FROM `invitations` i WHERE i.`event_id` = NEW.`id` AND i.`status` = 'invited' AND i.`approval_status` IS NULL AND NEW.`status` = 'scheduled';
END;
--> statement-breakpoint
CREATE TRIGGER `pending_invitations_event_deleted` AFTER DELETE ON `events` BEGIN
  DELETE FROM `pending_invitations` WHERE `event_id` = OLD.`id`;
END;
--> statement-breakpoint
INSERT INTO `pending_invitations` (`invitation_id`, `person_id`, `event_id`, `open_until`)
  SELECT i.`id`, i.`person_id`, i.`event_id`,
    min(coalesce(e.`span_end`, 9223372036854775807), coalesce(i.`occurrence_start`, 9223372036854775807))
  FROM `invitations` i JOIN `events` e ON e.`id` = i.`event_id`
  WHERE i.`status` = 'invited' AND i.`approval_status` IS NULL AND e.`status` = 'scheduled';
