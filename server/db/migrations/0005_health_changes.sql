CREATE TABLE `health_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`citizen_id` text NOT NULL,
	`kind` text NOT NULL,
	`change` text NOT NULL,
	`by_user` text NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `health_changes_person` ON `health_changes` (`citizen_id`,`at`);