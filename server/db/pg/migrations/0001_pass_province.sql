ALTER TABLE "station_alerts" ADD COLUMN "pass_province" bigint;--> statement-breakpoint
ALTER TABLE "journal" ADD COLUMN "pass_province" bigint;--> statement-breakpoint
UPDATE "journal" SET "pass_province" = (SELECT "issuing_province" FROM "passes" WHERE "passes"."id" = "journal"."pass_id") WHERE "pass_id" IS NOT NULL;
