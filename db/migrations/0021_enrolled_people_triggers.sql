-- enrolled_people: people with a running enrollment per team and program (0: any active program), kept by the
-- triggers below in the same transaction as every write to enrollments, people's teams and programs' active flag.
-- A person's contribution depends on all their enrollments: BEFORE a change it is taken out, AFTER it is put back.
CREATE TRIGGER `enrollments_enrolled_inserting` BEFORE INSERT ON `enrollments` BEGIN
  UPDATE enrolled_people SET people = people - 1
   WHERE team_key = (SELECT coalesce(team_id, 0) FROM people WHERE id = NEW.person_id)
     AND (program_key IN (SELECT program_id FROM enrollments WHERE person_id = NEW.person_id AND ended_at IS NULL)
          OR (program_key = 0 AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = NEW.person_id AND e.ended_at IS NULL AND pr.active = 1)));
  DELETE FROM enrolled_people WHERE people = 0 AND team_key = (SELECT coalesce(team_id, 0) FROM people WHERE id = NEW.person_id);
END;
--> statement-breakpoint
CREATE TRIGGER `enrollments_enrolled_inserted` AFTER INSERT ON `enrollments` BEGIN
  INSERT INTO enrolled_people (team_key, program_key, people)
  SELECT * FROM (
    SELECT coalesce(p.team_id, 0), e.program_id, 1 FROM people p JOIN enrollments e ON e.person_id = p.id AND e.ended_at IS NULL WHERE p.id = NEW.person_id
    UNION ALL SELECT coalesce(team_id, 0), 0, 1 FROM people WHERE id = NEW.person_id AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = NEW.person_id AND e.ended_at IS NULL AND pr.active = 1)
  ) WHERE true
  ON CONFLICT (program_key, team_key) DO UPDATE SET people = people + excluded.people;
END;
--> statement-breakpoint
CREATE TRIGGER `enrollments_enrolled_deleting` BEFORE DELETE ON `enrollments` BEGIN
  UPDATE enrolled_people SET people = people - 1
   WHERE team_key = (SELECT coalesce(team_id, 0) FROM people WHERE id = OLD.person_id)
     AND (program_key IN (SELECT program_id FROM enrollments WHERE person_id = OLD.person_id AND ended_at IS NULL)
          OR (program_key = 0 AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = OLD.person_id AND e.ended_at IS NULL AND pr.active = 1)));
  DELETE FROM enrolled_people WHERE people = 0 AND team_key = (SELECT coalesce(team_id, 0) FROM people WHERE id = OLD.person_id);
END;
--> statement-breakpoint
CREATE TRIGGER `enrollments_enrolled_deleted` AFTER DELETE ON `enrollments` BEGIN
  INSERT INTO enrolled_people (team_key, program_key, people)
  SELECT * FROM (
    SELECT coalesce(p.team_id, 0), e.program_id, 1 FROM people p JOIN enrollments e ON e.person_id = p.id AND e.ended_at IS NULL WHERE p.id = OLD.person_id
    UNION ALL SELECT coalesce(team_id, 0), 0, 1 FROM people WHERE id = OLD.person_id AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = OLD.person_id AND e.ended_at IS NULL AND pr.active = 1)
  ) WHERE true
  ON CONFLICT (program_key, team_key) DO UPDATE SET people = people + excluded.people;
END;
--> statement-breakpoint
CREATE TRIGGER `enrollments_enrolled_updating` BEFORE UPDATE OF person_id, program_id, ended_at ON `enrollments` BEGIN
  UPDATE enrolled_people SET people = people - 1
   WHERE team_key = (SELECT coalesce(team_id, 0) FROM people WHERE id = OLD.person_id)
     AND (program_key IN (SELECT program_id FROM enrollments WHERE person_id = OLD.person_id AND ended_at IS NULL)
          OR (program_key = 0 AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = OLD.person_id AND e.ended_at IS NULL AND pr.active = 1)));
  DELETE FROM enrolled_people WHERE people = 0 AND team_key = (SELECT coalesce(team_id, 0) FROM people WHERE id = OLD.person_id);
END;
--> statement-breakpoint
CREATE TRIGGER `enrollments_enrolled_updated` AFTER UPDATE OF person_id, program_id, ended_at ON `enrollments` BEGIN
  INSERT INTO enrolled_people (team_key, program_key, people)
  SELECT * FROM (
    SELECT coalesce(p.team_id, 0), e.program_id, 1 FROM people p JOIN enrollments e ON e.person_id = p.id AND e.ended_at IS NULL WHERE p.id = OLD.person_id
    UNION ALL SELECT coalesce(team_id, 0), 0, 1 FROM people WHERE id = OLD.person_id AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = OLD.person_id AND e.ended_at IS NULL AND pr.active = 1)
  ) WHERE true
  ON CONFLICT (program_key, team_key) DO UPDATE SET people = people + excluded.people;
END;
--> statement-breakpoint
CREATE TRIGGER `enrollments_enrolled_moving` BEFORE UPDATE OF person_id ON `enrollments` WHEN NEW.person_id IS NOT OLD.person_id BEGIN
  UPDATE enrolled_people SET people = people - 1
   WHERE team_key = (SELECT coalesce(team_id, 0) FROM people WHERE id = NEW.person_id)
     AND (program_key IN (SELECT program_id FROM enrollments WHERE person_id = NEW.person_id AND ended_at IS NULL)
          OR (program_key = 0 AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = NEW.person_id AND e.ended_at IS NULL AND pr.active = 1)));
  DELETE FROM enrolled_people WHERE people = 0 AND team_key = (SELECT coalesce(team_id, 0) FROM people WHERE id = NEW.person_id);
END;
--> statement-breakpoint
CREATE TRIGGER `enrollments_enrolled_moved` AFTER UPDATE OF person_id ON `enrollments` WHEN NEW.person_id IS NOT OLD.person_id BEGIN
  INSERT INTO enrolled_people (team_key, program_key, people)
  SELECT * FROM (
    SELECT coalesce(p.team_id, 0), e.program_id, 1 FROM people p JOIN enrollments e ON e.person_id = p.id AND e.ended_at IS NULL WHERE p.id = NEW.person_id
    UNION ALL SELECT coalesce(team_id, 0), 0, 1 FROM people WHERE id = NEW.person_id AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = NEW.person_id AND e.ended_at IS NULL AND pr.active = 1)
  ) WHERE true
  ON CONFLICT (program_key, team_key) DO UPDATE SET people = people + excluded.people;
END;
--> statement-breakpoint
CREATE TRIGGER `people_enrolled_moving` BEFORE UPDATE OF team_id ON `people` WHEN NEW.team_id IS NOT OLD.team_id BEGIN
  UPDATE enrolled_people SET people = people - 1
   WHERE team_key = (SELECT coalesce(team_id, 0) FROM people WHERE id = OLD.id)
     AND (program_key IN (SELECT program_id FROM enrollments WHERE person_id = OLD.id AND ended_at IS NULL)
          OR (program_key = 0 AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = OLD.id AND e.ended_at IS NULL AND pr.active = 1)));
  DELETE FROM enrolled_people WHERE people = 0 AND team_key = (SELECT coalesce(team_id, 0) FROM people WHERE id = OLD.id);
END;
--> statement-breakpoint
CREATE TRIGGER `people_enrolled_moved` AFTER UPDATE OF team_id ON `people` WHEN NEW.team_id IS NOT OLD.team_id BEGIN
  INSERT INTO enrolled_people (team_key, program_key, people)
  SELECT * FROM (
    SELECT coalesce(p.team_id, 0), e.program_id, 1 FROM people p JOIN enrollments e ON e.person_id = p.id AND e.ended_at IS NULL WHERE p.id = NEW.id
    UNION ALL SELECT coalesce(team_id, 0), 0, 1 FROM people WHERE id = NEW.id AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = NEW.id AND e.ended_at IS NULL AND pr.active = 1)
  ) WHERE true
  ON CONFLICT (program_key, team_key) DO UPDATE SET people = people + excluded.people;
END;
--> statement-breakpoint
CREATE TRIGGER `people_enrolled_deleting` BEFORE DELETE ON `people` BEGIN
  UPDATE enrolled_people SET people = people - 1
   WHERE team_key = (SELECT coalesce(team_id, 0) FROM people WHERE id = OLD.id)
     AND (program_key IN (SELECT program_id FROM enrollments WHERE person_id = OLD.id AND ended_at IS NULL)
          OR (program_key = 0 AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = OLD.id AND e.ended_at IS NULL AND pr.active = 1)));
  DELETE FROM enrolled_people WHERE people = 0 AND team_key = (SELECT coalesce(team_id, 0) FROM people WHERE id = OLD.id);
END;
--> statement-breakpoint
CREATE TRIGGER `programs_enrolled_archiving` BEFORE UPDATE OF active ON `programs` WHEN NEW.active IS NOT OLD.active BEGIN
  UPDATE enrolled_people SET people = people - d.n FROM (SELECT coalesce(p.team_id, 0) AS k, count(*) AS n FROM enrollments en JOIN people p ON p.id = en.person_id
     WHERE en.program_id = OLD.id AND en.ended_at IS NULL AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = p.id AND e.ended_at IS NULL AND pr.active = 1) GROUP BY 1) AS d
   WHERE enrolled_people.program_key = 0 AND enrolled_people.team_key = d.k;
  DELETE FROM enrolled_people WHERE program_key = 0 AND people = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `programs_enrolled_archived` AFTER UPDATE OF active ON `programs` WHEN NEW.active IS NOT OLD.active BEGIN
  INSERT INTO enrolled_people (team_key, program_key, people)
  SELECT k, 0, n FROM (SELECT coalesce(p.team_id, 0) AS k, count(*) AS n FROM enrollments en JOIN people p ON p.id = en.person_id
     WHERE en.program_id = NEW.id AND en.ended_at IS NULL AND EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = p.id AND e.ended_at IS NULL AND pr.active = 1) GROUP BY 1) WHERE true
  ON CONFLICT (program_key, team_key) DO UPDATE SET people = people + excluded.people;
END;
--> statement-breakpoint
-- A program's enrollments leave while the program is still there to say whether it counted (the cascade would run after).
CREATE TRIGGER `programs_enrolled_deleting` BEFORE DELETE ON `programs` BEGIN
  DELETE FROM enrollments WHERE program_id = OLD.id;
END;
--> statement-breakpoint
INSERT INTO enrolled_people (team_key, program_key, people)
SELECT coalesce(p.team_id, 0), e.program_id, count(*) FROM enrollments e JOIN people p ON p.id = e.person_id WHERE e.ended_at IS NULL GROUP BY 1, 2
UNION ALL
SELECT coalesce(p.team_id, 0), 0, count(*) FROM people p WHERE EXISTS (SELECT 1 FROM enrollments e JOIN programs pr ON pr.id = e.program_id WHERE e.person_id = p.id AND e.ended_at IS NULL AND pr.active = 1) GROUP BY 1;
