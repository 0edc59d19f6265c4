CREATE TABLE `heartbeat_minutes` (
	`station_id` text NOT NULL,
	`minute` integer NOT NULL,
	PRIMARY KEY(`station_id`, `minute`)
);
