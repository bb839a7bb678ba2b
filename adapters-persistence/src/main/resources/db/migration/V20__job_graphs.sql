-- Job graphs (issue 15): a small DAG of jobs submitted at once (POST /api/v1/job-graphs). The jobs
-- carry the graph's id in the label jobplane.io/graph and wait for each other through
-- job_dependencies (V19) like any job; these tables keep the graph and which job runs each node.
CREATE TABLE job_graphs (
    id                    uuid        PRIMARY KEY,
    project               text        NOT NULL,
    name                  text,
    labels                jsonb       NOT NULL CHECK (jsonb_typeof(labels) = 'object'),
    created_by            text        NOT NULL,
    created_at            timestamptz NOT NULL,
    -- the Idempotency-Key the graph was submitted with, per principal, and a digest of the body
    idempotency_principal text,
    idempotency_key       text,
    fingerprint           text,
    CONSTRAINT job_graphs_key_complete CHECK (
        (idempotency_key IS NULL) = (idempotency_principal IS NULL)
        AND (idempotency_key IS NULL) = (fingerprint IS NULL)),
    -- a concurrent submit with the same key inserts nothing (ON CONFLICT DO NOTHING) and replays
    CONSTRAINT job_graphs_idempotency_key UNIQUE (idempotency_principal, idempotency_key)
);

-- Lists are newest first, keyset-paged on (created_at, id), per project or over all.
CREATE INDEX job_graphs_project_created_idx ON job_graphs (project, created_at DESC, id DESC);
CREATE INDEX job_graphs_created_idx ON job_graphs (created_at DESC, id DESC);

-- One row per node, in the order of the body.
CREATE TABLE job_graph_nodes (
    graph_id   uuid    NOT NULL REFERENCES job_graphs (id) ON DELETE CASCADE,
    position   integer NOT NULL CHECK (position >= 0),
    name       text    NOT NULL,
    depends_on text[]  NOT NULL,
    condition  text    NOT NULL CHECK (condition IN ('SUCCEEDED', 'FINISHED')),
    -- no foreign key: a node's job may be deleted; the graph then shows the node without a status
    job_id     uuid    NOT NULL,
    PRIMARY KEY (graph_id, position),
    CONSTRAINT job_graph_nodes_name_key UNIQUE (graph_id, name)
);
