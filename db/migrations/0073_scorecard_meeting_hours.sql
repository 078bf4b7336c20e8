-- The scorecard's current quarter runs up to now: its meetings of today up to now were read occurrence by
-- occurrence and matched to each of a page's teams, thousands of lookups on a working afternoon at 100,000 people.
--   scorecard_meeting_hours (team, hour): the counts of scorecard_meeting_days per UTC hour, so today up to now is
--   read from its whole hours, and only the part of the current hour occurrence by occurrence;
--   scorecard_meeting_team_sets (meeting): the meeting's teams in one value (4-byte big-endian ids), so each of
--   those occurrences is matched to a page's teams in one read.
-- Both are kept by the scorecard's commit step (src/scorecard/meetings.ts) with the tables they are built from here.
CREATE TABLE `scorecard_meeting_hours` (
	`team_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`started` integer NOT NULL,
	`started_held` integer NOT NULL,
	PRIMARY KEY(`team_id`, `hour`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `scorecard_meeting_team_sets` (
	`event_id` integer PRIMARY KEY NOT NULL,
	`teams` blob NOT NULL
);
--> statement-breakpoint
INSERT INTO `scorecard_meeting_hours` (`team_id`, `hour`, `started`, `started_held`)
SELECT t.team_id, o.hour, count(*), sum(o.held)
  FROM (SELECT event_id, held, CASE WHEN start >= 0 THEN start / 3600000 ELSE -((-start - 1) / 3600000) - 1 END AS hour FROM scorecard_meeting_occurrences) o
  JOIN scorecard_meeting_teams t ON t.event_id = o.event_id
 GROUP BY t.team_id, o.hour;
--> statement-breakpoint
INSERT INTO `scorecard_meeting_team_sets` (`event_id`, `teams`)
SELECT event_id, unhex(group_concat(printf('%08x', team_id), '' ORDER BY team_id)) FROM scorecard_meeting_teams GROUP BY event_id;
