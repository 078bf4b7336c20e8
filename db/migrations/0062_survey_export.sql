CREATE INDEX `survey_answers_export_idx` ON `survey_answers` (`round_id`,`response_id`,`position`);--> statement-breakpoint
CREATE INDEX `survey_answers_anonymous_export_idx` ON `survey_answers` (`round_id`,`text`,`department`,`status`,ifnull("advantage_key", ''),`score_milli`,"assigned_by_id" IS NOT NULL);
