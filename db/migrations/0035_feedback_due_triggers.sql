-- feedback_due: who owes a report on which sales-call occurrence whenever it ends (src/feedback/feedback-due.ts).
-- The triggers note the sales-call occurrences whose rows a write may change (NULL: all of the event's);
-- each write transaction rebuilds them before COMMIT.
CREATE TRIGGER `feedback_due_occurrence_inserted` AFTER INSERT ON `occurrences`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (NEW.`event_id`, NEW.`original_start`);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_due_occurrence_updated` AFTER UPDATE OF `event_id`, `original_start`, `start`, `end`, `cancelled` ON `occurrences`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = OLD.`event_id`) = 'sales_call' OR (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (OLD.`event_id`, OLD.`original_start`);
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (NEW.`event_id`, NEW.`original_start`);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_due_occurrence_deleted` AFTER DELETE ON `occurrences`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = OLD.`event_id`) = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (OLD.`event_id`, OLD.`original_start`);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_due_invitation_inserted` AFTER INSERT ON `invitations`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (NEW.`event_id`, NEW.`occurrence_start`);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_due_invitation_updated` AFTER UPDATE OF `event_id`, `person_id`, `status`, `occurrence_start`, `effective_from` ON `invitations`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = OLD.`event_id`) = 'sales_call' OR (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (OLD.`event_id`, OLD.`occurrence_start`);
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (NEW.`event_id`, NEW.`occurrence_start`);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_due_invitation_deleted` AFTER DELETE ON `invitations`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = OLD.`event_id`) = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (OLD.`event_id`, OLD.`occurrence_start`);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_due_attendance_inserted` AFTER INSERT ON `attendance`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (NEW.`event_id`, NEW.`occurrence_start`);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_due_attendance_updated` AFTER UPDATE OF `event_id`, `person_id`, `status`, `occurrence_start` ON `attendance`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = OLD.`event_id`) = 'sales_call' OR (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (OLD.`event_id`, OLD.`occurrence_start`);
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (NEW.`event_id`, NEW.`occurrence_start`);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_due_attendance_deleted` AFTER DELETE ON `attendance`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = OLD.`event_id`) = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (OLD.`event_id`, OLD.`occurrence_start`);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_due_feedback_inserted` AFTER INSERT ON `feedback`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (NEW.`event_id`, NEW.`occurrence_start`);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_due_feedback_updated` AFTER UPDATE OF `event_id`, `author_id`, `occurrence_start` ON `feedback`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = OLD.`event_id`) = 'sales_call' OR (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (OLD.`event_id`, OLD.`occurrence_start`);
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (NEW.`event_id`, NEW.`occurrence_start`);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_due_feedback_deleted` AFTER DELETE ON `feedback`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = OLD.`event_id`) = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (OLD.`event_id`, OLD.`occurrence_start`);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_due_event_updated` AFTER UPDATE OF `kind`, `host_id`, `rrule` ON `events`
  WHEN OLD.`kind` = 'sales_call' OR NEW.`kind` = 'sales_call' BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`) VALUES (NEW.`id`, NULL);
END;
--> statement-breakpoint
-- A host's or guest's department decides whether they owe a report and whether a marketer rode along.
CREATE TRIGGER `feedback_due_person_moved` AFTER UPDATE OF `department` ON `people` WHEN OLD.`department` IS NOT NEW.`department` BEGIN
  INSERT INTO `feedback_due_changes` (`event_id`, `original_start`)
  SELECT `id`, NULL FROM `events` WHERE `host_id` = NEW.`id` AND `kind` = 'sales_call'
  UNION SELECT i.`event_id`, NULL FROM `invitations` i JOIN `events` e ON e.`id` = i.`event_id` WHERE i.`person_id` = NEW.`id` AND e.`kind` = 'sales_call'
  UNION SELECT a.`event_id`, NULL FROM `attendance` a JOIN `events` e ON e.`id` = a.`event_id` WHERE a.`person_id` = NEW.`id` AND e.`kind` = 'sales_call';
END;
--> statement-breakpoint
-- Backfill: every sales call's rows from scratch (the rule of feedbackDueRows as it stands in this migration).
INSERT OR IGNORE INTO `feedback_due` (`person_id`, `event_id`, `occurrence_start`, `ends_at`)
SELECT e.host_id AS person_id, o.event_id, o.original_start, o."end"
    FROM events e CROSS JOIN people h ON h.id = e.host_id CROSS JOIN occurrences o ON o.event_id = e.id
   WHERE true AND true AND e.kind = 'sales_call' AND h.department <> 'marketing' AND o.cancelled = 0
     AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.author_id = e.host_id AND f.event_id = o.event_id AND f.occurrence_start = o.original_start) AND (EXISTS (SELECT 1 FROM invitations i JOIN people g ON g.id = i.person_id
      WHERE i.event_id = o.event_id AND i.status = 'accepted' AND g.department = 'marketing' AND g.id <> e.host_id AND (i.occurrence_start = (CASE WHEN e.rrule IS NULL THEN NULL ELSE o.original_start END) OR (i.occurrence_start IS NULL AND ((CASE WHEN e.rrule IS NULL THEN NULL ELSE o.start END) IS NULL OR (i.effective_from IS NULL OR (CASE WHEN e.rrule IS NULL THEN NULL ELSE o.start END) > i.effective_from)) AND NOT EXISTS (
    SELECT 1 FROM invitations own WHERE own.event_id = i.event_id AND own.person_id = i.person_id AND own.occurrence_start = (CASE WHEN e.rrule IS NULL THEN NULL ELSE o.original_start END))))
        AND NOT EXISTS (SELECT 1 FROM attendance n WHERE n.event_id = o.event_id AND n.occurrence_start = o.original_start AND n.person_id = g.id AND n.status = 'no_show'))
    OR EXISTS (SELECT 1 FROM attendance a JOIN people g ON g.id = a.person_id
      WHERE a.event_id = o.event_id AND a.occurrence_start = o.original_start AND a.status = 'attended' AND g.department = 'marketing' AND g.id <> e.host_id))
  UNION ALL
  SELECT m.id, o.event_id, o.original_start, o."end"
    FROM (SELECT event_id, person_id FROM invitations WHERE true AND status = 'accepted'
          UNION SELECT event_id, person_id FROM attendance WHERE true AND status = 'attended') c
    CROSS JOIN events e ON e.id = c.event_id CROSS JOIN people m ON m.id = c.person_id CROSS JOIN occurrences o ON o.event_id = e.id
   WHERE true AND e.kind = 'sales_call' AND m.department = 'marketing' AND o.cancelled = 0 AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.author_id = m.id AND f.event_id = o.event_id AND f.occurrence_start = o.original_start)
     AND CASE WHEN e.host_id = m.id THEN (EXISTS (SELECT 1 FROM invitations i JOIN people g ON g.id = i.person_id
      WHERE i.event_id = o.event_id AND i.status = 'accepted' AND g.department = 'marketing' AND g.id <> e.host_id AND (i.occurrence_start = (CASE WHEN e.rrule IS NULL THEN NULL ELSE o.original_start END) OR (i.occurrence_start IS NULL AND ((CASE WHEN e.rrule IS NULL THEN NULL ELSE o.start END) IS NULL OR (i.effective_from IS NULL OR (CASE WHEN e.rrule IS NULL THEN NULL ELSE o.start END) > i.effective_from)) AND NOT EXISTS (
    SELECT 1 FROM invitations own WHERE own.event_id = i.event_id AND own.person_id = i.person_id AND own.occurrence_start = (CASE WHEN e.rrule IS NULL THEN NULL ELSE o.original_start END))))
        AND NOT EXISTS (SELECT 1 FROM attendance n WHERE n.event_id = o.event_id AND n.occurrence_start = o.original_start AND n.person_id = g.id AND n.status = 'no_show'))
    OR EXISTS (SELECT 1 FROM attendance a JOIN people g ON g.id = a.person_id
      WHERE a.event_id = o.event_id AND a.occurrence_start = o.original_start AND a.status = 'attended' AND g.department = 'marketing' AND g.id <> e.host_id)) ELSE (
    (EXISTS (SELECT 1 FROM invitations i WHERE i.event_id = o.event_id AND i.person_id = m.id AND i.status = 'accepted' AND (i.occurrence_start = (CASE WHEN e.rrule IS NULL THEN NULL ELSE o.original_start END) OR (i.occurrence_start IS NULL AND ((CASE WHEN e.rrule IS NULL THEN NULL ELSE o.start END) IS NULL OR (i.effective_from IS NULL OR (CASE WHEN e.rrule IS NULL THEN NULL ELSE o.start END) > i.effective_from)) AND NOT EXISTS (
    SELECT 1 FROM invitations own WHERE own.event_id = i.event_id AND own.person_id = i.person_id AND own.occurrence_start = (CASE WHEN e.rrule IS NULL THEN NULL ELSE o.original_start END)))))
      OR EXISTS (SELECT 1 FROM attendance a WHERE a.event_id = o.event_id AND a.occurrence_start = o.original_start AND a.person_id = m.id AND a.status = 'attended'))
    AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.event_id = o.event_id AND a.occurrence_start = o.original_start AND a.person_id = m.id AND a.status = 'no_show')) END;
