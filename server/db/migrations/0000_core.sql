CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`province` integer NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_uq` ON `users` (lower("username"));--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_user_idx` ON `api_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `station_alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`station_id` text,
	`kind` text NOT NULL,
	`seq` integer,
	`pass_id` integer,
	`message` text NOT NULL,
	`details` text,
	`created_at` integer NOT NULL,
	`acknowledged_at` integer,
	`acknowledged_by` integer
);
--> statement-breakpoint
CREATE INDEX `station_alerts_station_idx` ON `station_alerts` (`station_id`,`kind`);--> statement-breakpoint
CREATE INDEX `station_alerts_created_idx` ON `station_alerts` (`created_at`);--> statement-breakpoint
CREATE TABLE `stations` (
	`station_id` text PRIMARY KEY NOT NULL,
	`checkpoint_id` integer NOT NULL,
	`name` text NOT NULL,
	`province` integer NOT NULL,
	`lanes` text NOT NULL,
	`secret_hash` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`acked_seq` integer DEFAULT 0 NOT NULL,
	`last_heartbeat_at` integer,
	`heartbeat` text,
	`clock_skew_ms` integer
);
--> statement-breakpoint
CREATE TABLE `journal` (
	`station_id` text NOT NULL,
	`seq` integer NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	`at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`checkpoint_id` integer NOT NULL,
	`province` integer NOT NULL,
	`kind` text NOT NULL,
	`lane` text NOT NULL,
	`direction` text NOT NULL,
	`scanner_id` text,
	`crossing_id` text,
	`verdict` text NOT NULL,
	`reasons` text NOT NULL,
	`code_kind` text NOT NULL,
	`pass_id` integer,
	`pass_version` integer,
	`plate` text,
	`citizen_id` text,
	`payload_hash` text,
	`officer` text,
	`note` text,
	`policy_version` integer NOT NULL,
	`hash_ok` integer NOT NULL,
	`purged_at` integer,
	PRIMARY KEY(`station_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `journal_at_idx` ON `journal` (`at`);--> statement-breakpoint
CREATE INDEX `journal_plate_idx` ON `journal` (`plate`,`at`);--> statement-breakpoint
CREATE INDEX `journal_citizen_idx` ON `journal` (`citizen_id`,`at`);--> statement-breakpoint
CREATE INDEX `journal_pass_idx` ON `journal` (`pass_id`,`at`);--> statement-breakpoint
CREATE INDEX `journal_crossing_idx` ON `journal` (`crossing_id`);--> statement-breakpoint
CREATE INDEX `journal_checkpoint_idx` ON `journal` (`checkpoint_id`,`at`);--> statement-breakpoint
CREATE TABLE `journal_conflicts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`station_id` text NOT NULL,
	`seq` integer NOT NULL,
	`received_at` integer NOT NULL,
	`record` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `journal_conflicts_station_idx` ON `journal_conflicts` (`station_id`,`seq`);--> statement-breakpoint
CREATE TABLE `access_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` integer,
	`username` text NOT NULL,
	`role` text NOT NULL,
	`action` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text,
	`method` text NOT NULL,
	`url` text NOT NULL,
	`ip` text
);
--> statement-breakpoint
CREATE INDEX `access_log_at_idx` ON `access_log` (`at`);--> statement-breakpoint
CREATE INDEX `access_log_user_idx` ON `access_log` (`user_id`,`at`);