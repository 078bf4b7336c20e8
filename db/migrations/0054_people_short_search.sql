-- People search for one or two characters: FTS5's trigrams cannot hold a shorter word, so a second
-- trigram index holds the directory's name, email and title with every character written three times
-- ("Jo" as "JJJooo"). A character c is in a text exactly when "ccc" is in its tripled text, and two
-- characters ab exactly when the tripled "aaabbb" is: a search for "a" or "jo" is an index lookup whose
-- matches are counted no further than the list's cap, instead of LIKE asked of every person. Contentless:
-- the tripled text is nowhere else; the triggers keep it in step with every write, as people_search's do.
CREATE VIRTUAL TABLE IF NOT EXISTS `people_short_search` USING fts5(`name`, `email`, `title`, content='', contentless_delete=1, tokenize='trigram');
--> statement-breakpoint
INSERT INTO `people_short_search` (rowid, `name`, `email`, `title`) SELECT p.`id`, (SELECT group_concat(substr(p.`name`, key + 1, 1) || substr(p.`name`, key + 1, 1) || substr(p.`name`, key + 1, 1), '' ORDER BY key) FROM json_each('[' || replace(printf('%.*c', length(p.`name`), ','), ',', '0,') || '0]') WHERE key < length(p.`name`)), (SELECT group_concat(substr(p.`email`, key + 1, 1) || substr(p.`email`, key + 1, 1) || substr(p.`email`, key + 1, 1), '' ORDER BY key) FROM json_each('[' || replace(printf('%.*c', length(p.`email`), ','), ',', '0,') || '0]') WHERE key < length(p.`email`)), (SELECT group_concat(substr(p.`title`, key + 1, 1) || substr(p.`title`, key + 1, 1) || substr(p.`title`, key + 1, 1), '' ORDER BY key) FROM json_each('[' || replace(printf('%.*c', length(p.`title`), ','), ',', '0,') || '0]') WHERE key < length(p.`title`)) FROM `people` p;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `people_short_search_inserted` AFTER INSERT ON `people` BEGIN
  INSERT INTO `people_short_search` (rowid, `name`, `email`, `title`) SELECT NEW.`id`, (SELECT group_concat(substr(NEW.`name`, key + 1, 1) || substr(NEW.`name`, key + 1, 1) || substr(NEW.`name`, key + 1, 1), '' ORDER BY key) FROM json_each('[' || replace(printf('%.*c', length(NEW.`name`), ','), ',', '0,') || '0]') WHERE key < length(NEW.`name`)), (SELECT group_concat(substr(NEW.`email`, key + 1, 1) || substr(NEW.`email`, key + 1, 1) || substr(NEW.`email`, key + 1, 1), '' ORDER BY key) FROM json_each('[' || replace(printf('%.*c', length(NEW.`email`), ','), ',', '0,') || '0]') WHERE key < length(NEW.`email`)), (SELECT group_concat(substr(NEW.`title`, key + 1, 1) || substr(NEW.`title`, key + 1, 1) || substr(NEW.`title`, key + 1, 1), '' ORDER BY key) FROM json_each('[' || replace(printf('%.*c', length(NEW.`title`), ','), ',', '0,') || '0]') WHERE key < length(NEW.`title`));
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `people_short_search_deleted` AFTER DELETE ON `people` BEGIN
  DELETE FROM `people_short_search` WHERE rowid = OLD.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `people_short_search_updated` AFTER UPDATE OF `name`, `email`, `title` ON `people` BEGIN
  DELETE FROM `people_short_search` WHERE rowid = OLD.`id`;
  INSERT INTO `people_short_search` (rowid, `name`, `email`, `title`) SELECT NEW.`id`, (SELECT group_concat(substr(NEW.`name`, key + 1, 1) || substr(NEW.`name`, key + 1, 1) || substr(NEW.`name`, key + 1, 1), '' ORDER BY key) FROM json_each('[' || replace(printf('%.*c', length(NEW.`name`), ','), ',', '0,') || '0]') WHERE key < length(NEW.`name`)), (SELECT group_concat(substr(NEW.`email`, key + 1, 1) || substr(NEW.`email`, key + 1, 1) || substr(NEW.`email`, key + 1, 1), '' ORDER BY key) FROM json_each('[' || replace(printf('%.*c', length(NEW.`email`), ','), ',', '0,') || '0]') WHERE key < length(NEW.`email`)), (SELECT group_concat(substr(NEW.`title`, key + 1, 1) || substr(NEW.`title`, key + 1, 1) || substr(NEW.`title`, key + 1, 1), '' ORDER BY key) FROM json_each('[' || replace(printf('%.*c', length(NEW.`title`), ','), ',', '0,') || '0]') WHERE key < length(NEW.`title`));
END;
