CREATE TABLE `documents` (
	`name` text PRIMARY KEY NOT NULL,
	`document` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `journal` (
	`seq` integer PRIMARY KEY NOT NULL,
	`station_id` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	`at` integer NOT NULL,
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
	`policy_version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `open_crossings` (
	`lane` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`closes_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY NOT NULL,
	FOREIGN KEY (`seq`) REFERENCES `journal`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `passes` (
	`pass_id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`plate` text NOT NULL,
	`company` text,
	`goods` integer NOT NULL,
	`crew` text NOT NULL,
	`valid_from` integer NOT NULL,
	`valid_to` integer,
	`route_checkpoints` text NOT NULL,
	`route_provinces` text NOT NULL,
	`direction` text NOT NULL,
	`issuing_province` integer NOT NULL,
	`origin_zone` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `passes_next` (
	`pass_id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`plate` text NOT NULL,
	`company` text,
	`goods` integer NOT NULL,
	`crew` text NOT NULL,
	`valid_from` integer NOT NULL,
	`valid_to` integer,
	`route_checkpoints` text NOT NULL,
	`route_provinces` text NOT NULL,
	`direction` text NOT NULL,
	`issuing_province` integer NOT NULL,
	`origin_zone` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `people` (
	`citizen_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`declared_at` integer,
	`origin_zone` text,
	`test` text,
	`doses` integer NOT NULL,
	`status` text NOT NULL,
	`status_as_of` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `people_next` (
	`citizen_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`declared_at` integer,
	`origin_zone` text,
	`test` text,
	`doses` integer NOT NULL,
	`status` text NOT NULL,
	`status_as_of` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `presence` (
	`key` text PRIMARY KEY NOT NULL,
	`since` integer NOT NULL,
	`crossing_id` text
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`cursor` integer,
	`synced_at` integer
);
--> statement-breakpoint
CREATE TABLE `zones` (
	`zone` text PRIMARY KEY NOT NULL,
	`level` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `zones_next` (
	`zone` text PRIMARY KEY NOT NULL,
	`level` integer NOT NULL
);
