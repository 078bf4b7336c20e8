-- reporting_chain (who is below whom, at any depth) is kept by the triggers below in the same statement as every
-- write that changes an edge of the chart: a person's manager or team, a team's manager, a person added or removed.
-- An edge changed at a person changes the chain of that person and of everyone below them (their rows as descendant):
-- those are listed in reporting_chain_pending, their rows dropped and walked up again from the people and teams.
-- The walk stops at depth 64, so a cycle written around the application's checks cannot run forever.
CREATE TABLE `reporting_chain_pending` (`id` integer PRIMARY KEY NOT NULL);
--> statement-breakpoint
CREATE TRIGGER `people_chain_inserted` AFTER INSERT ON `people` BEGIN
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
CREATE TRIGGER `people_chain_moved` AFTER UPDATE OF manager_id, team_id ON `people`
  WHEN NEW.manager_id IS NOT OLD.manager_id OR NEW.team_id IS NOT OLD.team_id BEGIN
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
CREATE TRIGGER `people_chain_deleted` AFTER DELETE ON `people` BEGIN
  INSERT OR IGNORE INTO reporting_chain_pending (id) SELECT OLD.id UNION SELECT descendant_id FROM reporting_chain WHERE ancestor_id = OLD.id;
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
CREATE TRIGGER `teams_chain_manager_changed` AFTER UPDATE OF manager_id ON `teams` WHEN NEW.manager_id IS NOT OLD.manager_id BEGIN
  INSERT OR IGNORE INTO reporting_chain_pending (id) SELECT id FROM people WHERE team_id = NEW.id
    UNION SELECT c.descendant_id FROM people x JOIN reporting_chain c ON c.ancestor_id = x.id WHERE x.team_id = NEW.id;
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
CREATE TRIGGER `teams_chain_deleted` AFTER DELETE ON `teams` BEGIN
  INSERT OR IGNORE INTO reporting_chain_pending (id) SELECT id FROM people WHERE team_id = OLD.id
    UNION SELECT c.descendant_id FROM people x JOIN reporting_chain c ON c.ancestor_id = x.id WHERE x.team_id = OLD.id;
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
-- Backfill: everyone's chain, walked once.
INSERT INTO reporting_chain_pending (id) SELECT id FROM people;
--> statement-breakpoint
DELETE FROM reporting_chain WHERE descendant_id IN (SELECT id FROM reporting_chain_pending);
--> statement-breakpoint
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
--> statement-breakpoint
DELETE FROM reporting_chain_pending;
