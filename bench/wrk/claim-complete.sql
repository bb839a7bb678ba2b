-- Issue 11: the SQL the server issues for one claim (max_tasks 1) and one complete, as pgbench
-- runs it, so "our SQL" can be compared with "our SQL over HTTP" (bench/workers.sh). Same
-- statements in the same order, same tables, rows, indexes, triggers (status counts, claimable
-- flag, signal notes) and row locks as JdbiTaskRepository/JobDao; literals and in-statement
-- values stand in for the bound parameters the server computes in Java (the JobRun it builds from
-- the rows it read). One pgbench transaction = one job claimed and completed, in two database
-- transactions as over HTTP. The server's NOTIFY of those signals to other processes (one
-- statement per batch of commits, from its own connection: PostgresChangeSignals) is not part of
-- it. Needs queued jobs of one task in queue 'pgbench-ours' (the script submits them).
\set worker random(1, 16)

-- claim: candidates (one statement, skipping rows other claims hold)
BEGIN;
SELECT c.job_id AS job_id, c.run_id AS run_id FROM unnest('{pgbench-ours}'::text[]) AS q(name)
  CROSS JOIN LATERAL (SELECT t.job_id, t.run_id, t.task_index, t.priority, t.job_created_at
    FROM job_tasks t
    WHERE t.queue = q.name AND t.status = 'QUEUED' AND t.job_claimable AND t.available_at <= now()
    ORDER BY t.priority DESC, t.job_created_at, t.job_id, t.task_index
    LIMIT 1 FOR UPDATE OF t SKIP LOCKED) c
  ORDER BY c.priority DESC, c.job_created_at, c.job_id, c.task_index LIMIT 1 \gset
-- the candidate jobs, locked in id order, then the tasks of their runs: one round trip
SELECT id AS j_id, version AS j_version FROM jobs WHERE id = ANY(ARRAY[':job_id']::uuid[])
  ORDER BY id FOR UPDATE SKIP LOCKED \;
SELECT t.job_id AS t_job_id, t.task_index AS t_task_index, t.epoch AS t_epoch FROM job_tasks t
  JOIN jobs j ON j.id = t.job_id AND j.run_id = t.run_id
  WHERE j.id = ANY(ARRAY[':job_id']::uuid[]) ORDER BY t.job_id, t.task_index \aset
-- the leased task, then the started job (version checked), then its event
UPDATE job_tasks SET status = 'RUNNING', attempt = attempt, epoch = :t_epoch + 1,
    worker_id = 'pgbench-' || :worker, hostname = 'pgbench', lease_seconds = 60,
    lease_expires_at = now() + interval '60 seconds', available_at = available_at,
    started_at = now(), finished_at = NULL, progress = NULL, items_total = NULL,
    items_completed = NULL, items_failed = NULL, error_reason = NULL, error_message = NULL,
    exit_code = NULL, stop_deadline = NULL, output = NULL, changed = NULL
  WHERE job_id = ':job_id' AND run_id = :run_id AND task_index = 0;
UPDATE jobs SET status = 'RUNNING', attempt = 1, updated_at = now(), started_at = now(),
    version = :j_version + 1
  WHERE id = ':job_id' AND version = :j_version;
INSERT INTO job_events (job_id, seq, occurred_at, event_type, from_status, to_status, source,
    message, error_reason, error_message, run_id, attempt)
  SELECT ':job_id', COALESCE((SELECT MAX(x.seq) FROM job_events x WHERE x.job_id = ':job_id'), 0)
    + 1, now(), 'STARTED', 'QUEUED', 'RUNNING', 'worker:pgbench', 'run 1 attempt 1 started',
    NULL, NULL, :run_id, 1;
-- (the worker's presence row is written at most once a second per worker: PresenceThrottle)
-- the signals the triggers noted (V15), read just before the commit
SELECT coalesce(current_setting('jobplane.signals', true), '') AS signals \gset
COMMIT;

-- complete: the job locked, its run read, the task and the job finished, the event appended
BEGIN;
SELECT id AS c_id, version AS c_version FROM jobs WHERE id = ANY(ARRAY[':job_id']::uuid[])
  ORDER BY id FOR UPDATE \;
SELECT t.job_id AS ct_job_id, t.task_index AS ct_task_index, t.epoch AS ct_epoch FROM job_tasks t
  JOIN jobs j ON j.id = t.job_id AND j.run_id = t.run_id
  WHERE j.id = ANY(ARRAY[':job_id']::uuid[]) ORDER BY t.job_id, t.task_index \aset
UPDATE job_tasks SET status = 'SUCCEEDED', finished_at = now(), progress = 100,
    lease_expires_at = NULL, output = NULL, changed = NULL
  WHERE job_id = ':job_id' AND run_id = :run_id AND task_index = 0 AND epoch = :ct_epoch;
UPDATE jobs SET status = 'SUCCEEDED', progress = 100, updated_at = now(), finished_at = now(),
    version = :c_version + 1
  WHERE id = ':job_id' AND version = :c_version;
INSERT INTO job_events (job_id, seq, occurred_at, event_type, from_status, to_status, source,
    message, error_reason, error_message, run_id, attempt)
  SELECT ':job_id', COALESCE((SELECT MAX(x.seq) FROM job_events x WHERE x.job_id = ':job_id'), 0)
    + 1, now(), 'SUCCEEDED', 'RUNNING', 'SUCCEEDED', 'worker:pgbench', 'job succeeded', NULL, NULL,
    :run_id, 1;
SELECT coalesce(current_setting('jobplane.signals', true), '') AS signals \gset
COMMIT;
