-- Cancelling a whole event changes the future only: occurrences that started before it was called
-- off took place (src/events/expand.ts cancelledWithEvent). Events cancelled without the moment
-- recorded get their last change as that moment, and the stored occurrences they started before
-- it are no longer marked cancelled (unless that one occurrence was cancelled on its own).
UPDATE `events` SET `cancelled_at` = coalesce(`updated_at`, `created_at`) WHERE `status` = 'cancelled' AND `cancelled_at` IS NULL;
--> statement-breakpoint
UPDATE `occurrences` SET `cancelled` = 0
WHERE `cancelled` = 1
  AND `start` < (SELECT e.`cancelled_at` FROM `events` e WHERE e.`id` = `occurrences`.`event_id` AND e.`status` = 'cancelled')
  AND NOT EXISTS (
    SELECT 1 FROM `event_exceptions` x
    WHERE x.`event_id` = `occurrences`.`event_id` AND x.`original_start` = `occurrences`.`original_start` AND x.`kind` = 'cancelled'
  );
