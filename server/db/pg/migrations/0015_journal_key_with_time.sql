ALTER TABLE "journal" DROP CONSTRAINT "journal_station_id_seq_pk";--> statement-breakpoint
ALTER TABLE "journal" ADD CONSTRAINT "journal_station_id_seq_at_pk" PRIMARY KEY("station_id","seq","at");