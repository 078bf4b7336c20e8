-- Survey results read kept counts instead of every answer: the triggers below keep survey_tallies (respondents per
-- department, team and what their answers came to), survey_recall_tallies (respondents per advantage named),
-- survey_unmatched_tallies (answers not matched per text) and survey_participant_tallies (who is asked per team)
-- in step with every write to participants, responses and answers, in the same transaction.
-- A respondent's bucket depends on all their answers: BEFORE a change their bucket is left, AFTER it entered again.
CREATE TRIGGER `survey_responses_tally_inserted` AFTER INSERT ON `survey_responses` BEGIN
  INSERT INTO survey_tallies (round_id, department, team_key, answers, matched, named, respondents)
  SELECT *, 1 FROM (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = NEW.id GROUP BY r.id) WHERE true
  ON CONFLICT (round_id, department, team_key, answers, matched, named) DO UPDATE SET respondents = respondents + 1;
  INSERT INTO survey_recall_tallies (round_id, department, advantage_key, respondents)
  SELECT r.round_id, r.department, k.advantage_key, 1 FROM survey_responses r
    JOIN (SELECT DISTINCT advantage_key FROM survey_answers WHERE response_id = NEW.id AND status = 'matched' AND advantage_key IS NOT NULL) k
   WHERE r.id = NEW.id
  ON CONFLICT (round_id, department, advantage_key) DO UPDATE SET respondents = respondents + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_responses_tally_deleting` BEFORE DELETE ON `survey_responses` BEGIN
  UPDATE survey_tallies SET respondents = respondents - 1
   WHERE (round_id, department, team_key, answers, matched, named) = (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = OLD.id GROUP BY r.id);
  DELETE FROM survey_tallies WHERE respondents = 0
   AND (round_id, department, team_key) = (SELECT round_id, department, coalesce(team_id, 0) FROM survey_responses WHERE id = OLD.id);
  UPDATE survey_recall_tallies SET respondents = respondents - 1
   WHERE (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = OLD.id)
     AND advantage_key IN (SELECT advantage_key FROM survey_answers WHERE response_id = OLD.id AND status = 'matched' AND advantage_key IS NOT NULL);
  DELETE FROM survey_recall_tallies WHERE respondents = 0
   AND (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = OLD.id);
END;
--> statement-breakpoint
CREATE TRIGGER `survey_responses_tally_updating` BEFORE UPDATE OF round_id, department, team_id ON `survey_responses` BEGIN
  UPDATE survey_tallies SET respondents = respondents - 1
   WHERE (round_id, department, team_key, answers, matched, named) = (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = OLD.id GROUP BY r.id);
  DELETE FROM survey_tallies WHERE respondents = 0
   AND (round_id, department, team_key) = (SELECT round_id, department, coalesce(team_id, 0) FROM survey_responses WHERE id = OLD.id);
  UPDATE survey_recall_tallies SET respondents = respondents - 1
   WHERE (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = OLD.id)
     AND advantage_key IN (SELECT advantage_key FROM survey_answers WHERE response_id = OLD.id AND status = 'matched' AND advantage_key IS NOT NULL);
  DELETE FROM survey_recall_tallies WHERE respondents = 0
   AND (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = OLD.id);
END;
--> statement-breakpoint
CREATE TRIGGER `survey_responses_tally_updated` AFTER UPDATE OF round_id, department, team_id ON `survey_responses` BEGIN
  INSERT INTO survey_tallies (round_id, department, team_key, answers, matched, named, respondents)
  SELECT *, 1 FROM (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = NEW.id GROUP BY r.id) WHERE true
  ON CONFLICT (round_id, department, team_key, answers, matched, named) DO UPDATE SET respondents = respondents + 1;
  INSERT INTO survey_recall_tallies (round_id, department, advantage_key, respondents)
  SELECT r.round_id, r.department, k.advantage_key, 1 FROM survey_responses r
    JOIN (SELECT DISTINCT advantage_key FROM survey_answers WHERE response_id = NEW.id AND status = 'matched' AND advantage_key IS NOT NULL) k
   WHERE r.id = NEW.id
  ON CONFLICT (round_id, department, advantage_key) DO UPDATE SET respondents = respondents + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_answers_tally_inserting` BEFORE INSERT ON `survey_answers` BEGIN
  UPDATE survey_tallies SET respondents = respondents - 1
   WHERE (round_id, department, team_key, answers, matched, named) = (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = NEW.response_id GROUP BY r.id);
  DELETE FROM survey_tallies WHERE respondents = 0
   AND (round_id, department, team_key) = (SELECT round_id, department, coalesce(team_id, 0) FROM survey_responses WHERE id = NEW.response_id);
  UPDATE survey_recall_tallies SET respondents = respondents - 1
   WHERE (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = NEW.response_id)
     AND advantage_key IN (SELECT advantage_key FROM survey_answers WHERE response_id = NEW.response_id AND status = 'matched' AND advantage_key IS NOT NULL);
  DELETE FROM survey_recall_tallies WHERE respondents = 0
   AND (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = NEW.response_id);
END;
--> statement-breakpoint
CREATE TRIGGER `survey_answers_tally_inserted` AFTER INSERT ON `survey_answers` BEGIN
  INSERT INTO survey_tallies (round_id, department, team_key, answers, matched, named, respondents)
  SELECT *, 1 FROM (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = NEW.response_id GROUP BY r.id) WHERE true
  ON CONFLICT (round_id, department, team_key, answers, matched, named) DO UPDATE SET respondents = respondents + 1;
  INSERT INTO survey_recall_tallies (round_id, department, advantage_key, respondents)
  SELECT r.round_id, r.department, k.advantage_key, 1 FROM survey_responses r
    JOIN (SELECT DISTINCT advantage_key FROM survey_answers WHERE response_id = NEW.response_id AND status = 'matched' AND advantage_key IS NOT NULL) k
   WHERE r.id = NEW.response_id
  ON CONFLICT (round_id, department, advantage_key) DO UPDATE SET respondents = respondents + 1;
  INSERT INTO survey_unmatched_tallies (round_id, normalised, department, answers, unassigned)
  SELECT NEW.round_id, NEW.normalised, NEW.department, 1, NEW.assigned_by_id IS NULL WHERE NEW.status <> 'matched'
  ON CONFLICT (round_id, normalised, department) DO UPDATE SET answers = answers + 1, unassigned = unassigned + excluded.unassigned;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_answers_tally_deleting` BEFORE DELETE ON `survey_answers` BEGIN
  UPDATE survey_tallies SET respondents = respondents - 1
   WHERE (round_id, department, team_key, answers, matched, named) = (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = OLD.response_id GROUP BY r.id);
  DELETE FROM survey_tallies WHERE respondents = 0
   AND (round_id, department, team_key) = (SELECT round_id, department, coalesce(team_id, 0) FROM survey_responses WHERE id = OLD.response_id);
  UPDATE survey_recall_tallies SET respondents = respondents - 1
   WHERE (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = OLD.response_id)
     AND advantage_key IN (SELECT advantage_key FROM survey_answers WHERE response_id = OLD.response_id AND status = 'matched' AND advantage_key IS NOT NULL);
  DELETE FROM survey_recall_tallies WHERE respondents = 0
   AND (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = OLD.response_id);
END;
--> statement-breakpoint
CREATE TRIGGER `survey_answers_tally_deleted` AFTER DELETE ON `survey_answers` BEGIN
  INSERT INTO survey_tallies (round_id, department, team_key, answers, matched, named, respondents)
  SELECT *, 1 FROM (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = OLD.response_id GROUP BY r.id) WHERE true
  ON CONFLICT (round_id, department, team_key, answers, matched, named) DO UPDATE SET respondents = respondents + 1;
  INSERT INTO survey_recall_tallies (round_id, department, advantage_key, respondents)
  SELECT r.round_id, r.department, k.advantage_key, 1 FROM survey_responses r
    JOIN (SELECT DISTINCT advantage_key FROM survey_answers WHERE response_id = OLD.response_id AND status = 'matched' AND advantage_key IS NOT NULL) k
   WHERE r.id = OLD.response_id
  ON CONFLICT (round_id, department, advantage_key) DO UPDATE SET respondents = respondents + 1;
  UPDATE survey_unmatched_tallies SET answers = answers - 1, unassigned = unassigned - (OLD.assigned_by_id IS NULL)
   WHERE OLD.status <> 'matched' AND round_id = OLD.round_id AND normalised = OLD.normalised AND department = OLD.department;
  DELETE FROM survey_unmatched_tallies WHERE answers = 0 AND round_id = OLD.round_id AND normalised = OLD.normalised AND department = OLD.department;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_answers_tally_updating` BEFORE UPDATE OF response_id, round_id, status, advantage_key, normalised, department, assigned_by_id ON `survey_answers` WHEN NEW.response_id <> OLD.response_id BEGIN
  UPDATE survey_tallies SET respondents = respondents - 1
   WHERE (round_id, department, team_key, answers, matched, named) = (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = OLD.response_id GROUP BY r.id);
  DELETE FROM survey_tallies WHERE respondents = 0
   AND (round_id, department, team_key) = (SELECT round_id, department, coalesce(team_id, 0) FROM survey_responses WHERE id = OLD.response_id);
  UPDATE survey_recall_tallies SET respondents = respondents - 1
   WHERE (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = OLD.response_id)
     AND advantage_key IN (SELECT advantage_key FROM survey_answers WHERE response_id = OLD.response_id AND status = 'matched' AND advantage_key IS NOT NULL);
  DELETE FROM survey_recall_tallies WHERE respondents = 0
   AND (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = OLD.response_id);
  UPDATE survey_tallies SET respondents = respondents - 1
   WHERE (round_id, department, team_key, answers, matched, named) = (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = NEW.response_id GROUP BY r.id);
  DELETE FROM survey_tallies WHERE respondents = 0
   AND (round_id, department, team_key) = (SELECT round_id, department, coalesce(team_id, 0) FROM survey_responses WHERE id = NEW.response_id);
  UPDATE survey_recall_tallies SET respondents = respondents - 1
   WHERE (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = NEW.response_id)
     AND advantage_key IN (SELECT advantage_key FROM survey_answers WHERE response_id = NEW.response_id AND status = 'matched' AND advantage_key IS NOT NULL);
  DELETE FROM survey_recall_tallies WHERE respondents = 0
   AND (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = NEW.response_id);
END;
--> statement-breakpoint
CREATE TRIGGER `survey_answers_tally_updating_one` BEFORE UPDATE OF response_id, round_id, status, advantage_key, normalised, department, assigned_by_id ON `survey_answers` WHEN NEW.response_id = OLD.response_id BEGIN
  UPDATE survey_tallies SET respondents = respondents - 1
   WHERE (round_id, department, team_key, answers, matched, named) = (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = OLD.response_id GROUP BY r.id);
  DELETE FROM survey_tallies WHERE respondents = 0
   AND (round_id, department, team_key) = (SELECT round_id, department, coalesce(team_id, 0) FROM survey_responses WHERE id = OLD.response_id);
  UPDATE survey_recall_tallies SET respondents = respondents - 1
   WHERE (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = OLD.response_id)
     AND advantage_key IN (SELECT advantage_key FROM survey_answers WHERE response_id = OLD.response_id AND status = 'matched' AND advantage_key IS NOT NULL);
  DELETE FROM survey_recall_tallies WHERE respondents = 0
   AND (round_id, department) = (SELECT round_id, department FROM survey_responses WHERE id = OLD.response_id);
END;
--> statement-breakpoint
CREATE TRIGGER `survey_answers_tally_updated` AFTER UPDATE OF response_id, round_id, status, advantage_key, normalised, department, assigned_by_id ON `survey_answers` WHEN NEW.response_id <> OLD.response_id BEGIN
  INSERT INTO survey_tallies (round_id, department, team_key, answers, matched, named, respondents)
  SELECT *, 1 FROM (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = OLD.response_id GROUP BY r.id) WHERE true
  ON CONFLICT (round_id, department, team_key, answers, matched, named) DO UPDATE SET respondents = respondents + 1;
  INSERT INTO survey_recall_tallies (round_id, department, advantage_key, respondents)
  SELECT r.round_id, r.department, k.advantage_key, 1 FROM survey_responses r
    JOIN (SELECT DISTINCT advantage_key FROM survey_answers WHERE response_id = OLD.response_id AND status = 'matched' AND advantage_key IS NOT NULL) k
   WHERE r.id = OLD.response_id
  ON CONFLICT (round_id, department, advantage_key) DO UPDATE SET respondents = respondents + 1;
  INSERT INTO survey_tallies (round_id, department, team_key, answers, matched, named, respondents)
  SELECT *, 1 FROM (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = NEW.response_id GROUP BY r.id) WHERE true
  ON CONFLICT (round_id, department, team_key, answers, matched, named) DO UPDATE SET respondents = respondents + 1;
  INSERT INTO survey_recall_tallies (round_id, department, advantage_key, respondents)
  SELECT r.round_id, r.department, k.advantage_key, 1 FROM survey_responses r
    JOIN (SELECT DISTINCT advantage_key FROM survey_answers WHERE response_id = NEW.response_id AND status = 'matched' AND advantage_key IS NOT NULL) k
   WHERE r.id = NEW.response_id
  ON CONFLICT (round_id, department, advantage_key) DO UPDATE SET respondents = respondents + 1;
  UPDATE survey_unmatched_tallies SET answers = answers - 1, unassigned = unassigned - (OLD.assigned_by_id IS NULL)
   WHERE OLD.status <> 'matched' AND round_id = OLD.round_id AND normalised = OLD.normalised AND department = OLD.department;
  DELETE FROM survey_unmatched_tallies WHERE answers = 0 AND round_id = OLD.round_id AND normalised = OLD.normalised AND department = OLD.department;
  INSERT INTO survey_unmatched_tallies (round_id, normalised, department, answers, unassigned)
  SELECT NEW.round_id, NEW.normalised, NEW.department, 1, NEW.assigned_by_id IS NULL WHERE NEW.status <> 'matched'
  ON CONFLICT (round_id, normalised, department) DO UPDATE SET answers = answers + 1, unassigned = unassigned + excluded.unassigned;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_answers_tally_updated_one` AFTER UPDATE OF response_id, round_id, status, advantage_key, normalised, department, assigned_by_id ON `survey_answers` WHEN NEW.response_id = OLD.response_id BEGIN
  INSERT INTO survey_tallies (round_id, department, team_key, answers, matched, named, respondents)
  SELECT *, 1 FROM (SELECT r.round_id, r.department, coalesce(r.team_id, 0), count(a.id), coalesce(sum(a.status = 'matched'), 0),
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END)
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id WHERE r.id = NEW.response_id GROUP BY r.id) WHERE true
  ON CONFLICT (round_id, department, team_key, answers, matched, named) DO UPDATE SET respondents = respondents + 1;
  INSERT INTO survey_recall_tallies (round_id, department, advantage_key, respondents)
  SELECT r.round_id, r.department, k.advantage_key, 1 FROM survey_responses r
    JOIN (SELECT DISTINCT advantage_key FROM survey_answers WHERE response_id = NEW.response_id AND status = 'matched' AND advantage_key IS NOT NULL) k
   WHERE r.id = NEW.response_id
  ON CONFLICT (round_id, department, advantage_key) DO UPDATE SET respondents = respondents + 1;
  UPDATE survey_unmatched_tallies SET answers = answers - 1, unassigned = unassigned - (OLD.assigned_by_id IS NULL)
   WHERE OLD.status <> 'matched' AND round_id = OLD.round_id AND normalised = OLD.normalised AND department = OLD.department;
  DELETE FROM survey_unmatched_tallies WHERE answers = 0 AND round_id = OLD.round_id AND normalised = OLD.normalised AND department = OLD.department;
  INSERT INTO survey_unmatched_tallies (round_id, normalised, department, answers, unassigned)
  SELECT NEW.round_id, NEW.normalised, NEW.department, 1, NEW.assigned_by_id IS NULL WHERE NEW.status <> 'matched'
  ON CONFLICT (round_id, normalised, department) DO UPDATE SET answers = answers + 1, unassigned = unassigned + excluded.unassigned;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_participants_tally_inserted` AFTER INSERT ON `survey_participants` BEGIN
  INSERT INTO survey_participant_tallies (round_id, department, team_key, participants)
  VALUES (NEW.round_id, NEW.department, coalesce(NEW.team_id, 0), 1)
  ON CONFLICT (round_id, department, team_key) DO UPDATE SET participants = participants + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_participants_tally_deleted` AFTER DELETE ON `survey_participants` BEGIN
  UPDATE survey_participant_tallies SET participants = participants - 1
   WHERE round_id = OLD.round_id AND department = OLD.department AND team_key = coalesce(OLD.team_id, 0);
  DELETE FROM survey_participant_tallies WHERE participants = 0 AND round_id = OLD.round_id AND department = OLD.department AND team_key = coalesce(OLD.team_id, 0);
END;
--> statement-breakpoint
CREATE TRIGGER `survey_participants_tally_updated` AFTER UPDATE OF round_id, department, team_id ON `survey_participants` BEGIN
  UPDATE survey_participant_tallies SET participants = participants - 1
   WHERE round_id = OLD.round_id AND department = OLD.department AND team_key = coalesce(OLD.team_id, 0);
  DELETE FROM survey_participant_tallies WHERE participants = 0 AND round_id = OLD.round_id AND department = OLD.department AND team_key = coalesce(OLD.team_id, 0);
  INSERT INTO survey_participant_tallies (round_id, department, team_key, participants)
  VALUES (NEW.round_id, NEW.department, coalesce(NEW.team_id, 0), 1)
  ON CONFLICT (round_id, department, team_key) DO UPDATE SET participants = participants + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_rounds_tally_deleted` AFTER DELETE ON `survey_rounds` BEGIN
  DELETE FROM survey_tallies WHERE round_id = OLD.id;
  DELETE FROM survey_recall_tallies WHERE round_id = OLD.id;
  DELETE FROM survey_unmatched_tallies WHERE round_id = OLD.id;
  DELETE FROM survey_participant_tallies WHERE round_id = OLD.id;
END;
--> statement-breakpoint
-- Rounds answered before this migration: counted once from their rows.
INSERT INTO survey_tallies (round_id, department, team_key, answers, matched, named, respondents)
SELECT round_id, department, team_key, answers, matched, named, count(*) FROM (
  SELECT r.round_id, r.department, coalesce(r.team_id, 0) AS team_key, count(a.id) AS answers, coalesce(sum(a.status = 'matched'), 0) AS matched,
         count(DISTINCT CASE WHEN a.status = 'matched' THEN a.advantage_key END) AS named
    FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id GROUP BY r.id)
GROUP BY round_id, department, team_key, answers, matched, named;
--> statement-breakpoint
INSERT INTO survey_recall_tallies (round_id, department, advantage_key, respondents)
SELECT round_id, department, advantage_key, count(*) FROM (
  SELECT DISTINCT r.id, r.round_id, r.department, a.advantage_key FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id
   WHERE a.status = 'matched' AND a.advantage_key IS NOT NULL)
GROUP BY round_id, department, advantage_key;
--> statement-breakpoint
INSERT INTO survey_unmatched_tallies (round_id, normalised, department, answers, unassigned)
SELECT round_id, normalised, department, count(*), sum(assigned_by_id IS NULL) FROM survey_answers WHERE status <> 'matched'
GROUP BY round_id, normalised, department;
--> statement-breakpoint
INSERT INTO survey_participant_tallies (round_id, department, team_key, participants)
SELECT round_id, department, coalesce(team_id, 0), count(*) FROM survey_participants GROUP BY round_id, department, coalesce(team_id, 0);
