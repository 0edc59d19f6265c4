ALTER TABLE `station_alerts` ADD `pass_province` integer;--> statement-breakpoint
ALTER TABLE `journal` ADD `pass_province` integer;--> statement-breakpoint
-- Records stored before the column: this server's pass ids were unique, so its own passes name their province.
UPDATE `journal` SET `pass_province` = (SELECT `issuing_province` FROM `passes` WHERE `passes`.`id` = `journal`.`pass_id`) WHERE `pass_id` IS NOT NULL;
