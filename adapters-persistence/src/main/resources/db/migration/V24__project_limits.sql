-- Issue 16, limits and fairness: per project (and per queue of a project) max_running and
-- max_queued, and a fair-share weight (ProjectLimits). A project without a row has no limits.
CREATE TABLE project_limits (
    project     text PRIMARY KEY,
    max_running integer,
    max_queued  bigint,
    weight      integer NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 1000),
    updated_at  timestamptz NOT NULL,
    updated_by  text NOT NULL,
    CHECK (max_running IS NULL OR max_running >= 0),
    CHECK (max_queued IS NULL OR max_queued >= 0)
);

CREATE TABLE project_queue_limits (
    project     text NOT NULL REFERENCES project_limits (project) ON DELETE CASCADE,
    queue       text NOT NULL,
    max_running integer CHECK (max_running IS NULL OR max_running >= 0),
    max_queued  bigint CHECK (max_queued IS NULL OR max_queued >= 0),
    PRIMARY KEY (project, queue)
);

-- The jobs that count against max_running (RUNNING, STOPPING), by project and queue: a claim of a
-- limited project counts them exactly, and every claim counts its candidates' projects' running
-- jobs for the fair share. Only running jobs are in it, so it stays as small as the fleet is.
CREATE INDEX jobs_running_idx ON jobs (project, queue)
    WHERE status IN ('RUNNING', 'STOPPING');

-- Fair share at claim time reads a queue's claimable tasks project by project, so a queued task
-- carries its job's project, as it carries queue, priority and job_created_at. The trigger that
-- already reads the job whenever a task becomes QUEUED (V8) fills it in; for tasks in any other
-- status the value is not maintained (tasks queued before this migration are filled here).
ALTER TABLE job_tasks ADD COLUMN project text;

UPDATE job_tasks t SET project = j.project
  FROM jobs j
 WHERE j.id = t.job_id AND t.status = 'QUEUED';

CREATE OR REPLACE FUNCTION job_tasks_read_job_claimable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    job_project text;
    claimable boolean;
BEGIN
    SELECT j.project,
           j.run_id = NEW.run_id AND job_lets_tasks_be_claimed(j.status, j.desired_state)
      INTO job_project, claimable
      FROM jobs j WHERE j.id = NEW.job_id;
    NEW.job_claimable := coalesce(claimable, false);
    NEW.project := job_project;
    RETURN NEW;
END;
$$;

-- The claim index, now by project within a queue (JdbiTaskRepository.claimCandidates): the
-- projects of a queue are found by skipping through it, and each one's head is read in claim
-- order. It replaces V3's job_tasks_claim_idx, which only the claim read.
CREATE INDEX job_tasks_fair_claim_idx
    ON job_tasks (queue, project, priority DESC, job_created_at, job_id, task_index)
    INCLUDE (available_at)
    WHERE status = 'QUEUED' AND job_claimable;

DROP INDEX job_tasks_claim_idx;

-- Fair share breaks ties by turns: each claim takes the next number, and among projects whose
-- shares are equal (short jobs leave every project at 0 running) the one whose turn it is goes
-- first, each project owning as many turns of a round as its weight. A sequence is never rolled
-- back and never locked for longer than one call, so claims do not wait on it.
CREATE SEQUENCE claim_turns;
