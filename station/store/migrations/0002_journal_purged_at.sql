ALTER TABLE `journal` ADD `purged_at` integer;--> statement-breakpoint
CREATE INDEX `journal_unpurged` ON `journal` (`seq`) WHERE "journal"."purged_at" IS NULL;