CREATE TABLE `issuer_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`province` integer,
	`public_key` text NOT NULL,
	`valid_from` integer NOT NULL,
	`valid_to` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pass_crew` (
	`pass_id` integer NOT NULL,
	`citizen_id` text NOT NULL,
	PRIMARY KEY(`pass_id`, `citizen_id`),
	FOREIGN KEY (`pass_id`) REFERENCES `passes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pass_crew_citizen_idx` ON `pass_crew` (`citizen_id`);--> statement-breakpoint
CREATE TABLE `pass_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pass_id` integer NOT NULL,
	`version` integer NOT NULL,
	`action` text NOT NULL,
	`reason` text,
	`at` integer NOT NULL,
	`by` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `pass_events_pass_idx` ON `pass_events` (`pass_id`);--> statement-breakpoint
CREATE TABLE `passes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`plate` text NOT NULL,
	`company` text,
	`goods` integer NOT NULL,
	`crew` text NOT NULL,
	`origin_zone` text NOT NULL,
	`destination_zone` text NOT NULL,
	`route_checkpoints` text NOT NULL,
	`route_provinces` text NOT NULL,
	`permitted_stops` text,
	`valid_from` integer NOT NULL,
	`valid_to` integer,
	`direction` text NOT NULL,
	`max_stay_hours` integer NOT NULL,
	`issuing_province` integer NOT NULL,
	`issued_at` integer NOT NULL,
	`code` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	`item` text NOT NULL,
	`change_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `passes_plate_idx` ON `passes` (`plate`);--> statement-breakpoint
CREATE INDEX `passes_province_status_idx` ON `passes` (`issuing_province`,`status`);--> statement-breakpoint
CREATE TABLE `policies` (
	`version` integer PRIMARY KEY NOT NULL,
	`document` text NOT NULL,
	`published_at` integer NOT NULL,
	`published_by` text NOT NULL,
	`item` text NOT NULL,
	`change_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `trust_lists` (
	`version` integer PRIMARY KEY NOT NULL,
	`document` text NOT NULL,
	`issued_at` integer NOT NULL,
	`item` text NOT NULL,
	`change_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `zones` (
	`zone` text PRIMARY KEY NOT NULL,
	`level` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	`item` text NOT NULL,
	`change_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `people` (
	`citizen_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`phone` text,
	`declared_at` integer,
	`origin_zone` text,
	`test` text,
	`doses` integer NOT NULL,
	`status` text NOT NULL,
	`status_as_of` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	`item` text NOT NULL,
	`change_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity` text NOT NULL,
	`key` text NOT NULL,
	`item` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `changes_at_idx` ON `changes` (`at`);--> statement-breakpoint
CREATE TABLE `feed_meta` (
	`id` integer PRIMARY KEY NOT NULL,
	`compacted_through` integer NOT NULL
);
