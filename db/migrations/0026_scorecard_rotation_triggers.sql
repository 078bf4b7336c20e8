-- scorecard_rotations: rotations between a team and marketing (a member of the team rotating into a marketing team,
-- or a marketer rotating into the team), cancelled ones left out. Kept by the triggers below in the same transaction
-- as every write to rotations, to people's team or department, and to a team's department; filled here for the
-- rotations before. test/scorecard/rotations.test.ts checks the rows against this definition after every such write.
CREATE TRIGGER `scorecard_rotation_inserted` AFTER INSERT ON `rotations` BEGIN
  INSERT OR IGNORE INTO scorecard_rotations (team_id, rotation_id, start_date, end_date)
  SELECT p.team_id, r.id, r.start_date, r.end_date FROM rotations r JOIN people p ON p.id = r.person_id JOIN teams host ON host.id = r.host_team_id
   WHERE r.id = NEW.id AND r.status <> 'cancelled' AND host.department = 'marketing' AND p.team_id IS NOT NULL
  UNION
  SELECT r.host_team_id, r.id, r.start_date, r.end_date FROM rotations r JOIN people p ON p.id = r.person_id
   WHERE r.id = NEW.id AND r.status <> 'cancelled' AND p.department = 'marketing';
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_rotation_updated` AFTER UPDATE OF person_id, host_team_id, start_date, end_date, status ON `rotations` BEGIN
  DELETE FROM scorecard_rotations WHERE rotation_id = OLD.id;
  INSERT OR IGNORE INTO scorecard_rotations (team_id, rotation_id, start_date, end_date)
  SELECT p.team_id, r.id, r.start_date, r.end_date FROM rotations r JOIN people p ON p.id = r.person_id JOIN teams host ON host.id = r.host_team_id
   WHERE r.id = NEW.id AND r.status <> 'cancelled' AND host.department = 'marketing' AND p.team_id IS NOT NULL
  UNION
  SELECT r.host_team_id, r.id, r.start_date, r.end_date FROM rotations r JOIN people p ON p.id = r.person_id
   WHERE r.id = NEW.id AND r.status <> 'cancelled' AND p.department = 'marketing';
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_rotation_deleted` AFTER DELETE ON `rotations` BEGIN
  DELETE FROM scorecard_rotations WHERE rotation_id = OLD.id;
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_rotation_person_changed` AFTER UPDATE OF team_id, department ON `people`
  WHEN OLD.team_id IS NOT NEW.team_id OR OLD.department IS NOT NEW.department BEGIN
  DELETE FROM scorecard_rotations WHERE rotation_id IN (SELECT id FROM rotations WHERE person_id = NEW.id);
  INSERT OR IGNORE INTO scorecard_rotations (team_id, rotation_id, start_date, end_date)
  SELECT p.team_id, r.id, r.start_date, r.end_date FROM rotations r JOIN people p ON p.id = r.person_id JOIN teams host ON host.id = r.host_team_id
   WHERE r.person_id = NEW.id AND r.status <> 'cancelled' AND host.department = 'marketing' AND p.team_id IS NOT NULL
  UNION
  SELECT r.host_team_id, r.id, r.start_date, r.end_date FROM rotations r JOIN people p ON p.id = r.person_id
   WHERE r.person_id = NEW.id AND r.status <> 'cancelled' AND p.department = 'marketing';
END;
--> statement-breakpoint
CREATE TRIGGER `scorecard_rotation_team_changed` AFTER UPDATE OF department ON `teams`
  WHEN OLD.department IS NOT NEW.department BEGIN
  DELETE FROM scorecard_rotations WHERE rotation_id IN (SELECT id FROM rotations WHERE host_team_id = NEW.id);
  INSERT OR IGNORE INTO scorecard_rotations (team_id, rotation_id, start_date, end_date)
  SELECT p.team_id, r.id, r.start_date, r.end_date FROM rotations r JOIN people p ON p.id = r.person_id JOIN teams host ON host.id = r.host_team_id
   WHERE r.host_team_id = NEW.id AND r.status <> 'cancelled' AND host.department = 'marketing' AND p.team_id IS NOT NULL
  UNION
  SELECT r.host_team_id, r.id, r.start_date, r.end_date FROM rotations r JOIN people p ON p.id = r.person_id
   WHERE r.host_team_id = NEW.id AND r.status <> 'cancelled' AND p.department = 'marketing';
END;
--> statement-breakpoint
INSERT OR IGNORE INTO scorecard_rotations (team_id, rotation_id, start_date, end_date)
SELECT p.team_id, r.id, r.start_date, r.end_date FROM rotations r JOIN people p ON p.id = r.person_id JOIN teams host ON host.id = r.host_team_id
 WHERE r.status <> 'cancelled' AND host.department = 'marketing' AND p.team_id IS NOT NULL
UNION
SELECT r.host_team_id, r.id, r.start_date, r.end_date FROM rotations r JOIN people p ON p.id = r.person_id
 WHERE r.status <> 'cancelled' AND p.department = 'marketing';
