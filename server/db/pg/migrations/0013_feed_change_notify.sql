-- Wake the stations waiting on the feed's long-poll, on every server instance: each statement that
-- adds changes notifies channel feed_change, delivered when its transaction commits (and not at all
-- when it rolls back). PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION feed_change_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('feed_change', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER changes_notify AFTER INSERT ON changes FOR EACH STATEMENT EXECUTE FUNCTION feed_change_notify();
