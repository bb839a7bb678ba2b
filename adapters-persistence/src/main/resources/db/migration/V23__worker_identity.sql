-- Issue 16, worker identity and targeting.

-- A worker's row (V5, upserted by its claims) also keeps what it declared and who it is for: its
-- labels (a JSON object, validated as job labels are), the projects its token is limited to (NULL:
-- an unscoped token, listed to unscoped callers only) and the types it claims (NULL: any).
ALTER TABLE workers
    ADD COLUMN labels   jsonb  NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(labels) = 'object'),
    ADD COLUMN projects text[],
    ADD COLUMN types    text[];

-- GET /api/v1/workers: the tasks a worker holds, by worker.
CREATE INDEX job_tasks_running_worker_idx ON job_tasks (worker_id) WHERE status = 'RUNNING';

-- A worker job's placement (WorkerPlacement): mode ANY or BROADCAST (NULL: any worker), the
-- worker_selector as given and parsed into the requirements webhook_labels_match (V18) reads, and
-- whether a broadcast takes in workers that join while it runs.
ALTER TABLE jobs
    ADD COLUMN placement_mode      text CHECK (placement_mode IN ('ANY', 'BROADCAST')),
    ADD COLUMN worker_selector     text,
    ADD COLUMN worker_requirements jsonb CHECK (worker_requirements IS NULL
                                                OR jsonb_typeof(worker_requirements) = 'array'),
    ADD COLUMN late_joiners        boolean NOT NULL DEFAULT false;

-- A task carries what the claim filters on, so the claim reads no job row for it: the job's
-- selector requirements (copied when the task is inserted; a job's placement never changes) and,
-- for a broadcast, the one worker it is bound to.
ALTER TABLE job_tasks
    ADD COLUMN worker_requirements jsonb,
    ADD COLUMN bound_worker        text;

-- The sweeper: queued tasks bound to a worker, to fail those whose worker went away (AGENT_LOST).
CREATE INDEX job_tasks_bound_queued_idx ON job_tasks (bound_worker)
    WHERE status = 'QUEUED' AND bound_worker IS NOT NULL;

-- Claims look for broadcasts to join (include_late_joiners): the few unfinished ones, by queue.
CREATE INDEX jobs_late_joiners_idx ON jobs (queue)
    WHERE late_joiners AND status IN ('QUEUED', 'RUNNING');
