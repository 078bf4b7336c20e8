-- occurrences.open_to: while a seat is free at the occurrence, it is not cancelled and its event is scheduled with seats,
-- the department whose people may claim one (the event's guest department, '*' for anyone); NULL otherwise. The open-seats
-- scan reads the partial index in start order instead of every occurrence of the window with its event. Kept by the
-- triggers below on every write to the occurrence's seats or cancellation and to the event's status, seats or guest department.
ALTER TABLE `occurrences` ADD `open_to` text;--> statement-breakpoint
UPDATE `occurrences` SET `open_to` = (SELECT CASE WHEN `occurrences`.`cancelled` = 0 AND `occurrences`.`seats_taken` < e.`seats` AND e.`status` = 'scheduled' AND e.`seats` > 0
  THEN coalesce(e.`guest_department`, '*') END FROM `events` e WHERE e.`id` = `occurrences`.`event_id`);--> statement-breakpoint
CREATE INDEX `occurrences_open_idx` ON `occurrences` (`start`,`open_to`,`end`,`event_id`,`original_start`) WHERE "occurrences"."open_to" IS NOT NULL;--> statement-breakpoint
CREATE TRIGGER `occurrences_open_inserted` AFTER INSERT ON `occurrences` BEGIN
  UPDATE `occurrences` SET `open_to` = (SELECT CASE WHEN NEW.`cancelled` = 0 AND NEW.`seats_taken` < e.`seats` AND e.`status` = 'scheduled' AND e.`seats` > 0
    THEN coalesce(e.`guest_department`, '*') END FROM `events` e WHERE e.`id` = NEW.`event_id`)
  WHERE `rowid` = NEW.`rowid`;
END;
--> statement-breakpoint
CREATE TRIGGER `occurrences_open_updated` AFTER UPDATE OF `cancelled`, `seats_taken` ON `occurrences`
  WHEN OLD.`cancelled` IS NOT NEW.`cancelled` OR OLD.`seats_taken` IS NOT NEW.`seats_taken` BEGIN
  UPDATE `occurrences` SET `open_to` = (SELECT CASE WHEN NEW.`cancelled` = 0 AND NEW.`seats_taken` < e.`seats` AND e.`status` = 'scheduled' AND e.`seats` > 0
    THEN coalesce(e.`guest_department`, '*') END FROM `events` e WHERE e.`id` = NEW.`event_id`)
  WHERE `rowid` = NEW.`rowid`;
END;
--> statement-breakpoint
CREATE TRIGGER `events_open_seats_updated` AFTER UPDATE OF `status`, `seats`, `guest_department` ON `events`
  WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`seats` IS NOT NEW.`seats` OR OLD.`guest_department` IS NOT NEW.`guest_department` BEGIN
  UPDATE `occurrences` SET `open_to` = CASE WHEN `cancelled` = 0 AND `seats_taken` < NEW.`seats` AND NEW.`status` = 'scheduled' AND NEW.`seats` > 0
    THEN coalesce(NEW.`guest_department`, '*') END
  WHERE `event_id` = NEW.`id`;
END;
