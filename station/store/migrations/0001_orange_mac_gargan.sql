CREATE INDEX `passes_plate_key` ON `passes` (replace(replace("plate", '-', ''), '.', ''));--> statement-breakpoint
CREATE INDEX `passes_next_plate_key` ON `passes_next` (replace(replace("plate", '-', ''), '.', ''));
