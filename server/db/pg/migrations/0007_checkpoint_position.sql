ALTER TABLE "stations" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "longitude" double precision;