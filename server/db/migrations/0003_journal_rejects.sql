CREATE TABLE `journal_rejects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`station_id` text NOT NULL,
	`seq` integer,
	`received_at` integer NOT NULL,
	`message` text NOT NULL,
	`record` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `journal_rejects_station_idx` ON `journal_rejects` (`station_id`,`seq`);