CREATE TABLE `upload_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`acked_seq` integer NOT NULL,
	`acked_at` integer
);
--> statement-breakpoint
DROP TABLE `outbox`;