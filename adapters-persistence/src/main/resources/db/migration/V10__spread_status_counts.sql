-- Issue 11: counts without a hot row. Every job write used to update the one job_status_counts
-- row of its (project, type, status) in its own transaction, so concurrent submits and
-- transitions of one kind of job queued on that row's lock (13 to 14 of 16 backends waited on
-- Lock:transactionid in the issue's profile). Each key now has up to SLOTS rows; a transaction
-- writes the slot its transaction id picks, and a read sums the slots (JobDao.summaryCounts
-- already sums). Counts stay exact and are written in the same transaction as the job.
--
-- The slot comes from txid_current(), not from random(): transactions that run at the same time
-- have consecutive ids and so land on different slots (random picks would collide by the
-- birthday rule), and one transaction always uses the same slot, so a transition touches the old
-- and the new key's rows of one slot, in key order, as before: two transactions can wait for
-- each other on a slot but never deadlock.
ALTER TABLE job_status_counts ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE job_status_counts DROP CONSTRAINT job_status_counts_pkey;
ALTER TABLE job_status_counts ADD PRIMARY KEY (project, type, status, slot);

-- 16 slots: as many as the default database pool has connections
CREATE OR REPLACE FUNCTION job_status_counts_add(p_project text, p_type text, p_status text, p_delta bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO job_status_counts AS c (project, type, status, slot, count)
    VALUES (p_project, p_type, p_status, (txid_current() % 16)::smallint, p_delta)
    ON CONFLICT (project, type, status, slot) DO UPDATE SET count = c.count + EXCLUDED.count;
$$;
