-- HR's review queue of a round, kept: survey_review_groups (answers waiting for review per normalised text, with how
-- many are doubtful and the highest score and advantage among them), survey_review_texts (each group's texts as
-- written, counted) and survey_review_totals (a round's groups and answers waiting), kept by the triggers below in
-- the same transaction as every write to survey_answers. An answer waits for review while it is not matched and
-- nobody assigned it. Before, the queue counted every such answer of the round on every view.
CREATE TABLE `survey_review_groups` (
	`round_id` integer NOT NULL,
	`normalised` text NOT NULL,
	`answers` integer NOT NULL,
	`doubtful` integer NOT NULL,
	`score_milli` integer NOT NULL,
	`candidate_key` text,
	PRIMARY KEY(`round_id`, `normalised`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The queue's order (most answers, then highest score, then the text).
CREATE INDEX `survey_review_groups_order_idx` ON `survey_review_groups` (`round_id`,`answers` DESC,`score_milli` DESC,`normalised`);--> statement-breakpoint
CREATE TABLE `survey_review_texts` (
	`round_id` integer NOT NULL,
	`normalised` text NOT NULL,
	`text` text NOT NULL,
	`answers` integer NOT NULL,
	PRIMARY KEY(`round_id`, `normalised`, `text`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `survey_review_texts_order_idx` ON `survey_review_texts` (`round_id`,`normalised`,`answers` DESC,`text`);--> statement-breakpoint
CREATE TABLE `survey_review_totals` (
	`round_id` integer PRIMARY KEY NOT NULL,
	`groups` integer NOT NULL,
	`answers` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `survey_answers_review_score_idx` ON `survey_answers` (`round_id`,`normalised`,`score_milli`) WHERE "survey_answers"."status" <> 'matched' AND "survey_answers"."assigned_by_id" IS NULL;--> statement-breakpoint
CREATE INDEX `survey_answers_review_key_idx` ON `survey_answers` (`round_id`,`normalised`,`advantage_key`) WHERE "survey_answers"."status" <> 'matched' AND "survey_answers"."assigned_by_id" IS NULL;--> statement-breakpoint
INSERT INTO survey_review_groups (round_id, normalised, answers, doubtful, score_milli, candidate_key)
  SELECT round_id, normalised, count(*), sum(status = 'doubtful'), max(score_milli), max(advantage_key)
    FROM survey_answers WHERE status <> 'matched' AND assigned_by_id IS NULL GROUP BY round_id, normalised;
--> statement-breakpoint
INSERT INTO survey_review_texts (round_id, normalised, text, answers)
  SELECT round_id, normalised, text, count(*)
    FROM survey_answers WHERE status <> 'matched' AND assigned_by_id IS NULL GROUP BY round_id, normalised, text;
--> statement-breakpoint
INSERT INTO survey_review_totals (round_id, groups, answers)
  SELECT round_id, count(*), sum(answers) FROM survey_review_groups GROUP BY round_id;
--> statement-breakpoint
-- A round's totals follow its groups.
CREATE TRIGGER `survey_review_groups_inserted` AFTER INSERT ON `survey_review_groups` BEGIN
  INSERT INTO survey_review_totals (round_id, groups, answers) VALUES (NEW.round_id, 1, NEW.answers)
  ON CONFLICT (round_id) DO UPDATE SET groups = groups + 1, answers = answers + excluded.answers;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_review_groups_updated` AFTER UPDATE OF answers ON `survey_review_groups` BEGIN
  UPDATE survey_review_totals SET answers = answers + NEW.answers - OLD.answers WHERE round_id = NEW.round_id;
END;
--> statement-breakpoint
CREATE TRIGGER `survey_review_groups_deleted` AFTER DELETE ON `survey_review_groups` BEGIN
  UPDATE survey_review_totals SET groups = groups - 1, answers = answers - OLD.answers WHERE round_id = OLD.round_id;
  DELETE FROM survey_review_totals WHERE round_id = OLD.round_id AND groups = 0;
END;
--> statement-breakpoint
-- An answer that waits for review enters its group: counts up, the highest score and advantage kept.
CREATE TRIGGER `survey_answers_review_inserted` AFTER INSERT ON `survey_answers` WHEN NEW.status <> 'matched' AND NEW.assigned_by_id IS NULL BEGIN
  INSERT INTO survey_review_groups (round_id, normalised, answers, doubtful, score_milli, candidate_key)
  VALUES (NEW.round_id, NEW.normalised, 1, NEW.status = 'doubtful', NEW.score_milli, NEW.advantage_key)
  ON CONFLICT (round_id, normalised) DO UPDATE SET answers = answers + 1, doubtful = doubtful + excluded.doubtful,
    score_milli = max(score_milli, excluded.score_milli),
    candidate_key = CASE WHEN candidate_key IS NULL OR excluded.candidate_key > candidate_key THEN excluded.candidate_key ELSE candidate_key END;
  INSERT INTO survey_review_texts (round_id, normalised, text, answers) VALUES (NEW.round_id, NEW.normalised, NEW.text, 1)
  ON CONFLICT (round_id, normalised, text) DO UPDATE SET answers = answers + 1;
END;
--> statement-breakpoint
-- An answer that leaves its group: counts down, the highest score and advantage found again among the answers left
-- (survey_answers_review_score_idx and _key_idx, named so the planner takes them: one step each), the group gone with its last answer.
CREATE TRIGGER `survey_answers_review_deleted` AFTER DELETE ON `survey_answers` WHEN OLD.status <> 'matched' AND OLD.assigned_by_id IS NULL BEGIN
  UPDATE survey_review_groups SET answers = answers - 1, doubtful = doubtful - (OLD.status = 'doubtful'),
    score_milli = coalesce((SELECT max(a.score_milli) FROM survey_answers a INDEXED BY survey_answers_review_score_idx WHERE a.round_id = OLD.round_id AND a.normalised = OLD.normalised AND a.status <> 'matched' AND a.assigned_by_id IS NULL), 0),
    candidate_key = (SELECT max(a.advantage_key) FROM survey_answers a INDEXED BY survey_answers_review_key_idx WHERE a.round_id = OLD.round_id AND a.normalised = OLD.normalised AND a.status <> 'matched' AND a.assigned_by_id IS NULL)
   WHERE round_id = OLD.round_id AND normalised = OLD.normalised;
  DELETE FROM survey_review_groups WHERE round_id = OLD.round_id AND normalised = OLD.normalised AND answers = 0;
  UPDATE survey_review_texts SET answers = answers - 1 WHERE round_id = OLD.round_id AND normalised = OLD.normalised AND text = OLD.text;
  DELETE FROM survey_review_texts WHERE round_id = OLD.round_id AND normalised = OLD.normalised AND text = OLD.text AND answers = 0;
END;
--> statement-breakpoint
-- A changed answer (edited, re-scored, assigned) leaves the group it was waiting in and enters the one it waits in now.
-- Runs after the row changed, so the highest score and advantage are found among the answers as they are now.
CREATE TRIGGER `survey_answers_review_updated` AFTER UPDATE OF round_id, normalised, text, status, score_milli, advantage_key, assigned_by_id ON `survey_answers` BEGIN
  UPDATE survey_review_groups SET answers = answers - 1, doubtful = doubtful - (OLD.status = 'doubtful'),
    score_milli = coalesce((SELECT max(a.score_milli) FROM survey_answers a INDEXED BY survey_answers_review_score_idx WHERE a.round_id = OLD.round_id AND a.normalised = OLD.normalised AND a.status <> 'matched' AND a.assigned_by_id IS NULL), 0),
    candidate_key = (SELECT max(a.advantage_key) FROM survey_answers a INDEXED BY survey_answers_review_key_idx WHERE a.round_id = OLD.round_id AND a.normalised = OLD.normalised AND a.status <> 'matched' AND a.assigned_by_id IS NULL)
   WHERE OLD.status <> 'matched' AND OLD.assigned_by_id IS NULL AND round_id = OLD.round_id AND normalised = OLD.normalised;
  DELETE FROM survey_review_groups WHERE round_id = OLD.round_id AND normalised = OLD.normalised AND answers = 0;
  UPDATE survey_review_texts SET answers = answers - 1
   WHERE OLD.status <> 'matched' AND OLD.assigned_by_id IS NULL AND round_id = OLD.round_id AND normalised = OLD.normalised AND text = OLD.text;
  DELETE FROM survey_review_texts WHERE round_id = OLD.round_id AND normalised = OLD.normalised AND text = OLD.text AND answers = 0;
  INSERT INTO survey_review_groups (round_id, normalised, answers, doubtful, score_milli, candidate_key)
  SELECT NEW.round_id, NEW.normalised, 1, NEW.status = 'doubtful', NEW.score_milli, NEW.advantage_key WHERE NEW.status <> 'matched' AND NEW.assigned_by_id IS NULL
  ON CONFLICT (round_id, normalised) DO UPDATE SET answers = answers + 1, doubtful = doubtful + excluded.doubtful,
    score_milli = max(score_milli, excluded.score_milli),
    candidate_key = CASE WHEN candidate_key IS NULL OR excluded.candidate_key > candidate_key THEN excluded.candidate_key ELSE candidate_key END;
  INSERT INTO survey_review_texts (round_id, normalised, text, answers)
  SELECT NEW.round_id, NEW.normalised, NEW.text, 1 WHERE NEW.status <> 'matched' AND NEW.assigned_by_id IS NULL
  ON CONFLICT (round_id, normalised, text) DO UPDATE SET answers = answers + 1;
END;
