-- A person with nobody below them (everyone added, and most moves) changes only their own chain, which is the chain
-- of their manager and of their team's manager one step further: read from the kept rows instead of walked up the
-- chart, so an import of thousands stays a read of a few rows per person. Someone with people below them still
-- takes the walk of 0028 (their chain and everyone's below them). The two paths are told apart by the trigger's WHEN,
-- and the leaf path's rows equal the walk's: the manager's kept rows were made by the same walk, one step shorter.
DROP TRIGGER `people_chain_inserted`;
--> statement-breakpoint
DROP TRIGGER `people_chain_moved`;
--> statement-breakpoint
CREATE TRIGGER `people_chain_leaf_inserted` AFTER INSERT ON `people`
  WHEN NOT EXISTS (SELECT 1 FROM reporting_chain WHERE ancestor_id = NEW.id AND descendant_id <> NEW.id) BEGIN
  DELETE FROM reporting_chain WHERE descendant_id = NEW.id;
  INSERT INTO reporting_chain (ancestor_id, descendant_id, depth)
  SELECT a, NEW.id, min(depth) FROM (
    SELECT NEW.id AS a, 0 AS depth
    UNION ALL SELECT c.ancestor_id, c.depth + 1 FROM reporting_chain c
      WHERE c.descendant_id = NEW.manager_id AND NEW.manager_id <> NEW.id AND c.depth < 64
    UNION ALL SELECT c.ancestor_id, c.depth + 1 FROM teams t JOIN reporting_chain c ON c.descendant_id = t.manager_id
      WHERE t.id = NEW.team_id AND t.manager_id <> NEW.id AND c.depth < 64
  ) GROUP BY a;
END;
--> statement-breakpoint
CREATE TRIGGER `people_chain_inserted` AFTER INSERT ON `people`
  WHEN EXISTS (SELECT 1 FROM reporting_chain WHERE ancestor_id = NEW.id AND descendant_id <> NEW.id) BEGIN
  INSERT OR IGNORE INTO reporting_chain_pending (id) SELECT NEW.id UNION SELECT descendant_id FROM reporting_chain WHERE ancestor_id = NEW.id;
  DELETE FROM reporting_chain WHERE descendant_id IN (SELECT id FROM reporting_chain_pending);
  INSERT INTO reporting_chain (ancestor_id, descendant_id, depth)
  SELECT a, d, min(depth) FROM (
    WITH RECURSIVE up(d, a, depth) AS (
      SELECT q.id, q.id, 0 FROM reporting_chain_pending q JOIN people x ON x.id = q.id
      UNION SELECT up.d, x.manager_id, up.depth + 1 FROM up JOIN people x ON x.id = up.a
             WHERE x.manager_id IS NOT NULL AND x.manager_id <> x.id AND up.depth < 64
      UNION SELECT up.d, t.manager_id, up.depth + 1 FROM up JOIN people x ON x.id = up.a JOIN teams t ON t.id = x.team_id
             WHERE t.manager_id IS NOT NULL AND t.manager_id <> x.id AND up.depth < 64
    ) SELECT d, a, depth FROM up
  ) GROUP BY d, a;
  DELETE FROM reporting_chain_pending;
END;
--> statement-breakpoint
CREATE TRIGGER `people_chain_leaf_moved` AFTER UPDATE OF manager_id, team_id ON `people`
  WHEN (NEW.manager_id IS NOT OLD.manager_id OR NEW.team_id IS NOT OLD.team_id)
   AND NOT EXISTS (SELECT 1 FROM reporting_chain WHERE ancestor_id = NEW.id AND descendant_id <> NEW.id) BEGIN
  DELETE FROM reporting_chain WHERE descendant_id = NEW.id;
  INSERT INTO reporting_chain (ancestor_id, descendant_id, depth)
  SELECT a, NEW.id, min(depth) FROM (
    SELECT NEW.id AS a, 0 AS depth
    UNION ALL SELECT c.ancestor_id, c.depth + 1 FROM reporting_chain c
      WHERE c.descendant_id = NEW.manager_id AND NEW.manager_id <> NEW.id AND c.depth < 64
    UNION ALL SELECT c.ancestor_id, c.depth + 1 FROM teams t JOIN reporting_chain c ON c.descendant_id = t.manager_id
      WHERE t.id = NEW.team_id AND t.manager_id <> NEW.id AND c.depth < 64
  ) GROUP BY a;
END;
--> statement-breakpoint
CREATE TRIGGER `people_chain_moved` AFTER UPDATE OF manager_id, team_id ON `people`
  WHEN (NEW.manager_id IS NOT OLD.manager_id OR NEW.team_id IS NOT OLD.team_id)
   AND EXISTS (SELECT 1 FROM reporting_chain WHERE ancestor_id = NEW.id AND descendant_id <> NEW.id) BEGIN
  INSERT OR IGNORE INTO reporting_chain_pending (id) SELECT NEW.id UNION SELECT descendant_id FROM reporting_chain WHERE ancestor_id = NEW.id;
  DELETE FROM reporting_chain WHERE descendant_id IN (SELECT id FROM reporting_chain_pending);
  INSERT INTO reporting_chain (ancestor_id, descendant_id, depth)
  SELECT a, d, min(depth) FROM (
    WITH RECURSIVE up(d, a, depth) AS (
      SELECT q.id, q.id, 0 FROM reporting_chain_pending q JOIN people x ON x.id = q.id
      UNION SELECT up.d, x.manager_id, up.depth + 1 FROM up JOIN people x ON x.id = up.a
             WHERE x.manager_id IS NOT NULL AND x.manager_id <> x.id AND up.depth < 64
      UNION SELECT up.d, t.manager_id, up.depth + 1 FROM up JOIN people x ON x.id = up.a JOIN teams t ON t.id = x.team_id
             WHERE t.manager_id IS NOT NULL AND t.manager_id <> x.id AND up.depth < 64
    ) SELECT d, a, depth FROM up
  ) GROUP BY d, a;
  DELETE FROM reporting_chain_pending;
END;
