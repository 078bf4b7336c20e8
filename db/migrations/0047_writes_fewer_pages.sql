-- Fewer pages a write puts into the commit (and the checkpoint copies back). Only claims a manager approves have an
-- approval status, so the approvals index holds those alone: every other invitation written leaves it untouched.
DROP INDEX `invitations_approval_idx`;--> statement-breakpoint
CREATE INDEX `invitations_approval_idx` ON `invitations` (`approval_status`,`person_id`) WHERE "invitations"."approval_status" IS NOT NULL;--> statement-breakpoint
-- Statistics for the rebuilt index only, as it had them.
ANALYZE `invitations_approval_idx`;--> statement-breakpoint
-- A claim or an answer moves the seat count, mostly without filling the occurrence: open_to is written only when it
-- changes, so its partial index is rewritten only then (SQLite rewrites the entries of every column an UPDATE sets).
DROP TRIGGER `occurrences_open_updated`;--> statement-breakpoint
CREATE TRIGGER `occurrences_open_updated` AFTER UPDATE OF `cancelled`, `seats_taken` ON `occurrences`
  WHEN OLD.`cancelled` IS NOT NEW.`cancelled` OR OLD.`seats_taken` IS NOT NEW.`seats_taken` BEGIN
  UPDATE `occurrences` SET `open_to` = (SELECT CASE WHEN NEW.`cancelled` = 0 AND NEW.`seats_taken` < e.`seats` AND e.`status` = 'scheduled' AND e.`seats` > 0
    THEN coalesce(e.`guest_department`, '*') END FROM `events` e WHERE e.`id` = NEW.`event_id`)
  WHERE `rowid` = NEW.`rowid` AND `open_to` IS NOT (SELECT CASE WHEN NEW.`cancelled` = 0 AND NEW.`seats_taken` < e.`seats` AND e.`status` = 'scheduled' AND e.`seats` > 0
    THEN coalesce(e.`guest_department`, '*') END FROM `events` e WHERE e.`id` = NEW.`event_id`);
END;
