ALTER TABLE "users" ADD COLUMN "scope_level" text DEFAULT 'province' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "district" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "commune" text;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "district" text;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "commune" text;