package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import java.time.Instant;

/** Where a waiting run stands in its queue. Joins the caller's transaction, if any. */
public interface QueuePositions {

  /**
   * How many tasks of other jobs a worker of the job's queue would claim before the first queued
   * task of the job's current run ({@code run_id}): claimable now (QUEUED, backoff over, current
   * run of a QUEUED or RUNNING job desired RUNNING), ahead in claim order (priority desc, job
   * creation, job id). Counts at most {@code cap}, and must cost no more than reading that many
   * entries of an index (a queue may hold millions); 0 when the run has no queued task.
   */
  long tasksAhead(JobId jobId, int runId, Instant now, long cap);
}
