-- Kubernetes jobs: where the job's resource lives and the pod template it runs.
ALTER TABLE jobs
    ADD COLUMN k8s_namespace text,
    ADD COLUMN k8s_name      text,
    ADD COLUMN pod_template  text,   -- JSON as sent, like input
    ADD CONSTRAINT jobs_k8s_placement CHECK (
        (runtime = 'KUBERNETES') = (k8s_namespace IS NOT NULL AND k8s_name IS NOT NULL));

-- Finds the store jobs of a resource name; not unique: a deleted and re-applied resource is a new job
-- and the old one stays as history.
CREATE INDEX jobs_k8s_resource ON jobs (k8s_namespace, k8s_name) WHERE runtime = 'KUBERNETES';

-- Credentials handed to the pods of one run so they can report for that job and nothing else;
-- only the SHA-256 of the token is kept.
CREATE TABLE job_credentials (
    token_sha256 bytea       PRIMARY KEY,
    job_id       uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    run_id       integer     NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX job_credentials_job ON job_credentials (job_id);
