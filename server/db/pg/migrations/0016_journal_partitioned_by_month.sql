-- The journal partitioned by the record's time (`at`, ms since epoch), one partition a month, so a
-- national journal of billions of rows is searched and retired a month at a time: searches with a time
-- range touch only their months, and old months are detached (journal_detach_months_before) to be
-- archived and dropped whole instead of deleted row by row. Rows outside every monthly partition (a
-- station with a wild clock) land in journal_default. journal_add_month_partitions creates months
-- ahead (the server calls it at start and daily) and moves any rows the default partition already
-- holds for a new month into it.
CREATE TEMP TABLE journal_index_defs ON COMMIT DROP AS
  SELECT indexname, indexdef FROM pg_indexes
  WHERE schemaname = current_schema() AND tablename = 'journal' AND indexname <> 'journal_station_id_seq_at_pk';
--> statement-breakpoint
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT indexname FROM journal_index_defs LOOP EXECUTE format('DROP INDEX %I', r.indexname); END LOOP;
END $$;
--> statement-breakpoint
ALTER TABLE journal DROP CONSTRAINT journal_station_id_seq_at_pk;
--> statement-breakpoint
ALTER TABLE journal RENAME TO journal_unpartitioned;
--> statement-breakpoint
CREATE TABLE journal (LIKE journal_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (at);
--> statement-breakpoint
ALTER TABLE journal ADD CONSTRAINT journal_station_id_seq_at_pk PRIMARY KEY (station_id, seq, at);
--> statement-breakpoint
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT indexdef FROM journal_index_defs LOOP EXECUTE r.indexdef; END LOOP;
END $$;
--> statement-breakpoint
CREATE TABLE journal_default PARTITION OF journal DEFAULT;
--> statement-breakpoint
INSERT INTO journal SELECT * FROM journal_unpartitioned;
--> statement-breakpoint
DROP TABLE journal_unpartitioned;
--> statement-breakpoint
-- Monthly partitions journal_yYYYYmMM for the `months` months from the one holding `from_ms` (UTC
-- months). Idempotent; returns how many it created.
CREATE FUNCTION journal_add_month_partitions(from_ms bigint, months integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  m timestamptz := date_trunc('month', to_timestamp(from_ms / 1000.0) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  lo bigint;
  hi bigint;
  name text;
  made integer := 0;
BEGIN
  FOR i IN 0 .. months - 1 LOOP
    lo := (extract(epoch FROM m) * 1000)::bigint;
    hi := (extract(epoch FROM m + interval '1 month') * 1000)::bigint;
    name := format('journal_y%sm%s', to_char(m AT TIME ZONE 'UTC', 'YYYY'), to_char(m AT TIME ZONE 'UTC', 'MM'));
    IF to_regclass(name) IS NULL THEN
      EXECUTE format('CREATE TABLE %I (LIKE journal INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
      EXECUTE format('WITH moved AS (DELETE FROM journal_default WHERE at >= %s AND at < %s RETURNING *) INSERT INTO %I SELECT * FROM moved', lo, hi, name);
      EXECUTE format('ALTER TABLE journal ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', name, lo, hi);
      made := made + 1;
    END IF;
    m := m + interval '1 month';
  END LOOP;
  RETURN made;
END $$;
--> statement-breakpoint
-- Detach (not drop) every monthly partition wholly before `before_ms`: the rows leave the journal
-- at once; an operator archives the detached tables (pg_dump -t) and drops them. Returns their names.
CREATE FUNCTION journal_detach_months_before(before_ms bigint) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'journal'::regclass AND c.relname ~ '^journal_y[0-9]{4}m[0-9]{2}$'
  LOOP
    IF (substring(r.bound FROM 'TO \(''?(-?[0-9]+)''?\)'))::bigint <= before_ms THEN
      EXECUTE format('ALTER TABLE journal DETACH PARTITION %I', r.relname);
      RETURN NEXT r.relname;
    END IF;
  END LOOP;
END $$;
--> statement-breakpoint
SELECT journal_add_month_partitions((extract(epoch FROM now()) * 1000)::bigint, 3);
