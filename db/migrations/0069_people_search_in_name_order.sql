-- People search a page at a time in name order. Both search indexes were keyed by the person's id, so a
-- page of a word with many matches (a first name, a letter) meant reading every match and sorting by name.
-- Each index row is now keyed by where the person stands in name order: the first six characters of the
-- name in six bits each, then the person's id in the low 27 bits. Letters, the space, the apostrophe, the
-- hyphen and the full stop have a value each, in code point order; every other character shares a value
-- with its neighbours in that order, and the characters after it count as none (else "  " would come after
-- "-", both starting with a shared value). So a key never puts a name after a later one: keys in order are
-- names in order, but for names whose keys are equal (a group). A page reads its matches in key order, then
-- the rest of the last group, and sorts those.
-- (Person ids must stay below 2^27, 134,217,728.)
--
-- The one- and two-character index held each character three times and was asked a phrase: "ll" meant
-- reading the positions of every person with an "l". It now holds each person's distinct characters and
-- pairs of characters (ASCII letters lower-cased, as LIKE compares them), each written as its hex code,
-- one word each: a search for one or two characters is one word's list.
--
-- Both are contentless (the text is in people) and kept by the triggers in every write's transaction;
-- an update that leaves name, address and title as they were leaves them alone.
DROP TRIGGER IF EXISTS `people_search_inserted`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `people_search_deleted`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `people_search_updated`;
--> statement-breakpoint
DROP TABLE IF EXISTS `people_search`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `people_short_search_inserted`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `people_short_search_deleted`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `people_short_search_updated`;
--> statement-breakpoint
DROP TABLE IF EXISTS `people_short_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `people_search` USING fts5(`name`, `email`, `title`, content='', contentless_delete=1, tokenize='trigram');
--> statement-breakpoint
CREATE VIRTUAL TABLE `people_short_search` USING fts5(`grams`, content='', contentless_delete=1, detail='none', tokenize='unicode61');
--> statement-breakpoint
INSERT INTO `people_search` (rowid, `name`, `email`, `title`) SELECT (((SELECT sum(CASE WHEN cut THEN 0 ELSE f << (6 * (5 - key)) END) FROM (SELECT key, f, coalesce(max(f IN (1, 3, 5, 8, 35, 62, 63)) OVER (ORDER BY key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cut FROM (SELECT key, CASE WHEN u IS NULL THEN 0 WHEN u < 32 THEN 1 WHEN u = 32 THEN 2 WHEN u < 39 THEN 3 WHEN u = 39 THEN 4 WHEN u < 45 THEN 5 WHEN u = 45 THEN 6 WHEN u = 46 THEN 7 WHEN u < 65 THEN 8 WHEN u < 91 THEN u - 56 WHEN u < 97 THEN 35 WHEN u < 123 THEN u - 61 WHEN u < 128 THEN 62 ELSE 63 END AS f FROM (SELECT key, unicode(substr(p.`name`, key + 1, 1)) AS u FROM json_each('[0,0,0,0,0,0]'))))) << 27) | p.`id`), p.`name`, p.`email`, p.`title` FROM `people` p;
--> statement-breakpoint
INSERT INTO `people_short_search` (rowid, `grams`) SELECT (((SELECT sum(CASE WHEN cut THEN 0 ELSE f << (6 * (5 - key)) END) FROM (SELECT key, f, coalesce(max(f IN (1, 3, 5, 8, 35, 62, 63)) OVER (ORDER BY key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cut FROM (SELECT key, CASE WHEN u IS NULL THEN 0 WHEN u < 32 THEN 1 WHEN u = 32 THEN 2 WHEN u < 39 THEN 3 WHEN u = 39 THEN 4 WHEN u < 45 THEN 5 WHEN u = 45 THEN 6 WHEN u = 46 THEN 7 WHEN u < 65 THEN 8 WHEN u < 91 THEN u - 56 WHEN u < 97 THEN 35 WHEN u < 123 THEN u - 61 WHEN u < 128 THEN 62 ELSE 63 END AS f FROM (SELECT key, unicode(substr(p.`name`, key + 1, 1)) AS u FROM json_each('[0,0,0,0,0,0]'))))) << 27) | p.`id`), (SELECT group_concat(g, ' ') FROM (SELECT DISTINCT hex(lower(substr(f.value, k.key + 1, l.value))) AS g FROM json_each(json_array(p.`name`, p.`email`, p.`title`)) f, json_each('[' || replace(printf('%.*c', length(f.value), ','), ',', '0,') || '0]') k, json_each('[1,2]') l WHERE k.key + l.value <= length(f.value))) FROM `people` p;
--> statement-breakpoint
CREATE TRIGGER `people_search_inserted` AFTER INSERT ON `people` BEGIN
  INSERT INTO `people_search` (rowid, `name`, `email`, `title`) VALUES ((((SELECT sum(CASE WHEN cut THEN 0 ELSE f << (6 * (5 - key)) END) FROM (SELECT key, f, coalesce(max(f IN (1, 3, 5, 8, 35, 62, 63)) OVER (ORDER BY key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cut FROM (SELECT key, CASE WHEN u IS NULL THEN 0 WHEN u < 32 THEN 1 WHEN u = 32 THEN 2 WHEN u < 39 THEN 3 WHEN u = 39 THEN 4 WHEN u < 45 THEN 5 WHEN u = 45 THEN 6 WHEN u = 46 THEN 7 WHEN u < 65 THEN 8 WHEN u < 91 THEN u - 56 WHEN u < 97 THEN 35 WHEN u < 123 THEN u - 61 WHEN u < 128 THEN 62 ELSE 63 END AS f FROM (SELECT key, unicode(substr(NEW.`name`, key + 1, 1)) AS u FROM json_each('[0,0,0,0,0,0]'))))) << 27) | NEW.`id`), NEW.`name`, NEW.`email`, NEW.`title`);
  INSERT INTO `people_short_search` (rowid, `grams`) VALUES ((((SELECT sum(CASE WHEN cut THEN 0 ELSE f << (6 * (5 - key)) END) FROM (SELECT key, f, coalesce(max(f IN (1, 3, 5, 8, 35, 62, 63)) OVER (ORDER BY key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cut FROM (SELECT key, CASE WHEN u IS NULL THEN 0 WHEN u < 32 THEN 1 WHEN u = 32 THEN 2 WHEN u < 39 THEN 3 WHEN u = 39 THEN 4 WHEN u < 45 THEN 5 WHEN u = 45 THEN 6 WHEN u = 46 THEN 7 WHEN u < 65 THEN 8 WHEN u < 91 THEN u - 56 WHEN u < 97 THEN 35 WHEN u < 123 THEN u - 61 WHEN u < 128 THEN 62 ELSE 63 END AS f FROM (SELECT key, unicode(substr(NEW.`name`, key + 1, 1)) AS u FROM json_each('[0,0,0,0,0,0]'))))) << 27) | NEW.`id`), (SELECT group_concat(g, ' ') FROM (SELECT DISTINCT hex(lower(substr(f.value, k.key + 1, l.value))) AS g FROM json_each(json_array(NEW.`name`, NEW.`email`, NEW.`title`)) f, json_each('[' || replace(printf('%.*c', length(f.value), ','), ',', '0,') || '0]') k, json_each('[1,2]') l WHERE k.key + l.value <= length(f.value))));
END;
--> statement-breakpoint
CREATE TRIGGER `people_search_deleted` AFTER DELETE ON `people` BEGIN
  DELETE FROM `people_search` WHERE rowid = (((SELECT sum(CASE WHEN cut THEN 0 ELSE f << (6 * (5 - key)) END) FROM (SELECT key, f, coalesce(max(f IN (1, 3, 5, 8, 35, 62, 63)) OVER (ORDER BY key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cut FROM (SELECT key, CASE WHEN u IS NULL THEN 0 WHEN u < 32 THEN 1 WHEN u = 32 THEN 2 WHEN u < 39 THEN 3 WHEN u = 39 THEN 4 WHEN u < 45 THEN 5 WHEN u = 45 THEN 6 WHEN u = 46 THEN 7 WHEN u < 65 THEN 8 WHEN u < 91 THEN u - 56 WHEN u < 97 THEN 35 WHEN u < 123 THEN u - 61 WHEN u < 128 THEN 62 ELSE 63 END AS f FROM (SELECT key, unicode(substr(OLD.`name`, key + 1, 1)) AS u FROM json_each('[0,0,0,0,0,0]'))))) << 27) | OLD.`id`);
  DELETE FROM `people_short_search` WHERE rowid = (((SELECT sum(CASE WHEN cut THEN 0 ELSE f << (6 * (5 - key)) END) FROM (SELECT key, f, coalesce(max(f IN (1, 3, 5, 8, 35, 62, 63)) OVER (ORDER BY key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cut FROM (SELECT key, CASE WHEN u IS NULL THEN 0 WHEN u < 32 THEN 1 WHEN u = 32 THEN 2 WHEN u < 39 THEN 3 WHEN u = 39 THEN 4 WHEN u < 45 THEN 5 WHEN u = 45 THEN 6 WHEN u = 46 THEN 7 WHEN u < 65 THEN 8 WHEN u < 91 THEN u - 56 WHEN u < 97 THEN 35 WHEN u < 123 THEN u - 61 WHEN u < 128 THEN 62 ELSE 63 END AS f FROM (SELECT key, unicode(substr(OLD.`name`, key + 1, 1)) AS u FROM json_each('[0,0,0,0,0,0]'))))) << 27) | OLD.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `people_search_updated` AFTER UPDATE OF `name`, `email`, `title` ON `people` WHEN OLD.`name` IS NOT NEW.`name` OR OLD.`email` IS NOT NEW.`email` OR OLD.`title` IS NOT NEW.`title` BEGIN
  DELETE FROM `people_search` WHERE rowid = (((SELECT sum(CASE WHEN cut THEN 0 ELSE f << (6 * (5 - key)) END) FROM (SELECT key, f, coalesce(max(f IN (1, 3, 5, 8, 35, 62, 63)) OVER (ORDER BY key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cut FROM (SELECT key, CASE WHEN u IS NULL THEN 0 WHEN u < 32 THEN 1 WHEN u = 32 THEN 2 WHEN u < 39 THEN 3 WHEN u = 39 THEN 4 WHEN u < 45 THEN 5 WHEN u = 45 THEN 6 WHEN u = 46 THEN 7 WHEN u < 65 THEN 8 WHEN u < 91 THEN u - 56 WHEN u < 97 THEN 35 WHEN u < 123 THEN u - 61 WHEN u < 128 THEN 62 ELSE 63 END AS f FROM (SELECT key, unicode(substr(OLD.`name`, key + 1, 1)) AS u FROM json_each('[0,0,0,0,0,0]'))))) << 27) | OLD.`id`);
  DELETE FROM `people_short_search` WHERE rowid = (((SELECT sum(CASE WHEN cut THEN 0 ELSE f << (6 * (5 - key)) END) FROM (SELECT key, f, coalesce(max(f IN (1, 3, 5, 8, 35, 62, 63)) OVER (ORDER BY key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cut FROM (SELECT key, CASE WHEN u IS NULL THEN 0 WHEN u < 32 THEN 1 WHEN u = 32 THEN 2 WHEN u < 39 THEN 3 WHEN u = 39 THEN 4 WHEN u < 45 THEN 5 WHEN u = 45 THEN 6 WHEN u = 46 THEN 7 WHEN u < 65 THEN 8 WHEN u < 91 THEN u - 56 WHEN u < 97 THEN 35 WHEN u < 123 THEN u - 61 WHEN u < 128 THEN 62 ELSE 63 END AS f FROM (SELECT key, unicode(substr(OLD.`name`, key + 1, 1)) AS u FROM json_each('[0,0,0,0,0,0]'))))) << 27) | OLD.`id`);
  INSERT INTO `people_search` (rowid, `name`, `email`, `title`) VALUES ((((SELECT sum(CASE WHEN cut THEN 0 ELSE f << (6 * (5 - key)) END) FROM (SELECT key, f, coalesce(max(f IN (1, 3, 5, 8, 35, 62, 63)) OVER (ORDER BY key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cut FROM (SELECT key, CASE WHEN u IS NULL THEN 0 WHEN u < 32 THEN 1 WHEN u = 32 THEN 2 WHEN u < 39 THEN 3 WHEN u = 39 THEN 4 WHEN u < 45 THEN 5 WHEN u = 45 THEN 6 WHEN u = 46 THEN 7 WHEN u < 65 THEN 8 WHEN u < 91 THEN u - 56 WHEN u < 97 THEN 35 WHEN u < 123 THEN u - 61 WHEN u < 128 THEN 62 ELSE 63 END AS f FROM (SELECT key, unicode(substr(NEW.`name`, key + 1, 1)) AS u FROM json_each('[0,0,0,0,0,0]'))))) << 27) | NEW.`id`), NEW.`name`, NEW.`email`, NEW.`title`);
  INSERT INTO `people_short_search` (rowid, `grams`) VALUES ((((SELECT sum(CASE WHEN cut THEN 0 ELSE f << (6 * (5 - key)) END) FROM (SELECT key, f, coalesce(max(f IN (1, 3, 5, 8, 35, 62, 63)) OVER (ORDER BY key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cut FROM (SELECT key, CASE WHEN u IS NULL THEN 0 WHEN u < 32 THEN 1 WHEN u = 32 THEN 2 WHEN u < 39 THEN 3 WHEN u = 39 THEN 4 WHEN u < 45 THEN 5 WHEN u = 45 THEN 6 WHEN u = 46 THEN 7 WHEN u < 65 THEN 8 WHEN u < 91 THEN u - 56 WHEN u < 97 THEN 35 WHEN u < 123 THEN u - 61 WHEN u < 128 THEN 62 ELSE 63 END AS f FROM (SELECT key, unicode(substr(NEW.`name`, key + 1, 1)) AS u FROM json_each('[0,0,0,0,0,0]'))))) << 27) | NEW.`id`), (SELECT group_concat(g, ' ') FROM (SELECT DISTINCT hex(lower(substr(f.value, k.key + 1, l.value))) AS g FROM json_each(json_array(NEW.`name`, NEW.`email`, NEW.`title`)) f, json_each('[' || replace(printf('%.*c', length(f.value), ','), ',', '0,') || '0]') k, json_each('[1,2]') l WHERE k.key + l.value <= length(f.value))));
END;
