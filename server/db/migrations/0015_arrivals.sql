CREATE TABLE `arrival_declarations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`citizen_id` text NOT NULL,
	`name` text NOT NULL,
	`phone` text,
	`origin_zone` text NOT NULL,
	`province` integer NOT NULL,
	`district` text NOT NULL,
	`commune` text NOT NULL,
	`address` text NOT NULL,
	`declared_at` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	`recorded_by` text NOT NULL,
	`outcome` text,
	`outcome_note` text,
	`outcome_by` text,
	`outcome_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `arrival_declarations_citizen` ON `arrival_declarations` (`citizen_id`);--> statement-breakpoint
CREATE INDEX `arrival_declarations_place` ON `arrival_declarations` (`province`,`district`,`commune`,`declared_at`);--> statement-breakpoint
CREATE TABLE `arrival_outcomes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`declaration_id` integer NOT NULL,
	`citizen_id` text NOT NULL,
	`outcome` text NOT NULL,
	`note` text,
	`by_user` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `arrival_outcomes_citizen` ON `arrival_outcomes` (`citizen_id`,`at`);