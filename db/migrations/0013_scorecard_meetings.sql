CREATE TABLE `scorecard_aggregate_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`built` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `scorecard_changes` (
	`event_id` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `scorecard_meeting_days` (
	`team_id` integer NOT NULL,
	`day` integer NOT NULL,
	`started` integer NOT NULL,
	`started_held` integer NOT NULL,
	`crossing` integer NOT NULL,
	`crossing_held` integer NOT NULL,
	PRIMARY KEY(`team_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `scorecard_meeting_occurrences` (
	`event_id` integer NOT NULL,
	`original_start` integer NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`held` integer NOT NULL,
	PRIMARY KEY(`event_id`, `original_start`)
);
--> statement-breakpoint
CREATE INDEX `scorecard_meeting_occurrences_start_idx` ON `scorecard_meeting_occurrences` (`start`);--> statement-breakpoint
CREATE TABLE `scorecard_meeting_teams` (
	`team_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	PRIMARY KEY(`team_id`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `scorecard_meeting_teams_event_idx` ON `scorecard_meeting_teams` (`event_id`);--> statement-breakpoint
CREATE TABLE `scorecard_ride_alongs` (
	`team_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	`occurrence_start` integer NOT NULL,
	`person_id` integer NOT NULL,
	PRIMARY KEY(`team_id`, `event_id`, `occurrence_start`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `scorecard_ride_alongs_team_start_idx` ON `scorecard_ride_alongs` (`team_id`,`occurrence_start`);--> statement-breakpoint
CREATE INDEX `scorecard_ride_alongs_event_idx` ON `scorecard_ride_alongs` (`event_id`);--> statement-breakpoint
-- Every write that changes which teams an alignment meeting belongs to, which of its occurrences count
-- or which were held with an agenda, or who rode along on a sales call, notes the event here;
-- writeTransaction brings the kept rows of the noted events current before it commits
-- (src/scorecard/meetings.ts). Idle while built = 0.
CREATE TRIGGER `scorecard_event_inserted` AFTER INSERT ON `events`
  WHEN NEW.`kind` = 'alignment_meeting' AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) VALUES (NEW.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_event_updated` AFTER UPDATE OF `kind`, `status`, `team_id`, `host_id` ON `events`
  WHEN (OLD.`kind` IN ('alignment_meeting', 'sales_call') OR NEW.`kind` IN ('alignment_meeting', 'sales_call')) AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) VALUES (OLD.`id`), (NEW.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_event_deleted` AFTER DELETE ON `events`
  WHEN OLD.`kind` IN ('alignment_meeting', 'sales_call') AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) VALUES (OLD.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_invitation_inserted` AFTER INSERT ON `invitations`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'alignment_meeting' AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) VALUES (NEW.`event_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_invitation_updated` AFTER UPDATE OF `event_id`, `person_id` ON `invitations`
  WHEN (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) SELECT `id` FROM `events` WHERE `id` IN (OLD.`event_id`, NEW.`event_id`) AND `kind` = 'alignment_meeting';
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_invitation_deleted` AFTER DELETE ON `invitations`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = OLD.`event_id`) = 'alignment_meeting' AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) VALUES (OLD.`event_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_occurrence_inserted` AFTER INSERT ON `occurrences`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'alignment_meeting' AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) VALUES (NEW.`event_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_occurrence_updated` AFTER UPDATE OF `start`, `end`, `cancelled` ON `occurrences`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'alignment_meeting' AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) VALUES (NEW.`event_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_occurrence_deleted` AFTER DELETE ON `occurrences`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = OLD.`event_id`) = 'alignment_meeting' AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) VALUES (OLD.`event_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_agenda_inserted` AFTER INSERT ON `agenda_items`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'alignment_meeting' AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) VALUES (NEW.`event_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_agenda_updated` AFTER UPDATE OF `event_id`, `occurrence_start` ON `agenda_items`
  WHEN (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) SELECT `id` FROM `events` WHERE `id` IN (OLD.`event_id`, NEW.`event_id`) AND `kind` = 'alignment_meeting';
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_agenda_deleted` AFTER DELETE ON `agenda_items`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = OLD.`event_id`) = 'alignment_meeting' AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) VALUES (OLD.`event_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_person_moved` AFTER UPDATE OF `team_id` ON `people`
  WHEN OLD.`team_id` IS NOT NEW.`team_id` AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`)
    SELECT `id` FROM `events` WHERE `host_id` = NEW.`id` AND `kind` IN ('alignment_meeting', 'sales_call')
    UNION SELECT i.`event_id` FROM `invitations` i JOIN `events` e ON e.`id` = i.`event_id` WHERE i.`person_id` = NEW.`id` AND e.`kind` = 'alignment_meeting';
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_person_department_changed` AFTER UPDATE OF `department` ON `people`
  WHEN OLD.`department` IS NOT NEW.`department` AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`)
    SELECT DISTINCT a.`event_id` FROM `attendance` a JOIN `events` e ON e.`id` = a.`event_id` WHERE a.`person_id` = NEW.`id` AND e.`kind` = 'sales_call';
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_attendance_inserted` AFTER INSERT ON `attendance`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = NEW.`event_id`) = 'sales_call' AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) VALUES (NEW.`event_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_attendance_updated` AFTER UPDATE OF `event_id`, `occurrence_start`, `person_id`, `status` ON `attendance`
  WHEN (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) SELECT `id` FROM `events` WHERE `id` IN (OLD.`event_id`, NEW.`event_id`) AND `kind` = 'sales_call';
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_attendance_deleted` AFTER DELETE ON `attendance`
  WHEN (SELECT `kind` FROM `events` WHERE `id` = OLD.`event_id`) = 'sales_call' AND (SELECT `built` FROM `scorecard_aggregate_state` WHERE `id` = 1) = 1 BEGIN
  INSERT OR IGNORE INTO `scorecard_changes` (`event_id`) VALUES (OLD.`event_id`);
END;
--> statement-breakpoint
-- The kept rows for what is already there (the same statements as rebuildScorecardMeetings).
INSERT INTO `scorecard_meeting_teams` (`team_id`, `event_id`)
  SELECT e.`team_id`, e.`id` FROM `events` e WHERE e.`kind` = 'alignment_meeting' AND e.`team_id` IS NOT NULL
  UNION SELECT p.`team_id`, e.`id` FROM `events` e JOIN `people` p ON p.`id` = e.`host_id` WHERE e.`kind` = 'alignment_meeting' AND p.`team_id` IS NOT NULL
  UNION SELECT p.`team_id`, i.`event_id` FROM `invitations` i JOIN `events` e ON e.`id` = i.`event_id` JOIN `people` p ON p.`id` = i.`person_id` WHERE e.`kind` = 'alignment_meeting' AND p.`team_id` IS NOT NULL;
--> statement-breakpoint
INSERT INTO `scorecard_meeting_occurrences` (`event_id`, `original_start`, `start`, `end`, `held`)
  SELECT o.`event_id`, o.`original_start`, o.`start`, o.`end`, EXISTS (SELECT 1 FROM `agenda_items` a WHERE a.`event_id` = o.`event_id` AND a.`occurrence_start` = o.`original_start`)
    FROM `occurrences` o JOIN `events` e ON e.`id` = o.`event_id`
   WHERE e.`kind` = 'alignment_meeting' AND o.`cancelled` = 0;
--> statement-breakpoint
INSERT INTO `scorecard_meeting_days` (`team_id`, `day`, `started`, `started_held`, `crossing`, `crossing_held`)
  SELECT t.`team_id`, o.`day`, count(*), sum(o.`held`), sum(o.`end` > (o.`day` + 1) * 86400000), sum(o.`held` AND o.`end` > (o.`day` + 1) * 86400000)
    FROM (SELECT `event_id`, `end`, `held`, CASE WHEN `start` >= 0 THEN `start` / 86400000 ELSE -((-`start` - 1) / 86400000) - 1 END AS `day` FROM `scorecard_meeting_occurrences`) o
    JOIN `scorecard_meeting_teams` t ON t.`event_id` = o.`event_id`
   GROUP BY t.`team_id`, o.`day`;
--> statement-breakpoint
INSERT INTO `scorecard_ride_alongs` (`team_id`, `event_id`, `occurrence_start`, `person_id`)
  SELECT e.`team_id`, a.`event_id`, a.`occurrence_start`, a.`person_id`
    FROM `attendance` a JOIN `events` e ON e.`id` = a.`event_id` JOIN `people` p ON p.`id` = a.`person_id`
   WHERE e.`kind` = 'sales_call' AND a.`status` = 'attended' AND p.`department` = 'marketing' AND e.`team_id` IS NOT NULL
  UNION
  SELECT host.`team_id`, a.`event_id`, a.`occurrence_start`, a.`person_id`
    FROM `attendance` a JOIN `events` e ON e.`id` = a.`event_id` JOIN `people` p ON p.`id` = a.`person_id` JOIN `people` host ON host.`id` = e.`host_id`
   WHERE e.`kind` = 'sales_call' AND a.`status` = 'attended' AND p.`department` = 'marketing' AND host.`team_id` IS NOT NULL;
--> statement-breakpoint
INSERT INTO `scorecard_aggregate_state` (`id`, `built`) VALUES (1, 1);
