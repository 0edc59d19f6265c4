DROP INDEX `journal_plate_idx`;--> statement-breakpoint
DROP INDEX `journal_citizen_idx`;--> statement-breakpoint
DROP INDEX `journal_pass_idx`;--> statement-breakpoint
DROP INDEX `journal_crossing_idx`;--> statement-breakpoint
DROP INDEX `journal_checkpoint_idx`;--> statement-breakpoint
CREATE INDEX `journal_plate_at_idx` ON `journal` (`plate`,`at`) WHERE "journal"."plate" is not null;--> statement-breakpoint
CREATE INDEX `journal_citizen_at_idx` ON `journal` (`citizen_id`,`at`) WHERE "journal"."citizen_id" is not null;--> statement-breakpoint
CREATE INDEX `journal_pass_at_idx` ON `journal` (`pass_id`,`at`) WHERE "journal"."pass_id" is not null;