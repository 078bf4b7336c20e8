-- The mail scheduler read every participant of every occurrence within the longest reminder lead on each pass (every
-- 30 s): 240,000 at 100,000 people, 1.5 s of a server process for nothing new. A pass now reads the occurrences whose
-- lead has just been reached, and what these notes name: events whose guests, host or occurrences changed, and people
-- whose lead or activity changed. The first pass of a process, and one an hour, still read everything.
CREATE TABLE `reminder_changes` (
	`kind` text NOT NULL,
	`id` integer NOT NULL,
	PRIMARY KEY(`kind`, `id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `reminder_changes_invitation_added` AFTER INSERT ON `invitations` BEGIN
  INSERT OR IGNORE INTO reminder_changes (kind, id) VALUES ('event', NEW.event_id);
END;
--> statement-breakpoint
CREATE TRIGGER `reminder_changes_invitation_changed` AFTER UPDATE OF status, occurrence_start, effective_from, event_id, person_id ON `invitations`
WHEN OLD.status IS NOT NEW.status OR OLD.occurrence_start IS NOT NEW.occurrence_start OR OLD.effective_from IS NOT NEW.effective_from
  OR OLD.event_id IS NOT NEW.event_id OR OLD.person_id IS NOT NEW.person_id BEGIN
  INSERT OR IGNORE INTO reminder_changes (kind, id) VALUES ('event', NEW.event_id);
END;
--> statement-breakpoint
-- A row of one's own at an occurrence removed: the whole-event answer applies there again.
CREATE TRIGGER `reminder_changes_invitation_removed` AFTER DELETE ON `invitations` BEGIN
  INSERT OR IGNORE INTO reminder_changes (kind, id) VALUES ('event', OLD.event_id);
END;
--> statement-breakpoint
CREATE TRIGGER `reminder_changes_event_added` AFTER INSERT ON `events` BEGIN
  INSERT OR IGNORE INTO reminder_changes (kind, id) VALUES ('event', NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER `reminder_changes_event_changed` AFTER UPDATE OF host_id, status ON `events`
WHEN OLD.host_id IS NOT NEW.host_id OR OLD.status IS NOT NEW.status BEGIN
  INSERT OR IGNORE INTO reminder_changes (kind, id) VALUES ('event', NEW.id);
END;
--> statement-breakpoint
CREATE TRIGGER `reminder_changes_occurrence_added` AFTER INSERT ON `occurrences` BEGIN
  INSERT OR IGNORE INTO reminder_changes (kind, id) VALUES ('event', NEW.event_id);
END;
--> statement-breakpoint
CREATE TRIGGER `reminder_changes_occurrence_changed` AFTER UPDATE OF start, cancelled ON `occurrences`
WHEN OLD.start IS NOT NEW.start OR OLD.cancelled IS NOT NEW.cancelled BEGIN
  INSERT OR IGNORE INTO reminder_changes (kind, id) VALUES ('event', NEW.event_id);
END;
--> statement-breakpoint
CREATE TRIGGER `reminder_changes_person_changed` AFTER UPDATE OF reminder_lead_minutes, active ON `people`
WHEN (OLD.reminder_lead_minutes IS NOT NEW.reminder_lead_minutes OR OLD.active IS NOT NEW.active) AND NEW.active = 1 AND NEW.reminder_lead_minutes > 0 BEGIN
  INSERT OR IGNORE INTO reminder_changes (kind, id) VALUES ('person', NEW.id);
END;
