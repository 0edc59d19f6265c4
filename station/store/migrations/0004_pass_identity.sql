-- A pass is (issuing province, pass id). Both tables are dropped before either index is created:
-- the snapshot swap renames tables, so an index name may sit on the twin table (see schema.ts).
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_passes` (
	`pass_id` integer NOT NULL,
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
	`origin_zone` text NOT NULL,
	PRIMARY KEY(`issuing_province`, `pass_id`)
);--> statement-breakpoint
INSERT INTO `__new_passes`("pass_id", "version", "status", "status_reason", "plate", "company", "goods", "crew", "valid_from", "valid_to", "route_checkpoints", "route_provinces", "direction", "issuing_province", "origin_zone") SELECT "pass_id", "version", "status", "status_reason", "plate", "company", "goods", "crew", "valid_from", "valid_to", "route_checkpoints", "route_provinces", "direction", "issuing_province", "origin_zone" FROM `passes`;--> statement-breakpoint
CREATE TABLE `__new_passes_next` (
	`pass_id` integer NOT NULL,
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
	`origin_zone` text NOT NULL,
	PRIMARY KEY(`issuing_province`, `pass_id`)
);--> statement-breakpoint
INSERT INTO `__new_passes_next`("pass_id", "version", "status", "status_reason", "plate", "company", "goods", "crew", "valid_from", "valid_to", "route_checkpoints", "route_provinces", "direction", "issuing_province", "origin_zone") SELECT "pass_id", "version", "status", "status_reason", "plate", "company", "goods", "crew", "valid_from", "valid_to", "route_checkpoints", "route_provinces", "direction", "issuing_province", "origin_zone" FROM `passes_next`;--> statement-breakpoint
DROP TABLE `passes`;--> statement-breakpoint
DROP TABLE `passes_next`;--> statement-breakpoint
ALTER TABLE `__new_passes` RENAME TO `passes`;--> statement-breakpoint
ALTER TABLE `__new_passes_next` RENAME TO `passes_next`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `passes_plate_key` ON `passes` (replace(replace("plate", '-', ''), '.', ''));--> statement-breakpoint
CREATE INDEX `passes_next_plate_key` ON `passes_next` (replace(replace("plate", '-', ''), '.', ''));--> statement-breakpoint
ALTER TABLE `journal` ADD `pass_province` integer;--> statement-breakpoint
-- Vehicles inside under the old key `pass:<id>` keep their presence: the old cache held one pass per id.
UPDATE `presence` SET `key` = 'pass:' || printf('%02d', p.issuing_province) || '-' || p.pass_id
  FROM `passes` p WHERE `presence`.`key` = 'pass:' || p.pass_id;
