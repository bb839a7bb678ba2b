-- Issue 3, workers run jobs: the PARTIALLY_FAILED status, the worker command of a job, and the
-- tasks of each run with their fenced leases.

ALTER TABLE jobs DROP CONSTRAINT jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('PENDING', 'SUSPENDED', 'QUEUED', 'RUNNING', 'STOPPING', 'SUCCEEDED',
                      'FAILED', 'STOPPED', 'TIMED_OUT', 'PARTIALLY_FAILED', 'REJECTED'));

-- WorkerCommand: argv as a JSON array of strings, env as a JSON object; both NULL without one.
ALTER TABLE jobs ADD COLUMN command jsonb CHECK (command IS NULL OR jsonb_typeof(command) = 'array');
ALTER TABLE jobs ADD COLUMN env     jsonb CHECK (env IS NULL OR jsonb_typeof(env) = 'object');

-- Active jobs with a timeout, for the sweeper's timeout check.
CREATE INDEX jobs_active_timeout_idx ON jobs (started_at)
    WHERE status IN ('RUNNING', 'STOPPING') AND timeout_seconds IS NOT NULL;


-- One row per task of a run (TaskState). A task row is written only while its job row is locked,
-- except by claims, which lock the task row first (FOR UPDATE SKIP LOCKED) and then the job row
-- without waiting, so no two transactions ever wait for each other in opposite orders.
CREATE TABLE job_tasks (
    job_id           uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    run_id           integer     NOT NULL CHECK (run_id >= 1),
    task_index       integer     NOT NULL CHECK (task_index >= 0),
    -- copies of the job's immutable claim keys, so the claim index covers the claim order
    queue            text        NOT NULL,
    priority         integer     NOT NULL,
    job_created_at   timestamptz NOT NULL,
    status           text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED',
                                     'FAILED', 'STOPPED', 'TIMED_OUT')),
    attempt          integer     NOT NULL CHECK (attempt >= 1),
    -- fencing token: grows with every lease, continues across runs
    epoch            bigint      NOT NULL CHECK (epoch >= 0),
    worker_id        text,
    hostname         text,
    lease_seconds    integer     NOT NULL DEFAULT 0,
    lease_expires_at timestamptz,
    -- backoff: not claimable before this instant
    available_at     timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz,
    progress         smallint    CHECK (progress BETWEEN 0 AND 100),
    items_total      bigint,
    items_completed  bigint,
    items_failed     bigint,
    error_reason     text,
    error_message    text,
    exit_code        integer,
    stop_deadline    timestamptz,
    output           jsonb,
    changed          boolean,
    PRIMARY KEY (job_id, run_id, task_index),
    CONSTRAINT job_tasks_running_has_lease
        CHECK (status <> 'RUNNING' OR (lease_expires_at IS NOT NULL AND worker_id IS NOT NULL))
);

-- The claim: queued tasks of a queue, highest priority, then oldest job, then task index.
CREATE INDEX job_tasks_claim_idx
    ON job_tasks (queue, priority DESC, job_created_at, job_id, task_index)
    WHERE status = 'QUEUED';

-- The sweeper: running tasks whose lease expired or whose stop deadline passed.
CREATE INDEX job_tasks_lease_expiry_idx ON job_tasks (lease_expires_at) WHERE status = 'RUNNING';
CREATE INDEX job_tasks_stop_deadline_idx ON job_tasks (stop_deadline)
    WHERE status = 'RUNNING' AND stop_deadline IS NOT NULL;
