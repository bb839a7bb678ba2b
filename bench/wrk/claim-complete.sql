-- Issue 11: the SQL the server issues for one claim (max_tasks 1, no type filter, no project
-- limits) and one complete, as pgbench runs it, so "our SQL" can be compared with "our SQL over
-- HTTP" (bench/workers.sh runs it with -M prepared, as the JDBC driver prepares the server's
-- statements). Read off log_min_duration_statement = 0 on a running server (JdbiTaskClaims,
-- JdbiJobLocks, JdbiTaskRepository, JobDao): the same statements in the same order, against the
-- same tables, rows, indexes, triggers (status counts, claimable flag, signal notes) and row
-- locks. What differs, and why:
--  - the values the server binds are literals here, or in-statement values (now(), the row's own
--    columns) where the server binds what it computed in Java from the rows it read;
--  - the task and job UPDATEs set the columns a start and a success change, where the server's
--    set every column (unchanged ones to their own values: the same new row version);
--  - the job lock and the task read are two round trips here, one (two statements) from the
--    server: pgbench cannot read the results of a multi-statement prepared query;
--  - the worker's presence row (written at most once a second per worker, PresenceThrottle) and
--    its look for broadcasts to join (as often) are left out, and so is the server's NOTIFY of
--    the signals (one statement per batch of commits, from its own connection).
-- One pgbench transaction = one job claimed and completed, in two database transactions as over
-- HTTP. Needs queued jobs of one task in queue 'pgbench-ours' (WorkerBenchmark submits them).
\set worker random(1, 16)

-- claim: generic plans (JdbiTaskClaims.GENERIC_PLANS), the projects with a running limit locked
-- (none here), the candidates in fair-share order (one statement, skipping rows other claims hold)
BEGIN;
SET LOCAL plan_cache_mode = force_generic_plan;
SELECT p.project, pg_advisory_xact_lock(1246776402, hashtext(p.project)) FROM (SELECT l.project
  FROM (SELECT project FROM project_limits WHERE max_running IS NOT NULL UNION SELECT project FROM
  project_queue_limits WHERE max_running IS NOT NULL) l WHERE EXISTS (SELECT 1 FROM job_tasks t
  WHERE t.queue = ANY('{pgbench-ours}') AND t.project = l.project AND t.status = 'QUEUED' AND
  t.job_claimable) ORDER BY l.project OFFSET 0) p;
WITH RECURSIVE heads(queue, project) AS (SELECT q.name, (SELECT t.project FROM job_tasks t WHERE
  t.queue = q.name AND t.status = 'QUEUED' AND t.job_claimable ORDER BY t.project LIMIT 1) FROM
  unnest(CAST('{pgbench-ours}' AS text[])) AS q(name) UNION ALL SELECT h.queue, (SELECT t.project
  FROM job_tasks t WHERE t.queue = h.queue AND t.status = 'QUEUED' AND t.job_claimable AND
  t.project > h.project ORDER BY t.project LIMIT 1) FROM heads h WHERE h.project IS NOT NULL),
  turn AS (SELECT nextval('claim_turns') AS n), weighed AS (SELECT h.queue, h.project,
  coalesce(l.weight, 1) AS weight, h.project = ANY(CAST('{}' AS text[])) AS limited, (SELECT
  count(*) FROM (SELECT 1 FROM jobs r WHERE r.project = h.project AND r.queue = h.queue AND
  r.status IN ('RUNNING', 'STOPPING') LIMIT 1000) u) AS running FROM heads h LEFT JOIN
  project_limits l ON l.project = h.project WHERE h.project IS NOT NULL), rounds AS (SELECT w.*,
  sum(w.weight) OVER (PARTITION BY w.queue) AS round, sum(w.weight) OVER (PARTITION BY w.queue
  ORDER BY w.project) - w.weight AS first FROM weighed w), shares AS (SELECT r.*, CASE WHEN r.at <
  r.weight THEN 0 ELSE r.round - r.at END AS wait FROM (SELECT r.*, ((turn.n - r.first) % r.round
  + r.round) % r.round AS at FROM rounds r CROSS JOIN turn) r), candidates AS (SELECT s.queue,
  s.project, s.weight, s.limited, s.running, s.wait, c.job_id, c.run_id, c.task_index, c.priority,
  c.job_created_at FROM shares s CROSS JOIN LATERAL (SELECT t.job_id, t.run_id, t.task_index,
  t.priority, t.job_created_at FROM job_tasks t WHERE t.queue = s.queue AND t.project = s.project
  AND t.status = 'QUEUED' AND t.job_claimable AND t.available_at <= now() AND (t.bound_worker IS
  NULL OR t.bound_worker = 'pgbench-' || :worker) AND (t.worker_requirements IS NULL OR
  webhook_labels_match(t.worker_requirements, CAST('{}' AS jsonb))) ORDER BY t.priority DESC,
  t.job_created_at, t.job_id, t.task_index LIMIT 1 FOR UPDATE OF t SKIP LOCKED) c) SELECT
  c.job_id, c.run_id, c.task_index, c.queue, c.project, coalesce(c.limited AND (SELECT j.status IN
  ('RUNNING', 'STOPPING') FROM jobs j WHERE j.id = c.job_id), false) AS job_runs, (c.running +
  row_number() OVER (PARTITION BY c.queue, c.project ORDER BY c.priority DESC, c.job_created_at,
  c.job_id, c.task_index) - 1) / CAST(c.weight AS float8) AS share, c.wait FROM candidates c ORDER
  BY share, wait, c.priority DESC, c.job_created_at, c.job_id, c.task_index
  \gset
-- the candidate jobs locked in id order, then the tasks of their runs
SELECT id, name, search_name, type, project, labels, input, max_attempts, priority, queue,
  runtime, timeout_seconds, parallelism, status, run_id, attempt, progress, created_by,
  created_at, updated_at, queued_at, started_at, finished_at, error_reason, error_message,
  desired_state, stop_mode, stop_timeout_seconds, checkpoint_id, version, command, env,
  k8s_namespace, k8s_name, pod_template, placement_mode, worker_selector, worker_requirements,
  late_joiners FROM jobs WHERE id = ANY(ARRAY[:job_id::uuid]) ORDER BY id FOR UPDATE SKIP LOCKED
  \gset j_
SELECT t.job_id, t.run_id, t.task_index, t.status, t.attempt, t.epoch, t.lease_token_hash,
  t.worker_id, t.hostname, t.lease_seconds, t.lease_expires_at, t.available_at, t.started_at,
  t.finished_at, t.progress, t.items_total, t.items_completed, t.items_failed, t.error_reason,
  t.error_message, t.exit_code, t.stop_deadline, t.output, t.changed, t.bound_worker FROM
  job_tasks t JOIN jobs j ON j.id = t.job_id AND j.run_id = t.run_id WHERE j.id =
  ANY(ARRAY[:job_id::uuid]) ORDER BY t.job_id, t.task_index
  \gset t_
-- the leased task, then the started job (version checked), then its event
UPDATE job_tasks SET status = 'RUNNING', attempt = attempt, epoch = CAST(:t_epoch AS bigint) + 1,
    lease_token_hash = encode(sha256(random()::text::bytea), 'hex'),
    worker_id = 'pgbench-' || :worker,
    hostname = 'pgbench', lease_seconds = 60, lease_expires_at = now() + interval '60 seconds',
    available_at = available_at, started_at = now(), finished_at = NULL, progress = NULL,
    items_total = NULL, items_completed = NULL, items_failed = NULL, error_reason = NULL,
    error_message = NULL, exit_code = NULL, stop_deadline = NULL, output = NULL, changed = NULL
  WHERE job_id = :job_id::uuid AND run_id = :run_id AND task_index = 0;
UPDATE jobs SET status = 'RUNNING', attempt = 1, updated_at = now(), started_at = now(),
    version = CAST(:j_version AS bigint) + 1
  WHERE id = :job_id::uuid AND version = :j_version;
INSERT INTO job_events (job_id, seq, occurred_at, event_type, from_status, to_status, source,
    message, error_reason, error_message, run_id, attempt)
  SELECT :job_id::uuid, COALESCE((SELECT MAX(x.seq) FROM job_events x
    WHERE x.job_id = :job_id::uuid), 0) + 1, now(), 'STARTED', 'QUEUED', 'RUNNING',
    'worker:' || 'pgbench', 'run 1 attempt 1 started', NULL, NULL, CAST(:run_id AS integer), 1;
-- the signals the triggers noted (V15), read just before the commit
SELECT coalesce(current_setting('jobplane.signals', true), '') AS signals \gset
COMMIT;

-- complete: the job locked, its run read, the task and the job finished, the event appended
BEGIN;
SELECT id, name, search_name, type, project, labels, input, max_attempts, priority, queue,
  runtime, timeout_seconds, parallelism, status, run_id, attempt, progress, created_by,
  created_at, updated_at, queued_at, started_at, finished_at, error_reason, error_message,
  desired_state, stop_mode, stop_timeout_seconds, checkpoint_id, version, command, env,
  k8s_namespace, k8s_name, pod_template, placement_mode, worker_selector, worker_requirements,
  late_joiners FROM jobs WHERE id = ANY(ARRAY[:job_id::uuid]) ORDER BY id FOR UPDATE
  \gset c_
SELECT t.job_id, t.run_id, t.task_index, t.status, t.attempt, t.epoch, t.lease_token_hash,
  t.worker_id, t.hostname, t.lease_seconds, t.lease_expires_at, t.available_at, t.started_at,
  t.finished_at, t.progress, t.items_total, t.items_completed, t.items_failed, t.error_reason,
  t.error_message, t.exit_code, t.stop_deadline, t.output, t.changed, t.bound_worker FROM
  job_tasks t JOIN jobs j ON j.id = t.job_id AND j.run_id = t.run_id WHERE j.id =
  ANY(ARRAY[:job_id::uuid]) ORDER BY t.job_id, t.task_index
  \gset ct_
UPDATE job_tasks SET status = 'SUCCEEDED', finished_at = now(), progress = 100,
    lease_expires_at = NULL, output = NULL, changed = NULL
  WHERE job_id = :job_id::uuid AND run_id = :run_id AND task_index = 0 AND epoch = :ct_epoch;
UPDATE jobs SET status = 'SUCCEEDED', progress = 100, updated_at = now(), finished_at = now(),
    version = CAST(:c_version AS bigint) + 1
  WHERE id = :job_id::uuid AND version = :c_version;
INSERT INTO job_events (job_id, seq, occurred_at, event_type, from_status, to_status, source,
    message, error_reason, error_message, run_id, attempt)
  SELECT :job_id::uuid, COALESCE((SELECT MAX(x.seq) FROM job_events x
    WHERE x.job_id = :job_id::uuid), 0) + 1, now(), 'SUCCEEDED', 'RUNNING', 'SUCCEEDED',
    'worker:' || 'pgbench', 'job succeeded', NULL, NULL, CAST(:run_id AS integer), 1;
SELECT coalesce(current_setting('jobplane.signals', true), '') AS signals \gset
COMMIT;
