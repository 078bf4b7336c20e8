-- enrolled_program_people: enrolled_people summed over teams per program key, kept by the triggers below in the same
-- transaction as every change to enrolled_people (itself kept by the triggers of 0021 on enrollments, people and
-- programs), so "everyone enrolled" is one row, whatever the number of teams.
CREATE TABLE `enrolled_program_people` (
	`program_key` integer PRIMARY KEY NOT NULL,
	`people` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `enrolled_program_people` (program_key, people)
  SELECT program_key, sum(people) FROM enrolled_people GROUP BY program_key;
--> statement-breakpoint
CREATE TRIGGER `enrolled_people_program_inserted` AFTER INSERT ON `enrolled_people` BEGIN
  INSERT INTO enrolled_program_people (program_key, people) VALUES (NEW.program_key, NEW.people)
  ON CONFLICT (program_key) DO UPDATE SET people = people + excluded.people;
END;
--> statement-breakpoint
CREATE TRIGGER `enrolled_people_program_updated` AFTER UPDATE OF people, program_key ON `enrolled_people` BEGIN
  UPDATE enrolled_program_people SET people = people - OLD.people WHERE program_key = OLD.program_key;
  INSERT INTO enrolled_program_people (program_key, people) VALUES (NEW.program_key, NEW.people)
  ON CONFLICT (program_key) DO UPDATE SET people = people + excluded.people;
END;
--> statement-breakpoint
CREATE TRIGGER `enrolled_people_program_deleted` AFTER DELETE ON `enrolled_people` BEGIN
  UPDATE enrolled_program_people SET people = people - OLD.people WHERE program_key = OLD.program_key;
END;
