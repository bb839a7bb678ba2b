-- Issue 11, push wake-up: the store tells every server process when a queue gains work, so a
-- parked (long-polling) claim is claimed again at once instead of every worker polling.
--
-- Payload: the queue name. One notification per writing transaction and queue: PostgreSQL folds
-- identical notifications of one transaction into one, and a NOTIFY costs its lock at commit once
-- per transaction whatever it sends (see V9). The transactions that notify here (submit, restart,
-- resume, a retry or an expired lease) already notify the timeline, so no commit takes that lock
-- that did not take it before.
--
-- "Gained work" is a task that becomes QUEUED in a job that lets it be claimed
-- (job_tasks.job_claimable, kept by the V8 triggers), including a retry that waits out a backoff:
-- the parked claims that hear of it find the end of the backoff (job_tasks_backoff_idx below) and
-- look again then, which nothing else would tell them.

CREATE FUNCTION jobplane_notify_claimable_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    q text;
BEGIN
    FOR q IN SELECT DISTINCT queue FROM new_tasks WHERE status = 'QUEUED' AND job_claimable LOOP
        PERFORM pg_notify('jobplane_claimable', q);
    END LOOP;
    RETURN NULL;
END;
$$;

-- Tasks of a new run (submit, restart): one statement-level trigger per insert statement.
CREATE TRIGGER job_tasks_notify_claimable_insert
    AFTER INSERT ON job_tasks
    REFERENCING NEW TABLE AS new_tasks
    FOR EACH STATEMENT EXECUTE FUNCTION jobplane_notify_claimable_inserted();

-- A task queued again (retry, expired lease) or a job that lets its queued tasks be claimed again
-- (resume, and a restart whose tasks were inserted before the job row moved). Row level on
-- purpose: an UPDATE trigger with transition tables may not name columns, so a statement trigger
-- would capture every row of every task update (each heartbeat and each claim) into transition
-- tables to find nothing; this one's WHEN clause is evaluated inline, without calling a function,
-- and is false for all of those.
CREATE FUNCTION jobplane_notify_claimable_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jobplane_claimable', NEW.queue);
    RETURN NULL;
END;
$$;

CREATE TRIGGER job_tasks_notify_claimable_update
    AFTER UPDATE OF status, job_claimable ON job_tasks
    FOR EACH ROW
    WHEN (NEW.status = 'QUEUED' AND NEW.job_claimable
          AND NOT (OLD.status = 'QUEUED' AND OLD.job_claimable))
    EXECUTE FUNCTION jobplane_notify_claimable_row();

-- When the earliest retry backoff of some queues ends (JdbiQueueBackoffs.NEXT_RETRY). Only a retry
-- puts available_at in the future (TaskState.requeue: attempt + 1, now + backoff), so the index
-- holds queued retries only: small, and untouched by submits and by first attempts. Should
-- anything else ever delay a task's first attempt, this predicate must widen with it. Built in the
-- migration's transaction like V8's: one read of job_tasks, keeping only the queued retries.
CREATE INDEX job_tasks_backoff_idx
    ON job_tasks (queue, available_at)
    WHERE status = 'QUEUED' AND job_claimable AND attempt > 1;
