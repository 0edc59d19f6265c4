ALTER TABLE `stations` ADD `latitude` real;--> statement-breakpoint
ALTER TABLE `stations` ADD `longitude` real;