CREATE TABLE `notice_cursor` (
	`id` integer PRIMARY KEY NOT NULL,
	`journal_rowid` integer NOT NULL,
	`alert_id` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notices` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`province` integer NOT NULL,
	`station_id` text,
	`checkpoint_id` integer,
	`message_vi` text NOT NULL,
	`message` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notices_key_unique` ON `notices` (`key`);