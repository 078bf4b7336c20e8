-- rotation_rule_checks (the rules each rotation breaks) are marked stale by the triggers below in the same statement as
-- every write the rules read; each write transaction checks the stale ones again before it commits (src/rotations/rule-checks.ts).
-- Rotations overlapping a changed one are marked when they share its guest or mentor (overlap, mentor away), its host team
-- (capacity) or its guest's home team (coverage). A status that moves with the days (planned, active, completed) changes no rule.
CREATE TRIGGER `rotations_checks_inserted` AFTER INSERT ON `rotations` BEGIN
  INSERT INTO rotation_rule_checks (rotation_id, broken, stale) VALUES (NEW.id, '[]', 1) ON CONFLICT (rotation_id) DO UPDATE SET stale = 1;
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM rotations r WHERE r.person_id IN (NEW.person_id, NEW.mentor_id) AND r.start_date <= NEW.end_date AND r.end_date >= NEW.start_date
    UNION SELECT r.id FROM rotations r WHERE r.mentor_id IN (NEW.person_id, NEW.mentor_id) AND r.start_date <= NEW.end_date AND r.end_date >= NEW.start_date
    UNION SELECT r.id FROM rotations r WHERE r.host_team_id = NEW.host_team_id AND r.start_date <= NEW.end_date AND r.end_date >= NEW.start_date
    UNION SELECT r.id FROM people g JOIN rotations r ON r.person_id = g.id
           WHERE g.team_id = (SELECT team_id FROM people WHERE id = NEW.person_id) AND r.start_date <= NEW.end_date AND r.end_date >= NEW.start_date
);
END;
--> statement-breakpoint
CREATE TRIGGER `rotations_checks_updated` AFTER UPDATE OF person_id, program_id, host_team_id, mentor_id, start_date, end_date, status ON `rotations`
  WHEN NEW.person_id IS NOT OLD.person_id OR NEW.program_id IS NOT OLD.program_id OR NEW.host_team_id IS NOT OLD.host_team_id OR NEW.mentor_id IS NOT OLD.mentor_id OR NEW.start_date IS NOT OLD.start_date OR NEW.end_date IS NOT OLD.end_date OR (NEW.status = 'cancelled') IS NOT (OLD.status = 'cancelled') BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE rotation_id = NEW.id;
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM rotations r WHERE r.person_id IN (OLD.person_id, OLD.mentor_id) AND r.start_date <= OLD.end_date AND r.end_date >= OLD.start_date
    UNION SELECT r.id FROM rotations r WHERE r.mentor_id IN (OLD.person_id, OLD.mentor_id) AND r.start_date <= OLD.end_date AND r.end_date >= OLD.start_date
    UNION SELECT r.id FROM rotations r WHERE r.host_team_id = OLD.host_team_id AND r.start_date <= OLD.end_date AND r.end_date >= OLD.start_date
    UNION SELECT r.id FROM people g JOIN rotations r ON r.person_id = g.id
           WHERE g.team_id = (SELECT team_id FROM people WHERE id = OLD.person_id) AND r.start_date <= OLD.end_date AND r.end_date >= OLD.start_date
);
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM rotations r WHERE r.person_id IN (NEW.person_id, NEW.mentor_id) AND r.start_date <= NEW.end_date AND r.end_date >= NEW.start_date
    UNION SELECT r.id FROM rotations r WHERE r.mentor_id IN (NEW.person_id, NEW.mentor_id) AND r.start_date <= NEW.end_date AND r.end_date >= NEW.start_date
    UNION SELECT r.id FROM rotations r WHERE r.host_team_id = NEW.host_team_id AND r.start_date <= NEW.end_date AND r.end_date >= NEW.start_date
    UNION SELECT r.id FROM people g JOIN rotations r ON r.person_id = g.id
           WHERE g.team_id = (SELECT team_id FROM people WHERE id = NEW.person_id) AND r.start_date <= NEW.end_date AND r.end_date >= NEW.start_date
);
END;
--> statement-breakpoint
CREATE TRIGGER `rotations_checks_deleted` AFTER DELETE ON `rotations` BEGIN
  DELETE FROM rotation_rule_checks WHERE rotation_id = OLD.id;
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM rotations r WHERE r.person_id IN (OLD.person_id, OLD.mentor_id) AND r.start_date <= OLD.end_date AND r.end_date >= OLD.start_date
    UNION SELECT r.id FROM rotations r WHERE r.mentor_id IN (OLD.person_id, OLD.mentor_id) AND r.start_date <= OLD.end_date AND r.end_date >= OLD.start_date
    UNION SELECT r.id FROM rotations r WHERE r.host_team_id = OLD.host_team_id AND r.start_date <= OLD.end_date AND r.end_date >= OLD.start_date
    UNION SELECT r.id FROM people g JOIN rotations r ON r.person_id = g.id
           WHERE g.team_id = (SELECT team_id FROM people WHERE id = OLD.person_id) AND r.start_date <= OLD.end_date AND r.end_date >= OLD.start_date
);
END;
--> statement-breakpoint
-- A guest's or mentor's department, hire date: their own rotations. A team or active flag: also every rotation of the
-- old and new team's members (the head count coverage allows).
CREATE TRIGGER `people_checks_changed` AFTER UPDATE OF department, hire_date ON `people`
  WHEN NEW.department IS NOT OLD.department OR NEW.hire_date IS NOT OLD.hire_date BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT id FROM rotations WHERE person_id = NEW.id UNION SELECT id FROM rotations WHERE mentor_id = NEW.id
);
END;
--> statement-breakpoint
CREATE TRIGGER `people_checks_moved` AFTER UPDATE OF team_id, active ON `people`
  WHEN NEW.team_id IS NOT OLD.team_id OR NEW.active IS NOT OLD.active BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT id FROM rotations WHERE person_id = NEW.id UNION SELECT id FROM rotations WHERE mentor_id = NEW.id
);
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM people g JOIN rotations r ON r.person_id = g.id WHERE g.team_id = OLD.team_id
);
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM people g JOIN rotations r ON r.person_id = g.id WHERE g.team_id = NEW.team_id
);
END;
--> statement-breakpoint
CREATE TRIGGER `people_checks_inserted` AFTER INSERT ON `people` WHEN NEW.team_id IS NOT NULL BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM people g JOIN rotations r ON r.person_id = g.id WHERE g.team_id = NEW.team_id
);
END;
--> statement-breakpoint
CREATE TRIGGER `people_checks_deleted` AFTER DELETE ON `people` WHEN OLD.team_id IS NOT NULL BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM people g JOIN rotations r ON r.person_id = g.id WHERE g.team_id = OLD.team_id
);
END;
--> statement-breakpoint
CREATE TRIGGER `teams_checks_changed` AFTER UPDATE OF department ON `teams` WHEN NEW.department IS NOT OLD.department BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM people g JOIN rotations r ON r.person_id = g.id WHERE g.team_id = NEW.id
);
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT id FROM rotations WHERE host_team_id = NEW.id
);
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_periods_checks_insert` AFTER INSERT ON `rotation_periods` BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT id FROM rotations WHERE person_id = NEW.person_id UNION SELECT id FROM rotations WHERE mentor_id = NEW.person_id
);
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_periods_checks_delete` AFTER DELETE ON `rotation_periods` BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT id FROM rotations WHERE person_id = OLD.person_id UNION SELECT id FROM rotations WHERE mentor_id = OLD.person_id
);
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_periods_checks_update` AFTER UPDATE ON `rotation_periods` BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT id FROM rotations WHERE person_id = OLD.person_id UNION SELECT id FROM rotations WHERE mentor_id = OLD.person_id
);
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT id FROM rotations WHERE person_id = NEW.person_id UNION SELECT id FROM rotations WHERE mentor_id = NEW.person_id
);
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_blackouts_checks_insert` AFTER INSERT ON `rotation_blackouts` BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM rotations r JOIN people g ON g.id = r.person_id JOIN teams h ON h.id = r.host_team_id
     WHERE r.end_date >= NEW.start_date AND r.start_date <= NEW.end_date
       AND (g.team_id = NEW.team_id OR r.host_team_id = NEW.team_id OR g.department = NEW.department OR h.department = NEW.department)
);
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_blackouts_checks_delete` AFTER DELETE ON `rotation_blackouts` BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM rotations r JOIN people g ON g.id = r.person_id JOIN teams h ON h.id = r.host_team_id
     WHERE r.end_date >= OLD.start_date AND r.start_date <= OLD.end_date
       AND (g.team_id = OLD.team_id OR r.host_team_id = OLD.team_id OR g.department = OLD.department OR h.department = OLD.department)
);
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_blackouts_checks_update` AFTER UPDATE ON `rotation_blackouts` BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM rotations r JOIN people g ON g.id = r.person_id JOIN teams h ON h.id = r.host_team_id
     WHERE r.end_date >= OLD.start_date AND r.start_date <= OLD.end_date
       AND (g.team_id = OLD.team_id OR r.host_team_id = OLD.team_id OR g.department = OLD.department OR h.department = OLD.department)
);
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT r.id FROM rotations r JOIN people g ON g.id = r.person_id JOIN teams h ON h.id = r.host_team_id
     WHERE r.end_date >= NEW.start_date AND r.start_date <= NEW.end_date
       AND (g.team_id = NEW.team_id OR r.host_team_id = NEW.team_id OR g.department = NEW.department OR h.department = NEW.department)
);
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_programs_checks_changed` AFTER UPDATE OF direction, length_weeks, coverage_percent ON `rotation_programs`
  WHEN NEW.direction IS NOT OLD.direction OR NEW.length_weeks IS NOT OLD.length_weeks OR NEW.coverage_percent IS NOT OLD.coverage_percent BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT id FROM rotations WHERE program_id = NEW.id
);
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_program_host_teams_checks_insert` AFTER INSERT ON `rotation_program_host_teams` BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT id FROM rotations WHERE program_id = NEW.program_id AND host_team_id = NEW.team_id
);
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_program_host_teams_checks_delete` AFTER DELETE ON `rotation_program_host_teams` BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT id FROM rotations WHERE program_id = OLD.program_id AND host_team_id = OLD.team_id
);
END;
--> statement-breakpoint
CREATE TRIGGER `rotation_program_host_teams_checks_update` AFTER UPDATE ON `rotation_program_host_teams` BEGIN
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT id FROM rotations WHERE program_id = OLD.program_id AND host_team_id = OLD.team_id
);
  UPDATE rotation_rule_checks SET stale = 1 WHERE stale = 0 AND rotation_id IN (
    SELECT id FROM rotations WHERE program_id = NEW.program_id AND host_team_id = NEW.team_id
);
END;
--> statement-breakpoint
-- Backfill: every rotation is not checked yet (2); the background job checks them, pages check them until then.
INSERT INTO rotation_rule_checks (rotation_id, broken, stale) SELECT id, '[]', 2 FROM rotations;
