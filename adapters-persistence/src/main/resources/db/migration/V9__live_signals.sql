-- Live streams (issue 10): the store tells every server process when timelines and logs change,
-- so open streams are pushed new rows instead of each polling the tables.
--
-- One NOTIFY per writing transaction, not per row: statement-level triggers, and PostgreSQL folds
-- identical notifications of one transaction into one. The payloads carry no data (listeners read
-- the rows, with the same visibility rule as any reader), only which job's logs changed.

CREATE FUNCTION jobplane_notify_timeline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jobplane_timeline', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER job_events_notify
    AFTER INSERT ON job_events
    FOR EACH STATEMENT EXECUTE FUNCTION jobplane_notify_timeline();

CREATE FUNCTION jobplane_notify_logs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    job uuid;
BEGIN
    FOR job IN SELECT DISTINCT job_id FROM new_lines LOOP
        PERFORM pg_notify('jobplane_logs', job::text);
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE TRIGGER job_logs_notify
    AFTER INSERT ON job_logs
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION jobplane_notify_logs();

-- Log follow moves a cursor over job_logs.id like the timeline feed over job_events.id, so it
-- needs the same rule (see V4): only lines whose writer is older than every running transaction.
-- The default is set after the column is added, so existing rows (NULL, long committed) are not
-- rewritten.
ALTER TABLE job_logs ADD COLUMN writer_xid xid8;
ALTER TABLE job_logs ALTER COLUMN writer_xid SET DEFAULT pg_current_xact_id();
