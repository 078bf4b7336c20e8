-- A training session split at an occurrence ("this and following", or new times for a series that had
-- begun: src/events/retime.ts) goes on as a new event; it stays a session of the same topic, or the
-- sessions list, booking and completions would lose every occurrence after the split.
CREATE TRIGGER `training_sessions_follow_splits` AFTER INSERT ON `events`
WHEN NEW.`split_from_event_id` IS NOT NULL AND NEW.`kind` = 'training' BEGIN
  INSERT OR IGNORE INTO `training_sessions` (`event_id`, `topic_id`)
  SELECT NEW.`id`, `topic_id` FROM `training_sessions` WHERE `event_id` = NEW.`split_from_event_id`;
END;
--> statement-breakpoint
-- Sessions split before this trigger existed: each takes the topic of the session it was split from (oldest first).
WITH RECURSIVE `lineage` (`event_id`, `topic_id`) AS (
  SELECT `event_id`, `topic_id` FROM `training_sessions`
  UNION
  SELECT e.`id`, l.`topic_id` FROM `events` e JOIN `lineage` l ON e.`split_from_event_id` = l.`event_id` WHERE e.`kind` = 'training'
)
INSERT OR IGNORE INTO `training_sessions` (`event_id`, `topic_id`) SELECT `event_id`, `topic_id` FROM `lineage`;
