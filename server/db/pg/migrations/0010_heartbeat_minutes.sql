CREATE TABLE "heartbeat_minutes" (
	"station_id" text NOT NULL,
	"minute" bigint NOT NULL,
	CONSTRAINT "heartbeat_minutes_station_id_minute_pk" PRIMARY KEY("station_id","minute")
);
