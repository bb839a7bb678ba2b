-- Issue 15, dependencies: a job submitted with depends_on waits in PENDING until the jobs it names
-- have ended as its condition requires; one that cannot be met ends SKIPPED, a new end.

ALTER TABLE jobs DROP CONSTRAINT jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('PENDING', 'SUSPENDED', 'QUEUED', 'RUNNING', 'STOPPING', 'SUCCEEDED',
                      'FAILED', 'STOPPED', 'TIMED_OUT', 'PARTIALLY_FAILED', 'REJECTED',
                      'SKIPPED'));

-- One edge per (waiting job, job it depends on). ended_as is the first end of the job depended
-- on, written in the transaction that ended it (DependencyReleasingJobRepository), so the
-- waiting job's verdict never needs the other job's row, which may since have been restarted or
-- deleted. position keeps depends_on's order for messages.
CREATE TABLE job_dependencies (
    job_id     uuid    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    depends_on uuid    NOT NULL,
    position   integer NOT NULL CHECK (position >= 0),
    condition  text    NOT NULL CHECK (condition IN ('SUCCEEDED', 'FINISHED')),
    ended_as   text    CHECK (ended_as IS NULL
                              OR ended_as IN ('SUCCEEDED', 'FAILED', 'STOPPED', 'TIMED_OUT',
                                              'PARTIALLY_FAILED', 'REJECTED', 'SKIPPED')),
    PRIMARY KEY (job_id, depends_on)
);

-- What an ending job looks up: only edges still waiting for an end, so the index stays as small
-- as the set of jobs that wait.
CREATE INDEX job_dependencies_waiting ON job_dependencies (depends_on) WHERE ended_as IS NULL;
