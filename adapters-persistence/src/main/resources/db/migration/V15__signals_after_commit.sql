-- Issue 11: writers no longer NOTIFY inside their own transactions.
--
-- A transaction that has called pg_notify takes one database-wide lock at commit and holds it
-- until its commit record is flushed, so every notifying commit waited for the one before it and
-- the group commit PostgreSQL gives ordinary writers was lost: in bench/wrk/claim-complete.sql,
-- 16 clients spent most of their time in "Lock:object" on COMMIT (64 jobs claimed and completed
-- a second, against 1,600 tasks for db-scheduler's lock-and-fetch on the same database).
--
-- The V9/V11 triggers now only note what changed, in a transaction-local setting that dies with
-- the transaction (a rolled-back savepoint takes its notes with it). The server reads the notes
-- just before it commits (SignalingTransactionHandler) and, once the commit is durable, tells its
-- own listeners at once and the other server processes with one NOTIFY per batch of commits, sent
-- from a connection of its own (PostgresChangeSignals). Rows written by other clients (psql, a
-- script) are no longer signalled; a stream sees them at its next signal or resync.
--
-- Notes: space-separated, each at most once per transaction: 't' (a timeline gained events),
-- 'l:<job id>' (a job gained log lines), 'c:<queue>' (a queue gained claimable work). Queue
-- names are identifiers (no spaces), job ids UUIDs.

CREATE FUNCTION jobplane_signal(p_signal text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    pending text := coalesce(current_setting('jobplane.signals', true), '');
BEGIN
    IF pending = '' THEN
        PERFORM set_config('jobplane.signals', p_signal, true);
    ELSIF strpos(' ' || pending || ' ', ' ' || p_signal || ' ') = 0 THEN
        PERFORM set_config('jobplane.signals', pending || ' ' || p_signal, true);
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION jobplane_notify_timeline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM jobplane_signal('t');
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION jobplane_notify_logs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    job uuid;
BEGIN
    FOR job IN SELECT DISTINCT job_id FROM new_lines LOOP
        PERFORM jobplane_signal('l:' || job::text);
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION jobplane_notify_claimable_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    q text;
BEGIN
    FOR q IN SELECT DISTINCT queue FROM new_tasks WHERE status = 'QUEUED' AND job_claimable LOOP
        PERFORM jobplane_signal('c:' || q);
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION jobplane_notify_claimable_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM jobplane_signal('c:' || NEW.queue);
    RETURN NULL;
END;
$$;
