-- The audit log's list shows the first 160 characters of before and after and their lengths, kept in columns placed
-- before the values: SQLite reads a row's columns in order, and reaching a column after a bulk change's megabyte
-- value walks every overflow page of it (about 1.5 ms a row at 1.4 MB). So the table is rebuilt with them in front.
CREATE TABLE `__new_audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`actor_token_id` integer,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text,
	`before_chars` integer,
	`after_chars` integer,
	`before_head` text,
	`after_head` text,
	`before` text,
	`after` text
);
--> statement-breakpoint
INSERT INTO `__new_audit_log` (`id`, `at`, `actor_id`, `actor_token_id`, `action`, `entity_type`, `entity_id`, `before_chars`, `after_chars`, `before_head`, `after_head`, `before`, `after`)
SELECT `id`, `at`, `actor_id`, `actor_token_id`, `action`, `entity_type`, `entity_id`, length(`before`), length(`after`), substr(`before`, 1, 160), substr(`after`, 1, 160), `before`, `after`
  FROM `audit_log`;
--> statement-breakpoint
DROP TABLE `audit_log`;
--> statement-breakpoint
ALTER TABLE `__new_audit_log` RENAME TO `audit_log`;
--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);
--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity_type`,`entity_id`,`at`);
--> statement-breakpoint
CREATE INDEX `audit_actor_idx` ON `audit_log` (`actor_id`,`at`);
--> statement-breakpoint
CREATE INDEX `audit_action_idx` ON `audit_log` (`action`,`at`);
--> statement-breakpoint
-- recordAudit writes the heads with the row; these put them right after any other write (an import's own insert, a
-- script's raw update), so they always describe the values.
CREATE TRIGGER `audit_log_heads_inserted` AFTER INSERT ON `audit_log`
  WHEN NEW.before_chars IS NOT length(NEW.before) OR NEW.after_chars IS NOT length(NEW.after)
    OR NEW.before_head IS NOT substr(NEW.before, 1, 160) OR NEW.after_head IS NOT substr(NEW.after, 1, 160) BEGIN
  UPDATE `audit_log` SET `before_chars` = length(`before`), `after_chars` = length(`after`),
    `before_head` = substr(`before`, 1, 160), `after_head` = substr(`after`, 1, 160)
   WHERE `id` = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_heads_updated` AFTER UPDATE OF `before`, `after`, `before_chars`, `after_chars`, `before_head`, `after_head` ON `audit_log`
  WHEN NEW.before_chars IS NOT length(NEW.before) OR NEW.after_chars IS NOT length(NEW.after)
    OR NEW.before_head IS NOT substr(NEW.before, 1, 160) OR NEW.after_head IS NOT substr(NEW.after, 1, 160) BEGIN
  UPDATE `audit_log` SET `before_chars` = length(`before`), `after_chars` = length(`after`),
    `before_head` = substr(`before`, 1, 160), `after_head` = substr(`after`, 1, 160)
   WHERE `id` = NEW.id;
END;
