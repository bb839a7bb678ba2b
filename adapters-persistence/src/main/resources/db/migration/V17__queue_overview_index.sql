-- Issue 14, the queues overview (GET /api/v1/queues): per project and queue, how many jobs wait
-- and run and since when the oldest waits. Only unfinished jobs are counted, and they are a small
-- part of the table (finished jobs pile up, unfinished ones leave), so this partial index holds
-- just them and the overview reads it alone: an index-only scan whose cost follows the jobs in
-- flight, never the job history. The partial predicate is spelled as JdbiQueueOverviewReader's.
CREATE INDEX jobs_unfinished_queue_idx
    ON jobs (project, queue, status) INCLUDE (queued_at)
    WHERE status IN ('PENDING', 'SUSPENDED', 'QUEUED', 'RUNNING', 'STOPPING');
