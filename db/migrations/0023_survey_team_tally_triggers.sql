-- The By-team table, the overall and department cells and the trend read one row per team (survey_team_tallies) and per
-- department (survey_department_tallies) instead of summing every bucket of survey_tallies on each view. Both are kept
-- from survey_tallies and survey_participant_tallies by the triggers below, so they change in the same transaction as
-- the participant, response or answer that changed those (migration 0017), and are counted once here for rounds before.
-- "below" counts respondents whose own matched answers are under the shared-mindset threshold of 75% (matched/answers
-- < 3/4, in integers); test/surveys/tallies.test.ts checks it against the threshold the code uses.
CREATE TRIGGER `survey_tallies_groups_inserted` AFTER INSERT ON `survey_tallies` BEGIN
  INSERT INTO survey_team_tallies (round_id, department, team_key, participants, respondents, answers, matched, named1, named2, named3, below)
  VALUES (NEW.round_id, NEW.department, NEW.team_key, 0, NEW.respondents, NEW.answers * NEW.respondents, NEW.matched * NEW.respondents, (NEW.named >= 1) * NEW.respondents, (NEW.named >= 2) * NEW.respondents, (NEW.named >= 3) * NEW.respondents, (NEW.answers > 0 AND NEW.matched * 4 < NEW.answers * 3) * NEW.respondents)
  ON CONFLICT (round_id, department, team_key) DO UPDATE SET respondents = respondents + excluded.respondents, answers = answers + excluded.answers, matched = matched + excluded.matched, named1 = named1 + excluded.named1, named2 = named2 + excluded.named2, named3 = named3 + excluded.named3, below = below + excluded.below;
  INSERT INTO survey_department_tallies (round_id, department, participants, respondents, answers, matched, named1, named2, named3, below)
  VALUES (NEW.round_id, NEW.department, 0, NEW.respondents, NEW.answers * NEW.respondents, NEW.matched * NEW.respondents, (NEW.named >= 1) * NEW.respondents, (NEW.named >= 2) * NEW.respondents, (NEW.named >= 3) * NEW.respondents, (NEW.answers > 0 AND NEW.matched * 4 < NEW.answers * 3) * NEW.respondents)
  ON CONFLICT (round_id, department) DO UPDATE SET respondents = respondents + excluded.respondents, answers = answers + excluded.answers, matched = matched + excluded.matched, named1 = named1 + excluded.named1, named2 = named2 + excluded.named2, named3 = named3 + excluded.named3, below = below + excluded.below;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_tallies_groups_updated` AFTER UPDATE ON `survey_tallies` BEGIN
  INSERT INTO survey_team_tallies (round_id, department, team_key, participants, respondents, answers, matched, named1, named2, named3, below)
  VALUES (NEW.round_id, NEW.department, NEW.team_key, 0, NEW.respondents, NEW.answers * NEW.respondents, NEW.matched * NEW.respondents, (NEW.named >= 1) * NEW.respondents, (NEW.named >= 2) * NEW.respondents, (NEW.named >= 3) * NEW.respondents, (NEW.answers > 0 AND NEW.matched * 4 < NEW.answers * 3) * NEW.respondents)
  ON CONFLICT (round_id, department, team_key) DO UPDATE SET respondents = respondents + excluded.respondents, answers = answers + excluded.answers, matched = matched + excluded.matched, named1 = named1 + excluded.named1, named2 = named2 + excluded.named2, named3 = named3 + excluded.named3, below = below + excluded.below;
  UPDATE survey_team_tallies SET respondents = respondents - OLD.respondents, answers = answers - OLD.answers * OLD.respondents, matched = matched - OLD.matched * OLD.respondents, named1 = named1 - (OLD.named >= 1) * OLD.respondents, named2 = named2 - (OLD.named >= 2) * OLD.respondents, named3 = named3 - (OLD.named >= 3) * OLD.respondents, below = below - (OLD.answers > 0 AND OLD.matched * 4 < OLD.answers * 3) * OLD.respondents
   WHERE round_id = OLD.round_id AND department = OLD.department AND team_key = OLD.team_key;
  DELETE FROM survey_team_tallies WHERE round_id = OLD.round_id AND department = OLD.department AND team_key = OLD.team_key AND participants = 0 AND respondents = 0;
  INSERT INTO survey_department_tallies (round_id, department, participants, respondents, answers, matched, named1, named2, named3, below)
  VALUES (NEW.round_id, NEW.department, 0, NEW.respondents, NEW.answers * NEW.respondents, NEW.matched * NEW.respondents, (NEW.named >= 1) * NEW.respondents, (NEW.named >= 2) * NEW.respondents, (NEW.named >= 3) * NEW.respondents, (NEW.answers > 0 AND NEW.matched * 4 < NEW.answers * 3) * NEW.respondents)
  ON CONFLICT (round_id, department) DO UPDATE SET respondents = respondents + excluded.respondents, answers = answers + excluded.answers, matched = matched + excluded.matched, named1 = named1 + excluded.named1, named2 = named2 + excluded.named2, named3 = named3 + excluded.named3, below = below + excluded.below;
  UPDATE survey_department_tallies SET respondents = respondents - OLD.respondents, answers = answers - OLD.answers * OLD.respondents, matched = matched - OLD.matched * OLD.respondents, named1 = named1 - (OLD.named >= 1) * OLD.respondents, named2 = named2 - (OLD.named >= 2) * OLD.respondents, named3 = named3 - (OLD.named >= 3) * OLD.respondents, below = below - (OLD.answers > 0 AND OLD.matched * 4 < OLD.answers * 3) * OLD.respondents
   WHERE round_id = OLD.round_id AND department = OLD.department;
  DELETE FROM survey_department_tallies WHERE round_id = OLD.round_id AND department = OLD.department AND participants = 0 AND respondents = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_tallies_groups_deleted` AFTER DELETE ON `survey_tallies` BEGIN
  UPDATE survey_team_tallies SET respondents = respondents - OLD.respondents, answers = answers - OLD.answers * OLD.respondents, matched = matched - OLD.matched * OLD.respondents, named1 = named1 - (OLD.named >= 1) * OLD.respondents, named2 = named2 - (OLD.named >= 2) * OLD.respondents, named3 = named3 - (OLD.named >= 3) * OLD.respondents, below = below - (OLD.answers > 0 AND OLD.matched * 4 < OLD.answers * 3) * OLD.respondents
   WHERE round_id = OLD.round_id AND department = OLD.department AND team_key = OLD.team_key;
  DELETE FROM survey_team_tallies WHERE round_id = OLD.round_id AND department = OLD.department AND team_key = OLD.team_key AND participants = 0 AND respondents = 0;
  UPDATE survey_department_tallies SET respondents = respondents - OLD.respondents, answers = answers - OLD.answers * OLD.respondents, matched = matched - OLD.matched * OLD.respondents, named1 = named1 - (OLD.named >= 1) * OLD.respondents, named2 = named2 - (OLD.named >= 2) * OLD.respondents, named3 = named3 - (OLD.named >= 3) * OLD.respondents, below = below - (OLD.answers > 0 AND OLD.matched * 4 < OLD.answers * 3) * OLD.respondents
   WHERE round_id = OLD.round_id AND department = OLD.department;
  DELETE FROM survey_department_tallies WHERE round_id = OLD.round_id AND department = OLD.department AND participants = 0 AND respondents = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_participant_tallies_groups_inserted` AFTER INSERT ON `survey_participant_tallies` BEGIN
  INSERT INTO survey_team_tallies (round_id, department, team_key, participants, respondents, answers, matched, named1, named2, named3, below)
  VALUES (NEW.round_id, NEW.department, NEW.team_key, NEW.participants, 0, 0, 0, 0, 0, 0, 0)
  ON CONFLICT (round_id, department, team_key) DO UPDATE SET participants = participants + excluded.participants;
  INSERT INTO survey_department_tallies (round_id, department, participants, respondents, answers, matched, named1, named2, named3, below)
  VALUES (NEW.round_id, NEW.department, NEW.participants, 0, 0, 0, 0, 0, 0, 0)
  ON CONFLICT (round_id, department) DO UPDATE SET participants = participants + excluded.participants;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_participant_tallies_groups_updated` AFTER UPDATE ON `survey_participant_tallies` BEGIN
  INSERT INTO survey_team_tallies (round_id, department, team_key, participants, respondents, answers, matched, named1, named2, named3, below)
  VALUES (NEW.round_id, NEW.department, NEW.team_key, NEW.participants, 0, 0, 0, 0, 0, 0, 0)
  ON CONFLICT (round_id, department, team_key) DO UPDATE SET participants = participants + excluded.participants;
  UPDATE survey_team_tallies SET participants = participants - OLD.participants
   WHERE round_id = OLD.round_id AND department = OLD.department AND team_key = OLD.team_key;
  DELETE FROM survey_team_tallies WHERE round_id = OLD.round_id AND department = OLD.department AND team_key = OLD.team_key AND participants = 0 AND respondents = 0;
  INSERT INTO survey_department_tallies (round_id, department, participants, respondents, answers, matched, named1, named2, named3, below)
  VALUES (NEW.round_id, NEW.department, NEW.participants, 0, 0, 0, 0, 0, 0, 0)
  ON CONFLICT (round_id, department) DO UPDATE SET participants = participants + excluded.participants;
  UPDATE survey_department_tallies SET participants = participants - OLD.participants
   WHERE round_id = OLD.round_id AND department = OLD.department;
  DELETE FROM survey_department_tallies WHERE round_id = OLD.round_id AND department = OLD.department AND participants = 0 AND respondents = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_participant_tallies_groups_deleted` AFTER DELETE ON `survey_participant_tallies` BEGIN
  UPDATE survey_team_tallies SET participants = participants - OLD.participants
   WHERE round_id = OLD.round_id AND department = OLD.department AND team_key = OLD.team_key;
  DELETE FROM survey_team_tallies WHERE round_id = OLD.round_id AND department = OLD.department AND team_key = OLD.team_key AND participants = 0 AND respondents = 0;
  UPDATE survey_department_tallies SET participants = participants - OLD.participants
   WHERE round_id = OLD.round_id AND department = OLD.department;
  DELETE FROM survey_department_tallies WHERE round_id = OLD.round_id AND department = OLD.department AND participants = 0 AND respondents = 0;
END;
--> statement-breakpoint
INSERT INTO survey_team_tallies (round_id, department, team_key, participants, respondents, answers, matched, named1, named2, named3, below)
SELECT round_id, department, team_key, sum(participants), sum(respondents), sum(answers), sum(matched), sum(named1), sum(named2), sum(named3), sum(below) FROM (
  SELECT p.round_id, p.department, p.team_key, p.participants AS participants, 0 AS respondents, 0 AS answers, 0 AS matched, 0 AS named1, 0 AS named2, 0 AS named3, 0 AS below FROM survey_participant_tallies p
  UNION ALL
  SELECT t.round_id, t.department, t.team_key, 0 AS participants, t.respondents AS respondents, t.answers * t.respondents AS answers, t.matched * t.respondents AS matched, (t.named >= 1) * t.respondents AS named1, (t.named >= 2) * t.respondents AS named2, (t.named >= 3) * t.respondents AS named3, (t.answers > 0 AND t.matched * 4 < t.answers * 3) * t.respondents AS below FROM survey_tallies t)
GROUP BY round_id, department, team_key;
--> statement-breakpoint
INSERT INTO survey_department_tallies (round_id, department, participants, respondents, answers, matched, named1, named2, named3, below)
SELECT round_id, department, sum(participants), sum(respondents), sum(answers), sum(matched), sum(named1), sum(named2), sum(named3), sum(below) FROM (
  SELECT p.round_id, p.department, p.participants AS participants, 0 AS respondents, 0 AS answers, 0 AS matched, 0 AS named1, 0 AS named2, 0 AS named3, 0 AS below FROM survey_participant_tallies p
  UNION ALL
  SELECT t.round_id, t.department, 0 AS participants, t.respondents AS respondents, t.answers * t.respondents AS answers, t.matched * t.respondents AS matched, (t.named >= 1) * t.respondents AS named1, (t.named >= 2) * t.respondents AS named2, (t.named >= 3) * t.respondents AS named3, (t.answers > 0 AND t.matched * 4 < t.answers * 3) * t.respondents AS below FROM survey_tallies t)
GROUP BY round_id, department;
