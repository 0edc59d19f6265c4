CREATE TABLE `checkpoint_officers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`province` integer NOT NULL,
	`officer_id` text NOT NULL,
	`name` text NOT NULL,
	`pin_hash` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`rev` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkpoint_officers_uq` ON `checkpoint_officers` (`province`,`officer_id`);--> statement-breakpoint
CREATE INDEX `checkpoint_officers_rev` ON `checkpoint_officers` (`province`,`rev`);