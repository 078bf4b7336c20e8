-- People search through FTS5: the directory's name, email and title indexed as trigrams, so "smith"
-- finds every name, address or title containing it (as LIKE '%smith%' did) by the index instead of
-- reading every person. External content: the text lives in `people` only; the triggers keep the
-- index in step with every write path (form, API, CSV import, deactivation), in the same transaction.
CREATE VIRTUAL TABLE IF NOT EXISTS `people_search` USING fts5(`name`, `email`, `title`, content='people', content_rowid='id', tokenize='trigram');
--> statement-breakpoint
INSERT INTO `people_search` (`people_search`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `people_search_inserted` AFTER INSERT ON `people` BEGIN
  INSERT INTO `people_search` (rowid, `name`, `email`, `title`) VALUES (NEW.`id`, NEW.`name`, NEW.`email`, NEW.`title`);
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `people_search_deleted` AFTER DELETE ON `people` BEGIN
  INSERT INTO `people_search` (`people_search`, rowid, `name`, `email`, `title`) VALUES ('delete', OLD.`id`, OLD.`name`, OLD.`email`, OLD.`title`);
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `people_search_updated` AFTER UPDATE OF `name`, `email`, `title` ON `people` BEGIN
  INSERT INTO `people_search` (`people_search`, rowid, `name`, `email`, `title`) VALUES ('delete', OLD.`id`, OLD.`name`, OLD.`email`, OLD.`title`);
  INSERT INTO `people_search` (rowid, `name`, `email`, `title`) VALUES (NEW.`id`, NEW.`name`, NEW.`email`, NEW.`title`);
END;
