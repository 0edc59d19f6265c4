-- The station no longer holds the population: the people it knew become the national health-flag
-- list (only those flagged F0/F1 or with a positive test); the national list of passes that are not
-- ACTIVE starts from the passes it holds. Both lists WITHOUT ROWID: their key is the whole row.
CREATE TABLE `health_flags` (
	`citizen_id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`status_as_of` integer NOT NULL,
	`test_type` text,
	`test_sampled_at` integer
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `health_flags_next` (
	`citizen_id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`status_as_of` integer NOT NULL,
	`test_type` text,
	`test_sampled_at` integer
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `pass_status` (
	`issuing_province` integer NOT NULL,
	`pass_id` integer NOT NULL,
	`status` text NOT NULL,
	`since` integer NOT NULL,
	PRIMARY KEY(`issuing_province`, `pass_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `pass_status_next` (
	`issuing_province` integer NOT NULL,
	`pass_id` integer NOT NULL,
	`status` text NOT NULL,
	`since` integer NOT NULL,
	PRIMARY KEY(`issuing_province`, `pass_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `health_flags` SELECT `citizen_id`, `status`, `status_as_of`,
	CASE WHEN json_extract(`test`, '$.result') = 'POSITIVE' THEN json_extract(`test`, '$.type') END,
	CASE WHEN json_extract(`test`, '$.result') = 'POSITIVE' THEN json_extract(`test`, '$.sampledAt') END
	FROM `people` WHERE `status` <> 'NONE' OR json_extract(`test`, '$.result') = 'POSITIVE';--> statement-breakpoint
INSERT INTO `pass_status` SELECT `issuing_province`, `pass_id`, `status`, 0 FROM `passes` WHERE `status` <> 'ACTIVE';--> statement-breakpoint
DROP TABLE `people`;--> statement-breakpoint
DROP TABLE `people_next`;