ALTER TABLE `users` ADD `scope_level` text DEFAULT 'province' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `district` text;--> statement-breakpoint
ALTER TABLE `users` ADD `commune` text;--> statement-breakpoint
ALTER TABLE `stations` ADD `district` text;--> statement-breakpoint
ALTER TABLE `stations` ADD `commune` text;