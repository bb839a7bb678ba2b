-- Issue 10: a queued job's waiting.position without counting the queue row by row.
--
-- The position counts the claimable tasks ahead of a job, at most QueueWait.POSITION_CAP (1,000).
-- Until V7 that count joined every task ahead to its job row (is the job QUEUED or RUNNING,
-- desired RUNNING, is the task of its current run?): one random jobs_pkey probe per task ahead,
-- 92 ms for the last job of a queue of a million at the old cap of 10,000 and still 9.9 ms at a
-- cap of 1,000 (docs/benchmarks.md, "Issue 10: queue position"). The job's part of that rule is
-- copied onto each queued task here, so the count reads one partial index and no table at all
-- (0.2 ms).

-- The rule, once: a task of a job in this state may be claimed (if it is of the current run).
CREATE FUNCTION job_lets_tasks_be_claimed(p_status text, p_desired_state text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT p_status IN ('QUEUED', 'RUNNING') AND p_desired_state = 'RUNNING';
$$;

-- For a QUEUED task: its job lets it be claimed now (job_lets_tasks_be_claimed, and the task is of
-- the job's current run). Kept by the two triggers below, whoever writes; for tasks in any other
-- status the value is not maintained and means nothing.
ALTER TABLE job_tasks ADD COLUMN job_claimable boolean NOT NULL DEFAULT false;

UPDATE job_tasks t SET job_claimable = true
  FROM jobs j
 WHERE j.id = t.job_id AND j.run_id = t.run_id AND t.status = 'QUEUED'
   AND job_lets_tasks_be_claimed(j.status, j.desired_state);

-- A task that becomes QUEUED (insert, retry) reads its job's state. Task writers lock the job row
-- first (claims only move tasks out of QUEUED), so the job cannot change under this read.
CREATE FUNCTION job_tasks_read_job_claimable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.job_claimable := EXISTS (
        SELECT 1 FROM jobs j
         WHERE j.id = NEW.job_id AND j.run_id = NEW.run_id
           AND job_lets_tasks_be_claimed(j.status, j.desired_state));
    RETURN NEW;
END;
$$;

CREATE TRIGGER job_tasks_claimable_on_write
    BEFORE INSERT OR UPDATE OF status ON job_tasks
    FOR EACH ROW
    WHEN (NEW.status = 'QUEUED')
    EXECUTE FUNCTION job_tasks_read_job_claimable();

-- A job that is suspended, resumed, stopped or restarted passes the change to its queued tasks.
-- It fires only when the rule's answer or the run changes (not on QUEUED <-> RUNNING, the busy
-- transitions) and touches only the job's QUEUED tasks (a primary-key range of the job).
CREATE FUNCTION jobs_pass_claimable_to_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE job_tasks t
       SET job_claimable = (t.run_id = NEW.run_id
                            AND job_lets_tasks_be_claimed(NEW.status, NEW.desired_state))
     WHERE t.job_id = NEW.id AND t.status = 'QUEUED'
       AND t.job_claimable IS DISTINCT FROM
           (t.run_id = NEW.run_id AND job_lets_tasks_be_claimed(NEW.status, NEW.desired_state));
    RETURN NULL;
END;
$$;

CREATE TRIGGER jobs_claimable_to_tasks_on_update
    AFTER UPDATE OF status, desired_state, run_id ON jobs
    FOR EACH ROW
    WHEN (OLD.run_id IS DISTINCT FROM NEW.run_id
          OR job_lets_tasks_be_claimed(OLD.status, OLD.desired_state)
             IS DISTINCT FROM job_lets_tasks_be_claimed(NEW.status, NEW.desired_state))
    EXECUTE FUNCTION jobs_pass_claimable_to_tasks();

-- The position count: the claimable tasks of a queue in claim order, available_at included so
-- the backoff test needs no heap either. JdbiTaskRepository.TASKS_AHEAD reads two ranges of it
-- (higher priority; same priority and an older job) under one LIMIT, as index-only scans. Not
-- CONCURRENTLY: Flyway runs a migration in one transaction; the build blocks writes to job_tasks
-- for about 3 s per million queued tasks (the backfill above takes longer: 23 s per million).
CREATE INDEX job_tasks_position_idx
    ON job_tasks (queue, priority DESC, job_created_at, job_id) INCLUDE (available_at)
    WHERE status = 'QUEUED' AND job_claimable;
