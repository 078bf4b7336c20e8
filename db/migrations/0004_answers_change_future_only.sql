-- Answers change the future only. A whole-series answer used to count for every occurrence, also
-- those that had started before it was given: someone who accepted a weekly call on 5 Dec counted
-- as having accepted 27 Nov. From now on a whole-event row of a series applies to occurrences that
-- start after `effective_from`, the last time its state was set (the best evidence there is).
--
-- 1. Occurrences where the person was marked as attended keep the place they were read with when
--    the mark was made (completions built on those marks stay as they are).
INSERT INTO `invitations` (`event_id`, `person_id`, `occurrence_start`, `status`, `holds_seat`, `source`, `invited_by_id`, `decline_reason`, `waitlisted_at`, `approval_status`, `approval_by_id`, `approval_at`, `responded_at`, `created_at`, `updated_at`)
SELECT w.`event_id`, w.`person_id`, a.`occurrence_start`, w.`status`, w.`holds_seat`, w.`source`, w.`invited_by_id`, w.`decline_reason`, w.`waitlisted_at`, w.`approval_status`, w.`approval_by_id`, w.`approval_at`, w.`responded_at`, w.`created_at`, w.`updated_at`
FROM `attendance` a
JOIN `events` e ON e.`id` = a.`event_id` AND e.`rrule` IS NOT NULL
JOIN `invitations` w ON w.`event_id` = a.`event_id` AND w.`person_id` = a.`person_id` AND w.`occurrence_start` IS NULL
WHERE a.`status` = 'attended'
  AND NOT EXISTS (SELECT 1 FROM `invitations` o WHERE o.`event_id` = a.`event_id` AND o.`person_id` = a.`person_id` AND o.`occurrence_start` = a.`occurrence_start`)
  AND coalesce((SELECT x.`start` FROM `event_exceptions` x WHERE x.`event_id` = a.`event_id` AND x.`original_start` = a.`occurrence_start` AND x.`kind` = 'moved'), a.`occurrence_start`)
      <= coalesce(w.`updated_at`, w.`responded_at`, w.`created_at`);
--> statement-breakpoint
-- 2. Every whole-event row of a series takes effect from when its state was last set.
UPDATE `invitations` SET `effective_from` = coalesce(`updated_at`, `responded_at`, `created_at`)
WHERE `occurrence_start` IS NULL AND `event_id` IN (SELECT `id` FROM `events` WHERE `rrule` IS NOT NULL);
--> statement-breakpoint
-- 3. Guest feedback on an occurrence where the author held no accepted place when it started and
--    was not marked as attended: a report on a call they never joined. It leaves field insights,
--    the scorecard and the liaison backlog.
CREATE TEMP TABLE `feedback_never_joined` AS
SELECT f.`id` FROM `feedback` f
WHERE f.`author_role` = 'guest'
  AND NOT EXISTS (SELECT 1 FROM `attendance` a WHERE a.`event_id` = f.`event_id` AND a.`occurrence_start` = f.`occurrence_start` AND a.`person_id` = f.`author_id` AND a.`status` = 'attended')
  AND NOT EXISTS (
    SELECT 1 FROM `invitations` i
    WHERE i.`event_id` = f.`event_id` AND i.`person_id` = f.`author_id` AND i.`status` = 'accepted'
      AND (i.`occurrence_start` = f.`occurrence_start`
        OR (i.`occurrence_start` IS NULL AND (i.`effective_from` IS NULL OR f.`occurred_at` > i.`effective_from`)
          AND NOT EXISTS (SELECT 1 FROM `invitations` o WHERE o.`event_id` = f.`event_id` AND o.`person_id` = f.`author_id` AND o.`occurrence_start` = f.`occurrence_start`))));
--> statement-breakpoint
DELETE FROM `suggestions` WHERE `source_ref` IN (SELECT 'feedback:' || `id` FROM `feedback_never_joined`);
--> statement-breakpoint
DELETE FROM `feedback` WHERE `id` IN (SELECT `id` FROM `feedback_never_joined`);
--> statement-breakpoint
DROP TABLE `feedback_never_joined`;
--> statement-breakpoint
-- 4. People marked as attended where they held no place (no invitation there, or declined or
--    waitlisted) were walk-ins; say so.
UPDATE `attendance` SET `walk_in` = 1
WHERE `status` = 'attended'
  AND `person_id` <> (SELECT `host_id` FROM `events` e WHERE e.`id` = `attendance`.`event_id`)
  AND NOT EXISTS (
    SELECT 1 FROM `invitations` i
    WHERE i.`event_id` = `attendance`.`event_id` AND i.`person_id` = `attendance`.`person_id` AND i.`status` IN ('invited', 'accepted', 'tentative')
      AND (i.`occurrence_start` = `attendance`.`occurrence_start`
        OR (i.`occurrence_start` IS NULL AND (i.`effective_from` IS NULL OR `attendance`.`occurrence_start` > i.`effective_from`)
          AND NOT EXISTS (SELECT 1 FROM `invitations` o WHERE o.`event_id` = i.`event_id` AND o.`person_id` = i.`person_id` AND o.`occurrence_start` = `attendance`.`occurrence_start`))));
